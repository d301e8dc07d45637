//! Stage 3: the content graph. Takes the parsed entities and, in one pass,
//! resolves every reference, computes backlinks, and per partnership the
//! money totals, pledge counts and timeline. The result is an immutable
//! snapshot; templates read views of it, never raw front matter.

pub mod history;
mod order;
pub mod positions;
pub mod received;
pub mod stats;
pub mod translation_report;
pub mod translations;

use crate::diagnostics::{closest, Diagnostic};
use crate::model::{Data, Entity, Kind, ObjectiveRef, PartialDate, ProgressEntry, Ref, Statuses};
use crate::parse::Orphan;
use std::collections::{BTreeMap, HashMap, HashSet};

pub use stats::{PartnershipStats, TimelineEvent, TimelineKind};

/// Index of an entity in [`Graph::entities`].
pub type Idx = usize;

/// Someone else's reference to an entity: which entity, through which field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    pub from: Idx,
    /// The referring field without indices, e.g. `recipients.organization`.
    pub field: String,
}

#[derive(Debug, Clone)]
pub struct Graph {
    /// Sorted by kind, then date, then id: a stable order for every list.
    pub entities: Vec<Entity>,
    index: HashMap<(Kind, String), Idx>,
    by_kind: BTreeMap<Kind, Vec<Idx>>,
    /// Each type's records newest first (see [`Graph::newest_first`]).
    newest: BTreeMap<Kind, Vec<Idx>>,
    backlinks: Vec<Vec<Backlink>>,
    stats: HashMap<Idx, PartnershipStats>,
    /// Titles of records that exist but are left out of this graph (an
    /// offline bundle of one partnership): pages name them without a link.
    outside: HashMap<(Kind, String), String>,
    /// The site's pledge statuses, built-in and its own.
    statuses: Statuses,
    /// Translations of the records into the site's other languages
    /// (`translations::localize` lays them over the records).
    translations: Vec<crate::model::translation::Translation>,
}

