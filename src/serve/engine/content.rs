//! The content files as the engine holds them: each file's state after
//! loading and parsing, kept per file, so that an edit re-reads and
//! re-parses only the files it touched. Reading one file here gives exactly
//! what `load::load` and `parse::parse_all` give for it in a full build.

use crate::diagnostics::{display_path, Diagnostic};
use crate::load::{self, is_editor_temp, Sources};
use crate::model::translation::Translation;
use crate::model::{Entity, Kind};
use crate::parse::{self, Orphan};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// What became of one content file.
#[derive(Debug, Clone)]
pub(super) enum Status {
    /// Parsed without errors: its entity is in the graph, or was left out
    /// of it as a duplicate id.
    Parsed,
    /// Had errors: the references it could read, still checked.
    Orphan(Orphan),
    /// Could not be loaded (or is a symbolic link, skipped).
    Failed,
}

/// One content file's state.
#[derive(Debug, Clone)]
pub(super) struct FileState {
    /// Type and id, when its path gives valid ones: references to them are
    /// never "unknown", even while the file has errors.
    pub key: Option<(Kind, String)>,
    /// For a translation file, the (type, id) of the record it translates.
    pub record: Option<(Kind, String)>,
    pub status: Status,
    /// Its loading and parsing problems.
    pub diags: Vec<Diagnostic>,
}

/// One file as just read: its state, its text and, if it parsed, its entity.
pub(super) struct Read {
    pub file: String,
    pub state: FileState,
    pub text: Option<Arc<str>>,
    pub entity: Option<Entity>,
    /// For a translation file without errors, its translation.
    pub translation: Option<Translation>,
}

/// Every content file's state, and what the graph needs from them.
#[derive(Default)]
pub(super) struct Content {
    pub files: BTreeMap<String, FileState>,
    /// Problems walking `content/` itself (a missing folder, an unreadable
    /// entry); recomputed at each full scan.
    pub walk_diags: Vec<Diagnostic>,
    /// Every (type, id) that has a file; see [`FileState::key`].
    pub known: HashSet<(Kind, String)>,
    /// The translation of each translation file that parsed, by file.
    pub translations: BTreeMap<String, Translation>,
    known_count: HashMap<(Kind, String), u32>,
}

/// Whether `path` is inside `content/` under a name the walk would skip.
pub(super) fn skipped(content: &Path, path: &Path) -> bool {
    path.strip_prefix(content).map_or(true, |rel| {
        rel.components()
            .any(|c| is_editor_temp(&c.as_os_str().to_string_lossy()))
    })
}

/// Read and parse the content file at `path` (absolute, under
/// `root/content`). `None` when nothing there is content: the path is gone,
/// is a folder, is not a `.md` file or has an editor's temporary name.
pub(super) fn read(root: &Path, path: &Path, cx: parse::Context) -> Option<Read> {
    let content = root.join("content");
    if skipped(&content, path) {
        return None;
    }
    let meta = std::fs::symlink_metadata(path).ok()?;
    let file = display_path(root, path);
    if meta.file_type().is_symlink() {
        let d = Diagnostic::warning(file.clone(), "symbolic link skipped")
            .hint("content is never read through links; copy the file instead");
        return Some(Read {
            file,
            state: FileState {
                key: None,
                record: None,
                status: Status::Failed,
                diags: vec![d],
            },
            text: None,
            entity: None,
            translation: None,
        });
    }
    if !meta.is_file() || path.extension().and_then(|e| e.to_str()) != Some("md") {
        return None;
    }
    let key = load::kind_and_id(&content, path);
    Some(match load::read_one(&content, path, file.clone()) {
        Ok(sf) => {
            let r = parse::parse_file(&sf, cx);
            let status = match (&r.entity, r.is_translation) {
                (Some(_), _) => Status::Parsed,
                (None, true) if r.translation.is_some() => Status::Parsed,
                (None, true) => Status::Failed,
                (None, false) => Status::Orphan(Orphan {
                    file: r.file,
                    refs: r.refs,
                    objectives: r.objectives,
                }),
            };
            let record = sf.lang.is_some().then(|| (sf.kind, sf.id.clone()));
            Read {
                file,
                state: FileState {
                    key: if record.is_some() { None } else { key },
                    record,
                    status,
                    diags: r.diagnostics,
                },
                text: Some(sf.text),
                entity: r.entity,
                translation: r.translation,
            }
        }
        Err((text, d)) => Read {
            file,
            state: FileState {
                key,
                record: None,
                status: Status::Failed,
                diags: vec![d],
            },
            text: text.map(Arc::from),
            entity: None,
            translation: None,
        },
    })
}

/// Walk `content/` as `load::load` does; the paths of its `.md` files and
/// symbolic links, and the problems of the walk itself.
pub(super) fn walk(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut paths = Vec::new();
    let mut diags = Vec::new();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                display_path(root, &content),
                "no `content/` folder in this site",
            )
            .hint("run `gazette init <dir>` for a new site, or pass `--root` to point at one"),
        );
        return (paths, diags);
    }
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_temp(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_symlink() || e.file_type().is_file() => {
                paths.push(e.into_path())
            }
            Ok(_) => {}
            Err(err) => {
                let p = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                diags.push(Diagnostic::error(p, format!("cannot read: {err}")));
            }
        }
    }
    (paths, diags)
}

/// The `.md` files and symbolic links under `dir`, a folder in `content/`.
pub(super) fn files_under(dir: &Path) -> Vec<PathBuf> {
    WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_temp(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_symlink() || e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Read every path, in parallel.
pub(super) fn read_all(root: &Path, paths: &[PathBuf], cx: parse::Context) -> Vec<Read> {
    paths.par_iter().filter_map(|p| read(root, p, cx)).collect()
}

impl Content {
    /// Record `file`'s new state (`None`: it is gone); returns the old one.
    pub fn set(&mut self, file: &str, state: Option<FileState>) -> Option<FileState> {
        let old = match state {
            Some(s) => {
                if let Some(k) = &s.key {
                    self.count(k, 1);
                }
                self.files.insert(file.to_string(), s)
            }
            None => self.files.remove(file),
        };
        if let Some(k) = old.as_ref().and_then(|o| o.key.as_ref()) {
            self.count(k, -1);
        }
        old
    }

    fn count(&mut self, key: &(Kind, String), delta: i32) {
        let n = self.known_count.entry(key.clone()).or_insert(0);
        *n = n.saturating_add_signed(delta);
        if *n == 0 {
            self.known_count.remove(key);
            self.known.remove(key);
        } else {
            self.known.insert(key.clone());
        }
    }

    /// The references of every file that had errors.
    pub fn orphans(&self) -> Vec<Orphan> {
        self.files
            .values()
            .filter_map(|s| match &s.status {
                Status::Orphan(o) => Some(o.clone()),
                _ => None,
            })
            .collect()
    }

    /// Every loading and parsing problem.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.walk_diags
            .iter()
            .chain(self.files.values().flat_map(|s| s.diags.iter()))
    }

    /// Files under `prefix` (a display path ending in `/`).
    pub fn under(&self, prefix: &str) -> Vec<String> {
        self.files
            .range(prefix.to_string()..)
            .take_while(|(f, _)| f.starts_with(prefix))
            .map(|(f, _)| f.clone())
            .collect()
    }
}

/// Keep `sources` in step with one file's text.
pub(super) fn set_source(sources: &mut Sources, file: &str, text: Option<Arc<str>>) {
    match text {
        Some(t) => {
            sources.0.insert(file.to_string(), t);
        }
        None => {
            sources.0.remove(file);
        }
    }
}
