//! What a file name and a path must be to be written on every file system
//! an official may unpack a site or a bundle to: Windows (NTFS), macOS
//! (APFS, case-insensitive by default), Linux, and FAT32 or exFAT sticks.
//!
//! Pure rules on names and paths. `load` turns them into errors for ids,
//! `render::statics` for static files, `validate` into a warning for an id
//! too long for a bundle, and `bundle::limits` into checks over every path
//! of a zip. The numbers and why they were chosen are in docs/bundle.md
//! ("Where bundles open").

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{Entity, Kind};
use crate::urls::Target;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Names Windows keeps for devices, as Microsoft's file naming rules list
/// them: no file or folder can have one, whatever its extension and in any
/// letter case (`con.md`, `Aux.html`, `nul.tar.gz`).
pub const DEVICES: [&str; 30] = [
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6",
    "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// [`DEVICES`] in short, for messages.
pub const DEVICES_IN_SHORT: &str =
    "CON, PRN, AUX, NUL, COM0 to COM9 and LPT0 to LPT9 (also COM¹, COM², COM³, LPT¹, LPT², LPT³)";

/// Characters Windows refuses in a file name (besides the control
/// characters and the separators `/` and `\`).
pub const FORBIDDEN: [char; 7] = ['<', '>', ':', '"', '|', '?', '*'];

/// The most UTF-16 code units in one file or folder name on NTFS, APFS,
/// FAT32 (long names) and exFAT.
pub const MAX_NAME: usize = 255;

/// The longest path a bundle may make below the folder its zip is unpacked
/// in, in UTF-16 code units (see [`unpacked_len`]). Windows Explorer stops
/// at 259 (`MAX_PATH`, 260 with the terminating NUL); 200 leaves 59 for
/// the folder the zip is in, which holds `C:\Users\<a 20-letter name>\Downloads\`
/// (40) with room to spare.
pub const PATH_BUDGET: usize = 200;

/// Directory entries one FAT32 folder can hold.
pub const FAT32_DIR_ENTRIES: usize = 65_536;

/// The largest file FAT32 can hold: 4 GiB less one byte.
pub const FAT32_MAX_FILE: u64 = 4 * 1024 * 1024 * 1024 - 1;

/// Why a name cannot be written everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    /// A Windows device name (given in capitals), e.g. `CON`.
    Device(String),
    /// A character Windows refuses.
    Char(char),
    /// A trailing dot or space, which Windows drops from the name.
    Trailing(char),
    /// Longer than [`MAX_NAME`] UTF-16 code units (the length given).
    TooLong(usize),
}

impl NameProblem {
    /// Why `name` is a problem, for a message.
    pub fn explain(&self, name: &str) -> String {
        match self {
            NameProblem::Device(d) => format!(
                "`{name}` is the Windows device name {d}: Windows cannot create a file or folder of that name, whatever its extension or letter case"
            ),
            NameProblem::Char(c) if c.is_control() => format!(
                "`{}` contains a control character (U+{:04X}), which Windows does not allow in file names",
                name.escape_debug(),
                u32::from(*c)
            ),
            NameProblem::Char(c) => format!(
                "`{name}` contains `{c}`, which Windows does not allow in file names"
            ),
            NameProblem::Trailing(c) => format!(
                "`{name}` ends with a {}, which Windows drops: the file would be unpacked under another name",
                if *c == '.' { "dot" } else { "space" }
            ),
            NameProblem::TooLong(n) => format!(
                "`{name}` is {n} characters long; file systems allow {MAX_NAME} in one name"
            ),
        }
    }
}

/// The device name `name` stands for on Windows, if any: the part before
/// the first dot, without trailing spaces, compared without letter case.
pub fn device(name: &str) -> Option<&'static str> {
    let base = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = base.to_ascii_uppercase();
    DEVICES.iter().copied().find(|d| *d == upper)
}

