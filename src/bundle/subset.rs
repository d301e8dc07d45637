//! `--partnership ID`: one partnership and only what it names.

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::graph::Graph;
use crate::model::{Entity, Kind};
use std::collections::{HashMap, HashSet};

/// The graph of one partnership: the partnership, its dialogues, pledges,
/// grants and reports, its parties, and the organizations and people those
/// records name. Everything else is left out; the titles of records left
/// out stay known, so pages can name them without linking to them.
pub fn partnership(graph: Graph, id: &str) -> Result<Graph, Diagnostic> {
    let Some(p) = graph.get(Kind::Partnership, id) else {
        let ids: Vec<&str> = graph.ids(Kind::Partnership).collect();
        return Err(
            Diagnostic::error("gazette.yaml", format!("no partnership `{id}`"))
                .expected(format!("one of: {}", ids.join(", ")))
                .hint_opt(did_you_mean(id, ids.iter().copied())),
        );
    };
    let mut keep: HashSet<usize> = HashSet::new();
    keep.insert(p);
    let members: Vec<usize> = (0..graph.len())
        .filter(|&i| graph.entities[i].partnership().is_some_and(|r| r.id == id))
        .collect();
    for &i in std::iter::once(&p).chain(&members) {
        keep.insert(i);
        for r in graph.entities[i].refs() {
            if matches!(r.kind, Kind::Organization | Kind::Person) {
                if let Some(t) = graph.resolve_ref(r) {
                    keep.insert(t);
                }
            }
        }
    }
    let statuses = graph.statuses().clone();
    let translations = graph.translations().to_vec();
    let known: HashSet<(Kind, String)> = graph
        .entities
        .iter()
        .map(|e| (e.meta.kind, e.meta.id.clone()))
        .collect();
    let mut outside: HashMap<(Kind, String), String> = HashMap::new();
    let mut kept: Vec<Entity> = Vec::with_capacity(keep.len());
    for (i, e) in graph.entities.into_iter().enumerate() {
        if keep.contains(&i) {
            kept.push(e);
        } else {
            outside.insert((e.meta.kind, e.meta.id.clone()), e.title().to_string());
        }
    }
    let (mut sub, _) = Graph::build(kept, &known, &[], &statuses);
    sub.set_outside(outside);
    // The records kept keep their translations.
    sub.set_translations(
        translations
            .into_iter()
            .filter(|t| sub.get(t.kind, &t.id).is_some())
            .collect(),
    );
    Ok(sub)
}
