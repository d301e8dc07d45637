//! Full-text search, built at build time and run in the browser.
//!
//! Writes `search-index.js`, which assigns `window.GAZETTE_SEARCH`; the
//! theme's `search.js` loads it on demand with a `<script>` tag, because
//! `fetch` and modules are blocked on `file://`. The index is inverted: for
//! every term, the records it occurs in, split by the best field it occurs
//! in (title, names, other text) and delta-encoded as short strings. The
//! format is described in `docs/search.md`.
//!
//! Tokenizing here and in `search.js` must agree: both fold case and Latin
//! diacritics the same way and split words with the same character classes.
//! The integration tests run both on the same text.

use super::OutFile;
use crate::graph::Graph;
use crate::model::vocab::Vocab;
use crate::model::*;
use crate::urls::{Target, Urls};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

mod live;
pub mod words;
pub use live::LiveIndex;
pub use words::{fold, keep, plain_text, tokens, words, MAX_TOKEN_CHARS, STOP_WORDS};

/// The file written at the site root.
pub const INDEX_FILE: &str = "search-index.js";

/// The global the index file assigns.
pub const GLOBAL: &str = "GAZETTE_SEARCH";

/// Where a term occurs in a record; a record counts once per term, under
/// the best field it occurs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The title or name, and short names.
    Title = 0,
    /// People, organizations and places named on the record.
    Names = 1,
    /// The body and every other text: outcomes, notes, amounts, dates, ids.
    Body = 2,
}

/// The weight of each [`Field`] in ranking, in field order.
pub const WEIGHTS: [u32; 3] = [8, 4, 1];

/// Snippets are cut to about this many characters.
const SNIPPET_CHARS: usize = 120;

/// Varint digits: values 0–31 end a number, 32–63 carry five more bits.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// The text of a record, by field.
#[derive(Default)]
struct Texts([Vec<String>; 3]);

impl Texts {
    fn add(&mut self, f: Field, text: impl Into<String>) {
        self.0[f as usize].push(text.into());
    }

    fn opt(&mut self, f: Field, text: Option<&String>) {
        if let Some(t) = text {
            self.add(f, t.clone());
        }
    }

    fn date(&mut self, d: Option<&PartialDate>) {
        if let Some(d) = d {
            self.add(Field::Body, format!("{} {}", d.iso(), d.long()));
        }
    }

