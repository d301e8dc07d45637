//! Open data in every language of the bilingual sample: each record's JSON
//! (twin and `graph.json`) keeps its English text where it was and carries
//! its Mongolian translation under `translations.mn`, only where there is
//! one; each CSV column of the records' text has a `_mn` column beside it,
//! empty where there is no translation, which `csv-metadata.json`
//! describes with `lang: mn`. A site in one language publishes what it
//! did before: no `_mn` column, no `translations`.

mod common;

use common::{copy_sample, repo};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const DIALOGUE: &str = "2021-11-19-first-bilateral-dialogue";

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

/// A front matter field of a content file of the sample, as YAML reads it.
fn front(file: &str, field: &str) -> String {
    let text = std::fs::read_to_string(repo().join("content").join(file)).unwrap();
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map(|(f, _)| f)
        .unwrap_or_else(|| panic!("{file}: no front matter"));
    let v: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{file}: no {field}"))
        .to_string()
}

/// A CSV file as its header and rows, read with the `csv` crate.
fn table(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), header.len(), "{}: row width", path.display());
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

fn row<'a>(
    rows: &'a [BTreeMap<String, String>],
    col: &str,
    id: &str,
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r[col] == id)
        .unwrap_or_else(|| panic!("no row with {col} = {id}"))
}

#[test]
fn each_record_s_json_carries_its_translation_beside_its_own_text() {
    let (_t, out) = sample();
    let twin = json(&out.join(format!("dialogues/{DIALOGUE}/index.json")));
    // The record's own keys keep the English text.
    assert_eq!(
        twin["fields"]["title"],
        front(&format!("dialogues/{DIALOGUE}.md"), "title")
    );
    let mn = &twin["translations"]["mn"];
    assert_eq!(
        mn["fields"]["title"],
        front(&format!("dialogues/{DIALOGUE}.mn.md"), "title")
    );
    assert_eq!(mn["unofficial"], true);
    assert_eq!(mn["outdated"], false);
    // Only what the translation gives: roles and outcomes, by position,
    // as many as the record has; no facts.
    let roles = mn["fields"]["participants"].as_array().unwrap();
    assert_eq!(
        roles.len(),
        twin["fields"]["participants"].as_array().unwrap().len()
    );
    assert!(roles
        .iter()
        .all(|r| r.as_object().unwrap().keys().eq(["role"])));
    assert!(mn["fields"].get("date").is_none());
    assert!(mn["fields"].get("pledges").is_none());
    assert!(mn["body_markdown"]
        .as_str()
        .unwrap()
        .contains("CPC түншлэлийн"));
    // Talita Asia has no Mongolian translation: no entry, never its
    // English name under `mn`.
    let talita = json(&out.join("organizations/talita-asia/index.json"));
    assert_eq!(talita["fields"]["name"], "Talita Asia");
    assert_eq!(talita["translations"], serde_json::json!({}));
    // graph.json holds the same records, and says which languages there are.
    let graph = json(&out.join("data/graph.json"));
    assert_eq!(graph["site"]["languages"], serde_json::json!(["en", "mn"]));
    let entities = graph["entities"].as_array().unwrap();
    let in_graph = |id: &str| entities.iter().find(|e| e["id"] == id).unwrap();
    assert_eq!(in_graph(DIALOGUE), &twin);
    assert_eq!(in_graph("talita-asia"), &talita);
    assert!(in_graph("talita-asia")["translations"].get("mn").is_none());
}

#[test]
fn each_text_column_has_a_mongolian_column_beside_it_empty_where_untranslated() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_sample(&site);
    // One pledge loses its translation.
    let gone = "make-combating-trafficking-a-higher-priority";
    std::fs::remove_file(site.join(format!("content/pledges/{gone}.mn.md"))).unwrap();
    let out = t.path().join("out");
    build(&site, &out);
    let (header, pledges) = table(&out.join("data/pledges.csv"));
    let at = |c: &str| header.iter().position(|h| h == c).unwrap();
    assert_eq!(at("title_mn"), at("title") + 1);
    assert_eq!(at("made_by_name_mn"), at("made_by_name") + 1);
    let id = "establish-multidisciplinary-task-force";
    let p = row(&pledges, "id", id);
    assert_eq!(p["title"], front(&format!("pledges/{id}.md"), "title"));
    assert_eq!(
        p["title_mn"],
        front(&format!("pledges/{id}.mn.md"), "title")
    );
    assert_eq!(
        p["made_by_name_mn"],
        front("organizations/government-of-mongolia.mn.md", "name")
    );
    let untranslated = row(&pledges, "id", gone);
    assert!(!untranslated["title"].is_empty());
    assert_eq!(untranslated["title_mn"], "");
    // Codes and ids are the same in every language: no `_mn` column.
    assert!(!header.iter().any(|h| h == "status_mn" || h == "id_mn"));
    // An organization with no translation: its English name, nothing in
    // Mongolian, wherever it is named.
    let (_, orgs) = table(&out.join("data/organizations.csv"));
    assert_eq!(row(&orgs, "id", "talita-asia")["name_mn"], "");
    assert_eq!(
        row(&orgs, "id", "world-vision")["name_mn"],
        front("organizations/world-vision.mn.md", "name")
    );
    let (_, recipients) = table(&out.join("data/grant-recipients.csv"));
    let talita = row(&recipients, "organization", "talita-asia");
    assert_eq!(talita["organization_name"], "Talita Asia");
    assert_eq!(talita["organization_name_mn"], "");
}

