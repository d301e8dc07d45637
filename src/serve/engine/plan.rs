//! From changes to work, and the work itself: which pages, records, search
//! terms and whole-site files an edit touches, then rendering them.

use super::changes;
use super::keys::{PageKey, PageState, SiteFile};
use super::outputs::{Delta, Output};
use super::{reads_changed, site, urls_of, Engine, Pending, NEW_OR_GONE, RECORD_PARTS};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::locale::Locale;
use crate::model::Kind;
use crate::render::data::DataFile;
use crate::render::views::{kind_bit, part, Parts};
use crate::render::Edition;
use crate::render::{self, theme::Theme};
use crate::serve::bytes::Bytes;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// A page rendered: its key, what the engine keeps of it, its bytes (packed
/// here, in parallel, rather than when kept).
type Page = (PageKey, PageState, Bytes);
type Rendered = Vec<Page>;

impl Engine {
    /// Turn what changed since the last good output into pending work,
    /// language by language: a page is rendered again when a part it read
    /// changed in its own language.
    pub(super) fn plan(&mut self) {
        let langs = self.localized.len() + 1;
        let mut changes: Vec<HashMap<u32, Parts>> = vec![HashMap::new(); langs];
        let mut derived: Vec<Vec<((Kind, String), Parts)>> = vec![Vec::new(); langs];
        let mut came_or_went = 0;
        for (slot, base) in std::mem::take(&mut self.pending.baseline) {
            let (k, id) = self.slots.key(slot).clone();
            for (l, (changes, derived)) in changes.iter_mut().zip(&mut derived).enumerate() {
                let Some(g) = self.graph_in(l) else { continue };
                let now = g.get(k, &id).map(|i| &g.entities[i]);
                match (base.get(l).and_then(Option::as_ref), now) {
                    (Some(old), Some(new)) => {
                        let bits = changes::own_changes(old, new);
                        if bits != 0 {
                            *changes.entry(slot).or_default() |= bits;
                        }
                        changes::derived_changes(Some(old), Some(new), derived);
                    }
                    (None, None) => {}
                    (old, new) => {
                        // A record came or went: the pages that list its
                        // type, and those that showed or now show it, change.
                        came_or_went |= kind_bit(k);
                        *changes.entry(slot).or_default() |= NEW_OR_GONE;
                        changes::derived_changes(old, new, derived);
                    }
                }
            }
        }
        self.pending.members |= came_or_went;
        let translated = std::mem::take(&mut self.pending.translated);
        if self.pending.everything {
            self.plan_everything();
            return;
        }
        for (l, derived) in derived.into_iter().enumerate() {
            let Some(g) = self.graph_in(l) else { continue };
            for ((k, id), p) in derived {
                if let Some(i) = g.get(k, &id) {
                    *changes[l].entry(self.slot_of[i]).or_default() |= p;
                }
            }
        }
        let bits: Vec<Vec<Parts>> = changes
            .iter()
            .map(|c| changes::bits_vec(self.slots.len(), c))
            .collect();
        let templates = std::mem::take(&mut self.pending.templates);
        let affected = match &self.theme {
            Some(t) if !templates.is_empty() => changes::affected_templates(&t.tera, &templates),
            _ => HashSet::new(),
        };
        let members = self.pending.members;
        if members != 0 {
            // New pages (the record's own, a new page of an index), and
            // each language's search index, which numbers the records in
            // graph order. The other whole-site files that list the type
            // follow from the record's changes below (`SiteFile::reads`).
            if let Some(config) = &self.config {
                for t in render::pages(&self.graph, config) {
                    for l in 0..langs as u8 {
                        if let Some(k) = PageKey::of(l, t) {
                            if !self.out.pages.contains_key(&k) {
                                self.pending.pages.insert(k);
                            }
                        }
                    }
                }
            }
            self.pending
                .site
                .extend(SiteFile::per_language(langs, SiteFile::Search));
        }
        let mut p = std::mem::take(&mut self.pending);
        for (key, st) in &self.out.pages {
            let bits = bits.get(key.lang as usize).map_or(&[][..], Vec::as_slice);
            if reads_changed(st, bits) || affected.contains(&st.template) || st.kinds & members != 0
            {
                p.pages.insert(key.clone());
            }
        }
        for (l, changes) in changes.iter().enumerate() {
            let l8 = l as u8;
            let Some(g) = self.graph_in(l) else { continue };
            // The sitemap is the site's, once, from the default language's
            // records; each language has its own feed. The open data (the
            // records' JSON, the data files) is the site's too, but may
            // give a record's text in each language it is translated into
            // (IATI's narratives): it follows every language's changes,
            // and a file that comes out the same is not written again.
            let default = l == 0;
            for (&s, &b) in changes {
                let (kind, id) = self.slots.key(s);
                if b & RECORD_PARTS != 0 {
                    p.records.insert(s);
                    p.site.insert(SiteFile::Data(DataFile::Graph));
                }
                if b & part::FULL != 0 {
                    // Its own terms.
                    p.terms.insert(s);
                }
                if b & (part::LINK | part::LIST) != 0 {
                    // Records that name it are found by its name.
                    if let Some(i) = g.get(*kind, id) {
                        for bl in g.backlinks(i) {
                            p.terms.insert(self.slot_of[bl.from]);
                        }
                    }
                }
                // Every whole-site file that shows what changed, as the
                // files themselves declare it.
                p.site.extend(SiteFile::all(langs).into_iter().filter(|f| {
                    let mine = match f {
                        SiteFile::Atom(x) => *x == l8,
                        SiteFile::Search(_) => false,
                        SiteFile::Data(_) => true,
                        SiteFile::Sitemap | SiteFile::Robots => default,
                    };
                    mine && f.reads(*kind, b)
                }));
            }
        }
        // A changed translation: the record's JSON, and the data files that
        // carry its text in every language (the tables show it wherever
        // they name the record).
        for s in translated {
            let (kind, id) = self.slots.key(s);
            if self.graph.get(*kind, id).is_none() {
                continue;
            }
            p.records.insert(s);
            p.site.extend(
                DataFile::all()
                    .into_iter()
                    .filter(|f| f.reads_translations(*kind))
                    .map(SiteFile::Data),
            );
        }
        if !p.terms.is_empty() {
            p.site
                .extend(SiteFile::per_language(langs, SiteFile::Search));
        }
        self.pending = p;
    }

