//! Progress over time: a pledge's status on any date, derived from its
//! progress history, and what happened under a partnership within a period
//! (for progress reports).
//!
//! The rule for partial dates (see "Progress over time" in
//! `docs/decisions.md`): something dated `2021` counts from the last day it
//! may mean, 31 December 2021, onward. "On" a partial date means by its end:
//! the status on `2021-06` is the status at the end of 30 June 2021.

use super::{Graph, Idx};
use crate::model::{Data, Money, PartialDate, Pledge, ProgressEntry, Status, Totals};

/// A pledge's progress entries in date order: by date as dates sort (the
/// first day each may mean, and at the same first day the less precise
/// first: `2023` before `2023-01` before `2023-01-01`), then as written.
/// Every list of a history (pages, reports, data files) uses this order,
/// and its last entry is the pledge's latest.
pub fn in_order(progress: &[ProgressEntry]) -> impl Iterator<Item = &ProgressEntry> {
    let mut order: Vec<&ProgressEntry> = progress.iter().collect();
    // A stable sort keeps the written order among equal dates.
    order.sort_by_key(|pe| pe.at);
    order.into_iter()
}

/// A calendar day, as [`PartialDate::start`] and [`PartialDate::end`] give it.
pub type Day = (i32, u8, u8);

/// The day from which something dated `d` has certainly happened.
pub fn effective(d: &PartialDate) -> Day {
    d.end()
}

/// The status of `pledge` once exactly the dates for which `counts` is true
/// have happened; `None` while the pledge has not been made.
///
/// Among the progress entries that count, the latest by date order wins, and
/// at the same date the one written last: the rule the status check uses, so
/// once every entry counts the result is the pledge's `status`. Before the
/// first entry counts, a pledge with entries is `not-reported`; a pledge
/// without entries has its `status` from its made date on. A counted entry
/// also shows that the pledge had been made.
pub fn status_by(pledge: &Pledge, counts: impl Fn(&PartialDate) -> bool) -> Option<Status> {
    let made = pledge.made.as_ref().is_none_or(&counts);
    status_where(pledge, |e| counts(&e.at), made)
}

/// [`status_by`] with a test on whole entries, so that an entry can count
/// by when it became known too; `made` says whether the pledge's made date
/// has passed (true when it has none).
pub fn status_where(
    pledge: &Pledge,
    counts: impl Fn(&ProgressEntry) -> bool,
    made: bool,
) -> Option<Status> {
    let latest = pledge
        .progress
        .iter()
        .enumerate()
        .filter(|(_, e)| counts(e))
        .max_by_key(|(i, e)| (e.at, *i))
        .map(|(_, e)| e.status);
    if latest.is_some() {
        return latest;
    }
    if !made {
        return None;
    }
    Some(if pledge.progress.is_empty() {
        pledge.status
    } else {
        Status::NOT_REPORTED
    })
}

/// The status at the end of `day`.
pub fn status_at(pledge: &Pledge, day: Day) -> Option<Status> {
    status_by(pledge, |d| effective(d) <= day)
}

/// The status just before `day` begins (at the end of the day before).
pub fn status_before(pledge: &Pledge, day: Day) -> Option<Status> {
    status_by(pledge, |d| effective(d) < day)
}

/// The status on `date`, that is by its end; `None` before the pledge was made.
pub fn status_on(pledge: &Pledge, date: PartialDate) -> Option<Status> {
    status_at(pledge, date.end())
}

/// One progress entry in the order entries take effect, with the derived
/// status before and after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Index into `pledge.progress`.
    pub entry: usize,
    pub from: Status,
    pub to: Status,
}

impl Change {
    pub fn changed(&self) -> bool {
        self.from != self.to
    }
}

/// Every progress entry in the order they take effect (by last possible day,
/// then date order, then as written). `from` is `not-reported` for the first.
pub fn changes(pledge: &Pledge) -> Vec<Change> {
    changes_where(pledge, |_| true)
}

