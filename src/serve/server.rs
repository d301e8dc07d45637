//! The development server of `gazette serve`: HTTP/1.1 over mio's
//! non-blocking sockets, serving only the files of the newest [`Snapshot`]
//! on the [`Hub`] (nothing is ever read from disk), with live reload and an
//! error overlay that exist only in its responses, never in `output/`.
//!
//! One thread serves every connection, waiting on all of them at once
//! (`server/connections.rs`): a slow or idle client costs a socket, not a
//! thread, and its request head must arrive whole within [`HEAD_TIMEOUT`].
//! At most [`MAX_CONNECTIONS`] are open; at the limit a new connection
//! closes the one that has waited longest for its request. Every response
//! closes its connection; event streams, which stay open, have their own
//! limit. A second thread waits on the hub and wakes the first when a new
//! snapshot is published.
//!
//! Live reload is a server-sent-events stream at `/__gazette/events` that
//! sends the current generation on connect and each new one as the engine
//! publishes it; `live.js`, added to every HTML response, reloads the page
//! when the generation differs from the page's own, and shows the errors of
//! the snapshot (`/__gazette/errors.json`) over the last good page.

mod connections;
pub(crate) mod http;
pub(crate) mod routes;

use super::{Hub, Snapshot};
pub use connections::MAX_EVENT_STREAMS;
use connections::{Loop, WAKER};
use http::{Body, Reply};
use routes::{Route, ERRORS_JSON, EVENTS, LIVE_JS};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The live-reload and error-overlay script, served at `/__gazette/live.js`.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// Connections open at once by default, event streams included; at the
/// limit, a new one closes the connection that has waited longest for its
/// request head.
pub const MAX_CONNECTIONS: usize = 512;
/// Time from connecting to the end of the request head by default, however
/// slowly it trickles in.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the hub watcher looks for shutdown between snapshots.
const POLL: Duration = Duration::from_millis(200);

/// Where to listen. The default is `127.0.0.1:1111`; pass `0.0.0.0` to serve
/// other machines, and port 0 for any free port (see [`ServerHandle::addr`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerConfig {
    pub bind: IpAddr,
    pub port: u16,
    /// Connections open at once ([`MAX_CONNECTIONS`] by default).
    pub max_connections: usize,
    /// Time from connecting to the end of the request head
    /// ([`HEAD_TIMEOUT`] by default).
    pub head_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            max_connections: MAX_CONNECTIONS,
            head_timeout: HEAD_TIMEOUT,
        }
    }
}

/// A running server. Dropping it shuts it down too.
pub struct ServerHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    waker: Arc<mio::Waker>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// What the server's two threads share: the connection loop and the hub
/// watcher, which wakes the loop when a new snapshot is published.
struct Shared {
    hub: Arc<Hub>,
    stop: AtomicBool,
    max_connections: usize,
    head_timeout: Duration,
}

/// Binds `cfg.bind:cfg.port` and starts serving the hub's snapshots.
pub fn start(cfg: &ServerConfig, hub: Arc<Hub>) -> io::Result<ServerHandle> {
    let listener = TcpListener::bind(SocketAddr::new(cfg.bind, cfg.port))?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let listener = mio::net::TcpListener::from_std(listener);
    let poll = mio::Poll::new()?;
    let waker = Arc::new(mio::Waker::new(poll.registry(), WAKER)?);
    let shared = Arc::new(Shared {
        hub,
        stop: AtomicBool::new(false),
        max_connections: cfg.max_connections.max(1),
        head_timeout: cfg.head_timeout,
    });
    // Read before the loop reads its own, and before either thread runs: a
    // snapshot published while the watcher thread is still starting is
    // then newer than what it waits past, and is sent.
    let seen = shared.hub.current().generation;
    let event_loop = Loop::new(Arc::clone(&shared), poll, listener)?;
    let connections = thread::Builder::new()
        .name("gazette-http".into())
        .spawn(move || event_loop.run())?;
    let (s, w) = (Arc::clone(&shared), Arc::clone(&waker));
    let watcher = thread::Builder::new()
        .name("gazette-hub".into())
        .spawn(move || watch_hub(&s, &w, seen));
    let handle = ServerHandle {
        addr,
        shared,
        waker,
        threads: Mutex::new(vec![connections]),
    };
    // Dropping the handle on error stops the loop.
    lock(&handle.threads).push(watcher?);
    Ok(handle)
}

