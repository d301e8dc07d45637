//! Cycles among a theme's templates: `404.html` including itself, or
//! `a.html` including `b.html` which includes `a.html` (through `include`,
//! `extends` or `import`, in any mix). Tera follows an include cycle at
//! render time until the stack overflows, so the cycles are found in the
//! parsed templates, before anything renders, and reported as errors.
//!
//! Every tag counts, even one inside an `{% if %}` that would not run: a
//! template that names itself is a mistake, and recursive markup belongs in
//! a macro (a macro may call itself).

use std::collections::{BTreeMap, HashMap};
use tera::ast::Node;

/// How one template names another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Link {
    Extends,
    Includes,
    Imports,
}

impl Link {
    pub fn verb(self) -> &'static str {
        match self {
            Link::Extends => "extends",
            Link::Includes => "includes",
            Link::Imports => "imports",
        }
    }
}

/// One cycle: each template and how it names the next; the last one names
/// the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle(pub Vec<(String, Link)>);

impl Cycle {
    /// `a.html → b.html → a.html`.
    pub fn chain(&self) -> String {
        let mut names: Vec<&str> = self.0.iter().map(|(n, _)| n.as_str()).collect();
        names.push(&self.0[0].0);
        names.join(" → ")
    }

    /// `a.html includes b.html, b.html extends a.html`.
    pub fn steps(&self) -> String {
        let n = self.0.len();
        (0..n)
            .map(|i| {
                let (from, link) = &self.0[i];
                format!("{from} {} {}", link.verb(), self.0[(i + 1) % n].0)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The templates each template names, sorted, only those that exist (a
/// missing one is Tera's error to report, or skipped by `ignore missing`).
fn links(templates: &HashMap<String, tera::Template>) -> BTreeMap<&str, Vec<(&str, Link)>> {
    let mut out = BTreeMap::new();
    for (name, t) in templates {
        let mut found = Vec::new();
        walk(&t.ast, &mut found);
        let mut named: Vec<(&str, Link)> = found
            .into_iter()
            .filter_map(|(to, link)| templates.get_key_value(to).map(|(k, _)| (k.as_str(), link)))
            .collect();
        named.sort();
        named.dedup_by(|a, b| a.0 == b.0);
        out.insert(name.as_str(), named);
    }
    out
}

/// Every template named anywhere in `nodes`, blocks, loops, conditions and
/// macro bodies included.
fn walk<'a>(nodes: &'a [Node], out: &mut Vec<(&'a str, Link)>) {
    for node in nodes {
        match node {
            Node::Extends(_, name) => out.push((name, Link::Extends)),
            Node::Include(_, names, _) => {
                out.extend(names.iter().map(|n| (n.as_str(), Link::Includes)))
            }
            Node::ImportMacro(_, name, _) => out.push((name, Link::Imports)),
            Node::MacroDefinition(_, m, _) => walk(&m.body, out),
            Node::FilterSection(_, f, _) => walk(&f.body, out),
            Node::Block(_, b, _) => walk(&b.body, out),
            Node::Forloop(_, f, _) => {
                walk(&f.body, out);
                if let Some(empty) = &f.empty_body {
                    walk(empty, out);
                }
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    walk(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    walk(body, out);
                }
            }
            _ => {}
        }
    }
}

/// Every cycle a depth-first walk meets (one per edge that closes one), in
/// a stable order. Iterative, so a long chain of templates cannot overflow
/// the stack either.
pub fn find(templates: &HashMap<String, tera::Template>) -> Vec<Cycle> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let links = links(templates);
    let mut mark: BTreeMap<&str, Mark> = links.keys().map(|k| (*k, Mark::New)).collect();
    let mut cycles = Vec::new();
    for &start in links.keys() {
        if mark[start] != Mark::New {
            continue;
        }
        // The open path: each template and the index of its next link.
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        mark.insert(start, Mark::Open);
        while let Some((from, i)) = path.last_mut() {
            let from = *from;
            let Some(&(to, _)) = links[from].get(*i) else {
                mark.insert(from, Mark::Done);
                path.pop();
                continue;
            };
            *i += 1;
            match mark[to] {
                Mark::New => {
                    mark.insert(to, Mark::Open);
                    path.push((to, 0));
                }
                Mark::Open => {
                    let at = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                    let cycle = path[at..]
                        .iter()
                        .map(|(n, i)| (n.to_string(), links[n][*i - 1].1))
                        .collect();
                    cycles.push(Cycle(cycle));
                }
                Mark::Done => {}
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(files: &[(&str, &str)]) -> HashMap<String, tera::Template> {
        files
            .iter()
            .map(|(n, t)| (n.to_string(), tera::Template::new(n, None, t).unwrap()))
            .collect()
    }

    fn chains(files: &[(&str, &str)]) -> Vec<String> {
        find(&parse(files)).iter().map(Cycle::chain).collect()
    }

    #[test]
    fn a_template_that_includes_itself() {
        let c = find(&parse(&[(
            "404.html",
            "<h1>x</h1>{%- include \"404.html\" %}",
        )]));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].chain(), "404.html → 404.html");
        assert_eq!(c[0].steps(), "404.html includes 404.html");
    }

    #[test]
    fn indirect_cycles_through_include_extends_and_import() {
        assert_eq!(
            chains(&[
                (
                    "a.html",
                    "{% include ['gone.html', 'b.html'] ignore missing %}"
                ),
                ("b.html", "{% if x %}{%- include 'a.html' -%}{% endif %}"),
            ]),
            vec!["a.html → b.html → a.html"]
        );
        let c = find(&parse(&[
            (
                "base.html",
                "{% block main %}{% include \"page.html\" %}{% endblock %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block main %}p{% endblock %}",
            ),
        ]));
        assert_eq!(
            c[0].steps(),
            "base.html includes page.html, page.html extends base.html"
        );
        assert_eq!(
            chains(&[
                (
                    "m.html",
                    "{% macro x() %}{% include \"n.html\" %}{% endmacro %}"
                ),
                ("n.html", "{% import \"m.html\" as m %}{{ m::x() }}"),
            ]),
            vec!["m.html → n.html → m.html"]
        );
    }

    #[test]
    fn shared_includes_and_recursive_macros_are_not_cycles() {
        assert!(chains(&[
            ("base.html", "{% include \"nav.html\" %}{% block main %}{% endblock %}"),
            ("a.html", "{% extends \"base.html\" %}{% block main %}{% include \"nav.html\" %}{% endblock %}"),
            ("nav.html", "{% import \"m.html\" as m %}{{ m::tree(n=3) }}"),
            ("m.html", "{% macro tree(n) %}{% if n > 0 %}{{ self::tree(n=n-1) }}{% endif %}{% endmacro %}"),
        ])
        .is_empty());
    }

    #[test]
    fn two_separate_cycles_are_both_found() {
        assert_eq!(
            chains(&[
                ("a.html", "{% include \"a.html\" %}"),
                ("b.html", "{% include \"c.html\" %}"),
                ("c.html", "{% include \"b.html\" %}"),
            ]),
            vec!["a.html → a.html", "b.html → c.html → b.html"]
        );
    }
}
