//! Static files among the generated ones. A theme's and a site's `static/`
//! files are copied to the output root, the site's winning over the
//! theme's; one of them may replace a file Gazette generates only if that
//! file is in [`REPLACEABLE`] (`robots.txt`, which a site may well want to
//! write itself). Any other clash (a `static/search-index.js`, a
//! `static/atom.xml`, a page, a data file) is an error naming both, rather
//! than one of them silently losing: the site needs the generated file to
//! work, and the static file would never be seen. `gazette build`,
//! `bundle`, `serve` and `watch` all follow this rule.
//!
//! Static files are the only output whose names a person chose, so they
//! are also where a name can fail on another computer: a Windows device
//! name, a character Windows refuses, or two paths a case-insensitive file
//! system takes for one ([`unportable`], rules in [`crate::portable`]).

use super::OutFile;
use crate::diagnostics::Diagnostic;
use crate::portable::{case_collisions, fold, name_problem};
use crate::urls::safe_relative;
use std::collections::BTreeMap;

/// Generated files that a static file of the same path replaces.
pub const REPLACEABLE: [&str; 1] = ["robots.txt"];

/// The generated `file`, or the static file that replaces it.
pub fn or_static(statics: &BTreeMap<String, Vec<u8>>, file: OutFile) -> OutFile {
    match statics.get(&file.path) {
        Some(bytes) if REPLACEABLE.contains(&file.path.as_str()) => OutFile {
            path: file.path,
            bytes: bytes.clone(),
        },
        _ => file,
    }
}

/// The static files to copy as they are: those with a safe path that do
/// not stand in for a generated file (see [`or_static`]).
pub fn copied(statics: &BTreeMap<String, Vec<u8>>) -> impl Iterator<Item = (&String, &Vec<u8>)> {
    statics
        .iter()
        .filter(|(p, _)| safe_relative(p) && !REPLACEABLE.contains(&p.as_str()))
}

/// An error for each static file to copy whose path Gazette generates
/// (`generated` says which); `origins` names each static file's source.
/// Also the errors of [`unportable`], and one for each static file whose
/// path differs from a generated one only in letter case (generated paths
/// are in lower case: folder names and ids are lowercase slugs).
pub fn clashes(
    statics: &BTreeMap<String, Vec<u8>>,
    origins: &BTreeMap<String, String>,
    generated: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut out = unportable(statics, origins);
    for p in statics.keys() {
        let folded = fold(p);
        if folded != *p && generated(&folded) {
            out.push(same_on_windows(origins, p, &folded, true));
        }
    }
    out.extend(copied(statics).filter(|(p, _)| generated(p)).map(|(p, _)| {
            let origin = origin_of(origins, p);
            Diagnostic::error(
                origin,
                format!(
                    "static file `{p}` has the path of {} that Gazette generates",
                    what(p)
                ),
            )
            .expected(format!(
                "a path Gazette does not write; of the generated files only {} can be replaced",
                REPLACEABLE.join(", ")
            ))
            .hint(format!(
                "rename the static file or move it into a folder of its own, such as `files/{}` under `static/`",
                p.rsplit('/').next().unwrap_or(p)
            ))
        }));
    out
}

/// Where static file `p` comes from, for a message.
fn origin_of(origins: &BTreeMap<String, String>, p: &str) -> String {
    origins
        .get(p)
        .cloned()
        .unwrap_or_else(|| format!("static/{p}"))
}

/// An error for each static file whose name, or the name of a folder it is
/// in, cannot be written on every file system (see
/// [`crate::portable::name_problem`]), and for each two static files that
/// a case-insensitive file system (Windows, macOS) would take for one.
/// `gazette check` reports these; [`clashes`] too, for builds and `serve`.
pub fn unportable(
    statics: &BTreeMap<String, Vec<u8>>,
    origins: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in statics.keys() {
        let Some((name, problem)) = p
            .split('/')
            .find_map(|seg| name_problem(seg).map(|pr| (seg, pr)))
        else {
            continue;
        };
        out.push(
            Diagnostic::error(origin_of(origins, p), problem.explain(name))
                .expected("a file name that Windows, macOS and Linux can all write")
                .hint("rename the file or folder (and the links to it): letters, digits, `-`, `_` and `.`, not ending in a dot or space, are safe everywhere"),
        );
    }
    let paths = statics.keys().map(String::as_str);
    for (a, b) in case_collisions(paths) {
        out.push(same_on_windows(origins, &a, &b, false));
    }
    out
}

