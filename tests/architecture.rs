//! The shape of the code, checked (see "Layers" in `ARCHITECTURE.md`): no
//! circle of imports between the library's top-level modules, nor between
//! the files and folders of any one folder; no import from a lower stage of
//! the pipeline to a higher one; no source file over 600 lines.
//!
//! Imports are read from the source (`architecture/imports.rs`): `use`
//! trees and `crate::`, `super::`, `self::` paths, resolved to the file
//! that defines the item (through `pub use`); then seen one folder at a
//! time (`architecture/levels.rs`). A folder's `mod.rs` and its children
//! may use each other: the parent declares and re-exports its children,
//! and they share its types. Test code may use anything.

#[path = "architecture/imports.rs"]
mod imports;
#[path = "architecture/levels.rs"]
mod levels;

use imports::{Crate, Edge};
use levels::{circles, levels};
use std::path::{Path, PathBuf};

/// The library's top-level modules, lowest first. A module may use the
/// modules of its own layer and of lower ones, never a higher one; the
/// binary (`main.rs`, `cli/`) sits above them all and uses the library
/// only through its public items.
const LAYERS: &[&[&str]] = &[
    // The one diagnostic type, and its printing.
    &["diagnostics"],
    // The content model and YAML with positions: no stage, no I/O.
    &["model", "yaml"],
    // Tools over the model: CLDR formatting, Markdown, URLs and output
    // paths, reading typed fields out of YAML, bytes kept deflated.
    &["locale", "markdown", "urls", "fields", "packed"],
    &["config"],
    // Names that open everywhere; reads the bundle name from the config.
    &["portable"],
    &["load"],
    &["parse"],
    &["graph"],
    &["validate"],
    &["render"],
    // Writing a build, and the pipeline from config to rendered files.
    &["output", "site"],
    // What runs the pipeline again: offline bundles, watch mode and server.
    &["bundle", "serve"],
    // The bodies of the fuzz targets, which drive every stage.
    &["fuzzing"],
];

/// Longest a source file under `src/` may be.
const MAX_LINES: usize = 600;

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, relative to it with `/`, and its text.
fn rust_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("readable src/");
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs") {
            let rel = e.path().strip_prefix(dir).expect("under src/");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).expect("UTF-8 source");
            out.push((rel, text));
        }
    }
    out
}

/// The library: every file but the binary's (`main.rs`, `cli/`).
fn library() -> Crate {
    let files: Vec<_> = rust_files(&src())
        .into_iter()
        .filter(|(rel, _)| rel != "main.rs" && !rel.starts_with("cli/"))
        .collect();
    Crate::read(&files)
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn show(e: &Edge) -> String {
    format!("{} uses {}", e.from.join("::"), e.to.join("::"))
}

/// Every circle at every level, each with the imports that close it.
fn all_circles(c: &Crate) -> Vec<String> {
    let mut out = Vec::new();
    for (parent, graph) in levels(&c.edges()) {
        let at = if parent.is_empty() {
            "crate".to_string()
        } else {
            parent.join("::")
        };
        for circle in circles(&graph) {
            let mut why = Vec::new();
            for ((a, b), edges) in &graph {
                if circle.contains(a) && circle.contains(b) {
                    why.extend(edges.iter().map(show));
                }
            }
            out.push(format!(
                "in {at}: {} ({})",
                circle.join(" ↔ "),
                why.join("; ")
            ));
        }
    }
    out
}

/// Every import from a lower layer to a higher one.
fn upward(c: &Crate) -> Vec<String> {
    let mut out = Vec::new();
    for ((a, b), edges) in levels(&c.edges()).remove(&Vec::new()).unwrap_or_default() {
        if let (Some(la), Some(lb)) = (layer_of(&a), layer_of(&b)) {
            if lb > la {
                out.extend(
                    edges
                        .iter()
                        .map(|e| format!("{} ({a} is below {b})", show(e))),
                );
            }
        }
    }
    out
}

#[test]
fn every_top_level_module_has_a_layer() {
    let c = library();
    let missing: Vec<_> = c
        .modules
        .iter()
        .filter(|m| m.len() == 1 && layer_of(&m[0]).is_none())
        .map(|m| m[0].clone())
        .collect();
    assert!(
        missing.is_empty(),
        "add these modules to LAYERS here and in ARCHITECTURE.md: {missing:?}"
    );
}

#[test]
fn no_import_circles() {
    let found = all_circles(&library());
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn no_import_runs_up_the_layers() {
    let found = upward(&library());
    assert!(
        found.is_empty(),
        "imports from a lower layer to a higher one:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_source_file_over_600_lines() {
    let long: Vec<String> = rust_files(&src())
        .iter()
        .map(|(rel, text)| (rel, text.lines().count()))
        .filter(|&(_, n)| n > MAX_LINES)
        .map(|(rel, n)| format!("src/{rel}: {n} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// A crate made of `(path under src/, text)` pairs, for the reader's own
/// tests.
fn crate_of(files: &[(&str, &str)]) -> Crate {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    Crate::read(&files)
}

#[test]
fn the_reader_finds_a_circle_between_siblings_but_not_between_a_folder_and_its_files() {
    let c = crate_of(&[
        ("lib.rs", "pub mod config;\npub mod render;\n"),
        ("config/mod.rs", "mod read;\nuse read::Reader;\npub struct Config;\n"),
        ("config/read.rs", "use super::Config;\npub struct Reader;\n"),
        (
            "render/mod.rs",
            "pub mod views;\npub mod data;\npub use views::Ctx;\nfn f(_: crate::config::Config) {}\n",
        ),
        ("render/views.rs", "use super::data::Download;\npub struct Ctx;\n"),
        ("render/data.rs", "pub struct Download;\nfn g(_: &crate::render::Ctx) {}\n"),
    ]);
    let found = all_circles(&c);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("in render: data ↔ views"), "{found:?}");
    // `crate::render::Ctx` is the re-export of `views::Ctx`.
    assert!(
        found[0].contains("render::data uses render::views"),
        "{found:?}"
    );
}

#[test]
fn the_reader_skips_comments_strings_and_test_code() {
    let c = crate_of(&[
        (
            "lib.rs",
            "pub mod config;\npub mod render;\n#[cfg(test)]\nmod testing;\n",
        ),
        (
            "config/mod.rs",
            r##"//! Not [`crate::render::X`].
/* crate::render::X /* nested */ crate::render::X */
const A: &str = "crate::render::X";
const B: &str = r#"crate::render::X "quoted""#;
const C: char = '"';
fn f<'a>(x: &'a str) -> &'a str { x }
#[cfg(test)]
mod tests {
    use crate::render::X;
}
#[cfg(test)]
pub fn helper() -> crate::render::X { crate::render::X }
"##,
        ),
        ("render/mod.rs", "pub struct X;\nuse crate::config;\n"),
        ("testing.rs", "use crate::render::X;\n"),
    ]);
    let edges: Vec<String> = c.edges().iter().map(show).collect();
    assert_eq!(edges, ["render uses config"]);
}

#[test]
fn the_reader_reports_an_import_up_the_layers() {
    let c = crate_of(&[
        ("lib.rs", "pub mod parse;\npub mod graph;\n"),
        ("parse/mod.rs", "use crate::graph::{self, Graph as G};\n"),
        ("graph/mod.rs", "pub struct Graph;\n"),
    ]);
    assert_eq!(upward(&c), ["parse uses graph (parse is below graph)"]);
}
