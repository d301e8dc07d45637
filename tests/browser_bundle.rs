//! The offline bundle in a real browser: make the sample site's bundle with
//! the real binary (`gazette bundle`), unzip it under a folder whose path has
//! a space and Mongolian letters, then run `tests/browser/bundle.mjs`, which
//! opens it over `file://` in headless Chromium with the network off:
//! navigation by clicking, search, the printable briefing (contents, print
//! styles, PDF), axe-core (WCAG 2.1 A/AA), console and request hygiene, and
//! screenshots and `briefing.pdf` in `target/screenshots/`.
//!
//! A second run does the same for a bundle of the Mongolian pages only
//! (`gazette bundle --lang mn`, `tests/browser/bundle-mn.mjs`), and checks
//! that none of its pages shows one of the theme's English interface
//! strings that Mongolian says otherwise.
//!
//! Needs Node, Chromium and `tests/browser/node_modules`; `bash .ci/run`
//! installs them. Missing any of them is a failure, never a skip.

mod common;

use common::{browser_preflight, repo, run_browser_suite, run_browser_suite_with, unzip};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const PLACE: &str = "Хүүхэд хамгаалал";

fn make_bundle(zip: &Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(repo())
        .arg("bundle")
        .args(args)
        .arg("-o")
        .arg(zip)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    assert!(
        o.status.success(),
        "`gazette bundle` of the sample site failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn offline_bundle_over_file_urls_in_headless_chromium() {
    browser_preflight();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("cpc-site.zip");
    make_bundle(&zip, &[]);
    let site = unzip(&zip, &tmp.path().join(PLACE));
    assert!(
        site.join("index.html").is_file(),
        "no index.html in the bundle's top folder {}",
        site.display()
    );
    run_browser_suite("bundle.mjs", &site, tmp.path());
}

/// Every string of `v` by its dotted key (`kinds.grant.one`).
fn flatten(prefix: &str, v: &serde_yaml::Value, out: &mut BTreeMap<String, String>) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                let k = k.as_str().map_or_else(|| format!("{k:?}"), str::to_string);
                let key = if prefix.is_empty() {
                    k
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        serde_yaml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        _ => {}
    }
}

fn strings(lang: &str) -> BTreeMap<String, String> {
    let path = repo().join(format!("themes/default/strings/{lang}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    flatten("", &v, &mut out);
    out
}

/// The literal pieces of a string between its placeholders (`{n}`), each
/// without the spaces and punctuation at its ends.
fn pieces(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let cut = rest.find('{').and_then(|i| {
            let end = i + rest[i..].find('}')?;
            let name = &rest[i + 1..end];
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .then_some((i, end + 1))
        });
        let (piece, next) = match cut {
            Some((i, j)) => (&rest[..i], Some(&rest[j..])),
            None => (rest, None),
        };
        out.push(
            piece
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string(),
        );
        match next {
            Some(n) => rest = n,
            None => return out,
        }
    }
}

/// The English interface strings a Mongolian page may not show: every
/// string of `strings/en.yaml` that `mn.yaml` says otherwise (or lacks, so
/// that a Mongolian page would show it in English), as its pieces between
/// placeholders longer than 3 characters with a Latin letter (a
/// placeholder alone, `*` or ` → ` is not English).
fn english_interface_strings() -> Vec<serde_json::Value> {
    let (en, mn) = (strings("en"), strings("mn"));
    let mut out = Vec::new();
    for (key, text) in &en {
        if mn.get(key) == Some(text) {
            continue;
        }
        for piece in pieces(text) {
            if piece.chars().count() > 3 && piece.chars().any(|c| c.is_ascii_alphabetic()) {
                out.push(serde_json::json!({ "key": key, "text": piece }));
            }
        }
    }
    out
}

#[test]
fn the_pieces_of_a_string_are_its_text_between_placeholders() {
    assert_eq!(pieces("{n} results for “{q}”"), ["", "results for", ""]);
    assert_eq!(pieces("None recorded."), ["None recorded"]);
    assert_eq!(pieces("{ not a placeholder }"), ["not a placeholder"]);
    let forbidden = english_interface_strings();
    let has = |t: &str| forbidden.iter().any(|f| f["text"] == t);
    assert!(has("Skip to main content") && has("results for") && has("Partnership"));
    // The same in both languages: not English to a Mongolian reader.
    assert!(!has("CSV on the Web") && !has("schema.org"));
}

#[test]
fn mongolian_bundle_over_file_urls_in_headless_chromium() {
    browser_preflight();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("cpc-site-mn.zip");
    make_bundle(&zip, &["--lang", "mn"]);
    let site = unzip(&zip, &tmp.path().join(PLACE));
    assert!(
        site.join("mn/index.html").is_file(),
        "no mn/index.html in the Mongolian bundle {}",
        site.display()
    );
    let forbid = tmp.path().join("english-strings.json");
    std::fs::write(
        &forbid,
        serde_json::to_string_pretty(&english_interface_strings()).unwrap(),
    )
    .unwrap();
    run_browser_suite_with(
        "bundle-mn.mjs",
        &[site.as_os_str(), "--forbid".as_ref(), forbid.as_os_str()],
        tmp.path(),
    );
}
