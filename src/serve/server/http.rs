//! The little HTTP/1.1 the development server needs: reading a request
//! head (request line, `Content-Length`), and writing a complete response
//! with the headers every response carries. Every response closes its
//! connection, so there is no keep-alive or pipelining to handle.

use crate::serve::Bytes;
use std::io::{self, Read, Write};

/// Largest request head (request line and headers) accepted.
const MAX_HEAD: usize = 16 * 1024;

/// Headers every response carries.
pub const COMMON_HEADERS: &str =
    "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n";

/// The parts of a request the server looks at.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// Body bytes announced by `Content-Length` and not read yet.
    pub body_left: u64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The client closed or timed out before sending a request.
    Closed,
    /// Not an HTTP/1.x request head, or too large.
    Bad,
}

pub fn read_request(stream: &mut impl Read) -> Result<Request, ReadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(end) = head_end(&buf) {
            if end > MAX_HEAD {
                return Err(ReadError::Bad);
            }
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Err(ReadError::Bad);
        }
        match stream.read(&mut chunk) {
            Ok(0) if buf.is_empty() => return Err(ReadError::Closed),
            Ok(0) => return Err(ReadError::Bad),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(ReadError::Closed),
        }
    };
    let mut request = parse_head(&buf[..end])?;
    request.body_left = request.body_left.saturating_sub((buf.len() - end) as u64);
    Ok(request)
}

/// The index just past the blank line that ends the head.
fn head_end(buf: &[u8]) -> Option<usize> {
    (0..buf.len()).find_map(|i| {
        if buf[i..].starts_with(b"\n\r\n") {
            Some(i + 3)
        } else if buf[i..].starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

fn parse_head(head: &[u8]) -> Result<Request, ReadError> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    let line = lines.next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad);
    };
    if method.is_empty()
        || !method.bytes().all(|b| b.is_ascii_uppercase())
        || target.is_empty()
        || !version.starts_with("HTTP/1.")
    {
        return Err(ReadError::Bad);
    }
    let mut body_left = 0;
    for header in lines {
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                body_left = value.trim().parse().map_err(|_| ReadError::Bad)?;
            }
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        body_left,
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
    pub fn len(&self) -> usize {
        match self {
            Body::Static(b) => b.len(),
            Body::Shared(b) => b.len(),
            Body::Owned(b) => b.len(),
        }
    }

    pub fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        match self {
            Body::Static(b) => w.write_all(b),
            Body::Shared(b) => b.write_to(w),
            Body::Owned(b) => w.write_all(b),
        }
    }

    /// The body in one slice.
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.len());
        let _ = self.write_to(&mut v);
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

pub fn write_reply(w: &mut impl Write, reply: &Reply, head_only: bool) -> io::Result<()> {
    let body = &reply.body;
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{COMMON_HEADERS}",
        reply.status,
        reason(reply.status),
        reply.content_type,
        body.len(),
    );
    if let Some(location) = &reply.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    if reply.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    if !head_only {
        body.write_to(w)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request_heads() {
        let mut raw: &[u8] = b"GET /a%20b?x HTTP/1.1\r\nHost: x\r\n\r\n";
        let r = read_request(&mut raw).unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a%20b?x"));
        let mut raw: &[u8] = b"POST / HTTP/1.0\nContent-Length: 5\n\nab";
        assert_eq!(read_request(&mut raw).unwrap().body_left, 3);
        let mut raw: &[u8] = b"GET /..\\..\\x HTTP/1.1\r\n\r\n";
        assert_eq!(read_request(&mut raw).unwrap().target, "/..\\..\\x");
        for bad in [
            &b"GET / HTTP/1.1 extra\r\n\r\n"[..],
            b"GET /\r\n\r\n",
            b"get / HTTP/1.1\r\n\r\n",
            b"GET / SPDY/3\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x",
        ] {
            let mut raw = bad;
            assert_eq!(read_request(&mut raw), Err(ReadError::Bad), "{bad:?}");
        }
        let mut empty: &[u8] = b"";
        assert_eq!(read_request(&mut empty), Err(ReadError::Closed));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(read_request(&mut huge.as_bytes()), Err(ReadError::Bad));
    }
}
