//! A record's own page: everything about it, with its typed fields, the
//! records it names and the records that name it. An organization's page
//! also gathers the grants it funded or received and the people who held a
//! post there.

use super::body::BodyOn;
use super::part;
use super::Ctx;
use crate::graph::history::in_order;
use crate::graph::positions;
use crate::graph::{stats::grant_total, Idx};
use crate::model::vocab::{RecipientRole, Vocab};
use crate::model::*;
use serde_json::{json, Value};

impl Ctx<'_> {
    /// Everything a detail page shows about entity `i`.
    pub fn detail(&self, i: Idx) -> Value {
        self.detail_on(i, BodyOn::OwnPage)
    }

    /// [`Ctx::detail`], for a page that shows the body as `on` says.
    pub(super) fn detail_on(&self, i: Idx, on: BodyOn) -> Value {
        self.read(i, part::FULL);
        let e = self.entity(i);
        let mut v = self.link(i);
        v["body_html"] = json!(self.body_html(e, on));
        v["summary"] = json!(e.meta.summary);
        v["text"] = crate::render::language::text_view(e.meta.text, self.default_tag());
        v["extra"] = e.meta.extra.clone();
        v["sources"] = self.sources(&e.meta.sources);
        let fields = match &e.data {
            Data::Partnership(p) => self.partnership(i, p),
            Data::Dialogue(d) => json!({
                "format": d.format.key(),
                "location": d.location,
                "partnership": self.link_ref(&d.partnership),
                "participants": d.participants.iter().map(|p| json!({
                    "person": self.link_ref(&p.person),
                    "role": p.role,
                    "organization": self.link_opt(p.organization.as_ref()),
                })).collect::<Vec<_>>(),
                "organizations": d.organizations.iter().map(|r| self.link_ref(r)).collect::<Vec<_>>(),
                "objectives": self.objectives(e, &d.objectives),
                "outcomes": d.outcomes.iter().map(|o| json!({
                    "text": o.text,
                    "sources": self.sources(&o.sources),
                })).collect::<Vec<_>>(),
                "pledges": d.pledges.iter().map(|r| self.link_ref(r)).collect::<Vec<_>>(),
                "grants": d.grants.iter().map(|r| self.link_ref(r)).collect::<Vec<_>>(),
                "pledges_made": self.links(&self.referrers(i, Kind::Pledge, "dialogue")),
                "progress_reported": self.links(&self.referrers(i, Kind::Pledge, "progress.dialogue")),
                "tranches_announced": self.links(&self.referrers(i, Kind::Grant, "tranches.dialogue")),
            }),
            Data::Pledge(p) => json!({
                "partnership": self.link_ref(&p.partnership),
                "made_by": self.link_ref(&p.made_by),
                "objectives": self.objectives(e, &p.objectives),
                "made": self.opt_date(p.made.as_ref()),
                "dialogue": self.link_opt(p.dialogue.as_ref()),
                "due": self.opt_date(p.due.as_ref()),
                "status": self.status_view(p.status),
                "latest": in_order(&p.progress).last().map(|pe| json!({
                    "date": self.opt_date(pe.date.as_ref()),
                    "at": self.date(&pe.at),
                    "reported": self.opt_date(self.reported(pe).as_ref()),
                })),
                "progress": in_order(&p.progress).map(|pe| json!({
                    "date": self.opt_date(pe.date.as_ref()),
                    "at": self.date(&pe.at),
                    "status": self.status_view(pe.status),
                    "note": pe.note,
                    "reported": self.opt_date(self.reported(pe).as_ref()),
                    "dialogue": self.link_opt(pe.dialogue.as_ref()),
                    "report": self.link_opt(pe.report.as_ref()),
                    "sources": self.sources(&pe.sources),
                })).collect::<Vec<_>>(),
                "discussed_at": self.links(&self.referrers(i, Kind::Dialogue, "pledges")),
            }),
            Data::Grant(gr) => json!({
                "partnership": self.link_ref(&gr.partnership),
                "funder": self.link_ref(&gr.funder),
                "recipients": gr.recipients.iter().map(|r| json!({
                    "organization": self.link_ref(&r.organization),
                    "role": r.role.key(),
                })).collect::<Vec<_>>(),
                "objectives": self.objectives(e, &gr.objectives),
                "awarded": self.date(&gr.awarded),
                "period": gr.period.as_ref().map(|p| json!({"from": self.opt_date(p.from.as_ref()), "to": self.opt_date(p.to.as_ref())})),
                "amount": self.money(&gr.amount),
                "tranches": gr.tranches.iter().map(|t| json!({
                    "date": self.date(&t.date),
                    "amount": self.money(&t.amount),
                    "note": t.note,
                    "dialogue": self.link_opt(t.dialogue.as_ref()),
                    "sources": self.sources(&t.sources),
                })).collect::<Vec<_>>(),
                "total": self.totals(&grant_total(gr)),
                "discussed_at": self.links(&self.referrers(i, Kind::Dialogue, "grants")),
            }),
            Data::Organization(o) => self.organization(i, o),
            Data::Person(p) => json!({
                "honorific": p.honorific,
                "positions": p.positions.iter().map(|pos| self.position(pos)).collect::<Vec<_>>(),
                "dialogues": self.links(&self.referrers(i, Kind::Dialogue, "participants.person")),
            }),
            Data::Report(r) => {
                let mut v = json!({
                    "partnership": self.link_ref(&r.partnership),
                    "period": {"from": self.opt_date(r.period.from.as_ref()), "to": self.opt_date(r.period.to.as_ref())},
                    "published": self.date(&r.published),
                    "cited_by": self.links(&self.referrers(i, Kind::Pledge, "progress.report")),
                });
                v["progress"] = self.report_progress(r);
                v
            }
        };
        if let (Value::Object(o), Value::Object(f)) = (&mut v, fields) {
            o.extend(f);
        }
        v
    }

    fn objectives(&self, e: &Entity, refs: &[ObjectiveRef]) -> Value {
        let part = e.partnership().and_then(|r| self.graph.resolve_ref(r));
        let titles: Vec<Value> = refs
            .iter()
            .map(|o| {
                let title = part.and_then(|p| match self.data(p) {
                    Data::Partnership(x) => x
                        .objectives
                        .iter()
                        .find(|ob| ob.id == o.id)
                        .map(|ob| ob.title.clone()),
                    _ => None,
                });
                json!({ "id": o.id, "title": title.unwrap_or_else(|| o.id.clone()) })
            })
            .collect();
        Value::Array(titles)
    }

    /// When a progress entry became known ([`Graph::reported`]); the
    /// dates of its dialogue and report are read as their links.
    fn reported(&self, pe: &ProgressEntry) -> Option<PartialDate> {
        for r in pe.dialogue.iter().chain(&pe.report) {
            if let Some(i) = self.graph.resolve_ref(r) {
                self.read(i, part::LINK);
            }
        }
        self.graph.reported(pe)
    }

    fn organization(&self, i: Idx, o: &Organization) -> Value {
        let g = self.graph;
        let mut funded_totals = Totals::default();
        let funded = self.referrers(i, Kind::Grant, "funder");
        for &x in &funded {
            if let Data::Grant(gr) = self.data(x) {
                grant_total(gr)
                    .amounts()
                    .iter()
                    .for_each(|m| funded_totals.add(m));
            }
        }
        let received_from = self.referrers(i, Kind::Grant, "recipients.organization");
        for &x in &received_from {
            self.data(x);
        }
        let received = crate::graph::received::received(g, i, &received_from);
        let consortium = |x: Idx, role: Option<RecipientRole>| {
            let mut v = self.list_item(x);
            if let Data::Grant(gr) = self.data(x) {
                v["members"] = json!(gr.recipients.len());
            }
            v["role"] = json!(role.map(|r| r.key()));
            v
        };
        let mut dialogues = self.referrers(i, Kind::Dialogue, "organizations");
        dialogues.extend(self.referrers(i, Kind::Dialogue, "participants.organization"));
        dialogues.sort_by_key(|&d| {
            self.read(d, part::LINK);
            (g.entities[d].date(), g.entities[d].meta.id.clone())
        });
        dialogues.dedup();
        // Everyone who held a post here: open posts first, then former
        // ones, the most recent first within each.
        let org_id = &self.entity(i).meta.id;
        let mut held: Vec<(Idx, &Position)> = Vec::new();
        for p in self.referrers(i, Kind::Person, "positions.organization") {
            if let Data::Person(per) = self.data(p) {
                held.extend(
                    per.positions
                        .iter()
                        .filter(|pos| pos.organization.as_ref().is_some_and(|r| &r.id == org_id))
                        .map(|pos| (p, pos)),
                );
            }
        }
        held.sort_by_key(|(p, pos)| {
            (
                positions::is_former(pos),
                std::cmp::Reverse(pos.to.or(pos.from)),
                *p,
            )
        });
        let people: Vec<Value> = held
            .iter()
            .map(|&(p, pos)| {
                let mut v = self.position(pos);
                v["person"] = self.link(p);
                v
            })
            .collect();
        json!({
            "name": o.name,
            "short_name": o.short_name,
            "org_kind": o.kind.key(),
            "country": o.country,
            "country_name": self.country_name(o.country.as_deref()),
            "website": o.website,
            "parent": self.link_opt(o.parent.as_ref()),
            "children": self.links(&self.referrers(i, Kind::Organization, "parent")),
            "grants_funded": self.list_items(&funded),
            "funded_total": self.totals(&funded_totals),
            "received": {
                "sole": self.list_items(&received.sole),
                "sole_total": self.totals(&received.sole_total),
                "lead": received.lead.iter().map(|&x| consortium(x, None)).collect::<Vec<_>>(),
                "member": received.member.iter().map(|&(x, r)| consortium(x, Some(r))).collect::<Vec<_>>(),
                "any": !received_from.is_empty(),
            },
            "pledges": self.list_items(&self.referrers(i, Kind::Pledge, "made_by")),
            "dialogues": self.links(&dialogues),
            "people": people,
            "partnerships": self.links(&self.referrers(i, Kind::Partnership, "parties")),
        })
    }
}
