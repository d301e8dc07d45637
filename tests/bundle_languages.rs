//! Bundles of some of a site's languages (`gazette bundle --lang`), on the
//! English and Mongolian fixture (`fixtures/translations-site/`): only the
//! pages of the languages chosen, the shared open data and static files,
//! a root page that leads to the chosen language, no link out of the
//! bundle, a manifest that verifies, and a clear error for a language the
//! site does not have.

mod common;

use common::{repo, unzip};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/translations-site")
}

fn gazette(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1637280000")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Bundle the fixture into `zip` with `extra` arguments.
fn bundle(zip: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<std::ffi::OsString> = vec![
        "--root".into(),
        fixture().into_os_string(),
        "bundle".into(),
        "-o".into(),
        zip.as_os_str().to_owned(),
    ];
    args.extend(extra.iter().map(|a| a.into()));
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    gazette(&args)
}

fn bundled(zip: &Path, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let o = bundle(zip, extra);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let root = unzip(zip, &zip.with_extension("d"));
    let o = gazette(&["verify".as_ref(), root.as_os_str()]);
    assert!(
        o.status.success(),
        "the unzipped bundle verifies: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let o = gazette(&["verify".as_ref(), zip.as_os_str()]);
    assert!(o.status.success(), "the zip verifies");
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&root).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Where reference `r` on page `page` leads, from the bundle's root; `None`
/// for a fragment, a mail address, or a reference that climbs out.
fn target(page: &str, r: &str) -> Option<String> {
    if r.starts_with('#') || r.starts_with("mailto:") {
        return None;
    }
    let mut p: Vec<&str> = page.split('/').collect();
    p.pop();
    for seg in r.split(['#', '?']).next().unwrap().split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                p.pop()?;
            }
            s => p.push(s),
        }
    }
    Some(p.join("/"))
}

/// Every `href` and `src` of every page that does not lead to a file of
/// the bundle, as `page -> reference`; and how many were followed.
fn dangling(all: &BTreeMap<String, Vec<u8>>) -> (Vec<String>, usize) {
    let mut bad = Vec::new();
    let mut checked = 0;
    for (path, bytes) in all.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let r = part[..part.find('"').unwrap()].replace("&amp;", "&");
                assert!(
                    !r.starts_with("http:") && !r.starts_with("https:") && !r.starts_with('/'),
                    "{path}: {r} leaves the bundle"
                );
                let Some(t) = target(path, &r) else {
                    continue;
                };
                checked += 1;
                if !all.contains_key(&t) {
                    bad.push(format!("{path} -> {r}"));
                }
            }
        }
    }
    (bad, checked)
}

#[test]
fn a_mongolian_bundle_holds_only_mongolian_pages_and_the_shared_files() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("mn.zip");
    let all = bundled(&zip, &["--lang", "mn"]);
    let pages: Vec<&String> = all.keys().filter(|p| p.ends_with(".html")).collect();
    // No English page: every page is under mn/ but the root's entrance.
    let english: Vec<&&String> = pages
        .iter()
        .filter(|p| !p.starts_with("mn/") && p.as_str() != "index.html")
        .collect();
    assert!(
        english.is_empty(),
        "English pages in the bundle: {english:?}"
    );
    for gone in ["search-index.js", "search/text-0.js", "404.html"] {
        assert!(!all.contains_key(gone), "{gone} is the English edition's");
    }
    for page in [
        "mn/index.html",
        "mn/404.html",
        "mn/partnerships/pp/index.html",
        "mn/partnerships/pp/briefing/index.html",
        "mn/organizations/gov-a/index.html",
        "mn/pledges/p1/index.html",
        "mn/dialogues/d1/index.html",
        "mn/data/index.html",
        "mn/search/index.html",
        "mn/search-index.js",
    ] {
        assert!(all.contains_key(page), "{page} is missing");
    }
    // The shared files stay: the open data, the records' JSON, the theme's
    // static files, the manifest.
    for shared in [
        "data/graph.json",
        "data/pledges.csv",
        "pledges/p1/index.json",
        "style.css",
        "search.js",
        "MANIFEST.sha256",
    ] {
        assert!(all.contains_key(shared), "{shared} is missing");
    }
    let partnership = String::from_utf8_lossy(&all["mn/partnerships/pp/index.html"]);
    assert!(
        partnership.contains("Хүүхэд хамгааллын түншлэл"),
        "{partnership}"
    );
    // An untranslated record's English text says so, though the bundle
    // holds no English page.
    let pledge = String::from_utf8_lossy(&all["mn/pledges/p1/index.html"]);
    assert!(
        pledge.contains("<h1 lang=\"en\">Open two shelters</h1>"),
        "{pledge}"
    );
    // The root leads to the Mongolian home page, over file:// with no script.
    let entrance = String::from_utf8_lossy(&all["index.html"]);
    assert!(
        entrance.contains("<html lang=\"mn\" dir=\"ltr\">"),
        "{entrance}"
    );
    // The site's name is English only (gazette.yaml): marked as English.
    assert!(
        entrance.contains("<h1 lang=\"en\">Translations fixture</h1>"),
        "{entrance}"
    );
    assert!(
        entrance.contains("<meta http-equiv=\"refresh\" content=\"0; url=mn/index.html\">"),
        "{entrance}"
    );
    assert!(entrance.contains("<a href=\"mn/index.html\""), "{entrance}");
    assert!(entrance.contains("Content-Security-Policy"), "{entrance}");
    assert!(!entrance.contains("<script"), "{entrance}");
    let (bad, checked) = dangling(&all);
    assert!(
        bad.is_empty(),
        "links that leave the bundle's files: {bad:#?}"
    );
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn a_bundle_of_the_default_language_keeps_its_pages_at_the_root() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("en.zip");
    let all = bundled(&zip, &["--lang", "EN"]);
    assert!(!all.keys().any(|p| p.starts_with("mn/")));
    let home = String::from_utf8_lossy(&all["index.html"]);
    assert!(
        !home.contains("http-equiv=\"refresh\""),
        "the real home page"
    );
    assert!(all.contains_key("partnerships/pp/index.html"));
    assert!(all.contains_key("search-index.js"));
    let (bad, _) = dangling(&all);
    assert!(bad.is_empty(), "{bad:#?}");
    // Both languages, named with commas, are the whole site.
    let both = bundled(&t.path().join("both.zip"), &["--lang", "mn,en"]);
    let whole = bundled(&t.path().join("whole.zip"), &[]);
    assert_eq!(both, whole);
}

