//! The settings of the formats in which a publisher must say who they are:
//! the data licence (`open_data.license`), the IATI export
//! (`open_data.iati`) and the DCAT-US catalogue `data.json`
//! (`open_data.catalog`). Both exports are off until configured: there is
//! no honest default for a reporting organisation, a contact or a licence.
//! Documented in `docs/configuration.md` and `docs/open-data.md`.

use super::vocab::localized;
use super::Config;
use crate::diagnostics::Pos;
use crate::fields::values::as_string;
use crate::fields::{Fields, Problem};
use crate::model::status::Localized;
use crate::model::vocab::{OrgKind, Vocab};
use crate::yaml;

/// What the standard exports need from `gazette.yaml`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Standards {
    /// The licence of every data file (`open_data.license`).
    pub license: Option<License>,
    /// The IATI export, when configured (`open_data.iati`).
    pub iati: Option<Iati>,
    /// The DCAT-US catalogue `data.json`, when configured (`open_data.catalog`).
    pub catalog: Option<Catalog>,
}

/// A licence: what to call it and where it is stated.
#[derive(Debug, Clone, PartialEq)]
pub struct License {
    pub name: String,
    pub url: String,
}

/// `open_data.iati`.
#[derive(Debug, Clone, PartialEq)]
pub struct Iati {
    /// The organisation identifier of the publisher (`XM-DAC-302`); every
    /// activity identifier starts with it.
    pub identifier: String,
    /// Its name, in the site's language or per language.
    pub name: Localized,
    /// Its IATI organisation type code.
    pub org_type: String,
    /// True when the publisher republishes others' records
    /// (`reporting-org/@secondary-reporter`).
    pub secondary_reporter: bool,
}

/// `open_data.catalog`.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// The publisher, then each body it belongs to, up to the top one.
    pub publisher: Vec<String>,
    pub contact_name: String,
    /// An e-mail address, without `mailto:`.
    pub contact_email: String,
    /// Keywords for every dataset (each file adds what it holds).
    pub keywords: Vec<String>,
    /// US federal agencies only: OMB bureau codes (`014:00`) and Federal
    /// Program Inventory codes (`014:000`); empty for other publishers.
    pub bureau_code: Vec<String>,
    pub program_code: Vec<String>,
}

/// Read the standards' settings inside `open_data:` into `cfg`, then check
/// what they need of the rest of the configuration.
pub(super) fn read(o: &mut Fields, open_data_pos: Pos, cfg: &mut Config) {
    let license_given = o.has("license");
    cfg.standards.license = o.record("license", |l| {
        let name = l.req_str("name");
        let url = l.req(
            "url",
            "the address of the licence's text, `https://…`",
            web_url,
        );
        Some(License {
            name: name?,
            url: url?,
        })
    });
    let iati_pos = o.node("iati").map(|n| n.pos);
    cfg.standards.iati = o.record("iati", iati);
    let catalog_pos = o.node("catalog").map(|n| n.pos);
    cfg.standards.catalog = o.record("catalog", catalog);
    let r = o.reader();
    if !license_given {
        let needs: Vec<&str> = [
            (iati_pos, "open_data.iati"),
            (catalog_pos, "open_data.catalog"),
        ]
        .iter()
        .filter(|(p, _)| p.is_some())
        .map(|(_, k)| *k)
        .collect();
        if !needs.is_empty() {
            r.push(
                r.error(
                    open_data_pos,
                    "open_data.license",
                    format!("missing `open_data.license`, which `{}` needs", needs.join("` and `")),
                )
                .expected("`license:` with the licence's `name` and `url`")
                .hint("say under which terms the data may be reused, e.g. `name: Creative Commons Attribution 4.0` and `url: https://creativecommons.org/licenses/by/4.0/`; the work of a U.S. federal agency is in the public domain (`url: http://www.usa.gov/publicdomain/label/1.0/`)"),
            );
        }
    }
    if let (Some(pos), false) = (catalog_pos, cfg.base_url.starts_with("http")) {
        r.push(
            r.error(pos, "open_data.catalog", "data.json needs the site's absolute address")
                .expected("`base_url` with the address the site is published at, e.g. `https://example.org/`")
                .hint("catalogues such as data.gov harvest data.json from the web and follow its addresses"),
        );
    }
}

