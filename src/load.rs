//! Stage 1: find the content files and split each into front matter and body.
//!
//! Walks `content/` (never following symlinks), maps the first folder to an
//! entity type, takes the id from the file stem and cuts the file at its `---`
//! fences. Problems here (unknown folder, bad file name, missing front matter)
//! are diagnostics; the other files are still loaded.

use crate::diagnostics::{did_you_mean, display_path, Diagnostic, Pos};
use crate::model::Text;
use crate::model::{is_valid_id, slugify, Kind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// One content file, read and split.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Site-relative display path, e.g. `content/grants/cpc-grant.md`.
    pub file: String,
    pub kind: Kind,
    pub id: String,
    /// For a translation file (`x.mn.md`), its language as written in the
    /// file name; the id is then the record's (`x`).
    pub lang: Option<String>,
    /// The whole file, held once: [`SourceFile::front`], the body and, in
    /// [`Sources`], the text diagnostics quote all share it.
    pub text: Arc<str>,
    front_at: std::ops::Range<usize>,
    /// The file line the front matter starts on.
    pub front_line: usize,
    body_at: std::ops::Range<usize>,
    pub body_line: usize,
}

impl SourceFile {
    /// A file of `text`, split into front matter and body; or, when it
    /// has none, the text back and why.
    pub fn new(
        path: PathBuf,
        file: String,
        kind: Kind,
        id: String,
        lang: Option<String>,
        text: String,
    ) -> Result<SourceFile, (String, Partial)> {
        let split = match split_front_matter(&text) {
            Ok(s) => s,
            Err(d) => return Err((text, d)),
        };
        let at = |part: &str| {
            let from = part.as_ptr() as usize - text.as_ptr() as usize;
            from..from + part.len()
        };
        let (front_at, body_at) = (at(split.front), at(split.body));
        let (front_line, body_line) = (split.front_line, split.body_line);
        Ok(SourceFile {
            path,
            file,
            kind,
            id,
            lang,
            text: Arc::from(text),
            front_at,
            front_line,
            body_at,
            body_line,
        })
    }

    /// The front matter's text.
    pub fn front(&self) -> &str {
        &self.text[self.front_at.clone()]
    }

    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_at.clone()]
    }

    /// [`SourceFile::body`] as a part of the file's text, not a copy.
    pub fn body_text(&self) -> Text {
        Text::part(&self.text, self.body_at.clone())
    }
}

/// Every file's text by display path, for diagnostic snippets.
#[derive(Debug, Default, Clone)]
pub struct Sources(pub BTreeMap<String, Arc<str>>);

impl Sources {
    /// Keep only the files that `diags` name: what printing them needs,
    /// once nothing else will be reported about the rest.
    pub fn keep_named(&mut self, diags: &[crate::diagnostics::Diagnostic]) {
        let named: std::collections::HashSet<&str> =
            diags.iter().map(|d| d.file.as_str()).collect();
        self.0.retain(|file, _| named.contains(file.as_str()));
    }
}

impl crate::diagnostics::SourceLookup for Sources {
    fn source(&self, file: &str) -> Option<&str> {
        self.0.get(file).map(|t| &**t)
    }
}

/// Names an editor's temporary files take; never content.
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// What loading found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    /// The text of the files that could not be loaded, which their errors
    /// quote; the others' text is in `files`.
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// Type and id of files that exist but could not be loaded (no front
    /// matter, not UTF-8...): references to them are not "unknown".
    pub failed: Vec<(Kind, String)>,
}

/// The type and id a content path would have, if both are valid.
pub(crate) fn kind_and_id(content: &Path, path: &Path) -> Option<(Kind, String)> {
    let rel = path.strip_prefix(content).ok()?;
    let folder = rel.components().next()?.as_os_str().to_str()?;
    let kind = Kind::from_folder(folder)?;
    let stem = path.file_stem()?.to_str()?;
    (rel.components().count() > 1 && is_valid_id(stem)).then(|| (kind, stem.to_string()))
}

/// Load every `.md` file under `root/content`.
pub fn load(root: &Path) -> Loaded {
    let content = root.join("content");
    let mut files = Vec::new();
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let mut failed = Vec::new();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                display_path(root, &content),
                "no `content/` folder in this site",
            )
            .hint("run `gazette init <dir>` for a new site, or pass `--root` to point at one"),
        );
        return Loaded {
            files,
            sources,
            diagnostics: diags,
            failed,
        };
    }
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_temp(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let p = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                diags.push(Diagnostic::error(p, format!("cannot read: {err}")));
                continue;
            }
        };
        let path = entry.path();
        let file = display_path(root, path);
        if entry.file_type().is_symlink() {
            diags.push(
                Diagnostic::warning(file, "symbolic link skipped")
                    .hint("content is never read through links; copy the file instead"),
            );
            continue;
        }
        if !entry.file_type().is_file() || path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        match read_one(&content, path, file.clone()) {
            Ok(sf) => files.push(sf),
            Err((text, d)) => {
                failed.extend(kind_and_id(&content, path));
                if let Some(t) = text {
                    sources.0.insert(file, t.into());
                }
                diags.push(d);
            }
        }
    }
    Loaded {
        files,
        sources,
        diagnostics: diags,
        failed,
    }
}

