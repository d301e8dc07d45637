//! Translation files (`x.mn.md`): the text fields of record `x` in language
//! `mn`, and nothing else. A fact field (a date, an amount, a reference…)
//! is an error that says where facts go; an unknown field is an error with
//! a suggestion, as in record files. Whether the record exists and the
//! language is the site's is checked with the graph (`graph::translations`).

use crate::diagnostics::Diagnostic;
use crate::fields::values::as_string;
use crate::fields::{Fields, Problem, Reader};
use crate::load::SourceFile;
use crate::model::translation::{Texts, Translation, LISTS};
use crate::model::Kind;
use crate::yaml::{self, Node, Value};

/// The fields of each type that are facts: written once, in the record.
fn facts(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Partnership => &["signed", "parties", "status", "sources"],
        Kind::Dialogue => &[
            "date",
            "partnership",
            "format",
            "organizations",
            "objectives",
            "pledges",
            "grants",
            "sources",
        ],
        Kind::Pledge => &[
            "partnership",
            "made_by",
            "objectives",
            "made",
            "dialogue",
            "due",
            "status",
            "sources",
        ],
        Kind::Grant => &[
            "partnership",
            "funder",
            "recipients",
            "objectives",
            "awarded",
            "period",
            "amount",
            "currency",
            "sources",
        ],
        Kind::Organization => &["kind", "country", "website", "parent", "sources"],
        Kind::Person => &["sources"],
        Kind::Report => &["partnership", "period", "published", "sources"],
    }
}

/// The result of parsing one translation file.
pub struct Parsed {
    pub translation: Option<Translation>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse translation file `sf` (its `lang` is set).
pub fn parse(sf: &SourceFile) -> Parsed {
    let lang = sf.lang.clone().unwrap_or_default();
    let reader = Reader::new(sf.file.clone());
    let node = match yaml::parse(sf.front(), sf.front_line) {
        Ok(n) => n,
        Err(e) => {
            return Parsed {
                translation: None,
                diagnostics: super::yaml_errors(sf, e),
            }
        }
    };
    let Some(mut f) = reader.fields(&node, "") else {
        return Parsed {
            translation: None,
            diagnostics: reader.into_diagnostics(),
        };
    };
    let record = format!("{}.md", sf.id);
    let mut texts = Texts {
        title: f.opt_str(if matches!(sf.kind, Kind::Organization | Kind::Person) {
            "name"
        } else {
            "title"
        }),
        ..Texts::default()
    };
    match sf.kind {
        Kind::Partnership | Kind::Organization => texts.short_name = f.opt_str("short_name"),
        Kind::Dialogue => texts.location = f.opt_str("location"),
        Kind::Person => texts.honorific = f.opt_str("honorific"),
        _ => {}
    }
    if sf.kind == Kind::Partnership {
        texts.objectives = f.records("objectives", |o| {
            let id = o.req(
                "id",
                "the id of one of the record's objectives",
                crate::fields::values::as_id,
            );
            let title = o.req_str("title");
            Some((id?, title?))
        });
    }
    for &(kind, list, field) in LISTS {
        if kind == sf.kind {
            let items = items(&mut f, list, field);
            texts.lists.push((list, items));
        }
    }
    let unofficial = f
        .opt("unofficial", |n| match n.value {
            Value::Bool(b) => Ok(b),
            _ => Err(Problem::new("expected true or false").expected("`true` or `false`")),
        })
        .unwrap_or(false);
    let translates_pos = f.node("translates").map(|n| n.pos);
    let translates = f.opt("translates", digest_text);
    for (key, pos) in f.unused() {
        if facts(sf.kind).contains(&key.as_str()) || key == "extra" {
            reader.push(
                reader
                    .error(
                        pos,
                        &key,
                        format!("`{key}` is a fact, and a translation holds only text"),
                    )
                    .expected("the text fields of the record, translated")
                    .hint(format!(
                        "facts are written once, in `{record}`; remove `{key}` from this file"
                    )),
            );
            f.mark_used(&key);
        }
    }
    f.finish();
    let body = sf.body().trim();
    texts.body = (!body.is_empty()).then(|| sf.body_text());
    let mut diagnostics = reader.into_diagnostics();
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    let scan = crate::markdown::scan(sf.body(), sf.body_line);
    diagnostics.extend(scan.repeated_footnotes.iter().map(|r| r.warning(&sf.file)));
    Parsed {
        translation: ok.then(|| Translation {
            kind: sf.kind,
            id: sf.id.clone(),
            lang,
            file: sf.file.clone(),
            links: scan.links,
            texts,
            body_line: sf.body_line,
            unofficial,
            translates,
            translates_pos,
        }),
        diagnostics,
    }
}

/// A `translates:` digest: eight hexadecimal digits, as `gazette check
/// --translations` prints it. Unquoted, YAML may read one as a number
/// (`46506231`, `1234e567`), so the text as written is taken.
fn digest_text(n: &Node) -> Result<String, Problem> {
    let text = match &n.value {
        Value::Str(s) => s.trim().to_string(),
        Value::Int(_) | Value::Float(_) => n.raw.clone().unwrap_or_default(),
        other => {
            return Err(
                Problem::new(format!("expected a digest, found {}", other.type_name()))
                    .expected("eight hexadecimal digits, e.g. `\"bd8dc1b4\"`"),
            )
        }
    };
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(Problem::new(format!("`{text}` is not a digest"))
            .expected("eight hexadecimal digits, e.g. `\"bd8dc1b4\"`")
            .hint(Some(
                "copy it from `gazette check --translations`".to_string(),
            )))
    }
}

