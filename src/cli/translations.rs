//! `gazette check --translations`: the check, then where the translations
//! stand in each language other than the default
//! (`graph::translation_report`), as a table and lists for people or as
//! one JSON document with the diagnostics.

use gazette::config::Config;
use gazette::diagnostics::print::{emit, Format};
use gazette::graph::translation_report::{report, Counts, Entry, LanguageReport, State};
use gazette::site;
use std::fmt::Write;
use std::path::Path;

/// Exit 1 when the check has errors; translations missing or behind are
/// not errors.
pub fn check(root: &Path, format: Format) -> i32 {
    let checked = site::check(root);
    let fallback = Config::default();
    let config = checked.config.as_ref().unwrap_or(&fallback);
    let reports = checked
        .graph
        .as_ref()
        .map(|g| report(g, &config.languages))
        .unwrap_or_default();
    let code = i32::from(checked.has_errors());
    match format {
        Format::Json => {
            let doc = serde_json::json!({
                "diagnostics": checked.diagnostics,
                "languages": config.language_tags(),
                "translations": reports,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
            );
        }
        Format::Human { .. } => {
            emit(&checked.diagnostics, format, &checked.sources);
            if checked.has_errors() {
                eprintln!("the check found errors; a translation file with errors is counted as missing below");
            }
            print!("{}", human(config, &reports));
        }
    }
    code
}

/// The report for people: per language a table of counts, then the lists.
fn human(config: &Config, reports: &[LanguageReport]) -> String {
    let mut out = String::new();
    if reports.is_empty() {
        let _ = writeln!(
            out,
            "the site has one language, `{}`: nothing to translate (list the others under `languages:` in gazette.yaml, see docs/translating.md)",
            config.language
        );
        return out;
    }
    for (n, r) in reports.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let t = &r.total;
        let _ = writeln!(
            out,
            "Translations into {}: {} of {} records translated, {} up to date",
            r.language, t.translated, t.records, t.up_to_date
        );
        out.push('\n');
        table(&mut out, &r.counts, t);
        list(
            &mut out,
            r,
            State::Missing,
            "Missing: no translation file yet",
        );
        list(
            &mut out,
            r,
            State::OutOfDate,
            "Out of date: the record's text changed since it was translated",
        );
        list(
            &mut out,
            r,
            State::VersionUnknown,
            "Version unknown: no `translates:` in the file",
        );
        list(&mut out, r, State::UpToDate, "Up to date");
    }
    out.push_str(
        "\n`now` is the digest of the record's text as it is now: once a translation says what the record says, paste it into the translation file as `translates: <digest>`.\n",
    );
    out
}

fn table(out: &mut String, counts: &[Counts], total: &Counts) {
    let head = [
        "records",
        "translated",
        "up to date",
        "out of date",
        "version unknown",
        "missing",
    ];
    let first = counts
        .iter()
        .map(|c| c.kind.len())
        .chain(["total".len()])
        .max()
        .unwrap_or(5);
    let _ = write!(out, "  {:first$}", "");
    for h in head {
        let _ = write!(out, "  {h}");
    }
    out.push('\n');
    let row = |out: &mut String, name: &str, c: &Counts| {
        let _ = write!(out, "  {name:first$}");
        let cells = [
            c.records,
            c.translated,
            c.up_to_date,
            c.out_of_date,
            c.version_unknown,
            c.missing,
        ];
        for (h, v) in head.iter().zip(cells) {
            let _ = write!(out, "  {v:>w$}", w = h.len());
        }
        out.push('\n');
    };
    for c in counts {
        row(out, c.kind, c);
    }
    row(out, "total", total);
}

fn list(out: &mut String, r: &LanguageReport, state: State, title: &str) {
    let entries: Vec<&Entry> = r.in_state(state).collect();
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({}):", entries.len());
    let name = |e: &Entry| format!("{}/{}", e.kind, e.id);
    let w = entries.iter().map(|e| name(e).len()).max().unwrap_or(0);
    let wf = entries
        .iter()
        .map(|e| e.translation.len())
        .max()
        .unwrap_or(0);
    for e in entries {
        let _ = write!(out, "  {:w$}  {:wf$}", name(e), e.translation);
        match (state, &e.translates) {
            (State::OutOfDate, Some(old)) => {
                let _ = write!(out, "  translates: {old}, now: {}", e.digest);
            }
            _ => {
                let _ = write!(out, "  now: {}", e.digest);
            }
        }
        out.push('\n');
    }
}
