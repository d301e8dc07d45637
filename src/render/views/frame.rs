//! What every page shows around its content: the page's language and
//! direction, the page in the site's other languages, the navigation, and
//! the open data files listed on the data page.

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

    /// The open data files for this language's data page: their links,
    /// sizes and newest dates as the page's language writes them.
    pub fn downloads(&self, downloads: &[crate::render::data::Download]) -> Value {
        Value::Array(
            downloads
                .iter()
                .map(|d| {
                    let mut v = json!(d);
                    v["url"] = json!(self.url(Target::Asset(&d.path)));
                    v["newest"] = self.opt_date(d.newest.as_ref());
                    v["size"] = json!(crate::render::data::human_size_in(d.bytes, self.locale));
                    v["left_out"] = Value::Array(
                        d.left_out
                            .iter()
                            .map(|l| {
                                let mut lv = json!(l);
                                lv["url"] = json!(self.url(Target::Entity(l.kind, &l.id)));
                                lv["date"] = self.date(&l.date);
                                lv
                            })
                            .collect(),
                    );
                    v
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
