//! Translations in the random-edit test (`random.rs`): the generated site's
//! languages and translation files, and the edits of translations: added,
//! their text edited (title, body, a list item), deleted, made invalid with
//! a fact field and made valid again, left without their record, and their
//! `translates:` digest changed.

use super::random::{add_to_front, Edit, Fix, Rng};
use super::{md_files, read, set_line, write, Engine};
use crate::model::Kind;
use std::path::{Path, PathBuf};

/// Every kind of edit that involves a translation, as `Edit::what` says it.
pub(super) const KINDS: [&str; 11] = [
    "add translation",
    "translation in no language of the site",
    "translation title",
    "translation body",
    "translation list item",
    "delete translation",
    "translation with a fact",
    "delete translated record",
    "translates",
    "rename with its translation",
    "rename leaving its translation",
];

/// Whether `p` is a translation file (`x.mn.md`).
fn is_translation(p: &Path) -> bool {
    p.file_stem()
        .is_some_and(|s| s.to_string_lossy().contains('.'))
}

/// The record files, in every folder.
pub(super) fn records(root: &Path) -> Vec<PathBuf> {
    records_in(root, "")
}

/// The record files in `folder` (`""`: all).
pub(super) fn records_in(root: &Path, folder: &str) -> Vec<PathBuf> {
    md_files(root, folder)
        .into_iter()
        .filter(|p| !is_translation(p))
        .collect()
}

fn translations(root: &Path) -> Vec<PathBuf> {
    md_files(root, "")
        .into_iter()
        .filter(|p| is_translation(p))
        .collect()
}

/// A record's id: its file's stem.
pub(super) fn id_of(record: &Path) -> String {
    record.file_stem().unwrap().to_string_lossy().into_owned()
}

/// The Mongolian translation of `record`, whether or not it exists.
pub(super) fn translation_of(record: &Path) -> PathBuf {
    record.with_file_name(format!("{}.mn.md", id_of(record)))
}

/// The record `translation` translates.
fn record_of(translation: &Path) -> PathBuf {
    let stem = id_of(translation);
    let id = stem.split_once('.').map_or(stem.as_str(), |(id, _)| id);
    translation.with_file_name(format!("{id}.md"))
}

fn folder_of(p: &Path) -> String {
    let folder = p.parent().unwrap().file_name().unwrap();
    folder.to_string_lossy().into_owned()
}

/// The field of a record's title, with its colon.
pub(super) fn title_key(p: &Path) -> &'static str {
    match folder_of(p).as_str() {
        "organizations" | "people" => "name: ",
        _ => "title: ",
    }
}

/// The error of a translation whose record `record` is gone.
pub(super) fn no_record(record: &Path) -> String {
    format!("that does not exist: `{}`", id_of(record))
}

/// The lists of a record in `folder` whose items have text: the list and
/// the text field of an item (`""`: the item is the text).
fn lists(folder: &str) -> &'static [(&'static str, &'static str)] {
    match folder {
        "dialogues" => &[("participants", "role"), ("outcomes", "")],
        "pledges" => &[("progress", "note")],
        "grants" => &[("tranches", "note")],
        "people" => &[("positions", "title")],
        _ => &[],
    }
}

/// Whether the record's front matter has list `list` with an item.
fn has_items(record_text: &str, list: &str) -> bool {
    record_text.contains(&format!("\n{list}:\n  - "))
}

/// One translated list item.
fn item(field: &str, text: &str) -> String {
    match field {
        "" => format!("  - {text}\n"),
        f => format!("  - {f}: {text}\n"),
    }
}

/// The digest of the record's text now, as the engine has it.
fn digest_of(engine: &Engine, record: &Path) -> Option<String> {
    let kind = Kind::from_folder(&folder_of(record))?;
    let i = engine.graph.get(kind, &id_of(record))?;
    Some(crate::model::translation::digest(&engine.graph.entities[i]))
}

