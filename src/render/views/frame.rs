//! What every page shows around its content: the page's language and
//! direction, the page in the site's other languages, the navigation.

use super::Ctx;
use crate::model::Kind;
use crate::urls::Target;
use serde_json::{json, Value};

impl Ctx<'_> {
    /// The page's language: its tag and which way it runs (`ltr`, `rtl`).
    pub fn lang_view(&self) -> Value {
        json!({
            "tag": self.lang.tag,
            "dir": self.locale.direction().as_str(),
            "default": self.lang.is_default(),
        })
    }

    /// The site's default language: the language of the records' own text.
    /// Not the first of `languages`: a bundle of some languages may leave
    /// the default out.
    pub fn default_tag(&self) -> &str {
        &self.config.language
    }

    /// This page in every language of the site: `tag`, `href` (a link
    /// from this page), `absolute` (for `hreflang` alternates, online
    /// only) and whether it is this page's own language.
    pub fn alternates(&self) -> Value {
        let online = self.urls.style != crate::urls::Style::Relative;
        Value::Array(
            self.languages
                .iter()
                .map(|l| {
                    json!({
                        "tag": l.tag,
                        "name": self.language_names.get(&l.tag).unwrap_or(&l.tag),
                        "href": self.urls.url_in(&l.dir, self.page, self.page),
                        "absolute": online.then(|| self.urls.absolute_in(&l.dir, &self.config.base_url, self.page)),
                        "current": l.tag == self.lang.tag,
                        "default": l.is_default(),
                    })
                })
                .collect(),
        )
    }

    /// Navigation: one entry per type index, plus home.
    pub fn nav(&self) -> Value {
        let items: Vec<Value> = Kind::ALL
            .iter()
            .map(|k| {
                json!({
                    "kind": k.name(),
                    "folder": k.folder(),
                    "url": self.url(Target::Index(*k)),
                    "current": if self.page == Target::Index(*k) {
                        json!("page")
                    } else if matches!(self.page, Target::Entity(pk, _) | Target::IndexPage(pk, _) if pk == *k) {
                        json!("section")
                    } else {
                        json!(false)
                    },
                })
            })
            .collect();
        json!({ "home": self.url(Target::Home), "indexes": items })
    }
}
