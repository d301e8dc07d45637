//! Open data: every JSON and CSV file the sample site publishes parses, and
//! holds the facts of the source (the grant total, the recipients); the
//! 360Giving export validates against the official schema.

mod common;

use common::{copy_sample, repo};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn build(root: &Path, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn sample() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    build(&repo(), &out);
    (t, out)
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A strict RFC 4180 reader, written independently of the writer: fields
/// separated by commas, records by CRLF, quoted fields may hold anything
/// with quotes doubled. Panics on anything else.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), Some(',') | Some('\r') | None),
                        "text after a closing quote"
                    );
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '"' => panic!("quote inside an unquoted field"),
            ',' => {
                row.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_start = true;
            }
            '\n' => panic!("bare LF line end"),
            c => {
                field.push(c);
                at_start = false;
            }
        }
    }
    assert!(!quoted, "unterminated quote");
    assert!(
        row.is_empty() && field.is_empty(),
        "last record not terminated by CRLF"
    );
    rows
}

/// Rows as maps from header to cell; every row as wide as the header.
fn records(path: &Path) -> Vec<BTreeMap<String, String>> {
    let rows = parse_csv(&std::fs::read_to_string(path).unwrap());
    let (header, body) = rows.split_first().expect("a header row");
    body.iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "{}: row width", path.display());
            header.iter().cloned().zip(r.iter().cloned()).collect()
        })
        .collect()
}

#[test]
fn every_json_file_parses() {
    let (_t, out) = sample();
    let mut n = 0;
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().and_then(|x| x.to_str()) == Some("json") {
            json(e.path());
            n += 1;
        }
    }
    // 20 entity twins, graph.json, 360giving.json, csv-metadata.json and
    // the catalogue data.json.
    assert_eq!(n, 24);
}

#[test]
fn every_csv_parses_with_one_header_row() {
    let (_t, out) = sample();
    let mut files = 0;
    for e in std::fs::read_dir(out.join("data"))
        .unwrap()
        .filter_map(Result::ok)
    {
        if e.path().extension().and_then(|x| x.to_str()) == Some("csv") {
            let rows = parse_csv(&std::fs::read_to_string(e.path()).unwrap());
            assert!(!rows.is_empty(), "{}: no header", e.path().display());
            assert!(rows[0].iter().all(|h| !h.is_empty()));
            records(&e.path());
            files += 1;
        }
    }
    assert_eq!(
        files, 14,
        "one CSV per type, and objectives, participants, progress, recipients, amounts, positions, references"
    );
}

