//! The pipeline: config → load → parse → graph → validate → render → output.
//! Each stage returns what it built and its diagnostics; this file only
//! strings them together and times them.

use crate::config::{self, Config};
use crate::diagnostics::{self, Diagnostic};
use crate::graph::Graph;
use crate::load::{self, Sources};
use crate::model::Kind;
use crate::render::{self, theme, OutFile};
use crate::urls::Urls;
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

/// A checked site: the graph and everything found wrong with it.
pub struct Checked {
    pub config: Option<Config>,
    pub graph: Option<Graph>,
    pub theme: Option<theme::Theme>,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Run every stage up to validation.
pub fn check(root: &Path) -> Checked {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let (cfg_text, cfg) = config::load(root);
    if let Some(t) = cfg_text {
        sources.0.insert(config::FILE.to_string(), t);
    }
    let (config, cfg_diags) = cfg;
    diags.extend(cfg_diags);
    let loaded = load::load(root);
    sources.0.extend(loaded.sources.0);
    diags.extend(loaded.diagnostics);
    lap("load", &mut timings);
    let mut known: HashSet<(Kind, String)> = loaded
        .files
        .iter()
        .filter(|f| f.lang.is_none())
        .map(|f| (f.kind, f.id.clone()))
        .collect();
    known.extend(loaded.failed);
    // With errors in gazette.yaml, content is read with the built-in
    // vocabulary.
    let fallback = Config::default();
    let settings = config.as_ref().unwrap_or(&fallback);
    let parsed = crate::parse::parse_all(&loaded.files, crate::parse::Context::of(settings));
    diags.extend(parsed.diagnostics);
    lap("parse", &mut timings);
    let (mut graph, graph_diags) =
        Graph::build(parsed.entities, &known, &parsed.orphans, &settings.statuses);
    graph.set_translations(parsed.translations);
    diags.extend(graph_diags);
    lap("graph", &mut timings);
    diags.extend(crate::validate::validate(&graph, &known, settings));
    diags.extend(crate::graph::translations::check(
        &graph,
        &settings.languages,
    ));
    lap("validate", &mut timings);
    // Templates are checked too: a syntax error is an error of the site.
    let theme =
        config
            .as_ref()
            .and_then(|c| match theme::load(root, &c.theme, &c.language_tags()) {
                Ok(t) => Some(t.with_site_statuses(&c.statuses)),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            });
    if let Some(t) = &theme {
        // Static file names that Windows or macOS cannot write; a build
        // reports them with the other clashes, too late for `check`.
        diags.extend(render::statics::unportable(&t.statics, &t.static_origins));
    }
    lap("theme", &mut timings);
    diagnostics::sort(&mut diags);
    Checked {
        config,
        graph: Some(graph),
        theme,
        sources,
        diagnostics: diags,
        timings,
    }
}

/// What a build produced.
pub struct Built {
    pub checked: Checked,
    /// The rendered files, when there were no errors.
    pub files: Option<Vec<OutFile>>,
}

/// Check, then render into memory if the site is valid.
pub fn render(root: &Path) -> Built {
    let mut checked = check(root);
    // `check` loaded the theme (and reported its problems) already.
    let theme = checked.theme.take();
    let (Some(config), Some(graph), Some(theme), false) = (
        &checked.config,
        &checked.graph,
        &theme,
        checked.has_errors(),
    ) else {
        checked.theme = theme;
        return Built {
            checked,
            files: None,
        };
    };
    let start = Instant::now();
    let urls = Urls::site(&config.base_path);
    let files = match render::render_site(graph, config, theme, &urls) {
        Ok(f) => Some(f),
        Err(d) => {
            checked.diagnostics.extend(d);
            None
        }
    };
    checked.timings.push(("render", start.elapsed()));
    Built { checked, files }
}
