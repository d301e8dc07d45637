//! Writing XML that is always well-formed: quick-xml's writer does the
//! markup and the escaping, and [`clean`] first drops every character that
//! XML 1.0 cannot carry at all, even escaped. Used for the Atom feed and the
//! sitemap and the IATI files; [`escape`] serves the few
//! places that assemble XML by hand (the charts' SVG).
//!
//! What is dropped: the C0 controls other than tab, line feed and carriage
//! return, and U+FFFE and U+FFFF (XML 1.0's `Char` production). Lone
//! surrogates cannot occur in a Rust string (a YAML `"\uD800"` is refused
//! by the YAML parser). Dropped rather than replaced with U+FFFD: they are
//! invisible in a page, and a `�` in a feed reader looks like broken text.
//! The C1 controls (U+0080 to U+009F) and the other noncharacters are
//! legal XML 1.0, only discouraged, and are kept as the record has them.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::borrow::Cow;

/// Whether XML 1.0 can carry `c` (its `Char` production; the surrogate
/// range cannot reach a `char`).
pub fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` without the characters XML cannot carry; borrowed when it has none.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

/// Text for element content or a quoted attribute value, cleaned and
/// escaped (`&`, `<`, `>`, both quotes, and carriage return).
pub fn escape(s: &str) -> String {
    quick_xml::escape::escape(clean(s)).into_owned()
}

/// An XML document being written into memory, indented by two spaces.
/// Every name, attribute value and text passes through [`clean`] and is
/// escaped by quick-xml.
pub struct Doc {
    w: Writer<Vec<u8>>,
}

impl Doc {
    /// A document that starts with `<?xml version="1.0" encoding="…"?>`.
    pub fn new(encoding: &str) -> Doc {
        let mut doc = Doc {
            w: Writer::new_with_indent(Vec::new(), b' ', 2),
        };
        doc.event(Event::Decl(BytesDecl::new("1.0", Some(encoding), None)));
        doc
    }

    fn event(&mut self, e: Event) {
        // Writing into a `Vec<u8>` cannot fail.
        let _ = self.w.write_event(e);
    }

    fn tag<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, clean(v).as_ref()));
        }
        start
    }

    /// `<name attr="value">`, to be closed with [`Doc::close`].
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Start(Self::tag(name, attrs)));
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// `<name attr="value"/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Empty(Self::tag(name, attrs)));
    }

    /// `<name>text</name>` on one line.
    pub fn text(&mut self, name: &str, text: &str) {
        self.element(name, &[], text);
    }

    /// `<name attr="value">text</name>` on one line.
    pub fn element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.event(Event::Text(BytesText::new(&clean(text))));
        self.close(name);
    }

    /// Bytes written so far.
    pub fn written(&self) -> usize {
        self.w.get_ref().len()
    }

    /// The bytes, ending with a newline.
    pub fn finish(self) -> Vec<u8> {
        let mut bytes = self.w.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_carry_are_dropped_and_the_rest_kept() {
        assert_eq!(clean("a\u{1}b\u{FFFF}c\u{FFFE}\u{1F}d"), "abcd");
        assert!(matches!(clean("plain – text\t\n"), Cow::Borrowed(_)));
        // Legal but discouraged: kept as the record has them.
        assert_eq!(
            clean("\u{85}\u{9F}\u{FDD0}\u{1FFFF}"),
            "\u{85}\u{9F}\u{FDD0}\u{1FFFF}"
        );
        assert_eq!(
            clean("\u{D7FF}\u{E000}\u{FFFD}\u{10FFFF}"),
            "\u{D7FF}\u{E000}\u{FFFD}\u{10FFFF}"
        );
    }

    #[test]
    fn escapes_markup_quotes_and_carriage_returns() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\u{1}\r"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#13;"
        );
    }

    #[test]
    fn a_document_is_indented_and_escaped() {
        let mut d = Doc::new("utf-8");
        d.open("feed", &[("xmlns", "urn:x")]);
        d.text("title", "Fish & <chips>\u{FFFF}\u{7}");
        d.empty("link", &[("href", "https://x/?a=1&b=\"2\"\u{0}")]);
        d.close("feed");
        assert_eq!(
            String::from_utf8(d.finish()).unwrap(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <feed xmlns=\"urn:x\">\n  \
               <title>Fish &amp; &lt;chips&gt;</title>\n  \
               <link href=\"https://x/?a=1&amp;b=&quot;2&quot;\"/>\n\
             </feed>\n"
        );
    }
}
