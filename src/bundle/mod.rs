//! `gazette bundle`: the site as one zip for officials, to be opened from a
//! USB stick or an email attachment with no network.
//!
//! The pages are rendered with relative URLs ending in `index.html` (the
//! [`Style::Relative`] of `urls.rs`), so every link works from `file://` in
//! any folder; nothing names the site's own host; feeds and the sitemap
//! (which need absolute URLs) are left out. `--partnership ID` keeps only
//! that partnership and what it names; records left out are shown by name,
//! never as links. `--lang mn` keeps the pages of some languages only
//! (`languages.rs`). The zip is reproducible and carries `MANIFEST.sha256`.
//! Before it is written, every path is checked against the file systems it
//! may be unpacked on (`limits.rs`).

pub mod archive;
pub mod languages;
pub mod limits;
pub mod subset;
pub mod verify;

use crate::config::Language;
use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::render::{self, OutFile};
use crate::site;
use crate::urls::Urls;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What to bundle and where.
pub struct Options {
    pub partnership: Option<String>,
    /// The languages whose pages to keep (`--lang`), by tag; empty for
    /// every language of the site.
    pub languages: Vec<String>,
    /// Keep each record's `index.json`; without them a bundle has half
    /// as many files, which matters on FAT and exFAT sticks.
    pub record_json: bool,
    /// The zip to write; `None` for `<name>-<date>.zip` in the site folder.
    pub output: Option<PathBuf>,
    /// The date in the default file name (`YYYY-MM-DD`).
    pub date: String,
    /// What the paths must fit; the real limits by default.
    pub limits: limits::Limits,
}

/// Why a bundle was not made.
pub enum Error {
    /// The content has errors (the same as `check` reports), or the
    /// partnership or a language asked for does not exist.
    Content(Vec<Diagnostic>, crate::load::Sources),
    Io(String),
}

/// What was made.
pub struct Made {
    pub path: PathBuf,
    pub files: usize,
    pub bytes: u64,
    /// The site's warnings (as `check` gives them) and the bundle's own:
    /// where it may not fit (FAT32 folders and file sizes).
    pub warnings: Vec<Diagnostic>,
    /// The content files' text, for the warnings' snippets.
    pub sources: crate::load::Sources,
}

/// A bundle's files, rendered into a staging folder.
pub struct Rendered {
    /// Every file, the manifest included, sorted by path.
    pub entries: Vec<archive::Entry>,
    /// Where they are; deleted when this is dropped.
    pub staging: Staging,
    /// The base of the default name (`bundle.name`, else the title as a
    /// slug), followed by the languages kept when not all are.
    pub base: String,
    /// Each record's content file by `<folder>/<id>`, for messages.
    pub records: BTreeMap<String, String>,
    /// The site's warnings.
    pub warnings: Vec<Diagnostic>,
    pub sources: crate::load::Sources,
}

/// Where the files of a bundle are rendered, one by one, before they go
/// into the zip: the staging folder, and the bundle's files listed with
/// their hashes. Online-only files are not written.
struct BundleSink<'a> {
    staging: &'a Staging,
    entries: Mutex<Vec<archive::Entry>>,
}

impl render::Sink for BundleSink<'_> {
    fn put(&self, file: OutFile) -> std::io::Result<()> {
        if ONLINE_ONLY.contains(&file.path.as_str()) || render::feeds::is_sitemap_part(&file.path) {
            return Ok(());
        }
        let entry = archive::Entry::of(&file);
        self.staging.put(&file.path, &file.bytes)?;
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
        Ok(())
    }

    fn open<'s>(&'s self, path: &str) -> std::io::Result<Box<dyn render::Piecewise + 's>> {
        Ok(Box::new(Pieces {
            file: self.staging.open(path)?,
            entry: archive::Hashing::new(path),
            entries: &self.entries,
        }))
    }
}

/// A bundle's file written in pieces: into the staging folder, hashed as
/// it goes, listed when finished.
struct Pieces<'a> {
    file: crate::output::FileWriter,
    entry: archive::Hashing,
    entries: &'a Mutex<Vec<archive::Entry>>,
}

impl std::io::Write for Pieces<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.entry.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl render::Piecewise for Pieces<'_> {
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        let Pieces {
            file,
            entry,
            entries,
        } = *self;
        Box::new(file).finish()?;
        entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry.done());
        Ok(())
    }
}

/// Files of a site build that have no place in an offline bundle: they
/// need absolute URLs of the site's host (and so do the parts of a large
/// sitemap).
const ONLINE_ONLY: [&str; 3] = ["atom.xml", "sitemap.xml", "robots.txt"];

