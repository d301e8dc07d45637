//! `gazette new` beyond the sample: an id given with `--id` (needed for a
//! title with no Latin letters, such as a Mongolian one), and the skeleton
//! of a translation (`--lang mn --of ID`) that `check` reports until it is
//! translated and that is then up to date. On the English and Mongolian
//! fixture (`fixtures/translations-site/`).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 2026-03-05T00:00:00Z: `new` takes today from here.
const EPOCH: &str = "1772668800";

fn gazette(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run gazette")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the fixture to edit.
fn site(dir: &Path) -> PathBuf {
    let src = common::repo().join("tests/fixtures/translations-site");
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

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

/// The file `new` wrote (it prints its path) and its text.
fn written(o: &Output) -> (PathBuf, String) {
    assert!(o.status.success(), "{}", stderr(o));
    let path = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// `(file name, field)` of every "fill in" error of `check`.
fn fill_ins(root: &Path) -> Vec<(String, String)> {
    let o = gazette(root, &["check", "--format", "json"]);
    let diags: Value = serde_json::from_slice(&o.stdout).unwrap();
    diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().starts_with("fill in"))
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            (
                file.rsplit('/').next().unwrap().to_string(),
                d["field"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_title_with_no_latin_letters_needs_an_id() {
    let t = tempfile::tempdir().unwrap();
    let root = site(t.path());
    let dialogues = root.join("content/dialogues");
    let before = files_in(&dialogues);
    let title = "Анхны хоёр талт яриа хэлэлцээ";
    let o = gazette(&root, &["new", "dialogue", title]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "cannot make a file name from the title \"{title}\""
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "hint: give the id with --id, in Latin letters, e.g. `gazette new dialogue \"{title}\" --id 2021-11-19-first-bilateral-dialogue`"
        )),
        "{err}"
    );
    assert_eq!(files_in(&dialogues), before, "no file is written");
    // With --id the file is named by it, as given, and keeps the title.
    let o = gazette(
        &root,
        &[
            "new",
            "dialogue",
            title,
            "--id",
            "2021-11-19-first-bilateral-dialogue",
        ],
    );
    let (path, text) = written(&o);
    assert_eq!(
        path.file_name().unwrap(),
        "2021-11-19-first-bilateral-dialogue.md"
    );
    assert!(text.contains(&format!("title: \"{title}\"")), "{text}");
    // The same id again is refused.
    let o = gazette(
        &root,
        &[
            "new",
            "dialogue",
            title,
            "--id",
            "2021-11-19-first-bilateral-dialogue",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("already exists; choose another id"),
        "{}",
        stderr(&o)
    );
    // An id is checked as a file name is.
    let o = gazette(
        &root,
        &["new", "organization", "Засгийн газар", "--id", "Gov_B"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`--id Gov_B` is not a valid id")
            && stderr(&o).contains("try `--id gov-b`"),
        "{}",
        stderr(&o)
    );
    let o = gazette(
        &root,
        &["new", "organization", "Засгийн газар", "--id", "aux"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Windows device name AUX"),
        "{}",
        stderr(&o)
    );
    // A title whose id would be a device name gets a free one to suggest.
    let o = gazette(&root, &["new", "organization", "CON"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--id con-org"), "{}", stderr(&o));
    assert!(!root.join("content/organizations/con.md").exists());
}

#[test]
fn a_new_dialogue_names_the_only_partnership_even_when_it_is_translated() {
    let t = tempfile::tempdir().unwrap();
    let root = site(t.path());
    // content/partnerships holds pp.md and its translation pp.mn.md.
    let (_, text) = written(&gazette(&root, &["new", "dialogue", "Second dialogue"]));
    assert!(text.contains("partnership: pp\n"), "{text}");
}

#[test]
fn a_translation_skeleton_is_reported_until_translated_and_is_then_up_to_date() {
    let t = tempfile::tempdir().unwrap();
    let root = site(t.path());
    std::fs::remove_file(root.join("content/dialogues/d1.mn.md")).unwrap();
    // A person with a title and a role to translate, and a participant
    // with no role (nothing to translate).
    std::fs::create_dir_all(root.join("content/people")).unwrap();
    std::fs::write(
        root.join("content/people/ann.md"),
        "---\nname: Ann Example\nhonorific: Dr.\npositions:\n  - title: Minister of Justice\n    organization: gov-a\n---\n",
    )
    .unwrap();
    let d1 = root.join("content/dialogues/d1.md");
    let text = std::fs::read_to_string(&d1).unwrap().replace(
        "organizations: [gov-a, donor-b]\n",
        "participants:\n  - person: ann\n    role: Opening remarks\n  - person: ann\norganizations: [gov-a, donor-b]\n",
    );
    std::fs::write(&d1, text).unwrap();
    assert!(fill_ins(&root).is_empty());

    let (path, skeleton) = written(&gazette(
        &root,
        &["new", "dialogue", "--lang", "mn", "--of", "d1"],
    ));
    assert_eq!(path, root.join("content/dialogues/d1.mn.md"));
    // Text fields only, each under the record's own text; no fact.
    for fact in [
        "date:",
        "partnership:",
        "format:",
        "organizations:",
        "pledges:",
        "person:",
    ] {
        assert!(
            !skeleton.contains(&format!("\n{fact}")) && !skeleton.contains(&format!(" {fact}")),
            "{fact} in {skeleton}"
        );
    }
    assert!(
        skeleton.contains("# en: First dialogue\ntitle: FILL-IN\n"),
        "{skeleton}"
    );
    assert!(
        skeleton.contains("participants:\n  # en: Opening remarks\n  - role: FILL-IN\n  - ~"),
        "{skeleton}"
    );
    assert!(
        skeleton.contains("outcomes:\n  # en: The parties reviewed the first year.\n  - FILL-IN\n"),
        "{skeleton}"
    );
    let (_, person) = written(&gazette(
        &root,
        &[
            "new",
            "person",
            "Энн Экзампл",
            "--lang",
            "MN",
            "--of",
            "ann",
        ],
    ));
    assert!(
        person.contains("name: \"Энн Экзампл\"\n"),
        "the title given: {person}"
    );
    assert!(
        person.contains("# en: Dr.\nhonorific: FILL-IN\n"),
        "{person}"
    );
    assert!(
        person.contains("positions:\n  # en: Minister of Justice\n  - title: FILL-IN\n"),
        "{person}"
    );
    let mut fill = fill_ins(&root);
    fill.sort();
    let expected: Vec<(String, String)> = [
        ("ann.mn.md", "honorific"),
        ("ann.mn.md", "positions[0].title"),
        ("d1.mn.md", "outcomes[0]"),
        ("d1.mn.md", "participants[0].role"),
        ("d1.mn.md", "title"),
    ]
    .iter()
    .map(|(f, field)| (f.to_string(), field.to_string()))
    .collect();
    assert_eq!(fill, expected);
    // Translated, the site checks and both translations are up to date.
    let translate = |file: &str, pairs: &[(&str, &str)]| {
        let p = root.join(file);
        let mut text = std::fs::read_to_string(&p).unwrap();
        for (from, to) in pairs {
            assert!(text.contains(from), "{from} in {text}");
            text = text.replacen(from, to, 1);
        }
        std::fs::write(&p, text).unwrap();
    };
    translate(
        "content/dialogues/d1.mn.md",
        &[
            ("title: FILL-IN", "title: Анхны уулзалт"),
            ("role: FILL-IN", "role: Нээлтийн үг"),
            ("- FILL-IN", "- Талууд эхний жилийг хянан үзлээ."),
        ],
    );
    translate(
        "content/people/ann.mn.md",
        &[
            ("honorific: FILL-IN", "honorific: Доктор"),
            ("title: FILL-IN", "title: Хууль зүйн сайд"),
        ],
    );
    let o = gazette(&root, &["check", "--translations", "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let state = |kind: &str, id: &str| {
        doc["translations"][0]["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["type"] == kind && e["id"] == id)
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(state("dialogues", "d1"), "up-to-date");
    assert_eq!(state("people", "ann"), "up-to-date");
    // And the Mongolian page shows the translation.
    let out = t.path().join("out");
    let o = gazette(&root, &["build", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(out.join("mn/dialogues/d1/index.html")).unwrap();
    assert!(
        page.contains("Анхны уулзалт") && page.contains("Нээлтийн үг"),
        "{page}"
    );
}

#[test]
fn a_translation_skeleton_needs_a_language_and_a_record_the_site_has() {
    let t = tempfile::tempdir().unwrap();
    let root = site(t.path());
    let err = |args: &[&str]| {
        let o = gazette(&root, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        stderr(&o)
    };
    let e = err(&["new", "pledge", "--lang", "mm", "--of", "p1"]);
    assert!(
        e.contains(
            "`mm` is not one of the site's languages (did you mean `mn`?); expected one of: mn"
        ),
        "{e}"
    );
    let e = err(&["new", "pledge", "--lang", "en", "--of", "p1"]);
    assert!(e.contains("`en` is the site's default language"), "{e}");
    let e = err(&["new", "pledge", "--lang", "mn", "--of", "p2"]);
    assert!(
        e.contains("no pledge `p2` in content/pledges/; did you mean `p1`?"),
        "{e}"
    );
    let e = err(&["new", "organization", "--lang", "mn", "--of", "gov-a"]);
    assert!(e.contains("gov-a.mn.md already exists"), "{e}");
    let e = err(&["new", "pledge", "--of", "p1"]);
    assert!(e.contains("--lang"), "{e}");
    assert!(!root.join("content/pledges/p1.mm.md").exists());
    assert!(!root.join("content/pledges/p1.en.md").exists());
}
