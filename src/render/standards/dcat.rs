//! `data.json` at the site root: a DCAT-US 1.1 catalogue (the Project Open
//! Data metadata schema that data.gov harvests) with one dataset per
//! download and the Atom feed. Written only when `open_data.catalog` is
//! set. Every date is a record's date as recorded (DCAT-US accepts `2021`
//! and `2021-11`), never the clock: a file's `modified` is the newest date
//! among its records, or, for records that have no date (organizations,
//! people), the newest date on the site. In an offline bundle every
//! address is relative to the bundle's root, where `data.json` sits, and
//! the feed (not in bundles) is left out. Mapped field by field in
//! `docs/open-data.md` ("DCAT-US").

use crate::config::{Catalog, Config};
use crate::render::say;
use crate::render::views::downloads::Download;
use crate::urls::{Style, Target, Urls};
use serde_json::{json, Value};

/// Where the catalogue is written.
pub const FILE: &str = "data.json";

/// The media type and the specification a file of `standard` follows.
fn media(standard: &str) -> (&'static str, Option<&'static str>) {
    match standard {
        "csv" => ("text/csv", Some("https://www.rfc-editor.org/rfc/rfc4180")),
        "csvw" => (
            "application/csvm+json",
            Some("https://www.w3.org/TR/tabular-metadata/"),
        ),
        "360giving" => (
            "application/json",
            Some("https://standard.threesixtygiving.org/en/latest/"),
        ),
        "iati" => (
            "application/xml",
            Some("https://iatistandard.org/en/iati-standard/203/"),
        ),
        "atom" => (
            "application/atom+xml",
            Some("https://www.rfc-editor.org/rfc/rfc4287"),
        ),
        _ => ("application/json", None),
    }
}

fn publisher(chain: &[String]) -> Value {
    let mut v = Value::Null;
    for name in chain.iter().rev() {
        let mut o = json!({"@type": "org:Organization", "name": name});
        if !v.is_null() {
            o["subOrganizationOf"] = v;
        }
        v = o;
    }
    v
}

struct Cx<'a> {
    config: &'a Config,
    catalog: &'a Catalog,
    urls: &'a Urls,
    strings: &'a Value,
    /// The newest date on the site, for files whose records have none.
    site_newest: &'a str,
    /// The CSV on the Web metadata file that describes the CSV tables.
    csv_metadata: &'a str,
}

impl Cx<'_> {
    /// The languages of a file of `standard`: every language of the site
    /// for those that carry the records' text in each (`graph.json`, the
    /// tables, IATI), the default alone for the others.
    fn languages(&self, standard: &str) -> Vec<&str> {
        let every = matches!(standard, "json" | "csv" | "iati");
        let n = if every {
            self.config.languages.len()
        } else {
            1
        };
        let mut v: Vec<&str> = self
            .config
            .languages
            .iter()
            .take(n)
            .map(|l| l.tag.as_str())
            .collect();
        if v.is_empty() {
            v.push(&self.config.language);
        }
        v
    }

    fn absolute(&self, path: &str) -> String {
        self.urls
            .absolute(&self.config.base_url, Target::Asset(path))
    }

    #[allow(clippy::too_many_arguments)]
    fn dataset(
        &self,
        path: &str,
        contents: &str,
        standard: &str,
        format: &str,
        newest: Option<&str>,
    ) -> Value {
        let url = self.absolute(path);
        let (media_type, conforms) = media(standard);
        let title = say::text(self.strings, &format!("data_what.{contents}"));
        let about = say::text(self.strings, &format!("data_about.{contents}"));
        let mut distribution = json!({
            "@type": "dcat:Distribution",
            "downloadURL": url,
            "mediaType": media_type,
            "format": format,
            "title": path.rsplit('/').next().unwrap_or(path),
            "description": about,
        });
        if let Some(c) = conforms {
            distribution["conformsTo"] = json!(c);
        }
        let mut keywords: Vec<String> = self.catalog.keywords.clone();
        keywords.push(contents.to_string());
        if standard != "json" && standard != "csv" {
            keywords.push(say::text(
                self.strings,
                &format!("data_standard_name.{standard}"),
            ));
        }
        keywords.dedup();
        let mut d = json!({
            "@type": "dcat:Dataset",
            "accessLevel": "public",
            "contactPoint": {
                "@type": "vcard:Contact",
                "fn": self.catalog.contact_name,
                "hasEmail": format!("mailto:{}", self.catalog.contact_email),
            },
            "description": about,
            "distribution": [distribution],
            "identifier": url,
            "keyword": keywords,
            "landingPage": self.urls.absolute(&self.config.base_url, Target::Data),
            "language": self.languages(standard),
            "modified": newest.unwrap_or(self.site_newest),
            "publisher": publisher(&self.catalog.publisher),
            "title": format!("{}: {title}", self.config.title),
        });
        if standard == "csv" {
            d["describedBy"] = json!(self
                .urls
                .absolute(&self.config.base_url, Target::Dictionary));
            d["describedByType"] = json!("text/html");
            d["distribution"][0]["describedBy"] = json!(self.absolute(self.csv_metadata));
            d["distribution"][0]["describedByType"] = json!("application/csvm+json");
        }
        if let Some(l) = &self.config.standards.license {
            d["license"] = json!(l.url);
        }
        if !self.catalog.bureau_code.is_empty() {
            d["bureauCode"] = json!(self.catalog.bureau_code);
            d["programCode"] = json!(self.catalog.program_code);
        }
        d
    }
}

/// The catalogue of `downloads` (those written), or `None` when the site
/// has no catalogue or no record has a date to give as `modified`. The CSV
/// tables are described by `csv_metadata` (their CSV on the Web file).
pub fn catalog(
    config: &Config,
    urls: &Urls,
    strings: &Value,
    downloads: &[Download],
    csv_metadata: &str,
) -> Option<Vec<u8>> {
    let catalog = config.standards.catalog.as_ref()?;
    let site_newest = downloads.iter().filter_map(|d| d.newest).max()?.iso();
    let cx = Cx {
        config,
        catalog,
        urls,
        strings,
        site_newest: &site_newest,
        csv_metadata,
    };
    let mut datasets: Vec<Value> = downloads
        .iter()
        .filter(|d| d.written && d.path != FILE)
        .map(|d| {
            cx.dataset(
                &d.path,
                &d.contents,
                d.standard,
                d.format,
                d.newest.map(|n| n.iso()).as_deref(),
            )
        })
        .collect();
    if urls.style != Style::Relative {
        datasets.push(cx.dataset("atom.xml", "feed", "atom", "Atom", None));
    }
    let doc = json!({
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": cx.absolute(FILE),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": datasets,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    Some(text.into_bytes())
}
