//! `languages:`: the site's languages. The default one holds the records'
//! own text and is published at the site root; every other is published
//! under its own folder (`/mn/…`), from translation files (`x.mn.md`).
//!
//! ```yaml
//! languages:
//!   default: en
//!   others: [mn]
//!   paths:        # optional: the folder of a language, if not its tag
//!     mn: mn
//! ```
//!
//! `language: en` is the short form for a site with one language.

use super::language;
use crate::fields::Fields;
use crate::yaml;

/// One language of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 tag, as written (`en`, `mn`, `en-GB`).
    pub tag: String,
    /// The folder its pages are published under, with a trailing `/`;
    /// empty for the default language.
    pub dir: String,
}

impl Language {
    pub fn default_language(tag: &str) -> Language {
        Language {
            tag: tag.to_string(),
            dir: String::new(),
        }
    }

    pub fn is_default(&self) -> bool {
        self.dir.is_empty()
    }
}

/// Read `languages:`; the first is the default. `None` when absent.
pub(super) fn languages(f: &mut Fields) -> Option<Vec<Language>> {
    let r = f.reader();
    let pos = f.node("languages")?.pos;
    let mut out = Vec::new();
    f.record("languages", |l| {
        let default = l.req(
            "default",
            "the language of the records' own text, e.g. `en`",
            language,
        );
        let others = l.list("others", |_, n| language(n));
        let mut paths: Vec<(String, String, crate::diagnostics::Pos)> = Vec::new();
        if let Some(node) = l.node("paths") {
            match &node.value {
                yaml::Value::Map(entries) => {
                    for e in entries {
                        match crate::fields::values::as_string(&e.value) {
                            Ok(p) => paths.push((e.key.clone(), p, e.value.pos)),
                            Err(p) => r.push(r.error(
                                e.value.pos,
                                &format!("languages.paths.{}", e.key),
                                p.message,
                            )),
                        }
                    }
                }
                other => r.push(
                    r.error(
                        node.pos,
                        "languages.paths",
                        format!("expected a mapping, found {}", other.type_name()),
                    )
                    .expected("one folder per language, e.g. `mn: mongolian`"),
                ),
            }
        }
        let default = default?;
        out.push(Language::default_language(&default));
        for tag in others {
            if out
                .iter()
                .any(|x: &Language| x.tag.eq_ignore_ascii_case(&tag))
            {
                r.push(
                    r.error(
                        pos,
                        "languages.others",
                        format!("language `{tag}` is listed twice"),
                    )
                    .expected("each language once"),
                );
                continue;
            }
            out.push(Language {
                dir: format!("{}/", tag.to_ascii_lowercase()),
                tag,
            });
        }
        for (tag, path, at) in paths {
            let field = format!("languages.paths.{tag}");
            let Some(lang) = out.iter_mut().find(|x| x.tag.eq_ignore_ascii_case(&tag)) else {
                r.push(
                    r.error(
                        at,
                        &field,
                        format!("`{tag}` is not one of the site's languages"),
                    )
                    .expected("a language listed under `others`"),
                );
                continue;
            };
            if lang.is_default() {
                r.push(
                    r.error(
                        at,
                        &field,
                        "the default language is published at the site root",
                    )
                    .expected("a path for another language only"),
                );
            } else if crate::model::is_valid_id(&path) {
                lang.dir = format!("{path}/");
            } else {
                r.push(
                    r.error(at, &field, format!("`{path}` is not a folder name"))
                        .expected("lowercase letters, digits and single hyphens, e.g. `mn`"),
                );
            }
        }
        Some(())
    });
    // A language's folder must not be a folder the site writes itself.
    for l in out.iter().skip(1) {
        let dir = l.dir.trim_end_matches('/');
        let taken = crate::model::Kind::ALL.iter().any(|k| k.folder() == dir)
            || ["data", "search", "statuses", "page"].contains(&dir);
        if taken {
            r.push(
                r.error(pos, "languages", format!("the folder `{dir}/` of language `{}` is one the site uses for its own pages", l.tag))
                    .expected("another folder")
                    .hint(format!("set `paths: {{{}: <folder>}}` under `languages:`", l.tag)),
            );
        }
    }
    (!out.is_empty()).then_some(out)
}
