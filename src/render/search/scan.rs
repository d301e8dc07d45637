//! The tokenizer of [`words`](super::words) without its allocations, for
//! building the index. [`Scanner::words`] gives the same words in the same
//! order as [`words::words`](super::words::words), each lent to a callback
//! from buffers that are reused from one text to the next, so a record's
//! terms cost an allocation only for a term it has not had yet.
//!
//! `words.rs` stays the readable definition, and the one the tests compare
//! with `search.js`; the tests here check that the two agree. The steps are
//! the same, on byte offsets instead of `Vec<char>` indices: fold, find the
//! runs of word characters, make numbers of runs of digit groups, group the
//! parts of hyphenated compounds.

use super::words::{fold_into, is_word_char, DECIMAL_MARKS, GROUP_SEPARATORS, HYPHENS};

/// Where a token's text is: a slice of the folded text, or (a number
/// joined from digit groups) of [`Scanner::numbers`].
#[derive(Clone, Copy)]
enum Text {
    Folded(usize, usize),
    Number(usize, usize),
}

/// A word in the folded text: its text, and where it stands (byte offsets,
/// a dropped fraction of zeros included).
#[derive(Clone, Copy)]
struct Token {
    text: Text,
    start: usize,
    end: usize,
    digits: bool,
}

/// Buffers kept from one text to the next.
#[derive(Default)]
pub(super) struct Scanner {
    folded: String,
    runs: Vec<(usize, usize)>,
    tokens: Vec<Token>,
    /// The digits of numbers joined from groups.
    numbers: String,
    /// A compound's parts joined.
    joined: String,
}

impl Scanner {
    /// Call `f` with each word of `text`, as [`words::words`] lists them:
    /// folded, each group's parts, then a compound's parts joined.
    ///
    /// [`words::words`]: super::words::words
    pub(super) fn words(&mut self, text: &str, mut f: impl FnMut(&str)) {
        fold_into(text, &mut self.folded);
        runs(&self.folded, &mut self.runs);
        self.numbers.clear();
        numbers(
            &self.folded,
            &self.runs,
            &mut self.tokens,
            &mut self.numbers,
        );
        let Scanner {
            folded,
            tokens,
            numbers,
            joined,
            ..
        } = self;
        let text_of = |t: &Token| match t.text {
            Text::Folded(a, b) => &folded[a..b],
            Text::Number(a, b) => &numbers[a..b],
        };
        let mut first = 0;
        for k in 1..=tokens.len() {
            if k < tokens.len() && joins(folded, &tokens[k - 1], &tokens[k]) {
                continue;
            }
            let group = &tokens[first..k];
            for t in group {
                f(text_of(t));
            }
            if group.len() > 1 {
                joined.clear();
                for t in group {
                    joined.push_str(text_of(t));
                }
                f(joined);
            }
            first = k;
        }
    }
}

/// The character of `text` at byte offset `i`, if any.
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// True if `t` is the next part of a compound ending with `last`: one of
/// [`HYPHENS`] between them, and not both numbers.
fn joins(folded: &str, last: &Token, t: &Token) -> bool {
    match char_at(folded, last.end) {
        Some(c) => {
            t.start == last.end + c.len_utf8() && HYPHENS.contains(&c) && !(last.digits && t.digits)
        }
        None => false,
    }
}

