//! `gazette check --translations` on a site in English and Mongolian
//! (`fixtures/translations-site/`): which records are missing, out of date
//! or of unknown version, the counts per type, and the digest it prints
//! being the one that makes a translation current.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    common::repo().join("tests/fixtures/translations-site")
}

fn gazette(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette")
}

/// A copy of the fixture to edit.
fn copy(dir: &Path) -> PathBuf {
    let src = fixture();
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
    dir.to_path_buf()
}

/// The JSON report of `root` and the exit code.
fn json(root: &Path) -> (Value, Option<i32>) {
    let o = gazette(root, &["check", "--translations", "--format", "json"]);
    let doc = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    (doc, o.status.code())
}

/// `type/id` of the records of language report `r` in `state`.
fn in_state(r: &Value, state: &str) -> Vec<String> {
    r["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["state"] == state)
        .map(|e| {
            format!(
                "{}/{}",
                e["type"].as_str().unwrap(),
                e["id"].as_str().unwrap()
            )
        })
        .collect()
}

fn entry<'a>(r: &'a Value, kind: &str, id: &str) -> &'a Value {
    r["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == kind && e["id"] == id)
        .unwrap_or_else(|| panic!("no {kind}/{id} in {r}"))
}

#[test]
fn lists_missing_out_of_date_and_unknown_translations_with_counts() {
    let (doc, code) = json(&fixture());
    assert_eq!(code, Some(0), "missing translations are not errors: {doc}");
    assert_eq!(doc["languages"], serde_json::json!(["en", "mn"]));
    let reports = doc["translations"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "no report for the default language");
    let mn = &reports[0];
    assert_eq!(mn["language"], "mn");
    assert_eq!(
        in_state(mn, "missing"),
        ["pledges/p1", "organizations/donor-b"]
    );
    assert_eq!(in_state(mn, "out-of-date"), ["organizations/gov-a"]);
    assert_eq!(in_state(mn, "version-unknown"), ["dialogues/d1"]);
    assert_eq!(in_state(mn, "up-to-date"), ["partnerships/pp"]);
    let p1 = entry(mn, "pledges", "p1");
    assert_eq!(p1["record"], "content/pledges/p1.md");
    assert_eq!(p1["translation"], "content/pledges/p1.mn.md");
    let gov = entry(mn, "organizations", "gov-a");
    assert_eq!(gov["translates"], "0badc0de");
    assert_eq!(gov["translation"], "content/organizations/gov-a.mn.md");
    let counts = |kind: &str| -> Vec<u64> {
        let c = mn["counts"]
            .as_array()
            .unwrap()
            .iter()
            .chain([&mn["total"]])
            .find(|c| c["type"] == kind)
            .unwrap();
        [
            "records",
            "translated",
            "up_to_date",
            "out_of_date",
            "version_unknown",
            "missing",
        ]
        .iter()
        .map(|k| c[*k].as_u64().unwrap())
        .collect()
    };
    assert_eq!(counts("organizations"), [2, 1, 0, 1, 0, 1]);
    assert_eq!(counts("dialogues"), [1, 1, 0, 0, 1, 0]);
    assert_eq!(counts("pledges"), [1, 0, 0, 0, 0, 1]);
    assert_eq!(counts("partnerships"), [1, 1, 1, 0, 0, 0]);
    assert_eq!(counts("all"), [5, 3, 1, 1, 1, 2]);
    let kinds: Vec<&str> = mn["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["partnerships", "dialogues", "pledges", "organizations"],
        "types with records only, in the site's order"
    );
    // The check's own diagnostics come in the same document: the dialogue
    // that does not say what it translates is a warning.
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["file"], "content/dialogues/d1.mn.md");
    assert_eq!(diags[0]["severity"], "warning");
}

#[test]
fn human_output_lists_each_record_with_the_digest_to_paste() {
    let o = gazette(&fixture(), &["check", "--translations"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    let (doc, _) = json(&fixture());
    let mn = &doc["translations"][0];
    let digest = |kind: &str, id: &str| entry(mn, kind, id)["digest"].as_str().unwrap().to_string();
    assert!(
        out.starts_with("Translations into mn: 3 of 5 records translated, 1 up to date\n"),
        "{out}"
    );
    assert!(
        out.contains("\nMissing: no translation file yet (2):\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "  organizations/gov-a  content/organizations/gov-a.mn.md  translates: 0badc0de, now: {}\n",
            digest("organizations", "gov-a")
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "  dialogues/d1  content/dialogues/d1.mn.md  now: {}\n",
            digest("dialogues", "d1")
        )),
        "{out}"
    );
    assert!(
        out.contains("  total                5           3           1            1                1        2\n"),
        "{out}"
    );
    assert!(
        out.contains("paste it into the translation file as `translates: <digest>`"),
        "{out}"
    );
}

#[test]
fn the_printed_digest_makes_the_translation_current() {
    let t = tempfile::tempdir().unwrap();
    let site = copy(t.path());
    let (doc, _) = json(&site);
    let mn = &doc["translations"][0];
    let gov = entry(mn, "organizations", "gov-a")["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let d1 = entry(mn, "dialogues", "d1")["digest"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(gov, "0badc0de");
    let file = site.join("content/organizations/gov-a.mn.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("translates: 0badc0de", &format!("translates: {gov}")),
    )
    .unwrap();
    let file = site.join("content/dialogues/d1.mn.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("---\n", &format!("---\ntranslates: {d1}\n"), 1),
    )
    .unwrap();
    let (doc, code) = json(&site);
    assert_eq!(code, Some(0));
    let mn = &doc["translations"][0];
    assert!(in_state(mn, "out-of-date").is_empty(), "{mn}");
    assert!(in_state(mn, "version-unknown").is_empty(), "{mn}");
    assert_eq!(
        in_state(mn, "up-to-date"),
        ["partnerships/pp", "dialogues/d1", "organizations/gov-a"]
    );
    assert_eq!(doc["diagnostics"], serde_json::json!([]), "no warning left");
    // Changing the record's text puts its translation out of date again,
    // under a new digest.
    let file = site.join("content/organizations/gov-a.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("name: Government of A", "name: The Government of A"),
    )
    .unwrap();
    let (doc, _) = json(&site);
    let mn = &doc["translations"][0];
    assert_eq!(in_state(mn, "out-of-date"), ["organizations/gov-a"]);
    let now = entry(mn, "organizations", "gov-a");
    assert_eq!(now["translates"], gov.as_str());
    assert_ne!(now["digest"], gov.as_str());
}

#[test]
fn errors_of_the_check_exit_1_and_the_report_is_still_given() {
    let t = tempfile::tempdir().unwrap();
    let site = copy(t.path());
    // A fact in a translation is an error of the check.
    let file = site.join("content/organizations/gov-a.mn.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("---\n", "---\nkind: ngo\n", 1)).unwrap();
    let o = gazette(&site, &["check", "--translations"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("`kind` is a fact"), "{err}");
    assert!(err.contains("counted as missing"), "{err}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("organizations/gov-a"), "{out}");
    let (doc, code) = json(&site);
    assert_eq!(code, Some(1));
    assert!(
        in_state(&doc["translations"][0], "missing").contains(&"organizations/gov-a".to_string())
    );
}

#[test]
fn a_site_in_one_language_has_nothing_to_translate() {
    let site = common::repo().join("tests/fixtures/progress-site");
    let o = gazette(&site, &["check", "--translations"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("the site has one language, `en`: nothing to translate"),
        "{out}"
    );
    let (doc, code) = json(&site);
    assert_eq!(code, Some(0));
    assert_eq!(doc["translations"], serde_json::json!([]));
}
