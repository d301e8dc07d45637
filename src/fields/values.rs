//! One YAML value into one typed value: text, dates, ids and references,
//! vocabulary values and statuses (money is in `money.rs`). Each conversion returns the
//! value or a [`Problem`] that [`super::Fields`] places in its file
//! and field.

use super::{Problem, Reader};
use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::model::vocab::Vocab;
use crate::model::{date::DateError, is_valid_id, Kind, PartialDate, Ref, Status, Statuses};
use crate::yaml::{Node, Value};

pub const DATE_FORMS: &str = "a date written `YYYY-MM-DD`, `YYYY-MM` or `YYYY`";

pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

pub fn as_string(n: &Node) -> Result<String, Problem> {
    match &n.value {
        Value::Str(s) if !s.trim().is_empty() => Ok(s.clone()),
        Value::Str(_) => Err(Problem::new("empty text").expected("a non-empty string")),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Err(Problem::new(format!(
            "expected a string, found {}",
            n.value.type_name()
        ))
        .expected("a string")
        .hint(Some(format!(
            "put it in quotes: \"{}\"",
            n.raw.as_deref().unwrap_or("")
        )))),
        other => Err(
            Problem::new(format!("expected a string, found {}", other.type_name()))
                .expected("a string"),
        ),
    }
}

pub fn as_date(n: &Node) -> Result<PartialDate, Problem> {
    let text = match &n.value {
        Value::Str(s) => s.clone(),
        Value::Int(_) => n.raw.clone().unwrap_or_default(),
        other => {
            return Err(
                Problem::new(format!("expected a date, found {}", other.type_name()))
                    .expected(DATE_FORMS),
            )
        }
    };
    PartialDate::parse(text.trim()).map_err(|e| match e {
        DateError::Malformed => Problem::new(format!("`{text}` is not a date"))
            .expected(DATE_FORMS)
            .hint(Some(
                "write a partial date when the day or month is unknown, e.g. `2020-04`".into(),
            )),
        DateError::Impossible(why) => {
            Problem::new(format!("`{text}` is an impossible date: {why}")).expected(DATE_FORMS)
        }
    })
}

/// Years a record's date almost certainly falls in. A year outside them
/// (`0202`, `2202`, `0000`) is taken for a typo and warned about.
pub const LIKELY_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Warn, in `r`'s file at `pos`, about a date in `field` whose year is
/// almost certainly a typo. Only a warning: the date is kept as written.
pub fn check_year(r: &Reader, pos: Pos, field: &str, d: &PartialDate) {
    if LIKELY_YEARS.contains(&d.year) {
        return;
    }
    r.push(
        Diagnostic::warning(
            r.file.clone(),
            format!(
                "the year of `{}` is almost certainly a typo: a year from {} to {} was expected",
                d.iso(),
                LIKELY_YEARS.start(),
                LIKELY_YEARS.end()
            ),
        )
        .at(Some(pos))
        .field(field)
        .expected(format!(
            "a year from {} to {}",
            LIKELY_YEARS.start(),
            LIKELY_YEARS.end()
        ))
        .hint("check the year against the source; if it really is so early or so late, leave it as it is"),
    );
}

pub fn as_vocab<V: Vocab>(n: &Node) -> Result<V, Problem> {
    let allowed = V::allowed();
    let expected = format!("one of: {}", allowed.join(", "));
    let Value::Str(s) = &n.value else {
        return Err(Problem::new(format!(
            "expected a {}, found {}",
            V::NAME,
            n.value.type_name()
        ))
        .expected(expected));
    };
    V::parse(s.trim()).ok_or_else(|| {
        let lowered = s.trim().to_lowercase().replace([' ', '_'], "-");
        let hint = did_you_mean(&lowered, allowed.iter().copied());
        Problem::new(format!("unknown {} `{s}`", V::NAME))
            .expected(expected)
            .hint(hint)
    })
}

pub fn as_id(n: &Node) -> Result<String, Problem> {
    let Value::Str(s) = &n.value else {
        return Err(
            Problem::new(format!("expected an id, found {}", n.value.type_name()))
                .expected("a lowercase id such as `world-vision`"),
        );
    };
    if is_valid_id(s) {
        Ok(s.clone())
    } else {
        let slug = crate::model::slugify(s);
        Err(Problem::new(format!("`{s}` is not a valid id"))
            .expected("lowercase letters, digits and single hyphens, e.g. `world-vision`")
            .hint((!slug.is_empty()).then(|| format!("did you mean `{slug}`?"))))
    }
}

pub fn as_ref(n: &Node, kind: Kind, field: String) -> Result<Ref, Problem> {
    let id = as_id(n)?;
    Ok(Ref {
        kind,
        id,
        pos: n.pos,
        field,
    })
}

/// A pledge status of the site's vocabulary (built-in or the site's own).
pub fn as_status(n: &Node, statuses: &Statuses) -> Result<Status, Problem> {
    let allowed = statuses.keys();
    let expected = format!("one of: {}", allowed.join(", "));
    let Value::Str(s) = &n.value else {
        return Err(Problem::new(format!(
            "expected a pledge status, found {}",
            n.value.type_name()
        ))
        .expected(expected));
    };
    statuses.parse(s.trim()).ok_or_else(|| {
        let lowered = s.trim().to_lowercase().replace([' ', '_'], "-");
        let hint = did_you_mean(&lowered, allowed.iter().copied()).or_else(|| {
            Some("a site can add its own statuses under `statuses:` in gazette.yaml".into())
        });
        Problem::new(format!("unknown pledge status `{s}`"))
            .expected(expected)
            .hint(hint)
    })
}

/// An absolute web address or an internal `@/` link.
pub fn as_url(n: &Node) -> Result<String, Problem> {
    let s = as_string(n)?;
    let ok = s.starts_with("https://") || s.starts_with("http://") || s.starts_with("@/");
    if ok && !s.contains(char::is_whitespace) {
        Ok(s)
    } else {
        Err(Problem::new(format!("`{s}` is not a web address"))
            .expected("an address starting with `https://`, or `@/type/id.md`"))
    }
}