/// [`changes`] among the entries whose index `keep` accepts (those known
/// by some date), as if the others had not been written.
pub fn changes_where(pledge: &Pledge, keep: impl Fn(usize) -> bool) -> Vec<Change> {
    let mut order: Vec<usize> = (0..pledge.progress.len()).filter(|&i| keep(i)).collect();
    order.sort_by_key(|&i| {
        let d = pledge.progress[i].at;
        (effective(&d), d, i)
    });
    let mut latest: Option<(PartialDate, usize)> = None;
    let mut from = Status::NOT_REPORTED;
    let mut out = Vec::with_capacity(order.len());
    for i in order {
        let key = (pledge.progress[i].at, i);
        if latest.is_none_or(|l| key > l) {
            latest = Some(key);
        }
        let to = latest.map_or(from, |(_, j)| pledge.progress[j].status);
        out.push(Change { entry: i, from, to });
        from = to;
    }
    out
}

/// A reporting period: from the first day of `from` (or the beginning, when
/// there is none) to the last day of `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Option<Day>,
    pub to: Day,
}

impl Window {
    pub fn new(from: Option<PartialDate>, to: PartialDate) -> Window {
        Window {
            from: from.map(|f| f.start()),
            to: to.end(),
        }
    }

    /// True when something dated `d` takes effect within the window: its
    /// last possible day falls between the first and the last day.
    pub fn contains(&self, d: &PartialDate) -> bool {
        let e = effective(d);
        e <= self.to && self.from.is_none_or(|f| e >= f)
    }

    /// True when `d` may also mean a day before the window starts (a date
    /// known only to the month or year that reaches across the start).
    pub fn reaches_before(&self, d: &PartialDate) -> bool {
        self.from.is_some_and(|f| d.start() < f)
    }
}

/// A pledge's status at the start and at the end of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeAtEnd {
    pub pledge: Idx,
    /// `None` when the period has no start or the pledge was not yet made.
    pub at_start: Option<Status>,
    pub at_end: Status,
    /// The status at the end as known today, when records that became
    /// known after the report was published change it.
    pub at_end_now: Option<Status>,
}

/// A progress entry that took effect within a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodChange {
    pub pledge: Idx,
    pub change: Change,
    /// The date may also mean a day before the period.
    pub uncertain: bool,
}

/// A progress entry that took effect by the end of a period but became
/// known only after the report on it was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterNews {
    pub pledge: Idx,
    /// Index into the pledge's `progress`.
    pub entry: usize,
    /// When it became known.
    pub known: Option<PartialDate>,
}

/// Something dated that happened within a period: a pledge made, a dialogue
/// held, or money (a grant's award when `tranche` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodEvent {
    pub entity: Idx,
    pub date: PartialDate,
    pub tranche: Option<usize>,
    pub amount: Option<Money>,
    pub uncertain: bool,
}

/// What a progress report's generated table shows.
#[derive(Debug, Clone, Default)]
pub struct PeriodSummary {
    /// Pledges made by the end of the period, in the partnership's order.
    pub pledges: Vec<PledgeAtEnd>,
    pub changes: Vec<PeriodChange>,
    /// Entries known only after publication that bear on the period.
    pub since: Vec<LaterNews>,
    pub pledges_made: Vec<PeriodEvent>,
    pub funding: Vec<PeriodEvent>,
    /// The amounts in `funding`, per currency.
    pub funding_total: Totals,
    pub dialogues: Vec<PeriodEvent>,
}

