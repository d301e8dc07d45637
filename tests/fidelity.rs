//! A site says only what its records say: build `tests/fixtures/fidelity-site`
//! (a fictional partnership written as an editor would) and check each place
//! where a page, a data file or a feed could say more than the records:
//! history order, when a status took effect against when it became known, a
//! report read as known on its publication day, money by the part each
//! organization had, former and open posts, sources and their quotes, and
//! the statuses a site adds.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    common::repo().join("tests/fixtures/fidelity-site")
}

/// Build `root` into a fresh temporary folder; also returns stderr.
fn build(root: &Path) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(["build", "--output", out.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "build failed: {stderr}");
    (tmp, out, stderr)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text of the part of `html` between `from` and `to` (both must occur):
/// tags dropped, entities decoded, spaces collapsed.
fn text_between(html: &str, from: &str, to: &str) -> String {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("`{from}` not in page"));
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    text(&html[start..end])
}

fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_history_written_newest_first_is_listed_by_date_everywhere() {
    let (_t, out, _) = build(&fixture());
    let page = read(&out, "pledges/referral-mechanism/index.html");
    let table = text_between(&page, "id=\"progress\"", "</table>");
    let a = table
        .find("Work on the mechanism began")
        .expect("first entry");
    let b = table
        .find("The referral mechanism was set up")
        .expect("second");
    assert!(a < b, "2023 must come before November 2023: {table}");
    // The JSON twin and the CSV follow the same order.
    let twin: serde_json::Value =
        serde_json::from_str(&read(&out, "pledges/referral-mechanism/index.json")).unwrap();
    let dates: Vec<&str> = twin["fields"]["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2023", "2023-11"]);
    let csv = read(&out, "data/pledge-progress.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let date = header.iter().position(|h| *h == "date").unwrap();
    // No cell before `date` holds a comma in this fixture.
    let dates: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("referral-mechanism,"))
        .map(|l| l.split(',').nth(date).unwrap())
        .collect();
    assert_eq!(dates, ["2023", "2023-11"], "{csv}");
}

#[test]
fn a_pledge_page_shows_when_a_status_took_effect_and_when_it_became_known() {
    let (_t, out, _) = build(&fixture());
    let page = read(&out, "pledges/referral-mechanism/index.html");
    let facts = text_between(&page, "class=\"facts\"", "</dl>");
    assert!(
        facts.contains("Completed Took effect: November 2023 ; Reported: February 14, 2024"),
        "{facts}"
    );
    let table = &page[page.find("id=\"progress\"").unwrap()..];
    let row = text_between(table, "November 2023", "</tr>");
    assert!(row.contains("Completed"), "{row}");
    assert!(
        row.contains("February 14, 2024 at Second AB dialogue"),
        "{row}"
    );
    // A status with no date of its own holds from when it was reported,
    // and the page says that the day it began is not recorded.
    let page = read(&out, "pledges/shelters/index.html");
    let row = text_between(&page, "id=\"progress\"", "</table>");
    assert!(row.contains("Not recorded (by 2024 )"), "{row}");
    assert!(
        row.contains("Letter from the Borduria shelter network"),
        "{row}"
    );
}

#[test]
fn a_report_shows_what_was_known_when_it_was_published() {
    let (_t, out, _) = build(&fixture());
    let page = read(&out, "reports/annual-2023/index.html");
    // At the end of 2023 the mechanism was complete, but on 15 January 2024
    // only "in progress" had been reported: the table says so, then what
    // became known since.
    let table = text_between(&page, "id=\"pledge-status\"", "</table>");
    let row = text_between(&table, "Set up a referral mechanism", "</tr>");
    assert!(row.contains("In progress"), "{row}");
    assert!(row.contains("Known since: Completed"), "{row}");
    let since = text_between(&page, "id=\"since-report\"", "</table>");
    assert!(
        since.contains("February 14, 2024 at Second AB dialogue Set up a referral mechanism for child victims Completed November 2023"),
        "{since}"
    );
    assert!(page.contains("href=\"/dialogues/2024-02-14-second-dialogue/\""));
    let changes = text_between(&page, "id=\"changes\"", "</table>");
    assert!(!changes.contains("Completed"), "{changes}");
}

