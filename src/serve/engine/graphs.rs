//! The engine's graphs kept current: the graph built again from the
//! entity list or patched in place, each other language's graph laid over
//! it, and each record's validation problems.

use super::{Engine, Key};
use crate::graph::Graph;
use crate::model::Entity;
use rayon::prelude::*;

impl Engine {
    pub(super) fn rebuild_graph(&mut self, entities: Vec<Entity>) {
        let orphans = self.content.orphans();
        let statuses = self.settings().statuses;
        let (graph, diags) = Graph::build(entities, &self.content.known, &orphans, &statuses);
        self.graph = graph;
        self.graph_diags = diags;
        self.slot_of = self.slots.of_graph(&self.graph);
        self.relocalize();
    }

    /// Give the graph the current translations, check them, and make the
    /// graph of every other language again.
    pub(super) fn relocalize(&mut self) {
        let settings = self.settings();
        self.graph
            .set_translations(self.content.translations.values().cloned().collect());
        self.translation_diags = crate::graph::translations::check(
            &self.graph,
            &self.content.known,
            &settings.languages,
        );
        let g = &self.graph;
        self.localized = settings
            .languages
            .iter()
            .skip(1)
            .map(|l| crate::graph::translations::localize(g, &l.tag))
            .collect();
    }

    /// The graph of language `l` (0 is the default).
    pub(super) fn graph_in(&self, l: usize) -> Option<&Graph> {
        match l {
            0 => Some(&self.graph),
            _ => self.localized.get(l - 1),
        }
    }

    /// Record (type, id) as every language showed it, for a baseline.
    pub(super) fn shown(&self, k: &Key) -> Vec<Option<Entity>> {
        (0..=self.localized.len())
            .map(|l| {
                let g = self.graph_in(l)?;
                g.get(k.0, &k.1).map(|i| g.entities[i].clone())
            })
            .collect()
    }

    pub(super) fn validate_all(&mut self) {
        let settings = self.settings();
        let (g, known) = (&self.graph, &self.content.known);
        let base = crate::portable::bundle_base(&settings);
        self.checks = g
            .entities
            .par_iter()
            .map(|e| {
                (
                    e.meta.file.clone(),
                    crate::validate::validate_entity(g, known, &settings, &base, e),
                )
            })
            .filter(|(_, d)| !d.is_empty())
            .collect();
    }

    /// The index of the graph entity read from `file`, if it is in the graph.
    pub(super) fn entity_of(&self, file: &str) -> Option<usize> {
        let (k, id) = self.content.files.get(file)?.key.as_ref()?;
        self.graph
            .get(*k, id)
            .filter(|&i| self.graph.entities[i].meta.file == file)
    }

    /// Validate the entity read from `file` again (`None`: it has none).
    pub(super) fn check(&mut self, file: &str, idx: Option<usize>) {
        let settings = self.settings();
        let d = idx
            .map(|i| {
                crate::validate::validate_entity(
                    &self.graph,
                    &self.content.known,
                    &settings,
                    &crate::portable::bundle_base(&settings),
                    &self.graph.entities[i],
                )
            })
            .unwrap_or_default();
        if d.is_empty() {
            self.checks.remove(file);
        } else {
            self.checks.insert(file.to_string(), d);
        }
    }
}
