//! `gazette build` and `gazette check`.

use gazette::diagnostics::print::summary;
use gazette::diagnostics::print::{emit, Format};
use gazette::site;
use std::path::Path;
use std::time::Instant;

pub fn check(root: &Path, format: Format) -> i32 {
    let checked = site::check(root);
    emit(&checked.diagnostics, format, &checked.sources);
    if checked.has_errors() {
        1
    } else {
        if let (Format::Human { .. }, Some(g)) = (format, &checked.graph) {
            let warnings = checked.diagnostics.len();
            eprintln!("ok: {} entities checked, {}", g.len(), summary(0, warnings));
        }
        0
    }
}

pub fn build(root: &Path, out: &Path, force: bool, quiet: bool, format: Format) -> i32 {
    let start = Instant::now();
    if let Err(msg) = gazette::output::check_output_dir(root, out)
        .and_then(|()| gazette::output::check_replaceable(out, force))
    {
        eprintln!("gazette: {msg}");
        return 2;
    }
    let human = matches!(format, Format::Human { .. });
    let bar = super::progress::Bar::new(quiet || !human);
    let built = site::build(root, out, &bar);
    bar.finish();
    emit(&built.checked.diagnostics, format, &built.checked.sources);
    let files = match built.files {
        None => {
            if human {
                eprintln!("build failed; {} left as it was", out.display());
            }
            return 1;
        }
        Some(Err(e)) => {
            eprintln!(
                "gazette: cannot write {}: {e}; it was left as it was",
                out.display()
            );
            return 2;
        }
        Some(Ok(n)) => n,
    };
    if human && !quiet {
        let stages: Vec<String> = built
            .checked
            .timings
            .iter()
            .map(|(n, d)| format!("{n} {:.0?}", d))
            .collect();
        eprintln!(
            "built {files} files into {} in {:.0?} ({})",
            out.display(),
            start.elapsed(),
            stages.join(", ")
        );
    }
    0
}