#[test]
fn consortium_money_is_never_credited_to_each_member() {
    let (_t, out, _) = build(&fixture());
    for member in ["safe-homes", "lawyers-network", "childline-aldoria"] {
        let page = read(&out, &format!("organizations/{member}/index.html"));
        let figures = page
            .find("class=\"figures\"")
            .map(|i| text_between(&page[i..], "class=\"figures\"", "</dl>"))
            .unwrap_or_default();
        assert!(!figures.contains("2,500,000"), "{member}: {figures}");
        let received = text_between(&page, "id=\"received-heading\"", "</section>");
        assert!(
            received.contains("€2,500,000 (consortium of 3)"),
            "{member}: {received}"
        );
    }
    let lead = read(&out, "organizations/childline-aldoria/index.html");
    assert!(text(&lead).contains("As lead of a consortium"));
    let member = read(&out, "organizations/safe-homes/index.html");
    assert!(text(&member).contains("As a member of a consortium (share not stated)"));
    // A sole recipient's grant is its own, and it gets a total.
    let solo = read(&out, "organizations/solo-shelter/index.html");
    let figures = text_between(&solo, "class=\"figures\"", "</dl>");
    assert!(
        figures.contains("Received as sole recipient $400,000"),
        "{figures}"
    );
}

#[test]
fn posts_show_their_periods_and_former_holders() {
    let (_t, out, _) = build(&fixture());
    let page = read(&out, "organizations/justice-ministry/index.html");
    let people = text_between(&page, "id=\"people-heading\"", "</table>");
    assert!(
        people.contains("Ben New Minister of Justice from March 2023 · no end recorded"),
        "{people}"
    );
    assert!(
        people.contains("Ada Old Minister of Justice 2019 to March 2023 · former"),
        "{people}"
    );
    let index = text(&read(&out, "people/index.html"));
    assert!(
        index.contains("Minister of Justice 2019 to March 2023 · former"),
        "{index}"
    );
}

#[test]
fn sources_are_shown_with_their_quotes() {
    let (_t, out, _) = build(&fixture());
    let page = read(&out, "pledges/referral-mechanism/index.html");
    assert!(
        text(&page).contains(
            "Second AB dialogue “The referral mechanism has been working since November 2023.”"
        ),
        "{}",
        text(&page)
    );
    let dialogue = read(&out, "dialogues/2023-06-first-dialogue/index.html");
    assert!(dialogue.contains(
        "<a href=\"https://example.org/news/ab-grant\">Announcement of the consortium grant</a>"
    ));
    let t = text(&dialogue);
    assert!(t.contains("Joint statement of the first AB dialogue, 20 June 2023 (a document with no web address)"), "{t}");
    // The CSV gives each source as an address (absolute for records) or a title.
    let csv = read(&out, "data/pledge-progress.csv");
    assert!(
        csv.contains("https://example.org/dialogues/2024-02-14-second-dialogue/"),
        "{csv}"
    );
    assert!(!csv.contains("@/"), "{csv}");
}

#[test]
fn a_site_adds_statuses_in_groups_and_every_status_is_defined_on_a_page() {
    let (_t, out, _) = build(&fixture());
    let page = read(&out, "pledges/child-protection-law/index.html");
    assert!(page.contains("tag tag--g-open tag--awaiting-parliament\">Awaiting parliament<"));
    assert!(page.contains("tag tag--g-not-met tag--failed\">Failed<"));
    let statuses = read(&out, "statuses/index.html");
    let t = text(&statuses);
    assert!(
        t.contains(
            "Awaiting parliament Open A bill is before parliament, which has not voted on it."
        ),
        "{t}"
    );
    assert!(
        t.contains("Not reported Unknown No source says where the pledge stands."),
        "{t}"
    );
    assert!(t.contains("Stalled Open"), "{t}");
    // Every pledge page links to it.
    assert!(page.contains("href=\"/statuses/\""));
    // The country with no ISO code is shown by the name the site gives it.
    let org = text(&read(&out, "organizations/aldoria/index.html"));
    assert!(org.contains("Country Aldoria"), "{org}");
}

