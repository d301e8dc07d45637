//! Sources as readers see them: what a `sources:` entry points at, resolved
//! against the graph. Pages, data files and feeds all go through
//! [`resolve`], so a source reads the same everywhere.

use crate::graph::Graph;
use crate::markdown;
use crate::model::{Kind, Source, SourceRef};
use crate::urls::Target;

/// Where a source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place<'g> {
    /// A record on this site.
    Record(Target<'g>),
    /// A web address elsewhere.
    Web(&'g str),
    /// A record that exists but is left out of this graph (a bundle of one
    /// partnership), or a document with no address.
    Nowhere,
}

/// A source, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'g> {
    /// `dialogue`, `report` (or another type's name), `web` or `document`.
    pub kind: &'static str,
    /// What to call it: a record's title, a web page's given title (else
    /// its address), a document's title.
    pub title: String,
    pub place: Place<'g>,
    pub quote: Option<&'g str>,
}

/// Resolve `s` against `graph`.
pub fn resolve<'g>(graph: &'g Graph, s: &'g Source) -> Resolved<'g> {
    let quote = s.quote.as_deref();
    let record = |kind: Kind, id: &'g str| -> (String, Place<'g>) {
        match graph.get(kind, id) {
            Some(i) => {
                let e = &graph.entities[i];
                (
                    e.title().to_string(),
                    Place::Record(Target::Entity(kind, &e.meta.id)),
                )
            }
            None => (
                graph.outside_title(kind, id).unwrap_or(id).to_string(),
                Place::Nowhere,
            ),
        }
    };
    match &s.what {
        SourceRef::Record(r) => {
            let (title, place) = record(r.kind, &r.id);
            Resolved {
                kind: r.kind.name(),
                title,
                place,
                quote,
            }
        }
        SourceRef::Url { url, title } if url.starts_with("@/") => {
            let (kind, (found, place)) = match markdown::parse_internal(url) {
                Ok(t) => (t.kind.name(), record(t.kind, t.id)),
                Err(_) => ("web", (url.clone(), Place::Nowhere)),
            };
            Resolved {
                kind,
                title: title.clone().unwrap_or(found),
                place,
                quote,
            }
        }
        SourceRef::Url { url, title } => Resolved {
            kind: "web",
            title: title.clone().unwrap_or_else(|| url.clone()),
            place: Place::Web(url),
            quote,
        },
        SourceRef::Document(t) => Resolved {
            kind: "document",
            title: t.clone(),
            place: Place::Nowhere,
            quote,
        },
    }
}
