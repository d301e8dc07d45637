//! The little HTTP/1.1 the development server needs: parsing a request
//! head (request line, `Content-Length`) from the bytes read so far, and
//! writing a complete response with the headers every response carries, a
//! piece at a time as the socket takes it. Every response closes its
//! connection, so there is no keep-alive or pipelining to handle.

use crate::serve::Bytes;
use std::io::{self, Write};

/// Largest request head (request line and headers) accepted.
const MAX_HEAD: usize = 16 * 1024;

/// Headers every response carries.
pub const COMMON_HEADERS: &str =
    "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n";

/// The parts of a request the server looks at.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// Body bytes announced by `Content-Length` (0 when there is none).
    pub body_left: u64,
}

/// Not an HTTP/1.x request head, or too large: answered 400.
#[derive(Debug, PartialEq, Eq)]
pub struct BadRequest;

/// The request head at the start of `buf` and its length, or `None`
/// while it is incomplete; `scanned` bytes were looked at before and are not
/// searched again (a head sent a byte at a time costs linear time).
pub fn parse_request(buf: &[u8], scanned: usize) -> Result<Option<(Request, usize)>, BadRequest> {
    match head_end(buf, scanned) {
        Some(end) if end > MAX_HEAD => Err(BadRequest),
        Some(end) => Ok(Some((parse_head(&buf[..end])?, end))),
        None if buf.len() > MAX_HEAD => Err(BadRequest),
        None => Ok(None),
    }
}

/// The index just past the blank line that ends the head, looking from
/// `from` on (the bytes before it were looked at already).
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    (from.saturating_sub(2)..buf.len()).find_map(|i| {
        if buf[i..].starts_with(b"\n\r\n") {
            Some(i + 3)
        } else if buf[i..].starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

fn parse_head(head: &[u8]) -> Result<Request, BadRequest> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    let line = lines.next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BadRequest);
    };
    if method.is_empty()
        || !method.bytes().all(|b| b.is_ascii_uppercase())
        || target.is_empty()
        || !version.starts_with("HTTP/1.")
    {
        return Err(BadRequest);
    }
    let mut body_left = None;
    for header in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = header.split_once(':').ok_or(BadRequest)?;
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err(BadRequest);
        }
        if name.eq_ignore_ascii_case("content-length") {
            let n: u64 = value.trim().parse().map_err(|_| BadRequest)?;
            // Two different lengths: which one frames the body is unknowable.
            if body_left.is_some_and(|m| m != n) {
                return Err(BadRequest);
            }
            body_left = Some(n);
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        body_left: body_left.unwrap_or(0),
    })
}

/// A complete response (event streams are written separately).
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Body,
    pub location: Option<String>,
}

pub enum Body {
    Static(&'static [u8]),
    Shared(Bytes),
    Owned(Vec<u8>),
}

impl Body {
    /// A kept file as a body: shared as it is kept when it lies in memory
    /// as it is read ([`Bytes::is_flat`]), else read into one buffer
    /// (inflated, or put together).
    pub fn of(bytes: &Bytes) -> Body {
        if bytes.is_flat() {
            Body::Shared(bytes.clone())
        } else {
            Body::Owned(bytes.to_vec())
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Body::Static(b) => b.len(),
            Body::Shared(b) => b.len(),
            Body::Owned(b) => b.len(),
        }
    }

    /// The body's `i`th slice: the whole body for `i == 0`, or the pieces of
    /// a file kept in pieces one by one; `None` past the end.
    fn slice(&self, i: usize) -> Option<&[u8]> {
        match self {
            Body::Static(b) => (i == 0).then_some(*b),
            Body::Owned(b) => (i == 0).then_some(b.as_slice()),
            Body::Shared(Bytes::Whole(b)) => (i == 0).then_some(b.as_slice()),
            Body::Shared(Bytes::Pieces(p)) => p.get(i).map(|b| match b {
                Bytes::Whole(b) => b.as_slice(),
                // `Body::of` shares only flat files.
                _ => &[],
            }),
            // `Body::of` shares only flat files.
            Body::Shared(_) => None,
        }
    }

    /// The body in one slice.
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.len());
        let mut i = 0;
        while let Some(s) = self.slice(i) {
            v.extend_from_slice(s);
            i += 1;
        }
        v
    }
}

