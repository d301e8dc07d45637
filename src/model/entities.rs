//! The seven entity types as parsed from front matter, before references are
//! resolved. A reference is an id plus where it was written, so later stages
//! can report a broken one at its line and column.

use super::date::PartialDate;
use super::money::Money;
use super::status::Status;
use super::vocab::*;
use crate::diagnostics::Pos;

/// The entity types, one folder each under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Partnership,
    Dialogue,
    Pledge,
    Grant,
    Organization,
    Person,
    Report,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Partnership,
        Kind::Dialogue,
        Kind::Pledge,
        Kind::Grant,
        Kind::Organization,
        Kind::Person,
        Kind::Report,
    ];

    /// The folder under `content/` and the URL segment.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Partnership => "partnerships",
            Kind::Dialogue => "dialogues",
            Kind::Pledge => "pledges",
            Kind::Grant => "grants",
            Kind::Organization => "organizations",
            Kind::Person => "people",
            Kind::Report => "reports",
        }
    }

    /// The singular name, used in messages and as the template name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Partnership => "partnership",
            Kind::Dialogue => "dialogue",
            Kind::Pledge => "pledge",
            Kind::Grant => "grant",
            Kind::Organization => "organization",
            Kind::Person => "person",
            Kind::Report => "report",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A typed reference to another entity, as written in front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub kind: Kind,
    pub id: String,
    pub pos: Pos,
    /// The field path it was written in, e.g. `recipients[2].organization`.
    pub field: String,
}

/// A reference to one of a partnership's objectives, by objective id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveRef {
    pub id: String,
    pub pos: Pos,
    pub field: String,
}

/// An internal link written in Markdown (`@/grants/x.md#part`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: String,
    pub pos: Pos,
}

/// What every entity has besides its own fields.
#[derive(Debug, Clone)]
pub struct Meta {
    pub kind: Kind,
    pub id: String,
    /// Path relative to the site root, `/`-separated.
    pub file: String,
    /// The Markdown body (a part of the file's text, not a copy) and the
    /// file line it starts on.
    pub body: super::Text,
    pub body_line: usize,
    /// The first paragraph as plain text, shortened, for lists and descriptions.
    pub summary: String,
    pub links: Vec<Link>,
    /// Free-form data under `extra:`, passed to templates untouched.
    pub extra: serde_json::Value,
    /// What the record as a whole is based on (`sources:`).
    pub sources: Vec<Source>,
    /// Whose text this is: the record's own, a translation, or the
    /// record's own standing in for a missing one (set by
    /// `graph::translations::localize`).
    pub text: TextState,
}

#[derive(Debug, Clone)]
pub struct Objective {
    pub id: String,
    pub title: String,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Partnership {
    pub title: String,
    pub short_name: Option<String>,
    pub signed: Option<PartialDate>,
    pub parties: Vec<Ref>,
    pub objectives: Vec<Objective>,
    pub status: PartnershipStatus,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub person: Ref,
    pub role: Option<String>,
    pub organization: Option<Ref>,
}

#[derive(Debug, Clone)]
pub struct Dialogue {
    pub title: String,
    pub date: PartialDate,
    pub partnership: Ref,
    pub format: DialogueFormat,
    pub location: Option<String>,
    pub participants: Vec<Participant>,
    pub organizations: Vec<Ref>,
    pub objectives: Vec<ObjectiveRef>,
    pub outcomes: Vec<Outcome>,
    pub pledges: Vec<Ref>,
    pub grants: Vec<Ref>,
}

/// Where a claim comes from: a record on the site, a web page, or a
/// document with no address. See "Sources" in `docs/content-model.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRef {
    /// A dialogue or report on the site.
    Record(Ref),
    /// A web address, or an internal `@/…` link (checked like body links).
    Url { url: String, title: Option<String> },
    /// A document named by its title, with no address.
    Document(String),
}

/// A source of a claim, with the passage that supports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub what: SourceRef,
    pub quote: Option<String>,
    pub pos: Pos,
    /// The field path it was written in, e.g. `progress[0].sources[1]`.
    pub field: String,
}

