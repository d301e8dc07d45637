//! The rendered site as the engine keeps it: every output file's bytes,
//! what each page read, and the per-entity pieces the whole-site files are
//! put together from (open-data records, search terms), so that an edit
//! recomputes only its own pieces.

use crate::config::Config;
use crate::graph::Graph;
use crate::model::Kind;
use crate::render::data::{self, DataFile, Download};
use crate::render::search::{self, DocTerms, LiveIndex};
use crate::render::views::{part, Parts};
use crate::render::{feeds, statics};
use crate::serve::bytes::Bytes;
use crate::urls::{Target, Urls};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Pages whose last output was at least this large are re-rendered after
/// the others (see `Engine::finish`): they list most of the site, so they
/// take the longest and are rarely the page being looked at.
pub const LARGE: usize = 512 * 1024;

/// A page, owning its names (a [`Target`] borrows from the graph).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum PageKey {
    Home,
    NotFound,
    Data,
    Dictionary,
    Search,
    Statuses,
    Index(Kind),
    IndexPage(Kind, u32),
    Entity(Kind, String),
    Briefing(String),
}

impl PageKey {
    pub fn of(t: Target) -> Option<PageKey> {
        Some(match t {
            Target::Home => PageKey::Home,
            Target::NotFound => PageKey::NotFound,
            Target::Data => PageKey::Data,
            Target::Dictionary => PageKey::Dictionary,
            Target::Search => PageKey::Search,
            Target::Statuses => PageKey::Statuses,
            Target::Index(k) => PageKey::Index(k),
            Target::IndexPage(k, n) => PageKey::IndexPage(k, n),
            Target::Entity(k, id) => PageKey::Entity(k, id.to_string()),
            Target::Briefing(id) => PageKey::Briefing(id.to_string()),
            Target::Asset(_) => return None,
        })
    }

    pub fn target(&self) -> Target<'_> {
        match self {
            PageKey::Home => Target::Home,
            PageKey::NotFound => Target::NotFound,
            PageKey::Data => Target::Data,
            PageKey::Dictionary => Target::Dictionary,
            PageKey::Search => Target::Search,
            PageKey::Statuses => Target::Statuses,
            PageKey::Index(k) => Target::Index(*k),
            PageKey::IndexPage(k, n) => Target::IndexPage(*k, *n),
            PageKey::Entity(k, id) => Target::Entity(*k, id),
            PageKey::Briefing(id) => Target::Briefing(id),
        }
    }
}

/// What the engine knows of one rendered page.
#[derive(Debug, Clone)]
pub(super) struct PageState {
    pub path: String,
    pub template: String,
    /// Slot and parts read, one entry per slot, sorted.
    pub reads: Vec<(u32, crate::render::views::Parts)>,
    /// The types whose set of records the page read (`views::kind_bit`).
    pub kinds: u8,
    pub large: bool,
}

/// The whole-site files: the open data ([`DataFile`], each with its place
/// in `Output::downloads`), the feeds and the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum SiteFile {
    Data(DataFile),
    Atom,
    Sitemap,
    Robots,
    Search,
}

impl SiteFile {
    pub fn all() -> Vec<SiteFile> {
        let mut v: Vec<SiteFile> = DataFile::all().into_iter().map(SiteFile::Data).collect();
        v.extend([
            SiteFile::Atom,
            SiteFile::Sitemap,
            SiteFile::Robots,
            SiteFile::Search,
        ]);
        v
    }

    /// Its output path.
    pub fn path(self) -> String {
        match self {
            SiteFile::Data(f) => f.path(),
            SiteFile::Atom => "atom.xml".into(),
            SiteFile::Sitemap => "sitemap.xml".into(),
            SiteFile::Robots => "robots.txt".into(),
            SiteFile::Search => search::INDEX_FILE.into(),
        }
    }

    /// Its entry's place on the data page, for the downloads.
    fn download_slot(self) -> Option<usize> {
        match self {
            SiteFile::Data(f) => Some(f.slot()),
            _ => None,
        }
    }

    /// Whether a change to `parts` of a record of `kind` can change the
    /// file (`graph.json` follows the records themselves; see
    /// [`DataFile::reads`]).
    pub fn reads(self, kind: Kind, parts: Parts) -> bool {
        let fields = parts & (part::LINK | part::LIST) != 0;
        let body = parts & part::FULL != 0;
        match self {
            SiteFile::Data(f) => f.reads(kind, parts),
            // A record's summary is in its entry; a progress entry's date
            // is when its dialogue or report was.
            SiteFile::Atom => {
                (body && matches!(kind, Kind::Dialogue | Kind::Report | Kind::Grant))
                    || (fields
                        && kind != Kind::Person
                        && kind != Kind::Organization
                        && kind != Kind::Partnership)
            }
            SiteFile::Sitemap => fields,
            SiteFile::Robots | SiteFile::Search => false,
        }
    }
}