pub(crate) type LoadError = (Option<String>, Diagnostic);

pub(crate) fn read_one(content: &Path, path: &Path, file: String) -> Result<SourceFile, LoadError> {
    let rel = path.strip_prefix(content).unwrap_or(path);
    let folders: Vec<String> = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let folder_names: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
    let kind = match folders.first() {
        None => {
            return Err((
                None,
                Diagnostic::error(file, "file is not in a type folder")
                    .expected(format!("a file inside one of: {}", folder_names.join(", ")))
                    .hint("move it into the folder of its type, e.g. `content/dialogues/`"),
            ))
        }
        Some(f) => Kind::from_folder(f).ok_or_else(|| {
            (
                None,
                Diagnostic::error(file.clone(), format!("unknown content folder `{f}`"))
                    .expected(format!("one of: {}", folder_names.join(", ")))
                    .hint_opt(did_you_mean(f, folder_names.iter().copied())),
            )
        })?,
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| {
        (
            None,
            Diagnostic::error(file.clone(), format!("cannot read: {e}")),
        )
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.into_bytes()[..at]).into_owned();
            let line = valid.matches('\n').count() + 1;
            return Err((
                None,
                Diagnostic::error(file, "file is not valid UTF-8")
                    .at(Some(Pos::new(line, 1)))
                    .expected("text saved as UTF-8")
                    .hint("re-save the file as UTF-8 in your editor"),
            ));
        }
    };
    // `x.mn.md` is the translation of `x.md` into `mn`.
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((id, lang)) if is_valid_id(id) && is_language_tag(lang) => {
            (id.to_string(), Some(lang.to_string()))
        }
        _ => (stem, None),
    };
    if !is_valid_id(&stem) {
        let slug = portable_slug(kind, slugify(&stem), &content.join(kind.folder()));
        return Err((
            Some(text),
            Diagnostic::error(file, format!("file name `{stem}` is not a valid id"))
                .expected("lowercase letters, digits and single hyphens, e.g. `world-vision.md`")
                .hint_opt((!slug.is_empty()).then(|| format!("rename it to `{slug}.md`"))),
        ));
    }
    if let Some(d) = portable_id(kind, &stem, &content.join(kind.folder()), &file, &text) {
        return Err((Some(text), d));
    }
    SourceFile::new(path.to_path_buf(), file.clone(), kind, stem, lang, text).map_err(|(text, d)| {
        let mut d = d.with_file(&file);
        if d.message == "missing front matter" {
            let first = if matches!(kind, Kind::Organization | Kind::Person) { "name" } else { "title" };
            d.hint = Some(format!("start the file with a line `---`, then `{first}: ...` and the other fields, then a line `---`"));
        }
        (Some(text), d)
    })
}

/// Whether `s` looks like a BCP 47 language tag in a file name (`mn`,
/// `en-gb`, `zh-hant`): letters, then subtags of letters and digits.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// An error for an id that Windows keeps for a device (`con`, `aux`,
/// `com1`...): its page would be written in a folder of that name, which
/// Windows cannot create, so the site and its bundles would not unpack
/// there. The hint suggests a new id (see [`crate::portable::reserved_id`])
/// that no file in the type's `folder` has.
fn portable_id(kind: Kind, id: &str, folder: &Path, file: &str, text: &str) -> Option<Diagnostic> {
    crate::portable::device(id)?;
    let name = front_name(text, kind);
    let (device, suggestion) =
        crate::portable::reserved_id(kind, id, name.as_deref(), |c| taken(folder, c))?;
    let hint = match suggestion {
        Some(s) => format!("rename it to `{s}.md`, and change the references to `{id}` to `{s}`"),
        None => format!("rename it, and change the references to `{id}`"),
    };
    Some(
        Diagnostic::error(
            file,
            format!(
                "file name `{id}` is the Windows device name {device}: Windows cannot create the folder `{}/{id}/` for its page",
                kind.folder()
            ),
        )
        .expected(format!(
            "an id that is not a Windows device name: {}, in any letter case",
            crate::portable::DEVICES_IN_SHORT
        ))
        .hint(hint),
    )
}

