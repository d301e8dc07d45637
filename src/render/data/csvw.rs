//! `data/csv-metadata.json`: every CSV file described in the W3C's CSV on
//! the Web metadata vocabulary (titles, meanings, datatypes, which columns
//! are never empty, the values a code may take and what they mean), so a
//! tool can load the tables with the right types without asking; a column
//! in another language than the default says which (`lang`). The same
//! descriptions make the data dictionary page (`dictionary.rs`). Words come
//! from the theme's strings (`data_col`, `data_table`, `data_what`).

use super::table::{written, Column, DatePart, Type, Written};
use super::tables::Table;
use crate::config::Config;
use crate::render::say;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Where the metadata is written; table URLs are relative to it.
pub const FILE: &str = "data/csv-metadata.json";

const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

fn pattern(format: &str) -> Value {
    json!({"base": "string", "format": format})
}

/// The CSVW datatype of a written column.
pub fn datatype(w: &Written) -> Value {
    match (w.column.ty, w.date) {
        (Type::Date, Some(DatePart::Recorded)) => pattern("^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"),
        (Type::Date, Some(DatePart::Start | DatePart::End)) => json!("date"),
        (Type::Date, _) => pattern("^(year|month|day)$"),
        (Type::Id | Type::Ids | Type::OpenCode, _) => pattern(SLUG),
        (Type::Code(keys), _) => pattern(&format!("^({})$", keys.join("|"))),
        (Type::Decimal, _) => json!("decimal"),
        (Type::Count, _) => json!("nonNegativeInteger"),
        (Type::Currency, _) => pattern("^[A-Z]{3}$"),
        (Type::Country, _) => pattern("^[A-Z]{2}$"),
        (Type::Url, _) => json!("anyURI"),
        (Type::Text | Type::Label | Type::Standard, _) => json!("string"),
    }
}

/// Each language's name in itself, by tag, for the description of a
/// column in another language.
pub type Names = BTreeMap<String, String>;

/// What a written column holds, for people: its own description, the
/// generic one of its name, (for the parts of a date) the date's, or (for
/// a column in another language) that it is the same text in that
/// language, named in itself.
pub fn describe(strings: &Value, table: Table, w: &Written, names: &Names) -> String {
    if let Some(tag) = &w.lang {
        let name = names.get(tag).map_or(tag.as_str(), String::as_str);
        return say::fill(
            strings,
            "data_col_lang",
            &[("field", w.column.name), ("language", name), ("tag", tag)],
        );
    }
    let own = |name: &str| {
        let specific = format!("data_col.{}.{name}", table.stem());
        let text = say::text(strings, &specific);
        if text != specific {
            return text;
        }
        say::text(strings, &format!("data_col.any.{name}"))
    };
    match w.date {
        None | Some(DatePart::Recorded) => own(w.column.name),
        Some(part) => {
            let key = match part {
                DatePart::Start => "start",
                DatePart::End => "end",
                _ => "precision",
            };
            say::fill(
                strings,
                &format!("data_col_date.{key}"),
                &[("field", w.column.name)],
            )
        }
    }
}

/// The label vocabulary of a code column, by the strings table it is in.
fn labels_of(table: Table, c: &Column) -> Option<&'static str> {
    match (table, c.name) {
        (Table::Partnerships, "status") => Some("partnership_status"),
        (_, "status") => Some("status"),
        (_, "format") => Some("format"),
        (_, "kind") => Some("org_kind"),
        (_, "role") => Some("role"),
        (_, "event") => Some("data_event"),
        _ => None,
    }
}

/// The values a code column may take, each with its label, where the
/// theme names them (pledge statuses include the site's own).
pub fn values(strings: &Value, table: Table, w: &Written) -> Vec<(String, String)> {
    if w.date.is_some() {
        return Vec::new();
    }
    let Some(labels) = labels_of(table, &w.column) else {
        return Vec::new();
    };
    let keys: Vec<String> = match w.column.ty {
        Type::Code(keys) => keys.iter().map(|k| k.to_string()).collect(),
        Type::OpenCode => strings[labels]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default(),
        _ => return Vec::new(),
    };
    keys.into_iter()
        .map(|k| {
            let label = say::text(strings, &format!("{labels}.{k}"));
            (k, label)
        })
        .collect()
}

/// The description of a column, with its values and their meanings.
fn full_description(strings: &Value, table: Table, w: &Written, names: &Names) -> String {
    let mut text = describe(strings, table, w, names);
    let values = values(strings, table, w);
    if !values.is_empty() {
        let list: Vec<String> = values
            .iter()
            .map(|(k, label)| format!("{k} ({label})"))
            .collect();
        text.push(' ');
        text.push_str(&say::fill(
            strings,
            "data_col_values",
            &[("values", &list.join(", "))],
        ));
    }
    text
}

fn table_json(strings: &Value, table: Table, langs: &[&str], names: &Names) -> Value {
    let columns: Vec<Value> = written(table.columns(), langs)
        .iter()
        .map(|w| {
            let mut c = Map::new();
            c.insert("name".into(), json!(w.name));
            c.insert("titles".into(), json!(w.name));
            c.insert(
                "dc:description".into(),
                json!(full_description(strings, table, w, names)),
            );
            c.insert("datatype".into(), datatype(w));
            if let Some(tag) = &w.lang {
                c.insert("lang".into(), json!(tag));
            }
            if w.column.ty == Type::Ids {
                c.insert("separator".into(), json!(";"));
            }
            // The parts of an optional date are empty together.
            c.insert("required".into(), json!(w.column.required));
            Value::Object(c)
        })
        .collect();
    let mut schema = json!({ "columns": columns });
    if table.kind().is_some() {
        schema["primaryKey"] = json!("id");
    }
    json!({
        "url": format!("{}.csv", table.stem()),
        "dc:title": say::text(strings, &format!("data_what.{}", table.stem())),
        "dc:description": say::text(strings, &format!("data_about.{}", table.stem())),
        "tableSchema": schema,
    })
}

/// The metadata document for every table; `langs` are the site's other
/// languages, whose columns it describes with their `lang`.
pub fn metadata(config: &Config, strings: &Value, langs: &[&str], names: &Names) -> Vec<u8> {
    let mut doc = json!({
        "@context": ["http://www.w3.org/ns/csvw", {"@language": config.language}],
        "dc:title": say::fill(strings, "data_csvw_title", &[("site", &config.title)]),
        "dialect": {"header": true, "lineTerminators": ["\r\n"], "doubleQuote": true},
        "tables": Table::ALL.iter().map(|&t| table_json(strings, t, langs, names)).collect::<Vec<_>>(),
    });
    if let Some(l) = &config.standards.license {
        doc["dc:license"] = json!({"@id": l.url, "dc:title": l.name});
    }
    super::records::pretty(&doc)
}
