//! Charts for the partnership page, drawn at build time as inline SVG:
//! cumulative funding per funder (one chart per currency) and pledges by
//! status over time. This file computes what the charts show, exactly
//! (money in minor units, counts per status); `svg.rs` draws it; `view.rs`
//! hands both, with the rows of each chart's data table, to the template.
//!
//! Only shapes, numbers and years are drawn; titles, descriptions, legends
//! and axis names come from the theme's strings in the template, and colours
//! from the theme's CSS (classes `chart__f--N` for funders, `chart__s--<status>`
//! for statuses). Dates take effect on their last possible day, as in
//! [`crate::graph::history`].

mod svg;
mod view;

pub use svg::{day_number, funding_svg, nice_step, status_svg, Svg};

use crate::graph::history::{effective, status_by, Day};

use crate::model::{Currency, Money, PartialDate, Pledge, Status};
use std::collections::BTreeMap;

/// How many colours (and dash patterns) the theme defines for funders.
pub const FUNDER_STYLES: usize = 8;

/// Money given by one funder on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingEvent {
    /// The funder's series number, from [`first_appearance`].
    pub funder: usize,
    pub date: PartialDate,
    pub amount: Money,
}

/// One row of a funding chart: a date as written, and each funder's running
/// total once everything dated up to it is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingRow {
    pub date: PartialDate,
    /// Minor units, one per entry of [`FundingChart::funders`].
    pub cumulative: Vec<i128>,
}

/// Cumulative funding in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingChart {
    pub currency: Currency,
    /// Series numbers of the funders with money in this currency, ascending.
    pub funders: Vec<usize>,
    pub rows: Vec<FundingRow>,
}

/// Dates in the order they take effect: by last possible day, then as dates
/// sort (so `2021` comes before `2021-12-31`).
fn effect_key(d: &PartialDate) -> (Day, PartialDate) {
    (effective(d), *d)
}

/// Above this many rows a chart, and its table, shows one row per month.
pub const MAX_ROWS: usize = 150;

/// How many of a chart's rows are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thinned {
    /// Every row.
    No,
    /// The last row of each month (by the last day its date may mean).
    Monthly,
    /// The last row of each year.
    Yearly,
}

/// At most about `max` of `rows` (in effect order): when there are more,
/// only the last row of each month, and if that is still too many, of each
/// year. A row is the state as of its date, so every row kept stays exact;
/// the open data has them all.
pub fn thin<R>(rows: Vec<R>, date: impl Fn(&R) -> PartialDate, max: usize) -> (Vec<R>, Thinned) {
    if rows.len() <= max {
        return (rows, Thinned::No);
    }
    let last_of = |rows: Vec<R>, key: &dyn Fn(PartialDate) -> (i32, u8)| {
        let mut out: Vec<R> = Vec::new();
        let mut at = None;
        for r in rows {
            let k = key(date(&r));
            if at == Some(k) {
                out.pop();
            }
            at = Some(k);
            out.push(r);
        }
        out
    };
    let monthly = last_of(rows, &|d| {
        let (y, m, _) = d.end();
        (y, m)
    });
    if monthly.len() <= max {
        return (monthly, Thinned::Monthly);
    }
    (last_of(monthly, &|d| (d.end().0, 0)), Thinned::Yearly)
}

/// Order keys (funders) by the first date each appears with, then by key.
pub fn first_appearance<K: Ord + Clone>(items: &[(K, PartialDate)]) -> Vec<K> {
    let mut first: BTreeMap<K, (Day, PartialDate)> = BTreeMap::new();
    for (k, d) in items {
        let key = effect_key(d);
        first
            .entry(k.clone())
            .and_modify(|f| *f = (*f).min(key))
            .or_insert(key);
    }
    let mut out: Vec<(K, (Day, PartialDate))> = first.into_iter().collect();
    out.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    out.into_iter().map(|(k, _)| k).collect()
}

