//! Markdown: CommonMark plus tables, footnotes, strikethrough and heading
//! anchors, through pulldown-cmark.
//!
//! Internal links (`@/grants/<id>.md#part`) are collected at parse time with
//! their line and column, so validation can check them, and are turned into
//! URLs at render time by the caller's resolver (the one URL function).
//! Raw HTML is escaped unless the site allows it, and so are links with
//! script-capable schemes.

use crate::diagnostics::Pos;
use crate::model::{Kind, Link};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// An internal link split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Internal<'a> {
    pub kind: Kind,
    pub id: &'a str,
    pub fragment: Option<&'a str>,
}

/// Why an `@/` link could not be understood.
pub enum LinkError {
    Folder(String),
    Shape,
}

/// Parse `@/grants/<id>.md#fragment`.
pub fn parse_internal(target: &str) -> Result<Internal<'_>, LinkError> {
    let rest = target.strip_prefix("@/").ok_or(LinkError::Shape)?;
    let (path, fragment) = match rest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (rest, None),
    };
    let (folder, file) = path.split_once('/').ok_or(LinkError::Shape)?;
    let kind = Kind::from_folder(folder).ok_or_else(|| LinkError::Folder(folder.to_string()))?;
    let id = file.strip_suffix(".md").ok_or(LinkError::Shape)?;
    Ok(Internal { kind, id, fragment })
}

/// Every `@/` link and image in a body, with its position in the file.
pub fn scan_links(body: &str, body_line: usize) -> Vec<Link> {
    let mut out = Vec::new();
    let starts = line_starts(body);
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            if dest_url.starts_with("@/") {
                out.push(Link {
                    target: dest_url.to_string(),
                    pos: position(body, &starts, range.start, body_line),
                });
            }
        }
    }
    out
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn position(text: &str, starts: &[usize], offset: usize, first_line: usize) -> Pos {
    let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let col = text[starts[line]..offset].chars().count() + 1;
    Pos::new(first_line + line, col)
}

/// Render settings for one body.
pub struct RenderOptions<'a> {
    /// Turns an `@/` link into a URL; `None` renders the link text only.
    pub resolve: &'a dyn Fn(&Internal) -> Option<String>,
    /// Pass raw HTML through (a site setting; off by default).
    pub allow_html: bool,
}

/// Render a body to HTML.
pub fn to_html(body: &str, opts: &RenderOptions) -> String {
    let mut events: Vec<Event> = Parser::new_ext(body, options()).collect();
    add_heading_ids(&mut events);
    demote_headings(&mut events);
    let mut skip_link_end = Vec::new();
    let mut out_events = Vec::with_capacity(events.len());
    for ev in events {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) if !opts.allow_html => {
                out_events.push(Event::Text(h))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite(&dest_url, opts);
                skip_link_end.push(dest.is_none());
                if let Some(d) = dest {
                    out_events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: d,
                        title,
                        id,
                    }));
                }
            }
            Event::End(pulldown_cmark::TagEnd::Link) => {
                if !skip_link_end.pop().unwrap_or(false) {
                    out_events.push(ev);
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let d = rewrite(&dest_url, opts).unwrap_or(CowStr::Borrowed(""));
                out_events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: d,
                    title,
                    id,
                }));
            }
            other => out_events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    html
}

/// A link's destination after resolution; `None` drops the link, keeping its text.
fn rewrite<'a>(dest: &CowStr<'a>, opts: &RenderOptions) -> Option<CowStr<'a>> {
    if dest.starts_with("@/") {
        return match parse_internal(dest) {
            Ok(target) => (opts.resolve)(&target).map(CowStr::from),
            Err(_) => None,
        };
    }
    let lower = dest.trim_start().to_ascii_lowercase();
    let unsafe_scheme = ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s));
    if unsafe_scheme && !opts.allow_html {
        return None;
    }
    Some(dest.clone())
}

