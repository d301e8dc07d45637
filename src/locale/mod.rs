//! Locale-correct formatting from Unicode CLDR data through ICU4X (compiled
//! data, no files at run time): dates, numbers, money, plural categories,
//! country names and text direction for one BCP 47 language tag.
//!
//! A [`Locale`] is built once per language (formatter construction loads
//! data and is the expensive part) and then shared: it is `Send + Sync`, and
//! every formatting call takes `&self` and only reads. No month name, number
//! pattern or currency symbol is written in Rust; they all come from CLDR.
//! See "Locale data: ICU4X" in `docs/decisions.md` for what each language
//! gives and why the crates were chosen.

mod dates;
mod money;
mod names;
mod numbers;

pub use numbers::Plural;

use crate::model::{Money, PartialDate};
use icu_datetime::provider::names::DatetimeNamesMonthGregorianV1;
use icu_datetime::provider::semantic_skeletons::marker_attrs;
use icu_locale::{LanguageIdentifier, LocaleDirectionality};
use icu_provider::prelude::*;
use std::fmt;

/// One language's formatters, ready to use from any thread.
#[derive(Debug)]
pub struct Locale {
    tag: String,
    locale: icu_locale::Locale,
    dates: dates::Dates,
    numbers: numbers::Numbers,
    money: money::MoneyFormat,
    direction: Direction,
    fallback: Option<Fallback>,
}

/// Which way the language's script runs, for `dir="ltr"` / `dir="rtl"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// The value of an HTML `dir` attribute: `ltr` or `rtl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// Why a locale formats with other data than its tag asked for. The caller
/// should warn: the site still builds, in the fallback's conventions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fallback {
    /// The tag is not a BCP 47 language tag; CLDR root data is used.
    InvalidTag { tag: String, error: String },
    /// CLDR (as compiled into ICU4X) has no data for the tag's language;
    /// data comes from `used` (`und` is the CLDR root: ISO-like dates such
    /// as "2021 M11 19", ASCII digits, ISO currency codes).
    NoData { tag: String, used: String },
}

impl fmt::Display for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fallback::InvalidTag { tag, error } => write!(
                f,
                "`{tag}` is not a BCP 47 language tag ({error}); dates, numbers and money use CLDR root formats"
            ),
            Fallback::NoData { tag, used } if used == "und" => write!(
                f,
                "CLDR has no data for `{tag}`; dates, numbers and money use CLDR root formats"
            ),
            Fallback::NoData { tag, used } => write!(
                f,
                "CLDR has no data for `{tag}`; dates, numbers and money use `{used}`"
            ),
        }
    }
}

impl Locale {
    /// Build every formatter for `tag` (`en`, `mn`, `ar`, `en-GB`, ...).
    /// Never fails: an invalid tag or a language without CLDR data falls
    /// back (to the CLDR root, or a parent locale) and [`Locale::fallback`]
    /// says so.
    pub fn new(tag: &str) -> Locale {
        let (locale, invalid) = match icu_locale::Locale::try_from_str(tag) {
            Ok(l) => (l, None),
            Err(e) => (
                icu_locale::Locale::UNKNOWN,
                Some(Fallback::InvalidTag {
                    tag: tag.to_string(),
                    error: e.to_string(),
                }),
            ),
        };
        let fallback = invalid.or_else(|| language_fallback(tag, &locale));
        let numbers = numbers::Numbers::new(&locale);
        let money = money::MoneyFormat::new(&locale);
        Locale {
            tag: tag.to_string(),
            dates: dates::Dates::new(&locale),
            direction: direction(&locale.id),
            numbers,
            money,
            locale,
            fallback,
        }
    }

    /// The tag as given to [`Locale::new`].
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Set when the tag was invalid or its language has no CLDR data.
    pub fn fallback(&self) -> Option<&Fallback> {
        self.fallback.as_ref()
    }

    /// A date as precise as it is: a full date, a month and year, or a year
    /// alone (CLDR long forms: en "November 19, 2021", "April 2020", "2020").
    /// A year-only or month-only date never gains a month or day.
    pub fn date(&self, date: &PartialDate) -> String {
        self.dates.format(date)
    }

    /// An integer, grouped per locale: en "5,500,000".
    pub fn number(&self, n: i128) -> String {
        self.numbers.integer(n)
    }

    /// An exact decimal written as ASCII digits with an optional `-` and
    /// `.` (`"1234.50"`), grouped per locale with every digit kept: en
    /// "1,234.50". `None` if the text is not such a number.
    pub fn decimal(&self, text: &str) -> Option<String> {
        self.numbers.decimal(text)
    }

    /// An amount without its currency, minor units shown only when not
    /// zero: en "5,500,000", "12.50".
    pub fn amount(&self, money: &Money) -> String {
        self.numbers.amount(money)
    }

    /// An amount with its currency per CLDR's pattern and symbol for this
    /// locale, minor units shown only when not zero: en "$5,500,000",
    /// "$12.50", "MNT 1,500"; mn "₮ 5,500,000".
    pub fn money(&self, money: &Money) -> String {
        self.money.format(money, &self.numbers)
    }

