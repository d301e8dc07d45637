//! `gazette serve` end to end: the real binary on a copy of the sample site,
//! pages fetched over a socket while the files under it are edited, broken
//! and fixed; and `gazette watch` keeping an output folder equal to a clean
//! build.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the sample site's content and configuration.
fn sample_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(repo().join("content")) {
        let e = e.unwrap();
        let to = dir.path().join(e.path().strip_prefix(repo()).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    std::fs::copy(repo().join("gazette.yaml"), dir.path().join("gazette.yaml")).unwrap();
    dir
}

/// Kills the child when dropped, so a failing test leaves no server behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(root: &Path, args: &[&str], log: &Path) -> Running {
    let log = std::fs::File::create(log).unwrap();
    Running(
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("--root")
            .arg(root)
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start gazette"),
    )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET `path`: the status code and the body.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

/// Poll until `ok` holds for the response to `path`, or fail after `secs`.
fn until(port: u16, path: &str, secs: u64, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
    let end = Instant::now() + Duration::from_secs(secs);
    let mut last = None;
    while Instant::now() < end {
        if let Some((status, body)) = get(port, path) {
            if ok(status, &body) {
                return body;
            }
            last = Some((status, body));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what}: {path} never did; last answer {last:?}");
}

fn edit(p: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(p).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", p.display());
    std::fs::write(p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serve_rebuilds_on_edits_and_shows_errors_over_the_last_good_page() {
    let site = sample_site();
    let root = site.path();
    let log = root.join("serve.log");
    let port = free_port();
    let _server = start(root, &["serve", "--port", &port.to_string()], &log);
    let page = "/people/kari-johnstone/";
    until(port, page, 60, "the first build", |s, b| {
        s == 200 && b.contains("Kari Johnstone")
    });

    let file = root.join("content/people/kari-johnstone.md");
    edit(&file, "name: Kari Johnstone", "name: Kari Q. Johnstone");
    until(port, page, 10, "the edit", |s, b| {
        s == 200 && b.contains("Kari Q. Johnstone")
    });
    // A page that names her changes too.
    until(
        port,
        "/dialogues/2021-11-19-first-bilateral-dialogue/",
        10,
        "the dialogue",
        |s, b| s == 200 && b.contains("Kari Q. Johnstone"),
    );

    edit(&file, "name: Kari Q. Johnstone", "nmae: Kari Q. Johnstone");
    let errors = until(port, "/__gazette/errors.json", 10, "the error", |s, b| {
        s == 200 && b.contains("content/people/kari-johnstone.md")
    });
    assert!(
        errors.contains("nmae") || errors.contains("name"),
        "{errors}"
    );
    let (status, body) = get(port, page).unwrap();
    assert_eq!(status, 200, "the last good page is still served");
    assert!(body.contains("Kari Q. Johnstone"), "{body}");

    edit(&file, "nmae: Kari Q. Johnstone", "name: Kari R. Johnstone");
    until(port, page, 10, "the fix", |s, b| {
        s == 200 && b.contains("Kari R. Johnstone")
    });
    until(port, "/__gazette/errors.json", 10, "no errors", |s, b| {
        s == 200 && b.trim() == "[]"
    });
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(
        log.contains("content/people/kari-johnstone.md changed:"),
        "{log}"
    );
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Empty folders left behind would make `diff -r` differ too.
fn folders(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

#[test]
fn watch_keeps_the_output_equal_to_a_clean_build() {
    let site = sample_site();
    let root = site.path();
    let out = root.join("output");
    let log = root.join("watch.log");
    let _watch = start(root, &["watch"], &log);
    let wait_for = |what: &str, n: usize| {
        let end = Instant::now() + Duration::from_secs(60);
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.matches(what).count() >= n {
                return;
            }
            assert!(Instant::now() < end, "no {what:?} in {text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("watching", 1);
    // Rename a person and add one; then remove the one added.
    edit(
        &root.join("content/people/kari-johnstone.md"),
        "name: Kari Johnstone",
        "name: Kari W. Johnstone",
    );
    wait_for("after the change", 1);
    let added = root.join("content/people/new-person.md");
    std::fs::write(&added, "---\nname: New Person\n---\n\nJoined later.\n").unwrap();
    wait_for("after the change", 2);
    let clean = root.join("clean");
    let build = |to: &Path| {
        let s = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("--root")
            .arg(root)
            .args(["build", "--output"])
            .arg(to)
            .output()
            .unwrap();
        assert!(s.status.success(), "{s:?}");
    };
    build(&clean);
    assert!(tree(&out) == tree(&clean), "output differs after edits");
    std::fs::remove_file(&added).unwrap();
    wait_for("after the change", 3);
    std::fs::remove_dir_all(&clean).unwrap();
    build(&clean);
    assert!(tree(&out) == tree(&clean), "output differs after a removal");
    assert_eq!(folders(&out), folders(&clean));
}

#[cfg(unix)]
#[test]
fn serve_follows_no_symlink_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let site = sample_site();
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "XYZZYLEAK").unwrap();
    std::fs::write(
        outside.path().join("evil.md"),
        "---\nname: Xyzzyleak Person\n---\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    symlink(&secret, root.join("static/leak.txt")).unwrap();
    symlink(outside.path(), root.join("static/linked")).unwrap();
    symlink(
        outside.path().join("evil.md"),
        root.join("content/people/evil.md"),
    )
    .unwrap();
    let log = root.join("serve.log");
    let port = free_port();
    let _server = start(root, &["serve", "--port", &port.to_string()], &log);
    until(port, "/", 60, "the first build", |s, _| s == 200);
    for path in [
        "/leak.txt",
        "/linked/secret.txt",
        "/linked/evil.md",
        "/people/evil/",
        "/static/leak.txt",
    ] {
        let (status, body) = get(port, path).unwrap();
        assert_eq!(status, 404, "{path}");
        assert!(!body.to_lowercase().contains("xyzzyleak"), "{path}");
    }
    // Nothing anywhere in the site names what the links point at.
    let (_, people) = get(port, "/people/").unwrap();
    assert!(!people.to_lowercase().contains("xyzzyleak"));
    let (_, index) = get(port, "/search-index.js").unwrap();
    assert!(!index.contains("xyzzyleak"));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("symbolic link skipped"), "{text}");
}

#[cfg(unix)]
#[test]
fn serve_open_starts_the_browser_on_the_served_address() {
    use std::os::unix::fs::PermissionsExt;
    let site = sample_site();
    let root = site.path();
    let opened = root.join("opened.txt");
    let browser = root.join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = root.join("serve.log");
    let port = free_port();
    let log_file = std::fs::File::create(&log).unwrap();
    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("--root")
            .arg(root)
            .args([
                "serve",
                "--open",
                "--bind",
                "0.0.0.0",
                "--port",
                &port.to_string(),
            ])
            .env("BROWSER", &browser)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start gazette"),
    );
    let end = Instant::now() + Duration::from_secs(60);
    while !opened.exists() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(100));
    let url = std::fs::read_to_string(&opened).unwrap_or_default();
    // Bound to every interface, the browser still gets the loopback address.
    assert_eq!(url, format!("http://127.0.0.1:{port}/"));
    let (status, body) = get(port, "/").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("<h1"));
}

/// SIGTERM (what `kill`, systemd and container runtimes send) stops the
/// server as Ctrl-C does: the rebuild in progress is finished, the server
/// closes its connections, and the process exits 0 within a second.
#[cfg(unix)]
#[test]
fn serve_exits_promptly_and_cleanly_on_sigterm() {
    let site = sample_site();
    let root = site.path();
    let log = root.join("serve.log");
    let port = free_port();
    let mut server = start(root, &["serve", "--port", &port.to_string()], &log);
    until(port, "/", 60, "the first build", |s, _| s == 200);
    let sent = Instant::now();
    let kill = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            sent.elapsed() < Duration::from_millis(1500),
            "still running {:?} after SIGTERM",
            sent.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.trim_end().ends_with("stopped"), "{text}");
}
