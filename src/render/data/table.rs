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
}

/// A column that is always filled.
pub const fn req(name: &'static str, ty: Type) -> Column {
    Column {
        name,
        ty,
        required: true,
    }
}

/// A column that may be empty.
pub const fn opt(name: &'static str, ty: Type) -> Column {
    Column {
        name,
        ty,
        required: false,
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
}

/// The columns written for `columns`, dates expanded.
pub fn written(columns: &[Column]) -> Vec<Written> {
    let mut out = Vec::new();
    for &c in columns {
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
                });
            }
        } else {
            out.push(Written {
                name: c.name.to_string(),
                column: c,
                date: None,
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

/// The text of each written column of `row` (as wide as `columns`).
fn expand(row: Vec<Cell>, out: &mut Vec<String>) {
    for cell in row {
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
    }
}

/// The CSV text of a table: its header, then its rows.
pub fn write(columns: &[Column], rows: Vec<Vec<Cell>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header: Vec<String> = written(columns).into_iter().map(|c| c.name).collect();
    // Writing into a `Vec` cannot fail.
    let _ = w.write_record(&header);
    let mut cells = Vec::with_capacity(header.len());
    for row in rows {
        debug_assert_eq!(row.len(), columns.len());
        cells.clear();
        expand(row, &mut cells);
        let _ = w.write_record(&cells);
    }
    w.into_inner().unwrap_or_default()
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
            String::from_utf8(write(&cols, rows)).unwrap(),
            "id,note,on,on_start,on_end,on_precision\r\n\
             a,plain,2020-02,2020-02-01,2020-02-29,month\r\n\
             b,\"says \"\"hi\"\", then\nleaves\",,,,\r\n"
        );
    }
}