/// What happened under `partnership` within `window`, as known by the end
/// of `known_by` (a report's publication date), or as known today when
/// `known_by` is `None`. An entry is known from the last day its
/// [`Graph::reported`] date may mean, as dates count everywhere here.
pub fn period_summary(
    graph: &Graph,
    partnership: Idx,
    window: Window,
    known_by: Option<Day>,
) -> PeriodSummary {
    let mut out = PeriodSummary::default();
    let Some(stats) = graph.stats(partnership) else {
        return out;
    };
    let known = |e: &ProgressEntry| -> bool {
        known_by.is_none_or(|k| graph.reported(e).is_none_or(|r| effective(&r) <= k))
    };
    let event = |entity, date: PartialDate, tranche, amount| PeriodEvent {
        entity,
        date,
        tranche,
        amount,
        uncertain: window.reaches_before(&date),
    };
    for &i in &stats.pledges {
        let Data::Pledge(p) = &graph.entities[i].data else {
            continue;
        };
        let made_by = |day: Day| p.made.is_none_or(|m| effective(&m) <= day);
        let at_end_then = status_where(
            p,
            |e| effective(&e.at) <= window.to && known(e),
            made_by(window.to),
        );
        if let Some(at_end) = at_end_then {
            let now = status_at(p, window.to).filter(|&s| s != at_end);
            out.pledges.push(PledgeAtEnd {
                pledge: i,
                at_start: window.from.and_then(|f| {
                    let before = |d: &PartialDate| effective(d) < f;
                    status_where(
                        p,
                        |e| before(&e.at) && known(e),
                        p.made.as_ref().is_none_or(before),
                    )
                }),
                at_end,
                at_end_now: now,
            });
        }
        if let Some(m) = p.made.filter(|m| window.contains(m)) {
            out.pledges_made.push(event(i, m, None, None));
        }
        let known_entries: Vec<bool> = p.progress.iter().map(known).collect();
        for c in changes_where(p, |n| known_entries[n]) {
            let date = p.progress[c.entry].at;
            if window.contains(&date) {
                out.changes.push(PeriodChange {
                    pledge: i,
                    uncertain: window.reaches_before(&date),
                    change: c,
                });
            }
        }
        for (n, e) in p.progress.iter().enumerate() {
            if !known_entries[n] && effective(&e.at) <= window.to {
                out.since.push(LaterNews {
                    pledge: i,
                    entry: n,
                    known: graph.reported(e),
                });
            }
        }
    }
    out.since
        .sort_by_key(|l| (l.known.map(|d| (d.end(), d)), l.pledge, l.entry));
    out.changes.sort_by(|a, b| {
        let da = date_of(graph, a);
        let db = date_of(graph, b);
        (da, a.pledge, a.change.entry).cmp(&(db, b.pledge, b.change.entry))
    });
    for &i in &stats.grants {
        let Data::Grant(g) = &graph.entities[i].data else {
            continue;
        };
        if window.contains(&g.awarded) {
            out.funding.push(event(i, g.awarded, None, Some(g.amount)));
        }
        for (n, t) in g.tranches.iter().enumerate() {
            if window.contains(&t.date) {
                out.funding.push(event(i, t.date, Some(n), Some(t.amount)));
            }
        }
    }
    out.funding
        .sort_by_key(|e| (e.date, e.entity, e.tranche.map_or(0, |n| n + 1)));
    for m in out.funding.iter().filter_map(|e| e.amount) {
        out.funding_total.add(&m);
    }
    for &i in &stats.dialogues {
        if let Data::Dialogue(d) = &graph.entities[i].data {
            if window.contains(&d.date) {
                out.dialogues.push(event(i, d.date, None, None));
            }
        }
    }
    out
}

