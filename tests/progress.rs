//! Progress over time, end to end: build `tests/fixtures/progress-site` (and
//! the sample site) with the real binary and check the report tables and the
//! partnership charts for concrete facts, and that builds are byte-identical.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/progress-site")
}

/// Build `root` into a fresh temporary folder.
fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(["build", "--output", out.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (tmp, out)
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Text of an HTML fragment: tags dropped, entities decoded, spaces collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rows of the first `<tbody>` after `marker`, raw HTML per row.
fn body_rows<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("`{marker}` not in page"));
    let body = &html[start..];
    let body = &body[body.find("<tbody>").expect("tbody")..];
    let body = &body[..body.find("</tbody>").expect("end of tbody")];
    body.split("<tr").skip(1).collect()
}

/// The cells (`th` and `td`) of each body row after `marker`, as text.
fn table(html: &str, marker: &str) -> Vec<Vec<String>> {
    body_rows(html, marker)
        .into_iter()
        .map(|row| {
            let mut cells = Vec::new();
            let mut rest = row;
            while let Some(i) = ["<td", "<th"]
                .iter()
                .filter_map(|t| {
                    rest.match_indices(t)
                        .map(|(i, _)| i)
                        .find(|&i| matches!(rest.as_bytes().get(i + 3), Some(b' ' | b'>')))
                })
                .min()
            {
                let cell = &rest[i..];
                let end = ["</td>", "</th>"]
                    .iter()
                    .filter_map(|t| cell.find(t))
                    .min()
                    .expect("closed cell");
                cells.push(text(&cell[..end]));
                rest = &cell[end..];
            }
            cells
        })
        .collect()
}

/// `(pledge id, status key)` for each row of the status-at-end table.
fn statuses_at_end(html: &str) -> Vec<(String, String)> {
    body_rows(html, "id=\"pledge-status\"")
        .into_iter()
        .map(|row| {
            (
                attr_after(row, "href=\"/pledges/"),
                attr_after(row, "data-status=\""),
            )
        })
        .collect()
}

/// `(date, pledge id, from, to)` for each row of the changes table.
fn changes(html: &str) -> Vec<(String, String, String, String)> {
    body_rows(html, "id=\"changes\"")
        .into_iter()
        .map(|row| {
            (
                attr_after(row, "datetime=\""),
                attr_after(row, "href=\"/pledges/"),
                attr_after(row, "data-from=\""),
                attr_after(row, "data-to=\""),
            )
        })
        .collect()
}

