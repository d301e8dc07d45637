//! Drawing the charts as SVG elements, in integers only: time in days since
//! 1970, money in minor units, coordinates in whole SVG units. The same
//! content gives the same bytes. Text here is numbers and years only.

use super::{effective, Day, FundingChart, StatusChart, Years, FUNDER_STYLES};
use crate::model::Money;
use crate::model::Statuses;
use crate::render::xml::escape as xml_escape;
use std::fmt::Write;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`), for a linear time axis in integers.
pub fn day_number((y, m, d): Day) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The smallest of 1, 2, 5 × 10ⁿ × `unit` that splits `max` into at most
/// `intervals` steps; at least `unit`.
pub fn nice_step(max: i128, unit: i128, intervals: i128) -> i128 {
    let raw = (max + intervals - 1) / intervals;
    let mut mag = unit.max(1);
    loop {
        for m in [1, 2, 5] {
            if m * mag >= raw {
                return m * mag;
            }
        }
        mag = mag.saturating_mul(10);
    }
}

/// A drawn chart: the viewBox size and the SVG elements inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Svg {
    pub width: i64,
    pub height: i64,
    pub body: String,
}

const WIDTH: i64 = 640;
const HEIGHT: i64 = 240;
const TOP: i64 = 12;
const RIGHT: i64 = 16;
const BOTTOM: i64 = 28;
/// Past the last year boundary, lines and bands run on this far to show the
/// last state holds (a year-dated event sits on 31 December, at the boundary).
const RUN_ON: i64 = 24;
/// Approximate width of one character of the 12-unit axis font.
const CHAR: i64 = 7;

/// The plotting area and the scales of one chart.
struct Frame {
    left: i64,
    bottom: i64,
    /// Where the time axis ends (1 January after the last year).
    right: i64,
    /// Where lines and bands end, [`RUN_ON`] further.
    end: i64,
    day0: i64,
    day1: i64,
    top_value: i128,
}

impl Frame {
    fn new(years: Years, labels: &[String], top_value: i128) -> Frame {
        let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
        Frame {
            left: widest as i64 * CHAR + 14,
            bottom: HEIGHT - BOTTOM,
            right: WIDTH - RIGHT - RUN_ON,
            end: WIDTH - RIGHT,
            day0: day_number((years.first, 1, 1)),
            day1: day_number((years.last + 1, 1, 1)),
            top_value: top_value.max(1),
        }
    }

    fn x(&self, day: Day) -> i64 {
        let n = day_number(day).clamp(self.day0, self.day1);
        self.left + (n - self.day0) * (self.right - self.left) / (self.day1 - self.day0)
    }

    fn y(&self, v: i128) -> i64 {
        let h = i128::from(self.bottom - TOP);
        let v = v.clamp(0, self.top_value);
        self.bottom - (v * h / self.top_value) as i64
    }

    /// Grid lines and labels: value ticks on the left, years along the bottom.
    fn axes(&self, out: &mut String, years: Years, ticks: &[(i128, String)]) {
        out.push_str("<g class=\"chart__grid\" aria-hidden=\"true\">");
        for (v, _) in ticks {
            let y = self.y(*v);
            let _ = write!(
                out,
                "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
                self.left, self.end
            );
        }
        for year in years.first..=years.last + 1 {
            let x = self.x((year, 1, 1));
            let _ = write!(
                out,
                "<line x1=\"{x}\" y1=\"{TOP}\" x2=\"{x}\" y2=\"{}\"/>",
                self.bottom + 6
            );
        }
        out.push_str("</g><g class=\"chart__labels\">");
        for (v, label) in ticks {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                self.left - 6,
                self.y(*v) + 4,
                xml_escape(label)
            );
        }
        // One label per year band, thinned when bands are narrow.
        let span = i64::from(years.last - years.first + 1);
        let band = (self.right - self.left) / span;
        let every = if band >= 40 {
            1
        } else {
            (40 + band - 1) / band.max(1)
        };
        for (n, year) in (years.first..=years.last).enumerate() {
            if n as i64 % every == 0 {
                let x = (self.x((year, 1, 1)) + self.x((year + 1, 1, 1))) / 2;
                let _ = write!(
                    out,
                    "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
                    HEIGHT - 8
                );
            }
        }
        out.push_str("</g>");
    }
}

/// Value ticks from 0 to the top, `step` apart, labelled by `label`.
fn ticks(max: i128, unit: i128, label: impl Fn(i128) -> String) -> (i128, Vec<(i128, String)>) {
    let step = nice_step(max, unit, 4);
    let top = ((max + step - 1) / step).max(1) * step;
    let list = (0..=top / step)
        .map(|k| (k * step, label(k * step)))
        .collect();
    (top, list)
}

/// Step lines of cumulative funding, one per funder, with a dot where money
/// was added; a funder's series number picks its style class.
/// `money` writes the axis labels, as the page's language writes amounts.
pub fn funding_svg(chart: &FundingChart, years: Years, money: impl Fn(&Money) -> String) -> Svg {
    let currency = chart.currency;
    let unit = 10i128.pow(currency.exponent());
    let max = chart
        .rows
        .iter()
        .flat_map(|r| r.cumulative.iter().copied())
        .max()
        .unwrap_or(0);
    let (top, ticks) = ticks(max, unit, |v| money(&Money { minor: v, currency }));
    let labels: Vec<String> = ticks.iter().map(|(_, l)| l.clone()).collect();
    let f = Frame::new(years, &labels, top);
    let mut out = String::new();
    f.axes(&mut out, years, &ticks);
    out.push_str("<g class=\"chart__data\">");
    for (col, funder) in chart.funders.iter().enumerate() {
        let class = series_class(*funder);
        let mut d = format!("M{},{}", f.left, f.y(0));
        let mut dots = String::new();
        let mut before = 0i128;
        for r in &chart.rows {
            let v = r.cumulative[col];
            if v != before {
                let (x, y) = (f.x(effective(&r.date)), f.y(v));
                let _ = write!(d, "H{x}V{y}");
                let _ = write!(dots, "<circle cx=\"{x}\" cy=\"{y}\" r=\"4\"/>");
                before = v;
            }
        }
        let _ = write!(d, "H{}", f.end);
        let _ = write!(
            out,
            "<g class=\"chart__series chart__f--{class}\"><path class=\"chart__line\" d=\"{d}\"/>{dots}</g>"
        );
    }
    out.push_str("</g>");
    Svg {
        width: WIDTH,
        height: HEIGHT,
        body: out,
    }
}

/// Stacked bands of pledge counts by status, changing at each row's date.
pub fn status_svg(chart: &StatusChart, statuses: &Statuses, years: Years) -> Svg {
    // Segments of constant counts: from the axis start, then from each day
    // on which something happened (the last row of a day holds its counts).
    let mut segments: Vec<(Day, &[usize])> = vec![((years.first, 1, 1), &chart.initial)];
    for r in &chart.rows {
        let day = effective(&r.date);
        match segments.last_mut() {
            Some(last) if last.0 == day => last.1 = &r.counts,
            _ => segments.push((day, &r.counts)),
        }
    }
    segments.dedup_by(|b, a| a.1 == b.1);
    let max = segments
        .iter()
        .map(|(_, c)| c.iter().sum::<usize>())
        .max()
        .unwrap_or(0) as i128;
    let (top, ticks) = ticks(max, 1, |v| v.to_string());
    let labels: Vec<String> = ticks.iter().map(|(_, l)| l.clone()).collect();
    let f = Frame::new(years, &labels, top);
    let mut out = String::new();
    f.axes(&mut out, years, &ticks);
    out.push_str("<g class=\"chart__data\">");
    for (n, (day, c)) in segments.iter().enumerate() {
        let x0 = f.x(*day);
        let x1 = segments.get(n + 1).map_or(f.end, |s| f.x(s.0));
        if x1 <= x0 {
            continue;
        }
        let mut below = 0i128;
        for (i, (_, def)) in statuses.all().enumerate() {
            let (key, group) = (def.key.as_str(), def.group.key());
            if c.get(i).copied().unwrap_or(0) == 0 {
                continue;
            }
            let above = below + c[i] as i128;
            let (y0, y1) = (f.y(above), f.y(below));
            let _ = write!(
                out,
                "<rect class=\"chart__band chart__g--{group} chart__s--{}\" x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\"/>",
                xml_escape(key),
                x1 - x0,
                y1 - y0
            );
            below = above;
        }
    }
    out.push_str("</g>");
    Svg {
        width: WIDTH,
        height: HEIGHT,
        body: out,
    }
}

/// The style class suffix of a funder series: `1`..`8`, or `other`.
pub fn series_class(funder: usize) -> String {
    if funder == super::OTHERS {
        "other".into()
    } else {
        (funder % FUNDER_STYLES + 1).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Currency, PartialDate};
    use crate::render::charts::{funding_charts, FundingEvent, StatusRow, FUNDER_STYLES};

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
    fn day_numbers_and_steps_are_integers() {
        assert_eq!(day_number((1970, 1, 1)), 0);
        assert_eq!(day_number((2000, 3, 1)), 11_017);
        assert_eq!(day_number((2021, 1, 1)) - day_number((2020, 1, 1)), 366);
        assert_eq!(nice_step(550_000_000, 100, 4), 200_000_000);
        assert_eq!(nice_step(4, 1, 4), 1);
        assert_eq!(nice_step(7, 1, 4), 2);
        assert_eq!(nice_step(0, 1, 4), 1);
    }

    #[test]
    fn funding_geometry_for_the_sample_grant() {
        let chart = &funding_charts(
            &[
                ev(0, "2020", "5000000", "USD"),
                ev(0, "2021", "500000", "USD"),
            ],
            FUNDER_STYLES,
        )[0];
        let en = crate::locale::Locale::new("en");
        let svg = funding_svg(
            chart,
            Years {
                first: 2020,
                last: 2021,
            },
            |m| en.money(m),
        );
        // Labels "$0" to "$6,000,000": left = 10 chars * 7 + 14 = 84.
        assert!(svg.body.contains(">$6,000,000</text>"), "{}", svg.body);
        assert!(svg.body.contains(">$2,000,000</text>"));
        // Time runs over 84..600 for 731 days (2020-12-31 is day 365,
        // 2021-12-31 day 730), lines run on to 624. y: bottom 212, top 12,
        // $6M tall: $5M -> 212 - 200*5/6 = 46; $5.5M -> 29.
        let x1 = 84 + 365 * 516 / 731;
        let x2 = 84 + 730 * 516 / 731;
        let path = format!("d=\"M84,212H{x1}V46H{x2}V29H624\"");
        assert!(svg.body.contains(&path), "{path} not in {}", svg.body);
        let mid = (84 + 84 + 366 * 516 / 731) / 2;
        let label = format!("<text x=\"{mid}\" y=\"232\" text-anchor=\"middle\">2020</text>");
        assert!(svg.body.contains(&label), "{label}");
        assert!(svg.body.contains("chart__f--1"));
    }

    #[test]
    fn status_bands_stack_counts() {
        let chart = StatusChart {
            initial: vec![0; 9],
            rows: vec![
                StatusRow {
                    date: d("2020-04"),
                    counts: vec![4, 0, 0, 0, 0, 0, 0, 0, 0],
                },
                StatusRow {
                    date: d("2021-11-19"),
                    counts: vec![3, 0, 0, 0, 0, 0, 1, 0, 0],
                },
            ],
        };
        assert_eq!(chart.columns(), vec![0, 6]);
        let svg = status_svg(
            &chart,
            &Statuses::default(),
            Years {
                first: 2020,
                last: 2021,
            },
        );
        // Ticks 0..4 by 1: left = 1 * 7 + 14 = 21; 4 pledges span 200 units.
        let x_apr = 21 + (day_number((2020, 4, 30)) - day_number((2020, 1, 1))) * 579 / 731;
        let x_nov = 21 + (day_number((2021, 11, 19)) - day_number((2020, 1, 1))) * 579 / 731;
        assert!(svg.body.contains(&format!(
            "<rect class=\"chart__band chart__g--unknown chart__s--not-reported\" x=\"{x_apr}\" y=\"12\" width=\"{}\" height=\"200\"/>",
            x_nov - x_apr
        )));
        assert!(svg.body.contains(&format!(
            "<rect class=\"chart__band chart__g--met chart__s--completed\" x=\"{x_nov}\" y=\"12\" width=\"{}\" height=\"50\"/>",
            624 - x_nov
        )));
        // Nothing is drawn before the first pledge was made.
        assert_eq!(svg.body.matches("<rect").count(), 3);
    }

    #[test]
    fn same_content_same_bytes() {
        let chart = &funding_charts(&[ev(2, "2020-02-29", "1.5", "USD")], FUNDER_STYLES)[0];
        let y = Years {
            first: 2020,
            last: 2020,
        };
        let en = crate::locale::Locale::new("en");
        let draw = || funding_svg(chart, y, |m| en.money(m));
        assert_eq!(draw(), draw());
        assert!(!draw().body.contains('.'), "no fractional coordinates");
    }
}
