//! A record's Markdown body as HTML for the page being rendered: `@/` links
//! resolved for that page and, where several bodies share a page (a
//! partnership's briefing), ids prefixed per record so that they stay
//! unique and each footnote and `#` link lands in its own record.

use super::Ctx;
use crate::markdown::{self, Embed, Internal, RenderOptions};
use crate::model::{Entity, Kind};
use crate::urls::Target;

/// Where a body is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyOn {
    /// The record's own page: its ids as they are.
    OwnPage,
    /// A page that combines several records' bodies.
    Combined,
}

/// The prefix of a body's ids on a combined page: `dialogue-<id>--`. Ids
/// never contain `--`, so no two records' prefixes overlap, and no theme
/// id of the briefing (`dialogue-<id>`, `dialogue-<id>-title`) starts with one.
pub fn id_prefix(kind: Kind, id: &str) -> String {
    format!("{}-{id}--", kind.name())
}

impl Ctx<'_> {
    /// Render an entity's body with `@/` links resolved for this page.
    pub fn body_html(&self, e: &Entity, on: BodyOn) -> String {
        let resolve = |t: &Internal| {
            let i = self.graph.get(t.kind, t.id)?;
            let target = &self.graph.entities[i];
            let url = self.url(Target::Entity(target.meta.kind, &target.meta.id));
            Some(match t.fragment {
                Some(f) => format!("{url}#{f}"),
                None => url,
            })
        };
        let (prefix, page_url) = match on {
            BodyOn::OwnPage => Default::default(),
            BodyOn::Combined => (
                id_prefix(e.meta.kind, &e.meta.id),
                self.url(Target::Entity(e.meta.kind, &e.meta.id)),
            ),
        };
        markdown::to_html(
            &e.meta.body,
            &RenderOptions {
                resolve: &resolve,
                allow_html: self.config.allow_html,
                embed: (on == BodyOn::Combined).then_some(Embed {
                    id_prefix: &prefix,
                    page_url: &page_url,
                }),
            },
        )
    }
}
