//! Grants in the 360Giving Data Standard (1.4) package format. Fields are
//! mapped in `docs/open-data.md`; a field we cannot fill truthfully is left
//! out rather than faked (a grant awarded "in 2020" has no `awardDate`,
//! because 360Giving requires a full date).

use crate::config::Config;
use crate::graph::Graph;
use crate::markdown;
use crate::model::{Data, Entity, Kind, Money, PartialDate, Ref};
use crate::urls::{Target, Urls};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

fn prefix(config: &Config) -> &str {
    &config.giving_prefix
}

fn full_date(d: &PartialDate) -> Option<String> {
    (d.precision() == "day").then(|| d.iso())
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

/// The package, its keys in sorted order like the rest of the open data.
#[derive(Serialize)]
struct Package<'a> {
    grants: Vec<Grant>,
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

fn grant(graph: &Graph, config: &Config, urls: &Urls, e: &Entity) -> Option<Grant> {
    let Data::Grant(g) = &e.data else { return None };
    let mut v = Map::new();
    v.insert(
        "id".into(),
        json!(format!("{}-{}", prefix(config), e.meta.id)),
    );
    v.insert("title".into(), json!(g.title));
    let summary = markdown::summary(&e.meta.body, 500);
    v.insert(
        "description".into(),
        json!(if summary.is_empty() {
            g.title.clone()
        } else {
            summary
        }),
    );
    v.insert("currency".into(), json!(g.amount.currency.code()));
    // Only amounts in the grant's own currency add up to the award.
    let mut awarded = g.amount;
    for t in &g.tranches {
        if let Some(sum) = awarded.checked_add(&t.amount) {
            awarded = sum;
        }
    }
    if let Some(d) = full_date(&g.awarded) {
        v.insert("awardDate".into(), json!(d));
    }
    if let Some(p) = &g.period {
        let mut ev = Map::new();
        if let Some(d) = p.from.as_ref().and_then(full_date) {
            ev.insert("startDate".into(), json!(d));
        }
        if let Some(d) = p.to.as_ref().and_then(full_date) {
            ev.insert("endDate".into(), json!(d));
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
    Some(Grant {
        amount_awarded: number(&awarded),
        fields: v,
    })
}

/// The text of the package `{"grants": [...], "title": ..., "version": "1.4"}`
/// and its grant count.
pub fn package(graph: &Graph, config: &Config, urls: &Urls) -> (Vec<u8>, usize) {
    let grants: Vec<Grant> = graph
        .of_kind(Kind::Grant)
        .iter()
        .filter_map(|&i| grant(graph, config, urls, &graph.entities[i]))
        .collect();
    let n = grants.len();
    let package = Package {
        grants,
        title: &config.title,
        version: "1.4",
    };
    let mut text = serde_json::to_string_pretty(&package).unwrap_or_default();
    text.push('\n');
    (text.into_bytes(), n)
}
