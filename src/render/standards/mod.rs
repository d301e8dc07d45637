//! The standards of aid transparency and open data that every site
//! speaks: IATI 2.03 (`iati.rs` activities, `iati_orgs.rs` organisations,
//! `codes.rs` from Gazette's vocabularies to IATI's code lists), the
//! DCAT-US 1.1 catalogue `data.json` (`dcat.rs`), schema.org JSON-LD in
//! every page (`jsonld.rs`), and, from `validate::standard_dates`, the one
//! rule for dates a standard needs in full (shared with 360Giving in
//! `render/giving.rs`).
//!
//! Exporters take the site's languages, each with its records and theme
//! strings ([`Language`]); text is written once per language, money and
//! dates once. The first language is the site's default.

pub mod codes;
pub mod dcat;
pub mod iati;
pub mod iati_orgs;
pub mod jsonld;

use crate::graph::Graph;
use crate::locale::Locale;
use crate::render::say::Say;
use crate::render::Edition;
use serde_json::Value;

/// One language of the site: its tag, its records (with its text), its
/// theme strings and its CLDR formatting.
#[derive(Clone, Copy)]
pub struct Language<'a> {
    pub tag: &'a str,
    pub graph: &'a Graph,
    pub strings: &'a Value,
    pub locale: &'a Locale,
}

impl<'a> Language<'a> {
    /// The language of an edition.
    pub fn of(ed: &'a Edition) -> Language<'a> {
        Language {
            tag: &ed.lang.tag,
            graph: &ed.graph,
            strings: ed.strings,
            locale: &ed.locale,
        }
    }

    /// Its strings and formatting, for text made in Rust.
    pub fn say(&self) -> Say<'a> {
        Say {
            strings: self.strings,
            locale: self.locale,
        }
    }
}
