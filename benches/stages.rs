//! Where a whole build spends its time, with millisecond precision.
//!
//! ```sh
//! cargo bench --bench stages -- SITE [SITE...]   # RUNS=5 builds per site
//! cargo bench --bench stages -- --generate 10000 # make the converted corpus first
//! ```
//!
//! For each site this runs the same pipeline as `gazette build` (check,
//! render straight into a temporary folder, swap) `RUNS` times after one warm-up, writing
//! to `/dev/shm` (tmpfs, as in `bench/full_build.sh`), and prints the median
//! of each stage. Then it redoes the render stage on one thread, timing each
//! part: the open-data files, feeds and search index (built serially) and
//! every page (built in parallel in a real build, so one very large page is
//! a floor on the stage's wall time), and prints the time by page type and
//! the slowest pages. Without a site argument it prints this help and exits.

mod common;

// The allocator of the `gazette` binary (src/main.rs), so the stage times
// here are those of `gazette build`.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use gazette::render::{data, feeds, pages, render_page, search, theme};
use gazette::urls::{Target, Urls};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut sites: Vec<PathBuf> = Vec::new();
    let tmp = tempfile::tempdir().ok();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--generate" {
            let (Some(n), Some(tmp)) = (it.next().and_then(|n| n.parse().ok()), &tmp) else {
                eprintln!("--generate needs a page count and a temporary folder");
                std::process::exit(2);
            };
            match common::converted_site(tmp.path(), n) {
                Ok(s) => sites.push(s),
                Err(why) => {
                    eprintln!("cannot generate the corpus: {why}");
                    std::process::exit(2);
                }
            }
        } else if !a.starts_with("--") {
            sites.push(PathBuf::from(a));
        }
    }
    if sites.is_empty() {
        eprintln!("usage: cargo bench --bench stages -- SITE... | --generate PAGES  (RUNS=5)");
        return;
    }
    for site in &sites {
        if let Err(why) = bench_site(site, runs) {
            eprintln!("{}: {why}", site.display());
            std::process::exit(1);
        }
    }
}

