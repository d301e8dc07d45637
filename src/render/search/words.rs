//! Words for the search index: folding case and Latin diacritics, splitting
//! text into words, joining numbers written with group separators and
//! hyphenated compounds, dropping stop words. `search.js` does the same in
//! the browser; the integration tests run both over the same text and compare.

/// Words too common to help: left out of the index and ignored in queries.
/// Shipped in the index, so `search.js` uses the same list.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "he", "her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "she", "that",
    "the", "their", "them", "they", "this", "to", "was", "were", "which", "will", "with",
];

/// Longer tokens (hashes, run-together URLs) are not indexed.
pub const MAX_TOKEN_CHARS: usize = 40;

/// Characters that group the digits of a number in threes, as pages in
/// different languages write amounts: "5,500,000", "5.500.000", "5 500 000"
/// with a space, a no-break space (U+00A0) or a narrow no-break space
/// (U+202F). `GROUP` in `search.js` is the same list.
pub const GROUP_SEPARATORS: [char; 5] = [',', '.', ' ', '\u{a0}', '\u{202f}'];

/// Decimal marks: a fraction of zeros after one is dropped, so
/// "5,500,000.00" is the number 5500000.
pub const DECIMAL_MARKS: [char; 2] = ['.', ','];

/// Hyphens that join the parts of a compound: hyphen-minus, U+2010 hyphen,
/// U+2011 non-breaking hyphen. Dashes (en dash, em dash) separate words.
pub const HYPHENS: [char; 3] = ['-', '\u{2010}', '\u{2011}'];

/// U+00C0 to U+024F folded to ASCII by canonical decomposition minus the
/// combining marks (U+0300–U+036F), `\0` where that leaves the letter as it
/// is. Generated with Python's `unicodedata`; `search.js` computes the same
/// with `normalize('NFD')`, and a test compares the two.
const FOLD_LATIN: &[u8; 400] = b"AAAAAA\0CEEEEIIII\0NOOOOO\0\0UUUUY\0\0\
aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y\
AaAaAaCcCcCcCcDd\0\0EeEeEeEeEeGgGg\
GgGgHh\0\0IiIiIiIiI\0\0\0JjKk\0LlLlLl\0\
\0\0\0NnNnNn\0\0\0OoOoOo\0\0RrRrRrSsSsSs\
SsTtTt\0\0UuUuUuUuUuUuWwYyYZzZzZz\0\
\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\
Oo\0\0\0\0\0\0\0\0\0\0\0\0\0Uu\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\
\0\0\0\0\0\0\0\0\0\0\0\0\0AaIiOoUuUuUuUuUu\0Aa\
Aa\0\0\0\0GgKkOoOo\0\0j\0\0\0Gg\0\0NnAa\0\0\0\0\
AaAaEeEeIiIiOoOoRrRrUuUuSsTt\0\0Hh\
\0\0\0\0\0\0AaEeOoOoOoOoYy\0\0\0\0\0\0\0\0\0\0\0\0\
\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// The same for Latin Extended Additional, U+1E00 to U+1EFF.
const FOLD_LATIN_ADDITIONAL: &[u8; 256] = b"AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFf\
GgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm\
MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRr\
SsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv\
WwWwWwWwWwXxXxYyZzZzZzhtwy\0\0\0\0\0\0\
AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe\
EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOo\
OoOoUuUuUuUuUuUuUuYyYyYyYy\0\0\0\0\0\0";

/// Append `c`, already lowercase, folded.
fn push_folded(c: char, out: &mut String) {
    let table = |t: &[u8], i: u32| t[i as usize];
    let folded = match c {
        // Combining diacritical marks (text written decomposed), and the
        // soft hyphen, which only marks where a line may break.
        '\u{300}'..='\u{36f}' | '\u{ad}' => return,
        // Letters that do not decompose but that readers type plainly.
        'ß' => return out.push_str("ss"),
        'æ' | 'ǣ' | 'ǽ' => return out.push_str("ae"),
        'œ' => return out.push_str("oe"),
        'þ' => return out.push_str("th"),
        'ø' | 'ǿ' => b'o',
        'ł' => b'l',
        'đ' | 'ð' => b'd',
        'ı' => b'i',
        'ħ' => b'h',
        'ŧ' => b't',
        'ǯ' => return out.push('ʒ'),
        'ẛ' => return out.push('ſ'),
        'ς' => return out.push('σ'),
        '\u{c0}'..='\u{24f}' => table(FOLD_LATIN, c as u32 - 0xc0),
        '\u{1e00}'..='\u{1eff}' => table(FOLD_LATIN_ADDITIONAL, c as u32 - 0x1e00),
        _ => 0,
    };
    if folded == 0 {
        out.push(c);
    } else {
        out.push(folded.to_ascii_lowercase() as char);
    }
}