impl Graph {
    /// Build the graph. `known` holds every (kind, id) that has a file, even one
    /// that failed to parse, so a broken file does not cascade into "unknown
    /// reference" errors in the files that name it.
    pub fn build(
        mut entities: Vec<Entity>,
        known: &HashSet<(Kind, String)>,
        orphans: &[Orphan],
        statuses: &Statuses,
    ) -> (Graph, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        entities.sort_by(|a, b| {
            (a.meta.kind, a.date(), &a.meta.id, &a.meta.file).cmp(&(
                b.meta.kind,
                b.date(),
                &b.meta.id,
                &b.meta.file,
            ))
        });
        // Duplicates: the first file (by path) keeps the id.
        let mut first: HashMap<(Kind, String), String> = HashMap::new();
        let mut files: Vec<(String, usize)> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.meta.file.clone(), i))
            .collect();
        files.sort();
        let mut drop = HashSet::new();
        for (file, i) in files {
            let key = (entities[i].meta.kind, entities[i].meta.id.clone());
            if let Some(other) = first.get(&key) {
                diags.push(
                    Diagnostic::error(file, format!("duplicate {} id `{}`", key.0.name(), key.1))
                        .expected("one file per id within a type")
                        .hint(format!(
                            "`{other}` already uses this id; rename one of the files"
                        )),
                );
                drop.insert(i);
            } else {
                first.insert(key, file);
            }
        }
        let entities: Vec<Entity> = entities
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, e)| e)
            .collect();

        let mut index = HashMap::with_capacity(entities.len());
        let mut by_kind: BTreeMap<Kind, Vec<Idx>> =
            Kind::ALL.iter().map(|k| (*k, Vec::new())).collect();
        for (i, e) in entities.iter().enumerate() {
            index.insert((e.meta.kind, e.meta.id.clone()), i);
            by_kind.entry(e.meta.kind).or_default().push(i);
        }
        let newest = by_kind
            .iter()
            .map(|(k, list)| (*k, order::newest_first(list, |i| entities[i].date())))
            .collect();
        let mut graph = Graph {
            backlinks: vec![Vec::new(); entities.len()],
            entities,
            index,
            by_kind,
            newest,
            stats: HashMap::new(),
            outside: HashMap::new(),
            statuses: statuses.clone(),
            translations: Vec::new(),
        };
        graph.resolve(known, &mut diags);
        for o in orphans {
            for r in &o.refs {
                if graph.get(r.kind, &r.id).is_none() && !known.contains(&(r.kind, r.id.clone())) {
                    diags.push(graph.unresolved(&o.file, r, known));
                }
            }
            graph.check_objectives(&o.file, o.partnership(), &o.objectives, &mut diags);
        }
        graph.stats = stats::compute(&graph);
        diags.extend(positions::open_with_successor(&graph));
        (graph, diags)
    }

    fn resolve(&mut self, known: &HashSet<(Kind, String)>, diags: &mut Vec<Diagnostic>) {
        let mut backlinks = vec![Vec::new(); self.entities.len()];
        for (i, e) in self.entities.iter().enumerate() {
            for r in e.refs() {
                match self.index.get(&(r.kind, r.id.clone())) {
                    Some(&target) => backlinks[target].push(Backlink {
                        from: i,
                        field: strip_indices(&r.field),
                    }),
                    None if known.contains(&(r.kind, r.id.clone())) => {}
                    None => diags.push(self.unresolved(&e.meta.file, r, known)),
                }
            }
            self.check_objectives(&e.meta.file, e.partnership(), e.objective_refs(), diags);
        }
        for b in &mut backlinks {
            b.dedup();
        }
        self.backlinks = backlinks;
    }

    fn unresolved(&self, file: &str, r: &Ref, known: &HashSet<(Kind, String)>) -> Diagnostic {
        let other_kind = Kind::ALL
            .into_iter()
            .find(|k| *k != r.kind && known.contains(&(*k, r.id.clone())));
        let d = Diagnostic::error(file, String::new())
            .at(Some(r.pos))
            .field(r.field.clone())
            .expected(format!(
                "the id of {} {} in content/{}/",
                article(r.kind.name()),
                r.kind.name(),
                r.kind.folder()
            ));
        match other_kind {
            Some(k) => Diagnostic {
                message: format!(
                    "`{}` is {} {}, but `{}` needs {} {}",
                    r.id,
                    article(k.name()),
                    k.name(),
                    r.field,
                    article(r.kind.name()),
                    r.kind.name()
                ),
                ..d
            }
            .hint(format!(
                "`{}` names content/{}/{}.md",
                r.id,
                k.folder(),
                r.id
            )),
            None => Diagnostic {
                message: format!("unknown {} `{}`", r.kind.name(), r.id),
                ..d
            }
            .hint_opt(
                closest(&r.id, self.ids(r.kind))
                    .map(|c| format!("did you mean `{c}`?"))
                    .or_else(|| Some(format!("create content/{}/{}.md", r.kind.folder(), r.id))),
            ),
        }
    }

    fn check_objectives(
        &self,
        file: &str,
        partnership: Option<&Ref>,
        refs: &[ObjectiveRef],
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(p) = partnership.and_then(|r| self.get(Kind::Partnership, &r.id)) else {
            return;
        };
        let Data::Partnership(part) = &self.entities[p].data else {
            return;
        };
        let ids: Vec<&str> = part.objectives.iter().map(|o| o.id.as_str()).collect();
        for o in refs {
            if !ids.contains(&o.id.as_str()) {
                diags.push(
                    Diagnostic::error(
                        file,
                        format!(
                            "unknown objective `{}` of partnership `{}`",
                            o.id, self.entities[p].meta.id
                        ),
                    )
                    .at(Some(o.pos))
                    .field(o.field.clone())
                    .expected(format!("one of: {}", ids.join(", ")))
                    .hint_opt(
                        closest(&o.id, ids.iter().copied()).map(|c| format!("did you mean `{c}`?")),
                    ),
                );
            }
        }
    }

    /// Ids of one kind, in list order.
    pub fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.of_kind(kind)
            .iter()
            .map(|&i| self.entities[i].meta.id.as_str())
    }

    pub fn get(&self, kind: Kind, id: &str) -> Option<Idx> {
        self.index.get(&(kind, id.to_string())).copied()
    }

    /// Resolve a reference; `None` only for references already reported.
    pub fn resolve_ref(&self, r: &Ref) -> Option<Idx> {
        self.get(r.kind, &r.id)
    }

    /// Entities of one kind in list order (date, then id).
    pub fn of_kind(&self, kind: Kind) -> &[Idx] {
        self.by_kind.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every entity of `kind`, newest first: undated ones last, the same
    /// date in graph order (by id). A type's index pages list them so.
    pub fn newest_first(&self, kind: Kind) -> &[Idx] {
        self.newest.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Who refers to entity `i`, in list order.
    pub fn backlinks(&self, i: Idx) -> &[Backlink] {
        &self.backlinks[i]
    }

    /// Entities of `kind` that refer to `i` through a field starting with `field`.
    pub fn referrers(&self, i: Idx, kind: Kind, field: &str) -> Vec<Idx> {
        let mut v: Vec<Idx> = self.backlinks[i]
            .iter()
            .filter(|b| self.entities[b.from].meta.kind == kind && b.field.starts_with(field))
            .map(|b| b.from)
            .collect();
        v.dedup();
        v
    }

    /// Record the titles of records left out of this graph.
    pub fn set_outside(&mut self, titles: HashMap<(Kind, String), String>) {
        self.outside = titles;
    }

    /// The title of a record left out of this graph, if it is one.
    pub fn outside_title(&self, kind: Kind, id: &str) -> Option<&str> {
        self.outside
            .get(&(kind, id.to_string()))
            .map(String::as_str)
    }

    /// Give the graph the records' translations.
    pub fn set_translations(&mut self, t: Vec<crate::model::translation::Translation>) {
        self.translations = t;
    }

    /// The records' translations, as parsed.
    pub fn translations(&self) -> &[crate::model::translation::Translation] {
        &self.translations
    }

    /// Compute the figures again, after the entities' text changed.
    pub(crate) fn recompute_stats(&mut self) {
        self.stats = stats::compute(self);
    }

    /// The site's pledge statuses.
    pub fn statuses(&self) -> &Statuses {
        &self.statuses
    }

    /// When a progress entry became known: the earliest of its `reported`
    /// date, its dialogue's date and its report's publication date.
    pub fn reported(&self, pe: &ProgressEntry) -> Option<PartialDate> {
        let dialogue = pe.dialogue.as_ref().and_then(|r| self.resolve_ref(r));
        let report = pe.report.as_ref().and_then(|r| self.resolve_ref(r));
        let dated = [dialogue, report]
            .into_iter()
            .flatten()
            .filter_map(|i| self.entities[i].date());
        pe.reported.into_iter().chain(dated).min_by_key(|d| d.end())
    }

    pub fn stats(&self, partnership: Idx) -> Option<&PartnershipStats> {
        self.stats.get(&partnership)
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// `recipients[2].organization` -> `recipients.organization`.
fn strip_indices(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut depth = 0;
    for c in field.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_indices() {
        assert_eq!(
            strip_indices("recipients[2].organization"),
            "recipients.organization"
        );
        assert_eq!(strip_indices("funder"), "funder");
    }
}

#[cfg(test)]
mod graph_tests {
    use crate::model::{Data, Kind};
    use crate::testing::with_base;

    const GRANT: &str = "---\ntitle: G\npartnership: p\nfunder: gov\nrecipients:\n  - organization: ngo\nobjectives: [prevention]\nawarded: 2020\namount: 5000000\ncurrency: USD\ntranches:\n  - date: 2021\n    amount: 500000\n  - date: 2021\n    amount: 100\n    currency: EUR\n---\n";
    const DIALOGUE: &str = "---\ntitle: D\ndate: 2021-11-19\npartnership: p\nformat: virtual\nparticipants:\n  - person: ann\n    organization: gov\n---\n";

    #[test]
    fn resolves_references_into_backlinks() {
        let (g, diags) = with_base(&[("grants/g.md", GRANT), ("dialogues/d.md", DIALOGUE)]);
        assert!(diags.is_empty(), "{diags:?}");
        let ngo = g.get(Kind::Organization, "ngo").unwrap();
        let gov = g.get(Kind::Organization, "gov").unwrap();
        let grant = g.get(Kind::Grant, "g").unwrap();
        assert_eq!(
            g.referrers(ngo, Kind::Grant, "recipients.organization"),
            vec![grant]
        );
        assert_eq!(g.referrers(gov, Kind::Grant, "funder"), vec![grant]);
        assert!(g.referrers(ngo, Kind::Grant, "funder").is_empty());
        let ann = g.get(Kind::Person, "ann").unwrap();
        let d = g.get(Kind::Dialogue, "d").unwrap();
        assert_eq!(
            g.referrers(ann, Kind::Dialogue, "participants.person"),
            vec![d]
        );
        assert_eq!(
            g.referrers(gov, Kind::Person, "positions.organization"),
            vec![ann]
        );
    }

    #[test]
    fn totals_are_per_currency_and_timeline_is_chronological() {
        let (g, _) = with_base(&[("grants/g.md", GRANT), ("dialogues/d.md", DIALOGUE)]);
        let p = g.get(Kind::Partnership, "p").unwrap();
        let s = g.stats(p).unwrap();
        let totals: Vec<String> = s.funding.amounts().iter().map(|m| m.exact()).collect();
        assert_eq!(totals, vec!["100.00 EUR", "5500000.00 USD"]);
        let dates: Vec<String> = s.timeline.iter().map(|e| e.date.iso()).collect();
        assert_eq!(dates, vec!["2020", "2020-04", "2021", "2021", "2021-11-19"]);
        let mut sorted = s.timeline.iter().map(|e| e.date).collect::<Vec<_>>();
        sorted.sort();
        assert_eq!(
            s.timeline.iter().map(|e| e.date).collect::<Vec<_>>(),
            sorted
        );
    }

    #[test]
    fn wrong_kind_and_typos_get_specific_messages() {
        let bad = "---\ntitle: G\npartnership: p\nfunder: ann\nrecipients:\n  - organization: ngoo\nawarded: 2020\namount: 1\ncurrency: USD\n---\n";
        let (_, diags) = with_base(&[("grants/g.md", bad)]);
        let msgs: Vec<_> = diags
            .iter()
            .map(|d| (d.line, d.message.clone(), d.hint.clone()))
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert_eq!(msgs[0].0, Some(4));
        assert_eq!(
            msgs[0].1,
            "`ann` is a person, but `funder` needs an organization"
        );
        assert_eq!(msgs[1].1, "unknown organization `ngoo`");
        assert_eq!(msgs[1].2.as_deref(), Some("did you mean `ngo`?"));
    }

    #[test]
    fn pledge_counts_cover_every_status() {
        let pledge = "---\ntitle: X\npartnership: p\nmade_by: gov\nstatus: in-progress\n---\n";
        let (g, diags) = with_base(&[("pledges/x.md", pledge)]);
        assert!(diags.is_empty(), "{diags:?}");
        let s = g.stats(g.get(Kind::Partnership, "p").unwrap()).unwrap();
        assert_eq!(s.pledge_counts.len(), 9);
        let n: usize = s.pledge_counts.iter().map(|(_, n)| n).sum();
        assert_eq!(n, 1);
        assert!(matches!(g.entities[s.pledges[0]].data, Data::Pledge(_)));
    }
}
