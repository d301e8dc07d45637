//! `data/iati-organisations.xml`: every organization the site describes
//! that has an IATI organisation identifier (`iati_identifier`), as an
//! IATI 2.03 organisation with its name in every site language and links
//! to its own website and its page here. An organization without an
//! identifier cannot be in the file: IATI requires one, and Gazette never
//! makes one up. Written only when `open_data.iati` is set.

use super::iati::{document_link, in_each, narratives, reporting_org, Export};
use super::Language;
use crate::config::Config;
use crate::model::{Data, Kind};
use crate::render::xml::Doc;
use crate::urls::Urls;

/// Where the organisation file is written.
pub const ORGANISATIONS_FILE: &str = "data/iati-organisations.xml";

pub fn organisations(langs: &[Language], config: &Config, urls: &Urls) -> Export {
    let empty = Export {
        bytes: None,
        records: 0,
        left_out: Vec::new(),
    };
    let (Some(iati), Some(first)) = (&config.standards.iati, langs.first()) else {
        return empty;
    };
    let g = first.graph;
    let with_id: Vec<usize> = g
        .of_kind(Kind::Organization)
        .iter()
        .copied()
        .filter(|&i| matches!(&g.entities[i].data, Data::Organization(o) if o.iati_identifier.is_some()))
        .collect();
    if with_id.is_empty() {
        return empty;
    }
    let mut doc = Doc::new("UTF-8");
    doc.open("iati-organisations", &[("version", "2.03")]);
    for &i in &with_id {
        let e = &g.entities[i];
        let Data::Organization(o) = &e.data else {
            continue;
        };
        doc.open("iati-organisation", &[("xml:lang", first.tag)]);
        doc.text(
            "organisation-identifier",
            o.iati_identifier.as_deref().unwrap_or_default(),
        );
        narratives(
            &mut doc,
            "name",
            &[],
            &in_each(langs, Kind::Organization, &e.meta.id, |_, e| {
                e.title().to_string()
            }),
        );
        reporting_org(&mut doc, langs, iati);
        if let Some(site) = &o.website {
            doc.open("document-link", &[("format", "text/html"), ("url", site)]);
            narratives(
                &mut doc,
                "title",
                &[],
                &in_each(langs, Kind::Organization, &e.meta.id, |_, e| {
                    e.title().to_string()
                }),
            );
            doc.empty(
                "category",
                &[("code", super::codes::document_category(Kind::Organization))],
            );
            doc.close("document-link");
        }
        document_link(&mut doc, langs, config, urls, i);
        doc.close("iati-organisation");
    }
    doc.close("iati-organisations");
    Export {
        bytes: Some(doc.finish()),
        records: with_id.len(),
        left_out: Vec::new(),
    }
}
