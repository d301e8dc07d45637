//! The library's import graph, read from its source: which module uses
//! which. A small lexer drops comments, strings and characters; `use` trees
//! and inline `crate::`, `super::` and `self::` paths are resolved to the
//! file (module) they name, following named re-exports (`pub use`) to the
//! file that defines the item. Code under `#[cfg(test)]` is left out: tests
//! may use any part of the crate.

use std::collections::{BTreeMap, BTreeSet};

/// A module path from the crate root: `["render", "views", "detail"]`.
pub type ModPath = Vec<String>;

/// One import: the file's module uses something in module `to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: ModPath,
    pub to: ModPath,
}

/// The module a file under `src/` is: `render/views/mod.rs` is
/// `render::views`, `lib.rs` the root.
pub fn module_of(rel: &str) -> ModPath {
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: ModPath = rel.split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Source text as tokens: identifiers and keywords, `::`, and single
/// punctuation characters. Comments, string, byte-string, raw-string and
/// character literals are dropped; lifetimes are kept as identifiers.
pub fn tokens(src: &str) -> Vec<String> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some(end) = raw_string_end(&c, i) {
            i = end;
        } else if ch == '"' || (ch == 'b' && c.get(i + 1) == Some(&'"')) {
            i += if ch == 'b' { 2 } else { 1 };
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if ch == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if c.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                let start = i;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                out.push(format!("'{}", c[start..i].iter().collect::<String>()));
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(c[start..i].iter().collect());
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else {
            out.push(ch.to_string());
            i += 1;
        }
    }
    out
}

