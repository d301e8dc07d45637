//! Views: plain JSON built from the graph for templates. Templates never see
//! internal types; every URL in a view is made by [`Urls`] for the page the
//! view is rendered on.

use super::bodies::BodyOn;
use super::edition::Edition;
use crate::config::{Config, Language};
use crate::graph::history::in_order;
use crate::graph::history::{self, Window};
use crate::graph::positions;
use crate::graph::{stats::grant_total, Graph, Idx};
use crate::locale::Locale;
use crate::model::date::DateView;
use crate::model::money::MoneyView;
use crate::model::vocab::{RecipientRole, Vocab};
use crate::model::*;
use crate::urls::{Target, Urls};
use serde_json::{json, Value};
use std::cell::RefCell;

/// The parts of an entity a page can read, as bits. Every view records
/// what it reads, so the watch-mode engine (`serve::engine`) re-renders a
/// page only when a part it read has changed.
pub type Parts = u8;

/// The bits of [`Parts`].
pub mod part {
    use super::Parts;
    /// Id, type, title and date: what a link shows.
    pub const LINK: Parts = 1;
    /// The summary and the typed fields: what a list row or card shows,
    /// and any field a view reads directly.
    pub const LIST: Parts = 2;
    /// Everything about the entity, the body and `extra` included.
    pub const FULL: Parts = 4;
    /// Who refers to the entity (its backlinks).
    pub const BACKLINKS: Parts = 8;
    /// A partnership's computed figures: its records, totals, counts,
    /// timeline and history.
    pub const STATS: Parts = 16;
    /// The date, as a sort key: where the entity stands in a type's index.
    pub const ORDER: Parts = 32;
}

/// Builds views for one page.
pub struct Ctx<'a> {
    pub graph: &'a Graph,
    pub urls: &'a Urls,
    pub config: &'a Config,
    /// The theme's strings in the page's language.
    pub strings: &'a Value,
    pub locale: &'a Locale,
    /// The page's language, and every language of the site.
    pub lang: &'a Language,
    pub languages: &'a [Language],
    /// Each language's name in itself (`language_name` of its strings).
    pub language_names: &'a std::collections::BTreeMap<String, String>,
    /// The page being rendered; URLs are made relative to it where needed.
    pub page: Target<'a>,
    /// Every entity read and the parts read of it, in reading order.
    reads: RefCell<Vec<(Idx, Parts)>>,
    /// The types whose set of records was read (which records exist, how
    /// many), as bits in [`Kind::ALL`] order.
    kinds: std::cell::Cell<u8>,
}

impl<'a> Ctx<'a> {
    pub fn new(ed: &'a Edition<'a>, config: &'a Config, page: Target<'a>) -> Self {
        Ctx {
            graph: &ed.graph,
            urls: &ed.urls,
            config,
            strings: ed.strings,
            locale: &ed.locale,
            lang: ed.lang,
            languages: ed.languages,
            language_names: &ed.language_names,
            page,
            reads: RefCell::new(Vec::new()),
            kinds: std::cell::Cell::new(0),
        }
    }

    /// The page's language: its tag and which way it runs (`ltr`, `rtl`).
    pub fn lang_view(&self) -> Value {
        json!({
            "tag": self.lang.tag,
            "dir": self.locale.direction().as_str(),
            "default": self.lang.is_default(),
        })
    }

    /// The site's default language: the language of the records' own text.
    /// Not the first of `languages`: a bundle of some languages may leave
    /// the default out.
    pub fn default_tag(&self) -> &str {
        &self.config.language
    }

    /// This page in every language of the site: `tag`, `href` (a link
    /// from this page), `absolute` (for `hreflang` alternates, online
    /// only) and whether it is this page's own language.
    pub fn alternates(&self) -> Value {
        let online = self.urls.style != crate::urls::Style::Relative;
        Value::Array(
            self.languages
                .iter()
                .map(|l| {
                    json!({
                        "tag": l.tag,
                        "name": self.language_names.get(&l.tag).unwrap_or(&l.tag),
                        "href": self.urls.url_in(&l.dir, self.page, self.page),
                        "absolute": online.then(|| self.urls.absolute_in(&l.dir, &self.config.base_url, self.page)),
                        "current": l.tag == self.lang.tag,
                        "default": l.is_default(),
                    })
                })
                .collect(),
        )
    }

    /// The open data files for this language's data page: their links,
    /// sizes and newest dates as the page's language writes them.
    pub fn downloads(&self, downloads: &[super::data::Download]) -> Value {
        Value::Array(
            downloads
                .iter()
                .map(|d| {
                    let mut v = json!(d);
                    v["url"] = json!(self.url(Target::Asset(&d.path)));
                    v["newest"] = self.opt_date(d.newest.as_ref());
                    v["size"] = json!(super::data::human_size_in(d.bytes, self.locale));
                    v["left_out"] = Value::Array(
                        d.left_out
                            .iter()
                            .map(|l| {
                                let mut lv = json!(l);
                                lv["url"] = json!(self.url(Target::Entity(l.kind, &l.id)));
                                lv["date"] = self.date(&l.date);
                                lv
                            })
                            .collect(),
                    );
                    v
                })
                .collect(),
        )
    }