/// The series number that stands for "all other funders" in a capped chart.
pub const OTHERS: usize = usize::MAX;

/// One chart per currency, ordered by currency code; amounts of two
/// currencies are never added. A currency with more than `max` funders
/// (and `max` at least 2) keeps the `max - 1` with the largest totals as
/// their own series and adds up the rest into one [`OTHERS`] series, so a
/// partnership with hundreds of funders still gets a readable chart (and a
/// table of a sane width). Amounts stay exact: the others' column is the
/// sum of theirs.
///
/// The running totals are kept only for the series drawn: a partnership
/// with thousands of funders and dates costs one column per series, not a
/// table of every funder by every date (at 100,000 records, 8,658 funders
/// by 3,635 dates made half a gigabyte).
pub fn funding_charts(events: &[FundingEvent], max: usize) -> Vec<FundingChart> {
    let mut by_currency: BTreeMap<&'static str, Vec<&FundingEvent>> = BTreeMap::new();
    for e in events {
        by_currency
            .entry(e.amount.currency.code())
            .or_default()
            .push(e);
    }
    by_currency
        .into_values()
        .map(|mut evs| {
            evs.sort_by_key(|e| (effect_key(&e.date), e.funder));
            let funders = series(&evs, max);
            // The column of each funder drawn; any other is in the last.
            let column = |f: usize| match funders.binary_search(&f) {
                Ok(c) => c,
                Err(_) => funders.len() - 1,
            };
            let mut running = vec![0i128; funders.len()];
            let mut rows: Vec<FundingRow> = Vec::new();
            for e in &evs {
                let col = column(e.funder);
                running[col] = running[col].saturating_add(e.amount.minor);
                match rows.last_mut() {
                    Some(r) if r.date == e.date => r.cumulative.clone_from(&running),
                    _ => rows.push(FundingRow {
                        date: e.date,
                        cumulative: running.clone(),
                    }),
                }
            }
            FundingChart {
                currency: evs[0].amount.currency,
                funders,
                rows,
            }
        })
        .collect()
}

/// The series of one currency's chart, ascending: every funder of `evs`,
/// or, above `max`, the `max - 1` with the largest totals (the lower series
/// number first among equals) and then [`OTHERS`].
fn series(evs: &[&FundingEvent], max: usize) -> Vec<usize> {
    let mut totals: BTreeMap<usize, i128> = BTreeMap::new();
    for e in evs {
        let t = totals.entry(e.funder).or_insert(0);
        *t = t.saturating_add(e.amount.minor);
    }
    if totals.len() <= max || max < 2 {
        return totals.into_keys().collect();
    }
    let mut by_total: Vec<(usize, i128)> = totals.into_iter().collect();
    by_total.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut kept: Vec<usize> = by_total[..max - 1].iter().map(|&(f, _)| f).collect();
    kept.sort_unstable();
    kept.push(OTHERS);
    kept
}

fn status_index(s: Status) -> usize {
    s.index()
}

/// Pledge counts per status (vocabulary order) as of one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    pub date: PartialDate,
    /// One count per status of the site's vocabulary, in its order.
    pub counts: Vec<usize>,
}

impl StatusRow {
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// Pledges by status over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChart {
    /// Counts before any dated event: pledges with no made date.
    pub initial: Vec<usize>,
    /// One row per date on which a pledge was made or progress was recorded.
    pub rows: Vec<StatusRow>,
}

impl StatusChart {
    /// The columns (status indices) that some row or the start has
    /// pledges in, in vocabulary order.
    pub fn columns(&self) -> Vec<usize> {
        (0..self.initial.len())
            .filter(|&i| self.initial[i] > 0 || self.rows.iter().any(|r| r.counts[i] > 0))
            .collect()
    }
}

fn counts(
    pledges: &[&Pledge],
    statuses: usize,
    counted: impl Fn(&PartialDate) -> bool,
) -> Vec<usize> {
    let mut c = vec![0; statuses];
    for p in pledges {
        if let Some(s) = status_by(p, &counted) {
            if let Some(n) = c.get_mut(status_index(s)) {
                *n += 1;
            }
        }
    }
    c
}

