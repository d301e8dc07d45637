//! The search index as pieces: each record's entry, each record's text
//! and each term's encoded posting lists, serialized once and kept.
//! `search-index.js` and the text files are put together from them, so
//! watch mode re-encodes only the terms and texts of the records an edit
//! touched instead of the whole index, and rewrites only the text files
//! holding those records. Full builds use the same code, so both write the
//! same bytes.

use super::{
    doc_entry, kinds, postings_json, text_path, DocTerms, Field, TextFiles, FIELDS, GLOBAL,
    INDEX_FILE, STOP_WORDS, TEXTS_PER_FILE, TEXT_GLOBAL, VERSION, WEIGHTS,
};
use crate::graph::Graph;
use crate::packed::Packed;
use crate::render::say::Say;
use crate::render::OutFile;
use crate::urls::Urls;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// A term, ordered by UTF-16 code units: JavaScript's string order, which
/// `search.js` relies on for its binary search.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term(String);

impl Ord for Term {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.encode_utf16().cmp(other.0.encode_utf16())
    }
}

impl PartialOrd for Term {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One term's records by field, and those lists as written.
#[derive(Debug)]
struct Lists {
    ids: [Vec<u32>; 3],
    /// The JSON string of [`postings`].
    json: String,
}

/// The index of a site, updatable record by record.
#[derive(Debug)]
pub struct LiveIndex {
    /// The JSON before the records: version, weights, stop words, types.
    head: String,
    /// Each record's entry as JSON, in graph order.
    docs: Vec<String>,
    /// Each record's text as a JSON string, packed (watch mode keeps the
    /// index for the whole session: 43 MB at 10,000 records as it is), in
    /// graph order. Shared with the text files watch mode keeps
    /// ([`LiveIndex::text_pieces`]).
    texts: Vec<Arc<Packed>>,
    terms: BTreeMap<Term, Lists>,
    /// Text files changed since [`LiveIndex::take_changed_texts`].
    changed: BTreeSet<usize>,
}

/// A record's entry, escaped for a `<script>` the way the whole file is.
fn doc_json(graph: &Graph, urls: &Urls, say: &Say, i: usize) -> String {
    js_safe(json(&doc_entry(urls, say, &graph.entities[i])))
}

/// A record's text as a JSON string, escaped the same way.
fn text_json(doc: &DocTerms) -> String {
    js_safe(json(&doc.text))
}

/// A record's text as the index keeps it. Deflating into memory does not
/// fail; were it to, the record would show no text.
fn pack(text: &str) -> Arc<Packed> {
    Arc::new(Packed::new(text.as_bytes()).unwrap_or_default())
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Valid JSON, but not a valid string literal in older JavaScript engines.
fn js_safe(s: String) -> String {
    if s.contains(['\u{2028}', '\u{2029}']) {
        s.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        s
    }
}

impl LiveIndex {
    /// The index of every record in `graph`, as watch mode keeps it.
    /// Made a slice of records at a time, as [`LiveIndex::stream`] is: a
    /// record's full terms are held only while its slice is merged (at
    /// 10,000 records, 120 MB at once).
    pub fn new(graph: &Graph, urls: &Urls, strings: &Say) -> LiveIndex {
        let mut texts = Vec::with_capacity(graph.len());
        let by_term = terms_in_slices(graph, strings, &mut |_, t| {
            texts.par_extend(t.into_par_iter().map(|t| pack(&t)));
        });
        LiveIndex::of(graph, urls, strings, texts, by_term)
    }

    /// The search files of `graph` handed to `put` as they are made: each
    /// slice's text files as soon as its records' terms are, then
    /// `search-index.js`. A build holds neither every record's text nor
    /// every text file at once (at 10,000 records, 80 and 42 MB).
    pub fn stream(graph: &Graph, urls: &Urls, strings: &Say, put: &mut dyn FnMut(OutFile)) {
        let by_term = terms_in_slices(graph, strings, &mut |from, slice| {
            for (k, texts) in slice.chunks(TEXTS_PER_FILE).enumerate() {
                put(text_file(from / TEXTS_PER_FILE + k, texts));
            }
        });
        put(LiveIndex::of(graph, urls, strings, Vec::new(), by_term).file());
    }

    /// The index from each record's text (as JSON) and each term's records
    /// by field, ids ascending.
    fn of(
        graph: &Graph,
        urls: &Urls,
        strings: &Say,
        texts: Vec<Arc<Packed>>,
        by_term: Vec<(String, [Vec<u32>; 3])>,
    ) -> LiveIndex {
        let head = format!(
            "{{\"version\":{VERSION},\"weights\":{},\"stop\":{},\"kinds\":{},\"text\":{},\"docs\":[",
            json(&WEIGHTS),
            json(STOP_WORDS),
            js_safe(json(&kinds(strings))),
            js_safe(json(&TextFiles::new(urls))),
        );
        let docs = (0..graph.len())
            .into_par_iter()
            .map(|i| doc_json(graph, urls, strings, i))
            .collect();
        let n = graph.len();
        let terms = by_term
            .into_par_iter()
            .map(|(t, mut ids)| {
                // Kept by watch mode: without the slack of their growth.
                ids.iter_mut().for_each(Vec::shrink_to_fit);
                let json = postings_json(&ids, n);
                (Term(t), Lists { ids, json })
            })
            .collect();
        let changed = (0..graph.len().div_ceil(TEXTS_PER_FILE)).collect();
        LiveIndex {
            head,
            docs,
            texts,
            terms,
            changed,
        }
    }

    /// How many records the index holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Record `i`'s terms are now `new`, and its text and entry may have
    /// changed: update them, and the lists of the terms it gained, lost or
    /// holds under another field. The graph must hold the same records in
    /// the same order as when the index was made (see
    /// [`LiveIndex::renumber`]).
    pub fn update(
        &mut self,
        graph: &Graph,
        urls: &Urls,
        say: &Say,
        changes: &[(usize, &DocTerms)],
    ) {
        let records: Vec<usize> = changes.iter().map(|c| c.0).collect();
        let old = self.terms_of(&records);
        let mut dirty: BTreeSet<Term> = BTreeSet::new();
        for (&(i, new), old) in changes.iter().zip(&old) {
            let id = i as u32;
            self.docs[i] = doc_json(graph, urls, say, i);
            let text = pack(&text_json(new));
            if self.texts[i] != text {
                self.texts[i] = text;
                self.changed.insert(i / TEXTS_PER_FILE);
            }
            for (term, &f) in old {
                if new.terms.get(term) == Some(&f) {
                    continue;
                }
                let key = Term(term.clone());
                if let Some(l) = self.terms.get_mut(&key) {
                    let list = &mut l.ids[f as usize];
                    if let Ok(at) = list.binary_search(&id) {
                        list.remove(at);
                    }
                }
                dirty.insert(key);
            }
            for (term, &f) in &new.terms {
                if old.get(term) == Some(&f) {
                    continue;
                }
                let key = Term(term.clone());
                let l = self.terms.entry(key.clone()).or_insert_with(|| Lists {
                    ids: Default::default(),
                    json: String::new(),
                });
                let list = &mut l.ids[f as usize];
                if let Err(at) = list.binary_search(&id) {
                    list.insert(at, id);
                }
                dirty.insert(key);
            }
        }
        let n = self.docs.len();
        for key in dirty {
            let empty = match self.terms.get_mut(&key) {
                Some(l) if l.ids.iter().any(|x| !x.is_empty()) => {
                    l.json = postings_json(&l.ids, n);
                    false
                }
                Some(_) => true,
                None => false,
            };
            if empty {
                self.terms.remove(&key);
            }
        }
    }

    /// The terms of each of `records` as the index holds them, each under
    /// its field: read from the posting lists in one pass, so that watch
    /// mode need not keep every record's terms besides the index (15 MB at
    /// 10,000 records, packed).
    pub(super) fn terms_of(&self, records: &[usize]) -> Vec<HashMap<String, Field>> {
        const NONE: u32 = u32::MAX;
        let mut at = vec![NONE; self.docs.len()];
        for (k, &i) in records.iter().enumerate() {
            if let Some(a) = at.get_mut(i) {
                *a = k as u32;
            }
        }
        let mut out = vec![HashMap::new(); records.len()];
        for (term, l) in &self.terms {
            for (f, ids) in FIELDS.iter().zip(&l.ids) {
                for &id in ids {
                    let k = at.get(id as usize).copied().unwrap_or(NONE);
                    if k != NONE {
                        out[k as usize].insert(term.0.clone(), *f);
                    }
                }
            }
        }
        out
    }

    /// Records came, went or moved: record `j` of the index is now record
    /// `to[j]` of `graph` (`None`: gone). The entries and texts of the
    /// records that stayed are moved, not made again; a new record gets
    /// its entry and no terms or text, which [`LiveIndex::update`] then
    /// gives it. Every term's
    /// lists are renumbered and encoded again, as the record count changed.
    pub fn renumber(&mut self, graph: &Graph, urls: &Urls, say: &Say, to: &[Option<u32>]) {
        let n = graph.len();
        let mut docs: Vec<Option<String>> = vec![None; n];
        let mut texts: Vec<Option<Arc<Packed>>> = vec![None; n];
        for (j, i) in to.iter().enumerate() {
            let Some(i) = i.map(|i| i as usize).filter(|&i| i < n) else {
                continue;
            };
            docs[i] = self.docs.get_mut(j).map(std::mem::take);
            texts[i] = self.texts.get_mut(j).map(std::mem::take);
            if i != j {
                self.changed.insert(i / TEXTS_PER_FILE);
            }
        }
        let no_text = pack(&text_json(&DocTerms::new()));
        self.docs = docs
            .into_par_iter()
            .enumerate()
            .map(|(i, d)| d.unwrap_or_else(|| doc_json(graph, urls, say, i)))
            .collect();
        self.texts = texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                t.unwrap_or_else(|| {
                    self.changed.insert(i / TEXTS_PER_FILE);
                    no_text.clone()
                })
            })
            .collect();
        let terms = std::mem::take(&mut self.terms);
        self.terms = terms
            .into_par_iter()
            .filter_map(|(term, mut l)| {
                for ids in &mut l.ids {
                    ids.retain_mut(|id| match to.get(*id as usize).copied().flatten() {
                        Some(i) => {
                            *id = i;
                            true
                        }
                        None => false,
                    });
                    if !ids.is_sorted() {
                        ids.sort_unstable();
                    }
                }
                if l.ids.iter().all(Vec::is_empty) {
                    return None;
                }
                l.json = postings_json(&l.ids, n);
                Some((term, l))
            })
            .collect();
    }

