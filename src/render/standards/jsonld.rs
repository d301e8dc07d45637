//! schema.org JSON-LD for every page's `<head>`, made from the very view
//! the page's template gets, so it says nothing the page does not show
//! and reads no record the page did not (watch mode re-renders a page
//! when what it read changes). Dates are the records' dates as recorded:
//! schema.org `Date` takes ISO 8601 partial forms (`2020`, `2020-04`).
//! Addresses are the page's own (relative ones resolve against the page).
//!
//! The text is made safe to sit inside `<script type="application/ld+json">`:
//! `<`, `>` and `&` are written as JSON escapes (`\u003c` …), so nothing in
//! a record can close the element or open a comment. Mapped type by type in
//! `docs/open-data.md` ("schema.org").

use crate::render::say;
use crate::render::views::downloads::Download;
use crate::urls::Target;
use serde_json::{json, Map, Value};

/// What a page's JSON-LD is made from.
pub struct Page<'a> {
    pub target: Target<'a>,
    /// The view of the page's record (`entity`), or of an index (`items`).
    pub view: &'a Value,
    pub downloads: &'a [Download],
    /// The template's `site`.
    pub site: &'a Value,
    pub strings: &'a Value,
    /// The page's absolute address; empty in an offline bundle.
    pub canonical: &'a str,
    /// The data licence's address, if the site states one.
    pub license: Option<&'a str>,
}

/// The JSON-LD text for `page`, escaped for a `<script>` element.
pub fn script(page: &Page) -> String {
    escape(&serde_json::to_string(&describe(page)).unwrap_or_default())
}

/// `<`, `>` and `&` as JSON escapes; they only occur inside strings.
pub fn escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // Line and paragraph separators end a line in older JavaScript.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn text(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| !s.is_empty())
}

/// Insert `value` under `key` unless it is null, empty text or an empty list.
fn put(o: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = match &value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if !empty {
        o.insert(key.to_string(), value);
    }
}

/// A date view's ISO form, as recorded.
fn date(v: &Value) -> Value {
    v["iso"].clone()
}

/// A link view (`title`, `url`) as a thing of `kind`.
fn thing(kind: &str, link: &Value) -> Value {
    if link.is_null() {
        return Value::Null;
    }
    let mut o = Map::new();
    o.insert("@type".into(), json!(kind));
    put(&mut o, "name", link["title"].clone());
    put(&mut o, "url", link["url"].clone());
    Value::Object(o)
}

fn things(kind: &str, links: &Value) -> Value {
    Value::Array(
        links
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|l| thing(kind, l))
                    .filter(|t| !t.is_null())
                    .collect()
            })
            .unwrap_or_default(),
    )
}

/// The schema.org type of an organization kind.
fn org_type(kind: &str) -> &'static str {
    match kind {
        "government" | "agency" => "GovernmentOrganization",
        "ngo" => "NGO",
        _ => "Organization",
    }
}

fn describe(p: &Page) -> Value {
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    let e = p.view;
    let s = p.strings;
    match p.target {
        Target::Entity(_, _) | Target::Briefing(_) if e.is_object() => {
            let kind = match p.target {
                Target::Entity(k, _) => k,
                _ => crate::model::Kind::Partnership,
            };
            record(&mut o, kind, e, s);
            put(&mut o, "name", e["title"].clone());
            put(&mut o, "description", e["summary"].clone());
        }
        Target::Home => {
            o.insert("@type".into(), json!("WebSite"));
            put(&mut o, "name", p.site["title"].clone());
            put(&mut o, "description", p.site["description"].clone());
            put(&mut o, "inLanguage", p.site["language"].clone());
        }
        Target::Index(kind) | Target::IndexPage(kind, _) => {
            o.insert("@type".into(), json!("CollectionPage"));
            put(
                &mut o,
                "name",
                json!(say::text(s, &format!("kinds.{}.many", kind.name()))),
            );
            let items: Vec<Value> = e
                .as_array()
                .map(|a| {
                    a.iter()
                        .enumerate()
                        .map(|(n, item)| {
                            json!({"@type": "ListItem", "position": n + 1, "name": item["title"], "url": item["url"]})
                        })
                        .collect()
                })
                .unwrap_or_default();
            o.insert(
                "mainEntity".into(),
                json!({"@type": "ItemList", "itemListElement": items}),
            );
        }
        Target::Data => dataset(&mut o, p),
        Target::Dictionary => web_page(&mut o, s, "data_dictionary_title"),
        Target::Search => web_page(&mut o, s, "search_title"),
        Target::Statuses => web_page(&mut o, s, "statuses_title"),
        Target::NotFound => web_page(&mut o, s, "not_found_title"),
        _ => web_page(&mut o, s, "data_title"),
    }
    if !p.canonical.is_empty() {
        o.insert("url".into(), json!(p.canonical));
    }
    Value::Object(o)
}

