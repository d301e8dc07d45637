//! Markdown: CommonMark plus tables, footnotes, strikethrough and heading
//! anchors, through pulldown-cmark.
//!
//! Internal links (`@/grants/<id>.md#part`) are collected at parse time with
//! their line and column, so validation can check them, and are turned into
//! URLs at render time by the caller's resolver (the one URL function).
//! Raw HTML is escaped unless the site allows it, and so are links with
//! script-capable schemes and heading attributes other than a safe `{#id}`
//! and `{.class}`. Heading ids, and the prefix that keeps several bodies'
//! ids apart on one page, are in `ids`.

mod ids;

use crate::diagnostics::Pos;
use crate::model::{Kind, Link};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use std::collections::{HashMap, HashSet};

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
    scan(body, body_line).links
}

/// What the parse step takes from a body in one pass: its internal links
/// and its footnotes defined more than once.
#[derive(Debug, Default)]
pub struct Scan {
    pub links: Vec<Link>,
    pub repeated_footnotes: Vec<RepeatedFootnote>,
}

/// A footnote label defined again: where, and where it was first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedFootnote {
    pub label: String,
    pub at: Pos,
    pub first: Pos,
}

impl RepeatedFootnote {
    /// The warning for it in `file`: both definitions are shown, but every
    /// `[^label]` points to the first, so the second one is cited nowhere.
    pub fn warning(&self, file: &str) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic::warning(
            file.to_string(),
            format!("footnote `[^{}]` is defined twice", self.label),
        )
        .at(Some(self.at))
        .expected("one definition per footnote label")
        .hint(format!(
            "every `[^{}]` points to the first definition, on line {}; give this one a label of its own or remove it",
            self.label, self.first.line
        ))
    }
}

/// The internal links of `body` (whose first line is line `body_line` of
/// its file) and its footnotes defined twice, with their positions.
pub fn scan(body: &str, body_line: usize) -> Scan {
    let mut out = Scan::default();
    let starts = line_starts(body);
    let mut footnotes: HashMap<CowStr, Pos> = HashMap::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if dest_url.starts_with("@/") =>
            {
                out.links.push(Link {
                    target: dest_url.to_string(),
                    pos: position(body, &starts, range.start, body_line),
                });
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let at = position(body, &starts, range.start, body_line);
                match footnotes.get(&label) {
                    Some(first) => out.repeated_footnotes.push(RepeatedFootnote {
                        label: label.to_string(),
                        at,
                        first: *first,
                    }),
                    None => {
                        footnotes.insert(label, at);
                    }
                }
            }
            _ => {}
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
    /// Set when the body is shown on a page that combines several bodies
    /// (a partnership's briefing), so that their ids do not clash.
    pub embed: Option<Embed<'a>>,
}

/// How a body shown inside another page keeps its ids apart.
pub struct Embed<'a> {
    /// Put before every id the body makes (headings, footnotes) and before
    /// the fragment of every `#` link to one of them.
    pub id_prefix: &'a str,
    /// The record's own page: a `#` link to anything else goes there.
    pub page_url: &'a str,
}

