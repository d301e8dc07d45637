//! Stage 6: write the rendered site atomically. Each file goes into a
//! sibling temporary folder as soon as it is rendered ([`Staging`]); once
//! the whole site has rendered, the folder is swapped in for the old output
//! with two renames, and the old tree is deleted after the swap. A failure
//! at any point before the swap removes the temporary folder and leaves the
//! previous output untouched.
//!
//! Since a build replaces the folder whole, it writes a marker file
//! ([`MARKER`]) into every output and replaces only a folder that is
//! absent, empty, marked, or an output of an earlier Gazette (which had no
//! marker: it has `index.html`, `search-index.js` and `data/graph.json`);
//! anything else needs `--force`.

use crate::render::{OutFile, Piecewise};
use crate::urls::safe_relative;
use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

/// Refuse output folders whose replacement would destroy the site itself.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), String> {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let root_c = canon(root);
    let out_c = match out.canonicalize() {
        Ok(p) => p,
        Err(_) => match (out.parent(), out.file_name()) {
            (Some(parent), Some(name)) => canon(if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            })
            .join(name),
            _ => return Err(format!("`{}` cannot be an output folder", out.display())),
        },
    };
    if root_c.starts_with(&out_c) {
        return Err(format!(
            "output folder `{}` contains the site itself",
            out.display()
        ));
    }
    for inner in ["content", "templates", "static", "themes"] {
        if out_c.starts_with(root_c.join(inner)) {
            return Err(format!(
                "output folder `{}` is inside the site's `{inner}/`",
                out.display()
            ));
        }
    }
    if out_c.join(crate::config::FILE).exists() || out_c.join("content").is_dir() {
        return Err(format!(
            "output folder `{}` looks like a site (it has a config or content/)",
            out.display()
        ));
    }
    Ok(())
}

/// The file that marks a folder as Gazette's output, free to replace.
pub const MARKER: &str = ".gazette-output";

/// What the marker says to someone who opens it.
const MARKER_TEXT: &str = "This folder is the output of `gazette build` (or `gazette watch`).\n\
Each build replaces it whole: do not keep other files in it.\n";

/// Files every output of an earlier Gazette, from before the marker, has.
const EARLIER_OUTPUT: [&str; 3] = ["index.html", "search-index.js", "data/graph.json"];

/// Refuse to replace a folder that holds anything but Gazette's output,
/// unless `force`: it must be absent, empty, carry the [`MARKER`], or look
/// like an output of an earlier Gazette.
pub fn check_replaceable(out: &Path, force: bool) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(format!(
                "cannot read output folder `{}`: {e}",
                out.display()
            ))
        }
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return Err(format!(
            "output folder `{}` exists and is not a folder; remove it or choose another --output",
            out.display()
        ));
    }
    let mut names: Vec<String> = std::fs::read_dir(out)
        .map_err(|e| format!("cannot read output folder `{}`: {e}", out.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let is_file = |rel: &str| std::fs::symlink_metadata(out.join(rel)).is_ok_and(|m| m.is_file());
    if force || names.is_empty() || is_file(MARKER) || EARLIER_OUTPUT.iter().all(|f| is_file(f)) {
        return Ok(());
    }
    names.sort();
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = match names.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    Err(format!(
        "output folder `{}` holds files Gazette did not write ({}{more}) and has no `{MARKER}`; \
         a build replaces the folder whole, deleting them. Choose another folder with --output, \
         empty this one, or pass --force to replace it anyway",
        out.display(),
        shown.join(", ")
    ))
}

fn sibling(out: &Path, tag: &str) -> Result<PathBuf, io::Error> {
    let name = out.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "output path has no folder name",
        )
    })?;
    let mut n = name.to_os_string();
    n.push(format!(".{tag}-{}", std::process::id()));
    Ok(out.with_file_name(n))
}

/// A new output being written: files go into a temporary folder beside
/// `out` as soon as they are rendered ([`Staging::put`], from any thread),
/// and [`Staging::commit`] swaps the folder in. Dropped without a commit
/// (a failed build), it deletes the temporary folder: `out` stays as it was.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl Staging {
    /// Start a new output for `out`, in an empty temporary folder.
    pub fn new(out: &Path) -> io::Result<Staging> {
        let tmp = sibling(out, "tmp")?;
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            committed: false,
        })
    }

    /// The temporary folder.
    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// Write one file; its folders are made when first needed.
    pub fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        write_file(&self.tmp, path, bytes)
    }

    /// Write the [`MARKER`] and swap the new output in for the old.
    pub fn commit(mut self) -> io::Result<()> {
        std::fs::write(self.tmp.join(MARKER), MARKER_TEXT)?;
        swap(&self.out, &self.tmp)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, file: OutFile) -> io::Result<()> {
        Staging::put(self, &file.path, &file.bytes)
    }

    fn open<'s>(&'s self, path: &str) -> io::Result<Box<dyn Piecewise + 's>> {
        Ok(Box::new(Staging::open(self, path)?))
    }
}

impl Staging {
    /// Start writing one file in pieces, as [`Staging::put`] would write
    /// it whole.
    pub fn open(&self, path: &str) -> io::Result<FileWriter> {
        let full = inside(&self.tmp, path)?;
        let file = match std::fs::File::create(&full) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::File::create(&full)
            }
            r => r,
        }?;
        Ok(FileWriter(io::BufWriter::with_capacity(1 << 16, file)))
    }
}

