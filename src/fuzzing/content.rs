//! Targets over one file: a content file through load, parse, graph and
//! validation; and `gazette.yaml`.

use super::{assert_located, print_all, OneSource};
use crate::config::{self, Config};
use crate::graph::Graph;
use crate::load::SourceFile;
use crate::model::Kind;
use crate::parse::{parse_file, Context};
use std::collections::HashSet;
use std::path::PathBuf;

/// The first byte picks the record's type (and, from 128 on, makes the file
/// a translation into `mn`); the rest is the file. Bytes that are not UTF-8
/// are refused by `load` before parsing, so they are skipped here.
pub fn content_file(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kind = Kind::ALL[usize::from(pick) % Kind::ALL.len()];
    let lang = (pick >= 128).then(|| "mn".to_string());
    let id = "fuzzed";
    let file = match &lang {
        Some(l) => format!("content/{}/{id}.{l}.md", kind.folder()),
        None => format!("content/{}/{id}.md", kind.folder()),
    };
    let source = OneSource { file: &file, text };
    let sf = match SourceFile::new(
        PathBuf::from(&file),
        file.clone(),
        kind,
        id.to_string(),
        lang.clone(),
        text.to_string(),
    ) {
        Ok(sf) => sf,
        Err((_, partial)) => {
            let d = [partial.with_file(&file)];
            assert!(d[0].is_error());
            assert_located(&d, &source);
            print_all(&d, &source);
            return;
        }
    };
    let settings = Config::default();
    let parsed = parse_file(&sf, Context::of(&settings));
    let mut diags = parsed.diagnostics;
    let failed = parsed.entity.is_none() && parsed.translation.is_none();
    assert!(
        !failed || diags.iter().any(|d| d.is_error()),
        "a file that did not parse, and no error says why"
    );
    let known: HashSet<(Kind, String)> = [(kind, id.to_string())].into();
    let entities: Vec<_> = parsed.entity.into_iter().collect();
    let (mut graph, graph_diags) = Graph::build(entities, &known, &[], &settings.statuses);
    graph.set_translations(parsed.translation.into_iter().collect());
    diags.extend(graph_diags);
    diags.extend(crate::validate::validate(&graph, &known, &settings));
    diags.extend(crate::graph::translations::check(
        &graph,
        &known,
        &settings.languages,
    ));
    assert_located(&diags, &source);
    print_all(&diags, &source);
}

/// The bytes as `gazette.yaml`.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (cfg, diags) = config::parse(text, config::FILE);
    assert!(
        cfg.is_some() || diags.iter().any(|d| d.is_error()),
        "no settings, and no error says why"
    );
    let source = OneSource {
        file: config::FILE,
        text,
    };
    assert_located(&diags, &source);
    print_all(&diags, &source);
    if let Some(c) = cfg {
        // What the rest of the build asks of the settings first.
        let tags = c.language_tags();
        assert!(!tags.is_empty(), "settings without a language");
    }
}
