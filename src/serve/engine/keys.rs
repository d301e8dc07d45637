//! The names the engine keeps its output under: a page of one language
//! ([`PageKey`]), what it knows of a rendered page ([`PageState`]), and the
//! whole-site files ([`SiteFile`]) with what each of them reads.

use crate::model::Kind;
use crate::render::data::DataFile;
use crate::render::search;
use crate::render::views::{part, Parts};
use crate::urls::Target;

/// A page of one language, owning its names (a [`Target`] borrows from
/// the graph): the language's position in `config.languages`, and the page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct PageKey {
    pub lang: u8,
    pub page: PageTarget,
}

/// A page, in any language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum PageTarget {
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
    pub fn of(lang: u8, t: Target) -> Option<PageKey> {
        let page = match t {
            Target::Home => PageTarget::Home,
            Target::NotFound => PageTarget::NotFound,
            Target::Data => PageTarget::Data,
            Target::Dictionary => PageTarget::Dictionary,
            Target::Search => PageTarget::Search,
            Target::Statuses => PageTarget::Statuses,
            Target::Index(k) => PageTarget::Index(k),
            Target::IndexPage(k, n) => PageTarget::IndexPage(k, n),
            Target::Entity(k, id) => PageTarget::Entity(k, id.to_string()),
            Target::Briefing(id) => PageTarget::Briefing(id.to_string()),
            Target::Asset(_) | Target::LangFile(_) => return None,
        };
        Some(PageKey { lang, page })
    }

    /// The data page of language `lang`.
    pub fn data(lang: u8) -> PageKey {
        PageKey {
            lang,
            page: PageTarget::Data,
        }
    }

    pub fn is_data(&self) -> bool {
        self.page == PageTarget::Data
    }

    pub fn target(&self) -> Target<'_> {
        match &self.page {
            PageTarget::Home => Target::Home,
            PageTarget::NotFound => Target::NotFound,
            PageTarget::Data => Target::Data,
            PageTarget::Dictionary => Target::Dictionary,
            PageTarget::Search => Target::Search,
            PageTarget::Statuses => Target::Statuses,
            PageTarget::Index(k) => Target::Index(*k),
            PageTarget::IndexPage(k, n) => Target::IndexPage(*k, *n),
            PageTarget::Entity(k, id) => Target::Entity(*k, id),
            PageTarget::Briefing(id) => Target::Briefing(id),
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
/// in `Output::downloads`), the sitemap and robots.txt, and each language's
/// feed and search index (by the language's position in `config.languages`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum SiteFile {
    Data(DataFile),
    Atom(u8),
    Sitemap,
    Robots,
    Search(u8),
}

impl SiteFile {
    /// Every whole-site file of a site in `languages` languages.
    pub fn all(languages: usize) -> Vec<SiteFile> {
        let mut v: Vec<SiteFile> = DataFile::all().into_iter().map(SiteFile::Data).collect();
        v.extend([SiteFile::Sitemap, SiteFile::Robots]);
        for l in 0..languages as u8 {
            v.extend([SiteFile::Atom(l), SiteFile::Search(l)]);
        }
        v
    }

    /// The files of every language that read a record's text: its feed
    /// and its search index.
    pub fn per_language(languages: usize, f: fn(u8) -> SiteFile) -> Vec<SiteFile> {
        (0..languages as u8).map(f).collect()
    }

    /// Its output path; `dirs` are the languages' folders, in order.
    pub fn path(self, dirs: &[&str]) -> String {
        let dir = |l: u8| dirs.get(l as usize).copied().unwrap_or("");
        match self {
            SiteFile::Data(f) => f.path(),
            SiteFile::Atom(l) => format!("{}atom.xml", dir(l)),
            SiteFile::Sitemap => "sitemap.xml".into(),
            SiteFile::Robots => "robots.txt".into(),
            SiteFile::Search(l) => format!("{}{}", dir(l), search::INDEX_FILE),
        }
    }

    /// Its entry's place on the data page, for the downloads.
    pub fn download_slot(self) -> Option<usize> {
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
            SiteFile::Atom(_) => {
                (body && matches!(kind, Kind::Dialogue | Kind::Report | Kind::Grant))
                    || (fields
                        && kind != Kind::Person
                        && kind != Kind::Organization
                        && kind != Kind::Partnership)
            }
            SiteFile::Sitemap => fields,
            SiteFile::Robots | SiteFile::Search(_) => false,
        }
    }
}
