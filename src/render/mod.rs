//! Stage 5: render every page through the theme's Tera templates, in
//! parallel, once per language of the site ([`Edition`]), handing each
//! file to a [`Sink`] as soon as it is made. Where files go is the
//! caller's choice (the output stage's temporary folder, a bundle's, or
//! memory), so the same rendering feeds `output/`, a bundle or a test.

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
pub mod ui;
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
use std::collections::HashSet;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
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

/// Where rendered files go as soon as each is made, from any thread: the
/// build's temporary output folder (`output::Staging`), memory
/// ([`Collect`]), or a bundle's staging folder. Nothing is kept once it
/// has been put.
pub trait Sink: Sync {
    fn put(&self, file: OutFile) -> std::io::Result<()>;
    /// Start a file that is written in pieces, for the large whole-site
    /// files (`data/graph.json`, the CSV tables): write to it, then
    /// [`Piecewise::finish`] it. By default the pieces are gathered and [`Sink::put`] whole;
    /// sinks that write to disk write them as they come.
    fn open<'s>(&'s self, path: &str) -> std::io::Result<Box<dyn Piecewise + 's>> {
        Ok(Box::new(Gather {
            sink: self,
            file: OutFile {
                path: path.to_string(),
                bytes: Vec::new(),
            },
        }))
    }
    /// Told how many pages are about to be rendered, for a progress bar.
    fn pages(&self, _total: usize) {}
    /// Told that one more of those pages was put.
    fn page_done(&self) {}
}

/// A file being written in pieces ([`Sink::open`]). Dropped without
/// [`Piecewise::finish`], it is left incomplete, as a failed build leaves
/// its temporary folder: to be thrown away.
pub trait Piecewise: std::io::Write + Send {
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

/// The default [`Piecewise`]: the pieces gathered in memory, put whole.
struct Gather<'s, S: Sink + ?Sized> {
    sink: &'s S,
    file: OutFile,
}

impl<S: Sink + ?Sized> std::io::Write for Gather<'_, S> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<S: Sink + ?Sized> Piecewise for Gather<'_, S> {
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        self.sink.put(self.file)
    }
}

/// A [`Sink`] that keeps every file in memory: for watch mode's tests and
/// for callers that need the files themselves.
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutFile>>);

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutFile) -> std::io::Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Why a site did not render: problems of the site (templates, clashing
/// static files), or a file the sink could not write.
#[derive(Debug)]
pub enum Failed {
    Content(Vec<Diagnostic>),
    Write(std::io::Error),
}

/// The files one edition makes besides its pages: its search index and
/// text files, and its feed (online only), in its folder.
fn edition_files(ed: &Edition, config: &Config, out: &dyn Out) {
    let say = ed.say();
    let mut put_here = |mut f: OutFile| {
        f.path = format!("{}{}", ed.urls.lang, f.path);
        out.put(f);
    };
    search::LiveIndex::stream(&ed.graph, &ed.urls, &say, &mut put_here);
    if ed.urls.style != crate::urls::Style::Relative {
        put_here(feeds::atom(&ed.graph, config, &ed.urls, &say));
    }
}

/// Where the render stage hands the files it makes besides pages, from
/// any thread ([`Tally`] in [`render_site`]). Problems writing are kept
/// by the receiver, not returned: the stage goes on and reports the first.
pub trait Out: Sync {
    fn put(&self, file: OutFile);
    /// Make the file at `path` by writing it in pieces with `write`
    /// ([`Sink::open`]), for a file too large to hold whole.
    fn write(&self, path: &str, write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>);
}

/// What [`render_site`] collects while files stream out: the problems
/// found, the first write error, the number of files put, and which of
/// the paths a static file might clash with were generated.
struct Tally<'s> {
    sink: &'s dyn Sink,
    diags: Mutex<Vec<Diagnostic>>,
    error: Mutex<Option<std::io::Error>>,
    files: AtomicUsize,
    watched: HashSet<String>,
    generated: Mutex<HashSet<String>>,
}

