//! All YAML handling lives here, so the parser can be swapped in one place.
//!
//! serde_yaml (the crate the project asked for) parses and types the values and
//! reports syntax errors with a position, but it does not tell where a value
//! sits once parsed. saphyr-parser's event stream does, so the same text is read
//! twice, once for positions and once for values, and both results are merged into one
//! [`Node`] tree where every value knows its line and column in the file and,
//! for scalars, its exact source text (which keeps money exact: `5000000.10` is
//! never turned into a float). Front matter is small; the second pass costs
//! microseconds.
//!
//! The event pass runs **first**, and a text with an anchor (`&name`) is
//! refused there: serde_yaml would expand every alias (`*name`) into a copy,
//! and a small file can expand into gigabytes. Gazette's records have no use
//! for anchors, so none reaches serde_yaml.

use crate::diagnostics::{Diagnostic, Pos};

mod events;

use events::{duplicate_key, scan, PosTree};

/// A parsed YAML value with its position in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// The scalar's text as written (after unquoting), for exact numbers.
    pub raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping, in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

/// Why a YAML text gave no [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    /// The text is not YAML.
    Syntax(SyntaxError),
    /// The text is YAML, but with anchors, which Gazette does not read.
    Anchors(Vec<Anchor>),
    /// A character YAML reads as a line break and editors do not show as
    /// one (a carriage return without a line feed, U+0085, U+2028, U+2029),
    /// here.
    HiddenLineBreak(Pos, char),
}

/// A syntax error with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub pos: Option<Pos>,
}

/// An anchor (`&name`) in a text, with the field it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The name after `&`; empty if it could not be read back from the text.
    pub name: String,
    /// Where the `&` is.
    pub pos: Pos,
    /// The field the anchored value is, as `extra.big` or `list[2]`.
    pub field: String,
}

impl Anchor {
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        let uses = if self.name.is_empty() {
            "wherever an alias (`*name`) repeats it".to_string()
        } else {
            format!(
                "wherever `*{}` repeats it, and remove `&{}`",
                self.name, self.name
            )
        };
        Diagnostic::error(file, "YAML anchors and aliases are not supported")
            .at(Some(self.pos))
            .field(self.field.clone())
            .expected("each value written where it is used")
            .hint(format!("write the value out in full {uses}"))
    }
}

impl ParseError {
    /// The diagnostics for `file`: one per anchor, or the syntax error as
    /// "malformed YAML".
    pub fn diagnostics(&self, file: &str) -> Vec<Diagnostic> {
        match self {
            ParseError::Anchors(anchors) => anchors.iter().map(|a| a.diagnostic(file)).collect(),
            ParseError::Syntax(e) => {
                vec![Diagnostic::error(file, format!("malformed YAML: {}", e.message)).at(e.pos)]
            }
            ParseError::HiddenLineBreak(pos, '\r') => vec![Diagnostic::error(
                file,
                "a line ends in a carriage return alone (old Mac OS line ends)",
            )
            .at(Some(*pos))
            .expected("lines that end in a line feed (LF) or in CR LF")
            .hint("save the file with Unix (LF) or Windows (CRLF) line ends in your editor")],
            ParseError::HiddenLineBreak(pos, c) => vec![Diagnostic::error(
                file,
                format!(
                    "U+{:04X} ({}), which YAML reads as a line break",
                    u32::from(*c),
                    match c {
                        '\u{85}' => "NEXT LINE",
                        '\u{2028}' => "LINE SEPARATOR",
                        _ => "PARAGRAPH SEPARATOR",
                    }
                ),
            )
            .at(Some(*pos))
            .expected("ordinary line breaks")
            .hint("replace it with a line break or a space; it often comes with text pasted from a PDF or a web page")],
        }
    }
}

