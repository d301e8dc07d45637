//! The site's data files as downloads: what the data page lists of each
//! (its link, format, size, newest date, the records left out of it), and
//! what the DCAT-US catalogue and the data page's JSON-LD describe. The
//! files themselves are made in `render::data`.

use super::Ctx;
use crate::locale::Locale;
use crate::model::{Kind, PartialDate};
use crate::urls::Target;
use serde_json::{json, Value};

impl Ctx<'_> {
    /// The open data files for this language's data page: their links,
    /// sizes and newest dates as the page's language writes them.
    pub fn downloads(&self, downloads: &[Download]) -> Value {
        Value::Array(
            downloads
                .iter()
                .map(|d| {
                    let mut v = json!(d);
                    v["url"] = json!(self.url(Target::Asset(&d.path)));
                    v["newest"] = self.opt_date(d.newest.as_ref());
                    v["size"] = json!(human_size_in(d.bytes, self.locale));
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
}

/// One published download, for the `/data/` page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Download {
    pub path: String,
    /// Relative to the data page.
    pub url: String,
    pub format: &'static str,
    pub media_type: &'static str,
    /// The standard it follows, for the page's explanation: `json`, `csv`,
    /// `csvw`, `360giving`, `iati` or `dcat`.
    pub standard: &'static str,
    /// What the file holds: `graph`, a table's name, `csv-metadata`,
    /// `360giving`, `iati-activities`, `iati-organisations` or `catalog`.
    pub contents: String,
    pub records: usize,
    pub bytes: usize,
    /// The size for people: `4.2 kB`.
    pub size: String,
    /// The newest date among the records it contains, if any (written on
    /// each language's data page by [`Ctx::downloads`]).
    #[serde(skip)]
    pub newest: Option<PartialDate>,
    /// False when the file is not written: `why` says why.
    pub written: bool,
    /// Why not (a key of `data_why` in the theme's strings): `no-full-date`,
    /// `not-configured`, `no-identifier` or `no-date`.
    pub why: Option<&'static str>,
    /// Records left out of the file, and why.
    pub left_out: Vec<LeftOutView>,
}

/// A record left out of a standard format, for the data page (its link
/// and date are written per language by
/// [`Ctx::downloads`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LeftOutView {
    pub title: String,
    #[serde(skip)]
    pub kind: Kind,
    #[serde(skip)]
    pub id: String,
    /// The field that is not precise enough, e.g. `awarded`.
    pub field: String,
    #[serde(skip)]
    pub date: PartialDate,
}

/// [`human_size`] with the number as `locale` writes decimals (`4,2 kB`
/// where the decimal mark is a comma).
pub fn human_size_in(bytes: usize, locale: &Locale) -> String {
    let text = human_size(bytes);
    match text.split_once(' ') {
        Some((number, unit)) => match locale.decimal(number) {
            Some(n) => format!("{n}\u{a0}{unit}"),
            None => text,
        },
        None => text,
    }
}

/// Bytes in SI units with one decimal: `812 B`, `4.2 kB`, `1.3 MB`.
pub fn human_size(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    // Tenths of the unit, in integers, so the text never depends on float rounding.
    let mut value = bytes as u128 * 10;
    let mut unit = 0;
    value /= 1000;
    while value >= 10_000 && unit + 1 < UNITS.len() {
        value /= 1000;
        unit += 1;
    }
    format!("{}.{} {}", value / 10, value % 10, UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(4_250), "4.2 kB");
        assert_eq!(human_size(1_300_000), "1.3 MB");
    }
}
