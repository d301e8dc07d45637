//! The charts' part of the partnership view: for each chart the drawn SVG
//! elements, the legend entries and the rows of its data table, as JSON for
//! the template (`entity.charts`).

use super::svg::series_class;
use super::{
    first_appearance, funding_charts, funding_svg, status_chart, status_svg, thin, FundingChart,
    FundingEvent, Thinned, Years, FUNDER_STYLES, MAX_ROWS, OTHERS,
};
use crate::graph::{Idx, PartnershipStats};
use crate::model::{Data, Money, PartialDate, Pledge};
use crate::render::views::Ctx;
use serde_json::{json, Value};
use std::collections::HashMap;

/// `null`, `"monthly"` or `"yearly"`: which rows a chart shows.
fn thinned_key(t: Thinned) -> Value {
    match t {
        Thinned::No => Value::Null,
        Thinned::Monthly => json!("monthly"),
        Thinned::Yearly => json!("yearly"),
    }
}

impl Ctx<'_> {
    /// The partnership page's charts: cumulative funding per funder (one
    /// chart per currency) and pledges by status over time, each with the
    /// rows of its data table. `null` when nothing is dated.
    pub(crate) fn charts(&self, s: &PartnershipStats) -> Value {
        let g = self.graph;
        let mut given: Vec<(Idx, PartialDate, Money)> = Vec::new();
        for &x in &s.grants {
            let Data::Grant(gr) = self.data(x) else {
                continue;
            };
            let Some(f) = g.resolve_ref(&gr.funder) else {
                continue;
            };
            given.push((f, gr.awarded, gr.amount));
            given.extend(gr.tranches.iter().map(|t| (f, t.date, t.amount)));
        }
        let keyed: Vec<(Idx, PartialDate)> = given.iter().map(|(f, d, _)| (*f, *d)).collect();
        let funders = first_appearance(&keyed);
        let series_of: HashMap<Idx, usize> =
            funders.iter().enumerate().map(|(n, &f)| (f, n)).collect();
        let events: Vec<FundingEvent> = given
            .iter()
            .map(|(f, d, m)| FundingEvent {
                funder: series_of.get(f).copied().unwrap_or(0),
                date: *d,
                amount: *m,
            })
            .collect();
        let funding: Vec<(FundingChart, Thinned)> = funding_charts(&events, FUNDER_STYLES)
            .into_iter()
            .map(|mut c| {
                let (rows, thinned) = thin(c.rows, |r| r.date, MAX_ROWS);
                c.rows = rows;
                (c, thinned)
            })
            .collect();
        let pledges: Vec<&Pledge> = s
            .pledges
            .iter()
            .filter_map(|&x| match self.data(x) {
                Data::Pledge(p) => Some(p),
                _ => None,
            })
            .collect();
        let statuses = self.graph.statuses();
        let mut status = status_chart(&pledges, statuses.len());
        let (rows, status_thinned) = thin(status.rows, |r| r.date, MAX_ROWS);
        status.rows = rows;
        let dates = funding
            .iter()
            .flat_map(|(c, _)| c.rows.iter().map(|r| &r.date))
            .chain(status.rows.iter().map(|r| &r.date));
        let Some(years) = Years::covering(dates) else {
            return Value::Null;
        };
        let funding: Vec<Value> = funding
            .iter()
            .map(|(c, thinned)| {
                let svg = funding_svg(c, years, |m| self.locale.money(m));
                let m = |minor: i128| {
                    self.money(&Money {
                        minor,
                        currency: c.currency,
                    })
                };
                let last = c
                    .rows
                    .last()
                    .map(|r| r.cumulative.clone())
                    .unwrap_or_default();
                json!({
                    "currency": c.currency.code(),
                    "id": c.currency.code().to_ascii_lowercase(),
                    "width": svg.width,
                    "height": svg.height,
                    "svg": svg.body,
                    "funders": c.funders.iter().zip(&last).map(|(&n, &total)| json!({
                        "series": series_class(n),
                        "funder": if n == OTHERS { Value::Null } else { self.link(funders[n]) },
                        "others": n == OTHERS,
                        "total": m(total),
                    })).collect::<Vec<_>>(),
                    "rows": c.rows.iter().map(|r| json!({
                        "date": self.date(&r.date),
                        "amounts": r.cumulative.iter().map(|&v| m(v)).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "thinned": thinned_key(*thinned),
                })
            })
            .collect();
        let status = if status.rows.is_empty() {
            Value::Null
        } else {
            let svg = status_svg(&status, statuses, years);
            let cols = status.columns();
            let last = status
                .rows
                .last()
                .map(|r| r.counts.clone())
                .unwrap_or_default();
            json!({
                "width": svg.width,
                "height": svg.height,
                "svg": svg.body,
                "statuses": cols.iter().map(|&i| json!({
                    "status": statuses.at(i).map(|s| self.status_view(s)),
                    "last": last.get(i).copied().unwrap_or(0),
                })).collect::<Vec<_>>(),
                "rows": status.rows.iter().map(|r| json!({
                    "date": self.date(&r.date),
                    "counts": cols.iter().map(|&i| r.counts[i]).collect::<Vec<_>>(),
                    "total": r.total(),
                })).collect::<Vec<_>>(),
                "thinned": thinned_key(status_thinned),
            })
        };
        json!({
            "years": {"first": years.first, "last": years.last},
            "funding": funding,
            "status": status,
        })
    }
}
