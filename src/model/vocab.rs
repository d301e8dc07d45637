//! Fixed vocabularies (status, format, kind, role). Each is an enum whose
//! allowed values are listed in the error message when an editor mistypes one.

use serde::Serialize;

/// A closed list of kebab-case values.
pub trait Vocab: Sized + Copy + 'static {
    /// What the vocabulary is called in messages ("pledge status").
    const NAME: &'static str;
    const ALL: &'static [(Self, &'static str)];
    /// The keys alone, in [`Vocab::ALL`]'s order.
    const KEYS: &'static [&'static str];

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, k)| *k == s).map(|(v, _)| *v)
    }

    fn key(self) -> &'static str;

    fn allowed() -> Vec<&'static str> {
        Self::ALL.iter().map(|(_, k)| *k).collect()
    }
}

macro_rules! vocab {
    ($(#[$m:meta])* $name:ident, $label:literal, { $($variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name { $($variant),+ }

        impl Vocab for $name {
            const NAME: &'static str = $label;
            const ALL: &'static [(Self, &'static str)] = &[$(($name::$variant, $key)),+];
            const KEYS: &'static [&'static str] = &[$($key),+];
            fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
        }
    };
}

vocab!(
    /// Where a partnership stands.
    PartnershipStatus, "partnership status", {
    Proposed => "proposed",
    Active => "active",
    Completed => "completed",
    Suspended => "suspended",
    Terminated => "terminated",
});

vocab!(
    /// How a dialogue was held.
    DialogueFormat, "dialogue format", {
    Virtual => "virtual",
    InPerson => "in-person",
    Hybrid => "hybrid",
});

vocab!(
    /// What kind of body an organization is.
    OrgKind, "organization kind", {
    Government => "government",
    Agency => "agency",
    Ngo => "ngo",
    Donor => "donor",
    Multilateral => "multilateral",
    PrivateSector => "private-sector",
    Academic => "academic",
    Other => "other",
});

vocab!(
    /// A recipient's part in a grant.
    RecipientRole, "recipient role", {
    Lead => "lead",
    Partner => "partner",
    LocalPartner => "local-partner",
    Recipient => "recipient",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_lists() {
        assert_eq!(
            DialogueFormat::parse("in-person"),
            Some(DialogueFormat::InPerson)
        );
        assert_eq!(DialogueFormat::parse("In Person"), None);
        assert_eq!(DialogueFormat::InPerson.key(), "in-person");
        assert!(OrgKind::allowed().contains(&"ngo"));
    }
}
