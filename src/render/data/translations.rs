//! A record's text in the site's other languages, for its JSON (the twin
//! and `graph.json`): `translations`, by language tag, for each language
//! the record is translated into, holding only the text its translation
//! gives, under the keys `fields` and `body_markdown` use, with whether the
//! translation is unofficial and out of date. The record's own keys stay
//! its text in the default language. A site in one language writes no
//! `translations` at all, so its JSON is what it was before translations.

use crate::config::Config;
use crate::graph::history::in_order;
use crate::graph::{translations::by_record, Graph};
use crate::model::translation::{item, Translation};
use crate::model::{Data, Entity, Kind};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// One language's translations, by the (type, id) of their record.
type ByRecord<'g> = HashMap<(Kind, &'g str), &'g Translation>;

/// The translations of the records into each of the site's other
/// languages, in `config.languages` order.
pub struct Others<'g> {
    langs: Vec<(&'g str, ByRecord<'g>)>,
}

impl<'g> Others<'g> {
    pub fn new(graph: &'g Graph, config: &'g Config) -> Others<'g> {
        Others {
            langs: config
                .languages
                .iter()
                .skip(1)
                .map(|l| (l.tag.as_str(), by_record(graph, &l.tag)))
                .collect(),
        }
    }

    /// `e`'s `translations` object: one entry per language it is translated
    /// into (none for the others, never the default's text under another
    /// tag); `None` on a site in one language.
    pub fn json(&self, e: &Entity) -> Option<Value> {
        if self.langs.is_empty() {
            return None;
        }
        let mut out = Map::new();
        for (tag, by_record) in &self.langs {
            if let Some(t) = by_record.get(&(e.meta.kind, e.meta.id.as_str())) {
                out.insert(tag.to_string(), entry(e, t));
            }
        }
        Some(Value::Object(out))
    }
}

/// One language's entry: `unofficial`, `outdated`, the `fields` the
/// translation gives and its `body_markdown`, if it gives one.
fn entry(e: &Entity, t: &Translation) -> Value {
    let mut v = json!({
        "unofficial": t.unofficial,
        "outdated": t.outdated(e),
        "fields": fields(e, t),
    });
    if let Some(body) = &t.texts.body {
        v["body_markdown"] = json!(body.trim());
    }
    v
}

/// The text fields `t` gives, named as in the record's `fields`: lists are
/// as long and in the same order as the record's, with `null` for an item
/// the translation leaves out; a list with no item translated is left out.
fn fields(e: &Entity, t: &Translation) -> Value {
    let x = &t.texts;
    let mut f = Map::new();
    let mut put = |key: &str, v: &Option<String>| {
        if let Some(v) = v {
            f.insert(key.into(), json!(v));
        }
    };
    let title = match e.meta.kind {
        Kind::Organization | Kind::Person => "name",
        _ => "title",
    };
    put(title, &x.title);
    put("short_name", &x.short_name);
    put("location", &x.location);
    put("honorific", &x.honorific);
    let mut lists: Vec<(&str, Value)> = Vec::new();
    let mut list = |list: &'static str, key: &str, order: Vec<usize>| {
        let items: Vec<Value> = order
            .into_iter()
            .map(|i| item(x, list, i).map_or(Value::Null, |s| json!({ key: s })))
            .collect();
        if items.iter().any(|v| !v.is_null()) {
            lists.push((list, Value::Array(items)));
        }
    };
    match &e.data {
        Data::Partnership(p) => {
            let objectives: Vec<Value> = p
                .objectives
                .iter()
                .filter_map(|o| {
                    let (_, title) = x.objectives.iter().find(|(id, _)| *id == o.id)?;
                    Some(json!({"id": o.id, "title": title}))
                })
                .collect();
            if !objectives.is_empty() {
                lists.push(("objectives", Value::Array(objectives)));
            }
        }
        Data::Dialogue(d) => {
            list("participants", "role", (0..d.participants.len()).collect());
            list("outcomes", "text", (0..d.outcomes.len()).collect());
        }
        Data::Pledge(p) => {
            // In the order the record's `progress` is written in its JSON.
            let order = in_order(&p.progress)
                .filter_map(|pe| p.progress.iter().position(|x| std::ptr::eq(x, pe)))
                .collect();
            list("progress", "note", order);
        }
        Data::Grant(g) => list("tranches", "note", (0..g.tranches.len()).collect()),
        Data::Person(p) => list("positions", "title", (0..p.positions.len()).collect()),
        Data::Organization(_) | Data::Report(_) => {}
    }
    for (k, v) in lists {
        f.insert(k.into(), v);
    }
    Value::Object(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::translation::Texts;

    fn translation(e: &Entity, texts: Texts, translates: Option<String>) -> Translation {
        Translation {
            kind: e.meta.kind,
            id: e.meta.id.clone(),
            lang: "mn".into(),
            file: format!("content/x/{}.mn.md", e.meta.id),
            texts,
            body_line: 1,
            links: Vec::new(),
            unofficial: true,
            translates,
            translates_pos: None,
        }
    }

    #[test]
    fn an_entry_holds_only_the_text_the_translation_gives_in_the_record_s_order() {
        let (g, _) = crate::testing::with_base(&[]);
        let ann = &g.entities[g.get(Kind::Person, "ann").unwrap()];
        let Data::Person(p) = &ann.data else {
            unreachable!()
        };
        assert!(!p.positions.is_empty());
        let t = translation(
            ann,
            Texts {
                title: Some("Анн".into()),
                lists: vec![("positions", vec![Some("Сайд".into())])],
                ..Texts::default()
            },
            Some(crate::model::translation::digest(ann)),
        );
        let v = entry(ann, &t);
        let mut positions = vec![Value::Null; p.positions.len()];
        positions[0] = json!({"title": "Сайд"});
        assert_eq!(
            v,
            json!({
                "unofficial": true,
                "outdated": false,
                "fields": {"name": "Анн", "positions": positions},
            })
        );
        // No digest: out of date; a body is given as written, trimmed.
        let t = translation(
            ann,
            Texts {
                body: Some("\nТекст.\n".into()),
                ..Texts::default()
            },
            None,
        );
        assert_eq!(
            entry(ann, &t),
            json!({"unofficial": true, "outdated": true, "fields": {}, "body_markdown": "Текст."})
        );
    }
}
