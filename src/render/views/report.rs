//! A report's generated progress table: each pledge's status at the start
//! and end of the report's period, what changed during it and since, and
//! the pledges, funding and dialogues of the period.

use super::Ctx;
use crate::graph::history::{self, Window};
use crate::graph::Idx;
use crate::model::*;
use serde_json::{json, Value};

impl Ctx<'_> {
    /// A report's generated table: each pledge's status at the end of the
    /// period (its `to`, else the publication date) and what happened during
    /// it. See `graph::history` for how partial dates count.
    pub(super) fn report_progress(&self, r: &Report) -> Value {
        let g = self.graph;
        let end = r.period.to.unwrap_or(r.published);
        let Some(part) = g.resolve_ref(&r.partnership) else {
            return Value::Null;
        };
        let sum = history::period_summary(
            g,
            part,
            Window::new(r.period.from, end),
            Some(r.published.end()),
        );
        // The history reads every record of the partnership.
        self.read(part, super::part::STATS);
        let pledge = |i: Idx| match self.data(i) {
            Data::Pledge(p) => Some(p),
            _ => None,
        };
        let event = |e: &history::PeriodEvent| json!({"date": self.date(&e.date), "entity": self.link(e.entity), "uncertain": e.uncertain});
        let pledges: Vec<Value> = sum
            .pledges
            .iter()
            .map(|x| {
                let mut l = self.link(x.pledge);
                l["made_by"] = pledge(x.pledge).map_or(Value::Null, |p| self.link_ref(&p.made_by));
                l["at_start"] = x.at_start.map_or(Value::Null, |s| self.status_view(s));
                l["at_end"] = self.status_view(x.at_end);
                l["at_end_now"] = x.at_end_now.map_or(Value::Null, |s| self.status_view(s));
                l
            })
            .collect();
        let changes: Vec<Value> = sum
            .changes
            .iter()
            .filter_map(|c| {
                let pe = &pledge(c.pledge)?.progress[c.change.entry];
                Some(json!({
                    "date": self.opt_date(pe.date.as_ref()),
                    "at": self.date(&pe.at),
                    "pledge": self.link(c.pledge),
                    "from": self.status_view(c.change.from),
                    "to": self.status_view(c.change.to),
                    "changed": c.change.changed(),
                    "reported": self.status_view(pe.status),
                    "note": pe.note,
                    "dialogue": self.link_opt(pe.dialogue.as_ref()),
                    "report": self.link_opt(pe.report.as_ref()),
                    "uncertain": c.uncertain,
                }))
            })
            .collect();
        let since: Vec<Value> = sum
            .since
            .iter()
            .filter_map(|l| {
                let pe = pledge(l.pledge)?.progress.get(l.entry)?;
                Some(json!({
                    "date": self.opt_date(pe.date.as_ref()),
                    "at": self.date(&pe.at),
                    "reported": self.opt_date(l.known.as_ref()),
                    "pledge": self.link(l.pledge),
                    "status": self.status_view(pe.status),
                    "note": pe.note,
                    "dialogue": self.link_opt(pe.dialogue.as_ref()),
                    "report": self.link_opt(pe.report.as_ref()),
                }))
            })
            .collect();
        let made: Vec<Value> = sum
            .pledges_made
            .iter()
            .map(|e| {
                let mut v = event(e);
                v["made_by"] = pledge(e.entity).map_or(Value::Null, |p| self.link_ref(&p.made_by));
                v
            })
            .collect();
        let funding: Vec<Value> = sum
            .funding
            .iter()
            .map(|e| {
                let mut v = event(e);
                if let Data::Grant(gr) = self.data(e.entity) {
                    v["funder"] = self.link_ref(&gr.funder);
                    v["note"] = json!(e.tranche.and_then(|n| gr.tranches[n].note.as_ref()));
                }
                v["kind"] = json!(if e.tranche.is_some() {
                    "tranche"
                } else {
                    "award"
                });
                v["amount"] = e.amount.as_ref().map_or(Value::Null, |m| self.money(m));
                v
            })
            .collect();
        let counts: Vec<Value> = g
            .statuses()
            .all()
            .map(|(s, _)| {
                let n = sum.pledges.iter().filter(|x| x.at_end == s).count();
                json!({"status": self.status_view(s), "count": n})
            })
            .collect();
        let uncertain = sum.changes.iter().any(|c| c.uncertain)
            || [&sum.pledges_made, &sum.funding, &sum.dialogues]
                .iter()
                .any(|l| l.iter().any(|e| e.uncertain));
        json!({
            "start": self.opt_date(r.period.from.as_ref()),
            "end": self.date(&end),
            "end_is_published": r.period.to.is_none(),
            "pledges": pledges,
            "counts": counts,
            "total": sum.pledges.len(),
            "changes": changes,
            "since": since,
            "published": self.date(&r.published),
            "pledges_made": made,
            "funding": funding,
            "funding_total": self.totals(&sum.funding_total),
            "dialogues": sum.dialogues.iter().map(event).collect::<Vec<_>>(),
            "uncertain": uncertain,
        })
    }
}