fn web_page(o: &mut Map<String, Value>, strings: &Value, title: &str) {
    o.insert("@type".into(), json!("WebPage"));
    o.insert("name".into(), json!(say::text(strings, title)));
}

/// The data page: a `Dataset` with a `DataDownload` per file written.
fn dataset(o: &mut Map<String, Value>, p: &Page) {
    let s = p.strings;
    o.insert("@type".into(), json!("Dataset"));
    o.insert("name".into(), json!(say::text(s, "data_title")));
    o.insert("description".into(), json!(say::text(s, "data_intro")));
    if let Some(l) = p.license {
        o.insert("license".into(), json!(l));
    }
    let files: Vec<Value> = p
        .downloads
        .iter()
        .filter(|d| d.written)
        .map(|d| {
            let mut f = Map::new();
            f.insert("@type".into(), json!("DataDownload"));
            f.insert(
                "name".into(),
                json!(d.path.rsplit('/').next().unwrap_or(&d.path)),
            );
            f.insert(
                "description".into(),
                json!(say::text(s, &format!("data_what.{}", d.contents))),
            );
            f.insert("contentUrl".into(), json!(d.url));
            f.insert("encodingFormat".into(), json!(d.media_type));
            if let Some(n) = &d.newest {
                f.insert("dateModified".into(), json!(n.iso()));
            }
            Value::Object(f)
        })
        .collect();
    o.insert("distribution".into(), Value::Array(files));
}