/// Lowercase and fold Latin diacritics: "Tomás Ölçer" → "tomas olcer".
/// Other scripts keep their letters (Cyrillic "Өлзий" → "өлзий").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] into `out`, which is cleared first. Runs of ASCII are copied
/// and lowercased whole; other characters are folded one by one.
pub(super) fn fold_into(text: &str, out: &mut String) {
    out.clear();
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let at = out.len();
        out.push_str(&rest[..ascii]);
        out[at..].make_ascii_lowercase();
        let mut chars = rest[ascii..].chars();
        if let Some(c) = chars.next() {
            for l in c.to_lowercase() {
                push_folded(l, out);
            }
        }
        rest = chars.as_str();
    }
}

/// True for a character that is part of a word, after folding: ASCII
/// letters and digits, and every other character except punctuation and
/// symbol blocks. The same class as `WORD` in `search.js`.
pub fn is_word_char(c: char) -> bool {
    matches!(c,
        '0'..='9' | 'a'..='z'
        | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{1fff}'
        | '\u{2c00}'..='\u{2dff}' | '\u{2e80}'..='\u{2fff}' | '\u{3040}'..='\u{d7ff}'
        | '\u{f900}'..='\u{fe0f}' | '\u{fe20}'..='\u{fe2f}' | '\u{fe70}'..='\u{fefe}'
        | '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}'
        | '\u{ff66}'..='\u{ffef}' | '\u{10000}'..='\u{1efff}' | '\u{1fb00}'..='\u{10ffff}')
}

/// A word in folded text: its letters, and where it stands (char indices).
struct Token {
    text: String,
    start: usize,
    end: usize,
    digits: bool,
}

/// The runs of word characters in `chars`, as (start, end).
fn runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &c) in chars.iter().enumerate() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

fn all_digits(chars: &[char]) -> bool {
    chars.iter().all(char::is_ascii_digit)
}

/// Runs made into tokens: a number of one to three digits followed by
/// groups of exactly three, each after the same one separator from
/// [`GROUP_SEPARATORS`], is one number ("5,500,000" → `5500000`); a
/// fraction of zeros after a [`DECIMAL_MARKS`] character (other than the
/// group separator) is dropped.
fn numbers(chars: &[char], runs: &[(usize, usize)]) -> Vec<Token> {
    let mut out = Vec::with_capacity(runs.len());
    // The run at `i` if it follows `end` after exactly one character.
    let next = |i: usize, end: usize| {
        runs.get(i)
            .filter(|r| r.0 == end + 1)
            .map(|&r| (chars[end], r))
    };
    let mut i = 0;
    while i < runs.len() {
        let (start, mut end) = runs[i];
        let mut text: String = chars[start..end].iter().collect();
        let digits = all_digits(&chars[start..end]);
        i += 1;
        if digits {
            let mut sep = None;
            if end - start <= 3 {
                while let Some((c, (s, e))) = next(i, end) {
                    let group = e - s == 3 && all_digits(&chars[s..e]);
                    if !group || !GROUP_SEPARATORS.contains(&c) || sep.is_some_and(|x| x != c) {
                        break;
                    }
                    sep = Some(c);
                    text.extend(&chars[s..e]);
                    end = e;
                    i += 1;
                }
            }
            if let Some((c, (s, e))) = next(i, end) {
                if DECIMAL_MARKS.contains(&c)
                    && sep != Some(c)
                    && chars[s..e].iter().all(|&d| d == '0')
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
            digits,
        });
    }
    out
}

