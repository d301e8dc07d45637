//! What a record is searched by and what its search result quotes: every
//! text of the record by [`Field`] for the index, and the readable part of
//! it, as the record's page writes it, for the snippet that shows where a
//! query matched.
//!
//! A new text field is one line in [`texts`]: `t.add(Field::Body, …)` for
//! text a reader sees, `t.index(…)` for keys and ids (searchable, never
//! quoted), `t.quote(…)` for labels from the theme's strings (quoted, not
//! indexed, so the index does not depend on the theme).

use super::scan::Scanner;
#[cfg(doc)]
use super::words::tokens;
use super::words::{keep, plain_text};
use super::{Field, Terms};
use crate::graph::{stats::grant_total, Graph};
use crate::model::vocab::Vocab;
use crate::model::*;
use crate::render::say::Say;

/// The text of a record: by field for the index, and the pieces a snippet
/// may quote, in order (the body first).
#[derive(Default)]
pub(super) struct Texts {
    fields: [Vec<String>; 3],
    quoted: Vec<String>,
}

impl Texts {
    /// Text the record's page shows: indexed under `f` and quotable.
    fn add(&mut self, f: Field, text: impl Into<String>) {
        let text = text.into();
        self.quoted.push(text.clone());
        self.fields[f as usize].push(text);
    }

    /// Indexed under `f`, never quoted: ids, keys, ISO dates, the title
    /// (which the result shows already).
    fn index(&mut self, f: Field, text: impl Into<String>) {
        self.fields[f as usize].push(text.into());
    }

    /// Quotable, not indexed: labels from the theme's strings.
    fn quote(&mut self, text: impl Into<String>) {
        self.quoted.push(text.into());
    }

    fn opt(&mut self, f: Field, text: Option<&String>) {
        if let Some(t) = text {
            self.add(f, t.clone());
        }
    }

    fn date(&mut self, say: &Say, d: Option<&PartialDate>) {
        if let Some(d) = d {
            self.index(Field::Body, d.iso());
            self.add(Field::Body, say.date(d));
        }
    }

    /// The names of the referenced entities, under [`Field::Names`].
    fn names<'r>(&mut self, graph: &Graph, refs: impl IntoIterator<Item = &'r Ref>) {
        for r in refs {
            self.opt(Field::Names, name(graph, r).as_ref());
        }
    }

    /// An amount as the page writes it (`$5,500,000`) and its currency
    /// code, indexed; quoted with the label the page gives it, from the
    /// theme's strings under `label` ("Total: $5,500,000").
    fn money(&mut self, strings: &Say, label: &str, m: &Money) {
        let shown = strings.money(m);
        self.index(Field::Body, format!("{shown} {}", m.currency.code()));
        match strings[label].as_str() {
            Some(l) => self.quote(format!("{l}: {shown}")),
            None => self.quote(shown),
        }
    }

    /// A label from the theme's strings, quoted; its key indexed.
    fn label(&mut self, strings: &Say, group: &str, key: &str) {
        self.index(Field::Body, key);
        if let Some(l) = strings[group][key].as_str() {
            self.quote(l);
        }
    }

    /// Each term once, under the best field it occurs in.
    /// The same as [`tokens`] of each text, each term kept under the first
    /// field it comes in; a term is allocated only the first time.
    pub(super) fn terms(&self) -> Terms {
        let mut out = Terms::default();
        let mut scanner = Scanner::default();
        for (f, texts) in [Field::Title, Field::Names, Field::Body]
            .into_iter()
            .zip(&self.fields)
        {
            for t in texts {
                scanner.words(t, |w| {
                    if keep(w) && !out.contains_key(w) {
                        out.insert(w.to_string(), f);
                    }
                });
            }
        }
        out
    }

    /// The quotable text: each piece with its white space collapsed, empty
    /// and repeated pieces left out, one piece a line.
    pub(super) fn quoted(&self) -> String {
        let mut out = String::new();
        // Where each piece written stands in `out`.
        let mut seen: Vec<(usize, usize)> = Vec::with_capacity(self.quoted.len());
        for piece in &self.quoted {
            let before = out.len();
            if !out.is_empty() {
                out.push('\n');
            }
            let start = out.len();
            for (i, w) in piece.split_whitespace().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(w);
            }
            let new = &out[start..];
            if new.is_empty() || seen.iter().any(|&(a, b)| &out[a..b] == new) {
                out.truncate(before);
            } else {
                seen.push((start, out.len()));
            }
        }
        out
    }
}

/// The name of a referenced entity, with an organization's short name.
fn name(graph: &Graph, r: &Ref) -> Option<String> {
    let e = &graph.entities[graph.resolve_ref(r)?];
    Some(match &e.data {
        Data::Organization(o) => match &o.short_name {
            Some(s) => format!("{} ({s})", o.name),
            None => o.name.clone(),
        },
        _ => e.title().to_string(),
    })
}

/// The titles of objectives referenced by `e`, from its partnership.
fn objective_titles(graph: &Graph, e: &Entity) -> Vec<String> {
    let part = e.partnership().and_then(|r| graph.resolve_ref(r));
    let Some(Data::Partnership(p)) = part.map(|i| &graph.entities[i].data) else {
        return Vec::new();
    };
    e.objective_refs()
        .iter()
        .filter_map(|o| p.objectives.iter().find(|x| x.id == o.id))
        .map(|o| o.title.clone())
        .collect()
}

