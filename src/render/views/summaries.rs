//! How a record appears on pages other than its own: a link (id, type,
//! title, date), a row of a list (the link plus the few facts a list
//! shows), and a partnership's card on the home page.

use super::part;
use super::Ctx;
use crate::graph::{stats::grant_total, Idx};
use crate::model::vocab::Vocab;
use crate::model::*;
use crate::urls::Target;
use serde_json::{json, Value};

impl Ctx<'_> {
    /// The smallest view of an entity: enough to link to it.
    pub fn link(&self, i: Idx) -> Value {
        self.read(i, part::LINK);
        let e = self.entity(i);
        json!({
            "id": e.meta.id,
            "kind": e.meta.kind.name(),
            "title": e.title(),
            "url": self.url(Target::Entity(e.meta.kind, &e.meta.id)),
            "date": self.opt_date(e.date().as_ref()),
            "lang": crate::render::language::title_lang(e.meta.text, self.default_tag()),
        })
    }

    /// A reference as a link; `null` if it did not resolve (already reported).
    /// A record left out of this graph (an offline bundle of one
    /// partnership) is named, with `url` null: templates show it unlinked.
    pub fn link_ref(&self, r: &Ref) -> Value {
        match self.graph.resolve_ref(r) {
            Some(i) => self.link(i),
            None => match self.graph.outside_title(r.kind, &r.id) {
                Some(title) => json!({
                    "id": r.id,
                    "kind": r.kind.name(),
                    "title": title,
                    "url": Value::Null,
                    "date": Value::Null,
                }),
                None => Value::Null,
            },
        }
    }

    pub(super) fn link_opt(&self, r: Option<&Ref>) -> Value {
        r.map(|r| self.link_ref(r)).unwrap_or(Value::Null)
    }

    pub(super) fn list_items(&self, idx: &[Idx]) -> Value {
        Value::Array(idx.iter().map(|&i| self.list_item(i)).collect())
    }

    pub(super) fn links(&self, idx: &[Idx]) -> Value {
        Value::Array(idx.iter().map(|&i| self.link(i)).collect())
    }

    /// A row of an index page: the link plus the few facts a list shows.
    pub fn list_item(&self, i: Idx) -> Value {
        self.read(i, part::LIST);
        let e = self.entity(i);
        let mut v = self.link(i);
        let extra = match &e.data {
            Data::Partnership(p) => json!({"status": p.status.key(), "short_name": p.short_name}),
            Data::Dialogue(d) => json!({"format": d.format.key(), "location": d.location}),
            Data::Pledge(p) => {
                json!({"status": self.status_view(p.status), "made_by": self.link_ref(&p.made_by), "due": self.opt_date(p.due.as_ref())})
            }
            Data::Grant(g) => {
                json!({"funder": self.link_ref(&g.funder), "total": self.totals(&grant_total(g)), "recipient_count": g.recipients.len()})
            }
            Data::Organization(o) => {
                json!({"org_kind": o.kind.key(), "country": o.country, "country_name": self.country_name(o.country.as_deref())})
            }
            Data::Person(p) => json!({"position": current_position(p).map(|x| self.position(x))}),
            Data::Report(r) => {
                json!({"period": {"from": self.opt_date(r.period.from.as_ref()), "to": self.opt_date(r.period.to.as_ref())}})
            }
        };
        v["summary"] = json!(e.meta.summary);
        if let (Some(o), Value::Object(x)) = (v.as_object_mut(), extra) {
            o.extend(x);
        }
        v
    }

    /// What the home page shows of a partnership: key figures, no lists.
    pub fn partnership_card(&self, i: Idx) -> Value {
        let mut v = self.link(i);
        v["summary"] = json!(self.entity(i).meta.summary);
        if let (Data::Partnership(p), Some(s)) = (self.data(i), self.stats(i)) {
            v["status"] = json!(p.status.key());
            v["signed"] = self.opt_date(p.signed.as_ref());
            v["funding"] = self.totals(&s.funding);
            v["pledge_total"] = json!(s.pledges.len());
            v["grant_count"] = json!(s.grants.len());
            v["dialogue_count"] = json!(s.dialogues.len());
            v["report_count"] = json!(s.reports.len());
            v["pledge_counts"] = json!(s
                .pledge_counts
                .iter()
                .map(|(st, n)| json!({"status": self.status_view(*st), "count": n}))
                .collect::<Vec<_>>());
        }
        v
    }
}

/// The position a person holds now: the first without an end date, else the
/// one that ended last.
pub fn current_position(p: &Person) -> Option<&Position> {
    p.positions
        .iter()
        .find(|x| x.to.is_none())
        .or_else(|| p.positions.iter().max_by_key(|x| x.to))
}
