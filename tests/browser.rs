//! End-to-end tests in a real browser: build the sample site with the real
//! binary, then run `tests/browser/run.mjs`, which serves it on 127.0.0.1 and
//! drives headless Chromium (playwright-core) through it: navigation by
//! clicking, search, console and network hygiene, axe-core (WCAG 2.1 A/AA),
//! the skip link, and screenshots in `target/screenshots/`.
//!
//! Needs Node, Chromium and `tests/browser/node_modules`; `bash .ci/run`
//! installs them. Missing any of them is a failure, never a skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The Node suite stops itself after 150 s; this is the backstop.
const TIMEOUT: Duration = Duration::from_secs(300);

const INSTALL: &str = "run `bash .ci/run` (installs everything), or install by hand: \
     `apt-get install -y chromium` and `npm ci --prefix tests/browser`";

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
        "the browser tests cannot run; missing:\n  - {}\n{INSTALL}",
        missing.join("\n  - ")
    );
}

fn build_sample(out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(repo())
        .args(["build", "--output"])
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    assert!(
        o.status.success(),
        "building the sample site failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn sample_site_in_headless_chromium() {
    preflight();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_sample(&out);

    let shots = repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    // Output goes to files, not pipes, so a chatty suite can never block.
    let log_path = tmp.path().join("browser.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new("node")
        .arg(repo().join("tests/browser/run.mjs"))
        .arg(&out)
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
            "the browser suite did not finish in {} s and was killed; its output is above",
            TIMEOUT.as_secs()
        ),
        Some(s) => assert!(
            s.success(),
            "browser checks failed ({s}); the log of every check is above\n{failures}"
        ),
    }
}
