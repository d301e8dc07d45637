//! The one place that makes URLs. Every link in every page, and every output
//! path, comes from here, given the target and the page it appears on.
//!
//! A site build asks for root-relative URLs under the base path
//! (`/cpc/grants/x/`); an offline bundle asks for paths relative to the page
//! that end in `index.html` (`../../grants/x/index.html`), because browsers do
//! not open folders over `file://`.

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
    /// A file at the site root, such as `style.css`.
    Asset(&'a str),
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
            Target::Home | Target::NotFound | Target::Asset(_) => String::new(),
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
            Target::Asset(p) => safe_relative(p).then(|| p.to_string()),
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
}

impl Urls {
    pub fn site(base_path: &str) -> Self {
        Urls {
            style: Style::Site {
                base_path: base_path.to_string(),
            },
        }
    }

    /// The URL of `to`, written on the page `from`.
    pub fn url(&self, to: Target, from: Target) -> String {
        match &self.style {
            Style::Site { base_path } => match to {
                Target::NotFound => format!("{base_path}404.html"),
                Target::Asset(p) => format!("{base_path}{p}"),
                _ => format!("{base_path}{}", to.dir()),
            },
            Style::Relative => {
                let root = self.root(from);
                match to {
                    Target::Asset(p) => format!("{root}{p}"),
                    _ => format!("{root}{}", to.output_file().unwrap_or_default()),
                }
            }
        }
    }

    /// The prefix that leads from `from` to the site root: `/base/` or `../../`.
    pub fn root(&self, from: Target) -> String {
        match &self.style {
            Style::Site { base_path } => base_path.clone(),
            Style::Relative => {
                let depth = from.dir().matches('/').count();
                if depth == 0 {
                    "./".into()
                } else {
                    "../".repeat(depth)
                }
            }
        }
    }

    /// The URL of `to` relative to the site root, in this style: `grants/x/`
    /// for a site, `grants/x/index.html` for a bundle. For links made in the
    /// browser as [`Urls::root`] plus this path (the search index).
    pub fn from_root(&self, to: Target) -> String {
        match (&self.style, to) {
            (_, Target::Asset(p)) => p.to_string(),
            (Style::Site { .. }, Target::NotFound) => "404.html".into(),
            (Style::Site { .. }, _) => to.dir(),
            (Style::Relative, _) => to.output_file().unwrap_or_default(),
        }
    }

    /// An absolute URL for feeds and canonical links (site style only).
    /// In the relative style (offline bundles) there is no host: the path
    /// from the bundle's root is given instead.
    pub fn absolute(&self, base_url: &str, to: Target) -> String {
        if self.style == Style::Relative {
            return self.from_root(to);
        }
        let path = match to {
            Target::NotFound => "404.html".into(),
            Target::Asset(p) => p.to_string(),
            _ => to.dir(),
        };
        format!("{base_url}{path}")
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
        let u = Urls {
            style: Style::Relative,
        };
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
