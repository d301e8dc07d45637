//! The typed content model: one struct per entity type, plus the value types
//! (dates, money, vocabularies) they are made of. No I/O here.

pub mod codes;
pub mod date;
pub mod entities;
pub mod money;
pub mod status;
pub mod text;
pub mod translation;
pub mod vocab;

pub use date::PartialDate;
pub use entities::*;
pub use money::{Currency, Money, Totals};
pub use status::{Group, Status, Statuses};
pub use text::Text;

/// ISO 3166-1 alpha-2 country codes.
pub fn country_codes() -> impl Iterator<Item = &'static str> {
    include_str!("country_codes.txt").split_whitespace()
}

/// True for the codes ISO 3166-1 leaves to users (`AA`, `QM`–`QZ`,
/// `XA`–`XZ`, `ZZ`): a site may name a country that has no ISO code with
/// one of them under `countries:` in `gazette.yaml`.
pub fn is_user_assigned_country(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 2
        && b.iter().all(u8::is_ascii_uppercase)
        && (code == "AA" || code == "ZZ" || b[0] == b'X' || (b[0] == b'Q' && b[1] >= b'M'))
}

/// True for lowercase slugs: `world-vision`, `2021-11-19-first-dialogue`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 120
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turn a title into an id: "Second bilateral dialogue" -> `second-bilateral-dialogue`.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    trimmed
        .chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_slugs() {
        assert!(is_valid_id("world-vision"));
        assert!(is_valid_id("2021-11-19-first-dialogue"));
        for bad in [
            "",
            "World-Vision",
            "a_b",
            "../etc",
            "a--b",
            "-a",
            "a.b",
            "é",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn slugify_makes_valid_ids() {
        assert_eq!(
            slugify("Second bilateral dialogue"),
            "second-bilateral-dialogue"
        );
        assert_eq!(slugify("  U.S.–Mongolia: CPC!  "), "u-s-mongolia-cpc");
        assert!(is_valid_id(&slugify("Ёлка 2021 / review")));
        assert!(country_codes().any(|c| c == "MN"));
    }
}
