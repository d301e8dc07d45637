//! Translations: the text of a record in another of the site's languages,
//! from its translation file (`content/dialogues/x.mn.md` for `x.md`).
//! Facts (dates, money, statuses, references, ids) live in the record file
//! only; a translation holds text fields alone, and
//! `graph::translations::apply` lays them over a copy of the record to give
//! the record as a page in that language shows it.

use super::entities::*;
use crate::diagnostics::Pos;
use sha2::{Digest, Sha256};

/// The text fields of one record in one language. A field left out keeps
/// the record's own text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    /// `title`, or `name` for organizations and people.
    pub title: Option<String>,
    pub short_name: Option<String>,
    pub location: Option<String>,
    pub honorific: Option<String>,
    /// Objective titles by objective id (partnerships).
    pub objectives: Vec<(String, String)>,
    /// The text of list items, by position: `(list, items)` where `list`
    /// is one of [`LISTS`] and an item left out is `None`.
    pub lists: Vec<(&'static str, Vec<Option<String>>)>,
    /// The translated body: a part of the translation file's text.
    pub body: Option<super::Text>,
}

/// The lists whose items have text, by type: the list field, and the text
/// field of each item (`""` when the item is the text).
pub const LISTS: &[(Kind, &str, &str)] = &[
    (Kind::Dialogue, "participants", "role"),
    (Kind::Dialogue, "outcomes", ""),
    (Kind::Pledge, "progress", "note"),
    (Kind::Grant, "tranches", "note"),
    (Kind::Person, "positions", "title"),
];

/// A parsed translation file.
#[derive(Debug, Clone)]
pub struct Translation {
    pub kind: Kind,
    /// The id of the record it translates.
    pub id: String,
    /// The language, as the site's `languages:` writes it.
    pub lang: String,
    pub file: String,
    pub texts: Texts,
    pub body_line: usize,
    pub links: Vec<Link>,
    /// `unofficial: true`: said on every page that shows it.
    pub unofficial: bool,
    /// The [`digest`] of the record's text it was made from (`translates:`).
    pub translates: Option<String>,
    pub translates_pos: Option<Pos>,
}

impl Translation {
    /// Whether the record `e` it translates changed its text since: the
    /// translation names no digest, or not `e`'s now.
    pub fn outdated(&self, e: &Entity) -> bool {
        self.translates.as_deref() != Some(digest(e).as_str())
    }
}

/// A short digest of a record's text in its own language: a translation
/// names it (`translates:`) to say which version it translates, and is out
/// of date when the record's text no longer has it.
pub fn digest(e: &Entity) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update(s.as_bytes());
        h.update([0]);
    };
    put(e.title());
    put(e.meta.body.trim());
    match &e.data {
        Data::Partnership(p) => {
            put(p.short_name.as_deref().unwrap_or(""));
            for o in &p.objectives {
                put(&o.title);
            }
        }
        Data::Dialogue(d) => {
            put(d.location.as_deref().unwrap_or(""));
            for p in &d.participants {
                put(p.role.as_deref().unwrap_or(""));
            }
            for o in &d.outcomes {
                put(&o.text);
            }
        }
        Data::Pledge(p) => {
            for pe in &p.progress {
                put(pe.note.as_deref().unwrap_or(""));
            }
        }
        Data::Grant(g) => {
            for t in &g.tranches {
                put(t.note.as_deref().unwrap_or(""));
            }
        }
        Data::Organization(o) => put(o.short_name.as_deref().unwrap_or("")),
        Data::Person(p) => {
            put(p.honorific.as_deref().unwrap_or(""));
            for x in &p.positions {
                put(&x.title);
            }
        }
        Data::Report(_) => {}
    }
    let out = h.finalize();
    out.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// `e` with every text field a translation can give emptied (a title or
/// name `""`, optional text `None`, the body gone) and its facts kept: a
/// translation laid over it (`graph::translations::apply`) leaves only its own text, for
/// the open data's language columns (`render/data/tables.rs`).
pub fn without_text(e: &Entity) -> Entity {
    let mut out = e.clone();
    match &mut out.data {
        Data::Partnership(p) => {
            p.title.clear();
            p.short_name = None;
            for o in &mut p.objectives {
                o.title.clear();
            }
        }
        Data::Dialogue(d) => {
            d.title.clear();
            d.location = None;
            for p in &mut d.participants {
                p.role = None;
            }
            for o in &mut d.outcomes {
                o.text.clear();
            }
        }
        Data::Pledge(p) => {
            p.title.clear();
            for pe in &mut p.progress {
                pe.note = None;
            }
        }
        Data::Grant(g) => {
            g.title.clear();
            for t in &mut g.tranches {
                t.note = None;
            }
        }
        Data::Organization(o) => {
            o.name.clear();
            o.short_name = None;
        }
        Data::Person(p) => {
            p.name.clear();
            p.honorific = None;
            for x in &mut p.positions {
                x.title.clear();
            }
        }
        Data::Report(r) => r.title.clear(),
    }
    out.meta.body = super::Text::default();
    out.meta.summary.clear();
    out.meta.links.clear();
    out
}

/// The text of list item `i` of `list`, if the translation gives one.
pub fn item<'a>(t: &'a Texts, list: &str, i: usize) -> Option<&'a String> {
    t.lists
        .iter()
        .find(|(l, _)| *l == list)
        .and_then(|(_, items)| items.get(i))
        .and_then(Option::as_ref)
}
