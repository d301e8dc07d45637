//! Site configuration: `gazette.yaml` at the site root, read once and turned
//! into validated settings before any other work starts.

use crate::diagnostics::{display_path, Diagnostic, Pos};
mod languages;
mod vocab;

pub use languages::Language;

use crate::fields::{Problem, Reader};
use crate::model::status::{Localized, Statuses};
use crate::yaml;
use std::path::Path;

mod standards;
pub use standards::{Catalog, Iati, License, Standards};

pub const FILE: &str = "gazette.yaml";

/// The default of `lists.recent`.
pub const DEFAULT_RECENT: usize = 25;

/// The default of `lists.per_page`.
pub const DEFAULT_PER_PAGE: usize = 100;

/// The default of `feed.limit`.
pub const DEFAULT_FEED_LIMIT: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The site's name in its default language; [`Config::title_in`] gives
    /// it in another.
    pub title: String,
    pub description: Option<String>,
    /// `title` and `description` as written: one text, or one per language
    /// (`title: {en: …, mn: …}`).
    pub titles: Localized,
    pub descriptions: Localized,
    /// Absolute base URL ending in `/`, e.g. `https://example.org/cpc/`.
    pub base_url: String,
    /// The path part of the base URL, e.g. `/cpc/`; every root-relative URL starts with it.
    pub base_path: String,
    /// BCP 47 tag of the site's default language, e.g. `en`: the language
    /// of the records' own text (`languages[0].tag`).
    pub language: String,
    /// Every language of the site, the default first (`languages:`).
    pub languages: Vec<Language>,
    /// The languages an offline bundle holds when it holds only some
    /// (`gazette bundle --lang`): pages link to these alone (the language
    /// switcher, alternates). `None` everywhere else: all of `languages`.
    /// Not read from `gazette.yaml`.
    pub bundle_languages: Option<Vec<Language>>,
    pub theme: String,
    /// Pass raw HTML in Markdown through instead of escaping it.
    pub allow_html: bool,
    /// The 360Giving identifier prefix for grants and organizations.
    pub giving_prefix: String,
    /// The start of an offline bundle's file name (`<name>-<date>.zip`).
    pub bundle_name: Option<String>,
    /// How many records of each type (and timeline events) a partnership
    /// page and its briefing show, the most recent; 0 shows all.
    pub recent: usize,
    /// The most entries `atom.xml` carries, the newest; 0 carries all.
    pub feed_limit: usize,
    /// Records per page of a type's index; 0 puts them all on one page.
    pub per_page: usize,
    /// Write each record's JSON twin (`index.json` beside its page).
    pub record_json: bool,
    /// What standard formats that need a full date do with a record whose
    /// date is known only to the month or year (`open_data.partial_dates`).
    pub partial_dates: PartialDates,
    /// Pledge statuses: the built-in ones plus the site's own (`statuses:`).
    pub statuses: Statuses,
    /// Countries with no ISO 3166 code, by the user-assigned code the site
    /// gives them (`countries:`), with their names.
    pub countries: std::collections::BTreeMap<String, Localized>,
    /// The licence, IATI and DCAT-US settings (`config/standards.rs`).
    pub standards: Standards,
    pub extra: serde_json::Value,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Gazette".into(),
            description: None,
            titles: Localized::new(),
            descriptions: Localized::new(),
            base_url: "/".into(),
            base_path: "/".into(),
            language: "en".into(),
            languages: vec![Language::default_language("en")],
            bundle_languages: None,
            theme: "default".into(),
            allow_html: false,
            giving_prefix: "360G-gazette".into(),
            bundle_name: None,
            recent: DEFAULT_RECENT,
            feed_limit: DEFAULT_FEED_LIMIT,
            per_page: DEFAULT_PER_PAGE,
            record_json: true,
            partial_dates: PartialDates::LeaveOut,
            statuses: Statuses::default(),
            countries: Default::default(),
            standards: Standards::default(),
            extra: serde_json::Value::Null,
        }
    }
}