/// The text of each item of list `list`: `field` of a mapping, or the item
/// itself when `field` is empty (outcomes). An item may be `{}` or `~` to
/// leave it untranslated.
fn items(f: &mut Fields, list: &'static str, field: &'static str) -> Vec<Option<String>> {
    let r = f.reader();
    let path = f.path(list);
    f.list(list, |i, n: &Node| {
        let at = format!("{path}[{i}]");
        match &n.value {
            Value::Null => Ok(None),
            Value::Map(_) => {
                let mut o = r.fields(n, &at).ok_or_else(Problem::already_reported)?;
                let key = if field.is_empty() { "text" } else { field };
                let text = o.opt(key, as_string);
                o.finish();
                Ok(text)
            }
            _ if field.is_empty() => as_string(n).map(Some),
            _ => Err(
                Problem::new(format!("expected a mapping with `{field}`")).expected(format!(
                    "`- {field}: …` for each item, in the record's order"
                )),
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest, or the problem's message.
    fn digest_of(yaml_text: &str) -> Result<String, String> {
        let node = yaml::parse(yaml_text, 1).unwrap();
        let Value::Map(entries) = node.value else {
            panic!("a mapping")
        };
        digest_text(&entries[0].value).map_err(|p| p.message)
    }

    #[test]
    fn a_digest_is_read_as_written_even_when_yaml_sees_a_number() {
        assert_eq!(digest_of("translates: bd8dc1b4\n").unwrap(), "bd8dc1b4");
        assert_eq!(digest_of("translates: \"46506231\"\n").unwrap(), "46506231");
        assert_eq!(digest_of("translates: 46506231\n").unwrap(), "46506231");
        assert_eq!(digest_of("translates: 1234e567\n").unwrap(), "1234e567");
        let e = digest_of("translates: DIGEST\n").unwrap_err();
        assert_eq!(e, "`DIGEST` is not a digest");
        assert!(digest_of("translates: [a]\n").is_err());
    }

    #[test]
    fn a_footnote_defined_twice_in_a_translation_is_warned_where_it_is() {
        let sf = SourceFile::new(
            "pledges/p.mn.md".into(),
            "content/pledges/p.mn.md".into(),
            crate::model::Kind::Pledge,
            "p".into(),
            Some("mn".into()),
            "---\ntitle: Т\n---\nТекст[^1].\n\n[^1]: Нэг.\n\n[^1]: Хоёр.\n".into(),
        )
        .ok()
        .unwrap();
        let parsed = parse(&sf);
        assert!(parsed.translation.is_some());
        let warned: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.message.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            warned,
            [("footnote `[^1]` is defined twice", Some(8), Some(1))]
        );
    }
}
