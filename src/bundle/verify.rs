//! `gazette verify`: check every file of a bundle (a zip, or the folder it
//! was unzipped to) against its `MANIFEST.sha256`, and report every file
//! that was added, removed or changed.
//!
//! A bundle comes from outside (a USB stick, an email), so reading one is
//! bounded: each file is hashed as it streams through a fixed buffer,
//! never held whole, and [`Limits`] caps the number of entries and the bytes
//! actually read (not the sizes a zip declares), so a zip bomb is refused
//! with a clear message instead of filling the memory or the disk.

use super::archive::{hex, MANIFEST};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::Path;

/// What verification found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub checked: usize,
    pub added: Vec<String>,
    pub missing: Vec<String>,
    pub changed: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.added.is_empty() && self.missing.is_empty() && self.changed.is_empty()
    }
}

/// How much of a bundle `verify` reads before it gives up on it.
///
/// The defaults are generous: a site of 100,000 records bundles to about
/// 200,000 files (300,000 entries with folders) and 3 GB; the caps are
/// several times that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries: files and folders (default 1,000,000).
    pub max_entries: u64,
    /// Bytes read after decompression, all files together (default 16 GiB).
    pub max_bytes: u64,
    /// Bytes of `MANIFEST.sha256`, which is held in memory to compare
    /// (default 256 MiB, about 2 million lines).
    pub max_manifest_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 1_000_000,
            max_bytes: 16 << 30,
            max_manifest_bytes: 256 << 20,
        }
    }
}

/// A file's content as far as the comparison goes.
enum Content {
    /// Lower-case hex SHA-256.
    Hash(String),
    /// A symbolic link in an unzipped folder: never followed, never equal
    /// to a file of the manifest.
    Link,
}

/// A bundle's files, hashed, and its manifest's text.
struct Bundle {
    files: BTreeMap<String, Content>,
    manifest: Option<Vec<u8>>,
}

/// Counts what was read against the [`Limits`].
struct Budget<'a> {
    limits: &'a Limits,
    bundle: &'a Path,
    entries: u64,
    bytes: u64,
}

impl Budget<'_> {
    fn entry(&mut self) -> Result<(), String> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(self.too_many());
        }
        Ok(())
    }

    fn too_many(&self) -> String {
        format!(
            "{}: more than {} entries (files and folders), the most `gazette verify` reads; \
             this is not a Gazette bundle (a site of 100,000 records bundles to about 300,000)",
            self.bundle.display(),
            self.limits.max_entries
        )
    }

    fn bytes(&mut self, name: &str, n: usize) -> Result<(), String> {
        self.bytes += n as u64;
        if self.bytes > self.limits.max_bytes {
            return Err(format!(
                "{}: unpacks to more than {} (at {name}), the most `gazette verify` reads; \
                 this is not a Gazette bundle, or it is a zip bomb (a site of 100,000 records \
                 bundles to about 3 GB)",
                self.bundle.display(),
                size(self.limits.max_bytes)
            ));
        }
        Ok(())
    }

    /// Hash `r` through a fixed buffer, counting the bytes actually read.
    fn hash(&mut self, name: &str, r: &mut impl Read) -> Result<Content, String> {
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("{name}: {e}")),
            };
            self.bytes(name, n)?;
            hasher.update(&buf[..n]);
        }
        Ok(Content::Hash(hex(&hasher.finalize())))
    }

    /// Read the manifest whole, up to its own cap.
    fn manifest(&mut self, name: &str, r: &mut impl Read) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        r.take(self.limits.max_manifest_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: {e}"))?;
        if bytes.len() as u64 > self.limits.max_manifest_bytes {
            return Err(format!(
                "{}: {MANIFEST} is larger than {}, the most `gazette verify` reads; \
                 this is not a Gazette bundle",
                self.bundle.display(),
                size(self.limits.max_manifest_bytes)
            ));
        }
        self.bytes(name, bytes.len())?;
        Ok(bytes)
    }
}