/// The runs of word characters in `text`, as byte (start, end).
fn runs(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (word, len) = if b.is_ascii() {
            (is_ascii_word_byte(b), 1)
        } else {
            let c = char_at(text, i).unwrap_or_default();
            (is_word_char(c), c.len_utf8())
        };
        let at = i;
        i += len;
        match (word, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                out.push((s, at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
}

/// [`is_word_char`] for an ASCII character, without decoding it.
fn is_ascii_word_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

/// Runs made into tokens, as `words::numbers` makes them: digit groups
/// after one same separator join into one number, whose digits go to
/// `digits`; a fraction of zeros after a decimal mark is dropped.
fn numbers(folded: &str, runs: &[(usize, usize)], out: &mut Vec<Token>, digits: &mut String) {
    out.clear();
    let bytes = folded.as_bytes();
    // The run at `i` if it follows `end` after exactly one character.
    let next = |i: usize, end: usize| {
        let r: (usize, usize) = *runs.get(i)?;
        let c = char_at(folded, end)?;
        (r.0 == end + c.len_utf8()).then_some((c, r))
    };
    let mut i = 0;
    while i < runs.len() {
        let (start, mut end) = runs[i];
        let mut text = Text::Folded(start, end);
        let is_number = all_digits(&bytes[start..end]);
        i += 1;
        if is_number {
            let mut sep = None;
            // A run of digits has as many bytes as characters.
            if end - start <= 3 {
                while let Some((c, (s, e))) = next(i, end) {
                    let group = e - s == 3 && all_digits(&bytes[s..e]);
                    if !group || !GROUP_SEPARATORS.contains(&c) || sep.is_some_and(|x| x != c) {
                        break;
                    }
                    if sep.is_none() {
                        let at = digits.len();
                        digits.push_str(&folded[start..end]);
                        text = Text::Number(at, at);
                    }
                    sep = Some(c);
                    digits.push_str(&folded[s..e]);
                    if let Text::Number(at, _) = text {
                        text = Text::Number(at, digits.len());
                    }
                    end = e;
                    i += 1;
                }
            }
            if let Some((c, (s, e))) = next(i, end) {
                if DECIMAL_MARKS.contains(&c)
                    && sep != Some(c)
                    && bytes[s..e].iter().all(|&d| d == b'0')
                {
                    end = e;
                    i += 1;
                }
            }
        }
        out.push(Token {
            text,
            start,
            end,
            digits: is_number,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::words::{fold, groups, words};
    use super::*;

    fn scanned(s: &mut Scanner, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        s.words(text, |w| out.push(w.to_string()));
        out
    }

    /// Texts whose words the two tokenizers must agree on.
    const CASES: &[&str] = &[
        "",
        "   ",
        "U.S. commits $500,000 (2021)—Klecheski's remarks",
        "1,2,3 and 4, 5",
        "Tomás ÖLÇER Łódź, Straße Æsir Nguyễn Toma\u{301}s",
        "Улаанбаатар хот, Өлзий Ёндон-Ганбаатар",
        "5,500,000 $5,500,000 5500000 5,500,000.00 5.500.000 5.500.000,00",
        "5 500 000 5\u{a0}500\u{a0}000 5\u{202f}500\u{202f}000 ₮ 5500000.0",
        "2,000.000 and 2.000,0 12.50 1.5 1,234.56 19.11.2021 1,234,5678",
        "in 2020 100 000 people",
        "a victim\u{2010}centered, state-of-the-art COVID\u{2011}19 plan",
        "multi\u{ad}disciplinary multi-disciplinary e-mail -x y- x--y",
        "U.S.–Mongolia 2021-11-19 5,000-10,000 1-a a-1 10,000-a a-10,000",
        "İstanbul ǅemal ﬁnance K (kelvin) ΣΟΦΟΣ ς",
        "1,000,000-strong 100-200-300 co-operation's",
        "1.000\u{2010}2.000 ७,५०० 1\u{a0}000,00",
        "trailing 1,000.",
        "x\u{301}\u{301}-y",
    ];

    #[test]
    fn ascii_word_bytes_are_word_chars() {
        for b in 0..128u8 {
            assert_eq!(is_ascii_word_byte(b), is_word_char(b as char), "{b}");
        }
    }

    #[test]
    fn scanning_gives_the_words_of_words_rs() {
        let mut s = Scanner::default();
        for text in CASES {
            assert_eq!(scanned(&mut s, text), words(text), "{text:?}");
        }
        // The same, all in one text (buffers from a longer text are reused).
        let all = CASES.join(" ");
        assert_eq!(scanned(&mut s, &all), words(&all));
        assert_eq!(scanned(&mut s, "A-b"), words("A-b"));
    }

    #[test]
    fn scanning_agrees_with_words_rs_on_generated_text() {
        // Pieces that meet the tokenizer's edge cases, put together by a
        // small fixed generator (xorshift), so failures repeat.
        const PIECES: &[&str] = &[
            "a",
            "Ab",
            "é",
            "Ö",
            "ß",
            "ж",
            "Ё",
            "1",
            "12",
            "000",
            "500",
            "0",
            "00",
            ",",
            ".",
            " ",
            "\u{a0}",
            "\u{202f}",
            "-",
            "\u{2010}",
            "\u{2011}",
            "–",
            "\u{ad}",
            "\u{301}",
            "'",
            "$",
            "ǅ",
            "İ",
            "ﬁ",
            "₮",
            "\n",
            ",000",
            ".000",
            " 500",
            "\u{a0}000",
            ".00",
            ",0",
            "-1",
        ];
        let mut s = Scanner::default();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let (mut compounds, mut numbers) = (0, 0);
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..12 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push_str(PIECES[(x % PIECES.len() as u64) as usize]);
            }
            let expected = words(&text);
            assert_eq!(scanned(&mut s, &text), expected, "{text:?}");
            compounds += usize::from(groups(&text).iter().any(|g| g.len() > 1));
            let joined = |w: &String| {
                w.bytes().all(|b| b.is_ascii_digit()) && !fold(&text).contains(w.as_str())
            };
            numbers += usize::from(expected.iter().any(joined));
        }
        // The generator does make the cases it is for.
        assert!(compounds > 500 && numbers > 50, "{compounds} {numbers}");
    }
}
