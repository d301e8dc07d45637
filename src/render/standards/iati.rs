//! `data/iati-activities.xml`: each grant as an IATI 2.03 activity, text
//! in every site language (`narrative xml:lang`), money and dates once.
//! Written only when the site names its reporting organisation
//! (`open_data.iati`). The mapping, field by field, is in
//! `docs/open-data.md` ("IATI"); dates follow the one rule of
//! `dates.rs`. Money: each award and tranche is one commitment in its own
//! currency; no amount is ever converted or added across currencies.

use super::codes;
use super::Language;
use crate::config::{Config, Iati};
use crate::graph::{Graph, Idx};
use crate::markdown;
use crate::model::*;
use crate::render::say;
use crate::render::xml::Doc;
use crate::urls::{Target, Urls};
use crate::validate::standard_dates::{self as dates, Full, LeftOut};

/// Where the activity file is written.
pub const ACTIVITIES_FILE: &str = "data/iati-activities.xml";

/// An IATI file of a site: its text, unless nothing can be in it.
pub struct Export {
    pub bytes: Option<Vec<u8>>,
    /// Records in the file.
    pub records: usize,
    /// Records left out, in graph order.
    pub left_out: Vec<LeftOut>,
}

/// The IATI settings, or an empty export when IATI is not configured.
pub fn activities(langs: &[Language], config: &Config, urls: &Urls) -> Export {
    let (Some(iati), Some(first)) = (&config.standards.iati, langs.first()) else {
        return Export {
            bytes: None,
            records: 0,
            left_out: Vec::new(),
        };
    };
    let g = first.graph;
    let mut doc = Doc::new("UTF-8");
    let mut records = 0;
    let mut left_out = Vec::new();
    let mut opened = false;
    for &i in g.of_kind(Kind::Grant) {
        let Data::Grant(grant) = &g.entities[i].data else {
            continue;
        };
        if let Some((field, date, _)) = dates::iati_missing_days(grant, config.partial_dates)
            .into_iter()
            .next()
        {
            left_out.push(LeftOut {
                record: i,
                field,
                date,
            });
            continue;
        }
        let Some(status) = partnership_status(g, grant) else {
            continue;
        };
        if !opened {
            doc.open("iati-activities", &[("version", "2.03")]);
            opened = true;
        }
        Activity {
            langs,
            config,
            iati,
            urls,
            i,
            grant,
        }
        .write(&mut doc, status);
        records += 1;
    }
    if !opened {
        return Export {
            bytes: None,
            records: 0,
            left_out,
        };
    }
    doc.close("iati-activities");
    Export {
        bytes: Some(doc.finish()),
        records,
        left_out,
    }
}

fn partnership_status(g: &Graph, grant: &Grant) -> Option<&'static str> {
    match &g.entities[g.resolve_ref(&grant.partnership)?].data {
        Data::Partnership(p) => Some(codes::activity_status(p.status)),
        _ => None,
    }
}

/// `<reporting-org>`, the same in every activity and organisation.
pub fn reporting_org(doc: &mut Doc, langs: &[Language], iati: &Iati) {
    let mut attrs = vec![
        ("ref", iati.identifier.as_str()),
        ("type", iati.org_type.as_str()),
    ];
    if iati.secondary_reporter {
        attrs.push(("secondary-reporter", "1"));
    }
    doc.open("reporting-org", &attrs);
    for l in langs {
        doc.element("narrative", &[("xml:lang", l.tag)], iati.name_in(l.tag));
    }
    doc.close("reporting-org");
}

/// `<name>` with one narrative per language that has the text.
pub fn narratives(doc: &mut Doc, name: &str, attrs: &[(&str, &str)], texts: &[(&str, String)]) {
    let texts: Vec<&(&str, String)> = texts.iter().filter(|(_, t)| !t.is_empty()).collect();
    if texts.is_empty() {
        return;
    }
    doc.open(name, attrs);
    for (lang, text) in texts {
        doc.element("narrative", &[("xml:lang", lang)], text);
    }
    doc.close(name);
}

