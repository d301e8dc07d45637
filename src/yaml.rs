//! All YAML handling lives here, so the parser can be swapped in one place.
//!
//! serde_yaml (the crate the project asked for) parses and types the values and
//! reports syntax errors with a position, but it does not tell where a value
//! sits once parsed. saphyr-parser's event stream does, so the same text is read
//! a second time for positions only, and both results are merged into one
//! [`Node`] tree where every value knows its line and column in the file and,
//! for scalars, its exact source text (which keeps money exact: `5000000.10` is
//! never turned into a float). Front matter is small; the second pass costs
//! microseconds.

use crate::diagnostics::Pos;

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

/// A syntax error with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub pos: Option<Pos>,
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
pub fn parse(text: &str, first_line: usize) -> Result<Node, SyntaxError> {
    let shift = |line: usize, column: usize| Pos::new(line + first_line - 1, column);
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let message = clean_message(&e.to_string());
        // serde_yaml places a duplicate key at the start of its mapping;
        // the event stream knows where the repeat is.
        let dup = message
            .contains("duplicate entry")
            .then(|| duplicate_key(text))
            .flatten();
        SyntaxError {
            pos: dup
                .map(|p| shift(p.line, p.column))
                .or_else(|| e.location().map(|l| shift(l.line(), l.column()))),
            message,
        }
    })?;
    let positions = positions(text).unwrap_or_default();
    let root = positions
        .into_iter()
        .next()
        .unwrap_or(PosTree::leaf(Pos::new(1, 1), None));
    let mut node = merge(value, &root);
    offset_lines(&mut node, first_line - 1);
    Ok(node)
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

/// The position of the first key that repeats an earlier key of its mapping.
fn duplicate_key(text: &str) -> Option<Pos> {
    use saphyr_parser::{Event, Parser};
    // Per open collection: the keys seen (None for a sequence) and whether
    // the next node is a key.
    let mut stack: Vec<(Option<Vec<String>>, bool)> = Vec::new();
    for ev in Parser::new_from_str(text) {
        let (event, span) = ev.ok()?;
        let is_key = matches!(stack.last(), Some((Some(_), true)));
        match event {
            Event::Scalar(v, ..) => {
                if let Some((Some(keys), next_is_key)) = stack.last_mut() {
                    if is_key {
                        if keys.iter().any(|k| k == v.as_ref()) {
                            return Some(Pos::new(span.start.line(), span.start.col() + 1));
                        }
                        keys.push(v.into_owned());
                    }
                    *next_is_key = !*next_is_key;
                }
            }
            Event::Alias(_) => {
                if let Some((Some(_), next_is_key)) = stack.last_mut() {
                    *next_is_key = !*next_is_key;
                }
            }
            Event::MappingStart(..) => stack.push((Some(Vec::new()), true)),
            Event::SequenceStart(..) => stack.push((None, false)),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                if let Some((Some(_), next_is_key)) = stack.last_mut() {
                    *next_is_key = !*next_is_key;
                }
            }
            _ => {}
        }
    }
    None
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

/// Positions of every node, as read from saphyr-parser's event stream.
#[derive(Debug, Clone, Default)]
struct PosTree {
    pos: Pos,
    raw: Option<String>,
    children: Vec<(Pos, PosTree)>,
}

impl PosTree {
    fn leaf(pos: Pos, raw: Option<String>) -> Self {
        PosTree {
            pos,
            raw,
            children: Vec::new(),
        }
    }
}

/// Read the event stream into position trees, one per document.
fn positions(text: &str) -> Option<Vec<PosTree>> {
    use saphyr_parser::{Event, Parser};
    // A stack of open collections: the tree so far, whether it is a mapping,
    // and for a mapping the pending key position.
    struct Open {
        tree: PosTree,
        is_map: bool,
        key: Option<Pos>,
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut docs = Vec::new();
    let at = |m: saphyr_parser::Marker| Pos::new(m.line(), m.col() + 1);
    fn push(stack: &mut [Open], docs: &mut Vec<PosTree>, node: PosTree) -> bool {
        // Returns false when the node was a mapping key.
        match stack.last_mut() {
            None => {
                docs.push(node);
                true
            }
            Some(top) if top.is_map => match top.key.take() {
                None => {
                    top.key = Some(node.pos);
                    false
                }
                Some(k) => {
                    top.tree.children.push((k, node));
                    true
                }
            },
            Some(top) => {
                let p = node.pos;
                top.tree.children.push((p, node));
                true
            }
        }
    }
    for ev in Parser::new_from_str(text) {
        let (event, span) = ev.ok()?;
        match event {
            Event::Scalar(v, ..) => {
                push(
                    &mut stack,
                    &mut docs,
                    PosTree::leaf(at(span.start), Some(v.into_owned())),
                );
            }
            Event::Alias(_) => {
                push(&mut stack, &mut docs, PosTree::leaf(at(span.start), None));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => stack.push(Open {
                tree: PosTree::leaf(at(span.start), None),
                is_map: matches!(event, Event::MappingStart(..)),
                key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let open = stack.pop()?;
                push(&mut stack, &mut docs, open.tree);
            }
            _ => {}
        }
    }
    Some(docs)
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
        let e = parse("a: [1, 2\nb: c\n", 2).unwrap_err();
        assert!(e.pos.is_some(), "{e:?}");
        assert!(e.pos.unwrap().line >= 2);
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn duplicate_keys_are_reported_where_they_repeat() {
        let e = parse("a: 1\nb: {x: 1}\na: 2\n", 2).unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(4, 1)), "{e:?}");
        let e = parse("l:\n  - k: 1\n    j: 2\n    k: 3\n", 1).unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(4, 5)), "{e:?}");
    }

    #[test]
    fn aliases_keep_a_position() {
        let n = parse("a: &x {b: 1}\nc: *x\n", 1).unwrap();
        assert_eq!(get(&n, "c").pos.line, 2);
        assert_eq!(get(get(&n, "c"), "b").pos.line, 2);
    }
}
