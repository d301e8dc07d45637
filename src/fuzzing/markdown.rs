//! Markdown with `@/` links through rendering, with the promise that raw
//! HTML stays text unless the site allows it.

use crate::markdown::{anchor, scan_links, summary, to_html, Embed, Internal, RenderOptions};

/// Tags pulldown-cmark writes for the Markdown Gazette enables.
const TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "pre",
    "code",
    "ol",
    "ul",
    "li",
    "em",
    "strong",
    "del",
    "a",
    "img",
    "hr",
    "br",
    "sup",
    "div",
];

/// Schemes that run script when a link is followed.
const SCRIPT_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:"];

/// The first byte holds the options (bit 0 allows raw HTML, bit 1 resolves
/// `@/` links, bit 2 embeds the body in another page); the rest is the body.
pub fn markdown(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let allow_html = flags & 1 != 0;
    let lines = body.split('\n').count();
    for link in scan_links(body, 7) {
        assert!(link.target.starts_with("@/"));
        let line = link.pos.line;
        assert!((7..7 + lines).contains(&line), "link on line {line}");
        assert!(link.pos.column >= 1);
    }
    let resolve =
        |i: &Internal| (flags & 2 != 0).then(|| format!("/{}/{}/", i.kind.folder(), i.id));
    let embed = (flags & 4 != 0).then_some(Embed {
        id_prefix: "r1-",
        page_url: "/grants/g/",
    });
    let html = to_html(
        body,
        &RenderOptions {
            resolve: &resolve,
            allow_html,
            embed,
        },
    );
    if !allow_html {
        assert_only_markdown_html(&html);
    }
    let short = summary(body, 160);
    assert!(
        short.chars().count() <= 161,
        "summary of {} chars",
        short.chars().count()
    );
    let a = anchor(body);
    assert!(
        a.chars().all(|c| c.is_alphanumeric() || c == '-'),
        "anchor {a:?}"
    );
}

/// Every tag is one Markdown makes, no attribute is an event handler, no
/// id is given twice, and no link or image runs script, as a browser would
/// read them.
fn assert_only_markdown_html(html: &str) {
    let mut ids = std::collections::HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '/')
            .unwrap_or(rest.len());
        let name = rest[..name_len].trim_start_matches('/');
        assert!(TAGS.contains(&name), "tag <{name}> in {html:?}");
        let end = rest.find('>').expect("an unclosed tag");
        for (attr, value) in attributes(&rest[name_len..end]) {
            assert!(!attr.starts_with("on"), "attribute {attr} in {html:?}");
            if attr == "id" {
                assert!(ids.insert(value.clone()), "id {value:?} twice in {html:?}");
            }
            if attr == "href" || attr == "src" {
                let url = as_browser_reads(&value);
                assert!(
                    !SCRIPT_SCHEMES.iter().any(|s| url.starts_with(s)),
                    "link to {value:?} in {html:?}"
                );
            }
        }
        rest = &rest[end..];
    }
}

/// `name="value"` pairs of a tag's text after its name.
fn attributes(mut tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        tag = tag.trim_start_matches([' ', '/']);
        let Some(eq) = tag.find('=') else {
            assert!(
                tag.chars().all(|c| c.is_ascii_alphabetic() || c == ' '),
                "a tag ending {tag:?}"
            );
            return out;
        };
        let name = tag[..eq].trim().to_ascii_lowercase();
        let value = tag[eq + 1..]
            .strip_prefix('"')
            .unwrap_or_else(|| panic!("an unquoted attribute value in {tag:?}"));
        let close = value.find('"').expect("a closing quote");
        out.push((name, value[..close].to_string()));
        tag = &value[close + 1..];
    }
}

/// A URL as a browser takes it from an attribute: entities decoded, tabs
/// and line breaks removed, leading controls and spaces dropped, lowercase.
fn as_browser_reads(value: &str) -> String {
    let mut decoded = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').unwrap_or(0);
        let entity = &rest[1..semi.max(1)];
        let c = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) if semi > 0 => {
                decoded.push(c);
                rest = &rest[semi + 1..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .skip_while(|c| *c <= ' ')
        .collect::<String>()
        .to_ascii_lowercase()
}
