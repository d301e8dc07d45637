//! Open data: a JSON twin of every entity page, `data/graph.json` with every
//! entity and reference, one CSV per type (plus pledge progress and grant
//! tranches), and grants in the 360Giving format. Columns and mappings are
//! documented in `docs/open-data.md`.

use super::csv::Csv;
use super::OutFile;
use crate::config::Config;
use crate::graph::history::in_order;
use crate::graph::{stats::grant_total, Graph, Idx};
use crate::model::vocab::Vocab;
use crate::model::*;
use crate::urls::{Target, Urls};
use rayon::prelude::*;
use serde_json::{json, Value};

/// One published download, for the `/data/` page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Download {
    pub path: String,
    pub url: String,
    pub format: &'static str,
    /// What the file holds: a type folder, `graph`, `progress`, `tranches` or `360giving`.
    pub contents: String,
    pub records: usize,
    pub bytes: usize,
    /// The size for people: `4.2 kB`.
    pub size: String,
    /// The newest date among the records it contains, if any (written on
    /// each language's data page by [`crate::render::views::Ctx::downloads`]).
    #[serde(skip)]
    pub newest: Option<PartialDate>,
    /// False when the file could not be written (a 360Giving file with no
    /// grant that has a full award date): the page says why instead.
    pub written: bool,
    /// Records left out of the file, and why.
    pub left_out: Vec<LeftOutView>,
}

/// A record left out of a standard format, for the data page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LeftOutView {
    pub title: String,
    #[serde(skip)]
    pub kind: Kind,
    #[serde(skip)]
    pub id: String,
    /// The field that is not precise enough, e.g. `awarded`.
    pub field: &'static str,
    #[serde(skip)]
    pub date: PartialDate,
}

/// [`human_size`] with the number as `locale` writes decimals (`4,2 kB`
/// where the decimal mark is a comma).
pub fn human_size_in(bytes: usize, locale: &crate::locale::Locale) -> String {
    let text = human_size(bytes);
    match text.split_once(' ') {
        Some((number, unit)) => match locale.decimal(number) {
            Some(n) => format!("{n}\u{a0}{unit}"),
            None => text,
        },
        None => text,
    }
}

