//! The standards of aid transparency: the IATI activity and organisation
//! files validate against the official 2.03 schemas (with `xmllint`) and
//! use only codes of the IATI code lists; `data.json` validates against
//! DCAT-US 1.1; every CSV loads with Python's csv module as
//! `csv-metadata.json` describes it, and its money adds up to the pages'
//! totals; every page carries schema.org JSON-LD of its record, with
//! nothing the page does not show. Run on the sample site and on the
//! fidelity fixture (two currencies, a consortium, tranches, partial
//! dates), with both rules for partial dates.

mod common;

use common::{copy_sample, repo};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn gazette(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn build(root: &Path, out: &Path) {
    let o = gazette(root, &["build", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn sample() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    build(&repo(), &out);
    (t, out)
}

/// The IATI, licence and catalogue settings a test appends to a site's
/// `gazette.yaml` that has none.
fn standards_settings(rule: &str) -> String {
    format!(
        "open_data:\n  partial_dates: {rule}\n  license:\n    name: Creative Commons Attribution 4.0\n    url: https://creativecommons.org/licenses/by/4.0/\n  iati:\n    reporting_org:\n      identifier: XI-IATI-EXAMPLE\n      name: Government of Borduria\n      type: government\n  catalog:\n    publisher: Government of Borduria\n    contact:\n      name: Open data desk\n      email: data@example.org\n    keywords: [fixture]\n"
    )
}

/// The fidelity fixture with the standards on, an IATI identifier for its
/// funder, a DAC sector on its consortium grant and a tranche in a second
/// currency (USD on a EUR grant).
fn fidelity(dir: &Path, rule: &str) {
    let src = repo().join("tests/fixtures/fidelity-site");
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = dir.join(e.path().strip_prefix(&src).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
    let config = dir.join("gazette.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}{}", standards_settings(rule))).unwrap();
    let edit = |path: &str, from: &str, to: &str| {
        let p = dir.join(path);
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains(from), "{path}: {from}");
        std::fs::write(&p, t.replacen(from, to, 1)).unwrap();
    };
    edit(
        "content/organizations/borduria.md",
        "kind: government\n",
        "kind: government\niati_identifier: XI-IATI-EXAMPLE\n",
    );
    edit(
        "content/grants/consortium-eur.md",
        "currency: EUR\n",
        "currency: EUR\nsector: 15180\n",
    );
    edit(
        "content/grants/consortium-eur.md",
        "tranches:\n",
        "tranches:\n  - date: 2023-09-01\n    amount: 25000\n    currency: USD\n    sources:\n      - document: Letter of 1 September 2023\n",
    );
}

fn xmllint(schema: &str, file: &Path) {
    let schema = repo().join("tests/tools/iati-2.03").join(schema);
    let o = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(file)
        .output()
        .expect("xmllint is needed to validate the IATI files (`apt-get install libxml2-utils`; .ci/run installs it)");
    assert!(
        o.status.success(),
        "{} does not validate against {}: {}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn python(script: &str, args: &[&Path]) -> Value {
    let o = Command::new("python3")
        .arg(repo().join("tests/tools").join(script))
        .args(args)
        .output()
        .expect("python3 with jsonschema is needed (`pip install jsonschema==4.26.0`)");
    assert!(
        o.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Every code the IATI file uses, against the code lists kept with the tests.
fn check_iati_codes(file: &Path) {
    let report = python(
        "check_iati_codes.py",
        &[file, &repo().join("tests/tools/iati-2.03/codelists")],
    );
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    assert!(report["codes"].as_u64().unwrap() > 0, "{report:#}");
}

fn doc(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_sample_iati_files_validate_and_use_listed_codes() {
    let (_t, out) = sample();
    let activities = out.join("data/iati-activities.xml");
    xmllint("iati-activities-schema.xsd", &activities);
    check_iati_codes(&activities);
    let orgs = out.join("data/iati-organisations.xml");
    xmllint("iati-organisations-schema.xsd", &orgs);
    check_iati_codes(&orgs);
    let text = doc(&activities);
    let x = roxmltree::Document::parse(&text).unwrap();
    let activity = x
        .descendants()
        .find(|n| n.has_tag_name("iati-activity"))
        .unwrap();
    let child = |name: &str| activity.children().find(|n| n.has_tag_name(name));
    assert_eq!(
        child("iati-identifier").unwrap().text(),
        Some("XM-DAC-302-cpc-consortium-grant")
    );
    // The funder funds; the six recipients implement; no lead is named, so
    // none is accountable and no transaction names a receiver.
    let roles: Vec<(&str, &str)> = activity
        .children()
        .filter(|n| n.has_tag_name("participating-org"))
        .map(|n| (n.attribute("role").unwrap(), n.attribute("type").unwrap()))
        .collect();
    assert_eq!(
        roles,
        [
            ("1", "10"),
            ("4", "21"),
            ("4", "21"),
            ("4", "22"),
            ("4", "22"),
            ("4", "22"),
            ("4", "22")
        ]
    );
    // One commitment per award and tranche, dated the first day of the
    // year the records give, and saying so.
    let transactions: Vec<_> = activity
        .children()
        .filter(|n| n.has_tag_name("transaction"))
        .collect();
    let money: Vec<(String, String, String)> = transactions
        .iter()
        .map(|t| {
            let code = t
                .children()
                .find(|n| n.has_tag_name("transaction-type"))
                .unwrap()
                .attribute("code")
                .unwrap();
            let value = t.children().find(|n| n.has_tag_name("value")).unwrap();
            (
                code.to_string(),
                value.attribute("currency").unwrap().to_string(),
                value.text().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        money,
        [
            ("2".into(), "USD".into(), "5000000.00".into()),
            ("2".into(), "USD".into(), "500000.00".into())
        ]
    );
    assert!(transactions
        .iter()
        .all(|t| !t.children().any(|n| n.has_tag_name("receiver-org"))));
    assert!(text.contains("Awarded: 2020; the day is not recorded, so transaction-date gives the first day of the year (2020-01-01)."));
    assert!(text.contains(
        "<activity-date type=\"1\" iso-date=\"2020-01-01\">\n      <narrative xml:lang=\"en\">No start date is recorded; this is the date the grant was awarded."
    ));
    assert!(text.contains("<recipient-country code=\"MN\" percentage=\"100\"/>"));
    assert_eq!(
        child("activity-status").unwrap().attribute("code"),
        Some("2")
    );
    // The pages about it: its own, the partnership's, the dialogue that
    // announced the tranche, the four pledges.
    let links: Vec<&str> = activity
        .children()
        .filter(|n| n.has_tag_name("document-link"))
        .map(|n| n.attribute("url").unwrap())
        .collect();
    assert_eq!(links.len(), 7, "{links:?}");
    assert_eq!(links[0], "https://example.org/grants/cpc-consortium-grant/");
    assert!(links.contains(&"https://example.org/dialogues/2021-11-19-first-bilateral-dialogue/"));
    // The organisation file holds the one organization with an identifier.
    assert_eq!(doc(&orgs).matches("<iati-organisation ").count(), 1);
}

#[test]
fn the_fidelity_fixture_iati_files_validate_with_first_days() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    fidelity(&site, "first-day");
    let out = t.path().join("out");
    build(&site, &out);
    let activities = out.join("data/iati-activities.xml");
    xmllint("iati-activities-schema.xsd", &activities);
    check_iati_codes(&activities);
    let orgs = out.join("data/iati-organisations.xml");
    xmllint("iati-organisations-schema.xsd", &orgs);
    check_iati_codes(&orgs);
    let text = doc(&activities);
    let x = roxmltree::Document::parse(&text).unwrap();
    let consortium = x
        .descendants()
        .find(|n| {
            n.has_tag_name("iati-activity")
                && n.children().any(|c| {
                    c.has_tag_name("iati-identifier")
                        && c.text() == Some("XI-IATI-EXAMPLE-consortium-eur")
                })
        })
        .expect("the consortium grant is an activity");
    // The lead holds the grant: accountable and implementing, and the
    // receiver of every commitment; the partners implement.
    let roles: Vec<&str> = consortium
        .children()
        .filter(|n| n.has_tag_name("participating-org"))
        .map(|n| n.attribute("role").unwrap())
        .collect();
    assert_eq!(roles, ["1", "2", "4", "4", "4"]);
    // Each amount in its own currency; never converted, never added.
    let values: Vec<(&str, &str)> = consortium
        .descendants()
        .filter(|n| n.has_tag_name("value"))
        .map(|n| (n.attribute("currency").unwrap(), n.text().unwrap()))
        .collect();
    assert_eq!(
        values,
        [
            ("EUR", "2350000.00"),
            ("USD", "25000.00"),
            ("EUR", "150000.00")
        ]
    );
    assert!(consortium
        .descendants()
        .filter(|n| n.has_tag_name("receiver-org"))
        .all(|n| n
            .descendants()
            .any(|d| d.text() == Some("Childline Aldoria"))));
    assert!(text.contains("<sector vocabulary=\"1\" code=\"15180\" percentage=\"100\"/>"));
    // Aldoria (XA) has no ISO code, so no recipient-country is invented.
    assert!(!text.contains("<recipient-country"));
    // The award, known to the month, is the first day of the month, said so.
    assert!(text.contains("Awarded: June 2023; the day is not recorded, so transaction-date gives the first day of the month (2023-06-01)."));
}

#[test]
fn by_default_grants_without_full_dates_are_left_out_of_iati_and_check_says_so() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    fidelity(&site, "leave-out");
    let o = gazette(&site, &["check", "--format", "json"]);
    assert!(o.status.success(), "warnings only");
    let diags: Value = serde_json::from_slice(&o.stdout).unwrap();
    let warnings: Vec<(String, String)> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .contains("iati-activities.xml")
        })
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            ("content/grants/consortium-eur.md".into(), "awarded".into()),
            (
                "content/grants/consortium-eur.md".into(),
                "tranches[1].date".into()
            ),
            ("content/grants/solo-usd.md".into(), "awarded".into()),
        ],
        "{diags:#}"
    );
    let out = t.path().join("out");
    build(&site, &out);
    // Both grants give only a month or a year for their award: no activity
    // can be written, and the data page lists them with the field.
    assert!(!out.join("data/iati-activities.xml").exists());
    let page = doc(&out.join("data/index.html"));
    assert!(page.contains("Left out of iati-activities.xml"), "{page}");
    assert!(page.contains("no grant has a full date for its award, its tranches and its start"));
    assert!(page.contains("awarded:"));
    // The organisation file does not depend on dates.
    xmllint(
        "iati-organisations-schema.xsd",
        &out.join("data/iati-organisations.xml"),
    );
}

#[test]
fn a_site_without_iati_settings_publishes_no_iati_file_and_says_why() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    build(&repo().join("tests/fixtures/fidelity-site"), &out);
    assert!(!out.join("data/iati-activities.xml").exists());
    assert!(!out.join("data.json").exists());
    let page = doc(&out.join("data/index.html"));
    assert!(page.contains("Not published: the site has not said who publishes it"));
    assert!(page.contains("No licence is stated for these files"));
}

#[test]
fn the_catalogue_validates_against_dcat_us() {
    let (_t, out) = sample();
    let schemas = repo().join("tests/tools/dcat-us-1.1");
    let report = python("validate_dcat.py", &[&out.join("data.json"), &schemas]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    let catalog: Value = serde_json::from_str(&doc(&out.join("data.json"))).unwrap();
    let datasets = catalog["dataset"].as_array().unwrap();
    // Every file written on the data page but data.json itself, and the feed.
    let page = doc(&out.join("data/index.html"));
    let written = page.matches("\" download>").count();
    assert_eq!(datasets.len(), written - 1 + 1, "{page}");
    let by_url: BTreeMap<&str, &Value> = datasets
        .iter()
        .map(|d| (d["identifier"].as_str().unwrap(), d))
        .collect();
    let grants = by_url["https://example.org/data/grants.csv"];
    // Dates from the records as recorded, never the clock.
    assert_eq!(grants["modified"], "2021");
    assert_eq!(
        by_url["https://example.org/data/dialogues.csv"]["modified"],
        "2021-11-19"
    );
    assert_eq!(
        by_url["https://example.org/atom.xml"]["modified"],
        "2021-11-19"
    );
    assert_eq!(
        grants["license"],
        "http://www.usa.gov/publicdomain/label/1.0/"
    );
    assert_eq!(grants["bureauCode"], serde_json::json!(["014:00"]));
    assert_eq!(
        grants["distribution"][0]["describedBy"],
        "https://example.org/data/csv-metadata.json"
    );
    for path in [
        "data/iati-activities.xml",
        "data/360giving.json",
        "data/csv-metadata.json",
    ] {
        assert!(
            by_url.contains_key(format!("https://example.org/{path}").as_str()),
            "{path}"
        );
    }
}

#[test]
fn the_fidelity_catalogue_validates_too() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    fidelity(&site, "first-day");
    let out = t.path().join("out");
    build(&site, &out);
    let catalog = out.join("data.json");
    let schemas = repo().join("tests/tools/dcat-us-1.1");
    // Borduria is no U.S. federal agency: no bureau or program codes, as
    // DCAT-US asks of other publishers (data.gov's non-federal profile).
    let report = python(
        "validate_dcat.py",
        &[&catalog, &schemas, Path::new("--non-federal")],
    );
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    assert!(!doc(&catalog).contains("bureauCode"));
    // Against the federal schema, exactly those two are missing.
    let federal = python("validate_dcat.py", &[&catalog, &schemas]);
    let messages: std::collections::BTreeSet<&str> = federal["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "'bureauCode' is a required property",
            "'programCode' is a required property"
        ]
        .into_iter()
        .collect()
    );
}