    /// `search-index.js`: the index as one JavaScript statement.
    pub fn file(&self) -> OutFile {
        let size = self.head.len()
            + self.docs.iter().map(|d| d.len() + 1).sum::<usize>()
            + self
                .terms
                .iter()
                .map(|(t, l)| t.0.len() + l.json.len() + 6)
                .sum::<usize>()
            + 64;
        let mut out = String::with_capacity(size);
        out.push_str("window.");
        out.push_str(GLOBAL);
        out.push('=');
        out.push_str(&self.head);
        join(&mut out, self.docs.iter().map(String::as_str));
        out.push_str("],\"terms\":[");
        let quoted: Vec<String> = self.terms.keys().map(|t| js_safe(json(&t.0))).collect();
        join(&mut out, quoted.iter().map(String::as_str));
        out.push_str("],\"postings\":[");
        join(&mut out, self.terms.values().map(|l| l.json.as_str()));
        out.push_str("]};\n");
        OutFile {
            path: INDEX_FILE.into(),
            bytes: out.into_bytes(),
        }
    }
}

impl LiveIndex {
    /// How many text files the index has.
    pub fn text_files(&self) -> usize {
        self.texts.len().div_ceil(TEXTS_PER_FILE)
    }

    /// Text file `k`: see [`text_file`].
    pub fn text_file(&self, k: usize) -> OutFile {
        let from = (k * TEXTS_PER_FILE).min(self.texts.len());
        let to = (from + TEXTS_PER_FILE).min(self.texts.len());
        let texts: Vec<String> = self.texts[from..to]
            .iter()
            .map(|p| {
                let mut s = String::new();
                p.inflate_str(&mut s);
                s
            })
            .collect();
        text_file(k, &texts)
    }

