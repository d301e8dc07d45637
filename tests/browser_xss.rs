//! Script payloads in a real browser: build `tests/fixtures/xss-site`, whose
//! every text field of every record type, every Markdown body and footnote,
//! and heading attributes (`{onmouseover=… style=…}`) hold script payloads,
//! then run `tests/browser/xss.mjs`, which opens every page in headless
//! Chromium with the theme's Content-Security-Policy in force and again with
//! it bypassed: no payload may run however the page is used, and each
//! field's payload must show as text.
//!
//! Needs Node, Chromium and `tests/browser/node_modules`; `bash .ci/run`
//! installs them. Missing any of them is a failure, never a skip.

mod common;

use common::{browser_preflight, repo, run_browser_suite};
use std::process::Command;

#[test]
fn script_payloads_in_every_field_never_run_in_headless_chromium() {
    browser_preflight();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(repo().join("tests/fixtures/xss-site"))
        .args(["build", "--output"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette");
    assert!(
        o.status.success(),
        "building tests/fixtures/xss-site failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    run_browser_suite("xss.mjs", &out, tmp.path());
}