/// The first reason `name` (one path segment) cannot be written on every
/// file system, if there is one.
pub fn name_problem(name: &str) -> Option<NameProblem> {
    if let Some(d) = device(name) {
        return Some(NameProblem::Device(d.to_string()));
    }
    if let Some(c) = name
        .chars()
        .find(|c| FORBIDDEN.contains(c) || u32::from(*c) < 0x20 || *c == '\\')
    {
        return Some(NameProblem::Char(c));
    }
    if let Some(c) = name.chars().last().filter(|c| *c == '.' || *c == ' ') {
        return Some(NameProblem::Trailing(c));
    }
    let len = utf16_len(name);
    (len > MAX_NAME).then_some(NameProblem::TooLong(len))
}

/// Length as Windows counts it: UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A key under which names that a case-insensitive file system takes for
/// the same are equal. NTFS compares names after upper-casing each UTF-16
/// unit by its table, APFS and HFS+ after Unicode case folding; upper-casing
/// and then lower-casing each character covers both (`ſ` and `s`, `ß` and
/// `ss`), erring towards calling two names the same. Names that differ only
/// in Unicode normalization (NFC `é` and NFD `é`) are not caught.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Pairs of paths a case-insensitive file system would take for one: two
/// files whose paths differ only in letter case (one would overwrite the
/// other), or a file and a folder (one could not be created). Folders that
/// differ only in case merge, which loses nothing, and are not reported
/// unless files inside them collide. Folders are given with a trailing `/`.
pub fn case_collisions<'a>(files: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut folders: HashMap<String, &str> = HashMap::new();
    let mut files_folded: Vec<(String, &str)> = Vec::new();
    let mut out = BTreeSet::new();
    for f in files {
        let key = fold(f);
        match seen.get(&key) {
            Some(first) if *first != f => {
                out.insert(ordered(first.to_string(), f.to_string()));
            }
            Some(_) => {}
            None => {
                seen.insert(key.clone(), f);
                files_folded.push((key, f));
            }
        }
        for (i, _) in f.match_indices('/') {
            folders.entry(fold(&f[..i])).or_insert(&f[..i]);
        }
    }
    for (key, f) in files_folded {
        if let Some(dir) = folders.get(&key) {
            out.insert((f.to_string(), format!("{dir}/")));
        }
    }
    out.into_iter().collect()
}

fn ordered(a: String, b: String) -> (String, String) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The length of `path` (inside a bundle whose top folder is `top`) once
/// unpacked with Windows Explorer's "Extract All", which proposes a folder
/// named after the zip and so puts the top folder in a folder of its own
/// name: `<top>\<top>\<path>`.
pub fn unpacked_len(top: &str, path: &str) -> usize {
    2 * (utf16_len(top) + 1) + utf16_len(path)
}

/// The directory entries one name takes in a FAT32 folder, counted as if
/// it needed a long name (which every lower-case or long name does): one
/// short entry plus one per 13 UTF-16 units.
pub fn fat_entries(name: &str) -> usize {
    1 + utf16_len(name).div_ceil(13)
}

/// One folder of a tree of files: how many files and folders it holds and
/// how many FAT32 directory entries they take (with `.` and `..`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Folder {
    pub children: usize,
    pub entries: usize,
}

/// Every folder of the tree the relative file `paths` make, by path (the
/// root is `""`), with what it holds.
pub fn folders<'a>(paths: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, Folder> {
    let mut children: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for p in paths {
        let mut child = p;
        loop {
            let (parent, name) = child.rsplit_once('/').unwrap_or(("", child));
            let fresh = children.entry(parent).or_default().insert(name);
            if parent.is_empty() || (!fresh && child != p) {
                break;
            }
            child = parent;
        }
    }
    children
        .into_iter()
        .map(|(dir, names)| {
            let entries = 2 + names.iter().map(|n| fat_entries(n)).sum::<usize>();
            let folder = Folder {
                children: names.len(),
                entries,
            };
            (dir, folder)
        })
        .collect()
}

/// The base of a bundle's default name: `bundle.name`, else the title as
/// a slug.
pub fn bundle_base(config: &Config) -> String {
    config
        .bundle_name
        .clone()
        .unwrap_or_else(|| crate::model::slugify(&config.title))
}

