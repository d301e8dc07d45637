//! A CSV table written whole: its header, then its rows, made a slice of
//! records at a time with as many slices at once as there are threads,
//! each written on its own and passed on in order.

use super::{rows, table, tables::Table, RECORDS_AT_ONCE};
use crate::config::Config;
use crate::graph::Graph;
use crate::render::standards::Language;
use crate::urls::Urls;
use rayon::prelude::*;
use std::io::Write;

/// Write the CSV table `t` (as [`super::build`] makes it) to `w`, its
/// rows made a slice of records at a time, so that only a few slices' rows
/// are ever held. Returns the number of rows.
pub(super) fn write_table(
    t: Table,
    langs: &[Language],
    texts: &[Graph],
    config: &Config,
    urls: &Urls,
    w: impl Write,
) -> csv::Result<usize> {
    write_table_by(t, langs, texts, config, urls, w, RECORDS_AT_ONCE)
}

/// [`write_table`], `at_once` records to a slice. As many slices as there
/// are threads are made at once, each written on its own, then in order:
/// the largest table (`references.csv`, 4.3 MB at 10,000 records) was
/// the last file done in every watch-mode step that made it.
fn write_table_by(
    t: Table,
    langs: &[Language],
    texts: &[Graph],
    config: &Config,
    urls: &Urls,
    mut w: impl Write,
    at_once: usize,
) -> csv::Result<usize> {
    let Some(first) = langs.first() else {
        return Ok(0);
    };
    let tags: Vec<&str> = langs.iter().skip(1).map(|l| l.tag).collect();
    let cx = rows::Cx {
        graph: first.graph,
        config,
        urls,
        strings: first.strings,
        records: 0..0,
    };
    w.write_all(&table::Writer::new(Vec::new(), t.columns(), &tags)?.finish()?)?;
    let all = first.graph.len();
    let slices: Vec<std::ops::Range<usize>> = (0..all)
        .step_by(at_once.max(1))
        .map(|from| from..(from + at_once.max(1)).min(all))
        .collect();
    let mut n = 0;
    for batch in slices.chunks(rayon::current_num_threads().max(1)) {
        let made: Vec<csv::Result<(Vec<u8>, usize)>> = batch
            .par_iter()
            .map(|records| {
                let slice = |graph| rows::Cx {
                    graph,
                    records: records.clone(),
                    ..cx.clone()
                };
                let rows = rows::rows(t, &slice(first.graph));
                let in_langs = texts.iter().map(|g| rows::rows(t, &slice(g))).collect();
                let count = rows.len();
                let mut part = table::Writer::continuing(Vec::new(), t.columns());
                part.rows(rows, in_langs)?;
                Ok((part.finish()?, count))
            })
            .collect();
        for m in made {
            let (bytes, count) = m?;
            w.write_all(&bytes)?;
            n += count;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn a_table_made_in_slices_is_the_table_made_whole() {
        let (g, diags) = crate::testing::with_base(&[
            ("grants/g.md", "---\ntitle: G\npartnership: p\nfunder: gov\nrecipients:\n  - organization: ngo\nobjectives: [prevention]\nawarded: 2021-05-01\namount: 100\ncurrency: USD\n---\n"),
            ("dialogues/d.md", "---\ntitle: D\ndate: 2021-03-01\npartnership: p\nformat: virtual\nparticipants:\n  - person: ann\n---\n"),
            ("dialogues/e.md", "---\ntitle: E\ndate: 2022\npartnership: p\nformat: virtual\n---\n"),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        let (config, urls, strings) = (Config::default(), Urls::site("/"), Value::Null);
        let langs = [Language {
            tag: "en",
            graph: &g,
            strings: &strings,
            locale: &crate::locale::Locale::new("en"),
        }];
        for t in Table::ALL {
            let by = |at_once| {
                let mut out = Vec::new();
                let n = write_table_by(t, &langs, &[], &config, &urls, &mut out, at_once);
                (n.unwrap(), out)
            };
            let whole = by(RECORDS_AT_ONCE);
            assert_eq!(by(1), whole, "{t:?}");
            assert_eq!(by(2), whole, "{t:?}");
            if matches!(t, Table::Dialogues) {
                assert_eq!(whole.0, 2);
            }
        }
    }
}
