//! The import graph seen one folder at a time, and its circles: between
//! the children of each folder (a file, or a folder with everything in it).

use super::imports::{Edge, ModPath};
use std::collections::{BTreeMap, BTreeSet};

/// Imports seen at one level of the tree: between the children of
/// `parent` (each a file or a folder with everything in it). An import of
/// a module by its own parent or child is no edge at any level: a folder's
/// `mod.rs` declares and re-exports its children, and they use its types.
pub fn levels(edges: &BTreeSet<Edge>) -> BTreeMap<ModPath, BTreeMap<(String, String), Vec<Edge>>> {
    let mut out: BTreeMap<ModPath, BTreeMap<(String, String), Vec<Edge>>> = BTreeMap::new();
    for e in edges {
        let k = e.from.iter().zip(&e.to).take_while(|(a, b)| a == b).count();
        if k == e.from.len() || k == e.to.len() {
            continue;
        }
        out.entry(e.from[..k].to_vec())
            .or_default()
            .entry((e.from[k].clone(), e.to[k].clone()))
            .or_default()
            .push(e.clone());
    }
    out
}

/// The circles in a directed graph: each strongly connected set of two or
/// more nodes (Tarjan), sorted.
pub fn circles(graph: &BTreeMap<(String, String), Vec<Edge>>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in graph.keys() {
        next.entry(a).or_default().push(b);
        next.entry(b).or_default();
    }
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(v: &'a str, next: &BTreeMap<&'a str, Vec<&'a str>>, s: &mut State<'a>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in &next[v] {
            if !s.index.contains_key(w) {
                visit(w, next, s);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut set = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                set.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if set.len() > 1 {
                set.sort();
                s.out.push(set);
            }
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for &v in next.keys() {
        if !s.index.contains_key(v) {
            visit(v, &next, &mut s);
        }
    }
    s.out.sort();
    s.out
}
