//! Stage 5: render every page through the theme's Tera templates, in
//! parallel, into memory. Writing to disk is the output stage's job, so the
//! same rendering can feed `output/`, a bundle or the dev server.

pub mod bodies;
pub mod charts;
pub mod data;
pub mod feeds;
pub mod giving;
pub mod say;
pub mod search;
pub mod sources;
pub mod standards;
pub mod statics;
pub mod template_cycles;
pub mod theme;
pub mod views;
pub mod xml;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::graph::{Graph, Idx};
use crate::model::Kind;
use crate::urls::{Target, Urls};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use theme::Theme;
use views::{Ctx, Parts};

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

/// Render the whole site: pages plus static files. The pages, the open
/// data and the feeds and search index are made side by side; only the
/// data page, which lists the downloads, waits for the open data.
pub fn render_site(
    graph: &Graph,
    config: &Config,
    theme: &Theme,
    urls: &Urls,
) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    let targets: Vec<Target> = pages(graph, config)
        .into_iter()
        .filter(|t| *t != Target::Data)
        .collect();
    let ((data_files, downloads), (mut results, extras)) = rayon::join(
        || data::data_files(graph, config, urls, &theme.strings),
        || {
            rayon::join(
                || -> Vec<Result<OutFile, Diagnostic>> {
                    targets
                        .into_par_iter()
                        .map(|t| render_page(graph, config, theme, urls, &[], t))
                        .collect()
                },
                || {
                    let (search, (atom, sitemap)) = rayon::join(
                        || search::index_files(graph, urls, &theme.strings),
                        || {
                            rayon::join(
                                || feeds::atom(graph, config, urls, &theme.strings),
                                || feeds::sitemap(graph, config, urls),
                            )
                        },
                    );
                    let robots = statics::or_static(&theme.statics, feeds::robots(config, urls));
                    let mut extras = vec![atom, sitemap, robots];
                    extras.extend(search);
                    extras
                },
            )
        },
    );
    results.push(render_page(
        graph,
        config,
        theme,
        urls,
        &downloads,
        Target::Data,
    ));
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

/// The data licence for the data pages: `name` and `url`, or null;
/// `link` is false in an offline bundle, whose pages link nowhere else.
fn license_view(config: &Config, urls: &Urls) -> Value {
    let link = urls.style != crate::urls::Style::Relative;
    config.standards.license.as_ref().map_or(
        Value::Null,
        |l| json!({"name": l.name, "url": l.url, "link": link}),
    )
}

/// A page as rendered, with what it read: the watch-mode engine
/// (`serve::engine`) re-renders it only when one of those parts changes.
pub struct Traced {
    pub file: Result<OutFile, Diagnostic>,
    /// The template the page was rendered with, e.g. `dialogue.html`.
    pub template: String,
    /// Each entity read and the parts read of it ([`views::part`]), in
    /// reading order, repeats included.
    pub reads: Vec<(Idx, Parts)>,
    /// The types whose set of records the page depends on
    /// ([`views::kind_bit`]).
    pub kinds: u8,
}

/// Render one page.
pub fn render_page(
    graph: &Graph,
    config: &Config,
    theme: &Theme,
    urls: &Urls,
    downloads: &[data::Download],
    page: Target,
) -> Result<OutFile, Diagnostic> {
    render_page_traced(graph, config, theme, urls, downloads, page).file
}

/// Render one page and record what it read.
pub fn render_page_traced(
    graph: &Graph,
    config: &Config,
    theme: &Theme,
    urls: &Urls,
    downloads: &[data::Download],
    page: Target,
) -> Traced {
    let ctx = Ctx::new(graph, urls, config, page);
    let mut template = String::new();
    let file = render_with(&ctx, theme, downloads, &mut template);
    let (reads, kinds) = ctx.into_reads();
    Traced {
        file,
        template,
        reads,
        kinds,
    }
}

