//! `gazette verify`: check every file of a bundle (a zip, or the folder it
//! was unzipped to) against its `MANIFEST.sha256`, and report every file
//! that was added, removed or changed.

use super::archive::{sha256_hex, MANIFEST};
use std::collections::BTreeMap;
use std::io::Read;
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

/// Read a bundle's files (paths relative to its top folder) and bytes.
fn read_files(path: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    if path.is_dir() {
        let mut out = BTreeMap::new();
        for e in walkdir::WalkDir::new(path)
            .follow_links(false)
            .sort_by_file_name()
        {
            let e = e.map_err(|e| e.to_string())?;
            if e.file_type().is_file() || e.file_type().is_symlink() {
                let rel = e.path().strip_prefix(path).map_err(|e| e.to_string())?;
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                let bytes = if e.file_type().is_symlink() {
                    // A link is reported as a changed or added file, never followed.
                    b"symbolic link".to_vec()
                } else {
                    std::fs::read(e.path())
                        .map_err(|err| format!("{}: {err}", e.path().display()))?
                };
                out.insert(rel.join("/"), bytes);
            }
        }
        return Ok(out);
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| format!("{}: not a zip file ({e})", path.display()))?;
    let mut raw = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: {e}"))?;
        raw.insert(name, bytes);
    }
    // Entries sit under one top folder; strip it.
    let top = raw
        .keys()
        .find(|k| k.ends_with(&format!("/{MANIFEST}")) && k.matches('/').count() == 1)
        .map(|k| k[..k.len() - MANIFEST.len()].to_string())
        .unwrap_or_default();
    Ok(raw
        .into_iter()
        .map(|(k, v)| (k.strip_prefix(&top).map(str::to_string).unwrap_or(k), v))
        .collect())
}

/// Verify a bundle against its manifest.
pub fn verify(path: &Path) -> Result<Report, String> {
    let mut files = read_files(path)?;
    let manifest = files
        .remove(MANIFEST)
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
        match files.get(name) {
            None => report.missing.push(name.clone()),
            Some(bytes) => {
                report.checked += 1;
                if &sha256_hex(bytes) != hash {
                    report.changed.push(name.clone());
                }
            }
        }
    }
    report.added = files
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
