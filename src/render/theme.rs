//! Themes are data: Tera templates, static files and UI strings. The default
//! theme is embedded in the binary; a theme folder on disk
//! (`themes/<name>/`) replaces embedded files of the same name, and a site's
//! own `templates/` and `static/` override the theme by name.

use super::template_cycles;
use crate::diagnostics::{display_path, Diagnostic, Pos};
use crate::model::status::{Localized, Statuses};
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use embedded::SAMPLE_SITE;

/// A loaded theme: compiled templates, static files, UI strings.
pub struct Theme {
    /// The templates, with `ui` in the default language.
    pub tera: tera::Tera,
    /// The templates once per language, each with `ui` in it (`ui.rs`).
    pub by_language: BTreeMap<String, tera::Tera>,
    /// Output path -> bytes, for files copied as they are (CSS, fonts...).
    pub statics: BTreeMap<String, Vec<u8>>,
    /// UI strings of each of the site's languages, falling back to English.
    pub strings: BTreeMap<String, serde_json::Value>,
    /// Template name -> the file it came from, for error messages.
    pub origins: BTreeMap<String, String>,
    /// Static file's output path -> the file it came from.
    pub static_origins: BTreeMap<String, String>,
}

/// Where each template came from, for error messages.
struct Source {
    name: String,
    origin: String,
    text: String,
}

/// Load theme `theme` for a site at `root` in `languages` (the default first).
pub fn load(root: &Path, theme: &str, languages: &[String]) -> Result<Theme, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut templates: BTreeMap<String, Source> = BTreeMap::new();
    let mut statics: BTreeMap<String, (Vec<u8>, String)> = BTreeMap::new();
    let mut strings_text: Vec<super::strings::File> = Vec::new();
    // Every theme starts from the built-in default, so a theme on disk only
    // needs the files it changes.
    {
        for (path, bytes) in embedded::DEFAULT_THEME {
            add(
                path,
                bytes.to_vec(),
                format!("themes/default/{path} (built in)"),
                &mut templates,
                &mut statics,
                &mut strings_text,
            );
        }
    }
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        read_dir_into(
            root,
            &theme_dir,
            &mut |rel, bytes, origin| {
                add(
                    rel,
                    bytes,
                    origin,
                    &mut templates,
                    &mut statics,
                    &mut strings_text,
                )
            },
            &mut diags,
        );
    } else if theme != "default" {
        diags.push(
            Diagnostic::error("gazette.yaml", format!("theme `{theme}` not found"))
                .field("theme")
                .expected(format!("a folder {}", display_path(root, &theme_dir)))
                .hint("remove `theme:` to use the built-in default theme"),
        );
    }
    for sub in ["templates", "static", "strings"] {
        let dir = root.join(sub);
        if dir.is_dir() {
            read_dir_into(
                root,
                &dir,
                &mut |rel, bytes, origin| {
                    let rel = format!("{sub}/{rel}");
                    add(
                        &rel,
                        bytes,
                        origin,
                        &mut templates,
                        &mut statics,
                        &mut strings_text,
                    )
                },
                &mut diags,
            );
        }
    }
    let (strings, string_diags) = super::strings::resolve(&strings_text, languages);
    diags.extend(string_diags);
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    super::filters::register(&mut tera, languages);
    compile(&mut tera, &templates, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let origins = templates.into_iter().map(|(k, v)| (k, v.origin)).collect();
    let mut static_origins = BTreeMap::new();
    let statics = statics
        .into_iter()
        .map(|(path, (bytes, origin))| {
            static_origins.insert(path.clone(), origin);
            (path, bytes)
        })
        .collect();
    if let Some(first) = languages.first().and_then(|l| strings.get(l)) {
        super::ui::register(&mut tera, first);
    }
    let by_language = super::ui::by_language(&tera, &strings);
    Ok(Theme {
        tera,
        by_language,
        statics,
        strings,
        origins,
        static_origins,
    })
}

/// Parse every template into `tera` (reporting each one that fails), then
/// refuse include, extends and import cycles before Tera links the
/// templates: rendering one would overflow the stack.
fn compile(
    tera: &mut tera::Tera,
    templates: &BTreeMap<String, Source>,
    diags: &mut Vec<Diagnostic>,
) {
    let origin = |name: &str| templates.get(name).map(|s| s.origin.clone());
    let mut parsed = true;
    for s in templates.values() {
        match tera::Template::new(&s.name, None, &s.text) {
            Ok(t) => {
                tera.templates.insert(s.name.clone(), t);
            }
            Err(e) => {
                parsed = false;
                let e = tera::Error::chain(format!("Failed to parse '{}'", s.name), e);
                diags.push(template_error(&e, origin));
            }
        }
    }
    if !parsed {
        return;
    }
    let cycles = template_cycles::find(&tera.templates);
    for cycle in &cycles {
        let (first, _) = &cycle.0[0];
        let next = &cycle.0.get(1).unwrap_or(&cycle.0[0]).0;
        let Some(source) = templates.get(first.as_str()) else {
            continue;
        };
        diags.push(
            Diagnostic::error(
                source.origin.clone(),
                format!("template cycle {}: {}", cycle.chain(), cycle.steps()),
            )
            .at(quoted_at(&source.text, next))
            .expected("templates that include, extend and import each other without coming back")
            .hint(format!(
                "remove the tag that names `{next}`; for markup that repeats inside itself, use a macro that calls itself"
            )),
        );
    }
    if cycles.is_empty() {
        if let Err(e) = tera
            .build_inheritance_chains()
            .and_then(|()| tera.check_macro_files())
        {
            diags.push(template_error(&e, origin));
        }
    }
}

