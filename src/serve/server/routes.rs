//! What the development server answers for a request target, without any
//! I/O: URL to snapshot path (refusing anything that is not a plain relative
//! path), content types by extension, and the live-reload script tag that is
//! added to HTML responses (never to files on disk).

use crate::urls::safe_relative;

/// Where the server's own endpoints live; no site path can start with this,
/// because output paths come from validated ids and kind folder names.
pub const PREFIX: &str = "/__gazette/";
/// The live-reload and error-overlay script.
pub const LIVE_JS: &str = "/__gazette/live.js";
/// The server-sent-events stream of snapshot generations.
pub const EVENTS: &str = "/__gazette/events";
/// The diagnostics of the current snapshot, as a JSON array.
pub const ERRORS_JSON: &str = "/__gazette/errors.json";

/// What a request target maps to in the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Serve this snapshot path (e.g. `grants/x/index.html`).
    File(String),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    NotFound,
}

/// Maps a raw request target (`/grants/x/?q`) to a snapshot path.
///
/// The path is percent-decoded exactly once. Anything that is not a plain
/// relative path once decoded (`..` or `.` segments, empty segments from
/// `//`, backslashes, NUL and other control characters, `:` as in drive
/// letters, invalid escapes or UTF-8) is `NotFound`: no details, and nothing
/// outside the snapshot can be named.
pub fn route(target: &str, exists: impl Fn(&str) -> bool) -> Route {
    if !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Route::NotFound;
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or_default();
    if !path.starts_with('/') || path.starts_with("//") || path.contains('\\') {
        return Route::NotFound;
    }
    let Some(decoded) = percent_decode(path).and_then(|b| String::from_utf8(b).ok()) else {
        return Route::NotFound;
    };
    if decoded.contains('\\') || decoded.chars().any(char::is_control) {
        return Route::NotFound;
    }
    // The raw path starts with a literal `/`, so the decoded one does too.
    let rel = &decoded[1..];
    if rel.is_empty() {
        return found("index.html".to_string(), &exists);
    }
    if let Some(dir) = rel.strip_suffix('/') {
        if !safe_relative(dir) {
            return Route::NotFound;
        }
        return found(format!("{dir}/index.html"), &exists);
    }
    if !safe_relative(rel) {
        return Route::NotFound;
    }
    if exists(rel) {
        return Route::File(rel.to_string());
    }
    if exists(&format!("{rel}/index.html")) {
        // `path` is visible ASCII (checked above), so it is safe in a header.
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        return Route::Redirect(format!("{path}/{query}"));
    }
    Route::NotFound
}

fn found(path: String, exists: &impl Fn(&str) -> bool) -> Route {
    if exists(&path) {
        Route::File(path)
    } else {
        Route::NotFound
    }
}

/// Decodes `%XX` escapes once; `None` for a malformed escape.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `Content-Type` for a snapshot path, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// True when responses for this path get the live-reload script.
pub fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

/// The page with the live-reload script added before its last `</body>` (or
/// at the end when there is none). `generation` is that of the snapshot the
/// page comes from, so the script can tell when it is out of date.
pub fn inject_live_script(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!(r#"<script src="{LIVE_JS}" data-generation="{generation}"></script>"#);
    let at = rfind_ignore_case(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[&str] = &[
        "index.html",
        "404.html",
        "style.css",
        "grants/index.html",
        "grants/x/index.html",
        "data/grants.csv",
    ];

    fn check(target: &str) -> Route {
        route(target, |p| FILES.contains(&p))
    }

    fn file(p: &str) -> Route {
        Route::File(p.to_string())
    }

    #[test]
    fn maps_folders_files_and_the_root() {
        assert_eq!(check("/"), file("index.html"));
        assert_eq!(check("/?x=1"), file("index.html"));
        assert_eq!(check("/grants/x/"), file("grants/x/index.html"));
        assert_eq!(check("/grants/x/index.html"), file("grants/x/index.html"));
        assert_eq!(check("/style.css?v=2"), file("style.css"));
        assert_eq!(check("/data/grants.csv"), file("data/grants.csv"));
        assert_eq!(check("/grants/%78/"), file("grants/x/index.html"));
        assert_eq!(check("/nothing"), Route::NotFound);
        assert_eq!(check("/nothing/"), Route::NotFound);
    }

    #[test]
    fn a_folder_without_its_slash_redirects() {
        assert_eq!(check("/grants/x"), Route::Redirect("/grants/x/".into()));
        assert_eq!(check("/grants?a=b"), Route::Redirect("/grants/?a=b".into()));
        assert_eq!(check("/style.css/"), Route::NotFound);
    }

    #[test]
    fn traversal_and_odd_paths_are_not_found() {
        for target in [
            "/../Cargo.toml",
            "/grants/../index.html",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/Cargo.toml",
            "/grants%2f..%2f..%2fx",
            "/grants/x/%2e%2e/%2e%2e/index.html",
            "/..\\..\\x",
            "/%5c..%5cindex.html",
            "/grants%5cx%5cindex.html",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/grants//x/",
            "/etc/passwd",
            "/C:/Windows/win.ini",
            "/C%3a/x",
            "/./index.html",
            "/index.html%00.css",
            "/index.html%0d%0aSet-Cookie:x",
            "/%zz",
            "/%2",
            "/%c0%ae%c0%ae/x",
            "/%252e%252e/index.html",
            "*",
            "http://example.org/index.html",
            "index.html",
            "/gr ants/",
            "/grants/\u{e9}/",
        ] {
            assert_eq!(check(target), Route::NotFound, "{target}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        for (path, ty) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("style.CSS", "text/css; charset=utf-8"),
            ("search.js", "text/javascript; charset=utf-8"),
            ("graph.json", "application/json; charset=utf-8"),
            ("atom.xml", "application/xml; charset=utf-8"),
            ("chart.svg", "image/svg+xml; charset=utf-8"),
            ("data/grants.csv", "text/csv; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("logo.png", "image/png"),
            ("photo.jpg", "image/jpeg"),
            ("photo.jpeg", "image/jpeg"),
            ("font.woff2", "font/woff2"),
            ("favicon.ico", "image/x-icon"),
            ("report.pdf", "application/pdf"),
            ("site.zip", "application/zip"),
            ("CNAME", "application/octet-stream"),
            ("a.b/file", "application/octet-stream"),
            ("data.bin", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), ty, "{path}");
        }
        assert!(is_html("x/index.html"));
        assert!(!is_html("x/index.json"));
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let out = inject_live_script(b"<body><p>x</p></BODY>\n</html>", 7);
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "<body><p>x</p><script src=\"/__gazette/live.js\" data-generation=\"7\"></script></BODY>\n</html>"
        );
        let out = inject_live_script(b"<p>no body</p>", 1);
        assert!(String::from_utf8(out)
            .unwrap()
            .ends_with("<script src=\"/__gazette/live.js\" data-generation=\"1\"></script>"));
    }
}
