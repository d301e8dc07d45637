//! Search: build the sample site and check the index it writes, the search
//! form on every page, and the browser-side search itself, run in Node
//! against the built index (Node is required: CI installs it).

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
    let text = std::fs::read_to_string(out.join(search::INDEX_FILE)).expect("index written");
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
    let entities: usize = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
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
        assert_eq!(index, format!("{root}{}", search::INDEX_FILE), "{rel}");
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
    assert_eq!(d["date"], "19 November 2021");
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
    std::fs::write(b.out.join("text.txt"), &text).unwrap();
    let script = format!(
        "{LOAD}
const text = require('fs').readFileSync(path.join(dir, 'text.txt'), 'utf8');
console.log(JSON.stringify({{ words: s.words(text), tokens: s.tokenize(text) }}));"
    );
    let r = node(&script, &b.out);
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
}
