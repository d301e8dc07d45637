//! `gazette new KIND --lang mn --of ID`: the skeleton of a translation
//! file (`x.mn.md` beside `x.md`). Each text field the record has is a
//! `FILL-IN` placeholder, which `check` reports until it is translated,
//! under a comment quoting the record's own text; `translates:` is the
//! digest of the record's text now, so the finished translation is up to
//! date unless the record changes meanwhile. Facts are never copied.

use gazette::config::Language;
use gazette::diagnostics::closest;
use gazette::fields::PLACEHOLDER;
use gazette::graph::translation_report::translation_file;
use gazette::model::translation::digest;
use gazette::model::{Data, Entity, Kind};
use std::fmt::Write;
use std::path::Path;

/// Write the skeleton of the `lang` translation of record `id` of `kind`;
/// `title`, if given, is the translated title. Returns the exit code.
pub fn new(root: &Path, kind: Kind, id: &str, lang: &str, title: Option<&str>) -> i32 {
    let checked = gazette::site::check(root);
    let (Some(config), Some(graph)) = (&checked.config, &checked.graph) else {
        eprintln!("gazette: gazette.yaml has errors; `gazette check` lists them");
        return 2;
    };
    let Some(lang) = language(&config.languages, lang) else {
        return 2;
    };
    let Some(i) = graph.get(kind, id) else {
        let ids: Vec<&str> = graph.ids(kind).collect();
        let hint = closest(id, ids.iter().copied())
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        let broken = checked
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.file.ends_with(&format!("/{id}.md")));
        if broken {
            eprintln!(
                "gazette: the {} `{id}` has errors; fix them first (`gazette check` lists them)",
                kind.name()
            );
        } else {
            eprintln!(
                "gazette: no {} `{id}` in content/{}/{hint}",
                kind.name(),
                kind.folder()
            );
        }
        return 2;
    };
    let e = &graph.entities[i];
    let rel = translation_file(&e.meta.file, &lang.tag);
    let path = root.join(&rel);
    if path.exists() {
        eprintln!(
            "gazette: {} already exists; `gazette check --translations` says whether it is up to date",
            path.display()
        );
        return 2;
    }
    let text = skeleton(e, &config.language, &lang.tag, title);
    if let Err(err) = std::fs::write(&path, text) {
        eprintln!("gazette: cannot write {}: {err}", path.display());
        return 2;
    }
    println!("{}", path.display());
    eprintln!(
        "gazette: translate every `{PLACEHOLDER}` into {} (or delete the line to show the record's own text); `gazette check` lists them",
        lang.tag
    );
    0
}

/// The language of the site named `tag`, other than the default; `None`
/// after saying why not.
fn language<'a>(languages: &'a [Language], tag: &str) -> Option<&'a Language> {
    let others: Vec<&str> = languages.iter().skip(1).map(|l| l.tag.as_str()).collect();
    match languages.iter().find(|l| l.tag.eq_ignore_ascii_case(tag)) {
        Some(l) if l.is_default() => {
            eprintln!(
                "gazette: `{tag}` is the site's default language: the record's own file holds its text{}",
                if others.is_empty() {
                    String::new()
                } else {
                    format!("; translate into one of: {}", others.join(", "))
                }
            );
            None
        }
        Some(l) => Some(l),
        None if others.is_empty() => {
            eprintln!(
                "gazette: the site has one language; list the others under `languages:` in gazette.yaml (see docs/translating.md)"
            );
            None
        }
        None => {
            let hint = closest(tag, others.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            eprintln!(
                "gazette: `{tag}` is not one of the site's languages{hint}; expected one of: {}",
                others.join(", ")
            );
            None
        }
    }
}

/// The record's text on one comment line.
fn comment(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The translation file's text.
pub fn skeleton(e: &Entity, from: &str, lang: &str, title: Option<&str>) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# The {lang} text of {}.\n# Translate each {PLACEHOLDER}; the comment above it is the record's {from} text.\n# Delete a line, or write `~` for a list item, to show the record's own\n# text there. Facts (dates, amounts, references) stay in the record only.",
        e.meta.file
    );
    let _ = writeln!(
        y,
        "# Which version of the record's text this translates; see\n# `gazette check --translations`.\ntranslates: \"{}\"",
        digest(e)
    );
    let field = |y: &mut String, key: &str, original: &str, value: Option<&str>| {
        let _ = writeln!(y, "# {from}: {}", comment(original));
        let _ = writeln!(y, "{key}: {}", value.map_or(PLACEHOLDER.to_string(), quote));
    };
    let name = if matches!(e.meta.kind, Kind::Organization | Kind::Person) {
        "name"
    } else {
        "title"
    };
    field(&mut y, name, e.title(), title);
    let opt = |y: &mut String, key: &str, original: &Option<String>| {
        if let Some(o) = original {
            field(y, key, o, None);
        }
    };
    // The items of a list, each with its text field (`""`: the item is
    // the text); an item without text is `~`.
    let list = |y: &mut String, key: &str, item: &str, texts: Vec<Option<&str>>| {
        if texts.is_empty() {
            return;
        }
        let _ = writeln!(y, "{key}:");
        for t in texts {
            match (t, item) {
                (None, _) => {
                    let _ = writeln!(y, "  - ~  # no text in the record");
                }
                (Some(t), "") => {
                    let _ = writeln!(y, "  # {from}: {}\n  - {PLACEHOLDER}", comment(t));
                }
                (Some(t), _) => {
                    let _ = writeln!(y, "  # {from}: {}\n  - {item}: {PLACEHOLDER}", comment(t));
                }
            }
        }
    };
    match &e.data {
        Data::Partnership(p) => {
            opt(&mut y, "short_name", &p.short_name);
            if !p.objectives.is_empty() {
                let _ = writeln!(y, "objectives:");
                for o in &p.objectives {
                    let _ = writeln!(
                        y,
                        "  # {from}: {}\n  - id: {}\n    title: {PLACEHOLDER}",
                        comment(&o.title),
                        o.id
                    );
                }
            }
        }
        Data::Dialogue(d) => {
            opt(&mut y, "location", &d.location);
            let roles = d.participants.iter().map(|p| p.role.as_deref()).collect();
            list(&mut y, "participants", "role", roles);
            let outcomes = d.outcomes.iter().map(|o| Some(o.text.as_str())).collect();
            list(&mut y, "outcomes", "", outcomes);
        }
        Data::Pledge(p) => {
            let notes = p.progress.iter().map(|x| x.note.as_deref()).collect();
            list(&mut y, "progress", "note", notes);
        }
        Data::Grant(g) => {
            let notes = g.tranches.iter().map(|t| t.note.as_deref()).collect();
            list(&mut y, "tranches", "note", notes);
        }
        Data::Organization(o) => opt(&mut y, "short_name", &o.short_name),
        Data::Person(p) => {
            opt(&mut y, "honorific", &p.honorific);
            let titles = p.positions.iter().map(|x| Some(x.title.as_str())).collect();
            list(&mut y, "positions", "title", titles);
        }
        Data::Report(_) => {}
    }
    let body = if e.meta.body.trim().is_empty() {
        String::new()
    } else {
        format!(
            "\n# Below the closing line, write the body translated from {}.\n# With no body, the page shows the record's own.\n",
            e.meta.file
        )
    };
    format!("---\n{y}{body}---\n")
}
