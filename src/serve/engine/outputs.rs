//! The rendered site as the engine keeps it: every output file's bytes,
//! what each page read, and the per-entity pieces the whole-site files are
//! put together from (open-data records, search terms), so that an edit
//! recomputes only its own pieces.

use super::keys::{PageKey, PageState, SiteFile};
use crate::config::Config;
use crate::graph::Graph;
use crate::render::data::{self, DataFile};
use crate::render::search::{self, DocTerms, LiveIndex};
use crate::render::views::downloads::Download;
use crate::render::{feeds, statics, Edition, OutFile};
use crate::serve::bytes::Bytes;
use crate::urls::Urls;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Pages whose last output was at least this large are re-rendered after
/// the others (see `Engine::finish`): they list most of the site, so they
/// take the longest and are rarely the page being looked at.
pub const LARGE: usize = 512 * 1024;

/// One language's search index as the engine keeps it.
#[derive(Default)]
pub(super) struct LangSearch {
    /// The search index, and the slot of each of its records.
    pub index: Option<LiveIndex>,
    pub order: Vec<u32>,
    /// How many search text files are in `files`.
    pub texts: usize,
}

impl LangSearch {
    /// See [`Output::terms`].
    fn update(&mut self, ed: &Edition, slots: &BTreeSet<u32>, slot_of: &[u32]) {
        let graph: &Graph = &ed.graph;
        let say = ed.say();
        let idx: Vec<usize> = (0..graph.len())
            .filter(|&i| slots.contains(&slot_of[i]))
            .collect();
        match &mut self.index {
            Some(index) if idx.len() < graph.len() => {
                let fresh: Vec<(usize, DocTerms)> = idx
                    .par_iter()
                    .map(|&i| (i, search::doc_terms(graph, &say, &graph.entities[i])))
                    .collect();
                if self.order != slot_of {
                    // Records came, went or moved: renumber the index.
                    let at: HashMap<u32, u32> = slot_of
                        .iter()
                        .enumerate()
                        .map(|(i, &s)| (s, i as u32))
                        .collect();
                    let to: Vec<Option<u32>> =
                        self.order.iter().map(|s| at.get(s).copied()).collect();
                    index.renumber(graph, &ed.urls, &say, &to);
                    self.order = slot_of.to_vec();
                }
                let changes: Vec<(usize, &DocTerms)> =
                    fresh.iter().map(|(i, new)| (*i, new)).collect();
                index.update(graph, &ed.urls, &say, &changes);
            }
            _ => {
                // Every record's terms: `slots` holds them all but when a
                // language was added.
                self.index = Some(LiveIndex::new(graph, &ed.urls, &say));
                self.order = slot_of.to_vec();
            }
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
    /// Each entity's record as it stands in `graph.json`, by slot: its
    /// JSON twin read nested ([`Bytes::nested`]), else packed. Kept apart,
    /// they were 25 MB at 10,000 records, packed (63 as they are).
    pub nested: HashMap<u32, Bytes>,
    /// Each language's search index, in `config.languages` order.
    pub search: Vec<LangSearch>,
    /// The data page's list, in its order.
    pub downloads: Vec<Download>,
    /// Paths of the theme's and site's static files.
    pub statics: BTreeSet<String>,
    /// Files put whole since [`Output::compact`] last ran.
    unpacked: BTreeSet<String>,
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
        if matches!(bytes, Bytes::Whole(_)) {
            self.unpacked.insert(path.clone());
        }
        self.files.insert(path, bytes);
    }

    /// Pack the files put whole since the last time that pack well (see
    /// [`Bytes::repack`]), in parallel; returns whether any was. The
    /// whole-site files are put whole so that an edit does not wait for
    /// them to be deflated, and packed here once the site is up to date
    /// (at 10,000 records, 26 MB as they are).
    pub fn compact(&mut self) -> bool {
        let paths = std::mem::take(&mut self.unpacked);
        let packed: Vec<(String, Bytes)> = paths
            .into_par_iter()
            .filter_map(|p| {
                let b = self.files.get(&p)?.repack()?;
                Some((p, b))
            })
            .collect();
        let any = !packed.is_empty();
        self.files.extend(packed);
        any
    }

    /// Keep `files`, the sitemap as it is now, and drop the parts of an
    /// earlier, longer one.
    fn sitemaps(&mut self, files: Vec<OutFile>, delta: &mut Delta) {
        let stale: Vec<String> = self
            .files
            .keys()
            .filter(|p| feeds::is_sitemap_part(p) && !files.iter().any(|f| &f.path == *p))
            .cloned()
            .collect();
        for path in stale {
            self.remove(&path, delta);
        }
        for f in files {
            self.put(f.path, f.bytes, delta);
        }
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
        let idx: Vec<usize> = (0..ctx.graph().len())
            .filter(|&i| slots.contains(&slot_of[i]))
            .collect();
        let others = data::Others::new(ctx.graph(), ctx.config);
        // Each record's JSON twin, packed here in parallel, and its piece
        // of `graph.json`: the twin read nested, or where the record has
        // no twin, its piece packed.
        type Made = (u32, Result<(String, Bytes, usize), Bytes>);
        let made: Vec<Made> = idx
            .par_iter()
            .map(|&i| {
                let t = data::record_text(ctx.graph(), ctx.config, ctx.urls(), &others, i);
                let made = match t.twin.filter(|_| ctx.config.record_json) {
                    Some(f) => {
                        let len = Bytes::nested_len(&f.bytes);
                        Ok((f.path, Bytes::pack(f.bytes), len))
                    }
                    None => Err(Bytes::pack(t.nested.into_bytes())),
                };
                (slot_of[i], made)
            })
            .collect();
        for (slot, made) in made {
            let nested = match made {
                Ok((path, bytes, len)) => {
                    self.twins.insert(slot, path.clone());
                    self.put(path.clone(), bytes, delta);
                    // The twin as kept: an unchanged twin keeps its old bytes.
                    let twin = &self.files[&path];
                    Bytes::nested(twin, len)
                }
                Err(packed) => packed,
            };
            self.nested.insert(slot, nested);
        }
    }

    /// Recompute the search terms of `slots` in every language and bring
    /// each language's search index up to date term by term, renumbered
    /// first when records came, went or moved; made from every record's
    /// terms the first time and when every record changed.
    pub fn terms(&mut self, ctx: &Site, slots: &BTreeSet<u32>, slot_of: &[u32]) {
        self.search
            .resize_with(ctx.editions.len(), LangSearch::default);
        for (ed, lang) in ctx.editions.iter().zip(self.search.iter_mut()) {
            lang.update(ed, slots, slot_of);
        }
    }

    /// Rebuild the whole-site files in `which`; returns whether the data
    /// pages' list of downloads changed.
    pub fn site_files(
        &mut self,
        ctx: &Site,
        which: &BTreeSet<SiteFile>,
        slot_of: &[u32],
        delta: &mut Delta,
    ) -> bool {
        let (g, c, u) = (ctx.graph(), ctx.config, ctx.urls());
        let dirs = ctx.dirs();
        let say = ctx.editions[0].say();
        let langs: Vec<_> = ctx
            .editions
            .iter()
            .map(crate::render::standards::Language::of)
            .collect();
        // The tables' columns in the other languages, once for all tables.
        let texts = if which
            .iter()
            .any(|f| matches!(f, SiteFile::Data(DataFile::Table(_))))
        {
            data::language_texts(&langs)
        } else {
            Vec::new()
        };
        // Each file's bytes, or `None` for a file not written this time (a
        // 360Giving file with no grant it can hold).
        let built: Vec<(SiteFile, String, Option<Bytes>, Option<Download>)> = which
            .par_iter()
            .filter(|f| {
                !matches!(f, SiteFile::Search(_) | SiteFile::Sitemap)
                    && **f != SiteFile::Data(DataFile::Catalog)
            })
            .map(|&f| {
                let (file, download) = match f {
                    SiteFile::Data(DataFile::Graph) => {
                        let (pieces, d) = self.graph_pieces(ctx, slot_of);
                        let path = f.path(&dirs);
                        return (f, path, Some(Bytes::Pieces(Arc::new(pieces))), Some(d));
                    }
                    SiteFile::Data(d) => {
                        let b = data::build(d, &langs, &texts, c, u);
                        let bytes = b.file.map(|file| Bytes::from(file.bytes));
                        return (f, f.path(&dirs), bytes, Some(b.download));
                    }
                    SiteFile::Atom(l) => {
                        let Some(ed) = ctx.editions.get(l as usize) else {
                            return (f, f.path(&dirs), None, None);
                        };
                        let mut file = feeds::atom(&ed.graph, c, &ed.urls, &ed.say());
                        file.path = f.path(&dirs);
                        (file, None)
                    }
                    SiteFile::Robots => {
                        (statics::or_static(ctx.statics, feeds::robots(c, u)), None)
                    }
                    SiteFile::Search(_) | SiteFile::Sitemap => unreachable!("filtered out above"),
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
        if which.contains(&SiteFile::Sitemap) {
            self.sitemaps(feeds::sitemaps(g, c, u), delta);
        }
        // The catalogue lists the other files: made again when one of
        // their entries changed, or when asked.
        let catalog = SiteFile::Data(DataFile::Catalog);
        let others_changed = downloads[..downloads.len().min(n - 1)]
            != self.downloads[..self.downloads.len().min(n - 1)];
        if which.contains(&catalog) || others_changed {
            let others = &downloads[..downloads.len().min(n - 1)];
            let b = data::catalog_file(c, u, &say, others);
            let at = DataFile::Catalog.slot();
            if downloads.len() <= at {
                downloads.resize_with(at + 1, || b.download.clone());
            }
            downloads[at] = b.download;
            match b.file {
                Some(file) => self.put(file.path, file.bytes, delta),
                None => self.remove(&catalog.path(&dirs), delta),
            }
        }
        for f in which {
            if let SiteFile::Search(l) = *f {
                self.search_files(ctx, l, delta);
            }
        }
        let changed = downloads != self.downloads;
        self.downloads = downloads;
        changed
    }

    /// Language `l`'s search index, and its text files changed since last
    /// time (and those gone), in its folder. A text file is kept as pieces
    /// that share each record's text with the index: after a record came or
    /// went, every text file from the first moved record on changes, and
    /// is only put together again. The index itself is rewritten on every
    /// edit, so it is kept whole.
    fn search_files(&mut self, ctx: &Site, l: u8, delta: &mut Delta) {
        let Some(ed) = ctx.editions.get(l as usize) else {
            return;
        };
        let dir = ed.urls.lang.clone();
        let Some(lang) = self.search.get_mut(l as usize) else {
            return;
        };
        let mut files: Vec<(String, Bytes)> = Vec::new();
        let n = match &mut lang.index {
            Some(index) => {
                let main = index.file();
                files.push((main.path, Bytes::from(main.bytes)));
                for k in index.take_changed() {
                    let (head, texts, tail) = index.text_pieces(k);
                    let comma = Bytes::from(b",".to_vec());
                    let mut pieces = Vec::with_capacity(2 * texts.len() + 1);
                    pieces.push(Bytes::from(head.into_bytes()));
                    for (j, t) in texts.iter().enumerate() {
                        if j > 0 {
                            pieces.push(comma.clone());
                        }
                        pieces.push(Bytes::Packed(t.clone()));
                    }
                    pieces.push(Bytes::from(tail.as_bytes().to_vec()));
                    files.push((search::text_path(k), Bytes::Pieces(Arc::new(pieces))));
                }
                index.text_files()
            }
            None => {
                let all = search::index_files(&ed.graph, &ed.urls, &ed.say());
                let n = all.len() - 1;
                files.extend(all.into_iter().map(|f| (f.path, Bytes::pack(f.bytes))));
                n
            }
        };
        let old = std::mem::replace(&mut lang.texts, n);
        for (path, bytes) in files {
            self.put(format!("{dir}{path}"), bytes, delta);
        }
        for k in n..old {
            self.remove(&format!("{dir}{}", search::text_path(k)), delta);
        }
    }

    /// `graph.json` as pieces: the frame, and each entity's cached record
    /// shared, not copied; the same bytes as [`data::graph_file`].
    fn graph_pieces(&self, ctx: &Site, slot_of: &[u32]) -> (Vec<Bytes>, Download) {
        let frame = data::graph_frame(ctx.config, ctx.urls(), slot_of.is_empty());
        let sep = Bytes::from(data::GRAPH_SEPARATOR.as_bytes().to_vec());
        let empty = Bytes::from(Vec::new());
        let mut pieces = Vec::with_capacity(2 * slot_of.len() + 1);
        pieces.push(Bytes::from(frame.head.into_bytes()));
        for (k, s) in slot_of.iter().enumerate() {
            if k > 0 {
                pieces.push(sep.clone());
            }
            pieces.push(self.nested.get(s).unwrap_or(&empty).clone());
        }
        pieces.push(Bytes::from(frame.tail.into_bytes()));
        let len = pieces.iter().map(Bytes::len).sum();
        (pieces, data::graph_download(ctx.graph(), ctx.urls(), len))
    }
}

/// What rendering needs, borrowed from the engine: the site in each of its
/// languages (the default first).
pub(super) struct Site<'a> {
    pub editions: &'a [Edition<'a>],
    pub config: &'a Config,
    /// The theme's and the site's static files, by output path.
    pub statics: &'a std::collections::BTreeMap<String, Vec<u8>>,
}

impl Site<'_> {
    /// The default language's graph: the records' own text.
    pub fn graph(&self) -> &Graph {
        &self.editions[0].graph
    }

    /// URLs of the default language, for the files the site has once.
    pub fn urls(&self) -> &Urls {
        &self.editions[0].urls
    }

    /// Each language's folder, in order.
    pub fn dirs(&self) -> Vec<&str> {
        self.editions.iter().map(|e| e.urls.lang.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn files_put_whole_are_packed_once_and_the_same_bytes_put_again_are_no_change() {
        let mut out = Output::default();
        let mut delta = Delta::default();
        let csv = "id,title\n".to_string() + &"dialogue-1,A meeting\n".repeat(200);
        out.put(
            "data/dialogues.csv".into(),
            csv.clone().into_bytes(),
            &mut delta,
        );
        out.put("robots.txt".into(), b"User-agent: *\n".to_vec(), &mut delta);
        assert!(out.compact());
        assert!(matches!(out.files["data/dialogues.csv"], Bytes::Packed(_)));
        assert!(
            matches!(out.files["robots.txt"], Bytes::Whole(_)),
            "too small"
        );
        assert_eq!(out.files["data/dialogues.csv"].to_vec(), csv.as_bytes());
        assert!(!out.compact(), "each file is tried once");
        let mut delta = Delta::default();
        out.put(
            "data/dialogues.csv".into(),
            csv.clone().into_bytes(),
            &mut delta,
        );
        out.put("robots.txt".into(), b"User-agent: *\n".to_vec(), &mut delta);
        assert!(delta.written.is_empty(), "{delta:?}");
        assert!(matches!(out.files["data/dialogues.csv"], Bytes::Packed(_)));
        let changed = csv.replace("A meeting", "A session");
        out.put(
            "data/dialogues.csv".into(),
            changed.clone().into_bytes(),
            &mut delta,
        );
        assert_eq!(delta.written, ["data/dialogues.csv"]);
        assert!(matches!(out.files["data/dialogues.csv"], Bytes::Whole(_)));
        assert!(out.compact());
        assert_eq!(out.files["data/dialogues.csv"].to_vec(), changed.as_bytes());
    }

    #[test]
    fn a_shorter_sitemap_drops_the_parts_it_no_longer_has() {
        let mut out = Output::default();
        let mut delta = Delta::default();
        out.put("index.html".into(), b"home".to_vec(), &mut delta);
        let parts = [
            "sitemap.xml",
            "sitemap-1.xml",
            "sitemap-2.xml",
            "sitemap-3.xml",
        ];
        out.sitemaps(parts.iter().map(|p| file(p, p)).collect(), &mut delta);
        let mut delta = Delta::default();
        let fewer = vec![
            file("sitemap.xml", "index of two"),
            file("sitemap-1.xml", "sitemap-1.xml"),
            file("sitemap-2.xml", "changed"),
        ];
        out.sitemaps(fewer, &mut delta);
        assert_eq!(delta.removed, ["sitemap-3.xml"]);
        delta.written.sort();
        assert_eq!(delta.written, ["sitemap-2.xml", "sitemap.xml"]);
        let mut delta = Delta::default();
        out.sitemaps(vec![file("sitemap.xml", "every page")], &mut delta);
        delta.removed.sort();
        assert_eq!(delta.removed, ["sitemap-1.xml", "sitemap-2.xml"]);
        let mut paths: Vec<&String> = out.files.keys().collect();
        paths.sort();
        assert_eq!(paths, ["index.html", "sitemap.xml"]);
    }
}
