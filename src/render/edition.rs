//! An edition: the site in one of its languages. It has the graph with that
//! language's text (translations laid over the records, see
//! `graph::translations::localize`), the theme's strings in that language,
//! CLDR formatting for it, and URLs in its folder. Pages, the search index
//! and the feed are made once per edition; the open data once for the site.

use crate::config::{Config, Language};
use crate::graph::Graph;
use crate::locale::Locale;
use crate::urls::Urls;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The site in one language.
pub struct Edition<'a> {
    pub lang: &'a Language,
    /// The graph with this language's text.
    pub graph: Cow<'a, Graph>,
    pub strings: &'a Value,
    pub locale: Arc<Locale>,
    /// URLs of this language's pages (in its folder).
    pub urls: Urls,
    /// Every language of the site, the default first: for alternate links
    /// and the language switcher. In a bundle of some languages, only
    /// those (`Config::bundle_languages`), so no link leaves the bundle.
    pub languages: &'a [Language],
    /// Each language's name in itself, for the language switcher.
    pub language_names: BTreeMap<String, String>,
}

impl<'a> Edition<'a> {
    /// The reader's language for text made in Rust (feeds, search).
    pub fn say(&self) -> super::say::Say<'_> {
        super::say::Say {
            strings: self.strings,
            locale: &self.locale,
        }
    }

    /// Every edition of the site: the default language on `graph` as it
    /// is, each other language on a copy with its translations.
    pub fn all(
        graph: &'a Graph,
        config: &'a Config,
        theme: &'a super::theme::Theme,
        urls: &Urls,
    ) -> Vec<Edition<'a>> {
        config
            .languages
            .iter()
            .map(|lang| Edition::of(graph, config, theme, urls, lang))
            .collect()
    }

    /// The edition of `lang`, one of `config.languages`.
    pub fn of(
        graph: &'a Graph,
        config: &'a Config,
        theme: &'a super::theme::Theme,
        urls: &Urls,
        lang: &'a Language,
    ) -> Edition<'a> {
        let graph = if lang.is_default() {
            Cow::Borrowed(graph)
        } else {
            Cow::Owned(crate::graph::translations::localize(graph, &lang.tag))
        };
        let locale = Arc::new(Locale::new(&lang.tag));
        Edition::new(lang, graph, config, theme, urls, locale)
    }

    /// The edition of `lang` on a graph already localized to it, with its
    /// locale (watch mode keeps both between rebuilds).
    pub fn new(
        lang: &'a Language,
        graph: Cow<'a, Graph>,
        config: &'a Config,
        theme: &'a super::theme::Theme,
        urls: &Urls,
        locale: Arc<Locale>,
    ) -> Edition<'a> {
        Edition {
            lang,
            graph,
            strings: theme.strings(&lang.tag),
            locale,
            urls: urls.in_lang(&lang.dir),
            languages: config
                .bundle_languages
                .as_deref()
                .unwrap_or(&config.languages),
            language_names: config
                .languages
                .iter()
                .map(|l| {
                    let name = super::language::name_in_itself(theme.strings(&l.tag), &l.tag);
                    (l.tag.clone(), name)
                })
                .collect(),
        }
    }
}
