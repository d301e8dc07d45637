//! Grants in the 360Giving Data Standard (1.4) package format. Fields are
//! mapped in `docs/open-data.md`. 360Giving requires a full `awardDate`: a
//! grant awarded "in 2020" is left out of the file (and `check` warns), or,
//! with `open_data.partial_dates: first-day`, given the first day of 2020
//! with a sentence in its description saying the day is not recorded.
//! Planned dates may be partial in the standard and are written as recorded.
//! The rule is the one every standard format follows
//! (`validate::standard_dates`).

use crate::config::Config;
use crate::graph::Graph;
use crate::markdown;
use crate::model::{Data, Entity, Kind, Money, Ref};
use crate::urls::{Target, Urls};
use crate::validate::standard_dates::{self as dates, Full, LeftOut};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

fn prefix(config: &Config) -> &str {
    &config.giving_prefix
}

/// The 360Giving file of a site: its text, unless no grant can be in it.
pub struct Giving {
    pub bytes: Option<Vec<u8>>,
    /// Grants in the file.
    pub grants: usize,
    /// Grants left out, in graph order.
    pub left_out: Vec<LeftOut>,
}

/// An exact decimal amount as a JSON number, with all the currency's minor
/// digits (`5500000.00`, `1500` for JPY): written as text, so no float ever
/// rounds it (`serde_json::Number` would, past 2^53).
fn number(m: &Money) -> Box<RawValue> {
    // `decimal()` is digits with at most one point between digits, which is
    // always a JSON number (`null` should that ever change).
    RawValue::from_string(m.decimal()).unwrap_or_default()
}

/// One grant: `amountAwarded` as raw JSON, the other fields as values.
/// `amountAwarded` sorts first among the keys, so the output keeps
/// serde_json's sorted key order.
#[derive(Serialize)]
struct Grant {
    #[serde(rename = "amountAwarded")]
    amount_awarded: Box<RawValue>,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

/// The package, its keys in sorted order like the rest of the open data;
/// `license` (a URL) when the site states one.
#[derive(Serialize)]
struct Package<'a> {
    grants: Vec<Grant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    title: &'a str,
    version: &'static str,
}

fn organization(graph: &Graph, config: &Config, r: &Ref) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(format!("{}-{}", prefix(config), r.id)));
    if let Some(Data::Organization(org)) = graph.resolve_ref(r).map(|i| &graph.entities[i].data) {
        o.insert("name".into(), json!(org.name));
        if let Some(c) = &org.country {
            o.insert("addressCountry".into(), json!(c));
        }
        if let Some(w) = &org.website {
            o.insert("url".into(), json!(w));
        }
    } else {
        o.insert("name".into(), json!(r.id));
    }
    Value::Object(o)
}

/// A grant of the file, or why it cannot be one.
fn grant(
    graph: &Graph,
    config: &Config,
    urls: &Urls,
    strings: &super::say::Say,
    e: &Entity,
) -> Result<Grant, &'static str> {
    let Data::Grant(g) = &e.data else {
        return Err("");
    };
    let award = dates::full(&g.awarded, config.partial_dates).ok_or("awarded")?;
    let award_date = award.iso().to_string();
    let mut v = Map::new();
    v.insert(
        "id".into(),
        json!(format!("{}-{}", prefix(config), e.meta.id)),
    );
    v.insert("title".into(), json!(g.title));
    let summary = markdown::summary(&e.meta.body, 500);
    let mut description = if summary.is_empty() {
        g.title.clone()
    } else {
        summary
    };
    if let Full::FirstDay(_) = award {
        // The file says how precise the record is: awardDate alone would
        // read as a stated day.
        description.push(' ');
        description.push_str(&strings.fill(
            &format!("giving_first_day.{}", g.awarded.precision()),
            &[("date", &strings.date(&g.awarded)), ("day", &award_date)],
        ));
    }
    v.insert("description".into(), json!(description));
    v.insert("currency".into(), json!(g.amount.currency.code()));
    // Only amounts in the grant's own currency add up to the award.
    let mut awarded = g.amount;
    for t in &g.tranches {
        if let Some(sum) = awarded.checked_add(&t.amount) {
            awarded = sum;
        }
    }
    v.insert("awardDate".into(), json!(award_date));
    if let Some(p) = &g.period {
        // 360Giving's planned dates may be `YYYY` or `YYYY-MM`: as recorded.
        let mut ev = Map::new();
        if let Some(d) = &p.from {
            ev.insert("startDate".into(), json!(d.iso()));
        }
        if let Some(d) = &p.to {
            ev.insert("endDate".into(), json!(d.iso()));
        }
        if !ev.is_empty() {
            v.insert("plannedDates".into(), json!([ev]));
        }
    }
    v.insert(
        "recipientOrganization".into(),
        json!(g
            .recipients
            .iter()
            .map(|r| organization(graph, config, &r.organization))
            .collect::<Vec<_>>()),
    );
    v.insert(
        "fundingOrganization".into(),
        json!([organization(graph, config, &g.funder)]),
    );
    if config.base_url.starts_with("http") && urls.style != crate::urls::Style::Relative {
        v.insert(
            "dataSource".into(),
            json!(urls.absolute(&config.base_url, Target::Entity(Kind::Grant, &e.meta.id))),
        );
    }
    Ok(Grant {
        amount_awarded: number(&awarded),
        fields: v,
    })
}

/// The package `{"grants": [...], "title": ..., "version": "1.4"}`, with
/// the grants that cannot be in it. A package needs a grant: with none, no
/// file.
pub fn package(graph: &Graph, config: &Config, urls: &Urls, strings: &super::say::Say) -> Giving {
    let mut grants = Vec::new();
    let mut left_out = Vec::new();
    for &i in graph.of_kind(Kind::Grant) {
        let e = &graph.entities[i];
        match grant(graph, config, urls, strings, e) {
            Ok(g) => grants.push(g),
            Err(field) => {
                if let Data::Grant(g) = &e.data {
                    left_out.push(LeftOut {
                        record: i,
                        field: field.to_string(),
                        date: g.awarded,
                    });
                }
            }
        }
    }
    let n = grants.len();
    if n == 0 {
        return Giving {
            bytes: None,
            grants: 0,
            left_out,
        };
    }
    let package = Package {
        grants,
        license: config.standards.license.as_ref().map(|l| l.url.as_str()),
        title: &config.title,
        version: "1.4",
    };
    let mut text = serde_json::to_string_pretty(&package).unwrap_or_default();
    text.push('\n');
    Giving {
        bytes: Some(text.into_bytes()),
        grants: n,
        left_out,
    }
}
