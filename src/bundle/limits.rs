//! Where a bundle has to open, checked over every path of the zip before
//! it is written: a top folder name Windows can create, no path too long
//! for Windows Explorer once unpacked, no two paths a case-insensitive file
//! system takes for one (errors: the zip is not written); FAT32 folders
//! near their limit of entries and files over 4 GiB (warnings: the zip is
//! written, and the official is told what to do). The rules are in
//! [`crate::portable`]; docs/bundle.md ("Where bundles open") gives the
//! numbers.

use super::archive::Listed;
use crate::diagnostics::Diagnostic;
use crate::portable::{self, case_collisions, name_problem, unpacked_len};
use std::collections::BTreeMap;

/// The limits a bundle is checked against. The defaults are the real
/// ones; tests make them small to check a small site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest path once unpacked ([`portable::PATH_BUDGET`]).
    pub path_budget: usize,
    /// Directory entries a FAT32 folder holds ([`portable::FAT32_DIR_ENTRIES`]).
    pub fat_dir_entries: usize,
    /// The largest file FAT32 holds ([`portable::FAT32_MAX_FILE`]).
    pub fat_max_file: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            path_budget: portable::PATH_BUDGET,
            fat_dir_entries: portable::FAT32_DIR_ENTRIES,
            fat_max_file: portable::FAT32_MAX_FILE,
        }
    }
}

/// A folder is near the FAT32 limit from three quarters of its entries on:
/// a few more records, or a stick formatted with another tool, and copying
/// fails.
const NEAR: (usize, usize) = (3, 4);

/// A zip larger than this is too big to attach to most email: Gmail takes
/// 25 MB and Outlook.com 20 MB per message, and an attachment grows by a
/// third when encoded for email.
pub const EMAIL_BYTES: u64 = 14_000_000;

/// What keeps the bundle of `files` under the folder `top` from opening
/// everywhere. `zip` names the zip in messages; `records` gives each
/// record's content file by `<folder>/<id>`, to report a path at the
/// record that makes it.
pub fn errors<F: Listed>(
    top: &str,
    files: &[F],
    zip: &str,
    records: &BTreeMap<String, String>,
    limits: &Limits,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(p) = name_problem(top) {
        out.push(
            Diagnostic::error(zip, format!("the bundle's top folder: {}", p.explain(top)))
                .expected("a folder name that Windows, macOS and Linux can all create")
                .hint("name the zip differently with `-o`: its folder is named after it"),
        );
    }
    let longest = files
        .iter()
        .map(|f| (unpacked_len(top, f.path()), f.path()))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)));
    if let Some((len, path)) = longest.filter(|(len, _)| *len > limits.path_budget) {
        let over = files
            .iter()
            .filter(|f| unpacked_len(top, f.path()) > limits.path_budget)
            .count();
        let record = record_file(path, records);
        let hint = match &record {
            Some(f) => format!("give `{f}` a shorter id (rename the file and the references to it), or shorten `bundle.name` in gazette.yaml or the name given with `-o`"),
            None => "shorten `bundle.name` in gazette.yaml or the name given with `-o`, or the static file's path".to_string(),
        };
        out.push(
            Diagnostic::error(
                record.unwrap_or_else(|| zip.to_string()),
                format!(
                    "path `{top}/{path}` is {len} characters once unpacked on Windows (Explorer puts the zip's folder in one of the same name: `{top}\\{top}\\…`), over the {} that leave room for the folder the zip is in; {over} path{} over in all",
                    limits.path_budget,
                    if over == 1 { " is" } else { "s are" }
                ),
            )
            .expected(format!(
                "paths of at most {} characters, leaving room for the folder the zip is unpacked in",
                limits.path_budget
            ))
            .hint(hint),
        );
    }
    for (a, b) in case_collisions(files.iter().map(|f| f.path())) {
        out.push(
            Diagnostic::error(
                zip,
                format!("`{top}/{a}` and `{top}/{b}` differ only in letter case: Windows and macOS take them for one, so only one of them would be unpacked"),
            )
            .expected("paths that differ in more than letter case")
            .hint("rename the static file among them"),
        );
    }
    out
}

