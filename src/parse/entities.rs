//! Front matter to typed entities, one reader per type. Each reader asks for
//! every field it knows, so anything left over is an unknown field.

use super::sources::sources;
use crate::fields::values::as_string;
use crate::fields::{Fields, Problem};
use crate::model::status::Localized;
use crate::model::vocab::RecipientRole;
use crate::model::*;
use crate::yaml::{Node, Value};
use std::collections::BTreeMap;

pub fn partnership(f: &mut Fields) -> Option<Data> {
    let title = f.req_str("title");
    let short_name = f.opt_str("short_name");
    let signed = f.opt_date("signed");
    let parties = f.ref_list("parties", Kind::Organization);
    let objectives = f.records("objectives", |o| {
        let id = o.req(
            "id",
            "a lowercase id such as `prevention`",
            crate::fields::values::as_id,
        );
        let title = o.req_str("title");
        let pos = o.node("id").map(|n| n.pos).unwrap_or_default();
        Some(Objective {
            id: id?,
            title: title?,
            pos,
        })
    });
    let (status, _) = f.req_vocab("status")?;
    Some(Data::Partnership(Partnership {
        title: title?,
        short_name,
        signed,
        parties,
        objectives,
        status,
    }))
}

pub fn dialogue(f: &mut Fields) -> Option<Data> {
    let title = f.req_str("title");
    let date = f.req_date("date");
    let partnership = f.req_ref("partnership", Kind::Partnership);
    let format = f.req_vocab("format");
    let location = f.opt_str("location");
    let participants = f.records("participants", |p| {
        let person = p.req_ref("person", Kind::Person);
        let role = p.opt_str("role");
        let organization = p.opt_ref("organization", Kind::Organization);
        Some(Participant {
            person: person?,
            role,
            organization,
        })
    });
    let organizations = f.ref_list("organizations", Kind::Organization);
    let objectives = f.objective_list("objectives");
    let outcomes = outcomes(f);
    let pledges = f.ref_list("pledges", Kind::Pledge);
    let grants = f.ref_list("grants", Kind::Grant);
    Some(Data::Dialogue(Dialogue {
        title: title?,
        date: date?.0,
        partnership: partnership?,
        format: format?.0,
        location,
        participants,
        organizations,
        objectives,
        outcomes,
        pledges,
        grants,
    }))
}

pub fn pledge(f: &mut Fields, statuses: &Statuses) -> Option<Data> {
    let title = f.req_str("title");
    let partnership = f.req_ref("partnership", Kind::Partnership);
    let made_by = f.req_ref("made_by", Kind::Organization);
    let objectives = f.objective_list("objectives");
    let made = f.opt_date("made");
    let dialogue = f.opt_ref("dialogue", Kind::Dialogue);
    let due = f.opt_date("due");
    let status = f.req_status("status", statuses);
    let progress = f.records("progress", |p| progress_entry(p, statuses));
    let (status, status_pos) = status?;
    Some(Data::Pledge(Pledge {
        title: title?,
        partnership: partnership?,
        made_by: made_by?,
        objectives,
        made,
        dialogue,
        due,
        status,
        status_pos,
        progress,
    }))
}

