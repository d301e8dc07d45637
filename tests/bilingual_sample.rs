//! The sample site in two languages: English, the records' own, at the
//! root, and Mongolian under `/mn/` from the translation files beside the
//! records (`x.mn.md`). A translated record shows its Mongolian text there
//! and only there; a record left untranslated shows its English text.

mod common;

use common::repo;
use gazette::model::translation::digest;
use gazette::model::Kind;
use std::path::Path;
use std::process::Command;

/// The dialogue's title in `content/dialogues/2021-11-19-first-bilateral-dialogue.mn.md`.
const DIALOGUE_MN: &str = "CPC түншлэлийн хоёр талын анхдугаар яриа хэлэлцээ";

/// The records the sample leaves untranslated on purpose, so that the
/// Mongolian edition shows the "not translated" case.
const UNTRANSLATED: [(Kind, &str); 4] = [
    (Kind::Organization, "talita-asia"),
    (Kind::Organization, "beautiful-hearts"),
    (Kind::Organization, "unbound-mongolia"),
    (
        Kind::Organization,
        "office-to-monitor-and-combat-trafficking-in-persons",
    ),
];

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_mongolian_edition_shows_translations_and_english_where_there_is_none() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(repo())
        .args(["build", "--output"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let mn = page(
        &out,
        "mn/dialogues/2021-11-19-first-bilateral-dialogue/index.html",
    );
    assert!(
        mn.contains(DIALOGUE_MN),
        "no Mongolian title on the /mn/ page"
    );
    // Talita Asia has no translation: its /mn/ page exists, in English.
    let talita = page(&out, "mn/organizations/talita-asia/index.html");
    assert!(
        talita.contains("Talita Asia"),
        "no English name on the /mn/ page"
    );
    // The English edition is the records' own text.
    let en = page(
        &out,
        "dialogues/2021-11-19-first-bilateral-dialogue/index.html",
    );
    assert!(en.contains("First CPC Partnership Bilateral Dialogue"));
    assert!(
        !en.contains(DIALOGUE_MN),
        "Mongolian title on the English page"
    );
}

/// On a Mongolian page, English text that is not a record's untranslated
/// text says so too (`lang="en"`, for screen readers): the site's name and
/// description (gazette.yaml gives them in English only), the licence's
/// name, and sources, which are facts and never translated: a document's
/// title and every quote. A source that is a translated record is not.
#[test]
fn english_facts_and_settings_on_mongolian_pages_are_marked_english() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(repo())
        .args(["build", "--output"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let home = page(&out, "mn/index.html");
    for marked in [
        "<a class=\"site-title\" href=\"/mn/\" aria-current=\"page\" lang=\"en\">US–Mongolia",
        "<h1 lang=\"en\">US–Mongolia",
        "<p class=\"lede\" lang=\"en\">Records of",
        "<p><a href=\"/mn/\" lang=\"en\">US–Mongolia",
    ] {
        assert!(home.contains(marked), "no {marked} on mn/index.html");
    }
    let grant = page(&out, "mn/grants/cpc-consortium-grant/index.html");
    assert!(grant.contains("<cite lang=\"en\">Press release, “United States"));
    assert!(grant.contains("<blockquote class=\"quote\" lang=\"en\">“In 2020"));
    assert!(grant.contains(&format!(
        "<a href=\"/mn/dialogues/2021-11-19-first-bilateral-dialogue/\">{DIALOGUE_MN}</a><blockquote class=\"quote\" lang=\"en\">“Dr. Johnstone"
    )));
    for data in ["mn/data/index.html", "mn/data/dictionary/index.html"] {
        assert!(
            page(&out, data).contains("rel=\"license\" lang=\"en\">U.S. Government Work"),
            "{data}"
        );
    }
    // English pages say nothing of the kind.
    let grant = page(&out, "grants/cpc-consortium-grant/index.html");
    assert!(
        grant.contains("<cite>Press release")
            && grant.contains("<blockquote class=\"quote\">“In 2020")
    );
    assert!(!page(&out, "index.html").contains("lang=\"en\">US–Mongolia"));
    assert!(page(&out, "data/index.html").contains("rel=\"license\">U.S. Government Work"));
}

/// Every record but the four left out on purpose has a Mongolian
/// translation, marked unofficial and naming the digest of the record's
/// text now: when an English record changes, this fails until its
/// translation is brought up to date (or its `translates:` is).
#[test]
fn every_sample_translation_is_unofficial_and_up_to_date() {
    let checked = gazette::site::check(&repo());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let graph = checked.graph.expect("the sample's graph");
    let translations = graph.translations();
    for e in &graph.entities {
        let (kind, id) = (e.meta.kind, e.meta.id.as_str());
        let found: Vec<_> = translations
            .iter()
            .filter(|t| t.kind == kind && t.id == id)
            .collect();
        if UNTRANSLATED.contains(&(kind, id)) {
            assert!(found.is_empty(), "{id} is meant to stay untranslated");
            continue;
        }
        let [t] = found[..] else {
            panic!("{id}: {} translations, expected one", found.len())
        };
        assert_eq!(t.lang, "mn", "{}", t.file);
        assert!(t.unofficial, "{}: not marked `unofficial: true`", t.file);
        assert_eq!(
            t.translates.as_deref(),
            Some(digest(e).as_str()),
            "{}: `translates:` is not the digest of the record's text now",
            t.file
        );
    }
}
