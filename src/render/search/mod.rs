//! Full-text search, built at build time and run in the browser.
//!
//! Writes `search-index.js`, which assigns `window.GAZETTE_SEARCH`; the
//! theme's `search.js` loads it on demand with a `<script>` tag, because
//! `fetch` and modules are blocked on `file://`. The index is inverted: for
//! every term, the records it occurs in, split by the best field it occurs
//! in (title, names, other text) and delta-encoded as short strings.
//! Each record's readable text, which snippets quote, is in separate
//! scripts, [`TEXTS_PER_FILE`] records each (`search/text-0.js`, …), that
//! `search.js` loads only for the results it shows. The format is described
//! in `docs/search.md`.
//!
//! Tokenizing here and in `search.js` must agree: both fold case and Latin
//! diacritics the same way, split words with the same character classes,
//! and join numbers and hyphenated words the same way. The integration
//! tests run both on the same text.

use super::OutFile;
use crate::graph::Graph;
use crate::model::*;
use crate::render::say::Say;
use crate::urls::{Target, Urls};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

mod live;
mod postings;
mod scan;
mod texts;
pub mod words;
pub use live::LiveIndex;
pub use postings::{decode, encode};
use postings::{postings, postings_json};
pub use words::{fold, groups, keep, plain_text, tokens, words, MAX_TOKEN_CHARS, STOP_WORDS};

/// The file written at the site root.
pub const INDEX_FILE: &str = "search-index.js";

/// The global the index file assigns.
pub const GLOBAL: &str = "GAZETTE_SEARCH";

/// Where the text files are: this, their number, `.js`.
pub const TEXT_FILES: &str = "search/text-";

/// Records per text file: few enough that the files a page of results
/// needs stay small, enough that a large site does not get a file per
/// record. Chosen by measurement, see `docs/search.md`.
pub const TEXTS_PER_FILE: usize = 8;

/// The global the text files fill: an object from file number to texts.
pub const TEXT_GLOBAL: &str = "GAZETTE_TEXT";

/// The path of text file `k`.
pub fn text_path(k: usize) -> String {
    format!("{TEXT_FILES}{k}.js")
}

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

/// Every field, best first: a term's posting lists are in this order.
pub const FIELDS: [Field; 3] = [Field::Title, Field::Names, Field::Body];

/// The index format's version: 2 moved snippets to the text files.
pub const VERSION: u32 = 2;

/// The weight of each [`Field`] in ranking, in field order.
pub const WEIGHTS: [u32; 3] = [8, 4, 1];

/// The index as written: see `docs/search.md`.
#[derive(Debug, Serialize)]
pub struct Index {
    pub version: u32,
    pub weights: [u32; 3],
    pub stop: &'static [&'static str],
    /// Per type, in [`Kind::ALL`] order: its name and its label.
    pub kinds: Vec<(&'static str, String)>,
    /// Where each record's text is: see [`TextFiles`].
    pub text: TextFiles,
    /// Per record: type (index into `kinds`), path from the site root,
    /// title, long date or "".
    pub docs: Vec<DocEntry>,
    /// Every term, sorted by UTF-16 code units (JavaScript's string order).
    pub terms: Vec<String>,
    /// Per term, its posting lists (see [`postings`]).
    pub postings: Vec<String>,
}

/// What a result shows of a record: see [`Index::docs`].
pub type DocEntry = (usize, String, String, String);

/// Where the records' texts are: record `i` is entry `i % per_file` of the
/// file `path` + `i / per_file` + `.js` (from the site root, in the index's
/// language folder).
#[derive(Debug, Serialize)]
pub struct TextFiles {
    pub path: String,
    pub per_file: usize,
}

impl TextFiles {
    fn new(urls: &Urls) -> TextFiles {
        TextFiles {
            // Each language has its own, in its folder (`mn/search/`).
            path: urls.from_root(Target::LangFile(TEXT_FILES)),
            per_file: TEXTS_PER_FILE,
        }
    }
}

/// What the index holds of one record: its terms, each under the best
/// field it occurs in, and the text its snippets quote (its pieces, body
/// first, one a line). Made in one pass over the record, and kept whole by
/// watch mode, so that a new index needs neither made again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocTerms {
    pub terms: Terms,
    pub text: String,
}

/// A record's terms, each under the best field it occurs in. Hashed with
/// FxHash: the keys are the site's own words, and SipHash's protection
/// against chosen keys costs more here than the rest of a lookup.
pub type Terms = HashMap<String, Field, rustc_hash::FxBuildHasher>;

