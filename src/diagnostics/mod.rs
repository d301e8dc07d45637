//! Diagnostics are data: one type for every problem found in a site, fed to
//! `check`, to `build`, to `--format json` and (later) to the serve overlay.
//!
//! Stages never stop at the first problem: they return what they built plus
//! a list of [`Diagnostic`]s, and the command prints them all at the end
//! (`print.rs`: as JSON, or as codespan snippets for people).

pub mod print;

use serde::Serialize;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. Errors fail the build; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column inside a file (not inside the front matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The front-matter field, as a path such as `participants[1].person`.
    pub field: Option<String>,
    pub message: String,
    /// What would have been accepted.
    pub expected: Option<String>,
    /// A suggestion, e.g. "did you mean `world-vision`?".
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            expected: None,
            hint: None,
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, pos: Option<Pos>) -> Self {
        if let Some(p) = pos {
            self.line = Some(p.line);
            self.column = Some(p.column);
        }
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        let f = field.into();
        if !f.is_empty() {
            self.field = Some(f);
        }
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn hint_opt(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` as editors and terminals understand it.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{}:{}", self.file, l, c),
            (Some(l), None) => format!("{}:{}", self.file, l),
            _ => self.file.clone(),
        }
    }
}

/// A site-relative display path with forward slashes.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    s.join("/")
}

/// Sort diagnostics for stable output: by file, then position, then message.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
}

/// "did you mean `x`?" for the closest candidate within a small edit distance.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate nearest to `input` by edit distance, if it is near enough to
/// be a plausible typo: at most a third of its length in edits (1 to 4),
/// and fewer edits than it has characters. Ties go to the candidate that
/// sorts first.
///
/// Bounded work, since an unknown reference is checked against every id of
/// its type: a candidate whose length is further from `input`'s than the
/// edits allowed is never scored, the distance is computed in a band and
/// stops once it exceeds the bound, and the bound shrinks to the best
/// distance found so far.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_by(input, candidates, bounded_distance)
}

/// The most edits a typo of `len` characters may have.
fn max_edits(len: usize) -> usize {
    (len / 3).clamp(1, 4).min(len.saturating_sub(1))
}

/// Whether strings of `a` and `b` characters can be within `max` edits:
/// each edit changes the length by one at most.
fn in_length_band(a: usize, b: usize, max: usize) -> bool {
    a.abs_diff(b) <= max
}

/// [`closest`] with the scoring function passed in, so tests can see which
/// candidates get scored. `score(a, b, max)` is the distance if at most `max`.
fn closest_by<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    mut score: impl FnMut(&[char], &[char], usize) -> Option<usize>,
) -> Option<&'a str> {
    let a: Vec<char> = input.chars().collect();
    if a.is_empty() {
        return None;
    }
    let limit = max_edits(a.len());
    let mut best: Option<(usize, &str)> = None;
    let mut b: Vec<char> = Vec::new();
    for c in candidates {
        let bound = best.map_or(limit, |(d, _)| d);
        if !in_length_band(a.len(), c.chars().count(), bound) {
            continue;
        }
        b.clear();
        b.extend(c.chars());
        if let Some(d) = score(&a, &b, bound) {
            if best.is_none_or(|x| (d, c) < x) {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance counting a swap of two neighbours as one edit (optimal
/// string alignment), since `titel` for `title` is the commonest typo;
/// `None` when it is more than `max`. Only cells within `max` of the
/// diagonal are computed, and a row whose every cell exceeds `max` ends it.
fn bounded_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if !in_length_band(a.len(), b.len(), max) {
        return None;
    }
    let over = max + 1;
    let n = b.len();
    // Rows i-2, i-1 and i of the table; cells outside the band hold `over`.
    let mut before = vec![over; n + 1];
    let mut prev: Vec<usize> = (0..=n).map(|j| j.min(over)).collect();
    let mut row = vec![over; n + 1];
    for i in 1..=a.len() {
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(n);
        // Clear what the band of this row reads from its own row and the
        // next row reads from this one.
        row[lo - 1] = if lo == 1 { i.min(over) } else { over };
        if hi < n {
            row[hi + 1] = over;
        }
        let mut row_min = row[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            row[j] = v.min(over);
            row_min = row_min.min(row[j]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    Some(prev[n]).filter(|&d| d <= max)
}

/// Where a diagnostic's source text can be found, for snippets.
pub trait SourceLookup {
    fn source(&self, file: &str) -> Option<&str>;
}

/// Give the owner of a path a printable name without panicking on odd bytes.
pub fn path_string(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Buffer for the relative path of a file under the site root.
pub fn rel(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_typos_only() {
        let c = ["world-vision", "asia-foundation", "talita-asia"];
        assert_eq!(
            did_you_mean("world-visoin", c).as_deref(),
            Some("did you mean `world-vision`?")
        );
        assert_eq!(did_you_mean("unicef", c), None);
        assert_eq!(closest("titel", ["title", "name"]), Some("title"));
        assert_eq!(closest("жж", ["x", "ab"]), None);
        assert_eq!(closest("ngoo", ["ngo", "gov"]), Some("ngo"));
    }

    /// The full table, for comparison with the bounded one.
    fn full_distance(a: &[char], b: &[char]) -> usize {
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn the_bounded_distance_agrees_with_the_full_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "title",
            "titel",
            "tilte",
            "world-vision",
            "world-visoin",
            "wrld-vision",
            "asia-foundation",
            "talita-asia",
            "ngo",
            "ngoo",
            "unicef",
            "жж",
            "ж",
            "abcdefgh",
            "badcfehg",
            "in-progress",
            "in progres",
        ];
        for x in words {
            for y in words {
                let (a, b): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
                let full = full_distance(&a, &b);
                for max in 0..=5 {
                    let want = (full <= max).then_some(full);
                    assert_eq!(bounded_distance(&a, &b, max), want, "{x:?} {y:?} max {max}");
                }
            }
        }
    }

    #[test]
    fn candidates_outside_the_length_band_are_never_scored() {
        let ids = [
            "world-vision",
            "asia-foundation",
            "talita-asia",
            "w",
            "a-much-longer-organization-id",
        ];
        let mut scored = Vec::new();
        let hit = closest_by("world-visoin", ids, |a, b, max| {
            scored.push(b.iter().collect::<String>());
            bounded_distance(a, b, max)
        });
        assert_eq!(hit, Some("world-vision"));
        // 12 characters allow 4 edits; once `world-vision` is found at 2,
        // `asia-foundation` (3 longer) cannot beat it and is skipped too.
        assert_eq!(scored, ["world-vision", "talita-asia"]);
        assert!(in_length_band(12, 16, 4) && !in_length_band(12, 17, 4));
        // A huge input is compared with nothing.
        let long = "x".repeat(1 << 20);
        let mut n = 0;
        assert_eq!(
            closest_by(&long, ids, |_, _, _| {
                n += 1;
                None
            }),
            None
        );
        assert_eq!(n, 0);
    }

    #[test]
    fn ties_go_to_the_candidate_that_sorts_first() {
        assert_eq!(closest("cat", ["cut", "bat", "cot"]), Some("bat"));
        assert_eq!(closest("ab", ["b", "a"]), Some("a"));
    }

    #[test]
    fn location_formats() {
        let d = Diagnostic::error("content/a.md", "x").at(Some(Pos::new(3, 5)));
        assert_eq!(d.location(), "content/a.md:3:5");
    }
}