/// A new translation of `record`: its title, some list items, a body or
/// not, unofficial or not, and the digest it translates when known.
fn new_translation(rng: &mut Rng, record: &Path, tag: &str, digest: Option<String>) -> String {
    let text = read(record);
    let folder = folder_of(record);
    let mut front = format!("{}Орчуулга {tag}\n", title_key(record));
    for (list, field) in lists(&folder) {
        if has_items(&text, list) && rng.below(2) == 0 {
            front.push_str(&format!("{list}:\n{}", item(field, &format!("Зүйл {tag}"))));
        }
    }
    if rng.below(2) == 0 {
        front.push_str("unofficial: true\n");
    }
    if let Some(d) = digest.filter(|_| rng.below(3) > 0) {
        front.push_str(&format!("translates: \"{d}\"\n"));
    }
    let body = match rng.below(2) {
        0 => String::new(),
        _ => format!("\nОрчуулсан текст {tag}.\n"),
    };
    format!("---\n{front}---\n{body}")
}

/// Give the copied sample site its languages: none (no `languages:`, no
/// translation files), or English and Mongolian with some of the sample's
/// translations left out and some records newly translated.
pub(super) fn generate(rng: &mut Rng, root: &Path, bilingual: bool) {
    if !bilingual {
        let config = root.join("gazette.yaml");
        let text = read(&config);
        let start = text.find("\nlanguages:\n").expect("the sample's languages") + 1;
        let end = start + text[start..].find("\n  others: [mn]\n").unwrap() + 16;
        let text = format!("{}{}", &text[..start], &text[end..]);
        // The site's name and description in Mongolian go too: a text in a
        // language the site does not have is an error.
        let mut kept = Vec::new();
        let mut skipping = false;
        for line in text.lines() {
            if line.starts_with("  mn:") {
                skipping = true;
                continue;
            }
            if skipping && line.starts_with("    ") {
                continue;
            }
            skipping = false;
            kept.push(line);
        }
        write(&config, &format!("{}\n", kept.join("\n")));
        for t in translations(root) {
            std::fs::remove_file(t).unwrap();
        }
        return;
    }
    for t in translations(root) {
        if rng.below(4) == 0 {
            std::fs::remove_file(t).unwrap();
        }
    }
    for r in records(root) {
        let t = translation_of(&r);
        if !t.exists() && rng.below(3) == 0 {
            let text = new_translation(rng, &r, "0", None);
            write(&t, &text);
        }
    }
}

/// Translation edit number `n` (of 8).
pub(super) fn edit(
    rng: &mut Rng,
    root: &Path,
    step: usize,
    fix: &mut Fix,
    engine: &Engine,
    n: usize,
) -> Edit {
    let all = translations(root);
    if n == 0 || all.is_empty() {
        return add(rng, root, step, fix, engine);
    }
    let t = rng.pick(&all).clone();
    let record = record_of(&t);
    let text = read(&t);
    match n {
        1..=3 => edit_text(rng, &t, &record, step, n - 1),
        4 => {
            // Now and then the next step brings it back.
            std::fs::remove_file(&t).unwrap();
            if rng.below(2) == 0 {
                fix.push((t.clone(), Some(text)));
            }
            Edit::new("delete translation", vec![t])
        }
        5 => {
            let fact = match folder_of(&t).as_str() {
                "dialogues" => "date: 2020",
                "pledges" => "status: completed",
                "grants" => "amount: 5",
                "organizations" => "website: https://example.org/",
                "partnerships" => "signed: 2020",
                "reports" => "published: 2020",
                _ => "sources: []",
            };
            write(&t, &add_to_front(&text, &format!("{fact}\n")));
            fix.push((t.clone(), Some(text)));
            let key = fact.split(':').next().unwrap();
            Edit::new("translation with a fact", vec![t]).expect(
                format!("`{key}` is a fact, and a translation holds only text"),
                Some(format!(
                    "facts are written once, in `{}.md`",
                    id_of(&record)
                )),
            )
        }
        6 if record.exists() => {
            let record_text = read(&record);
            std::fs::remove_file(&record).unwrap();
            fix.push((record.clone(), Some(record_text)));
            Edit::new("delete translated record", vec![record.clone()])
                .expect(no_record(&record), None)
        }
        _ => {
            // The version of the record it translates: the current one, an
            // older one, or none said.
            let text: String = text
                .lines()
                .filter(|l| !l.starts_with("translates:"))
                .map(|l| format!("{l}\n"))
                .collect();
            let digest = match rng.below(3) {
                0 => digest_of(engine, &record),
                1 => Some("0badc0de".into()),
                _ => None,
            };
            let text = match digest {
                Some(d) => add_to_front(&text, &format!("translates: {d}\n")),
                None => text,
            };
            write(&t, &text);
            Edit::new("translates", vec![t])
        }
    }
}

