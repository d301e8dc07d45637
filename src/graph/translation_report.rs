//! Where the translations stand (`gazette check --translations`): for each
//! language other than the default, which records have no translation,
//! which translations were made from an older version of the record's text
//! (their `translates:` is not the record's [`digest`] now) or do not say
//! which version they translate, and the counts per type. Every entry
//! carries the record's digest now, for the translator to paste into
//! `translates:`. These are not errors: a site may publish with
//! translations missing or behind, and its pages say so.

use super::Graph;
use crate::config::Language;
use crate::model::translation::{digest, Translation};
use crate::model::Kind;
use serde::Serialize;
use std::collections::HashMap;

/// Where a record's translation into one language stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Its `translates:` is the record's digest now.
    UpToDate,
    /// Its `translates:` names another version of the record's text.
    OutOfDate,
    /// It has no `translates:`.
    VersionUnknown,
    /// No translation file.
    Missing,
}

/// One record in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The type's folder (`dialogues`).
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: String,
    pub state: State,
    /// The record's file (`content/dialogues/x.md`).
    pub record: String,
    /// The translation's file; for a missing one, the file to write.
    pub translation: String,
    /// The digest the translation names (`translates:`), if any.
    pub translates: Option<String>,
    /// The digest of the record's text now: `translates:` once the
    /// translation matches it.
    pub digest: String,
}

/// The counts of one type in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub records: usize,
    /// Records with a translation file, whatever its version.
    pub translated: usize,
    pub up_to_date: usize,
    pub out_of_date: usize,
    pub version_unknown: usize,
    pub missing: usize,
}

impl Counts {
    fn add(&mut self, state: State) {
        self.records += 1;
        match state {
            State::Missing => self.missing += 1,
            State::UpToDate => self.up_to_date += 1,
            State::OutOfDate => self.out_of_date += 1,
            State::VersionUnknown => self.version_unknown += 1,
        }
        if state != State::Missing {
            self.translated += 1;
        }
    }
}

/// The translations into one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageReport {
    /// The language's tag as `languages:` writes it.
    pub language: String,
    /// Per type with records, in the site's type order.
    pub counts: Vec<Counts>,
    /// Every type together.
    pub total: Counts,
    /// Every record, by type then id.
    pub records: Vec<Entry>,
}

impl LanguageReport {
    /// The records in `state`, by type then id.
    pub fn in_state(&self, state: State) -> impl Iterator<Item = &Entry> {
        self.records.iter().filter(move |e| e.state == state)
    }
}

/// The report for every language of `languages` but the default (the
/// first). A translation into a language the site does not have, or of a
/// record that does not exist, is an error of `check` and is not counted;
/// of two files for the same record and language the first counts, as on
/// the pages.
pub fn report(graph: &Graph, languages: &[Language]) -> Vec<LanguageReport> {
    languages
        .iter()
        .filter(|l| !l.is_default())
        .map(|l| language(graph, &l.tag))
        .collect()
}

fn language(graph: &Graph, lang: &str) -> LanguageReport {
    let mut by_record: HashMap<(Kind, &str), &Translation> = HashMap::new();
    for t in graph
        .translations()
        .iter()
        .filter(|t| t.lang.eq_ignore_ascii_case(lang))
    {
        by_record.entry((t.kind, &t.id)).or_insert(t);
    }
    let mut records = Vec::new();
    let mut counts = Vec::new();
    let mut total = Counts {
        kind: "all",
        ..Counts::default()
    };
    for kind in Kind::ALL {
        let mut ids: Vec<&str> = graph.ids(kind).collect();
        if ids.is_empty() {
            continue;
        }
        ids.sort_unstable();
        let mut c = Counts {
            kind: kind.folder(),
            ..Counts::default()
        };
        for id in ids {
            let Some(i) = graph.get(kind, id) else {
                continue;
            };
            let e = &graph.entities[i];
            let now = digest(e);
            let t = by_record.get(&(kind, id));
            let state = match t.map(|t| t.translates.as_deref()) {
                None => State::Missing,
                Some(None) => State::VersionUnknown,
                Some(Some(d)) if d == now => State::UpToDate,
                Some(Some(_)) => State::OutOfDate,
            };
            c.add(state);
            total.add(state);
            records.push(Entry {
                kind: kind.folder(),
                id: id.to_string(),
                state,
                record: e.meta.file.clone(),
                translation: t
                    .map_or_else(|| translation_file(&e.meta.file, lang), |t| t.file.clone()),
                translates: t.and_then(|t| t.translates.clone()),
                digest: now,
            });
        }
        counts.push(c);
    }
    LanguageReport {
        language: lang.to_string(),
        counts,
        total,
        records,
    }
}