    /// A date as the page's language writes it, with its parts.
    pub fn date(&self, d: &PartialDate) -> Value {
        json!(DateView::new(d, self.locale))
    }

    pub fn opt_date(&self, d: Option<&PartialDate>) -> Value {
        d.map_or(Value::Null, |d| self.date(d))
    }

    /// An amount as the page's language writes it.
    pub fn money(&self, m: &Money) -> Value {
        json!(MoneyView::new(m, self.locale))
    }

    /// One amount per currency, never added together.
    pub fn totals(&self, t: &Totals) -> Value {
        Value::Array(t.amounts().iter().map(|m| self.money(m)).collect())
    }

    /// What the views built so far have read (see [`part`]).
    pub fn into_reads(self) -> (Vec<(Idx, Parts)>, u8) {
        (self.reads.into_inner(), self.kinds.get())
    }

    /// Record that the page depends on which records of `kind` exist.
    pub fn read_kind(&self, kind: Kind) {
        self.kinds.set(self.kinds.get() | kind_bit(kind));
    }

    fn read(&self, i: Idx, parts: Parts) {
        self.reads.borrow_mut().push((i, parts));
    }

    /// An entity's typed fields, read directly.
    pub(crate) fn data(&self, i: Idx) -> &'a Data {
        self.read(i, part::LIST);
        &self.graph.entities[i].data
    }

    /// [`Graph::referrers`], recorded as a read of `i`'s backlinks.
    fn referrers(&self, i: Idx, kind: Kind, field: &str) -> Vec<Idx> {
        self.read(i, part::BACKLINKS);
        self.graph.referrers(i, kind, field)
    }

    /// [`Graph::stats`], recorded as a read of the partnership's figures.
    fn stats(&self, i: Idx) -> Option<&'a crate::graph::PartnershipStats> {
        self.read(i, part::STATS);
        self.graph.stats(i)
    }

    pub fn url(&self, to: Target) -> String {
        self.urls.url(to, self.page)
    }

    fn entity(&self, i: Idx) -> &'a Entity {
        &self.graph.entities[i]
    }

    /// The [`Config::recent`] most recent of `list` (by date; undated
    /// ones count as the oldest), in `list`'s order. The dates of a
    /// partnership's records are part of its figures (`part::STATS`).
    fn recent(&self, list: &[Idx]) -> Vec<Idx> {
        let n = self.config.recent;
        if n == 0 || list.len() <= n {
            return list.to_vec();
        }
        let mut newest = list.to_vec();
        newest.sort_by(|&a, &b| {
            let date = |x: Idx| self.entity(x).date();
            date(b).cmp(&date(a)).then(a.cmp(&b))
        });
        newest.truncate(n);
        let keep: std::collections::HashSet<Idx> = newest.into_iter().collect();
        list.iter().copied().filter(|x| keep.contains(x)).collect()
    }

    /// The smallest view of an entity: enough to link to it.
    pub fn link(&self, i: Idx) -> Value {
        self.read(i, part::LINK);
        let e = self.entity(i);
        json!({
            "id": e.meta.id,
            "kind": e.meta.kind.name(),
            "title": e.title(),
            "url": self.url(Target::Entity(e.meta.kind, &e.meta.id)),
            "date": self.opt_date(e.date().as_ref()),
            "lang": super::language::title_lang(e.meta.text, self.default_tag()),
        })
    }

    /// A reference as a link; `null` if it did not resolve (already reported).
    /// A record left out of this graph (an offline bundle of one
    /// partnership) is named, with `url` null: templates show it unlinked.
    pub fn link_ref(&self, r: &Ref) -> Value {
        match self.graph.resolve_ref(r) {
            Some(i) => self.link(i),
            None => match self.graph.outside_title(r.kind, &r.id) {
                Some(title) => json!({
                    "id": r.id,
                    "kind": r.kind.name(),
                    "title": title,
                    "url": Value::Null,
                    "date": Value::Null,
                }),
                None => Value::Null,
            },
        }
    }

    fn link_opt(&self, r: Option<&Ref>) -> Value {
        r.map(|r| self.link_ref(r)).unwrap_or(Value::Null)
    }

    fn list_items(&self, idx: &[Idx]) -> Value {
        Value::Array(idx.iter().map(|&i| self.list_item(i)).collect())
    }

    fn links(&self, idx: &[Idx]) -> Value {
        Value::Array(idx.iter().map(|&i| self.link(i)).collect())
    }

    /// When a progress entry became known ([`Graph::reported`]); the
    /// dates of its dialogue and report are read as their links.
    fn reported(&self, pe: &ProgressEntry) -> Option<PartialDate> {
        for r in pe.dialogue.iter().chain(&pe.report) {
            if let Some(i) = self.graph.resolve_ref(r) {
                self.read(i, part::LINK);
            }
        }
        self.graph.reported(pe)
    }

    /// A position with its period, and whether the records end it
    /// (`former`); one without an end is shown as such, never as "current".
    fn position(&self, pos: &Position) -> Value {
        json!({
            "title": pos.title,
            "organization": self.link_opt(pos.organization.as_ref()),
            "from": self.opt_date(pos.from.as_ref()),
            "to": self.opt_date(pos.to.as_ref()),
            "former": positions::is_former(pos),
        })
    }

    /// A country's name in the page's language: the site's own name for it
    /// (`countries:`, for codes with no ISO name), else CLDR's.
    fn country_name(&self, code: Option<&str>) -> Value {
        let Some(code) = code else {
            return Value::Null;
        };
        let lang = self.lang.tag.as_str();
        let site = self.config.countries.get(code).and_then(|names| {
            names
                .get(lang)
                .or_else(|| names.get(self.config.language.as_str()))
                .or_else(|| names.get(""))
                .or_else(|| names.values().next())
                .cloned()
        });
        site.or_else(|| self.locale.country(code))
            .map_or(Value::Null, |n| json!(n))
    }

    /// A pledge status: its key and its group (for colours and totals).
    pub fn status_view(&self, s: Status) -> Value {
        let st = self.graph.statuses();
        json!({"key": st.key(s), "group": st.group(s).key()})
    }

    /// Sources as links: `kind`, `title`, `url` (null for a document or a
    /// record left out of this graph) and `quote`, and the language of
    /// each when it is not the page's (`title_lang`, `quote_lang`).
    pub fn sources(&self, list: &[Source]) -> Value {
        use super::sources::{resolve, Place};
        Value::Array(
            list.iter()
                .map(|s| {
                    let r = resolve(self.graph, s);
                    let url = match r.place {
                        Place::Record(t) => {
                            if let Target::Entity(k, id) = t {
                                if let Some(i) = self.graph.get(k, id) {
                                    self.read(i, part::LINK);
                                }
                            }
                            json!(self.url(t))
                        }
                        Place::Web(u) => json!(u),
                        Place::Nowhere => Value::Null,
                    };
                    let own = (!self.lang.is_default()).then(|| self.default_tag());
                    let (title_lang, quote_lang) =
                        super::language::source_langs(self.graph, &r, own);
                    json!({"kind": r.kind, "title": r.title, "url": url, "quote": r.quote,
                        "title_lang": title_lang, "quote_lang": quote_lang})
                })
                .collect(),
        )
    }

    fn objectives(&self, e: &Entity, refs: &[ObjectiveRef]) -> Value {
        let part = e.partnership().and_then(|r| self.graph.resolve_ref(r));
        let titles: Vec<Value> = refs
            .iter()
            .map(|o| {
                let title = part.and_then(|p| match self.data(p) {
                    Data::Partnership(x) => x
                        .objectives
                        .iter()
                        .find(|ob| ob.id == o.id)
                        .map(|ob| ob.title.clone()),
                    _ => None,
                });
                json!({ "id": o.id, "title": title.unwrap_or_else(|| o.id.clone()) })
            })
            .collect();
        Value::Array(titles)
    }

    /// Everything a detail page shows about entity `i`.
    pub fn detail(&self, i: Idx) -> Value {
        self.detail_on(i, BodyOn::OwnPage)
    }

    /// [`Ctx::detail`], for a page that shows the body as `on` says.
    fn detail_on(&self, i: Idx, on: BodyOn) -> Value {
        self.read(i, part::FULL);
        let e = self.entity(i);
        let mut v = self.link(i);
        v["body_html"] = json!(self.body_html(e, on));
        v["summary"] = json!(e.meta.summary);
        v["text"] = super::language::text_view(e.meta.text, self.default_tag());
        v["extra"] = e.meta.extra.clone();
        v["sources"] = self.sources(&e.meta.sources);
        let fields = match &e.data {
            Data::Partnership(p) => self.partnership(i, p),
            Data::Dialogue(d) => json!({
                "format": d.format.key(),
                "location": d.location,
                "partnership": self.link_ref(&d.partnership),
                "participants": d.participants.iter().map(|p| json!({
                    "person": self.link_ref(&p.person),
                    "role": p.role,
                    "organization": self.link_opt(p.organization.as_ref()),
                })).collect::<Vec<_>>(),
                "organizations": d.organizations.iter().map(|r| self.link_ref(r)).collect::<Vec<_>>(),
                "objectives": self.objectives(e, &d.objectives),
                "outcomes": d.outcomes.iter().map(|o| json!({
                    "text": o.text,
                    "sources": self.sources(&o.sources),
                })).collect::<Vec<_>>(),
                "pledges": d.pledges.iter().map(|r| self.link_ref(r)).collect::<Vec<_>>(),
                "grants": d.grants.iter().map(|r| self.link_ref(r)).collect::<Vec<_>>(),
                "pledges_made": self.links(&self.referrers(i, Kind::Pledge, "dialogue")),
                "progress_reported": self.links(&self.referrers(i, Kind::Pledge, "progress.dialogue")),
                "tranches_announced": self.links(&self.referrers(i, Kind::Grant, "tranches.dialogue")),
            }),
            Data::Pledge(p) => json!({
                "partnership": self.link_ref(&p.partnership),
                "made_by": self.link_ref(&p.made_by),
                "objectives": self.objectives(e, &p.objectives),
                "made": self.opt_date(p.made.as_ref()),
                "dialogue": self.link_opt(p.dialogue.as_ref()),
                "due": self.opt_date(p.due.as_ref()),
                "status": self.status_view(p.status),
                "latest": in_order(&p.progress).last().map(|pe| json!({
                    "date": self.opt_date(pe.date.as_ref()),
                    "at": self.date(&pe.at),
                    "reported": self.opt_date(self.reported(pe).as_ref()),
                })),
                "progress": in_order(&p.progress).map(|pe| json!({
                    "date": self.opt_date(pe.date.as_ref()),
                    "at": self.date(&pe.at),
                    "status": self.status_view(pe.status),
                    "note": pe.note,
                    "reported": self.opt_date(self.reported(pe).as_ref()),
                    "dialogue": self.link_opt(pe.dialogue.as_ref()),
                    "report": self.link_opt(pe.report.as_ref()),
                    "sources": self.sources(&pe.sources),
                })).collect::<Vec<_>>(),
                "discussed_at": self.links(&self.referrers(i, Kind::Dialogue, "pledges")),
            }),
            Data::Grant(gr) => json!({
                "partnership": self.link_ref(&gr.partnership),
                "funder": self.link_ref(&gr.funder),
                "recipients": gr.recipients.iter().map(|r| json!({
                    "organization": self.link_ref(&r.organization),
                    "role": r.role.key(),
                })).collect::<Vec<_>>(),
                "objectives": self.objectives(e, &gr.objectives),
                "awarded": self.date(&gr.awarded),
                "period": gr.period.as_ref().map(|p| json!({"from": self.opt_date(p.from.as_ref()), "to": self.opt_date(p.to.as_ref())})),
                "amount": self.money(&gr.amount),
                "tranches": gr.tranches.iter().map(|t| json!({
                    "date": self.date(&t.date),
                    "amount": self.money(&t.amount),
                    "note": t.note,
                    "dialogue": self.link_opt(t.dialogue.as_ref()),
                    "sources": self.sources(&t.sources),
                })).collect::<Vec<_>>(),
                "total": self.totals(&grant_total(gr)),
                "discussed_at": self.links(&self.referrers(i, Kind::Dialogue, "grants")),
            }),
            Data::Organization(o) => self.organization(i, o),
            Data::Person(p) => json!({
                "honorific": p.honorific,
                "positions": p.positions.iter().map(|pos| self.position(pos)).collect::<Vec<_>>(),
                "dialogues": self.links(&self.referrers(i, Kind::Dialogue, "participants.person")),
            }),
            Data::Report(r) => {
                let mut v = json!({
                    "partnership": self.link_ref(&r.partnership),
                    "period": {"from": self.opt_date(r.period.from.as_ref()), "to": self.opt_date(r.period.to.as_ref())},
                    "published": self.date(&r.published),
                    "cited_by": self.links(&self.referrers(i, Kind::Pledge, "progress.report")),
                });
                v["progress"] = self.report_progress(r);
                v
            }
        };
        if let (Value::Object(o), Value::Object(f)) = (&mut v, fields) {
            o.extend(f);
        }
        v
    }

    fn organization(&self, i: Idx, o: &Organization) -> Value {
        let g = self.graph;
        let mut funded_totals = Totals::default();
        let funded = self.referrers(i, Kind::Grant, "funder");
        for &x in &funded {
            if let Data::Grant(gr) = self.data(x) {
                grant_total(gr)
                    .amounts()
                    .iter()
                    .for_each(|m| funded_totals.add(m));
            }
        }
        let received_from = self.referrers(i, Kind::Grant, "recipients.organization");
        for &x in &received_from {
            self.data(x);
        }
        let received = crate::graph::received::received(g, i, &received_from);
        let consortium = |x: Idx, role: Option<RecipientRole>| {
            let mut v = self.list_item(x);
            if let Data::Grant(gr) = self.data(x) {
                v["members"] = json!(gr.recipients.len());
            }
            v["role"] = json!(role.map(|r| r.key()));
            v
        };
        let mut dialogues = self.referrers(i, Kind::Dialogue, "organizations");
        dialogues.extend(self.referrers(i, Kind::Dialogue, "participants.organization"));
        dialogues.sort_by_key(|&d| {
            self.read(d, part::LINK);
            (g.entities[d].date(), g.entities[d].meta.id.clone())
        });
        dialogues.dedup();
        // Everyone who held a post here: open posts first, then former
        // ones, the most recent first within each.
        let org_id = &self.entity(i).meta.id;
        let mut held: Vec<(Idx, &Position)> = Vec::new();
        for p in self.referrers(i, Kind::Person, "positions.organization") {
            if let Data::Person(per) = self.data(p) {
                held.extend(
                    per.positions
                        .iter()
                        .filter(|pos| pos.organization.as_ref().is_some_and(|r| &r.id == org_id))
                        .map(|pos| (p, pos)),
                );
            }
        }
        held.sort_by_key(|(p, pos)| {
            (
                positions::is_former(pos),
                std::cmp::Reverse(pos.to.or(pos.from)),
                *p,
            )
        });
        let people: Vec<Value> = held
            .iter()
            .map(|&(p, pos)| {
                let mut v = self.position(pos);
                v["person"] = self.link(p);
                v
            })
            .collect();
        json!({
            "name": o.name,
            "short_name": o.short_name,
            "org_kind": o.kind.key(),
            "country": o.country,
            "country_name": self.country_name(o.country.as_deref()),
            "website": o.website,
            "parent": self.link_opt(o.parent.as_ref()),
            "children": self.links(&self.referrers(i, Kind::Organization, "parent")),
            "grants_funded": self.list_items(&funded),
            "funded_total": self.totals(&funded_totals),
            "received": {
                "sole": self.list_items(&received.sole),
                "sole_total": self.totals(&received.sole_total),
                "lead": received.lead.iter().map(|&x| consortium(x, None)).collect::<Vec<_>>(),
                "member": received.member.iter().map(|&(x, r)| consortium(x, Some(r))).collect::<Vec<_>>(),
                "any": !received_from.is_empty(),
            },
            "pledges": self.list_items(&self.referrers(i, Kind::Pledge, "made_by")),
            "dialogues": self.links(&dialogues),
            "people": people,
            "partnerships": self.links(&self.referrers(i, Kind::Partnership, "parties")),
        })
    }

    /// A partnership's briefing: its own view plus the full view of its
    /// dialogues, pledges, grants and reports (the [`Config::recent`] most
    /// recent of each), for one printable page. Their bodies share the
    /// page, so each one's ids carry a prefix of its own.
    pub fn briefing(&self, i: Idx) -> Value {
        let mut v = self.detail_on(i, BodyOn::Combined);
        if let Some(s) = self.stats(i) {
            let full = |list: &[Idx]| {
                Value::Array(
                    self.recent(list)
                        .iter()
                        .map(|&x| self.detail_on(x, BodyOn::Combined))
                        .collect(),
                )
            };
            v["briefing"] = json!({
                "dialogues": full(&s.dialogues),
                "pledges": full(&s.pledges),
                "grants": full(&s.grants),
                "reports": full(&s.reports),
            });
        }
        v["page_url"] = json!(self.url(Target::Entity(Kind::Partnership, &self.entity(i).meta.id)));
        v
    }

    /// What the home page shows of a partnership: key figures, no lists.
    pub fn partnership_card(&self, i: Idx) -> Value {
        let mut v = self.link(i);
        v["summary"] = json!(self.entity(i).meta.summary);
        if let (Data::Partnership(p), Some(s)) = (self.data(i), self.stats(i)) {
            v["status"] = json!(p.status.key());
            v["signed"] = self.opt_date(p.signed.as_ref());
            v["funding"] = self.totals(&s.funding);
            v["pledge_total"] = json!(s.pledges.len());
            v["grant_count"] = json!(s.grants.len());
            v["dialogue_count"] = json!(s.dialogues.len());
            v["report_count"] = json!(s.reports.len());
            v["pledge_counts"] = json!(s
                .pledge_counts
                .iter()
                .map(|(st, n)| json!({"status": self.status_view(*st), "count": n}))
                .collect::<Vec<_>>());
        }
        v
    }

    fn partnership(&self, i: Idx, p: &Partnership) -> Value {
        let g = self.graph;
        let Some(s) = self.stats(i) else {
            return json!({});
        };
        let pledges_by_objective = |obj: &str, kind: Kind| -> (Value, usize) {
            let list: &[Idx] = if kind == Kind::Pledge {
                &s.pledges
            } else {
                &s.grants
            };
            let of_objective: Vec<Idx> = list
                .iter()
                .copied()
                .filter(|&x| {
                    self.read(x, part::LIST);
                    g.entities[x].objective_refs().iter().any(|o| o.id == obj)
                })
                .collect();
            (
                self.list_items(&self.recent(&of_objective)),
                of_objective.len(),
            )
        };
        let objective = |o: &Objective| {
            let (pledges, pledge_total) = pledges_by_objective(&o.id, Kind::Pledge);
            let (grants, grant_total) = pledges_by_objective(&o.id, Kind::Grant);
            json!({
                "id": o.id,
                "title": o.title,
                "pledges": pledges,
                "pledge_total": pledge_total,
                "grants": grants,
                "grant_total": grant_total,
            })
        };
        let recent_items = |list: &[Idx]| self.list_items(&self.recent(list));
        let timeline = match self.config.recent {
            0 => &s.timeline[..],
            n => &s.timeline[s.timeline.len().saturating_sub(n)..],
        };
        json!({
            "briefing_url": self.url(Target::Briefing(&self.entity(i).meta.id)),
            "short_name": p.short_name,
            "signed": self.opt_date(p.signed.as_ref()),
            "status": p.status.key(),
            "parties": p.parties.iter().map(|r| self.link_ref(r)).collect::<Vec<_>>(),
            "objectives": p.objectives.iter().map(objective).collect::<Vec<_>>(),
            "funding": self.totals(&s.funding),
            "pledge_counts": s.pledge_counts.iter().map(|(st, n)| json!({"status": self.status_view(*st), "count": n})).collect::<Vec<_>>(),
            "pledge_total": s.pledges.len(),
            "dialogues": recent_items(&s.dialogues),
            "pledges": recent_items(&s.pledges),
            "grants": recent_items(&s.grants),
            "reports": recent_items(&s.reports),
            // Every record of the partnership, where the lists above may
            // show only the most recent.
            "totals": {
                "dialogue": s.dialogues.len(),
                "pledge": s.pledges.len(),
                "grant": s.grants.len(),
                "report": s.reports.len(),
                "timeline": s.timeline.len(),
            },
            "index_urls": {
                "dialogue": self.url(Target::Index(Kind::Dialogue)),
                "pledge": self.url(Target::Index(Kind::Pledge)),
                "grant": self.url(Target::Index(Kind::Grant)),
                "report": self.url(Target::Index(Kind::Report)),
            },
            "charts": self.charts(s),
            "timeline": timeline.iter().map(|ev| json!({
                "date": self.date(&ev.date),
                "kind": ev.kind,
                "entity": self.link(ev.entity),
                "amount": ev.amount.as_ref().map(|m| self.money(m)),
                "status": ev.status.map(|st| self.status_view(st)),
                "note": ev.note,
            })).collect::<Vec<_>>(),
        })
    }

    /// A report's generated table: each pledge's status at the end of the
    /// period (its `to`, else the publication date) and what happened during
    /// it. See `graph::history` for how partial dates count.
    fn report_progress(&self, r: &Report) -> Value {
        let g = self.graph;
        let end = r.period.to.unwrap_or(r.published);
        let Some(part) = g.resolve_ref(&r.partnership) else {
            return Value::Null;
        };
        let sum = history::period_summary(
            g,
            part,
            Window::new(r.period.from, end),
            Some(r.published.end()),
        );
        // The history reads every record of the partnership.
        self.read(part, self::part::STATS);
        let pledge = |i: Idx| match self.data(i) {
            Data::Pledge(p) => Some(p),
            _ => None,
        };
        let event = |e: &history::PeriodEvent| json!({"date": self.date(&e.date), "entity": self.link(e.entity), "uncertain": e.uncertain});
        let pledges: Vec<Value> = sum
            .pledges
            .iter()
            .map(|x| {
                let mut l = self.link(x.pledge);
                l["made_by"] = pledge(x.pledge).map_or(Value::Null, |p| self.link_ref(&p.made_by));
                l["at_start"] = x.at_start.map_or(Value::Null, |s| self.status_view(s));
                l["at_end"] = self.status_view(x.at_end);
                l["at_end_now"] = x.at_end_now.map_or(Value::Null, |s| self.status_view(s));
                l
            })
            .collect();
        let changes: Vec<Value> = sum
            .changes
            .iter()
            .filter_map(|c| {
                let pe = &pledge(c.pledge)?.progress[c.change.entry];
                Some(json!({
                    "date": self.opt_date(pe.date.as_ref()),
                    "at": self.date(&pe.at),
                    "pledge": self.link(c.pledge),
                    "from": self.status_view(c.change.from),
                    "to": self.status_view(c.change.to),
                    "changed": c.change.changed(),
                    "reported": self.status_view(pe.status),
                    "note": pe.note,
                    "dialogue": self.link_opt(pe.dialogue.as_ref()),
                    "report": self.link_opt(pe.report.as_ref()),
                    "uncertain": c.uncertain,
                }))
            })
            .collect();
        let since: Vec<Value> = sum
            .since
            .iter()
            .filter_map(|l| {
                let pe = pledge(l.pledge)?.progress.get(l.entry)?;
                Some(json!({
                    "date": self.opt_date(pe.date.as_ref()),
                    "at": self.date(&pe.at),
                    "reported": self.opt_date(l.known.as_ref()),
                    "pledge": self.link(l.pledge),
                    "status": self.status_view(pe.status),
                    "note": pe.note,
                    "dialogue": self.link_opt(pe.dialogue.as_ref()),
                    "report": self.link_opt(pe.report.as_ref()),
                }))
            })
            .collect();
        let made: Vec<Value> = sum
            .pledges_made
            .iter()
            .map(|e| {
                let mut v = event(e);
                v["made_by"] = pledge(e.entity).map_or(Value::Null, |p| self.link_ref(&p.made_by));
                v
            })
            .collect();
        let funding: Vec<Value> = sum
            .funding
            .iter()
            .map(|e| {
                let mut v = event(e);
                if let Data::Grant(gr) = self.data(e.entity) {
                    v["funder"] = self.link_ref(&gr.funder);
                    v["note"] = json!(e.tranche.and_then(|n| gr.tranches[n].note.as_ref()));
                }
                v["kind"] = json!(if e.tranche.is_some() {
                    "tranche"
                } else {
                    "award"
                });
                v["amount"] = e.amount.as_ref().map_or(Value::Null, |m| self.money(m));
                v
            })
            .collect();
        let counts: Vec<Value> = g
            .statuses()
            .all()
            .map(|(s, _)| {
                let n = sum.pledges.iter().filter(|x| x.at_end == s).count();
                json!({"status": self.status_view(s), "count": n})
            })
            .collect();
        let uncertain = sum.changes.iter().any(|c| c.uncertain)
            || [&sum.pledges_made, &sum.funding, &sum.dialogues]
                .iter()
                .any(|l| l.iter().any(|e| e.uncertain));
        json!({
            "start": self.opt_date(r.period.from.as_ref()),
            "end": self.date(&end),
            "end_is_published": r.period.to.is_none(),
            "pledges": pledges,
            "counts": counts,
            "total": sum.pledges.len(),
            "changes": changes,
            "since": since,
            "published": self.date(&r.published),
            "pledges_made": made,
            "funding": funding,
            "funding_total": self.totals(&sum.funding_total),
            "dialogues": sum.dialogues.iter().map(event).collect::<Vec<_>>(),
            "uncertain": uncertain,
        })
    }

    /// A row of an index page: the link plus the few facts a list shows.
    pub fn list_item(&self, i: Idx) -> Value {
        self.read(i, part::LIST);
        let e = self.entity(i);
        let mut v = self.link(i);
        let extra = match &e.data {
            Data::Partnership(p) => json!({"status": p.status.key(), "short_name": p.short_name}),
            Data::Dialogue(d) => json!({"format": d.format.key(), "location": d.location}),
            Data::Pledge(p) => {
                json!({"status": self.status_view(p.status), "made_by": self.link_ref(&p.made_by), "due": self.opt_date(p.due.as_ref())})
            }
            Data::Grant(g) => {
                json!({"funder": self.link_ref(&g.funder), "total": self.totals(&grant_total(g)), "recipient_count": g.recipients.len()})
            }
            Data::Organization(o) => {
                json!({"org_kind": o.kind.key(), "country": o.country, "country_name": self.country_name(o.country.as_deref())})
            }
            Data::Person(p) => json!({"position": current_position(p).map(|x| self.position(x))}),
            Data::Report(r) => {
                json!({"period": {"from": self.opt_date(r.period.from.as_ref()), "to": self.opt_date(r.period.to.as_ref())}})
            }
        };
        v["summary"] = json!(e.meta.summary);
        if let (Some(o), Value::Object(x)) = (v.as_object_mut(), extra) {
            o.extend(x);
        }
        v
    }

    /// Page `page` (from 1) of the index of `kind`: its records, newest
    /// first (undated ones last, ties by id), and the links between pages.
    pub fn index_page(&self, kind: Kind, page: u32) -> (Value, Value) {
        self.read_kind(kind);
        let all = self.graph.of_kind(kind);
        for &i in all {
            self.read(i, part::ORDER);
        }
        // Graph order is by date, then id; keep the ids' order within a date.
        let mut order = all.to_vec();
        order.sort_by_key(|&x| std::cmp::Reverse(self.entity(x).date()));
        let pages = index_pages(order.len(), self.config.per_page);
        let page = page.clamp(1, pages);
        let per = if self.config.per_page == 0 {
            order.len().max(1)
        } else {
            self.config.per_page
        };
        let from = ((page - 1) as usize * per).min(order.len());
        let to = (from + per).min(order.len());
        let url = |n: u32| -> Value {
            if (1..=pages).contains(&n) {
                json!(self.url(index_target(kind, n)))
            } else {
                Value::Null
            }
        };
        // The first and last pages, and two either side of this one.
        let mut links = Vec::new();
        let mut last_shown = 0;
        for n in 1..=pages {
            if n == 1 || n == pages || n.abs_diff(page) <= 2 {
                if n > last_shown + 1 {
                    links.push(json!({"gap": true}));
                }
                links.push(json!({"n": n, "url": url(n), "current": n == page}));
                last_shown = n;
            }
        }
        let pagination = json!({
            "page": page,
            "pages": pages,
            "total": order.len(),
            "first": if to > from { from + 1 } else { 0 },
            "last": to,
            "prev": url(page.wrapping_sub(1)),
            "next": url(page + 1),
            "links": links,
        });
        (self.list_items(&order[from..to]), pagination)
    }

    /// Navigation: one entry per type index, plus home.
    pub fn nav(&self) -> Value {
        let items: Vec<Value> = Kind::ALL
            .iter()
            .map(|k| {
                json!({
                    "kind": k.name(),
                    "folder": k.folder(),
                    "url": self.url(Target::Index(*k)),
                    "current": if self.page == Target::Index(*k) {
                        json!("page")
                    } else if matches!(self.page, Target::Entity(pk, _) | Target::IndexPage(pk, _) if pk == *k) {
                        json!("section")
                    } else {
                        json!(false)
                    },
                })
            })
            .collect();
        json!({ "home": self.url(Target::Home), "indexes": items })
    }
}

