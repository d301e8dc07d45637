//! Micro-benchmarks of the units a build spends its time in.
//!
//! ```sh
//! cargo bench --bench units              # full statistics
//! cargo bench --bench units -- --quick   # a quick pass, well under a minute
//! cargo bench --bench units -- markdown  # one group
//! cargo bench --bench units -- locale    # the locale formatters
//! ```
//!
//! One typical content file (`fixtures/dialogue.md`: a converted benchmark
//! dialogue, 17 front-matter lines, a 600-word body with a table and five
//! internal links) is parsed and rendered piece by piece. The whole-site
//! benchmarks (check, graph, page rendering) run on the 1000-page benchmark
//! corpus, generated into a temporary folder at start; without Python or the
//! shared `gen_corpus.py` they are skipped with a message.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use gazette::graph::Graph;
use gazette::load::{split_front_matter, SourceFile};
use gazette::markdown::{self, RenderOptions};
use gazette::model::Kind;
use gazette::render::{data, render_page, theme};
use gazette::urls::{Target, Urls};
use std::collections::HashSet;
use std::hint::black_box;
use std::path::PathBuf;

const DIALOGUE: &str = include_str!("fixtures/dialogue.md");

fn source_file() -> SourceFile {
    let Ok(sf) = SourceFile::new(
        PathBuf::from("content/dialogues/dialogue-00141.md"),
        "content/dialogues/dialogue-00141.md".into(),
        Kind::Dialogue,
        "dialogue-00141".into(),
        None,
        DIALOGUE.to_string(),
    ) else {
        panic!("the fixture has front matter");
    };
    sf
}

fn one_file(c: &mut Criterion) {
    let sf = source_file();
    let mut g = c.benchmark_group("file");
    g.bench_function("split_front_matter", |b| {
        b.iter(|| split_front_matter(black_box(DIALOGUE)).is_ok())
    });
    g.bench_function("yaml_parse", |b| {
        b.iter(|| gazette::yaml::parse(black_box(sf.front()), sf.front_line))
    });
    // The two passes inside `yaml::parse`: serde_yaml for the values,
    // saphyr-parser's event stream for the positions.
    g.bench_function("yaml_pass_serde_yaml", |b| {
        b.iter(|| serde_yaml::from_str::<serde_yaml::Value>(black_box(sf.front())).is_ok())
    });
    g.bench_function("yaml_pass_saphyr_events", |b| {
        b.iter(|| saphyr_parser::Parser::new_from_str(black_box(sf.front())).count())
    });
    let settings = gazette::config::Config::default();
    g.bench_function("parse_file", |b| {
        b.iter(|| {
            gazette::parse::parse_file(black_box(&sf), gazette::parse::Context::of(&settings))
        })
    });
    g.finish();

    let resolve = |t: &markdown::Internal| Some(format!("/{}/{}/", t.kind.folder(), t.id));
    let opts = RenderOptions {
        resolve: &resolve,
        allow_html: false,
        embed: None,
    };
    let mut g = c.benchmark_group("markdown");
    g.bench_function("to_html_600_words", |b| {
        b.iter(|| markdown::to_html(black_box(sf.body()), &opts))
    });
    g.bench_function("scan_links_600_words", |b| {
        b.iter(|| markdown::scan_links(black_box(sf.body()), sf.body_line))
    });
    g.finish();
}