/// What may keep the bundle from being copied to a FAT32 stick.
pub fn warnings<F: Listed>(top: &str, files: &[F], zip: &str, limits: &Limits) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let near = limits.fat_dir_entries * NEAR.0 / NEAR.1;
    for (dir, f) in portable::folders(files.iter().map(|f| f.path())) {
        if f.entries < near {
            continue;
        }
        let how = if f.entries > limits.fat_dir_entries {
            "it will not copy to a FAT32 stick"
        } else {
            "near the limit, so a few more records and it will not copy to a FAT32 stick"
        };
        let folder = if dir.is_empty() {
            format!("{top}/")
        } else {
            format!("{top}/{dir}/")
        };
        out.push(
            Diagnostic::warning(
                zip,
                format!(
                    "folder `{folder}` holds {} files and folders, whose names take {} of the {} directory entries a FAT32 folder has: {how}",
                    thousands(f.children as u64),
                    thousands(f.entries as u64),
                    thousands(limits.fat_dir_entries as u64)
                ),
            )
            .expected(format!(
                "fewer than {} directory entries per folder, for FAT32 sticks",
                thousands(near as u64)
            ))
            .hint("make one bundle per partnership with `--partnership <id>`, and leave out each record's JSON with `--no-record-json` (half the files); or copy it to a stick formatted as exFAT or NTFS, which hold far more (docs/bundle.md, \"Where bundles open\")"),
        );
    }
    for f in files {
        let size = f.size();
        if size > limits.fat_max_file {
            out.push(too_big_for_fat(
                zip,
                &format!("`{top}/{}`", f.path()),
                size,
                limits,
            ));
        }
    }
    out
}

/// A warning when the zip itself is too big for a FAT32 stick.
pub fn zip_size(zip: &str, bytes: u64, limits: &Limits) -> Option<Diagnostic> {
    (bytes > limits.fat_max_file).then(|| too_big_for_fat(zip, "the zip", bytes, limits))
}

fn too_big_for_fat(zip: &str, what: &str, bytes: u64, limits: &Limits) -> Diagnostic {
    Diagnostic::warning(
        zip,
        format!(
            "{what} is {} bytes, more than the {} a file on a FAT32 stick can hold",
            thousands(bytes),
            thousands(limits.fat_max_file)
        ),
    )
    .expected("files of at most 4 GiB, for FAT32 sticks")
    .hint("make one bundle per partnership with `--partnership <id>`, or copy it to a stick formatted as exFAT or NTFS")
}