/// One item of a dialogue's `outcomes`: the text, and its sources when the
/// dialogue's own do not cover it.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub text: String,
    pub sources: Vec<Source>,
}

/// A change in a pledge's status: when it took effect (`date`), and when
/// and where it became known (`reported`, `dialogue`, `report`).
#[derive(Debug, Clone)]
pub struct ProgressEntry {
    /// When the status took effect, as written; `None` when no source says.
    pub date: Option<PartialDate>,
    /// When the status took effect for every calculation: `date`, or when
    /// that is not known, `reported` (the status held by then).
    pub at: PartialDate,
    /// Where `at` comes from in the file.
    pub date_pos: Pos,
    pub status: Status,
    pub note: Option<String>,
    /// When it became known, if written; else the date of `dialogue` or
    /// `report` ([`crate::graph::Graph::reported`]).
    pub reported: Option<PartialDate>,
    pub reported_pos: Option<Pos>,
    /// The dialogue where it was reported.
    pub dialogue: Option<Ref>,
    /// The report where it was reported.
    pub report: Option<Ref>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone)]
pub struct Pledge {
    pub title: String,
    pub partnership: Ref,
    pub made_by: Ref,
    pub objectives: Vec<ObjectiveRef>,
    pub made: Option<PartialDate>,
    pub dialogue: Option<Ref>,
    pub due: Option<PartialDate>,
    pub status: Status,
    pub status_pos: Pos,
    pub progress: Vec<ProgressEntry>,
}

#[derive(Debug, Clone)]
pub struct Recipient {
    pub organization: Ref,
    pub role: RecipientRole,
}

