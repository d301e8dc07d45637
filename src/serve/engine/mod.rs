//! The watch-mode engine behind `gazette serve` and `gazette watch`.
//!
//! It keeps the loaded site in memory (configuration, each content file's
//! state, the graph, the theme, every output file and what each page read)
//! and applies batches of changed paths:
//!
//! 1. only the changed files are read and parsed again;
//! 2. when an edit leaves what the graph is computed from as it was (a body,
//!    a title or name, a summary, `extra`...) the entity is replaced in the
//!    graph where it stands; otherwise the graph is rebuilt from the entity
//!    list (one pass, about 40 ms at 10,000 entities);
//! 3. only the edited entities are validated again, unless a file came or
//!    went, which can change any link;
//! 4. once the site is free of errors, each edited entity is compared with
//!    what it was at the last good output, part by part (`changes.rs`), and
//!    only the pages that read a changed part are rendered again. Pages over
//!    [`outputs::LARGE`] and the whole-site files (open data, feeds, search
//!    index, the data page) follow in a second step, [`Engine::finish`].
//!
//! With errors, the last good output stays as it is and the changes wait
//! until the errors are fixed. A record added or removed renders its own
//! page, the pages that read which records of its type exist (the type's
//! index, the home page) or that show it, and every whole-site file. A
//! changed configuration or UI strings render everything.

mod changes;
pub mod classify;
mod content;
mod outputs;

pub use classify::{classify, Change};
pub use outputs::{Delta, LARGE};

use crate::config::{self, Config};
use crate::diagnostics::{display_path, Diagnostic};
use crate::graph::Graph;
use crate::load::Sources;
use crate::locale::Locale;
use crate::model::Entity;
use crate::parse;
use crate::render::views::{part, Parts};
use crate::render::{theme, theme::Theme, Edition};
use crate::serve::Snapshot;
use crate::urls::Urls;
use changes::Slots;
use content::{Content, Status};
use outputs::{Output, PageKey, PageState, Site, SiteFile};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The site in memory, and its output as last built without errors.
pub struct Engine {
    root: PathBuf,
    config: Option<Config>,
    config_diags: Vec<Diagnostic>,
    /// The last theme that loaded; `theme_diags` holds the latest failure.
    theme: Option<Theme>,
    theme_diags: Vec<Diagnostic>,
    content: Content,
    sources: Sources,
    /// The records in the default language, with their translations.
    graph: Graph,
    /// The graph in each other language (`graph::translations::localize`),
    /// in `config.languages` order after the default.
    localized: Vec<Graph>,
    /// Each language's CLDR formatting, in `config.languages` order.
    locales: Vec<Arc<Locale>>,
    graph_diags: Vec<Diagnostic>,
    /// Problems with the translations (unknown record or language...).
    translation_diags: Vec<Diagnostic>,
    /// Validation problems, by file.
    checks: HashMap<String, Vec<Diagnostic>>,
    render_diags: Vec<Diagnostic>,
    slots: Slots,
    /// The slot of each graph entity, by index.
    slot_of: Vec<u32>,
    out: Output,
    pending: Pending,
}

/// Work not yet reflected in the output.
#[derive(Default)]
struct Pending {
    /// Entities edited since the last good output, as they were then in
    /// each language (`None`: absent), by slot.
    baseline: HashMap<u32, Vec<Option<Entity>>>,
    /// Records whose translation file changed since the last good output,
    /// by slot: the open data carries each translation as written, which
    /// may change where no page does (an item translated by the same
    /// words).
    translated: BTreeSet<u32>,
    /// Render everything: the configuration or the UI strings changed.
    everything: bool,
    /// Types a record was added to or removed from
    /// (`views::kind_bit`), until the output reflects it.
    members: u8,
    /// Templates changed on disk, by name.
    templates: HashSet<String>,
    statics: bool,
    pages: BTreeSet<PageKey>,
    records: BTreeSet<u32>,
    terms: BTreeSet<u32>,
    site: BTreeSet<SiteFile>,
}

/// What one step did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// What changed, for people: `content/dialogues/x.md changed`.
    pub what: String,
    /// Pages rendered.
    pub pages: usize,
    /// Output files written and removed.
    pub delta: Delta,
    /// Errors in the site now; when there are any the output is unchanged.
    pub errors: usize,
    /// Large pages or whole-site files are still to be updated by
    /// [`Engine::finish`].
    pub deferred: bool,
}

impl Engine {
    /// Load the site at `root` and build it completely.
    pub fn load(root: &Path) -> Engine {
        let (graph, _) = Graph::build(Vec::new(), &HashSet::new(), &[], &Default::default());
        let mut e = Engine {
            root: root.to_path_buf(),
            config: None,
            config_diags: Vec::new(),
            theme: None,
            theme_diags: Vec::new(),
            content: Content::default(),
            sources: Sources::default(),
            graph,
            localized: Vec::new(),
            locales: Vec::new(),
            graph_diags: Vec::new(),
            translation_diags: Vec::new(),
            checks: HashMap::new(),
            render_diags: Vec::new(),
            slots: Slots::default(),
            slot_of: Vec::new(),
            out: Output::default(),
            pending: Pending::default(),
        };
        e.reload();
        if !e.has_errors() {
            e.plan();
            e.render(true);
        }
        e
    }

