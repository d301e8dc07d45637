//! End-to-end tests in a real browser: build the sample site with the real
//! binary, then run `tests/browser/run.mjs`, which serves it on 127.0.0.1 and
//! drives headless Chromium (playwright-core) through it: navigation by
//! clicking, search, console and network hygiene, axe-core (WCAG 2.1 A/AA),
//! the skip link, and screenshots in `target/screenshots/`; every page type
//! in each of the site's languages (English and, under `/mn/`, Mongolian),
//! search in Mongolian, and the language switcher between the two.
//!
//! Needs Node, Chromium and `tests/browser/node_modules`; `bash .ci/run`
//! installs them. Missing any of them is a failure, never a skip.

mod common;

use common::{browser_preflight, repo, run_browser_suite};
use std::path::Path;
use std::process::Command;

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
    browser_preflight();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_sample(&out);
    run_browser_suite("run.mjs", &out, tmp.path());
}
