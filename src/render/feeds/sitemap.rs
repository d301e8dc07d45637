//! `sitemap.xml` (split into parts past the protocol's limits) and
//! `robots.txt`, which points at it.

use crate::config::Config;
use crate::graph::Graph;
use crate::render::xml::Doc;
use crate::render::OutFile;
use crate::urls::{Target, Urls};

/// The most URLs one sitemap file may list, and the most bytes it may
/// hold, by the sitemaps.org protocol (50,000 and 50 MiB; a part is closed
/// a mebibyte early, as the next URL may not fit).
pub const SITEMAP_MAX_URLS: usize = 50_000;
const SITEMAP_MAX_BYTES: usize = 49 << 20;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Whether `path` is one part of a sitemap too large for one file
/// (`sitemap-1.xml`, `sitemap-2.xml`, …).
pub fn is_sitemap_part(path: &str) -> bool {
    path.strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The sitemap: every HTML page, with `lastmod` where the content dates it.
/// Up to [`SITEMAP_MAX_URLS`] URLs it is `sitemap.xml`; past that the pages
/// go into `sitemap-1.xml`, `sitemap-2.xml`, … and `sitemap.xml` is the
/// index that lists them (where `robots.txt` points either way).
pub fn sitemaps(graph: &Graph, config: &Config, urls: &Urls) -> Vec<OutFile> {
    sitemaps_within(graph, config, urls, SITEMAP_MAX_URLS)
}

fn sitemaps_within(graph: &Graph, config: &Config, urls: &Urls, max_urls: usize) -> Vec<OutFile> {
    let many = config.languages.len() > 1;
    let mut attrs = vec![("xmlns", SITEMAP_NS)];
    if many {
        attrs.push(("xmlns:xhtml", "http://www.w3.org/1999/xhtml"));
    }
    let start = || {
        let mut x = Doc::new("UTF-8");
        x.open("urlset", &attrs);
        x
    };
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut x = start();
    let mut listed = 0;
    for page in crate::render::pages(graph, config) {
        if matches!(page, Target::NotFound | Target::Search) {
            continue;
        }
        let lastmod = match page {
            Target::Entity(k, id) => graph
                .get(k, id)
                .and_then(|i| crate::render::data::newest_date(&graph.entities[i]))
                .filter(|d| d.precision() == "day"),
            _ => None,
        };
        // Each language's page, listing every language's version of it
        // (and the default's as `x-default`).
        for lang in &config.languages {
            if listed == max_urls || x.written() > SITEMAP_MAX_BYTES {
                let mut full = std::mem::replace(&mut x, start());
                full.close("urlset");
                parts.push(full.finish());
                listed = 0;
            }
            listed += 1;
            let loc = urls.absolute_in(&lang.dir, &config.base_url, page);
            x.open("url", &[]);
            x.text("loc", &loc);
            if let Some(d) = lastmod {
                x.text("lastmod", &d.iso());
            }
            if many {
                for other in &config.languages {
                    let href = urls.absolute_in(&other.dir, &config.base_url, page);
                    x.empty(
                        "xhtml:link",
                        &[
                            ("rel", "alternate"),
                            ("hreflang", &other.tag),
                            ("href", &href),
                        ],
                    );
                    if other.is_default() {
                        x.empty(
                            "xhtml:link",
                            &[
                                ("rel", "alternate"),
                                ("hreflang", "x-default"),
                                ("href", &href),
                            ],
                        );
                    }
                }
            }
            x.close("url");
        }
    }
    x.close("urlset");
    if parts.is_empty() {
        return vec![OutFile {
            path: "sitemap.xml".into(),
            bytes: x.finish(),
        }];
    }
    parts.push(x.finish());
    let mut files: Vec<OutFile> = parts
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| OutFile {
            path: format!("sitemap-{}.xml", i + 1),
            bytes,
        })
        .collect();
    let mut index = Doc::new("UTF-8");
    index.open("sitemapindex", &[("xmlns", SITEMAP_NS)]);
    for f in &files {
        index.open("sitemap", &[]);
        index.text(
            "loc",
            &urls.absolute(&config.base_url, Target::Asset(&f.path)),
        );
        index.close("sitemap");
    }
    index.close("sitemapindex");
    files.insert(
        0,
        OutFile {
            path: "sitemap.xml".into(),
            bytes: index.finish(),
        },
    );
    files
}

/// `robots.txt`: everything may be crawled; points at the sitemap.
pub fn robots(config: &Config, urls: &Urls) -> OutFile {
    let sitemap = urls.absolute(&config.base_url, Target::Asset("sitemap.xml"));
    OutFile {
        path: "robots.txt".into(),
        bytes: format!("User-agent: *\nAllow: /\nSitemap: {sitemap}\n").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_over_the_limit_becomes_an_index_of_parts() {
        let (g, diags) = crate::testing::graph_of(crate::testing::BASE);
        assert!(diags.is_empty(), "{diags:?}");
        let config = Config {
            base_url: "https://example.org/".into(),
            ..Config::default()
        };
        let urls = Urls::site("/");
        let whole = sitemaps(&g, &config, &urls);
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].path, "sitemap.xml");
        let locs = |f: &OutFile| -> Vec<String> {
            let text = String::from_utf8(f.bytes.clone()).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap();
            doc.descendants()
                .filter(|n| n.has_tag_name("loc"))
                .map(|n| n.text().unwrap_or_default().to_string())
                .collect()
        };
        let every = locs(&whole[0]);
        assert!(every.len() > 4, "{every:?}");
        let split = sitemaps_within(&g, &config, &urls, 2);
        let index = &split[0];
        assert_eq!(index.path, "sitemap.xml");
        assert!(String::from_utf8_lossy(&index.bytes).contains("<sitemapindex"));
        let parts: Vec<&OutFile> = split[1..].iter().collect();
        assert_eq!(parts.len(), every.len().div_ceil(2));
        let listed: Vec<String> = parts
            .iter()
            .map(|p| format!("https://example.org/{}", p.path))
            .collect();
        assert_eq!(locs(index), listed);
        assert!(parts
            .iter()
            .all(|p| is_sitemap_part(&p.path) && locs(p).len() <= 2));
        let again: Vec<String> = parts.iter().flat_map(|p| locs(p)).collect();
        assert_eq!(again, every, "the parts list every page once, in order");
        assert!(!is_sitemap_part("sitemap.xml") && !is_sitemap_part("sitemap-.xml"));
    }
}
