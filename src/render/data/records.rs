//! The JSON of the records: each entity's fields as written (its JSON
//! twin, `index.json` beside its page) and `data/graph.json`, every record
//! in one file, put together from the same per-record text so that watch
//! mode can keep the pieces.

use super::translations::Others;
use crate::config::Config;
use crate::graph::history::in_order;
use crate::graph::{stats::grant_total, Graph, Idx};
use crate::model::vocab::Vocab;
use crate::model::*;
use crate::render::views::downloads::Download;
use crate::render::OutFile;
use crate::urls::{Target, Urls};
use serde_json::{json, Value};

fn opt_iso(d: Option<&PartialDate>) -> Value {
    d.map(|d| json!(d.iso())).unwrap_or(Value::Null)
}

fn money(m: &Money) -> Value {
    json!({ "amount": m.decimal(), "currency": m.currency.code() })
}

fn ids(refs: &[Ref]) -> Value {
    json!(refs.iter().map(|r| &r.id).collect::<Vec<_>>())
}

fn opt_id(r: Option<&Ref>) -> Value {
    r.map(|r| json!(r.id)).unwrap_or(Value::Null)
}

fn obj_ids(refs: &[ObjectiveRef]) -> Value {
    json!(refs.iter().map(|r| &r.id).collect::<Vec<_>>())
}

/// Sources as written: `dialogue`/`report` (an id), `url` (with its
/// `title`) or `document`, each with its `quote`.
fn sources_as_written(list: &[Source]) -> Value {
    Value::Array(
        list.iter()
            .map(|s| {
                let mut v = match &s.what {
                    SourceRef::Record(r) => json!({ r.kind.name(): r.id }),
                    SourceRef::Url { url, title } => json!({"url": url, "title": title}),
                    SourceRef::Document(d) => json!({ "document": d }),
                };
                v["quote"] = json!(s.quote);
                v
            })
            .collect(),
    )
}

/// The entity's fields as written, in canonical form (ISO dates, exact
/// decimal amounts as strings, references as ids). Histories are in date
/// order ([`crate::graph::history::in_order`]).
pub fn fields(graph: &Graph, e: &Entity) -> Value {
    let status = |s: Status| graph.statuses().key(s).to_string();
    let mut v = match &e.data {
        Data::Partnership(p) => json!({
            "title": p.title, "short_name": p.short_name, "signed": opt_iso(p.signed.as_ref()),
            "parties": ids(&p.parties),
            "objectives": p.objectives.iter().map(|o| json!({"id": o.id, "title": o.title})).collect::<Vec<_>>(),
            "status": p.status.key(),
        }),
        Data::Dialogue(d) => json!({
            "title": d.title, "date": d.date.iso(), "partnership": d.partnership.id, "format": d.format.key(),
            "location": d.location,
            "participants": d.participants.iter().map(|p| json!({
                "person": p.person.id, "role": p.role, "organization": opt_id(p.organization.as_ref()),
            })).collect::<Vec<_>>(),
            "organizations": ids(&d.organizations), "objectives": obj_ids(&d.objectives),
            "outcomes": d.outcomes.iter().map(|o| json!({"text": o.text, "sources": sources_as_written(&o.sources)})).collect::<Vec<_>>(),
            "pledges": ids(&d.pledges), "grants": ids(&d.grants),
        }),
        Data::Pledge(p) => json!({
            "title": p.title, "partnership": p.partnership.id, "made_by": p.made_by.id,
            "objectives": obj_ids(&p.objectives), "made": opt_iso(p.made.as_ref()),
            "dialogue": opt_id(p.dialogue.as_ref()), "due": opt_iso(p.due.as_ref()), "status": status(p.status),
            "progress": in_order(&p.progress).map(|pe| json!({
                "date": opt_iso(pe.date.as_ref()), "status": status(pe.status), "note": pe.note,
                "reported": opt_iso(pe.reported.as_ref()),
                "dialogue": opt_id(pe.dialogue.as_ref()), "report": opt_id(pe.report.as_ref()),
                "sources": sources_as_written(&pe.sources),
            })).collect::<Vec<_>>(),
        }),
        Data::Grant(g) => json!({
            "title": g.title, "partnership": g.partnership.id, "funder": g.funder.id,
            "recipients": g.recipients.iter().map(|r| json!({"organization": r.organization.id, "role": r.role.key()})).collect::<Vec<_>>(),
            "objectives": obj_ids(&g.objectives), "awarded": g.awarded.iso(),
            "period": g.period.as_ref().map(|p| json!({"from": opt_iso(p.from.as_ref()), "to": opt_iso(p.to.as_ref())})),
            "amount": money(&g.amount),
            "tranches": g.tranches.iter().map(|t| json!({
                "date": t.date.iso(), "amount": money(&t.amount), "note": t.note, "dialogue": opt_id(t.dialogue.as_ref()),
                "sources": sources_as_written(&t.sources),
            })).collect::<Vec<_>>(),
            "recipient_country": g.recipient_country, "sector": g.sector,
        }),
        Data::Organization(o) => json!({
            "name": o.name, "short_name": o.short_name, "kind": o.kind.key(), "country": o.country,
            "website": o.website, "parent": opt_id(o.parent.as_ref()),
            "iati_identifier": o.iati_identifier, "iati_type": o.iati_type,
        }),
        Data::Person(p) => json!({
            "name": p.name, "honorific": p.honorific,
            "positions": p.positions.iter().map(|x| json!({
                "title": x.title, "organization": opt_id(x.organization.as_ref()),
                "from": opt_iso(x.from.as_ref()), "to": opt_iso(x.to.as_ref()),
            })).collect::<Vec<_>>(),
        }),
        Data::Report(r) => json!({
            "title": r.title, "partnership": r.partnership.id,
            "period": {"from": opt_iso(r.period.from.as_ref()), "to": opt_iso(r.period.to.as_ref())},
            "published": r.published.iso(),
        }),
    };
    v["sources"] = sources_as_written(&e.meta.sources);
    v
}

