//! Discovery files: an Atom feed of the newest dialogues, reports, grants,
//! tranches and pledge progress, `sitemap.xml` and `robots.txt`. Every date comes from the
//! content, never from the clock, so the same content gives the same bytes.
//! The XML is written by [`super::xml`], so no text can break it.

use super::say::Say;
use super::xml::Doc;
use super::OutFile;
use crate::config::Config;
use crate::graph::Graph;
use crate::markdown;
use crate::model::{Data, Entity, Kind, PartialDate};
use crate::urls::{Target, Urls};

/// The Atom timestamp of a record's date: the last day the date may mean
/// (the day from which it has certainly happened, as everywhere in Gazette),
/// at noon UTC, which falls on that calendar day in nearly every time zone.
/// A full date gives its own day. Atom needs a full timestamp, so a date
/// known only to the month or year gets one, and every entry says in its
/// text, and in a `precision` category, how precise the record is.
pub fn timestamp(d: &PartialDate) -> String {
    let (y, m, day) = d.end();
    format!("{y:04}-{m:02}-{day:02}T12:00:00Z")
}

/// The scheme of the categories that say how precise an entry's date is.
const PRECISION_SCHEME: &str = "urn:gazette:date-precision";

/// What a feed entry is about.
enum What {
    /// A record whose news is itself: a dialogue held, a report published,
    /// a grant awarded.
    Record,
    /// One progress entry of a pledge (index into `progress`).
    Progress(usize),
    /// One tranche of a grant (index into `tranches`).
    Tranche(usize),
}

/// A feed entry. Its date is when it became news: a dialogue's date, a
/// report's publication, a grant's award, when progress was reported, when
/// a tranche was announced (else given). Its id is permanent: made from the
/// record and what the entry says, never from its position in a list.
struct Entry<'g> {
    /// When it became news.
    date: PartialDate,
    id: String,
    entity: &'g Entity,
    what: What,
}

/// A permanent id for the `n`-th item with `key` in one record: `key`, then
/// `key:2`, `key:3`… Adding an item with another key changes no other id.
fn keyed(base: &str, key: &str, seen: &mut std::collections::HashMap<String, usize>) -> String {
    let n = seen.entry(key.to_string()).or_insert(0);
    *n += 1;
    if *n == 1 {
        format!("{base}:{key}")
    } else {
        format!("{base}:{key}:{n}")
    }
}

/// Every entry, newest first (ties by id), at most `config.feed_limit`
/// (0: no limit).
fn entries<'g>(graph: &'g Graph, config: &Config) -> Vec<Entry<'g>> {
    let mut out: Vec<Entry> = Vec::new();
    for e in &graph.entities {
        let base = format!("urn:gazette:{}:{}", e.meta.kind.name(), e.meta.id);
        let mut seen = std::collections::HashMap::new();
        let record = |date| Entry {
            date,
            id: base.clone(),
            entity: e,
            what: What::Record,
        };
        match &e.data {
            Data::Dialogue(d) => out.push(record(d.date)),
            Data::Report(r) => out.push(record(r.published)),
            Data::Grant(g) => {
                out.push(record(g.awarded));
                for (n, t) in g.tranches.iter().enumerate() {
                    let announced = t
                        .dialogue
                        .as_ref()
                        .and_then(|r| graph.resolve_ref(r))
                        .and_then(|i| graph.entities[i].date());
                    let key = format!(
                        "tranche:{}:{}{}",
                        t.date.iso(),
                        t.amount.decimal(),
                        t.amount.currency.code()
                    );
                    out.push(Entry {
                        date: announced.unwrap_or(t.date),
                        id: keyed(&base, &key, &mut seen),
                        entity: e,
                        what: What::Tranche(n),
                    });
                }
            }
            Data::Pledge(p) => {
                for (n, pe) in p.progress.iter().enumerate() {
                    let key = format!(
                        "progress:{}:{}",
                        pe.at.iso(),
                        graph.statuses().key(pe.status)
                    );
                    out.push(Entry {
                        date: graph.reported(pe).unwrap_or(pe.at),
                        id: keyed(&base, &key, &mut seen),
                        entity: e,
                        what: What::Progress(n),
                    });
                }
            }
            _ => {}
        }
    }
    // Newest news first: by the day it certainly happened, then ids.
    out.sort_by(|a, b| {
        (b.date.end(), b.date)
            .cmp(&(a.date.end(), a.date))
            .then_with(|| a.id.cmp(&b.id))
    });
    if config.feed_limit > 0 {
        out.truncate(config.feed_limit);
    }
    out
}

