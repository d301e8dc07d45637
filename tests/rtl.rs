//! A site in a right-to-left language: `tests/fixtures/rtl-site/`, in
//! English and Arabic. Its Arabic pages say so (`<html lang="ar"
//! dir="rtl">`) and write dates and money as CLDR does for `ar`, which is
//! asked of ICU4X here (`gazette::locale::Locale`) rather than guessed.
//! How the pages look in a browser (mirrored layout, axe-core) is in
//! `browser_rtl.rs`.

mod common;

use common::repo;
use gazette::locale::Locale;
use gazette::model::{Currency, Money, PartialDate};
use std::path::{Path, PathBuf};
use std::process::Command;

fn build(out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(fixture())
        .args(["build", "--output"])
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    assert!(
        o.status.success(),
        "building the rtl fixture failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/rtl-site")
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn date(s: &str) -> PartialDate {
    PartialDate::parse(s).unwrap()
}

fn usd(amount: &str) -> Money {
    Money::parse(amount, Currency::parse("USD").unwrap()).unwrap()
}

/// Every HTML page of the build under `dir` ('' for all), as paths from `out`.
fn pages(out: &Path, dir: &str) -> Vec<String> {
    walkdir::WalkDir::new(out.join(dir))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn arabic_pages_are_right_to_left_and_english_ones_left_to_right() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out);
    let arabic = pages(&out, "ar");
    assert!(arabic.len() > 15, "{arabic:?}");
    for rel in &arabic {
        assert!(
            page(&out, rel).contains("<html lang=\"ar\" dir=\"rtl\">"),
            "{rel}"
        );
    }
    let english: Vec<String> = pages(&out, "")
        .into_iter()
        .filter(|p| !p.starts_with("ar/"))
        .collect();
    assert!(english.len() > 15, "{english:?}");
    for rel in &english {
        assert!(
            page(&out, rel).contains("<html lang=\"en\" dir=\"ltr\">"),
            "{rel}"
        );
    }
    // The site's name in Arabic from gazette.yaml; its description, in
    // English only, is marked so.
    let home = page(&out, "ar/index.html");
    assert!(
        home.contains("<h1>سجلات شراكة المياه النظيفة</h1>"),
        "{home}"
    );
    assert!(home.contains("<p class=\"lede\" lang=\"en\">Records of an invented"));
}

#[test]
fn arabic_pages_write_dates_and_money_as_cldr_does_for_arabic() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out);
    let (ar, en) = (Locale::new("ar"), Locale::new("en"));
    assert_eq!(ar.fallback(), None);
    // Each fact as the records give it: full dates, a month, a year, and an
    // amount with cents.
    let facts: [(&str, &str, Vec<String>); 5] = [
        (
            "partnerships/clean-water/index.html",
            "signed",
            vec![format!(
                "<time datetime=\"2022-03-15\">{}</time>",
                ar.date(&date("2022-03-15"))
            )],
        ),
        (
            "dialogues/2023-05-09-first-dialogue/index.html",
            "held",
            vec![format!(
                "<time datetime=\"2023-05-09\">{}</time>",
                ar.date(&date("2023-05-09"))
            )],
        ),
        (
            "pledges/drill-twenty-wells/index.html",
            "due",
            vec![format!(
                "<time datetime=\"2024\">{}</time>",
                ar.date(&date("2024"))
            )],
        ),
        (
            "people/amal-haddad/index.html",
            "position from",
            vec![format!(
                "<time datetime=\"2021-01\">{}</time>",
                ar.date(&date("2021-01"))
            )],
        ),
        (
            "grants/wells-grant/index.html",
            "award, tranche and total",
            vec![
                format!(
                    "<time datetime=\"2022-06-01\">{}</time>",
                    ar.date(&date("2022-06-01"))
                ),
                format!(
                    "<span class=\"money\">{}</span>",
                    ar.money(&usd("1250000.50"))
                ),
                format!("<span class=\"money\">{}</span>", ar.money(&usd("250000"))),
                format!(
                    "<span class=\"money\">{}</span>",
                    ar.money(&usd("1500000.50"))
                ),
            ],
        ),
    ];
    for (rel, what, wants) in &facts {
        let arabic = page(&out, &format!("ar/{rel}"));
        for want in wants {
            assert!(
                arabic.contains(want.as_str()),
                "ar/{rel}: no {want} ({what})"
            );
        }
    }
    // The English pages keep English forms, which differ: the Arabic ones
    // are not English ones by accident.
    let grant = page(&out, "grants/wells-grant/index.html");
    let en_money = en.money(&usd("1250000.50"));
    assert!(grant.contains(&format!("<span class=\"money\">{en_money}</span>")));
    assert_ne!(en_money, ar.money(&usd("1250000.50")));
    let signed = en.date(&date("2022-03-15"));
    assert!(page(&out, "partnerships/clean-water/index.html").contains(&signed));
    assert_ne!(signed, ar.date(&date("2022-03-15")));
    assert!(!page(&out, "ar/partnerships/clean-water/index.html").contains(&signed));
}
