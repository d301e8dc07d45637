//! Every open connection of the development server, driven by one thread
//! that waits on all of them at once (mio: epoll, kqueue or IOCP) instead of
//! a thread per connection, so that a client that sends nothing, or a byte
//! now and then, holds a socket and a few bytes of memory, never a thread.
//!
//! A connection reads its request head (and a small body, discarded), is
//! answered, and closes; or it becomes a live-reload event stream. The head
//! must arrive whole within the head timeout of connecting, however slowly
//! it trickles in; a reply that makes no progress for [`WRITE_TIMEOUT`] is
//! dropped. With [`MAX_CONNECTIONS`] open, a new connection closes the one
//! that has waited longest for its head, so slow and idle sockets can never
//! keep a real request out.
//!
//! [`MAX_CONNECTIONS`]: super::MAX_CONNECTIONS

use super::http::{parse_request, BadRequest, Outgoing, Reply, Request, COMMON_HEADERS};
use super::routes::EVENTS;
use super::{path_of, respond, Shared};
use crate::serve::Snapshot;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Live-reload event streams open at once (one per open tab); more get 503.
pub const MAX_EVENT_STREAMS: usize = 32;
/// A reply, or an event stream's pending events, that the client takes no
/// byte of for this long is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request body read and discarded before answering 405.
const MAX_DISCARD: u64 = 64 * 1024;
/// Events a stream's client has not read yet; past this it is closed.
const MAX_PENDING_EVENTS: usize = 64 * 1024;
/// How often an event stream sends a comment to keep proxies and browsers
/// from closing it.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How soon to try accepting again when a connection could not be taken.
const RETRY_ACCEPT: Duration = Duration::from_millis(20);

const LISTENER: Token = Token(0);
/// Woken by the hub watcher (a new snapshot) and by shutdown.
pub const WAKER: Token = Token(1);

struct Conn {
    stream: TcpStream,
    phase: Phase,
    accepted: Instant,
    /// When the connection is closed unless it gets further.
    deadline: Option<Instant>,
}

enum Phase {
    /// Reading the request head; `scanned` bytes have been searched for its end.
    Head {
        buf: Vec<u8>,
        scanned: usize,
    },
    /// Reading and discarding a small body before answering.
    Body {
        request: Request,
        left: u64,
    },
    Reply(Outgoing),
    /// A live-reload stream: events not written yet, and when it last wrote.
    Events {
        pending: Vec<u8>,
        last_write: Instant,
    },
}

impl Phase {
    fn waiting_for_request(&self) -> bool {
        matches!(self, Phase::Head { .. } | Phase::Body { .. })
    }
}

/// The event loop: runs until `shared.stop` is set and the waker fires.
pub struct Loop {
    shared: Arc<Shared>,
    poll: Poll,
    listener: TcpListener,
    conns: HashMap<Token, Conn>,
    next_token: usize,
    streams: usize,
    /// The generation the event streams were last sent.
    generation: u64,
    /// Connections wait in the listen queue that could not be taken yet.
    accept_pending: bool,
    scratch: Vec<u8>,
}

impl Loop {
    pub fn new(shared: Arc<Shared>, poll: Poll, mut listener: TcpListener) -> io::Result<Self> {
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        Ok(Loop {
            generation: shared.hub.current().generation,
            shared,
            poll,
            listener,
            conns: HashMap::new(),
            next_token: WAKER.0 + 1,
            streams: 0,
            accept_pending: false,
            scratch: vec![0; 16 * 1024],
        })
    }

