//! The engine against clean builds: random edits to a copy of the sample
//! site, and after each one the incrementally maintained output must equal a
//! full `site::render` of the same files byte for byte, or, when the files
//! have errors, be the last good output with the same errors reported.

use super::Engine;
use crate::site;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// SplitMix64: small, deterministic, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

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

/// Insert `lines` just before the closing `---` of the front matter.
fn add_to_front(text: &str, lines: &str) -> String {
    let end = text[4..].find("\n---").map(|i| i + 5).unwrap_or(text.len());
    format!("{}{lines}{}", &text[..end], &text[end..])
}

/// Replace whole-word occurrences of the id `from` with `to`.
fn replace_id(text: &str, from: &str, to: &str) -> String {
    let is_id = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().last();
        let after = rest[i + from.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(is_id) || after.is_some_and(is_id) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// One random edit; returns what it did and the paths it touched. An edit
/// that breaks the site leaves its repair in `fix`, done by the next step.
fn edit(
    rng: &mut Rng,
    root: &Path,
    step: usize,
    fix: &mut Vec<(PathBuf, Option<String>)>,
) -> (String, Vec<PathBuf>) {
    if !fix.is_empty() {
        let mut paths = Vec::new();
        for (p, text) in fix.drain(..) {
            match text {
                Some(t) => write(&p, &t),
                None => {
                    let _ = std::fs::remove_file(&p);
                }
            }
            paths.push(p);
        }
        return ("repair".into(), paths);
    }
    let all: Vec<PathBuf> = md_files(root, "");
    match rng.below(12) {
        0 | 1 => {
            let p = rng.pick(&all).clone();
            let t = read(&p);
            let t = if rng.below(2) == 0 {
                format!("{t}\nA paragraph added by step {step}.\n")
            } else {
                // The first paragraph: the summary changes too.
                let end = t[4..].find("\n---\n").map(|i| i + 9).unwrap_or(t.len());
                format!("{}Step {step} opens the text. {}", &t[..end], &t[end..])
            };
            write(&p, &t);
            ("body".into(), vec![p])
        }
        2 | 3 => {
            let p = rng.pick(&all).clone();
            let t = read(&p);
            let key = if t.contains("\nname: ") {
                "name: "
            } else {
                "title: "
            };
            let old = t
                .lines()
                .find(|l| l.starts_with(key))
                .unwrap_or("")
                .to_string();
            write(&p, &set_line(&t, key, &format!("{old} {step}")));
            ("title".into(), vec![p])
        }
        4 if rng.below(2) == 0 => {
            // The date decides the order of records and which are the most
            // recent ones a partnership page shows.
            let p = rng.pick(&md_files(root, "dialogues")).clone();
            let date = format!(
                "date: 20{:02}-0{}-1{}",
                10 + rng.below(20),
                1 + rng.below(9),
                rng.below(10)
            );
            write(&p, &set_line(&read(&p), "date: ", &date));
            ("date".into(), vec![p])
        }
        4 if rng.below(3) == 0 => {
            // A day or only a year: standard formats that need a full date
            // leave the grant out, or give the first day (open_data).
            let p = rng.pick(&md_files(root, "grants")).clone();
            let awarded = *rng.pick(&["awarded: 2020", "awarded: 2020-06-15", "awarded: 2019-03"]);
            write(&p, &set_line(&read(&p), "awarded: ", awarded));
            ("awarded".into(), vec![p])
        }
        4 => {
            let p = rng.pick(&md_files(root, "grants")).clone();
            let amount = 1000 + rng.below(9_000_000);
            write(
                &p,
                &set_line(&read(&p), "amount: ", &format!("amount: {amount}")),
            );
            ("amount".into(), vec![p])
        }
        5 => {
            let p = rng.pick(&md_files(root, "pledges")).clone();
            let status = *rng.pick(&["in-progress", "delayed", "completed", "not-started"]);
            let t = set_line(&read(&p), "status: ", &format!("status: {status}"));
            let entry = format!(
                "  - date: {y}-01-01\n    reported: {y}-01-01\n    status: {status}\n    note: Step {step}.\n",
                y = 2030 + step
            );
            let t = if t.contains("\nprogress:\n") {
                add_to_front(&t, &entry)
            } else {
                add_to_front(&t, &format!("progress:\n{entry}"))
            };
            write(&p, &t);
            ("pledge status".into(), vec![p])
        }
        6 => {
            let (p, text) = if rng.below(2) == 0 {
                let org = md_files(root, "organizations");
                let org = rng
                    .pick(&org)
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (
                    root.join(format!("content/people/person-{step}.md")),
                    format!("---\nname: Person {step}\npositions:\n  - title: Officer\n    organization: {org}\n---\n\nAdded by step {step}.\n"),
                )
            } else {
                let people = md_files(root, "people");
                let person = rng
                    .pick(&people)
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (
                    root.join(format!("content/dialogues/dialogue-{step}.md")),
                    format!("---\ntitle: Dialogue {step}\ndate: 2024-02-{:02}\npartnership: cpc-mongolia\nformat: virtual\nparticipants:\n  - person: {person}\n---\n\nMet at step {step}.\n", 1 + step % 28),
                )
            };
            write(&p, &text);
            ("add".into(), vec![p])
        }
        7 | 8 => {
            let p = rng.pick(&all).clone();
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            let new_id = format!("{id}-r{step}");
            let to = p.with_file_name(format!("{new_id}.md"));
            std::fs::rename(&p, &to).unwrap();
            let mut paths = vec![p.clone(), to.clone()];
            if rng.below(3) > 0 {
                for q in md_files(root, "") {
                    let t = read(&q);
                    let u = replace_id(&t, &id, &new_id);
                    if u != t {
                        write(&q, &u);
                        paths.push(q);
                    }
                }
            } else {
                // References break; the next step puts the file back.
                fix.push((to.clone(), None));
                fix.push((p.clone(), Some(read(&to))));
            }
            ("rename".into(), paths)
        }
        9 => {
            let p = rng.pick(&all).clone();
            let text = read(&p);
            std::fs::remove_file(&p).unwrap();
            fix.push((p.clone(), Some(text)));
            ("delete".into(), vec![p])
        }
        10 => {
            let p = rng.pick(&all).clone();
            let text = read(&p);
            let broken = match rng.below(3) {
                0 => text.replacen("---\n", "---\nbad: [unclosed\n", 1),
                1 => set_line(&text, "title: ", "title:"),
                _ => text.replace("partnership: cpc-mongolia", "partnership: cpc-mongolai"),
            };
            write(&p, &broken);
            fix.push((p.clone(), Some(text)));
            ("error".into(), vec![p])
        }
        _ => {
            let name = *rng.pick(&["dialogue.html", "base.html", "person.html", "macros.html"]);
            let p = root.join("templates").join(name);
            let text = if p.exists() {
                read(&p)
            } else {
                read(&repo().join("themes/default/templates").join(name))
            };
            let comment = if name == "macros.html" {
                format!("{{# step {step} #}}\n")
            } else {
                format!("<!-- step {step} -->\n")
            };
            write(&p, &format!("{text}{comment}"));
            let tmp = root.join("templates").join(format!(".{name}.swp"));
            write(&tmp, "editor state");
            ("template".into(), vec![p, tmp])
        }
    }
}

/// `settings` is appended to the site's `gazette.yaml`.
fn run(seed: u64, steps: usize, settings: &str) {
    let site = sample_site();
    let root = site.path();
    let config = root.join("gazette.yaml");
    let mut text = read(&config);
    if settings.contains("open_data:") {
        // The settings bring their own `open_data:` block.
        let start = text
            .find("open_data:")
            .expect("the sample's open_data block");
        text.truncate(start);
    }
    write(&config, &format!("{text}{settings}"));
    let mut engine = Engine::load(root);
    let mut good = clean(root).expect("the sample site builds");
    let first = files_of(&engine);
    assert!(
        first == good,
        "first build, seed {seed}: differ in {:?}",
        differences(&first, &good)
    );
    let mut rng = Rng(seed);
    let mut fix = Vec::new();
    for step in 0..steps {
        let (what, paths) = edit(&mut rng, root, step, &mut fix);
        engine.apply(&paths);
        if !engine.has_errors() {
            engine.finish();
        }
        let context = format!("seed {seed}, step {step}: {what} {paths:?}");
        match clean(root) {
            Ok(expected) => {
                assert!(
                    !engine.has_errors(),
                    "{context}: {:?}",
                    problems(&engine.diagnostics())
                );
                assert!(!engine.has_deferred(), "{context}");
                let got = files_of(&engine);
                assert!(
                    got == expected,
                    "{context}: differ in {:?}",
                    differences(&got, &expected)
                );
                good = expected;
            }
            Err(errors) => {
                assert_eq!(problems(&engine.diagnostics()), errors, "{context}");
                assert!(
                    files_of(&engine) == good,
                    "{context}: output changed despite errors"
                );
            }
        }
    }
}

#[test]
fn incremental_output_equals_a_clean_build_after_random_edits() {
    // Each seed on its own thread: a clean build per step is the slow part.
    // Seed 4 cuts the partnership page's lists, the briefing, the feed and
    // each page of a type's index to two records, so that edits change
    // which records they show, and writes no JSON twins.
    // Its dates follow `leave-out`, with the IATI export and the catalogue
    // on, so grants leave those files and come back as dates change.
    let short = "lists:\n  recent: 2\n  per_page: 2\nfeed:\n  limit: 2\nopen_data:\n  record_json: false\n  partial_dates: leave-out\n  license:\n    name: L\n    url: https://example.org/licence\n  iati:\n    reporting_org:\n      identifier: XM-DAC-302\n      name: Funder\n      type: government\n  catalog:\n    publisher: P\n    contact:\n      name: C\n      email: c@example.org\n";
    std::thread::scope(|s| {
        for (seed, settings) in [(1, ""), (2, ""), (3, ""), (4, short)] {
            s.spawn(move || run(seed, 25, settings));
        }
    });
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
        for w in &r.delta.written {
            assert!(w.starts_with("mn/"), "{file}: {w} rewritten: {r:?}");
        }
        let own = file
            .replace("content/", "mn/")
            .replace(".mn.md", "/index.html");
        let page = String::from_utf8(engine.files()[&own].to_vec()).unwrap();
        assert!(page.contains("(засвар)"), "{own}");
        // Then the site-wide files: the Mongolian feed and search index,
        // and the open data that gives a record's text in every language
        // it has (IATI's narratives), which the data pages list with its
        // size.
        let r = engine.finish();
        let site_wide = ["data/iati-activities.xml", "data/index.html"];
        for w in &r.delta.written {
            assert!(
                w.starts_with("mn/") || site_wide.contains(&w.as_str()),
                "{file}: {w} rewritten: {r:?}"
            );
        }
        assert!(
            r.delta.written.contains(&"mn/search-index.js".to_string()),
            "{file}: {r:?}"
        );
        assert!(r.delta.removed.is_empty(), "{file}: {r:?}");
        assert_same(&files_of(&engine), &clean(root).unwrap(), file);
    }
}
