//! Partial dates in a locale's CLDR long forms: one formatter per precision
//! (year-month-day, year-month, year), Gregorian calendar whatever the
//! locale's default calendar, because records are dated in it.

use crate::model::PartialDate;
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{Y, YM, YMD};
use icu_datetime::FixedCalendarDateTimeFormatter;

/// The three formatters. `None` only if CLDR root data itself could not be
/// loaded, which compiled data rules out; the ISO form is the safe answer.
#[derive(Debug)]
pub(super) struct Dates {
    day: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    month: Option<FixedCalendarDateTimeFormatter<Gregorian, YM>>,
    year: Option<FixedCalendarDateTimeFormatter<Gregorian, Y>>,
}

impl Dates {
    pub(super) fn new(locale: &icu_locale::Locale) -> Dates {
        Dates {
            day: FixedCalendarDateTimeFormatter::try_new(locale.into(), YMD::long()).ok(),
            month: FixedCalendarDateTimeFormatter::try_new(locale.into(), YM::long()).ok(),
            year: FixedCalendarDateTimeFormatter::try_new(locale.into(), Y::long()).ok(),
        }
    }

    /// Each precision goes to the formatter whose fields are exactly the
    /// known ones. The year and month formatters are handed a date on the
    /// 1st because ICU4X's input is a whole date, but they have no day (or
    /// month) field, so nothing is shown that the record does not say.
    pub(super) fn format(&self, d: &PartialDate) -> String {
        let formatted = match (d.month, d.day) {
            (Some(m), Some(day)) => Date::try_new_gregorian(d.year, m, day)
                .ok()
                .and_then(|date| Some(self.day.as_ref()?.format(&date).to_string())),
            (Some(m), None) => Date::try_new_gregorian(d.year, m, 1)
                .ok()
                .and_then(|date| Some(self.month.as_ref()?.format(&date).to_string())),
            _ => Date::try_new_gregorian(d.year, 1, 1)
                .ok()
                .and_then(|date| Some(self.year.as_ref()?.format(&date).to_string())),
        };
        formatted.unwrap_or_else(|| d.iso())
    }
}

#[cfg(test)]
mod tests {
    use crate::locale::Locale;
    use crate::model::PartialDate;

    fn date(locale: &Locale, iso: &str) -> String {
        locale.date(&PartialDate::parse(iso).unwrap())
    }

    #[test]
    fn english_is_us_order_and_british_english_is_day_first() {
        let en = Locale::new("en");
        assert_eq!(date(&en, "2021-11-19"), "November 19, 2021");
        assert_eq!(date(&en, "2020-04"), "April 2020");
        assert_eq!(date(&en, "2020"), "2020");
        let gb = Locale::new("en-GB");
        assert_eq!(date(&gb, "2021-11-19"), "19 November 2021");
        assert_eq!(date(&gb, "2020-04"), "April 2020");
    }

    #[test]
    fn mongolian_writes_year_first_with_genitive_month_names() {
        // CLDR mn: "y 'оны' MMMM'ын' d" with a narrow no-break space (U+202F)
        // after the year; the year alone is just the number.
        let mn = Locale::new("mn");
        assert_eq!(
            date(&mn, "2021-11-19"),
            "2021\u{202f}оны арван нэгдүгээр сарын 19"
        );
        assert_eq!(date(&mn, "2020-04"), "2020\u{202f}оны дөрөвдүгээр сар");
        assert_eq!(date(&mn, "2020"), "2020");
    }

    #[test]
    fn arabic_uses_arabic_month_names_and_latin_digits() {
        // CLDR `ar` (no region) has Latin digits by default; `ar-EG` has
        // Arabic-Indic ones.
        let ar = Locale::new("ar");
        assert_eq!(date(&ar, "2021-11-19"), "19 نوفمبر 2021");
        assert_eq!(date(&ar, "2020-04"), "أبريل 2020");
        assert_eq!(date(&ar, "2020"), "2020");
        let eg = Locale::new("ar-EG");
        assert_eq!(date(&eg, "2021-11-19"), "١٩ نوفمبر ٢٠٢١");
    }

    #[test]
    fn a_partial_date_never_gains_a_day_or_month() {
        for tag in ["en", "en-GB", "mn", "ar"] {
            let l = Locale::new(tag);
            let month = date(&l, "2020-04");
            let year = date(&l, "2020");
            // The formatters get the 1st of the month / January 1st as input.
            assert!(!month.contains('1'), "{tag}: {month}");
            assert_eq!(year, "2020", "{tag}");
        }
    }

    #[test]
    fn an_impossible_date_built_by_hand_falls_back_to_iso() {
        let en = Locale::new("en");
        let d = PartialDate {
            year: 2021,
            month: Some(2),
            day: Some(30),
        };
        assert_eq!(en.date(&d), "2021-02-30");
    }
}
