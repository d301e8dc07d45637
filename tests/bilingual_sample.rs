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
    // The sample names itself in Mongolian (`title: {en: …, mn: …}`), so
    // its name is in the page's language there: no `lang` (a language with
    // no name of its own gets the default's, marked: see
    // `the_title_in_another_language_says_when_it_falls_back`).
    let home = page(&out, "mn/index.html");
    for shown in [
        "<a class=\"site-title\" href=\"/mn/\" aria-current=\"page\">АНУ–Монголын",
        "<h1>АНУ–Монголын",
        "<p class=\"lede\">Америкийн Нэгдсэн Улс",
        "<p><a href=\"/mn/\">АНУ–Монголын",
    ] {
        assert!(home.contains(shown), "no {shown} on mn/index.html");
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

/// The sample built once into a temporary folder.
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
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
    (tmp, out)
}

#[test]
fn dates_and_money_are_cldrs_in_each_language() {
    use gazette::locale::Locale;
    use gazette::model::{Currency, Money, PartialDate};
    let (_t, out) = built();
    let usd = Currency::parse("USD").unwrap();
    let (Ok(award), Ok(total)) = (Money::parse("5000000", usd), Money::parse("5500000", usd))
    else {
        panic!("fixed amounts parse")
    };
    for (lang, dir) in [("en", ""), ("mn", "mn/")] {
        let l = Locale::new(lang);
        let date = |s: &str| l.date(&PartialDate::parse(s).unwrap());
        // A full date, a month and a year, each in its <time>.
        let dialogue = page(
            &out,
            &format!("{dir}dialogues/2021-11-19-first-bilateral-dialogue/index.html"),
        );
        let full = format!(
            "<time datetime=\"2021-11-19\">{}</time>",
            date("2021-11-19")
        );
        assert!(dialogue.contains(&full), "{lang}: {full}");
        let pledge = page(
            &out,
            &format!("{dir}pledges/expand-support-for-shelters/index.html"),
        );
        let month = format!("<time datetime=\"2020-04\">{}</time>", date("2020-04"));
        assert!(pledge.contains(&month), "{lang}: {month}");
        let grant = page(
            &out,
            &format!("{dir}grants/cpc-consortium-grant/index.html"),
        );
        let year = format!("<time datetime=\"2020\">{}</time>", date("2020"));
        assert!(grant.contains(&year), "{lang}: {year}");
        // Money with its currency, as CLDR writes it in the language.
        for m in [&award, &total] {
            assert!(grant.contains(&l.money(m)), "{lang}: {}", l.money(m));
        }
    }
    // The two languages really differ: not English under another name.
    let (en, mn) = (Locale::new("en"), Locale::new("mn"));
    let d = PartialDate::parse("2021-11-19").unwrap();
    assert_ne!(en.date(&d), mn.date(&d));
    assert_eq!(en.money(&total), "$5,500,000");
}

#[test]
fn an_untranslated_record_says_so_and_marks_its_english() {
    let (_t, out) = built();
    let talita = page(&out, "mn/organizations/talita-asia/index.html");
    let strings: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(repo().join("themes/default/strings/mn.yaml")).unwrap(),
    )
    .unwrap();
    let notice = strings["untranslated_notice"].as_str().unwrap();
    assert!(talita.contains(notice), "no notice in Mongolian");
    assert!(
        talita.contains("<h1 lang=\"en\">Talita Asia</h1>"),
        "the English name is not marked"
    );
    assert!(talita.contains("<html lang=\"mn\" dir=\"ltr\">"));
    // A translated record: no such notice, its title in the page's language.
    let dialogue = page(
        &out,
        "mn/dialogues/2021-11-19-first-bilateral-dialogue/index.html",
    );
    assert!(!dialogue.contains(notice));
    assert!(dialogue.contains(&format!("<h1>{DIALOGUE_MN}</h1>")));
    // Links to an untranslated record carry its language too.
    let grant = page(&out, "mn/grants/cpc-consortium-grant/index.html");
    assert!(
        grant.contains("lang=\"en\">Talita Asia</a>"),
        "link to an untranslated record without lang"
    );
}

#[test]
fn every_page_names_its_versions_in_every_language() {
    let (_t, out) = built();
    let rel = "dialogues/2021-11-19-first-bilateral-dialogue/";
    let en_url = format!("https://example.org/{rel}");
    let mn_url = format!("https://example.org/mn/{rel}");
    for file in [format!("{rel}index.html"), format!("mn/{rel}index.html")] {
        let html = page(&out, &file);
        for (lang, url) in [("en", &en_url), ("mn", &mn_url), ("x-default", &en_url)] {
            let link = format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{url}\">");
            assert!(html.contains(&link), "{file}: {link}");
        }
        // The switcher leads to the same record in the other language.
        assert!(
            html.contains(&format!("href=\"/{rel}\" hreflang=\"en\" lang=\"en\"")),
            "{file}"
        );
        assert!(
            html.contains(&format!("href=\"/mn/{rel}\" hreflang=\"mn\" lang=\"mn\"")),
            "{file}"
        );
    }
    let sitemap = page(&out, "sitemap.xml");
    assert!(sitemap.contains(&format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"mn\" href=\"{mn_url}\"/>"
    )));
    // Each language has its own feed, in its language.
    let feed = page(&out, "mn/atom.xml");
    assert!(feed.contains("xml:lang=\"mn\""));
    assert!(feed.contains(DIALOGUE_MN));
}