/// The translation file of record file `record` (`content/pledges/x.md`)
/// in `lang`: `content/pledges/x.mn.md`.
pub fn translation_file(record: &str, lang: &str) -> String {
    let stem = record.strip_suffix(".md").unwrap_or(record);
    format!("{stem}.{}.md", lang.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::translation::Texts;
    use crate::testing::BASE;

    fn translation(kind: Kind, id: &str, lang: &str, translates: Option<&str>) -> Translation {
        Translation {
            kind,
            id: id.into(),
            lang: lang.into(),
            file: format!("content/{}/{id}.{lang}.md", kind.folder()),
            texts: Texts::default(),
            body_line: 1,
            links: Vec::new(),
            unofficial: false,
            translates: translates.map(str::to_string),
            translates_pos: None,
        }
    }

    #[test]
    fn each_record_is_up_to_date_out_of_date_unknown_or_missing() {
        let (mut g, errors) = crate::testing::graph_of(BASE);
        assert!(errors.is_empty(), "{errors:?}");
        let gov = digest(&g.entities[g.get(Kind::Organization, "gov").unwrap()]);
        g.set_translations(vec![
            translation(Kind::Organization, "gov", "mn", Some(&gov)),
            translation(Kind::Organization, "ngo", "MN", Some("0badc0de")),
            translation(Kind::Person, "ann", "mn", None),
            // Another language: not counted in `mn`.
            translation(Kind::Partnership, "p", "fr", None),
        ]);
        let langs = [
            Language::default_language("en"),
            Language {
                tag: "mn".into(),
                dir: "mn/".into(),
            },
        ];
        let reports = report(&g, &langs);
        assert_eq!(reports.len(), 1, "the default language has no report");
        let r = &reports[0];
        let states: Vec<(&str, State)> =
            r.records.iter().map(|e| (e.id.as_str(), e.state)).collect();
        assert_eq!(
            states,
            [
                ("p", State::Missing),
                ("gov", State::UpToDate),
                ("ngo", State::OutOfDate),
                ("ann", State::VersionUnknown),
            ]
        );
        let missing = &r.records[0];
        assert_eq!(missing.translation, "content/partnerships/p.mn.md");
        assert_eq!(missing.record, "content/partnerships/p.md");
        let ngo = &r.records[2];
        assert_eq!(ngo.translates.as_deref(), Some("0badc0de"));
        assert_eq!(
            ngo.digest,
            digest(&g.entities[g.get(Kind::Organization, "ngo").unwrap()])
        );
        let orgs = r.counts.iter().find(|c| c.kind == "organizations").unwrap();
        assert_eq!(
            (
                orgs.records,
                orgs.translated,
                orgs.up_to_date,
                orgs.out_of_date,
                orgs.missing
            ),
            (2, 2, 1, 1, 0)
        );
        assert_eq!(
            (
                r.total.records,
                r.total.translated,
                r.total.version_unknown,
                r.total.missing
            ),
            (4, 3, 1, 1)
        );
        assert!(
            r.counts.iter().all(|c| c.records > 0),
            "types without records are left out"
        );
    }

    #[test]
    fn translation_file_names() {
        assert_eq!(
            translation_file("content/pledges/x.md", "mn"),
            "content/pledges/x.mn.md"
        );
        assert_eq!(
            translation_file("content/people/a-b.md", "en-GB"),
            "content/people/a-b.en-gb.md"
        );
    }
}
