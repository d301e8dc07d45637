//! File-system events into batches of changed paths.
//!
//! Watches `content/`, `templates/`, `static/` and `themes/` (each as it
//! comes and goes) and `gazette.yaml`, and waits for a burst of events to
//! go quiet before handing it over as one batch: an editor's save is several
//! events (vim writes a test file `4913`, renames the old file away, writes
//! the new one, deletes the backup; JetBrains writes a temporary file and
//! renames it over the old one). The quiet period is short when every path's
//! latest event finished its write (closed after writing, renamed into
//! place, removed) and longer while a write may still be going on. Editors'
//! temporary files never make it into a batch.

use crate::load::is_editor_temp;
use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The folders watched, recursively, under the site root.
pub const FOLDERS: [&str; 5] = ["content", "templates", "static", "strings", "themes"];

/// Quiet time before a batch is handed over while every path's last event
/// finished its write.
pub const SETTLED_QUIET: Duration = Duration::from_millis(8);
/// Quiet time while a write may still be going on.
pub const QUIET: Duration = Duration::from_millis(40);
/// A batch is handed over after this long even if events keep coming.
pub const MAX_WAIT: Duration = Duration::from_millis(500);

/// Changed paths, gathered from one burst of events.
#[derive(Debug)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
    /// When the first event of the burst arrived.
    pub first: Instant,
}

/// Watches a site folder.
pub struct Watcher {
    root: PathBuf,
    inner: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    /// An event read by [`Watcher::has_pending`], not yet handed over.
    early: Option<notify::Result<Event>>,
}

impl Watcher {
    /// Start watching the site at `root` (an absolute path).
    pub fn new(root: &Path) -> notify::Result<Watcher> {
        let (tx, events) = channel();
        let mut inner = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        inner.watch(root, RecursiveMode::NonRecursive)?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            inner,
            events,
            early: None,
        };
        for f in FOLDERS {
            w.watch_folder(&root.join(f));
        }
        Ok(w)
    }

    fn watch_folder(&mut self, dir: &Path) {
        if dir.is_dir() {
            let _ = self.inner.watch(dir, RecursiveMode::Recursive);
        }
    }

    /// Wait up to `timeout` for events, then until they go quiet; `None`
    /// when nothing of the site changed in the meantime.
    pub fn next(&mut self, timeout: Duration) -> Option<Batch> {
        let first = match self.early.take() {
            Some(e) => e,
            None => match self.events.recv_timeout(timeout) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            },
        };
        let start = Instant::now();
        // Per path: has its latest event finished a write?
        let mut seen: BTreeMap<PathBuf, bool> = BTreeMap::new();
        self.take(first, &mut seen);
        loop {
            let quiet = if seen.values().all(|&done| done) {
                SETTLED_QUIET
            } else {
                QUIET
            };
            let left = MAX_WAIT.saturating_sub(start.elapsed());
            match self.events.recv_timeout(quiet.min(left)) {
                Ok(e) if !left.is_zero() => self.take(e, &mut seen),
                _ => break,
            }
        }
        if seen.is_empty() {
            return None;
        }
        Some(Batch {
            paths: seen.into_keys().collect(),
            first: start,
        })
    }

    /// Whether an event that changes the site is waiting to be read. Events
    /// that cannot (files opened or read, among them Gazette's own reads of
    /// the files it just rebuilt from) are dropped here.
    pub fn has_pending(&mut self) -> bool {
        while self.early.is_none() {
            match self.events.try_recv() {
                Ok(e) if self.matters(&e) => self.early = Some(e),
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        self.early.is_some()
    }

    /// Whether [`Watcher::take`] would do anything with `event`.
    fn matters(&self, event: &notify::Result<Event>) -> bool {
        let Ok(event) = event else {
            return false;
        };
        if event.need_rescan() {
            return true;
        }
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return false,
            _ => {}
        }
        event.paths.iter().any(|p| self.relevant(p).is_some())
    }

    fn take(&mut self, event: notify::Result<Event>, seen: &mut BTreeMap<PathBuf, bool>) {
        let Ok(event) = event else {
            return;
        };
        if event.need_rescan() {
            // Events were lost: look at everything again.
            for f in FOLDERS {
                seen.insert(self.root.join(f), true);
            }
            return;
        }
        let done = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => return,
            EventKind::Create(CreateKind::Folder) => true,
            EventKind::Modify(ModifyKind::Name(RenameMode::From)) => false,
            EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Metadata(_)) => true,
            EventKind::Remove(_) => true,
            _ => false,
        };
        for p in event.paths {
            if let Some(top) = self.relevant(&p) {
                if matches!(event.kind, EventKind::Create(_)) && p == self.root.join(&top) {
                    // A watched folder was created: watch inside it too.
                    self.watch_folder(&p);
                }
                seen.insert(p, done);
            }
        }
    }

    /// The first component of a path of the site worth rebuilding for, if
    /// `p` is one: under a watched folder or the configuration, and not an
    /// editor's temporary file.
    fn relevant(&self, p: &Path) -> Option<String> {
        relevant(&self.root, p)
    }
}