/// Wakes the connection loop whenever a snapshot newer than `generation`
/// is published, so that event streams send it at once.
fn watch_hub(shared: &Shared, waker: &mio::Waker, mut generation: u64) {
    while !shared.stop.load(SeqCst) {
        let snap = shared.hub.wait_newer(generation, POLL);
        if snap.generation > generation {
            generation = snap.generation;
            let _ = waker.wake();
        }
    }
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

    /// Stops serving: closes the listener and every open connection (event
    /// streams included) and joins the server's threads, within a fifth of
    /// a second. Calling it again does nothing.
    pub fn shutdown(&self) {
        self.shared.stop.store(true, SeqCst);
        let _ = self.waker.wake();
        let threads = std::mem::take(&mut *lock(&self.threads));
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
        Body::of(bytes)
    };
    Reply {
        status,
        content_type: routes::content_type(path),
        body,
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use std::collections::HashMap;

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

    fn written(reply: Reply, head_only: bool) -> String {
        let mut out = Vec::new();
        http::write_reply(&mut out, reply, head_only).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn html_gets_the_script_and_other_types_do_not() {
        let snap = snapshot();
        let home = written(respond(&snap, "GET", "/"), false);
        assert!(home.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(home.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(home
            .contains("<script src=\"/__gazette/live.js\" data-generation=\"3\"></script></body>"));
        let css = written(respond(&snap, "GET", "/style.css"), false);
        assert!(css.contains("Content-Type: text/css; charset=utf-8\r\n"));
        assert!(css.ends_with("\r\n\r\nbody{}"));
        assert!(css.contains("X-Content-Type-Options: nosniff\r\n"));
        assert!(css.contains("Cache-Control: no-store\r\n"));
    }

    #[test]
    fn not_found_redirect_method_and_head() {
        let snap = snapshot();
        let lost = written(respond(&snap, "GET", "/../Cargo.toml"), false);
        assert!(lost.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(lost.contains("<h1>Lost</h1><script src=\"/__gazette/live.js\""));
        let moved = written(respond(&snap, "GET", "/grants/x?y"), false);
        assert!(moved.starts_with("HTTP/1.1 301 "));
        assert!(moved.contains("Location: /grants/x/?y\r\n"));
        let post = written(respond(&snap, "POST", "/"), false);
        assert!(post.starts_with("HTTP/1.1 405 "));
        assert!(post.contains("Allow: GET, HEAD\r\n"));
        let head = written(respond(&snap, "HEAD", "/style.css"), true);
        assert!(head.contains("Content-Length: 6\r\n"));
        assert!(head.ends_with("\r\n\r\n"));
        let bare = Snapshot::default();
        let fallback = written(respond(&bare, "GET", "/"), false);
        assert!(fallback.starts_with("HTTP/1.1 404 "));
        assert!(fallback.contains("text/html; charset=utf-8"));
        assert!(fallback.contains("<h1>Not found</h1>"));
        assert!(fallback
            .contains("<script src=\"/__gazette/live.js\" data-generation=\"0\"></script></body>"));
        assert!(
            written(respond(&bare, "GET", "/__gazette/other"), false).starts_with("HTTP/1.1 404 ")
        );
    }

    #[test]
    fn server_endpoints() {
        let snap = snapshot();
        let js = written(respond(&snap, "GET", "/__gazette/live.js"), false);
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
        let event = connections::event(&snapshot());
        assert_eq!(event, "data: {\"generation\":3,\"errors\":1}\n\n");
    }
}
