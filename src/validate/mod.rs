//! Stage 4: checks that need the whole graph: internal links point at pages
//! that exist, progress is not dated before its pledge, a pledge's status
//! agrees with its latest progress entry, periods run forwards, an id is
//! short enough for an offline bundle (`portable.rs`), and the records a
//! standard format leaves out for want of a full date (`standard_dates.rs`,
//! the one rule the formats in `render` follow too).

pub mod standard_dates;

use crate::config::Config;
use crate::diagnostics::{closest, Diagnostic, Pos};
use crate::graph::history::in_order;
use crate::graph::Graph;
use crate::markdown::{parse_internal, LinkError};
use crate::model::{Data, Entity, Kind, PartialDate, Report, SourceRef};
use std::collections::HashSet;

pub fn validate(
    graph: &Graph,
    known: &HashSet<(Kind, String)>,
    config: &Config,
) -> Vec<Diagnostic> {
    let base = crate::portable::bundle_base(config);
    graph
        .entities
        .iter()
        .flat_map(|e| validate_entity(graph, known, config, &base, e))
        .collect()
}

/// The checks of one entity. They depend on the graph only through which
/// ids exist, so after an edit that adds or removes no file only the edited
/// entities need checking again. `bundle_base` is
/// [`crate::portable::bundle_base`] of `config`, made once for all.
pub fn validate_entity(
    graph: &Graph,
    known: &HashSet<(Kind, String)>,
    config: &Config,
    bundle_base: &str,
    e: &Entity,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for link in &e.meta.links {
        check_link(graph, known, e, &link.target, link.pos, None, &mut diags);
    }
    for s in e.sources() {
        if let SourceRef::Url { url, .. } = &s.what {
            if url.starts_with("@/") {
                let field = format!("{}.url", s.field);
                check_link(graph, known, e, url, s.pos, Some(field), &mut diags);
            }
        }
    }
    unsourced(e, &mut diags);
    diags.extend(crate::portable::long_id(bundle_base, e));
    match &e.data {
        Data::Pledge(p) => {
            for (i, pe) in p.progress.iter().enumerate() {
                if let Some(made) = p.made {
                    if pe.at.certainly_before(&made) {
                        diags.push(
                            err(
                                e,
                                pe.date_pos,
                                format!("progress[{i}].date"),
                                format!(
                                    "progress entry dated {} is before the pledge was made ({})",
                                    pe.at.iso(),
                                    made.iso()
                                ),
                            )
                            .expected(format!("a date on or after {}", made.iso()))
                            .hint("check the year, or correct the pledge's `made` date"),
                        );
                    }
                }
            }
            if let Some(last) = in_order(&p.progress).last() {
                if last.status != p.status {
                    let key = |s| graph.statuses().key(s);
                    diags.push(
                        err(e, p.status_pos, "status".into(), format!(
                            "status `{}` disagrees with the latest progress entry ({}: `{}`)",
                            key(p.status),
                            last.at.iso(),
                            key(last.status)
                        ))
                        .expected(format!("`{}`, the status of the latest progress entry", key(last.status)))
                        .hint("the current status is the status of the latest progress entry; add an entry for the change"),
                    );
                }
            }
        }
        Data::Grant(g) => {
            diags.extend(standard_dates::warnings(e, g, config));
            if let Some(p) = &g.period {
                check_period(e, p.from, p.to, p.pos, "period", &mut diags);
            }
        }
        Data::Report(r) => {
            check_period(
                e,
                r.period.from,
                r.period.to,
                r.period.pos,
                "period",
                &mut diags,
            );
            check_published(e, r, &mut diags);
        }
        Data::Person(p) => {
            for (i, x) in p.positions.iter().enumerate() {
                let field = format!("positions[{i}]");
                check_period(e, x.from, x.to, x.pos, &field, &mut diags);
            }
        }
        _ => {}
    }
    diags
}