#[derive(Debug, Clone)]
pub struct Period {
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// Where `to` (or the period) is written, for "ends before it starts".
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Tranche {
    /// When the money was given.
    pub date: PartialDate,
    pub amount: Money,
    pub note: Option<String>,
    /// The dialogue where it was announced.
    pub dialogue: Option<Ref>,
    pub sources: Vec<Source>,
    /// Where the tranche starts in the file.
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub title: String,
    pub partnership: Ref,
    pub funder: Ref,
    pub recipients: Vec<Recipient>,
    pub objectives: Vec<ObjectiveRef>,
    pub awarded: PartialDate,
    pub awarded_pos: Pos,
    pub period: Option<Period>,
    pub amount: Money,
    pub tranches: Vec<Tranche>,
    /// Where the funded work takes place (ISO 3166-1 alpha-2), for IATI's
    /// `recipient-country`.
    pub recipient_country: Option<String>,
    /// The OECD DAC 5-digit purpose code the grant serves, for IATI's `sector`.
    pub sector: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub country: Option<String>,
    pub website: Option<String>,
    pub parent: Option<Ref>,
    /// Its organisation identifier in the IATI sense (org-id.guide):
    /// registration agency and number, e.g. `XM-DAC-302`.
    pub iati_identifier: Option<String>,
    /// Its IATI organisation type code, when the one its `kind` maps to
    /// does not fit (a donor that is a foundation, `60`).
    pub iati_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Position {
    pub pos: Pos,
    pub title: String,
    pub organization: Option<Ref>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub honorific: Option<String>,
    pub positions: Vec<Position>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub title: String,
    pub partnership: Ref,
    pub period: Period,
    pub published: PartialDate,
    pub published_pos: Pos,
}

/// The typed fields of one entity.
#[derive(Debug, Clone)]
pub enum Data {
    Partnership(Partnership),
    Dialogue(Dialogue),
    Pledge(Pledge),
    Grant(Grant),
    Organization(Organization),
    Person(Person),
    Report(Report),
}

/// One parsed content file.
#[derive(Debug, Clone)]
pub struct Entity {
    pub meta: Meta,
    pub data: Data,
}

impl Entity {
    /// The display title: `title` or an organization's or person's `name`.
    pub fn title(&self) -> &str {
        match &self.data {
            Data::Partnership(x) => &x.title,
            Data::Dialogue(x) => &x.title,
            Data::Pledge(x) => &x.title,
            Data::Grant(x) => &x.title,
            Data::Organization(x) => &x.name,
            Data::Person(x) => &x.name,
            Data::Report(x) => &x.title,
        }
    }

    /// The date lists sort by, where the type has one.
    pub fn date(&self) -> Option<PartialDate> {
        match &self.data {
            Data::Partnership(x) => x.signed,
            Data::Dialogue(x) => Some(x.date),
            Data::Pledge(x) => x.made,
            Data::Grant(x) => Some(x.awarded),
            Data::Report(x) => Some(x.published),
            Data::Organization(_) | Data::Person(_) => None,
        }
    }

    /// Every typed reference this entity makes, for resolution.
    pub fn refs(&self) -> Vec<&Ref> {
        let mut out: Vec<&Ref> = Vec::new();
        match &self.data {
            Data::Partnership(p) => out.extend(&p.parties),
            Data::Dialogue(d) => {
                out.push(&d.partnership);
                for p in &d.participants {
                    out.push(&p.person);
                    out.extend(&p.organization);
                }
                out.extend(&d.organizations);
                out.extend(&d.pledges);
                out.extend(&d.grants);
            }
            Data::Pledge(p) => {
                out.push(&p.partnership);
                out.push(&p.made_by);
                out.extend(&p.dialogue);
                for e in &p.progress {
                    out.extend(&e.dialogue);
                    out.extend(&e.report);
                }
            }
            Data::Grant(g) => {
                out.push(&g.partnership);
                out.push(&g.funder);
                out.extend(g.recipients.iter().map(|r| &r.organization));
                out.extend(g.tranches.iter().filter_map(|t| t.dialogue.as_ref()));
            }
            Data::Organization(o) => out.extend(&o.parent),
            Data::Person(p) => {
                out.extend(p.positions.iter().filter_map(|x| x.organization.as_ref()))
            }
            Data::Report(r) => out.push(&r.partnership),
        }
        out.extend(self.sources().filter_map(|s| match &s.what {
            SourceRef::Record(r) => Some(r),
            _ => None,
        }));
        out
    }

    /// Every source written in the record: its own, then those of its
    /// progress entries, tranches and outcomes.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        let nested: Vec<&Source> = match &self.data {
            Data::Pledge(p) => p.progress.iter().flat_map(|e| &e.sources).collect(),
            Data::Grant(g) => g.tranches.iter().flat_map(|t| &t.sources).collect(),
            Data::Dialogue(d) => d.outcomes.iter().flat_map(|o| &o.sources).collect(),
            _ => Vec::new(),
        };
        self.meta.sources.iter().chain(nested)
    }

    /// The partnership this entity belongs to, for objective references.
    pub fn partnership(&self) -> Option<&Ref> {
        match &self.data {
            Data::Dialogue(d) => Some(&d.partnership),
            Data::Pledge(p) => Some(&p.partnership),
            Data::Grant(g) => Some(&g.partnership),
            Data::Report(r) => Some(&r.partnership),
            _ => None,
        }
    }

    /// Objective references, checked against the entity's partnership.
    pub fn objective_refs(&self) -> &[ObjectiveRef] {
        match &self.data {
            Data::Dialogue(d) => &d.objectives,
            Data::Pledge(p) => &p.objectives,
            Data::Grant(g) => &g.objectives,
            _ => &[],
        }
    }
}

/// Where a record's text stands in one language, for pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextState {
    /// The record's own text, in the site's default language.
    #[default]
    Original,
    /// Translated; `outdated` when the record's text changed since (its
    /// digest is not the one the translation names), `title` and `body`
    /// when those are translated too (or the record has no body).
    Translated {
        unofficial: bool,
        outdated: bool,
        title: bool,
        body: bool,
    },
    /// No translation: the default language's text is shown.
    Missing,
}
