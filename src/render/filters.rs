//! Tera filters that format for the page's language with CLDR data:
//! `number` (`{{ n | number(lang=lang.tag) }}`: digits and grouping) and
//! `plural` (`{{ t.members | plural(n=3, lang=lang.tag) }}`: the string's
//! form for the number's CLDR plural category, `{n}` filled in). In a
//! macro, which sees only its arguments, `t._lang` is the page's language.

use crate::locale::Locale;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

type Locales = Arc<BTreeMap<String, Locale>>;

/// Register the filters on `tera` for the site's `languages` (the first is
/// the default, used when a template names no language).
pub fn register(tera: &mut tera::Tera, languages: &[String]) {
    let locales: Locales = Arc::new(
        languages
            .iter()
            .map(|l| (l.clone(), Locale::new(l)))
            .collect(),
    );
    let default = languages.first().cloned().unwrap_or_else(|| "en".into());
    tera.register_filter(
        "number",
        Number {
            locales: locales.clone(),
            default: default.clone(),
        },
    );
    tera.register_filter("plural", Plural { locales, default });
}

fn locale<'a>(
    locales: &'a Locales,
    default: &str,
    args: &HashMap<String, Value>,
) -> tera::Result<&'a Locale> {
    let lang = args.get("lang").and_then(Value::as_str).unwrap_or(default);
    locales
        .get(lang)
        .or_else(|| locales.get(default))
        .ok_or_else(|| tera::Error::msg(format!("`{lang}` is not one of the site's languages")))
}

fn integer(v: &Value, what: &str) -> tera::Result<i128> {
    v.as_i64()
        .map(i128::from)
        .or_else(|| v.as_u64().map(i128::from))
        .ok_or_else(|| tera::Error::msg(format!("{what} expects a whole number, got {v}")))
}

struct Number {
    locales: Locales,
    default: String,
}

impl tera::Filter for Number {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let n = integer(value, "the `number` filter")?;
        Ok(json!(locale(&self.locales, &self.default, args)?.number(n)))
    }
}

struct Plural {
    locales: Locales,
    default: String,
}

impl tera::Filter for Plural {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let n = integer(
            args.get("n")
                .ok_or_else(|| tera::Error::msg("the `plural` filter needs `n`"))?,
            "the `plural` filter's `n`",
        )?;
        let loc = locale(&self.locales, &self.default, args)?;
        let text = match value {
            Value::String(s) => s.as_str(),
            Value::Object(forms) => {
                let category = loc.plural(n.unsigned_abs().min(u64::MAX as u128) as u64);
                forms
                    .get(category.as_str())
                    .or_else(|| forms.get("other"))
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        tera::Error::msg("plural forms need at least `other` (a string)")
                    })?
            }
            other => {
                return Err(tera::Error::msg(format!(
                    "the `plural` filter expects a string or plural forms, got {other}"
                )))
            }
        };
        Ok(json!(text.replace("{n}", &loc.number(n))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, ctx: Value, languages: &[&str]) -> String {
        let mut tera = tera::Tera::default();
        let langs: Vec<String> = languages.iter().map(|s| s.to_string()).collect();
        register(&mut tera, &langs);
        tera.add_raw_template("t", template).unwrap();
        tera.render("t", &tera::Context::from_value(ctx).unwrap())
            .unwrap()
    }

    #[test]
    fn plural_picks_the_languages_form_and_writes_the_number() {
        let t = json!({"m": {"one": "{n} member", "other": "{n} members"}});
        let tpl = "{{ m | plural(n=n, lang=l) }}";
        let en = |n: u64| render(tpl, json!({"m": t["m"], "n": n, "l": "en"}), &["en"]);
        assert_eq!(en(1), "1 member");
        assert_eq!(en(6), "6 members");
        assert_eq!(en(1200), "1,200 members");
        // Arabic's form for 3 is `few`, absent here: `other` is used.
        let ar = render(tpl, json!({"m": t["m"], "n": 3, "l": "ar"}), &["en", "ar"]);
        assert_eq!(ar, "3 members");
        let few = json!({"m": {"few": "{n} أعضاء", "other": "{n} عضو"}, "n": 3, "l": "ar"});
        assert_eq!(render(tpl, few, &["en", "ar"]), "3 أعضاء");
        let plain = render("{{ s | plural(n=2) }}", json!({"s": "{n} x"}), &["en"]);
        assert_eq!(plain, "2 x");
    }

    #[test]
    fn number_groups_as_the_language_does() {
        let tpl = "{{ n | number(lang=l) }}";
        assert_eq!(
            render(tpl, json!({"n": 5500000, "l": "en"}), &["en"]),
            "5,500,000"
        );
        assert_eq!(
            render(tpl, json!({"n": 5500000, "l": "de"}), &["en", "de"]),
            "5.500.000"
        );
    }
}
