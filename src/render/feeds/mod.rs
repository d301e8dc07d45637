//! Discovery files: an Atom feed of the newest dialogues, reports, grants,
//! tranches and pledge progress, and `sitemap.xml` and `robots.txt`
//! (`sitemap.rs`). Every date comes from the
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

mod sitemap;
pub use sitemap::{is_sitemap_part, robots, sitemaps, SITEMAP_MAX_URLS};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
/// (0: no limit). Ids are made only for the entries that can be among the
/// newest (those dated no earlier than the last one kept): a site has tens
/// of thousands of entries and watch mode makes the feed on most edits.
fn entries<'g>(graph: &'g Graph, config: &Config) -> Vec<Entry<'g>> {
    let mut items: Vec<(PartialDate, usize, What)> = Vec::new();
    for (i, e) in graph.entities.iter().enumerate() {
        news(graph, e, |date, what| items.push((date, i, what)));
    }
    let newest = |a: &PartialDate, b: &PartialDate| (b.end(), b).cmp(&(a.end(), a));
    let limit = config.feed_limit;
    if limit > 0 && items.len() > limit {
        items.select_nth_unstable_by(limit - 1, |a, b| newest(&a.0, &b.0));
        let last = items[limit - 1].0;
        items.retain(|x| newest(&x.0, &last).is_le());
    }
    // Each entry left gets its id; a record's ids are made together, as a
    // key repeated in one record is numbered in the record's order.
    items.sort_unstable_by_key(|x| x.1);
    let mut out: Vec<Entry> = Vec::with_capacity(items.len());
    let mut at = 0;
    while at < items.len() {
        let i = items[at].1;
        let e = &graph.entities[i];
        let ids = ids(graph, e);
        while at < items.len() && items[at].1 == i {
            let (date, _, what) = items[at];
            if let Some((_, id)) = ids.iter().find(|(w, _)| *w == what) {
                out.push(Entry {
                    date,
                    id: id.clone(),
                    entity: e,
                    what,
                });
            }
            at += 1;
        }
    }
    // Newest news first: by the day it certainly happened, then ids.
    out.sort_by(|a, b| newest(&a.date, &b.date).then_with(|| a.id.cmp(&b.id)));
    if limit > 0 {
        out.truncate(limit);
    }
    out
}

/// Each piece of news in record `e`, with the day it became news.
fn news(graph: &Graph, e: &Entity, mut each: impl FnMut(PartialDate, What)) {
    match &e.data {
        Data::Dialogue(d) => each(d.date, What::Record),
        Data::Report(r) => each(r.published, What::Record),
        Data::Grant(g) => {
            each(g.awarded, What::Record);
            for (n, t) in g.tranches.iter().enumerate() {
                let announced = t
                    .dialogue
                    .as_ref()
                    .and_then(|r| graph.resolve_ref(r))
                    .and_then(|i| graph.entities[i].date());
                each(announced.unwrap_or(t.date), What::Tranche(n));
            }
        }
        Data::Pledge(p) => {
            for (n, pe) in p.progress.iter().enumerate() {
                each(graph.reported(pe).unwrap_or(pe.at), What::Progress(n));
            }
        }
        _ => {}
    }
}

/// The id of each piece of news in record `e`, in [`news`] order.
fn ids(graph: &Graph, e: &Entity) -> Vec<(What, String)> {
    let base = format!("urn:gazette:{}:{}", e.meta.kind.name(), e.meta.id);
    let mut seen = std::collections::HashMap::new();
    let mut out = Vec::new();
    news(graph, e, |_, what| {
        let key = match (&e.data, &what) {
            (Data::Grant(g), What::Tranche(n)) => g.tranches.get(*n).map(|t| {
                format!(
                    "tranche:{}:{}{}",
                    t.date.iso(),
                    t.amount.decimal(),
                    t.amount.currency.code()
                )
            }),
            (Data::Pledge(p), What::Progress(n)) => p.progress.get(*n).map(|pe| {
                format!(
                    "progress:{}:{}",
                    pe.at.iso(),
                    graph.statuses().key(pe.status)
                )
            }),
            _ => None,
        };
        let id = match key {
            Some(key) => keyed(&base, &key, &mut seen),
            None => base.clone(),
        };
        out.push((what, id));
    });
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // Each limit keeps the first entries of the whole feed, ties and all.
        let every = titles(0).0;
        for limit in 1..=every.len() {
            assert_eq!(titles(limit).0, every[..limit], "limit {limit}");
        }
    }
}