/// Each grant's total per currency, as its page's JSON twin gives it
/// (the figures the page shows).
fn page_totals(out: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut totals = BTreeMap::new();
    for e in std::fs::read_dir(out.join("grants")).unwrap() {
        let twin = e.unwrap().path().join("index.json");
        if !twin.exists() {
            continue;
        }
        let v: Value = serde_json::from_str(&doc(&twin)).unwrap();
        let by: BTreeMap<String, String> = v["computed"]["total"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["currency"].as_str().unwrap().to_string(),
                    m["amount"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        totals.insert(v["id"].as_str().unwrap().to_string(), by);
    }
    totals
}

fn check_tables(out: &Path) -> Value {
    let report = python("check_csvw.py", &[&out.join("data/csv-metadata.json")]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    let from_csv: BTreeMap<String, BTreeMap<String, String>> =
        serde_json::from_value(report["totals"].clone()).unwrap();
    assert_eq!(
        from_csv,
        page_totals(out),
        "grant-amounts.csv against the pages"
    );
    report
}

#[test]
fn every_table_loads_as_its_metadata_says_and_money_adds_up_to_the_pages() {
    let (_t, out) = sample();
    let report = check_tables(&out);
    assert_eq!(report["tables"], 14);
    assert_eq!(report["rows"]["grant-amounts.csv"], 2);
    // The sample grant's page shows its total: 5,500,000, not 500,000.
    let page = doc(&out.join("grants/cpc-consortium-grant/index.html"));
    assert!(page.contains("$5,500,000"));
    assert_eq!(
        report["totals"]["cpc-consortium-grant"]["USD"],
        "5500000.00"
    );
}

#[test]
fn fidelity_tables_load_and_add_up_per_currency() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    fidelity(&site, "first-day");
    let out = t.path().join("out");
    build(&site, &out);
    let report = check_tables(&out);
    // Two currencies in one grant: two sums, never one.
    assert_eq!(
        report["totals"]["consortium-eur"],
        serde_json::json!({"EUR": "2500000.00", "USD": "25000.00"})
    );
    assert_eq!(report["rows"]["reports.csv"], 1);
}

/// The JSON-LD of a page: the one `application/ld+json` block, parsed.
fn jsonld(html: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    assert_eq!(html.matches(open).count(), 1, "one JSON-LD block");
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let text = &html[start..end];
    assert!(!text.contains('<'), "a raw < in the JSON-LD");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Every `name`, `roleName` and `jobTitle` text in `v`.
fn names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if matches!(
                    k.as_str(),
                    "name" | "roleName" | "jobTitle" | "alternateName"
                ) {
                    match x {
                        Value::String(s) => out.push(s.clone()),
                        Value::Array(a) => {
                            out.extend(a.iter().filter_map(|s| s.as_str().map(String::from)))
                        }
                        _ => {}
                    }
                }
                names(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| names(x, out)),
        _ => {}
    }
}

/// Text as the page's HTML writes it (Tera's escaping).
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

fn pages(out: &Path) -> Vec<(String, Value, String)> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy();
        if name == "index.html" || name == "404.html" {
            let html = doc(e.path());
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            v.push((rel, jsonld(&html), html));
        }
    }
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn every_page_describes_its_record_in_json_ld_with_only_what_it_shows() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    fidelity(&site, "first-day");
    let out = t.path().join("out");
    build(&site, &out);
    let all = pages(&out);
    let mut seen = BTreeMap::new();
    for (path, ld, html) in &all {
        assert_eq!(ld["@context"], "https://schema.org", "{path}");
        let ty = ld["@type"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: no @type"));
        seen.insert(ty.to_string(), path.clone());
        let mut texts = Vec::new();
        names(ld, &mut texts);
        for n in texts {
            assert!(
                html.contains(&escaped(&n)) || html.contains(&n),
                "{path}: the JSON-LD names {n:?}, which the page does not show"
            );
        }
        let expected = match path.split('/').next().unwrap() {
            "dialogues" if path.matches('/').count() == 2 => Some("Event"),
            "grants" if path.matches('/').count() == 2 => Some("MonetaryGrant"),
            "people" if path.matches('/').count() == 2 => Some("Person"),
            "reports" if path.matches('/').count() == 2 => Some("Report"),
            "pledges" if path.matches('/').count() == 2 => Some("CreativeWork"),
            "partnerships" if path.matches('/').count() >= 2 => Some("Project"),
            "index.html" => Some("WebSite"),
            "404.html" | "search" | "statuses" => Some("WebPage"),
            _ => None,
        };
        if let Some(want) = expected {
            assert_eq!(ty, want, "{path}");
        }
    }
    for ty in [
        "Event",
        "MonetaryGrant",
        "GovernmentOrganization",
        "NGO",
        "Person",
        "Report",
        "Dataset",
        "Project",
        "CreativeWork",
        "WebSite",
        "CollectionPage",
        "WebPage",
    ] {
        assert!(seen.contains_key(ty), "no page of type {ty}: {seen:?}");
    }
    let of = |p: &str| &all.iter().find(|x| x.0 == p).unwrap().1;
    // A dialogue: when, how, who in which role for whom, about what.
    let d = of("dialogues/2023-06-first-dialogue/index.html");
    assert_eq!(d["startDate"], "2023-06-20");
    assert_eq!(
        d["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(
        d["location"],
        serde_json::json!([{"@type": "Place", "name": "Aldoria City"}])
    );
    let a = &d["attendee"][0];
    assert_eq!(
        (a["@type"].as_str(), a["roleName"].as_str()),
        (Some("Role"), Some("Minister of Justice"))
    );
    assert_eq!(a["attendee"]["@type"], "Person");
    assert_eq!(
        a["attendee"]["affiliation"]["name"],
        "Ministry of Justice of Aldoria"
    );
    assert!(d["about"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["@type"] == "Project"));
    let virtual_one = of("dialogues/2024-02-14-second-dialogue/index.html");
    assert_eq!(
        virtual_one["location"],
        serde_json::json!([{"@type": "VirtualLocation"}])
    );
    // A grant: funder, recipients, one amount per currency, never added.
    let g = of("grants/consortium-eur/index.html");
    assert_eq!(g["funder"]["name"], "Government of Borduria");
    assert_eq!(g["fundedItem"].as_array().unwrap().len(), 3);
    assert_eq!(
        g["amount"],
        serde_json::json!([
            {"@type": "MonetaryAmount", "currency": "EUR", "value": "2500000.00"},
            {"@type": "MonetaryAmount", "currency": "USD", "value": "25000.00"}
        ])
    );
    let r = of("reports/annual-2023/index.html");
    assert_eq!(r["datePublished"], "2024-01-15");
    assert_eq!(r["temporalCoverage"], "2023-01/2023-12");
    // Partial dates as recorded, never a first day.
    let old = of("people/old-minister/index.html");
    assert_eq!(old["affiliation"][0]["startDate"], "2019");
    assert_eq!(old["affiliation"][0]["endDate"], "2023-03");
    assert_eq!(of("pledges/shelters/index.html")["dateCreated"], "2022");
    let people: Vec<&Value> = all
        .iter()
        .filter(|x| x.1["@type"] == "Person")
        .map(|x| &x.1)
        .collect();
    assert!(people
        .iter()
        .any(|p| p["affiliation"].as_array().is_some_and(|a| a
            .iter()
            .any(|r| r["@type"] == "Role" && r["roleName"].is_string()))));
    for (path, ld, _) in &all {
        let text = ld.to_string();
        assert!(
            !text.contains("-01-01\""),
            "{path}: a first day in the JSON-LD: {text}"
        );
    }
    let data = of("data/index.html");
    assert_eq!(data["@type"], "Dataset");
    assert_eq!(
        data["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    let files = data["distribution"].as_array().unwrap();
    assert!(files
        .iter()
        .all(|f| f["@type"] == "DataDownload" && f["contentUrl"].is_string()));
    assert!(files.iter().any(|f| f["name"] == "iati-activities.xml"));
}

#[test]
fn json_ld_keeps_payloads_inert() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    build(&repo().join("tests/fixtures/xss-site"), &out);
    let all = pages(&out);
    assert!(all.len() > 10);
    let mut payloads = 0;
    for (path, ld, html) in &all {
        // `jsonld` checked there is no raw `<`; the payloads are there, escaped.
        if ld.to_string().contains("<script>mark(") {
            payloads += 1;
        }
        assert_eq!(
            html.matches("<script").count(),
            html.matches("</script>").count(),
            "{path}"
        );
    }
    assert!(payloads > 5, "payload text reaches the JSON-LD as data");
}

#[test]
fn the_sample_data_page_explains_each_standard_and_states_the_licence() {
    let (_t, out) = sample();
    let page = doc(&out.join("data/index.html"));
    for s in [
        "IATI",
        "DCAT-US",
        "360Giving",
        "CSV on the Web",
        "schema.org",
    ] {
        assert!(page.contains(&format!("<dt>{s}</dt>")), "{s}");
    }
    assert!(page.contains(
        "<a href=\"http://www.usa.gov/publicdomain/label/1.0/\" rel=\"license\">U.S. Government Work (public domain)</a>"
    ));
    assert!(page.contains("href=\"/data/dictionary/\""));
    let dict = doc(&out.join("data/dictionary/index.html"));
    assert!(dict.contains("<h2 id=\"grant-amounts\">grant-amounts.csv</h2>"));
    assert!(dict.contains("<code>awarded_precision</code>"));
    assert!(dict.contains("<code>local-partner</code> Local partner"));
    let pkg: Value = serde_json::from_str(&doc(&out.join("data/360giving.json"))).unwrap();
    assert_eq!(pkg["license"], "http://www.usa.gov/publicdomain/label/1.0/");
    let graph: Value = serde_json::from_str(&doc(&out.join("data/graph.json"))).unwrap();
    assert_eq!(
        graph["site"]["license"]["name"],
        "U.S. Government Work (public domain)"
    );
}

#[test]
fn copies_of_the_code_lists_embedded_in_gazette_match_the_iati_files() {
    let report = python(
        "check_iati_codes.py",
        &[
            &repo().join("src/model/codes"),
            &repo().join("tests/tools/iati-2.03/codelists"),
        ],
    );
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
}

#[test]
fn a_copied_sample_still_builds_with_iati_when_the_site_has_a_different_language_tag() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_sample(&site);
    let config = site.join("gazette.yaml");
    let text = doc(&config).replace("  default: en\n", "  default: en-US\n");
    assert!(text.contains("default: en-US\n"), "{text}");
    std::fs::write(&config, text).unwrap();
    let out = t.path().join("out");
    build(&site, &out);
    let activities = out.join("data/iati-activities.xml");
    xmllint("iati-activities-schema.xsd", &activities);
    check_iati_codes(&activities);
    assert!(doc(&activities).contains("<narrative xml:lang=\"en-US\">"));
}

#[test]
fn an_offline_bundle_keeps_every_standard_file_with_paths_instead_of_the_host() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("b.zip");
    let o = gazette(&repo(), &["bundle", "-o", zip.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let root = common::unzip(&zip, &t.path().join("unzipped"));
    for f in [
        "data.json",
        "data/iati-activities.xml",
        "data/iati-organisations.xml",
        "data/csv-metadata.json",
        "data/grant-amounts.csv",
        "data/360giving.json",
        "data/dictionary/index.html",
    ] {
        assert!(root.join(f).is_file(), "{f} is not in the bundle");
    }
    // An official offline can still hand the IATI file to an analyst: it
    // validates, its links are paths from the bundle's root.
    let activities = root.join("data/iati-activities.xml");
    xmllint("iati-activities-schema.xsd", &activities);
    let text = doc(&activities);
    assert!(!text.contains("example.org"));
    assert!(text.contains("url=\"grants/cpc-consortium-grant/index.html\""));
    // The catalogue's addresses resolve inside the folder, and it lists no
    // feed (a bundle has none).
    let catalog: Value = serde_json::from_str(&doc(&root.join("data.json"))).unwrap();
    assert_eq!(catalog["@id"], "data.json");
    for d in catalog["dataset"].as_array().unwrap() {
        let url = d["distribution"][0]["downloadURL"].as_str().unwrap();
        assert!(root.join(url).is_file(), "{url}");
    }
    assert!(!doc(&root.join("data.json")).contains("atom.xml"));
    // The tables still load as their metadata says.
    let report = python("check_csvw.py", &[&root.join("data/csv-metadata.json")]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
}