/// The text `f` gives for record (`kind`, `id`) in each language that has
/// it: the default language, and each other one the record is translated
/// into (an untranslated record's text is not labelled as another
/// language's).
pub fn in_each<'l>(
    langs: &[Language<'l>],
    kind: Kind,
    id: &str,
    f: impl Fn(&Language<'l>, &'l Entity) -> String,
) -> Vec<(&'l str, String)> {
    langs
        .iter()
        .enumerate()
        .filter_map(|(n, l)| {
            let i = l.graph.get(kind, id)?;
            let e = &l.graph.entities[i];
            let translated = !matches!(e.meta.text, crate::model::TextState::Missing);
            (n == 0 || translated).then(|| (l.tag, f(l, e)))
        })
        .collect()
}

/// A sentence for each language: the string `path` filled with `values`.
fn said<'l>(langs: &[Language<'l>], path: &str, values: &[(&str, &str)]) -> Vec<(&'l str, String)> {
    langs
        .iter()
        .map(|l| (l.tag, say::fill(l.strings, path, values)))
        .collect()
}

/// The sentence saying a date is the first day of what the record gives.
fn first_day_note<'l>(
    langs: &[Language<'l>],
    what: &str,
    d: &PartialDate,
    field: &str,
    day: &str,
) -> Vec<(&'l str, String)> {
    langs
        .iter()
        .map(|l| {
            let what = say::text(l.strings, &format!("iati_date_what.{what}"));
            (
                l.tag,
                say::fill(
                    l.strings,
                    &format!("standard_first_day.{}", d.precision()),
                    &[
                        ("what", &what),
                        ("date", &l.locale.date(d)),
                        ("field", field),
                        ("day", day),
                    ],
                ),
            )
        })
        .collect()
}

struct Activity<'a, 'l> {
    langs: &'a [Language<'l>],
    config: &'a Config,
    iati: &'a Iati,
    urls: &'a Urls,
    i: Idx,
    grant: &'a Grant,
}

