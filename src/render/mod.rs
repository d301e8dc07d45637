//! Stage 5: render every page through the theme's Tera templates, in
//! parallel, into memory, once per language of the site ([`Edition`]).
//! Writing to disk is the output stage's job, so the same rendering can feed
//! `output/`, a bundle or the dev server.

pub mod charts;
pub mod data;
pub mod edition;
pub mod feeds;
pub mod filters;
pub mod giving;
pub mod language;
pub mod page;
pub mod say;
pub mod search;
pub mod sources;
pub mod standards;
pub mod statics;
pub mod strings;
pub mod template_cycles;
pub mod theme;
pub mod views;
pub mod xml;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::graph::Graph;
use crate::model::Kind;
use crate::urls::{Target, Urls};
pub use edition::Edition;
pub use page::{render_page, render_page_traced, Traced};
use rayon::prelude::*;
use theme::Theme;

/// One rendered file: its path under the output root and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Every page of the site, as targets.
pub fn pages<'g>(graph: &'g Graph, config: &Config) -> Vec<Target<'g>> {
    let mut out = vec![
        Target::Home,
        Target::NotFound,
        Target::Data,
        Target::Dictionary,
        Target::Search,
        Target::Statuses,
    ];
    for k in Kind::ALL {
        out.push(Target::Index(k));
        let n = views::index_pages(graph.of_kind(k).len(), config.per_page);
        out.extend((2..=n).map(|p| Target::IndexPage(k, p)));
    }
    for e in &graph.entities {
        out.push(Target::Entity(e.meta.kind, &e.meta.id));
        if e.meta.kind == Kind::Partnership {
            out.push(Target::Briefing(&e.meta.id));
        }
    }
    out
}

/// The files one edition makes besides its pages: its search index and
/// text files, and its feed (online only), in its folder.
fn edition_files(ed: &Edition, config: &Config) -> Vec<OutFile> {
    let say = ed.say();
    let mut files = search::index_files(&ed.graph, &ed.urls, &say);
    if ed.urls.style != crate::urls::Style::Relative {
        files.push(feeds::atom(&ed.graph, config, &ed.urls, &say));
    }
    for f in &mut files {
        f.path = format!("{}{}", ed.urls.lang, f.path);
    }
    files
}

/// Render the whole site: every edition's pages, search index and feed,
/// the open data, the sitemap, and the static files. Within an edition the
/// pages, the open data and the other files are made side by side; only the
/// data pages, which list the downloads, wait for the open data.
pub fn render_site(
    graph: &Graph,
    config: &Config,
    theme: &Theme,
    urls: &Urls,
) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    let editions = Edition::all(graph, config, theme, urls);
    let targets: Vec<Target> = pages(graph, config)
        .into_iter()
        .filter(|t| *t != Target::Data)
        .collect();
    let ((data_files, downloads), (mut results, extras)) = rayon::join(
        || {
            let langs: Vec<_> = editions.iter().map(standards::Language::of).collect();
            data::data_files(&langs, config, urls)
        },
        || {
            rayon::join(
                || -> Vec<Result<OutFile, Diagnostic>> {
                    editions
                        .par_iter()
                        .flat_map_iter(|ed| targets.iter().map(move |t| (ed, *t)))
                        .map(|(ed, t)| render_page(ed, config, theme, &[], t))
                        .collect()
                },
                || {
                    let mut extras: Vec<OutFile> = editions
                        .par_iter()
                        .flat_map_iter(|ed| edition_files(ed, config))
                        .collect();
                    extras.push(feeds::sitemap(graph, config, urls));
                    extras.push(statics::or_static(
                        &theme.statics,
                        feeds::robots(config, urls),
                    ));
                    extras
                },
            )
        },
    );
    for ed in &editions {
        results.push(render_page(ed, config, theme, &downloads, Target::Data));
    }
    let mut files = Vec::with_capacity(results.len() + theme.statics.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        // One broken template fails every page that uses it; report each
        // distinct problem once.
        diags.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
        diags.dedup_by(|a, b| a.file == b.file && a.message == b.message);
        return Err(diags);
    }
    files.extend(data_files);
    files.extend(extras);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let clashes = statics::clashes(&theme.statics, &theme.static_origins, |p| {
        files.binary_search_by(|f| f.path.as_str().cmp(p)).is_ok()
    });
    if !clashes.is_empty() {
        return Err(clashes);
    }
    files.extend(
        statics::copied(&theme.statics).map(|(path, bytes)| OutFile {
            path: path.clone(),
            bytes: bytes.clone(),
        }),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
