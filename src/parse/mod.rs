//! Stage 2: each loaded file becomes a typed [`Entity`], independently of the
//! others (so in parallel), with every problem in it reported.

pub mod entities;
pub mod sources;
pub mod translation;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::fields::Reader;
use crate::load::SourceFile;
use crate::model::status::Localized;
use crate::model::translation::Translation;
use crate::model::{Data, Entity, Kind, Meta, ObjectiveRef, Ref, Statuses};
use crate::yaml;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What parsing produced for the whole site.
#[derive(Debug, Default)]
pub struct Parsed {
    pub entities: Vec<Entity>,
    /// Translations of records into the site's other languages.
    pub translations: Vec<Translation>,
    pub diagnostics: Vec<Diagnostic>,
    /// References from files that had errors (and so no entity), so broken
    /// references there are reported in the same run.
    pub orphans: Vec<Orphan>,
}

/// The references of a file that had errors and so yields no entity.
#[derive(Debug, Default, Clone)]
pub struct Orphan {
    pub file: String,
    pub refs: Vec<Ref>,
    pub objectives: Vec<ObjectiveRef>,
}

impl Orphan {
    /// The partnership the file names, for its objective references.
    pub fn partnership(&self) -> Option<&Ref> {
        self.refs
            .iter()
            .find(|r| r.kind == Kind::Partnership && r.field == "partnership")
    }
}

/// What parsing needs from the site's settings: its vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub statuses: &'a Statuses,
    /// The user-assigned country codes the site names (`countries:`).
    pub countries: &'a BTreeMap<String, Localized>,
}

impl<'a> Context<'a> {
    /// The vocabulary `config` gives.
    pub fn of(config: &'a Config) -> Self {
        Context {
            statuses: &config.statuses,
            countries: &config.countries,
        }
    }
}

/// Parse every file, in parallel.
pub fn parse_all(files: &[SourceFile], cx: Context) -> Parsed {
    let results: Vec<FileResult> = files.par_iter().map(|f| parse_file(f, cx)).collect();
    let mut out = Parsed::default();
    for r in results {
        match (r.entity, r.translation, r.is_translation) {
            (Some(e), _, _) => out.entities.push(e),
            (_, Some(t), _) => out.translations.push(t),
            (None, None, true) => {}
            (None, None, false) => out.orphans.push(Orphan {
                file: r.file,
                refs: r.refs,
                objectives: r.objectives,
            }),
        }
        out.diagnostics.extend(r.diagnostics);
    }
    out
}

/// The result of parsing one file.
pub struct FileResult {
    pub file: String,
    /// Present only when the file had no errors.
    pub entity: Option<Entity>,
    /// For a translation file without errors, its translation.
    pub translation: Option<Translation>,
    pub is_translation: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Every reference that could be read.
    pub refs: Vec<Ref>,
    pub objectives: Vec<ObjectiveRef>,
}

/// Parse one file.
pub fn parse_file(sf: &SourceFile, cx: Context) -> FileResult {
    if sf.lang.is_some() {
        let t = translation::parse(sf);
        return FileResult {
            file: sf.file.clone(),
            entity: None,
            translation: t.translation,
            is_translation: true,
            diagnostics: t.diagnostics,
            refs: Vec::new(),
            objectives: Vec::new(),
        };
    }
    let (entity, diagnostics, refs, objectives) = parse_inner(sf, cx);
    FileResult {
        file: sf.file.clone(),
        entity,
        translation: None,
        is_translation: false,
        diagnostics,
        refs,
        objectives,
    }
}

type Inner = (Option<Entity>, Vec<Diagnostic>, Vec<Ref>, Vec<ObjectiveRef>);

