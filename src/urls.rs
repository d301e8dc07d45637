//! The one place that makes URLs. Every link in every page, and every output
//! path, comes from here, given the target and the page it appears on.
//!
//! A site build asks for root-relative URLs under the base path
//! (`/cpc/grants/x/`); an offline bundle asks for paths relative to the page
//! that end in `index.html` (`../../grants/x/index.html`), because browsers do
//! not open folders over `file://`.
//!
//! Pages are made in one language at a time. The default language's pages
//! are at the root; another's under its folder (`/mn/grants/x/`): [`Urls`]
//! carries that folder, and every page URL and output path includes it. A
//! shared file ([`Target::Asset`]: CSS, scripts, the open data) is at the
//! root for every language; a language's own file ([`Target::LangFile`]: its
//! search index, its feed) is in its folder.

use crate::model::{is_valid_id, Kind};

/// Something a link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Home,
    /// A type's index: its first page.
    Index(Kind),
    /// Page 2 or later of a type's index (`dialogues/page/2/`).
    IndexPage(Kind, u32),
    Entity(Kind, &'a str),
    NotFound,
    /// The open-data page listing every download.
    Data,
    /// The data dictionary: every CSV column in words.
    Dictionary,
    /// A partnership's printable briefing: every record of it on one page.
    Briefing(&'a str),
    /// The search page: runs the query in `?q=` with JavaScript, explains
    /// that search needs it without.
    Search,
    /// What each pledge status means.
    Statuses,
    /// A file at the site root, shared by every language, such as `style.css`.
    Asset(&'a str),
    /// A file of the language being made, in its folder: `search-index.js`.
    LangFile(&'a str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// Root-relative URLs under the base path, pretty (ending in `/`).
    Site { base_path: String },
    /// Relative to the current page, with explicit `index.html`.
    Relative,
}

impl Target<'_> {
    /// The folder of the page under the output root, without a leading
    /// slash: `grants/x/`. Empty for the home page.
    fn dir(&self) -> String {
        match self {
            Target::Home | Target::NotFound | Target::Asset(_) | Target::LangFile(_) => {
                String::new()
            }
            Target::Index(k) => format!("{}/", k.folder()),
            Target::IndexPage(k, n) => format!("{}/page/{n}/", k.folder()),
            Target::Data => "data/".into(),
            Target::Dictionary => "data/dictionary/".into(),
            Target::Briefing(id) => format!("{}/{id}/briefing/", Kind::Partnership.folder()),
            Target::Search => "search/".into(),
            Target::Statuses => "statuses/".into(),
            Target::Entity(k, id) => format!("{}/{id}/", k.folder()),
        }
    }

    /// The file written for this target, relative to the output root.
    /// Ids are validated slugs and folders come from [`Kind`], so the path
    /// cannot leave the output directory; `None` for an invalid id.
    pub fn output_file(&self) -> Option<String> {
        match self {
            Target::Entity(_, id) | Target::Briefing(id) if !is_valid_id(id) => None,
            Target::NotFound => Some("404.html".into()),
            Target::Asset(p) | Target::LangFile(p) => safe_relative(p).then(|| p.to_string()),
            _ => Some(format!("{}index.html", self.dir())),
        }
    }
}

/// True for a relative path made of plain segments only.
pub fn safe_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && p.split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains(':'))
}

#[derive(Debug, Clone)]
pub struct Urls {
    pub style: Style,
    /// The folder of the language whose pages are being made, ending in
    /// `/` (`mn/`); empty for the default language.
    pub lang: String,
}

impl Urls {
    pub fn site(base_path: &str) -> Self {
        Urls {
            style: Style::Site {
                base_path: base_path.to_string(),
            },
            lang: String::new(),
        }
    }

    /// Relative URLs for an offline bundle.
    pub fn relative() -> Self {
        Urls {
            style: Style::Relative,
            lang: String::new(),
        }
    }

    /// The same URLs for pages in the language with folder `lang` (`mn/`,
    /// or empty for the default language).
    pub fn in_lang(&self, lang: &str) -> Self {
        Urls {
            style: self.style.clone(),
            lang: lang.to_string(),
        }
    }

    /// Where `to` is from the site root, language folder included:
    /// `mn/grants/x/` (site style) or `mn/grants/x/index.html` (bundle).
    fn path(&self, to: Target, lang: &str) -> String {
        match (&self.style, to) {
            (_, Target::Asset(p)) => p.to_string(),
            (_, Target::LangFile(p)) => format!("{lang}{p}"),
            (Style::Site { .. }, Target::NotFound) => format!("{lang}404.html"),
            (Style::Site { .. }, _) => format!("{lang}{}", to.dir()),
            (Style::Relative, _) => format!("{lang}{}", to.output_file().unwrap_or_default()),
        }
    }

    /// The URL of `to`, written on the page `from`, both in this language.
    pub fn url(&self, to: Target, from: Target) -> String {
        format!("{}{}", self.root(from), self.path(to, &self.lang))
    }

    /// The URL of `to` in the language with folder `lang`, written on the
    /// page `from` of this language: a link to another language's version.
    pub fn url_in(&self, lang: &str, to: Target, from: Target) -> String {
        format!("{}{}", self.root(from), self.path(to, lang))
    }

