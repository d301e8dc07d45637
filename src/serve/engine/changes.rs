//! What changed since the last good output, in the terms pages record their
//! reads in (`render::views::part`): per entity, which of its parts; and per
//! template, which page templates use it.
//!
//! Entities are named by *slots*: small numbers that stay with a (type, id)
//! for the engine's whole life, so recorded reads survive a rebuild of the
//! graph, whose indices change.

use crate::graph::{Graph, Idx};
use crate::model::TextState;
use crate::model::{Data, Entity, Kind};
use crate::render::views::{part, Parts};
use std::collections::{HashMap, HashSet};
use tera::ast::Node;

/// Stable numbers for (type, id) pairs.
#[derive(Default)]
pub(super) struct Slots {
    ids: HashMap<(Kind, String), u32>,
    keys: Vec<(Kind, String)>,
}

impl Slots {
    pub fn slot(&mut self, kind: Kind, id: &str) -> u32 {
        if let Some(&s) = self.ids.get(&(kind, id.to_string())) {
            return s;
        }
        let s = self.keys.len() as u32;
        self.keys.push((kind, id.to_string()));
        self.ids.insert((kind, id.to_string()), s);
        s
    }

    pub fn key(&self, slot: u32) -> &(Kind, String) {
        &self.keys[slot as usize]
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The slot of every entity of `graph`, by index.
    pub fn of_graph(&mut self, graph: &Graph) -> Vec<u32> {
        graph
            .entities
            .iter()
            .map(|e| self.slot(e.meta.kind, &e.meta.id))
            .collect()
    }
}

fn debug<T: std::fmt::Debug>(t: &T) -> String {
    format!("{t:?}")
}

/// The parts of an entity that differ between `old` and `new`, both its own.
/// Any change to the typed fields counts as a list-level change (a list row
/// shows some of them); a change to the title or date as a link-level one.
/// Whose text a page in another language shows (`graph::translations::
/// localize`) counts too: a link marks a title left in the default
/// language, a record's page says whether and how it is translated (out of
/// date, unofficial), and the open data gives a record's text only in the
/// languages it is translated into.
pub(super) fn own_changes(old: &Entity, new: &Entity) -> Parts {
    let data = debug(&old.data) != debug(&new.data);
    let link = old.title() != new.title()
        || old.date() != new.date()
        || title_lang(old) != title_lang(new);
    let list = data || old.meta.summary != new.meta.summary || translated(old) != translated(new);
    let full = list
        || old.meta.text != new.meta.text
        || old.meta.body != new.meta.body
        || old.meta.extra != new.meta.extra
        || old.meta.file != new.meta.file;
    let mut bits = 0;
    if old.date() != new.date() {
        bits |= part::ORDER;
    }
    if link {
        bits |= part::LINK;
    }
    if list {
        bits |= part::LIST;
    }
    if full {
        bits |= part::FULL;
    }
    bits
}

/// Whether a link to `e` marks its title as in another language.
fn title_lang(e: &Entity) -> bool {
    crate::render::language::title_lang(e.meta.text, "").is_some()
}

/// Whether `e` has text of its own in its graph's language.
fn translated(e: &Entity) -> bool {
    e.meta.text != TextState::Missing
}

/// Whether going from `old` to `new` leaves the graph as it is, so the
/// entity can be replaced where it stands. The graph is computed from each
/// entity's type, id, file, date, references and objectives, and for its
/// partnership's figures from the dates, amounts, statuses and notes below;
/// titles, names, bodies and the other fields are only shown.
pub(super) fn same_graph(old: &Entity, new: &Entity) -> bool {
    old.meta.kind == new.meta.kind
        && old.meta.id == new.meta.id
        && old.meta.file == new.meta.file
        && graph_fields(old) == graph_fields(new)
}

fn graph_fields(e: &Entity) -> String {
    let figures = match &e.data {
        Data::Partnership(p) => debug(&(p.signed, &p.objectives)),
        Data::Dialogue(d) => debug(&d.date),
        Data::Pledge(p) => debug(&(p.made, p.status, &p.progress)),
        Data::Grant(g) => debug(&(g.awarded, g.amount, &g.tranches)),
        Data::Report(r) => debug(&r.published),
        Data::Organization(_) | Data::Person(_) => String::new(),
    };
    debug(&(
        e.date(),
        e.refs(),
        e.partnership(),
        e.objective_refs(),
        figures,
    ))
}

fn refs(e: &Entity) -> Vec<(Kind, &str, &str)> {
    e.refs()
        .into_iter()
        .map(|r| (r.kind, r.id.as_str(), r.field.as_str()))
        .collect()
}

/// The entities whose derived parts change when `old` becomes `new`:
/// backlinks of what either refers to (when the references or the sort
/// order change) and the figures of either's partnership (when the typed
/// fields change). Either side may be absent.
pub(super) fn derived_changes(
    old: Option<&Entity>,
    new: Option<&Entity>,
    out: &mut Vec<((Kind, String), Parts)>,
) {
    let (refs_changed, data_changed) = match (old, new) {
        (Some(o), Some(n)) => (
            refs(o) != refs(n) || o.date() != n.date(),
            debug(&o.data) != debug(&n.data),
        ),
        _ => (true, true),
    };
    for e in [old, new].into_iter().flatten() {
        if refs_changed {
            for r in e.refs() {
                out.push(((r.kind, r.id.clone()), part::BACKLINKS));
            }
        }
        if data_changed {
            if let Some(p) = e.partnership() {
                out.push(((Kind::Partnership, p.id.clone()), part::STATS));
            }
            if e.meta.kind == Kind::Partnership {
                out.push(((Kind::Partnership, e.meta.id.clone()), part::STATS));
            }
        }
    }
}

/// Per slot, the parts changed (dense, indexed by slot).
pub(super) fn bits_vec(n: usize, changes: &HashMap<u32, Parts>) -> Vec<Parts> {
    let mut v = vec![0; n];
    for (&s, &b) in changes {
        v[s as usize] |= b;
    }
    v
}

/// Merge a page's raw reads into one entry per slot, sorted by slot.
pub(super) fn compact_reads(reads: Vec<(Idx, Parts)>, slot_of: &[u32]) -> Vec<(u32, Parts)> {
    let mut v: Vec<(u32, Parts)> = reads.into_iter().map(|(i, p)| (slot_of[i], p)).collect();
    v.sort_unstable_by_key(|&(s, _)| s);
    let mut out: Vec<(u32, Parts)> = Vec::with_capacity(v.len());
    for (s, p) in v {
        match out.last_mut() {
            Some(last) if last.0 == s => last.1 |= p,
            _ => out.push((s, p)),
        }
    }
    out
}

/// For every template, the templates it uses directly: what it extends,
/// includes and imports.
fn direct_uses(tera: &tera::Tera) -> HashMap<&str, Vec<&str>> {
    fn walk<'t>(nodes: &'t [Node], out: &mut Vec<&'t str>) {
        for n in nodes {
            match n {
                Node::Extends(_, name) | Node::ImportMacro(_, name, _) => out.push(name),
                Node::Include(_, names, _) => out.extend(names.iter().map(String::as_str)),
                Node::MacroDefinition(_, m, _) => walk(&m.body, out),
                Node::FilterSection(_, f, _) => walk(&f.body, out),
                Node::Block(_, b, _) => walk(&b.body, out),
                Node::Forloop(_, f, _) => {
                    walk(&f.body, out);
                    walk(f.empty_body.as_deref().unwrap_or(&[]), out);
                }
                Node::If(i, _) => {
                    for (_, _, body) in &i.conditions {
                        walk(body, out);
                    }
                    walk(i.otherwise.as_ref().map_or(&[], |(_, b)| b), out);
                }
                _ => {}
            }
        }
    }
    tera.templates
        .iter()
        .map(|(name, t)| {
            let mut out: Vec<&str> = t.parents.iter().map(String::as_str).collect();
            out.extend(t.imported_macro_files.iter().map(|(f, _)| f.as_str()));
            walk(&t.ast, &mut out);
            (name.as_str(), out)
        })
        .collect()
}