impl Tally<'_> {
    /// Note a generated path that a static file might clash with.
    fn note(&self, path: &str) {
        if self.watched.contains(path) {
            lock(&self.generated).insert(path.to_string());
        }
    }

    /// Count a file put, or keep the first error.
    fn count(&self, r: std::io::Result<()>) {
        match r {
            Ok(()) => {
                self.files.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                lock(&self.error).get_or_insert(e);
            }
        }
    }

    fn failed(&self) -> bool {
        lock(&self.error).is_some()
    }

    fn page(&self, r: Result<OutFile, Diagnostic>) {
        match r {
            Ok(f) => {
                self.put(f);
                self.sink.page_done();
            }
            Err(d) => lock(&self.diags).push(d),
        }
    }
}

impl Out for Tally<'_> {
    fn put(&self, file: OutFile) {
        self.note(&file.path);
        let r = self.sink.put(file);
        self.count(r);
    }

    fn write(&self, path: &str, write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>) {
        self.note(path);
        let r = self.sink.open(path).and_then(|mut w| {
            write(&mut w)?;
            w.finish()
        });
        self.count(r);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Render the whole site into `sink`: every edition's pages, search index
/// and feed, the open data, the sitemap, and the static files. Each file
/// is put as soon as it is made. Within an edition the pages, the open
/// data and the other files are made side by side; only the data pages,
/// which list the downloads, wait for the open data. Returns the number of
/// files put; on `Err` some files may have been put already, and the
/// caller throws them away (`output::Staging` does).
pub fn render_site(
    graph: &Graph,
    config: &Config,
    theme: &Theme,
    urls: &Urls,
    sink: &dyn Sink,
) -> Result<usize, Failed> {
    let editions = Edition::all(graph, config, theme, urls);
    let targets: Vec<Target> = pages(graph, config)
        .into_iter()
        .filter(|t| *t != Target::Data)
        .collect();
    sink.pages((targets.len() + 1) * editions.len());
    // A static file may clash with a generated one of its path or its
    // path in lower case (`statics::clashes`).
    let watched = theme
        .statics
        .keys()
        .flat_map(|p| [p.clone(), crate::portable::fold(p)])
        .collect();
    let tally = Tally {
        sink,
        diags: Mutex::default(),
        error: Mutex::default(),
        files: AtomicUsize::new(0),
        watched,
        generated: Mutex::default(),
    };
    let (downloads, ()) = rayon::join(
        || {
            let langs: Vec<_> = editions.iter().map(standards::Language::of).collect();
            data::data_files(&langs, config, urls, &tally)
        },
        || {
            rayon::join(
                || {
                    editions
                        .par_iter()
                        .flat_map_iter(|ed| targets.iter().map(move |t| (ed, *t)))
                        .for_each(|(ed, t)| {
                            if !tally.failed() {
                                tally.page(render_page(ed, config, theme, &[], t));
                            }
                        })
                },
                || {
                    editions
                        .par_iter()
                        .for_each(|ed| edition_files(ed, config, &tally));
                    for part in feeds::sitemaps(graph, config, urls) {
                        tally.put(part);
                    }
                    tally.put(statics::or_static(
                        &theme.statics,
                        feeds::robots(config, urls),
                    ));
                },
            );
        },
    );
    for ed in &editions {
        tally.page(render_page(ed, config, theme, &downloads, Target::Data));
    }
    if let Some(e) = lock(&tally.error).take() {
        return Err(Failed::Write(e));
    }
    let mut diags = std::mem::take(&mut *lock(&tally.diags));
    if !diags.is_empty() {
        // One broken template fails every page that uses it; report each
        // distinct problem once.
        diags.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
        diags.dedup_by(|a, b| a.file == b.file && a.message == b.message);
        return Err(Failed::Content(diags));
    }
    let generated = std::mem::take(&mut *lock(&tally.generated));
    let clashes = statics::clashes(&theme.statics, &theme.static_origins, |p| {
        generated.contains(p)
    });
    if !clashes.is_empty() {
        return Err(Failed::Content(clashes));
    }
    for (path, bytes) in statics::copied(&theme.statics) {
        tally.put(OutFile {
            path: path.clone(),
            bytes: bytes.clone(),
        });
    }
    if let Some(e) = lock(&tally.error).take() {
        return Err(Failed::Write(e));
    }
    Ok(tally.files.load(Ordering::Relaxed))
}
