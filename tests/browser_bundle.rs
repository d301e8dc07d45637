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

mod common;

use common::{browser_preflight, repo, run_browser_suite, unzip};
use std::path::Path;
use std::process::Command;

const PLACE: &str = "Хүүхэд хамгаалал";

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

#[test]
fn offline_bundle_over_file_urls_in_headless_chromium() {
    browser_preflight();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("cpc-site.zip");
    make_bundle(&zip);
    let site = unzip(&zip, &tmp.path().join(PLACE));
    assert!(
        site.join("index.html").is_file(),
        "no index.html in the bundle's top folder {}",
        site.display()
    );
    run_browser_suite("bundle.mjs", &site, tmp.path());
}
