//! Code lists of the IATI Standard that records may use, embedded from the
//! official lists (`codes/*.txt`, IATI Standard material under CC BY-SA
//! 4.0): organisation registration agencies (the first part of an
//! organisation identifier such as `XM-DAC-302`), OECD DAC sector codes,
//! and IATI organisation types. `tests/standards.rs` checks them against
//! the codelist files kept with the tests.

/// Lines `code<TAB>name` of an embedded list; `#` lines are comments.
fn pairs(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
}

/// Organisation registration agencies (IATI `OrganisationRegistrationAgency`,
/// the registers listed at org-id.guide), with their names.
pub fn iati_agencies() -> impl Iterator<Item = (&'static str, &'static str)> {
    pairs(include_str!("codes/iati_agencies.txt"))
}

/// OECD DAC 5-digit purpose codes (IATI `Sector`), with their names.
pub fn dac_sectors() -> impl Iterator<Item = (&'static str, &'static str)> {
    pairs(include_str!("codes/dac_sectors.txt"))
}

/// The name of DAC sector `code`.
pub fn dac_sector(code: &str) -> Option<&'static str> {
    dac_sectors().find(|(c, _)| *c == code).map(|(_, n)| n)
}

/// IATI organisation types (`OrganisationType`), with their names.
pub const IATI_ORG_TYPES: [(&str, &str); 16] = [
    ("10", "Government"),
    ("11", "Local Government"),
    ("15", "Other Public Sector"),
    ("21", "International NGO"),
    ("22", "National NGO"),
    ("23", "Regional NGO"),
    ("24", "Partner Country based NGO"),
    ("30", "Public Private Partnership"),
    ("40", "Multilateral"),
    ("60", "Foundation"),
    ("70", "Private Sector"),
    ("71", "Private Sector in Provider Country"),
    ("72", "Private Sector in Aid Recipient Country"),
    ("73", "Private Sector in Third Country"),
    ("80", "Academic, Training and Research"),
    ("90", "Other"),
];

/// The name of IATI organisation type `code`.
pub fn iati_org_type(code: &str) -> Option<&'static str> {
    IATI_ORG_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// The IATI organisation type of an organization of `kind`: a fixed map
/// (`docs/open-data.md`). An NGO is international (`21`) unless it is of
/// one country (`has_country`), then national (`22`); a donor may be a
/// foundation or a government agency, so it is `90` (Other) unless the
/// organization gives `iati_type`.
pub fn iati_org_type_of(kind: super::vocab::OrgKind, has_country: bool) -> &'static str {
    use super::vocab::OrgKind::*;
    match kind {
        Government | Agency => "10",
        Ngo if has_country => "22",
        Ngo => "21",
        Multilateral => "40",
        PrivateSector => "70",
        Academic => "80",
        Donor | Other => "90",
    }
}

/// The registration agency an organisation identifier starts with: the
/// longest listed code followed by `-` and at least one more character
/// (`XM-DAC` for `XM-DAC-302`).
pub fn iati_agency_of(identifier: &str) -> Option<&'static str> {
    iati_agencies()
        .map(|(c, _)| c)
        .filter(|c| {
            identifier
                .strip_prefix(c)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|rest| !rest.is_empty())
        })
        .max_by_key(|c| c.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_start_with_a_listed_agency() {
        assert_eq!(iati_agency_of("XM-DAC-302"), Some("XM-DAC"));
        assert_eq!(iati_agency_of("US-EIN-123456789"), Some("US-EIN"));
        assert_eq!(iati_agency_of("XM-DAC-"), None);
        assert_eq!(iati_agency_of("ZZ-NOPE-1"), None);
        assert_eq!(
            dac_sector("15180"),
            Some("Ending violence against women and girls")
        );
        assert_eq!(dac_sector("99999"), None);
        assert_eq!(iati_org_type("22"), Some("National NGO"));
    }
}
