//! A partnership's page (its objectives with their pledges and grants, its
//! figures, charts and timeline) and its briefing: the partnership with
//! the full view of its most recent records, for one printable page.

use super::body::BodyOn;
use super::part;
use super::Ctx;
use crate::graph::Idx;
use crate::model::vocab::Vocab;
use crate::model::*;
use crate::urls::Target;
use serde_json::{json, Value};

impl Ctx<'_> {
    /// A partnership's briefing: its own view plus the full view of its
    /// dialogues, pledges, grants and reports (the [`Config::recent`] most
    /// recent of each), for one printable page. Their bodies share the
    /// page, so each one's ids carry a prefix of its own.
    pub fn briefing(&self, i: Idx) -> Value {
        let mut v = self.detail_on(i, BodyOn::Combined);
        if let Some(s) = self.stats(i) {
            let full = |list: &[Idx]| {
                Value::Array(
                    self.recent(list)
                        .iter()
                        .map(|&x| self.detail_on(x, BodyOn::Combined))
                        .collect(),
                )
            };
            v["briefing"] = json!({
                "dialogues": full(&s.dialogues),
                "pledges": full(&s.pledges),
                "grants": full(&s.grants),
                "reports": full(&s.reports),
            });
        }
        v["page_url"] = json!(self.url(Target::Entity(Kind::Partnership, &self.entity(i).meta.id)));
        v
    }

    pub(super) fn partnership(&self, i: Idx, p: &Partnership) -> Value {
        let g = self.graph;
        let Some(s) = self.stats(i) else {
            return json!({});
        };
        let pledges_by_objective = |obj: &str, kind: Kind| -> (Value, usize) {
            let list: &[Idx] = if kind == Kind::Pledge {
                &s.pledges
            } else {
                &s.grants
            };
            let of_objective: Vec<Idx> = list
                .iter()
                .copied()
                .filter(|&x| {
                    self.read(x, part::LIST);
                    g.entities[x].objective_refs().iter().any(|o| o.id == obj)
                })
                .collect();
            (
                self.list_items(&self.recent(&of_objective)),
                of_objective.len(),
            )
        };
        let objective = |o: &Objective| {
            let (pledges, pledge_total) = pledges_by_objective(&o.id, Kind::Pledge);
            let (grants, grant_total) = pledges_by_objective(&o.id, Kind::Grant);
            json!({
                "id": o.id,
                "title": o.title,
                "pledges": pledges,
                "pledge_total": pledge_total,
                "grants": grants,
                "grant_total": grant_total,
            })
        };
        let recent_items = |list: &[Idx]| self.list_items(&self.recent(list));
        let timeline = match self.config.recent {
            0 => &s.timeline[..],
            n => &s.timeline[s.timeline.len().saturating_sub(n)..],
        };
        json!({
            "briefing_url": self.url(Target::Briefing(&self.entity(i).meta.id)),
            "short_name": p.short_name,
            "signed": self.opt_date(p.signed.as_ref()),
            "status": p.status.key(),
            "parties": p.parties.iter().map(|r| self.link_ref(r)).collect::<Vec<_>>(),
            "objectives": p.objectives.iter().map(objective).collect::<Vec<_>>(),
            "funding": self.totals(&s.funding),
            "pledge_counts": s.pledge_counts.iter().map(|(st, n)| json!({"status": self.status_view(*st), "count": n})).collect::<Vec<_>>(),
            "pledge_total": s.pledges.len(),
            "dialogues": recent_items(&s.dialogues),
            "pledges": recent_items(&s.pledges),
            "grants": recent_items(&s.grants),
            "reports": recent_items(&s.reports),
            // Every record of the partnership, where the lists above may
            // show only the most recent.
            "totals": {
                "dialogue": s.dialogues.len(),
                "pledge": s.pledges.len(),
                "grant": s.grants.len(),
                "report": s.reports.len(),
                "timeline": s.timeline.len(),
            },
            "index_urls": {
                "dialogue": self.url(Target::Index(Kind::Dialogue)),
                "pledge": self.url(Target::Index(Kind::Pledge)),
                "grant": self.url(Target::Index(Kind::Grant)),
                "report": self.url(Target::Index(Kind::Report)),
            },
            // The briefing, a page to print, has no charts: they are the
            // partnership page's, and the most costly part of its view.
            "charts": if matches!(self.page, Target::Briefing(_)) {
                Value::Null
            } else {
                self.charts(s)
            },
            "timeline": timeline.iter().map(|ev| json!({
                "date": self.date(&ev.date),
                "kind": ev.kind,
                "entity": self.link(ev.entity),
                "amount": ev.amount.as_ref().map(|m| self.money(m)),
                "status": ev.status.map(|st| self.status_view(st)),
                "note": ev.note,
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::model::Kind;
    use crate::render::views::Ctx;
    use crate::urls::{Target, Urls};

    #[test]
    fn the_briefing_leaves_out_the_charts_of_the_partnership_page() {
        let (g, diags) = crate::testing::with_base(&[(
            "grants/g.md",
            "---\ntitle: G\npartnership: p\nfunder: gov\nrecipients:\n  - organization: ngo\nobjectives: [prevention]\nawarded: 2021-05-01\namount: 100\ncurrency: USD\n---\n",
        )]);
        assert!(diags.is_empty(), "{diags:?}");
        let config = Config::default();
        let urls = Urls::site("/");
        let strings = serde_json::json!({});
        let ed = crate::testing::edition(&g, &config, &urls, &strings);
        let p = g.get(Kind::Partnership, "p").unwrap();
        let page = Ctx::new(&ed, &config, Target::Entity(Kind::Partnership, "p")).detail(p);
        assert!(
            page["charts"]["funding"]
                .as_array()
                .is_some_and(|f| !f.is_empty()),
            "{}",
            page["charts"]
        );
        let briefing = Ctx::new(&ed, &config, Target::Briefing("p")).briefing(p);
        assert!(briefing["charts"].is_null(), "{}", briefing["charts"]);
        // What else the partnership shows is on both.
        assert_eq!(briefing["funding"], page["funding"]);
        assert_eq!(briefing["objectives"], page["objectives"]);
    }
}