/// The site as last rendered without errors.
#[derive(Default)]
pub(super) struct Output {
    pub files: HashMap<String, Bytes>,
    pub pages: HashMap<PageKey, PageState>,
    /// Path of each entity's JSON twin, by slot.
    pub twins: HashMap<u32, String>,
    /// Each entity's record as it stands in `graph.json`, by slot.
    pub nested: HashMap<u32, Arc<str>>,
    /// Each entity's search terms and text, by slot.
    pub terms: HashMap<u32, DocTerms>,
    /// The search index, and the slot of each of its records.
    pub search: Option<LiveIndex>,
    pub search_order: Vec<u32>,
    /// How many search text files are in `files`.
    pub search_texts: usize,
    /// The data page's list, in its order.
    pub downloads: Vec<Download>,
    /// Paths of the theme's and site's static files.
    pub statics: BTreeSet<String>,
}

/// Output paths written or removed by one step.
#[derive(Debug, Default)]
pub struct Delta {
    /// Paths whose bytes are new or different.
    pub written: Vec<String>,
    /// Paths no longer in the output.
    pub removed: Vec<String>,
}

impl Output {
    /// Put `bytes` at `path`; recorded in `delta` if it differs.
    pub fn put(&mut self, path: String, bytes: impl Into<Bytes>, delta: &mut Delta) {
        let bytes = bytes.into();
        if self.files.get(&path).is_some_and(|b| b.same(&bytes)) {
            return;
        }
        delta.written.push(path.clone());
        self.files.insert(path, bytes);
    }

    pub fn remove(&mut self, path: &str, delta: &mut Delta) {
        if self.files.remove(path).is_some() {
            delta.removed.push(path.to_string());
        }
    }

    /// Recompute entity records for `slots` (JSON twins and `graph.json`
    /// pieces); `slot_of` maps graph indices to slots.
    pub fn records(
        &mut self,
        ctx: &Site,
        slots: &BTreeSet<u32>,
        slot_of: &[u32],
        delta: &mut Delta,
    ) {
        let idx: Vec<usize> = (0..ctx.graph.len())
            .filter(|&i| slots.contains(&slot_of[i]))
            .collect();
        let texts: Vec<(u32, data::RecordText)> = idx
            .par_iter()
            .map(|&i| {
                (
                    slot_of[i],
                    data::record_text(ctx.graph, ctx.config, ctx.urls, i),
                )
            })
            .collect();
        for (slot, t) in texts {
            if let Some(twin) = t.twin.filter(|_| ctx.config.record_json) {
                self.twins.insert(slot, twin.path.clone());
                self.put(twin.path, twin.bytes, delta);
            }
            self.nested.insert(slot, Arc::from(t.nested));
        }
    }

    /// Recompute the search terms of `slots` and bring the search index up
    /// to date: term by term when the graph holds the same records in the
    /// same order as when the index was made, else from every record's terms.
    pub fn terms(&mut self, ctx: &Site, slots: &BTreeSet<u32>, slot_of: &[u32]) {
        let graph = ctx.graph;
        let idx: Vec<usize> = (0..graph.len())
            .filter(|&i| slots.contains(&slot_of[i]))
            .collect();
        let fresh: Vec<(usize, DocTerms)> = idx
            .par_iter()
            .map(|&i| (i, search::doc_terms(graph, ctx.strings, &graph.entities[i])))
            .collect();
        let same = self.search_order == slot_of;
        match &mut self.search {
            Some(index) if same && idx.len() < graph.len() => {
                let no_terms = DocTerms::new();
                let old: Vec<Option<DocTerms>> = fresh
                    .iter()
                    .map(|(i, _)| self.terms.remove(&slot_of[*i]))
                    .collect();
                let changes: Vec<(usize, &DocTerms, &DocTerms)> = fresh
                    .iter()
                    .zip(&old)
                    .map(|((i, new), old)| (*i, old.as_ref().unwrap_or(&no_terms), new))
                    .collect();
                index.update(graph, ctx.urls, &changes);
                self.terms
                    .extend(fresh.into_iter().map(|(i, t)| (slot_of[i], t)));
            }
            _ => {
                self.terms
                    .extend(fresh.into_iter().map(|(i, t)| (slot_of[i], t)));
                let no_terms = DocTerms::new();
                let per_doc: Vec<&DocTerms> = slot_of
                    .iter()
                    .map(|s| self.terms.get(s).unwrap_or(&no_terms))
                    .collect();
                self.search = Some(LiveIndex::new(graph, ctx.urls, ctx.strings, &per_doc));
                self.search_order = slot_of.to_vec();
            }
        }
    }

