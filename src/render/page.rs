//! One page through its template: the view of what it shows (`views`),
//! the site, the page's language and its links, and what it read, for
//! watch mode.

use super::data;
use super::edition::Edition;
use super::search;
use super::standards;
use super::theme::{self, Theme};
use super::views::downloads::Download;
use super::views::{Ctx, Parts};
use super::OutFile;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::graph::Idx;
use crate::model::Kind;
use crate::urls::{Target, Urls};
use serde_json::{json, Value};
use std::collections::BTreeMap;

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

/// Render one page of an edition.
pub fn render_page(
    ed: &Edition,
    config: &Config,
    theme: &Theme,
    downloads: &[Download],
    page: Target,
) -> Result<OutFile, Diagnostic> {
    render_page_traced(ed, config, theme, downloads, page).file
}

/// Render one page of an edition and record what it read.
pub fn render_page_traced(
    ed: &Edition,
    config: &Config,
    theme: &Theme,
    downloads: &[Download],
    page: Target,
) -> Traced {
    let ctx = Ctx::new(ed, config, page);
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

/// A page's template variables, built by moving views in: Tera's own
/// `Context::insert` serializes a copy of every value it is given.
#[derive(Default)]
struct Vars(serde_json::Map<String, Value>);

impl Vars {
    fn put(&mut self, key: &str, value: Value) {
        self.0.insert(key.to_string(), value);
    }

    fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.put(key, serde_json::to_value(value).unwrap_or(Value::Null));
    }
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

fn render_with(
    ctx: &Ctx,
    theme: &Theme,
    downloads: &[Download],
    template_used: &mut String,
) -> Result<OutFile, Diagnostic> {
    let (graph, config, urls, page) = (ctx.graph, ctx.config, ctx.urls, ctx.page);
    let path = urls.output_file(page).ok_or_else(|| {
        Diagnostic::error(
            "content",
            "refusing to write a page outside the output folder",
        )
    })?;
    let mut c = Vars::default();
    let site = json!({
            "title": config.title_in(&ctx.lang.tag).unwrap_or(&config.title),
            "description": config.description_in(&ctx.lang.tag),
            // The language of each when the page's has none of its own.
            "title_lang": config.title_lang(&ctx.lang.tag),
            "description_lang": config.description_lang(&ctx.lang.tag),
            "language": ctx.lang.tag,
            "default_language": config.language,
            "base_url": config.base_url,
            "extra": config.extra,
    });
    c.put("t", ctx.strings.clone());
    c.insert("lang", &ctx.lang_view());
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
    c.insert("alternates", &ctx.alternates());
    c.insert(
        "links",
        &json!({
            "feed": if online { json!(urls.url(Target::LangFile("atom.xml"), page)) } else { Value::Null },
            "data": urls.url(Target::Data, page),
            "search": urls.url(Target::Search, page),
            "search_index": urls.url(Target::LangFile(search::INDEX_FILE), page),
            "statuses": urls.url(Target::Statuses, page),
        }),
    );
    // What the page's JSON-LD describes: its record's view, or its list,
    // and the name the template knows it by (moved in after the JSON-LD).
    let mut described = Value::Null;
    let mut described_as = None;
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
            c.insert("downloads", &ctx.downloads(downloads));
            c.insert("record_json", &config.record_json);
            c.insert("license", &license_view(config, urls));
            c.insert("dictionary_url", &urls.url(Target::Dictionary, page));
            "data.html".to_string()
        }
        Target::Dictionary => {
            // Every language's columns, as the tables have them (a bundle
            // of some languages keeps the site's tables).
            let langs: Vec<&str> = config
                .languages
                .iter()
                .skip(1)
                .map(|l| l.tag.as_str())
                .collect();
            c.insert(
                "tables",
                &data::dictionary::view(ctx.strings, urls, &langs, ctx.language_names),
            );
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
            c.insert("pagination", &pagination);
            described = items;
            described_as = Some("items");
            "index.html".to_string()
        }
        Target::Entity(k, id) => {
            let Some(i) = graph.get(k, id) else {
                return Err(Diagnostic::error(
                    "content",
                    format!("no {} `{id}`", k.name()),
                ));
            };
            described = ctx.detail(i);
            described_as = Some("entity");
            format!("{}.html", k.name())
        }
        Target::Briefing(id) => {
            let Some(i) = graph.get(Kind::Partnership, id) else {
                return Err(Diagnostic::error(
                    "content",
                    format!("no partnership `{id}`"),
                ));
            };
            described = ctx.briefing(i);
            described_as = Some("entity");
            "briefing.html".to_string()
        }
        Target::Asset(_) | Target::LangFile(_) => {
            return Err(Diagnostic::error("content", "assets are not rendered"))
        }
    };
    // The files' links from this page (a language's data page sits in its
    // folder).
    let downloads: Vec<Download> = downloads
        .iter()
        .map(|d| Download {
            url: urls.url(Target::Asset(&d.path), page),
            ..d.clone()
        })
        .collect();
    c.insert(
        "jsonld",
        &standards::jsonld::script(&standards::jsonld::Page {
            target: page,
            view: &described,
            downloads: &downloads,
            site: &site,
            strings: ctx.strings,
            canonical: &canonical,
            license: config.standards.license.as_ref().map(|l| l.url.as_str()),
        }),
    );
    if let Some(name) = described_as {
        c.put(name, described);
    }
    c.put("site", site);
    template_used.clone_from(&template);
    let c = tera::Context::from_value(Value::Object(c.0))
        .map_err(|e| Diagnostic::error("content", format!("template context: {e}")))?;
    let html = theme
        .tera_in(&ctx.lang.tag)
        .render(&template, &c)
        .map_err(|e| theme::template_error(&e, |name| theme.origins.get(name).cloned()))?;
    Ok(OutFile {
        path,
        bytes: html.into_bytes(),
    })
}
