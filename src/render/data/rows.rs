//! The rows of each CSV table ([`Table`]): one per record in the type
//! tables, one per item in the long tables, with names beside ids and
//! labels (the theme's words) beside codes. Columns are in `tables.rs`.

use super::table::Cell;
use super::tables::Table;
use crate::config::Config;
use crate::graph::history::in_order;
use crate::graph::Graph;
use crate::model::vocab::Vocab;
use crate::model::*;
use crate::render::say;
use crate::urls::{Target, Urls};
use serde_json::Value;

/// What rows are made from: the records of `graph` whose index is in
/// `records`.
#[derive(Clone)]
pub struct Cx<'a> {
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub urls: &'a Urls,
    pub strings: &'a Value,
    pub records: std::ops::Range<usize>,
}

impl Cx<'_> {
    fn url(&self, e: &Entity) -> Cell {
        self.urls
            .absolute(
                &self.config.base_url,
                Target::Entity(e.meta.kind, &e.meta.id),
            )
            .into()
    }

    /// The title or name of the record `r` names (empty if it did not resolve).
    fn name(&self, r: &Ref) -> Cell {
        self.graph
            .resolve_ref(r)
            .map(|i| self.graph.entities[i].title().to_string())
            .or_else(|| self.graph.outside_title(r.kind, &r.id).map(str::to_string))
            .unwrap_or_default()
            .into()
    }

    fn opt_name(&self, r: Option<&Ref>) -> Cell {
        r.map_or_else(|| "".into(), |r| self.name(r))
    }

    fn label(&self, table: &str, key: &str) -> Cell {
        say::text(self.strings, &format!("{table}.{key}")).into()
    }

    fn status(&self, s: Status) -> [Cell; 2] {
        let key = self.graph.statuses().key(s);
        [key.into(), self.label("status", key)]
    }
}

fn id(r: &Ref) -> Cell {
    (&r.id).into()
}

fn opt_id(r: Option<&Ref>) -> Cell {
    r.map_or_else(|| "".into(), id)
}

fn join(refs: &[Ref]) -> Cell {
    refs.iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(";")
        .into()
}

fn join_objectives(refs: &[ObjectiveRef]) -> Cell {
    refs.iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(";")
        .into()
}

/// The records of `kind` in `cx.records` with their data, in graph order.
fn each<'g>(cx: &Cx<'g>, kind: Kind) -> impl Iterator<Item = (&'g Entity, &'g Data)> + 'g {
    let g = cx.graph;
    let all = g.of_kind(kind);
    let from = all.partition_point(|&i| i < cx.records.start);
    let to = all.partition_point(|&i| i < cx.records.end);
    all[from..to].iter().map(move |&i| {
        let e = &g.entities[i];
        (e, &e.data)
    })
}

