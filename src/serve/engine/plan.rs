//! From changes to work, and the work itself: which pages, records, search
//! terms and whole-site files an edit touches, then rendering them.

use super::changes;
use super::outputs::{Delta, PageKey, PageState, SiteFile};
use super::{reads_changed, site, urls_of, Engine, NEW_OR_GONE, RECORD_PARTS};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::render::data::DataFile;
use crate::render::views::{kind_bit, part, Parts};
use crate::render::{self, theme::Theme};
use crate::urls::Urls;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A page rendered: its key, what the engine keeps of it, its bytes.
type Page = (PageKey, PageState, Vec<u8>);
type Rendered = Vec<Page>;

impl Engine {
    /// Turn what changed since the last good output into pending work.
    pub(super) fn plan(&mut self) {
        let g = &self.graph;
        let mut changes: HashMap<u32, Parts> = HashMap::new();
        let mut derived = Vec::new();
        for (slot, base) in std::mem::take(&mut self.pending.baseline) {
            let (k, id) = self.slots.key(slot);
            let now = g.get(*k, id).map(|i| &g.entities[i]);
            match (&base, now) {
                (Some(old), Some(new)) => {
                    let bits = changes::own_changes(old, new);
                    if bits != 0 {
                        *changes.entry(slot).or_default() |= bits;
                    }
                    changes::derived_changes(Some(old), Some(new), &mut derived);
                }
                (None, None) => {}
                (old, new) => {
                    // A record came or went: the pages that list its type,
                    // and those that showed or now show it, change.
                    self.pending.members |= kind_bit(*k);
                    *changes.entry(slot).or_default() |= NEW_OR_GONE;
                    changes::derived_changes(old.as_ref(), new, &mut derived);
                }
            }
        }
        if self.pending.everything {
            self.plan_everything();
            return;
        }
        for ((k, id), p) in derived {
            if let Some(i) = g.get(k, &id) {
                *changes.entry(self.slot_of[i]).or_default() |= p;
            }
        }
        let bits = changes::bits_vec(self.slots.len(), &changes);
        let templates = std::mem::take(&mut self.pending.templates);
        let affected = match &self.theme {
            Some(t) if !templates.is_empty() => changes::affected_templates(&t.tera, &templates),
            _ => HashSet::new(),
        };
        let members = self.pending.members;
        if members != 0 {
            // New pages (the record's own, a new page of an index), and
            // every whole-site file: records are numbered in graph order.
            if let Some(config) = &self.config {
                for t in render::pages(g, config) {
                    if let Some(k) = PageKey::of(t) {
                        if !self.out.pages.contains_key(&k) {
                            self.pending.pages.insert(k);
                        }
                    }
                }
            }
            self.pending.site.extend(SiteFile::all());
        }
        let p = &mut self.pending;
        for (key, st) in &self.out.pages {
            if reads_changed(st, &bits)
                || affected.contains(&st.template)
                || st.kinds & members != 0
            {
                p.pages.insert(key.clone());
            }
        }
        for (&s, &b) in &changes {
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
            // Every whole-site file that shows what changed, as the files
            // themselves declare it.
            p.site
                .extend(SiteFile::all().into_iter().filter(|f| f.reads(*kind, b)));
        }
        if !p.terms.is_empty() {
            p.site.insert(SiteFile::Search);
        }
    }