impl<'l> Activity<'_, 'l> {
    fn graph(&self) -> &'l Graph {
        self.langs[0].graph
    }

    fn entity(&self) -> &'l Entity {
        &self.graph().entities[self.i]
    }

    fn write(&self, doc: &mut Doc, status: &str) {
        let (g, e, grant) = (self.graph(), self.entity(), self.grant);
        let id = &e.meta.id;
        doc.open(
            "iati-activity",
            &[
                ("xml:lang", self.langs[0].tag),
                ("default-currency", grant.amount.currency.code()),
            ],
        );
        doc.text("iati-identifier", &format!("{}-{id}", self.iati.identifier));
        reporting_org(doc, self.langs, self.iati);
        narratives(
            doc,
            "title",
            &[],
            &in_each(self.langs, Kind::Grant, id, |_, e| e.title().to_string()),
        );
        let description = in_each(self.langs, Kind::Grant, id, |_, e| {
            let s = markdown::summary(&e.meta.body, 1000);
            if s.is_empty() {
                e.title().to_string()
            } else {
                s
            }
        });
        narratives(doc, "description", &[("type", "1")], &description);
        self.participants(doc);
        doc.empty("activity-status", &[("code", status)]);
        self.dates(doc);
        if let Some(c) = &grant.recipient_country {
            // IATI's list is ISO 3166; a code the site assigns is not in it.
            if country_codes().any(|x| x == c) {
                doc.empty("recipient-country", &[("code", c), ("percentage", "100")]);
            }
        }
        if let Some(s) = &grant.sector {
            doc.empty(
                "sector",
                &[
                    ("vocabulary", codes::SECTOR_VOCABULARY_DAC),
                    ("code", s),
                    ("percentage", "100"),
                ],
            );
        }
        self.transactions(doc);
        self.documents(doc, g);
        doc.close("iati-activity");
    }

    /// The funder, then each recipient with its role(s).
    fn participants(&self, doc: &mut Doc) {
        let grant = self.grant;
        org(
            doc,
            "participating-org",
            self.langs,
            &grant.funder,
            &[("role", codes::ROLE_FUNDING)],
        );
        let consortium = grant.recipients.len() > 1;
        for r in &grant.recipients {
            for role in codes::recipient_roles(r.role, consortium) {
                org(
                    doc,
                    "participating-org",
                    self.langs,
                    &r.organization,
                    &[("role", role)],
                );
            }
        }
    }

    /// Planned start (the period's start, else the award date, said so)
    /// and planned end.
    fn dates(&self, doc: &mut Doc) {
        let (grant, rule) = (self.grant, self.config.partial_dates);
        let period = grant.period.as_ref();
        let (start, start_is_award) = match period.and_then(|p| p.from) {
            Some(from) => (from, false),
            None => (grant.awarded, true),
        };
        // Required, and checked by `iati_missing_days`.
        if let Some(full) = dates::full(&start, rule) {
            let mut notes = Vec::new();
            if start_is_award {
                notes.extend(said(self.langs, "iati_start_is_award", &[]));
            }
            if let Full::FirstDay(day) = &full {
                let what = if start_is_award { "awarded" } else { "start" };
                join_notes(
                    &mut notes,
                    first_day_note(self.langs, what, &start, "iso-date", day),
                );
            }
            self.date(doc, codes::PLANNED_START, full.iso(), &notes);
        }
        if let Some(end) = period.and_then(|p| p.to) {
            // Optional: left out when the rule leaves it out.
            if let Some(full) = dates::full(&end, rule) {
                let notes = match &full {
                    Full::FirstDay(day) => first_day_note(self.langs, "end", &end, "iso-date", day),
                    Full::Day(_) => Vec::new(),
                };
                self.date(doc, codes::PLANNED_END, full.iso(), &notes);
            }
        }
    }

    fn date(&self, doc: &mut Doc, kind: &str, iso: &str, notes: &[(&str, String)]) {
        let attrs = [("type", kind), ("iso-date", iso)];
        if notes.is_empty() {
            doc.empty("activity-date", &attrs);
        } else {
            doc.open("activity-date", &attrs);
            for (lang, text) in notes {
                doc.element("narrative", &[("xml:lang", lang)], text);
            }
            doc.close("activity-date");
        }
    }

    /// One commitment per award and tranche, from the funder to the one
    /// organization that holds the grant (its sole recipient, or a
    /// consortium's lead; none is named when a consortium has no lead).
    fn transactions(&self, doc: &mut Doc) {
        let grant = self.grant;
        let holder = match grant.recipients.as_slice() {
            [one] => Some(&one.organization),
            many => many
                .iter()
                .find(|r| r.role == vocab::RecipientRole::Lead)
                .map(|r| &r.organization),
        };
        let id = &self.entity().meta.id;
        let mut events: Vec<(&str, PartialDate, &Money, Option<usize>)> =
            vec![("awarded", grant.awarded, &grant.amount, None)];
        for (k, t) in grant.tranches.iter().enumerate() {
            events.push(("tranche", t.date, &t.amount, Some(k)));
        }
        for (what, date, money, tranche) in events {
            let Some(full) = dates::full(&date, self.config.partial_dates) else {
                continue;
            };
            doc.open("transaction", &[]);
            doc.empty(
                "transaction-type",
                &[("code", codes::TRANSACTION_COMMITMENT)],
            );
            doc.empty("transaction-date", &[("iso-date", full.iso())]);
            doc.element(
                "value",
                &[
                    ("currency", money.currency.code()),
                    ("value-date", full.iso()),
                ],
                &money.decimal(),
            );
            let mut notes: Vec<(&str, String)> = match tranche {
                Some(k) => in_each(self.langs, Kind::Grant, id, |_, e| match &e.data {
                    Data::Grant(gr) => gr
                        .tranches
                        .get(k)
                        .and_then(|t| t.note.clone())
                        .unwrap_or_default(),
                    _ => String::new(),
                }),
                None => Vec::new(),
            };
            if let Full::FirstDay(day) = &full {
                join_notes(
                    &mut notes,
                    first_day_note(self.langs, what, &date, "transaction-date", day),
                );
            }
            narratives(doc, "description", &[], &notes);
            org(doc, "provider-org", self.langs, &grant.funder, &[]);
            if let Some(h) = holder {
                org(doc, "receiver-org", self.langs, h, &[]);
            }
            doc.close("transaction");
        }
    }

    /// Pages about the activity: its own, its partnership's, the dialogues
    /// that discussed it or announced a tranche, and its partnership's
    /// pledges and reports.
    fn documents(&self, doc: &mut Doc, g: &Graph) {
        let mut list: Vec<Idx> = vec![self.i];
        if let Some(p) = g.resolve_ref(&self.grant.partnership) {
            list.push(p);
            let mut dialogues = g.referrers(self.i, Kind::Dialogue, "grants");
            dialogues.extend(
                self.grant
                    .tranches
                    .iter()
                    .filter_map(|t| t.dialogue.as_ref().and_then(|r| g.resolve_ref(r))),
            );
            dialogues.sort_unstable();
            dialogues.dedup();
            list.extend(dialogues);
            if let Some(s) = g.stats(p) {
                list.extend(&s.pledges);
                list.extend(&s.reports);
            }
        }
        for i in list {
            document_link(doc, self.langs, self.config, self.urls, i);
        }
    }
}