impl Value {
    /// A short name of the value's type for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a decimal number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// Plain JSON for values that go to templates untyped (`extra:`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(_) => J::String(self.raw.clone().unwrap_or_default()),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parse a YAML document. `first_line` is the file line the text starts on,
/// so every position is relative to the file, not to the front matter.
pub fn parse(text: &str, first_line: usize) -> Result<Node, ParseError> {
    let shift = |p: Pos| Pos::new(p.line + first_line - 1, p.column);
    if let Some((pos, c)) = hidden_line_break(text) {
        return Err(ParseError::HiddenLineBreak(shift(pos), c));
    }
    let scan = scan(text);
    if !scan.anchors.is_empty() {
        let anchors = scan
            .anchors
            .into_iter()
            .map(|a| Anchor {
                pos: shift(a.pos),
                ..a
            })
            .collect();
        return Err(ParseError::Anchors(anchors));
    }
    let syntax = |e: serde_yaml::Error| ParseError::Syntax(syntax_error(text, &e, shift));
    if let Some(error) = scan.error {
        // serde_yaml's messages are the familiar ones. Reading into
        // `IgnoredAny` builds nothing, so an alias after the place where the
        // event pass stopped costs no memory.
        serde_yaml::from_str::<serde::de::IgnoredAny>(text).map_err(syntax)?;
        // The two parsers disagree. Only a text that cannot hold an anchor
        // or an alias goes on to be expanded.
        if text.contains(['&', '*']) {
            return Err(ParseError::Syntax(SyntaxError {
                message: error.message,
                pos: Some(shift(error.pos)),
            }));
        }
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(syntax)?;
    let root = scan
        .docs
        .into_iter()
        .next()
        .unwrap_or(PosTree::leaf(Pos::new(1, 1), None));
    let mut node = merge(value, &root);
    offset_lines(&mut node, first_line - 1);
    Ok(node)
}

/// The first character YAML reads as a line break where editors, and the
/// snippets of this program's own messages, see none: a carriage return not
/// followed by a line feed, and U+0085, U+2028 and U+2029 (YAML 1.1 line
/// breaks). Positions after one would disagree, so such text is refused
/// rather than misplaced.
fn hidden_line_break(text: &str) -> Option<(Pos, char)> {
    let (at, c) = text.char_indices().find(|&(i, c)| match c {
        '\r' => text.as_bytes().get(i + 1) != Some(&b'\n'),
        '\u{85}' | '\u{2028}' | '\u{2029}' => true,
        _ => false,
    })?;
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let pos = Pos::new(
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    );
    Some((pos, c))
}

/// serde_yaml's error, placed in the file.
fn syntax_error(text: &str, e: &serde_yaml::Error, shift: impl Fn(Pos) -> Pos) -> SyntaxError {
    let message = clean_message(&e.to_string());
    // serde_yaml places a duplicate key at the start of its mapping;
    // the event stream knows where the repeat is.
    let dup = message
        .contains("duplicate entry")
        .then(|| duplicate_key(text))
        .flatten();
    SyntaxError {
        pos: dup
            .or_else(|| e.location().map(|l| Pos::new(l.line(), l.column())))
            .map(shift),
        message,
    }
}

/// serde_yaml appends " at line X column Y" (or " at position N") to its
/// messages; the position is reported separately, so drop it from the text.
fn clean_message(msg: &str) -> String {
    let cut = [" at line ", " at position "]
        .iter()
        .filter_map(|m| msg.find(m))
        .min();
    match cut {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn offset_lines(node: &mut Node, by: usize) {
    node.pos.line += by;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| offset_lines(n, by)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_pos.line += by;
            offset_lines(&mut e.value, by)
        }),
        _ => {}
    }
}

/// Combine serde_yaml's typed value with the positions of the same shape.
fn merge(value: serde_yaml::Value, at: &PosTree) -> Node {
    use serde_yaml::Value as Y;
    let child = |i: usize| at.children.get(i);
    let v = match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else {
                Value::Float(n.as_f64().unwrap_or(0.0))
            }
        }
        Y::String(s) => Value::Str(s),
        Y::Sequence(items) => Value::Seq(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let sub = child(i)
                        .map(|c| c.1.clone())
                        .unwrap_or_else(|| PosTree::leaf(at.pos, None));
                    merge(item, &sub)
                })
                .collect(),
        ),
        Y::Mapping(map) => Value::Map(
            map.into_iter()
                .enumerate()
                .map(|(i, (k, item))| {
                    let (key_pos, sub) = child(i)
                        .map(|c| (c.0, c.1.clone()))
                        .unwrap_or_else(|| (at.pos, PosTree::leaf(at.pos, None)));
                    Entry {
                        key: key_string(&k),
                        key_pos,
                        value: merge(item, &sub),
                    }
                })
                .collect(),
        ),
        Y::Tagged(t) => return merge(t.value, at),
    };
    Node {
        value: v,
        pos: at.pos,
        raw: at.raw.clone(),
    }
}