/// Where a standard format (360Giving, IATI) needs a full date and a record
/// gives only a month or a year (see "Dates in standard formats" in
/// `docs/open-data.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartialDates {
    /// Leave the record out of that format, and say so (the default).
    LeaveOut,
    /// Give the first day of the month or year, and say in the record's
    /// description that the day is not recorded.
    FirstDay,
}

impl Config {
    /// The tags of the site's languages, the default first.
    pub fn language_tags(&self) -> Vec<String> {
        self.languages.iter().map(|l| l.tag.clone()).collect()
    }
}

/// The config (when it has no errors) and every diagnostic about it.
pub type Loaded = (Option<Config>, Vec<Diagnostic>);

/// Read `gazette.yaml`; its text (for snippets), the config and diagnostics.
pub fn load(root: &Path) -> (Option<String>, Loaded) {
    let path = root.join(FILE);
    let file = display_path(root, &path);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let r = parse(&text, &file);
            (Some(text), r)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
            None,
            (None, vec![Diagnostic::error(file, format!("no `{FILE}` in {}", root.display()))
                .expected("a site folder with a `gazette.yaml` file")
                .hint("run the command in the site folder, pass `--root <dir>`, or create a site with `gazette init <dir>`")]),
        ),
        Err(e) => (None, (None, vec![Diagnostic::error(file, format!("cannot read: {e}"))])),
    }
}

/// Parse the configuration text.
impl Config {
    /// The site's name in `lang`, else in the default language.
    pub fn title_in(&self, lang: &str) -> Option<&str> {
        pick(&self.titles, lang, &self.language)
    }

    /// The site's description in `lang`, else in the default language.
    pub fn description_in(&self, lang: &str) -> Option<&str> {
        pick(&self.descriptions, lang, &self.language)
    }

    /// The language of [`Config::title_in`] when it is not `lang`: the
    /// default language's, shown where `lang` has no title of its own, so
    /// that a page marks it (`lang="en"`) for screen readers.
    pub fn title_lang(&self, lang: &str) -> Option<&str> {
        other_language(&self.titles, lang, &self.language)
    }

    /// The language of [`Config::description_in`] when it is not `lang`.
    pub fn description_lang(&self, lang: &str) -> Option<&str> {
        other_language(&self.descriptions, lang, &self.language)
    }
}

/// `default` when `texts` has none in `lang` (so [`pick`] gives the
/// default language's text, or the one written without a language, which
/// is in the default language), else `None`.
fn other_language<'a>(texts: &Localized, lang: &str, default: &'a str) -> Option<&'a str> {
    (lang != default && !texts.contains_key(lang)).then_some(default)
}

fn pick<'a>(texts: &'a Localized, lang: &str, default: &str) -> Option<&'a str> {
    pick_only(texts, lang)
        .or_else(|| texts.get("").map(String::as_str))
        .or_else(|| pick_only(texts, default))
}

/// The text for `lang` itself: its exact tag, else its language alone
/// (`en` for `en-US`).
fn pick_only<'a>(texts: &'a Localized, lang: &str) -> Option<&'a str> {
    texts
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(lang))
        .or_else(|| texts.iter().find(|(k, _)| speaks(k, lang)))
        .map(|(_, v)| v.as_str())
}

/// Whether text given for `key` (`en`) is in language `lang` (`en` or
/// `en-US`).
fn speaks(key: &str, lang: &str) -> bool {
    key.eq_ignore_ascii_case(lang)
        || lang
            .split('-')
            .next()
            .is_some_and(|primary| key.eq_ignore_ascii_case(primary))
}

