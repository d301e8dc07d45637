//! Discovery files: an Atom feed of dialogues, reports and pledge progress,
//! `sitemap.xml` and `robots.txt`. Every date comes from the content, never
//! from the clock, so the same content gives the same bytes.

use super::OutFile;
use crate::config::Config;
use crate::graph::Graph;
use crate::markdown;
use crate::model::vocab::Vocab;
use crate::model::{Data, PartialDate};
use crate::urls::{Target, Urls};

/// Escape text for XML element content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 3339 time for a partial date: its first day at midnight UTC. Atom
/// requires a full timestamp; the page itself shows the date as precise as
/// it is known.
fn rfc3339(d: &PartialDate) -> String {
    let (y, m, day) = d.start();
    format!("{y:04}-{m:02}-{day:02}T00:00:00Z")
}

struct Entry {
    date: PartialDate,
    id: String,
    title: String,
    url: String,
    summary: String,
}

fn entries(graph: &Graph, config: &Config, urls: &Urls) -> Vec<Entry> {
    let abs = |t: Target| urls.absolute(&config.base_url, t);
    let mut out = Vec::new();
    for e in &graph.entities {
        let target = Target::Entity(e.meta.kind, &e.meta.id);
        match &e.data {
            Data::Dialogue(d) => out.push(Entry {
                date: d.date,
                id: format!("urn:gazette:dialogue:{}", e.meta.id),
                title: d.title.clone(),
                url: abs(target),
                summary: markdown::summary(&e.meta.body, 400),
            }),
            Data::Report(r) => out.push(Entry {
                date: r.published,
                id: format!("urn:gazette:report:{}", e.meta.id),
                title: r.title.clone(),
                url: abs(target),
                summary: markdown::summary(&e.meta.body, 400),
            }),
            Data::Pledge(p) => {
                for (i, pe) in p.progress.iter().enumerate() {
                    out.push(Entry {
                        date: pe.date,
                        id: format!("urn:gazette:pledge:{}:progress:{i}", e.meta.id),
                        title: format!("{}: {}", p.title, pe.status.key()),
                        url: abs(target),
                        summary: pe.note.clone().unwrap_or_default(),
                    });
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    out
}

/// `atom.xml`: newest first.
pub fn atom(graph: &Graph, config: &Config, urls: &Urls) -> OutFile {
    let entries = entries(graph, config, urls);
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max()
        .or_else(|| graph.entities.iter().filter_map(|e| e.date()).max())
        .map(|d| rfc3339(&d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let home = urls.absolute(&config.base_url, Target::Home);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(&config.title)));
    if let Some(d) = &config.description {
        x.push_str(&format!("  <subtitle>{}</subtitle>\n", xml_escape(d)));
    }
    x.push_str(&format!(
        "  <id>urn:gazette:site:{}</id>\n",
        xml_escape(&home)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&home)
    ));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&urls.absolute(&config.base_url, Target::Asset("atom.xml")))
    ));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&config.title)
    ));
    for e in &entries {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", xml_escape(&e.title)));
        x.push_str(&format!("    <id>{}</id>\n", xml_escape(&e.id)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&e.url)
        ));
        x.push_str(&format!("    <updated>{}</updated>\n", rfc3339(&e.date)));
        if !e.summary.is_empty() {
            x.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml_escape(&e.summary)
            ));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    OutFile {
        path: "atom.xml".into(),
        bytes: x.into_bytes(),
    }
}

/// `sitemap.xml`: every HTML page, with `lastmod` where the content dates it.
pub fn sitemap(graph: &Graph, config: &Config, urls: &Urls) -> OutFile {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in super::pages(graph) {
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
        x.push_str("  <url><loc>");
        x.push_str(&xml_escape(&loc));
        x.push_str("</loc>");
        if let Some(d) = lastmod {
            x.push_str(&format!("<lastmod>{}</lastmod>", d.iso()));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    OutFile {
        path: "sitemap.xml".into(),
        bytes: x.into_bytes(),
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
    fn escapes_xml() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn partial_dates_become_their_first_instant() {
        assert_eq!(
            rfc3339(&PartialDate::parse("2020-04").unwrap()),
            "2020-04-01T00:00:00Z"
        );
    }
}