#[test]
fn grant_tables_keep_amount_and_currency_apart_and_hold_every_money_event() {
    let (_t, out) = sample();
    let grants = records(&out.join("data/grants.csv"));
    assert_eq!(grants.len(), 1);
    let g = &grants[0];
    assert_eq!(g["id"], "cpc-consortium-grant");
    assert_eq!(g["award_amount"], "5000000.00");
    assert_eq!(g["award_currency"], "USD");
    // No cell mixes a number and a currency ("5500000.00 USD" was one).
    assert!(!g.contains_key("total"));
    assert_eq!(g["funder"], "us-government");
    assert_eq!(g["funder_name"], "Government of the United States");
    assert_eq!(g["recipients"], "6");
    // The award is known to the year: as recorded, bounded, and how precise.
    assert_eq!(
        (
            g["awarded"].as_str(),
            g["awarded_start"].as_str(),
            g["awarded_end"].as_str(),
            g["awarded_precision"].as_str()
        ),
        ("2020", "2020-01-01", "2020-12-31", "year")
    );
    let recipients = records(&out.join("data/grant-recipients.csv"));
    let names: Vec<(&str, &str)> = recipients
        .iter()
        .map(|r| (r["organization_name"].as_str(), r["role_label"].as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("World Vision", "Recipient"),
            ("The Asia Foundation", "Recipient"),
            ("Mongolia Gender Equality Center", "Local partner"),
            ("Talita Asia", "Local partner"),
            ("Beautiful Hearts", "Local partner"),
            ("Unbound Mongolia", "Local partner")
        ]
    );
    // Every money event, the award included: it sums to the page's total,
    // where the tranches alone gave 500,000.
    let amounts = records(&out.join("data/grant-amounts.csv"));
    let events: Vec<(&str, &str, &str, &str)> = amounts
        .iter()
        .map(|r| {
            (
                r["event"].as_str(),
                r["date"].as_str(),
                r["amount"].as_str(),
                r["currency"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("award", "2020", "5000000.00", "USD"),
            ("tranche", "2021", "500000.00", "USD")
        ]
    );
    let cents: u64 = amounts
        .iter()
        .map(|r| r["amount"].replace('.', "").parse::<u64>().unwrap())
        .sum();
    assert_eq!(cents, 550_000_000);
    let pledges = records(&out.join("data/pledges.csv"));
    assert_eq!(pledges.len(), 4);
    assert!(pledges
        .iter()
        .all(|p| p["made_by"] == "government-of-mongolia"
            && p["made_by_name"] == "Government of Mongolia"
            && p["made"] == "2020-04"
            && p["made_start"] == "2020-04-01"
            && p["made_end"] == "2020-04-30"
            && p["made_precision"] == "month"));
    let objectives = records(&out.join("data/objectives.csv"));
    assert!(objectives.iter().any(
        |o| o["objective"] == "prosecution" && o["title"].starts_with("Strengthen the efforts")
    ));
}

#[test]
fn entity_twins_and_graph_hold_the_same_facts() {
    let (_t, out) = sample();
    let twin = json(&out.join("grants/cpc-consortium-grant/index.json"));
    assert_eq!(twin["type"], "grant");
    assert_eq!(
        twin["computed"]["total"],
        serde_json::json!([{"amount": "5500000.00", "currency": "USD"}])
    );
    assert_eq!(twin["fields"]["recipients"].as_array().unwrap().len(), 6);
    assert_eq!(twin["fields"]["funder"], "us-government");
    let graph = json(&out.join("data/graph.json"));
    let entities = graph["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 20);
    let in_graph = entities.iter().find(|e| e["type"] == "grant").unwrap();
    assert_eq!(in_graph, &twin);
    let wv = entities.iter().find(|e| e["id"] == "world-vision").unwrap();
    let refs = wv["referenced_by"].as_array().unwrap();
    assert!(
        refs.iter()
            .any(|r| r["id"] == "cpc-consortium-grant" && r["field"] == "recipients.organization"),
        "{refs:?}"
    );
}

#[test]
fn data_page_lists_every_download_with_size_and_newest_date() {
    let (_t, out) = sample();
    let html = std::fs::read_to_string(out.join("data/index.html")).unwrap();
    for f in [
        "graph.json",
        "grants.csv",
        "pledge-progress.csv",
        "360giving.json",
    ] {
        assert!(
            html.contains(&format!("href=\"/data/{f}\"")),
            "{f} not linked"
        );
    }
    let size = std::fs::metadata(out.join("data/grants.csv"))
        .unwrap()
        .len();
    assert!(
        html.contains(&format!("{size}\u{a0}B")),
        "size of grants.csv ({size} B) not shown"
    );
    assert!(
        html.contains("<time datetime=\"2021-11-19\">November 19, 2021</time>"),
        "newest date not shown"
    );
}

fn validate_360(export: &Path) -> Value {
    let script = repo().join("tests/tools/validate_360giving.py");
    let schema = repo().join("tests/tools/360giving/360-giving-schema.json");
    let o = Command::new("python3")
        .arg(&script)
        .arg(export)
        .arg(&schema)
        .output()
        .expect("python3 is needed to validate the 360Giving export (CI installs it with `pip install jsonschema`)");
    assert!(
        o.status.success(),
        "validator failed (is `jsonschema` installed? `pip install jsonschema==4.26.0`): {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_sample_giving_export_is_valid_and_says_the_award_day_is_not_recorded() {
    let (_t, out) = sample();
    let pkg = json(&out.join("data/360giving.json"));
    let g = &pkg["grants"][0];
    assert_eq!(g["amountAwarded"], serde_json::json!(5500000.0));
    // Written with the currency's minor digits, as in the CSV, not `5500000.0`.
    assert_eq!(
        amounts_awarded(&out.join("data/360giving.json")),
        ["5500000.00"]
    );
    assert_eq!(g["currency"], "USD");
    assert_eq!(
        g["fundingOrganization"][0]["name"],
        "Government of the United States"
    );
    assert_eq!(g["recipientOrganization"].as_array().unwrap().len(), 6);
    // Awarded "in 2020"; the sample opts in to first days
    // (`open_data.partial_dates: first-day`), and the description says so.
    assert_eq!(g["awardDate"], "2020-01-01");
    assert!(
        g["description"].as_str().unwrap().ends_with(
            "Awarded in 2020; the day is not recorded, so awardDate gives the first day of the year (2020-01-01)."
        ),
        "{}",
        g["description"]
    );
    let report = validate_360(&out.join("data/360giving.json"));
    assert_eq!(report["grants"], 1);
    assert_eq!(report["errors"], serde_json::json!([]), "schema errors");
}

#[test]
fn by_default_a_grant_with_no_award_day_is_left_out_and_the_data_page_says_why() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_sample(&site);
    let config = site.join("gazette.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace("  partial_dates: first-day\n", "");
    assert!(!text.contains("partial_dates"));
    std::fs::write(&config, text).unwrap();
    // `check` warns, naming the record and the field.
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(&site)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "a warning only");
    let diags: Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["field"] == "awarded")
        .unwrap_or_else(|| panic!("{diags:#}"));
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["file"], "content/grants/cpc-consortium-grant.md");
    assert!(w["message"]
        .as_str()
        .unwrap()
        .contains("left out of data/360giving.json"));
    let out = t.path().join("out");
    build(&site, &out);
    // The only grant has no award day: no valid file can be written.
    assert!(!out.join("data/360giving.json").exists());
    let page = std::fs::read_to_string(out.join("data/index.html")).unwrap();
    assert!(
        page.contains("Not written: no grant has a full award date"),
        "{page}"
    );
    assert!(page.contains("Left out of 360giving.json"));
    assert!(page.contains("<a href=\"/grants/cpc-consortium-grant/\">Foreign assistance to the CPC Partnership consortium</a>"));
}

/// The `amountAwarded` number tokens of a 360Giving file, as written.
fn amounts_awarded(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.match_indices("\"amountAwarded\":")
        .map(|(i, key)| {
            let rest = text[i + key.len()..].trim_start();
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
                .unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .collect()
}

#[test]
fn giving_amounts_are_exact_decimals_past_float_precision() {
    // 12345678901234567.89 has more digits than a float holds: through
    // serde_json's `Number` it came out as 1.2345678901234568e+16.
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_sample(&site);
    let grant = site.join("content/grants/cpc-consortium-grant.md");
    let text = std::fs::read_to_string(&grant).unwrap();
    // The grant alone, without its tranche, so the award is the amount.
    let (head, rest) = text.split_once("tranches:\n").unwrap();
    let body = rest.split_once("\n---\n").unwrap().1;
    let head = head.replace("amount: 5000000\n", "amount: 12345678901234567.89\n");
    std::fs::write(&grant, format!("{head}---\n{body}")).unwrap();
    // Its Mongolian translation gives the tranche's note: it goes too.
    std::fs::remove_file(site.join("content/grants/cpc-consortium-grant.mn.md")).unwrap();
    let out = t.path().join("out");
    build(&site, &out);
    let file = out.join("data/360giving.json");
    assert_eq!(amounts_awarded(&file), ["12345678901234567.89"]);
    // Still a JSON number, and the file still validates.
    assert!(json(&file)["grants"][0]["amountAwarded"].is_number());
    let report = validate_360(&file);
    assert_eq!(report["grants"], 1);
}

#[test]
fn giving_export_is_valid_when_the_award_date_is_known() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_sample(&site);
    let grant = site.join("content/grants/cpc-consortium-grant.md");
    let text = std::fs::read_to_string(&grant)
        .unwrap()
        .replace("awarded: 2020\n", "awarded: 2020-06-15\n");
    std::fs::write(&grant, text).unwrap();
    let out = t.path().join("out");
    build(&site, &out);
    let report = validate_360(&out.join("data/360giving.json"));
    assert_eq!(report["grants"], 1);
    assert_eq!(report["errors"], serde_json::json!([]), "schema errors");
}
