//! `gazette serve` in a real browser: the real binary serves a copy of the
//! sample site, and `tests/browser/live.mjs` checks in headless Chromium
//! that live reload and the error overlay work under the default theme's
//! Content-Security-Policy (no inline scripts or styles), while it edits,
//! breaks and fixes a file.
//!
//! Needs Node, Chromium and `tests/browser/node_modules`; `bash .ci/run`
//! installs them. Missing any of them is a failure, never a skip.

mod common;

use common::{browser_preflight, copy_sample, run_browser_suite_with};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when dropped, so a failing test leaves none behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn live_reload_and_the_overlay_work_under_the_content_security_policy() {
    browser_preflight();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    copy_sample(&site);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(tmp.path().join("serve.log")).unwrap();
    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("--root")
            .arg(&site)
            .args(["serve", "--port", &port.to_string()])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start gazette serve"),
    );
    let end = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < end, "gazette serve did not listen in 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let origin = format!("http://127.0.0.1:{port}");
    run_browser_suite_with("live.mjs", &[site.as_os_str(), origin.as_ref()], tmp.path());
}