/// The words of `text` in groups: one word, or the parts of a hyphenated
/// compound ("multi-disciplinary" → `["multi", "disciplinary"]`). Parts
/// join when one of [`HYPHENS`] stands between them, unless both are
/// numbers (dates, ranges). Numbers come whole, see [`numbers`].
pub fn groups(text: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = fold(text).chars().collect();
    let runs = runs(&chars);
    let mut out: Vec<Vec<String>> = Vec::new();
    // The previous token's end and whether it was a number.
    let mut last: Option<(usize, bool)> = None;
    for t in numbers(&chars, &runs) {
        let joins = last.is_some_and(|(end, digits)| {
            t.start == end + 1 && HYPHENS.contains(&chars[end]) && !(digits && t.digits)
        });
        last = Some((t.end, t.digits));
        match out.last_mut() {
            Some(g) if joins => g.push(t.text),
            _ => out.push(vec![t.text]),
        }
    }
    out
}

/// Folded words, before any filtering: each group's parts, then for a
/// compound its parts joined, so "multi-disciplinary" is found as
/// `multidisciplinary` too. Numbers lose their group separators:
/// "$500,000" → `500000`.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for g in groups(text) {
        let joined = (g.len() > 1).then(|| g.concat());
        out.extend(g);
        out.extend(joined);
    }
    out
}

/// True for a word worth indexing: two to [`MAX_TOKEN_CHARS`] characters,
/// or a single digit, and not a stop word.
pub fn keep(word: &str) -> bool {
    let n = word.chars().count();
    (n <= MAX_TOKEN_CHARS && (n >= 2 || word.bytes().all(|b| b.is_ascii_digit())))
        && !is_stop_word(word)
}

/// True for one of [`STOP_WORDS`]. Each is short, so it is compared as one
/// number (see [`short_key`]) instead of byte by byte: the words of a
/// record are looked up here one by one.
fn is_stop_word(word: &str) -> bool {
    word.len() <= STOP_KEYS.1
        && short_key(word.as_bytes()).is_some_and(|k| STOP_KEYS.0.binary_search(&k).is_ok())
}