/// A bundle's default name, also its top folder: `<base>-<date>` or
/// `<base>-<partnership>-<date>`.
pub fn bundle_name(base: &str, partnership: Option<&str>, date: &str) -> String {
    match partnership {
        Some(p) => format!("{base}-{p}-{date}"),
        None => format!("{base}-{date}"),
    }
}

/// A warning when a record's id makes a path longer than [`PATH_BUDGET`]
/// in an offline bundle of the default name: the whole site's, and for a
/// partnership also its own (`--partnership`), whose top folder holds its
/// id too. Each record's longest path is its page (`index.json` beside it
/// is as long), or a partnership's briefing. `base` is the site's
/// [`bundle_base`], made once for all the records (it slugifies the
/// title, which was 40% of the checks of every record).
pub fn long_id(base: &str, e: &Entity) -> Option<Diagnostic> {
    let (kind, id) = (e.meta.kind, e.meta.id.as_str());
    let file = match kind {
        Kind::Partnership => Target::Briefing(id).output_file()?,
        _ => Target::Entity(kind, id).output_file()?,
    };
    let mut tops = vec![bundle_name(base, None, "YYYY-MM-DD")];
    if kind == Kind::Partnership {
        tops.push(bundle_name(base, Some(id), "YYYY-MM-DD"));
    }
    let (top, len) = tops
        .into_iter()
        .map(|t| {
            let n = unpacked_len(&t, &file);
            (t, n)
        })
        .max_by_key(|(_, n)| *n)?;
    if len <= PATH_BUDGET {
        return None;
    }
    let over = len - PATH_BUDGET;
    let fits = utf16_len(id).saturating_sub(over);
    Some(
        Diagnostic::warning(
            e.meta.file.clone(),
            format!(
                "id `{id}` makes a path of {len} characters once an offline bundle is unpacked on Windows, over the {PATH_BUDGET} that leave room for the folder the zip is in: `{top}/{file}`, which Explorer unpacks as `{top}\\{top}\\…`"
            ),
        )
        .expected(format!(
            "paths of at most {PATH_BUDGET} characters: an id of at most {fits} characters here"
        ))
        .hint(
            "rename the file to a shorter id (and the references to it), or give a shorter `bundle.name` in gazette.yaml; `gazette bundle` refuses a zip with a longer path",
        ),
    )
}