fn iati(f: &mut Fields) -> Option<Iati> {
    let org = f.record("reporting_org", |o| {
        let identifier = o.req(
            "identifier",
            "the publisher's organisation identifier, e.g. `XM-DAC-302`",
            crate::fields::codes::as_iati_identifier,
        );
        let name = o.req("name", "the publisher's name", localized);
        let org_type = o.req(
            "type",
            "an organization kind such as `government`, or an IATI organisation type code such as `10`",
            org_type,
        );
        Some((identifier?, name?, org_type?))
    });
    if !f.has("reporting_org") {
        f.require(
            "reporting_org",
            "the organisation that publishes the IATI file: `identifier`, `name` and `type`",
        );
    }
    let secondary_reporter = f.opt("secondary_reporter", super::as_bool).unwrap_or(false);
    let (identifier, name, org_type) = org?;
    Some(Iati {
        identifier,
        name,
        org_type,
        secondary_reporter,
    })
}

/// An organization kind (mapped to its IATI type) or an IATI type code.
fn org_type(n: &yaml::Node) -> Result<String, Problem> {
    if let yaml::Value::Str(s) = &n.value {
        if let Some(k) = OrgKind::parse(s) {
            return Ok(crate::model::codes::iati_org_type_of(k, false).to_string());
        }
    }
    crate::fields::codes::as_iati_type(n).map_err(|p| {
        p.expected(format!(
            "an organization kind ({}) or an IATI organisation type code such as `10`",
            OrgKind::allowed().join(", ")
        ))
    })
}

fn catalog(f: &mut Fields) -> Option<Catalog> {
    let publisher = f.list("publisher", |_, n| as_string(n));
    if publisher.is_empty() && !f.has("publisher") {
        f.require(
            "publisher",
            "the publisher's name, or a list from the publisher up to the body it belongs to",
        );
    }
    let contact = contact(f);
    let keywords = f.str_list("keywords");
    let bureau_code = f.list("bureau_code", |_, n| code(n, 2, "`014:00`"));
    let program_code = f.list("program_code", |_, n| code(n, 3, "`014:000`"));
    if bureau_code.is_empty() != program_code.is_empty() {
        let r = f.reader();
        r.push(
            r.error(
                f.pos(),
                &f.path(if bureau_code.is_empty() {
                    "bureau_code"
                } else {
                    "program_code"
                }),
                "`bureau_code` and `program_code` go together",
            )
            .expected("both (a U.S. federal agency), or neither")
            .hint("DCAT-US requires both of a federal agency; other publishers leave both out"),
        );
    }
    let (contact_name, contact_email) = contact?;
    (!publisher.is_empty()).then_some(Catalog {
        publisher,
        contact_name,
        contact_email,
        keywords,
        bureau_code,
        program_code,
    })
}

/// `contact:` with `name` and `email`.
fn contact(f: &mut Fields) -> Option<(String, String)> {
    if !f.has("contact") {
        f.require(
            "contact",
            "who answers questions about the data: `name` and `email`",
        );
        return None;
    }
    f.record("contact", |c| {
        let name = c.req_str("name");
        let email = c.req(
            "email",
            "an e-mail address, e.g. `open-data@example.org`",
            email,
        );
        Some((name?, email?))
    })
}

/// An e-mail address as DCAT-US's `hasEmail` accepts it (given with or
/// without `mailto:`).
fn email(n: &yaml::Node) -> Result<String, Problem> {
    let s = as_string(n)?;
    let bare = s.strip_prefix("mailto:").unwrap_or(&s);
    let ok = bare.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_~!$&'()*+,;=:.-".contains(c))
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
    });
    if ok {
        Ok(bare.to_string())
    } else {
        Err(Problem::new(format!("`{s}` is not an e-mail address"))
            .expected("an address such as `open-data@example.org`"))
    }
}