pub fn parse(text: &str, file: &str) -> Loaded {
    let node = match yaml::parse(text, 1) {
        Ok(n) => n,
        Err(e) => return (None, e.diagnostics(file)),
    };
    let reader = Reader::settings(file);
    let mut cfg = Config::default();
    if let Some(mut f) = reader.fields(&node, "") {
        let title_pos = f.node("title").map(|n| n.pos);
        if let Some(t) = f.req(
            "title",
            "the site's name, or one per language",
            vocab::localized,
        ) {
            cfg.titles = t;
        }
        let description_pos = f.node("description").map(|n| n.pos);
        if let Some(d) = f.opt("description", vocab::localized) {
            cfg.descriptions = d;
        }
        let present = f.has("base_url");
        let given = f.opt("base_url", base_url);
        if let Some(b) = &given {
            cfg.base_path = base_path(b);
            cfg.base_url = b.clone();
        }
        if (given.is_some() || !present) && !cfg.base_url.starts_with("http") {
            let pos = f.node("base_url").map(|n| n.pos).unwrap_or(Pos::new(1, 1));
            reader.push(
                Diagnostic::warning(file, "`base_url` is not an absolute URL")
                    .at(Some(pos))
                    .field("base_url")
                    .expected("the address the site is published at, e.g. `https://example.org/`")
                    .hint("canonical links, the Atom feed and the sitemap need absolute URLs; they will be relative until this is set"),
            );
        }
        let language_pos = f.node("language").map(|n| n.pos);
        if let Some(l) = f.opt("language", language) {
            cfg.language = l.clone();
            cfg.languages = vec![Language::default_language(&l)];
        }
        if let Some(list) = languages::languages(&mut f) {
            if let Some(pos) = language_pos {
                reader.push(
                    reader
                        .error(pos, "language", "`language` and `languages` are both set")
                        .expected(
                            "`languages:` with `default:` and `others:`, or `language:` alone",
                        )
                        .hint("remove `language:`; `languages.default` says the same"),
                );
            }
            cfg.language = list[0].tag.clone();
            cfg.languages = list;
        }
        for (field, pos, texts) in [
            ("title", title_pos, &cfg.titles),
            ("description", description_pos, &cfg.descriptions),
        ] {
            let Some(pos) = pos else { continue };
            if !texts.is_empty()
                && pick_only(texts, &cfg.language).is_none()
                && !texts.contains_key("")
            {
                reader.push(
                    reader
                        .error(
                            pos,
                            field,
                            format!(
                                "`{field}` has no text in the default language `{}`",
                                cfg.language
                            ),
                        )
                        .expected(format!("`{}:` among its languages", cfg.language))
                        .hint("the default language's text is shown where a language has none"),
                );
            }
            for lang in texts.keys().filter(|l| !l.is_empty()) {
                if !cfg.languages.iter().any(|l| speaks(lang, &l.tag)) {
                    reader.push(
                        Diagnostic::warning(
                            file,
                            format!("`{field}` has text in `{lang}`, which is not one of the site's languages: it is not shown"),
                        )
                        .at(Some(pos))
                        .field(field)
                        .expected(format!("one of: {}", cfg.language_tags().join(", ")))
                        .hint("add the language to `languages.others`, or remove this text"),
                    );
                }
            }
        }
        if let Some(t) = cfg.title_in(&cfg.language.clone()) {
            cfg.title = t.to_string();
        }
        cfg.description = cfg
            .description_in(&cfg.language.clone())
            .map(str::to_string);
        if let Some(t) = f.opt("theme", theme_name) {
            cfg.theme = t;
        }
        f.record("markdown", |m| {
            if let Some(b) = m.opt("allow_html", as_bool) {
                cfg.allow_html = b;
            }
            Some(())
        });
        f.record("bundle", |b| {
            cfg.bundle_name = b.opt("name", |n| {
                let s = crate::fields::values::as_string(n)?;
                if crate::model::is_valid_id(&s) {
                    Ok(s)
                } else {
                    Err(
                        Problem::new(format!("`{s}` is not a file name for a bundle"))
                            .expected("lowercase letters, digits and hyphens, e.g. `cpc-site`"),
                    )
                }
            });
            Some(())
        });
        f.record("lists", |l| {
            if let Some(n) = l.opt("recent", count) {
                cfg.recent = n;
            }
            if let Some(n) = l.opt("per_page", count) {
                cfg.per_page = n;
            }
            Some(())
        });
        f.record("feed", |l| {
            if let Some(n) = l.opt("limit", count) {
                cfg.feed_limit = n;
            }
            Some(())
        });
        let open_data_pos = f.node("open_data").map_or(Pos::new(1, 1), |n| n.pos);
        f.record("open_data", |o| {
            if let Some(p) = o.opt_str("giving_prefix") {
                cfg.giving_prefix = p;
            }
            if let Some(b) = o.opt("record_json", as_bool) {
                cfg.record_json = b;
            }
            if let Some(p) = o.opt("partial_dates", |n| {
                let s = crate::fields::values::as_string(n)?;
                match s.as_str() {
                    "leave-out" => Ok(PartialDates::LeaveOut),
                    "first-day" => Ok(PartialDates::FirstDay),
                    _ => Err(Problem::new(format!("unknown rule `{s}`"))
                        .expected("`leave-out` (the default) or `first-day`")),
                }
            }) {
                cfg.partial_dates = p;
            }
            standards::read(o, open_data_pos, &mut cfg);
            Some(())
        });
        cfg.statuses = vocab::statuses(&mut f);
        cfg.countries = vocab::countries(&mut f);
        cfg.extra = f.node("extra").map(|n| n.to_json()).unwrap_or_default();
        f.finish();
    }
    let diags = reader.into_diagnostics();
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(cfg), diags)
}

