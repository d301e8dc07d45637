//! The default theme's UI strings in every language against English
//! (`themes/default/strings/en.yaml`): the same key paths, no gaps and no
//! extras, the same `{placeholders}` in each string, and, for languages in
//! another script, text in that script. A gap would otherwise pass unseen,
//! since a missing key is shown in English.

use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn strings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default/strings")
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every string of `v` by its dotted key path (`kinds.pledge.one`).
fn leaves(v: &Value) -> BTreeMap<String, String> {
    fn walk(v: &Value, path: &str, out: &mut BTreeMap<String, String>) {
        match v {
            Value::Mapping(m) => {
                for (k, v) in m {
                    let key = match k {
                        Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other).unwrap().trim().to_string(),
                    };
                    let path = if path.is_empty() {
                        key
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(v, &path, out);
                }
            }
            Value::String(s) => {
                out.insert(path.to_string(), s.clone());
            }
            other => panic!("`{path}` is not a string or a mapping: {other:?}"),
        }
    }
    let mut out = BTreeMap::new();
    walk(v, "", &mut out);
    out
}

/// The `{name}` placeholders of a string.
fn placeholders(s: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.insert(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// The letters of `s` outside its placeholders.
fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut in_placeholder = false;
    s.chars().filter(move |&c| {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ => {}
        }
        !in_placeholder && c.is_alphabetic()
    })
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// A script: its name, and whether a letter is in it.
struct Script {
    name: &'static str,
    has: fn(char) -> bool,
}

/// The script a language's strings are written in, where it is not the
/// Latin of English.
fn script(lang: &str) -> Option<Script> {
    match lang {
        "mn" => Some(Script {
            name: "Cyrillic",
            has: is_cyrillic,
        }),
        _ => None,
    }
}

/// Everything wrong with `lang`'s strings against English's: missing and
/// extra keys, placeholders that differ, and text not in the language's
/// script (a string identical to English's, such as "IATI", and one with
/// no letters, such as " – ", may be in any script).
fn problems(en: &Value, lang: &str, other: &Value) -> Vec<String> {
    let en = leaves(en);
    let other = leaves(other);
    let mut out = Vec::new();
    for key in en.keys().filter(|k| !other.contains_key(*k)) {
        out.push(format!("{lang}: missing `{key}`"));
    }
    for key in other.keys().filter(|k| !en.contains_key(*k)) {
        out.push(format!("{lang}: `{key}` is not a key of en.yaml"));
    }
    for (key, text) in &other {
        let Some(english) = en.get(key) else { continue };
        let (want, have) = (placeholders(english), placeholders(text));
        if want != have {
            out.push(format!(
                "{lang}: `{key}` has placeholders {have:?}, en.yaml {want:?}"
            ));
        }
        if let Some(script) = script(lang) {
            let mut letters = letters(text).peekable();
            if text != english && letters.peek().is_some() && !letters.any(script.has) {
                out.push(format!(
                    "{lang}: `{key}` has no {} letters: {text:?}",
                    script.name
                ));
            }
        }
    }
    out
}

/// Every strings file but English's, by language.
fn translations() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = std::fs::read_dir(strings_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter_map(|p| {
            let lang = p.file_stem()?.to_str()?.to_string();
            (lang != "en").then(|| (lang, load(&p)))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_language_has_every_english_key_and_nothing_else() {
    let en = load(&strings_dir().join("en.yaml"));
    let all = translations();
    assert!(
        all.iter().any(|(lang, _)| lang == "mn"),
        "no strings/mn.yaml"
    );
    let problems: Vec<String> = all
        .iter()
        .flat_map(|(lang, v)| problems(&en, lang, v))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_language_switcher_and_the_translation_notices_are_in_english_and_mongolian() {
    let en = leaves(&load(&strings_dir().join("en.yaml")));
    let mn = leaves(&load(&strings_dir().join("mn.yaml")));
    assert_eq!(en["language_name"], "English");
    assert_eq!(mn["language_name"], "Монгол");
    assert_eq!(en["language_switch"], "Language");
    assert_eq!(mn["language_switch"], "Хэл");
    for key in [
        "untranslated_notice",
        "outdated_notice",
        "unofficial_notice",
    ] {
        assert!(en.contains_key(key) && mn.contains_key(key), "{key}");
    }
}

/// The check itself: a key removed from mn.yaml, one added, a placeholder
/// renamed and an English string left in are each reported.
#[test]
fn the_check_reports_a_gap_an_extra_a_placeholder_and_english_text() {
    let en = load(&strings_dir().join("en.yaml"));
    let mut mn = load(&strings_dir().join("mn.yaml"));
    assert!(problems(&en, "mn", &mn).is_empty());
    let Value::Mapping(m) = &mut mn else {
        panic!("mn.yaml is not a mapping")
    };
    m.remove("home").expect("mn.yaml has `home`");
    let Some(Value::Mapping(kinds)) = m.get_mut("kinds") else {
        panic!("mn.yaml has no `kinds`")
    };
    let Some(Value::Mapping(pledge)) = kinds.get_mut("pledge") else {
        panic!("mn.yaml has no `kinds.pledge`")
    };
    pledge.remove("many").expect("`kinds.pledge.many`");
    m.insert("homepage".into(), "Нүүр".into());
    m.insert("pager_page".into(), "хуудас {page}/{total}".into());
    m.insert("search_title".into(), "Suche".into());
    let mut found = problems(&en, "mn", &mn);
    found.sort();
    assert_eq!(
        found,
        [
            "mn: `homepage` is not a key of en.yaml",
            "mn: `pager_page` has placeholders {\"page\", \"total\"}, en.yaml {\"n\", \"total\"}",
            "mn: `search_title` has no Cyrillic letters: \"Suche\"",
            "mn: missing `home`",
            "mn: missing `kinds.pledge.many`",
        ]
    );
}

#[test]
fn placeholders_are_names_in_braces() {
    assert_eq!(
        placeholders("{title}: tranche of {amount}, {a b} {} {"),
        BTreeSet::from(["title", "amount"])
    );
    assert_eq!(letters("{date} гэхэд").collect::<String>(), "гэхэд");
}