    /// The names of the referenced entities, under [`Field::Names`].
    fn names<'r>(&mut self, graph: &Graph, refs: impl IntoIterator<Item = &'r Ref>) {
        for r in refs {
            self.opt(Field::Names, name(graph, r).as_ref());
        }
    }

    fn money(&mut self, m: &Money) {
        self.add(
            Field::Body,
            format!("{} {}", m.grouped(), m.currency.code()),
        );
    }

    /// Each term once, under the best field it occurs in.
    fn terms(&self) -> HashMap<String, Field> {
        let mut out = HashMap::new();
        for (f, texts) in [Field::Title, Field::Names, Field::Body]
            .into_iter()
            .zip(&self.0)
        {
            for t in texts {
                for w in tokens(t) {
                    out.entry(w).or_insert(f);
                }
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
            Some(s) => format!("{} {s}", o.name),
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

/// Everything a reader might search a record by.
fn texts(graph: &Graph, e: &Entity) -> Texts {
    use Field::*;
    let mut t = Texts::default();
    t.add(Title, e.title());
    t.add(Body, plain_text(&e.meta.body));
    t.add(Body, e.meta.id.clone());
    t.date(e.date().as_ref());
    match &e.data {
        Data::Partnership(p) => {
            t.opt(Title, p.short_name.as_ref());
            t.names(graph, &p.parties);
            for o in &p.objectives {
                t.add(Names, o.title.clone());
            }
            t.add(Body, p.status.key());
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
            t.add(Body, d.format.key());
        }
        Data::Pledge(p) => {
            t.names(graph, [&p.made_by]);
            t.date(p.due.as_ref());
            t.add(Body, graph.statuses().key(p.status));
            for pe in &p.progress {
                t.opt(Body, pe.note.as_ref());
                t.date(pe.date.as_ref());
            }
        }
        Data::Grant(g) => {
            t.names(graph, [&g.funder]);
            t.names(graph, g.recipients.iter().map(|r| &r.organization));
            t.money(&g.amount);
            for tr in &g.tranches {
                t.money(&tr.amount);
                t.opt(Body, tr.note.as_ref());
                t.date(Some(&tr.date));
            }
        }
        Data::Organization(o) => {
            t.opt(Title, o.short_name.as_ref());
            t.names(graph, &o.parent);
            t.opt(Body, o.country.as_ref());
            t.add(Body, o.kind.key());
        }
        Data::Person(p) => {
            t.opt(Names, p.honorific.as_ref());
            for pos in &p.positions {
                t.add(Names, pos.title.clone());
                t.names(graph, &pos.organization);
            }
        }
        Data::Report(r) => {
            t.date(r.period.from.as_ref());
            t.date(r.period.to.as_ref());
        }
    }
    for o in objective_titles(graph, e) {
        t.add(Body, o);
    }
    for src in e.sources() {
        let r = crate::render::sources::resolve(graph, src);
        t.add(Body, r.title);
        t.opt(Body, src.quote.as_ref());
    }
    t
}

/// `text` cut at a word boundary to about `max` characters.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', '…']))
}

/// The line shown under a result: the summary, else what a record without a
/// body is (a person's positions, an organization's type).
fn snippet(e: &Entity, strings: &Value) -> String {
    if !e.meta.summary.is_empty() {
        return shorten(&e.meta.summary, SNIPPET_CHARS);
    }
    let text = match &e.data {
        Data::Person(p) => p
            .positions
            .iter()
            .map(|x| x.title.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        Data::Organization(o) => strings["org_kind"][o.kind.key()]
            .as_str()
            .unwrap_or(o.kind.key())
            .to_string(),
        _ => String::new(),
    };
    shorten(&text, SNIPPET_CHARS)
}

/// Encode ascending record numbers as gaps (each minus one) in base-32
/// varints, most significant group first.
pub fn encode(ids: &[u32]) -> String {
    let mut out = String::new();
    let mut prev: i64 = -1;
    for &id in ids {
        let mut gap = (i64::from(id) - prev - 1) as u64;
        prev = i64::from(id);
        let mut groups = vec![(gap & 31) as u8];
        gap >>= 5;
        while gap > 0 {
            groups.push(32 | (gap & 31) as u8);
            gap >>= 5;
        }
        out.extend(groups.iter().rev().map(|&g| DIGITS[g as usize] as char));
    }
    out
}

/// Decode one posting list of an index with `n` records: [`encode`]d
/// numbers, or after `!` the numbers of the records *not* in the list.
pub fn decode(list: &str, n: usize) -> Vec<usize> {
    let (complement, digits) = match list.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, list),
    };
    let mut ids = Vec::new();
    let (mut value, mut last) = (0usize, -1i64);
    for b in digits.bytes() {
        let v = DIGITS.iter().position(|&d| d == b).unwrap_or(0);
        value = value * 32 + (v & 31);
        if v < 32 {
            last += value as i64 + 1;
            ids.push(last as usize);
            value = 0;
        }
    }
    if complement {
        (0..n).filter(|i| ids.binary_search(i).is_err()).collect()
    } else {
        ids
    }
}

/// The posting lists of one term, one per field: the records whose best
/// field for the term is that field. A list holding more than half of all
/// records is written as its complement when that is shorter; the
/// complement is taken of the records in this field or a better one, so a
/// decoder that ranks each record by its best field reads it right.
fn postings(lists: &[Vec<u32>; 3], n: usize) -> String {
    let mut seen: Vec<u32> = Vec::new();
    let mut parts: Vec<String> = Vec::with_capacity(3);
    for list in lists {
        seen.extend(list);
        let plain = encode(list);
        let part = if list.len() * 2 > n {
            seen.sort_unstable();
            let rest: Vec<u32> = (0..n as u32)
                .filter(|i| seen.binary_search(i).is_err())
                .collect();
            let inverted = format!("!{}", encode(&rest));
            if inverted.len() < plain.len() {
                inverted
            } else {
                plain
            }
        } else {
            plain
        };
        parts.push(part);
    }
    while parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    parts.join(",")
}

/// The index as written: see `docs/search.md`.
#[derive(Debug, Serialize)]
pub struct Index {
    pub version: u32,
    pub weights: [u32; 3],
    pub stop: &'static [&'static str],
    /// Per type, in [`Kind::ALL`] order: its name and its label.
    pub kinds: Vec<(&'static str, String)>,
    /// Per record: type (index into `kinds`), path from the site root,
    /// title, long date or "", snippet or "".
    pub docs: Vec<(usize, String, String, String, String)>,
    /// Every term, sorted by UTF-16 code units (JavaScript's string order).
    pub terms: Vec<String>,
    /// Per term, its posting lists (see [`postings`]).
    pub postings: Vec<String>,
}

/// The terms of one record, each under the best field it occurs in.
pub type DocTerms = HashMap<String, Field>;

/// The terms of entity `e`: its own text and the names of what it refers to.
pub fn doc_terms(graph: &Graph, e: &Entity) -> DocTerms {
    texts(graph, e).terms()
}

/// Each entity's [`doc_terms`], in graph order.
pub fn all_doc_terms(graph: &Graph) -> Vec<DocTerms> {
    graph
        .entities
        .par_iter()
        .map(|e| doc_terms(graph, e))
        .collect()
}

/// Build the index of every entity in the graph, as a value (for tests and
/// tools; the file is written by [`LiveIndex`], and a test checks that the
/// two agree).
pub fn build(graph: &Graph, urls: &Urls, strings: &Value) -> Index {
    let per_doc = all_doc_terms(graph);
    let per_doc: Vec<&DocTerms> = per_doc.iter().collect();
    let mut by_term: HashMap<&str, [Vec<u32>; 3]> = HashMap::new();
    for (i, terms) in per_doc.iter().enumerate() {
        for (term, f) in terms.iter() {
            by_term.entry(term).or_default()[*f as usize].push(i as u32);
        }
    }
    let mut terms: Vec<(&str, [Vec<u32>; 3])> = by_term.into_iter().collect();
    terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let n = graph.entities.len();
    Index {
        version: 1,
        weights: WEIGHTS,
        stop: STOP_WORDS,
        kinds: kinds(strings),
        docs: graph
            .entities
            .iter()
            .map(|e| doc_entry(urls, strings, e))
            .collect(),
        postings: terms.iter().map(|(_, l)| postings(l, n)).collect(),
        terms: terms.into_iter().map(|(t, _)| t.to_string()).collect(),
    }
}

/// Per type, in [`Kind::ALL`] order: its name and its label.
fn kinds(strings: &Value) -> Vec<(&'static str, String)> {
    Kind::ALL
        .iter()
        .map(|k| {
            let label = strings["kinds"][k.name()]["one"].as_str();
            (k.name(), label.unwrap_or(k.name()).to_string())
        })
        .collect()
}

/// What a result shows of a record: see [`Index::docs`].
fn doc_entry(urls: &Urls, strings: &Value, e: &Entity) -> (usize, String, String, String, String) {
    let k = Kind::ALL.iter().position(|k| *k == e.meta.kind);
    (
        k.unwrap_or(0),
        urls.from_root(Target::Entity(e.meta.kind, &e.meta.id)),
        e.title().to_string(),
        e.date().map(|d| d.long()).unwrap_or_default(),
        snippet(e, strings),
    )
}

/// `search-index.js`: the index as one JavaScript statement.
pub fn index_file(graph: &Graph, urls: &Urls, strings: &Value) -> OutFile {
    let per_doc = all_doc_terms(graph);
    let per_doc: Vec<&DocTerms> = per_doc.iter().collect();
    LiveIndex::new(graph, urls, strings, &per_doc).file()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn postings_round_trip_through_gaps_and_complements() {
        for ids in [
            vec![],
            vec![0],
            vec![0, 1, 2, 31, 32, 33, 1000, 40000],
            vec![5, 70],
        ] {
            assert_eq!(
                decode(&encode(&ids), 50000),
                ids.iter().map(|&i| i as usize).collect::<Vec<_>>()
            );
        }
        // Small gaps take one character.
        assert_eq!(encode(&[0, 1, 2, 4]), "0001");
        assert_eq!(encode(&[32]), "X0");
        // Nine of ten records: written as "all but record 3".
        let all_but_3: Vec<u32> = (0..10).filter(|&i| i != 3).collect();
        let p = postings(&[vec![], vec![], all_but_3.clone()], 10);
        assert_eq!(p, ",,!3");
        assert_eq!(
            decode(p.split(',').nth(2).unwrap(), 10),
            all_but_3.iter().map(|&i| i as usize).collect::<Vec<_>>()
        );
        // A complement covers the better fields too: record 0 is a title hit.
        let body: Vec<u32> = (1..9).collect();
        let p = postings(&[vec![0], vec![], body], 10);
        assert_eq!(p, "0,,!9");
        assert_eq!(decode("!9", 10), (0..9).collect::<Vec<_>>());
    }

    fn sample_index() -> Index {
        let strings = serde_json::json!({"kinds": {"person": {"one": "Person"}}});
        build(&sample_graph(""), &Urls::site("/"), &strings)
    }

    /// A small graph; `more` is appended to the grant's body.
    fn sample_graph(more: &str) -> Graph {
        let grant = format!("---\ntitle: Relief grant\npartnership: p\nfunder: acme\nrecipients:\n  - organization: acme\n    role: lead\nobjectives: [o]\nawarded: 2021-11-19\namount: 500000\ncurrency: USD\n---\nMoney for *shelters*.\n{more}");
        let (graph, diags) = testing::graph_of(&[
            (
                "people/tomas.md",
                "---\nname: Tomás Ölçer\npositions:\n  - title: Envoy\n    organization: acme\n---\n",
            ),
            (
                "organizations/acme.md",
                "---\nname: Acme Relief\nshort_name: ACME\nkind: ngo\n---\n",
            ),
            (
                "partnerships/p.md",
                "---\ntitle: P\nparties: [acme]\nobjectives:\n  - id: o\n    title: Protect children\nstatus: active\n---\n",
            ),
            ("grants/g.md", &grant),
        ]);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        graph
    }

    #[test]
    fn the_file_is_the_index_serialized_and_stays_so_after_updates() {
        let strings = serde_json::json!({"kinds": {"person": {"one": "Person"}}});
        let urls = Urls::site("/");
        let serialized = |g: &Graph| {
            let json = serde_json::to_string(&build(g, &urls, &strings)).unwrap();
            let json = json.replace('\u{2028}', "\\u2028");
            format!("window.{GLOBAL}={json};\n")
        };
        let before = sample_graph("");
        let file = |f: OutFile| String::from_utf8(f.bytes).unwrap();
        assert_eq!(
            file(index_file(&before, &urls, &strings)),
            serialized(&before)
        );
        // New words, a word gone ("shelters"), a line separator to escape.
        let after = sample_graph("Now for schools\u{2028} and clinics.");
        let old_terms = all_doc_terms(&before);
        let per_doc: Vec<&DocTerms> = old_terms.iter().collect();
        let mut live = LiveIndex::new(&before, &urls, &strings, &per_doc);
        let g = after.get(Kind::Grant, "g").unwrap();
        let new_terms = doc_terms(&after, &after.entities[g]);
        live.update(&after, &urls, &strings, &[(g, &old_terms[g], &new_terms)]);
        let text = file(live.file());
        assert_eq!(text, serialized(&after));
        assert!(text.contains("\"clinics\"") && text.contains("\\u2028"));
        // And back: terms no record has any more leave the index.
        live.update(&before, &urls, &strings, &[(g, &new_terms, &old_terms[g])]);
        assert_eq!(file(live.file()), serialized(&before));
        assert!(!file(live.file()).contains("\"clinics\""));
    }

    fn lookup(ix: &Index, term: &str) -> Vec<(Field, String)> {
        let t = ix.terms.iter().position(|t| t == term).expect(term);
        let fields = [Field::Title, Field::Names, Field::Body];
        let mut out = Vec::new();
        for (f, list) in fields.iter().zip(ix.postings[t].split(',')) {
            for d in decode(list, ix.docs.len()) {
                if !out.iter().any(|(_, p)| *p == ix.docs[d].1) {
                    out.push((*f, ix.docs[d].1.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn index_records_fields_names_numbers_and_paths() {
        let ix = sample_index();
        assert_eq!(ix.docs.len(), 4);
        assert!(ix.kinds.contains(&("person", "Person".into())));
        assert!(
            ix.kinds.contains(&("grant", "grant".into())),
            "label falls back to the name"
        );
        let w = |t| lookup(&ix, t);
        assert_eq!(w("tomas"), [(Field::Title, "people/tomas/".into())]);
        assert_eq!(w("olcer"), [(Field::Title, "people/tomas/".into())]);
        // Named on the grant as funder and recipient: a names hit there,
        // a title hit on the organization itself.
        let acme = w("acme");
        assert!(acme.contains(&(Field::Title, "organizations/acme/".into())));
        assert!(acme.contains(&(Field::Names, "grants/g/".into())));
        assert!(acme.contains(&(Field::Names, "people/tomas/".into())));
        assert!(w("500000").contains(&(Field::Body, "grants/g/".into())));
        assert!(w("2021").contains(&(Field::Body, "grants/g/".into())));
        assert!(w("november").contains(&(Field::Body, "grants/g/".into())));
        assert!(w("shelters").contains(&(Field::Body, "grants/g/".into())));
        assert!(
            w("children").contains(&(Field::Body, "grants/g/".into())),
            "objective title"
        );
        assert!(w("children").contains(&(Field::Names, "partnerships/p/".into())));
        assert!(!ix.terms.iter().any(|t| t == "the" || t == "for"));
        let g = ix.docs.iter().find(|d| d.1 == "grants/g/").unwrap();
        assert_eq!(
            (g.3.as_str(), g.4.as_str()),
            ("19 November 2021", "Money for shelters.")
        );
        let mut sorted = ix.terms.clone();
        sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        assert_eq!(ix.terms, sorted);
    }

    #[test]
    fn bundle_paths_name_index_files() {
        let u = Urls {
            style: crate::urls::Style::Relative,
        };
        let t = Target::Entity(Kind::Grant, "x");
        assert_eq!(u.from_root(t), "grants/x/index.html");
        assert_eq!(Urls::site("/cpc/").from_root(t), "grants/x/");
        assert_eq!(u.from_root(Target::Asset(INDEX_FILE)), INDEX_FILE);
    }

    #[test]
    fn snippets_are_cut_at_a_word() {
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
