//! Stage 2: each loaded file becomes a typed [`Entity`], independently of the
//! others (so in parallel), with every problem in it reported.

pub mod entities;
pub mod fields;

use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::model::{Data, Entity, Kind, Meta};
use crate::yaml;
use fields::Reader;
use rayon::prelude::*;

/// Parse every file; the entities that could be built and all diagnostics.
pub fn parse_all(files: &[SourceFile]) -> (Vec<Entity>, Vec<Diagnostic>) {
    let results: Vec<(Option<Entity>, Vec<Diagnostic>)> = files.par_iter().map(parse_file).collect();
    let mut entities = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for (e, d) in results {
        entities.extend(e);
        diags.extend(d);
    }
    (entities, diags)
}

/// Parse one file. An entity is returned only when its file had no errors.
pub fn parse_file(sf: &SourceFile) -> (Option<Entity>, Vec<Diagnostic>) {
    let reader = Reader::new(sf.file.clone());
    let node = match yaml::parse(&sf.front, sf.front_line) {
        Ok(n) => n,
        Err(e) => {
            let d = Diagnostic::error(sf.file.clone(), format!("malformed YAML: {}", e.message))
                .at(e.pos)
                .expected("valid YAML `key: value` lines between the `---` fences")
                .hint("check indentation, colons and quotes near this line; quote text that contains `: ` or starts with a symbol");
            return (None, vec![d]);
        }
    };
    let Some(mut f) = reader.fields(&node, "") else {
        return (None, reader.into_diagnostics());
    };
    let data = match sf.kind {
        Kind::Partnership => entities::partnership(&mut f),
        Kind::Dialogue => entities::dialogue(&mut f),
        Kind::Pledge => entities::pledge(&mut f),
        Kind::Grant => entities::grant(&mut f),
        Kind::Organization => entities::organization(&mut f),
        Kind::Person => entities::person(&mut f),
        Kind::Report => entities::report(&mut f),
    };
    let extra = f.node("extra").map(|n| n.to_json()).unwrap_or(serde_json::Value::Null);
    f.finish();
    let data: Option<Data> = data.filter(|_| !reader.has_errors());
    let entity = data.map(|data| Entity {
        meta: Meta {
            kind: sf.kind,
            id: sf.id.clone(),
            file: sf.file.clone(),
            links: crate::markdown::scan_links(&sf.body, sf.body_line),
            body: sf.body.clone(),
            body_line: sf.body_line,
            extra,
        },
        data,
    });
    (entity, reader.into_diagnostics())
}
