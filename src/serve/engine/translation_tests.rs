//! The engine after edits to translation files: the output must equal a
//! clean build, the open data (which carries every language's text) and
//! the pages that say where a record's text stands included.

use super::Engine;
use crate::site;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type Files = BTreeMap<String, Vec<u8>>;

/// A copy of the sample site, in English and Mongolian.
fn sample_site() -> tempfile::TempDir {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(repo.join("content")) {
        let e = e.unwrap();
        let to = dir.path().join(e.path().strip_prefix(&repo).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    std::fs::copy(repo.join("gazette.yaml"), dir.path().join("gazette.yaml")).unwrap();
    dir
}

fn clean(root: &Path) -> Files {
    let built = site::render(root);
    assert!(
        !built.checked.has_errors(),
        "{:?}",
        built.checked.diagnostics
    );
    built
        .files
        .expect("a clean build")
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

fn files_of(e: &Engine) -> Files {
    e.files()
        .iter()
        .map(|(p, b)| (p.clone(), b.to_vec()))
        .collect()
}

fn differences<'a>(a: &'a Files, b: &'a Files) -> Vec<&'a String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .collect()
}

/// Apply `edit` to `file` under the site, let the engine catch up, and
/// compare with a clean build; returns the files the edit changed.
fn edit_and_compare(file: &str, edit: impl Fn(&str) -> String) -> Vec<String> {
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    let before = files_of(&engine);
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let new = edit(&text);
    assert_ne!(new, text, "the edit changes {file}");
    std::fs::write(&path, new).unwrap();
    engine.apply(&[path]);
    assert!(!engine.has_errors(), "{:?}", engine.diagnostics());
    engine.finish();
    let got = files_of(&engine);
    let expected = clean(root);
    assert!(
        got == expected,
        "{file}: differ in {:?}",
        differences(&got, &expected)
    );
    differences(&before, &got).into_iter().cloned().collect()
}

#[test]
fn a_translated_name_reaches_the_json_and_every_table_that_names_the_record() {
    let changed = edit_and_compare("content/organizations/world-vision.mn.md", |t| {
        t.replace(
            "name: Дэлхийн зөн",
            "name: Дэлхийн зөн олон улсын байгууллага",
        )
    });
    for f in [
        "organizations/world-vision/index.json",
        "data/graph.json",
        "data/organizations.csv",
        "data/grant-recipients.csv",
        "data/references.csv",
        "mn/organizations/world-vision/index.html",
    ] {
        assert!(changed.iter().any(|c| c == f), "{f} not in {changed:?}");
    }
    // English pages and the files in English alone stay.
    assert!(!changed
        .iter()
        .any(|c| c == "organizations/world-vision/index.html"));
    assert!(!changed.iter().any(|c| c == "data/360giving.json"));
}

#[test]
fn an_item_translated_by_the_record_s_own_words_still_reaches_the_data() {
    // Pages show the same words either way; the JSON and the tables say
    // whether the translation gives them.
    let english = "Acting Director of the Office to Monitor and Combat Trafficking in Persons";
    let changed = edit_and_compare("content/people/kari-johnstone.mn.md", |t| {
        let start = t.find("  - title: ").unwrap();
        let end = start + t[start..].find('\n').unwrap();
        format!("{}  - title: {english}{}", &t[..start], &t[end..])
    });
    for f in [
        "people/kari-johnstone/index.json",
        "data/graph.json",
        "data/positions.csv",
    ] {
        assert!(changed.iter().any(|c| c == f), "{f} not in {changed:?}");
    }
}

#[test]
fn a_translation_made_official_changes_its_pages_and_its_json() {
    let changed = edit_and_compare("content/organizations/world-vision.mn.md", |t| {
        t.replace("unofficial: true\n", "")
    });
    for f in [
        "organizations/world-vision/index.json",
        "mn/organizations/world-vision/index.html",
    ] {
        assert!(changed.iter().any(|c| c == f), "{f} not in {changed:?}");
    }
}

#[test]
fn an_english_edit_marks_the_translation_out_of_date_on_its_pages_and_json() {
    let changed = edit_and_compare("content/organizations/world-vision.md", |t| {
        t.replace("name: World Vision", "name: World Vision International")
    });
    for f in [
        "organizations/world-vision/index.json",
        "mn/organizations/world-vision/index.html",
        "data/organizations.csv",
    ] {
        assert!(changed.iter().any(|c| c == f), "{f} not in {changed:?}");
    }
}