fn join_notes<'l>(notes: &mut Vec<(&'l str, String)>, more: Vec<(&'l str, String)>) {
    for (lang, text) in more {
        match notes.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, t)) if !t.is_empty() => {
                t.push(' ');
                t.push_str(&text);
            }
            Some((_, t)) => *t = text,
            None => notes.push((lang, text)),
        }
    }
}

/// An organization as a participant, provider or receiver: its IATI
/// identifier and type where known, and its name in every language.
fn org(doc: &mut Doc, element: &str, langs: &[Language], r: &Ref, extra: &[(&str, &str)]) {
    let g = langs[0].graph;
    let record = g.resolve_ref(r).map(|i| &g.entities[i]);
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    if let Some(Data::Organization(o)) = record.map(|e| &e.data) {
        if let Some(id) = &o.iati_identifier {
            attrs.push(("ref", id));
        }
        attrs.push(("type", codes::org_type(o)));
    }
    attrs.extend_from_slice(extra);
    let names = match record {
        Some(_) => in_each(langs, Kind::Organization, &r.id, |_, e| {
            e.title().to_string()
        }),
        None => vec![(
            langs[0].tag,
            g.outside_title(r.kind, &r.id).unwrap_or(&r.id).to_string(),
        )],
    };
    doc.open(element, &attrs);
    for (lang, name) in names {
        doc.element("narrative", &[("xml:lang", lang)], &name);
    }
    doc.close(element);
}

/// A record's page as a `document-link`, dated when the date may be.
pub fn document_link(doc: &mut Doc, langs: &[Language], config: &Config, urls: &Urls, i: Idx) {
    let g = langs[0].graph;
    let e = &g.entities[i];
    let url = urls.absolute(&config.base_url, Target::Entity(e.meta.kind, &e.meta.id));
    doc.open("document-link", &[("format", "text/html"), ("url", &url)]);
    narratives(
        doc,
        "title",
        &[],
        &in_each(langs, e.meta.kind, &e.meta.id, |_, e| e.title().to_string()),
    );
    let date = e.date();
    let full = date.and_then(|d| dates::full(&d, config.partial_dates));
    if let (Some(d), Some(Full::FirstDay(day))) = (date, &full) {
        narratives(
            doc,
            "description",
            &[],
            &first_day_note(langs, "document", &d, "document-date", day),
        );
    }
    doc.empty(
        "category",
        &[("code", codes::document_category(e.meta.kind))],
    );
    for l in langs {
        let primary = l
            .tag
            .split('-')
            .next()
            .unwrap_or(l.tag)
            .to_ascii_lowercase();
        if primary.len() == 2 {
            doc.empty("language", &[("code", &primary)]);
        }
    }
    if let Some(full) = full {
        doc.empty("document-date", &[("iso-date", full.iso())]);
    }
    doc.close("document-link");
}