/// Bytes in SI units with one decimal: `812 B`, `4.2 kB`, `1.3 MB`.
pub fn human_size(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    // Tenths of the unit, in integers, so the text never depends on float rounding.
    let mut value = bytes as u128 * 10;
    let mut unit = 0;
    value /= 1000;
    while value >= 10_000 && unit + 1 < UNITS.len() {
        value /= 1000;
        unit += 1;
    }
    format!("{}.{} {}", value / 10, value % 10, UNITS[unit])
}

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
        }),
        Data::Organization(o) => json!({
            "name": o.name, "short_name": o.short_name, "kind": o.kind.key(), "country": o.country,
            "website": o.website, "parent": opt_id(o.parent.as_ref()),
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

/// The full machine-readable record of entity `i`.
pub fn record(graph: &Graph, config: &Config, urls: &Urls, i: Idx) -> Value {
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
    json!({
        "type": e.meta.kind.name(),
        "id": e.meta.id,
        "url": urls.absolute(&config.base_url, target),
        "fields": fields(graph, e),
        "extra": e.meta.extra,
        "computed": computed,
        "referenced_by": referenced_by,
        "body_markdown": e.meta.body.trim(),
    })
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

fn join(refs: &[Ref]) -> String {
    refs.iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

fn iso(d: Option<&PartialDate>) -> String {
    d.map(PartialDate::iso).unwrap_or_default()
}

fn s(x: &Option<String>) -> String {
    x.clone().unwrap_or_default()
}

fn totals_cell(t: &Totals) -> String {
    t.amounts()
        .iter()
        .map(|m| format!("{} {}", m.decimal(), m.currency.code()))
        .collect::<Vec<_>>()
        .join(";")
}

/// The CSV of one type: header and one row per entity, in list order.
pub fn type_csv(graph: &Graph, config: &Config, urls: &Urls, kind: Kind) -> String {
    let url = |e: &Entity| urls.absolute(&config.base_url, Target::Entity(e.meta.kind, &e.meta.id));
    let header: &[&str] = match kind {
        Kind::Partnership => &[
            "id",
            "title",
            "short_name",
            "signed",
            "status",
            "parties",
            "objectives",
            "url",
        ],
        Kind::Dialogue => &[
            "id",
            "title",
            "date",
            "partnership",
            "format",
            "location",
            "participants",
            "organizations",
            "objectives",
            "pledges",
            "grants",
            "url",
        ],
        Kind::Pledge => &[
            "id",
            "title",
            "partnership",
            "made_by",
            "objectives",
            "made",
            "dialogue",
            "due",
            "status",
            "progress_entries",
            "url",
        ],
        Kind::Grant => &[
            "id",
            "title",
            "partnership",
            "funder",
            "recipients",
            "objectives",
            "awarded",
            "period_from",
            "period_to",
            "currency",
            "amount",
            "tranches",
            "total",
            "url",
        ],
        Kind::Organization => &[
            "id",
            "name",
            "short_name",
            "kind",
            "country",
            "website",
            "parent",
            "url",
        ],
        Kind::Person => &["id", "name", "honorific", "positions", "url"],
        Kind::Report => &[
            "id",
            "title",
            "partnership",
            "period_from",
            "period_to",
            "published",
            "url",
        ],
    };
    let mut csv = Csv::new(header);
    for &i in graph.of_kind(kind) {
        let e = &graph.entities[i];
        let id = e.meta.id.clone();
        let row = match &e.data {
            Data::Partnership(p) => vec![
                id,
                p.title.clone(),
                s(&p.short_name),
                iso(p.signed.as_ref()),
                p.status.key().into(),
                join(&p.parties),
                p.objectives
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                url(e),
            ],
            Data::Dialogue(d) => vec![
                id,
                d.title.clone(),
                d.date.iso(),
                d.partnership.id.clone(),
                d.format.key().into(),
                s(&d.location),
                d.participants
                    .iter()
                    .map(|p| p.person.id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                join(&d.organizations),
                d.objectives
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                join(&d.pledges),
                join(&d.grants),
                url(e),
            ],
            Data::Pledge(p) => vec![
                id,
                p.title.clone(),
                p.partnership.id.clone(),
                p.made_by.id.clone(),
                p.objectives
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                iso(p.made.as_ref()),
                p.dialogue
                    .as_ref()
                    .map(|r| r.id.clone())
                    .unwrap_or_default(),
                iso(p.due.as_ref()),
                graph.statuses().key(p.status).into(),
                p.progress.len().to_string(),
                url(e),
            ],
            Data::Grant(g) => vec![
                id,
                g.title.clone(),
                g.partnership.id.clone(),
                g.funder.id.clone(),
                g.recipients
                    .iter()
                    .map(|r| r.organization.id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                g.objectives
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                g.awarded.iso(),
                iso(g.period.as_ref().and_then(|p| p.from.as_ref())),
                iso(g.period.as_ref().and_then(|p| p.to.as_ref())),
                g.amount.currency.code().into(),
                g.amount.decimal(),
                g.tranches.len().to_string(),
                totals_cell(&grant_total(g)),
                url(e),
            ],
            Data::Organization(o) => vec![
                id,
                o.name.clone(),
                s(&o.short_name),
                o.kind.key().into(),
                s(&o.country),
                s(&o.website),
                o.parent.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
                url(e),
            ],
            Data::Person(p) => vec![
                id,
                p.name.clone(),
                s(&p.honorific),
                p.positions
                    .iter()
                    .map(|x| match &x.organization {
                        Some(o) => format!("{} ({})", x.title, o.id),
                        None => x.title.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
                url(e),
            ],
            Data::Report(r) => vec![
                id,
                r.title.clone(),
                r.partnership.id.clone(),
                iso(r.period.from.as_ref()),
                iso(r.period.to.as_ref()),
                r.published.iso(),
                url(e),
            ],
        };
        csv.row(row);
    }
    csv.finish()
}

/// A source in a CSV cell: the absolute address of a record or web page,
/// or a document's title.
fn source_cell(graph: &Graph, config: &Config, urls: &Urls, s: &Source) -> String {
    let r = super::sources::resolve(graph, s);
    match r.place {
        super::sources::Place::Record(t) => urls.absolute(&config.base_url, t),
        super::sources::Place::Web(u) => u.to_string(),
        super::sources::Place::Nowhere => r.title,
    }
}

fn progress_csv(
    graph: &Graph,
    config: &Config,
    urls: &Urls,
) -> (String, usize, Option<PartialDate>) {
    let mut csv = Csv::new(&[
        "pledge", "date", "status", "note", "reported", "dialogue", "report", "sources",
    ]);
    let (mut n, mut newest) = (0, None);
    for &i in graph.of_kind(Kind::Pledge) {
        if let Data::Pledge(p) = &graph.entities[i].data {
            for pe in in_order(&p.progress) {
                n += 1;
                newest = newest.max(Some(pe.at));
                csv.row(vec![
                    graph.entities[i].meta.id.clone(),
                    iso(pe.date.as_ref()),
                    graph.statuses().key(pe.status).into(),
                    s(&pe.note),
                    iso(graph.reported(pe).as_ref()),
                    pe.dialogue
                        .as_ref()
                        .map(|r| r.id.clone())
                        .unwrap_or_default(),
                    pe.report.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
                    pe.sources
                        .iter()
                        .map(|x| source_cell(graph, config, urls, x))
                        .collect::<Vec<_>>()
                        .join(";"),
                ]);
            }
        }
    }
    (csv.finish(), n, newest)
}

fn tranches_csv(graph: &Graph) -> (String, usize, Option<PartialDate>) {
    let mut csv = Csv::new(&["grant", "date", "currency", "amount", "note", "dialogue"]);
    let (mut n, mut newest) = (0, None);
    for &i in graph.of_kind(Kind::Grant) {
        if let Data::Grant(g) = &graph.entities[i].data {
            for t in &g.tranches {
                n += 1;
                newest = newest.max(Some(t.date));
                csv.row(vec![
                    graph.entities[i].meta.id.clone(),
                    t.date.iso(),
                    t.amount.currency.code().into(),
                    t.amount.decimal(),
                    s(&t.note),
                    t.dialogue
                        .as_ref()
                        .map(|r| r.id.clone())
                        .unwrap_or_default(),
                ]);
            }
        }
    }
    (csv.finish(), n, newest)
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
pub fn record_text(graph: &Graph, config: &Config, urls: &Urls, i: Idx) -> RecordText {
    let e = &graph.entities[i];
    let mut text =
        serde_json::to_string_pretty(&record(graph, config, urls, i)).unwrap_or_default();
    // Pretty JSON escapes newlines inside strings, so every line break is
    // structure and nesting the record is indenting every line after the first.
    let nested = text.replace('\n', "\n    ");
    text.push('\n');
    RecordText {
        twin: Target::Entity(e.meta.kind, &e.meta.id)
            .output_file()
            .map(|page| OutFile {
                path: page.replace("index.html", "index.json"),
                bytes: text.into_bytes(),
            }),
        nested,
    }
}

/// A download's entry on the `/data/` page.
fn download(
    urls: &Urls,
    file: OutFile,
    format: &'static str,
    contents: String,
    records: usize,
    newest: Option<PartialDate>,
) -> (OutFile, Download) {
    let d = Download {
        url: urls.url(Target::Asset(&file.path), Target::Data),
        path: file.path.clone(),
        format,
        contents,
        records,
        bytes: file.bytes.len(),
        size: human_size(file.bytes.len()),
        newest,
        written: true,
        left_out: Vec::new(),
    };
    (file, d)
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
    let site = json!({"title": config.title, "base_url": base_url, "language": config.language});
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

/// The data page's entry for a `graph.json` of `bytes` bytes.
pub fn graph_download(graph: &Graph, urls: &Urls, bytes: usize) -> Download {
    let newest = graph.entities.iter().filter_map(newest_date).max();
    Download {
        url: urls.url(Target::Asset(GRAPH_FILE), Target::Data),
        path: GRAPH_FILE.into(),
        format: "JSON",
        contents: "graph".into(),
        records: graph.len(),
        bytes,
        size: human_size(bytes),
        newest,
        written: true,
        left_out: Vec::new(),
    }
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

/// `data/<type folder>.csv`.
pub fn kind_csv_file(
    graph: &Graph,
    config: &Config,
    urls: &Urls,
    kind: Kind,
) -> (OutFile, Download) {
    let newest = graph
        .of_kind(kind)
        .iter()
        .filter_map(|&i| newest_date(&graph.entities[i]))
        .max();
    let file = OutFile {
        path: format!("data/{}.csv", kind.folder()),
        bytes: type_csv(graph, config, urls, kind).into_bytes(),
    };
    let records = graph.of_kind(kind).len();
    download(urls, file, "CSV", kind.folder().into(), records, newest)
}

/// `data/pledge-progress.csv`.
pub fn progress_file(graph: &Graph, config: &Config, urls: &Urls) -> (OutFile, Download) {
    let (csv, n, newest) = progress_csv(graph, config, urls);
    let file = OutFile {
        path: "data/pledge-progress.csv".into(),
        bytes: csv.into_bytes(),
    };
    download(urls, file, "CSV", "progress".into(), n, newest)
}

/// `data/grant-tranches.csv`.
pub fn tranches_file(graph: &Graph, urls: &Urls) -> (OutFile, Download) {
    let (csv, n, newest) = tranches_csv(graph);
    let file = OutFile {
        path: "data/grant-tranches.csv".into(),
        bytes: csv.into_bytes(),
    };
    download(urls, file, "CSV", "tranches".into(), n, newest)
}

/// Where the 360Giving file is written.
pub const GIVING_FILE: &str = "data/360giving.json";

/// `data/360giving.json`, unless no grant can be in it; its entry on the
/// data page lists the grants left out either way.
pub fn giving_file(
    graph: &Graph,
    config: &Config,
    urls: &Urls,
    strings: &super::say::Say,
) -> (Option<OutFile>, Download) {
    let giving = super::giving::package(graph, config, urls, strings);
    let newest = graph
        .of_kind(Kind::Grant)
        .iter()
        .filter_map(|&i| newest_date(&graph.entities[i]))
        .max();
    let left_out = giving
        .left_out
        .iter()
        .map(|l| {
            let e = &graph.entities[l.grant];
            LeftOutView {
                title: e.title().to_string(),
                kind: e.meta.kind,
                id: e.meta.id.clone(),
                field: l.field,
                date: l.date,
            }
        })
        .collect();
    let file = OutFile {
        path: GIVING_FILE.into(),
        bytes: giving.bytes.clone().unwrap_or_default(),
    };
    let (file, mut d) = download(
        urls,
        file,
        "JSON",
        "360giving".into(),
        giving.grants,
        newest,
    );
    d.left_out = left_out;
    d.written = giving.bytes.is_some();
    (d.written.then_some(file), d)
}

/// Every open-data file, and the list of downloads for the `/data/` page.
pub fn data_files(
    graph: &Graph,
    config: &Config,
    urls: &Urls,
    strings: &super::say::Say,
) -> (Vec<OutFile>, Vec<Download>) {
    let records: Vec<RecordText> = (0..graph.len())
        .into_par_iter()
        .map(|i| record_text(graph, config, urls, i))
        .collect();
    let nested: Vec<&str> = records.iter().map(|r| r.nested.as_str()).collect();
    let mut published = vec![graph_file(graph, config, urls, &nested)];
    for kind in Kind::ALL {
        published.push(kind_csv_file(graph, config, urls, kind));
    }
    published.push(progress_file(graph, config, urls));
    published.push(tranches_file(graph, urls));
    let (giving, giving_download) = giving_file(graph, config, urls, strings);
    let mut files: Vec<OutFile> = records
        .into_iter()
        .filter_map(|r| r.twin.filter(|_| config.record_json))
        .collect();
    let mut downloads = Vec::with_capacity(published.len());
    for (f, d) in published {
        files.push(f);
        downloads.push(d);
    }
    files.extend(giving);
    downloads.push(giving_download);
    (files, downloads)
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
        let records: Vec<Value> = (0..graph.len())
            .map(|i| record(&graph, &config, &urls, i))
            .collect();
        let nested: Vec<String> = (0..graph.len())
            .map(|i| record_text(&graph, &config, &urls, i).nested)
            .collect();
        let nested: Vec<&str> = nested.iter().map(String::as_str).collect();
        for n in [0, 1, nested.len()] {
            let site = json!({"title": config.title, "base_url": config.base_url, "language": config.language});
            let expected = pretty(&json!({"site": site, "entities": records[..n]}));
            let (file, _) = graph_file(&graph, &config, &urls, &nested[..n]);
            assert_eq!(
                String::from_utf8(file.bytes).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(4_250), "4.2 kB");
        assert_eq!(human_size(1_300_000), "1.3 MB");
    }
}