fn date_of(graph: &Graph, c: &PeriodChange) -> Option<PartialDate> {
    match &graph.entities[c.pledge].data {
        Data::Pledge(p) => p.progress.get(c.change.entry).map(|e| e.at),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{graph_of, BASE};

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    /// A pledge from front matter, through the real parser.
    fn pledge(front: &str) -> Pledge {
        let text = format!("---\ntitle: X\npartnership: p\nmade_by: gov\n{front}---\n");
        let mut files = BASE.to_vec();
        files.push(("pledges/x.md", &text));
        let (g, diags) = graph_of(&files);
        assert!(diags.is_empty(), "{diags:?}");
        let i = g.get(crate::model::Kind::Pledge, "x").unwrap();
        match &g.entities[i].data {
            Data::Pledge(p) => p.clone(),
            _ => unreachable!(),
        }
    }

    const HISTORY: &str = "made: 2020-04\nstatus: delayed\nprogress:\n  - date: 2021\n    status: in-progress\n    reported: 2021\n  - date: 2022-03-15\n    status: delayed\n    reported: 2022-03-15\n  - date: 2022-03\n    status: completed\n    reported: 2022-03\n";

    #[test]
    fn none_before_the_pledge_was_made() {
        let p = pledge(HISTORY);
        assert_eq!(status_on(&p, d("2020-03-31")), None);
        assert_eq!(status_on(&p, d("2020-04-29")), None);
        assert_eq!(status_on(&p, d("2020-04")), Some(Status::NOT_REPORTED));
        assert_eq!(status_on(&p, d("2020")), Some(Status::NOT_REPORTED));
    }

    #[test]
    fn an_entry_dated_by_year_counts_from_the_end_of_that_year() {
        let p = pledge(HISTORY);
        assert_eq!(status_on(&p, d("2021-06-30")), Some(Status::NOT_REPORTED));
        assert_eq!(status_on(&p, d("2021-12")), Some(Status::IN_PROGRESS));
        assert_eq!(status_on(&p, d("2021")), Some(Status::IN_PROGRESS));
        assert_eq!(status_on(&p, d("2021-12-31")), Some(Status::IN_PROGRESS));
    }

    #[test]
    fn day_and_month_entries_in_the_same_month() {
        let p = pledge(HISTORY);
        // 2022-03-15 counts on its day; 2022-03 only from 31 March.
        assert_eq!(status_on(&p, d("2022-03-14")), Some(Status::IN_PROGRESS));
        assert_eq!(status_on(&p, d("2022-03-15")), Some(Status::DELAYED));
        assert_eq!(status_on(&p, d("2022-03-30")), Some(Status::DELAYED));
        // Once both count, the latest by date order wins (2022-03-15 sorts
        // after 2022-03), as the status check says.
        assert_eq!(status_on(&p, d("2022-03")), Some(Status::DELAYED));
        assert_eq!(status_on(&p, d("2030")), Some(Status::DELAYED));
    }

    #[test]
    fn status_before_a_day_excludes_that_day() {
        let p = pledge(HISTORY);
        assert_eq!(status_before(&p, (2022, 3, 15)), Some(Status::IN_PROGRESS));
        assert_eq!(status_at(&p, (2022, 3, 15)), Some(Status::DELAYED));
        assert_eq!(status_before(&p, (2020, 4, 30)), None);
    }

    #[test]
    fn without_entries_the_status_holds_from_the_made_date() {
        let p = pledge("made: 2021-05\nstatus: in-progress\n");
        assert_eq!(status_on(&p, d("2021-05-30")), None);
        assert_eq!(status_on(&p, d("2021-05")), Some(Status::IN_PROGRESS));
        let always = pledge("status: not-started\n");
        assert_eq!(status_on(&always, d("1900")), Some(Status::NOT_STARTED));
    }

    #[test]
    fn without_a_made_date_a_pledge_with_entries_starts_not_reported() {
        let p =
            pledge("status: completed\nprogress:\n  - date: 2021-11-19\n    status: completed\n    reported: 2021-11-19\n");
        assert_eq!(status_on(&p, d("2000")), Some(Status::NOT_REPORTED));
        assert_eq!(status_on(&p, d("2021-11-19")), Some(Status::COMPLETED));
    }

    #[test]
    fn an_entry_shows_the_pledge_was_made() {
        // Made in April; an entry on 10 April proves it existed by then.
        let p = pledge("made: 2020-04\nstatus: in-progress\nprogress:\n  - date: 2020-04-10\n    status: in-progress\n    reported: 2020-04-10\n");
        assert_eq!(status_on(&p, d("2020-04-09")), None);
        assert_eq!(status_on(&p, d("2020-04-10")), Some(Status::IN_PROGRESS));
    }

    #[test]
    fn same_date_entries_last_written_wins() {
        let p = pledge("status: completed\nprogress:\n  - date: 2021-05\n    status: in-progress\n    reported: 2021-05\n  - date: 2021-05\n    status: completed\n    reported: 2021-05\n");
        assert_eq!(status_on(&p, d("2021-05")), Some(Status::COMPLETED));
        let c = changes(&p);
        assert_eq!(
            c,
            vec![
                Change {
                    entry: 0,
                    from: Status::NOT_REPORTED,
                    to: Status::IN_PROGRESS
                },
                Change {
                    entry: 1,
                    from: Status::IN_PROGRESS,
                    to: Status::COMPLETED
                },
            ]
        );
    }

    #[test]
    fn changes_follow_the_order_entries_take_effect() {
        let p = pledge(HISTORY);
        let c = changes(&p);
        let got: Vec<(usize, Status, Status)> = c.iter().map(|c| (c.entry, c.from, c.to)).collect();
        assert_eq!(
            got,
            vec![
                (0, Status::NOT_REPORTED, Status::IN_PROGRESS),
                (1, Status::IN_PROGRESS, Status::DELAYED),
                // 2022-03 takes effect last but is earlier in date order.
                (2, Status::DELAYED, Status::DELAYED),
            ]
        );
        assert!(!c[2].changed());
    }

    #[test]
    fn windows_take_effect_days_and_flag_imprecise_dates() {
        let w = Window::new(Some(d("2021-04")), d("2022-03"));
        assert!(w.contains(&d("2021-04-01")));
        assert!(w.contains(&d("2021")));
        assert!(w.reaches_before(&d("2021")));
        assert!(!w.reaches_before(&d("2021-04")));
        assert!(!w.contains(&d("2021-03-31")));
        assert!(!w.contains(&d("2022")));
        assert!(w.contains(&d("2022-03")));
        let open = Window::new(None, d("2020"));
        assert!(open.contains(&d("1999")));
        assert!(!open.reaches_before(&d("1999")));
    }

    #[test]
    fn a_period_summary_counts_money_per_currency() {
        let grant = "---\ntitle: G\npartnership: p\nfunder: gov\nrecipients:\n  - organization: ngo\nawarded: 2020-03\namount: 100\ncurrency: USD\ntranches:\n  - date: 2020\n    amount: 5\n    currency: EUR\n  - date: 2021-01\n    amount: 7\n---\n";
        let made = "---\ntitle: X\npartnership: p\nmade_by: gov\nmade: 2020-05\nstatus: in-progress\nprogress:\n  - date: 2020-06-01\n    status: in-progress\n    reported: 2020-06-01\n---\n";
        let mut files = BASE.to_vec();
        files.extend([("grants/g.md", grant), ("pledges/x.md", made)]);
        let (g, diags) = graph_of(&files);
        assert!(diags.is_empty(), "{diags:?}");
        let p = g.get(crate::model::Kind::Partnership, "p").unwrap();
        let sum = period_summary(&g, p, Window::new(Some(d("2020-04")), d("2020-12")), None);
        // The award (March) is before the period; the EUR tranche dated 2020
        // counts from 31 December and may be earlier; January 2021 is after.
        let money: Vec<(String, bool)> = sum
            .funding
            .iter()
            .map(|e| (e.amount.unwrap().exact(), e.uncertain))
            .collect();
        assert_eq!(money, vec![("5.00 EUR".to_string(), true)]);
        let totals: Vec<String> = sum
            .funding_total
            .amounts()
            .iter()
            .map(Money::exact)
            .collect();
        assert_eq!(totals, vec!["5.00 EUR"]);
        assert_eq!(sum.pledges_made.len(), 1);
        assert_eq!(sum.pledges[0].at_start, None);
        assert_eq!(sum.pledges[0].at_end, Status::IN_PROGRESS);
        assert_eq!(sum.changes.len(), 1);
        assert_eq!(sum.changes[0].change.from, Status::NOT_REPORTED);
    }
}