/// Render a body to HTML.
pub fn to_html(body: &str, opts: &RenderOptions) -> String {
    let mut events: Vec<Event> = Parser::new_ext(body, options()).collect();
    let own_ids = ids::assign(&mut events, opts.allow_html);
    if let Some(embed) = &opts.embed {
        ids::prefix(&mut events, embed.id_prefix);
    }
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
                let dest = rewrite(&dest_url, opts, &own_ids);
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
                let d = rewrite(&dest_url, opts, &own_ids).unwrap_or(CowStr::Borrowed(""));
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

/// A link's destination after resolution; `None` drops the link, keeping its
/// text. `own_ids` are the ids the body makes, before any prefix.
fn rewrite<'a>(
    dest: &CowStr<'a>,
    opts: &RenderOptions,
    own_ids: &HashSet<String>,
) -> Option<CowStr<'a>> {
    if let (Some(fragment), Some(embed)) = (dest.strip_prefix('#'), &opts.embed) {
        return Some(CowStr::from(if own_ids.contains(fragment) {
            format!("#{}{fragment}", embed.id_prefix)
        } else {
            format!("{}#{fragment}", embed.page_url)
        }));
    }
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

    #[test]
    fn a_footnote_defined_twice_is_found_at_its_second_definition() {
        // Body lines 4..: the file's front matter took lines 1-3.
        let body = "See[^a] and[^b].\n\n[^a]: First.\n\n[^b]: Other.\n\n[^a]: Again.\n";
        let found = scan(body, 4);
        assert_eq!(
            found.repeated_footnotes,
            [RepeatedFootnote {
                label: "a".into(),
                at: Pos::new(10, 1),
                first: Pos::new(6, 1),
            }]
        );
        let w = found.repeated_footnotes[0].warning("content/dialogues/d.md");
        assert!(!w.is_error());
        assert_eq!(w.file, "content/dialogues/d.md");
        assert_eq!((w.line, w.column), (Some(10), Some(1)));
        assert!(
            w.hint.as_deref().is_some_and(|h| h.contains("line 6")),
            "{w:?}"
        );
        assert!(
            scan(body.replace("[^a]: Again.", "[^c]: Again.").as_str(), 4)
                .repeated_footnotes
                .is_empty()
        );
    }

    fn render(body: &str, allow_html: bool) -> String {
        let resolve =
            |t: &Internal| (t.id != "missing").then(|| format!("/{}/{}/", t.kind.folder(), t.id));
        to_html(
            body,
            &RenderOptions {
                resolve: &resolve,
                allow_html,
                embed: None,
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

    /// Every `id="…"` and `href="#…"` in `html`, in order.
    fn attr_values(html: &str, attr: &str) -> Vec<String> {
        html.split(&format!(" {attr}=\""))
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn heading_attributes_keep_only_a_safe_id_and_classes() {
        // Issue 9: attributes went straight into the tag, so a heading
        // could carry an event handler and a full-page style.
        let h = render(
            "## Click me {onmouseover=alert(1) style=position:fixed;inset:0}\n\n\
             ## Two {#a:b(c) .x;y .ok_1 .() data-x=1}\n",
            false,
        );
        assert!(!h.contains("onmouseover"), "{h}");
        assert!(!h.contains("style"), "{h}");
        assert!(!h.contains("data-x"), "{h}");
        assert!(h.contains(r#"<h3 id="click-me">Click me</h3>"#), "{h}");
        assert!(
            h.contains(r#"<h3 id="abc" class="xy ok_1">Two</h3>"#),
            "{h}"
        );
        // An id with nothing safe in it falls back to the heading's text.
        let h = render("## Three {#<>}\n", false);
        assert!(h.contains(r#"<h3 id="three">"#), "{h}");
        // With raw HTML allowed the author is trusted with attributes too.
        let h = render("## Hi {#x .y data-x=1}\n", true);
        assert!(h.contains(r#"<h3 id="x" class="y" data-x="1">"#), "{h}");
    }

    #[test]
    fn explicit_ids_and_footnotes_keep_their_ids_and_no_id_repeats() {
        // An explicit id wins; generated ids step around it and around
        // footnote labels (the footnotes' ids).
        let h = render(
            "## a\n\n## a\n\n## a-1 {#a-1}\n\n## a {#a}\n\n## 1\n\nx[^1]\n\n[^1]: note\n",
            false,
        );
        let ids = attr_values(&h, "id");
        assert_eq!(ids, ["a-2", "a-3", "a-1", "a", "1-1", "1"], "{h}");
    }

    #[test]
    fn twenty_thousand_duplicate_headings_get_unique_ids_in_linear_time() {
        // Issue 9: each heading searched a list of used ids for each
        // candidate suffix, about n³/6 string comparisons for n equal
        // headings (4,000 took 25 s). No timing assertion (flaky): at this
        // size the old code needs ~1.3·10¹² comparisons, hours in a debug
        // build, so this test only finishes with a per-name counter, where
        // it takes well under a second. Every id must still be unique.
        let n = 20_000;
        let mut body = "## a\n\n".repeat(n);
        body.push_str("## a-7 {#a-7}\n\n## a-1\n");
        let h = render(&body, false);
        let ids = attr_values(&h, "id");
        assert_eq!(ids.len(), n + 2);
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "repeated ids");
        assert_eq!(ids[..3], ["a", "a-1", "a-2"]);
        assert_eq!(ids[7], "a-8", "a-7 is the explicit id's");
        assert_eq!(ids[n], "a-7");
        assert_eq!(ids[n + 1], "a-1-1");
    }

    #[test]
    fn embedded_bodies_prefix_ids_footnotes_and_own_fragment_links() {
        let resolve = |t: &Internal| Some(format!("/{}/{}/", t.kind.folder(), t.id));
        let body = "## Remarks\n\nSee [below](#source), [the page](#progress) \
                    and [a grant](@/grants/g.md#money).[^1]\n\n## Source\n\n[^1]: A note.\n";
        let render_as = |embed| {
            to_html(
                body,
                &RenderOptions {
                    resolve: &resolve,
                    allow_html: false,
                    embed,
                },
            )
        };
        let own = render_as(None);
        assert_eq!(attr_values(&own, "id"), ["remarks", "source", "1"], "{own}");
        assert_eq!(
            attr_values(&own, "href"),
            ["#source", "#progress", "/grants/g/", "#1"]
        );
        let h = render_as(Some(Embed {
            id_prefix: "dialogue-d--",
            page_url: "/dialogues/d/",
        }));
        assert_eq!(
            attr_values(&h, "id"),
            ["dialogue-d--remarks", "dialogue-d--source", "dialogue-d--1"],
            "{h}"
        );
        // Links to the body's own ids stay on the page; others go to the
        // record's own page, where the fragment means what the author meant.
        assert_eq!(
            attr_values(&h, "href"),
            [
                "#dialogue-d--source",
                "/dialogues/d/#progress",
                "/grants/g/",
                "#dialogue-d--1"
            ],
            "{h}"
        );
        // The footnote keeps its number.
        assert!(h.contains(r##"<a href="#dialogue-d--1">1</a>"##), "{h}");
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
