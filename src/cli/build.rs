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

pub fn build(root: &Path, out: &Path, force: bool, format: Format) -> i32 {
    let start = Instant::now();
    if let Err(msg) = gazette::output::check_output_dir(root, out)
        .and_then(|()| gazette::output::check_replaceable(out, force))
    {
        eprintln!("gazette: {msg}");
        return 2;
    }
    let built = site::render(root);
    emit(&built.checked.diagnostics, format, &built.checked.sources);
    let Some(files) = built.files else {
        if matches!(format, Format::Human { .. }) {
            eprintln!("build failed; {} left as it was", out.display());
        }
        return 1;
    };
    let write_start = Instant::now();
    if let Err(e) = gazette::output::write_atomic(out, &files) {
        eprintln!("gazette: cannot write {}: {e}", out.display());
        return 2;
    }
    if matches!(format, Format::Human { .. }) {
        let mut stages: Vec<String> = built
            .checked
            .timings
            .iter()
            .map(|(n, d)| format!("{n} {:.0?}", d))
            .collect();
        stages.push(format!("write {:.0?}", write_start.elapsed()));
        eprintln!(
            "built {} files into {} in {:.0?} ({})",
            files.len(),
            out.display(),
            start.elapsed(),
            stages.join(", ")
        );
    }
    0
}