    pub fn run(mut self) {
        let mut events = Events::with_capacity(256);
        while !self.shared.stop.load(SeqCst) {
            let timeout = self.timeout(Instant::now());
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                break;
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept_pending = true,
                    WAKER => self.new_generation(),
                    token => self.drive(token),
                }
            }
            if self.accept_pending {
                self.accept();
            }
            self.expire(Instant::now());
        }
        // Dropping the connections closes them; event streams end at once.
    }

    /// How long `poll` may wait: until the next deadline or keep-alive.
    fn timeout(&self, now: Instant) -> Option<Duration> {
        let mut next: Option<Instant> = self.accept_pending.then(|| now + RETRY_ACCEPT);
        for c in self.conns.values() {
            let mut at = c.deadline;
            if let Phase::Events { last_write, .. } = &c.phase {
                at = Some(at.map_or(*last_write + KEEP_ALIVE, |d| {
                    d.min(*last_write + KEEP_ALIVE)
                }));
            }
            next = match (next, at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        next.map(|t| t.saturating_duration_since(now))
    }

    fn accept(&mut self) {
        loop {
            let full = self.conns.len() >= self.shared.max_connections;
            if full && self.oldest_waiting().is_none() {
                // Every connection is being answered or streaming: the new
                // ones wait in the listen queue until one ends.
                return;
            }
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if full {
                        self.evict_oldest_waiting();
                    }
                    self.add(stream);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.accept_pending = false;
                    return;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::ConnectionAborted => {}
                // Out of file descriptors and the like: make room and try
                // again shortly.
                Err(_) => {
                    self.evict_oldest_waiting();
                    return;
                }
            }
        }
    }

    fn add(&mut self, mut stream: TcpStream) {
        let token = Token(self.next_token);
        self.next_token += 1;
        let _ = stream.set_nodelay(true);
        let interest = Interest::READABLE | Interest::WRITABLE;
        if self
            .poll
            .registry()
            .register(&mut stream, token, interest)
            .is_err()
        {
            return;
        }
        let now = Instant::now();
        let phase = Phase::Head {
            buf: Vec::new(),
            scanned: 0,
        };
        self.conns.insert(
            token,
            Conn {
                stream,
                phase,
                accepted: now,
                deadline: Some(now + self.shared.head_timeout),
            },
        );
        // Data may have arrived with the connection; edge-triggered readiness
        // reports it anyway, but reading now costs nothing.
        self.drive(token);
    }

    /// The connection that has waited longest for its request, if any does.
    fn oldest_waiting(&self) -> Option<Token> {
        self.conns
            .iter()
            .filter(|(_, c)| c.phase.waiting_for_request())
            .min_by_key(|(_, c)| c.accepted)
            .map(|(t, _)| *t)
    }

    fn evict_oldest_waiting(&mut self) {
        if let Some(token) = self.oldest_waiting() {
            self.close(token);
        }
    }

    fn close(&mut self, token: Token) {
        if let Some(mut c) = self.conns.remove(&token) {
            let _ = self.poll.registry().deregister(&mut c.stream);
            if matches!(c.phase, Phase::Events { .. }) {
                self.streams -= 1;
            }
        }
    }

    /// Closes connections past their deadline and sends keep-alive comments.
    fn expire(&mut self, now: Instant) {
        let mut late = Vec::new();
        let mut quiet = Vec::new();
        for (token, c) in &self.conns {
            if c.deadline.is_some_and(|d| d <= now) {
                late.push(*token);
            } else if let Phase::Events {
                pending,
                last_write,
            } = &c.phase
            {
                if pending.is_empty() && *last_write + KEEP_ALIVE <= now {
                    quiet.push(*token);
                }
            }
        }
        for token in late {
            self.close(token);
        }
        for token in quiet {
            self.queue_event(token, b": keep-alive\n\n");
        }
    }

    /// Sends the new generation to every event stream.
    fn new_generation(&mut self) {
        let snap = self.shared.hub.current();
        if snap.generation <= self.generation {
            return;
        }
        self.generation = snap.generation;
        let event = event(&snap);
        let streams: Vec<Token> = self
            .conns
            .iter()
            .filter(|(_, c)| matches!(c.phase, Phase::Events { .. }))
            .map(|(t, _)| *t)
            .collect();
        for token in streams {
            self.queue_event(token, event.as_bytes());
        }
    }

    fn queue_event(&mut self, token: Token, bytes: &[u8]) {
        if let Some(Conn {
            phase: Phase::Events { pending, .. },
            ..
        }) = self.conns.get_mut(&token)
        {
            pending.extend_from_slice(bytes);
            self.drive(token);
        }
    }

    /// Moves one connection as far as its socket allows, closing it when it
    /// is done or fails.
    fn drive(&mut self, token: Token) {
        let Some(mut c) = self.conns.remove(&token) else {
            return;
        };
        if self.step(&mut c).unwrap_or(false) {
            self.conns.insert(token, c);
        } else {
            let _ = self.poll.registry().deregister(&mut c.stream);
            // Counted when it became one (`answer`).
            if matches!(c.phase, Phase::Events { .. }) {
                self.streams -= 1;
            }
        }
    }

    /// Ok(false) when the connection is finished with.
    fn step(&mut self, c: &mut Conn) -> io::Result<bool> {
        loop {
            match &mut c.phase {
                Phase::Head { buf, scanned } => {
                    let n = match read_some(&mut c.stream, &mut self.scratch)? {
                        None => return Ok(true),
                        Some(0) => return Ok(false),
                        Some(n) => n,
                    };
                    buf.extend_from_slice(&self.scratch[..n]);
                    let parsed = parse_request(buf, *scanned);
                    *scanned = buf.len();
                    c.phase = match parsed {
                        Ok(None) => continue,
                        Err(BadRequest) => reply(Reply::text(400, "Bad Request\n"), false),
                        Ok(Some((request, len))) => {
                            let got = (buf.len() - len) as u64;
                            self.after_head(request, got)
                        }
                    };
                }
                Phase::Body { request, left } => {
                    let n = match read_some(&mut c.stream, &mut self.scratch)? {
                        None => return Ok(true),
                        // The client sent all it meant to: answer it.
                        Some(0) => 0,
                        Some(n) => n as u64,
                    };
                    if n > 0 && n < *left {
                        *left -= n;
                        continue;
                    }
                    let request = std::mem::take(request);
                    c.phase = self.answer(&request);
                }
                Phase::Reply(out) => {
                    let mut progress = false;
                    let done = out.write(&mut c.stream, &mut progress)?;
                    if done {
                        return Ok(false);
                    }
                    if progress {
                        c.deadline = Some(Instant::now() + WRITE_TIMEOUT);
                    }
                    return Ok(true);
                }
                Phase::Events {
                    pending,
                    last_write,
                } => {
                    // A closed tab shows as the end of its input; a client has
                    // nothing to send on a stream, and one that floods it is
                    // closed rather than read forever.
                    let mut discarded = 0;
                    loop {
                        match read_some(&mut c.stream, &mut self.scratch)? {
                            Some(0) => return Ok(false),
                            Some(n) => discarded += n as u64,
                            None => break,
                        }
                        if discarded > MAX_DISCARD {
                            return Ok(false);
                        }
                    }
                    let mut written = 0;
                    while written < pending.len() {
                        match c.stream.write(&pending[written..]) {
                            Ok(0) => return Ok(false),
                            Ok(n) => written += n,
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => return Err(e),
                        }
                    }
                    pending.drain(..written);
                    let now = Instant::now();
                    if written > 0 {
                        *last_write = now;
                    }
                    if pending.len() > MAX_PENDING_EVENTS {
                        return Ok(false);
                    }
                    c.deadline = match c.deadline {
                        _ if pending.is_empty() => None,
                        Some(d) if written == 0 => Some(d),
                        _ => Some(now + WRITE_TIMEOUT),
                    };
                    return Ok(true);
                }
            }
            // A new phase starts its own clock.
            c.deadline = match c.phase {
                Phase::Reply(_) => Some(Instant::now() + WRITE_TIMEOUT),
                Phase::Events { .. } => None,
                _ => c.deadline,
            };
        }
    }

    /// What follows a complete head: a body to discard, an event stream, or
    /// the reply.
    fn after_head(&mut self, request: Request, body_got: u64) -> Phase {
        let discard = request.body_left.min(MAX_DISCARD);
        if !matches!(request.method.as_str(), "GET" | "HEAD") && discard > body_got {
            return Phase::Body {
                left: discard - body_got,
                request,
            };
        }
        self.answer(&request)
    }

    fn answer(&mut self, request: &Request) -> Phase {
        if request.method == "GET" && path_of(&request.target) == EVENTS {
            // Counted here, so two streams opened in one batch of events
            // cannot both take the last place.
            if self.streams >= MAX_EVENT_STREAMS {
                return reply(Reply::text(503, "Too many live-reload streams\n"), false);
            }
            self.streams += 1;
            let snap = self.shared.hub.current();
            let mut pending = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n{COMMON_HEADERS}\r\nretry: 1000\n\n"
            )
            .into_bytes();
            pending.extend_from_slice(event(&snap).as_bytes());
            return Phase::Events {
                pending,
                last_write: Instant::now(),
            };
        }
        let r = respond(&self.shared.hub.current(), &request.method, &request.target);
        reply(r, request.method == "HEAD")
    }
}

fn reply(r: Reply, head_only: bool) -> Phase {
    Phase::Reply(Outgoing::new(r, head_only))
}

/// Reads what is there: `None` when nothing is, `Some(0)` at the end.
fn read_some(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<Option<usize>> {
    loop {
        match stream.read(buf) {
            Ok(n) => return Ok(Some(n)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The server-sent event for a snapshot: its generation and error count.
pub fn event(snap: &Snapshot) -> String {
    format!(
        "data: {{\"generation\":{},\"errors\":{}}}\n\n",
        snap.generation,
        snap.errors.len()
    )
}
