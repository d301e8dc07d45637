//! The bodies of the fuzz targets in `fuzz/` (see `docs/fuzzing.md`).
//!
//! Each function takes the fuzzer's bytes, runs one way into Gazette with
//! them, and panics only when an invariant fails: a panic inside Gazette is
//! a bug, and so is a broken promise (raw HTML let through, a file written
//! outside the output folder, an error without its file). They live in the
//! library, not in `fuzz/`, so that `tests/fuzz_corpus.rs` replays the
//! committed corpus through the very same code on every `cargo test`, on the
//! stable toolchain and without cargo-fuzz.

mod content;
mod markdown;
mod requests;
mod site;
mod zip;

pub use content::{config, content_file};
pub use markdown::markdown;
pub use requests::http_request;
pub use site::site;
pub use zip::verify_zip;

use crate::diagnostics::{print, Diagnostic, SourceLookup};

/// A target's body: takes the fuzzer's bytes, panics on a finding.
pub type Target = fn(&[u8]);

/// Every target, by the name of its folder under `fuzz/corpus/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("content_file", content_file),
    ("markdown", markdown),
    ("config", config),
    ("site", site),
    ("http_request", http_request),
    ("verify_zip", verify_zip),
];

/// Print `diags` as `gazette check` would, into memory: the snippets read
/// the sources at each diagnostic's line and column, which must not fail
/// whatever those are.
fn print_all(diags: &[Diagnostic], sources: &dyn SourceLookup) {
    let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    print::write(&mut out, diags, sources);
    let text = out.into_inner();
    assert!(
        diags.is_empty() || !text.is_empty(),
        "diagnostics printed nothing"
    );
}

/// One source file's text, for [`print_all`].
struct OneSource<'a> {
    file: &'a str,
    text: &'a str,
}

impl SourceLookup for OneSource<'_> {
    fn source(&self, file: &str) -> Option<&str> {
        (file == self.file).then_some(self.text)
    }
}

/// Every diagnostic names a file, and a line it has (or one past its last,
/// where a file ends too soon).
fn assert_located(diags: &[Diagnostic], sources: &dyn SourceLookup) {
    for d in diags {
        assert!(!d.file.is_empty(), "a diagnostic without a file: {d:?}");
        if let (Some(line), Some(text)) = (d.line, sources.source(&d.file)) {
            let lines = text.split('\n').count();
            assert!(
                line >= 1 && line <= lines + 1,
                "line {line} of a file of {lines} lines: {d:?}"
            );
        }
    }
}