    /// The prefix that leads from `from` (in this language) to the site
    /// root: `/base/` or `../../`.
    pub fn root(&self, from: Target) -> String {
        match &self.style {
            Style::Site { base_path } => base_path.clone(),
            Style::Relative => {
                let depth = self.lang.matches('/').count() + from.dir().matches('/').count();
                if depth == 0 {
                    "./".into()
                } else {
                    "../".repeat(depth)
                }
            }
        }
    }

    /// The URL of `to` relative to the site root, in this style: `grants/x/`
    /// for a site, `grants/x/index.html` for a bundle, in this language's
    /// folder. For links made in the browser as [`Urls::root`] plus this
    /// path (the search index).
    pub fn from_root(&self, to: Target) -> String {
        self.path(to, &self.lang)
    }

    /// The file written for `to` in this language, relative to the output
    /// root; `None` for an invalid id (see [`Target::output_file`]).
    pub fn output_file(&self, to: Target) -> Option<String> {
        let file = to.output_file()?;
        Some(match to {
            Target::Asset(_) => file,
            _ => format!("{}{file}", self.lang),
        })
    }

    /// An absolute URL for feeds and canonical links (site style only).
    /// In the relative style (offline bundles) there is no host: the path
    /// from the bundle's root is given instead.
    pub fn absolute(&self, base_url: &str, to: Target) -> String {
        self.absolute_in(&self.lang, base_url, to)
    }

    /// [`Urls::absolute`] of `to` in the language with folder `lang`.
    pub fn absolute_in(&self, lang: &str, base_url: &str, to: Target) -> String {
        match self.style {
            Style::Relative => self.path(to, lang),
            Style::Site { .. } => format!("{base_url}{}", self.path(to, lang)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_urls_are_root_relative_under_the_base() {
        let u = Urls::site("/cpc/");
        let from = Target::Home;
        assert_eq!(
            u.url(Target::Entity(Kind::Grant, "x"), from),
            "/cpc/grants/x/"
        );
        assert_eq!(u.url(Target::Index(Kind::Person), from), "/cpc/people/");
        assert_eq!(
            u.url(Target::IndexPage(Kind::Person, 3), from),
            "/cpc/people/page/3/"
        );
        assert_eq!(u.url(Target::Home, from), "/cpc/");
        assert_eq!(u.url(Target::Asset("style.css"), from), "/cpc/style.css");
    }

    #[test]
    fn relative_urls_name_index_files() {
        let u = Urls::relative();
        let from = Target::Entity(Kind::Pledge, "p");
        assert_eq!(
            u.url(Target::Entity(Kind::Grant, "x"), from),
            "../../grants/x/index.html"
        );
        assert_eq!(u.url(Target::Home, from), "../../index.html");
        assert_eq!(
            u.url(
                Target::Index(Kind::Grant),
                Target::IndexPage(Kind::Grant, 2)
            ),
            "../../../grants/index.html"
        );
        assert_eq!(
            u.url(Target::Asset("style.css"), Target::Home),
            "./style.css"
        );
    }

    #[test]
    fn another_language_is_in_its_folder_and_shares_the_assets() {
        let u = Urls::site("/cpc/").in_lang("mn/");
        let from = Target::Entity(Kind::Pledge, "p");
        assert_eq!(
            u.url(Target::Entity(Kind::Grant, "x"), from),
            "/cpc/mn/grants/x/"
        );
        assert_eq!(u.url(Target::Asset("style.css"), from), "/cpc/style.css");
        assert_eq!(
            u.url(Target::LangFile("search-index.js"), from),
            "/cpc/mn/search-index.js"
        );
        assert_eq!(
            u.url_in("", Target::Entity(Kind::Grant, "x"), from),
            "/cpc/grants/x/"
        );
        assert_eq!(u.output_file(from).unwrap(), "mn/pledges/p/index.html");
        assert_eq!(
            u.output_file(Target::Asset("style.css")).unwrap(),
            "style.css"
        );
        assert_eq!(
            u.absolute("https://example.org/cpc/", Target::Home),
            "https://example.org/cpc/mn/"
        );
        let r = Urls::relative().in_lang("mn/");
        assert_eq!(r.url(Target::Home, from), "../../../mn/index.html");
        assert_eq!(
            r.url(Target::Asset("style.css"), from),
            "../../../style.css"
        );
        assert_eq!(r.url(Target::Home, Target::Home), "../mn/index.html");
        assert_eq!(r.url_in("", Target::Home, Target::Home), "../index.html");
    }

    #[test]
    fn output_paths_never_escape() {
        assert_eq!(Target::Entity(Kind::Grant, "../x").output_file(), None);
        assert_eq!(Target::Asset("../x").output_file(), None);
        assert_eq!(Target::Asset("a/./b").output_file(), None);
        assert_eq!(
            Target::Entity(Kind::Grant, "x").output_file().unwrap(),
            "grants/x/index.html"
        );
        assert!(!safe_relative("C:/x"));
        assert!(!safe_relative("a\\..\\b"));
    }
}