fn progress_entry(p: &mut Fields, statuses: &Statuses) -> Option<ProgressEntry> {
    let date_pos = p.node("date").map(|n| n.pos);
    let date = p.opt_date("date");
    let status = p.req_status("status", statuses);
    let note = p.opt_str("note");
    let reported_pos = p.node("reported").map(|n| n.pos);
    let reported = p.opt_date("reported");
    let dialogue = p.opt_ref("dialogue", Kind::Dialogue);
    let report = p.opt_ref("report", Kind::Report);
    let sources = sources(p, "sources");
    let r = p.reader();
    let said_when = ["reported", "dialogue", "report"].iter().any(|k| p.has(k));
    if !said_when {
        r.push(
            r.error(p.pos(), p.here(), "progress entry does not say when it was reported")
                .expected("`reported: <date>`, or the `dialogue:` or `report:` where it was reported")
                .hint("`date` is when the status took effect; add when it became known, e.g. `reported: 2024-02-14`, with its source"),
        );
    } else if !p.has("date") && !p.has("reported") {
        r.push(
            r.error(p.pos(), p.here(), "progress entry gives neither `date` nor `reported`")
                .expected("`date:` when the status took effect, or, when no source says, `reported:` when it became known")
                .hint("without `date`, the status is shown as holding from `reported` on, and its start as not recorded"),
        );
    }
    let (at, date_pos) = match (date, reported) {
        (Some(d), _) => (d, date_pos.unwrap_or(p.pos())),
        (None, Some(r)) => (r, reported_pos.unwrap_or(p.pos())),
        (None, None) => return None,
    };
    Some(ProgressEntry {
        date,
        at,
        date_pos,
        status: status?.0,
        note,
        reported,
        reported_pos,
        dialogue,
        report,
        sources,
    })
    .filter(|_| said_when)
}

/// A dialogue's outcomes: each a text, or a mapping with `text` and `sources`.
fn outcomes(f: &mut Fields) -> Vec<Outcome> {
    let r = f.reader();
    let field = f.path("outcomes");
    f.list("outcomes", |i, n: &Node| {
        if !matches!(n.value, Value::Map(_)) {
            return as_string(n).map(|text| Outcome {
                text,
                sources: Vec::new(),
            });
        }
        // Problems inside the mapping are reported by its own reader.
        let mut o = r
            .fields(n, &format!("{field}[{i}]"))
            .ok_or_else(Problem::already_reported)?;
        let text = o.req_str("text");
        let sources = sources(&mut o, "sources");
        o.finish();
        text.map(|text| Outcome { text, sources })
            .ok_or_else(Problem::already_reported)
    })
}

pub fn grant(f: &mut Fields, countries: &BTreeMap<String, Localized>) -> Option<Data> {
    let title = f.req_str("title");
    let partnership = f.req_ref("partnership", Kind::Partnership);
    let funder = f.req_ref("funder", Kind::Organization);
    let recipients_pos = f.node("recipients").map(|n| n.pos);
    f.require(
        "recipients",
        "a list of recipients, each with an `organization`",
    );
    let recipients = f.records("recipients", |r| {
        let organization = r.req_ref("organization", Kind::Organization);
        let role = r
            .opt_vocab::<RecipientRole>("role")
            .unwrap_or(RecipientRole::Recipient);
        Some(Recipient {
            organization: organization?,
            role,
        })
    });
    if let (Some(pos), true) = (recipients_pos, recipients.is_empty()) {
        if !f.reader().has_errors() {
            f.reader().push(
                f.reader()
                    .error(pos, "recipients", "a grant needs at least one recipient")
                    .expected("a list of recipients, each with an `organization`"),
            );
        }
    }
    let objectives = f.objective_list("objectives");
    let awarded = f.req_date("awarded");
    let period = f.record("period", read_period);
    let currency = f.req_currency("currency");
    let amount = f.req_amount("amount", currency);
    let tranches = f.records("tranches", |t| {
        let date = t.req_date("date");
        // A tranche may name its own currency; if that one is invalid it is
        // reported, and the amount is not checked against the wrong currency.
        let tc = if t.has("currency") {
            t.opt_currency("currency")
        } else {
            currency
        };
        let amount = t.req_amount("amount", tc);
        let note = t.opt_str("note");
        let dialogue = t.opt_ref("dialogue", Kind::Dialogue);
        let sources = sources(t, "sources");
        Some(Tranche {
            date: date?.0,
            amount: amount?,
            note,
            dialogue,
            sources,
            pos: t.pos(),
        })
    });
    let recipient_country = f.opt("recipient_country", |n| as_country(n, countries));
    let sector = f.opt("sector", crate::fields::codes::as_sector);
    Some(Data::Grant(Grant {
        title: title?,
        partnership: partnership?,
        funder: funder?,
        recipients,
        objectives,
        awarded_pos: awarded.as_ref().map(|a| a.1).unwrap_or_default(),
        awarded: awarded?.0,
        period,
        amount: amount?,
        tranches,
        recipient_country,
        sector,
    }))
}

