//! The development server of `gazette serve`: HTTP/1.1 over std's
//! `TcpListener`, serving only the files of the newest [`Snapshot`] on the
//! [`Hub`] (nothing is ever read from disk), with live reload and an error
//! overlay that exist only in its responses, never in `output/`.
//!
//! One thread accepts; each connection gets its own thread, at most
//! [`MAX_CONNECTIONS`] at once (more wait in the listen queue). Every
//! response closes its connection, so an idle browser socket never holds a
//! thread for long; event streams, which stay open, have their own limit.
//! Live reload is a server-sent-events stream at `/__gazette/events` that
//! sends the current generation on connect and each new one as the engine
//! publishes it; `live.js`, added to every HTML response, reloads the page
//! when the generation differs from the page's own, and shows the errors of
//! the snapshot (`/__gazette/errors.json`) over the last good page.

mod http;
mod routes;

use super::{Hub, Snapshot};
use http::{read_request, write_reply, Body, ReadError, Reply, COMMON_HEADERS};
use routes::{Route, ERRORS_JSON, EVENTS, LIVE_JS};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The live-reload and error-overlay script, served at `/__gazette/live.js`.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// Requests served at once; further connections wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 64;
/// Live-reload event streams open at once (one per open tab); more get 503.
pub const MAX_EVENT_STREAMS: usize = 32;
/// Largest request body read and discarded before answering 405.
const MAX_DISCARD: u64 = 64 * 1024;
const READ_TIMEOUT: Duration = Duration::from_secs(5);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an event stream sends a comment to keep proxies and browsers
/// from closing it.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How often an event stream checks for shutdown and a closed client.
const POLL: Duration = Duration::from_millis(200);

/// Where to listen. The default is `127.0.0.1:1111`; pass `0.0.0.0` to serve
/// other machines, and port 0 for any free port (see [`ServerHandle::addr`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerConfig {
    pub bind: IpAddr,
    pub port: u16,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
        }
    }
}

/// A running server. Dropping it shuts it down too.
pub struct ServerHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Mutex<Option<JoinHandle<()>>>,
}

/// State shared by the accept thread and the connection threads.
struct Shared {
    hub: Arc<Hub>,
    stop: AtomicBool,
    /// Connection threads holding a request slot (at most `MAX_CONNECTIONS`).
    active: Mutex<usize>,
    slot_freed: Condvar,
    /// Event streams open (at most `MAX_EVENT_STREAMS`); they hold no slot.
    streams: AtomicUsize,
    next_id: AtomicU64,
    /// A clone of every open connection, to unblock its thread on shutdown.
    open: Mutex<HashMap<u64, TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// Binds `cfg.bind:cfg.port` and starts serving the hub's snapshots.
pub fn start(cfg: &ServerConfig, hub: Arc<Hub>) -> io::Result<ServerHandle> {
    let listener = TcpListener::bind(SocketAddr::new(cfg.bind, cfg.port))?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        hub,
        stop: AtomicBool::new(false),
        active: Mutex::new(0),
        slot_freed: Condvar::new(),
        streams: AtomicUsize::new(0),
        next_id: AtomicU64::new(0),
        open: Mutex::new(HashMap::new()),
        threads: Mutex::new(Vec::new()),
    });
    let s = Arc::clone(&shared);
    let accept = thread::Builder::new()
        .name("gazette-accept".into())
        .spawn(move || accept_loop(listener, &s))?;
    Ok(ServerHandle {
        addr,
        shared,
        accept: Mutex::new(Some(accept)),
    })
}

impl ServerHandle {
    /// The address actually bound (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to open in a browser, e.g. `http://127.0.0.1:1111/`; an
    /// unspecified bind address (`0.0.0.0`) is shown as the loopback one.
    pub fn url(&self) -> String {
        format!("http://{}/", loopback(self.addr))
    }