    fn plan_everything(&mut self) {
        let langs = self.localized.len() + 1;
        let p = &mut self.pending;
        p.baseline.clear();
        p.templates.clear();
        p.statics = true;
        p.pages = render::pages(
            &self.graph,
            self.config.as_ref().unwrap_or(&Config::default()),
        )
        .into_iter()
        .flat_map(|t| (0..langs as u8).filter_map(move |l| PageKey::of(l, t)))
        .collect();
        p.records = self.slot_of.iter().copied().collect();
        p.terms = p.records.clone();
        p.site = SiteFile::all(langs).into_iter().collect();
    }

    /// Do the pending work: every small page, changed records and static
    /// files; with `all`, the large pages, the search terms, the whole-site
    /// files and the data page too. `None` if rendering failed (the errors
    /// are kept, the output is unchanged).
    pub(super) fn render(&mut self, all: bool) -> Option<(usize, Delta)> {
        let (Some(config), Some(theme)) = (self.config.take(), self.theme.take()) else {
            return None;
        };
        let done = self.render_with(&config, &theme, all);
        self.config = Some(config);
        self.theme = Some(theme);
        done
    }

    fn render_with(&mut self, config: &Config, theme: &Theme, all: bool) -> Option<(usize, Delta)> {
        let urls = urls_of(config);
        let mut delta = Delta::default();
        if self.pending.everything || self.pending.members != 0 {
            self.drop_stale(config, &mut delta);
            // Pages came or went: a static file may now clash with one.
            self.pending.statics = true;
        }
        // The fields apart, so the editions can borrow the graphs while
        // the output and the pending work change.
        let Engine {
            graph,
            localized,
            locales,
            out,
            pending,
            slot_of,
            render_diags,
            ..
        } = self;
        let editions: Vec<Edition> = config
            .languages
            .iter()
            .enumerate()
            .map(|(l, lang)| {
                let g = Cow::Borrowed(if l == 0 { &*graph } else { &localized[l - 1] });
                let locale = locales
                    .get(l)
                    .cloned()
                    .unwrap_or_else(|| Arc::new(Locale::new(&lang.tag)));
                Edition::new(lang, g, config, theme, &urls, locale)
            })
            .collect();
        let mut now: Vec<PageKey> = pending
            .pages
            .iter()
            .filter(|k| !k.is_data() && (all || !out.pages.get(*k).is_some_and(|s| s.large)))
            .cloned()
            .collect();
        // The longest pages first, by their size last time: a step's one
        // long page (the partnership's) starts at once instead of being
        // left to one thread at the end.
        now.sort_by_cached_key(|k| {
            let size = out.pages.get(k).and_then(|s| out.files.get(&s.path));
            std::cmp::Reverse(size.map_or(0, Bytes::len))
        });
        let rendered = match render_pages(&editions, &now, config, theme, &out.downloads, slot_of) {
            Ok(r) => r,
            Err(d) => {
                *render_diags = d;
                return None;
            }
        };
        let mut count = rendered.len();
        keep(out, pending, rendered, &mut delta);
        let records = std::mem::take(&mut pending.records);
        let ctx = site(&editions, config, theme);
        out.records(&ctx, &records, slot_of, &mut delta);
        if std::mem::take(&mut pending.statics) {
            let clashes = statics(out, theme, editions.len(), &ctx.dirs(), &mut delta);
            // A clash is checked again at every step until it is gone.
            pending.statics = !clashes.is_empty();
            render_diags.extend(clashes);
            // A static robots.txt came or went.
            pending.site.insert(SiteFile::Robots);
        }
        if all {
            let terms = std::mem::take(&mut pending.terms);
            let files = std::mem::take(&mut pending.site);
            out.terms(&ctx, &terms, slot_of);
            if out.site_files(&ctx, &files, slot_of, &mut delta) {
                for l in 0..editions.len() as u8 {
                    pending.pages.insert(PageKey::data(l));
                }
            }
            let data: Vec<PageKey> = pending
                .pages
                .iter()
                .filter(|k| k.is_data())
                .cloned()
                .collect();
            if !data.is_empty() {
                match render_pages(&editions, &data, config, theme, &out.downloads, slot_of) {
                    Ok(r) => {
                        count += r.len();
                        keep(out, pending, r, &mut delta);
                    }
                    Err(d) => {
                        *render_diags = d;
                        return None;
                    }
                }
            }
        }
        Some((count, delta))
    }