    /// The text files changed since the last call (every one, the first
    /// time), in order.
    pub fn take_changed_texts(&mut self) -> Vec<OutFile> {
        let changed = self.take_changed();
        changed.into_par_iter().map(|k| self.text_file(k)).collect()
    }

    /// The numbers of the text files changed since the last call (every
    /// one, the first time), in order.
    pub fn take_changed(&mut self) -> Vec<usize> {
        let n = self.text_files();
        std::mem::take(&mut self.changed)
            .into_iter()
            .filter(|&k| k < n)
            .collect()
    }

    /// Text file `k` as pieces: what comes before its texts, its texts
    /// packed (each a JSON string, shared, not copied), to be joined by
    /// commas, and what comes after them. Read one after another, they are
    /// [`LiveIndex::text_file`].
    pub fn text_pieces(&self, k: usize) -> (String, &[Arc<Packed>], &'static str) {
        let from = (k * TEXTS_PER_FILE).min(self.texts.len());
        let to = (from + TEXTS_PER_FILE).min(self.texts.len());
        (text_head(k), &self.texts[from..to], TEXT_TAIL)
    }

    /// `search-index.js` and every text file.
    pub fn files(&self) -> Vec<OutFile> {
        let mut out = Vec::with_capacity(self.text_files() + 1);
        out.push(self.file());
        out.extend((0..self.text_files()).map(|k| self.text_file(k)));
        out
    }
}