/// Status counts at every date a pledge was made or had progress recorded.
/// Each row counts everything dated up to and including its date, in the
/// order dates take effect, so a row's numbers are those of
/// [`crate::graph::history::status_on`] once its whole day is over.
pub fn status_chart(pledges: &[&Pledge], statuses: usize) -> StatusChart {
    // A pledge's status only changes at its own dates, so each pledge is
    // reduced to its transitions and the counts are swept forward once:
    // O(events log events), not O(dates × pledges).
    let initial = counts(pledges, statuses, |_| false);
    // (when, pledge number, status column before, status column after)
    type Transition = ((Day, PartialDate), usize, Option<usize>, Option<usize>);
    let mut transitions: Vec<Transition> = Vec::new();
    for (n, p) in pledges.iter().enumerate() {
        let mut own: Vec<PartialDate> = p
            .made
            .iter()
            .chain(p.progress.iter().map(|e| &e.at))
            .copied()
            .collect();
        own.sort_by_key(effect_key);
        own.dedup();
        let mut before = status_by(p, |_| false).map(status_index);
        for d in own {
            let after = status_by(p, |x| effect_key(x) <= effect_key(&d)).map(status_index);
            if after != before {
                transitions.push((effect_key(&d), n, before, after));
                before = after;
            }
        }
    }
    transitions.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut dates: Vec<PartialDate> = pledges
        .iter()
        .flat_map(|p| p.made.iter().chain(p.progress.iter().map(|e| &e.at)))
        .copied()
        .collect();
    dates.sort_by_key(effect_key);
    dates.dedup();
    let mut current = initial.clone();
    let mut next = 0;
    let rows = dates
        .iter()
        .map(|d| {
            let key = effect_key(d);
            while next < transitions.len() && transitions[next].0 <= key {
                let (_, _, from, to) = transitions[next];
                if let Some(f) = from {
                    current[f] -= 1;
                }
                if let Some(t) = to {
                    current[t] += 1;
                }
                next += 1;
            }
            StatusRow {
                date: *d,
                counts: current.clone(),
            }
        })
        .collect();
    StatusChart { initial, rows }
}

/// The years the x axis spans, whole calendar years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    pub first: i32,
    pub last: i32,
}