impl DocTerms {
    /// A record with no terms and no text.
    pub fn new() -> DocTerms {
        DocTerms::default()
    }
}

/// The terms and text of entity `e`: its own text and the names of what it
/// refers to; `strings` gives the labels its text quotes.
pub fn doc_terms(graph: &Graph, strings: &Say, e: &Entity) -> DocTerms {
    let t = texts::texts(graph, strings, e);
    DocTerms {
        terms: t.terms(),
        text: t.quoted(),
    }
}

/// Each entity's [`doc_terms`], in graph order.
pub fn all_doc_terms(graph: &Graph, strings: &Say) -> Vec<DocTerms> {
    graph
        .entities
        .par_iter()
        .map(|e| doc_terms(graph, strings, e))
        .collect()
}

/// Build the index of every entity in the graph, as a value (for tests and
/// tools; the file is written by [`LiveIndex`], and a test checks that the
/// two agree).
pub fn build(graph: &Graph, urls: &Urls, strings: &Say) -> Index {
    let per_doc = all_doc_terms(graph, strings);
    let mut by_term: HashMap<&str, [Vec<u32>; 3]> = HashMap::new();
    for (i, doc) in per_doc.iter().enumerate() {
        for (term, f) in doc.terms.iter() {
            by_term.entry(term).or_default()[*f as usize].push(i as u32);
        }
    }
    let mut terms: Vec<(&str, [Vec<u32>; 3])> = by_term.into_iter().collect();
    terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let n = graph.entities.len();
    Index {
        version: VERSION,
        weights: WEIGHTS,
        stop: STOP_WORDS,
        kinds: kinds(strings),
        text: TextFiles::new(urls),
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
fn kinds(strings: &Say) -> Vec<(&'static str, String)> {
    Kind::ALL
        .iter()
        .map(|k| {
            let label = strings["kinds"][k.name()]["one"].as_str();
            (k.name(), label.unwrap_or(k.name()).to_string())
        })
        .collect()
}

/// What a result shows of a record: see [`Index::docs`].
fn doc_entry(urls: &Urls, say: &Say, e: &Entity) -> DocEntry {
    let k = Kind::ALL.iter().position(|k| *k == e.meta.kind);
    (
        k.unwrap_or(0),
        urls.from_root(Target::Entity(e.meta.kind, &e.meta.id)),
        e.title().to_string(),
        e.date().map(|d| say.date(&d)).unwrap_or_default(),
    )
}

/// `search-index.js` and the text files: the whole search as files, the
/// index first.
pub fn index_files(graph: &Graph, urls: &Urls, strings: &Say) -> Vec<OutFile> {
    let mut files = Vec::new();
    LiveIndex::stream(graph, urls, strings, &mut |f| files.push(f));
    files.rotate_right(1);
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn strings() -> crate::render::say::Say<'static> {
        crate::testing::say(serde_json::json!({
            "kinds": {"person": {"one": "Person"}},
            "org_kind": {"ngo": "Non-governmental organization"},
            "grant_total": "Total",
            "award_amount": "Award amount"
        }))
    }

    fn sample_index() -> Index {
        build(&sample_graph("", 0), &Urls::site("/"), &strings())
    }

    /// A small graph; `more` is appended to the grant's body, and `people`
    /// more people are added.
    fn sample_graph(more: &str, people: usize) -> Graph {
        let grant = format!("---\ntitle: Relief grant\npartnership: p\nfunder: acme\nrecipients:\n  - organization: acme\n    role: lead\nobjectives: [o]\nawarded: 2021-11-19\namount: 500000\ncurrency: USD\ntranches:\n  - date: 2022\n    amount: 5000000\n    note: A  second,\n      larger part.\n---\nMoney for *shelters*\nand a multi-disciplinary team.\n{more}");
        let mut files = vec![
            (
                "people/tomas.md".to_string(),
                "---\nname: Tomás Ölçer\nhonorific: Dr.\npositions:\n  - title: Envoy\n    organization: acme\n---\n".to_string(),
            ),
            (
                "organizations/acme.md".into(),
                "---\nname: Acme Relief\nshort_name: ACME\nkind: ngo\n---\n".into(),
            ),
            (
                "partnerships/p.md".into(),
                "---\ntitle: P\nparties: [acme]\nobjectives:\n  - id: o\n    title: Protect children\nstatus: active\n---\n".into(),
            ),
            ("grants/g.md".into(), grant),
        ];
        for k in 0..people {
            files.push((
                format!("people/p{k}.md"),
                format!("---\nname: Person {k}\npositions:\n  - title: Officer {k}\n    organization: acme\n---\n"),
            ));
        }
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (graph, diags) = testing::graph_of(&files);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        graph
    }

    #[test]
    fn the_files_are_the_index_serialized_and_stay_so_after_updates() {
        let strings = strings();
        let urls = Urls::site("/");
        let serialized = |g: &Graph| {
            let json = serde_json::to_string(&build(g, &urls, &strings)).unwrap();
            let json = json.replace('\u{2028}', "\\u2028");
            let mut files = vec![format!("window.{GLOBAL}={json};\n")];
            let texts: Vec<String> = all_doc_terms(g, &strings)
                .into_iter()
                .map(|d| d.text)
                .collect();
            for (k, texts) in texts.chunks(TEXTS_PER_FILE).enumerate() {
                let json = serde_json::to_string(texts).unwrap();
                let json = json.replace('\u{2028}', "\\u2028");
                files.push(format!(
                    "(window.{TEXT_GLOBAL}=window.{TEXT_GLOBAL}||{{}})[{k}]={json};\n"
                ));
            }
            files
        };
        let text = |f: &OutFile| String::from_utf8(f.bytes.clone()).unwrap();
        let texts = |files: Vec<OutFile>| files.iter().map(text).collect::<Vec<_>>();
        // Two text files: the four records and more people.
        let people = TEXTS_PER_FILE + 2;
        let before = sample_graph("", people);
        let files = index_files(&before, &urls, &strings);
        assert_eq!(files.len(), 3);
        assert_eq!(files[1].path, "search/text-0.js");
        assert_eq!(texts(files), serialized(&before));
        // New words, a word gone ("shelters"), a line separator to escape.
        let after = sample_graph("Now for schools\u{2028} and clinics.", people);
        let old_terms = all_doc_terms(&before, &strings);
        let mut live = LiveIndex::new(&before, &urls, &strings);
        assert_eq!(live.take_changed_texts().len(), 2, "all, the first time");
        let g = after.get(Kind::Grant, "g").unwrap();
        let new_terms = doc_terms(&after, &strings, &after.entities[g]);
        live.update(&after, &urls, &strings, &[(g, &new_terms)]);
        assert_eq!(texts(live.files()), serialized(&after));
        let main = text(&live.file());
        assert!(
            main.contains("\"clinics\"")
                && main.contains(&format!(
                    "\"text\":{{\"path\":\"search/text-\",\"per_file\":{TEXTS_PER_FILE}}}"
                ))
        );
        // Only the text file holding the grant is new.
        let changed = live.take_changed_texts();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].path, text_path(g / TEXTS_PER_FILE));
        // The line separator is white space, collapsed in the quoted text.
        assert!(text(&changed[0]).contains("Now for schools and clinics."));
        assert!(live.take_changed_texts().is_empty());
        // And back: terms no record has any more leave the index.
        live.update(&before, &urls, &strings, &[(g, &old_terms[g])]);
        assert_eq!(texts(live.files()), serialized(&before));
        assert!(!text(&live.file()).contains("\"clinics\""));
    }

    #[test]
    fn the_index_tells_each_records_terms_from_its_lists() {
        let strings = strings();
        let graph = sample_graph("", 3);
        let live = LiveIndex::new(&graph, &Urls::site("/"), &strings);
        let want: Vec<HashMap<String, Field>> = all_doc_terms(&graph, &strings)
            .into_iter()
            .map(|d| d.terms.into_iter().collect())
            .collect();
        assert!(want.iter().all(|t| !t.is_empty()));
        let all: Vec<usize> = (0..graph.len()).collect();
        assert_eq!(live.terms_of(&all), want);
        assert_eq!(live.terms_of(&[3, 0]), [want[3].clone(), want[0].clone()]);
        assert!(live.terms_of(&[]).is_empty());
    }

    #[test]
    fn a_renumbered_index_is_the_index_of_the_new_graph_with_only_the_moved_text_files_new() {
        let strings = strings();
        let urls = Urls::site("/");
        let bytes = |files: Vec<OutFile>| -> Vec<(String, Vec<u8>)> {
            files.into_iter().map(|f| (f.path, f.bytes)).collect()
        };
        // Records in graph order: the partnership, the grant, the
        // organization, then people by id: p0, p1, p10 … p19, p2, (p20,)
        // p3 … p9, tomas. Person 20 is record 16, in the third text file.
        let twenty = sample_graph("", 20);
        let twenty_one = sample_graph("", 21);
        assert_eq!(twenty_one.get(Kind::Person, "p20"), Some(16));
        for (from, to, changed) in [
            (&twenty, &twenty_one, [2, 3]),
            (&twenty_one, &twenty, [2, 2]),
        ] {
            let mut live = LiveIndex::new(from, &urls, &strings);
            let mut files = bytes(live.files());
            live.take_changed_texts();
            let moves: Vec<Option<u32>> = from
                .entities
                .iter()
                .map(|e| to.get(e.meta.kind, &e.meta.id).map(|i| i as u32))
                .collect();
            live.renumber(to, &urls, &strings, &moves);
            let new_terms = all_doc_terms(to, &strings);
            let came: Vec<(usize, &DocTerms)> = (0..to.len())
                .filter(|&i| !moves.contains(&Some(i as u32)))
                .map(|i| (i, &new_terms[i]))
                .collect();
            live.update(to, &urls, &strings, &came);
            let expected = bytes(index_files(to, &urls, &strings));
            assert_eq!(bytes(live.files()), expected);
            // The old files with the changed ones written over them, and
            // those past the end gone, are the new files.
            files[0] = bytes(vec![live.file()]).remove(0);
            let new_texts = live.take_changed_texts();
            let paths: Vec<String> = new_texts.iter().map(|f| f.path.clone()).collect();
            let want: Vec<String> = (changed[0]..=changed[1]).map(text_path).collect();
            assert_eq!(paths, want, "only the files from person 20's on");
            for (path, b) in bytes(new_texts) {
                match files.iter().position(|(p, _)| *p == path) {
                    Some(at) => files[at].1 = b,
                    None => files.push((path, b)),
                }
            }
            files.truncate(live.text_files() + 1);
            assert_eq!(files, expected);
        }
    }

    fn lookup(ix: &Index, term: &str) -> Vec<(Field, String)> {
        let t = ix.terms.iter().position(|t| t == term).expect(term);
        let mut out = Vec::new();
        for (f, list) in FIELDS.iter().zip(ix.postings[t].split(',')) {
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
        assert_eq!(g.3, "November 19, 2021");
        // The amounts as the page writes them: award, tranche and total.
        for amount in ["500000", "5000000", "5500000", "usd"] {
            assert!(
                w(amount).contains(&(Field::Body, "grants/g/".into())),
                "{amount}"
            );
        }
        // Hyphenated: the parts and the whole.
        for word in ["multi", "disciplinary", "multidisciplinary"] {
            assert!(
                w(word).contains(&(Field::Body, "grants/g/".into())),
                "{word}"
            );
        }
        let mut sorted = ix.terms.clone();
        sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        assert_eq!(ix.terms, sorted);
    }

    #[test]
    fn bundle_paths_name_index_files() {
        let u = Urls::relative();
        let t = Target::Entity(Kind::Grant, "x");
        assert_eq!(u.from_root(t), "grants/x/index.html");
        assert_eq!(Urls::site("/cpc/").from_root(t), "grants/x/");
        assert_eq!(u.from_root(Target::Asset(INDEX_FILE)), INDEX_FILE);
    }

    #[test]
    fn quoted_text_is_what_pages_show_body_first() {
        let graph = sample_graph("", 0);
        let text = |kind, id| {
            let i = graph.get(kind, id).unwrap();
            doc_terms(&graph, &strings(), &graph.entities[i]).text
        };
        // White space collapsed, one piece a line; amounts as the page
        // writes them, the total first, labelled where the theme has a
        // label; ids, keys and ISO dates left out.
        assert_eq!(
            text(Kind::Grant, "g"),
            "Money for shelters and a multi-disciplinary team.\nNovember 19, 2021\n\
             Acme Relief (ACME)\nTotal: $5,500,000\nAward amount: $500,000\n$5,000,000\n\
             A second, larger part.\n2022\nProtect children"
        );
        // Labels from the theme's strings are quoted; the own short name is
        // not (the result shows the name).
        assert_eq!(
            text(Kind::Organization, "acme"),
            "Non-governmental organization"
        );
        assert_eq!(text(Kind::Person, "tomas"), "Envoy\nAcme Relief (ACME)");
    }
}
