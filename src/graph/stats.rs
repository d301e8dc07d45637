//! Per-partnership figures computed once with the graph: funding totals per
//! currency (exact), pledge counts by status, and the chronological timeline.

use super::{Graph, Idx};
use crate::model::{Data, Grant, Kind, Money, PartialDate, Status, Totals};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimelineKind {
    Signed,
    Dialogue,
    PledgeMade,
    GrantAwarded,
    Tranche,
    Progress,
    Report,
}

#[derive(Debug, Clone)]
pub struct TimelineEvent {
    pub date: PartialDate,
    pub kind: TimelineKind,
    pub entity: Idx,
    pub amount: Option<Money>,
    pub status: Option<Status>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PartnershipStats {
    pub dialogues: Vec<Idx>,
    pub pledges: Vec<Idx>,
    pub grants: Vec<Idx>,
    pub reports: Vec<Idx>,
    pub funding: Totals,
    /// Count per status, in vocabulary order, statuses with zero included.
    pub pledge_counts: Vec<(Status, usize)>,
    pub timeline: Vec<TimelineEvent>,
}

/// A grant's award plus its tranches, per currency.
pub fn grant_total(g: &Grant) -> Totals {
    let mut t = Totals::default();
    t.add(&g.amount);
    for tr in &g.tranches {
        t.add(&tr.amount);
    }
    t
}

pub fn compute(graph: &Graph) -> HashMap<Idx, PartnershipStats> {
    let mut out: HashMap<Idx, PartnershipStats> = HashMap::new();
    for &p in graph.of_kind(Kind::Partnership) {
        let mut s = PartnershipStats::default();
        if let Data::Partnership(part) = &graph.entities[p].data {
            if let Some(d) = part.signed {
                s.timeline.push(event(d, TimelineKind::Signed, p));
            }
        }
        out.insert(p, s);
    }
    for (i, e) in graph.entities.iter().enumerate() {
        let Some(p) = e.partnership().and_then(|r| graph.resolve_ref(r)) else {
            continue;
        };
        let Some(s) = out.get_mut(&p) else { continue };
        match &e.data {
            Data::Dialogue(d) => {
                s.dialogues.push(i);
                s.timeline.push(event(d.date, TimelineKind::Dialogue, i));
            }
            Data::Pledge(pl) => {
                s.pledges.push(i);
                if let Some(m) = pl.made {
                    s.timeline.push(event(m, TimelineKind::PledgeMade, i));
                }
                for pe in &pl.progress {
                    s.timeline.push(TimelineEvent {
                        status: Some(pe.status),
                        note: pe.note.clone(),
                        ..event(pe.at, TimelineKind::Progress, i)
                    });
                }
            }
            Data::Grant(g) => {
                s.grants.push(i);
                s.funding.add(&g.amount);
                s.timeline.push(TimelineEvent {
                    amount: Some(g.amount),
                    ..event(g.awarded, TimelineKind::GrantAwarded, i)
                });
                for t in &g.tranches {
                    s.funding.add(&t.amount);
                    s.timeline.push(TimelineEvent {
                        amount: Some(t.amount),
                        note: t.note.clone(),
                        ..event(t.date, TimelineKind::Tranche, i)
                    });
                }
            }
            Data::Report(r) => {
                s.reports.push(i);
                s.timeline.push(event(r.published, TimelineKind::Report, i));
            }
            _ => {}
        }
    }
    for s in out.values_mut() {
        s.pledge_counts = graph
            .statuses
            .all()
            .map(|(status, _)| {
                let n = s
                    .pledges
                    .iter()
                    .filter(|&&i| matches!(&graph.entities[i].data, Data::Pledge(p) if p.status == status))
                    .count();
                (status, n)
            })
            .collect();
        s.timeline.sort_by(|a, b| {
            (a.date, a.kind, &graph.entities[a.entity].meta.id).cmp(&(
                b.date,
                b.kind,
                &graph.entities[b.entity].meta.id,
            ))
        });
    }
    out
}

fn event(date: PartialDate, kind: TimelineKind, entity: Idx) -> TimelineEvent {
    TimelineEvent {
        date,
        kind,
        entity,
        amount: None,
        status: None,
        note: None,
    }
}