    /// After files came or went: forget pages and records that no longer exist.
    fn drop_stale(&mut self, config: &Config, delta: &mut Delta) {
        let langs = self.localized.len() + 1;
        let current: HashSet<PageKey> = render::pages(&self.graph, config)
            .into_iter()
            .flat_map(|t| (0..langs as u8).filter_map(move |l| PageKey::of(l, t)))
            .collect();
        let gone: Vec<PageKey> = self
            .out
            .pages
            .keys()
            .filter(|k| !current.contains(*k))
            .cloned()
            .collect();
        for k in gone {
            if let Some(st) = self.out.pages.remove(&k) {
                self.out.remove(&st.path, delta);
            }
        }
        let live: HashSet<u32> = self.slot_of.iter().copied().collect();
        let stale: Vec<u32> = self
            .out
            .twins
            .keys()
            .chain(self.out.nested.keys())
            .filter(|s| !live.contains(*s))
            .copied()
            .collect();
        for s in stale {
            if let Some(path) = self.out.twins.remove(&s) {
                self.out.remove(&path, delta);
            }
            self.out.nested.remove(&s);
        }
        // A language no longer of the site leaves its search behind.
        self.out.search.truncate(langs);
        self.pending.pages.retain(|k| current.contains(k));
        self.pending.everything = false;
        self.pending.members = 0;
    }
}

