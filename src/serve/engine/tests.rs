//! The engine against clean builds: focused edits of the sample site, each
//! checking what was rendered again and that the output then equals a full
//! `site::render` of the same files; the random edits are in `random.rs`.

mod random;
mod translated;

use super::Engine;
use crate::site;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the sample site's content and configuration.
fn sample_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(repo().join("content")) {
        let e = e.unwrap();
        let to = dir.path().join(e.path().strip_prefix(repo()).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    std::fs::copy(repo().join("gazette.yaml"), dir.path().join("gazette.yaml")).unwrap();
    dir
}

type Files = BTreeMap<String, Vec<u8>>;

/// A clean full build: its files, or its errors.
fn clean(root: &Path) -> Result<Files, Vec<String>> {
    let built = site::render(root);
    match built.files {
        Some(f) if !built.checked.has_errors() => {
            Ok(f.into_iter().map(|f| (f.path, f.bytes)).collect())
        }
        _ => Err(problems(&built.checked.diagnostics)),
    }
}

fn problems(d: &[crate::diagnostics::Diagnostic]) -> Vec<String> {
    let mut v: Vec<String> = d
        .iter()
        .map(|d| format!("{}:{:?}:{:?} {}", d.file, d.line, d.column, d.message))
        .collect();
    v.sort();
    v
}

fn files_of(e: &Engine) -> Files {
    e.files()
        .iter()
        .map(|(p, b)| (p.clone(), b.to_vec()))
        .collect()
}

/// Fail with the paths that differ, not the bytes.
#[track_caller]
fn assert_same(got: &Files, expected: &Files, context: &str) {
    assert!(
        got == expected,
        "{context}: differ in {:?}",
        differences(got, expected)
    );
}

/// The paths whose bytes differ, for a readable failure.
fn differences(a: &Files, b: &Files) -> Vec<String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

fn md_files(root: &Path, folder: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content").join(folder))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Replace the first line starting with `prefix` (at column 1).
fn set_line(text: &str, prefix: &str, line: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.starts_with(prefix) {
                done = true;
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_body_edit_renders_only_the_pages_that_show_the_body() {
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    let mn = "mn/grants/cpc-consortium-grant/index.html";
    let outdated = "Энэхүү орчуулгыг бүртгэлийн өмнөх хувилбараас хийсэн";
    let page = |e: &Engine| String::from_utf8(e.files()[mn].to_vec()).unwrap();
    assert!(!page(&engine).contains(outdated));
    let p = root.join("content/grants/cpc-consortium-grant.md");
    write(&p, &format!("{}\nA new closing paragraph.\n", read(&p)));
    let r = engine.apply(std::slice::from_ref(&p));
    assert_eq!(r.errors, 0);
    // The grant's page and the briefing, which shows every grant in full,
    // in each language. (The default briefing shows a grant's facts, not
    // its text, so the briefing is rendered again but comes out the same.)
    // The Mongolian page shows the translation's body, but now says that
    // the translation is out of date: the text it was made from changed.
    let mut written = r.delta.written.clone();
    written.sort();
    assert_eq!(
        written,
        [
            "grants/cpc-consortium-grant/index.html",
            "grants/cpc-consortium-grant/index.json",
            "mn/grants/cpc-consortium-grant/index.html",
        ],
        "{r:?}"
    );
    assert_eq!(r.pages, 4, "{r:?}");
    assert!(page(&engine).contains(outdated));
    let r = engine.finish();
    assert!(
        r.delta.written.contains(&"data/graph.json".to_string()),
        "{r:?}"
    );
    assert_same(&files_of(&engine), &clean(root).unwrap(), "after the edit");
}

/// The first build deflates its pages as it renders them; a small step
/// keeps the pages it renders whole, for speed, and they are deflated
/// when the site is up to date.
#[test]
fn pages_of_a_small_step_are_packed_once_the_site_is_up_to_date() {
    use crate::serve::Bytes;
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    let grant = "grants/cpc-consortium-grant/index.html";
    let packed = |e: &Engine| matches!(e.files()[grant], Bytes::Packed(_));
    assert!(packed(&engine));
    let p = root.join("content/grants/cpc-consortium-grant.md");
    write(&p, &format!("{}\nA new closing paragraph.\n", read(&p)));
    let r = engine.apply(std::slice::from_ref(&p));
    assert!(r.delta.written.contains(&grant.to_string()), "{r:?}");
    assert!(!packed(&engine));
    let before = engine.files()[grant].to_vec();
    assert!(String::from_utf8_lossy(&before).contains("A new closing paragraph."));
    // Not while whole-site files wait.
    assert!(!engine.compact());
    assert!(!packed(&engine));
    engine.finish();
    assert!(engine.compact());
    assert!(packed(&engine));
    assert_eq!(engine.files()[grant].to_vec(), before);
    assert_same(&files_of(&engine), &clean(root).unwrap(), "after the edit");
}

/// A record whose file stops parsing has one error, its own: its
/// translation is not also reported as translating a record that does
/// not exist (the file is there), in watch mode as in a build.
#[test]
fn a_translated_record_that_stops_parsing_has_only_its_own_error() {
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    let p = root.join("content/grants/cpc-consortium-grant.md");
    let text = read(&p);
    write(&p, &text.replacen("\ntitle: ", "\ntitle: a: b ", 1));
    let r = engine.apply(std::slice::from_ref(&p));
    let got = problems(&engine.diagnostics());
    assert_eq!(r.errors, 1, "{got:#?}");
    assert!(
        got.iter().all(|d| !d.contains("does not exist")),
        "{got:#?}"
    );
    assert!(got[0].contains("malformed YAML"), "{got:#?}");
    assert_eq!(got, clean(root).unwrap_err(), "as a build reports them");
}

#[test]
fn renaming_an_organization_reaches_every_page_that_names_it() {
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    let p = root.join("content/organizations/talita-asia.md");
    write(
        &p,
        &read(&p).replace("name: Talita Asia", "name: Talita Mongolia"),
    );
    let r = engine.apply(std::slice::from_ref(&p));
    engine.finish();
    assert_same(&files_of(&engine), &clean(root).unwrap(), "after the edit");
    let grant = "grants/cpc-consortium-grant/index.html".to_string();
    assert!(r.delta.written.contains(&grant), "{r:?}");
    // Pages that do not show the name are not rendered again.
    assert!(r.pages < 10, "{r:?}");
}

#[test]
fn errors_keep_the_last_good_output_until_fixed() {
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    let before = files_of(&engine);
    let p = root.join("content/people/kari-johnstone.md");
    let text = read(&p);
    write(&p, &text.replace("name: Kari", "nam: Kari"));
    let r = engine.apply(std::slice::from_ref(&p));
    assert!(r.errors > 0);
    assert!(engine
        .snapshot()
        .errors
        .iter()
        .any(|d| d.file == "content/people/kari-johnstone.md"));
    assert_eq!(files_of(&engine), before);
    write(&p, &text);
    let r = engine.apply(std::slice::from_ref(&p));
    assert_eq!(r.errors, 0);
    engine.finish();
    assert_eq!(files_of(&engine), before);
}

#[test]
fn static_files_follow_the_build_rule_robots_txt_replaced_other_clashes_errors() {
    let site = sample_site();
    let root = site.path();
    let robots = root.join("static/robots.txt");
    write(&robots, "User-agent: *\nDisallow: /drafts/\n");
    let mut engine = Engine::load(root);
    assert_eq!(
        engine.files()["robots.txt"].to_vec(),
        b"User-agent: *\nDisallow: /drafts/\n"
    );
    assert_same(&files_of(&engine), &clean(root).unwrap(), "after the edit");
    // A static file where Gazette writes the search index: an error naming
    // it, at every step until it is gone; meanwhile the index is served.
    let index = root.join("static/search-index.js");
    write(&index, "// not the index\n");
    let r = engine.apply(std::slice::from_ref(&index));
    assert_eq!(r.errors, 1, "{r:?}");
    let clash = |e: &Engine| {
        e.snapshot()
            .errors
            .iter()
            .any(|d| d.file == "static/search-index.js" && d.message.contains("search index"))
    };
    assert!(clash(&engine));
    assert_eq!(engine.finish().errors, 1);
    assert!(clash(&engine));
    assert_ne!(
        engine.files()["search-index.js"].to_vec(),
        b"// not the index\n"
    );
    assert_eq!(
        clean(root).unwrap_err(),
        ["static/search-index.js:None:None static file `search-index.js` has the path of the search index that Gazette generates"]
    );
    std::fs::remove_file(&index).unwrap();
    std::fs::remove_file(&robots).unwrap();
    assert_eq!(engine.apply(&[index, robots]).errors, 0);
    engine.finish();
    assert_same(&files_of(&engine), &clean(root).unwrap(), "after the edit");
    assert!(engine.files()["robots.txt"]
        .to_vec()
        .starts_with(b"User-agent: *\nAllow: /"));
}

#[test]
fn a_new_date_moves_a_record_between_index_pages() {
    let site = sample_site();
    let root = site.path();
    let config = root.join("gazette.yaml");
    write(
        &config,
        &format!("{}lists:\n  per_page: 1\n", read(&config)),
    );
    let mut engine = Engine::load(root);
    // Four pledges made in April 2020, one a page by id; this one was last.
    let p = root.join("content/pledges/make-combating-trafficking-a-higher-priority.md");
    write(&p, &set_line(&read(&p), "made: ", "made: 2021-01"));
    engine.apply(std::slice::from_ref(&p));
    engine.finish();
    let got = files_of(&engine);
    let expected = clean(root).unwrap();
    assert!(
        got == expected,
        "differ in {:?}",
        differences(&got, &expected)
    );
    let first = String::from_utf8(got["pledges/index.html"].clone()).unwrap();
    assert!(first.contains("/pledges/make-combating-trafficking-a-higher-priority/"));
}

#[test]
fn adding_a_record_renders_its_page_and_the_pages_that_list_its_type() {
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    let all_pages = engine.out.pages.len();
    let p = root.join("content/people/new-person.md");
    write(&p, "---\nname: New Person\n---\n\nJoined later.\n");
    let r = engine.apply(std::slice::from_ref(&p));
    engine.finish();
    assert_same(&files_of(&engine), &clean(root).unwrap(), "after the edit");
    // Its page, the index of people and the home page; not the site.
    let mut written = r.delta.written.clone();
    written.sort();
    for page in [
        "index.html",
        "people/index.html",
        "people/new-person/index.html",
    ] {
        assert!(written.contains(&page.to_string()), "{page}: {written:?}");
    }
    assert!(
        r.pages < all_pages / 4,
        "{} of {all_pages} pages rendered",
        r.pages
    );
    std::fs::remove_file(&p).unwrap();
    let r = engine.apply(std::slice::from_ref(&p));
    engine.finish();
    assert_same(&files_of(&engine), &clean(root).unwrap(), "after the edit");
    assert!(r
        .delta
        .removed
        .contains(&"people/new-person/index.html".to_string()));
    assert!(r.pages < all_pages / 4, "{r:?}");
}

/// A dialogue dated before every other moves every later record in the
/// search index: the index is renumbered, not made again, and of the other
/// whole-site files only those that list dialogues are made again.
#[test]
fn a_new_dialogue_remakes_only_the_whole_site_files_that_list_dialogues() {
    use super::keys::SiteFile;
    use crate::render::data::{tables::Table, DataFile};
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    let p = root.join("content/dialogues/an-early-meeting.md");
    write(
        &p,
        "---\ntitle: An early meeting\ndate: 2020-01-15\npartnership: cpc-mongolia\nformat: virtual\nparticipants:\n  - person: kari-johnstone\n---\n\nMet first.\n",
    );
    engine.apply(std::slice::from_ref(&p));
    let planned = engine.pending.site.clone();
    let langs = engine.localized.len() + 1;
    assert_eq!(langs, 2, "the sample is bilingual");
    for f in SiteFile::per_language(langs, SiteFile::Search)
        .into_iter()
        .chain(SiteFile::per_language(langs, SiteFile::Atom))
        .chain([
            SiteFile::Sitemap,
            SiteFile::Data(DataFile::Graph),
            SiteFile::Data(DataFile::Table(Table::Dialogues)),
            SiteFile::Data(DataFile::Table(Table::Participants)),
            SiteFile::Data(DataFile::IatiActivities),
        ])
    {
        assert!(planned.contains(&f), "{f:?} not made: {planned:?}");
    }
    for f in [
        SiteFile::Data(DataFile::Giving),
        SiteFile::Data(DataFile::IatiOrganisations),
        SiteFile::Data(DataFile::Table(Table::Organizations)),
        SiteFile::Data(DataFile::Table(Table::People)),
        SiteFile::Data(DataFile::Table(Table::Grants)),
    ] {
        assert!(!planned.contains(&f), "{f:?} made: {planned:?}");
    }
    let r = engine.finish();
    assert_same(
        &files_of(&engine),
        &clean(root).unwrap(),
        "after the new dialogue",
    );
    assert!(r
        .delta
        .written
        .iter()
        .any(|w| w.starts_with("search/text-")));
    std::fs::remove_file(&p).unwrap();
    engine.apply(std::slice::from_ref(&p));
    engine.finish();
    assert_same(&files_of(&engine), &clean(root).unwrap(), "after it went");
}

/// Editing `x.mn.md` renders Mongolian pages only, and rewrites no English
/// page; of the site-wide files only the Mongolian ones and the open data
/// that carries every language's text.
#[test]
fn editing_a_translation_rewrites_only_that_languages_pages() {
    let site = sample_site();
    let root = site.path();
    let mut engine = Engine::load(root);
    for (file, key) in [
        (
            "content/dialogues/2021-11-19-first-bilateral-dialogue.mn.md",
            "title: ",
        ),
        ("content/grants/cpc-consortium-grant.mn.md", "title: "),
        ("content/people/kari-johnstone.mn.md", "name: "),
    ] {
        let p = root.join(file);
        let text = read(&p);
        let title = text.lines().find(|l| l.starts_with(key)).unwrap();
        write(&p, &set_line(&text, key, &format!("{title} (засвар)")));
        // What `apply` does, with a look at the plan: only Mongolian pages
        // are to be rendered again.
        engine.update_content(std::slice::from_ref(&p), &mut Vec::new());
        engine.plan();
        let planned = &engine.pending.pages;
        assert!(planned.len() > 1, "{file}: {planned:?}");
        assert!(planned.iter().all(|k| k.lang == 1), "{file}: {planned:?}");
        let mut r = super::Rebuild::default();
        engine.step(false, &mut r);
        assert_eq!(r.errors, 0, "{file}: {r:?}");
        assert!(r.pages > 1, "{file}: {r:?}");
        // The record's JSON twin carries its translations too.
        let twin = file
            .replace("content/", "")
            .replace(".mn.md", "/index.json");
        for w in &r.delta.written {
            assert!(
                w.starts_with("mn/") || *w == twin,
                "{file}: {w} rewritten: {r:?}"
            );
        }
        let own = file
            .replace("content/", "mn/")
            .replace(".mn.md", "/index.html");
        let page = String::from_utf8(engine.files()[&own].to_vec()).unwrap();
        assert!(page.contains("(засвар)"), "{own}");
        // Then the site-wide files: the Mongolian feed and search index,
        // and the open data that gives a record's text in every language
        // it has (graph.json, the tables' language columns, IATI's
        // narratives), which the data pages list with their sizes. No other
        // English page.
        let r = engine.finish();
        for w in &r.delta.written {
            let data = (w.starts_with("data/") && !w.ends_with(".html")) || w == "data/index.html";
            assert!(w.starts_with("mn/") || data, "{file}: {w} rewritten: {r:?}");
        }
        assert!(
            r.delta.written.contains(&"mn/search-index.js".to_string()),
            "{file}: {r:?}"
        );
        assert!(r.delta.removed.is_empty(), "{file}: {r:?}");
        assert_same(&files_of(&engine), &clean(root).unwrap(), file);
    }
}
