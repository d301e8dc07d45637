//! A CSV table as Gazette publishes it: typed columns, written with the
//! `csv` crate (RFC 4180: comma-separated, CRLF line ends, one header row,
//! a field quoted when it holds a comma, quote or line break, quotes
//! doubled), and described column by column for CSV on the Web
//! (`csvw.rs`) and the data dictionary page (`dictionary.rs`).
//!
//! A date column is written as four: the date as recorded (`awarded`:
//! `2020`, `2020-04` or `2020-04-15`), the first and last day it may mean
//! (`awarded_start`, `awarded_end`, full ISO dates that any tool parses)
//! and its precision (`awarded_precision`: `year`, `month` or `day`).
//!
//! A column of the records' text is followed by one column per other
//! language of the site, `<name>_<tag>` (`title_mn`; a `-` in the tag is
//! written `_`, as CSV on the Web names allow), holding the text that
//! language's translation gives and empty where it gives none. A site in
//! one language has no such column.

use crate::model::PartialDate;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Free text.
    Text,
    /// A record id: a lowercase slug.
    Id,
    /// Record ids separated by `;`.
    Ids,
    /// A key of one of Gazette's vocabularies (the keys listed), with its
    /// label for readers in the next column.
    Code(&'static [&'static str]),
    /// A key of a vocabulary the site may extend (pledge statuses).
    OpenCode,
    /// A label for readers, beside a code.
    Label,
    /// A date as recorded; written as four columns (see above).
    Date,
    /// An exact decimal amount, with the currency's minor digits.
    Decimal,
    /// An ISO 4217 currency code.
    Currency,
    /// A whole number from 0.
    Count,
    /// An absolute address (in an offline bundle, a path from its root).
    Url,
    /// An ISO 3166-1 alpha-2 code, or one the site assigns (`XA`).
    Country,
    /// An IATI organisation identifier (`XM-DAC-302`) or DAC sector code.
    Standard,
}

/// One column of a table, before a date is expanded into four.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: Type,
    /// Never empty.
    pub required: bool,
    /// The records' text: written again in each other language.
    pub translated: bool,
}

/// A column that is always filled.
pub const fn req(name: &'static str, ty: Type) -> Column {
    Column {
        name,
        ty,
        required: true,
        translated: false,
    }
}

/// A column that may be empty.
pub const fn opt(name: &'static str, ty: Type) -> Column {
    Column {
        name,
        ty,
        required: false,
        translated: false,
    }
}

impl Column {
    /// The same column, holding the records' text: followed by one column
    /// per other language.
    pub const fn translated(self) -> Column {
        Column {
            translated: true,
            ..self
        }
    }
}

/// What becomes of a date column: its part and the written column's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Recorded,
    Start,
    End,
    Precision,
}

/// A column as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub name: String,
    pub column: Column,
    /// For the columns a date column becomes: which part this is.
    pub date: Option<DatePart>,
    /// For a column in another language than the default: its tag.
    pub lang: Option<String>,
}

/// The name of `column`'s column in language `tag`: `title_mn`.
pub fn name_in(column: &str, tag: &str) -> String {
    format!("{column}_{}", tag.replace('-', "_"))
}

/// The columns written for `columns`, dates expanded, each column of the
/// records' text followed by its columns in the other languages `langs`
/// (never required: a record may have no translation).
pub fn written(columns: &[Column], langs: &[&str]) -> Vec<Written> {
    let mut out = Vec::new();
    for &c in columns {
        if c.translated {
            out.push(Written {
                name: c.name.to_string(),
                column: c,
                date: None,
                lang: None,
            });
            out.extend(langs.iter().map(|tag| Written {
                name: name_in(c.name, tag),
                column: Column {
                    required: false,
                    ..c
                },
                date: None,
                lang: Some(tag.to_string()),
            }));
            continue;
        }
        if c.ty == Type::Date {
            for (part, suffix) in [
                (DatePart::Recorded, ""),
                (DatePart::Start, "_start"),
                (DatePart::End, "_end"),
                (DatePart::Precision, "_precision"),
            ] {
                out.push(Written {
                    name: format!("{}{suffix}", c.name),
                    column: c,
                    date: Some(part),
                    lang: None,
                });
            }
        } else {
            out.push(Written {
                name: c.name.to_string(),
                column: c,
                date: None,
                lang: None,
            });
        }
    }
    out
}

/// One cell before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Date(Option<PartialDate>),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<&String> for Cell {
    fn from(s: &String) -> Cell {
        Cell::Text(s.clone())
    }
}

impl From<Option<&String>> for Cell {
    fn from(s: Option<&String>) -> Cell {
        Cell::Text(s.cloned().unwrap_or_default())
    }
}

impl From<&Option<String>> for Cell {
    fn from(s: &Option<String>) -> Cell {
        Cell::Text(s.clone().unwrap_or_default())
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Text(n.to_string())
    }
}

impl From<PartialDate> for Cell {
    fn from(d: PartialDate) -> Cell {
        Cell::Date(Some(d))
    }
}

impl From<Option<PartialDate>> for Cell {
    fn from(d: Option<PartialDate>) -> Cell {
        Cell::Date(d)
    }
}