/// The rows of `table` for the records in `cx.records`, as wide as its
/// columns: the rows of consecutive ranges, one after the other, are the
/// rows of the whole range.
pub fn rows(table: Table, cx: &Cx) -> Vec<Vec<Cell>> {
    let g = cx.graph;
    let mut out: Vec<Vec<Cell>> = Vec::new();
    match table {
        Table::Partnerships => {
            for (e, d) in each(cx, Kind::Partnership) {
                let Data::Partnership(p) = d else { continue };
                out.push(vec![
                    (&e.meta.id).into(),
                    (&p.title).into(),
                    (&p.short_name).into(),
                    p.signed.into(),
                    p.status.key().into(),
                    cx.label("partnership_status", p.status.key()),
                    join(&p.parties),
                    p.objectives
                        .iter()
                        .map(|o| o.id.as_str())
                        .collect::<Vec<_>>()
                        .join(";")
                        .into(),
                    cx.url(e),
                ]);
            }
        }
        Table::Objectives => {
            for (e, d) in each(cx, Kind::Partnership) {
                let Data::Partnership(p) = d else { continue };
                for o in &p.objectives {
                    out.push(vec![
                        (&e.meta.id).into(),
                        (&p.title).into(),
                        (&o.id).into(),
                        (&o.title).into(),
                    ]);
                }
            }
        }
        Table::Dialogues => {
            for (e, d) in each(cx, Kind::Dialogue) {
                let Data::Dialogue(x) = d else { continue };
                out.push(vec![
                    (&e.meta.id).into(),
                    (&x.title).into(),
                    x.date.into(),
                    id(&x.partnership),
                    cx.name(&x.partnership),
                    x.format.key().into(),
                    cx.label("format", x.format.key()),
                    (&x.location).into(),
                    x.participants
                        .iter()
                        .map(|p| p.person.id.as_str())
                        .collect::<Vec<_>>()
                        .join(";")
                        .into(),
                    join(&x.organizations),
                    join_objectives(&x.objectives),
                    join(&x.pledges),
                    join(&x.grants),
                    cx.url(e),
                ]);
            }
        }
        Table::Participants => {
            for (e, d) in each(cx, Kind::Dialogue) {
                let Data::Dialogue(x) = d else { continue };
                for p in &x.participants {
                    out.push(vec![
                        (&e.meta.id).into(),
                        (&x.title).into(),
                        id(&p.person),
                        cx.name(&p.person),
                        (&p.role).into(),
                        opt_id(p.organization.as_ref()),
                        cx.opt_name(p.organization.as_ref()),
                    ]);
                }
            }
        }
        Table::Pledges => {
            for (e, d) in each(cx, Kind::Pledge) {
                let Data::Pledge(p) = d else { continue };
                let [status, label] = cx.status(p.status);
                out.push(vec![
                    (&e.meta.id).into(),
                    (&p.title).into(),
                    id(&p.partnership),
                    cx.name(&p.partnership),
                    id(&p.made_by),
                    cx.name(&p.made_by),
                    join_objectives(&p.objectives),
                    p.made.into(),
                    opt_id(p.dialogue.as_ref()),
                    cx.opt_name(p.dialogue.as_ref()),
                    p.due.into(),
                    status,
                    label,
                    p.progress.len().into(),
                    cx.url(e),
                ]);
            }
        }
        Table::Progress => {
            for (e, d) in each(cx, Kind::Pledge) {
                let Data::Pledge(p) = d else { continue };
                for pe in in_order(&p.progress) {
                    let [status, label] = cx.status(pe.status);
                    out.push(vec![
                        (&e.meta.id).into(),
                        (&p.title).into(),
                        pe.date.into(),
                        status,
                        label,
                        (&pe.note).into(),
                        g.reported(pe).into(),
                        opt_id(pe.dialogue.as_ref()),
                        cx.opt_name(pe.dialogue.as_ref()),
                        opt_id(pe.report.as_ref()),
                        cx.opt_name(pe.report.as_ref()),
                        pe.sources
                            .iter()
                            .map(|s| source_cell(cx, s))
                            .collect::<Vec<_>>()
                            .join(";")
                            .into(),
                    ]);
                }
            }
        }
        Table::Grants => {
            for (e, d) in each(cx, Kind::Grant) {
                let Data::Grant(x) = d else { continue };
                let period = x.period.as_ref();
                out.push(vec![
                    (&e.meta.id).into(),
                    (&x.title).into(),
                    id(&x.partnership),
                    cx.name(&x.partnership),
                    id(&x.funder),
                    cx.name(&x.funder),
                    x.recipients.len().into(),
                    join_objectives(&x.objectives),
                    x.awarded.into(),
                    period.and_then(|p| p.from).into(),
                    period.and_then(|p| p.to).into(),
                    x.amount.decimal().into(),
                    x.amount.currency.code().into(),
                    x.tranches.len().into(),
                    (&x.recipient_country).into(),
                    (&x.sector).into(),
                    x.sector
                        .as_deref()
                        .and_then(codes::dac_sector)
                        .unwrap_or_default()
                        .into(),
                    cx.url(e),
                ]);
            }
        }
        Table::Recipients => {
            for (e, d) in each(cx, Kind::Grant) {
                let Data::Grant(x) = d else { continue };
                for r in &x.recipients {
                    out.push(vec![
                        (&e.meta.id).into(),
                        (&x.title).into(),
                        id(&r.organization),
                        cx.name(&r.organization),
                        r.role.key().into(),
                        cx.label("role", r.role.key()),
                        x.recipients.len().into(),
                    ]);
                }
            }
        }
        Table::Amounts => {
            for (e, d) in each(cx, Kind::Grant) {
                let Data::Grant(x) = d else { continue };
                let row = |event: &str,
                           date: PartialDate,
                           m: &Money,
                           note: &Option<String>,
                           dialogue: Option<&Ref>| {
                    vec![
                        (&e.meta.id).into(),
                        (&x.title).into(),
                        event.into(),
                        cx.label("data_event", event),
                        date.into(),
                        m.decimal().into(),
                        m.currency.code().into(),
                        note.into(),
                        opt_id(dialogue),
                        cx.opt_name(dialogue),
                        id(&x.funder),
                        cx.name(&x.funder),
                    ]
                };
                out.push(row("award", x.awarded, &x.amount, &None, None));
                for t in &x.tranches {
                    out.push(row(
                        "tranche",
                        t.date,
                        &t.amount,
                        &t.note,
                        t.dialogue.as_ref(),
                    ));
                }
            }
        }
        Table::Organizations => {
            for (e, d) in each(cx, Kind::Organization) {
                let Data::Organization(o) = d else { continue };
                out.push(vec![
                    (&e.meta.id).into(),
                    (&o.name).into(),
                    (&o.short_name).into(),
                    o.kind.key().into(),
                    cx.label("org_kind", o.kind.key()),
                    (&o.country).into(),
                    (&o.website).into(),
                    opt_id(o.parent.as_ref()),
                    cx.opt_name(o.parent.as_ref()),
                    (&o.iati_identifier).into(),
                    cx.url(e),
                ]);
            }
        }
        Table::People => {
            for (e, d) in each(cx, Kind::Person) {
                let Data::Person(p) = d else { continue };
                out.push(vec![
                    (&e.meta.id).into(),
                    (&p.name).into(),
                    (&p.honorific).into(),
                    p.positions.len().into(),
                    cx.url(e),
                ]);
            }
        }
        Table::Positions => {
            for (e, d) in each(cx, Kind::Person) {
                let Data::Person(p) = d else { continue };
                for x in &p.positions {
                    out.push(vec![
                        (&e.meta.id).into(),
                        (&p.name).into(),
                        (&x.title).into(),
                        opt_id(x.organization.as_ref()),
                        cx.opt_name(x.organization.as_ref()),
                        x.from.into(),
                        x.to.into(),
                    ]);
                }
            }
        }
        Table::Reports => {
            for (e, d) in each(cx, Kind::Report) {
                let Data::Report(r) = d else { continue };
                out.push(vec![
                    (&e.meta.id).into(),
                    (&r.title).into(),
                    id(&r.partnership),
                    cx.name(&r.partnership),
                    r.period.from.into(),
                    r.period.to.into(),
                    r.published.into(),
                    cx.url(e),
                ]);
            }
        }
        Table::References => {
            let records = g.entities.get(cx.records.clone()).unwrap_or_default();
            for e in records {
                for r in e.refs() {
                    let Some(to) = g.resolve_ref(r) else { continue };
                    let to = &g.entities[to];
                    out.push(vec![
                        e.meta.kind.name().into(),
                        (&e.meta.id).into(),
                        field_path(&r.field).into(),
                        to.meta.kind.name().into(),
                        (&to.meta.id).into(),
                        to.title().into(),
                    ]);
                }
            }
        }
    }
    out
}