    /// Rebuild the whole-site files in `which`; returns whether the data
    /// page's list of downloads changed.
    pub fn site_files(
        &mut self,
        ctx: &Site,
        which: &BTreeSet<SiteFile>,
        slot_of: &[u32],
        delta: &mut Delta,
    ) -> bool {
        let (g, c, u) = (ctx.graph, ctx.config, ctx.urls);
        // Each file's bytes, or `None` for a file not written this time (a
        // 360Giving file with no grant it can hold).
        let built: Vec<(SiteFile, String, Option<Bytes>, Option<Download>)> = which
            .par_iter()
            .filter(|f| **f != SiteFile::Data(DataFile::Catalog))
            .map(|&f| {
                let (file, download) = match f {
                    SiteFile::Data(DataFile::Graph) => {
                        let (pieces, d) = self.graph_pieces(ctx, slot_of);
                        let path = f.path();
                        return (f, path, Some(Bytes::Pieces(Arc::new(pieces))), Some(d));
                    }
                    SiteFile::Data(d) => {
                        let b = data::build(d, g, c, u, ctx.strings);
                        let bytes = b.file.map(|file| Bytes::from(file.bytes));
                        return (f, f.path(), bytes, Some(b.download));
                    }
                    SiteFile::Atom => (feeds::atom(g, c, u, ctx.strings), None),
                    SiteFile::Sitemap => (feeds::sitemap(g, c, u), None),
                    SiteFile::Robots => {
                        (statics::or_static(ctx.statics, feeds::robots(c, u)), None)
                    }
                    SiteFile::Search => match &self.search {
                        Some(index) => (index.file(), None),
                        None => (search::index_files(g, u, ctx.strings).remove(0), None),
                    },
                };
                (f, file.path, Some(Bytes::from(file.bytes)), download)
            })
            .collect();
        let n = DataFile::all().len();
        if self.downloads.len() != n {
            self.downloads = Vec::with_capacity(n);
        }
        let mut downloads = self.downloads.clone();
        for (f, path, bytes, d) in built {
            if let (Some(at), Some(d)) = (f.download_slot(), d) {
                if downloads.len() <= at {
                    downloads.resize_with(at + 1, || d.clone());
                }
                downloads[at] = d;
            }
            match bytes {
                Some(bytes) => self.put(path, bytes, delta),
                None => self.remove(&path, delta),
            }
        }
        // The catalogue lists the other files: made again when one of
        // their entries changed, or when asked.
        let catalog = SiteFile::Data(DataFile::Catalog);
        let others_changed = serde_json::to_value(&downloads[..downloads.len().min(n - 1)]).ok()
            != serde_json::to_value(&self.downloads[..self.downloads.len().min(n - 1)]).ok();
        if which.contains(&catalog) || others_changed {
            let others = &downloads[..downloads.len().min(n - 1)];
            let b = data::catalog_file(c, u, ctx.strings, others);
            let at = DataFile::Catalog.slot();
            if downloads.len() <= at {
                downloads.resize_with(at + 1, || b.download.clone());
            }
            downloads[at] = b.download;
            match b.file {
                Some(file) => self.put(file.path, file.bytes, delta),
                None => self.remove(&catalog.path(), delta),
            }
        }
        if which.contains(&SiteFile::Search) {
            self.search_texts(delta);
        }
        let changed =
            serde_json::to_value(&downloads).ok() != serde_json::to_value(&self.downloads).ok();
        self.downloads = downloads;
        changed
    }

    /// The search text files changed since last time, and those gone.
    fn search_texts(&mut self, delta: &mut Delta) {
        let Some(index) = self.search.as_mut() else {
            return;
        };
        let (changed, n) = (index.take_changed_texts(), index.text_files());
        for f in changed {
            self.put(f.path, f.bytes, delta);
        }
        for k in n..self.search_texts {
            self.remove(&search::text_path(k), delta);
        }
        self.search_texts = n;
    }

    /// `graph.json` as pieces: the frame, and each entity's cached record
    /// shared, not copied; the same bytes as [`data::graph_file`].
    fn graph_pieces(&self, ctx: &Site, slot_of: &[u32]) -> (Vec<Arc<str>>, Download) {
        let frame = data::graph_frame(ctx.config, ctx.urls, slot_of.is_empty());
        let sep: Arc<str> = Arc::from(data::GRAPH_SEPARATOR);
        let empty: Arc<str> = Arc::from("");
        let mut pieces = Vec::with_capacity(2 * slot_of.len() + 1);
        pieces.push(Arc::from(frame.head));
        for (k, s) in slot_of.iter().enumerate() {
            if k > 0 {
                pieces.push(Arc::clone(&sep));
            }
            pieces.push(Arc::clone(self.nested.get(s).unwrap_or(&empty)));
        }
        pieces.push(Arc::from(frame.tail));
        let len = pieces.iter().map(|p| p.len()).sum();
        (pieces, data::graph_download(ctx.graph, ctx.urls, len))
    }
}

/// What rendering needs, borrowed from the engine.
pub(super) struct Site<'a> {
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub urls: &'a Urls,
    pub strings: &'a serde_json::Value,
    /// The theme's and the site's static files, by output path.
    pub statics: &'a std::collections::BTreeMap<String, Vec<u8>>,
}
