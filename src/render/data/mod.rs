//! Open data: the JSON of every record (`records.rs`: twins and
//! `data/graph.json`, with the record's text in the site's other languages
//! from `translations.rs`), the CSV tables (`tables.rs`, written by
//! `table.rs` with the `csv` crate, a column per other language beside
//! each column of the records' text) and their CSV on the Web metadata
//! (`csvw.rs`), the data dictionary page's view (`dictionary.rs`), and the
//! files in standard formats: 360Giving (`render/giving.rs`), IATI and the
//! DCAT-US catalogue (`render/standards/`). [`DataFile`] is the one list of these
//! files, which the full build and watch mode both make. Columns and
//! mappings are documented in `docs/open-data.md`.

mod csv_out;
pub mod csvw;
pub mod dictionary;
pub mod records;
pub mod rows;
pub mod table;
pub mod tables;
pub mod translations;

pub use records::{
    fields, graph_download, graph_file, graph_frame, newest_date, record, record_text, GraphFrame,
    RecordText, GRAPH_FILE, GRAPH_SEPARATOR,
};
pub use translations::Others;

use super::standards::{self, Language};
use super::OutFile;
use crate::config::Config;
use crate::graph::Graph;
use crate::model::{Kind, PartialDate};
use crate::render::views::downloads::{human_size, Download, LeftOutView};
use crate::render::views::{part, Parts};
use crate::urls::{Target, Urls};
use crate::validate::standard_dates::LeftOut;
use csv_out::write_table;
use rayon::prelude::*;
use serde_json::Value;
use std::io::Write;
use tables::Table;

/// Every whole-site data file, in the data page's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataFile {
    Graph,
    Table(Table),
    CsvMetadata,
    Giving,
    IatiActivities,
    IatiOrganisations,
    /// `data.json`, made from the other files' entries ([`catalog_file`]).
    Catalog,
}

impl DataFile {
    pub fn all() -> Vec<DataFile> {
        let mut v = vec![DataFile::Graph];
        v.extend(Table::ALL.into_iter().map(DataFile::Table));
        v.extend([
            DataFile::CsvMetadata,
            DataFile::Giving,
            DataFile::IatiActivities,
            DataFile::IatiOrganisations,
            DataFile::Catalog,
        ]);
        v
    }

    pub fn path(self) -> String {
        match self {
            DataFile::Graph => GRAPH_FILE.into(),
            DataFile::Table(t) => t.path(),
            DataFile::CsvMetadata => csvw::FILE.into(),
            DataFile::Giving => GIVING_FILE.into(),
            DataFile::IatiActivities => standards::iati::ACTIVITIES_FILE.into(),
            DataFile::IatiOrganisations => standards::iati_orgs::ORGANISATIONS_FILE.into(),
            DataFile::Catalog => standards::dcat::FILE.into(),
        }
    }

    /// Its place in the data page's list.
    pub fn slot(self) -> usize {
        DataFile::all()
            .iter()
            .position(|f| *f == self)
            .unwrap_or_default()
    }

    /// Whether a change to `parts` of a record of `kind` can change the
    /// file. `graph.json` follows the records themselves, and the
    /// catalogue the other files' entries; records that come or go change
    /// every file.
    pub fn reads(self, kind: Kind, parts: Parts) -> bool {
        let fields = parts & (part::LINK | part::LIST) != 0;
        let body = parts & part::FULL != 0;
        match self {
            DataFile::Table(t) => fields && t.reads().contains(&kind),
            DataFile::Giving => {
                (body && kind == Kind::Grant)
                    || (fields
                        && matches!(kind, Kind::Grant | Kind::Organization | Kind::Partnership))
            }
            DataFile::IatiActivities => {
                (body && kind == Kind::Grant) || (fields && kind != Kind::Person)
            }
            DataFile::IatiOrganisations => fields && kind == Kind::Organization,
            DataFile::Graph | DataFile::CsvMetadata | DataFile::Catalog => false,
        }
    }

    /// Whether a change to a translation of a record of `kind` can change
    /// the file: the record's text in the other languages is in
    /// `graph.json`, in the tables that name it and in the IATI files;
    /// 360Giving, the CSV metadata and the catalogue have none.
    pub fn reads_translations(self, kind: Kind) -> bool {
        match self {
            DataFile::Graph => true,
            DataFile::Giving | DataFile::CsvMetadata | DataFile::Catalog => false,
            f => f.reads(kind, part::LINK | part::LIST | part::FULL),
        }
    }
}

fn media_type(standard: &str) -> &'static str {
    match standard {
        "csv" => "text/csv",
        "csvw" => "application/csvm+json",
        "iati" => "application/xml",
        _ => "application/json",
    }
}