/// The templates whose output may change when the templates named in
/// `changed` change: each of them and every template that uses one,
/// directly or not.
pub(super) fn affected_templates(tera: &tera::Tera, changed: &HashSet<String>) -> HashSet<String> {
    let uses = direct_uses(tera);
    let mut affected: HashSet<String> = changed.clone();
    loop {
        let before = affected.len();
        for (name, used) in &uses {
            if !affected.contains(*name) && used.iter().any(|u| affected.contains(*u)) {
                affected.insert(name.to_string());
            }
        }
        if affected.len() == before {
            return affected;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::with_base;

    #[test]
    fn a_body_edit_is_full_only_and_a_rename_of_the_title_is_link_level() {
        let (g, _) = with_base(&[]);
        let gov = &g.entities[g.get(Kind::Organization, "gov").unwrap()];
        let mut body = gov.clone();
        body.meta.body = "New text.\n".into();
        assert_eq!(own_changes(gov, &body), part::FULL);
        assert!(same_graph(gov, &body));
        let mut named = gov.clone();
        if let crate::model::Data::Organization(o) = &mut named.data {
            o.name = "Government".into();
        }
        assert_eq!(
            own_changes(gov, &named),
            part::LINK | part::LIST | part::FULL
        );
        // A name is shown, not computed with: the graph stays.
        assert!(same_graph(gov, &named));
        let mut moved = gov.clone();
        if let crate::model::Data::Organization(o) = &mut moved.data {
            o.parent = Some(crate::model::Ref {
                kind: Kind::Organization,
                id: "ngo".into(),
                pos: crate::diagnostics::Pos::new(5, 9),
                field: "parent".into(),
            });
        }
        assert!(!same_graph(gov, &moved));
        let mut derived = Vec::new();
        derived_changes(Some(gov), Some(&named), &mut derived);
        assert!(derived.is_empty(), "{derived:?}");
    }

    #[test]
    fn whose_text_a_record_shows_is_a_change_of_its_page_its_links_or_its_rows() {
        let (g, _) = with_base(&[]);
        let gov = &g.entities[g.get(Kind::Organization, "gov").unwrap()];
        let with = |text| {
            let mut e = gov.clone();
            e.meta.text = text;
            e
        };
        let translated = |title, outdated| {
            with(TextState::Translated {
                unofficial: true,
                outdated,
                title,
                body: true,
            })
        };
        // The record's text changed under its translation: only its page
        // says that the translation is out of date.
        assert_eq!(
            own_changes(&translated(true, false), &translated(true, true)),
            part::FULL
        );
        // A translation of the body alone gone: links still mark the title
        // as in the default language, but the record has no text of its own
        // in the language any more.
        assert_eq!(
            own_changes(&translated(false, false), &with(TextState::Missing)),
            part::LIST | part::FULL
        );
        assert_eq!(
            own_changes(&translated(true, false), &with(TextState::Missing)),
            part::LINK | part::LIST | part::FULL
        );
    }

    #[test]
    fn moving_a_reference_changes_both_targets_backlinks() {
        let (g, _) = with_base(&[]);
        let ann = &g.entities[g.get(Kind::Person, "ann").unwrap()];
        let mut moved = ann.clone();
        if let crate::model::Data::Person(p) = &mut moved.data {
            p.positions[0].organization.as_mut().unwrap().id = "ngo".into();
        }
        let mut derived = Vec::new();
        derived_changes(Some(ann), Some(&moved), &mut derived);
        let targets: HashSet<_> = derived
            .iter()
            .filter(|(_, p)| *p == part::BACKLINKS)
            .map(|((_, id), _)| id.as_str())
            .collect();
        assert_eq!(targets, HashSet::from(["gov", "ngo"]));
    }

    #[test]
    fn a_changed_base_template_affects_every_template_that_extends_it() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(vec![
            ("base.html", "<main>{% block main %}{% endblock %}</main>"),
            ("macros.html", "{% macro x() %}x{% endmacro %}"),
            (
                "a.html",
                "{% extends \"base.html\" %}{% block main %}a{% endblock %}",
            ),
            (
                "b.html",
                "{% import \"macros.html\" as m %}{% if true %}{% include \"part.html\" %}{% endif %}",
            ),
            ("part.html", "p"),
        ])
        .unwrap();
        let set =
            |names: &[&str]| -> HashSet<String> { names.iter().map(|s| s.to_string()).collect() };
        assert_eq!(
            affected_templates(&tera, &set(&["base.html"])),
            set(&["base.html", "a.html"])
        );
        assert_eq!(
            affected_templates(&tera, &set(&["part.html"])),
            set(&["part.html", "b.html"])
        );
        assert_eq!(
            affected_templates(&tera, &set(&["macros.html"])),
            set(&["macros.html", "b.html"])
        );
        assert_eq!(
            affected_templates(&tera, &set(&["a.html"])),
            set(&["a.html"])
        );
    }
}