/// `16 GiB`, `256 MiB`, or a count of bytes.
fn size(n: u64) -> String {
    if n >= 1 << 30 && n.is_multiple_of(1 << 30) {
        format!("{} GiB", n >> 30)
    } else if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// Hash an unzipped bundle's files (paths relative to `path`).
fn read_folder(path: &Path, budget: &mut Budget) -> Result<Bundle, String> {
    let mut out = Bundle {
        files: BTreeMap::new(),
        manifest: None,
    };
    for e in walkdir::WalkDir::new(path)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
    {
        let e = e.map_err(|e| e.to_string())?;
        budget.entry()?;
        if e.file_type().is_dir() {
            continue;
        }
        let rel = e.path().strip_prefix(path).map_err(|e| e.to_string())?;
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        if e.file_type().is_symlink() {
            out.files.insert(rel, Content::Link);
            continue;
        }
        let mut file = std::fs::File::open(e.path())
            .map_err(|err| format!("{}: {err}", e.path().display()))?;
        if rel == MANIFEST {
            out.manifest = Some(budget.manifest(&rel, &mut file)?);
        } else {
            let content = budget.hash(&rel, &mut file)?;
            out.files.insert(rel, content);
        }
    }
    Ok(out)
}

/// Hash a zipped bundle's files, whose entries sit under one top folder
/// (stripped from the names).
fn read_zip(path: &Path, budget: &mut Budget) -> Result<Bundle, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    read_zip_from(path, file, budget)
}

/// [`read_zip`] from any seekable reader; `path` names it in messages.
fn read_zip_from(
    path: &Path,
    file: impl Read + Seek,
    budget: &mut Budget,
) -> Result<Bundle, String> {
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| format!("{}: not a zip file ({e})", path.display()))?;
    // The count comes from the central directory: refuse before reading.
    if zip.len() as u64 > budget.limits.max_entries {
        return Err(budget.too_many());
    }
    let mut top = String::new();
    for name in zip.file_names() {
        let name = name.map_err(|e| format!("{}: {e}", path.display()))?;
        if name.ends_with(&format!("/{MANIFEST}")) && name.matches('/').count() == 1 {
            top = name[..name.len() - MANIFEST.len()].to_string();
            break;
        }
    }
    let mut out = Bundle {
        files: BTreeMap::new(),
        manifest: None,
    };
    for i in 0..zip.len() {
        budget.entry()?;
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|e| e.to_string())?;
        let name = name.strip_prefix(top.as_str()).unwrap_or(&name).to_string();
        if name == MANIFEST {
            out.manifest = Some(budget.manifest(&name, &mut entry)?);
        } else {
            let content = budget.hash(&name, &mut entry)?;
            out.files.insert(name, content);
        }
    }
    Ok(out)
}

/// Verify a bundle against its manifest, within the default [`Limits`].
pub fn verify(path: &Path) -> Result<Report, String> {
    verify_within(path, &Limits::default())
}

/// Verify a bundle against its manifest, reading no more than `limits`.
pub fn verify_within(path: &Path, limits: &Limits) -> Result<Report, String> {
    let mut budget = Budget {
        limits,
        bundle: path,
        entries: 0,
        bytes: 0,
    };
    let bundle = if path.is_dir() {
        read_folder(path, &mut budget)?
    } else {
        read_zip(path, &mut budget)?
    };
    compare(bundle, path)
}

/// Verify the zip bytes `zip` as if read from the file `name`.
pub fn verify_zip_bytes(name: &Path, zip: &[u8], limits: &Limits) -> Result<Report, String> {
    let mut budget = Budget {
        limits,
        bundle: name,
        entries: 0,
        bytes: 0,
    };
    let bundle = read_zip_from(name, std::io::Cursor::new(zip), &mut budget)?;
    compare(bundle, name)
}