/// A date as the record has it, and how precise that is, for readers.
fn dated(strings: &Say, d: &PartialDate) -> String {
    strings.fill(
        &format!("feed_date.{}", d.precision()),
        &[("date", &strings.date(d))],
    )
}

impl Entry<'_> {
    fn title(&self, graph: &Graph, strings: &Say) -> String {
        let title = self.entity.title();
        match (&self.entity.data, &self.what) {
            (Data::Pledge(p), What::Progress(n)) => {
                let status = p.progress.get(*n).map_or(String::new(), |pe| {
                    strings.text(&format!("status.{}", graph.statuses().key(pe.status)))
                });
                strings.fill(
                    "feed_progress_title",
                    &[("title", title), ("status", &status)],
                )
            }
            (Data::Grant(g), What::Tranche(n)) => {
                let amount = g
                    .tranches
                    .get(*n)
                    .map_or(String::new(), |t| strings.money(&t.amount));
                strings.fill(
                    "feed_tranche_title",
                    &[("title", title), ("amount", &amount)],
                )
            }
            (Data::Grant(g), What::Record) => strings.fill(
                "feed_award_title",
                &[("title", title), ("amount", &strings.money(&g.amount))],
            ),
            _ => title.to_string(),
        }
    }

    /// The entry's text: what it says, and its dates as the record gives
    /// them, with how precise each is.
    fn summary(&self, graph: &Graph, strings: &Say) -> String {
        let named = |r: Option<&crate::model::Ref>| {
            r.and_then(|r| graph.resolve_ref(r))
                .map(|i| graph.entities[i].title().to_string())
        };
        let mut parts: Vec<String> = Vec::new();
        match (&self.entity.data, &self.what) {
            (Data::Pledge(p), What::Progress(n)) => {
                let Some(pe) = p.progress.get(*n) else {
                    return String::new();
                };
                parts.extend(pe.note.clone());
                parts.push(match &pe.date {
                    Some(d) => strings.fill("feed_took_effect", &[("date", &dated(strings, d))]),
                    None => strings.fill(
                        "feed_took_effect_unknown",
                        &[("date", &dated(strings, &pe.at))],
                    ),
                });
                let at = named(pe.dialogue.as_ref()).or_else(|| named(pe.report.as_ref()));
                parts.push(strings.fill(
                    if at.is_some() {
                        "feed_reported_at"
                    } else {
                        "feed_reported"
                    },
                    &[
                        ("date", &dated(strings, &self.date)),
                        ("where", at.as_deref().unwrap_or("")),
                    ],
                ));
            }
            (Data::Grant(g), What::Tranche(n)) => {
                let Some(t) = g.tranches.get(*n) else {
                    return String::new();
                };
                parts.extend(t.note.clone());
                parts.push(strings.fill("feed_given", &[("date", &dated(strings, &t.date))]));
                if let Some(at) = named(t.dialogue.as_ref()) {
                    parts.push(strings.fill(
                        "feed_announced_at",
                        &[("date", &dated(strings, &self.date)), ("where", &at)],
                    ));
                }
            }
            _ => {
                let summary = markdown::summary(&self.entity.meta.body, 400);
                if !summary.is_empty() {
                    parts.push(summary);
                }
                let key = match self.entity.meta.kind {
                    Kind::Dialogue => "feed_held",
                    Kind::Report => "feed_published",
                    _ => "feed_awarded",
                };
                parts.push(strings.fill(key, &[("date", &dated(strings, &self.date))]));
            }
        }
        parts.join(" ")
    }

    /// How precise the dates the entry rests on are: the least precise.
    fn precision(&self) -> &'static str {
        match (&self.entity.data, &self.what) {
            (Data::Pledge(p), What::Progress(n)) => p.progress.get(*n).map_or("day", |pe| {
                least_precise(pe.date.unwrap_or(pe.at), self.date)
            }),
            (Data::Grant(g), What::Tranche(n)) => g
                .tranches
                .get(*n)
                .map_or("day", |t| least_precise(t.date, self.date)),
            _ => self.date.precision(),
        }
    }
}

