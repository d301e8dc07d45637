//! Words for the search index: folding case and Latin diacritics, splitting
//! text into words, dropping stop words. `search.js` does the same in the
//! browser; the integration tests run both over the same text and compare.

/// Words too common to help: left out of the index and ignored in queries.
/// Shipped in the index, so `search.js` uses the same list.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "he", "her", "his", "in", "into", "is", "it", "its", "of", "on", "or", "she", "that",
    "the", "their", "them", "they", "this", "to", "was", "were", "which", "will", "with",
];

/// Longer tokens (hashes, run-together URLs) are not indexed.
pub const MAX_TOKEN_CHARS: usize = 40;

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
        // Combining diacritical marks: text written decomposed.
        '\u{300}'..='\u{36f}' => return,
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
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                push_folded(l, &mut out);
            }
        }
    }
    out
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

/// Folded words, before any filtering. A comma between digits is a
/// thousands separator and joins them: "$500,000" → `500000`.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let chars: Vec<char> = folded.chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let thousands = c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if is_word_char(c) {
            word.push(c);
        } else if !thousands && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// True for a word worth indexing: two to [`MAX_TOKEN_CHARS`] characters,
/// or a single digit, and not a stop word.
pub fn keep(word: &str) -> bool {
    let n = word.chars().count();
    (n <= MAX_TOKEN_CHARS && (n >= 2 || word.bytes().all(|b| b.is_ascii_digit())))
        && !STOP_WORDS.contains(&word)
}

/// The indexed terms of `text`, in order, repeats included.
pub fn tokens(text: &str) -> Vec<String> {
    words(text).into_iter().filter(|w| keep(w)).collect()
}

/// The text of a Markdown body without markup: link text stays, link
/// targets and raw HTML go.
pub fn plain_text(body: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(body.len());
    for ev in Parser::new_ext(body, opts) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(_) | Event::InlineHtml(_) => {}
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
        assert_eq!(words("1,2,3 and 4, 5"), ["123", "and", "4", "5"]);
        assert_eq!(words("Улаанбаатар хот"), ["улаанбаатар", "хот"]);
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
    fn plain_text_keeps_link_text_not_targets() {
        let t =
            plain_text("# Head\n\n[Dr. Kari](@/people/kari-johnstone.md) said <b>x</b> `code`.");
        assert!(t.contains("Head") && t.contains("Dr. Kari") && t.contains("code"));
        assert!(!t.contains("@/") && !t.contains("<b>"), "{t}");
    }
}