/// A string of up to seven bytes as one number, different for every such
/// string: its bytes, and its length in the top byte.
const fn short_key(bytes: &[u8]) -> Option<u64> {
    if bytes.len() > 7 {
        return None;
    }
    let mut key = (bytes.len() as u64) << 56;
    let mut i = 0;
    while i < bytes.len() {
        key |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    Some(key)
}

/// [`STOP_WORDS`] as [`short_key`]s, sorted, and the length in bytes of the
/// longest; building it fails if one is too long.
const STOP_KEYS: ([u64; STOP_WORDS.len()], usize) = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut longest = 0;
    let mut i = 0;
    while i < STOP_WORDS.len() {
        let word = STOP_WORDS[i].as_bytes();
        if word.len() > longest {
            longest = word.len();
        }
        let key = match short_key(word) {
            Some(k) => k,
            None => panic!("a stop word longer than seven bytes"),
        };
        // Insertion sort: the keys before `i` are sorted.
        let mut j = i;
        while j > 0 && keys[j - 1] > key {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = key;
        i += 1;
    }
    (keys, longest)
};

/// The indexed terms of `text`, in order, repeats included.
pub fn tokens(text: &str) -> Vec<String> {
    words(text).into_iter().filter(|w| keep(w)).collect()
}

/// The text of a Markdown body without markup: link text stays, link
/// targets and raw HTML go. Blocks and line breaks become spaces; inline
/// markup (emphasis, links) adds nothing, so text reads as on the page:
/// "the [dialogue](@/…), Dr." gives "the dialogue, Dr.".
pub fn plain_text(body: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(body.len());
    for ev in Parser::new_ext(body, opts) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            _ => out.push(' '),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_latin_diacritics_but_keeps_cyrillic() {
        assert_eq!(fold("Tomás ÖLÇER Łódź"), "tomas olcer lodz");
        assert_eq!(fold("Straße Æsir Nguyễn"), "strasse aesir nguyen");
        assert_eq!(fold("Өлзий Ёндон"), "өлзий ёндон");
        // Written decomposed: the marks go.
        assert_eq!(fold("Toma\u{301}s"), "tomas");
    }

    #[test]
    fn words_split_on_punctuation_and_join_thousands() {
        assert_eq!(
            words("U.S. commits $500,000 (2021)—Klecheski's remarks"),
            [
                "u",
                "s",
                "commits",
                "500000",
                "2021",
                "klecheski",
                "s",
                "remarks"
            ]
        );
        // Only groups of three join; a space after a comma separates.
        assert_eq!(words("1,2,3 and 4, 5"), ["1", "2", "3", "and", "4", "5"]);
        assert_eq!(words("Улаанбаатар хот"), ["улаанбаатар", "хот"]);
    }

    #[test]
    fn amounts_are_one_word_however_their_digits_are_grouped() {
        for written in [
            "5,500,000",
            "$5,500,000",
            "5500000",
            "5,500,000.00",
            "5.500.000",
            "5.500.000,00",
            "5 500 000",
            "5\u{a0}500\u{a0}000",
            "5\u{202f}500\u{202f}000 ₮",
            "5500000.0",
        ] {
            assert_eq!(words(written), ["5500000"], "{written:?}");
        }
        // The separator must be the same throughout; another one after the
        // groups is a decimal mark.
        assert_eq!(words("2,000.000 and 2.000,0"), ["2000", "and", "2000"]);
        assert_eq!(
            words("12.50 1.5 1,234.56"),
            ["12", "50", "1", "5", "1234", "56"]
        );
        // Not groups of three: dates, versions, a number after a year.
        assert_eq!(words("19.11.2021"), ["19", "11", "2021"]);
        assert_eq!(words("1,234,5678"), ["1234", "5678"]);
        assert_eq!(
            words("in 2020 100 000 people"),
            ["in", "2020", "100000", "people"]
        );
    }

    #[test]
    fn hyphenated_words_give_their_parts_and_the_parts_joined() {
        assert_eq!(
            words("multi-disciplinary"),
            ["multi", "disciplinary", "multidisciplinary"]
        );
        assert_eq!(
            groups("a victim\u{2010}centered, state-of-the-art COVID\u{2011}19 plan"),
            [
                vec!["a"],
                vec!["victim", "centered"],
                vec!["state", "of", "the", "art"],
                vec!["covid", "19"],
                vec!["plan"],
            ]
        );
        // A soft hyphen is dropped: the word is whole.
        assert_eq!(words("multi\u{ad}disciplinary"), ["multidisciplinary"]);
        // Dashes separate; numbers on both sides of a hyphen stay apart.
        assert_eq!(
            words("U.S.–Mongolia 2021-11-19 5,000-10,000"),
            ["u", "s", "mongolia", "2021", "11", "19", "5000", "10000"]
        );
        assert_eq!(words("e-mail -x y-"), ["e", "mail", "email", "x", "y"]);
    }

    #[test]
    fn tokens_drop_stop_words_single_letters_and_long_runs() {
        let long = "x".repeat(MAX_TOKEN_CHARS + 1);
        assert_eq!(
            tokens(&format!("The grant of 5 years to a NGO {long}")),
            ["grant", "5", "years", "ngo"]
        );
    }

    #[test]
    fn stop_words_are_found_by_key_and_nothing_else_is() {
        for w in STOP_WORDS {
            assert!(is_stop_word(w) && !keep(w), "{w}");
            // Near misses: a letter more or less, another case, a NUL.
            let others = [
                w[1..].to_string(),
                format!("{w}s"),
                w.to_uppercase(),
                format!("{w}\0"),
            ];
            for other in &others {
                let other = other.as_str();
                assert_eq!(
                    is_stop_word(other),
                    STOP_WORDS.contains(&other),
                    "{other:?}"
                );
            }
        }
        for w in [
            "", "\0", "an\0", "abcdefg", "abcdefgh", "theirs", "thé", "2021",
        ] {
            assert!(!is_stop_word(w), "{w:?}");
        }
    }

    #[test]
    fn plain_text_keeps_link_text_not_targets() {
        let t =
            plain_text("# Head\n\n[Dr. Kari](@/people/kari-johnstone.md) said <b>x</b> `code`.");
        assert!(t.contains("Head") && t.contains("Dr. Kari") && t.contains("code"));
        assert!(!t.contains("@/") && !t.contains("<b>"), "{t}");
        // Inline markup adds no spaces; blocks are apart.
        let t = plain_text("The [first dialogue](@/d.md), *Dr.* K**a**ri.\n\n# Next");
        assert_eq!(
            t.split_whitespace().collect::<Vec<_>>().join(" "),
            "The first dialogue, Dr. Kari. Next"
        );
    }
}