/// Compare a bundle's files with its manifest.
fn compare(bundle: Bundle, path: &Path) -> Result<Report, String> {
    let manifest = bundle
        .manifest
        .ok_or_else(|| format!("{}: no {MANIFEST} in this bundle", path.display()))?;
    let manifest = String::from_utf8(manifest).map_err(|_| format!("{MANIFEST} is not text"))?;
    let mut expected = BTreeMap::new();
    for (n, line) in manifest.lines().enumerate() {
        let Some((hash, name)) = line.split_once("  ") else {
            return Err(format!("{MANIFEST}:{}: expected `<sha256>  <path>`", n + 1));
        };
        expected.insert(name.to_string(), hash.to_string());
    }
    let mut report = Report::default();
    for (name, hash) in &expected {
        match bundle.files.get(name) {
            None => report.missing.push(name.clone()),
            Some(content) => {
                report.checked += 1;
                if !matches!(content, Content::Hash(h) if h == hash) {
                    report.changed.push(name.clone());
                }
            }
        }
    }
    report.added = bundle
        .files
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .cloned()
        .collect();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::archive::{manifest, write_zip};
    use crate::render::OutFile;

    fn bundle_dir() -> tempfile::TempDir {
        let files = vec![
            OutFile {
                path: "index.html".into(),
                bytes: b"home".to_vec(),
            },
            OutFile {
                path: "a/index.html".into(),
                bytes: b"a".to_vec(),
            },
        ];
        let t = tempfile::tempdir().unwrap();
        for f in &files {
            let p = t.path().join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, &f.bytes).unwrap();
        }
        std::fs::write(t.path().join(MANIFEST), manifest(&files)).unwrap();
        t
    }

    #[test]
    fn an_untouched_bundle_verifies() {
        let t = bundle_dir();
        let r = verify(t.path()).unwrap();
        assert!(r.ok(), "{r:?}");
        assert_eq!(r.checked, 2);
    }

    #[test]
    fn changed_removed_and_added_files_are_all_reported() {
        let t = bundle_dir();
        std::fs::write(t.path().join("index.html"), b"hom3").unwrap();
        std::fs::remove_file(t.path().join("a/index.html")).unwrap();
        std::fs::write(t.path().join("extra.js"), b"x").unwrap();
        let r = verify(t.path()).unwrap();
        assert_eq!(r.changed, vec!["index.html"]);
        assert_eq!(r.missing, vec!["a/index.html"]);
        assert_eq!(r.added, vec!["extra.js"]);
    }

    /// A zip of `files` (path, bytes) under `top/`, with a manifest of
    /// `listed` only.
    fn zip_of(dir: &Path, files: Vec<OutFile>) -> std::path::PathBuf {
        let mut all = files.clone();
        all.push(OutFile {
            path: MANIFEST.into(),
            bytes: manifest(&files).into_bytes(),
        });
        let zip_path = dir.join("b.zip");
        write_zip(std::fs::File::create(&zip_path).unwrap(), "site-2021", &all).unwrap();
        zip_path
    }

    fn small() -> Limits {
        Limits {
            max_entries: 100,
            max_bytes: 1 << 20,
            max_manifest_bytes: 4096,
        }
    }

    #[test]
    fn a_zip_bomb_is_refused_by_the_bytes_it_unpacks_to() {
        // 1 MiB and one byte of zeros deflate to about a kilobyte; a bundle
        // that unpacks past the cap is refused, without holding it: every
        // entry is hashed through a fixed 64 KiB buffer.
        let t = tempfile::tempdir().unwrap();
        let zip = zip_of(
            t.path(),
            vec![OutFile {
                path: "bomb.html".into(),
                bytes: vec![0; (1 << 20) + 1],
            }],
        );
        assert!(std::fs::metadata(&zip).unwrap().len() < 8 * 1024);
        let err = verify_within(&zip, &small()).unwrap_err();
        assert!(
            err.contains("unpacks to more than 1 MiB (at bomb.html)") && err.contains("zip bomb"),
            "{err}"
        );
        // Just under the cap, the same zip verifies.
        let limits = Limits {
            max_bytes: (1 << 20) + 2048,
            ..small()
        };
        assert!(verify_within(&zip, &limits).unwrap().ok());
    }

    #[test]
    fn the_bytes_of_all_entries_add_up_against_the_cap() {
        let t = tempfile::tempdir().unwrap();
        let files = (0..3)
            .map(|i| OutFile {
                path: format!("{i}.html"),
                bytes: vec![b'x'; 400 * 1024],
            })
            .collect();
        let zip = zip_of(t.path(), files);
        let err = verify_within(&zip, &small()).unwrap_err();
        assert!(
            err.contains("unpacks to more than 1 MiB (at 2.html)"),
            "{err}"
        );
    }

    #[test]
    fn too_many_entries_are_refused_before_any_is_read() {
        let t = tempfile::tempdir().unwrap();
        let files = (0..150)
            .map(|i| OutFile {
                path: format!("{i}.html"),
                bytes: b"x".to_vec(),
            })
            .collect();
        let zip = zip_of(t.path(), files);
        let err = verify_within(&zip, &small()).unwrap_err();
        assert!(
            err.contains("more than 100 entries (files and folders)"),
            "{err}"
        );
        // An unzipped folder counts the same way.
        let dir = bundle_dir();
        for i in 0..120 {
            std::fs::write(dir.path().join(format!("{i}.html")), "x").unwrap();
        }
        let err = verify_within(dir.path(), &small()).unwrap_err();
        assert!(err.contains("more than 100 entries"), "{err}");
    }

    #[test]
    fn an_unzipped_folder_is_capped_too() {
        let dir = bundle_dir();
        std::fs::write(dir.path().join("big.bin"), vec![0u8; (1 << 20) + 1]).unwrap();
        let err = verify_within(dir.path(), &small()).unwrap_err();
        assert!(
            err.contains("unpacks to more than 1 MiB (at big.bin)"),
            "{err}"
        );
    }

    #[test]
    fn an_oversized_manifest_is_refused() {
        let dir = bundle_dir();
        let mut text = std::fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        while text.len() <= 4096 {
            text.push_str(&format!("{}  padding\n", "0".repeat(64)));
        }
        std::fs::write(dir.path().join(MANIFEST), text).unwrap();
        let err = verify_within(dir.path(), &small()).unwrap_err();
        assert!(
            err.contains("MANIFEST.sha256 is larger than 4096 bytes"),
            "{err}"
        );
    }

    #[test]
    fn a_symbolic_link_never_matches() {
        let dir = bundle_dir();
        let page = dir.path().join("a/index.html");
        std::fs::remove_file(&page).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("index.html"), &page).unwrap();
            let r = verify(dir.path()).unwrap();
            assert_eq!(r.changed, vec!["a/index.html"]);
        }
    }

    #[test]
    fn the_default_limits_are_generous() {
        // A site of 100,000 records bundles to about 300,000 entries and 3 GB.
        let l = Limits::default();
        assert!(l.max_entries >= 3 * 300_000);
        assert!(l.max_bytes >= 5 * 3_000_000_000);
    }

    #[test]
    fn zips_verify_too() {
        let files = vec![OutFile {
            path: "index.html".into(),
            bytes: b"home".to_vec(),
        }];
        let mut all = files.clone();
        all.push(OutFile {
            path: MANIFEST.into(),
            bytes: manifest(&files).into_bytes(),
        });
        let t = tempfile::tempdir().unwrap();
        let zip_path = t.path().join("b.zip");
        write_zip(std::fs::File::create(&zip_path).unwrap(), "site-2021", &all).unwrap();
        assert!(verify(&zip_path).unwrap().ok());
    }
}
