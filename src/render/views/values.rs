//! Values as the page's language writes them: dates, amounts, totals per
//! currency, pledge statuses, country names, positions held, and sources.

use super::{part, Ctx};
use crate::graph::positions;
use crate::locale::Locale;
use crate::model::*;
use crate::urls::Target;
use serde::Serialize;
use serde_json::{json, Value};

impl Ctx<'_> {
    /// A date as the page's language writes it, with its parts.
    pub fn date(&self, d: &PartialDate) -> Value {
        json!(DateView::new(d, self.locale))
    }

    pub fn opt_date(&self, d: Option<&PartialDate>) -> Value {
        d.map_or(Value::Null, |d| self.date(d))
    }

    /// An amount as the page's language writes it.
    pub fn money(&self, m: &Money) -> Value {
        MoneyView::new(m, self.locale).into_value()
    }

    /// One amount per currency, never added together.
    pub fn totals(&self, t: &Totals) -> Value {
        Value::Array(t.amounts().iter().map(|m| self.money(m)).collect())
    }

    /// A position with its period, and whether the records end it
    /// (`former`); one without an end is shown as such, never as "current".
    pub(super) fn position(&self, pos: &Position) -> Value {
        json!({
            "title": pos.title,
            "organization": self.link_opt(pos.organization.as_ref()),
            "from": self.opt_date(pos.from.as_ref()),
            "to": self.opt_date(pos.to.as_ref()),
            "former": positions::is_former(pos),
        })
    }

    /// A country's name in the page's language: the site's own name for it
    /// (`countries:`, for codes with no ISO name), else CLDR's.
    pub(super) fn country_name(&self, code: Option<&str>) -> Value {
        let Some(code) = code else {
            return Value::Null;
        };
        let lang = self.lang.tag.as_str();
        let site = self.config.countries.get(code).and_then(|names| {
            names
                .get(lang)
                .or_else(|| names.get(self.config.language.as_str()))
                .or_else(|| names.get(""))
                .or_else(|| names.values().next())
                .cloned()
        });
        site.or_else(|| self.locale.country(code))
            .map_or(Value::Null, |n| json!(n))
    }

    /// A pledge status: its key and its group (for colours and totals).
    pub fn status_view(&self, s: Status) -> Value {
        let st = self.graph.statuses();
        json!({"key": st.key(s), "group": st.group(s).key()})
    }

    /// Sources as links: `kind`, `title`, `url` (null for a document or a
    /// record left out of this graph) and `quote`, and the language of
    /// each when it is not the page's (`title_lang`, `quote_lang`).
    pub fn sources(&self, list: &[Source]) -> Value {
        use crate::render::sources::{resolve, Place};
        Value::Array(
            list.iter()
                .map(|s| {
                    let r = resolve(self.graph, s);
                    let url = match r.place {
                        Place::Record(t) => {
                            if let Target::Entity(k, id) = t {
                                if let Some(i) = self.graph.get(k, id) {
                                    self.read(i, part::LINK);
                                }
                            }
                            json!(self.url(t))
                        }
                        Place::Web(u) => json!(u),
                        Place::Nowhere => Value::Null,
                    };
                    let own = (!self.lang.is_default()).then(|| self.default_tag());
                    let (title_lang, quote_lang) =
                        crate::render::language::source_langs(self.graph, &r, own);
                    json!({"kind": r.kind, "title": r.title, "url": url, "quote": r.quote,
                        "title_lang": title_lang, "quote_lang": quote_lang})
                })
                .collect(),
        )
    }
}

/// What templates get for a date.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub long: String,
    pub precision: &'static str,
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl DateView {
    /// The view of `d`, with `long` as a locale writes it.
    pub fn new(d: &PartialDate, locale: &Locale) -> Self {
        DateView {
            iso: d.iso(),
            long: locale.date(d),
            precision: d.precision(),
            year: d.year,
            month: d.month,
            day: d.day,
        }
    }
}

/// What templates get for an amount.
#[derive(Debug, Clone, Serialize)]
pub struct MoneyView {
    pub currency: &'static str,
    /// Exact decimal string, e.g. "5500000.00".
    pub amount: String,
    /// Grouped as the page's language groups numbers, e.g. "5,500,000".
    pub grouped: String,
    /// With the currency as the page's language writes it, e.g. "$5,500,000".
    pub display: String,
}

impl MoneyView {
    /// The view of `m`, grouped and with its currency as a locale writes it.
    pub fn new(m: &Money, locale: &Locale) -> Self {
        let (grouped, display) = locale.amount_and_money(m);
        MoneyView {
            currency: m.currency.code(),
            amount: m.decimal(),
            grouped,
            display,
        }
    }

    /// The view as JSON, as `serde_json::to_value` makes it, built
    /// directly: a partnership page's charts hold thousands.
    pub fn into_value(self) -> Value {
        let mut o = serde_json::Map::new();
        o.insert("currency".into(), Value::from(self.currency));
        o.insert("amount".into(), Value::String(self.amount));
        o.insert("grouped".into(), Value::String(self.grouped));
        o.insert("display".into(), Value::String(self.display));
        Value::Object(o)
    }
}

#[cfg(test)]
mod tests {
    use super::MoneyView;
    use crate::locale::Locale;
    use crate::model::{Currency, Money};

    /// The view built by hand is the one serde makes, and its two texts are
    /// the locale's `amount` and `money` of the same amount.
    #[test]
    fn a_money_view_is_what_serde_and_the_locale_make() {
        for tag in ["en", "mn", "ar", "en-GB"] {
            let locale = Locale::new(tag);
            for (text, code) in [
                ("5500000", "USD"),
                ("12.5", "USD"),
                ("1500", "JPY"),
                ("0.125", "IQD"),
                ("1234567890123456789012345", "MNT"),
                ("7", "CLF"),
            ] {
                let m = Money::parse(text, Currency::parse(code).unwrap()).unwrap();
                let view = MoneyView::new(&m, &locale);
                assert_eq!(view.grouped, locale.amount(&m), "{tag} {text} {code}");
                assert_eq!(view.display, locale.money(&m), "{tag} {text} {code}");
                let by_serde = serde_json::to_value(&view).unwrap();
                assert_eq!(view.into_value(), by_serde, "{tag} {text} {code}");
            }
        }
    }
}