/// Render the bundle's files (manifest included) into a staging folder
/// beside `scratch`, each written as soon as it is made.
pub fn render_files(
    root: &Path,
    partnership: Option<&str>,
    record_json: bool,
    languages: &[String],
    scratch: &Path,
) -> Result<Rendered, Error> {
    let mut checked = site::check(root);
    if checked.has_errors() {
        return Err(Error::Content(checked.diagnostics, checked.sources));
    }
    let (Some(mut config), Some(graph), Some(theme)) =
        (checked.config, checked.graph, checked.theme)
    else {
        return Err(Error::Io("the site could not be loaded".into()));
    };
    config.record_json &= record_json;
    let chosen = languages::select(&config, languages)
        .map_err(|d| Error::Content(d, checked.sources.clone()))?;
    let some = chosen.len() < config.languages.len();
    if some {
        config.bundle_languages = Some(chosen.clone());
    }
    let graph = match partnership {
        None => graph,
        Some(id) => subset::partnership(graph, id)
            .map_err(|d| Error::Content(vec![d], checked.sources.clone()))?,
    };
    let records = graph
        .entities
        .iter()
        .map(|e| {
            let key = format!("{}/{}", e.meta.kind.folder(), e.meta.id);
            (key, e.meta.file.clone())
        })
        .collect();
    // As in a build: of the content's text, only what warnings quote.
    checked.sources.keep_named(&checked.diagnostics);
    let urls = Urls::relative();
    let staging = Staging::new(scratch).map_err(|e| Error::Io(e.to_string()))?;
    let sink = BundleSink {
        staging: &staging,
        entries: Mutex::default(),
    };
    render::render_site(&graph, &config, &theme, &urls, &sink).map_err(|f| match f {
        render::Failed::Content(d) => Error::Content(d, checked.sources.clone()),
        render::Failed::Write(e) => Error::Io(e.to_string()),
    })?;
    let mut entries = sink.entries.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut base = crate::portable::bundle_base(&config);
    let put = |f: OutFile, entries: &mut Vec<archive::Entry>| -> Result<(), Error> {
        staging
            .put(&f.path, &f.bytes)
            .map_err(|e| Error::Io(e.to_string()))?;
        entries.push(archive::Entry::of(&f));
        Ok(())
    };
    if some {
        entries = languages::keep(entries, &config.languages, &chosen);
        if !chosen.iter().any(Language::is_default) {
            put(languages::entrance(&config, &theme, &chosen), &mut entries)?;
        }
        for l in &chosen {
            base = format!("{base}-{}", l.tag.to_ascii_lowercase());
        }
    }
    let manifest = OutFile {
        path: archive::MANIFEST.into(),
        bytes: archive::manifest_of(&entries).into_bytes(),
    };
    put(manifest, &mut entries)?;
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        entries,
        staging,
        base,
        records,
        warnings: checked.diagnostics,
        sources: checked.sources,
    })
}

/// Make the zip, unless a path in it would not open everywhere
/// ([`limits::errors`]).
pub fn bundle(root: &Path, opts: &Options) -> Result<Made, Error> {
    let date_name =
        |base: &str| crate::portable::bundle_name(base, opts.partnership.as_deref(), &opts.date);
    // The staging folder sits beside the zip; its name is known before the
    // site is rendered only when `-o` gives it, else beside the site.
    let scratch = opts
        .output
        .clone()
        .unwrap_or_else(|| root.join("bundle.zip"));
    let rendered = render_files(
        root,
        opts.partnership.as_deref(),
        opts.record_json,
        &opts.languages,
        &scratch,
    )?;
    let name = date_name(&rendered.base);
    let path = opts
        .output
        .clone()
        .unwrap_or_else(|| root.join(format!("{name}.zip")));
    let top = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or(name);
    let zip = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let files = &rendered.entries;
    let mut warnings = rendered.warnings;
    let errors = limits::errors(&top, files, &zip, &rendered.records, &opts.limits);
    if !errors.is_empty() {
        let mut all = errors;
        all.append(&mut warnings);
        crate::diagnostics::sort(&mut all);
        return Err(Error::Content(all, rendered.sources));
    }
    warnings.extend(limits::warnings(&top, files, &zip, &opts.limits));
    // Write beside the target, then rename: a failed run leaves no half zip.
    let tmp = path.with_extension("zip.tmp");
    let dir = rendered.staging.dir();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let written = std::fs::File::create(&tmp)
        .map_err(|e| e.to_string())
        .and_then(|f| {
            archive::write_zip_from(f, &top, &paths, |p| std::fs::read(dir.join(p)))
                .map_err(|e| e.to_string())
        })
        .and_then(|()| std::fs::rename(&tmp, &path).map_err(|e| e.to_string()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Io(format!("cannot write {}: {e}", path.display())));
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    warnings.extend(limits::zip_size(&zip, bytes, &opts.limits));
    Ok(Made {
        path,
        files: files.len(),
        bytes,
        warnings,
        sources: rendered.sources,
    })
}
