//! The saphyr-parser pass over a YAML text: where every node is, every
//! anchor (which [`super::parse`] refuses before serde_yaml could expand an
//! alias), and where a key repeats.

use super::Anchor;
use crate::diagnostics::Pos;

/// The position of the first key that repeats an earlier key of its mapping.
pub(super) fn duplicate_key(text: &str) -> Option<Pos> {
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

/// Positions of every node, as read from saphyr-parser's event stream.
#[derive(Debug, Clone, Default)]
pub(super) struct PosTree {
    pub(super) pos: Pos,
    pub(super) raw: Option<String>,
    pub(super) children: Vec<(Pos, PosTree)>,
}

impl PosTree {
    pub(super) fn leaf(pos: Pos, raw: Option<String>) -> Self {
        PosTree {
            pos,
            raw,
            children: Vec::new(),
        }
    }
}

/// What the event pass found: the positions of each document, every anchor,
/// and the error it stopped at, if any.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub(super) docs: Vec<PosTree>,
    pub(super) anchors: Vec<Anchor>,
    pub(super) error: Option<ScanError>,
}

#[derive(Debug)]
pub(super) struct ScanError {
    pub(super) message: String,
    pub(super) pos: Pos,
}

/// An open collection during the event pass: the tree so far, whether it is
/// a mapping, and for a mapping the pending key's position and text.
struct Open {
    tree: PosTree,
    is_map: bool,
    key: Option<(Pos, Option<String>)>,
}

/// Read the event stream into position trees, one per document, noting
/// every anchor on the way.
pub(super) fn scan(text: &str) -> Scan {
    use saphyr_parser::{Event, Parser};
    let mut stack: Vec<Open> = Vec::new();
    let mut out = Scan::default();
    // The character index of each anchor's node, to read its name back.
    let mut anchor_at = Vec::new();
    let at = |m: saphyr_parser::Marker| Pos::new(m.line(), m.col() + 1);
    fn push(stack: &mut [Open], docs: &mut Vec<PosTree>, node: PosTree) {
        match stack.last_mut() {
            None => docs.push(node),
            Some(top) if top.is_map => match top.key.take() {
                None => top.key = Some((node.pos, node.raw)),
                Some((k, _)) => top.tree.children.push((k, node)),
            },
            Some(top) => {
                let p = node.pos;
                top.tree.children.push((p, node));
            }
        }
    }
    for ev in Parser::new_from_str(text) {
        let (event, span) = match ev {
            Ok(ev) => ev,
            Err(e) => {
                out.error = Some(ScanError {
                    message: e.info().to_string(),
                    pos: at(*e.marker()),
                });
                break;
            }
        };
        if let Event::Scalar(_, _, anchor, _)
        | Event::SequenceStart(anchor, _)
        | Event::MappingStart(anchor, _) = &event
        {
            if *anchor != 0 {
                out.anchors.push(Anchor {
                    name: String::new(),
                    pos: at(span.start),
                    field: field_path(&stack),
                });
                anchor_at.push(span.start.index());
            }
        }
        match event {
            Event::Scalar(v, ..) => push(
                &mut stack,
                &mut out.docs,
                PosTree::leaf(at(span.start), Some(v.into_owned())),
            ),
            Event::Alias(_) => push(
                &mut stack,
                &mut out.docs,
                PosTree::leaf(at(span.start), None),
            ),
            Event::SequenceStart(..) | Event::MappingStart(..) => stack.push(Open {
                tree: PosTree::leaf(at(span.start), None),
                is_map: matches!(event, Event::MappingStart(..)),
                key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = stack.pop() {
                    push(&mut stack, &mut out.docs, open.tree);
                }
            }
            _ => {}
        }
    }
    name_anchors(text, &anchor_at, &mut out.anchors);
    out
}

/// The field a node about to be read belongs to, as `extra.big` or `list[2]`.
fn field_path(stack: &[Open]) -> String {
    let mut path = String::new();
    for open in stack {
        if !open.is_map {
            path.push_str(&format!("[{}]", open.tree.children.len()));
        } else if let Some((_, key)) = &open.key {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key.as_deref().unwrap_or("?"));
        }
    }
    path
}

/// Read each anchor's name from the text, and move its column from the
/// start of the node's properties (a tag may come first) to the `&`.
fn name_anchors(text: &str, at: &[usize], anchors: &mut [Anchor]) {
    let mut k = 0;
    for (index, (byte, _)) in text.char_indices().enumerate() {
        while k < at.len() && at[k] <= index {
            if let Some((name, offset)) = anchor_name(&text[byte..]) {
                anchors[k].name = name;
                anchors[k].pos.column += offset;
            }
            k += 1;
        }
        if k == at.len() {
            break;
        }
    }
}

/// The name of the anchor in the node properties `rest` starts with, and how
/// many characters in its `&` is; `None` if the properties run over lines
/// or the name is too long to repeat in a hint.
fn anchor_name(rest: &str) -> Option<(String, usize)> {
    let mut offset = 0;
    let mut chars = rest.chars().peekable();
    loop {
        match *chars.peek()? {
            ' ' | '\t' => {}
            '!' => {
                while chars.next_if(|c| !c.is_whitespace()).is_some() {
                    offset += 1;
                }
                continue;
            }
            '&' => {
                chars.next();
                let name: String = chars
                    .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
                    .take(65)
                    .collect();
                return (name.chars().count() <= 64).then_some((name, offset));
            }
            _ => return None,
        }
        chars.next();
        offset += 1;
    }
}
