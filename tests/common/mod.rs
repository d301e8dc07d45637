//! Helpers shared by the integration tests: the repository, a copy of the
//! sample site, unzipping a bundle, and running a Node browser suite.
//! Each test binary uses some of them.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copy the sample site (config and content) into `dir`.
pub fn copy_sample(dir: &Path) {
    let src = repo();
    for e in walkdir::WalkDir::new(src.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = dir.join(e.path().strip_prefix(&src).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
    std::fs::copy(src.join("gazette.yaml"), dir.join("gazette.yaml")).unwrap();
}

/// Unzip a bundle with the zip crate into `dir`; returns its one top folder.
pub fn unzip(zip: &Path, dir: &Path) -> PathBuf {
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
            "the bundle has more than one top folder: {top:?} and {:?}",
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

/// The Node suites stop themselves (run.mjs, the longest, after 330 s: every
/// page type in two languages); this is the backstop.
const TIMEOUT: Duration = Duration::from_secs(450);

const INSTALL: &str = "run `bash .ci/run` (installs everything), or install by hand: \
     `apt-get install -y chromium` and `npm ci --prefix tests/browser`";

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Everything a browser suite needs, or a panic saying what to install.
/// Missing tools are a failure, never a skip.
pub fn browser_preflight() {
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
        "the browser tests cannot run; missing:\n  - {}\n{INSTALL}",
        missing.join("\n  - ")
    );
}

/// Run `node tests/browser/<script> <target> --screenshots target/screenshots`
/// and fail with its list of failures unless every check passed.
pub fn run_browser_suite(script: &str, target: &Path, log_dir: &Path) {
    run_browser_suite_with(script, &[target.as_os_str()], log_dir);
}

/// One browser suite at a time in a test binary: two Chromiums on a small
/// machine would make each other's timeouts.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// [`run_browser_suite`] with any arguments before `--screenshots`.
pub fn run_browser_suite_with(script: &str, args: &[&std::ffi::OsStr], log_dir: &Path) {
    // A suite that failed (panicked) holding the lock leaves it usable.
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let shots = repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    // Output goes to a file, not a pipe, so a chatty suite can never block.
    let log_path = log_dir.join(format!("{script}.log"));
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
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
    let failures = output
        .find("\nFAILURES")
        .map_or(output.as_str(), |i| &output[i + 1..]);
    match status {
        None => panic!(
            "{script} did not finish in {} s and was killed; its output is above",
            TIMEOUT.as_secs()
        ),
        Some(s) => assert!(
            s.success(),
            "{script}: browser checks failed ({s}); the log of every check is above\n{failures}"
        ),
    }
}