/// Warnings for claims with no source at all: a progress entry or tranche
/// with no `sources`, no dialogue or report where it was stated, in a record
/// with no `sources` of its own.
fn unsourced(e: &Entity, diags: &mut Vec<Diagnostic>) {
    if !e.meta.sources.is_empty() {
        return;
    }
    let mut warn = |pos: Pos, field: String, what: &str| {
        diags.push(
            Diagnostic::warning(e.meta.file.clone(), format!("no source for this {what}"))
                .at(Some(pos))
                .field(field)
                .expected("`sources:` (a dialogue, report, web page or document, with a quote), or the `dialogue:` where it was stated")
                .hint("readers cannot check a claim with no source; add the one you have, or `sources:` for the whole record"),
        );
    };
    match &e.data {
        Data::Pledge(p) => {
            for (i, pe) in p.progress.iter().enumerate() {
                if pe.sources.is_empty() && pe.dialogue.is_none() && pe.report.is_none() {
                    warn(pe.date_pos, format!("progress[{i}]"), "progress entry");
                }
            }
        }
        Data::Grant(g) => {
            for (i, t) in g.tranches.iter().enumerate() {
                if t.sources.is_empty() && t.dialogue.is_none() {
                    warn(t.pos, format!("tranches[{i}]"), "tranche");
                }
            }
        }
        _ => {}
    }
}

fn err(e: &Entity, pos: Pos, field: String, message: String) -> Diagnostic {
    Diagnostic::error(e.meta.file.clone(), message)
        .at(Some(pos))
        .field(field)
}

fn check_period(
    e: &Entity,
    from: Option<PartialDate>,
    to: Option<PartialDate>,
    pos: Pos,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if let (Some(f), Some(t)) = (from, to) {
        if t.certainly_before(&f) {
            diags.push(
                Diagnostic::error(
                    e.meta.file.clone(),
                    format!("{field} ends ({}) before it starts ({})", t.iso(), f.iso()),
                )
                .at(Some(pos))
                .field(format!("{field}.to"))
                .expected("`to` on or after `from`"),
            );
        }
    }
}

/// A report is not published before its period starts. Without `to` the
/// period ends on the publication date (see `render::views`), so this is
/// also what keeps that period from running backwards. As everywhere, only
/// a date certainly before the other counts: `published: 2023` is not
/// before `from: 2023-06`.
fn check_published(e: &Entity, r: &Report, diags: &mut Vec<Diagnostic>) {
    let Some(from) = r.period.from else { return };
    if !r.published.certainly_before(&from) {
        return;
    }
    let hint = if r.period.to.is_none() {
        "without `period.to` the period ends when the report is published, so it would run backwards; check the years, or give `period.to`"
    } else {
        "a report covers a period that has begun; check the years of `published` and `period.from`"
    };
    diags.push(
        err(
            e,
            r.published_pos,
            "published".into(),
            format!(
                "report published ({}) before its period starts ({})",
                r.published.iso(),
                from.iso()
            ),
        )
        .expected(format!("a date on or after {}", from.iso()))
        .hint(hint),
    );
}

