//! The CSV tables: which exist, their columns, and the types of records
//! each reads (for watch mode); `rows.rs` makes their rows. One row per
//! record in the type tables; one row per item in the long tables (recipients, participants,
//! positions, objectives, references), so that names sit beside ids and
//! no cell holds a list a spreadsheet cannot use. `grant-amounts.csv` holds
//! every award and tranche, so it sums by grant and currency to the totals
//! the pages show. A column of the records' text (`.translated()`) is
//! written again for each of the site's other languages, from its
//! translations (`title_mn`, see `table.rs`). Columns are described in
//! `docs/open-data.md` and, for people, in the theme's strings
//! (`data_col`).

use super::table::{opt, req, Column, Type::*};
use crate::graph::Graph;
use crate::model::vocab::{DialogueFormat, OrgKind, PartnershipStatus, RecipientRole, Vocab};
use crate::model::{Kind, PartialDate};

/// Every CSV table, in the data page's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Partnerships,
    Objectives,
    Dialogues,
    Participants,
    Pledges,
    Progress,
    Grants,
    Recipients,
    Amounts,
    Organizations,
    People,
    Positions,
    Reports,
    References,
}

impl Table {
    pub const ALL: [Table; 14] = [
        Table::Partnerships,
        Table::Objectives,
        Table::Dialogues,
        Table::Participants,
        Table::Pledges,
        Table::Progress,
        Table::Grants,
        Table::Recipients,
        Table::Amounts,
        Table::Organizations,
        Table::People,
        Table::Positions,
        Table::Reports,
        Table::References,
    ];