/// Everything a reader might search a record by; `strings` gives the
/// labels quoted for keys (only the quoted text depends on them).
pub(super) fn texts(graph: &Graph, strings: &Say, e: &Entity) -> Texts {
    use Field::*;
    let mut t = Texts::default();
    t.index(Title, e.title());
    t.add(Body, plain_text(&e.meta.body));
    // An id's parts, not the id joined: nobody types "grant00231".
    t.index(Body, e.meta.id.replace('-', " "));
    t.date(strings, e.date().as_ref());
    match &e.data {
        Data::Partnership(p) => {
            if let Some(s) = &p.short_name {
                t.index(Title, s.clone());
            }
            t.names(graph, &p.parties);
            for o in &p.objectives {
                t.add(Names, o.title.clone());
            }
            t.index(Body, p.status.key());
        }
        Data::Dialogue(d) => {
            t.opt(Names, d.location.as_ref());
            for p in &d.participants {
                t.names(graph, [&p.person]);
                t.names(graph, &p.organization);
                t.opt(Body, p.role.as_ref());
            }
            t.names(graph, &d.organizations);
            for o in &d.outcomes {
                t.add(Body, o.text.clone());
            }
            t.index(Body, d.format.key());
        }
        Data::Pledge(p) => {
            t.names(graph, [&p.made_by]);
            t.date(strings, p.due.as_ref());
            t.label(strings, "status", graph.statuses().key(p.status));
            for pe in &p.progress {
                t.opt(Body, pe.note.as_ref());
                t.date(strings, pe.date.as_ref());
            }
        }
        Data::Grant(g) => {
            t.names(graph, [&g.funder]);
            t.names(graph, g.recipients.iter().map(|r| &r.organization));
            // The total first: it is the figure the page leads with.
            for m in grant_total(g).amounts() {
                t.money(strings, "grant_total", &m);
            }
            t.money(strings, "award_amount", &g.amount);
            for tr in &g.tranches {
                t.money(strings, "report_funding_tranche", &tr.amount);
                t.opt(Body, tr.note.as_ref());
                t.date(strings, Some(&tr.date));
            }
        }
        Data::Organization(o) => {
            if let Some(s) = &o.short_name {
                t.index(Title, s.clone());
            }
            t.names(graph, &o.parent);
            t.opt(Body, o.country.as_ref());
            t.label(strings, "org_kind", o.kind.key());
        }
        Data::Person(p) => {
            if let Some(h) = &p.honorific {
                t.index(Names, h.clone());
            }
            for pos in &p.positions {
                t.add(Names, pos.title.clone());
                t.names(graph, &pos.organization);
            }
        }
        Data::Report(r) => {
            t.date(strings, r.period.from.as_ref());
            t.date(strings, r.period.to.as_ref());
        }
    }
    for o in objective_titles(graph, e) {
        t.add(Body, o);
    }
    // Sources: what they are called, and the passages quoted from them.
    for src in e.sources() {
        t.add(Body, crate::render::sources::resolve(graph, src).title);
        t.opt(Body, src.quote.as_ref());
    }
    t
}

#[cfg(test)]
mod tests {
    use super::super::words::tokens;
    use super::*;

    /// Texts in every field, with repeats across and within fields.
    fn sample() -> Texts {
        let mut t = Texts::default();
        t.index(Field::Title, "Tomás Ölçer, multi-disciplinary envoy");
        t.add(Field::Names, "Acme Relief (ACME) and Улаанбаатар хот");
        t.add(
            Field::Names,
            "  Acme   Relief (ACME) and Улаанбаатар\u{2028}хот ",
        );
        t.add(
            Field::Body,
            "The envoy of the multi\u{2010}disciplinary team: $5,500,000.",
        );
        t.add(Field::Body, "");
        t.add(Field::Body, " \n\t ");
        t.quote("Total: $5,500,000");
        t.index(Field::Body, "grant 00231 2021-11-19 tomas");
        t.quote("Total:  $5,500,000");
        t.add(Field::Body, "Straße Łódź 5.500.000,00 e-mail");
        t
    }

    #[test]
    fn terms_are_each_token_under_its_first_field() {
        let t = sample();
        let mut expected = Terms::default();
        for (f, texts) in [Field::Title, Field::Names, Field::Body]
            .into_iter()
            .zip(&t.fields)
        {
            for text in texts {
                for w in tokens(text) {
                    expected.entry(w).or_insert(f);
                }
            }
        }
        assert_eq!(t.terms(), expected);
        assert_eq!(expected["envoy"], Field::Title);
        assert_eq!(expected["multidisciplinary"], Field::Title);
        assert_eq!(expected["хот"], Field::Names);
        assert_eq!(expected["5500000"], Field::Body);
        assert!(!expected.contains_key("the"));
    }

    #[test]
    fn quoted_pieces_are_collapsed_once_each_one_a_line() {
        let t = sample();
        // As it was written before: each piece's words joined, then compared.
        let mut expected: Vec<String> = Vec::new();
        for piece in &t.quoted {
            let piece = piece.split_whitespace().collect::<Vec<_>>().join(" ");
            if !piece.is_empty() && !expected.contains(&piece) {
                expected.push(piece);
            }
        }
        assert_eq!(t.quoted(), expected.join("\n"));
        assert_eq!(
            t.quoted(),
            "Acme Relief (ACME) and Улаанбаатар хот\n\
             The envoy of the multi\u{2010}disciplinary team: $5,500,000.\n\
             Total: $5,500,000\nStraße Łódź 5.500.000,00 e-mail"
        );
        assert_eq!(Texts::default().quoted(), "");
    }
}