/// A file of a [`Staging`] folder being written in pieces.
pub struct FileWriter(io::BufWriter<std::fs::File>);

impl io::Write for FileWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl Piecewise for FileWriter {
    fn finish(self: Box<Self>) -> io::Result<()> {
        self.0
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        Ok(())
    }
}

/// Write `files` and the [`MARKER`] as the new content of `out`,
/// atomically.
pub fn write_atomic(out: &Path, files: &[OutFile]) -> io::Result<()> {
    let staging = Staging::new(out)?;
    files
        .par_iter()
        .try_for_each(|f| staging.put(&f.path, &f.bytes))?;
    staging.commit()
}

/// Write `bytes` at `path` under `dir`, making its folders if they are
/// missing; `path` must stay inside `dir` ([`safe_relative`]).
fn write_file(dir: &Path, path: &str, bytes: &[u8]) -> io::Result<()> {
    let full = inside(dir, path)?;
    match std::fs::write(&full, bytes) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&full, bytes)
        }
        r => r,
    }
}

/// `path` under `dir`, if it stays inside ([`safe_relative`]).
fn inside(dir: &Path, path: &str) -> io::Result<PathBuf> {
    if !safe_relative(path) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{path}` outside the output folder"),
        ));
    }
    Ok(dir.join(path))
}

fn swap(out: &Path, tmp: &Path) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(out);
    match meta {
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::rename(tmp, out),
        Err(e) => Err(e),
        Ok(m) if !m.is_dir() => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{}` exists and is not a folder", out.display()),
        )),
        Ok(_) => {
            let old = sibling(out, "old")?;
            if old.exists() {
                std::fs::remove_dir_all(&old)?;
            }
            std::fs::rename(out, &old)?;
            if let Err(e) = std::fs::rename(tmp, out) {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&old, out);
                return Err(e);
            }
            std::fs::remove_dir_all(&old)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &str, s: &str) -> OutFile {
        OutFile {
            path: p.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn swaps_and_removes_stale_files() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("output");
        write_atomic(&out, &[file("a/index.html", "1"), file("old.html", "x")]).unwrap();
        write_atomic(&out, &[file("a/index.html", "2")]).unwrap();
        assert!(out.join(MARKER).is_file());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("old.html").exists());
        let names: Vec<_> = std::fs::read_dir(t.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("output")]);
    }

    #[test]
    fn refuses_escaping_paths_and_keeps_old_output() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("output");
        write_atomic(&out, &[file("index.html", "good")]).unwrap();
        let err = write_atomic(&out, &[file("../evil.html", "x")]).unwrap_err();
        assert!(err.to_string().contains("outside"));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        assert!(!t.path().join("evil.html").exists());
    }

    #[test]
    fn a_file_opened_in_pieces_is_written_whole_inside_the_folder_only() {
        use crate::render::Sink;
        use std::io::Write;
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("output");
        let staging = Staging::new(&out).unwrap();
        let mut w = Sink::open(&staging, "data/graph.json").unwrap();
        for piece in ["{", "\"a\": 1", "}"] {
            w.write_all(piece.as_bytes()).unwrap();
        }
        w.finish().unwrap();
        assert!(Sink::open(&staging, "../evil.json").is_err());
        assert!(Sink::open(&staging, "/tmp/evil.json").is_err());
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("data/graph.json")).unwrap(),
            "{\"a\": 1}"
        );
        assert!(!t.path().join("evil.json").exists());
    }

    #[test]
    fn only_an_absent_empty_marked_or_earlier_output_folder_is_replaced() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("output");
        assert!(check_replaceable(&out, false).is_ok(), "absent");
        std::fs::create_dir(&out).unwrap();
        assert!(check_replaceable(&out, false).is_ok(), "empty");
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = check_replaceable(&out, false).unwrap_err();
        assert!(
            err.contains(
                "holds files Gazette did not write (`notes.txt`) and has no `.gazette-output`"
            ) && err.contains("--force"),
            "{err}"
        );
        assert!(check_replaceable(&out, true).is_ok(), "forced");
        // An output of an earlier Gazette, without the marker.
        std::fs::create_dir(out.join("data")).unwrap();
        for f in ["index.html", "search-index.js"] {
            std::fs::write(out.join(f), "x").unwrap();
        }
        assert!(
            check_replaceable(&out, false).is_err(),
            "graph.json missing"
        );
        std::fs::write(out.join("data/graph.json"), "{}").unwrap();
        assert!(check_replaceable(&out, false).is_ok(), "earlier output");
        // A written output carries the marker.
        write_atomic(&out, &[file("index.html", "1")]).unwrap();
        assert!(out.join(MARKER).is_file());
        assert!(check_replaceable(&out, false).is_ok(), "marked");
        // A file is never replaced by a folder.
        let f = t.path().join("file");
        std::fs::write(&f, "x").unwrap();
        assert!(check_replaceable(&f, true)
            .unwrap_err()
            .contains("is not a folder"));
    }

    #[test]
    fn refuses_to_replace_the_site() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir(t.path().join("content")).unwrap();
        assert!(check_output_dir(t.path(), t.path()).is_err());
        assert!(check_output_dir(t.path(), &t.path().join("content/x")).is_err());
        assert!(check_output_dir(t.path(), &t.path().join("output")).is_ok());
    }
}
