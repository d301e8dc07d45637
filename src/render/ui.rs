//! The `ui` Tera function: a UI string by its key in the page's language,
//! `{{ ui(key="none") }}` or `{{ ui(key="status." ~ s.key) }}`. Macros see
//! only their arguments, and Tera copies every argument of every macro
//! call; passing the whole strings tree (`t=t`) copied some 500 values per
//! call, which made most of a page's render time. A macro calls `ui`
//! instead, which copies only the string it returns. Each language has its
//! own Tera with its own `ui` ([`by_language`]).

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

struct Ui {
    strings: Arc<Value>,
}

impl tera::Function for Ui {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args.get("key").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("`ui` needs `key`, the string's name, e.g. `ui(key=\"none\")`")
        })?;
        lookup(&self.strings, key)
            .cloned()
            .ok_or_else(|| tera::Error::msg(format!("the theme's strings have no `{key}`")))
    }
}

/// The value at a dotted `key` (`kinds.pledge.many`) in `strings`.
fn lookup<'v>(strings: &'v Value, key: &str) -> Option<&'v Value> {
    key.split('.').try_fold(strings, |v, part| v.get(part))
}

/// Register `ui` on `tera` for `strings`.
pub fn register(tera: &mut tera::Tera, strings: &Value) {
    tera.register_function(
        "ui",
        Ui {
            strings: Arc::new(strings.clone()),
        },
    );
}

/// A copy of `base` per language, each with `ui` over that language's strings.
pub fn by_language(
    base: &tera::Tera,
    strings: &BTreeMap<String, Value>,
) -> BTreeMap<String, tera::Tera> {
    strings
        .iter()
        .map(|(lang, s)| {
            let mut tera = base.clone();
            register(&mut tera, s);
            (lang.clone(), tera)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ui_finds_nested_keys_in_its_language_and_names_a_missing_one() {
        let mut strings = BTreeMap::new();
        strings.insert(
            "en".to_string(),
            json!({"none": "None.", "kinds": {"pledge": {"many": "Pledges"}}}),
        );
        strings.insert(
            "mn".to_string(),
            json!({"none": "Байхгүй.", "kinds": {"pledge": {"many": "Амлалтууд"}}}),
        );
        let mut base = tera::Tera::default();
        base.add_raw_template(
            "t",
            "{{ ui(key=\"none\") }} {{ ui(key=\"kinds.\" ~ k ~ \".many\") }}",
        )
        .unwrap();
        base.add_raw_template("bad", "{{ ui(key=\"nothing\") }}")
            .unwrap();
        let teras = by_language(&base, &strings);
        let mut c = tera::Context::new();
        c.insert("k", "pledge");
        assert_eq!(teras["en"].render("t", &c).unwrap(), "None. Pledges");
        assert_eq!(teras["mn"].render("t", &c).unwrap(), "Байхгүй. Амлалтууд");
        let err = teras["en"].render("bad", &c).unwrap_err();
        let text = format!("{err:?}");
        assert!(
            text.contains("the theme's strings have no `nothing`"),
            "{text}"
        );
    }
}
