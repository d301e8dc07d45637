//! Numbers and plural categories: CLDR grouping, digits and decimal mark
//! through ICU4X's `DecimalFormatter`, on exact decimals built from integers
//! or digit strings (never a float), and CLDR cardinal plural rules.

use crate::model::Money;
use fixed_decimal::Decimal;
use icu_decimal::DecimalFormatter;
use icu_plurals::{PluralCategory, PluralRules};

/// A CLDR plural category; `as_str` is the key themes use for the forms of
/// a counted word ("one": "{n} pledge", "other": "{n} pledges").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Plural {
    /// The CLDR keyword: `zero`, `one`, `two`, `few`, `many` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Plural::Zero => "zero",
            Plural::One => "one",
            Plural::Two => "two",
            Plural::Few => "few",
            Plural::Many => "many",
            Plural::Other => "other",
        }
    }
}

#[derive(Debug)]
pub(super) struct Numbers {
    decimal: Option<DecimalFormatter>,
    plurals: Option<PluralRules>,
}

impl Numbers {
    pub(super) fn new(locale: &icu_locale::Locale) -> Numbers {
        Numbers {
            decimal: DecimalFormatter::try_new(locale.into(), Default::default()).ok(),
            plurals: PluralRules::try_new_cardinal(locale.into()).ok(),
        }
    }

    /// Format an exact decimal; without data (ruled out by compiled data)
    /// the plain digits, which are still exact.
    pub(super) fn format(&self, d: &Decimal) -> String {
        match &self.decimal {
            Some(f) => f.format(d).to_string(),
            None => d.to_string(),
        }
    }

    pub(super) fn integer(&self, n: i128) -> String {
        self.format(&Decimal::from(n))
    }

    pub(super) fn decimal(&self, text: &str) -> Option<String> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let plain = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.bytes().filter(|&b| b == b'.').count() <= 1
            && !digits.starts_with('.')
            && !digits.ends_with('.');
        if !plain {
            return None;
        }
        Decimal::try_from_str(text).ok().map(|d| self.format(&d))
    }

    pub(super) fn amount(&self, money: &Money) -> String {
        self.format(&exact(money))
    }

    pub(super) fn plural(&self, n: u64) -> Plural {
        let Some(rules) = &self.plurals else {
            return Plural::Other;
        };
        match rules.category_for(n) {
            PluralCategory::Zero => Plural::Zero,
            PluralCategory::One => Plural::One,
            PluralCategory::Two => Plural::Two,
            PluralCategory::Few => Plural::Few,
            PluralCategory::Many => Plural::Many,
            PluralCategory::Other => Plural::Other,
        }
    }
}

/// The amount as an exact decimal from its integer minor units: whole units
/// when the minor part is zero (`5500000`), otherwise every minor digit of
/// the currency (`12.50`, `1500.250` for a three-digit currency). A digit
/// shift, not a division: 30-digit amounts stay exact.
pub(super) fn exact(money: &Money) -> Decimal {
    let exponent = money.currency.exponent();
    let unit = 10i128.pow(exponent);
    if money.minor % unit == 0 {
        Decimal::from(money.minor / unit)
    } else {
        let mut d = Decimal::from(money.minor);
        // `exponent` is at most 4 in ISO 4217.
        d.absolute.multiply_pow10(-(exponent as i16));
        d
    }
}

#[cfg(test)]
mod tests {
    use crate::locale::{Locale, Plural};
    use crate::model::{Currency, Money};

    fn money(text: &str, code: &str) -> Money {
        Money::parse(text, Currency::parse(code).unwrap()).unwrap()
    }

    #[test]
    fn integers_are_grouped_per_locale() {
        assert_eq!(Locale::new("en").number(5_500_000), "5,500,000");
        assert_eq!(Locale::new("mn").number(5_500_000), "5,500,000");
        assert_eq!(Locale::new("ar").number(5_500_000), "5,500,000");
        // Arabic-Indic digits and the Arabic thousands separator in ar-EG.
        assert_eq!(Locale::new("ar-EG").number(5_500_000), "٥٬٥٠٠٬٠٠٠");
        // A locale whose separator is not a comma: French groups with a
        // narrow no-break space and writes a decimal comma.
        assert_eq!(Locale::new("fr").number(-1234), "-1\u{202f}234");
        assert_eq!(
            Locale::new("fr").decimal("1234.50").as_deref(),
            Some("1\u{202f}234,50")
        );
    }

    #[test]
    fn decimals_keep_every_digit_of_the_text() {
        let en = Locale::new("en");
        assert_eq!(en.decimal("1234.50").as_deref(), Some("1,234.50"));
        assert_eq!(en.decimal("-0.001").as_deref(), Some("-0.001"));
        // 25 significant digits: an f64 would give 1234567890123456800000000.
        assert_eq!(
            en.decimal("1234567890123456789012345").as_deref(),
            Some("1,234,567,890,123,456,789,012,345")
        );
        for bad in ["", "1e5", "1,000", "NaN", "1.", ".5", "1.2.3", "+1", " 1"] {
            assert_eq!(en.decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn amounts_show_minor_units_only_when_not_zero() {
        let en = Locale::new("en");
        assert_eq!(en.amount(&money("5500000.00", "USD")), "5,500,000");
        assert_eq!(en.amount(&money("12.5", "USD")), "12.50");
        assert_eq!(en.amount(&money("1500", "JPY")), "1,500");
        // ISO gives the Iraqi dinar three minor digits (CLDR shows none):
        // an amount that has them keeps them all.
        assert_eq!(en.amount(&money("1500.25", "IQD")), "1,500.250");
        assert_eq!(Locale::new("ar-EG").amount(&money("12.5", "USD")), "١٢٫٥٠");
    }

    #[test]
    fn plural_categories_follow_cldr_rules() {
        let en = Locale::new("en");
        assert_eq!(en.plural(1), Plural::One);
        assert_eq!(en.plural(0), Plural::Other);
        assert_eq!(en.plural(2), Plural::Other);
        let ar = Locale::new("ar");
        let arabic: Vec<&str> = [0, 1, 2, 3, 10, 11, 99, 100, 102]
            .iter()
            .map(|&n| ar.plural(n).as_str())
            .collect();
        assert_eq!(
            arabic,
            ["zero", "one", "two", "few", "few", "many", "many", "other", "other"]
        );
        // Mongolian: "one" for 1, "other" for everything else.
        let mn = Locale::new("mn");
        assert_eq!(mn.plural(1), Plural::One);
        assert_eq!(mn.plural(0), Plural::Other);
        assert_eq!(mn.plural(4), Plural::Other);
        assert_eq!(mn.plural(21), Plural::Other);
    }
}
