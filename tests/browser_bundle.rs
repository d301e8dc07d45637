//! The offline bundle in a real browser: make the sample site's bundle with
//! the real binary (`gazette bundle`), unzip it under a folder whose path has
//! a space and Mongolian letters, then run `tests/browser/bundle.mjs`, which
//! opens it over `file://` in headless Chromium with the network off:
//! navigation by clicking, search, the printable briefing (contents, print
//! styles, PDF), axe-core (WCAG 2.1 A/AA), console and request hygiene, and
//! screenshots and `briefing.pdf` in `target/screenshots/`.
//!
//! Needs Node, Chromium and `tests/browser/node_modules`; `bash .ci/run`
//! installs them. Missing any of them is a failure, never a skip.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The Node suite stops itself after 120 s; this is the backstop.
const TIMEOUT: Duration = Duration::from_secs(300);

const INSTALL: &str = "run `bash .ci/run` (installs everything), or install by hand: \
     `apt-get install -y chromium` and `npm ci --prefix tests/browser`";

/// Where the bundle is unzipped: a space and non-ASCII letters, as on an
/// official's laptop ("child protection" in Mongolian).
const PLACE: &str = "Хүүхэд хамгаалал";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Everything the suite needs, or a panic saying what to install.
fn preflight() {
    let mut missing = Vec::new();
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => missing.push("Node (`node` is not on PATH)".to_string()),
    }
    let chromium = chromium();
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium (no {}; set CHROMIUM to use another path)",
            chromium.display()
        ));
    }
    let modules = repo().join("tests/browser/node_modules/playwright-core/package.json");
    if !modules.is_file() {
        missing.push("tests/browser/node_modules (playwright-core is not installed)".to_string());
    }
    assert!(
        missing.is_empty(),
        "the offline-bundle browser test cannot run; missing:\n  - {}\n{INSTALL}",
        missing.join("\n  - ")
    );
}

fn make_bundle(zip: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(repo())
        .args(["bundle", "-o"])
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

/// Unzip with the zip crate into `dir`; returns the bundle's one top folder.
fn unzip(zip: &Path, dir: &Path) -> PathBuf {
    let file = std::fs::File::open(zip).unwrap();
    let mut archive = zip::ZipArchive::new(file).expect("the bundle is a zip");
    let mut top: Option<std::ffi::OsString> = None;
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).unwrap();
        let name = e
            .enclosed_name()
            .unwrap_or_else(|| panic!("zip entry {:?} escapes the folder", e.name()));
        let first = name.components().next().unwrap().as_os_str().to_owned();
        let top = top.get_or_insert_with(|| first.clone());
        assert_eq!(
            *top,
            first,
            "the bundle has more than one top folder: {:?} and {:?}",
            top,
            e.name()
        );
        let path = dir.join(&name);
        if e.is_dir() {
            std::fs::create_dir_all(&path).unwrap();
        } else {
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        }
    }
    dir.join(top.expect("the bundle is empty"))
}

#[test]
fn offline_bundle_over_file_urls_in_headless_chromium() {
    preflight();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("cpc-site.zip");
    make_bundle(&zip);
    let site = unzip(&zip, &tmp.path().join(PLACE));
    assert!(
        site.join("index.html").is_file(),
        "no index.html in the bundle's top folder {}",
        site.display()
    );

    let shots = repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    // Output goes to files, not pipes, so a chatty suite can never block.
    let log_path = tmp.path().join("browser-bundle.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new("node")
        .arg(repo().join("tests/browser/bundle.mjs"))
        .arg(&site)
        .arg("--screenshots")
        .arg(&shots)
        .env("CHROMIUM", chromium())
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("could not start node: {e}\n{INSTALL}"));

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = std::fs::read_to_string(&log_path).unwrap_or_default();
    // The whole log (every check) shows with the failure, or with --nocapture.
    println!("{output}");
    // The panic message repeats just the list of failures.
    let failures = output
        .find("\nFAILURES")
        .map_or(output.as_str(), |i| &output[i + 1..]);
    match status {
        None => panic!(
            "the offline-bundle browser suite did not finish in {} s and was killed; its output is above",
            TIMEOUT.as_secs()
        ),
        Some(s) => assert!(
            s.success(),
            "offline-bundle browser checks failed ({s}); the log of every check is above\n{failures}"
        ),
    }
}