/// Give every heading without an explicit `{#id}` an id made from its text,
/// unique within the body.
fn add_heading_ids(events: &mut [Event]) {
    let mut used: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len()
                && !matches!(events[j], Event::End(pulldown_cmark::TagEnd::Heading(_)))
            {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| anchor(&text));
            let mut candidate = base.clone();
            let mut n = 1;
            while used.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            used.push(candidate.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(candidate));
            }
            i = j;
        }
        i += 1;
    }
}

/// Shift every body heading one level down (`#` becomes `<h2>`): the page
/// title is the page's only `<h1>`, and body sections sit under it.
fn demote_headings(events: &mut [Event]) {
    use pulldown_cmark::{HeadingLevel as H, TagEnd};
    let down = |l: H| match l {
        H::H1 => H::H2,
        H::H2 => H::H3,
        H::H3 => H::H4,
        H::H4 => H::H5,
        _ => H::H6,
    };
    for ev in events.iter_mut() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => *level = down(*level),
            Event::End(TagEnd::Heading(level)) => *level = down(*level),
            _ => {}
        }
    }
}

/// A heading anchor: lowercase letters and digits of any script, hyphens between words.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c.is_whitespace() || c == '-') && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// The text of the first paragraph, for summaries and descriptions.
pub fn summary(body: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_para = false;
    for ev in Parser::new_ext(body, options()) {
        match ev {
            Event::Start(Tag::Paragraph) => in_para = true,
            Event::End(pulldown_cmark::TagEnd::Paragraph) if !text.is_empty() => break,
            Event::Text(t) | Event::Code(t) if in_para => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_para => text.push(' '),
            _ => {}
        }
    }
    if text.chars().count() > max_chars {
        let cut: String = text.chars().take(max_chars).collect();
        let cut = cut
            .rsplit_once(' ')
            .map_or(cut.as_str(), |(a, _)| a)
            .to_string();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str, allow_html: bool) -> String {
        let resolve =
            |t: &Internal| (t.id != "missing").then(|| format!("/{}/{}/", t.kind.folder(), t.id));
        to_html(
            body,
            &RenderOptions {
                resolve: &resolve,
                allow_html,
            },
        )
    }

    #[test]
    fn commonmark_extensions() {
        let h = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n",
            false,
        );
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("<del>old</del>"), "{h}");
        assert!(h.contains("footnote-definition"), "{h}");
    }

    #[test]
    fn headings_get_unique_anchors() {
        let h = render(
            "## Outcomes\n\n## Outcomes\n\n## Хүүхэд хамгаалал {#mn}\n",
            false,
        );
        assert!(h.contains(r#"<h3 id="outcomes">"#), "{h}");
        assert!(h.contains(r#"<h3 id="outcomes-1">"#), "{h}");
        assert!(h.contains(r#"<h3 id="mn">"#), "{h}");
        assert!(render("# Top\n", false).starts_with("<h2 id=\"top\">"));
        assert_eq!(anchor("Хүүхэд хамгаалал"), "хүүхэд-хамгаалал");
    }

    #[test]
    fn internal_links_resolve_and_are_found() {
        let body = "See [the grant](@/grants/cpc.md#money).\n\nAnd [x](@/grants/missing.md).";
        let h = render(body, false);
        assert!(h.contains(r#"<a href="/grants/cpc/">the grant</a>"#), "{h}");
        assert!(h.contains("And x."), "{h}");
        let links = scan_links(body, 5);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].pos, Pos::new(5, 5));
        assert_eq!(links[1].pos, Pos::new(7, 5));
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let h = render(
            "<script>alert(1)</script>\n\nHi <b>x</b> [c](javascript:alert(1))\n",
            false,
        );
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        let h = render("Hi <b>x</b>\n", true);
        assert!(h.contains("<b>x</b>"), "{h}");
    }

    #[test]
    fn summary_takes_first_paragraph() {
        assert_eq!(
            summary("# T\n\nFirst *para*\ngraph.\n\nSecond.", 100),
            "First para graph."
        );
        assert_eq!(summary("one two three four", 9), "one two…");
    }
}