/// A step that renders at least this many pages deflates each as it goes,
/// so the first build (every page) never holds the site whole. A smaller
/// step keeps its pages whole and [`Output::compact`] packs them once the
/// site is up to date: an added record (~50 pages) spent a tenth of its
/// time deflating.
const PACK_AS_RENDERED: usize = 256;

/// Render the pages `keys`, each in its language's edition.
fn render_pages(
    editions: &[Edition],
    keys: &[PageKey],
    config: &Config,
    theme: &Theme,
    downloads: &[crate::render::views::downloads::Download],
    slot_of: &[u32],
) -> Result<Rendered, Vec<Diagnostic>> {
    let pack = keys.len() >= PACK_AS_RENDERED;
    let results: Vec<Result<Page, Diagnostic>> = keys
        .par_iter()
        .filter_map(|k| editions.get(k.lang as usize).map(|ed| (k, ed)))
        .map(|(k, ed)| {
            let t = render::render_page_traced(ed, config, theme, downloads, k.target());
            let file = t.file?;
            let state = PageState {
                path: file.path,
                template: t.template,
                reads: changes::compact_reads(t.reads, slot_of),
                kinds: t.kinds,
                large: file.bytes.len() >= super::LARGE,
            };
            let bytes = if pack {
                Bytes::pack(file.bytes)
            } else {
                Bytes::from(file.bytes)
            };
            Ok((k.clone(), state, bytes))
        })
        .collect();
    let mut ok = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(x) => ok.push(x),
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        return Ok(ok);
    }
    // One broken template fails every page that uses it: once each.
    diags.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    diags.dedup_by(|a, b| a.file == b.file && a.message == b.message);
    Err(diags)
}

fn keep(out: &mut Output, pending: &mut Pending, rendered: Rendered, delta: &mut Delta) {
    for (key, mut state, bytes) in rendered {
        pending.pages.remove(&key);
        let path = std::mem::take(&mut state.path);
        out.put(path.clone(), bytes, delta);
        state.path = path;
        out.pages.insert(key, state);
    }
}

/// Copy the theme's and the site's static files. As in a full build, one
/// with the path of a page, a record or a whole-site file is an error
/// (returned), except those that stand in for a whole-site file
/// (`robots.txt`, see [`render::statics`]), which `site_files` writes.
/// While a clash stands the generated file is served.
fn statics(
    out: &mut Output,
    theme: &Theme,
    langs: usize,
    dirs: &[&str],
    delta: &mut Delta,
) -> Vec<Diagnostic> {
    let mut owned: HashSet<String> = out.pages.values().map(|s| s.path.clone()).collect();
    owned.extend(out.twins.values().cloned());
    owned.extend(SiteFile::all(langs).into_iter().map(|f| f.path(dirs)));
    let clashes =
        render::statics::clashes(&theme.statics, &theme.static_origins, |p| owned.contains(p));
    let new: BTreeSet<String> = render::statics::copied(&theme.statics)
        .filter(|(p, _)| !owned.contains(*p))
        .map(|(p, _)| p.clone())
        .collect();
    let old = std::mem::take(&mut out.statics);
    for p in old.difference(&new) {
        out.remove(p, delta);
    }
    for p in &new {
        out.put(p.clone(), theme.statics[p].clone(), delta);
    }
    out.statics = new;
    clashes
}