fn least_precise(a: PartialDate, b: PartialDate) -> &'static str {
    let rank = |p: &str| match p {
        "day" => 2,
        "month" => 1,
        _ => 0,
    };
    let (pa, pb) = (a.precision(), b.precision());
    if rank(pa) <= rank(pb) {
        pa
    } else {
        pb
    }
}

/// `atom.xml`: the newest news first. See [`timestamp`] for the dates.
pub fn atom(graph: &Graph, config: &Config, urls: &Urls, strings: &Say) -> OutFile {
    let entries = entries(graph, config);
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max_by_key(|d| d.end())
        .or_else(|| {
            graph
                .entities
                .iter()
                .filter_map(|e| e.date())
                .max_by_key(|d| d.end())
        })
        .map(|d| timestamp(&d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let home = urls.absolute(&config.base_url, Target::Home);
    let html = [("rel", "alternate"), ("type", "text/html")];
    let lang = strings.lang();
    let title = config.title_in(lang).unwrap_or(&config.title);
    let mut x = Doc::new("utf-8");
    x.open(
        "feed",
        &[("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", lang)],
    );
    x.text("title", title);
    if let Some(d) = config.description_in(lang) {
        x.text("subtitle", d);
    }
    x.text("id", &format!("urn:gazette:site:{home}"));
    x.empty("link", &[html[0], html[1], ("href", &home)]);
    let this = urls.absolute(&config.base_url, Target::LangFile("atom.xml"));
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
    x.text("name", title);
    x.close("author");
    for e in &entries {
        x.open("entry", &[]);
        let url = urls.absolute(
            &config.base_url,
            Target::Entity(e.entity.meta.kind, &e.entity.meta.id),
        );
        x.text("title", &e.title(graph, strings));
        x.text("id", &e.id);
        x.empty("link", &[html[0], html[1], ("href", &url)]);
        x.text("updated", &timestamp(&e.date));
        let precision = e.precision();
        let label = strings.text(&format!("feed_precision.{precision}"));
        x.empty(
            "category",
            &[
                ("scheme", PRECISION_SCHEME),
                ("term", precision),
                ("label", &label),
            ],
        );
        x.text("summary", &e.summary(graph, strings));
        x.close("entry");
    }
    x.close("feed");
    OutFile {
        path: "atom.xml".into(),
        bytes: x.finish(),
    }
}

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
    for page in super::pages(graph, config) {
        if matches!(page, Target::NotFound | Target::Search) {
            continue;
        }
        let lastmod = match page {
            Target::Entity(k, id) => graph
                .get(k, id)
                .and_then(|i| super::data::newest_date(&graph.entities[i]))
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

    #[test]
    fn dates_are_stamped_at_noon_on_the_last_day_they_may_mean() {
        let d = |s: &str| timestamp(&PartialDate::parse(s).unwrap());
        assert_eq!(d("2020-04"), "2020-04-30T12:00:00Z");
        assert_eq!(d("2020"), "2020-12-31T12:00:00Z");
        assert_eq!(d("2024-02"), "2024-02-29T12:00:00Z");
        assert_eq!(d("2021-11-19"), "2021-11-19T12:00:00Z");
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
            let strings = crate::testing::say(
                serde_json::json!({"feed_date": {"day": "{date}"}, "feed_held": "Held: {date}."}),
            );
            let xml = String::from_utf8(atom(&g, &config, &urls, &strings).bytes).unwrap();
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
        assert!(xml.contains("<summary>Body 9. Held: September 1, 2021.</summary>"));
        assert!(xml.contains("<updated>2021-09-01T12:00:00Z</updated>\n  <author>"));
        assert_eq!(titles(0).0.len(), 10);
    }
}