    /// [`Locale::amount`] and [`Locale::money`] of the same amount, its
    /// number formatted once.
    pub fn amount_and_money(&self, money: &Money) -> (String, String) {
        let amount = numbers::exact(money);
        let grouped = self.numbers.format(&amount);
        let display = self.money.format_number(money, &amount, &grouped);
        (grouped, display)
    }

    /// CLDR cardinal plural category of `n`, to pick "{n} pledge" or
    /// "{n} pledges" from the theme's strings.
    pub fn plural(&self, n: u64) -> Plural {
        self.numbers.plural(n)
    }

    /// The name of a country (ISO 3166-1 alpha-2, e.g. `MN`) in this
    /// language, or `None` if CLDR has none for it.
    pub fn country(&self, code: &str) -> Option<String> {
        names::country(&self.locale, code)
    }

    /// Which way this language is written.
    pub fn direction(&self) -> Direction {
        self.direction
    }
}

/// The script direction CLDR's likely subtags give the locale; left to
/// right when unknown (e.g. the root locale).
fn direction(id: &LanguageIdentifier) -> Direction {
    match LocaleDirectionality::new_common().get(id) {
        Some(icu_locale::Direction::RightToLeft) => Direction::Rtl,
        _ => Direction::Ltr,
    }
}

/// Ask the month-name data (the most language-specific data the formatters
/// use) which locale it resolves `locale` to. Falling back within the
/// language (`en-US` to `en`, `fr-XX` to `fr`) is normal and silent; falling
/// back to another language or the root is reported.
fn language_fallback(tag: &str, locale: &icu_locale::Locale) -> Option<Fallback> {
    let data_locale = DatetimeNamesMonthGregorianV1::make_locale(locale.into());
    let mut metadata = DataRequestMetadata::default();
    metadata.silent = true;
    let request = DataRequest {
        id: DataIdentifierBorrowed::for_marker_attributes_and_locale(
            marker_attrs::WIDE,
            &data_locale,
        ),
        metadata,
    };
    let response: Result<DataResponse<DatetimeNamesMonthGregorianV1>, _> =
        icu_datetime::provider::Baked.load(request);
    // An exact match has no resolved locale in the metadata.
    let used = match response {
        Ok(r) => r.metadata.locale?,
        Err(_) => DataLocale::default(),
    };
    if used.language == data_locale.language && !used.language.is_unknown() {
        return None;
    }
    Some(Fallback::NoData {
        tag: tag.to_string(),
        used: used.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn a_locale_can_be_shared_between_threads() {
        assert_send_sync::<Locale>();
    }

    #[test]
    fn one_locale_formats_from_many_threads() {
        let mn = Locale::new("mn");
        let d = PartialDate::parse("2020-04").unwrap();
        let m = Money::parse("5500000", crate::model::Currency::parse("MNT").unwrap()).unwrap();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| (mn.date(&d), mn.money(&m))))
                .collect();
            for h in handles {
                let (date, money) = h.join().unwrap();
                assert_eq!(date, "2020\u{202f}оны дөрөвдүгээр сар");
                assert_eq!(money, "₮\u{a0}5,500,000");
            }
        });
    }

    #[test]
    fn supported_languages_do_not_report_a_fallback() {
        for tag in ["en", "en-US", "en-GB", "mn", "ar", "ar-EG", "fr-XX"] {
            assert_eq!(Locale::new(tag).fallback(), None, "{tag}");
        }
    }

    #[test]
    fn a_language_without_data_falls_back_to_root_and_says_so() {
        let l = Locale::new("xx");
        assert_eq!(
            l.fallback(),
            Some(&Fallback::NoData {
                tag: "xx".into(),
                used: "und".into()
            })
        );
        let d = PartialDate::parse("2021-11-19").unwrap();
        assert_eq!(l.date(&d), "2021 M11 19");
        // Mongolian in the Mongolian script has no CLDR data (only Cyrillic).
        assert!(matches!(
            Locale::new("mn-Mong").fallback(),
            Some(Fallback::NoData { .. })
        ));
    }

    #[test]
    fn an_invalid_tag_does_not_panic_and_says_so() {
        let l = Locale::new("not a tag!");
        let Some(Fallback::InvalidTag { tag, .. }) = l.fallback() else {
            panic!("expected an invalid-tag fallback, got {:?}", l.fallback());
        };
        assert_eq!(tag, "not a tag!");
        assert_eq!(l.number(5_500_000), "5,500,000");
        assert!(l.fallback().unwrap().to_string().contains("not a BCP 47"));
    }

    #[test]
    fn direction_comes_from_the_script() {
        assert_eq!(Locale::new("en").direction(), Direction::Ltr);
        assert_eq!(Locale::new("mn").direction(), Direction::Ltr);
        assert_eq!(Locale::new("ar").direction(), Direction::Rtl);
        assert_eq!(Locale::new("ar").direction().as_str(), "rtl");
        // Hebrew and Persian too: the answer is CLDR's, not a list of ours.
        assert_eq!(Locale::new("he").direction(), Direction::Rtl);
        assert_eq!(Locale::new("fa").direction(), Direction::Rtl);
        assert_eq!(Locale::new("xx").direction(), Direction::Ltr);
    }
}