fn whole_site(c: &mut Criterion) {
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skipping the site benchmarks: no temporary folder: {e}");
            return;
        }
    };
    let site = match common::converted_site(tmp.path(), 1000) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("skipping the site benchmarks (need python3 and gen_corpus.py): {why}");
            return;
        }
    };
    let checked = gazette::site::check(&site);
    if checked.has_errors() {
        eprintln!(
            "skipping the site benchmarks: the converted corpus has {} errors, first: {:?}",
            checked.diagnostics.len(),
            checked.diagnostics.first().map(|d| &d.message)
        );
        return;
    }

    let mut g = c.benchmark_group("site_1000");
    g.sample_size(20);
    // Every stage up to validation, reading the files from the page cache.
    g.bench_function("check", |b| {
        b.iter(|| gazette::site::check(black_box(&site)))
    });

    // The graph stage alone: references, backlinks, per-partnership stats.
    let files = gazette::load::load(&site).files;
    let known: HashSet<(Kind, String)> = files.iter().map(|f| (f.kind, f.id.clone())).collect();
    let settings = checked.config.clone().unwrap_or_default();
    let cx = gazette::parse::Context::of(&settings);
    let parsed = gazette::parse::parse_all(&files, cx);
    g.bench_function("graph_build", |b| {
        b.iter_batched(
            || parsed.entities.clone(),
            |entities| Graph::build(entities, &known, &parsed.orphans, &settings.statuses),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("parse_all", |b| {
        b.iter(|| gazette::parse::parse_all(black_box(&files), cx))
    });

    // Rendering single pages through the default theme.
    let (Some(config), Some(graph)) = (&checked.config, &checked.graph) else {
        return;
    };
    let theme = match theme::load(&site, &config.theme, &config.language_tags()) {
        Ok(t) => t,
        Err(d) => {
            eprintln!("skipping the render benchmarks: theme: {:?}", d.first());
            return;
        }
    };
    let urls = Urls::site(&config.base_path);
    let editions = gazette::render::Edition::all(graph, config, &theme, &urls);
    let langs: Vec<_> = editions
        .iter()
        .map(gazette::render::standards::Language::of)
        .collect();
    let downloads = data::data_files(&langs, config, &urls, &Discard);
    let ed = &editions[0];
    let pages = [
        (
            "render_dialogue_page",
            Target::Entity(Kind::Dialogue, "dialogue-00141"),
        ),
        (
            "render_organization_page",
            Target::Entity(Kind::Organization, "organization-00001"),
        ),
        ("render_dialogues_index", Target::Index(Kind::Dialogue)),
        (
            "render_partnership_page",
            Target::Entity(Kind::Partnership, "bench"),
        ),
        ("render_home", Target::Home),
    ];
    for (name, page) in pages {
        g.bench_function(name, |b| {
            b.iter(|| render_page(ed, config, &theme, &downloads, black_box(page)).is_ok())
        });
    }
    g.finish();
}

/// The locale layer (`src/locale/`): building a `Locale` (data loading, done
/// once per language) and one call of each formatter, in English, Mongolian
/// and Arabic.
fn locale(c: &mut Criterion) {
    use gazette::locale::Locale;
    use gazette::model::{Currency, Money, PartialDate};
    let (Ok(day), Ok(month), Ok(usd), Ok(mnt)) = (
        PartialDate::parse("2021-11-19"),
        PartialDate::parse("2020-04"),
        Currency::parse("USD"),
        Currency::parse("MNT"),
    ) else {
        panic!("fixed test values parse");
    };
    let (Ok(whole), Ok(cents), Ok(big)) = (
        Money::parse("5500000", usd),
        Money::parse("12.50", usd),
        Money::parse("1234567890123456789012345", mnt),
    ) else {
        panic!("fixed test amounts parse");
    };
    let mut g = c.benchmark_group("locale");
    g.bench_function("new_en", |b| b.iter(|| Locale::new(black_box("en"))));
    for tag in ["en", "mn", "ar"] {
        let l = Locale::new(tag);
        g.bench_function(format!("date_day_{tag}"), |b| {
            b.iter(|| l.date(black_box(&day)))
        });
        g.bench_function(format!("date_month_{tag}"), |b| {
            b.iter(|| l.date(black_box(&month)))
        });
        g.bench_function(format!("money_usd_{tag}"), |b| {
            b.iter(|| l.money(black_box(&whole)))
        });
        g.bench_function(format!("plural_{tag}"), |b| {
            b.iter(|| l.plural(black_box(11)))
        });
    }
    let en = Locale::new("en");
    g.bench_function("money_cents_en", |b| b.iter(|| en.money(black_box(&cents))));
    g.bench_function("money_25_digits_en", |b| {
        b.iter(|| en.money(black_box(&big)))
    });
    g.bench_function("number_en", |b| b.iter(|| en.number(black_box(5_500_000))));
    g.bench_function("country_en", |b| b.iter(|| en.country(black_box("MN"))));
    g.finish();
}

criterion_group!(benches, one_file, whole_site, locale);
criterion_main!(benches);

/// Where the open data goes when only the data page's list is wanted.
struct Discard;

impl gazette::render::Out for Discard {
    fn put(&self, _file: gazette::render::OutFile) {}

    fn write(
        &self,
        _path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        write(&mut std::io::sink()).unwrap();
    }
}
