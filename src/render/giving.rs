//! Grants in the 360Giving Data Standard (1.4) package format. Fields are
//! mapped in `docs/open-data.md`; a field we cannot fill truthfully is left
//! out rather than faked (a grant awarded "in 2020" has no `awardDate`,
//! because 360Giving requires a full date).

use crate::config::Config;
use crate::graph::Graph;
use crate::markdown;
use crate::model::{Data, Entity, Kind, Money, PartialDate, Ref};
use crate::urls::{Target, Urls};
use serde_json::{json, Map, Value};

fn prefix(config: &Config) -> &str {
    &config.giving_prefix
}

fn full_date(d: &PartialDate) -> Option<String> {
    (d.precision() == "day").then(|| d.iso())
}

/// An exact decimal amount as a JSON number.
fn number(m: &Money) -> Value {
    serde_json::from_str::<serde_json::Number>(&m.decimal())
        .map(Value::Number)
        .unwrap_or(Value::Null)
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

fn grant(graph: &Graph, config: &Config, urls: &Urls, e: &Entity) -> Option<Value> {
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
    v.insert("amountAwarded".into(), number(&awarded));
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
    Some(Value::Object(v))
}

/// The package `{"version": "1.4", "grants": [...]}` and its grant count.
pub fn package(graph: &Graph, config: &Config, urls: &Urls) -> (Value, usize) {
    let grants: Vec<Value> = graph
        .of_kind(Kind::Grant)
        .iter()
        .filter_map(|&i| grant(graph, config, urls, &graph.entities[i]))
        .collect();
    let n = grants.len();
    (
        json!({ "version": "1.4", "title": config.title, "grants": grants }),
        n,
    )
}
