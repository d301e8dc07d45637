//! The pipeline: config → load → parse → graph → validate → render → output.
//! Each stage returns what it built and its diagnostics; this file only
//! strings them together and times them.

use crate::config::{self, Config};
use crate::diagnostics::{self, Diagnostic};
use crate::graph::Graph;
use crate::load::{self, Sources};
use crate::model::Kind;
use crate::output;
use crate::render::{self, theme, OutFile};
use crate::urls::Urls;
use std::collections::HashSet;
use std::io;
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
    check_with(root, &Quiet)
}

/// [`check`], telling `progress` as each stage begins.
pub fn check_with(root: &Path, progress: &dyn Progress) -> Checked {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    // Each stage's name, announced as the one before it ends.
    let stages = ["load", "parse", "graph", "validate", "theme"];
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        if let Some(next) = stages
            .iter()
            .position(|s| *s == name)
            .and_then(|k| stages.get(k + 1))
        {
            progress.stage(next);
        }
        clock = Instant::now();
    };
    progress.stage("load");
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let (cfg_text, cfg) = config::load(root);
    if let Some(t) = cfg_text {
        sources.0.insert(config::FILE.to_string(), t.into());
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
    // Parsed, the files' text is kept only for diagnostics' snippets.
    for f in loaded.files {
        sources.0.insert(f.file, f.text);
    }
    lap("parse", &mut timings);
    let (mut graph, graph_diags) =
        Graph::build(parsed.entities, &known, &parsed.orphans, &settings.statuses);
    graph.set_translations(parsed.translations);
    diags.extend(graph_diags);
    lap("graph", &mut timings);
    diags.extend(crate::validate::validate(&graph, &known, settings));
    diags.extend(crate::graph::translations::check(
        &graph,
        &known,
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
    let sink = render::Collect::default();
    let (checked, rendered) = render_into(root, &sink);
    let files = match rendered {
        Some(Ok(_)) => Some(sink.into_files()),
        _ => None,
    };
    Built { checked, files }
}

/// What `gazette build` did.
pub struct Written {
    pub checked: Checked,
    /// The number of files written, or why nothing replaced the output:
    /// `None` when the site has errors (they are in `checked`).
    pub files: Option<io::Result<usize>>,
}

/// Check, then, if the site is valid, render it straight into a temporary
/// folder beside `out` and swap that in for `out` (`output::Staging`). A
/// site that fails to render leaves `out` as it was and no temporary
/// folder. `progress` hears of each stage and each page written.
pub fn build(root: &Path, out: &Path, progress: &dyn Progress) -> Written {
    let mut checked = check_with(root, progress);
    if checked.has_errors() {
        return Written {
            checked,
            files: None,
        };
    }
    // Rendering reports problems of the theme only: of the content files'
    // text, only what the warnings quote is still needed.
    checked.sources.keep_named(&checked.diagnostics);
    let staging = match output::Staging::new(out) {
        Ok(s) => s,
        Err(e) => {
            return Written {
                checked,
                files: Some(Err(e)),
            }
        }
    };
    progress.stage("render");
    let sink = Watched {
        sink: &staging,
        progress,
    };
    let (mut checked, rendered) = render_checked(checked, &sink);
    let files = match rendered {
        None => None,
        Some(Err(e)) => Some(Err(e)),
        Some(Ok(n)) => {
            progress.stage("write");
            let start = Instant::now();
            let done = staging.commit().map(|()| n);
            checked.timings.push(("swap", start.elapsed()));
            Some(done)
        }
    };
    Written { checked, files }
}

/// What hears how a build is going: a progress bar, or nothing.
pub trait Progress: Sync {
    /// A stage begins: `load`, `parse`, `graph`, `validate`, `theme`,
    /// `render`, `write`.
    fn stage(&self, _name: &'static str) {}
    /// The render stage will make `total` pages.
    fn pages(&self, _total: usize) {}
    /// One more page was written.
    fn page_done(&self) {}
}

/// A [`Progress`] that hears nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// A sink that tells `progress` of each page put into `sink`.
struct Watched<'a> {
    sink: &'a dyn render::Sink,
    progress: &'a dyn Progress,
}

impl render::Sink for Watched<'_> {
    fn put(&self, file: OutFile) -> io::Result<()> {
        self.sink.put(file)
    }

    fn open<'s>(&'s self, path: &str) -> io::Result<Box<dyn render::Piecewise + 's>> {
        self.sink.open(path)
    }

    fn pages(&self, total: usize) {
        self.progress.pages(total);
    }

    fn page_done(&self) {
        self.progress.page_done();
    }
}

/// Check, then render into `sink` if the site is valid. `None`: the site
/// has errors, which are in the returned `Checked`.
fn render_into(root: &Path, sink: &dyn render::Sink) -> (Checked, Option<io::Result<usize>>) {
    render_checked(check(root), sink)
}

fn render_checked(
    mut checked: Checked,
    sink: &dyn render::Sink,
) -> (Checked, Option<io::Result<usize>>) {
    // `check` loaded the theme (and reported its problems) already.
    let theme = checked.theme.take();
    let (Some(config), Some(graph), Some(theme), false) = (
        &checked.config,
        &checked.graph,
        &theme,
        checked.has_errors(),
    ) else {
        checked.theme = theme;
        return (checked, None);
    };
    let start = Instant::now();
    let urls = Urls::site(&config.base_path);
    let rendered = match render::render_site(graph, config, theme, &urls, sink) {
        Ok(n) => Some(Ok(n)),
        Err(render::Failed::Content(d)) => {
            checked.diagnostics.extend(d);
            None
        }
        Err(render::Failed::Write(e)) => Some(Err(e)),
    };
    checked.timings.push(("render", start.elapsed()));
    (checked, rendered)
}