fn key_string(k: &serde_yaml::Value) -> String {
    match k {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => "null".into(),
        _ => "<complex key>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(n: &'a Node, key: &str) -> &'a Node {
        match &n.value {
            Value::Map(e) => &e.iter().find(|e| e.key == key).unwrap().value,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn positions_are_file_relative() {
        let text = "title: A\namount: 5000000.10\nlist:\n  - a\n  - {x: 1}\n";
        let n = parse(text, 2).unwrap();
        assert_eq!(get(&n, "title").pos, Pos::new(2, 8));
        let amount = get(&n, "amount");
        assert_eq!(amount.pos, Pos::new(3, 9));
        assert_eq!(amount.raw.as_deref(), Some("5000000.10"));
        match &get(&n, "list").value {
            Value::Seq(items) => {
                assert_eq!(items[0].pos, Pos::new(5, 5));
                assert_eq!(get(&items[1], "x").pos, Pos::new(6, 9));
            }
            _ => panic!(),
        }
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = syntax("a: [1, 2\nb: c\n", 2);
        assert!(e.pos.is_some(), "{e:?}");
        assert!(e.pos.unwrap().line >= 2);
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn duplicate_keys_are_reported_where_they_repeat() {
        let e = syntax("a: 1\nb: {x: 1}\na: 2\n", 2);
        assert_eq!(e.pos, Some(Pos::new(4, 1)), "{e:?}");
        let e = syntax("l:\n  - k: 1\n    j: 2\n    k: 3\n", 1);
        assert_eq!(e.pos, Some(Pos::new(4, 5)), "{e:?}");
    }

    #[test]
    fn line_breaks_editors_do_not_show_are_refused_but_crlf_is_read() {
        assert_eq!(
            parse("a: 1\nb: x\ry: 2\n", 3),
            Err(ParseError::HiddenLineBreak(Pos::new(4, 5), '\r'))
        );
        assert_eq!(
            parse("a: ü\r", 1),
            Err(ParseError::HiddenLineBreak(Pos::new(1, 5), '\r'))
        );
        for c in ['\u{85}', '\u{2028}', '\u{2029}'] {
            assert_eq!(
                parse(&format!("a: 1\nb: x{c}y: 2\n"), 1),
                Err(ParseError::HiddenLineBreak(Pos::new(2, 5), c))
            );
        }
        assert!(parse("a: 1\r\nb: 2\r\n", 1).is_ok());
    }

    fn syntax(text: &str, first_line: usize) -> SyntaxError {
        match parse(text, first_line) {
            Err(ParseError::Syntax(e)) => e,
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    fn anchors(text: &str, first_line: usize) -> Vec<Anchor> {
        match parse(text, first_line) {
            Err(ParseError::Anchors(a)) => a,
            other => panic!("expected anchors to be refused, got {other:?}"),
        }
    }

    #[test]
    fn anchors_are_refused_at_the_ampersand() {
        let a = anchors("a: &x {b: 1}\nc: *x\n", 1);
        assert_eq!(
            a,
            vec![Anchor {
                name: "x".into(),
                pos: Pos::new(1, 4),
                field: "a".into()
            }]
        );
        // A tag may come before the anchor; the position is still the `&`.
        let a = anchors("l:\n  - 1\n  - !!str &t v\n  - *t\n", 2);
        assert_eq!((a[0].pos, a[0].name.as_str()), (Pos::new(4, 11), "t"));
        assert_eq!(a[0].field, "l[1]");
        // Every anchor is reported, on keys and collections too.
        let a = anchors("&k a: 1\nb: &s\n  - 1\n", 1);
        let got: Vec<_> = a.iter().map(|a| (a.pos, a.field.as_str())).collect();
        assert_eq!(got, vec![(Pos::new(1, 1), ""), (Pos::new(2, 4), "b")]);
    }

    #[test]
    fn the_alias_size_bomb_is_refused_before_it_is_expanded() {
        // The reported shape: one large anchored string repeated under
        // `extra:`. A 10 KB string 300 times (3 MB expanded) keeps the test
        // harmless on code that expands it; the real one was 100 KB 3,000 times.
        let mut text = format!("title: Bomb\nextra:\n  big: &big {}\n", "x".repeat(10_000));
        for i in 0..300 {
            text.push_str(&format!("  c{i}: *big\n"));
        }
        let a = anchors(&text, 2);
        assert_eq!(a.len(), 1);
        assert_eq!(
            (a[0].pos, a[0].field.as_str()),
            (Pos::new(4, 8), "extra.big")
        );
        let d = a[0].diagnostic("content/pledges/p.md");
        assert_eq!(d.message, "YAML anchors and aliases are not supported");
        assert_eq!(d.location(), "content/pledges/p.md:4:8");
        assert_eq!(
            d.hint.as_deref(),
            Some("write the value out in full wherever `*big` repeats it, and remove `&big`")
        );
    }

    #[test]
    fn nested_aliases_never_reach_serde_yaml() {
        // serde_yaml stops this one itself ("repetition limit exceeded")
        // only after expanding aliases; the event pass refuses it first.
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (name, prev) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("f", "e")] {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let a = anchors(&text, 1);
        let names: Vec<&str> = a.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e", "f"]);
    }

    #[test]
    fn where_the_parsers_disagree_no_alias_is_expanded() {
        // A tab after `:`: serde_yaml reads it, saphyr-parser stops at it, so
        // the event pass cannot see what follows. Without `&` or `*` in the
        // text the value is read as before; with one, it is refused.
        let n = parse("a:\tb\n", 1).unwrap();
        assert_eq!(n.to_json(), serde_json::json!({"a": "b"}));
        let e = syntax("a:\tb\nc: &x d\ne: *x\n", 3);
        assert!(e.message.contains("must be followed by"), "{e:?}");
        assert_eq!(e.pos, Some(Pos::new(3, 4)));
    }

    #[test]
    fn an_alias_without_its_anchor_is_a_syntax_error() {
        let e = syntax("a: 1\nb: *nope\n", 1);
        assert!(e.message.contains("unknown anchor"), "{e:?}");
        assert_eq!(e.pos, Some(Pos::new(2, 4)));
    }
}
