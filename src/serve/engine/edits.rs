//! Changed content files applied to the site in memory: each file read
//! again (a folder stands for every file under it), translation files
//! laid over the graph, and record files either replacing their entity in
//! the graph where it stands or, when what the graph is computed from
//! changed, rebuilding it. What every language showed of each record is
//! kept as the baseline the output is later compared with.

use super::content::{self, Status};
use super::{changes, describe, Engine, Key};
use crate::diagnostics::display_path;
use crate::model::Entity;
use crate::parse;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

impl Engine {
    pub(super) fn update_content(&mut self, paths: &[PathBuf], what: &mut Vec<String>) {
        // Folders stand for every file under them, before and now.
        let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
        for p in paths {
            let shown = display_path(&self.root, p);
            let before = self.content.under(&format!("{shown}/"));
            if p.is_dir() || !before.is_empty() {
                for f in before {
                    files.insert(f.clone(), self.root.join(&f));
                }
                if p.is_dir() {
                    for q in content::files_under(p) {
                        files.insert(display_path(&self.root, &q), q);
                    }
                }
            } else {
                files.insert(shown, p.clone());
            }
        }
        let settings = self.settings();
        let cx = parse::Context::of(&settings);
        let reads: Vec<(String, Option<content::Read>)> = files
            .par_iter()
            .map(|(f, p)| (f.clone(), content::read(&self.root, p, cx)))
            .collect();
        let mut touched: Vec<Touched> = Vec::new();
        // Every (type, id) involved: was it in the graph, did a file have it?
        let mut keys: BTreeMap<Key, (bool, bool)> = BTreeMap::new();
        // Records whose translation changed: their text in one language.
        let mut translated: BTreeSet<Key> = BTreeSet::new();
        let mut translations_changed = false;
        for (file, read) in reads {
            let old = self.content.files.get(&file);
            if old.is_none() && read.is_none() {
                continue;
            }
            what.push(describe(&file, Some(old.is_some()), Some(read.is_some())));
            let old_record = old.and_then(|o| o.record.clone());
            let new_record = read.as_ref().and_then(|r| r.state.record.clone());
            if old_record.is_some() || new_record.is_some() {
                // A translation file: the graph stays; one language's text
                // of one record changes.
                translated.extend(old_record.into_iter().chain(new_record));
                let (state, text, translation) = match read {
                    Some(r) => (Some(r.state), r.text, r.translation),
                    None => (None, None, None),
                };
                self.content.set(&file, state);
                content::set_source(&mut self.sources, &file, text);
                match translation {
                    Some(t) => self.content.translations.insert(file, t),
                    None => self.content.translations.remove(&file),
                };
                translations_changed = true;
                continue;
            }
            let old_key = old.and_then(|o| o.key.clone());
            let new_key = read.as_ref().and_then(|r| r.state.key.clone());
            for k in old_key.into_iter().chain(new_key) {
                let (g, known) = (&self.graph, &self.content.known);
                keys.entry(k)
                    .or_insert_with_key(|k| (g.get(k.0, &k.1).is_some(), known.contains(k)));
            }
            let old_idx = self.entity_of(&file);
            let (state, text, entity) = match read {
                Some(r) => (Some(r.state), r.text, r.entity),
                None => (None, None, None),
            };
            self.content.set(&file, state);
            content::set_source(&mut self.sources, &file, text);
            touched.push(Touched {
                file,
                old: old_idx,
                new: entity,
            });
        }
        for k in &translated {
            let slot = self.slots.slot(k.0, &k.1);
            self.pending.translated.insert(slot);
        }
        // What every language showed of each record involved, before.
        for k in keys.keys().chain(&translated) {
            let slot = self.slots.slot(k.0, &k.1);
            if !self.pending.baseline.contains_key(&slot) {
                let before = self.shown(k);
                self.pending.baseline.insert(slot, before);
            }
        }
        let in_place = !touched.is_empty()
            && touched.iter().all(|t| match (t.old, &t.new) {
                (Some(i), Some(n)) => changes::same_graph(&self.graph.entities[i], n),
                _ => false,
            });
        if in_place {
            for t in touched {
                if let (Some(i), Some(n)) = (t.old, t.new) {
                    self.graph.entities[i] = n;
                    self.check(&t.file, Some(i));
                }
            }
            self.relocalize();
        } else if !touched.is_empty() {
            self.rebuild_from(touched, &keys);
        } else if translations_changed {
            self.relocalize();
        }
    }

    /// Rebuild the graph after the `touched` files changed; `keys` are the
    /// (type, id)s involved, with whether the graph had them and whether a
    /// file had them before.
    fn rebuild_from(&mut self, touched: Vec<Touched>, keys: &BTreeMap<Key, (bool, bool)>) {
        let names: HashSet<&str> = touched.iter().map(|t| t.file.as_str()).collect();
        // Files left out of the graph as duplicates come back in, in case
        // the file that held their id is the one that changed.
        let dropped: Vec<PathBuf> = self
            .content
            .files
            .iter()
            .filter(|(f, s)| {
                matches!(s.status, Status::Parsed)
                    && s.record.is_none()
                    && !names.contains(f.as_str())
                    && self.entity_of(f).is_none()
            })
            .map(|(f, _)| self.root.join(f))
            .collect();
        let mut entities = std::mem::take(&mut self.graph.entities);
        entities.retain(|e| !names.contains(e.meta.file.as_str()));
        let mut files = Vec::with_capacity(touched.len());
        for t in touched {
            files.push(t.file);
            entities.extend(t.new);
        }
        let settings = self.settings();
        let cx = parse::Context::of(&settings);
        entities.extend(
            dropped
                .iter()
                .filter_map(|p| content::read(&self.root, p, cx).and_then(|r| r.entity)),
        );
        self.rebuild_graph(entities);
        let came_or_went = keys
            .iter()
            .any(|(k, (had, _))| self.graph.get(k.0, &k.1).is_some() != *had);
        let known_changed = keys
            .iter()
            .any(|(k, (_, known))| self.content.known.contains(k) != *known);
        // Which ids exist decides every link's fate.
        if came_or_went || known_changed || !dropped.is_empty() {
            self.validate_all();
        } else {
            for f in files {
                let i = self.entity_of(&f);
                self.check(&f, i);
            }
        }
    }
}

/// A content file read again: its graph index before, its entity now.
struct Touched {
    file: String,
    old: Option<usize>,
    new: Option<Entity>,
}