fn as_bool(n: &yaml::Node) -> Result<bool, Problem> {
    match n.value {
        yaml::Value::Bool(b) => Ok(b),
        _ => Err(Problem::new(format!(
            "expected true or false, found {}",
            n.value.type_name()
        ))
        .expected("`true` or `false`")),
    }
}

fn count(n: &yaml::Node) -> Result<usize, Problem> {
    match n.value {
        yaml::Value::Int(i) if (0..=1_000_000).contains(&i) => Ok(i as usize),
        _ => Err(Problem::new(format!(
            "expected a whole number, found {}",
            match n.value {
                yaml::Value::Int(_) => "a number out of range".to_string(),
                _ => n.value.type_name().to_string(),
            }
        ))
        .expected("a whole number from 0 (no limit) to 1000000, e.g. `25`")),
    }
}

fn base_url(n: &yaml::Node) -> Result<String, Problem> {
    let s = crate::fields::values::as_string(n)?;
    let ok_scheme = s.starts_with("https://") || s.starts_with("http://") || s.starts_with('/');
    if !ok_scheme || s.contains(char::is_whitespace) || s.contains(['"', '<', '>', '\'']) {
        return Err(Problem::new(format!("`{s}` is not a base URL"))
            .expected("an absolute URL such as `https://example.org/` or a path such as `/`"));
    }
    Ok(if s.ends_with('/') { s } else { format!("{s}/") })
}

/// `/cpc/` from `https://example.org/cpc/`.
fn base_path(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".into(),
        },
        None => url.to_string(),
    }
}

pub(crate) fn language(n: &yaml::Node) -> Result<String, Problem> {
    let s = crate::fields::values::as_string(n)?;
    let ok = s
        .split('-')
        .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(s)
    } else {
        Err(Problem::new(format!("`{s}` is not a language tag"))
            .expected("a BCP 47 tag such as `en` or `mn`"))
    }
}

