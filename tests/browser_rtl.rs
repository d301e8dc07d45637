//! A right-to-left site in a real browser: build `tests/fixtures/rtl-site/`
//! (English and Arabic) with the real binary, then run
//! `tests/browser/rtl.mjs`, which serves it and checks every page type in
//! both languages at 1280 and 390 px in headless Chromium: `<html lang
//! dir>`, axe-core (WCAG 2.1 A/AA), a layout that mirrors in Arabic (the
//! site's title, navigation, breadcrumbs, headings, tables, the search box
//! and the status bar start at the right), search in Arabic, and
//! screenshots in `target/screenshots/`. Dates and money in Arabic are
//! checked without a browser in `rtl.rs`.
//!
//! Needs Node, Chromium and `tests/browser/node_modules`; `bash .ci/run`
//! installs them. Missing any of them is a failure, never a skip.

mod common;

use common::{browser_preflight, repo, run_browser_suite};
use std::process::Command;

#[test]
fn right_to_left_site_in_headless_chromium() {
    browser_preflight();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(repo().join("tests/fixtures/rtl-site"))
        .args(["build", "--output"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    assert!(
        o.status.success(),
        "building the rtl fixture failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    run_browser_suite("rtl.mjs", &out, tmp.path());
}
