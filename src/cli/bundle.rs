//! `gazette bundle` and `gazette verify`.

use gazette::bundle::{self, Error, Options};
use gazette::diagnostics::print::{emit, Format};
use std::path::{Path, PathBuf};

pub fn bundle(
    root: &Path,
    partnership: Option<String>,
    languages: Vec<String>,
    output: Option<PathBuf>,
    record_json: bool,
    format: Format,
) -> i32 {
    let opts = Options {
        partnership,
        languages,
        record_json,
        output,
        date: super::new::today(),
        limits: bundle::limits::Limits::default(),
    };
    match bundle::bundle(root, &opts) {
        Ok(made) => {
            if !made.warnings.is_empty() {
                emit(&made.warnings, format, &made.sources);
            }
            eprintln!(
                "bundled {} files into {} ({} bytes); check it with `gazette verify {}`",
                made.files,
                made.path.display(),
                made.bytes,
                made.path.display()
            );
            if made.bytes > bundle::limits::EMAIL_BYTES {
                eprintln!(
                    "note: at {} MB it is too big to attach to most email (see \"Where bundles open\" in docs/bundle.md)",
                    made.bytes / 1_000_000
                );
            }
            0
        }
        Err(Error::Content(diags, sources)) => {
            emit(&diags, format, &sources);
            1
        }
        Err(Error::Io(msg)) => {
            eprintln!("gazette: {msg}");
            2
        }
    }
}

pub fn verify(path: &Path) -> i32 {
    match bundle::verify::verify(path) {
        Ok(report) => {
            for f in &report.changed {
                println!("changed  {f}");
            }
            for f in &report.missing {
                println!("missing  {f}");
            }
            for f in &report.added {
                println!("added    {f}");
            }
            if report.ok() {
                eprintln!(
                    "ok: {} files match {}",
                    report.checked,
                    bundle::archive::MANIFEST
                );
                0
            } else {
                eprintln!(
                    "{}: {} changed, {} missing, {} added",
                    path.display(),
                    report.changed.len(),
                    report.missing.len(),
                    report.added.len()
                );
                1
            }
        }
        Err(msg) => {
            eprintln!("gazette: {msg}");
            2
        }
    }
}