    fn plan_everything(&mut self) {
        let p = &mut self.pending;
        p.baseline.clear();
        p.templates.clear();
        p.statics = true;
        p.pages = render::pages(
            &self.graph,
            self.config.as_ref().unwrap_or(&Config::default()),
        )
        .into_iter()
        .filter_map(PageKey::of)
        .collect();
        p.records = self.slot_of.iter().copied().collect();
        p.terms = p.records.clone();
        p.site = SiteFile::all().into_iter().collect();
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
        let now: Vec<PageKey> = self
            .pending
            .pages
            .iter()
            .filter(|k| {
                **k != PageKey::Data && (all || !self.out.pages.get(*k).is_some_and(|s| s.large))
            })
            .cloned()
            .collect();
        let rendered = match self.render_pages(&now, config, theme, &urls) {
            Ok(r) => r,
            Err(d) => {
                self.render_diags = d;
                return None;
            }
        };
        let mut count = rendered.len();
        self.keep(rendered, &mut delta);
        let records = std::mem::take(&mut self.pending.records);
        let ctx = site(&self.graph, config, &urls, theme);
        self.out.records(&ctx, &records, &self.slot_of, &mut delta);
        if std::mem::take(&mut self.pending.statics) {
            let clashes = self.statics(theme, &mut delta);
            // A clash is checked again at every step until it is gone.
            self.pending.statics = !clashes.is_empty();
            self.render_diags.extend(clashes);
            // A static robots.txt came or went.
            self.pending.site.insert(SiteFile::Robots);
        }
        if all {
            let terms = std::mem::take(&mut self.pending.terms);
            let files = std::mem::take(&mut self.pending.site);
            let ctx = site(&self.graph, config, &urls, theme);
            self.out.terms(&ctx, &terms, &self.slot_of);
            if self.out.site_files(&ctx, &files, &self.slot_of, &mut delta) {
                self.pending.pages.insert(PageKey::Data);
            }
            if self.pending.pages.contains(&PageKey::Data) {
                match self.render_pages(&[PageKey::Data], config, theme, &urls) {
                    Ok(r) => {
                        count += r.len();
                        self.keep(r, &mut delta);
                    }
                    Err(d) => {
                        self.render_diags = d;
                        return None;
                    }
                }
            }
        }
        Some((count, delta))
    }

    /// After files came or went: forget pages and records that no longer exist.
    fn drop_stale(&mut self, config: &Config, delta: &mut Delta) {
        let current: HashSet<PageKey> = render::pages(&self.graph, config)
            .into_iter()
            .filter_map(PageKey::of)
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
            self.out.terms.remove(&s);
        }
        self.pending.pages.retain(|k| current.contains(k));
        self.pending.everything = false;
        self.pending.members = 0;
    }

    fn render_pages(
        &self,
        keys: &[PageKey],
        config: &Config,
        theme: &Theme,
        urls: &Urls,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let results: Vec<Result<Page, Diagnostic>> = keys
            .par_iter()
            .map(|k| {
                let t = render::render_page_traced(
                    &self.graph,
                    config,
                    theme,
                    urls,
                    &self.out.downloads,
                    k.target(),
                );
                let file = t.file?;
                let state = PageState {
                    path: file.path,
                    template: t.template,
                    reads: changes::compact_reads(t.reads, &self.slot_of),
                    kinds: t.kinds,
                    large: file.bytes.len() >= super::LARGE,
                };
                Ok((k.clone(), state, file.bytes))
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

    fn keep(&mut self, rendered: Rendered, delta: &mut Delta) {
        for (key, mut state, bytes) in rendered {
            self.pending.pages.remove(&key);
            let path = std::mem::take(&mut state.path);
            self.out.put(path.clone(), bytes, delta);
            state.path = path;
            self.out.pages.insert(key, state);
        }
    }

    /// Copy the theme's and the site's static files. As in a full build,
    /// one with the path of a page, a record or a whole-site file is an
    /// error (returned), except those that stand in for a whole-site file
    /// (`robots.txt`, see [`render::statics`]), which `site_files` writes.
    /// While a clash stands the generated file is served.
    fn statics(&mut self, theme: &Theme, delta: &mut Delta) -> Vec<Diagnostic> {
        let mut owned: HashSet<String> = self.out.pages.values().map(|s| s.path.clone()).collect();
        owned.extend(self.out.twins.values().cloned());
        owned.extend(SiteFile::all().into_iter().map(SiteFile::path));
        let clashes =
            render::statics::clashes(&theme.statics, &theme.static_origins, |p| owned.contains(p));
        let new: BTreeSet<String> = render::statics::copied(&theme.statics)
            .filter(|(p, _)| !owned.contains(*p))
            .map(|(p, _)| p.clone())
            .collect();
        let old = std::mem::take(&mut self.out.statics);
        for p in old.difference(&new) {
            self.out.remove(p, delta);
        }
        for p in &new {
            self.out.put(p.clone(), theme.statics[p].clone(), delta);
        }
        self.out.statics = new;
        clashes
    }
}
