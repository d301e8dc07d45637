//! The engine against clean builds: random edits to a copy of the sample
//! site (in English and Mongolian, or in English alone), and after each one
//! the incrementally maintained output must equal a full `site::render` of
//! the same files byte for byte, every language's pages, feed and search
//! index included; or, when the files have errors, be the last good output
//! with the same errors reported. Edits of translations are in
//! `translated.rs`.

use super::translated;
use super::{assert_same, Engine};
use super::{clean, files_of, md_files, problems, read, repo, sample_site, set_line, write};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// SplitMix64: small, deterministic, good enough to pick edits.
pub(super) struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Repairs for the next step: write each file (`None`: delete it).
pub(super) type Fix = Vec<(PathBuf, Option<String>)>;

/// One edit: what it did, the paths it touched, and for an edit meant to
/// break the site, an error it must cause.
pub(super) struct Edit {
    pub what: &'static str,
    pub paths: Vec<PathBuf>,
    pub expect: Option<Expect>,
}

/// An error the site must then have: words of its message, and of its hint.
pub(super) struct Expect {
    pub message: String,
    pub hint: Option<String>,
}

impl Edit {
    pub fn new(what: &'static str, paths: Vec<PathBuf>) -> Edit {
        Edit {
            what,
            paths,
            expect: None,
        }
    }

    pub fn expect(mut self, message: String, hint: Option<String>) -> Edit {
        self.expect = Some(Expect { message, hint });
        self
    }
}

/// Insert `lines` just before the closing `---` of the front matter.
pub(super) fn add_to_front(text: &str, lines: &str) -> String {
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

/// One random edit. An edit that breaks the site leaves its repair in
/// `fix`, done by the next step. `engine` is the site as last applied (for
/// the digests translations name).
fn edit(rng: &mut Rng, root: &Path, step: usize, fix: &mut Fix, engine: &Engine) -> Edit {
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
        return Edit::new("repair", paths);
    }
    match rng.below(20) {
        n @ 12.. => translated::edit(rng, root, step, fix, engine, n - 12),
        n => record_edit(rng, root, step, fix, n),
    }
}

/// Edit number `n` (of 12) of a record file or a template.
fn record_edit(rng: &mut Rng, root: &Path, step: usize, fix: &mut Fix, n: usize) -> Edit {
    let all = translated::records(root);
    match n {
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
            Edit::new("body", vec![p])
        }
        2 | 3 => {
            let p = rng.pick(&all).clone();
            let t = read(&p);
            let key = translated::title_key(&p);
            let old = t
                .lines()
                .find(|l| l.starts_with(key))
                .unwrap_or("")
                .to_string();
            write(&p, &set_line(&t, key, &format!("{old} {step}")));
            Edit::new("title", vec![p])
        }
        4 if rng.below(2) == 0 => {
            // The date decides the order of records and which are the most
            // recent ones a partnership page shows.
            let p = rng.pick(&translated::records_in(root, "dialogues")).clone();
            let date = format!(
                "date: 20{:02}-0{}-1{}",
                10 + rng.below(20),
                1 + rng.below(9),
                rng.below(10)
            );
            write(&p, &set_line(&read(&p), "date: ", &date));
            Edit::new("date", vec![p])
        }
        4 if rng.below(3) == 0 => {
            // A day or only a year: standard formats that need a full date
            // leave the grant out, or give the first day (open_data).
            let p = rng.pick(&translated::records_in(root, "grants")).clone();
            let awarded = *rng.pick(&["awarded: 2020", "awarded: 2020-06-15", "awarded: 2019-03"]);
            write(&p, &set_line(&read(&p), "awarded: ", awarded));
            Edit::new("awarded", vec![p])
        }
        4 => {
            let p = rng.pick(&translated::records_in(root, "grants")).clone();
            let amount = 1000 + rng.below(9_000_000);
            write(
                &p,
                &set_line(&read(&p), "amount: ", &format!("amount: {amount}")),
            );
            Edit::new("amount", vec![p])
        }
        5 => {
            let p = rng.pick(&translated::records_in(root, "pledges")).clone();
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
            Edit::new("pledge status", vec![p])
        }
        6 => {
            let (p, text) = if rng.below(2) == 0 {
                let org = translated::records_in(root, "organizations");
                let org = translated::id_of(rng.pick::<PathBuf>(&org));
                // Ids that sort first, among and after the people there
                // are: a new record lands anywhere in its type's order.
                let id = ["a-person", "person", "zz-person"][rng.below(3)];
                (
                    root.join(format!("content/people/{id}-{step}.md")),
                    format!("---\nname: Person {step}\npositions:\n  - title: Officer\n    organization: {org}\n---\n\nAdded by step {step}.\n"),
                )
            } else {
                let people = translated::records_in(root, "people");
                let person = translated::id_of(rng.pick::<PathBuf>(&people));
                (
                    root.join(format!("content/dialogues/dialogue-{step}.md")),
                    // Dated before, among or after the dialogues there
                    // are: it lands anywhere in the dialogue index.
                    format!("---\ntitle: Dialogue {step}\ndate: {}-02-{:02}\npartnership: cpc-mongolia\nformat: virtual\nparticipants:\n  - person: {person}\n---\n\nMet at step {step}.\n", 2019 + rng.below(6), 1 + step % 28),
                )
            };
            write(&p, &text);
            Edit::new("add", vec![p])
        }
        7 | 8 => rename(rng, root, step, fix, &all),
        9 => {
            // A record deleted; its translation, if it has one, is left
            // without a record.
            let p = rng.pick(&all).clone();
            let text = read(&p);
            std::fs::remove_file(&p).unwrap();
            fix.push((p.clone(), Some(text)));
            let e = Edit::new("delete", vec![p.clone()]);
            if translated::translation_of(&p).exists() {
                e.expect(translated::no_record(&p), None)
            } else {
                e
            }
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
            Edit::new("error", vec![p])
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
            Edit::new("template", vec![p, tmp])
        }
    }
}