/// A type's bit in [`Ctx::read_kind`]'s set.
pub fn kind_bit(kind: Kind) -> u8 {
    1 << Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// How many pages the index of `n` records takes (at least one).
pub fn index_pages(n: usize, per_page: usize) -> u32 {
    if per_page == 0 {
        return 1;
    }
    n.div_ceil(per_page).max(1) as u32
}

/// Page `n` of a type's index: the type's folder for the first.
pub fn index_target<'a>(kind: Kind, n: u32) -> Target<'a> {
    if n <= 1 {
        Target::Index(kind)
    } else {
        Target::IndexPage(kind, n)
    }
}

/// The position a person holds now: the first without an end date, else the
/// one that ended last.
pub fn current_position(p: &Person) -> Option<&Position> {
    p.positions
        .iter()
        .find(|x| x.to.is_none())
        .or_else(|| p.positions.iter().max_by_key(|x| x.to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_lists_the_newest_records_first_a_page_at_a_time() {
        let (g, diags) = crate::testing::with_base(&[
            (
                "dialogues/a.md",
                "---\ntitle: A\ndate: 2021-03-01\npartnership: p\nformat: virtual\n---\n",
            ),
            (
                "dialogues/b.md",
                "---\ntitle: B\ndate: 2022-01-01\npartnership: p\nformat: virtual\n---\n",
            ),
            (
                "dialogues/c.md",
                "---\ntitle: C\ndate: 2021-03-01\npartnership: p\nformat: virtual\n---\n",
            ),
            (
                "dialogues/d.md",
                "---\ntitle: D\ndate: 2020\npartnership: p\nformat: virtual\n---\n",
            ),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        let config = Config {
            per_page: 3,
            ..Config::default()
        };
        let urls = Urls::site("/");
        let ids = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_string())
                .collect()
        };
        let strings = serde_json::json!({});
        let ed = crate::testing::edition(&g, &config, &urls, &strings);
        let ctx = Ctx::new(&ed, &config, Target::Index(Kind::Dialogue));
        let (items, p) = ctx.index_page(Kind::Dialogue, 1);
        // Newest first; a tie on the date goes by id.
        assert_eq!(ids(&items), ["b", "a", "c"]);
        assert_eq!(
            (p["pages"].as_u64(), p["total"].as_u64()),
            (Some(2), Some(4))
        );
        assert_eq!(p["prev"], Value::Null);
        assert_eq!(p["next"], "/dialogues/page/2/");
        // Where each record stands depends on every date of the type, and
        // the page on which dialogues exist.
        let (reads, kinds) = ctx.into_reads();
        assert_eq!(kinds, kind_bit(Kind::Dialogue));
        for d in ["a", "b", "c", "d"] {
            let i = g.get(Kind::Dialogue, d).unwrap();
            assert!(
                reads.iter().any(|&(x, p)| x == i && p & part::ORDER != 0),
                "{d}"
            );
        }
        let ctx = Ctx::new(&ed, &config, Target::IndexPage(Kind::Dialogue, 2));
        let (items, p) = ctx.index_page(Kind::Dialogue, 2);
        assert_eq!(ids(&items), ["d"]);
        assert_eq!(
            (p["first"].as_u64(), p["last"].as_u64()),
            (Some(4), Some(4))
        );
        assert_eq!(p["prev"], "/dialogues/");
        assert_eq!(p["next"], Value::Null);
        // Everything on one page with 0.
        let all = Config {
            per_page: 0,
            ..Config::default()
        };
        let ed = crate::testing::edition(&g, &all, &urls, &strings);
        let ctx = Ctx::new(&ed, &all, Target::Index(Kind::Dialogue));
        let (items, p) = ctx.index_page(Kind::Dialogue, 1);
        assert_eq!(ids(&items).len(), 4);
        assert_eq!(p["pages"].as_u64(), Some(1));
        assert_eq!(index_pages(0, 100), 1);
        assert_eq!(index_pages(201, 100), 3);
    }
}