fn out_dir() -> PathBuf {
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    base.join(format!("gazette-stages-{}", std::process::id()))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One build as `gazette build` does it; each stage's time, then the total.
fn build_once(site: &Path, out: &Path) -> Result<Vec<(String, Duration)>, String> {
    let start = Instant::now();
    let built = gazette::site::build(site, out, &gazette::site::Quiet);
    match built.files {
        None => {
            let first = built.checked.diagnostics.first().map(|d| d.message.clone());
            return Err(format!("the site did not build: {first:?}"));
        }
        Some(Err(e)) => return Err(format!("write: {e}")),
        Some(Ok(_)) => {}
    }
    let mut stages: Vec<(String, Duration)> = built
        .checked
        .timings
        .iter()
        .map(|(n, d)| (n.to_string(), *d))
        .collect();
    stages.push(("total".into(), start.elapsed()));
    Ok(stages)
}

fn bench_site(site: &Path, runs: usize) -> Result<(), String> {
    let out = out_dir();
    build_once(site, &out)?; // warm-up: page cache, allocator
    let mut per_stage: Vec<(String, Vec<f64>)> = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&out);
        for (name, d) in build_once(site, &out)? {
            match per_stage.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(ms(d)),
                None => per_stage.push((name, vec![ms(d)])),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    let total = per_stage
        .iter()
        .find(|(n, _)| n == "total")
        .map(|(_, v)| median(v.clone()))
        .unwrap_or(f64::NAN);
    println!(
        "\n### {} ({runs} builds, output on {})\n",
        site.display(),
        out.display()
    );
    println!("| stage | median (ms) | min-max (ms) | share of total |");
    println!("|---|---:|---|---:|");
    for (name, v) in &per_stage {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(0.0, f64::max);
        let m = median(v.clone());
        println!(
            "| {name} | {m:.1} | {lo:.1}-{hi:.1} | {:.0}% |",
            100.0 * m / total
        );
    }
    page_breakdown(site)
}

/// Render every page on this thread, one at a time, and group the times.
fn page_breakdown(site: &Path) -> Result<(), String> {
    let checked = gazette::site::check(site);
    let (Some(config), Some(graph)) = (&checked.config, &checked.graph) else {
        return Err("the site did not check".into());
    };
    let theme = theme::load(site, &config.theme, &config.language_tags())
        .map_err(|d| format!("theme: {:?}", d.first().map(|d| &d.message)))?;
    let urls = Urls::site(&config.base_path);
    // The default language's edition (a site in several languages renders
    // each of them the same way).
    let editions = gazette::render::Edition::all(graph, config, &theme, &urls);
    let langs: Vec<_> = editions
        .iter()
        .map(gazette::render::standards::Language::of)
        .collect();
    let ed = &editions[0];
    let say = ed.say();
    let mut groups: BTreeMap<String, (usize, Duration, Duration, usize)> = BTreeMap::new();
    let mut slowest: Vec<(Duration, String, usize)> = Vec::new();
    let start = Instant::now();
    // The serial parts of the render stage: open data before the pages,
    // feeds after them.
    let t = Instant::now();
    let made = Made::default();
    let downloads = data::data_files(&langs, config, &urls, &made);
    let d = t.elapsed();
    let (count, bytes) = made.0.into_inner().unwrap();
    groups.insert(
        "data files: JSON twins, graph.json, CSVs, standards".into(),
        (count, d, d, bytes),
    );
    let t = Instant::now();
    let mut feeds = vec![
        feeds::atom(graph, config, &urls, &say),
        feeds::robots(config, &urls),
    ];
    feeds.extend(feeds::sitemaps(graph, config, &urls));
    let d = t.elapsed();
    let bytes = feeds.iter().map(|f| f.bytes.len()).sum();
    groups.insert(
        "feeds: Atom, sitemap, robots (one task)".into(),
        (feeds.len(), d, d, bytes),
    );
    let t = Instant::now();
    let index = search::index_files(graph, &urls, &say);
    let d = t.elapsed();
    let bytes = index.iter().map(|f| f.bytes.len()).sum();
    groups.insert(
        "search index and texts (one task)".into(),
        (index.len(), d, d, bytes),
    );
    for page in pages(graph, config) {
        let t = Instant::now();
        let file = render_page(ed, config, &theme, &downloads, page)
            .map_err(|d| format!("render: {}", d.message))?;
        let d = t.elapsed();
        let group = match page {
            Target::Home => "home".to_string(),
            Target::Index(k) | Target::IndexPage(k, _) => format!("index of {}", k.folder()),
            Target::Entity(k, _) => format!("{} pages", k.name()),
            other => format!("{other:?} page").to_lowercase(),
        };
        let g = groups.entry(group).or_default();
        g.0 += 1;
        g.1 += d;
        g.2 = g.2.max(d);
        g.3 += file.bytes.len();
        slowest.push((d, file.path, file.bytes.len()));
    }
    let sum = start.elapsed();
    println!(
        "\nThe render stage redone on one thread, timing each part: {:.0} ms in all.\n",
        ms(sum)
    );
    println!("| part | files | sum (ms) | share | slowest file (ms) | output (KiB) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, (n, total, max, bytes)) in &groups {
        println!(
            "| {name} | {n} | {:.1} | {:.0}% | {:.2} | {} |",
            ms(*total),
            100.0 * total.as_secs_f64() / sum.as_secs_f64(),
            ms(*max),
            bytes / 1024
        );
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    println!("\nSlowest pages:\n");
    for (d, path, bytes) in slowest.iter().take(5) {
        println!("- `{path}`: {:.1} ms, {} KiB", ms(*d), bytes / 1024);
    }
    Ok(())
}

/// Counts the files and bytes the open data makes, keeping none.
#[derive(Default)]
struct Made(std::sync::Mutex<(usize, usize)>);

impl gazette::render::Out for Made {
    fn put(&self, file: gazette::render::OutFile) {
        let mut made = self.0.lock().unwrap();
        made.0 += 1;
        made.1 += file.bytes.len();
    }

    fn write(
        &self,
        _path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        let mut counted = Counted(0);
        write(&mut counted).unwrap();
        let mut made = self.0.lock().unwrap();
        made.0 += 1;
        made.1 += counted.0;
    }
}

/// A writer that only counts bytes.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