/// The device name an id stands for on Windows, with a new id to suggest
/// (`None` if the id is fine). The suggestion is the slug of `name` (the
/// record's name or title) when that is a good id, else `<id>-<type>` such
/// as `con-org`, and never an id `taken` says is used.
pub fn reserved_id(
    kind: Kind,
    id: &str,
    name: Option<&str>,
    taken: impl Fn(&str) -> bool,
) -> Option<(&'static str, Option<String>)> {
    let dev = device(id)?;
    let suffix = match kind {
        Kind::Organization => "org",
        other => other.name(),
    };
    let candidates = name
        .map(crate::model::slugify)
        .into_iter()
        .chain([format!("{id}-{suffix}"), format!("{id}-{suffix}-2")]);
    let suggestion = candidates
        .filter(|c| crate::model::is_valid_id(c) && device(c).is_none() && !taken(c))
        .find(|c| c != id);
    Some((dev, suggestion))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_whatever_the_case_and_extension() {
        for n in [
            "con",
            "CON",
            "Con.md",
            "aux",
            "nul.tar.gz",
            "prn",
            "com1",
            "COM9",
            "lpt1.txt",
            "LPT9",
            "com¹",
            "LPT³.css",
            "con .txt",
            "com0",
        ] {
            assert!(device(n).is_some(), "{n}");
            assert!(
                matches!(name_problem(n), Some(NameProblem::Device(_))),
                "{n}"
            );
        }
        for n in [
            "con-org", "console", "com10", "lpt", "aux1", "icon", "xcon", "com", "nul-", "lpt⁴",
        ] {
            assert_eq!(device(n), None, "{n}");
        }
        assert_eq!(device("Com².js"), Some("COM²"));
    }

    #[test]
    fn names_windows_refuses_or_changes() {
        for (n, c) in [
            ("a<b", '<'),
            ("a>b", '>'),
            ("a:b", ':'),
            ("say\"hi\"", '"'),
            ("a|b", '|'),
            ("what?.css", '?'),
            ("*.css", '*'),
            ("tab\there", '\t'),
            ("nul\0", '\0'),
        ] {
            assert_eq!(name_problem(n), Some(NameProblem::Char(c)), "{n}");
        }
        assert_eq!(name_problem("notes."), Some(NameProblem::Trailing('.')));
        assert_eq!(name_problem("notes "), Some(NameProblem::Trailing(' ')));
        let long = "ж".repeat(256);
        assert_eq!(name_problem(&long), Some(NameProblem::TooLong(256)));
        for ok in [
            "style.css",
            ".well-known",
            "Хүүхэд хамгаалал.pdf",
            "a b.png",
            &"x".repeat(255),
        ] {
            assert_eq!(name_problem(ok), None, "{ok}");
        }
        let e = NameProblem::Char('\u{1}').explain("a\u{1}b");
        assert!(e.contains("control character (U+0001)"), "{e}");
    }

    #[test]
    fn lengths_are_utf16_code_units() {
        assert_eq!(utf16_len("Хүүхэд"), 6);
        // Outside the Basic Multilingual Plane: two units each.
        assert_eq!(utf16_len("𝔸"), 2);
        assert_eq!(unpacked_len("top", "a/index.html"), 4 + 4 + 12);
    }

    #[test]
    fn case_collisions_name_both_paths() {
        let got = case_collisions([
            "style.css",
            "Style.css",
            "img/a.png",
            "IMG/b.png",
            "data",
            "Data/x.csv",
            "ſearch.js",
            "search.js",
            "ok.css",
        ]);
        assert_eq!(
            got,
            [
                ("Style.css".to_string(), "style.css".to_string()),
                ("data".to_string(), "Data/".to_string()),
                ("search.js".to_string(), "ſearch.js".to_string()),
            ]
        );
        assert!(case_collisions(["a/x", "a/y", "b"]).is_empty());
    }

    #[test]
    fn folders_count_fat32_entries() {
        let f = folders([
            "index.html",
            "organizations/a/index.html",
            "organizations/a/index.json",
            "organizations/bcdefghijklmn/index.html",
        ]);
        assert_eq!(f.len(), 4);
        // `index.html` and `organizations`: 1 + 1 and 1 + 1, plus `.` and `..`.
        assert_eq!(
            f[""],
            Folder {
                children: 2,
                entries: 6
            }
        );
        // `a` (2) and a 13-letter name (2), plus 2.
        assert_eq!(f["organizations"].entries, 6);
        assert_eq!(f["organizations/a"].children, 2);
        assert_eq!(fat_entries(&"x".repeat(14)), 3);
    }

    #[test]
    fn a_reserved_id_gets_a_free_name_to_suggest() {
        let none = |_: &str| false;
        let (dev, s) =
            reserved_id(Kind::Organization, "con", Some("Consortium of NGOs"), none).unwrap();
        assert_eq!(dev, "CON");
        assert_eq!(s.as_deref(), Some("consortium-of-ngos"));
        let (_, s) = reserved_id(Kind::Organization, "con", None, none).unwrap();
        assert_eq!(s.as_deref(), Some("con-org"));
        // A name that slugs to nothing, or to a taken id, is passed over.
        let (_, s) = reserved_id(Kind::Person, "aux", Some("Ёлка"), |c| c == "aux-person").unwrap();
        assert_eq!(s.as_deref(), Some("aux-person-2"));
        let (_, s) = reserved_id(Kind::Dialogue, "nul", Some("NUL"), none).unwrap();
        assert_eq!(s.as_deref(), Some("nul-dialogue"));
        assert!(reserved_id(Kind::Grant, "con-grant", None, none).is_none());
    }
}
