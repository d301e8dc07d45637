//! Money with its currency: CLDR's currency pattern and symbol for the
//! locale (ICU4X `icu_experimental` data), filled with the amount as formatted
//! by the locale's `DecimalFormatter` from the exact minor units.
//!
//! This is the path ICU4X's `CurrencyFormatter` takes for short symbols (the
//! same data, the same pattern choice for symbols that touch the number),
//! with one difference kept on purpose: the number is never rounded or padded
//! to CLDR's currency digits. `CurrencyFormatter` would write "$5,500,000.00"
//! and round an Iraqi dinar amount with fils (three ISO 4217 minor digits;
//! CLDR shows none) to whole dinars; here every recorded digit is shown and
//! minor units only when not zero. See `docs/decisions.md`.

use super::numbers::{exact, Numbers};
use crate::model::Money;
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::provider::currency::essentials::CurrencyEssentialsV1;
use icu_experimental::dimension::provider::currency::symbols::CurrencySymbolsV1;
use icu_experimental::provider::Baked;
use icu_provider::prelude::*;

#[derive(Debug)]
pub(super) struct MoneyFormat {
    /// The locale as currency data is keyed.
    locale: DataLocale,
    /// The locale's currency patterns; `None` only without root data.
    essentials: Option<DataPayload<CurrencyEssentialsV1>>,
}

impl MoneyFormat {
    pub(super) fn new(locale: &icu_locale::Locale) -> MoneyFormat {
        let locale = CurrencyEssentialsV1::make_locale(locale.into());
        let essentials = Baked
            .load(DataRequest {
                id: DataIdentifierBorrowed::for_locale(&locale),
                ..Default::default()
            })
            .ok()
            .map(|r: DataResponse<CurrencyEssentialsV1>| r.payload);
        MoneyFormat { locale, essentials }
    }

    pub(super) fn format(&self, money: &Money, numbers: &Numbers) -> String {
        let amount = exact(money);
        let number = numbers.format(&amount);
        self.format_number(money, &amount, &number)
    }

    /// [`MoneyFormat::format`] with the amount already formatted as
    /// `number` (the locale's grouping of `amount`, `exact(money)`).
    pub(super) fn format_number(
        &self,
        money: &Money,
        amount: &fixed_decimal::Decimal,
        number: &str,
    ) -> String {
        let code = money.currency.code();
        let Some(essentials) = &self.essentials else {
            return format!("{number} {code}");
        };
        let symbol = self.symbol(code);
        // No symbol in CLDR for this currency and locale: the ISO code, as
        // CurrencyFormatter does (CLDR puts a no-break space beside letters).
        let (text, starts, ends) = match &symbol {
            Some(s) if !s.get().as_str().is_empty() => {
                let s = s.get();
                (s.as_str(), s.starts_with_letter(), s.ends_with_letter())
            }
            _ => (code, true, true),
        };
        let essentials = essentials.get();
        let pattern = if amount.sign == fixed_decimal::Sign::Negative {
            // Gazette's amounts are never negative (`Money::parse` refuses
            // them); an explicit CLDR negative pattern is used if one exists,
            // otherwise the number carries its own sign.
            essentials
                .get_negative(starts, ends)
                .unwrap_or_else(|| essentials.get_positive(starts, ends))
        } else {
            essentials.get_positive(starts, ends)
        };
        let formatted = pattern.interpolate((number, text)).to_string();
        formatted
    }

    /// CLDR's short symbol for the currency in this locale (`$`, `US$`,
    /// `₮`), if it has one.
    fn symbol(&self, code: &str) -> Option<DataPayload<CurrencySymbolsV1>> {
        let currency = CurrencyType::try_from_str(code).ok()?;
        let mut buffer = Default::default();
        let attributes =
            CurrencySymbolsV1::make_attributes(currency, CurrencySymbolsV1::SHORT, &mut buffer);
        let mut metadata = DataRequestMetadata::default();
        metadata.silent = true;
        let response: DataResponse<CurrencySymbolsV1> = Baked
            .load(DataRequest {
                id: DataIdentifierBorrowed::for_marker_attributes_and_locale(
                    attributes,
                    &self.locale,
                ),
                metadata,
            })
            .ok()?;
        Some(response.payload)
    }
}

#[cfg(test)]
mod tests {
    use crate::locale::Locale;
    use crate::model::{Currency, Money};

    fn money(text: &str, code: &str) -> Money {
        Money::parse(text, Currency::parse(code).unwrap()).unwrap()
    }