/// Rename a record `x` to `x-rN`. Mostly every reference follows and so
/// does its translation `x.mn.md`; a translation left behind has no record
/// (an error pointing at the new name), and when the references stay the
/// next step puts the file back.
fn rename(rng: &mut Rng, root: &Path, step: usize, fix: &mut Fix, all: &[PathBuf]) -> Edit {
    let p = rng.pick(all).clone();
    let id = translated::id_of(&p);
    let new_id = format!("{id}-r{step}");
    let to = p.with_file_name(format!("{new_id}.md"));
    std::fs::rename(&p, &to).unwrap();
    let mut paths = vec![p.clone(), to.clone()];
    let (tr, tr_to) = (
        translated::translation_of(&p),
        translated::translation_of(&to),
    );
    if rng.below(3) == 0 {
        // References break; the next step puts the file back.
        fix.push((to.clone(), None));
        fix.push((p.clone(), Some(read(&to))));
        return Edit::new("rename", paths);
    }
    for q in md_files(root, "") {
        let t = read(&q);
        let u = replace_id(&t, &id, &new_id);
        if u != t {
            write(&q, &u);
            paths.push(q);
        }
    }
    if !tr.exists() {
        return Edit::new("rename", paths);
    }
    if rng.below(4) > 0 {
        std::fs::rename(&tr, &tr_to).unwrap();
        paths.extend([tr, tr_to]);
        return Edit::new("rename with its translation", paths);
    }
    fix.push((tr.clone(), None));
    fix.push((tr_to.clone(), Some(read(&tr))));
    let hint = crate::diagnostics::closest(&id, [new_id.as_str()])
        .map(|_| format!("did you mean `{new_id}.mn.md`?"));
    Edit::new("rename leaving its translation", paths).expect(translated::no_record(&p), hint)
}

/// `settings` is appended to the site's `gazette.yaml`; a site in one
/// language has no `languages:` and no translations. Returns the edits made.
fn run(seed: u64, steps: usize, settings: &str, bilingual: bool) -> BTreeSet<&'static str> {
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
    let mut rng = Rng(seed);
    translated::generate(&mut rng, root, bilingual);
    let mut engine = Engine::load(root);
    let mut good = clean(root).expect("the generated site builds");
    assert_same(
        &files_of(&engine),
        &good,
        &format!("first build, seed {seed}"),
    );
    // The comparison covers every language's pages, feed and search index.
    for f in ["mn/index.html", "mn/atom.xml", "mn/search-index.js"] {
        assert_eq!(good.contains_key(f), bilingual, "seed {seed}: {f}");
    }
    let mut fix = Vec::new();
    let mut done = BTreeSet::new();
    for step in 0..steps {
        let e = edit(&mut rng, root, step, &mut fix, &engine);
        done.insert(e.what);
        engine.apply(&e.paths);
        if !engine.has_errors() {
            engine.finish();
        }
        let context = format!("seed {seed}, step {step}: {} {:?}", e.what, e.paths);
        if let Some(x) = &e.expect {
            let d = engine.diagnostics();
            assert!(
                d.iter().any(|d| d.is_error()
                    && d.message.contains(&x.message)
                    && x.hint
                        .as_ref()
                        .is_none_or(|h| d.hint.as_ref().is_some_and(|dh| dh.contains(h)))),
                "{context}: no error `{}` (hint {:?}) in {d:#?}",
                x.message,
                x.hint
            );
        }
        match clean(root) {
            Ok(expected) => {
                assert!(
                    !engine.has_errors(),
                    "{context}: {:?}",
                    problems(&engine.diagnostics())
                );
                assert!(!engine.has_deferred(), "{context}");
                assert_same(&files_of(&engine), &expected, &context);
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
    done
}

#[test]
fn incremental_output_equals_a_clean_build_after_random_edits() {
    // Each seed on its own thread: a clean build per step is the slow part.
    // Seed 1 is in English alone: a translation added there is an error.
    // Seed 4 cuts the partnership page's lists, the briefing, the feed and
    // each page of a type's index to two records, so that edits change
    // which records they show, and writes no JSON twins.
    // Its dates follow `leave-out`, with the IATI export and the catalogue
    // on, so grants leave those files and come back as dates change.
    let short = "lists:\n  recent: 2\n  per_page: 2\nfeed:\n  limit: 2\nopen_data:\n  record_json: false\n  partial_dates: leave-out\n  license:\n    name: L\n    url: https://example.org/licence\n  iati:\n    reporting_org:\n      identifier: XM-DAC-302\n      name: Funder\n      type: government\n  catalog:\n    publisher: P\n    contact:\n      name: C\n      email: c@example.org\n";
    let done: BTreeSet<&str> = std::thread::scope(|s| {
        let runs: Vec<_> = [
            (1, "", false),
            (2, "", true),
            (3, "", true),
            (4, short, true),
        ]
        .into_iter()
        .map(|(seed, settings, bilingual)| s.spawn(move || run(seed, 25, settings, bilingual)))
        .collect();
        runs.into_iter()
            .flat_map(|r| r.join().expect("a seed's run"))
            .collect()
    });
    // The seeds between them make every kind of translation edit.
    for what in translated::KINDS {
        assert!(done.contains(what), "no `{what}` edit: {done:?}");
    }
}