/// `recipients.organization` for `recipients[2].organization`.
fn field_path(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut skip = false;
    for c in field.chars() {
        match c {
            '[' => skip = true,
            ']' => skip = false,
            c if !skip => out.push(c),
            _ => {}
        }
    }
    out
}

/// A source in a CSV cell: the absolute address of a record or web page,
/// or a document's title.
fn source_cell(cx: &Cx, s: &Source) -> String {
    use crate::render::sources::{resolve, Place};
    let r = resolve(cx.graph, s);
    match r.place {
        Place::Record(t) => cx.urls.absolute(&cx.config.base_url, t),
        Place::Web(u) => u.to_string(),
        Place::Nowhere => r.title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::data::language_texts;
    use crate::render::standards::Language;
    use crate::render::Edition;

    /// Tables are written a slice of records at a time: the rows of two
    /// ranges that meet must be the rows of both together, for every table,
    /// at every cut, in the default language and in the other.
    #[test]
    fn the_rows_of_consecutive_ranges_are_the_rows_of_the_whole() {
        let checked = crate::site::check(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
        let (Some(config), Some(graph), Some(theme)) =
            (&checked.config, &checked.graph, &checked.theme)
        else {
            panic!("the sample site checks");
        };
        let urls = Urls::site(&config.base_path);
        let editions = Edition::all(graph, config, theme, &urls);
        let langs: Vec<_> = editions.iter().map(Language::of).collect();
        let texts = language_texts(&langs);
        assert_eq!(texts.len(), 1, "the sample site is in two languages");
        let mut rows_seen = 0;
        for t in Table::ALL {
            for g in std::iter::once(langs[0].graph).chain(&texts) {
                let cx = Cx {
                    graph: g,
                    config,
                    urls: &urls,
                    strings: langs[0].strings,
                    records: 0..g.len(),
                };
                let whole = rows(t, &cx);
                rows_seen += whole.len();
                for cut in 0..=g.len() {
                    let mut parts = rows(
                        t,
                        &Cx {
                            records: 0..cut,
                            ..cx.clone()
                        },
                    );
                    parts.extend(rows(
                        t,
                        &Cx {
                            records: cut..g.len(),
                            ..cx.clone()
                        },
                    ));
                    assert_eq!(parts, whole, "{t:?} cut at {cut}");
                }
            }
        }
        assert!(rows_seen > 50, "{rows_seen} rows: too few to test");
    }
}
