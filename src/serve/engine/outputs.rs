//! The rendered site as the engine keeps it: every output file's bytes,
//! what each page read, and the per-entity pieces the whole-site files are
//! put together from (open-data records, search terms), so that an edit
//! recomputes only its own pieces.

use crate::config::Config;
use crate::graph::Graph;
use crate::model::Kind;
use crate::render::data::{self, Download};
use crate::render::search::{self, DocTerms};
use crate::render::{feeds, OutFile};
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
    Search,
    Index(Kind),
    Entity(Kind, String),
    Briefing(String),
}

impl PageKey {
    pub fn of(t: Target) -> Option<PageKey> {
        Some(match t {
            Target::Home => PageKey::Home,
            Target::NotFound => PageKey::NotFound,
            Target::Data => PageKey::Data,
            Target::Search => PageKey::Search,
            Target::Index(k) => PageKey::Index(k),
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
            PageKey::Search => Target::Search,
            PageKey::Index(k) => Target::Index(*k),
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
    pub large: bool,
}

/// The whole-site files, each with its place in `Output::downloads`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum SiteFile {
    Graph,
    Csv(Kind),
    Progress,
    Tranches,
    Giving,
    Atom,
    Sitemap,
    Robots,
    Search,
}

impl SiteFile {
    pub fn all() -> Vec<SiteFile> {
        let mut v = vec![SiteFile::Graph];
        v.extend(Kind::ALL.into_iter().map(SiteFile::Csv));
        v.extend([
            SiteFile::Progress,
            SiteFile::Tranches,
            SiteFile::Giving,
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
            SiteFile::Graph => "data/graph.json".into(),
            SiteFile::Csv(k) => format!("data/{}.csv", k.folder()),
            SiteFile::Progress => "data/pledge-progress.csv".into(),
            SiteFile::Tranches => "data/grant-tranches.csv".into(),
            SiteFile::Giving => "data/360giving.json".into(),
            SiteFile::Atom => "atom.xml".into(),
            SiteFile::Sitemap => "sitemap.xml".into(),
            SiteFile::Robots => "robots.txt".into(),
            SiteFile::Search => search::INDEX_FILE.into(),
        }
    }

    /// Its entry's place on the data page, for the downloads.
    fn download_slot(self) -> Option<usize> {
        match self {
            SiteFile::Graph => Some(0),
            SiteFile::Csv(k) => Kind::ALL.iter().position(|x| *x == k).map(|p| p + 1),
            SiteFile::Progress => Some(8),
            SiteFile::Tranches => Some(9),
            SiteFile::Giving => Some(10),
            _ => None,
        }
    }
}

/// The site as last rendered without errors.
#[derive(Default)]
pub(super) struct Output {
    pub files: HashMap<String, Arc<Vec<u8>>>,
    pub pages: HashMap<PageKey, PageState>,
    /// Path of each entity's JSON twin, by slot.
    pub twins: HashMap<u32, String>,
    /// Each entity's record as it stands in `graph.json`, by slot.
    pub nested: HashMap<u32, String>,
    /// Each entity's search terms, by slot.
    pub terms: HashMap<u32, DocTerms>,
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
    pub fn put(&mut self, path: String, bytes: Vec<u8>, delta: &mut Delta) {
        if self.files.get(&path).is_some_and(|b| **b == bytes) {
            return;
        }
        delta.written.push(path.clone());
        self.files.insert(path, Arc::new(bytes));
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
            if let Some(twin) = t.twin {
                self.twins.insert(slot, twin.path.clone());
                self.put(twin.path, twin.bytes, delta);
            }
            self.nested.insert(slot, t.nested);
        }
    }

    /// Recompute the search terms of `slots`.
    pub fn terms(&mut self, graph: &Graph, slots: &BTreeSet<u32>, slot_of: &[u32]) {
        let idx: Vec<usize> = (0..graph.len())
            .filter(|&i| slots.contains(&slot_of[i]))
            .collect();
        let terms: Vec<(u32, DocTerms)> = idx
            .par_iter()
            .map(|&i| (slot_of[i], search::doc_terms(graph, &graph.entities[i])))
            .collect();
        self.terms.extend(terms);
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
        let no_terms = DocTerms::new();
        let built: Vec<(SiteFile, OutFile, Option<Download>)> = which
            .par_iter()
            .map(|&f| {
                let (file, download) = match f {
                    SiteFile::Graph => {
                        let nested: Vec<&str> = slot_of
                            .iter()
                            .map(|s| self.nested.get(s).map_or("", String::as_str))
                            .collect();
                        let (f, d) = data::graph_file(g, c, u, &nested);
                        (f, Some(d))
                    }
                    SiteFile::Csv(k) => split(data::kind_csv_file(g, c, u, k)),
                    SiteFile::Progress => split(data::progress_file(g, u)),
                    SiteFile::Tranches => split(data::tranches_file(g, u)),
                    SiteFile::Giving => split(data::giving_file(g, c, u)),
                    SiteFile::Atom => (feeds::atom(g, c, u), None),
                    SiteFile::Sitemap => (feeds::sitemap(g, c, u), None),
                    SiteFile::Robots => (feeds::robots(c, u), None),
                    SiteFile::Search => {
                        let per_doc: Vec<&DocTerms> = slot_of
                            .iter()
                            .map(|s| self.terms.get(s).unwrap_or(&no_terms))
                            .collect();
                        let index = search::assemble(g, u, ctx.strings, &per_doc);
                        (search::index_file_of(&index), None)
                    }
                };
                (f, file, download)
            })
            .collect();
        if self.downloads.len() != 11 {
            self.downloads = Vec::with_capacity(11);
        }
        let mut downloads = self.downloads.clone();
        for (f, file, d) in built {
            if let (Some(at), Some(d)) = (f.download_slot(), d) {
                if downloads.len() <= at {
                    downloads.resize_with(at + 1, || d.clone());
                }
                downloads[at] = d;
            }
            self.put(file.path, file.bytes, delta);
        }
        let changed =
            serde_json::to_value(&downloads).ok() != serde_json::to_value(&self.downloads).ok();
        self.downloads = downloads;
        changed
    }
}

fn split((f, d): (OutFile, Download)) -> (OutFile, Option<Download>) {
    (f, Some(d))
}

/// What rendering needs, borrowed from the engine.
pub(super) struct Site<'a> {
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub urls: &'a Urls,
    pub strings: &'a serde_json::Value,
}