/// `NNN:NN` (a bureau) or `NNN:NNN` (a program).
fn code(n: &yaml::Node, tail: usize, example: &str) -> Result<String, Problem> {
    let s = as_string(n)?;
    let ok = s.split_once(':').is_some_and(|(a, b)| {
        a.len() == 3 && b.len() == tail && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
    });
    if ok {
        Ok(s)
    } else {
        Err(
            Problem::new(format!("`{s}` is not a code of this kind")).expected(format!(
                "three digits, `:`, {tail} digits, in quotes, e.g. {example}"
            )),
        )
    }
}

fn web_url(n: &yaml::Node) -> Result<String, Problem> {
    let s = as_string(n)?;
    if (s.starts_with("https://") || s.starts_with("http://"))
        && !s.contains(char::is_whitespace)
        && !s.contains(['"', '<', '>'])
    {
        Ok(s)
    } else {
        Err(Problem::new(format!("`{s}` is not a web address"))
            .expected("an address starting with `https://`"))
    }
}

impl Iati {
    /// The publisher's name in `lang`, else in the site's language.
    pub fn name_in(&self, lang: &str) -> &str {
        self.name
            .get(lang)
            .or_else(|| self.name.get(""))
            .or_else(|| self.name.values().next())
            .map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::parse;

    const FULL: &str = "title: T\nbase_url: https://example.org/\nopen_data:\n  license:\n    name: CC BY 4.0\n    url: https://creativecommons.org/licenses/by/4.0/\n  iati:\n    reporting_org:\n      identifier: XM-DAC-302\n      name: {en: Funder, mn: Санхүүжүүлэгч}\n      type: \"10\"\n    secondary_reporter: true\n  catalog:\n    publisher: [Office, Department]\n    contact:\n      name: Desk\n      email: mailto:desk@example.org\n    bureau_code: [\"014:00\"]\n    program_code: [\"014:000\"]\n";

    #[test]
    fn reads_the_licence_iati_and_catalogue() {
        let (c, d) = parse(FULL, "gazette.yaml");
        let c = c.unwrap_or_else(|| panic!("{d:?}"));
        let s = &c.standards;
        assert_eq!(s.license.as_ref().unwrap().name, "CC BY 4.0");
        let iati = s.iati.as_ref().unwrap();
        assert_eq!(
            (iati.identifier.as_str(), iati.org_type.as_str()),
            ("XM-DAC-302", "10")
        );
        assert!(iati.secondary_reporter);
        assert_eq!(iati.name_in("mn"), "Санхүүжүүлэгч");
        assert_eq!(iati.name_in("fr"), "Funder");
        let cat = s.catalog.as_ref().unwrap();
        assert_eq!(cat.publisher, ["Office", "Department"]);
        assert_eq!(cat.contact_email, "desk@example.org");
        assert_eq!(cat.program_code, ["014:000"]);
        // A Gazette kind maps to its IATI type.
        let (c, _) = parse(&FULL.replace("type: \"10\"", "type: ngo"), "gazette.yaml");
        assert_eq!(c.unwrap().standards.iati.unwrap().org_type, "21");
    }

    #[test]
    fn off_by_default() {
        let (c, d) = parse("title: T\n", "gazette.yaml");
        assert!(d.iter().all(|d| !d.is_error()));
        assert_eq!(c.unwrap().standards, super::Standards::default());
    }

    #[test]
    fn reports_every_bad_standard_setting() {
        let text = FULL
            .replace("https://example.org/\n", "/\n")
            .replace("XM-DAC-302", "ZZ-NOPE-1")
            .replace("type: \"10\"", "type: \"99\"")
            .replace("mailto:desk@example.org", "desk at example")
            .replace("program_code: [\"014:000\"]\n", "");
        let (c, d) = parse(&text, "gazette.yaml");
        assert!(c.is_none());
        let fields: Vec<&str> = d
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| d.field.as_deref())
            .collect();
        assert_eq!(
            fields,
            [
                "open_data.iati.reporting_org.identifier",
                "open_data.iati.reporting_org.type",
                "open_data.catalog.contact.email",
                "open_data.catalog.program_code",
                "open_data.catalog",
            ],
            "{d:#?}"
        );
    }
}