    /// Every problem in the site now, sorted.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut d: Vec<Diagnostic> = self.all_diags().cloned().collect();
        crate::diagnostics::sort(&mut d);
        d
    }

    fn all_diags(&self) -> impl Iterator<Item = &Diagnostic> {
        self.config_diags
            .iter()
            .chain(self.content.diagnostics())
            .chain(&self.graph_diags)
            .chain(&self.translation_diags)
            .chain(self.checks.values().flatten())
            .chain(&self.theme_diags)
            .chain(&self.render_diags)
    }

    pub fn has_errors(&self) -> bool {
        self.all_diags().any(Diagnostic::is_error)
    }

    /// The text of every file, for diagnostics' snippets.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The output as last built without errors.
    pub fn files(&self) -> &HashMap<String, crate::serve::Bytes> {
        &self.out.files
    }

    /// The output and the current errors, to publish.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            generation: 0,
            files: self.out.files.clone(),
            errors: self
                .diagnostics()
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect(),
        }
    }

    /// Whether [`Engine::finish`] has work to do (never while the site has
    /// errors: the work waits for them to be fixed).
    pub fn has_deferred(&self) -> bool {
        let p = &self.pending;
        let idle = p.pages.is_empty() && p.site.is_empty() && p.terms.is_empty();
        !idle && !self.has_errors()
    }

    /// Apply a batch of changed paths (absolute, or as the watcher reports
    /// them under `root`): everything but the large pages and the
    /// whole-site files, which [`Engine::finish`] updates.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Rebuild {
        let theme_name = self
            .config
            .as_ref()
            .map_or("default", |c| c.theme.as_str())
            .to_string();
        let mut what = Vec::new();
        let mut content_paths = Vec::new();
        let mut templates = HashSet::new();
        let (mut reload, mut theme_changed) = (false, false);
        for p in paths {
            match classify(&self.root, &theme_name, p) {
                Change::Ignored => continue,
                Change::Content => {
                    content_paths.push(p.clone());
                    continue;
                }
                Change::Config => reload = true,
                Change::Template(name) => {
                    templates.insert(name);
                    theme_changed = true;
                }
                Change::Static | Change::Strings => theme_changed = true,
            }
            what.push(describe(
                &display_path(&self.root, p),
                None,
                Some(p.exists()),
            ));
        }
        if reload {
            self.reload();
        } else {
            if !content_paths.is_empty() {
                self.update_content(&content_paths, &mut what);
            }
            if theme_changed {
                self.pending.templates.extend(templates);
                self.update_theme();
            }
        }
        let mut r = Rebuild {
            what: summarize(what),
            ..Rebuild::default()
        };
        self.step(false, &mut r);
        r
    }

    /// Update what [`Engine::apply`] left: large pages and whole-site files.
    pub fn finish(&mut self) -> Rebuild {
        let mut r = Rebuild {
            what: "large pages and site-wide files".into(),
            ..Rebuild::default()
        };
        self.step(true, &mut r);
        r
    }

    fn step(&mut self, all: bool, r: &mut Rebuild) {
        self.render_diags.clear();
        if !self.has_errors() {
            self.plan();
            if let Some((pages, delta)) = self.render(all) {
                r.pages = pages;
                r.delta = delta;
            }
        }
        r.errors = self.all_diags().filter(|d| d.is_error()).count();
        r.deferred = self.has_deferred();
    }

    /// Read the configuration, the theme and every content file again.
    fn reload(&mut self) {
        let (text, (cfg, diags)) = config::load(&self.root);
        self.sources = Sources::default();
        content::set_source(&mut self.sources, config::FILE, text);
        self.config = cfg;
        self.config_diags = diags;
        self.update_theme();
        let (paths, walk_diags) = content::walk(&self.root);
        let settings = self.settings();
        let cx = parse::Context::of(&settings);
        let reads = content::read_all(&self.root, &paths, cx);
        self.content = Content::default();
        self.content.walk_diags = walk_diags;
        let mut entities = Vec::with_capacity(reads.len());
        for r in reads {
            self.content.set(&r.file, Some(r.state));
            content::set_source(&mut self.sources, &r.file, r.text);
            entities.extend(r.entity);
            if let Some(t) = r.translation {
                self.content.translations.insert(r.file, t);
            }
        }
        self.locales = settings
            .languages
            .iter()
            .map(|l| Arc::new(Locale::new(&l.tag)))
            .collect();
        self.rebuild_graph(entities);
        self.validate_all();
        self.pending.everything = true;
        self.pending.baseline.clear();
        self.pending.translated.clear();
    }

    fn update_theme(&mut self) {
        let Some(c) = &self.config else {
            self.theme_diags.clear();
            return;
        };
        match theme::load(&self.root, &c.theme, &c.language_tags()) {
            Ok(t) => {
                let t = t.with_site_statuses(&c.statuses);
                let strings_changed = self
                    .theme
                    .as_ref()
                    .is_none_or(|old| old.strings != t.strings);
                let statics_changed = self
                    .theme
                    .as_ref()
                    .is_none_or(|old| old.statics != t.statics);
                self.pending.everything |= strings_changed;
                self.pending.statics |= statics_changed;
                self.theme = Some(t);
                self.theme_diags.clear();
            }
            Err(d) => self.theme_diags = d,
        }
    }

    /// The settings content is read with: the built-in vocabulary while
    /// `gazette.yaml` has errors.
    fn settings(&self) -> Config {
        self.config.clone().unwrap_or_default()
    }

    fn rebuild_graph(&mut self, entities: Vec<Entity>) {
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
    fn relocalize(&mut self) {
        let settings = self.settings();
        self.graph
            .set_translations(self.content.translations.values().cloned().collect());
        self.translation_diags =
            crate::graph::translations::check(&self.graph, &settings.languages);
        let g = &self.graph;
        self.localized = settings
            .languages
            .iter()
            .skip(1)
            .map(|l| crate::graph::translations::localize(g, &l.tag))
            .collect();
    }

    /// The graph of language `l` (0 is the default).
    fn graph_in(&self, l: usize) -> Option<&Graph> {
        match l {
            0 => Some(&self.graph),
            _ => self.localized.get(l - 1),
        }
    }

    /// Record (type, id) as every language showed it, for a baseline.
    fn shown(&self, k: &Key) -> Vec<Option<Entity>> {
        (0..=self.localized.len())
            .map(|l| {
                let g = self.graph_in(l)?;
                g.get(k.0, &k.1).map(|i| g.entities[i].clone())
            })
            .collect()
    }

    fn validate_all(&mut self) {
        let settings = self.settings();
        let (g, known) = (&self.graph, &self.content.known);
        self.checks = g
            .entities
            .par_iter()
            .map(|e| {
                (
                    e.meta.file.clone(),
                    crate::validate::validate_entity(g, known, &settings, e),
                )
            })
            .filter(|(_, d)| !d.is_empty())
            .collect();
    }

    /// The index of the graph entity read from `file`, if it is in the graph.
    fn entity_of(&self, file: &str) -> Option<usize> {
        let (k, id) = self.content.files.get(file)?.key.as_ref()?;
        self.graph
            .get(*k, id)
            .filter(|&i| self.graph.entities[i].meta.file == file)
    }

    fn update_content(&mut self, paths: &[PathBuf], what: &mut Vec<String>) {
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

    /// Validate the entity read from `file` again (`None`: it has none).
    fn check(&mut self, file: &str, idx: Option<usize>) {
        let settings = self.settings();
        let d = idx
            .map(|i| {
                crate::validate::validate_entity(
                    &self.graph,
                    &self.content.known,
                    &settings,
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

mod plan;

/// `content/x.md changed`, `… added`, `… removed`.
fn describe(file: &str, existed: Option<bool>, exists: Option<bool>) -> String {
    let verb = match (existed, exists) {
        (Some(false), Some(true)) => "added",
        (_, Some(false)) => "removed",
        _ => "changed",
    };
    format!("{file} {verb}")
}

/// One line for a batch: each change, or the first few and a count.
fn summarize(what: Vec<String>) -> String {
    match what.len() {
        0 => "nothing to rebuild".into(),
        1..=3 => what.join(", "),
        n => format!("{}, and {} more", what[..2].join(", "), n - 2),
    }
}

/// Whether a page read a part that changed.
fn reads_changed(state: &PageState, bits: &[Parts]) -> bool {
    state
        .reads
        .iter()
        .any(|&(s, r)| bits.get(s as usize).is_some_and(|b| b & r != 0))
}

const RECORD_PARTS: Parts = part::FULL | part::BACKLINKS | part::STATS;

/// The parts of a record that came or went.
const NEW_OR_GONE: Parts = part::LINK | part::LIST | part::FULL | part::BACKLINKS | part::ORDER;

fn urls_of(config: &Config) -> Urls {
    Urls::site(&config.base_path)
}

/// Borrow what rendering needs.
fn site<'a>(editions: &'a [Edition<'a>], config: &'a Config, theme: &'a Theme) -> Site<'a> {
    Site {
        editions,
        config,
        statics: &theme.statics,
    }
}

type Key = (crate::model::Kind, String);

/// A content file read again: its graph index before, its entity now.
struct Touched {
    file: String,
    old: Option<usize>,
    new: Option<Entity>,
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod translation_tests;