fn check_link(
    graph: &Graph,
    known: &HashSet<(Kind, String)>,
    e: &Entity,
    target: &str,
    pos: Pos,
    field: Option<String>,
    diags: &mut Vec<Diagnostic>,
) {
    let base = Diagnostic::error(e.meta.file.clone(), String::new())
        .at(Some(pos))
        .field(field.unwrap_or_default());
    let folders: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
    match parse_internal(target) {
        Ok(t) => {
            if graph.get(t.kind, t.id).is_none() && !known.contains(&(t.kind, t.id.to_string())) {
                diags.push(
                    Diagnostic {
                        message: format!("link to a page that does not exist: `{target}`"),
                        ..base
                    }
                    .expected(format!(
                        "an existing file under content/{}/",
                        t.kind.folder()
                    ))
                    .hint_opt(
                        closest(t.id, graph.ids(t.kind))
                            .map(|c| format!("did you mean `@/{}/{c}.md`?", t.kind.folder())),
                    ),
                );
            }
        }
        Err(LinkError::Folder(f)) => diags.push(
            Diagnostic {
                message: format!("link to unknown content folder `{f}`: `{target}`"),
                ..base
            }
            .expected(format!(
                "`@/<folder>/<id>.md` with a folder among: {}",
                folders.join(", ")
            ))
            .hint_opt(closest(&f, folders.iter().copied()).map(|c| format!("did you mean `{c}`?"))),
        ),
        Err(LinkError::Shape) => diags.push(
            Diagnostic {
                message: format!("malformed internal link `{target}`"),
                ..base
            }
            .expected("`@/<folder>/<id>.md`, optionally followed by `#anchor`"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::with_base;

    fn messages(extra: &[(&'static str, &'static str)]) -> Vec<(Option<usize>, String)> {
        let (_, diags) = with_base(extra);
        diags.into_iter().map(|d| (d.line, d.message)).collect()
    }

    #[test]
    fn progress_before_the_pledge_is_an_error_only_when_certain() {
        let early = "---\ntitle: X\npartnership: p\nmade_by: gov\nmade: 2020-04\nstatus: in-progress\nprogress:\n  - date: 2020-03-31\n    status: in-progress\n    reported: 2020-03-31\n---\n";
        let m = messages(&[("pledges/x.md", early)]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].0, Some(8));
        assert!(m[0].1.contains("before the pledge was made"));
        let same_year = "---\ntitle: X\npartnership: p\nmade_by: gov\nmade: 2020-04\nstatus: in-progress\nprogress:\n  - date: 2020\n    status: in-progress\n    reported: 2020\n---\n";
        assert!(messages(&[("pledges/x.md", same_year)]).is_empty());
    }

    #[test]
    fn status_must_match_latest_progress() {
        let p = "---\ntitle: X\npartnership: p\nmade_by: gov\nstatus: completed\nprogress:\n  - date: 2021\n    status: in-progress\n    reported: 2021\n---\n";
        let m = messages(&[("pledges/x.md", p)]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].0, Some(5));
    }

    #[test]
    fn internal_links_must_exist() {
        let d = "---\ntitle: D\ndate: 2021\npartnership: p\nformat: virtual\n---\n\nSee [a](@/people/ann.md) and\n[b](@/people/anne.md) and [c](@/peple/ann.md).\n";
        let (_, diags) = with_base(&[("dialogues/d.md", d)]);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!((diags[0].line, diags[0].column), (Some(9), Some(1)));
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("did you mean `@/people/ann.md`?")
        );
        assert_eq!((diags[1].line, diags[1].column), (Some(9), Some(27)));
        assert_eq!(diags[1].hint.as_deref(), Some("did you mean `people`?"));
    }

    #[test]
    fn a_report_is_not_published_before_its_period_starts() {
        let report = |period: &str, published: &str| {
            let r = format!(
                "---\ntitle: R\npartnership: p\nperiod:\n{period}published: {published}\n---\n"
            );
            let mut files = crate::testing::BASE.to_vec();
            files.push(("reports/r.md", &r));
            crate::testing::graph_of(&files).1
        };
        // No `to`: the period would end (2021-06) before it starts (2023).
        let d = report("  from: 2023\n", "2021-06");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].message,
            "report published (2021-06) before its period starts (2023)"
        );
        assert_eq!((d[0].line, d[0].column), (Some(6), Some(12)));
        assert_eq!(d[0].field.as_deref(), Some("published"));
        assert!(d[0].hint.as_deref().unwrap().contains("give `period.to`"));
        // With `to`, publishing before the start is still wrong.
        let d = report("  from: 2023\n  to: 2023-12\n", "2022-12-31");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].hint.as_deref().unwrap().contains("has begun"));
        // Partial dates that overlap are not before each other.
        assert!(report("  from: 2023-06\n", "2023").is_empty());
        assert!(report("  from: 2023\n", "2023-01").is_empty());
        assert!(report("  from: 2023-06-30\n", "2023-06").is_empty());
        assert_eq!(report("  from: 2023-07-01\n", "2023-06").len(), 1);
    }

    #[test]
    fn periods_run_forwards() {
        let r = "---\ntitle: R\npartnership: p\nperiod:\n  from: 2021\n  to: 2020\npublished: 2021\n---\n";
        let m = messages(&[("reports/r.md", r)]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].1.contains("ends (2020) before it starts (2021)"));
    }
}
