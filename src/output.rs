//! Stage 6: write the rendered site atomically. Files go into a sibling
//! temporary folder, which is then swapped in for the old output with two
//! renames; the old tree is deleted after the swap. A failure at any point
//! before the swap leaves the previous output untouched.

use crate::render::OutFile;
use crate::urls::safe_relative;
use rayon::prelude::*;
use std::collections::BTreeSet;
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

/// Write `files` as the new content of `out`, atomically.
pub fn write_atomic(out: &Path, files: &[OutFile]) -> io::Result<()> {
    let tmp = sibling(out, "tmp")?;
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    let result = write_tree(&tmp, files).and_then(|()| swap(out, &tmp));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Write every file under `dir`, creating folders first, then files in parallel.
pub fn write_tree(dir: &Path, files: &[OutFile]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut dirs = BTreeSet::new();
    for f in files {
        if !safe_relative(&f.path) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write `{}` outside the output folder", f.path),
            ));
        }
        if let Some((parent, _)) = f.path.rsplit_once('/') {
            dirs.insert(parent.to_string());
        }
    }
    for d in &dirs {
        std::fs::create_dir_all(dir.join(d))?;
    }
    files
        .par_iter()
        .try_for_each(|f| std::fs::write(dir.join(&f.path), &f.bytes))
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
    fn refuses_to_replace_the_site() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir(t.path().join("content")).unwrap();
        assert!(check_output_dir(t.path(), t.path()).is_err());
        assert!(check_output_dir(t.path(), &t.path().join("content/x")).is_err());
        assert!(check_output_dir(t.path(), &t.path().join("output")).is_ok());
    }
}