#[test]
fn the_language_switcher_lists_only_the_languages_in_the_bundle() {
    let checked = gazette::site::check(&fixture());
    let (Some(mut config), Some(graph), Some(theme)) =
        (checked.config, checked.graph, checked.theme)
    else {
        panic!("the fixture loads");
    };
    let chosen = gazette::bundle::languages::select(&config, &["mn".into()]).unwrap();
    config.bundle_languages = Some(chosen);
    let urls = gazette::urls::Urls::relative();
    let mn = config.languages[1].clone();
    let ed = gazette::render::Edition::of(&graph, &config, &theme, &urls, &mn);
    let page = gazette::urls::Target::Entity(gazette::model::Kind::Partnership, "pp");
    let alternates = gazette::render::views::Ctx::new(&ed, &config, page).alternates();
    let tags: Vec<&str> = alternates
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["tag"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["mn"], "{alternates}");
    let href = alternates[0]["href"].as_str().unwrap();
    assert_eq!(
        target("mn/partnerships/pp/index.html", href).as_deref(),
        Some("mn/partnerships/pp/index.html"),
        "{href}"
    );
    // On the whole site, both.
    config.bundle_languages = None;
    let ed = gazette::render::Edition::of(&graph, &config, &theme, &urls, &mn);
    let alternates = gazette::render::views::Ctx::new(&ed, &config, page).alternates();
    assert_eq!(alternates.as_array().unwrap().len(), 2, "{alternates}");
}

#[test]
fn a_partnership_bundle_in_mongolian_keeps_the_translations() {
    let t = tempfile::tempdir().unwrap();
    let all = bundled(
        &t.path().join("pp.zip"),
        &["--partnership", "pp", "--lang", "mn"],
    );
    let page = String::from_utf8_lossy(&all["mn/partnerships/pp/index.html"]);
    assert!(page.contains("Хүүхэд хамгааллын түншлэл"), "{page}");
    let org = String::from_utf8_lossy(&all["mn/organizations/gov-a/index.html"]);
    assert!(org.contains("А улсын Засгийн газар"), "{org}");
}

#[test]
fn an_unknown_language_names_the_sites_languages() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("x.zip");
    let o = bundle(&zip, &["--lang", "mm", "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!zip.exists(), "no bundle is written");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`--lang mm`: `mm` is not one of the site's languages"),
        "{err}"
    );
    assert!(err.contains("expected: one of: en, mn"), "{err}");
    assert!(err.contains("did you mean `mn`?"), "{err}");
    assert!(err.contains("`--lang fr`"), "every unknown language: {err}");
}

#[test]
fn the_default_name_says_which_languages() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    for e in walkdir::WalkDir::new(fixture())
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = site.join(e.path().strip_prefix(fixture()).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
    let o = gazette(&[
        "--root".as_ref(),
        site.as_os_str(),
        "bundle".as_ref(),
        "--lang".as_ref(),
        "mn".as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(site
        .join("translations-fixture-mn-2021-11-19.zip")
        .is_file());
}
