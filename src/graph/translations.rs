//! Translations against the graph: each must translate a record that
//! exists, into a language the site has, with no more list items than the
//! record; and [`localize`] gives the graph as pages in one language show
//! it: every record with its translation laid over it, or its own text
//! marked as untranslated.

use super::Graph;
use crate::config::Language;
use crate::diagnostics::{closest, Diagnostic};
use crate::markdown;
use crate::model::translation::{digest, item, without_text, Translation};
use crate::model::{Data, Entity, Kind, TextState};
use std::collections::{HashMap, HashSet};

/// Problems with the translations: unknown language or record, a second
/// file for the same record and language, more list items than the
/// record has, unknown objectives; a warning when a translation does not
/// say which version of the record it translates. `known` holds every
/// (type, id) that has a file, even one that failed to parse: its
/// translation is not reported as translating nothing (the record's own
/// error says what is wrong).
pub fn check(
    graph: &Graph,
    known: &HashSet<(Kind, String)>,
    languages: &[Language],
) -> Vec<Diagnostic> {
    let translations = graph.translations();
    let mut out = Vec::new();
    let mut seen: HashMap<(crate::model::Kind, &str, &str), &str> = HashMap::new();
    let others: Vec<&str> = languages.iter().skip(1).map(|l| l.tag.as_str()).collect();
    for t in translations {
        let Some(lang) = languages
            .iter()
            .find(|l| l.tag.eq_ignore_ascii_case(&t.lang))
        else {
            out.push(
                Diagnostic::error(t.file.clone(), format!("`{}` is not one of the site's languages", t.lang))
                    .expected(if others.is_empty() {
                        "a language listed under `languages.others` in gazette.yaml".to_string()
                    } else {
                        format!("one of: {}", others.join(", "))
                    })
                    .hint_opt(
                        closest(&t.lang, others.iter().copied())
                            .map(|c| format!("did you mean `{c}`?"))
                            .or_else(|| Some(format!("add `{}` to `languages.others` in gazette.yaml, or rename the file", t.lang))),
                    ),
            );
            continue;
        };
        if lang.is_default() {
            out.push(
                Diagnostic::error(
                    t.file.clone(),
                    format!("`{}` is the site's default language", t.lang),
                )
                .expected("a translation into another language")
                .hint(format!(
                    "the record's own file, `{}.md`, holds its {} text",
                    t.id, t.lang
                )),
            );
            continue;
        }
        let Some(i) = graph.get(t.kind, &t.id) else {
            if known.contains(&(t.kind, t.id.clone())) {
                continue;
            }
            let ids = graph.ids(t.kind);
            out.push(
                Diagnostic::error(
                    t.file.clone(),
                    format!(
                        "translation of a {} that does not exist: `{}`",
                        t.kind.name(),
                        t.id
                    ),
                )
                .expected(format!(
                    "a file `{}.md` in content/{}/",
                    t.id,
                    t.kind.folder()
                ))
                .hint_opt(
                    closest(&t.id, ids)
                        .map(|c| format!("did you mean `{c}.{}.md`?", t.lang))
                        .or_else(|| {
                            Some(
                                "rename it after its record, or delete it if the record is gone"
                                    .into(),
                            )
                        }),
                ),
            );
            continue;
        };
        if let Some(other) = seen.insert((t.kind, &t.id, &lang.tag), &t.file) {
            out.push(
                Diagnostic::error(
                    t.file.clone(),
                    format!("a second {} translation of `{}`", lang.tag, t.id),
                )
                .expected("one translation file per record and language")
                .hint(format!("`{other}` translates it already")),
            );
        }
        let e = &graph.entities[i];
        for (list, items) in &t.texts.lists {
            let have = list_len(e, list);
            if items.len() > have {
                out.push(
                    Diagnostic::error(
                        t.file.clone(),
                        format!(
                            "`{list}` has {} items here but {have} in the record",
                            items.len()
                        ),
                    )
                    .field(*list)
                    .expected(format!("at most {have}, in the record's order"))
                    .hint(format!("items are matched by position with `{}.md`", t.id)),
                );
            }
        }
        if let Data::Partnership(p) = &e.data {
            for (id, _) in &t.texts.objectives {
                if !p.objectives.iter().any(|o| &o.id == id) {
                    let ids: Vec<&str> = p.objectives.iter().map(|o| o.id.as_str()).collect();
                    out.push(
                        Diagnostic::error(t.file.clone(), format!("unknown objective `{id}`"))
                            .field("objectives")
                            .expected(format!("one of: {}", ids.join(", ")))
                            .hint_opt(
                                closest(id, ids.iter().copied())
                                    .map(|c| format!("did you mean `{c}`?")),
                            ),
                    );
                }
            }
        }
        for link in &t.links {
            if let Ok(target) = crate::markdown::parse_internal(&link.target) {
                if graph.get(target.kind, target.id).is_none()
                    && !known.contains(&(target.kind, target.id.to_string()))
                {
                    out.push(
                        Diagnostic::error(
                            t.file.clone(),
                            format!("link to a page that does not exist: `{}`", link.target),
                        )
                        .at(Some(link.pos))
                        .expected(format!(
                            "an existing file under content/{}/",
                            target.kind.folder()
                        )),
                    );
                }
            }
        }
        if t.translates.is_none() {
            out.push(
                Diagnostic::warning(t.file.clone(), "the translation does not say which version of the record it translates")
                    .field("translates")
                    .expected(format!("`translates: \"{}\"`, the digest of the record's text now", digest(e)))
                    .hint("without it the translation is shown as possibly out of date; `gazette check --translations` lists the digests"),
            );
        }
    }
    out
}

