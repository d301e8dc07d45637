//! What a changed path is to the site: content, a template, a static file,
//! the UI strings, the configuration, or nothing (an editor's temporary
//! file, the output folder, another theme).

use crate::load::is_editor_temp;
use std::path::{Component, Path};

/// The kinds of change, each rebuilt differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `gazette.yaml`: everything is reloaded.
    Config,
    /// A file or folder under `content/`.
    Content,
    /// A template of the site or of its theme, by template name.
    Template(String),
    /// A static file of the site (`static/`) or of its theme.
    Static,
    /// The theme's `strings.yaml`: every page and the search index.
    Strings,
    /// Not part of the site.
    Ignored,
}

/// Classify `path` (absolute, or relative to the same folder as `root`) for
/// a site at `root` using theme `theme`.
pub fn classify(root: &Path, theme: &str, path: &Path) -> Change {
    let Ok(rel) = path.strip_prefix(root) else {
        return Change::Ignored;
    };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.iter().any(|p| is_editor_temp(p)) {
        return Change::Ignored;
    }
    let strs: Vec<&str> = parts.iter().map(String::as_str).collect();
    match strs.as_slice() {
        [crate::config::FILE] => Change::Config,
        ["content", ..] => Change::Content,
        ["templates", rest @ ..] if !rest.is_empty() => Change::Template(rest.join("/")),
        ["static", ..] => Change::Static,
        // The site's own UI strings, `strings/<language>.yaml`.
        ["strings", ..] => Change::Strings,
        ["themes", t, inner @ ..] if *t == theme => match inner {
            ["templates", rest @ ..] if !rest.is_empty() => Change::Template(rest.join("/")),
            ["static", ..] => Change::Static,
            ["strings.yaml"] | ["strings", ..] => Change::Strings,
            // The theme folder itself, created or removed.
            [] => Change::Strings,
            _ => Change::Ignored,
        },
        // A site folder created or removed as a whole.
        ["templates"] | ["themes"] => Change::Strings,
        _ => Change::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(p: &str) -> Change {
        classify(Path::new("/site"), "plain", &Path::new("/site").join(p))
    }

    #[test]
    fn paths_are_classified_by_folder() {
        assert_eq!(c("gazette.yaml"), Change::Config);
        assert_eq!(c("content/dialogues/x.md"), Change::Content);
        assert_eq!(c("content/people"), Change::Content);
        assert_eq!(
            c("templates/dialogue.html"),
            Change::Template("dialogue.html".into())
        );
        assert_eq!(
            c("templates/partials/card.html"),
            Change::Template("partials/card.html".into())
        );
        assert_eq!(c("static/logo.svg"), Change::Static);
        assert_eq!(
            c("themes/plain/templates/base.html"),
            Change::Template("base.html".into())
        );
        assert_eq!(c("themes/plain/static/style.css"), Change::Static);
        assert_eq!(c("themes/plain/strings.yaml"), Change::Strings);
        assert_eq!(c("themes/plain/strings/mn.yaml"), Change::Strings);
        assert_eq!(c("strings/mn.yaml"), Change::Strings);
        assert_eq!(c("themes/other/templates/base.html"), Change::Ignored);
        assert_eq!(c("output/index.html"), Change::Ignored);
        assert_eq!(c("README.md"), Change::Ignored);
        assert_eq!(
            classify(Path::new("/site"), "plain", Path::new("/elsewhere/x.md")),
            Change::Ignored
        );
    }

    #[test]
    fn editor_temporary_files_are_ignored_anywhere() {
        for p in [
            "content/dialogues/.x.md.swp",
            "content/dialogues/x.md~",
            "content/dialogues/.#x.md",
            "content/dialogues/4913",
            "content/.git/index",
            "templates/#base.html#",
            "gazette.yaml.swx",
            ".gazette.yaml.swp",
        ] {
            assert_eq!(c(p), Change::Ignored, "{p}");
        }
    }
}