/// The entries of a built site's feed: (id, updated, category term, summary).
fn feed(out: &Path) -> Vec<(String, String, String, String)> {
    let text = read(out, "atom.xml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed Atom");
    let atom = "http://www.w3.org/2005/Atom";
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((atom, name)))
            .map(|c| {
                (
                    c.text().unwrap_or("").to_string(),
                    c.attribute("term").unwrap_or("").to_string(),
                )
            })
            .unwrap_or_default()
    };
    doc.root_element()
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .map(|e| {
            (
                child(e, "id").0,
                child(e, "updated").0,
                child(e, "category").1,
                child(e, "summary").0,
            )
        })
        .collect()
}

#[test]
fn the_feed_never_invents_a_day_and_says_how_precise_each_date_is() {
    let (_t, out, _) = build(&fixture());
    let entries = feed(&out);
    let find = |id: &str| {
        entries
            .iter()
            .find(|e| e.0 == id)
            .unwrap_or_else(|| panic!("no entry {id} in {entries:#?}"))
    };
    // Took effect in November 2023, news on 14 February 2024.
    let done = find("urn:gazette:pledge:referral-mechanism:progress:2023-11:completed");
    assert_eq!(done.1, "2024-02-14T12:00:00Z");
    assert_eq!(done.2, "month");
    assert!(
        done.3
            .contains("Took effect: November 2023 (the record gives the month, not the day)."),
        "{}",
        done.3
    );
    assert!(
        done.3
            .contains("Reported: February 14, 2024, at Second AB dialogue."),
        "{}",
        done.3
    );
    // Reported in 2024, a year only: dated by the last day of 2024, and said so.
    let stalled = find("urn:gazette:pledge:shelters:progress:2024:stalled");
    assert_eq!(stalled.1, "2024-12-31T12:00:00Z");
    assert_eq!(stalled.2, "year");
    assert!(
        stalled
            .3
            .contains("Reported: 2024 (the record gives the year only)."),
        "{}",
        stalled.3
    );
    assert!(
        stalled
            .3
            .contains("Took effect: not recorded, but by 2024 (the record gives the year only)."),
        "{}",
        stalled.3
    );
    // A report and a grant's tranche have entries of their own.
    find("urn:gazette:report:annual-2023");
    let tranche = find("urn:gazette:grant:consortium-eur:tranche:2024:150000.00EUR");
    assert_eq!(
        tranche.1, "2024-02-14T12:00:00Z",
        "dated by its announcement"
    );
}

#[test]
fn a_new_progress_entry_leaves_every_other_feed_id_unchanged() {
    let (_t, out, _) = build(&fixture());
    let before: Vec<String> = feed(&out).into_iter().map(|e| e.0).collect();
    // A copy of the site with one more entry, written first in the list.
    let tmp = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(fixture())
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = tmp.path().join(e.path().strip_prefix(fixture()).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
    let pledge = tmp.path().join("content/pledges/child-protection-law.md");
    let text = std::fs::read_to_string(&pledge).unwrap().replace(
        "progress:\n",
        "progress:\n  - date: 2023-02\n    reported: 2023-02-10\n    status: in-progress\n    note: A draft was written.\n",
    );
    std::fs::write(&pledge, text).unwrap();
    let (_t2, out2, _) = build(tmp.path());
    let after: Vec<String> = feed(&out2).into_iter().map(|e| e.0).collect();
    for id in &before {
        assert!(after.contains(id), "{id} changed: {after:#?}");
    }
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(
        &"urn:gazette:pledge:child-protection-law:progress:2023-02:in-progress".to_string()
    ));
}