/// The newest date an entity mentions (progress entries and tranches included).
pub fn newest_date(e: &Entity) -> Option<PartialDate> {
    let mut dates: Vec<PartialDate> = e.date().into_iter().collect();
    match &e.data {
        Data::Pledge(p) => dates.extend(p.progress.iter().map(|x| x.at)),
        Data::Grant(g) => dates.extend(g.tranches.iter().map(|x| x.date)),
        _ => {}
    }
    dates.into_iter().max()
}

/// The full machine-readable record of entity `i`; on a site in more than
/// one language, with its text in the others (`translations.rs`).
pub fn record(graph: &Graph, config: &Config, urls: &Urls, others: &Others, i: Idx) -> Value {
    let e = &graph.entities[i];
    let target = Target::Entity(e.meta.kind, &e.meta.id);
    let mut computed = serde_json::Map::new();
    if let Data::Grant(g) = &e.data {
        computed.insert(
            "total".into(),
            json!(grant_total(g)
                .amounts()
                .iter()
                .map(money)
                .collect::<Vec<_>>()),
        );
    }
    if let Some(s) = graph.stats(i) {
        computed.insert(
            "funding".into(),
            json!(s.funding.amounts().iter().map(money).collect::<Vec<_>>()),
        );
        computed.insert(
            "pledge_counts".into(),
            json!(s
                .pledge_counts
                .iter()
                .map(|(st, n)| (graph.statuses().key(*st).to_string(), json!(n)))
                .collect::<serde_json::Map<_, _>>()),
        );
    }
    let referenced_by: Vec<Value> = graph
        .backlinks(i)
        .iter()
        .map(|b| {
            let from = &graph.entities[b.from];
            json!({"type": from.meta.kind.name(), "id": from.meta.id, "field": b.field})
        })
        .collect();
    let mut v = json!({
        "type": e.meta.kind.name(),
        "id": e.meta.id,
        "url": urls.absolute(&config.base_url, target),
        "fields": fields(graph, e),
        "extra": e.meta.extra,
        "computed": computed,
        "referenced_by": referenced_by,
        "body_markdown": e.meta.body.trim(),
    });
    if let Some(t) = others.json(e) {
        v["translations"] = t;
    }
    v
}

pub(super) fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

/// One entity's record, serialized twice: as its JSON twin (`index.json`
/// beside its page) and as it stands inside `graph.json`.
pub struct RecordText {
    /// `None` when the entity has no page to sit beside.
    pub twin: Option<OutFile>,
    /// The record indented for `graph.json`'s `entities` array, without
    /// the indentation of its first line.
    pub nested: String,
}

/// Serialize entity `i`'s [`record`].
pub fn record_text(
    graph: &Graph,
    config: &Config,
    urls: &Urls,
    others: &Others,
    i: Idx,
) -> RecordText {
    let e = &graph.entities[i];
    let mut text =
        serde_json::to_string_pretty(&record(graph, config, urls, others, i)).unwrap_or_default();
    // Pretty JSON escapes newlines inside strings, so every line break is
    // structure and nesting the record is indenting every line after the first.
    let nested = text.replace('\n', "\n    ");
    text.push('\n');
    RecordText {
        twin: Target::Entity(e.meta.kind, &e.meta.id)
            .output_file()
            .map(|page| OutFile {
                // An entity's page is `<dir>index.html` and a valid id has no
                // dot, so the suffix is the only `index.html` in the path.
                path: match page.strip_suffix("index.html") {
                    Some(dir) => format!("{dir}index.json"),
                    None => page,
                },
                bytes: text.into_bytes(),
            }),
        nested,
    }
}

