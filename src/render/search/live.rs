//! The search index as pieces: each record's entry, each record's text
//! and each term's encoded posting lists, serialized once and kept.
//! `search-index.js` and the text files are put together from them, so
//! watch mode re-encodes only the terms and texts of the records an edit
//! touched instead of the whole index, and rewrites only the text files
//! holding those records. Full builds use the same code, so both write the
//! same bytes.

use super::{
    doc_entry, kinds, postings_json, text_path, DocTerms, Field, TextFiles, GLOBAL, INDEX_FILE,
    STOP_WORDS, TEXTS_PER_FILE, TEXT_GLOBAL, VERSION, WEIGHTS,
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
    /// The index of every record in `graph`, with each record's terms as
    /// watch mode keeps them (in graph order). Made a slice of records at a
    /// time, as [`LiveIndex::stream`] is: a record's full terms are held
    /// only while its slice is merged (at 10,000 records, 120 MB at once).
    pub fn kept(graph: &Graph, urls: &Urls, strings: &Say) -> (LiveIndex, Vec<KeptTerms>) {
        let mut texts = Vec::with_capacity(graph.len());
        let mut kept = Vec::with_capacity(graph.len());
        let by_term = terms_in_slices(graph, strings, KeptTerms::of, &mut |_, t, k| {
            texts.par_extend(t.into_par_iter().map(|t| pack(&t)));
            kept.extend(k);
        });
        (LiveIndex::of(graph, urls, strings, texts, by_term), kept)
    }

    /// The search files of `graph` handed to `put` as they are made: each
    /// slice's text files as soon as its records' terms are, then
    /// `search-index.js`. A build holds neither every record's text nor
    /// every text file at once (at 10,000 records, 80 and 42 MB).
    pub fn stream(graph: &Graph, urls: &Urls, strings: &Say, put: &mut dyn FnMut(OutFile)) {
        let by_term = terms_in_slices(graph, strings, |_| (), &mut |from, slice, _| {
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

    /// Record `i`'s terms went from `old` to `new`, and its text and entry
    /// may have changed: update them. The graph must hold the same records
    /// in the same order as when the index was made (see
    /// [`LiveIndex::renumber`]).
    pub fn update(
        &mut self,
        graph: &Graph,
        urls: &Urls,
        say: &Say,
        changes: &[(usize, &KeptTerms, &DocTerms)],
    ) {
        let mut dirty: BTreeSet<Term> = BTreeSet::new();
        for &(i, old, new) in changes {
            let id = i as u32;
            self.docs[i] = doc_json(graph, urls, say, i);
            let text = pack(&text_json(new));
            if self.texts[i] != text {
                self.texts[i] = text;
                self.changed.insert(i / TEXTS_PER_FILE);
            }
            let new = KeptTerms::of(new);
            for (term, was, is) in old.diff(&new) {
                let key = Term(term);
                if let (Some(f), Some(l)) = (was, self.terms.get_mut(&key)) {
                    let list = &mut l.ids[f as usize];
                    if let Ok(at) = list.binary_search(&id) {
                        list.remove(at);
                    }
                }
                if let Some(f) = is {
                    let l = self.terms.entry(key.clone()).or_insert_with(|| Lists {
                        ids: Default::default(),
                        json: String::new(),
                    });
                    let list = &mut l.ids[f as usize];
                    if let Err(at) = list.binary_search(&id) {
                        list.insert(at, id);
                    }
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

    /// Records came, went or moved: record `j` of the index is now record
    /// `to[j]` of `graph` (`None`: gone). The entries and texts of the
    /// records that stayed are moved, not made again; a new record gets
    /// its entry and no terms or text, which [`LiveIndex::update`] then
    /// gives it (with an empty [`KeptTerms`] as its old terms). Every term's
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

/// A record's terms as watch mode keeps them, to tell what an edit
/// changed: sorted, in one buffer deflated, and without the record's text,
/// which the index holds. A [`DocTerms`] map takes several times the
/// memory; the buffer as it is, about three times (18 MB at 10,000
/// records, against 6).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeptTerms {
    /// The terms in byte order, each followed by a newline (no term holds
    /// one: terms are single words), packed.
    words: Packed,
    /// Each term's field, in the same order.
    fields: Box<[Field]>,
}

impl KeptTerms {
    pub fn of(doc: &DocTerms) -> KeptTerms {
        let mut terms: Vec<(&String, &Field)> = doc.terms.iter().collect();
        terms.sort_unstable();
        let mut words = String::with_capacity(terms.iter().map(|(t, _)| t.len() + 1).sum());
        for (t, _) in &terms {
            words.push_str(t);
            words.push('\n');
        }
        KeptTerms {
            // Deflating into memory does not fail; were it to, the next
            // edit of the record would see every term as new.
            words: Packed::new(words.as_bytes()).unwrap_or_default(),
            fields: terms.iter().map(|(_, f)| **f).collect(),
        }
    }

    /// The terms, each with its field.
    fn terms(&self) -> Vec<(String, Field)> {
        let mut words = String::new();
        self.words.inflate_str(&mut words);
        words
            .split_terminator('\n')
            .map(str::to_string)
            .zip(self.fields.iter().copied())
            .collect()
    }

    /// The terms whose field differs between `self` and `new`: each with
    /// its field in `self` and in `new` (`None`: not there).
    fn diff(&self, new: &KeptTerms) -> Vec<(String, Option<Field>, Option<Field>)> {
        let (a, b) = (self.terms(), new.terms());
        let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
        let mut out = Vec::new();
        loop {
            let step = match (a.peek(), b.peek()) {
                (None, None) => return out,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(x), Some(y)) => x.0.cmp(&y.0),
            };
            match step {
                Ordering::Less => out.extend(a.next().map(|(t, f)| (t, Some(f), None))),
                Ordering::Greater => out.extend(b.next().map(|(t, f)| (t, None, Some(f)))),
                Ordering::Equal => {
                    if let (Some((t, f)), Some((_, g))) = (a.next(), b.next()) {
                        if f != g {
                            out.push((t, Some(f), Some(g)));
                        }
                    }
                }
            }
        }
    }
}

/// Records per slice in [`terms_in_slices`]: a multiple of the records per
/// text file, so that each slice makes whole text files.
const AT_ONCE: usize = 2048;
const _: () = assert!(AT_ONCE.is_multiple_of(TEXTS_PER_FILE));

/// Every record's terms, made a slice of records at a time in parallel and
/// merged: each term's records by field, ids ascending. Each slice's texts
/// (as JSON) and what `keep` makes of each record's terms go to `texts`
/// with the number of its first record, so a build holds one slice's terms
/// and texts besides the index itself.
fn terms_in_slices<K: Send>(
    graph: &Graph,
    strings: &Say,
    keep: impl Fn(&DocTerms) -> K + Sync,
    texts: &mut dyn FnMut(usize, Vec<String>, Vec<K>),
) -> Vec<(String, [Vec<u32>; 3])> {
    let mut by_term: HashMap<String, [Vec<u32>; 3]> = HashMap::new();
    for from in (0..graph.len()).step_by(AT_ONCE) {
        let to = (from + AT_ONCE).min(graph.len());
        let docs: Vec<(String, K, DocTerms)> = graph.entities[from..to]
            .par_iter()
            .map(|e| {
                let doc = super::doc_terms(graph, strings, e);
                (text_json(&doc), keep(&doc), doc)
            })
            .collect();
        let mut slice = Vec::with_capacity(docs.len());
        let mut kept = Vec::with_capacity(docs.len());
        for (k, (text, own, doc)) in docs.into_iter().enumerate() {
            slice.push(text);
            kept.push(own);
            for (term, f) in doc.terms {
                by_term.entry(term).or_default()[f as usize].push((from + k) as u32);
            }
        }
        texts(from, slice, kept);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(terms: &[(&str, Field)]) -> DocTerms {
        DocTerms {
            terms: terms.iter().map(|(t, f)| (t.to_string(), *f)).collect(),
            text: "not kept".into(),
        }
    }

    #[test]
    fn kept_terms_tell_which_terms_came_went_or_changed_field() {
        let old = KeptTerms::of(&doc(&[
            ("b", Field::Body),
            ("a", Field::Title),
            ("c", Field::Names),
            ("étape", Field::Body),
        ]));
        let new = KeptTerms::of(&doc(&[
            ("c", Field::Names),
            ("b", Field::Title),
            ("d", Field::Body),
            ("étape", Field::Body),
        ]));
        let diff = old.diff(&new);
        let diff: Vec<_> = diff.iter().map(|(t, a, b)| (t.as_str(), *a, *b)).collect();
        assert_eq!(
            diff,
            [
                ("a", Some(Field::Title), None),
                ("b", Some(Field::Body), Some(Field::Title)),
                ("d", None, Some(Field::Body)),
            ]
        );
        assert!(old.diff(&old).is_empty());
        let none = KeptTerms::default();
        assert_eq!(none.diff(&new).len(), 4);
        assert!(new
            .diff(&none)
            .iter()
            .all(|(_, was, is)| was.is_some() && is.is_none()));
    }
}