/// A download's entry on the `/data/` page for a file of `bytes` bytes.
pub fn entry(
    urls: &Urls,
    path: &str,
    standard: &'static str,
    contents: &str,
    records: usize,
    bytes: usize,
    newest: Option<PartialDate>,
) -> Download {
    let format = match standard {
        "csv" => "CSV",
        "iati" => "XML",
        _ => "JSON",
    };
    Download {
        url: urls.url(Target::Asset(path), Target::Data),
        path: path.to_string(),
        format,
        media_type: media_type(standard),
        standard,
        contents: contents.to_string(),
        records,
        bytes,
        size: human_size(bytes),
        newest,
        written: true,
        why: None,
        left_out: Vec::new(),
    }
}

/// What building one file gave: its bytes (`None`: not written) and its
/// entry on the data page.
pub struct Built {
    pub file: Option<OutFile>,
    pub download: Download,
}

fn built(
    urls: &Urls,
    path: String,
    standard: &'static str,
    contents: &str,
    bytes: Option<Vec<u8>>,
    records: usize,
    newest: Option<PartialDate>,
) -> Built {
    let mut download = entry(
        urls,
        &path,
        standard,
        contents,
        records,
        bytes.as_ref().map_or(0, Vec::len),
        newest,
    );
    download.written = bytes.is_some();
    Built {
        file: bytes.map(|bytes| OutFile { path, bytes }),
        download,
    }
}

/// The newest date among the records of `kind`.
fn newest_of(graph: &Graph, kind: Kind) -> Option<PartialDate> {
    graph
        .of_kind(kind)
        .iter()
        .filter_map(|&i| newest_date(&graph.entities[i]))
        .max()
}

fn left_out_views(graph: &Graph, list: &[LeftOut]) -> Vec<LeftOutView> {
    list.iter()
        .map(|l| {
            let e = &graph.entities[l.record];
            LeftOutView {
                title: e.title().to_string(),
                kind: e.meta.kind,
                id: e.meta.id.clone(),
                field: l.field.clone(),
                date: l.date,
            }
        })
        .collect()
}

/// Each other language's records with only the text its translations
/// give (`graph::translations::texts_only`), in `langs[1..]` order: the
/// tables' columns in those languages are made from them. Empty for a site
/// in one language.
pub fn language_texts(langs: &[Language]) -> Vec<Graph> {
    let Some((first, others)) = langs.split_first() else {
        return Vec::new();
    };
    others
        .par_iter()
        .map(|l| crate::graph::translations::texts_only(first.graph, l.tag))
        .collect()
}

/// Each language's name in itself, by tag.
fn names(langs: &[Language]) -> csvw::Names {
    langs
        .iter()
        .map(|l| {
            let name = crate::render::language::name_in_itself(l.strings, l.tag);
            (l.tag.to_string(), name)
        })
        .collect()
}

/// Build one file other than `graph.json` and `data.json`, which need
/// the records' JSON and the other files' entries.
/// `langs` are the site's languages, the default first: tables are in the
/// default language with a column per other language for each column of
/// the records' text (made from `texts`, see [`language_texts`]), 360Giving
/// is in the default language, IATI files in every language.
pub fn build(
    f: DataFile,
    langs: &[Language],
    texts: &[Graph],
    config: &Config,
    urls: &Urls,
) -> Built {
    let Some(first) = langs.first() else {
        return built(urls, f.path(), "json", "graph", None, 0, None);
    };
    let (graph, say) = (first.graph, first.say());
    let strings = first.strings;
    let tags: Vec<&str> = langs.iter().skip(1).map(|l| l.tag).collect();
    let path = f.path();
    match f {
        DataFile::Table(t) => {
            let mut bytes = Vec::new();
            // Writing into a `Vec` cannot fail.
            let n = write_table(t, langs, texts, config, urls, &mut bytes).unwrap_or_default();
            built(
                urls,
                path,
                "csv",
                t.stem(),
                Some(bytes),
                n,
                tables::newest(t, graph),
            )
        }
        DataFile::CsvMetadata => {
            let bytes = csvw::metadata(config, strings, &tags, &names(langs));
            built(
                urls,
                path,
                "csvw",
                "csv-metadata",
                Some(bytes),
                Table::ALL.len(),
                None,
            )
        }
        DataFile::Giving => {
            let giving = super::giving::package(graph, config, urls, &say);
            let mut b = built(
                urls,
                path,
                "360giving",
                "360giving",
                giving.bytes,
                giving.grants,
                newest_of(graph, Kind::Grant),
            );
            b.download.left_out = left_out_views(graph, &giving.left_out);
            if !b.download.written {
                b.download.why = Some(if graph.of_kind(Kind::Grant).is_empty() {
                    "no-grant"
                } else {
                    "no-full-date"
                });
            }
            b
        }
        DataFile::IatiActivities => {
            let x = standards::iati::activities(langs, config, urls);
            let mut b = built(
                urls,
                path,
                "iati",
                "iati-activities",
                x.bytes,
                x.records,
                newest_of(graph, Kind::Grant),
            );
            b.download.left_out = left_out_views(graph, &x.left_out);
            if !b.download.written {
                b.download.why = Some(match config.standards.iati {
                    None => "not-configured",
                    Some(_) if graph.of_kind(Kind::Grant).is_empty() => "no-grant",
                    Some(_) => "no-full-dates",
                });
            }
            b
        }
        DataFile::IatiOrganisations => {
            let x = standards::iati_orgs::organisations(langs, config, urls);
            let newest = newest_of(graph, Kind::Organization);
            let mut b = built(
                urls,
                path,
                "iati",
                "iati-organisations",
                x.bytes,
                x.records,
                newest,
            );
            if !b.download.written {
                b.download.why = Some(if config.standards.iati.is_none() {
                    "not-configured"
                } else {
                    "no-identifier"
                });
            }
            b
        }
        DataFile::Graph | DataFile::Catalog => {
            // Made by `graph_file` and `catalog_file`.
            built(urls, path, "json", "graph", None, 0, None)
        }
    }
}

