//! Discovery files: an Atom feed of the newest dialogues, reports and pledge
//! progress, `sitemap.xml` and `robots.txt`. Every date comes from the
//! content, never from the clock, so the same content gives the same bytes.
//! The XML is written by [`super::xml`], so no text can break it.

use super::xml::Doc;
use super::OutFile;
use crate::config::Config;
use crate::graph::Graph;
use crate::markdown;
use crate::model::{Data, Entity, PartialDate};
use crate::urls::{Target, Urls};

/// RFC 3339 time for a partial date: its first day at midnight UTC. Atom
/// requires a full timestamp; the page itself shows the date as precise as
/// it is known.
fn rfc3339(d: &PartialDate) -> String {
    let (y, m, day) = d.start();
    format!("{y:04}-{m:02}-{day:02}T00:00:00Z")
}

/// A feed entry: a dialogue, a report or one progress entry of a pledge.
/// Its title, link and summary are made only for the entries kept.
struct Entry<'g> {
    date: PartialDate,
    id: String,
    entity: &'g Entity,
    /// Which progress entry, for a pledge.
    progress: Option<usize>,
    statuses: &'g crate::model::Statuses,
}

impl Entry<'_> {
    fn title(&self) -> String {
        match (&self.entity.data, self.progress) {
            (Data::Pledge(p), Some(i)) => {
                let status = p
                    .progress
                    .get(i)
                    .map_or("", |pe| self.statuses.key(pe.status));
                format!("{}: {status}", p.title)
            }
            _ => self.entity.title().to_string(),
        }
    }

    fn summary(&self) -> String {
        match (&self.entity.data, self.progress) {
            (Data::Pledge(p), Some(i)) => p
                .progress
                .get(i)
                .and_then(|pe| pe.note.clone())
                .unwrap_or_default(),
            _ => markdown::summary(&self.entity.meta.body, 400),
        }
    }
}

/// Every entry, newest first (ties by id), at most `config.feed_limit`
/// (0: no limit).
fn entries<'g>(graph: &'g Graph, config: &Config) -> Vec<Entry<'g>> {
    // Dates first: ids are made only for the entries that may be kept.
    let mut dated: Vec<(PartialDate, &Entity, Option<usize>)> = Vec::new();
    for e in &graph.entities {
        match &e.data {
            Data::Dialogue(d) => dated.push((d.date, e, None)),
            Data::Report(r) => dated.push((r.published, e, None)),
            Data::Pledge(p) => dated.extend(
                p.progress
                    .iter()
                    .enumerate()
                    .map(|(i, pe)| (pe.at, e, Some(i))),
            ),
            _ => {}
        }
    }
    dated.sort_unstable_by_key(|d| std::cmp::Reverse(d.0));
    let limit = config.feed_limit;
    if limit > 0 && dated.len() > limit {
        // Keep every entry as new as the last one kept: ties go by id.
        let last = dated[limit - 1].0;
        dated.retain(|d| d.0 >= last);
    }
    let mut out: Vec<Entry> = dated
        .into_iter()
        .map(|(date, e, progress)| Entry {
            date,
            id: match progress {
                Some(i) => format!("urn:gazette:pledge:{}:progress:{i}", e.meta.id),
                None => format!("urn:gazette:{}:{}", e.meta.kind.name(), e.meta.id),
            },
            entity: e,
            progress,
            statuses: graph.statuses(),
        })
        .collect();
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    if limit > 0 {
        out.truncate(limit);
    }
    out
}

