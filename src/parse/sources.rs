//! `sources:` lists: where a claim comes from. Each entry names exactly one
//! of a dialogue or report on the site, a web address, or a document with
//! no address, and may quote the passage that supports the claim.

use crate::fields::values::as_string;
use crate::fields::Fields;
use crate::model::{Kind, Source, SourceRef};

/// The keys that say what a source is; exactly one is written.
const WHAT: [&str; 4] = ["dialogue", "report", "url", "document"];

/// Read the list under `key` (absent: none).
pub fn sources(f: &mut Fields, key: &'static str) -> Vec<Source> {
    f.records(key, source)
}

fn source(f: &mut Fields) -> Option<Source> {
    let pos = f.pos();
    let field = f.here().to_string();
    let written: Vec<&str> = WHAT.iter().copied().filter(|k| f.has(k)).collect();
    let dialogue = f.opt_ref("dialogue", Kind::Dialogue);
    let report = f.opt_ref("report", Kind::Report);
    let url = f.opt("url", crate::fields::values::as_url);
    let title = f.opt_str("title");
    let has_title = title.is_some();
    let document = f.opt("document", as_string);
    let quote = f.opt_str("quote");
    if written.len() != 1 {
        let message = if written.is_empty() {
            "a source must say what it is".to_string()
        } else {
            format!(
                "a source names one thing, not {}",
                written
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        let r = f.reader();
        r.push(
            r.error(pos, &field, message)
                .expected("one of `dialogue: <id>`, `report: <id>`, `url: https://…` or `document: <title>`")
                .hint("write one source per entry; a `quote:` may go with any of them"),
        );
        return None;
    }
    let what = match (dialogue, report, url, document) {
        (Some(r), _, _, _) | (_, Some(r), _, _) => SourceRef::Record(r),
        (_, _, Some(url), _) => SourceRef::Url { url, title },
        (_, _, _, Some(d)) => SourceRef::Document(d),
        // The one key written had a bad value, reported already.
        _ => return None,
    };
    if has_title && !matches!(what, SourceRef::Url { .. }) {
        let r = f.reader();
        let at = f.node("title").map_or(pos, |n| n.pos);
        r.push(
            r.error(at, &format!("{field}.title"), "`title` names a web page")
                .expected("`title` only beside `url`")
                .hint("a record has its own title, and a `document` is named by its text"),
        );
        return None;
    }
    Some(Source {
        what,
        quote,
        pos,
        field,
    })
}