#[test]
fn csv_metadata_and_the_dictionary_describe_each_language_column() {
    let (_t, out) = sample();
    let meta = json(&out.join("data/csv-metadata.json"));
    let pledges = meta["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["url"] == "pledges.csv")
        .unwrap();
    let columns = pledges["tableSchema"]["columns"].as_array().unwrap();
    let col = |name: &str| columns.iter().find(|c| c["name"] == name).unwrap();
    let title_mn = col("title_mn");
    assert_eq!(title_mn["lang"], "mn");
    assert_eq!(title_mn["required"], false);
    assert_eq!(title_mn["datatype"], "string");
    assert_eq!(
        title_mn["dc:description"],
        "The same as title, in Монгол (mn), from the records' translations; empty where a record has no translation of it."
    );
    assert!(col("title").get("lang").is_none());
    assert_eq!(col("title")["required"], true);
    // The same words for people, in each language's dictionary.
    let en = std::fs::read_to_string(out.join("data/dictionary/index.html")).unwrap();
    assert!(en.contains("<code>title_mn</code>"));
    assert!(en.contains("The same as title, in Монгол (mn)"));
    let mn = std::fs::read_to_string(out.join("mn/data/dictionary/index.html")).unwrap();
    assert!(mn.contains("title баганын агуулга Монгол (mn) хэлээр"));
}

#[test]
fn a_site_in_one_language_publishes_the_tables_and_json_it_did_before() {
    let t = tempfile::tempdir().unwrap();
    let one = t.path().join("one");
    copy_sample(&one);
    let config = one.join("gazette.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace("languages:\n  default: en\n  others: [mn]\n", "");
    assert!(
        !text.contains("others:"),
        "the sample's languages block moved"
    );
    std::fs::write(&config, text).unwrap();
    for e in walkdir::WalkDir::new(one.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_name().to_string_lossy().ends_with(".mn.md") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let out_one = t.path().join("out-one");
    build(&one, &out_one);
    let (_t2, out_two) = sample();
    let mut tables = 0;
    for e in std::fs::read_dir(out_one.join("data"))
        .unwrap()
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy().to_string();
        if !name.ends_with(".csv") {
            continue;
        }
        tables += 1;
        let (header, rows) = table(&e.path());
        assert!(
            !header.iter().any(|h| h.ends_with("_mn")),
            "{name}: {header:?}"
        );
        // The bilingual site's table without its Mongolian columns.
        let (two_header, two_rows) = table(&out_two.join("data").join(&name));
        let kept: Vec<String> = two_header
            .into_iter()
            .filter(|h| !h.ends_with("_mn"))
            .collect();
        assert_eq!(header, kept, "{name}");
        let two_rows: Vec<BTreeMap<String, String>> = two_rows
            .into_iter()
            .map(|r| r.into_iter().filter(|(k, _)| !k.ends_with("_mn")).collect())
            .collect();
        assert_eq!(rows, two_rows, "{name}");
    }
    assert_eq!(tables, 14);
    // The columns as they always were.
    let pledges = std::fs::read_to_string(out_one.join("data/pledges.csv")).unwrap();
    assert!(pledges.starts_with(
        "id,title,partnership,partnership_title,made_by,made_by_name,objectives,made,made_start,made_end,made_precision,dialogue,dialogue_title,due,due_start,due_end,due_precision,status,status_label,progress_entries,url\r\n"
    ));
    let meta = std::fs::read_to_string(out_one.join("data/csv-metadata.json")).unwrap();
    assert!(!meta.contains("\"lang\""));
    let twin = json(&out_one.join(format!("dialogues/{DIALOGUE}/index.json")));
    assert!(twin.get("translations").is_none());
    let graph = json(&out_one.join("data/graph.json"));
    assert!(graph["site"].get("languages").is_none());
}

#[test]
fn the_catalogue_lists_every_language_of_the_files_that_carry_them() {
    let (_t, out) = sample();
    let catalog = json(&out.join("data.json"));
    let languages: BTreeMap<String, Value> = catalog["dataset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["distribution"][0]["title"].as_str().unwrap().to_string();
            (file, d["language"].clone())
        })
        .collect();
    let both = serde_json::json!(["en", "mn"]);
    let english = serde_json::json!(["en"]);
    for f in ["graph.json", "pledges.csv", "iati-activities.xml"] {
        assert_eq!(languages[f], both, "{f}");
    }
    // 360Giving has one description per grant, the default language's;
    // the CSV metadata's words and the root feed are in English.
    for f in ["360giving.json", "csv-metadata.json", "atom.xml"] {
        assert_eq!(languages[f], english, "{f}");
    }
}