/// Where `graph.json` is written.
pub const GRAPH_FILE: &str = "data/graph.json";

/// What goes between two records in `graph.json`.
pub const GRAPH_SEPARATOR: &str = ",\n    ";

/// `graph.json` is `head`, then each entity's [`RecordText::nested`] in
/// entity order with [`GRAPH_SEPARATOR`] between them, then `tail`; with no
/// entities, `head` alone. Watch mode keeps the pieces and shares them.
pub struct GraphFrame {
    pub head: String,
    pub tail: String,
}

pub fn graph_frame(config: &Config, urls: &Urls, empty: bool) -> GraphFrame {
    // An offline bundle names no host.
    let base_url = if urls.style == crate::urls::Style::Relative {
        Value::Null
    } else {
        json!(config.base_url)
    };
    let site = site_header(config, base_url);
    if empty {
        let head = String::from_utf8(pretty(&json!({"site": site, "entities": []})));
        return GraphFrame {
            head: head.unwrap_or_default(),
            tail: String::new(),
        };
    }
    // Serialize the frame around one placeholder, then put the records
    // where it stands: key order and indentation stay serde_json's.
    const MARK: &str = "\u{1}gazette records\u{1}";
    let frame =
        String::from_utf8(pretty(&json!({"site": site, "entities": [MARK]}))).unwrap_or_default();
    let quoted = serde_json::to_string(MARK).unwrap_or_default();
    let at = frame.find(&quoted).unwrap_or(frame.len());
    GraphFrame {
        head: frame[..at].to_string(),
        tail: frame.get(at + quoted.len()..).unwrap_or("").to_string(),
    }
}

/// `graph.json`'s `site`: the title, base URL, language (and on a site in
/// more than one, `languages`) and the data licence (`null` when none is
/// set).
pub(super) fn site_header(config: &Config, base_url: Value) -> Value {
    let license = config
        .standards
        .license
        .as_ref()
        .map_or(Value::Null, |l| json!({"name": l.name, "url": l.url}));
    let mut site = json!({"title": config.title, "base_url": base_url, "language": config.language, "license": license});
    // Every language the records' `translations` may name, the default
    // first; a site in one language writes what it did before.
    if config.languages.len() > 1 {
        site["languages"] = json!(config
            .languages
            .iter()
            .map(|l| l.tag.as_str())
            .collect::<Vec<_>>());
    }
    site
}

/// The data page's entry for a `graph.json` of `bytes` bytes.
pub fn graph_download(graph: &Graph, urls: &Urls, bytes: usize) -> Download {
    let newest = graph.entities.iter().filter_map(newest_date).max();
    super::entry(
        urls,
        GRAPH_FILE,
        "json",
        "graph",
        graph.len(),
        bytes,
        newest,
    )
}

/// `data/graph.json` from every entity's [`RecordText::nested`], in entity order.
pub fn graph_file(
    graph: &Graph,
    config: &Config,
    urls: &Urls,
    nested: &[&str],
) -> (OutFile, Download) {
    let frame = graph_frame(config, urls, nested.is_empty());
    let len: usize = nested.iter().map(|r| r.len() + GRAPH_SEPARATOR.len()).sum();
    let mut out = String::with_capacity(frame.head.len() + len + frame.tail.len());
    out.push_str(&frame.head);
    for (k, r) in nested.iter().enumerate() {
        if k > 0 {
            out.push_str(GRAPH_SEPARATOR);
        }
        out.push_str(r);
    }
    out.push_str(&frame.tail);
    let d = graph_download(graph, urls, out.len());
    let file = OutFile {
        path: GRAPH_FILE.into(),
        bytes: out.into_bytes(),
    };
    (file, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_json_is_the_records_in_serde_json_s_own_layout() {
        let (graph, diags) = crate::testing::with_base(&[]);
        assert!(diags.is_empty(), "{diags:?}");
        let config = Config::default();
        let urls = Urls::site("/");
        let others = Others::new(&graph, &config);
        let records: Vec<Value> = (0..graph.len())
            .map(|i| record(&graph, &config, &urls, &others, i))
            .collect();
        let nested: Vec<String> = (0..graph.len())
            .map(|i| record_text(&graph, &config, &urls, &others, i).nested)
            .collect();
        let nested: Vec<&str> = nested.iter().map(String::as_str).collect();
        for n in [0, 1, nested.len()] {
            let site = site_header(&config, json!(config.base_url));
            let expected = pretty(&json!({"site": site, "entities": records[..n]}));
            let (file, _) = graph_file(&graph, &config, &urls, &nested[..n]);
            assert_eq!(
                String::from_utf8(file.bytes).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }
}
