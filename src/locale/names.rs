//! Country names in a locale, from CLDR's territory display names (ICU4X
//! `icu_locale::names`, behind its `unstable` feature).

use icu_locale::names::RegionDisplayName;
use icu_locale::subtags::Region;

/// The name of the country with ISO 3166-1 alpha-2 `code` in `locale`, or
/// `None` if the code is not alpha-2 or CLDR has no name for it there.
pub(super) fn country(locale: &icu_locale::Locale, code: &str) -> Option<String> {
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let region = Region::try_from_str(code).ok()?;
    RegionDisplayName::try_new_light(locale.into(), region)
        .ok()
        .map(|name| name.to_string())
}

#[cfg(test)]
mod tests {
    use crate::locale::Locale;

    #[test]
    fn country_names_in_each_language() {
        let en = Locale::new("en");
        assert_eq!(en.country("MN").as_deref(), Some("Mongolia"));
        assert_eq!(en.country("US").as_deref(), Some("United States"));
        let mn = Locale::new("mn");
        assert_eq!(mn.country("MN").as_deref(), Some("Монгол"));
        assert_eq!(mn.country("US").as_deref(), Some("Америкийн Нэгдсэн Улс"));
        let ar = Locale::new("ar");
        assert_eq!(ar.country("MN").as_deref(), Some("منغوليا"));
        assert_eq!(ar.country("US").as_deref(), Some("الولايات المتحدة"));
        // Case does not matter in a region subtag.
        assert_eq!(en.country("mn").as_deref(), Some("Mongolia"));
    }

    #[test]
    fn unknown_codes_and_languages_without_data_give_none() {
        let en = Locale::new("en");
        assert_eq!(en.country("AA"), None);
        // CLDR names the unknown region itself.
        assert_eq!(en.country("ZZ").as_deref(), Some("Unknown Region"));
        assert_eq!(en.country("419"), None);
        assert_eq!(en.country("M"), None);
        // CLDR root has no names: the caller shows the code or its own text.
        assert_eq!(Locale::new("xx").country("MN"), None);
    }
}
