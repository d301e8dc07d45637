//! Views: plain JSON built from the graph for templates. Templates never see
//! internal types; every URL in a view is made by [`Urls`] for the page the
//! view is rendered on.
//!
//! [`Ctx`] builds the views of one page and records what they read, so
//! that watch mode re-renders a page only when something it read changed.
//! Its methods are grouped by what they make: `frame.rs` what every page
//! shows around its content (language, alternates, navigation),
//! `downloads.rs` the data files as the data page lists them, `values.rs`
//! dates, amounts, statuses and other values as the page's language writes
//! them, `summaries.rs` how a record appears on other pages (a link, a list
//! row, a card), `detail.rs` a record's own page
//! (its body as HTML from `body.rs`), `partnership.rs` a
//! partnership's page and briefing, `report.rs` a report's generated
//! progress table, `index.rs` the pages of a type's index.

mod body;
mod detail;
pub mod downloads;
mod frame;
mod index;
mod partnership;
mod report;
mod summaries;
mod values;

pub use index::{index_pages, index_target};
pub use summaries::current_position;

use super::edition::Edition;
use crate::config::{Config, Language};
use crate::graph::{Graph, Idx};
use crate::locale::Locale;
use crate::model::*;
use crate::urls::{Target, Urls};
use serde_json::Value;
use std::cell::RefCell;

/// The parts of an entity a page can read, as bits. Every view records
/// what it reads, so the watch-mode engine (`serve::engine`) re-renders a
/// page only when a part it read has changed.
pub type Parts = u8;

/// The bits of [`Parts`].
pub mod part {
    use super::Parts;
    /// Id, type, title and date: what a link shows.
    pub const LINK: Parts = 1;
    /// The summary and the typed fields: what a list row or card shows,
    /// and any field a view reads directly.
    pub const LIST: Parts = 2;
    /// Everything about the entity, the body and `extra` included.
    pub const FULL: Parts = 4;
    /// Who refers to the entity (its backlinks).
    pub const BACKLINKS: Parts = 8;
    /// A partnership's computed figures: its records, totals, counts,
    /// timeline and history.
    pub const STATS: Parts = 16;
    /// The date, as a sort key: where the entity stands in a type's index.
    pub const ORDER: Parts = 32;
}

/// Builds views for one page.
pub struct Ctx<'a> {
    pub graph: &'a Graph,
    pub urls: &'a Urls,
    pub config: &'a Config,
    /// The theme's strings in the page's language.
    pub strings: &'a Value,
    pub locale: &'a Locale,
    /// The page's language, and every language of the site.
    pub lang: &'a Language,
    pub languages: &'a [Language],
    /// Each language's name in itself (`language_name` of its strings).
    pub language_names: &'a std::collections::BTreeMap<String, String>,
    /// The page being rendered; URLs are made relative to it where needed.
    pub page: Target<'a>,
    /// Every entity read and the parts read of it, in reading order.
    reads: RefCell<Vec<(Idx, Parts)>>,
    /// The types whose set of records was read (which records exist, how
    /// many), as bits in [`Kind::ALL`] order.
    kinds: std::cell::Cell<u8>,
}

impl<'a> Ctx<'a> {
    pub fn new(ed: &'a Edition<'a>, config: &'a Config, page: Target<'a>) -> Self {
        Ctx {
            graph: &ed.graph,
            urls: &ed.urls,
            config,
            strings: ed.strings,
            locale: &ed.locale,
            lang: ed.lang,
            languages: ed.languages,
            language_names: &ed.language_names,
            page,
            reads: RefCell::new(Vec::new()),
            kinds: std::cell::Cell::new(0),
        }
    }

    /// What the views built so far have read (see [`part`]).
    pub fn into_reads(self) -> (Vec<(Idx, Parts)>, u8) {
        (self.reads.into_inner(), self.kinds.get())
    }

    /// Record that the page depends on which records of `kind` exist.
    pub fn read_kind(&self, kind: Kind) {
        self.kinds.set(self.kinds.get() | kind_bit(kind));
    }

    fn read(&self, i: Idx, parts: Parts) {
        self.reads.borrow_mut().push((i, parts));
    }

    /// An entity's typed fields, read directly.
    pub(crate) fn data(&self, i: Idx) -> &'a Data {
        self.read(i, part::LIST);
        &self.graph.entities[i].data
    }

    /// [`Graph::referrers`], recorded as a read of `i`'s backlinks.
    fn referrers(&self, i: Idx, kind: Kind, field: &str) -> Vec<Idx> {
        self.read(i, part::BACKLINKS);
        self.graph.referrers(i, kind, field)
    }

    /// [`Graph::stats`], recorded as a read of the partnership's figures.
    fn stats(&self, i: Idx) -> Option<&'a crate::graph::PartnershipStats> {
        self.read(i, part::STATS);
        self.graph.stats(i)
    }

    pub fn url(&self, to: Target) -> String {
        self.urls.url(to, self.page)
    }

    fn entity(&self, i: Idx) -> &'a Entity {
        &self.graph.entities[i]
    }

    /// The [`Config::recent`] most recent of `list` (by date; undated
    /// ones count as the oldest), in `list`'s order. The dates of a
    /// partnership's records are part of its figures (`part::STATS`).
    fn recent(&self, list: &[Idx]) -> Vec<Idx> {
        let n = self.config.recent;
        if n == 0 || list.len() <= n {
            return list.to_vec();
        }
        let mut newest = list.to_vec();
        newest.sort_by(|&a, &b| {
            let date = |x: Idx| self.entity(x).date();
            date(b).cmp(&date(a)).then(a.cmp(&b))
        });
        newest.truncate(n);
        let keep: std::collections::HashSet<Idx> = newest.into_iter().collect();
        list.iter().copied().filter(|x| keep.contains(x)).collect()
    }
}

/// A type's bit in [`Ctx::read_kind`]'s set.
pub fn kind_bit(kind: Kind) -> u8 {
    1 << Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}
