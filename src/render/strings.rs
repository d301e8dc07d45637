//! UI strings: every word a page shows that is not a record's, one file per
//! language (`strings/<language>.yaml`), in layers: the default theme's, a
//! theme's on disk, then the site's own `strings/`. A language's strings
//! are its files laid over English, so a key missing from a translation is
//! shown in English rather than as a gap.

use crate::diagnostics::Diagnostic;
use serde_json::Value;
use std::collections::BTreeMap;

/// One strings file: its language (from its name; empty for `strings.yaml`,
/// whose top-level keys are languages), where it came from, its text.
pub struct File {
    pub lang: String,
    pub origin: String,
    pub text: String,
}

/// The strings of each of `languages`, from `files` in layer order (later
/// files override earlier ones, key by key).
pub fn resolve(files: &[File], languages: &[String]) -> (BTreeMap<String, Value>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut parsed: Vec<(String, Value)> = Vec::new();
    for f in files {
        match crate::yaml::parse(&f.text, 1) {
            Ok(node) if f.lang.is_empty() => {
                if let Value::Object(by_lang) = node.to_json() {
                    parsed.extend(by_lang);
                }
            }
            Ok(node) => parsed.push((f.lang.clone(), node.to_json())),
            Err(e) => diags.extend(e.diagnostics(&f.origin)),
        }
    }
    let layered = |lang: &str| {
        parsed
            .iter()
            .filter(|(l, _)| l.eq_ignore_ascii_case(lang))
            .fold(Value::Null, |acc, (_, v)| merge(acc, v.clone()))
    };
    let english = layered("en");
    let mut out = BTreeMap::new();
    for lang in languages {
        let primary = lang.split('-').next().unwrap_or(lang);
        let own = if parsed.iter().any(|(l, _)| l.eq_ignore_ascii_case(lang)) {
            layered(lang)
        } else {
            layered(primary)
        };
        let mut strings = merge(english.clone(), own);
        if let Value::Object(m) = &mut strings {
            // The page's language, for filters in macros (`t._lang`).
            m.insert("_lang".into(), Value::String(lang.clone()));
        }
        out.insert(lang.clone(), strings);
    }
    (out, diags)
}

/// Whether `v` is a string's plural forms (`one:`, `other:`…, with
/// `other`): a translation gives the forms of its own language, so they
/// replace English's as a whole rather than key by key.
fn is_plural(v: &Value) -> bool {
    const FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];
    v.as_object()
        .is_some_and(|m| m.contains_key("other") && m.keys().all(|k| FORMS.contains(&k.as_str())))
}

/// The language of a strings file's name (`strings/mn.yaml` -> `mn`).
pub fn language_of(rel: &str) -> Option<&str> {
    let name = rel.strip_prefix("strings/")?.strip_suffix(".yaml")?;
    crate::load::is_language_tag(&name.to_ascii_lowercase()).then_some(name)
}

fn merge(base: Value, over: Value) -> Value {
    match (base, over) {
        (Value::Object(_), o) if is_plural(&o) => o,
        (Value::Object(mut b), Value::Object(o)) => {
            for (k, v) in o {
                let merged = match b.remove(&k) {
                    Some(bv) => merge(bv, v),
                    None => v,
                };
                b.insert(k, merged);
            }
            Value::Object(b)
        }
        (b, Value::Null) => b,
        (_, o) => o,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(lang: &str, text: &str) -> File {
        File {
            lang: lang.into(),
            origin: format!("strings/{lang}.yaml"),
            text: text.into(),
        }
    }

    #[test]
    fn a_language_is_its_layers_over_english() {
        let files = [
            file("en", "home: Home\nnav: {a: A, b: B}\n"),
            file("mn", "home: Нүүр\nnav: {a: А}\n"),
            file("mn", "nav: {b: Б}\n"),
        ];
        let (s, d) = resolve(&files, &["en".into(), "mn".into(), "ar".into()]);
        assert!(d.is_empty());
        assert_eq!(s["mn"]["home"], "Нүүр");
        assert_eq!(s["mn"]["nav"]["a"], "А");
        assert_eq!(s["mn"]["nav"]["b"], "Б", "a later layer overrides a key");
        assert_eq!(s["ar"]["home"], "Home", "no file: English");
        assert_eq!(language_of("strings/mn.yaml"), Some("mn"));
        assert_eq!(language_of("strings/notes.txt"), None);
        assert_eq!(s["mn"]["_lang"], "mn");
    }

    #[test]
    fn plural_forms_are_replaced_whole() {
        let files = [
            file(
                "en",
                "members: {one: \"{n} member\", other: \"{n} members\"}\n",
            ),
            file("mn", "members: {other: \"{n} гишүүн\"}\n"),
        ];
        let (s, _) = resolve(&files, &["en".into(), "mn".into()]);
        assert_eq!(
            s["mn"]["members"],
            serde_json::json!({"other": "{n} гишүүн"})
        );
        assert_eq!(s["en"]["members"]["one"], "{n} member");
    }
}