fn theme_name(n: &yaml::Node) -> Result<String, Problem> {
    let s = crate::fields::values::as_string(n)?;
    if crate::model::is_valid_id(&s) {
        Ok(s)
    } else {
        Err(Problem::new(format!("`{s}` is not a theme name"))
            .expected("a folder name under `themes/`, e.g. `default`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_s_name_per_language_falls_back_to_the_default() {
        let text = "title: {en: Site, mn: Сайт}\ndescription: One\nbase_url: https://example.org/\nlanguages:\n  default: en-US\n  others: [mn, fr]\n";
        let (c, d) = parse(text, "gazette.yaml");
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.title, "Site", "`en` is the text of `en-US`");
        assert_eq!(c.title_in("mn"), Some("Сайт"));
        assert_eq!(c.title_in("fr"), Some("Site"), "none in fr: the default's");
        assert_eq!(c.description_in("mn"), Some("One"));
        // Text in a language the site does not have is not shown: a warning.
        let (c, d) = parse(
            "title: {en: Site, mn: Сайт}\nbase_url: https://example.org/\n",
            "gazette.yaml",
        );
        assert!(c.is_some());
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(!d[0].is_error());
        assert!(d[0]
            .message
            .contains("`mn`, which is not one of the site's languages"));
        // No text in the default language is an error.
        let (_, d) = parse(
            "title: {mn: Сайт}\nbase_url: https://example.org/\nlanguages: {default: en, others: [mn]}\n",
            "gazette.yaml",
        );
        assert!(d.iter().any(
            |d| d.is_error() && d.message == "`title` has no text in the default language `en`"
        ));
    }

    #[test]
    fn reads_settings_and_normalises_base_url() {
        let c = parse(
            "title: T\nbase_url: https://example.org/cpc\nmarkdown:\n  allow_html: true\n",
            "gazette.yaml",
        );
        assert!(c.1.is_empty(), "{:?}", c.1);
        let c = c.0.unwrap();
        assert_eq!(c.base_url, "https://example.org/cpc/");
        assert_eq!(c.base_path, "/cpc/");
        assert!(c.allow_html);
        assert_eq!(c.language, "en");
        assert_eq!(c.recent, DEFAULT_RECENT);
    }

    #[test]
    fn reads_the_list_settings_and_rejects_a_bad_one() {
        let (c, d) = parse(
            "title: T\nbase_url: /\nlists:\n  recent: 0\n  per_page: 7\nopen_data:\n  record_json: false\n",
            "gazette.yaml",
        );
        let c = c.unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!((c.recent, c.per_page, c.record_json), (0, 7, false));
        assert!(Config::default().record_json);
        for bad in ["-1", "ten", "2.5"] {
            let (c, d) = parse(
                &format!("title: T\nlists:\n  recent: {bad}\n"),
                "gazette.yaml",
            );
            assert!(c.is_none(), "{bad}");
            let e = d.iter().find(|d| d.is_error()).expect("an error");
            assert_eq!(e.field.as_deref(), Some("lists.recent"), "{bad}: {e:?}");
            assert_eq!(e.line, Some(3));
        }
    }

    #[test]
    fn reports_every_bad_setting() {
        let e = parse(
            "title: T\nbase_url: ftp://x\nlanguage: 'e n'\ntheme: ../x\ncolour: red\n",
            "gazette.yaml",
        );
        assert!(e.0.is_none());
        let e = e.1;
        let fields: Vec<_> = e.iter().filter_map(|d| d.field.clone()).collect();
        assert_eq!(fields, vec!["base_url", "language", "theme", "colour"]);
        assert_eq!(e[3].line, Some(5));
    }

    #[test]
    fn anchors_are_refused() {
        let (c, d) = parse(
            "title: &t Site\ndescription: *t\nbase_url: /\n",
            "gazette.yaml",
        );
        assert!(c.is_none());
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "YAML anchors and aliases are not supported");
        assert_eq!(d[0].location(), "gazette.yaml:1:8");
        assert_eq!(d[0].field.as_deref(), Some("title"));
        assert!(d[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("write the value out in full"));
    }

    #[test]
    fn the_title_in_another_language_says_when_it_falls_back() {
        let langs = "languages: {default: en, others: [mn, ar]}\n";
        let (c, d) = parse(&format!("title: Site\n{langs}"), "gazette.yaml");
        let c = c.unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(c.title_in("mn"), Some("Site"));
        assert_eq!(c.title_lang("mn"), Some("en"));
        assert_eq!(c.title_lang("en"), None);
        assert_eq!(c.description_lang("ar"), Some("en"));
        let (c, d) = parse(
            &format!("title: {{en: Site, mn: Сайт}}\ndescription: {{en: About, ar: حول}}\n{langs}"),
            "gazette.yaml",
        );
        let c = c.unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!((c.title_in("mn"), c.title_lang("mn")), (Some("Сайт"), None));
        assert_eq!(
            (c.title_in("ar"), c.title_lang("ar")),
            (Some("Site"), Some("en"))
        );
        assert_eq!(c.description_lang("ar"), None);
        assert_eq!(c.description_lang("mn"), Some("en"));
    }

    #[test]
    fn a_relative_base_url_is_a_warning() {
        let (c, d) = parse("title: T\nbase_url: /\n", "gazette.yaml");
        assert!(c.is_some());
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(d[0].line, Some(2));
    }
}
