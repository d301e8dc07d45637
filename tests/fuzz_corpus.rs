//! Replays every fuzz target (`fuzz/`, bodies in `src/fuzzing/`) over its
//! committed corpus and its regressions, without fuzzing: an input that
//! once made Gazette panic, or that a fuzzer found to reach new code, must
//! go on passing every invariant the target checks. See `docs/fuzzing.md`.

use gazette::fuzzing::TARGETS;
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `dir`, sorted; none if it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.expect("a readable entry").path())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.retain(|p| p.is_file());
    files.sort();
    files
}

/// Run `target` over every input of its corpus and regressions, saying
/// which input failed.
fn replay(name: &str, target: fn(&[u8])) -> usize {
    let corpus = inputs(&fuzz_dir().join("corpus").join(name));
    assert!(
        corpus.len() >= 5,
        "fuzz/corpus/{name} holds {} inputs; it is committed, and seeded by fuzz/seed.py",
        corpus.len()
    );
    let regressions = inputs(&fuzz_dir().join("regressions").join(name));
    for path in corpus.iter().chain(&regressions) {
        let bytes = std::fs::read(path).expect("a readable input");
        let shown = path
            .strip_prefix(fuzz_dir())
            .unwrap_or(path)
            .display()
            .to_string();
        if let Err(panic) = std::panic::catch_unwind(|| target(&bytes)) {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("fuzz/{shown} fails the {name} target: {why}");
        }
    }
    corpus.len() + regressions.len()
}

#[test]
fn every_target_has_a_corpus_folder() {
    for (name, _) in TARGETS {
        assert!(
            fuzz_dir()
                .join("fuzz_targets")
                .join(format!("{name}.rs"))
                .is_file(),
            "fuzz/fuzz_targets/{name}.rs is missing"
        );
        assert!(
            fuzz_dir().join("corpus").join(name).is_dir(),
            "fuzz/corpus/{name} is missing"
        );
    }
}

macro_rules! replays {
    ($($test:ident => $name:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let target = TARGETS
                .iter()
                .find(|(n, _)| *n == $name)
                .map(|(_, f)| *f)
                .expect("a target of that name");
            replay($name, target);
        }
    )*};
}

replays! {
    content_file_corpus_replays => "content_file",
    markdown_corpus_replays => "markdown",
    config_corpus_replays => "config",
    site_corpus_replays => "site",
    http_request_corpus_replays => "http_request",
    verify_zip_corpus_replays => "verify_zip",
}