/// Translate a record that has no translation yet. In a site in one
/// language that is an error, which the next step takes back.
fn add(rng: &mut Rng, root: &Path, step: usize, fix: &mut Fix, engine: &Engine) -> Edit {
    let bilingual = read(&root.join("gazette.yaml")).contains("\nlanguages:\n");
    let untranslated: Vec<PathBuf> = records(root)
        .into_iter()
        .filter(|r| !translation_of(r).exists())
        .collect();
    if untranslated.is_empty() {
        let t = rng.pick(&translations(root)).clone();
        return edit_text(rng, &t, &record_of(&t), step, 0);
    }
    let record = rng.pick(&untranslated).clone();
    let t = translation_of(&record);
    let digest = digest_of(engine, &record);
    write(
        &t,
        &new_translation(rng, &record, &step.to_string(), digest),
    );
    if bilingual {
        return Edit::new("add translation", vec![t]);
    }
    fix.push((t.clone(), None));
    Edit::new("translation in no language of the site", vec![t]).expect(
        "`mn` is not one of the site's languages".into(),
        Some("add `mn` to `languages.others` in gazette.yaml".into()),
    )
}

/// Edit the text of translation `t` of `record`: its title (`part` 0), its
/// body (1) or an item of a list (2; the body when the record has no list
/// with items).
fn edit_text(rng: &mut Rng, t: &Path, record: &Path, step: usize, part: usize) -> Edit {
    let text = read(t);
    let key = title_key(t);
    let folder = folder_of(t);
    let record_text = read(record);
    let with_items: Vec<&(&str, &str)> = lists(&folder)
        .iter()
        .filter(|(list, _)| has_items(&record_text, list))
        .collect();
    match part {
        2 if !with_items.is_empty() => {
            let &(list, field) = *rng.pick(&with_items);
            write(t, &edit_item(&text, list, field, step));
            Edit::new("translation list item", vec![t.to_path_buf()])
        }
        0 => {
            let new = match text.lines().find(|l| l.starts_with(key)) {
                Some(old) => set_line(&text, key, &format!("{old} {step}")),
                None => add_to_front(&text, &format!("{key}Гарчиг {step}\n")),
            };
            write(t, &new);
            Edit::new("translation title", vec![t.to_path_buf()])
        }
        _ => {
            write(t, &format!("{text}\nАлхам {step}-ийн нэмсэн догол мөр.\n"));
            Edit::new("translation body", vec![t.to_path_buf()])
        }
    }
}

/// Change the text of the first item of `list` in a translation, or give
/// the list with one item when the translation has none.
fn edit_item(text: &str, list: &str, field: &str, step: usize) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let front_end = lines.iter().skip(1).position(|l| l == "---").unwrap() + 1;
    let Some(at) = lines[..front_end]
        .iter()
        .position(|l| *l == format!("{list}:"))
    else {
        return add_to_front(
            text,
            &format!("{list}:\n{}", item(field, &format!("Зүйл {step}"))),
        );
    };
    let first = at + 1;
    let line = lines[first].clone();
    if line.ends_with(">-") || line.ends_with('|') || line.ends_with('>') {
        // A folded text: its first line.
        lines[first + 1].push_str(&format!(" {step}"));
    } else if line.ends_with("{}") || line.ends_with('~') || line.ends_with('"') {
        lines[first] = item(field, &format!("Зүйл {step}")).trim_end().to_string();
    } else {
        lines[first].push_str(&format!(" {step}"));
    }
    lines.join("\n") + "\n"
}