impl Reply {
    pub fn text(status: u16, text: &'static str) -> Self {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Body::Static(text.as_bytes()),
            location: None,
        }
    }

    /// The status line and headers, up to and with the blank line.
    fn head(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{COMMON_HEADERS}",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len(),
        );
        if let Some(location) = &self.location {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        if self.status == 405 {
            head.push_str("Allow: GET, HEAD\r\n");
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// A response on its way out: written as far as the socket takes it, and
/// taken up again where it stopped when the socket can take more.
pub struct Outgoing {
    head: Vec<u8>,
    /// `None` for HEAD: the headers only.
    body: Option<Body>,
    /// Where the next write starts: bytes of the head, then the body's
    /// slice `slice` from `offset`.
    head_sent: usize,
    slice: usize,
    offset: usize,
}

impl Outgoing {
    pub fn new(reply: Reply, head_only: bool) -> Self {
        Outgoing {
            head: reply.head(),
            body: (!head_only).then_some(reply.body),
            head_sent: 0,
            slice: 0,
            offset: 0,
        }
    }

    /// Writes until done (`Ok(true)`) or the writer would block
    /// (`Ok(false)`); `progress` is set when any byte went out.
    pub fn write(&mut self, w: &mut impl Write, progress: &mut bool) -> io::Result<bool> {
        loop {
            let rest: &[u8] = if self.head_sent < self.head.len() {
                &self.head[self.head_sent..]
            } else {
                match self.body.as_ref().and_then(|b| b.slice(self.slice)) {
                    Some(s) if self.offset >= s.len() => {
                        self.slice += 1;
                        self.offset = 0;
                        continue;
                    }
                    Some(s) => &s[self.offset..],
                    None => return Ok(true),
                }
            };
            let n = match w.write(rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            *progress = true;
            if self.head_sent < self.head.len() {
                self.head_sent += n;
            } else {
                self.offset += n;
            }
        }
    }
}

/// Writes a whole reply to a blocking writer (tests).
#[cfg(test)]
pub fn write_reply(w: &mut impl Write, reply: Reply, head_only: bool) -> io::Result<()> {
    let mut out = Outgoing::new(reply, head_only);
    while !out.write(w, &mut false)? {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> Result<Option<(Request, usize)>, BadRequest> {
        // A byte at a time, as a slow client sends it, gives the same head.
        for n in 0..raw.len() {
            match parse_request(&raw[..n], n.saturating_sub(1)) {
                Ok(None) => {}
                other => return other,
            }
        }
        parse_request(raw, 0)
    }

    #[test]
    fn parses_request_heads() {
        let (r, len) = parse(b"GET /a%20b?x HTTP/1.1\r\nHost: x\r\n\r\nrest")
            .unwrap()
            .unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a%20b?x"));
        assert_eq!(len, 34);
        let (r, len) = parse(b"POST / HTTP/1.0\nContent-Length: 5\n\nab")
            .unwrap()
            .unwrap();
        assert_eq!((r.body_left, len), (5, 35));
        let (r, _) = parse(b"GET /..\\..\\x HTTP/1.1\r\n\r\n").unwrap().unwrap();
        assert_eq!(r.target, "/..\\..\\x");
        let same = b"POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\n";
        assert_eq!(parse(same).unwrap().unwrap().0.body_left, 2);
        for bad in [
            &b"GET / HTTP/1.1 extra\r\n\r\n"[..],
            b"GET /\r\n\r\n",
            b"get / HTTP/1.1\r\n\r\n",
            b"GET / SPDY/3\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            b"GET / HTTP/1.1\r\n: x\r\n\r\n",
        ] {
            assert_eq!(parse(bad), Err(BadRequest), "{bad:?}");
        }
        assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: x"), Ok(None));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(parse_request(huge.as_bytes(), 0), Err(BadRequest));
        assert_eq!(
            parse_request(&huge.as_bytes()[..MAX_HEAD + 1], 0),
            Err(BadRequest)
        );
    }

    /// Takes at most `n` bytes a call, then would block once.
    struct Trickle {
        out: Vec<u8>,
        n: usize,
        blocked: bool,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.blocked = !self.blocked;
            if self.blocked {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let n = buf.len().min(self.n);
            self.out.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_reply_in_pieces_goes_out_whole_however_the_socket_takes_it() {
        let pieces: Vec<Bytes> = ["ab", "", "cde"]
            .map(|s| Bytes::from(s.as_bytes().to_vec()))
            .to_vec();
        let body = Body::Shared(Bytes::Pieces(std::sync::Arc::new(pieces)));
        let reply = Reply {
            status: 200,
            content_type: "text/plain",
            body,
            location: None,
        };
        let mut out = Outgoing::new(reply, false);
        let mut w = Trickle {
            out: Vec::new(),
            n: 2,
            blocked: false,
        };
        let mut rounds = 0;
        while !out.write(&mut w, &mut false).unwrap() {
            rounds += 1;
        }
        let text = String::from_utf8(w.out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("Content-Length: 5\r\n"));
        assert!(text.ends_with("\r\n\r\nabcde"), "{text}");
        assert!(rounds > 10);
    }

    #[test]
    fn a_file_with_a_packed_or_nested_piece_goes_out_inflated() {
        let record = "{\"id\":\"grant-00001\",\"title\":\"A grant\"},".repeat(100);
        let packed = Bytes::pack(record.clone().into_bytes());
        assert!(matches!(packed, Bytes::Packed(_)));
        let twin = b"{\n  \"id\": \"x\"\n}\n";
        let nested = Bytes::nested(&Bytes::from(twin.to_vec()), Bytes::nested_len(twin));
        let file = Bytes::Pieces(std::sync::Arc::new(vec![
            Bytes::from(b"[".to_vec()),
            packed,
            Bytes::from(b",".to_vec()),
            nested,
            Bytes::from(b"]".to_vec()),
        ]));
        let body = Body::of(&file);
        assert!(matches!(body, Body::Owned(_)));
        let want = format!("[{record},{{\n      \"id\": \"x\"\n    }}]");
        assert_eq!(body.len(), want.len());
        assert_eq!(body.to_vec(), want.into_bytes());
        // Pieces all whole are shared, as they are kept.
        let whole = Bytes::Pieces(std::sync::Arc::new(vec![Bytes::from(b"{}".to_vec())]));
        assert!(matches!(Body::of(&whole), Body::Shared(_)));
        assert_eq!(Body::of(&whole).to_vec(), b"{}");
    }
}