/// A writer that counts the bytes it passes on.
struct Counted<W> {
    w: W,
    bytes: usize,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.w.write(buf)?;
        self.bytes += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// `data.json` from the entries of every other file.
pub fn catalog_file(
    config: &Config,
    urls: &Urls,
    strings: &Value,
    downloads: &[Download],
) -> Built {
    let bytes = standards::dcat::catalog(config, urls, strings, downloads, csvw::FILE);
    let mut b = built(
        urls,
        DataFile::Catalog.path(),
        "dcat",
        "catalog",
        bytes,
        downloads.iter().filter(|d| d.written).count(),
        None,
    );
    if !b.download.written {
        b.download.why = Some(if config.standards.catalog.is_none() {
            "not-configured"
        } else {
            "no-date"
        });
    }
    b
}

/// How many records' JSON is made at once for `graph.json`.
const RECORDS_AT_ONCE: usize = 2048;

/// Where the 360Giving file is written.
pub const GIVING_FILE: &str = "data/360giving.json";

/// Every open-data file, handed to `out` as soon as it is made, and the
/// list of downloads for the `/data/` page; `langs` as for [`build`].
pub fn data_files(
    langs: &[Language],
    config: &Config,
    urls: &Urls,
    out: &dyn super::Out,
) -> Vec<Download> {
    let Some(first) = langs.first() else {
        return Vec::new();
    };
    let (graph, strings) = (first.graph, first.strings);
    let translated = Others::new(graph, config);
    // `graph.json` is written a slice of records at a time, each slice's
    // records serialized in parallel (their JSON twins put as they come):
    // only one slice of records is ever held, never the file.
    let frame = graph_frame(config, urls, graph.is_empty());
    let mut len = 0;
    out.write(GRAPH_FILE, &mut |w| {
        let mut piece = |w: &mut dyn Write, s: &str| {
            len += s.len();
            w.write_all(s.as_bytes())
        };
        piece(w, &frame.head)?;
        for from in (0..graph.len()).step_by(RECORDS_AT_ONCE) {
            let to = (from + RECORDS_AT_ONCE).min(graph.len());
            let nested: Vec<String> = (from..to)
                .into_par_iter()
                .map(|i| {
                    let r = record_text(graph, config, urls, &translated, i);
                    if let Some(twin) = r.twin.filter(|_| config.record_json) {
                        out.put(twin);
                    }
                    r.nested
                })
                .collect();
            for (k, r) in nested.into_iter().enumerate() {
                if from + k > 0 {
                    piece(w, GRAPH_SEPARATOR)?;
                }
                piece(w, &r)?;
            }
        }
        piece(w, &frame.tail)
    });
    let graph_entry = graph_download(graph, urls, len);
    let texts = language_texts(langs);
    let others: Vec<Download> = DataFile::all()
        .into_par_iter()
        .filter(|f| !matches!(f, DataFile::Graph | DataFile::Catalog))
        .map(|f| {
            if let DataFile::Table(t) = f {
                // Tables stream out; only their size is kept.
                let (path, mut made) = (f.path(), (0, 0));
                out.write(&path, &mut |w| {
                    let mut counted = Counted { w, bytes: 0 };
                    let n = write_table(t, langs, &texts, config, urls, &mut counted)?;
                    made = (n, counted.bytes);
                    Ok(())
                });
                let newest = tables::newest(t, graph);
                return entry(urls, &path, "csv", t.stem(), made.0, made.1, newest);
            }
            let b = build(f, langs, &texts, config, urls);
            if let Some(file) = b.file {
                out.put(file);
            }
            b.download
        })
        .collect();
    let mut downloads = vec![graph_entry];
    downloads.extend(others);
    let catalog = catalog_file(config, urls, strings, &downloads);
    if let Some(file) = catalog.file {
        out.put(file);
    }
    downloads.push(catalog.download);
    downloads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_its_own_slot_and_path() {
        let all = DataFile::all();
        for (k, f) in all.iter().enumerate() {
            assert_eq!(f.slot(), k);
        }
        let mut paths: Vec<String> = all.iter().map(|f| f.path()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), all.len());
    }
}