fn full((y, m, d): (i32, u8, u8)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// The text of each written column of `row` (as wide as `columns`), each
/// column of the records' text followed by the same cell of each row of
/// `theirs`, the row in the other languages.
fn expand(columns: &[Column], row: Vec<Cell>, theirs: &[Vec<Cell>], out: &mut Vec<String>) {
    for (j, cell) in row.into_iter().enumerate() {
        match cell {
            Cell::Text(t) => out.push(t),
            Cell::Date(None) => out.extend(std::iter::repeat_n(String::new(), 4)),
            Cell::Date(Some(d)) => {
                out.push(d.iso());
                out.push(full(d.start()));
                out.push(full(d.end()));
                out.push(d.precision().to_string());
            }
        }
        if columns.get(j).is_some_and(|c| c.translated) {
            for row in theirs {
                out.push(match row.get(j) {
                    Some(Cell::Text(t)) => t.clone(),
                    _ => String::new(),
                });
            }
        }
    }
}

/// A table being written: its header first ([`Writer::new`]), then its
/// rows, a batch at a time ([`Writer::rows`]). `in_langs` holds the same
/// rows made from each other language's text (see `written`), one list
/// per tag of `langs`.
pub struct Writer<'c, W: std::io::Write> {
    csv: csv::Writer<W>,
    columns: &'c [Column],
    cells: Vec<String>,
}

impl<'c, W: std::io::Write> Writer<'c, W> {
    pub fn new(w: W, columns: &'c [Column], langs: &[&str]) -> csv::Result<Self> {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(w);
        let header: Vec<String> = written(columns, langs)
            .into_iter()
            .map(|c| c.name)
            .collect();
        csv.write_record(&header)?;
        Ok(Writer {
            csv,
            columns,
            cells: Vec::with_capacity(header.len()),
        })
    }

    /// A writer of rows that follow rows already written: no header.
    pub fn continuing(w: W, columns: &'c [Column]) -> Self {
        Writer {
            csv: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(w),
            columns,
            cells: Vec::new(),
        }
    }

    pub fn rows(&mut self, rows: Vec<Vec<Cell>>, in_langs: Vec<Vec<Vec<Cell>>>) -> csv::Result<()> {
        let mut in_langs: Vec<_> = in_langs.into_iter().map(Vec::into_iter).collect();
        for row in rows {
            debug_assert_eq!(row.len(), self.columns.len());
            let theirs: Vec<Vec<Cell>> = in_langs
                .iter_mut()
                .map(|rows| rows.next().unwrap_or_default())
                .collect();
            self.cells.clear();
            expand(self.columns, row, &theirs, &mut self.cells);
            self.csv.write_record(&self.cells)?;
        }
        Ok(())
    }

    /// Write what is still buffered; the writer back.
    pub fn finish(self) -> std::io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

/// The CSV text of a whole table: its header, then its rows
/// ([`Writer`]).
pub fn write(
    columns: &[Column],
    langs: &[&str],
    rows: Vec<Vec<Cell>>,
    in_langs: Vec<Vec<Vec<Cell>>>,
) -> Vec<u8> {
    let written = Writer::new(Vec::new(), columns, langs).and_then(|mut w| {
        w.rows(rows, in_langs)?;
        Ok(w.finish()?)
    });
    // Writing into a `Vec` cannot fail.
    written.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed_and_expands_dates() {
        let cols = [
            req("id", Type::Id),
            opt("note", Type::Text),
            opt("on", Type::Date),
        ];
        let d = PartialDate::parse("2020-02").ok();
        let rows = vec![
            vec!["a".into(), "plain".into(), d.into()],
            vec![
                "b".into(),
                "says \"hi\", then\nleaves".into(),
                Cell::Date(None),
            ],
        ];
        assert_eq!(
            String::from_utf8(write(&cols, &[], rows, Vec::new())).unwrap(),
            "id,note,on,on_start,on_end,on_precision\r\n\
             a,plain,2020-02,2020-02-01,2020-02-29,month\r\n\
             b,\"says \"\"hi\"\", then\nleaves\",,,,\r\n"
        );
    }

    #[test]
    fn a_text_column_is_followed_by_its_columns_in_the_other_languages() {
        let cols = [
            req("id", Type::Id),
            req("title", Type::Text).translated(),
            opt("on", Type::Date),
        ];
        let names: Vec<String> = written(&cols, &["mn", "zh-Hant"])
            .into_iter()
            .map(|w| w.name)
            .collect();
        assert_eq!(
            names,
            [
                "id",
                "title",
                "title_mn",
                "title_zh_Hant",
                "on",
                "on_start",
                "on_end",
                "on_precision"
            ]
        );
        assert!(written(&cols, &["mn"])
            .iter()
            .all(|w| w.lang.is_some() == (w.name == "title_mn")
                && (w.name != "title_mn" || !w.column.required)));
        let rows = vec![
            vec!["a".into(), "One".into(), Cell::Date(None)],
            vec!["b".into(), "Two".into(), Cell::Date(None)],
        ];
        let mn = vec![
            vec!["a".into(), "Нэг".into(), Cell::Date(None)],
            vec!["b".into(), "".into(), Cell::Date(None)],
        ];
        assert_eq!(
            String::from_utf8(write(&cols, &["mn"], rows, vec![mn])).unwrap(),
            "id,title,title_mn,on,on_start,on_end,on_precision\r\n\
             a,One,Нэг,,,,\r\n\
             b,Two,,,,,\r\n"
        );
    }
}