/// Records per slice in [`terms_in_slices`]: a multiple of the records per
/// text file, so that each slice makes whole text files.
const AT_ONCE: usize = 2048;
const _: () = assert!(AT_ONCE.is_multiple_of(TEXTS_PER_FILE));

/// Every record's terms, made a slice of records at a time in parallel and
/// merged: each term's records by field, ids ascending. Each slice's texts
/// (as JSON) go to `texts` with the number of its first record, so a build
/// holds one slice's terms and texts besides the index itself.
fn terms_in_slices(
    graph: &Graph,
    strings: &Say,
    texts: &mut dyn FnMut(usize, Vec<String>),
) -> Vec<(String, [Vec<u32>; 3])> {
    let mut by_term: HashMap<String, [Vec<u32>; 3]> = HashMap::new();
    for from in (0..graph.len()).step_by(AT_ONCE) {
        let to = (from + AT_ONCE).min(graph.len());
        let docs: Vec<(String, DocTerms)> = graph.entities[from..to]
            .par_iter()
            .map(|e| {
                let doc = super::doc_terms(graph, strings, e);
                (text_json(&doc), doc)
            })
            .collect();
        let mut slice = Vec::with_capacity(docs.len());
        for (k, (text, doc)) in docs.into_iter().enumerate() {
            slice.push(text);
            for (term, f) in doc.terms {
                by_term.entry(term).or_default()[f as usize].push((from + k) as u32);
            }
        }
        texts(from, slice);
    }
    by_term.into_iter().collect()
}

/// Text file `k`, holding `texts`: one JavaScript statement that puts them
/// under `k` in `window.GAZETTE_TEXT`.
fn text_file(k: usize, texts: &[String]) -> OutFile {
    let mut out = String::with_capacity(texts.iter().map(|t| t.len() + 1).sum::<usize>() + 64);
    out.push_str(&text_head(k));
    join(&mut out, texts.iter().map(String::as_str));
    out.push_str(TEXT_TAIL);
    OutFile {
        path: text_path(k),
        bytes: out.into_bytes(),
    }
}

/// What text file `k` holds before its texts.
fn text_head(k: usize) -> String {
    format!("(window.{TEXT_GLOBAL}=window.{TEXT_GLOBAL}||{{}})[{k}]=[")
}

/// What a text file holds after its texts.
const TEXT_TAIL: &str = "];\n";

fn join<'s>(out: &mut String, items: impl Iterator<Item = &'s str>) {
    for (k, s) in items.enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(s);
    }
}
