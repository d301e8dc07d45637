//! Text that Rust puts together for readers outside templates (feeds, the
//! search index): every word comes from the theme's strings, looked up by a
//! dotted path, with `{name}` placeholders filled in. A missing string gives
//! its path, so a gap in a translation shows rather than hides.

use serde_json::Value;

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
