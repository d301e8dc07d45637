//! The briefing page combines many records' bodies on one page: build
//! `tests/fixtures/briefing-site` (two dialogues and a report that use the
//! same footnote labels and heading texts as each other and as the
//! briefing's own sections) and check that every id on the page is unique
//! and every `href="#…"` lands on an id of that page.

mod common;

use common::repo;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn build(root: &Path, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The values of every `name="…"` attribute. Text and attribute values are
/// escaped (`"` is `&quot;`), so ` name="` only starts an attribute.
fn attrs(html: &str, name: &str) -> Vec<String> {
    html.split(&format!(" {name}=\""))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_string())
        .collect()
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&repo().join("tests/fixtures/briefing-site"), &out);
    (tmp, out)
}

#[test]
fn briefing_ids_are_unique_and_every_fragment_link_lands_on_the_page() {
    let (_tmp, out) = built();
    let html = page(&out, "partnerships/pp/briefing/index.html");
    let ids = attrs(&html, "id");
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &ids {
        *count.entry(id).or_default() += 1;
    }
    let repeated: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "repeated ids: {repeated:?}");
    let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let fragments: Vec<String> = attrs(&html, "href")
        .into_iter()
        .filter_map(|h| h.strip_prefix('#').map(str::to_string))
        .collect();
    let dangling: Vec<&String> = fragments
        .iter()
        .filter(|f| !ids.contains(f.as_str()))
        .collect();
    assert!(
        dangling.is_empty(),
        "links to no id on the page: {dangling:?}"
    );
    // Each record's footnote reference goes to its own footnote, and its
    // in-body links to its own headings.
    for d in ["d1", "d2"] {
        for (href, id) in [
            (format!("#dialogue-{d}--1"), format!("dialogue-{d}--1")),
            (
                format!("#dialogue-{d}--note"),
                format!("dialogue-{d}--note"),
            ),
            (
                format!("#dialogue-{d}--source"),
                format!("dialogue-{d}--source"),
            ),
        ] {
            assert!(fragments.contains(&href[1..].to_string()), "no {href}");
            assert!(ids.contains(id.as_str()), "no id {id}");
        }
        let note =
            format!(r#"id="dialogue-{d}--1"><sup class="footnote-definition-label">1</sup>"#);
        assert!(html.contains(&note), "{note}");
        assert!(html.contains(&format!("First note of dialogue {d}.")));
        // A fragment that is none of the body's ids goes to the record's page.
        let away = format!(r#"href="/dialogues/{d}/#participants""#);
        assert!(html.contains(&away), "{away}");
    }
    // The partnership's own body does not take the briefing's section ids.
    assert!(ids.contains("partnership-pp--objectives"));
    assert!(html.contains(r##"href="#partnership-pp--objectives""##));
    // Repeated headings in one body, and an explicit id a made one would
    // have taken: the explicit one keeps it.
    for id in [
        "report-r1--remarks",
        "report-r1--remarks-1",
        "report-r1--remarks-2",
    ] {
        assert!(ids.contains(id), "no id {id}");
    }
    assert!(html.contains(r#"<h3 id="report-r1--remarks-1">Later</h3>"#));
}

#[test]
fn a_record_page_keeps_its_plain_ids() {
    let (_tmp, out) = built();
    let html = page(&out, "dialogues/d1/index.html");
    let ids = attrs(&html, "id");
    for id in ["remarks", "source", "1", "note"] {
        assert!(ids.iter().any(|x| x == id), "no id {id} in {ids:?}");
    }
    assert!(html.contains(r##"<a href="#source">The source</a>"##));
}