/// `atom.xml`: newest first.
pub fn atom(graph: &Graph, config: &Config, urls: &Urls) -> OutFile {
    let entries = entries(graph, config);
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max()
        .or_else(|| graph.entities.iter().filter_map(|e| e.date()).max())
        .map(|d| rfc3339(&d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let home = urls.absolute(&config.base_url, Target::Home);
    let html = [("rel", "alternate"), ("type", "text/html")];
    let mut x = Doc::new("utf-8");
    x.open("feed", &[("xmlns", "http://www.w3.org/2005/Atom")]);
    x.text("title", &config.title);
    if let Some(d) = &config.description {
        x.text("subtitle", d);
    }
    x.text("id", &format!("urn:gazette:site:{home}"));
    x.empty("link", &[html[0], html[1], ("href", &home)]);
    let this = urls.absolute(&config.base_url, Target::Asset("atom.xml"));
    x.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &this),
        ],
    );
    x.text("updated", &updated);
    x.open("author", &[]);
    x.text("name", &config.title);
    x.close("author");
    for e in &entries {
        x.open("entry", &[]);
        let url = urls.absolute(
            &config.base_url,
            Target::Entity(e.entity.meta.kind, &e.entity.meta.id),
        );
        x.text("title", &e.title());
        x.text("id", &e.id);
        x.empty("link", &[html[0], html[1], ("href", &url)]);
        x.text("updated", &rfc3339(&e.date));
        let summary = e.summary();
        if !summary.is_empty() {
            x.text("summary", &summary);
        }
        x.close("entry");
    }
    x.close("feed");
    OutFile {
        path: "atom.xml".into(),
        bytes: x.finish(),
    }
}

/// `sitemap.xml`: every HTML page, with `lastmod` where the content dates it.
pub fn sitemap(graph: &Graph, config: &Config, urls: &Urls) -> OutFile {
    let mut x = Doc::new("UTF-8");
    x.open(
        "urlset",
        &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
    );
    for page in super::pages(graph, config) {
        if matches!(page, Target::NotFound | Target::Search) {
            continue;
        }
        let loc = urls.absolute(&config.base_url, page);
        let lastmod = match page {
            Target::Entity(k, id) => graph
                .get(k, id)
                .and_then(|i| super::data::newest_date(&graph.entities[i]))
                .filter(|d| d.precision() == "day"),
            _ => None,
        };
        x.open("url", &[]);
        x.text("loc", &loc);
        if let Some(d) = lastmod {
            x.text("lastmod", &d.iso());
        }
        x.close("url");
    }
    x.close("urlset");
    OutFile {
        path: "sitemap.xml".into(),
        bytes: x.finish(),
    }
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
    fn partial_dates_become_their_first_instant() {
        assert_eq!(
            rfc3339(&PartialDate::parse("2020-04").unwrap()),
            "2020-04-01T00:00:00Z"
        );
    }

    #[test]
    fn the_feed_keeps_the_newest_entries_up_to_the_limit() {
        let texts: Vec<(String, String)> = (1..=9)
            .map(|d| {
                (
                    format!("dialogues/d{d}.md"),
                    format!("---\ntitle: Meeting {d}\ndate: 2021-0{d}-01\npartnership: p\nformat: virtual\n---\nBody {d}.\n"),
                )
            })
            .collect();
        let mut files = crate::testing::BASE.to_vec();
        files.extend(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        // The same day as d9: ties go by id, and `d10` comes first.
        files.push((
            "dialogues/d10.md",
            "---\ntitle: Meeting 10\ndate: 2021-09-01\npartnership: p\nformat: virtual\n---\n",
        ));
        let (g, diags) = crate::testing::graph_of(&files);
        assert!(diags.is_empty(), "{diags:?}");
        let urls = Urls::site("/");
        let titles = |limit| {
            let config = Config {
                feed_limit: limit,
                ..Config::default()
            };
            let xml = String::from_utf8(atom(&g, &config, &urls).bytes).unwrap();
            let titles: Vec<String> = xml
                .split("<entry>")
                .skip(1)
                .map(|e| {
                    e.split("<title>")
                        .nth(1)
                        .unwrap()
                        .split('<')
                        .next()
                        .unwrap()
                        .to_string()
                })
                .collect();
            (titles, xml)
        };
        let (three, xml) = titles(3);
        assert_eq!(three, ["Meeting 10", "Meeting 9", "Meeting 8"]);
        assert_eq!(titles(1).0, ["Meeting 10"]);
        assert!(xml.contains("<summary>Body 9.</summary>"));
        assert!(xml.contains("<updated>2021-09-01T00:00:00Z</updated>\n  <author>"));
        assert_eq!(titles(0).0.len(), 10);
    }
}