/// The content file a bundle path was made from (`grants/x/index.html`
/// from `content/grants/2021/x.md`), if it is a record's.
fn record_file(path: &str, records: &BTreeMap<String, String>) -> Option<String> {
    let mut segs = path.splitn(3, '/');
    let (folder, id, rest) = (segs.next()?, segs.next()?, segs.next()?);
    // `grants/page/2/` is the index's second page, not a record `page`.
    let index_page = id == "page" && rest.split('/').next()?.parse::<u32>().is_ok();
    if index_page {
        return None;
    }
    records.get(&format!("{folder}/{id}")).cloned()
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::OutFile;

    fn files(paths: &[&str]) -> Vec<OutFile> {
        paths
            .iter()
            .map(|p| OutFile {
                path: p.to_string(),
                bytes: b"x".to_vec(),
            })
            .collect()
    }

    #[test]
    fn the_longest_path_is_named_at_its_record() {
        let long = "x".repeat(120);
        let paths = [
            "index.html".to_string(),
            format!("grants/{long}/index.html"),
            format!("grants/{long}/index.json"),
        ];
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let fs = files(&refs);
        let top = "a-bundle-with-a-long-name-2021-11-19";
        // 2 × 37 + 7 + 120 + 11 = 212.
        let records = BTreeMap::from([(
            format!("grants/{long}"),
            format!("content/grants/2021/{long}.md"),
        )]);
        let d = errors(top, &fs, "b.zip", &records, &Limits::default());
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].file, format!("content/grants/2021/{long}.md"));
        assert!(
            d[0].message.starts_with(&format!(
                "path `{top}/grants/{long}/index.html` is 212 characters once unpacked"
            )),
            "{}",
            d[0].message
        );
        assert!(
            d[0].message.ends_with("2 paths are over in all"),
            "{}",
            d[0].message
        );
        assert!(errors("short", &fs, "b.zip", &records, &Limits::default()).is_empty());
    }

    #[test]
    fn a_top_folder_windows_cannot_create_is_an_error() {
        let fs = files(&["index.html"]);
        let d = errors("con", &fs, "con.zip", &BTreeMap::new(), &Limits::default());
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("Windows device name CON"), "{d:?}");
        assert!(errors(
            "Хүүхэд хамгаалал",
            &fs,
            "x.zip",
            &BTreeMap::new(),
            &Limits::default()
        )
        .is_empty());
    }

    #[test]
    fn a_case_collision_among_all_paths_is_an_error() {
        let fs = files(&["MANIFEST.sha256", "manifest.sha256", "index.html"]);
        let d = errors("top", &fs, "b.zip", &BTreeMap::new(), &Limits::default());
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .contains("`top/MANIFEST.sha256` and `top/manifest.sha256`"),
            "{d:?}"
        );
    }

    #[test]
    fn fat32_warnings_give_the_numbers() {
        let names: Vec<String> = (0..30)
            .map(|i| format!("organizations/org-{i:02}/index.html"))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let fs = files(&refs);
        // 30 names of 6 letters: 2 entries each, plus `.` and `..`.
        let limits = Limits {
            fat_dir_entries: 70,
            fat_max_file: 0,
            ..Limits::default()
        };
        let d = warnings("top", &fs, "b.zip", &limits);
        let folder = d
            .iter()
            .find(|d| d.message.contains("organizations/`"))
            .unwrap();
        assert_eq!(
            folder.message,
            "folder `top/organizations/` holds 30 files and folders, whose names take 62 of the 70 directory entries a FAT32 folder has: near the limit, so a few more records and it will not copy to a FAT32 stick"
        );
        assert!(folder.hint.as_deref().unwrap().contains("--partnership"));
        assert!(folder.hint.as_deref().unwrap().contains("--no-record-json"));
        // Every file is over a limit of 0 bytes.
        assert_eq!(
            d.iter()
                .filter(|d| d.message.contains("FAT32 stick can hold"))
                .count(),
            30
        );
        assert!(warnings("top", &fs, "b.zip", &Limits::default()).is_empty());
        assert!(zip_size("b.zip", portable::FAT32_MAX_FILE + 1, &Limits::default()).is_some());
        assert!(zip_size("b.zip", portable::FAT32_MAX_FILE, &Limits::default()).is_none());
    }

    #[test]
    fn record_files_and_numbers() {
        let records = BTreeMap::from([
            (
                "grants/x".to_string(),
                "content/grants/2021/x.md".to_string(),
            ),
            (
                "grants/page".to_string(),
                "content/grants/page.md".to_string(),
            ),
        ]);
        let f = |p| record_file(p, &records);
        assert_eq!(
            f("grants/x/index.json").as_deref(),
            Some("content/grants/2021/x.md")
        );
        assert_eq!(
            f("grants/page/index.html").as_deref(),
            Some("content/grants/page.md")
        );
        assert_eq!(f("grants/page/2/index.html"), None);
        assert_eq!(f("data/graph.json"), None);
        assert_eq!(f("grants/index.html"), None);
        assert_eq!(thousands(65_536), "65,536");
        assert_eq!(thousands(4_294_967_295), "4,294,967,295");
        assert_eq!(thousands(12), "12");
    }
}
