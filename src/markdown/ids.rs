//! The ids a Markdown body puts in a page: heading anchors, made unique
//! within the body in linear time; heading attributes (`{#id .class}`), cut
//! down to a safe id and classes unless the site allows raw HTML; and the
//! prefix that keeps the ids of several bodies apart on one page.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// Unique ids, handed out in O(1) amortised per request: the next suffix
/// to try is kept per base name, so `n` headings with the same text cost
/// `n` steps, not `n²` (or `n³` with a list of used ids).
#[derive(Default)]
struct Unique {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Unique {
    /// Mark `id` as taken without asking for it (a footnote's label).
    fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// `base` if it is free, else `base-1`, `base-2`, … the first free one.
    ///
    /// Each failed try hits an id of the form `base-k` that is already
    /// taken, and the counter for `base` only moves forward, so every taken
    /// id fails at most one try over the whole body: linear overall.
    fn get(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Letters and digits of any script, `-` and `_`: what an author's
/// `{#id}` or `{.class}` may keep when raw HTML is off.
fn safe_token(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Give every heading a unique id and, unless `allow_html`, keep only a
/// safe id and safe classes of the attributes the author wrote. Returns
/// every id the body makes: heading ids and footnote labels.
///
/// Footnote labels are taken first (they are the ids of the footnotes;
/// a label defined again gets a suffix, as below),
/// then explicit `{#id}`s in order (an author links to them, so they win),
/// then ids made from each heading's text in order. An id already taken
/// gets the first free `-1`, `-2`, … suffix.
pub fn assign(events: &mut [Event], allow_html: bool) -> HashSet<String> {
    let mut ids = Unique::default();
    for ev in events.iter() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = ev {
            ids.reserve(label);
        }
    }
    // A label defined twice: references go to the first definition, and
    // the later ones get ids of their own (shown, never dropped).
    let mut defined = HashSet::new();
    for ev in events.iter_mut() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = ev {
            if !defined.insert(label.to_string()) {
                *label = CowStr::from(ids.get(label));
            }
        }
    }
    // (index of the heading's start event, explicit id, text)
    let mut headings: Vec<(usize, Option<String>, String)> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) = &mut events[i]
        {
            let explicit = id.take().map(|s| {
                if allow_html {
                    s.to_string()
                } else {
                    safe_token(&s)
                }
            });
            if !allow_html {
                attrs.clear();
                classes.retain_mut(|c| {
                    *c = CowStr::from(safe_token(c));
                    !c.is_empty()
                });
            }
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            headings.push((i, explicit.filter(|s| !s.is_empty()), text));
            i = j;
        }
        i += 1;
    }
    let mut chosen: Vec<(usize, String)> = Vec::with_capacity(headings.len());
    for (at, explicit, _) in &headings {
        if let Some(e) = explicit {
            chosen.push((*at, ids.get(e)));
        }
    }
    for (at, explicit, text) in &headings {
        if explicit.is_none() {
            chosen.push((*at, ids.get(&super::anchor(text))));
        }
    }
    for (at, new_id) in chosen {
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[at] {
            *id = Some(CowStr::from(new_id));
        }
    }
    ids.used
}

/// Put `prefix` before every id the body makes: heading ids, footnote
/// definitions and the footnote references that point at them.
pub fn prefix(events: &mut [Event], prefix: &str) {
    let with = |s: &CowStr| CowStr::from(format!("{prefix}{s}"));
    for ev in events.iter_mut() {
        match ev {
            Event::Start(Tag::Heading { id: Some(id), .. }) => *id = with(id),
            Event::Start(Tag::FootnoteDefinition(label)) => *label = with(label),
            Event::FootnoteReference(label) => *label = with(label),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_ids_skip_taken_suffixes() {
        let mut u = Unique::default();
        u.reserve("a-1");
        assert_eq!(u.get("a"), "a");
        assert_eq!(u.get("a"), "a-2");
        assert_eq!(u.get("a-2"), "a-2-1");
        assert_eq!(u.get("a"), "a-3");
    }

    #[test]
    fn a_footnote_defined_twice_keeps_both_under_different_ids() {
        let body = "See[^a].\n\n[^a]: First.\n\n[^a]: Second.\n\n[^a-1]: Third.\n";
        let mut events: Vec<Event> =
            pulldown_cmark::Parser::new_ext(body, super::super::options()).collect();
        let ids = assign(&mut events, false);
        let labels: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::Start(Tag::FootnoteDefinition(l)) => Some(l.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(labels, ["a", "a-2", "a-1"]);
        assert!(ids.contains("a-2") && ids.contains("a-1"));
    }

    #[test]
    fn safe_tokens_keep_letters_digits_hyphens_underscores() {
        assert_eq!(safe_token("x\" onclick=\"y"), "xonclicky");
        assert_eq!(safe_token("хүүхэд_1-a"), "хүүхэд_1-a");
        assert_eq!(safe_token("<>:;()"), "");
    }
}
