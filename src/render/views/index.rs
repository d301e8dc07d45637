//! The pages of a type's index: its records newest first, a page at a
//! time, with the links between pages.

use super::part;
use super::Ctx;
use crate::model::*;
use crate::urls::Target;
use serde_json::{json, Value};

impl Ctx<'_> {
    /// Page `page` (from 1) of the index of `kind`: its records, newest
    /// first (undated ones last, ties by id), and the links between pages.
    pub fn index_page(&self, kind: Kind, page: u32) -> (Value, Value) {
        self.read_kind(kind);
        let all = self.graph.of_kind(kind);
        for &i in all {
            self.read(i, part::ORDER);
        }
        let order = self.graph.newest_first(kind);
        let pages = index_pages(order.len(), self.config.per_page);
        let page = page.clamp(1, pages);
        let per = if self.config.per_page == 0 {
            order.len().max(1)
        } else {
            self.config.per_page
        };
        let from = ((page - 1) as usize * per).min(order.len());
        let to = (from + per).min(order.len());
        let url = |n: u32| -> Value {
            if (1..=pages).contains(&n) {
                json!(self.url(index_target(kind, n)))
            } else {
                Value::Null
            }
        };
        // The first and last pages, and two either side of this one.
        let mut links = Vec::new();
        let mut last_shown = 0;
        for n in 1..=pages {
            if n == 1 || n == pages || n.abs_diff(page) <= 2 {
                if n > last_shown + 1 {
                    links.push(json!({"gap": true}));
                }
                links.push(json!({"n": n, "url": url(n), "current": n == page}));
                last_shown = n;
            }
        }
        let pagination = json!({
            "page": page,
            "pages": pages,
            "total": order.len(),
            "first": if to > from { from + 1 } else { 0 },
            "last": to,
            "prev": url(page.wrapping_sub(1)),
            "next": url(page + 1),
            "links": links,
        });
        (self.list_items(&order[from..to]), pagination)
    }
}

/// How many pages the index of `n` records takes (at least one).
pub fn index_pages(n: usize, per_page: usize) -> u32 {
    if per_page == 0 {
        return 1;
    }
    n.div_ceil(per_page).max(1) as u32
}

/// Page `n` of a type's index: the type's folder for the first.
pub fn index_target<'a>(kind: Kind, n: u32) -> Target<'a> {
    if n <= 1 {
        Target::Index(kind)
    } else {
        Target::IndexPage(kind, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::render::views::{kind_bit, Ctx};
    use crate::urls::Urls;

    #[test]
    fn an_index_lists_the_newest_records_first_a_page_at_a_time() {
        let (g, diags) = crate::testing::with_base(&[
            (
                "dialogues/a.md",
                "---\ntitle: A\ndate: 2021-03-01\npartnership: p\nformat: virtual\n---\n",
            ),
            (
                "dialogues/b.md",
                "---\ntitle: B\ndate: 2022-01-01\npartnership: p\nformat: virtual\n---\n",
            ),
            (
                "dialogues/c.md",
                "---\ntitle: C\ndate: 2021-03-01\npartnership: p\nformat: virtual\n---\n",
            ),
            (
                "dialogues/d.md",
                "---\ntitle: D\ndate: 2020\npartnership: p\nformat: virtual\n---\n",
            ),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        let config = Config {
            per_page: 3,
            ..Config::default()
        };
        let urls = Urls::site("/");
        let ids = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_string())
                .collect()
        };
        let strings = serde_json::json!({});
        let ed = crate::testing::edition(&g, &config, &urls, &strings);
        let ctx = Ctx::new(&ed, &config, Target::Index(Kind::Dialogue));
        let (items, p) = ctx.index_page(Kind::Dialogue, 1);
        // Newest first; a tie on the date goes by id.
        assert_eq!(ids(&items), ["b", "a", "c"]);
        assert_eq!(
            (p["pages"].as_u64(), p["total"].as_u64()),
            (Some(2), Some(4))
        );
        assert_eq!(p["prev"], Value::Null);
        assert_eq!(p["next"], "/dialogues/page/2/");
        // Where each record stands depends on every date of the type, and
        // the page on which dialogues exist.
        let (reads, kinds) = ctx.into_reads();
        assert_eq!(kinds, kind_bit(Kind::Dialogue));
        for d in ["a", "b", "c", "d"] {
            let i = g.get(Kind::Dialogue, d).unwrap();
            assert!(
                reads.iter().any(|&(x, p)| x == i && p & part::ORDER != 0),
                "{d}"
            );
        }
        let ctx = Ctx::new(&ed, &config, Target::IndexPage(Kind::Dialogue, 2));
        let (items, p) = ctx.index_page(Kind::Dialogue, 2);
        assert_eq!(ids(&items), ["d"]);
        assert_eq!(
            (p["first"].as_u64(), p["last"].as_u64()),
            (Some(4), Some(4))
        );
        assert_eq!(p["prev"], "/dialogues/");
        assert_eq!(p["next"], Value::Null);
        // Everything on one page with 0.
        let all = Config {
            per_page: 0,
            ..Config::default()
        };
        let ed = crate::testing::edition(&g, &all, &urls, &strings);
        let ctx = Ctx::new(&ed, &all, Target::Index(Kind::Dialogue));
        let (items, p) = ctx.index_page(Kind::Dialogue, 1);
        assert_eq!(ids(&items).len(), 4);
        assert_eq!(p["pages"].as_u64(), Some(1));
        assert_eq!(index_pages(0, 100), 1);
        assert_eq!(index_pages(201, 100), 3);
    }
}
