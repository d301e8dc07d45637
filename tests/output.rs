//! Where a build writes: static files among the generated ones (a static
//! `robots.txt` replaces the generated one; any other clash is an error),
//! and which folders `--output` may replace.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gazette(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette")
}

fn build_into(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    gazette(root, &args)
}

fn fixture(name: &str) -> PathBuf {
    common::repo().join("tests/fixtures").join(name)
}

/// A copy of a fixture site in a temporary folder.
fn copy(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

// ---- Static files among generated ones. ----

#[test]
fn a_static_file_with_the_path_of_a_generated_one_is_an_error_naming_both() {
    // The site's search-index.js and the theme's data/graph.json: both
    // reported; the site's robots.txt is allowed.
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let o = build_into(&fixture("static-clash"), &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "static file `search-index.js` has the path of the search index that Gazette generates"
        ) && err.contains("in static/search-index.js"),
        "{err}"
    );
    assert!(
        err.contains("static file `data/graph.json` has the path of an open-data file")
            && err.contains("in themes/default/static/data/graph.json"),
        "{err}"
    );
    assert!(err.contains("rename the static file"), "{err}");
    assert!(err.contains("2 errors"), "{err}");
    assert!(!err.contains("robots.txt` has"), "{err}");
    assert!(!out.exists());
    // `bundle` renders the same files and refuses the same way.
    let o = gazette(
        &fixture("static-clash"),
        &["bundle", "-o", t.path().join("b.zip").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("static file `search-index.js`"));
}

#[test]
fn a_site_static_robots_txt_replaces_the_generated_one() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy(&fixture("static-clash"), &site);
    std::fs::remove_file(site.join("static/search-index.js")).unwrap();
    std::fs::remove_dir_all(site.join("themes")).unwrap();
    let out = t.path().join("out");
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = snapshot(&out);
    assert_eq!(files["robots.txt"], b"User-agent: *\nDisallow: /drafts/\n");
    assert_eq!(files["extra.css"], b"body { color: black }\n");
    // The generated files are Gazette's own.
    assert!(
        files["search-index.js"].starts_with(b"window."),
        "search index"
    );
    assert!(files["data/graph.json"].starts_with(b"{"));
    assert!(!files["data/graph.json"].starts_with(b"{\"hand-made\""));
}

// ---- Which folders `--output` may replace. ----

fn small_site() -> PathBuf {
    common::repo().join("tests/bad_input/valid-baseline")
}

#[test]
fn build_refuses_a_folder_that_is_not_gazette_output_and_leaves_it_untouched() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("notes");
    std::fs::create_dir_all(out.join("drafts")).unwrap();
    std::fs::write(out.join("notes.txt"), "my notes").unwrap();
    std::fs::write(out.join("drafts/a.md"), "a draft").unwrap();
    let before = snapshot(&out);
    let o = build_into(&small_site(), &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("holds files Gazette did not write (`drafts`, `notes.txt`) and has no `.gazette-output`"),
        "{err}"
    );
    assert!(err.contains("pass --force"), "{err}");
    assert_eq!(snapshot(&out), before);
    // `watch` refuses the same folder before it starts.
    let o = gazette(&small_site(), &["watch", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("has no `.gazette-output`"));
    assert_eq!(snapshot(&out), before);
    // --force replaces it.
    let o = build_into(&small_site(), &out, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("notes.txt").exists());
    assert!(out.join("index.html").is_file());
}

#[test]
fn build_replaces_an_empty_folder_and_its_own_output() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let o = build_into(&small_site(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let marker = std::fs::read_to_string(out.join(".gazette-output")).unwrap();
    assert!(marker.contains("gazette build"), "{marker}");
    // A file left in a marked output goes with the next build.
    std::fs::write(out.join("stray.html"), "x").unwrap();
    let o = build_into(&small_site(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("stray.html").exists());
    assert!(out.join(".gazette-output").is_file());
}

#[test]
fn build_replaces_the_output_of_an_earlier_gazette_without_the_marker() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    assert!(build_into(&small_site(), &out, &[]).status.success());
    std::fs::remove_file(out.join(".gazette-output")).unwrap();
    let o = build_into(&small_site(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join(".gazette-output").is_file());
}

#[test]
fn the_marker_is_in_no_bundle() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("b.zip");
    let o = gazette(&small_site(), &["bundle", "-o", zip.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let root = common::unzip(&zip, &t.path().join("unzipped"));
    assert!(!snapshot(&root)
        .keys()
        .any(|k| k.contains(".gazette-output")));
}
