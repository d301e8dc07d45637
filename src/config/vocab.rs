//! The vocabulary a site adds in `gazette.yaml`: its own pledge statuses
//! (`statuses:`) and names for countries with no ISO code (`countries:`),
//! each with text for readers in one or several languages.

use super::language;
use crate::fields::{Fields, Problem};
use crate::model::status::{Group, Localized, StatusDef, Statuses};
use crate::yaml;
use std::collections::BTreeMap;

/// `statuses:`: a site's own pledge statuses, each with its group, label
/// and meaning, keyed by status.
pub(super) fn statuses(f: &mut Fields) -> Statuses {
    let mut out = Statuses::default();
    let r = f.reader();
    let Some(node) = f.node("statuses") else {
        return out;
    };
    let entries = match &node.value {
        yaml::Value::Map(entries) => entries.as_slice(),
        other => {
            r.push(
                r.error(
                    node.pos,
                    "statuses",
                    format!("expected a mapping, found {}", other.type_name()),
                )
                .expected("one entry per status, keyed by the status, e.g. `awaiting-parliament:`"),
            );
            return out;
        }
    };
    for yaml::Entry {
        key,
        key_pos,
        value,
    } in entries
    {
        let field = format!("statuses.{key}");
        let key_pos = *key_pos;
        if !crate::model::is_valid_id(key) {
            r.push(
                r.error(key_pos, &field, format!("`{key}` is not a status key"))
                    .expected(
                        "lowercase letters, digits and single hyphens, e.g. `awaiting-parliament`",
                    ),
            );
            continue;
        }
        if Statuses::is_built_in(key) {
            r.push(
                r.error(key_pos, &field, format!("`{key}` is a built-in status"))
                    .expected("a new key; the built-in statuses need no settings")
                    .hint("remove this entry, or give your status another key"),
            );
            continue;
        }
        let Some(mut s) = r.fields(value, &field) else {
            continue;
        };
        let groups: Vec<&str> = Group::SITE.iter().map(|g| g.key()).collect();
        let group = s.req("group", &format!("one of: {}", groups.join(", ")), |n| {
            let g = crate::fields::values::as_string(n)?;
            Group::parse(&g)
                .filter(|g| Group::SITE.contains(g))
                .ok_or_else(|| {
                    Problem::new(format!("unknown status group `{g}`"))
                        .expected(format!("one of: {}", groups.join(", ")))
                        .hint(crate::diagnostics::did_you_mean(&g, groups.iter().copied()))
                })
        });
        let label = s.req(
            "label",
            "a name for readers, or one per language",
            localized,
        );
        let means = s.req("means", "what the status means, in plain words", localized);
        s.finish();
        if let (Some(group), Some(label), Some(means)) = (group, label, means) {
            out.add(StatusDef {
                key: key.clone(),
                group,
                label: Some(label),
                means: Some(means),
            });
        }
    }
    out
}

/// `countries:`: names for countries that have no ISO 3166 code, each under
/// a code ISO leaves to users (`XA`–`XZ`, `QM`–`QZ`, `AA`, `ZZ`).
pub(super) fn countries(f: &mut Fields) -> BTreeMap<String, Localized> {
    let mut out = BTreeMap::new();
    let r = f.reader();
    let Some(node) = f.node("countries") else {
        return out;
    };
    let yaml::Value::Map(entries) = &node.value else {
        r.push(
            r.error(
                node.pos,
                "countries",
                format!("expected a mapping, found {}", node.value.type_name()),
            )
            .expected("one entry per country, e.g. `XA: Aldoria`"),
        );
        return out;
    };
    for yaml::Entry {
        key,
        key_pos,
        value,
    } in entries
    {
        let field = format!("countries.{key}");
        if !crate::model::is_user_assigned_country(key) {
            let real = crate::model::country_codes().any(|c| c == key);
            r.push(
                r.error(
                    *key_pos,
                    &field,
                    format!("`{key}` is not a user-assigned country code"),
                )
                .expected(
                    "a code from XA to XZ (or QM to QZ, AA, ZZ), which ISO 3166 leaves to users",
                )
                .hint(if real {
                    format!("`{key}` is an ISO code already; use it in `country:` directly")
                } else {
                    "pick a free code such as `XA`".to_string()
                }),
            );
            continue;
        }
        match localized(value) {
            Ok(name) => {
                out.insert(key.clone(), name);
            }
            Err(p) => {
                let mut d = r.error(value.pos, &field, p.message);
                d.expected = p.expected;
                r.push(d);
            }
        }
    }
    out
}

/// Text for readers: a string (in the site's language), or a mapping from
/// language tags to strings.
pub(super) fn localized(n: &yaml::Node) -> Result<Localized, Problem> {
    match &n.value {
        yaml::Value::Map(entries) => {
            let mut out = Localized::new();
            for e in entries {
                language(&yaml::Node {
                    value: yaml::Value::Str(e.key.clone()),
                    ..e.value.clone()
                })?;
                out.insert(e.key.clone(), crate::fields::values::as_string(&e.value)?);
            }
            if out.is_empty() {
                return Err(Problem::new("empty text").expected("a non-empty string"));
            }
            Ok(out)
        }
        _ => Ok(Localized::from([(
            String::new(),
            crate::fields::values::as_string(n)?,
        )])),
    }
}