fn render_with(
    ctx: &Ctx,
    theme: &Theme,
    downloads: &[data::Download],
    template_used: &mut String,
) -> Result<OutFile, Diagnostic> {
    let (graph, config, urls, page) = (ctx.graph, ctx.config, ctx.urls, ctx.page);
    let path = page.output_file().ok_or_else(|| {
        Diagnostic::error(
            "content",
            "refusing to write a page outside the output folder",
        )
    })?;
    let mut c = tera::Context::new();
    c.insert(
        "site",
        &json!({
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "base_url": config.base_url,
            "extra": config.extra,
        }),
    );
    c.insert("t", &theme.strings);
    c.insert("root", &urls.root(page));
    c.insert("nav", &ctx.nav());
    let online = urls.style != crate::urls::Style::Relative;
    // An offline bundle names no host and has no feed.
    let canonical = if online {
        urls.absolute(&config.base_url, page)
    } else {
        String::new()
    };
    c.insert("canonical", &canonical);
    c.insert(
        "links",
        &json!({
            "feed": if online { json!(urls.url(Target::Asset("atom.xml"), page)) } else { Value::Null },
            "data": urls.url(Target::Data, page),
            "search": urls.url(Target::Search, page),
            "statuses": urls.url(Target::Statuses, page),
        }),
    );
    // What the page's JSON-LD describes: its record's view, or its list.
    let mut described = Value::Null;
    let template = match page {
        Target::Home => {
            for k in Kind::ALL {
                ctx.read_kind(k);
            }
            let parts: Vec<_> = graph
                .of_kind(Kind::Partnership)
                .iter()
                .map(|&i| ctx.partnership_card(i))
                .collect();
            c.insert("partnerships", &parts);
            let counts: BTreeMap<&str, usize> = Kind::ALL
                .iter()
                .map(|k| (k.folder(), graph.of_kind(*k).len()))
                .collect();
            c.insert("counts", &counts);
            "home.html".to_string()
        }
        Target::NotFound => "404.html".to_string(),
        Target::Search => "search.html".to_string(),
        Target::Statuses => {
            let st = graph.statuses();
            let mut all: Vec<_> = st.all().map(|(s, d)| (d.group, s)).collect();
            all.sort();
            c.insert(
                "statuses",
                &all.iter()
                    .map(|&(_, s)| ctx.status_view(s))
                    .collect::<Vec<_>>(),
            );
            "statuses.html".to_string()
        }
        Target::Data => {
            c.insert("downloads", downloads);
            c.insert("record_json", &config.record_json);
            c.insert("license", &license_view(config, urls));
            c.insert("dictionary_url", &urls.url(Target::Dictionary, page));
            "data.html".to_string()
        }
        Target::Dictionary => {
            c.insert("tables", &data::dictionary::view(&theme.strings, urls));
            c.insert("license", &license_view(config, urls));
            c.insert(
                "metadata_url",
                &urls.url(Target::Asset(data::csvw::FILE), page),
            );
            "dictionary.html".to_string()
        }
        Target::Index(k) | Target::IndexPage(k, _) => {
            let n = match page {
                Target::IndexPage(_, n) => n,
                _ => 1,
            };
            let (items, pagination) = ctx.index_page(k, n);
            c.insert("kind", k.name());
            c.insert("folder", k.folder());
            c.insert("items", &items);
            c.insert("pagination", &pagination);
            described = items;
            "index.html".to_string()
        }
        Target::Entity(k, id) => {
            let Some(i) = graph.get(k, id) else {
                return Err(Diagnostic::error(
                    "content",
                    format!("no {} `{id}`", k.name()),
                ));
            };
            let view = ctx.detail(i);
            c.insert("entity", &view);
            described = view;
            format!("{}.html", k.name())
        }
        Target::Briefing(id) => {
            let Some(i) = graph.get(Kind::Partnership, id) else {
                return Err(Diagnostic::error(
                    "content",
                    format!("no partnership `{id}`"),
                ));
            };
            let view = ctx.briefing(i);
            c.insert("entity", &view);
            described = view;
            "briefing.html".to_string()
        }
        Target::Asset(_) => return Err(Diagnostic::error("content", "assets are not rendered")),
    };
    let site = c.get("site").cloned().unwrap_or_default();
    c.insert(
        "jsonld",
        &standards::jsonld::script(&standards::jsonld::Page {
            target: page,
            view: &described,
            downloads,
            site: &site,
            strings: &theme.strings,
            canonical: &canonical,
            license: config.standards.license.as_ref().map(|l| l.url.as_str()),
        }),
    );
    template_used.clone_from(&template);
    let html = theme
        .tera
        .render(&template, &c)
        .map_err(|e| theme::template_error(&e, |name| theme.origins.get(name).cloned()))?;
    Ok(OutFile {
        path,
        bytes: html.into_bytes(),
    })
}
