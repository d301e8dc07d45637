//! Static files among the generated ones. A theme's and a site's `static/`
//! files are copied to the output root, the site's winning over the
//! theme's; one of them may replace a file Gazette generates only if that
//! file is in [`REPLACEABLE`] (`robots.txt`, which a site may well want to
//! write itself). Any other clash (a `static/search-index.js`, a
//! `static/atom.xml`, a page, a data file) is an error naming both, rather
//! than one of them silently losing: the site needs the generated file to
//! work, and the static file would never be seen. `gazette build`,
//! `bundle`, `serve` and `watch` all follow this rule.

use super::OutFile;
use crate::diagnostics::Diagnostic;
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
pub fn clashes(
    statics: &BTreeMap<String, Vec<u8>>,
    origins: &BTreeMap<String, String>,
    generated: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    copied(statics)
        .filter(|(p, _)| generated(p))
        .map(|(p, _)| {
            let origin = origins
                .get(p)
                .cloned()
                .unwrap_or_else(|| format!("static/{p}"));
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
        })
        .collect()
}

/// What a generated path is, for the message.
fn what(path: &str) -> &'static str {
    match path {
        "search-index.js" => "the search index",
        "atom.xml" => "the Atom feed",
        "sitemap.xml" => "the sitemap",
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
}
