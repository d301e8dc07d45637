//! Values from the IATI code lists (`model::codes`): a grant's DAC sector,
//! an organization's IATI identifier and type. Codes are written as YAML
//! numbers or strings (`sector: 15180`, `iati_type: "60"`); both are read.

use super::Problem;
use crate::diagnostics::did_you_mean;
use crate::model::codes;
use crate::yaml::{Node, Value};

/// A code as written: digits may come as a YAML number.
fn code_text(n: &Node) -> Result<String, Problem> {
    match &n.value {
        Value::Int(_) => Ok(n.raw.clone().unwrap_or_default()),
        _ => super::values::as_string(n),
    }
}

/// An OECD DAC 5-digit purpose code.
pub fn as_sector(n: &Node) -> Result<String, Problem> {
    let s = code_text(n)?;
    if codes::dac_sector(&s).is_some() {
        return Ok(s);
    }
    let hint = if s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()) {
        Some(format!(
            "`{s}` looks like a DAC sector category (3 digits); give the 5-digit purpose code, e.g. `{s}10`"
        ))
    } else {
        did_you_mean(&s, codes::dac_sectors().map(|(c, _)| c))
    };
    Err(Problem::new(format!("unknown DAC sector code `{s}`"))
        .expected("an OECD DAC 5-digit purpose code, e.g. `15180` (Ending violence against women and girls)")
        .hint(hint))
}

/// An organisation identifier: a registration agency of the IATI list,
/// `-`, and the number that agency gives (`XM-DAC-302`, `US-EIN-…`).
pub fn as_iati_identifier(n: &Node) -> Result<String, Problem> {
    let s = super::values::as_string(n)?;
    let clean = !s.contains(char::is_whitespace) && !s.contains(['/', '"', '<', '>', '&']);
    if clean && codes::iati_agency_of(&s).is_some() {
        return Ok(s);
    }
    let first_two: String = s.splitn(3, '-').take(2).collect::<Vec<_>>().join("-");
    let hint = if !clean {
        Some("an identifier has no spaces, slashes, quotes or `<>&`".to_string())
    } else {
        did_you_mean(&first_two, codes::iati_agencies().map(|(c, _)| c))
            .map(|h| format!("{h} (the registration agency)"))
            .or_else(|| Some("find the register your organization is in at https://org-id.guide; an IATI publisher's identifier is on its IATI Registry page".to_string()))
    };
    Err(
        Problem::new(format!("`{s}` is not an IATI organisation identifier"))
            .expected("a registration agency code from the IATI list, `-`, and the number it gives, e.g. `XM-DAC-302`")
            .hint(hint),
    )
}

/// An IATI organisation type code (`10`, `22`, `60`, …).
pub fn as_iati_type(n: &Node) -> Result<String, Problem> {
    let s = code_text(n)?;
    if codes::iati_org_type(&s).is_some() {
        return Ok(s);
    }
    let all: Vec<String> = codes::IATI_ORG_TYPES
        .iter()
        .map(|(c, name)| format!("{c} ({name})"))
        .collect();
    Err(
        Problem::new(format!("unknown IATI organisation type `{s}`"))
            .expected(format!("one of: {}", all.join(", "))),
    )
}
