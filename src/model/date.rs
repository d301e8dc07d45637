//! Partial dates: a year, a year and month, or a full date. A date is only as
//! precise as its source; it sorts by its first day and never gains a day.

use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Month names for editors' error messages ("February 2021 has 28 days");
/// readers get dates from the locale (`crate::locale`).
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    Malformed,
    Impossible(String),
}

impl PartialDate {
    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, DateError> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| DateError::Malformed)
            } else {
                Err(DateError::Malformed)
            }
        };
        let (year, month, day) = match parts.as_slice() {
            [y] => (num(y, 4)?, None, None),
            [y, m] => (num(y, 4)?, Some(num(m, 2)?), None),
            [y, m, d] => (num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?)),
            _ => return Err(DateError::Malformed),
        };
        let year = year as i32;
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError::Impossible(format!("there is no month {m:02}")));
            }
            if let Some(d) = day {
                let max = days_in_month(year, m as u8);
                if d == 0 || d > u32::from(max) {
                    return Err(DateError::Impossible(format!(
                        "{} {year} has {max} days, not {d}",
                        MONTHS[m as usize - 1]
                    )));
                }
            }
        }
        Ok(PartialDate {
            year,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }

    /// The first day the date may mean, for sorting and comparisons.
    pub fn start(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date may mean.
    pub fn end(&self) -> (i32, u8, u8) {
        let m = self.month.unwrap_or(12);
        (
            self.year,
            m,
            self.day.unwrap_or(days_in_month(self.year, m)),
        )
    }

    /// True when this date is certainly before `other` (no overlap at all).
    pub fn certainly_before(&self, other: &PartialDate) -> bool {
        self.end() < other.start()
    }

    /// ISO form as written: `2020`, `2020-04`, `2021-11-19`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// "day", "month" or "year".
    pub fn precision(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "day",
            (Some(_), None) => "month",
            _ => "year",
        }
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        // By first day, then the less precise first ("2021" before "2021-01-01").
        self.start()
            .cmp(&other.start())
            .then_with(|| self.month.is_some().cmp(&other.month.is_some()))
            .then_with(|| self.day.is_some().cmp(&other.day.is_some()))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_partial_dates() {
        let d = PartialDate::parse("2020-04").unwrap();
        assert_eq!((d.year, d.month, d.day), (2020, Some(4), None));
        assert_eq!(d.precision(), "month");
        assert_eq!(
            PartialDate::parse("2021-11-19").unwrap().iso(),
            "2021-11-19"
        );
        assert_eq!(PartialDate::parse("2020").unwrap().iso(), "2020");
    }

    #[test]
    fn rejects_impossible_and_malformed() {
        assert!(matches!(
            PartialDate::parse("2021-02-29"),
            Err(DateError::Impossible(_))
        ));
        assert!(PartialDate::parse("2020-02-29").is_ok());
        assert!(matches!(
            PartialDate::parse("2021-13"),
            Err(DateError::Impossible(_))
        ));
        assert_eq!(PartialDate::parse("19/11/2021"), Err(DateError::Malformed));
        assert_eq!(PartialDate::parse("2021-1-5"), Err(DateError::Malformed));
    }

    #[test]
    fn sorts_by_start_and_compares_safely() {
        let y = PartialDate::parse("2021").unwrap();
        let d = PartialDate::parse("2021-11-19").unwrap();
        let a = PartialDate::parse("2020-04").unwrap();
        let mut v = vec![d, y, a];
        v.sort();
        assert_eq!(v, vec![a, y, d]);
        assert!(!d.certainly_before(&y));
        assert!(!y.certainly_before(&d));
        assert!(a.certainly_before(&d));
    }
}
