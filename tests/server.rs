//! The development server over real sockets: a `Hub` with a small snapshot,
//! a server on 127.0.0.1 port 0, and raw HTTP requests written by hand with
//! `TcpStream` (so traversal attempts reach the server exactly as typed).

use gazette::diagnostics::Diagnostic;
use gazette::serve::server::{start, ServerConfig, ServerHandle};
use gazette::serve::{Hub, Snapshot};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NOT_FOUND_PAGE: &str = "<!doctype html><html><body><h1>Page not found</h1></body></html>";

fn snapshot(errors: Vec<Diagnostic>) -> Snapshot {
    let mut files = HashMap::new();
    for (path, body) in [
        (
            "index.html",
            "<!doctype html><html><body><h1>Home</h1></body></html>",
        ),
        ("404.html", NOT_FOUND_PAGE),
        ("style.css", "body { color: black; }"),
        ("graph.json", "{\"nodes\":[]}"),
        ("grants/index.html", "<html><body>Grants</body></html>"),
        ("grants/x/index.html", "<html><body>Grant X</body></html>"),
        ("data/grants.csv", "id,title\nx,Grant X\n"),
    ] {
        files.insert(path.to_string(), body.as_bytes().to_vec().into());
    }
    Snapshot {
        generation: 0,
        files,
        errors,
    }
}

