//! [`Text`]: a part of a content file's text that shares the file's one
//! copy. A record's Markdown body is one, so that the body and the text
//! that diagnostics quote are not held twice.

use std::ops::{Deref, Range};
use std::sync::Arc;

/// A part of a file's text (`&all[at]`), or a string of its own.
#[derive(Clone, Default)]
pub struct Text {
    all: Arc<str>,
    at: Range<usize>,
}

impl Text {
    /// The part of `all` at `at`, which must lie on character boundaries
    /// inside it (else the text is empty).
    pub fn part(all: &Arc<str>, at: Range<usize>) -> Text {
        if all.get(at.clone()).is_none() {
            return Text::default();
        }
        Text {
            all: Arc::clone(all),
            at,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.all[self.at.clone()]
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        let all: Arc<str> = Arc::from(s);
        let at = 0..all.len();
        Text { all, at }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::from(s.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_shares_the_file_and_reads_as_its_slice() {
        let all: Arc<str> = Arc::from("---\ntitle: A\n---\nBody ü.\n");
        let body = Text::part(&all, 17..all.len());
        assert_eq!(&*body, "Body ü.\n");
        assert_eq!(Arc::strong_count(&all), 2);
        assert_eq!(body, Text::from("Body ü.\n"));
        // Not on a character boundary, or outside: empty, never a panic.
        assert_eq!(&*Text::part(&all, 23..all.len()), "");
        assert_eq!(&*Text::part(&all, 0..99), "");
    }
}
