//! Exact money: an integer count of a currency's minor units (cents), never a
//! float. Sums exist per currency only; [`Totals`] keeps one sum per currency.

use std::collections::BTreeMap;

/// An ISO 4217 currency, validated against the official list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(iso_currency::Currency);

/// Why a currency code was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurrencyError {
    /// Not an ISO 4217 code.
    Unknown,
    /// An ISO 4217 code for something a grant is not paid in: "no
    /// currency" (`XXX`), testing (`XTS`), precious metals (`XAU`, `XAG`,
    /// `XPT`, `XPD`), units of account (`XDR`, `XUA`, `XSU`, `XAD`, `XBA`–`XBD`).
    /// The standard's name for it.
    NotMoney(String),
}

/// The ISO 4217 codes that are not money: the ones the standard lists
/// without a country or minor units ("special" in iso_currency).
fn is_money(c: iso_currency::Currency) -> bool {
    !c.is_special()
}

impl Currency {
    pub fn parse(code: &str) -> Result<Currency, CurrencyError> {
        let c = iso_currency::Currency::from_code(code).ok_or(CurrencyError::Unknown)?;
        if is_money(c) {
            Ok(Currency(c))
        } else {
            Err(CurrencyError::NotMoney(c.name().to_string()))
        }
    }

    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// Number of digits after the decimal point (2 for USD, 0 for JPY).
    pub fn exponent(&self) -> u32 {
        self.0.exponent().map(u32::from).unwrap_or(0)
    }

    pub fn symbol(&self) -> String {
        self.0.symbol().to_string()
    }

    /// Every code [`Currency::parse`] accepts, for "did you mean" hints.
    pub fn all_codes() -> Vec<&'static str> {
        const CODES: &str = include_str!("currency_codes.txt");
        CODES
            .split_whitespace()
            .filter(|c| iso_currency::Currency::from_code(c).is_some_and(is_money))
            .collect()
    }
}

/// An exact amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i128,
    pub currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    Malformed,
    Negative,
    TooPrecise(u32),
    TooLarge,
}

impl Money {
    /// Parse a decimal amount as written (`5000000`, `500000.00`, `5,000,000`).
    /// Thousands separators are commas; the decimal mark is a point.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, AmountError> {
        let t = text.trim();
        if t.starts_with('-') {
            return Err(AmountError::Negative);
        }
        let t = t.strip_prefix('+').unwrap_or(t);
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        let int_digits: String = if int.contains(',') {
            // Commas must group by thousands: 5,000,000.
            let groups: Vec<&str> = int.split(',').collect();
            let ok = !groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3);
            if !ok {
                return Err(AmountError::Malformed);
            }
            groups.concat()
        } else {
            int.to_string()
        };
        if int_digits.is_empty()
            || !int_digits.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (t.contains('.') && frac.is_empty())
        {
            return Err(AmountError::Malformed);
        }
        let exp = currency.exponent();
        let frac = frac.trim_end_matches('0');
        if frac.len() as u32 > exp {
            return Err(AmountError::TooPrecise(exp));
        }
        let scaled = format!("{int_digits}{frac:0<width$}", width = exp as usize);
        if scaled.len() > 30 {
            return Err(AmountError::TooLarge);
        }
        let minor = scaled.parse::<i128>().map_err(|_| AmountError::TooLarge)?;
        Ok(Money { minor, currency })
    }

    /// Plain decimal with all minor digits: `5500000.00`.
    pub fn decimal(&self) -> String {
        let exp = self.currency.exponent() as usize;
        let digits = format!("{:0>width$}", self.minor, width = exp + 1);
        if exp == 0 {
            digits
        } else {
            let (i, f) = digits.split_at(digits.len() - exp);
            format!("{i}.{f}")
        }
    }

    /// The exact decimal and the code (`5500000.00 USD`), for tests.
    #[cfg(test)]
    pub(crate) fn exact(&self) -> String {
        format!("{} {}", self.decimal(), self.currency.code())
    }

    /// Add two amounts of the same currency; `None` otherwise or on overflow.
    pub fn checked_add(&self, other: &Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        Some(Money {
            minor: self.minor.checked_add(other.minor)?,
            currency: self.currency,
        })
    }
}

/// Sums kept per currency; two currencies are never added together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals(BTreeMap<&'static str, (Currency, i128)>);

impl Totals {
    pub fn add(&mut self, m: &Money) {
        let e = self.0.entry(m.currency.code()).or_insert((m.currency, 0));
        e.1 = e.1.saturating_add(m.minor);
    }

    pub fn get(&self, c: Currency) -> Option<Money> {
        self.0
            .get(c.code())
            .map(|&(currency, minor)| Money { minor, currency })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One amount per currency, ordered by currency code.
    pub fn amounts(&self) -> Vec<Money> {
        self.0
            .values()
            .map(|&(currency, minor)| Money { minor, currency })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn the_reference_case_sums_exactly() {
        let a = Money::parse("5000000", usd()).unwrap();
        let b = Money::parse("500,000.00", usd()).unwrap();
        let sum = a.checked_add(&b).unwrap();
        assert_eq!(sum.minor, 550_000_000);
        assert_eq!(sum.exact(), "5500000.00 USD");
        assert_eq!(sum.decimal(), "5500000.00");
    }

    #[test]
    fn rejects_bad_amounts() {
        assert_eq!(Money::parse("-5", usd()), Err(AmountError::Negative));
        assert_eq!(Money::parse("5,00", usd()), Err(AmountError::Malformed));
        assert_eq!(Money::parse("five", usd()), Err(AmountError::Malformed));
        assert_eq!(
            Money::parse("1.234", usd()),
            Err(AmountError::TooPrecise(2))
        );
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Money::parse("1.5", jpy), Err(AmountError::TooPrecise(0)));
        assert_eq!(Money::parse("1500", jpy).unwrap().exact(), "1500 JPY");
    }

    #[test]
    fn codes_for_what_is_not_money_are_refused() {
        let refused = [
            "XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XUA", "XSU", "XAD", "XBA", "XBB",
            "XBC", "XBD",
        ];
        for code in refused {
            assert!(
                matches!(Currency::parse(code), Err(CurrencyError::NotMoney(_))),
                "{code}"
            );
            assert!(!Currency::all_codes().contains(&code), "{code}");
        }
        assert_eq!(
            Currency::parse("XXX"),
            Err(CurrencyError::NotMoney("No currency".into()))
        );
        // Real currencies whose codes start with X, funds and superseded
        // currencies are money.
        for code in ["XAF", "XOF", "XCD", "XPF", "XCG", "CLF", "USN", "HRK"] {
            assert!(Currency::parse(code).is_ok(), "{code}");
            assert!(Currency::all_codes().contains(&code), "{code}");
        }
    }

    #[test]
    fn never_adds_two_currencies() {
        let eur = Currency::parse("EUR").unwrap();
        let a = Money::parse("1", usd()).unwrap();
        let b = Money::parse("1", eur).unwrap();
        assert_eq!(a.checked_add(&b), None);
        let mut t = Totals::default();
        t.add(&a);
        t.add(&b);
        t.add(&a);
        let amounts: Vec<String> = t.amounts().iter().map(Money::exact).collect();
        assert_eq!(amounts, vec!["1.00 EUR", "2.00 USD"]);
        assert_eq!(Currency::parse("USX"), Err(CurrencyError::Unknown));
        assert!(Currency::all_codes().contains(&"MNT"));
    }
}