/// The diagnostics of front matter that is not YAML Gazette reads.
pub(crate) fn yaml_errors(sf: &SourceFile, e: yaml::ParseError) -> Vec<Diagnostic> {
    match e {
        e @ (yaml::ParseError::Anchors(_) | yaml::ParseError::HiddenLineBreak(..)) => {
            e.diagnostics(&sf.file)
        }
        yaml::ParseError::Syntax(e) => {
            let tab_line = sf
                .front()
                .lines()
                .position(|l| l.starts_with('\t') || l.trim_start_matches(' ').starts_with('\t'))
                .map(|i| i + sf.front_line);
            let (pos, hint) = match tab_line {
                Some(line) => (
                    Some(crate::diagnostics::Pos::new(line, 1)),
                    "YAML does not allow tabs for indentation; indent with spaces".to_string(),
                ),
                None => (
                    e.pos,
                    "check indentation, colons and quotes near this line; quote text that contains `: ` or starts with a symbol".to_string(),
                ),
            };
            vec![
                Diagnostic::error(sf.file.clone(), format!("malformed YAML: {}", e.message))
                    .at(pos)
                    .expected("valid YAML `key: value` lines between the `---` fences")
                    .hint(hint),
            ]
        }
    }
}

fn parse_inner(sf: &SourceFile, cx: Context) -> Inner {
    let reader = Reader::new(sf.file.clone());
    let node = match yaml::parse(sf.front(), sf.front_line) {
        Ok(n) => n,
        Err(e) => return (None, yaml_errors(sf, e), Vec::new(), Vec::new()),
    };
    let Some(mut f) = reader.fields(&node, "") else {
        return (None, reader.into_diagnostics(), Vec::new(), Vec::new());
    };
    let data = match sf.kind {
        Kind::Partnership => entities::partnership(&mut f),
        Kind::Dialogue => entities::dialogue(&mut f),
        Kind::Pledge => entities::pledge(&mut f, cx.statuses),
        Kind::Grant => entities::grant(&mut f, cx.countries),
        Kind::Organization => entities::organization(&mut f, cx.countries),
        Kind::Person => entities::person(&mut f),
        Kind::Report => entities::report(&mut f),
    };
    let sources = sources::sources(&mut f, "sources");
    let extra = f
        .node("extra")
        .map(|n| n.to_json())
        .unwrap_or(serde_json::Value::Null);
    f.finish();
    let data: Option<Data> = data.filter(|_| !reader.has_errors());
    let scan = crate::markdown::scan(sf.body(), sf.body_line);
    let repeated: Vec<Diagnostic> = scan
        .repeated_footnotes
        .iter()
        .map(|r| r.warning(&sf.file))
        .collect();
    let entity = data.map(|data| Entity {
        meta: Meta {
            kind: sf.kind,
            id: sf.id.clone(),
            file: sf.file.clone(),
            links: scan.links,
            summary: crate::markdown::summary(sf.body(), 200),
            body: sf.body_text(),
            body_line: sf.body_line,
            extra,
            sources,
            text: Default::default(),
        },
        data,
    });
    let refs = reader.take_refs();
    let objectives = reader.take_objectives();
    let mut diags = reader.into_diagnostics();
    diags.extend(repeated);
    (entity, diags, refs, objectives)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_footnote_defined_twice_in_a_record_is_warned_and_the_record_kept() {
        let (g, diags) = crate::testing::with_base_and_warnings(&[(
            "dialogues/d.md",
            "---\ntitle: D\ndate: 2021-03-01\npartnership: p\nformat: virtual\nsources:\n  - url: https://example.org/d\n    title: D\n---\nSaid[^1].\n\n[^1]: Once.\n\n[^1]: Twice.\n",
        )]);
        assert!(g.get(crate::model::Kind::Dialogue, "d").is_some());
        let found: Vec<_> = diags
            .iter()
            .filter(|d| d.message.contains("footnote"))
            .map(|d| (d.file.as_str(), d.message.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [(
                "content/dialogues/d.md",
                "footnote `[^1]` is defined twice",
                Some(14),
                Some(1)
            )],
            "{diags:?}"
        );
    }
}
