//! The watch-mode engine behind `gazette serve` and `gazette watch`.
//!
//! It keeps the loaded site in memory (configuration, each content file's
//! state, the graph, the theme, every output file and what each page read)
//! and applies batches of changed paths:
//!
//! 1. only the changed files are read and parsed again (`edits.rs`);
//! 2. when an edit leaves what the graph is computed from as it was (a body,
//!    a title or name, a summary, `extra`...) the entity is replaced in the
//!    graph where it stands; otherwise the graph is rebuilt from the entity
//!    list (one pass, about 40 ms at 10,000 entities; `graphs.rs`);
//! 3. only the edited entities are validated again, unless a file came or
//!    went, which can change any link;
//! 4. once the site is free of errors (`plan.rs`), each edited entity is compared with
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
mod edits;
mod graphs;
mod keys;
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
use content::Content;
use keys::{PageKey, PageState, SiteFile};
use outputs::{Output, Site};
use std::collections::{BTreeSet, HashMap, HashSet};
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
        e.compact();
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
            errors: self.errors(),
        }
    }

    /// The errors in the site now, sorted: without copying the warnings,
    /// which a large site has thousands of.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let mut d: Vec<Diagnostic> = self.all_diags().filter(|d| d.is_error()).cloned().collect();
        crate::diagnostics::sort(&mut d);
        d
    }

    /// Pack the files kept whole since the last time ([`Output::compact`]),
    /// once the output is up to date; returns whether any was, so that
    /// what is served can be replaced by the same files kept smaller.
    pub fn compact(&mut self) -> bool {
        !self.has_deferred() && self.out.compact()
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
        content::set_source(&mut self.sources, config::FILE, text.map(Into::into));
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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod translation_tests;