/// The value that follows `prefix` up to the next `"` or `/`.
fn attr_after(s: &str, prefix: &str) -> String {
    let i = s
        .find(prefix)
        .unwrap_or_else(|| panic!("`{prefix}` not in {s}"))
        + prefix.len();
    s[i..]
        .chars()
        .take_while(|c| *c != '"' && *c != '/')
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn rows(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn report_shows_each_pledge_status_at_the_end_of_its_period() {
    let (_tmp, out) = build(&fixture());
    let html = page(&out, "reports/r-first-year/index.html");
    // The editor's narrative stays, above the generated tables.
    assert!(html.contains("<strong>floods</strong>"));
    assert!(html.find("floods").unwrap() < html.find("id=\"pledge-status\"").unwrap());
    // Period April 2020 to March 2021. "Create a fund" is dated 2020 but has a
    // progress entry of 1 March 2020, so it exists and is not started.
    assert_eq!(
        statuses_at_end(&html),
        pairs(&[
            ("p-fund", "not-started"),
            ("p-shelters", "delayed"),
            ("p-law", "not-reported"),
            ("p-training", "not-reported"),
        ])
    );
    let at_start: Vec<String> = table(&html, "id=\"pledge-status\"")
        .into_iter()
        .map(|r| r[2].clone())
        .collect();
    assert_eq!(
        at_start,
        [
            "Not started",
            "Not reported",
            "Not yet made",
            "Not yet made"
        ]
    );

    let html = page(&out, "reports/r-2021/index.html");
    assert_eq!(
        statuses_at_end(&html),
        pairs(&[
            ("p-fund", "withdrawn"),
            ("p-shelters", "completed"),
            ("p-law", "in-progress"),
            ("p-training", "not-reported"),
        ])
    );
}

#[test]
fn report_lists_the_status_changes_within_its_period() {
    let (_tmp, out) = build(&fixture());
    let html = page(&out, "reports/r-first-year/index.html");
    let got = changes(&html);
    let want = [
        ("2020-09", "p-shelters", "not-reported", "in-progress"),
        ("2021-03-10", "p-shelters", "in-progress", "delayed"),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
    let cells = table(&html, "id=\"changes\"");
    assert_eq!(cells[1][2], "In progress → Delayed");
    assert_eq!(
        cells[1][3],
        "Construction halted by floods. (Source: Second dialogue)"
    );
    // The entry of 1 March 2020 lies before the period and is not listed.
    assert!(!html.contains("datetime=\"2020-03-01\""));

    // Later period: the entry dated only "2021" counts from 31 December 2021,
    // so it falls within April–December 2021, marked as possibly earlier.
    let html = page(&out, "reports/r-2021/index.html");
    let got: Vec<(String, String, String)> = changes(&html)
        .into_iter()
        .map(|(d, p, _, to)| (d, p, to))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2021".into(), "p-law".into(), "in-progress".into()),
            ("2021-05-20".into(), "p-fund".into(), "withdrawn".into()),
            ("2021-11".into(), "p-shelters".into(), "completed".into()),
        ]
    );
    let first = body_rows(&html, "id=\"changes\"")[0];
    assert!(first.contains("class=\"uncertain\""), "{first}");
}

#[test]
fn report_lists_pledges_money_and_dialogues_of_its_period() {
    let (_tmp, out) = build(&fixture());
    let html = page(&out, "reports/r-first-year/index.html");
    let made = table(&html, "id=\"pledges-made\"");
    assert_eq!(
        made,
        rows(&[
            &["2020*", "Create a fund", "Government <A> & Co"],
            &["June 15, 2020", "Pass the law", "Government B"],
            &["February 2021", "Train officers", "Government B"],
        ])
    );
    let money = table(&html, "id=\"funding\"");
    assert_eq!(
        money,
        rows(&[
            &[
                "September 1, 2020",
                "Grant in euros",
                "Donor C",
                "Grant awarded",
                "€500,000"
            ],
            &[
                "February 15, 2021",
                "Grant in two currencies",
                "Government B",
                "Grant awarded",
                "$300,000"
            ],
        ])
    );
    // One total per currency, never added together.
    assert!(html.contains("<span class=\"money\">€500,000</span></td></tr>"));
    assert!(html.contains("<span class=\"money\">$300,000</span></td></tr>"));
    assert!(html.contains("href=\"/dialogues/d1/\""));
    assert!(html.contains("href=\"/dialogues/d2/\""));
    assert!(!html.contains("href=\"/dialogues/d3/\""));

    let html = page(&out, "reports/r-2021/index.html");
    let money = table(&html, "id=\"funding\"");
    let amounts: Vec<&str> = money.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(amounts, ["€200,000", "$250,000", "€50,000"]);
    assert!(html.contains("<span class=\"money\">€250,000</span></td></tr>"));
    assert!(html.contains("<span class=\"money\">$250,000</span></td></tr>"));
}

#[test]
fn report_without_a_period_end_uses_its_published_date() {
    let (_tmp, out) = build(&fixture());
    let html = page(&out, "reports/r-no-end/index.html");
    assert!(html.contains("so its publication date is used"));
    assert!(html.contains("As of <time datetime=\"2021-06-30\">June 30, 2021</time>"));
    assert_eq!(
        statuses_at_end(&html),
        pairs(&[
            ("p-fund", "withdrawn"),
            ("p-shelters", "delayed"),
            ("p-law", "not-reported"),
            ("p-training", "not-reported"),
        ])
    );
}

/// Every `<svg … role="img" …>` chart on a page, as (opening tag, title).
fn charts(html: &str) -> Vec<(String, String)> {
    html.match_indices("<svg class=\"chart__svg\"")
        .map(|(i, _)| {
            let rest = &html[i..];
            let tag = &rest[..rest.find('>').unwrap() + 1];
            let title = &rest[rest.find("<title").expect("title")..];
            let title = text(&title[..title.find("</title>").unwrap()]);
            (tag.to_string(), title)
        })
        .collect()
}

#[test]
fn partnership_charts_have_titles_and_tables_of_cumulative_amounts() {
    let (_tmp, out) = build(&fixture());
    let html = page(&out, "partnerships/pp/index.html");
    let found = charts(&html);
    let titles: Vec<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Cumulative funding by funder, EUR",
            "Cumulative funding by funder, USD",
            "Pledges by status over time",
        ]
    );
    for (tag, _) in &found {
        assert!(tag.contains("role=\"img\""), "{tag}");
        assert!(tag.contains("aria-describedby="), "{tag}");
    }
    // Government B's euro tranche is in the EUR chart only; USD and EUR are
    // never added.
    assert_eq!(
        table(&html, "id=\"chart-funding-eur\""),
        rows(&[
            &["September 1, 2020", "€500,000", "€0"],
            &["June 30, 2021", "€500,000", "€50,000"],
            &["2021", "€700,000", "€50,000"],
        ])
    );
    assert_eq!(
        table(&html, "id=\"chart-funding-usd\""),
        rows(&[
            &["March 2020", "$1,000,000", "$0"],
            &["February 15, 2021", "$1,000,000", "$300,000"],
            &["April 1, 2021", "$1,250,000", "$300,000"],
            &["January 2022", "$1,350,000.50", "$300,000"],
        ])
    );
    // Columns: not reported, not started, in progress, delayed, completed,
    // withdrawn, total.
    assert_eq!(
        table(&html, "id=\"chart-status\""),
        rows(&[
            &["January 2020", "1", "0", "0", "0", "0", "0", "1"],
            &["March 1, 2020", "1", "1", "0", "0", "0", "0", "2"],
            &["June 15, 2020", "2", "1", "0", "0", "0", "0", "3"],
            &["September 2020", "1", "1", "1", "0", "0", "0", "3"],
            &["2020", "1", "1", "1", "0", "0", "0", "3"],
            &["February 2021", "2", "1", "1", "0", "0", "0", "4"],
            &["March 10, 2021", "2", "1", "0", "1", "0", "0", "4"],
            &["May 20, 2021", "2", "0", "0", "1", "0", "1", "4"],
            &["November 2021", "2", "0", "0", "0", "1", "1", "4"],
            &["2021", "1", "0", "1", "0", "1", "1", "4"],
        ])
    );
    // Names are escaped in the description and the legend.
    assert!(html.contains("Government &lt;A&gt; &amp; Co: $1,350,000.50"));
}

#[test]
fn sample_partnership_charts_show_the_consortium_grant() {
    let (_tmp, out) = build(&repo());
    let html = page(&out, "partnerships/cpc-mongolia/index.html");
    let found = charts(&html);
    assert_eq!(found.len(), 2, "funding (USD) and pledge status");
    assert_eq!(
        table(&html, "id=\"chart-funding-usd\""),
        rows(&[&["2020", "$5,000,000"], &["2021", "$5,500,000"]])
    );
    assert_eq!(
        table(&html, "id=\"chart-status\""),
        rows(&[
            &["April 2020", "4", "0", "4"],
            &["November 19, 2021", "3", "1", "4"],
        ])
    );
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn building_twice_gives_identical_bytes() {
    let (_a, first) = build(&fixture());
    let (_b, second) = build(&fixture());
    let (one, two) = (snapshot(&first), snapshot(&second));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(two[path] == *bytes, "{path} differs between builds");
    }
    assert!(one.contains_key("partnerships/pp/index.html"));
}