/// Where a raw (byte) string starting at `i` ends, if one starts there.
fn raw_string_end(c: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if c.get(j) == Some(&'b') {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    // Not part of a longer identifier (`bar"` is no raw string).
    if i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if c.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < c.len() {
        if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(c.len())
}

/// A path from the crate root. One that started with neither `crate`,
/// `super` nor `self` is taken from the module it was written in (at
/// `relative`): it names a child module if there is one of that name, else
/// an external crate or a local item, and is then no import.
#[derive(Debug, Clone)]
pub struct Path {
    pub segments: ModPath,
    pub relative: Option<usize>,
}

/// What one file says about modules: the paths it uses, its named
/// re-exports, and its children that exist only under `#[cfg(test)]`.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// Each path used, from the crate root.
    pub uses: Vec<Path>,
    /// `pub use a::b::C as D;`: `D` → the path `a::b::C`.
    pub reexports: BTreeMap<String, Path>,
    /// Child modules declared `#[cfg(test)] mod x;`.
    pub test_children: Vec<String>,
}

const ITEM_KEYWORDS: &[&str] = &[
    "mod", "use", "fn", "impl", "const", "static", "struct", "enum", "type", "trait", "unsafe",
    "async", "extern",
];

/// Read one file of module `module`.
pub fn facts(module: &ModPath, src: &str) -> FileFacts {
    let t = tokens(src);
    let mut f = FileFacts::default();
    // Inline modules (`mod tests { .. }`) open, with the brace depth at
    // which each closes.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < t.len() {
        let here = || {
            let mut m = module.clone();
            m.extend(inline.iter().map(|(n, _)| n.clone()));
            m
        };
        match t[i].as_str() {
            "#" => {
                let (end, is_test) = attribute(&t, i);
                if is_test {
                    let item = skip_visibility(&t, end);
                    if t.get(item)
                        .is_some_and(|k| ITEM_KEYWORDS.contains(&k.as_str()))
                    {
                        if t[item] == "mod" && t.get(item + 2).map(String::as_str) == Some(";") {
                            f.test_children.push(t[item + 1].clone());
                        }
                        i = skip_item(&t, item);
                        continue;
                    }
                }
                i = end;
            }
            "{" => {
                depth += 1;
                i += 1;
            }
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                i += 1;
            }
            "mod" if t.get(i + 2).map(String::as_str) == Some("{") => {
                inline.push((t[i + 1].clone(), depth));
                depth += 1;
                i += 3;
            }
            "use" => {
                let public = i > 0 && (t[i - 1] == "pub" || t[i - 1] == ")");
                let mut trees = Vec::new();
                let end = use_tree(&t, i + 1, Vec::new(), &mut trees);
                let m = here();
                for (path, alias) in trees {
                    let abs = absolute(&m, &path).map_or_else(
                        || Path {
                            segments: m.iter().chain(&path).cloned().collect(),
                            relative: Some(m.len()),
                        },
                        |segments| Path {
                            segments,
                            relative: None,
                        },
                    );
                    if public && inline.is_empty() {
                        if let Some(name) = alias.or_else(|| path.last().cloned()) {
                            if name != "*" && name != "self" {
                                f.reexports.insert(name, abs.clone());
                            }
                        }
                    }
                    f.uses.push(abs);
                }
                i = end;
            }
            "crate" | "super" | "self" if t.get(i + 1).map(String::as_str) == Some("::") => {
                let mut path = vec![t[i].clone()];
                let mut j = i + 1;
                while t.get(j).map(String::as_str) == Some("::")
                    && t.get(j + 1).is_some_and(|s| is_ident(s))
                {
                    path.push(t[j + 1].clone());
                    j += 2;
                }
                if let Some(segments) = absolute(&here(), &path) {
                    f.uses.push(Path {
                        segments,
                        relative: None,
                    });
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    f
}

fn is_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// The end of the attribute starting at `#`, and whether it is
/// `#[cfg(test)]`.
fn attribute(t: &[String], i: usize) -> (usize, bool) {
    let mut j = i + 1;
    if t.get(j).map(String::as_str) == Some("!") {
        j += 1;
    }
    if t.get(j).map(String::as_str) != Some("[") {
        return (i + 1, false);
    }
    let start = j;
    let mut depth = 0;
    while j < t.len() {
        match t[j].as_str() {
            "[" => depth += 1,
            "]" => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        j += 1;
    }
    let inner: Vec<&str> = t[start + 1..j].iter().map(String::as_str).collect();
    (j + 1, inner == ["cfg", "(", "test", ")"])
}

/// Past `pub`, `pub(crate)`, `pub(in a::b)` and any further attributes.
fn skip_visibility(t: &[String], mut i: usize) -> usize {
    loop {
        match t.get(i).map(String::as_str) {
            Some("#") => i = attribute(t, i).0,
            Some("pub") => {
                i += 1;
                if t.get(i).map(String::as_str) == Some("(") {
                    while t.get(i).is_some_and(|s| s != ")") {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => return i,
        }
    }
}

/// Past the item starting at `i`: to its `;`, or past its braced body.
fn skip_item(t: &[String], mut i: usize) -> usize {
    while i < t.len() {
        match t[i].as_str() {
            ";" => return i + 1,
            "{" => {
                let mut depth = 0;
                while i < t.len() {
                    match t[i].as_str() {
                        "{" => depth += 1,
                        "}" => {
                            depth -= 1;
                            if depth == 0 {
                                return i + 1;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    i
}

/// Expand the use tree starting at `i` into its paths (each with its `as`
/// name); returns where the tree ends (past `;` at the top).
fn use_tree(
    t: &[String],
    mut i: usize,
    prefix: ModPath,
    out: &mut Vec<(ModPath, Option<String>)>,
) -> usize {
    let mut path = prefix;
    if t.get(i).map(String::as_str) == Some("::") {
        i += 1;
    }
    loop {
        match t.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                loop {
                    match t.get(i).map(String::as_str) {
                        Some("}") => {
                            i += 1;
                            break;
                        }
                        Some(",") => i += 1,
                        None => return i,
                        _ => i = use_tree(t, i, path.clone(), out),
                    }
                }
                break;
            }
            Some("*") => {
                path.push("*".into());
                out.push((path, None));
                i += 1;
                return finish(t, i);
            }
            Some(s) if is_ident(s) => {
                path.push(s.to_string());
                i += 1;
                if t.get(i).map(String::as_str) == Some("::") {
                    i += 1;
                    continue;
                }
                let mut alias = None;
                if t.get(i).map(String::as_str) == Some("as") {
                    alias = t.get(i + 1).cloned();
                    i += 2;
                }
                out.push((path, alias));
                return finish(t, i);
            }
            _ => return i + 1,
        }
    }
    finish(t, i)
}

/// Past the `;` that ends a top-level use tree (a nested one stops at `,`
/// or `}` for its caller).
fn finish(t: &[String], i: usize) -> usize {
    if t.get(i).map(String::as_str) == Some(";") {
        i + 1
    } else {
        i
    }
}

/// `path` as seen from module `here`, from the crate root; `None` for a
/// path that does not start with `crate`, `super` or `self`.
fn absolute(here: &ModPath, path: &[String]) -> Option<ModPath> {
    let mut out = here.clone();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            out.clear();
            rest = &rest[1..];
        }
        Some("super" | "self") => {
            while let Some(s) = rest.first() {
                match s.as_str() {
                    "super" => {
                        out.pop()?;
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    out.extend(rest.iter().cloned());
    Some(out)
}

/// The crate read: every file's module and what it uses.
pub struct Crate {
    /// Every module that is a file, test-only ones left out.
    pub modules: BTreeSet<ModPath>,
    pub files: BTreeMap<ModPath, FileFacts>,
}

impl Crate {
    /// `files`: paths relative to `src/` (`render/views/mod.rs`) with
    /// their text.
    pub fn read(files: &[(String, String)]) -> Crate {
        let mut facts_of = BTreeMap::new();
        for (rel, src) in files {
            let m = module_of(rel);
            facts_of.insert(m.clone(), facts(&m, src));
        }
        // Leave out test-only modules and everything under them.
        let mut test_only: Vec<ModPath> = Vec::new();
        for (m, f) in &facts_of {
            for c in &f.test_children {
                let mut p = m.clone();
                p.push(c.clone());
                test_only.push(p);
            }
        }
        facts_of.retain(|m, _| !test_only.iter().any(|t| m.starts_with(t)));
        Crate {
            modules: facts_of.keys().cloned().collect(),
            files: facts_of,
        }
    }

    /// The file (module) that an absolute path names: its longest prefix
    /// that is a module, then through that module's named re-exports.
    pub fn resolve(&self, path: &Path) -> Option<ModPath> {
        if let Some(k) = path.relative {
            if !self.modules.contains(&path.segments[..=k]) {
                return None;
            }
        }
        let mut path = path.segments.clone();
        for _ in 0..8 {
            let n = (0..=path.len())
                .rev()
                .find(|&n| self.modules.contains(&path[..n]))?;
            let module = path[..n].to_vec();
            let Some(next) = path.get(n) else {
                return Some(module);
            };
            match self.files[&module].reexports.get(next) {
                Some(target)
                    if self.resolve_root(target) && !target.segments.starts_with(&path[..=n]) =>
                {
                    let mut p = target.segments.clone();
                    p.extend(path[n + 1..].iter().cloned());
                    path = p;
                }
                _ => return Some(module),
            }
        }
        None
    }

    /// Whether a re-export's path is in this crate.
    fn resolve_root(&self, p: &Path) -> bool {
        p.relative
            .is_none_or(|k| self.modules.contains(&p.segments[..=k]))
    }

    /// Every import between two different modules, once.
    pub fn edges(&self) -> BTreeSet<Edge> {
        let mut out = BTreeSet::new();
        for (from, f) in &self.files {
            for u in &f.uses {
                if let Some(to) = self.resolve(u) {
                    if &to != from {
                        out.insert(Edge {
                            from: from.clone(),
                            to,
                        });
                    }
                }
            }
        }
        out
    }
}