pub fn organization(f: &mut Fields, countries: &BTreeMap<String, Localized>) -> Option<Data> {
    let name = f.req_str("name");
    let short_name = f.opt_str("short_name");
    let kind = f.req_vocab("kind");
    let country = f.opt("country", |n| as_country(n, countries));
    let website = f.opt("website", as_web_url);
    let parent = f.opt_ref("parent", Kind::Organization);
    let iati_identifier = f.opt("iati_identifier", crate::fields::codes::as_iati_identifier);
    let iati_type = f.opt("iati_type", crate::fields::codes::as_iati_type);
    Some(Data::Organization(Organization {
        name: name?,
        short_name,
        kind: kind?.0,
        country,
        website,
        parent,
        iati_identifier,
        iati_type,
    }))
}

pub fn person(f: &mut Fields) -> Option<Data> {
    let name = f.req_str("name");
    let honorific = f.opt_str("honorific");
    let positions = f.records("positions", |p| {
        let pos = p.pos();
        let title = p.req_str("title");
        let organization = p.opt_ref("organization", Kind::Organization);
        let from = p.opt_date("from");
        let to = p.opt_date("to");
        Some(Position {
            pos,
            title: title?,
            organization,
            from,
            to,
        })
    });
    Some(Data::Person(Person {
        name: name?,
        honorific,
        positions,
    }))
}

pub fn report(f: &mut Fields) -> Option<Data> {
    let title = f.req_str("title");
    let partnership = f.req_ref("partnership", Kind::Partnership);
    let period = f.record("period", read_period);
    let (published, published_pos) = f.req_date("published")?;
    Some(Data::Report(Report {
        title: title?,
        partnership: partnership?,
        period: period.unwrap_or(Period {
            from: None,
            to: None,
            pos: Default::default(),
        }),
        published,
        published_pos,
    }))
}

/// An ISO 3166-1 alpha-2 country code, or a user-assigned one the site
/// names under `countries:`.
fn as_country(
    n: &crate::yaml::Node,
    site: &BTreeMap<String, Localized>,
) -> Result<String, Problem> {
    let s = as_string(n)?;
    if country_codes().any(|c| c == s) || site.contains_key(&s) {
        return Ok(s);
    }
    let upper = s.to_uppercase();
    let hint = if country_codes().any(|c| c == upper) || site.contains_key(&upper) {
        Some(format!("country codes are upper case: `{upper}`"))
    } else if is_user_assigned_country(&upper) {
        Some(format!(
            "`{upper}` is a user-assigned code: name it under `countries:` in gazette.yaml"
        ))
    } else {
        crate::diagnostics::did_you_mean(&upper, country_codes()).or_else(|| {
            Some("leave `country` out for a body that is not of one country; a country with no ISO code can be given a code from XA to XZ under `countries:` in gazette.yaml".into())
        })
    };
    Err(Problem::new(format!("unknown country code `{s}`"))
        .expected("an ISO 3166-1 alpha-2 code such as `MN` or `US`")
        .hint(hint))
}

/// The `from`/`to` of a period.
fn read_period(p: &mut Fields) -> Option<Period> {
    let pos = p.node("to").map(|n| n.pos).unwrap_or_else(|| p.pos());
    Some(Period {
        from: p.opt_date("from"),
        to: p.opt_date("to"),
        pos,
    })
}

/// A web address (no internal links): an organization's website.
fn as_web_url(n: &crate::yaml::Node) -> Result<String, Problem> {
    let s = as_string(n)?;
    if (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace) {
        Ok(s)
    } else {
        Err(Problem::new(format!("`{s}` is not a web address"))
            .expected("an address starting with `https://`"))
    }
}