/// A record page.
fn record(o: &mut Map<String, Value>, kind: crate::model::Kind, e: &Value, s: &Value) {
    use crate::model::Kind;
    match kind {
        Kind::Dialogue => {
            o.insert("@type".into(), json!("Event"));
            o.insert("startDate".into(), date(&e["date"]));
            let format = e["format"].as_str().unwrap_or("");
            let mode = match format {
                "virtual" => "OnlineEventAttendanceMode",
                "in-person" => "OfflineEventAttendanceMode",
                _ => "MixedEventAttendanceMode",
            };
            o.insert(
                "eventAttendanceMode".into(),
                json!(format!("https://schema.org/{mode}")),
            );
            let place = text(&e["location"]).map(|l| json!({"@type": "Place", "name": l}));
            let online = json!({"@type": "VirtualLocation"});
            let location = match (format, place) {
                ("virtual", _) => vec![online],
                ("in-person", Some(p)) => vec![p],
                ("in-person", None) => vec![],
                (_, Some(p)) => vec![p, online],
                (_, None) => vec![online],
            };
            put(o, "location", Value::Array(location));
            let attendees: Vec<Value> = e["participants"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| !p["person"].is_null())
                .map(|p| {
                    let mut person = thing("Person", &p["person"]);
                    let org = &p["organization"];
                    if !org.is_null() {
                        person["affiliation"] = thing("Organization", org);
                    }
                    match text(&p["role"]) {
                        Some(role) => {
                            json!({"@type": "Role", "roleName": role, "attendee": person})
                        }
                        None => person,
                    }
                })
                .collect();
            put(o, "attendee", Value::Array(attendees));
            put(o, "organizer", things("Organization", &e["organizations"]));
            let mut about: Vec<Value> = e["objectives"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|ob| json!({"@type": "Thing", "name": ob["title"]}))
                .collect();
            about.push(thing("Project", &e["partnership"]));
            about.retain(|a| !a.is_null());
            put(o, "about", Value::Array(about));
        }
        Kind::Grant => {
            o.insert("@type".into(), json!("MonetaryGrant"));
            put(o, "funder", thing("Organization", &e["funder"]));
            let recipients = json!(e["recipients"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| thing("Organization", &r["organization"]))
                .filter(|t| !t.is_null())
                .collect::<Vec<_>>());
            put(o, "fundedItem", recipients);
            let amounts: Vec<Value> = e["total"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| json!({"@type": "MonetaryAmount", "currency": m["currency"], "value": m["amount"]}))
                .collect();
            put(o, "amount", Value::Array(amounts));
        }
        Kind::Organization => {
            o.insert(
                "@type".into(),
                json!(org_type(e["org_kind"].as_str().unwrap_or(""))),
            );
            put(o, "alternateName", e["short_name"].clone());
            put(o, "sameAs", e["website"].clone());
            if let Some(c) = text(&e["country"]) {
                o.insert(
                    "address".into(),
                    json!({"@type": "PostalAddress", "addressCountry": c}),
                );
            }
            put(o, "parentOrganization", thing("Organization", &e["parent"]));
            put(o, "subOrganization", things("Organization", &e["children"]));
        }
        Kind::Person => {
            o.insert("@type".into(), json!("Person"));
            put(o, "honorificPrefix", e["honorific"].clone());
            let positions = e["positions"].as_array().cloned().unwrap_or_default();
            let titles: Vec<Value> = positions.iter().map(|p| p["title"].clone()).collect();
            put(o, "jobTitle", Value::Array(titles));
            let roles: Vec<Value> = positions
                .iter()
                .filter(|p| !p["organization"].is_null())
                .map(|p| {
                    let mut r = Map::new();
                    r.insert("@type".into(), json!("Role"));
                    r.insert("roleName".into(), p["title"].clone());
                    if !p["from"].is_null() {
                        r.insert("startDate".into(), date(&p["from"]));
                    }
                    if !p["to"].is_null() {
                        r.insert("endDate".into(), date(&p["to"]));
                    }
                    r.insert(
                        "affiliation".into(),
                        thing("Organization", &p["organization"]),
                    );
                    Value::Object(r)
                })
                .collect();
            put(o, "affiliation", Value::Array(roles));
        }
        Kind::Report => {
            o.insert("@type".into(), json!("Report"));
            o.insert("datePublished".into(), date(&e["published"]));
            let from = &e["period"]["from"];
            let to = &e["period"]["to"];
            let coverage = match (from.is_null(), to.is_null()) {
                (false, false) => format!(
                    "{}/{}",
                    from["iso"].as_str().unwrap_or(""),
                    to["iso"].as_str().unwrap_or("")
                ),
                (false, true) => format!("{}/..", from["iso"].as_str().unwrap_or("")),
                (true, false) => format!("../{}", to["iso"].as_str().unwrap_or("")),
                (true, true) => String::new(),
            };
            put(o, "temporalCoverage", json!(coverage));
            put(o, "about", thing("Project", &e["partnership"]));
        }
        Kind::Partnership => {
            o.insert("@type".into(), json!("Project"));
            put(o, "alternateName", e["short_name"].clone());
            if !e["signed"].is_null() {
                o.insert("foundingDate".into(), date(&e["signed"]));
            }
            put(o, "member", things("Organization", &e["parties"]));
        }
        Kind::Pledge => {
            o.insert("@type".into(), json!("CreativeWork"));
            put(o, "author", thing("Organization", &e["made_by"]));
            if !e["made"].is_null() {
                o.insert("dateCreated".into(), date(&e["made"]));
            }
            if let Some(k) = e["status"]["key"].as_str() {
                o.insert(
                    "creativeWorkStatus".into(),
                    json!(say::text(s, &format!("status.{k}"))),
                );
            }
            put(o, "about", thing("Project", &e["partnership"]));
        }
    }
}
