//! Who held a post when. A position with a `to` date is a former one; one
//! without is open: the records give it no end, which is all a page may say
//! of it. When a later holder of the same post is recorded while an earlier
//! one is still open, the site warns: the earlier holder needs a `to`.

use super::Graph;
use crate::diagnostics::Diagnostic;
use crate::model::{Data, Kind, PartialDate, Position};
use std::collections::HashMap;

/// Whether the records end a position.
pub fn is_former(p: &Position) -> bool {
    p.to.is_some()
}

/// Warnings for open positions with a later holder of the same post (same
/// organization, same title ignoring case).
pub fn open_with_successor(graph: &Graph) -> Vec<Diagnostic> {
    // (organization, title) -> every (person, position index, from).
    type Holder = (usize, usize, Option<PartialDate>);
    let mut posts: HashMap<(String, String), Vec<Holder>> = HashMap::new();
    for &i in graph.of_kind(Kind::Person) {
        let Data::Person(p) = &graph.entities[i].data else {
            continue;
        };
        for (n, pos) in p.positions.iter().enumerate() {
            if let Some(org) = &pos.organization {
                posts
                    .entry((org.id.clone(), pos.title.to_lowercase()))
                    .or_default()
                    .push((i, n, pos.from));
            }
        }
    }
    let mut out = Vec::new();
    for holders in posts.values() {
        for &(i, n, from) in holders {
            let e = &graph.entities[i];
            let Data::Person(p) = &e.data else { continue };
            let pos = &p.positions[n];
            if is_former(pos) {
                continue;
            }
            // The first holder who certainly started after this one did.
            let later = holders
                .iter()
                .filter(|&&(j, _, f)| {
                    j != i && f.is_some_and(|f| from.is_none_or(|s| s.certainly_before(&f)))
                })
                .min_by_key(|&&(_, _, f)| f);
            if let Some(&(j, _, Some(f))) = later {
                let other = &graph.entities[j];
                out.push(
                    Diagnostic::warning(
                        e.meta.file.clone(),
                        format!(
                            "`{}` has no end, but {} holds the same post from {}",
                            pos.title,
                            other.title(),
                            f.iso()
                        ),
                    )
                    .at(Some(pos.pos))
                    .field(format!("positions[{n}].to"))
                    .expected("a `to` date on a position that someone else took over")
                    .hint(format!(
                        "add `to:` with the date it ended (no later than {}), or correct `from` in {}",
                        f.iso(),
                        other.meta.file
                    )),
                );
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

#[cfg(test)]
mod tests {
    use crate::testing::with_base_and_warnings as with_base;

    #[test]
    fn an_open_post_with_a_later_holder_is_a_warning() {
        let old = "---\nname: Old\npositions:\n  - title: Minister of Justice\n    organization: gov\n    from: 2019\n---\n";
        let new = "---\nname: New\npositions:\n  - title: minister of justice\n    organization: gov\n    from: 2023-03\n---\n";
        let (_, diags) = with_base(&[("people/old.md", old), ("people/new.md", new)]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        let d = &diags[0];
        assert!(!d.is_error());
        assert_eq!(d.file, "content/people/old.md");
        assert_eq!(d.field.as_deref(), Some("positions[0].to"));
        assert!(
            d.message.contains("New holds the same post from 2023-03"),
            "{}",
            d.message
        );
        let ended = "---\nname: Old\npositions:\n  - title: Minister of Justice\n    organization: gov\n    from: 2019\n    to: 2023-03\n---\n";
        let (_, diags) = with_base(&[("people/old.md", ended), ("people/new.md", new)]);
        assert!(diags.is_empty(), "{diags:?}");
    }
}
