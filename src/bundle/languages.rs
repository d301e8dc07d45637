//! `--lang mn`: a bundle of some of the site's languages. The whole site is
//! rendered (the shared files, the open data and the static files, are
//! made from every language, as on the site), then the pages, search files
//! and 404 page of the languages left out are dropped ([`keep`]). Pages link
//! only to the languages kept (`Config::bundle_languages`), so nothing
//! dangles. Without the default language, the root `index.html` is a small
//! page that leads to the languages kept ([`entrance`]).

use super::archive::Listed;
use crate::config::{Config, Language};
use crate::diagnostics::{closest, Diagnostic};
use crate::render::{theme::Theme, xml::escape, OutFile};
use std::collections::HashSet;

/// The site's languages named by `asked` (tags, each possibly a
/// comma-separated list, any letter case), in the site's order; every
/// language when `asked` is empty. Each unknown tag is an error naming the
/// site's languages, with a suggestion.
pub fn select(config: &Config, asked: &[String]) -> Result<Vec<Language>, Vec<Diagnostic>> {
    let tags: Vec<&str> = asked
        .iter()
        .flat_map(|a| a.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if tags.is_empty() {
        return Ok(config.languages.clone());
    }
    let site: Vec<&str> = config.languages.iter().map(|l| l.tag.as_str()).collect();
    let mut errors = Vec::new();
    let mut wanted = HashSet::new();
    for tag in tags {
        match config
            .languages
            .iter()
            .position(|l| l.tag.eq_ignore_ascii_case(tag))
        {
            Some(i) => {
                wanted.insert(i);
            }
            None => errors.push(
                Diagnostic::error(
                    crate::config::FILE,
                    format!("`--lang {tag}`: `{tag}` is not one of the site's languages"),
                )
                .expected(format!("one of: {}", site.join(", ")))
                .hint_opt(
                    closest(tag, site.iter().copied())
                        .map(|c| format!("did you mean `{c}`?"))
                        .or_else(|| {
                            Some(
                                "the site's languages are listed under `languages:` in gazette.yaml"
                                    .into(),
                            )
                        }),
                ),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(config
        .languages
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted.contains(i))
        .map(|(_, l)| l.clone())
        .collect())
}

/// `files` (the whole site rendered) without the files of the languages of
/// `all` that are not in `chosen`. Another language's files are those in
/// its folder; the default language's are the files at the root that
/// another language also writes in its own folder (its pages, 404 page and
/// search files): what is only at the root (the open data, the records'
/// JSON, static files) is shared and stays.
pub fn keep<F: Listed>(files: Vec<F>, all: &[Language], chosen: &[Language]) -> Vec<F> {
    let kept = |l: &Language| chosen.iter().any(|c| c.tag == l.tag);
    let dropped: Vec<&str> = all
        .iter()
        .filter(|l| !l.is_default() && !kept(l))
        .map(|l| l.dir.as_str())
        .collect();
    let dirs: Vec<&str> = all
        .iter()
        .filter(|l| !l.is_default())
        .map(|l| l.dir.as_str())
        .collect();
    let default_dropped = all.iter().any(|l| l.is_default() && !kept(l));
    let default_files: HashSet<String> = if default_dropped {
        files
            .iter()
            .filter_map(|f| {
                dirs.iter()
                    .find_map(|d| f.path().strip_prefix(d))
                    .map(str::to_string)
            })
            .collect()
    } else {
        HashSet::new()
    };
    files
        .into_iter()
        .filter(|f| {
            let in_dir = |d: &&str| f.path().starts_with(*d);
            if dropped.iter().any(in_dir) {
                return false;
            }
            !(default_dropped && !dirs.iter().any(in_dir) && default_files.contains(f.path()))
        })
        .collect()
}

/// The root `index.html` of a bundle without the default language: the
/// site's title and a link to the home page of each language kept, in its
/// own language; with one language kept, it also opens that home page at
/// once (a `<meta>` refresh, which works over `file://` with no script).
pub fn entrance(config: &Config, theme: &Theme, chosen: &[Language]) -> OutFile {
    let first = chosen.first().map_or(config.language.as_str(), |l| &l.tag);
    let title = escape(config.title_in(first).unwrap_or(&config.title));
    // The site's name in the default language when `first` has none: say so.
    let title_lang = config
        .title_lang(first)
        .map(|l| format!(" lang=\"{}\"", escape(l)))
        .unwrap_or_default();
    let dir = crate::locale::Locale::new(first).direction().as_str();
    let mut links = String::new();
    for l in chosen {
        let home = crate::render::say::text(theme.strings(&l.tag), "home");
        let href = format!("{}index.html", l.dir);
        links.push_str(&format!(
            "    <li><a href=\"{}\" hreflang=\"{tag}\" lang=\"{tag}\">{} ({tag})</a></li>\n",
            escape(&href),
            escape(&home),
            tag = escape(&l.tag),
        ));
    }
    let refresh = match chosen {
        [only] => format!(
            "  <meta http-equiv=\"refresh\" content=\"0; url={}index.html\">\n",
            escape(&only.dir)
        ),
        _ => String::new(),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n  <meta charset=\"utf-8\">\n  <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n{refresh}  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n  <title>{title}</title>\n  <link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n<main>\n  <h1{title_lang}>{title}</h1>\n  <ul>\n{links}  </ul>\n</main>\n</body>\n</html>\n",
        lang = escape(first),
    );
    OutFile {
        path: "index.html".into(),
        bytes: html.into_bytes(),
    }
}

/// The default theme's Content-Security-Policy (`templates/base.html`).
const CSP: &str = "default-src 'self' file:; script-src 'self' file:; style-src 'self' file:; img-src 'self' file:; object-src 'none'; base-uri 'none'; form-action 'self' file:";

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<Language> {
        vec![
            Language::default_language("en"),
            Language {
                tag: "mn".into(),
                dir: "mn/".into(),
            },
            Language {
                tag: "fr".into(),
                dir: "fr/".into(),
            },
        ]
    }

    fn file(path: &str) -> OutFile {
        OutFile {
            path: path.into(),
            bytes: Vec::new(),
        }
    }

    fn paths(files: &[OutFile]) -> Vec<&str> {
        files.iter().map(|f| f.path.as_str()).collect()
    }

    const SITE: &[&str] = &[
        "404.html",
        "data/graph.json",
        "data/index.html",
        "fr/404.html",
        "fr/data/index.html",
        "fr/grants/g/index.html",
        "fr/index.html",
        "fr/search-index.js",
        "grants/g/index.html",
        "grants/g/index.json",
        "index.html",
        "mn/404.html",
        "mn/data/index.html",
        "mn/grants/g/index.html",
        "mn/index.html",
        "mn/search-index.js",
        "search-index.js",
        "style.css",
    ];

    #[test]
    fn selects_the_languages_named_in_the_sites_order() {
        let config = Config {
            languages: langs(),
            ..Config::default()
        };
        let tags = |asked: &[&str]| -> Vec<String> {
            let asked: Vec<String> = asked.iter().map(|s| s.to_string()).collect();
            select(&config, &asked)
                .unwrap()
                .into_iter()
                .map(|l| l.tag)
                .collect()
        };
        assert_eq!(tags(&[]), ["en", "mn", "fr"]);
        assert_eq!(tags(&["fr", "MN"]), ["mn", "fr"]);
        assert_eq!(tags(&["fr,en", "fr"]), ["en", "fr"]);
        let Err(errors) = select(&config, &["mm".into(), "de,fr".into()]) else {
            panic!("unknown languages accepted");
        };
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(
            errors[0].message,
            "`--lang mm`: `mm` is not one of the site's languages"
        );
        assert_eq!(errors[0].expected.as_deref(), Some("one of: en, mn, fr"));
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `mn`?"));
        assert!(errors[1].message.starts_with("`--lang de`"));
    }

    #[test]
    fn drops_the_files_of_the_languages_left_out_and_keeps_shared_ones() {
        let site: Vec<OutFile> = SITE.iter().map(|p| file(p)).collect();
        let all = langs();
        let kept = keep(site.clone(), &all, &all[1..2]);
        assert_eq!(
            paths(&kept),
            [
                "data/graph.json",
                "grants/g/index.json",
                "mn/404.html",
                "mn/data/index.html",
                "mn/grants/g/index.html",
                "mn/index.html",
                "mn/search-index.js",
                "style.css",
            ]
        );
        let kept = keep(site.clone(), &all, &[all[0].clone(), all[2].clone()]);
        assert!(!paths(&kept).iter().any(|p| p.starts_with("mn/")));
        assert!(paths(&kept).contains(&"index.html"));
        assert!(paths(&kept).contains(&"fr/index.html"));
        assert_eq!(keep(site.clone(), &all, &all).len(), SITE.len());
    }
}
