//! Search: build the sample site and check the index and text files it
//! writes, the search form on every page, and the browser-side search
//! itself, run in Node against the built index (Node is required: CI
//! installs it).

use gazette::render::search::{self, decode};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Built {
    _tmp: tempfile::TempDir,
    out: PathBuf,
}

fn build_sample() -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(repo())
        .args(["build", "--output", out.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Built { _tmp: tmp, out }
}

/// The index as JSON: the file minus `window.GAZETTE_SEARCH=` and `;`.
fn index(out: &Path) -> Value {
    index_in(out, "")
}

/// The index of the language with folder `lang` (`mn/`).
fn index_in(out: &Path, lang: &str) -> Value {
    let file = out.join(lang).join(search::INDEX_FILE);
    let text = std::fs::read_to_string(file).expect("index written");
    let json = text
        .trim_end()
        .strip_prefix(&format!("window.{}=", search::GLOBAL))
        .and_then(|t| t.strip_suffix(';'))
        .expect("window.GAZETTE_SEARCH=…;");
    serde_json::from_str(json).expect("index is JSON")
}

/// The paths of the records `term` occurs in, in any field.
fn paths_for(ix: &Value, term: &str) -> Vec<String> {
    let terms = ix["terms"].as_array().unwrap();
    let t = terms
        .iter()
        .position(|x| x == term)
        .unwrap_or_else(|| panic!("`{term}` not in the index"));
    let docs = ix["docs"].as_array().unwrap();
    let mut out = Vec::new();
    for list in ix["postings"][t].as_str().unwrap().split(',') {
        for d in decode(list, docs.len()) {
            out.push(docs[d][1].as_str().unwrap().to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The file a root-relative site URL is served from.
fn file_for(out: &Path, path: &str) -> PathBuf {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        out.join(path).join("index.html")
    } else {
        out.join(path)
    }
}

fn html_pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_string_lossy();
            (
                rel.replace('\\', "/"),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The value of `attr="…"` in the first tag that has it.
fn attr<'a>(html: &'a str, attr: &str) -> Option<&'a str> {
    let start = html.find(&format!(" {attr}=\""))? + attr.len() + 3;
    Some(&html[start..start + html[start..].find('"')?])
}

#[test]
fn the_index_holds_every_record_and_its_people() {
    let b = build_sample();
    let ix = index(&b.out);
    let docs = ix["docs"].as_array().unwrap();
    // Record files, not their translations (`x.mn.md`): ids have no dot.
    let entities: usize = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| {
            e.path()
                .file_stem()
                .is_some_and(|s| !s.to_string_lossy().contains('.'))
        })
        .count();
    assert_eq!(docs.len(), entities, "one document per record");
    assert_eq!(
        paths_for(&ix, "klecheski"),
        [
            "dialogues/2021-11-19-first-bilateral-dialogue/",
            "people/michael-klecheski/"
        ]
    );
    assert!(paths_for(&ix, "500000").contains(&"grants/cpc-consortium-grant/".into()));
    // The total the grant's page leads with, $5,500,000 (award and tranche).
    assert_eq!(paths_for(&ix, "5500000"), ["grants/cpc-consortium-grant/"]);
    // "Multidisciplinary" as written, and both parts of "victim-centered" and
    // the parts joined.
    assert!(paths_for(&ix, "multidisciplinary")
        .contains(&"pledges/establish-multidisciplinary-task-force/".into()));
    for t in ["victim", "centered", "victimcentered"] {
        assert!(
            paths_for(&ix, t).contains(&"pledges/enhance-victim-centered-investigations/".into())
        );
    }
    assert!(paths_for(&ix, "2021").contains(&"grants/cpc-consortium-grant/".into()));
    assert!(paths_for(&ix, "ulaanbaatar")
        .contains(&"dialogues/2021-11-19-first-bilateral-dialogue/".into()));
    assert!(!ix["terms"].as_array().unwrap().iter().any(|t| t == "the"));
}

#[test]
fn every_url_in_the_index_is_a_written_page() {
    let b = build_sample();
    let ix = index(&b.out);
    for d in ix["docs"].as_array().unwrap() {
        let path = d[1].as_str().unwrap();
        assert!(!path.starts_with('/'), "{path} is not relative to the root");
        assert!(file_for(&b.out, path).is_file(), "{path} was not written");
    }
}

#[test]
fn every_page_has_the_search_form_pointing_at_the_index() {
    let b = build_sample();
    let pages = html_pages(&b.out);
    assert!(pages.len() > 20);
    assert!(b.out.join("search.js").is_file());
    for (rel, html) in &pages {
        let form = &html[html
            .find("<form class=\"search\"")
            .unwrap_or_else(|| panic!("{rel}: no search form"))..];
        let root = attr(form, "data-root").expect("data-root");
        let index = attr(form, "data-index").expect("data-index");
        // Each language's pages search its own index.
        let lang = if rel.starts_with("mn/") { "mn/" } else { "" };
        assert_eq!(
            index,
            format!("{root}{lang}{}", search::INDEX_FILE),
            "{rel}"
        );
        assert!(file_for(&b.out, index).is_file(), "{rel}: {index} missing");
        let action = attr(form, "action").expect("action");
        assert!(
            file_for(&b.out, action).is_file(),
            "{rel}: {action} missing"
        );
        assert!(form.contains("method=\"get\"") && form.contains("name=\"q\""));
        for id in ["search-input", "search-status", "search-results"] {
            assert_eq!(
                html.matches(&format!("id=\"{id}\"")).count(),
                1,
                "{rel}: one #{id}"
            );
        }
        assert!(html.contains("type=\"search\""), "{rel}");
        assert!(html.contains(&format!("src=\"{root}search.js\"")), "{rel}");
    }
    let page = std::fs::read_to_string(b.out.join("search/index.html")).unwrap();
    assert!(page.contains("id=\"search-nojs\""));
    assert!(page.contains("needs JavaScript"));
}

/// Run `script` with Node, giving it the built site's folder; its stdout as JSON.
fn node(script: &str, out: &Path) -> Value {
    let path = out.join("check.js");
    std::fs::write(&path, script).unwrap();
    let o = match Command::new("node").arg(&path).arg(out).output() {
        Ok(o) => o,
        Err(e) => panic!(
            "tests/search.rs needs Node.js (`node` on PATH) to run search.js: {e}. \
             Install Node.js 18 or newer; CI installs it."
        ),
    };
    assert!(
        o.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("node printed JSON")
}

const LOAD: &str = r#"
const path = require('path');
const dir = process.argv[2];
global.window = {};
require(path.join(dir, 'search-index.js'));
const s = require(path.join(dir, 'search.js'));
// Record d's text, from its text file, as search.js loads it in a page.
function textOf(ix, d) {
  const [file, k, at] = ix.textFile(d);
  require(path.join(dir, file));
  return window.GAZETTE_TEXT[k][at];
}
// [[text, marked]] as "text [marked] text".
const show = (segments) => segments.map(([t, m]) => (m ? '[' + t + ']' : t)).join('');
"#;

#[test]
fn search_js_ranks_the_sample_in_node() {
    let b = build_sample();
    let script = format!(
        "{LOAD}
const ix = s.open(window.GAZETTE_SEARCH);
const out = {{}};
for (const q of ['Johnstone', 'World Vision', 'klecheski', 'Klech', '$500,000', 'the', 'zzzz'])
  out[q] = ix.search(q, 20);
console.log(JSON.stringify(out));"
    );
    let r = node(&script, &b.out);
    let first = |q: &str| {
        r[q]["results"][0]["path"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(first("Johnstone"), "people/kari-johnstone/");
    assert_eq!(r["Johnstone"]["results"][0]["label"], "Person");
    assert_eq!(first("World Vision"), "organizations/world-vision/");
    assert_eq!(first("klecheski"), "people/michael-klecheski/");
    assert_eq!(r["klecheski"]["total"], 2);
    assert_eq!(first("Klech"), "people/michael-klecheski/", "prefix match");
    assert!(r["$500,000"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["path"] == "grants/cpc-consortium-grant/"));
    assert_eq!(r["the"]["total"], 0, "stop words alone find nothing");
    assert_eq!(r["zzzz"]["total"], 0);
    let d = &r["klecheski"]["results"][1];
    assert_eq!(d["label"], "Dialogue");
    assert_eq!(d["date"], "November 19, 2021");
}

/// For each query, the results' paths and their snippets with the marked
/// words in brackets, as search.js makes them in Node from the built site.
fn results(b: &Built, queries: &[&str]) -> Value {
    let queries = serde_json::to_string(queries).unwrap();
    let script = format!(
        "{LOAD}
const ix = s.open(window.GAZETTE_SEARCH);
const out = {{}};
for (const q of {queries})
  out[q] = ix.search(q, 20).results.map((r) => [r.path, show(ix.snippet(textOf(ix, r.doc), q)), show(ix.segments(r.title, q))]);
console.log(JSON.stringify(out));"
    );
    node(&script, &b.out)
}

/// The snippet and title of `path` among the results for `q`, if found.
fn found<'v>(r: &'v Value, q: &str, path: &str) -> Option<(&'v str, &'v str)> {
    r[q].as_array()?
        .iter()
        .find(|x| x[0] == path)
        .map(|x| (x[1].as_str().unwrap_or(""), x[2].as_str().unwrap_or("")))
}

#[test]
fn amounts_are_found_however_they_are_written_and_the_snippet_shows_them() {
    let b = build_sample();
    let grant = "grants/cpc-consortium-grant/";
    let total = [
        "5,500,000",
        "5500000",
        "$5,500,000",
        "5,500,000.00",
        "5.500.000",
        "5\u{202f}500\u{202f}000",
    ];
    let r = results(&b, &[&total[..], &["500,000", "$500,000.00"]].concat());
    for q in total {
        let (snippet, _) = found(&r, q, grant)
            .unwrap_or_else(|| panic!("{q:?} does not find the grant: {}", r[q]));
        assert!(snippet.contains("$[5,500,000]"), "{q:?}: {snippet}");
    }
    for q in ["500,000", "$500,000.00"] {
        let (snippet, _) = found(&r, q, grant).unwrap_or_else(|| panic!("{q:?}: {}", r[q]));
        assert!(
            snippet.contains("additional $[500,000] to the consortium"),
            "{q:?}: {snippet}"
        );
    }
}

#[test]
fn hyphenated_and_joined_words_find_each_other() {
    let b = build_sample();
    let pledge = "pledges/establish-multidisciplinary-task-force/";
    let victim = "pledges/enhance-victim-centered-investigations/";
    let qs = [
        "multi-disciplinary",
        "multidisciplinary",
        "Multi-Disc",
        "victim-centered",
        "victimcentered",
        "victim centered",
        "centered",
    ];
    let r = results(&b, &qs);
    for q in &qs[..3] {
        let (snippet, title) = found(&r, q, pledge).unwrap_or_else(|| panic!("{q:?}: {}", r[q]));
        assert!(
            snippet.contains("establish a [Multidisciplinary] Task Force"),
            "{q:?}: {snippet}"
        );
        assert_eq!(title, "Establish a [Multidisciplinary] Task Force", "{q:?}");
    }
    for q in &qs[3..5] {
        let (snippet, _) = found(&r, q, victim).unwrap_or_else(|| panic!("{q:?}: {}", r[q]));
        assert!(
            snippet.contains("enhance [victim-centered] investigations"),
            "{q:?}: {snippet}"
        );
    }
    // The parts of a hyphenated word are words of their own.
    let (snippet, _) = found(&r, "victim centered", victim).expect("victim centered");
    assert!(
        snippet.contains("enhance [victim]-[centered] investigations"),
        "{snippet}"
    );
    let (snippet, _) = found(&r, "centered", victim).expect("centered");
    assert!(
        snippet.contains("enhance victim-[centered] investigations"),
        "{snippet}"
    );
}

#[test]
fn snippets_quote_the_field_that_matched() {
    let b = build_sample();
    let r = results(
        &b,
        &[
            "additional funds",
            "Acting Director",
            "trauma-informed care",
            "zzzz",
        ],
    );
    // A tranche note, not the body (which has "additional" but not "funds").
    let (s, _) = found(&r, "additional funds", "grants/cpc-consortium-grant/").expect("grant");
    assert!(
        s.starts_with("[Additional] [funds] to the consortium"),
        "{s}"
    );
    // A person's position.
    let (s, _) = found(&r, "Acting Director", "people/kari-johnstone/").expect("person");
    assert!(s.starts_with("[Acting] [Director] of the Office"), "{s}");
    // A dialogue's outcome, cut with "…" only where the text goes on.
    let (s, _) = found(
        &r,
        "trauma-informed care",
        "dialogues/2021-11-19-first-bilateral-dialogue/",
    )
    .expect("dialogue");
    assert!(
        s.contains("[trauma-informed] and victim-centered [care]"),
        "{s}"
    );
    assert_eq!(r["zzzz"], serde_json::json!([]));
}

#[test]
fn every_record_has_its_text_in_its_text_file() {
    let b = build_sample();
    let ix = index(&b.out);
    let per_file = ix["text"]["per_file"].as_u64().unwrap() as usize;
    assert_eq!(ix["text"]["path"], "search/text-");
    let n = ix["docs"].as_array().unwrap().len();
    let script = format!(
        "{LOAD}
const ix = s.open(window.GAZETTE_SEARCH);
console.log(JSON.stringify(window.GAZETTE_SEARCH.docs.map((_, d) => textOf(ix, d))));"
    );
    let texts: Vec<String> = serde_json::from_value(node(&script, &b.out)).unwrap();
    assert_eq!(texts.len(), n);
    assert_eq!(
        std::fs::read_dir(b.out.join("search")).unwrap().count(),
        1 + n.div_ceil(per_file),
        "the search page and the text files"
    );
    let d = |path: &str| {
        ix["docs"]
            .as_array()
            .unwrap()
            .iter()
            .position(|x| x[1] == path)
            .unwrap()
    };
    // The body first, as on the page; white space collapsed.
    let grant = &texts[d("grants/cpc-consortium-grant/")];
    assert!(
        grant.starts_with("In 2020 the U.S. government invested $5 million"),
        "{grant}"
    );
    assert!(grant.contains("\nTotal: $5,500,000\n"), "{grant}");
    assert!(!grant.contains("  "));
    // No ids or keys: only what a reader sees.
    assert!(
        !grant.contains("cpc-consortium-grant") && !grant.contains("USD"),
        "{grant}"
    );
}

#[test]
fn each_languages_index_quotes_its_own_text_files() {
    let b = build_sample();
    let ix = index_in(&b.out, "mn/");
    // From the site root, like the docs' paths: the Mongolian text files,
    // not the English ones at search/.
    assert_eq!(ix["text"]["path"], "mn/search/text-");
    let d = ix["docs"]
        .as_array()
        .unwrap()
        .iter()
        .position(|x| x[1] == "mn/dialogues/2021-11-19-first-bilateral-dialogue/")
        .unwrap();
    let per_file = ix["text"]["per_file"].as_u64().unwrap() as usize;
    let file = b.out.join(format!("mn/search/text-{}.js", d / per_file));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("хоёр талын яриа хэлэлцээг цахимаар зохион байгуулав"),
        "{}: {text}",
        file.display()
    );
}

#[test]
fn search_js_tokenizes_exactly_like_the_build() {
    let b = build_sample();
    // Every folded Latin letter on its own, then mixed text.
    let mut text: String = (0xc0..=0x24f)
        .chain(0x1e00..=0x1eff)
        .filter_map(char::from_u32)
        .flat_map(|c| [c, ' '])
        .collect();
    text.push_str(
        "Tomás ÖLÇER Straße Œuvre Þór İstanbul ΟΔΟΣ Улаанбаатар Өлзий Ёндон Үйлс \
         $500,000 1,2,3 4, 5 U.S.–Mongolia «quoted» x²y 20 % 2021‑11‑19 日本語、テスト \
         ＡＢＣ１２ emoji😀here Toma\u{301}s a\u{b7}b",
    );
    // Numbers as pages in different languages group them, and hyphens.
    text.push_str(
        " $5,500,000.00 5.500.000,00 5 500 000 5\u{a0}500\u{a0}000 5\u{202f}500\u{202f}000₮ \
         2,000.000 2.000,0 12.50 1,234,5678 19.11.2021 in 2020 100 000 people 1.000.00 0,00 \
         ٣٬٠٠٠ 12,34,567 5,000-10,000 1 000-2 000 \
         multi-disciplinary victim\u{2010}centered state-of-the-art COVID\u{2011}19 e-mail \
         multi\u{ad}disciplinary -x y- a--b Ölçer-Straße x-1,000 1,000-x",
    );
    std::fs::write(b.out.join("text.txt"), &text).unwrap();
    let script = format!(
        "{LOAD}
const text = require('fs').readFileSync(path.join(dir, 'text.txt'), 'utf8');
console.log(JSON.stringify({{ words: s.words(text), tokens: s.tokenize(text), groups: s.groups(text) }}));"
    );
    let r = node(&script, &b.out);
    let js_groups: Vec<Vec<String>> = serde_json::from_value(r["groups"].clone()).unwrap();
    assert_eq!(js_groups, search::groups(&text));
    let js_words: Vec<String> = serde_json::from_value(r["words"].clone()).unwrap();
    let rust_words = search::words(&text);
    for (i, (j, w)) in js_words.iter().zip(&rust_words).enumerate() {
        assert_eq!(j, w, "word {i} differs");
    }
    assert_eq!(js_words.len(), rust_words.len());
    // The build also drops stop words; search.js drops them from queries.
    let js_tokens: Vec<String> = serde_json::from_value(r["tokens"].clone()).unwrap();
    let rust_tokens: Vec<&String> = rust_words.iter().filter(|w| search::keep(w)).collect();
    let js_kept: Vec<&String> = js_tokens
        .iter()
        .filter(|w| !search::STOP_WORDS.contains(&w.as_str()))
        .collect();
    assert_eq!(js_kept, rust_tokens);
    assert!(rust_words.contains(&"tomas".to_string()));
    assert!(rust_words.contains(&"улаанбаатар".to_string()));
    assert!(rust_words.contains(&"500000".to_string()));
    let count = |w: &str| rust_words.iter().filter(|x| *x == w).count();
    assert_eq!(count("5500000"), 5, "every way of writing 5,500,000");
    assert_eq!(count("multidisciplinary"), 2);
    assert!(rust_words.contains(&"victimcentered".to_string()));
}
