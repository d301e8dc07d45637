//! Text that Rust puts together for readers outside templates (feeds, the
//! search index): every word comes from the theme's strings, looked up by a
//! dotted path, with `{name}` placeholders filled in. A missing string gives
//! its path, so a gap in a translation shows rather than hides.

use crate::locale::Locale;
use crate::model::{Money, PartialDate};
use serde_json::Value;

/// The reader's language for text made in Rust: the theme's strings in it
/// (reachable as a `Value` through `Deref`), and its CLDR formatting.
#[derive(Clone, Copy)]
pub struct Say<'a> {
    pub strings: &'a Value,
    pub locale: &'a Locale,
}

impl Say<'_> {
    /// The language's tag (`_lang` of its strings, see `render::strings`).
    pub fn lang(&self) -> &str {
        self.strings["_lang"].as_str().unwrap_or("")
    }

    /// [`text`] in this language.
    pub fn text(&self, path: &str) -> String {
        text(self.strings, path)
    }

    /// [`fill`] in this language.
    pub fn fill(&self, path: &str, values: &[(&str, &str)]) -> String {
        fill(self.strings, path, values)
    }

    /// A date as this language writes it, as precise as it is known.
    pub fn date(&self, d: &PartialDate) -> String {
        self.locale.date(d)
    }

    /// An amount with its currency as this language writes it.
    pub fn money(&self, m: &Money) -> String {
        self.locale.money(m)
    }
}

impl std::ops::Deref for Say<'_> {
    type Target = Value;

    fn deref(&self) -> &Value {
        self.strings
    }
}

/// The string at `path` (`status.completed`), or the path itself.
pub fn text(strings: &Value, path: &str) -> String {
    let mut v = strings;
    for part in path.split('.') {
        v = &v[part];
    }
    v.as_str().map_or_else(|| path.to_string(), str::to_string)
}

/// The string at `path` with each `{name}` replaced by its value.
pub fn fill(strings: &Value, path: &str, values: &[(&str, &str)]) -> String {
    let mut s = text(strings, path);
    for (name, value) in values {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn looks_up_paths_and_fills_placeholders() {
        let s = json!({"status": {"completed": "Completed"}, "x": "{a} and {b}"});
        assert_eq!(text(&s, "status.completed"), "Completed");
        assert_eq!(text(&s, "status.missing"), "status.missing");
        assert_eq!(fill(&s, "x", &[("a", "1"), ("b", "2")]), "1 and 2");
    }
}