fn list_len(e: &Entity, list: &str) -> usize {
    match (&e.data, list) {
        (Data::Dialogue(d), "participants") => d.participants.len(),
        (Data::Dialogue(d), "outcomes") => d.outcomes.len(),
        (Data::Pledge(p), "progress") => p.progress.len(),
        (Data::Grant(g), "tranches") => g.tranches.len(),
        (Data::Person(p), "positions") => p.positions.len(),
        _ => 0,
    }
}

/// The graph as pages in `lang` show it: each record with its `lang`
/// translation over it, or its own text marked [`TextState::Missing`].
/// Facts, references and order are the graph's; figures are computed again,
/// since timelines carry notes.
pub fn localize(graph: &Graph, lang: &str) -> Graph {
    let by_record = by_record(graph, lang);
    let mut out = graph.clone();
    for e in &mut out.entities {
        let state;
        match by_record.get(&(e.meta.kind, e.meta.id.as_str())) {
            Some(t) => {
                state = TextState::Translated {
                    unofficial: t.unofficial,
                    outdated: t.outdated(e),
                    title: t.texts.title.is_some(),
                    body: t.texts.body.is_some() || e.meta.body.trim().is_empty(),
                };
                *e = apply(e, t);
            }
            None => state = TextState::Missing,
        }
        e.meta.text = state;
    }
    out.recompute_stats();
    out
}

/// The `lang` translation of each record that has one, by (type, id); the
/// first file where a record has two (an error `check` reports).
pub fn by_record<'g>(
    graph: &'g Graph,
    lang: &str,
) -> HashMap<(crate::model::Kind, &'g str), &'g Translation> {
    let mut by_record = HashMap::new();
    for t in graph
        .translations()
        .iter()
        .filter(|t| t.lang.eq_ignore_ascii_case(lang))
    {
        by_record.entry((t.kind, t.id.as_str())).or_insert(t);
    }
    by_record
}

/// The graph with only the text `lang`'s translations give: every text
/// field a translation does not give is empty, untranslated records' too,
/// and records left out of the graph have no title (see
/// [`without_text`]). Facts and order are the graph's, so a table made
/// from it has the same rows as from `graph`, each text cell holding the
/// translation's text or nothing. It has no figures: no table reads them,
/// and their timelines would carry the records' own notes.
pub fn texts_only(graph: &Graph, lang: &str) -> Graph {
    let by_record = by_record(graph, lang);
    let entities = graph
        .entities
        .iter()
        .map(|e| {
            let bare = without_text(e);
            match by_record.get(&(e.meta.kind, e.meta.id.as_str())) {
                Some(t) => apply(&bare, t),
                None => bare,
            }
        })
        .collect();
    Graph {
        entities,
        index: graph.index.clone(),
        by_kind: graph.by_kind.clone(),
        newest: graph.newest.clone(),
        backlinks: graph.backlinks.clone(),
        stats: HashMap::new(),
        outside: HashMap::new(),
        statuses: graph.statuses.clone(),
        translations: Vec::new(),
    }
}

/// `e` as a page in the translation's language shows it: its text fields
/// replaced by those the translation gives, its facts untouched.
pub fn apply(e: &Entity, t: &Translation) -> Entity {
    let mut out = e.clone();
    let x = &t.texts;
    let set = |field: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            field.clone_from(v);
        }
    };
    let set_opt = |field: &mut Option<String>, v: &Option<String>| {
        if v.is_some() {
            field.clone_from(v);
        }
    };
    match &mut out.data {
        Data::Partnership(p) => {
            set(&mut p.title, &x.title);
            set_opt(&mut p.short_name, &x.short_name);
            for o in &mut p.objectives {
                if let Some((_, title)) = x.objectives.iter().find(|(id, _)| *id == o.id) {
                    o.title.clone_from(title);
                }
            }
        }
        Data::Dialogue(d) => {
            set(&mut d.title, &x.title);
            set_opt(&mut d.location, &x.location);
            for (i, p) in d.participants.iter_mut().enumerate() {
                if let Some(r) = item(x, "participants", i) {
                    p.role = Some(r.clone());
                }
            }
            for (i, o) in d.outcomes.iter_mut().enumerate() {
                if let Some(text) = item(x, "outcomes", i) {
                    o.text.clone_from(text);
                }
            }
        }
        Data::Pledge(p) => {
            set(&mut p.title, &x.title);
            for (i, pe) in p.progress.iter_mut().enumerate() {
                if let Some(n) = item(x, "progress", i) {
                    pe.note = Some(n.clone());
                }
            }
        }
        Data::Grant(g) => {
            set(&mut g.title, &x.title);
            for (i, tr) in g.tranches.iter_mut().enumerate() {
                if let Some(n) = item(x, "tranches", i) {
                    tr.note = Some(n.clone());
                }
            }
        }
        Data::Organization(o) => {
            set(&mut o.name, &x.title);
            set_opt(&mut o.short_name, &x.short_name);
        }
        Data::Person(p) => {
            set(&mut p.name, &x.title);
            set_opt(&mut p.honorific, &x.honorific);
            for (i, pos) in p.positions.iter_mut().enumerate() {
                if let Some(title) = item(x, "positions", i) {
                    pos.title.clone_from(title);
                }
            }
        }
        Data::Report(r) => set(&mut r.title, &x.title),
    }
    if let Some(body) = &x.body {
        out.meta.body = body.clone();
        out.meta.body_line = t.body_line;
        out.meta.links.clone_from(&t.links);
        out.meta.summary = markdown::summary(body, 200);
    }
    out
}
