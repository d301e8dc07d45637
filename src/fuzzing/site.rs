//! A whole small site, built from files the fuzzer chooses: the build
//! succeeds or returns errors, never panics, and writes only its output.

use crate::site::{build, Quiet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The bytes hold files, each after a line `@@ <path>` (relative to the
/// site's root: `gazette.yaml`, `content/...`, `themes/...`). Paths are cut
/// down to plain names of `[a-z0-9._-]`, so the fuzzer cannot itself write
/// outside the site. The site is built in a temporary folder; afterwards
/// that folder holds the site exactly as written and, beside it, the output
/// folder (only if the build succeeded), and nothing else.
pub fn site(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let files = files_of(&text);
    if files.is_empty() {
        return;
    }
    let scratch = Scratch::new();
    let root = scratch.0.join("site");
    let out_parent = scratch.0.join("out");
    let out = out_parent.join("output");
    for (path, body) in &files {
        let p = root.join(path);
        if let Some(parent) = p.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                return; // a file where a folder was asked for
            }
        }
        if p.is_dir() || std::fs::write(&p, body).is_err() {
            return;
        }
    }
    std::fs::create_dir_all(&out_parent).expect("a scratch folder");
    let before = tree(&root);
    let written = build(&root, &out, &Quiet);
    let errors = written.checked.has_errors();
    match &written.files {
        None => assert!(errors, "no output and no error"),
        Some(Ok(n)) => {
            assert!(!errors, "output written despite errors");
            assert!(*n > 0 && out.join("index.html").is_file(), "no home page");
        }
        Some(Err(e)) => panic!("writing the output failed: {e}"),
    }
    for d in &written.checked.diagnostics {
        assert!(!d.file.is_empty(), "a diagnostic without a file: {d:?}");
    }
    super::print_all(&written.checked.diagnostics, &written.checked.sources);
    assert_eq!(
        tree(&root),
        before,
        "the build changed the site's own files"
    );
    let beside: Vec<_> = std::fs::read_dir(&out_parent)
        .expect("the scratch folder")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    let expected: Vec<std::ffi::OsString> = if written.files.as_ref().is_some_and(|r| r.is_ok()) {
        vec!["output".into()]
    } else {
        Vec::new()
    };
    assert_eq!(beside, expected, "files left beside the output");
}

/// `(path, text)` of each `@@ <path>` section, paths made plain.
fn files_of(text: &str) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("@@ ") {
            if out.len() == 64 {
                break;
            }
            match plain(path.trim_end()) {
                Some(p) => out.push((p, String::new())),
                None => out.push((PathBuf::from("content/ignored.txt"), String::new())),
            }
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
        }
    }
    out
}

/// `path` as plain relative folder and file names, or `None`.
fn plain(path: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = path.split('/').collect();
    let ok = |s: &&str| {
        !s.is_empty()
            && s.len() <= 64
            && !s.starts_with('.')
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    };
    (parts.len() <= 5 && parts.iter().all(ok)).then(|| parts.iter().collect())
}

/// Every file and folder under `dir`, with the bytes of each file.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.expect("a readable entry");
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).expect("readable"));
            (e.path().to_path_buf(), bytes)
        })
        .collect()
}

/// A temporary folder of this process and thread, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let thread = format!("{:?}", std::thread::current().id());
        let name: String = thread.chars().filter(char::is_ascii_digit).collect();
        let dir =
            std::env::temp_dir().join(format!("gazette-fuzz-site-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