    /// Stops accepting, closes every open connection (event streams end
    /// within a fifth of a second) and joins all threads. Calling it again
    /// does nothing.
    pub fn shutdown(&self) {
        let Some(accept) = lock(&self.accept).take() else {
            return;
        };
        self.shared.stop.store(true, SeqCst);
        {
            // Under the lock, so an accept loop about to wait for a slot
            // either sees `stop` or is already waiting and gets woken.
            let _active = lock(&self.shared.active);
            self.shared.slot_freed.notify_all();
        }
        // The accept loop blocks in `accept`; a connection of our own wakes it.
        if TcpStream::connect_timeout(&loopback(self.addr), Duration::from_secs(1)).is_ok() {
            let _ = accept.join();
        }
        for stream in lock(&self.shared.open).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let threads = std::mem::take(&mut *lock(&self.shared.threads));
        for t in threads {
            let _ = t.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn loopback(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn accept_loop(listener: TcpListener, shared: &Arc<Shared>) {
    loop {
        // Take a slot before accepting: when all are busy, new connections
        // wait in the kernel's listen queue instead of being refused.
        {
            let mut active = lock(&shared.active);
            while *active >= MAX_CONNECTIONS && !shared.stop.load(SeqCst) {
                active = match shared.slot_freed.wait(active) {
                    Ok(g) => g,
                    Err(poisoned) => poisoned.into_inner(),
                };
            }
            if shared.stop.load(SeqCst) {
                break;
            }
            *active += 1;
        }
        let conn = listener.accept();
        if shared.stop.load(SeqCst) {
            break;
        }
        match conn {
            Ok((stream, _)) => spawn_connection(shared, stream),
            Err(_) => {
                shared.release_slot();
                // Out of file descriptors and the like: wait rather than spin.
                thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Shared {
    fn release_slot(&self) {
        *lock(&self.active) -= 1;
        self.slot_freed.notify_one();
    }
}

/// Serves one connection on a thread of its own; the slot taken by the
/// accept loop passes to the thread.
fn spawn_connection(shared: &Arc<Shared>, stream: TcpStream) {
    let id = shared.next_id.fetch_add(1, SeqCst);
    if let Ok(clone) = stream.try_clone() {
        lock(&shared.open).insert(id, clone);
    }
    let s = Arc::clone(shared);
    let spawned = thread::Builder::new()
        .name("gazette-http".into())
        .spawn(move || {
            let mut conn = Conn {
                shared: &s,
                id,
                slot: true,
                stream: false,
            };
            handle_connection(&mut conn, stream);
        });
    match spawned {
        Ok(t) => {
            let mut threads = lock(&shared.threads);
            threads.retain(|t| !t.is_finished());
            threads.push(t);
        }
        Err(_) => {
            lock(&shared.open).remove(&id);
            shared.release_slot();
        }
    }
}

/// What a connection thread holds; given back when it ends, even by a panic.
struct Conn<'a> {
    shared: &'a Shared,
    id: u64,
    /// A request slot, until the connection becomes an event stream.
    slot: bool,
    /// A place among the event streams.
    stream: bool,
}

impl Conn<'_> {
    /// Trades the request slot for a place among the event streams, since
    /// a stream stays open as long as its tab; false when they are all taken.
    fn become_event_stream(&mut self) -> bool {
        if self.shared.streams.fetch_add(1, SeqCst) >= MAX_EVENT_STREAMS {
            self.shared.streams.fetch_sub(1, SeqCst);
            return false;
        }
        self.stream = true;
        if std::mem::take(&mut self.slot) {
            self.shared.release_slot();
        }
        true
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        lock(&self.shared.open).remove(&self.id);
        if self.slot {
            self.shared.release_slot();
        }
        if self.stream {
            self.shared.streams.fetch_sub(1, SeqCst);
        }
    }
}

fn handle_connection(conn: &mut Conn<'_>, mut stream: TcpStream) {
    let shared = conn.shared;
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let request = match read_request(&mut stream) {
        Ok(r) => r,
        Err(ReadError::Closed) => return,
        Err(ReadError::Bad) => {
            let _ = write_reply(&mut stream, &Reply::text(400, "Bad Request\n"), false);
            return;
        }
    };
    if request.method == "GET" && path_of(&request.target) == EVENTS {
        if conn.become_event_stream() {
            stream_events(shared, stream);
        } else {
            let busy = Reply::text(503, "Too many live-reload streams\n");
            let _ = write_reply(&mut stream, &busy, false);
        }
        return;
    }
    if !matches!(request.method.as_str(), "GET" | "HEAD") && request.body_left > 0 {
        // Read a small body before answering, so closing does not reset the
        // connection under the client's feet.
        let n = request.body_left.min(MAX_DISCARD);
        let _ = io::copy(&mut (&mut stream).take(n), &mut io::sink());
    }
    let reply = respond(&shared.hub.current(), &request.method, &request.target);
    let _ = write_reply(&mut stream, &reply, request.method == "HEAD");
}

/// The path part of a request target, without query or fragment.
fn path_of(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or_default()
}

/// The answer to `method target` from one snapshot. HEAD gets the same
/// reply as GET; the writer leaves the body out.
fn respond(snap: &Snapshot, method: &str, target: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        return Reply::text(405, "Method Not Allowed\n");
    }
    let path = path_of(target);
    if path.starts_with(routes::PREFIX) {
        return match path {
            LIVE_JS => Reply {
                status: 200,
                content_type: "text/javascript; charset=utf-8",
                body: Body::Static(LIVE_SCRIPT.as_bytes()),
                location: None,
            },
            ERRORS_JSON => Reply {
                status: 200,
                content_type: "application/json; charset=utf-8",
                body: Body::Owned(serde_json::to_vec(&snap.errors).unwrap_or_default()),
                location: None,
            },
            // Only reached by HEAD: GET streams.
            EVENTS => Reply {
                status: 200,
                content_type: "text/event-stream; charset=utf-8",
                body: Body::Static(b""),
                location: None,
            },
            _ => not_found(snap),
        };
    }
    match routes::route(target, |p| snap.files.contains_key(p)) {
        Route::File(p) => file_reply(snap, &p, 200),
        Route::Redirect(location) => Reply {
            location: Some(location),
            ..Reply::text(301, "Moved Permanently\n")
        },
        Route::NotFound => not_found(snap),
    }
}

/// The site's `404.html`, or a minimal page of our own when the snapshot
/// has none (before the first good build): it is HTML rather than plain text
/// so that it carries the live script too, showing the errors that kept the
/// site from building and reloading once it builds.
fn not_found(snap: &Snapshot) -> Reply {
    if snap.files.contains_key("404.html") {
        return file_reply(snap, "404.html", 404);
    }
    Reply {
        status: 404,
        content_type: "text/html; charset=utf-8",
        body: Body::Owned(routes::inject_live_script(FALLBACK_404, snap.generation)),
        location: None,
    }
}

const FALLBACK_404: &[u8] = b"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Not found</title></head>\n<body><h1>Not found</h1>\n\
<p>Nothing at this address in the current build.</p>\n</body></html>\n";

fn file_reply(snap: &Snapshot, path: &str, status: u16) -> Reply {
    let Some(bytes) = snap.files.get(path) else {
        return Reply::text(404, "404 Not Found\n");
    };
    let body = if routes::is_html(path) {
        Body::Owned(routes::inject_live_script(
            &bytes.contiguous(),
            snap.generation,
        ))
    } else {
        Body::Shared(bytes.clone())
    };
    Reply {
        status,
        content_type: routes::content_type(path),
        body,
        location: None,
    }
}

/// Serves `/__gazette/events` until the client goes away or the server
/// stops: the current generation at once, then each new one as published,
/// and a comment every [`KEEP_ALIVE`] in between.
fn stream_events(shared: &Shared, mut stream: TcpStream) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n{COMMON_HEADERS}\r\nretry: 1000\n\n"
    );
    let mut snap = shared.hub.current();
    if stream.write_all(head.as_bytes()).is_err() || send_event(&mut stream, &snap).is_err() {
        return;
    }
    let mut last_write = Instant::now();
    while !shared.stop.load(SeqCst) && client_open(&stream) {
        let next = shared.hub.wait_newer(snap.generation, POLL);
        let sent = if next.generation > snap.generation {
            snap = next;
            send_event(&mut stream, &snap)
        } else if last_write.elapsed() >= KEEP_ALIVE {
            stream.write_all(b": keep-alive\n\n")
        } else {
            continue;
        };
        if sent.is_err() {
            break;
        }
        last_write = Instant::now();
    }
    let _ = stream.shutdown(Shutdown::Both);
}

fn send_event(w: &mut impl Write, snap: &Snapshot) -> io::Result<()> {
    let event = format!(
        "data: {{\"generation\":{},\"errors\":{}}}\n\n",
        snap.generation,
        snap.errors.len()
    );
    w.write_all(event.as_bytes())
}

/// False once the client has closed its side (a closed tab), so its event
/// stream does not hold a connection slot until the next keep-alive.
fn client_open(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let open = match stream.peek(&mut [0u8; 1]) {
        Ok(0) => false,
        Ok(_) => true,
        Err(e) => e.kind() == io::ErrorKind::WouldBlock,
    };
    let _ = stream.set_nonblocking(false);
    open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    fn snapshot() -> Snapshot {
        let mut files = HashMap::new();
        for (path, body) in [
            ("index.html", "<html><body><h1>Home</h1></body></html>"),
            ("404.html", "<html><body><h1>Lost</h1></body></html>"),
            ("style.css", "body{}"),
            ("grants/x/index.html", "<body>x</body>"),
        ] {
            files.insert(path.to_string(), body.as_bytes().to_vec().into());
        }
        Snapshot {
            generation: 3,
            files,
            errors: vec![Diagnostic::error("grants/y.md", "bad </script> field")],
        }
    }

    fn written(reply: &Reply, head_only: bool) -> String {
        let mut out = Vec::new();
        write_reply(&mut out, reply, head_only).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn html_gets_the_script_and_other_types_do_not() {
        let snap = snapshot();
        let home = written(&respond(&snap, "GET", "/"), false);
        assert!(home.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(home.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(home
            .contains("<script src=\"/__gazette/live.js\" data-generation=\"3\"></script></body>"));
        let css = written(&respond(&snap, "GET", "/style.css"), false);
        assert!(css.contains("Content-Type: text/css; charset=utf-8\r\n"));
        assert!(css.ends_with("\r\n\r\nbody{}"));
        assert!(css.contains("X-Content-Type-Options: nosniff\r\n"));
        assert!(css.contains("Cache-Control: no-store\r\n"));
    }

    #[test]
    fn not_found_redirect_method_and_head() {
        let snap = snapshot();
        let lost = written(&respond(&snap, "GET", "/../Cargo.toml"), false);
        assert!(lost.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(lost.contains("<h1>Lost</h1><script src=\"/__gazette/live.js\""));
        let moved = written(&respond(&snap, "GET", "/grants/x?y"), false);
        assert!(moved.starts_with("HTTP/1.1 301 "));
        assert!(moved.contains("Location: /grants/x/?y\r\n"));
        let post = written(&respond(&snap, "POST", "/"), false);
        assert!(post.starts_with("HTTP/1.1 405 "));
        assert!(post.contains("Allow: GET, HEAD\r\n"));
        let head = written(&respond(&snap, "HEAD", "/style.css"), true);
        assert!(head.contains("Content-Length: 6\r\n"));
        assert!(head.ends_with("\r\n\r\n"));
        let bare = Snapshot::default();
        let fallback = written(&respond(&bare, "GET", "/"), false);
        assert!(fallback.starts_with("HTTP/1.1 404 "));
        assert!(fallback.contains("text/html; charset=utf-8"));
        assert!(fallback.contains("<h1>Not found</h1>"));
        assert!(fallback
            .contains("<script src=\"/__gazette/live.js\" data-generation=\"0\"></script></body>"));
        assert!(
            written(&respond(&bare, "GET", "/__gazette/other"), false).starts_with("HTTP/1.1 404 ")
        );
    }

    #[test]
    fn server_endpoints() {
        let snap = snapshot();
        let js = written(&respond(&snap, "GET", "/__gazette/live.js"), false);
        assert!(js.contains("Content-Type: text/javascript; charset=utf-8\r\n"));
        assert!(js.contains("EventSource"));
        assert!(!js.contains("innerHTML"));
        let errors = respond(&snap, "GET", "/__gazette/errors.json?t=1");
        let list: serde_json::Value = serde_json::from_slice(&errors.body.to_vec()).unwrap();
        assert_eq!(list[0]["file"], "grants/y.md");
        assert_eq!(list[0]["message"], "bad </script> field");
    }

    #[test]
    fn events_are_json_lines() {
        let mut out = Vec::new();
        send_event(&mut out, &snapshot()).unwrap();
        assert_eq!(out, b"data: {\"generation\":3,\"errors\":1}\n\n");
    }
}
