//! The bundle's container: a zip whose entries sit under one top folder,
//! sorted, with fixed timestamps and permissions, so the same files always
//! make the same bytes; and `MANIFEST.sha256` in `sha256sum`'s format.

use crate::render::OutFile;
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The manifest's file name, at the bundle's root.
pub const MANIFEST: &str = "MANIFEST.sha256";

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    let mut s = String::with_capacity(digest.len() * 2);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A file of a bundle as its checks see it: its path and its size.
pub trait Listed {
    fn path(&self) -> &str;
    fn size(&self) -> u64;
}

impl Listed for OutFile {
    fn path(&self) -> &str {
        &self.path
    }
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
}

/// A file of a bundle written in its staging folder, as the zip and the
/// manifest need it: its path, its size and its SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl Entry {
    pub fn of(file: &OutFile) -> Entry {
        Entry {
            path: file.path.clone(),
            size: file.bytes.len() as u64,
            sha256: sha256_hex(&file.bytes),
        }
    }
}

/// An [`Entry`] of a file that comes in pieces: fed each piece, then
/// [`Hashing::done`].
pub struct Hashing {
    path: String,
    size: u64,
    hasher: Sha256,
}

impl Hashing {
    pub fn new(path: &str) -> Hashing {
        Hashing {
            path: path.to_string(),
            size: 0,
            hasher: Sha256::new(),
        }
    }

    pub fn update(&mut self, piece: &[u8]) {
        self.size += piece.len() as u64;
        self.hasher.update(piece);
    }

    pub fn done(self) -> Entry {
        Entry {
            path: self.path,
            size: self.size,
            sha256: hex(&self.hasher.finalize()),
        }
    }
}

impl Listed for Entry {
    fn path(&self) -> &str {
        &self.path
    }
    fn size(&self) -> u64 {
        self.size
    }
}

/// `sha256sum` lines (`<hash>  <path>`) for every file, sorted by path.
pub fn manifest(files: &[OutFile]) -> String {
    manifest_of(&files.iter().map(Entry::of).collect::<Vec<_>>())
}

/// [`manifest`] of files already hashed.
pub fn manifest_of(entries: &[Entry]) -> String {
    let mut lines: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e.path != MANIFEST)
        .map(|e| (e.path.as_str(), e.sha256.as_str()))
        .collect();
    lines.sort();
    let mut out = String::new();
    for (path, hash) in lines {
        out.push_str(hash);
        out.push_str("  ");
        out.push_str(path);
        out.push('\n');
    }
    out
}

/// Write a deterministic zip of `files` under the folder `top/`.
pub fn write_zip(
    out: impl Write + io::Seek,
    top: &str,
    files: &[OutFile],
) -> zip::result::ZipResult<()> {
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    write_zip_from(out, top, &paths, |p| {
        files
            .iter()
            .find(|f| f.path == p)
            .map(|f| f.bytes.clone())
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, p.to_string()))
    })
}

/// Write a deterministic zip of the files at `paths` under the folder
/// `top/`, reading each one's bytes with `read` only when it is added: one
/// file in memory at a time.
pub fn write_zip_from(
    out: impl Write + io::Seek,
    top: &str,
    paths: &[&str],
    read: impl Fn(&str) -> io::Result<Vec<u8>>,
) -> zip::result::ZipResult<()> {
    let mut sorted: Vec<&str> = paths.to_vec();
    sorted.sort_unstable();
    let mut zip = ZipWriter::new(out);
    // The DOS epoch: timestamps carry no information about when it was made.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let dir_options = options.unix_permissions(0o755);
    let mut dirs: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    dirs.insert(format!("{top}/"));
    for f in &sorted {
        let mut p = *f;
        while let Some((parent, _)) = p.rsplit_once('/') {
            dirs.insert(format!("{top}/{parent}/"));
            p = parent;
        }
    }
    for d in &dirs {
        zip.add_directory(d.as_str(), dir_options)?;
    }
    for p in sorted {
        let bytes = read(p)?;
        zip.start_file(format!("{top}/{p}"), options)?;
        zip.write_all(&bytes)?;
    }
    zip.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_hashed_in_pieces_has_the_entry_of_the_whole_file() {
        let whole = OutFile {
            path: "data/graph.json".into(),
            bytes: b"{\"records\": [1, 2, 3]}".to_vec(),
        };
        let mut h = Hashing::new(&whole.path);
        for piece in whole.bytes.chunks(5) {
            h.update(piece);
        }
        assert_eq!(h.done(), Entry::of(&whole));
    }

    fn files() -> Vec<OutFile> {
        vec![
            OutFile {
                path: "b/index.html".into(),
                bytes: b"b".to_vec(),
            },
            OutFile {
                path: "index.html".into(),
                bytes: b"home".to_vec(),
            },
        ]
    }

    #[test]
    fn manifest_matches_sha256sum_format() {
        let m = manifest(&files());
        let lines: Vec<&str> = m.lines().collect();
        assert_eq!(lines.len(), 2);
        // sha256("b") and sha256("home"), as `sha256sum` prints them.
        assert_eq!(
            lines[0],
            "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b/index.html"
        );
        assert!(lines[1].ends_with("  index.html"));
    }

    #[test]
    fn zips_are_byte_identical_whatever_the_input_order() {
        let mut a = io::Cursor::new(Vec::new());
        write_zip(&mut a, "site", &files()).unwrap();
        let mut reversed = files();
        reversed.reverse();
        let mut b = io::Cursor::new(Vec::new());
        write_zip(&mut b, "site", &reversed).unwrap();
        assert_eq!(a.into_inner(), b.into_inner());
    }
}
