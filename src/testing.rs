//! Test helpers: build a graph from in-memory files, without touching disk.

use crate::diagnostics::Diagnostic;
use crate::graph::Graph;
use crate::load::SourceFile;
use crate::model::Kind;
use std::collections::HashSet;

/// Parse `(path under content/, text)` pairs and build the graph, running
/// validation too; returns the graph and the errors (warnings, such as a
/// claim with no source, are left out: see [`graph_and_warnings_of`]).
pub fn graph_of(files: &[(&str, &str)]) -> (Graph, Vec<Diagnostic>) {
    let (g, mut diags) = graph_and_warnings_of(files);
    diags.retain(Diagnostic::is_error);
    (g, diags)
}

/// [`graph_of`] with every diagnostic, warnings included.
pub fn graph_and_warnings_of(files: &[(&str, &str)]) -> (Graph, Vec<Diagnostic>) {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| {
            let (folder, name) = path.split_once('/').expect("folder/name.md");
            SourceFile::new(
                path.into(),
                format!("content/{path}"),
                Kind::from_folder(folder).expect("known folder"),
                name.trim_end_matches(".md").to_string(),
                None,
                text.to_string(),
            )
            .ok()
            .expect("front matter")
        })
        .collect();
    let known: HashSet<(Kind, String)> = sources.iter().map(|s| (s.kind, s.id.clone())).collect();
    let settings = crate::config::Config::default();
    let parsed = crate::parse::parse_all(&sources, crate::parse::Context::of(&settings));
    let mut diags = parsed.diagnostics;
    let (graph, more) = Graph::build(parsed.entities, &known, &parsed.orphans, &settings.statuses);
    diags.extend(more);
    diags.extend(crate::validate::validate(&graph, &known, &settings));
    crate::diagnostics::sort(&mut diags);
    (graph, diags)
}

/// A minimal valid site: one partnership, two organizations, one person.
pub const BASE: &[(&str, &str)] = &[
    (
        "partnerships/p.md",
        "---\ntitle: P\nsigned: 2020-04\nparties: [gov]\nobjectives:\n  - id: prevention\n    title: Prevent\nstatus: active\n---\n",
    ),
    ("organizations/gov.md", "---\nname: Gov\nkind: government\ncountry: MN\n---\n"),
    ("organizations/ngo.md", "---\nname: NGO\nkind: ngo\n---\n"),
    (
        "people/ann.md",
        "---\nname: Ann\npositions:\n  - title: Minister\n    organization: gov\n---\n",
    ),
];

/// [`BASE`] plus the given files; errors only, as [`graph_of`].
pub fn with_base(extra: &[(&'static str, &'static str)]) -> (Graph, Vec<Diagnostic>) {
    let mut all: Vec<(&str, &str)> = BASE.to_vec();
    all.extend_from_slice(extra);
    graph_of(&all)
}

/// [`BASE`] plus the given files, with warnings.
pub fn with_base_and_warnings(extra: &[(&'static str, &'static str)]) -> (Graph, Vec<Diagnostic>) {
    let mut all: Vec<(&str, &str)> = BASE.to_vec();
    all.extend_from_slice(extra);
    graph_and_warnings_of(&all)
}

/// English strings `strings` with English CLDR formatting, for tests of
/// code that writes text in Rust (leaked: tests only).
pub fn say(strings: serde_json::Value) -> crate::render::say::Say<'static> {
    crate::render::say::Say {
        strings: Box::leak(Box::new(strings)),
        locale: Box::leak(Box::new(crate::locale::Locale::new("en"))),
    }
}

/// The default-language edition of `graph` with `strings`, for tests of
/// views.
pub fn edition<'a>(
    graph: &'a Graph,
    config: &'a crate::config::Config,
    urls: &crate::urls::Urls,
    strings: &'a serde_json::Value,
) -> crate::render::Edition<'a> {
    let lang = &config.languages[0];
    crate::render::Edition {
        lang,
        graph: std::borrow::Cow::Borrowed(graph),
        strings,
        locale: std::sync::Arc::new(crate::locale::Locale::new(&lang.tag)),
        urls: urls.in_lang(&lang.dir),
        languages: &config.languages,
        language_names: Default::default(),
    }
}
