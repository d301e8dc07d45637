//! Reading typed fields out of a YAML mapping while collecting every problem:
//! the toolkit that both `gazette.yaml` (`config`) and the records (`parse`)
//! are read with. `values.rs` reads one value (text, dates, ids, references,
//! statuses, addresses), `money.rs` currencies and amounts, `codes.rs` IATI
//! and OECD DAC codes.
//!
//! A [`Fields`] hands out one field at a time and remembers which keys were
//! asked for, so that [`Fields::finish`] can report unknown keys with the
//! nearest known one as a suggestion. Nothing stops at the first error: a bad
//! field yields `None` plus a diagnostic, and reading goes on.

pub mod codes;
pub mod money;
pub mod values;

use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::model::money::{Currency, Money};
use crate::model::vocab::Vocab;
use crate::model::{Kind, ObjectiveRef, PartialDate, Ref, Status, Statuses};
use crate::yaml::{Entry, Node, Value};
use money::{as_currency, as_money};
use std::cell::RefCell;
use values::*;

/// Collects the diagnostics of one file.
pub struct Reader {
    pub file: String,
    /// Whether an unknown top-level field may suggest `extra:` (content
    /// files; not the site's settings).
    has_extra: bool,
    diags: RefCell<Vec<Diagnostic>>,
    /// Every reference read, so they can be checked even when the file as a
    /// whole has errors and yields no entity.
    refs: RefCell<Vec<Ref>>,
    objectives: RefCell<Vec<ObjectiveRef>>,
}

impl Reader {
    /// A reader for a content file, whose unknown fields may go under `extra:`.
    pub fn new(file: impl Into<String>) -> Self {
        Reader {
            file: file.into(),
            has_extra: true,
            diags: RefCell::new(Vec::new()),
            refs: RefCell::new(Vec::new()),
            objectives: RefCell::new(Vec::new()),
        }
    }

    /// A reader for a settings file, which has no `extra:` to suggest.
    pub fn settings(file: impl Into<String>) -> Self {
        Reader {
            has_extra: false,
            ..Reader::new(file)
        }
    }

    /// The objective references read so far.
    pub fn take_objectives(&self) -> Vec<ObjectiveRef> {
        self.objectives.take()
    }

    /// The references read so far.
    pub fn take_refs(&self) -> Vec<Ref> {
        self.refs.take()
    }

    pub fn push(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }

    /// An error in this file at `pos`, in `field`.
    pub fn error(&self, pos: Pos, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file.clone(), message)
            .at(Some(pos))
            .field(field)
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags.into_inner()
    }

    pub fn has_errors(&self) -> bool {
        self.diags.borrow().iter().any(Diagnostic::is_error)
    }

    /// Open `node` as a mapping of fields at `path` (empty for the top level).
    pub fn fields<'n>(&self, node: &'n Node, path: &str) -> Option<Fields<'_, 'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields::new(self, entries, node.pos, path)),
            Value::Null => Some(Fields::new(self, &[], node.pos, path)),
            other => {
                self.push(
                    self.error(
                        node.pos,
                        path,
                        format!("expected a mapping of fields, found {}", other.type_name()),
                    )
                    .expected("`key: value` lines"),
                );
                None
            }
        }
    }
}

/// A problem with one value, before it is placed in a file and field.
pub struct Problem {
    pub message: String,
    pub expected: Option<String>,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            expected: None,
            hint: None,
        }
    }
    pub fn expected(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }
    pub fn hint(mut self, h: Option<String>) -> Self {
        self.hint = h;
        self
    }

    /// A value whose problems were reported where they are (inside a nested
    /// mapping): it yields nothing, and no further error.
    pub fn already_reported() -> Self {
        Problem::new("")
    }
}

/// The fields of one YAML mapping.
pub struct Fields<'r, 'n> {
    r: &'r Reader,
    entries: &'n [Entry],
    pos: Pos,
    path: String,
    used: Vec<bool>,
    known: Vec<&'static str>,
}