fn serve() -> (ServerHandle, Arc<Hub>) {
    let hub = Arc::new(Hub::new(snapshot(Vec::new())));
    let cfg = ServerConfig {
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        ..ServerConfig::default()
    };
    let server = start(&cfg, Arc::clone(&hub)).expect("server starts");
    assert_ne!(server.addr().port(), 0);
    (server, hub)
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request_line` (plus a Host header) and reads the whole response.
fn raw(server: &ServerHandle, request_line: &str) -> Response {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "{request_line}\r\nHost: localhost\r\n\r\n").unwrap();
    let mut all = Vec::new();
    stream.read_to_end(&mut all).unwrap();
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8(all[..split].to_vec()).unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Response {
        status,
        head,
        body: all[split + 4..].to_vec(),
    }
}

fn get(server: &ServerHandle, path: &str) -> Response {
    raw(server, &format!("GET {path} HTTP/1.1"))
}

#[test]
fn serves_pages_and_assets_with_their_types() {
    let (server, _hub) = serve();
    let home = get(&server, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        home.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );
    assert!(home
        .text()
        .contains("<h1>Home</h1><script src=\"/__gazette/live.js\""));

    let grant = get(&server, "/grants/x/");
    assert_eq!(grant.status, 200);
    assert!(grant.text().contains("Grant X"));

    let moved = get(&server, "/grants/x");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/grants/x/"));

    for (path, ty, body) in [
        (
            "/style.css",
            "text/css; charset=utf-8",
            "body { color: black; }",
        ),
        (
            "/graph.json",
            "application/json; charset=utf-8",
            "{\"nodes\":[]}",
        ),
        (
            "/data/grants.csv",
            "text/csv; charset=utf-8",
            "id,title\nx,Grant X\n",
        ),
    ] {
        let r = get(&server, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
        // Byte for byte: the live script is never added outside HTML.
        assert_eq!(r.text(), body, "{path}");
    }
    server.shutdown();
}

#[test]
fn not_found_is_the_sites_404_page() {
    let (server, _hub) = serve();
    let r = get(&server, "/no/such/page/");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.text().contains("<h1>Page not found</h1>"));
}

#[test]
fn head_has_the_headers_and_no_body() {
    let (server, _hub) = serve();
    let full = get(&server, "/");
    let head = raw(&server, "HEAD / HTTP/1.1");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), full.header("content-length"));
    let missing = raw(&server, "HEAD /missing HTTP/1.1");
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
}

#[test]
fn other_methods_are_not_allowed() {
    let (server, _hub) = serve();
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let r = raw(&server, &format!("{method} / HTTP/1.1"));
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
    }
    assert_eq!(raw(&server, "GET / HTTP/1.1 trailing").status, 400);
}

#[test]
fn traversal_attempts_are_404_and_leak_nothing() {
    let (server, _hub) = serve();
    let cargo_toml =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    for target in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E%2FCargo.toml",
        "/grants%2f..%2f..%2fx",
        "/grants/x/%2e%2e/%2e%2e/%2e%2e/Cargo.toml",
        "/..\\..\\x",
        "/..%5c..%5cCargo.toml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/etc/passwd",
        "/C:/Windows/win.ini",
        "/Cargo.toml",
        "/src/lib.rs",
        "/index.html%00.css",
        "/%252e%252e/Cargo.toml",
        "/./index.html",
    ] {
        let r = get(&server, target);
        assert_eq!(r.status, 404, "{target}");
        let text = r.text();
        assert!(text.contains("<h1>Page not found</h1>"), "{target}: {text}");
        assert!(!text.contains("root:"), "{target}");
        assert!(!text.contains("[package]"), "{target}");
        assert!(
            !text.contains(cargo_toml.lines().next().unwrap()),
            "{target}"
        );
    }
}

#[test]
fn errors_json_lists_the_snapshots_diagnostics() {
    let (server, hub) = serve();
    assert_eq!(get(&server, "/__gazette/errors.json").text(), "[]");
    let mut d = Diagnostic::error("content/grants/x.md", "unknown organization `acme`");
    d.line = Some(6);
    d.column = Some(19);
    d.field = Some("funder".into());
    d.hint = Some("did you mean `acme-trust`?".into());
    hub.publish(snapshot(vec![
        d,
        Diagnostic::error("gazette.yaml", "</script><b>x</b>"),
    ]));

    let r = get(&server, "/__gazette/errors.json");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let list: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["file"], "content/grants/x.md");
    assert_eq!(list[0]["line"], 6);
    assert_eq!(list[0]["column"], 19);
    assert_eq!(list[0]["field"], "funder");
    assert_eq!(list[0]["hint"], "did you mean `acme-trust`?");
    assert_eq!(list[1]["message"], "</script><b>x</b>");

    // The last good files are still served, with the new generation.
    let home = get(&server, "/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("data-generation=\"1\""));
}

#[test]
fn the_live_script_is_served_and_uses_text_content_only() {
    let (server, _hub) = serve();
    let r = get(&server, "/__gazette/live.js");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let js = r.text();
    assert!(js.contains("new EventSource(\"/__gazette/events\")"));
    assert!(js.contains("/__gazette/errors.json"));
    assert!(js.contains("sessionStorage"));
    assert!(!js.contains("innerHTML"));
    assert!(!js.contains("insertAdjacentHTML"));
    assert_eq!(get(&server, "/__gazette/nothing").status, 404);
}

/// Reads one server-sent event (up to its blank line), skipping comments.
fn next_event(reader: &mut impl BufRead) -> String {
    let mut event = String::new();
    loop {
        let mut line = String::new();
        assert_ne!(reader.read_line(&mut line).unwrap(), 0, "stream ended");
        if line == "\n" {
            if event.contains("data:") {
                return event;
            }
            event.clear();
        } else if !line.starts_with(':') {
            event.push_str(&line);
        }
    }
}

#[test]
fn the_event_stream_sends_each_new_generation() {
    let (server, hub) = serve();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__gazette/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert_eq!(status, "HTTP/1.1 200 OK\r\n");
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    assert!(head.contains("Content-Type: text/event-stream"));

    assert!(next_event(&mut reader).contains("data: {\"generation\":0,\"errors\":0}"));
    hub.publish(snapshot(Vec::new()));
    assert!(next_event(&mut reader).contains("data: {\"generation\":1,\"errors\":0}"));
    hub.publish(snapshot(vec![Diagnostic::error("a.md", "broken")]));
    assert!(next_event(&mut reader).contains("data: {\"generation\":2,\"errors\":1}"));

    // Shutdown ends the stream cleanly and promptly.
    let started = Instant::now();
    server.shutdown();
    assert!(started.elapsed() < Duration::from_secs(5));
    let mut rest = String::new();
    let _ = reader.read_to_string(&mut rest);
    assert!(TcpStream::connect(server.addr()).is_err() || get_fails(&server));
}

/// After shutdown nothing answers: a connection may still be accepted by the
/// OS backlog on some systems, but no response ever comes.
fn get_fails(server: &ServerHandle) -> bool {
    let Ok(mut stream) = TcpStream::connect(server.addr()) else {
        return true;
    };
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let _ = write!(stream, "GET / HTTP/1.1\r\n\r\n");
    let mut buf = Vec::new();
    !matches!(stream.read_to_end(&mut buf), Ok(n) if n > 0)
}

#[test]
fn default_config_is_loopback_on_1111() {
    let cfg = ServerConfig::default();
    assert_eq!(cfg.bind, std::net::IpAddr::from(Ipv4Addr::LOCALHOST));
    assert_eq!(cfg.port, 1111);
}

#[test]
fn many_clients_at_once_all_get_answers() {
    let (server, _hub) = serve();
    let server = Arc::new(server);
    let clients: Vec<_> = (0..150)
        .map(|_| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || get(&server, "/style.css").status)
        })
        .collect();
    for c in clients {
        assert_eq!(c.join().unwrap(), 200);
    }
}

#[test]
fn shutdown_is_prompt_with_idle_and_streaming_clients() {
    let (server, _hub) = serve();
    let idle: Vec<_> = (0..70)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    let mut events = TcpStream::connect(server.addr()).unwrap();
    write!(events, "GET /__gazette/events HTTP/1.1\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    server.shutdown();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    drop(idle);
}

/// Threads of the servers in this process: the connection loop and hub
/// watcher of each (`gazette-http`, `gazette-hub`).
#[cfg(target_os = "linux")]
fn server_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with("gazette-"))
        .count()
}

/// Sends one more byte of a request head that never ends, as a slowloris
/// client does; false once the server has closed the connection.
fn trickle(stream: &mut TcpStream) -> bool {
    stream.write_all(b"a").is_ok() && !closed(stream)
}

/// True when the server has closed its side (the read sees the end or an
/// error rather than timing out).
fn closed(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let open = matches!(
        (&*stream).read(&mut [0u8; 64]),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    );
    stream.set_nonblocking(false).unwrap();
    !open
}

fn serve_with(max_connections: usize, head_timeout: Duration) -> ServerHandle {
    let hub = Arc::new(Hub::new(snapshot(Vec::new())));
    let cfg = ServerConfig {
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        max_connections,
        head_timeout,
    };
    start(&cfg, hub).expect("server starts")
}

#[test]
fn slow_and_idle_clients_beyond_the_limit_do_not_keep_requests_out() {
    const LIMIT: usize = 64;
    let server = serve_with(LIMIT, Duration::from_secs(30));
    #[cfg(target_os = "linux")]
    let threads_before = server_threads();
    let mut slow: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr()).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
            s
        })
        .collect();
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    // Keep the slow ones trickling, a byte each every 200 ms, as long as
    // the requests below take.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let trickler = std::thread::spawn(move || {
        while !flag.load(std::sync::atomic::Ordering::SeqCst) {
            slow.retain_mut(trickle);
            std::thread::sleep(Duration::from_millis(200));
        }
        slow
    });
    std::thread::sleep(Duration::from_millis(300));
    #[cfg(target_os = "linux")]
    let threads_during = server_threads();
    let mut took = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        write!(stream, "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut all = Vec::new();
        let _ = stream.read_to_end(&mut all);
        took.push(started.elapsed());
        assert!(
            String::from_utf8_lossy(&all).ends_with("body { color: black; }"),
            "no answer with 200 slow and idle clients open (after {:?})",
            started.elapsed()
        );
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let slow = trickler.join().unwrap();
    took.sort();
    // Answered at once on an idle machine; seconds would mean waiting for
    // a slow client to give up.
    assert!(took[5] < Duration::from_millis(500), "median {:?}", took[5]);
    assert!(took[9] < Duration::from_secs(2), "slowest {:?}", took[9]);
    // The server holds no more than its limit: the rest were closed.
    let open = slow.iter().chain(&idle).filter(|s| !closed(s)).count();
    assert!(open <= LIMIT, "{open} slow or idle connections still open");
    // One thread waits on all the connections; none is started per client.
    // (Other tests' servers may start or stop meanwhile, two threads each.)
    #[cfg(target_os = "linux")]
    assert!(
        threads_during <= threads_before + 8,
        "{threads_before} server threads before the slow clients, {threads_during} with them"
    );
}

#[test]
fn a_request_head_must_arrive_whole_within_the_head_timeout() {
    let server = serve_with(64, Duration::from_secs(1));
    let mut slow = TcpStream::connect(server.addr()).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    let idle = TcpStream::connect(server.addr()).unwrap();
    let started = Instant::now();
    // A byte every 100 ms: each read is quick, the head never ends.
    while trickle(&mut slow) {
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "a head trickling in for 4 s was not cut off"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(started.elapsed() >= Duration::from_millis(900));
    // The idle one was accepted a moment later; give it that moment.
    let end = Instant::now() + Duration::from_secs(2);
    while !closed(&idle) {
        assert!(
            Instant::now() < end,
            "the idle connection outlived the head timeout"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // A prompt request on a fresh connection is still answered.
    assert_eq!(get(&server, "/").status, 200);
}