impl Years {
    /// The years covering every date given; `None` without dates.
    pub fn covering<'d>(dates: impl IntoIterator<Item = &'d PartialDate>) -> Option<Years> {
        dates.into_iter().fold(None, |acc: Option<Years>, d| {
            let (first, last) = (d.start().0, d.end().0);
            Some(match acc {
                None => Years { first, last },
                Some(y) => Years {
                    first: y.first.min(first),
                    last: y.last.max(last),
                },
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn money(amount: &str, code: &str) -> Money {
        Money::parse(amount, Currency::parse(code).unwrap()).unwrap()
    }

    fn ev(funder: usize, date: &str, amount: &str, code: &str) -> FundingEvent {
        FundingEvent {
            funder,
            date: d(date),
            amount: money(amount, code),
        }
    }

    #[test]
    fn cumulative_sums_per_funder_per_currency_are_exact() {
        let events = [
            ev(0, "2021", "500000", "USD"),
            ev(0, "2020", "5000000", "USD"),
            ev(1, "2021-03", "250000.10", "USD"),
            ev(1, "2021-03", "1000", "EUR"),
            ev(1, "2022-01-05", "2500", "EUR"),
        ];
        let charts = funding_charts(&events, FUNDER_STYLES);
        assert_eq!(charts.len(), 2, "one chart per currency");
        let eur = &charts[0];
        assert_eq!(eur.currency.code(), "EUR");
        assert_eq!(eur.funders, vec![1]);
        let got: Vec<(String, Vec<i128>)> = eur
            .rows
            .iter()
            .map(|r| (r.date.iso(), r.cumulative.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2021-03".into(), vec![100_000]),
                ("2022-01-05".into(), vec![350_000])
            ]
        );
        let usd = &charts[1];
        assert_eq!(usd.funders, vec![0, 1]);
        let got: Vec<(String, Vec<i128>)> = usd
            .rows
            .iter()
            .map(|r| (r.date.iso(), r.cumulative.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2020".into(), vec![500_000_000, 0]),
                ("2021-03".into(), vec![500_000_000, 25_000_010]),
                ("2021".into(), vec![550_000_000, 25_000_010]),
            ]
        );
    }

    #[test]
    fn many_funders_are_capped_with_exact_others() {
        let events: Vec<FundingEvent> = (0..12)
            .map(|f| ev(f, "2021-01-01", &format!("{}", (f + 1) * 100), "USD"))
            .collect();
        let chart = funding_charts(&events, 4).remove(0);
        assert_eq!(chart.funders, vec![9, 10, 11, OTHERS]);
        let last = &chart.rows.last().unwrap().cumulative;
        // Funders 0..=8 gave 100 + 200 + ... + 900 = 4500 (in cents: x100).
        assert_eq!(last, &vec![100_000, 110_000, 120_000, 450_000]);
    }

    /// The chart as first defined: every funder's running total at every
    /// date, then the smaller funders added up into [`OTHERS`].
    fn dense_then_capped(events: &[FundingEvent], max: usize) -> Vec<FundingChart> {
        let mut charts = funding_charts(events, usize::MAX);
        for c in &mut charts {
            if c.funders.len() <= max || max < 2 {
                continue;
            }
            let last = c.rows.last().unwrap().cumulative.clone();
            let mut by_total: Vec<usize> = (0..c.funders.len()).collect();
            by_total.sort_by(|&a, &b| last[b].cmp(&last[a]).then(c.funders[a].cmp(&c.funders[b])));
            let mut kept = by_total[..max - 1].to_vec();
            kept.sort_unstable();
            for r in &mut c.rows {
                let rest = (0..r.cumulative.len())
                    .filter(|i| kept.binary_search(i).is_err())
                    .map(|i| r.cumulative[i])
                    .sum();
                r.cumulative = kept
                    .iter()
                    .map(|&i| r.cumulative[i])
                    .chain([rest])
                    .collect();
            }
            c.funders = kept.iter().map(|&i| c.funders[i]).chain([OTHERS]).collect();
        }
        charts
    }

    #[test]
    fn capped_charts_equal_every_funder_summed_then_capped() {
        // A fixed xorshift, so a failure repeats.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for round in 0..200 {
            let funders = 1 + next(20);
            let events: Vec<FundingEvent> = (0..next(60))
                .map(|_| {
                    let date = match next(3) {
                        0 => format!("{}", 2015 + next(6)),
                        1 => format!("{}-{:02}", 2015 + next(6), 1 + next(12)),
                        _ => format!("{}-{:02}-{:02}", 2015 + next(6), 1 + next(12), 1 + next(28)),
                    };
                    let code = ["USD", "EUR", "MNT"][next(3) as usize];
                    // Equal totals happen: amounts from a few values.
                    let amount = format!("{}", 100 * (1 + next(4)));
                    ev(next(funders) as usize, &date, &amount, code)
                })
                .collect();
            for max in [0, 1, 2, 3, FUNDER_STYLES] {
                assert_eq!(
                    funding_charts(&events, max),
                    dense_then_capped(&events, max),
                    "round {round}, at most {max} series"
                );
            }
        }
    }

    #[test]
    fn funders_are_ordered_by_first_appearance() {
        let items = [
            ("b", d("2020")),
            ("a", d("2021")),
            ("c", d("2020-06")),
            ("b", d("2019")),
        ];
        assert_eq!(first_appearance(&items), vec!["b", "c", "a"]);
    }

    #[test]
    fn status_counts_follow_each_pledge_history() {
        use crate::model::{Data, Kind};
        let mut files = crate::testing::BASE.to_vec();
        let head = "---\ntitle: X\npartnership: p\nmade_by: gov\n";
        let a = format!("{head}made: 2020-04\nstatus: completed\nprogress:\n  - date: 2021\n    status: in-progress\n    reported: 2022\n  - date: 2022-02-01\n    status: completed\n    reported: 2022-02-01\n---\n");
        let b = format!("{head}made: 2021-06\nstatus: not-started\n---\n");
        let c = format!("{head}status: delayed\n---\n");
        files.extend([
            ("pledges/a.md", a.as_str()),
            ("pledges/b.md", b.as_str()),
            ("pledges/c.md", c.as_str()),
        ]);
        let (g, diags) = crate::testing::graph_of(&files);
        assert!(diags.is_empty(), "{diags:?}");
        let pledges: Vec<&Pledge> = g
            .of_kind(Kind::Pledge)
            .iter()
            .filter_map(|&i| match &g.entities[i].data {
                Data::Pledge(p) => Some(p),
                _ => None,
            })
            .collect();
        let n = g.statuses().len();
        let chart = status_chart(&pledges, n);
        // Order: not-reported, not-started, in-progress, delayed, stalled,
        // partly-completed, completed, withdrawn, failed.
        assert_eq!(chart.initial, [0, 0, 0, 1, 0, 0, 0, 0, 0]);
        let got: Vec<(String, Vec<usize>)> = chart
            .rows
            .iter()
            .map(|r| (r.date.iso(), r.counts.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2020-04".into(), vec![1, 0, 0, 1, 0, 0, 0, 0, 0]),
                ("2021-06".into(), vec![1, 1, 0, 1, 0, 0, 0, 0, 0]),
                ("2021".into(), vec![0, 1, 1, 1, 0, 0, 0, 0, 0]),
                ("2022-02-01".into(), vec![0, 1, 0, 1, 0, 0, 1, 0, 0]),
            ]
        );
        assert_eq!(chart.rows[3].total(), 3);
        assert_eq!(chart.columns(), vec![0, 1, 2, 3, 6]);
        // The sweep agrees with counting every pledge afresh at every date.
        for row in &chart.rows {
            let naive = counts(&pledges, n, |x| effect_key(x) <= effect_key(&row.date));
            assert_eq!(row.counts, naive, "{}", row.date.iso());
        }
    }

    #[test]
    fn many_rows_thin_to_the_last_of_each_month_then_year() {
        let d = |s: &str| PartialDate::parse(s).unwrap();
        // Every day of 2020 and 2021, then the year 2022 alone.
        let mut rows: Vec<(PartialDate, usize)> = Vec::new();
        for y in [2020, 2021] {
            for m in 1..=12 {
                for day in [1, 9, 17, 25] {
                    rows.push((d(&format!("{y}-{m:02}-{day:02}")), rows.len()));
                }
            }
        }
        rows.push((d("2022"), rows.len()));
        let few = rows[..10].to_vec();
        assert_eq!(thin(few.clone(), |r| r.0, 10), (few, Thinned::No));
        let (monthly, how) = thin(rows.clone(), |r| r.0, 50);
        assert_eq!(how, Thinned::Monthly);
        assert_eq!(monthly.len(), 25);
        assert_eq!(monthly[0], (d("2020-01-25"), 3));
        assert_eq!(monthly[23], (d("2021-12-25"), 95));
        // A year-only date counts from the year's last day: its own month.
        assert_eq!(monthly[24], (d("2022"), 96));
        let (yearly, how) = thin(rows, |r| r.0, 20);
        assert_eq!(how, Thinned::Yearly);
        let kept: Vec<usize> = yearly.iter().map(|r| r.1).collect();
        assert_eq!(kept, [47, 95, 96]);
    }
}
