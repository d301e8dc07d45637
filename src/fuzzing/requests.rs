//! The dev server's request handling without sockets: a request head
//! arriving in pieces, and the mapping of its target to a file.

use crate::serve::server::http::parse_request;
use crate::serve::server::routes::{inject_live_script, route, Route};
use crate::urls::safe_relative;

/// The first byte sets how many bytes arrive at a time (1 to 256); the rest
/// is what the client sends.
pub fn http_request(data: &[u8]) {
    let Some((&step, sent)) = data.split_first() else {
        return;
    };
    let step = usize::from(step) + 1;
    let mut buf = Vec::new();
    let mut scanned = 0;
    for piece in sent.chunks(step) {
        buf.extend_from_slice(piece);
        match parse_request(&buf, scanned) {
            Ok(None) => scanned = buf.len(),
            Err(_) => return,
            Ok(Some((request, end))) => {
                assert!(end <= buf.len(), "head ends past the bytes read");
                // The same head read in one piece is the same request.
                let whole = parse_request(&buf[..end], 0);
                assert!(matches!(&whole, Ok(Some((r, e))) if *r == request && *e == end));
                check_route(&request.target);
                return;
            }
        }
    }
    // Bytes that make no request: the target router must still hold.
    check_route(&String::from_utf8_lossy(sent));
    let page = inject_live_script(sent, 7);
    assert!(page.len() > sent.len(), "no live-reload script added");
}

/// A target maps to a plain relative path in the snapshot, or to nothing.
fn check_route(target: &str) {
    let exists = |p: &str| p.ends_with("index.html") || p.ends_with(".css");
    match route(target, exists) {
        Route::File(p) => assert!(safe_relative(&p), "served {p:?} for {target:?}"),
        Route::Redirect(to) => {
            assert!(
                to.starts_with('/') && !to.starts_with("//"),
                "redirect to {to:?}"
            );
            assert!(
                to.bytes().all(|b| b.is_ascii_graphic()),
                "redirect to {to:?}"
            );
        }
        Route::NotFound => {}
    }
}
