//! The data dictionary page (`/data/dictionary/`): every CSV file and
//! column in words, for people, from the same descriptions as
//! `csv-metadata.json` (`csvw.rs`).

use super::csvw::{describe, values, Names};
use super::table::{written, DatePart, Type};
use super::tables::Table;
use crate::urls::{Target, Urls};
use serde_json::{json, Value};

/// The kind of value a written column holds, as a key of `data_type` in
/// the theme's strings.
fn type_key(ty: Type, part: Option<DatePart>) -> &'static str {
    match (ty, part) {
        (Type::Date, Some(DatePart::Recorded)) => "date",
        (Type::Date, Some(DatePart::Start | DatePart::End)) => "day",
        (Type::Date, _) => "precision",
        (Type::Text, _) => "text",
        (Type::Label, _) => "label",
        (Type::Id, _) => "id",
        (Type::Ids, _) => "ids",
        (Type::Code(_) | Type::OpenCode, _) => "code",
        (Type::Decimal, _) => "decimal",
        (Type::Currency, _) => "currency",
        (Type::Count, _) => "count",
        (Type::Url, _) => "url",
        (Type::Country, _) => "country",
        (Type::Standard, _) => "standard",
    }
}

/// The page's view: each table with its columns, those in the site's
/// other languages `langs` included (named in themselves by `names`).
pub fn view(strings: &Value, urls: &Urls, langs: &[&str], names: &Names) -> Value {
    let page = Target::Dictionary;
    Value::Array(
        Table::ALL
            .iter()
            .map(|&t| {
                let path = t.path();
                let columns: Vec<Value> = written(t.columns(), langs)
                    .iter()
                    .map(|w| {
                        json!({
                            "name": w.name,
                            "type": type_key(w.column.ty, w.date),
                            "required": w.column.required,
                            "meaning": describe(strings, t, w, names),
                            "values": values(strings, t, w)
                                .into_iter()
                                .map(|(code, label)| json!({"code": code, "label": label}))
                                .collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                json!({
                    "stem": t.stem(),
                    "file": format!("{}.csv", t.stem()),
                    "url": urls.url(Target::Asset(&path), page),
                    "columns": columns,
                })
            })
            .collect(),
    )
}
