//! Reading money from front matter: a currency code, and an amount read from
//! its source text in that currency, never through a float.

use super::Problem;
use crate::diagnostics::did_you_mean;
use crate::model::money::{AmountError, Currency, CurrencyError, Money};
use crate::yaml::{Node, Value};

const EXPECTED: &str = "an ISO 4217 currency code such as `USD`";

/// An ISO 4217 code of money: not an unknown code, and not one of the
/// standard's codes for things a grant is not paid in.
pub fn as_currency(n: &Node) -> Result<Currency, Problem> {
    let Value::Str(s) = &n.value else {
        return Err(Problem::new(format!(
            "expected a currency code, found {}",
            n.value.type_name()
        ))
        .expected(EXPECTED));
    };
    let code = s.trim();
    Currency::parse(code).map_err(|e| match e {
        CurrencyError::NotMoney(name) => Problem::new(format!(
            "`{code}` is not a currency a grant can be paid in"
        ))
        .expected(EXPECTED)
        .hint(Some(format!(
            "ISO 4217 uses `{code}` for \u{201c}{name}\u{201d}; write the code of the currency the amount is in"
        ))),
        CurrencyError::Unknown => {
            let upper = code.to_uppercase();
            let hint = if Currency::parse(&upper).is_ok() {
                Some(format!("currency codes are upper case: `{upper}`"))
            } else {
                did_you_mean(&upper, Currency::all_codes())
            };
            Problem::new(format!("unknown currency code `{s}`"))
                .expected(EXPECTED)
                .hint(hint)
        }
    })
}

pub fn as_money(n: &Node, currency: Currency) -> Result<Money, Problem> {
    let text = match &n.value {
        Value::Int(_) | Value::Float(_) | Value::Str(_) => n.raw.clone().unwrap_or_default(),
        other => {
            return Err(
                Problem::new(format!("expected an amount, found {}", other.type_name()))
                    .expected("a decimal amount such as `5000000`"),
            )
        }
    };
    let full = text.clone();
    let text = if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    };
    Money::parse(&full, currency).map_err(|e| match e {
        AmountError::Negative => Problem::new(format!("negative amount `{text}`"))
            .expected("an amount of zero or more")
            .hint(Some(
                "record a reduction as a note on the grant rather than a negative tranche".into(),
            )),
        AmountError::Malformed => Problem::new(format!("`{text}` is not an amount"))
            .expected("digits with an optional decimal point, e.g. `5000000` or `5,000,000.00`")
            .hint(Some(
                "leave out the currency sign; the currency goes in `currency`".into(),
            )),
        AmountError::TooPrecise(exp) => Problem::new(format!(
            "`{text}` has more decimals than {} allows ({exp})",
            currency.code()
        ))
        .expected(format!("at most {exp} digits after the point")),
        AmountError::TooLarge => {
            Problem::new(format!("amount `{text}` is too large")).expected("a smaller amount")
        }
    })
}