    #[test]
    fn english_money() {
        let en = Locale::new("en");
        assert_eq!(en.money(&money("5500000", "USD")), "$5,500,000");
        assert_eq!(en.money(&money("12.5", "USD")), "$12.50");
        assert_eq!(en.money(&money("5500000", "EUR")), "€5,500,000");
        assert_eq!(en.money(&money("1500", "JPY")), "¥1,500");
        // No English symbol for the tögrög: the ISO code and a no-break space.
        assert_eq!(en.money(&money("5500000", "MNT")), "MNT\u{a0}5,500,000");
        assert_eq!(en.money(&money("12.5", "MNT")), "MNT\u{a0}12.50");
        // British English marks the US dollar and the yen.
        let gb = Locale::new("en-GB");
        assert_eq!(gb.money(&money("5500000", "USD")), "US$5,500,000");
        assert_eq!(gb.money(&money("1500", "JPY")), "JP¥1,500");
    }

    #[test]
    fn mongolian_money() {
        // CLDR mn: "¤ #,##0.00" (symbol, no-break space, number); `$` for the
        // US dollar and `₮` for the tögrög.
        let mn = Locale::new("mn");
        assert_eq!(mn.money(&money("5500000", "USD")), "$\u{a0}5,500,000");
        assert_eq!(mn.money(&money("5500000", "MNT")), "₮\u{a0}5,500,000");
        assert_eq!(mn.money(&money("12.5", "MNT")), "₮\u{a0}12.50");
        assert_eq!(mn.money(&money("5500000", "EUR")), "€\u{a0}5,500,000");
        assert_eq!(mn.money(&money("1500", "JPY")), "JP¥\u{a0}1,500");
    }

    #[test]
    fn arabic_money_starts_with_a_right_to_left_mark() {
        // CLDR ar: "\u{200f}#,##0.00 ¤": RLM, number, no-break space, symbol.
        let ar = Locale::new("ar");
        assert_eq!(
            ar.money(&money("5500000", "USD")),
            "\u{200f}5,500,000\u{a0}US$"
        );
        assert_eq!(ar.money(&money("12.5", "USD")), "\u{200f}12.50\u{a0}US$");
        assert_eq!(
            ar.money(&money("5500000", "MNT")),
            "\u{200f}5,500,000\u{a0}MNT"
        );
        assert_eq!(
            ar.money(&money("5500000", "EUR")),
            "\u{200f}5,500,000\u{a0}€"
        );
        assert_eq!(ar.money(&money("1500", "JPY")), "\u{200f}1,500\u{a0}JP¥");
        assert_eq!(
            Locale::new("ar-EG").money(&money("12.5", "USD")),
            "\u{200f}١٢٫٥٠\u{a0}US$"
        );
    }

    #[test]
    fn a_25_digit_amount_is_exact() {
        // 23 whole digits and 2 minor: through an f64 the last digits would
        // come out as ...456,800,000 or so.
        let m = money("12345678901234567890123.45", "USD");
        assert_eq!(
            Locale::new("en").money(&m),
            "$12,345,678,901,234,567,890,123.45"
        );
        let whole = money("1234567890123456789012345", "MNT");
        assert_eq!(
            Locale::new("mn").money(&whole),
            "₮\u{a0}1,234,567,890,123,456,789,012,345"
        );
    }

    #[test]
    fn minor_digits_beyond_cldr_currency_digits_are_kept() {
        // CLDR rounds the Iraqi dinar to whole units; the record says fils.
        let en = Locale::new("en");
        assert_eq!(en.money(&money("1500.25", "IQD")), "IQD\u{a0}1,500.250");
        assert_eq!(en.money(&money("1500", "IQD")), "IQD\u{a0}1,500");
        // Likewise the forint, rupiah and Colombian peso (CLDR: no minor
        // digits; ISO 4217: two).
        assert_eq!(en.money(&money("1500.25", "HUF")), "HUF\u{a0}1,500.25");
    }

    #[test]
    fn same_output_as_icu4x_currency_formatter_when_it_neither_pads_nor_rounds() {
        use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
        use icu_experimental::dimension::currency::CurrencyType;
        for tag in [
            "en", "en-GB", "mn", "ar", "ar-EG", "fr", "de-CH", "ja", "hi",
        ] {
            let l = Locale::new(tag);
            let icu = icu_locale::Locale::try_from_str(tag).unwrap();
            for (amount, code) in [
                ("1234567.89", "USD"),
                ("0.05", "EUR"),
                ("12.50", "MNT"),
                ("1500", "JPY"),
                ("99.99", "GBP"),
                ("1000.5", "CHF"),
            ] {
                let currency = CurrencyType::try_from_str(code).unwrap();
                let f =
                    CurrencyFormatter::try_new_symbol((&icu).into(), currency, Default::default())
                        .unwrap();
                let m = money(amount, code);
                let d = fixed_decimal::Decimal::try_from_str(&m.decimal()).unwrap();
                assert_eq!(
                    l.money(&m),
                    f.format_fixed_decimal(&d).to_string(),
                    "{tag} {amount} {code}"
                );
            }
        }
    }
}
