//! Gazette: a static-site generator for the records of government
//! partnerships. Data flows one way through the stages below; see
//! `ARCHITECTURE.md` for the map.

// Diagnostics are returned as values on the (rare) error path; boxing them
// would add noise everywhere for no measurable gain.
#![allow(clippy::result_large_err)]
pub mod bundle;
pub mod config;
pub mod diagnostics;
pub mod fields;
// The bodies of the fuzz targets in `fuzz/`; not part of the API.
#[doc(hidden)]
pub mod fuzzing;
pub mod graph;
pub mod load;
pub mod locale;
pub mod markdown;
pub mod model;
pub mod output;
pub mod packed;
pub mod parse;
pub mod portable;
pub mod render;
pub mod serve;
pub mod site;
pub mod urls;
pub mod validate;
pub mod yaml;

#[cfg(test)]
pub mod testing;