/// Where a tag (`{% include %}`, `extends`, `import`) names `name` in
/// quotes, the first time.
fn quoted_at(text: &str, name: &str) -> Option<Pos> {
    let at = [format!("\"{name}\""), format!("'{name}'")]
        .iter()
        .flat_map(|q| text.match_indices(q.as_str()).map(|(i, _)| i))
        .filter(|&i| {
            let before = &text[..i];
            before.rfind("{%").is_some_and(|open| {
                let tag = &before[open..];
                !tag.contains("%}")
                    && ["include", "extends", "import"]
                        .iter()
                        .any(|k| tag.contains(k))
            })
        })
        .min()?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    Some(Pos::new(line, column))
}

fn add(
    rel: &str,
    bytes: Vec<u8>,
    origin: String,
    templates: &mut BTreeMap<String, Source>,
    statics: &mut BTreeMap<String, (Vec<u8>, String)>,
    strings: &mut Vec<super::strings::File>,
) {
    if let Some(name) = rel.strip_prefix("templates/") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        templates.insert(
            name.to_string(),
            Source {
                name: name.to_string(),
                origin,
                text,
            },
        );
    } else if let Some(p) = rel.strip_prefix("static/") {
        statics.insert(p.to_string(), (bytes, origin));
    } else if let Some(lang) = super::strings::language_of(rel) {
        strings.push(super::strings::File {
            lang: lang.to_string(),
            origin,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
    } else if rel == "strings.yaml" {
        // The one-file form, keyed by language (`en:`, `mn:`).
        strings.push(super::strings::File {
            lang: String::new(),
            origin,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
}

/// Read every regular file under `dir` (no symlinks), with paths relative to it.
fn read_dir_into(
    root: &Path,
    dir: &Path,
    f: &mut dyn FnMut(&str, Vec<u8>, String),
    diags: &mut Vec<Diagnostic>,
) {
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || crate::load::is_editor_temp(&name) {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        if !crate::urls::safe_relative(&rel) {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => f(&rel, bytes, display_path(root, entry.path())),
            Err(e) => diags.push(Diagnostic::error(
                display_path(root, entry.path()),
                format!("cannot read: {e}"),
            )),
        }
    }
}

impl Theme {
    /// Add a site's own pledge statuses (`statuses:` in `gazette.yaml`) to
    /// the strings, so templates find their labels and meanings where they
    /// find the built-in ones: `t.status[key]`, `t.status_means[key]`.
    pub fn with_site_statuses(mut self, statuses: &Statuses) -> Self {
        for (language, strings) in &mut self.strings {
            let pick = |text: &Option<Localized>| -> Option<String> {
                let text = text.as_ref()?;
                let primary = language.split('-').next().unwrap_or(language);
                text.get(language.as_str())
                    .or_else(|| text.get(primary))
                    .or_else(|| text.get(""))
                    .or_else(|| text.values().next())
                    .cloned()
            };
            for (_, def) in statuses.all() {
                for (table, text) in [("status", &def.label), ("status_means", &def.means)] {
                    if let (Some(t), Some(obj)) = (pick(text), strings.as_object_mut()) {
                        let entry = obj
                            .entry(table)
                            .or_insert_with(|| serde_json::Value::Object(Default::default()));
                        if let Some(m) = entry.as_object_mut() {
                            m.insert(def.key.clone(), serde_json::Value::String(t));
                        }
                    }
                }
            }
        }
        self.by_language = super::ui::by_language(&self.tera, &self.strings);
        self
    }

    /// The templates for pages in `language` (a site language).
    pub fn tera_in(&self, language: &str) -> &tera::Tera {
        self.by_language.get(language).unwrap_or(&self.tera)
    }

    /// The strings of `language` (a site language), or English's.
    pub fn strings(&self, language: &str) -> &serde_json::Value {
        self.strings
            .get(language)
            .or_else(|| self.strings.values().next())
            .unwrap_or(&serde_json::Value::Null)
    }
}

/// A Tera error as a diagnostic: the whole cause chain, in the template's file.
pub fn template_error(e: &tera::Error, origin: impl Fn(&str) -> Option<String>) -> Diagnostic {
    use std::error::Error as _;
    let mut chain = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    let message = chain.join(": ");
    // Tera names the template in quotes: "Failed to parse 'grant.html'".
    let file = chain
        .iter()
        .find_map(|m| m.split('\'').nth(1).and_then(&origin))
        .unwrap_or_else(|| "templates".into());
    Diagnostic::error(file, format!("template error: {message}"))
        .hint("fix the template named in the message")
}

/// HTML escaping for text and quoted attributes. Unlike Tera's default it
/// leaves `/` alone, so URLs stay readable (`/grants/x/`, not `&#x2F;grants...`).
///
/// Called for every value a template prints, so it scans bytes (the five
/// specials are ASCII, so a match is always on a char boundary), copies each
/// unchanged run with one `push_str`, and copies the input at once when
/// nothing needs escaping.
fn escape_html(s: &str) -> String {
    let bytes = s.as_bytes();
    let Some(first) = bytes.iter().position(|&b| entity(b).is_some()) else {
        return s.to_owned();
    };
    let mut out = String::with_capacity(s.len() + s.len() / 8 + 8);
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        if let Some(rep) = entity(b) {
            out.push_str(&s[run..i]);
            out.push_str(rep);
            run = i + 1;
        }
    }
    out.push_str(&s[run..]);
    out
}

/// The entity that replaces byte `b` in [`escape_html`], if it needs one.
#[inline(always)]
fn entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_slashes_and_escapes_markup() {
        assert_eq!(escape_html("/grants/x/"), "/grants/x/");
        assert_eq!(
            escape_html(r#"<a href="x" onclick='y'>&"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;"
        );
    }

    /// The char-by-char escaper `escape_html` replaced; the fast one must
    /// agree with it on every input.
    fn escape_reference(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn escaping_matches_the_reference_on_tricky_inputs() {
        let long_ascii = "plain ascii text without specials ".repeat(200);
        let long_mixed = "a<b>&\"c'd/é".repeat(300);
        let cases = [
            "",
            "&",
            "<>&\"'",
            "&&&&",
            "''\"\"<<>>",
            "&amp;",
            "é<é",
            "<é>",
            "日本語&中文'한국어\"",
            "🦀<🦀>🦀",
            "x🦀",
            "🦀",
            "ends with special<",
            "<starts with special",
            "tab\tnewline\nnul\0<",
            "\u{7f}\u{80}\u{ff}&\u{10ffff}",
            long_ascii.as_str(),
            long_mixed.as_str(),
        ];
        for case in cases {
            assert_eq!(escape_html(case), escape_reference(case), "{case:?}");
        }
        // Every one- and two-character string over specials and neighbours.
        let alphabet = ['&', '<', '>', '"', '\'', '/', 'a', 'é', '🦀', '\0'];
        for a in alphabet {
            for b in alphabet {
                let s: String = [a, b].iter().collect();
                assert_eq!(escape_html(&s), escape_reference(&s), "{s:?}");
            }
        }
    }

    /// Tera copies every macro argument and every value an `is` test
    /// tests: a record's whole view passed to a macro, or tested with
    /// `is defined`, was copied on every page (7 copies of the partnership
    /// page's charts per render).
    #[test]
    fn the_default_theme_never_copies_a_whole_record_view() {
        let mut checked = 0;
        for (path, bytes) in embedded::DEFAULT_THEME {
            if !path.ends_with(".html") {
                continue;
            }
            checked += 1;
            let text = String::from_utf8_lossy(bytes);
            for (n, line) in text.lines().enumerate() {
                let whole = ["=entity)", "=entity,", "=entity ", "thinned(c="];
                for w in whole {
                    assert!(!line.contains(w), "{path}:{}: `{w}` in {line:?}", n + 1);
                }
                assert!(
                    !line.contains("entity is "),
                    "{path}:{}: an `is` test on `entity` in {line:?}",
                    n + 1
                );
            }
        }
        assert!(checked > 10, "only {checked} templates checked");
    }

    #[test]
    fn anchors_in_strings_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let theme = dir.path().join("themes/mine");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::write(
            theme.join("strings.yaml"),
            "en:\n  home: &h Home\n  back: *h\n",
        )
        .unwrap();
        let Err(d) = load(dir.path(), "mine", &["en".to_string()]) else {
            panic!("a strings.yaml with an anchor loaded");
        };
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "YAML anchors and aliases are not supported");
        assert_eq!(d[0].file, "themes/mine/strings.yaml");
        assert_eq!((d[0].line, d[0].column), (Some(2), Some(9)));
        assert_eq!(d[0].field.as_deref(), Some("en.home"));
    }

    #[test]
    fn autoescape_is_on_for_templates() {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_template("t.html", "{{ x }}").unwrap();
        let mut c = tera::Context::new();
        c.insert("x", "<script>alert(1)</script>");
        assert_eq!(
            tera.render("t.html", &c).unwrap(),
            "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;".replace("&#x2F;", "/")
        );
    }
}