/// The error for a static file `a` that a case-insensitive file system
/// takes for `b`: another static file, a folder of them (ending in `/`), or
/// a file Gazette generates.
fn same_on_windows(
    origins: &BTreeMap<String, String>,
    a: &str,
    b: &str,
    b_generated: bool,
) -> Diagnostic {
    let other = match origins.get(b) {
        _ if b_generated => format!("`{b}`, which Gazette generates,"),
        _ if b.ends_with('/') => format!("the folder `{b}`"),
        Some(o) => format!("`{b}` (from {o})"),
        None => format!("`{b}`"),
    };
    Diagnostic::error(
        origin_of(origins, a),
        format!(
            "static file `{a}` and {other} differ only in letter case: Windows and macOS take them for one, so only one of them would be unpacked"
        ),
    )
    .expected("paths that differ in more than letter case")
    .hint("rename one of them (and the links to it)")
}

/// What a generated path is, for the message.
fn what(path: &str) -> &'static str {
    match path {
        "search-index.js" => "the search index",
        "atom.xml" => "the Atom feed",
        "sitemap.xml" => "the sitemap",
        _ if super::feeds::is_sitemap_part(path) => "a part of the sitemap",
        _ if path.starts_with("data/") => "an open-data file",
        _ if path.ends_with(".html") => "a page",
        _ if path.ends_with(".json") => "a record's JSON",
        _ => "a file",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statics(paths: &[&str]) -> BTreeMap<String, Vec<u8>> {
        paths
            .iter()
            .map(|p| (p.to_string(), format!("static {p}").into_bytes()))
            .collect()
    }

    #[test]
    fn a_static_robots_txt_replaces_the_generated_one() {
        let s = statics(&["robots.txt", "style.css"]);
        let generated = OutFile {
            path: "robots.txt".into(),
            bytes: b"generated".to_vec(),
        };
        assert_eq!(or_static(&s, generated).bytes, b"static robots.txt");
        let copied: Vec<&String> = copied(&s).map(|(p, _)| p).collect();
        assert_eq!(copied, ["style.css"]);
        assert!(clashes(&s, &BTreeMap::new(), |p| p == "robots.txt").is_empty());
        // Only replaceable files are replaced.
        let atom = OutFile {
            path: "atom.xml".into(),
            bytes: b"feed".to_vec(),
        };
        assert_eq!(or_static(&statics(&["atom.xml"]), atom).bytes, b"feed");
    }

    #[test]
    fn any_other_clash_is_an_error_at_the_static_file() {
        let s = statics(&["search-index.js", "grants/index.html", "style.css"]);
        let origins = BTreeMap::from([(
            "search-index.js".to_string(),
            "themes/t/static/search-index.js".to_string(),
        )]);
        let d = clashes(&s, &origins, |p| p != "style.css");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].file, "static/grants/index.html");
        assert!(d[0].message.contains("has the path of a page"), "{d:?}");
        assert_eq!(d[1].file, "themes/t/static/search-index.js");
        assert!(d[1].message.contains("the search index"), "{d:?}");
        assert!(d[1]
            .hint
            .as_deref()
            .unwrap()
            .contains("`files/search-index.js` under `static/`"));
    }

    #[test]
    fn names_windows_cannot_write_are_errors_at_the_file() {
        let s = statics(&[
            "docs/con.pdf",
            "files/a:b.css",
            "Aux/x.css",
            "ok/notes.txt",
            "img/logo. ",
        ]);
        let origins = BTreeMap::from([(
            "Aux/x.css".to_string(),
            "themes/t/static/Aux/x.css".to_string(),
        )]);
        let d = unportable(&s, &origins);
        let got: Vec<(&str, &str)> = d
            .iter()
            .map(|d| (d.file.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(got.len(), 4, "{d:#?}");
        assert!(
            got[0].0 == "themes/t/static/Aux/x.css"
                && got[0].1.contains("`Aux` is the Windows device name AUX"),
            "{got:?}"
        );
        assert!(
            got[1].0 == "static/docs/con.pdf"
                && got[1]
                    .1
                    .contains("`con.pdf` is the Windows device name CON"),
            "{got:?}"
        );
        assert!(got[2].1.contains("`a:b.css` contains `:`"), "{got:?}");
        assert!(got[3].1.contains("`logo. ` ends with a space"), "{got:?}");
        assert!(d.iter().all(|d| d.is_error() && d.hint.is_some()));
    }

    #[test]
    fn paths_that_differ_only_in_case_are_errors_naming_both() {
        let s = statics(&["Style.css", "style.css", "Search/index.html", "logo.svg"]);
        let origins = BTreeMap::from([
            ("Style.css".to_string(), "static/Style.css".to_string()),
            (
                "style.css".to_string(),
                "themes/default/static/style.css (built in)".to_string(),
            ),
        ]);
        // Among static files.
        let d = unportable(&s, &origins);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].file, "static/Style.css");
        assert!(d[0].message.contains("`Style.css` and `style.css` (from themes/default/static/style.css (built in)) differ only in letter case"), "{d:#?}");
        // And with a generated file.
        let d = clashes(&s, &origins, |p| p == "search/index.html");
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[1].file, "static/Search/index.html");
        assert!(d[1].message.contains("`Search/index.html` and `search/index.html`, which Gazette generates, differ only in letter case"), "{d:#?}");
    }
}