    /// The file's name without `.csv`; also its key in the theme's strings.
    pub fn stem(self) -> &'static str {
        match self {
            Table::Partnerships => "partnerships",
            Table::Objectives => "objectives",
            Table::Dialogues => "dialogues",
            Table::Participants => "dialogue-participants",
            Table::Pledges => "pledges",
            Table::Progress => "pledge-progress",
            Table::Grants => "grants",
            Table::Recipients => "grant-recipients",
            Table::Amounts => "grant-amounts",
            Table::Organizations => "organizations",
            Table::People => "people",
            Table::Positions => "positions",
            Table::Reports => "reports",
            Table::References => "references",
        }
    }

    pub fn path(self) -> String {
        format!("data/{}.csv", self.stem())
    }

    /// The types whose records' fields, titles or dates the table shows:
    /// an edit to one of them rebuilds it.
    pub fn reads(self) -> &'static [Kind] {
        use Kind as K;
        match self {
            Table::Partnerships | Table::Objectives => &[K::Partnership],
            Table::Dialogues => &[K::Dialogue, K::Partnership],
            Table::Participants => &[K::Dialogue, K::Person, K::Organization],
            Table::Pledges => &[K::Pledge, K::Partnership, K::Organization, K::Dialogue],
            Table::Progress => &[K::Pledge, K::Dialogue, K::Report],
            Table::Grants => &[K::Grant, K::Partnership, K::Organization],
            Table::Recipients => &[K::Grant, K::Organization],
            Table::Amounts => &[K::Grant, K::Organization, K::Dialogue],
            Table::Organizations => &[K::Organization],
            Table::People => &[K::Person],
            Table::Positions => &[K::Person, K::Organization],
            Table::Reports => &[K::Report, K::Partnership],
            Table::References => &Kind::ALL,
        }
    }

    /// The records a row stands for: the type the table lists, if any.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Table::Partnerships => Some(Kind::Partnership),
            Table::Dialogues => Some(Kind::Dialogue),
            Table::Pledges => Some(Kind::Pledge),
            Table::Grants => Some(Kind::Grant),
            Table::Organizations => Some(Kind::Organization),
            Table::People => Some(Kind::Person),
            Table::Reports => Some(Kind::Report),
            _ => None,
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Partnerships => {
                const C: &[Column] = &[
                    req("id", Id),
                    req("title", Text).translated(),
                    opt("short_name", Text).translated(),
                    opt("signed", Date),
                    req("status", Code(codes::<PartnershipStatus>())),
                    req("status_label", Label),
                    opt("parties", Ids),
                    opt("objectives", Ids),
                    req("url", Url),
                ];
                C
            }
            Table::Objectives => {
                const C: &[Column] = &[
                    req("partnership", Id),
                    req("partnership_title", Text).translated(),
                    req("objective", Id),
                    req("title", Text).translated(),
                ];
                C
            }
            Table::Dialogues => {
                const C: &[Column] = &[
                    req("id", Id),
                    req("title", Text).translated(),
                    req("date", Date),
                    req("partnership", Id),
                    req("partnership_title", Text).translated(),
                    req("format", Code(codes::<DialogueFormat>())),
                    req("format_label", Label),
                    opt("location", Text).translated(),
                    opt("participants", Ids),
                    opt("organizations", Ids),
                    opt("objectives", Ids),
                    opt("pledges", Ids),
                    opt("grants", Ids),
                    req("url", Url),
                ];
                C
            }
            Table::Participants => {
                const C: &[Column] = &[
                    req("dialogue", Id),
                    req("dialogue_title", Text).translated(),
                    req("person", Id),
                    req("person_name", Text).translated(),
                    opt("role", Text).translated(),
                    opt("organization", Id),
                    opt("organization_name", Text).translated(),
                ];
                C
            }
            Table::Pledges => {
                const C: &[Column] = &[
                    req("id", Id),
                    req("title", Text).translated(),
                    req("partnership", Id),
                    req("partnership_title", Text).translated(),
                    req("made_by", Id),
                    req("made_by_name", Text).translated(),
                    opt("objectives", Ids),
                    opt("made", Date),
                    opt("dialogue", Id),
                    opt("dialogue_title", Text).translated(),
                    opt("due", Date),
                    req("status", OpenCode),
                    req("status_label", Label),
                    req("progress_entries", Count),
                    req("url", Url),
                ];
                C
            }
            Table::Progress => {
                const C: &[Column] = &[
                    req("pledge", Id),
                    req("pledge_title", Text).translated(),
                    opt("date", Date),
                    req("status", OpenCode),
                    req("status_label", Label),
                    opt("note", Text).translated(),
                    // Known for every entry; empty only in a bundle of one
                    // partnership that leaves out the record it comes from.
                    opt("reported", Date),
                    opt("dialogue", Id),
                    opt("dialogue_title", Text).translated(),
                    opt("report", Id),
                    opt("report_title", Text).translated(),
                    opt("sources", Text),
                ];
                C
            }
            Table::Grants => {
                const C: &[Column] = &[
                    req("id", Id),
                    req("title", Text).translated(),
                    req("partnership", Id),
                    req("partnership_title", Text).translated(),
                    req("funder", Id),
                    req("funder_name", Text).translated(),
                    req("recipients", Count),
                    opt("objectives", Ids),
                    req("awarded", Date),
                    opt("period_from", Date),
                    opt("period_to", Date),
                    req("award_amount", Decimal),
                    req("award_currency", Currency),
                    req("tranches", Count),
                    opt("recipient_country", Country),
                    opt("sector", Standard),
                    opt("sector_name", Label),
                    req("url", Url),
                ];
                C
            }
            Table::Recipients => {
                const C: &[Column] = &[
                    req("grant", Id),
                    req("grant_title", Text).translated(),
                    req("organization", Id),
                    req("organization_name", Text).translated(),
                    req("role", Code(codes::<RecipientRole>())),
                    req("role_label", Label),
                    req("recipients", Count),
                ];
                C
            }
            Table::Amounts => {
                const C: &[Column] = &[
                    req("grant", Id),
                    req("grant_title", Text).translated(),
                    req("event", Code(&["award", "tranche"])),
                    req("event_label", Label),
                    req("date", Date),
                    req("amount", Decimal),
                    req("currency", Currency),
                    opt("note", Text).translated(),
                    opt("dialogue", Id),
                    opt("dialogue_title", Text).translated(),
                    req("funder", Id),
                    req("funder_name", Text).translated(),
                ];
                C
            }
            Table::Organizations => {
                const C: &[Column] = &[
                    req("id", Id),
                    req("name", Text).translated(),
                    opt("short_name", Text).translated(),
                    req("kind", Code(codes::<OrgKind>())),
                    req("kind_label", Label),
                    opt("country", Country),
                    opt("website", Url),
                    opt("parent", Id),
                    opt("parent_name", Text).translated(),
                    opt("iati_identifier", Standard),
                    req("url", Url),
                ];
                C
            }
            Table::People => {
                const C: &[Column] = &[
                    req("id", Id),
                    req("name", Text).translated(),
                    opt("honorific", Text).translated(),
                    req("positions", Count),
                    req("url", Url),
                ];
                C
            }
            Table::Positions => {
                const C: &[Column] = &[
                    req("person", Id),
                    req("person_name", Text).translated(),
                    req("title", Text).translated(),
                    opt("organization", Id),
                    opt("organization_name", Text).translated(),
                    opt("from", Date),
                    opt("to", Date),
                ];
                C
            }
            Table::Reports => {
                const C: &[Column] = &[
                    req("id", Id),
                    req("title", Text).translated(),
                    req("partnership", Id),
                    req("partnership_title", Text).translated(),
                    opt("period_from", Date),
                    opt("period_to", Date),
                    req("published", Date),
                    req("url", Url),
                ];
                C
            }
            Table::References => {
                const C: &[Column] = &[
                    req("from_type", Code(&KIND_NAMES)),
                    req("from_id", Id),
                    req("field", Text),
                    req("to_type", Code(&KIND_NAMES)),
                    req("to_id", Id),
                    req("to_title", Text).translated(),
                ];
                C
            }
        }
    }
}

const KIND_NAMES: [&str; 7] = [
    "partnership",
    "dialogue",
    "pledge",
    "grant",
    "organization",
    "person",
    "report",
];

/// The keys of vocabulary `V`, for a column's allowed values.
const fn codes<V: Vocab>() -> &'static [&'static str] {
    V::KEYS
}

/// The newest date among the records a table's rows come from.
pub fn newest(table: Table, g: &Graph) -> Option<PartialDate> {
    let kinds: &[Kind] = match table {
        Table::Objectives => &[Kind::Partnership],
        Table::Participants => &[Kind::Dialogue],
        Table::Progress | Table::Pledges => &[Kind::Pledge],
        Table::Recipients | Table::Amounts => &[Kind::Grant],
        Table::Positions => &[Kind::Person],
        Table::References => &Kind::ALL,
        t => return t.kind().and_then(|k| newest_of(g, &[k])),
    };
    newest_of(g, kinds)
}

fn newest_of(g: &Graph, kinds: &[Kind]) -> Option<PartialDate> {
    kinds
        .iter()
        .flat_map(|&k| g.of_kind(k))
        .filter_map(|&i| super::records::newest_date(&g.entities[i]))
        .max()
}
