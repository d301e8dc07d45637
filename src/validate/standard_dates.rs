//! The one rule for a standard format that needs a full date and meets a
//! record that gives only a month or a year ("Dates in standard formats"
//! in `docs/open-data.md`), shared by `check` and the formats that follow
//! it, 360Giving and IATI:
//!
//! - `open_data.partial_dates: leave-out` (the default): where the format
//!   requires the date, the record is left out of that format, and the
//!   data page and `check` say so; where the date is optional, the element
//!   is left out.
//! - `first-day`: the format gets the first day the date may mean, and the
//!   record says so in the format's own words, in the site's language.

use crate::config::PartialDates;
use crate::graph::Idx;
use crate::model::PartialDate;

/// A date as a standard needing a full date may write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Full {
    /// Known to the day: `2021-11-19`.
    Day(String),
    /// The first day of the month or year the record gives, to be
    /// disclosed: `2020-01-01` for `2020`.
    FirstDay(String),
}

impl Full {
    pub fn iso(&self) -> &str {
        match self {
            Full::Day(s) | Full::FirstDay(s) => s,
        }
    }
}

/// `d` as a full date under `rule`; `None` when the rule leaves it out.
pub fn full(d: &PartialDate, rule: PartialDates) -> Option<Full> {
    if d.precision() == "day" {
        return Some(Full::Day(d.iso()));
    }
    match rule {
        PartialDates::LeaveOut => None,
        PartialDates::FirstDay => {
            let (y, m, day) = d.start();
            Some(Full::FirstDay(format!("{y:04}-{m:02}-{day:02}")))
        }
    }
}

/// A record that is not in a format, and why: which date field has no day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub record: Idx,
    /// The field as written in the record, e.g. `awarded` or `tranches[0].date`.
    pub field: String,
    pub date: PartialDate,
}

/// The fields of a grant that IATI requires as full dates and that
/// `rule` leaves out: the award date, each tranche's date, and the
/// period's start (the activity's start date) when it is given.
pub fn iati_missing_days(
    g: &crate::model::Grant,
    rule: PartialDates,
) -> Vec<(String, PartialDate, crate::diagnostics::Pos)> {
    let mut out = Vec::new();
    let mut check = |field: String, d: &PartialDate, pos| {
        if full(d, rule).is_none() {
            out.push((field, *d, pos));
        }
    };
    check("awarded".into(), &g.awarded, g.awarded_pos);
    if let Some(p) = &g.period {
        if let Some(from) = &p.from {
            check("period.from".into(), from, p.pos);
        }
    }
    for (k, t) in g.tranches.iter().enumerate() {
        check(format!("tranches[{k}].date"), &t.date, t.pos);
    }
    out
}

/// `check`'s warnings for a grant that a standard format leaves out: one
/// per date field without a day, naming every file it is left out of.
pub fn warnings(
    e: &crate::model::Entity,
    g: &crate::model::Grant,
    config: &crate::config::Config,
) -> Vec<crate::diagnostics::Diagnostic> {
    let rule = config.partial_dates;
    let iati = config.standards.iati.is_some();
    let mut fields: Vec<(String, PartialDate, crate::diagnostics::Pos)> = Vec::new();
    if full(&g.awarded, rule).is_none() {
        fields.push(("awarded".into(), g.awarded, g.awarded_pos));
    }
    if iati {
        for f in iati_missing_days(g, rule) {
            if !fields.iter().any(|(name, ..)| *name == f.0) {
                fields.push(f);
            }
        }
    }
    fields
        .into_iter()
        .map(|(field, date, pos)| {
            let giving = field == "awarded";
            let (who, files) = match (giving, iati) {
                (true, true) => (
                    "360Giving and IATI need one",
                    "data/360giving.json and data/iati-activities.xml",
                ),
                (true, false) => ("360Giving needs one", "data/360giving.json"),
                _ => ("IATI needs one", "data/iati-activities.xml"),
            };
            crate::diagnostics::Diagnostic::warning(
                e.meta.file.clone(),
                format!(
                    "`{field}` is {}, with no day: {who}, so this grant is left out of {files}",
                    date.iso()
                ),
            )
            .at(Some(pos))
            .field(field)
            .expected(if giving && !iati {
                "a full date, for the 360Giving file".to_string()
            } else {
                format!("a full date, for {files}")
            })
            .hint("write the day if a source gives it; or set `open_data.partial_dates: first-day` in gazette.yaml to publish the first day of the period, with a note in the file that the day is not recorded")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_kept_and_a_month_or_year_follows_the_rule() {
        let day = PartialDate::parse("2021-11-19").unwrap();
        let month = PartialDate::parse("2020-04").unwrap();
        let year = PartialDate::parse("2020").unwrap();
        for rule in [PartialDates::LeaveOut, PartialDates::FirstDay] {
            assert_eq!(full(&day, rule), Some(Full::Day("2021-11-19".into())));
        }
        assert_eq!(full(&month, PartialDates::LeaveOut), None);
        assert_eq!(
            full(&month, PartialDates::FirstDay),
            Some(Full::FirstDay("2020-04-01".into()))
        );
        assert_eq!(
            full(&year, PartialDates::FirstDay).unwrap().iso(),
            "2020-01-01"
        );
    }
}