/// Whether a file `<id>.md` is anywhere in the type's `folder`.
fn taken(folder: &Path, id: &str) -> bool {
    let wanted = format!("{id}.md");
    WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_str() == Some(wanted.as_str()))
}

/// `slug`, the id suggested for an invalid file name, unless it is a
/// Windows device name (`AUX.md` slugs to `aux`): then a free one.
fn portable_slug(kind: Kind, slug: String, folder: &Path) -> String {
    match crate::portable::reserved_id(kind, &slug, None, |c| taken(folder, c)) {
        Some((_, Some(free))) => free,
        _ => slug,
    }
}

/// The `name` (organizations, people) or `title` written in a file's front
/// matter, if it can be read; only for a suggestion in a message.
fn front_name(text: &str, kind: Kind) -> Option<String> {
    let key = if matches!(kind, Kind::Organization | Kind::Person) {
        "name"
    } else {
        "title"
    };
    let split = split_front_matter(text).ok()?;
    let node = crate::yaml::parse(split.front, split.front_line).ok()?;
    let crate::yaml::Value::Map(entries) = node.value else {
        return None;
    };
    entries
        .into_iter()
        .find(|e| e.key == key)
        .and_then(|e| match e.value.value {
            crate::yaml::Value::Str(s) => Some(s),
            _ => None,
        })
}

/// A file cut at its front-matter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    pub front_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// A diagnostic without a file yet.
pub struct Partial(Diagnostic);

impl Partial {
    pub(crate) fn with_file(self, file: &str) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            ..self.0
        }
    }
}

/// Split `---\n<yaml>\n---\n<body>`. A UTF-8 byte-order mark and CRLF line
/// ends are accepted.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, Partial> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - t.len();
    let first_end = t.find('\n').map_or(t.len(), |i| i + 1);
    if t[..first_end].trim_end() != "---" {
        return Err(Partial(
            Diagnostic::error("", "missing front matter")
                .at(Some(Pos::new(1, 1)))
                .expected("the file to start with a line `---`, then the fields, then a line `---`")
                .hint("add front matter such as:\n---\ntitle: ...\n---"),
        ));
    }
    let mut pos = first_end;
    let mut line = 2;
    while pos < t.len() {
        let end = t[pos..].find('\n').map_or(t.len(), |i| pos + i + 1);
        let l = &t[pos..end];
        if l.trim_end() == "---" || l.trim_end() == "..." {
            return Ok(Split {
                front: &text[offset + first_end..offset + pos],
                front_line: 2,
                body: &text[offset + end..],
                body_line: line + 1,
            });
        }
        pos = end;
        line += 1;
    }
    Err(Partial(
        Diagnostic::error("", "front matter is not closed")
            .at(Some(Pos::new(1, 1)))
            .expected("a line `---` after the last field")
            .hint("add a line with just `---` between the fields and the text"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_files_a_diagnostic_names_are_kept() {
        let mut sources = Sources::default();
        for f in ["content/a.md", "content/b.md", "gazette.yaml"] {
            sources.0.insert(f.into(), format!("text of {f}").into());
        }
        let warned = crate::diagnostics::Diagnostic::error("content/b.md", "x");
        sources.keep_named(&[warned]);
        let kept: Vec<&String> = sources.0.keys().collect();
        assert_eq!(kept, ["content/b.md"]);
        assert_eq!(&*sources.0["content/b.md"], "text of content/b.md");
    }

    #[test]
    fn splits_and_counts_lines() {
        let s = split_front_matter("---\ntitle: A\n---\nBody\n")
            .ok()
            .unwrap();
        assert_eq!(s.front, "title: A\n");
        assert_eq!((s.front_line, s.body_line), (2, 4));
        assert_eq!(s.body, "Body\n");
        let s = split_front_matter("\u{feff}---\r\na: 1\r\n---\r\nx")
            .ok()
            .unwrap();
        assert_eq!(s.front, "a: 1\r\n");
        assert_eq!(s.body, "x");
    }

    #[test]
    fn reports_missing_or_unclosed() {
        let e = split_front_matter("# Title\n")
            .err()
            .unwrap()
            .with_file("f.md");
        assert_eq!(e.message, "missing front matter");
        let e = split_front_matter("---\na: 1\n")
            .err()
            .unwrap()
            .with_file("f.md");
        assert_eq!(e.message, "front matter is not closed");
    }

    #[test]
    fn editor_temp_files_are_recognised() {
        for n in [".x.md.swp", "x.md~", ".#x.md", "4913", "#x.md#"] {
            assert!(is_editor_temp(n), "{n}");
        }
        assert!(!is_editor_temp("world-vision.md"));
    }
}