/// See [`Watcher::relevant`].
pub fn relevant(root: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(root).ok()?;
    let mut parts = rel.components().filter_map(|c| match c {
        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
        _ => None,
    });
    let top = parts.next()?;
    let ok = top == crate::config::FILE || FOLDERS.contains(&top.as_str());
    let temp = is_editor_temp(&top) || parts.any(|c| is_editor_temp(&c));
    (ok && !temp).then_some(top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn only_site_paths_count() {
        let root = Path::new("/s");
        let r = |p: &str| relevant(root, &root.join(p));
        assert_eq!(r("content/people/x.md").as_deref(), Some("content"));
        assert_eq!(r("gazette.yaml").as_deref(), Some("gazette.yaml"));
        assert_eq!(r("themes/t/static/a.css").as_deref(), Some("themes"));
        assert_eq!(r("output/index.html"), None);
        assert_eq!(r("output.tmp-42/index.html"), None);
        assert_eq!(r("content/people/.x.md.swp"), None);
        assert_eq!(r("content/people/x.md~"), None);
        assert_eq!(r("content/people/4913"), None);
        assert_eq!(r("content/people/.#x.md"), None);
        assert_eq!(relevant(root, Path::new("/elsewhere/x.md")), None);
    }

    /// Waits for a batch containing `want`, ignoring stray ones.
    fn batch_with(w: &mut Watcher, want: &Path) -> Batch {
        let end = Instant::now() + Duration::from_secs(10);
        while Instant::now() < end {
            if let Some(b) = w.next(Duration::from_millis(200)) {
                if b.paths.iter().any(|p| p == want) {
                    return b;
                }
            }
        }
        panic!("no batch with {}", want.display());
    }

    #[test]
    fn an_atomic_save_is_one_batch_without_the_temporary_files() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().canonicalize().unwrap();
        let dir = root.join("content/people");
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ann.md");
        fs::write(&file, "one").unwrap();
        let mut w = Watcher::new(&root).unwrap();
        // vim: probe file, backup by rename, write anew, drop the backup.
        fs::write(dir.join("4913"), "").unwrap();
        fs::remove_file(dir.join("4913")).unwrap();
        fs::rename(&file, dir.join("ann.md~")).unwrap();
        fs::write(&file, "two").unwrap();
        fs::remove_file(dir.join("ann.md~")).unwrap();
        let b = batch_with(&mut w, &file);
        assert_eq!(b.paths, vec![file.clone()], "{b:?}");
        // JetBrains: write a temporary file, rename it over the original.
        let tmp = dir.join("ann.md___jb_tmp___");
        fs::write(&tmp, "three").unwrap();
        fs::rename(&tmp, &file).unwrap();
        let b = batch_with(&mut w, &file);
        assert!(b.paths.contains(&file), "{b:?}");
        // A new folder is watched as soon as it appears.
        let new = root.join("templates");
        fs::create_dir(&new).unwrap();
        let _ = batch_with(&mut w, &new);
        let page = new.join("base.html");
        fs::write(&page, "x").unwrap();
        let _ = batch_with(&mut w, &page);
    }

    #[test]
    fn reading_a_file_is_not_a_pending_change_but_writing_one_is() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().canonicalize().unwrap();
        let dir = root.join("content/people");
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ann.md");
        fs::write(&file, "one").unwrap();
        let mut w = Watcher::new(&root).unwrap();
        // What the engine does after a change: read the file again.
        for _ in 0..3 {
            assert_eq!(fs::read_to_string(&file).unwrap(), "one");
        }
        std::thread::sleep(Duration::from_millis(100));
        assert!(!w.has_pending());
        fs::write(&file, "two").unwrap();
        let end = Instant::now() + Duration::from_secs(5);
        while !w.has_pending() && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(w.has_pending());
        assert_eq!(batch_with(&mut w, &file).paths, vec![file]);
    }
}