impl<'r, 'n> Fields<'r, 'n> {
    fn new(r: &'r Reader, entries: &'n [Entry], pos: Pos, path: &str) -> Self {
        Fields {
            r,
            entries,
            pos,
            path: path.to_string(),
            used: vec![false; entries.len()],
            known: Vec::new(),
        }
    }

    pub fn reader(&self) -> &'r Reader {
        self.r
    }

    /// Where this mapping starts.
    pub fn pos(&self) -> Pos {
        self.pos
    }

    /// The field path of this mapping itself, e.g. `progress[0]`.
    pub fn here(&self) -> &str {
        &self.path
    }

    /// `participants[1].person` for key `person` under `participants[1]`.
    pub fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The raw node of a key; a `null` value counts as absent.
    pub fn node(&mut self, key: &'static str) -> Option<&'n Node> {
        self.known.push(key);
        let i = self.entries.iter().position(|e| e.key == key)?;
        self.used[i] = true;
        let n = &self.entries[i].value;
        (n.value != Value::Null).then_some(n)
    }

    fn report(&self, node: &Node, field: &str, p: Problem) {
        if p.message.is_empty() {
            return;
        }
        let mut d = self.r.error(node.pos, field, p.message);
        d.expected = p.expected;
        d.hint = p.hint;
        self.r.push(d);
    }

    /// Report a missing required field. When an unknown key nearby looks like
    /// a typo of it (`titel`), report one error there instead of two.
    fn missing(&mut self, key: &str, expected: &str) {
        let field = self.path(key);
        if let Some(i) = self.entries.iter().position(|e| e.key == key) {
            // Written but left empty (`name:`).
            self.used[i] = true;
            let d = self
                .r
                .error(
                    self.entries[i].key_pos,
                    &field,
                    format!("required field `{field}` is empty"),
                )
                .expected(expected.to_string());
            self.r.push(d);
            return;
        }
        let typo = self.near_miss(key);
        let mut d = self
            .r
            .error(
                self.pos,
                &field,
                format!("missing required field `{field}`"),
            )
            .expected(expected.to_string());
        if let Some(i) = typo {
            let written = &self.entries[i].key;
            d = d.at(Some(self.entries[i].key_pos)).hint(format!(
                "`{written}` is written here; did you mean `{key}`?"
            ));
            self.used[i] = true;
        }
        self.r.push(d);
    }

    /// The index of a not-yet-used key that looks like a typo of `key`.
    fn near_miss(&self, key: &str) -> Option<usize> {
        let unknown = self
            .entries
            .iter()
            .enumerate()
            .filter(|(i, e)| !self.used[*i] && e.key != key && e.key != "extra")
            .map(|(_, e)| e.key.as_str());
        let hit = crate::diagnostics::closest(key, unknown)?;
        self.entries.iter().position(|e| e.key == hit)
    }

    /// Convert an optional field; a bad value is reported and yields `None`.
    pub fn opt<T>(
        &mut self,
        key: &'static str,
        conv: impl FnOnce(&'n Node) -> Result<T, Problem>,
    ) -> Option<T> {
        self.convert(key, None, conv)
    }

    fn convert<T>(
        &mut self,
        key: &'static str,
        expected: Option<&str>,
        conv: impl FnOnce(&'n Node) -> Result<T, Problem>,
    ) -> Option<T> {
        let node = self.node(key)?;
        let field = self.path(key);
        if is_placeholder(node) {
            self.report(node, &field, fill_in(&field, expected));
            return None;
        }
        conv(node).map_err(|p| self.report(node, &field, p)).ok()
    }

    /// Convert a required field; absence is reported with what was expected.
    pub fn req<T>(
        &mut self,
        key: &'static str,
        expected: &str,
        conv: impl FnOnce(&'n Node) -> Result<T, Problem>,
    ) -> Option<T> {
        if self.node_present(key) {
            self.convert(key, Some(expected), conv)
        } else {
            self.known.push(key);
            self.missing(key, expected);
            None
        }
    }

    /// Report `key` as missing unless it is present; true when present.
    pub fn require(&mut self, key: &'static str, expected: &str) -> bool {
        let present = self.node_present(key);
        if !present {
            self.known.push(key);
            self.missing(key, expected);
        }
        present
    }

    /// True when `key` is written with a value.
    pub fn has(&self, key: &str) -> bool {
        self.node_present(key)
    }

    fn node_present(&self, key: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.key == key && e.value.value != Value::Null)
    }

    /// A required string.
    pub fn req_str(&mut self, key: &'static str) -> Option<String> {
        self.req(key, "a non-empty string", as_string)
    }

    pub fn opt_str(&mut self, key: &'static str) -> Option<String> {
        self.opt(key, as_string)
    }

    /// A required date; a year that is almost certainly a typo is warned about.
    pub fn req_date(&mut self, key: &'static str) -> Option<(PartialDate, Pos)> {
        let d = self.req(key, DATE_FORMS, |n| as_date(n).map(|d| (d, n.pos)));
        d.inspect(|(d, pos)| check_year(self.r, *pos, &self.path(key), d))
    }

    pub fn opt_date(&mut self, key: &'static str) -> Option<PartialDate> {
        let d = self.opt(key, |n| as_date(n).map(|d| (d, n.pos)));
        d.map(|(d, pos)| {
            check_year(self.r, pos, &self.path(key), &d);
            d
        })
    }

    pub fn req_vocab<V: Vocab>(&mut self, key: &'static str) -> Option<(V, Pos)> {
        let expected = format!("one of: {}", V::allowed().join(", "));
        self.req(key, &expected, |n| as_vocab::<V>(n).map(|v| (v, n.pos)))
    }

    pub fn opt_vocab<V: Vocab>(&mut self, key: &'static str) -> Option<V> {
        self.opt(key, as_vocab::<V>)
    }

    /// A required pledge status of the site's vocabulary.
    pub fn req_status(&mut self, key: &'static str, statuses: &Statuses) -> Option<(Status, Pos)> {
        let expected = format!("one of: {}", statuses.keys().join(", "));
        self.req(key, &expected, |n| {
            as_status(n, statuses).map(|s| (s, n.pos))
        })
    }

    pub fn req_ref(&mut self, key: &'static str, kind: Kind) -> Option<Ref> {
        let field = self.path(key);
        let expected = format!("the id of {} {}", article(kind.name()), kind.name());
        let r = self.req(key, &expected, |n| as_ref(n, kind, field));
        self.r.refs.borrow_mut().extend(r.clone());
        r
    }

    pub fn opt_ref(&mut self, key: &'static str, kind: Kind) -> Option<Ref> {
        let field = self.path(key);
        let r = self.opt(key, |n| as_ref(n, kind, field));
        self.r.refs.borrow_mut().extend(r.clone());
        r
    }

    /// A list of references; a single id is accepted as a list of one.
    pub fn ref_list(&mut self, key: &'static str, kind: Kind) -> Vec<Ref> {
        let field = self.path(key);
        let refs = self.list(key, |i, n| as_ref(n, kind, format!("{field}[{i}]")));
        self.r.refs.borrow_mut().extend(refs.iter().cloned());
        refs
    }

    pub fn objective_list(&mut self, key: &'static str) -> Vec<ObjectiveRef> {
        let field = self.path(key);
        let refs = self.list(key, |i, n| {
            let id = as_id(n)?;
            Ok(ObjectiveRef {
                id,
                pos: n.pos,
                field: format!("{field}[{i}]"),
            })
        });
        self.r.objectives.borrow_mut().extend(refs.iter().cloned());
        refs
    }

    pub fn str_list(&mut self, key: &'static str) -> Vec<String> {
        self.list(key, |_, n| as_string(n))
    }

    /// A list whose items are converted one by one; bad items are reported
    /// and skipped, good ones kept.
    pub fn list<T>(
        &mut self,
        key: &'static str,
        mut conv: impl FnMut(usize, &'n Node) -> Result<T, Problem>,
    ) -> Vec<T> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        let field = self.path(key);
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let at = format!("{field}[{i}]");
            if is_placeholder(item) {
                self.report(item, &at, fill_in(&at, None));
                continue;
            }
            match conv(i, item) {
                Ok(v) => out.push(v),
                Err(p) => self.report(item, &at, p),
            }
        }
        out
    }

    /// A list of mappings, each read by `read` with its own [`Fields`].
    pub fn records<T>(
        &mut self,
        key: &'static str,
        mut read: impl FnMut(&mut Fields<'r, 'n>) -> Option<T>,
    ) -> Vec<T> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        let field = self.path(key);
        let Value::Seq(items) = &node.value else {
            self.report(
                node,
                &field,
                Problem::new(format!("expected a list, found {}", node.value.type_name()))
                    .expected("a list of entries, each starting with `- `"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(mut f) = self.r.fields(item, &format!("{field}[{i}]")) {
                let v = read(&mut f);
                f.finish();
                out.extend(v);
            }
        }
        out
    }

    /// A nested mapping read by `read`.
    pub fn record<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&mut Fields<'r, 'n>) -> Option<T>,
    ) -> Option<T> {
        let node = self.node(key)?;
        let mut f = self.r.fields(node, &self.path(key))?;
        let v = read(&mut f);
        f.finish();
        v
    }

    /// Money: an amount (number or string) in the given currency.
    pub fn req_amount(&mut self, key: &'static str, currency: Option<Currency>) -> Option<Money> {
        let expected = "a non-negative decimal amount such as `5000000` or `500000.00`";
        let Some(c) = currency else {
            // The currency was missing or invalid and is reported already;
            // still check that the amount is present.
            if !self.node_present(key) {
                self.known.push(key);
                self.missing(key, expected);
            } else if let Some(n) = self.node(key).filter(|n| is_placeholder(n)) {
                self.report(n, &self.path(key), fill_in(&self.path(key), Some(expected)));
            }
            return None;
        };
        self.req(key, expected, |n| as_money(n, c))
    }

    pub fn opt_currency(&mut self, key: &'static str) -> Option<Currency> {
        self.opt(key, as_currency)
    }

    pub fn req_currency(&mut self, key: &'static str) -> Option<Currency> {
        self.req(key, "an ISO 4217 currency code such as `USD`", as_currency)
    }

    /// The keys not asked for yet, with their positions.
    pub fn unused(&self) -> Vec<(String, Pos)> {
        self.entries
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(e, _)| (e.key.clone(), e.key_pos))
            .collect()
    }

    /// Count `key` as handled, so [`Fields::finish`] does not report it.
    pub fn mark_used(&mut self, key: &str) {
        for (e, used) in self.entries.iter().zip(self.used.iter_mut()) {
            if e.key == key {
                *used = true;
            }
        }
    }

    /// Report every key that was never asked for, with a suggestion.
    pub fn finish(self) {
        for (entry, used) in self.entries.iter().zip(&self.used) {
            if *used || (entry.key == "extra" && self.path.is_empty()) {
                continue;
            }
            let field = self.path(&entry.key);
            let mut known = self.known.clone();
            known.sort_unstable();
            known.dedup();
            let hint = did_you_mean(&entry.key, known.iter().copied()).or_else(|| {
                (self.path.is_empty() && self.r.has_extra)
                    .then(|| "put custom data under `extra:`".into())
            });
            let expected = if known.is_empty() {
                "no fields here".to_string()
            } else {
                format!("one of: {}", known.join(", "))
            };
            self.r.push(
                self.r
                    .error(
                        entry.key_pos,
                        &field,
                        format!("unknown field `{}`", entry.key),
                    )
                    .expected(expected)
                    .hint_opt(hint),
            );
        }
    }
}

/// What `gazette new` writes where an editor has to give a value. It is
/// never a valid value, so `check` reports every one until it is replaced.
pub const PLACEHOLDER: &str = "FILL-IN";

fn is_placeholder(n: &Node) -> bool {
    matches!(&n.value, Value::Str(s) if s.trim() == PLACEHOLDER)
}

fn fill_in(field: &str, expected: Option<&str>) -> Problem {
    let p = Problem::new(format!("fill in `{field}`")).hint(Some(format!(
        "replace `{PLACEHOLDER}` with the value the records give, or delete the line if the field is optional and nothing is known"
    )));
    match expected {
        Some(e) => p.expected(e),
        None => p,
    }
}
