//! From Gazette's vocabularies to IATI code lists. Each mapping is fixed
//! and documented field by field in `docs/open-data.md` ("IATI").

use crate::model::codes::iati_org_type_of;
use crate::model::vocab::{PartnershipStatus, RecipientRole};
use crate::model::{Kind, Organization};

/// `OrganisationType` of an organization: its own `iati_type`, else the
/// one its kind maps to.
pub fn org_type(o: &Organization) -> &str {
    o.iati_type
        .as_deref()
        .unwrap_or_else(|| iati_org_type_of(o.kind, o.country.is_some()))
}

/// `OrganisationRole`: the funder funds (`1`); every recipient implements
/// (`4`); a consortium's lead, which holds the grant for the others, is
/// also accountable for it (`2`).
pub fn recipient_roles(role: RecipientRole, consortium: bool) -> &'static [&'static str] {
    match (role, consortium) {
        (RecipientRole::Lead, true) => &["2", "4"],
        _ => &["4"],
    }
}

pub const ROLE_FUNDING: &str = "1";

/// `ActivityStatus` of a grant: Gazette records no status for a grant, so
/// its partnership's status is the one the records give for the work.
pub fn activity_status(s: PartnershipStatus) -> &'static str {
    match s {
        PartnershipStatus::Proposed => "1",
        PartnershipStatus::Active => "2",
        PartnershipStatus::Completed => "4",
        PartnershipStatus::Terminated => "5",
        PartnershipStatus::Suspended => "6",
    }
}

/// `TransactionType` of every money event: an award and each tranche are
/// amounts committed to the grant (they add up to its total); Gazette
/// records no payment, so none is a disbursement.
pub const TRANSACTION_COMMITMENT: &str = "2";

/// `ActivityDateType`.
pub const PLANNED_START: &str = "1";
pub const PLANNED_END: &str = "3";

/// `DocumentCategory` of a record page linked from an activity.
pub fn document_category(kind: Kind) -> &'static str {
    match kind {
        // Activity web page.
        Kind::Grant => "A12",
        // Objectives / purpose of activity: the partnership's objectives
        // and the pledges made under it.
        Kind::Partnership | Kind::Pledge => "A02",
        // Review of project performance: dialogues and progress reports.
        Kind::Dialogue | Kind::Report => "A07",
        // Organisation web page.
        Kind::Organization | Kind::Person => "B16",
    }
}

/// `Sector` vocabulary `1`: OECD DAC 5-digit purpose codes.
pub const SECTOR_VOCABULARY_DAC: &str = "1";
