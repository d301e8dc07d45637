//! Helpers shared by the benchmarks: making a converted benchmark site from
//! the shared corpus generator, when Python and the generator are available.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shared corpus generator: `$GAZETTE_GEN_CORPUS`, else `shared/` beside
/// the repository, else `/work/shared`.
pub fn gen_corpus_script() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("GAZETTE_GEN_CORPUS").map(PathBuf::from),
        Some(manifest.join("../shared/bench/gen_corpus.py")),
        Some(PathBuf::from("/work/shared/bench/gen_corpus.py")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// Generate the neutral corpus (`--seed 42`) and convert it into a Gazette
/// site under `dir`; the site folder, or why it could not be made.
pub fn converted_site(dir: &Path, pages: usize) -> Result<PathBuf, String> {
    let script = gen_corpus_script()
        .ok_or("gen_corpus.py not found (set GAZETTE_GEN_CORPUS to its path)".to_string())?;
    let converter = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/corpus_to_site.py");
    let corpus = dir.join(format!("corpus-neutral-{pages}"));
    let site = dir.join(format!("gazette-{pages}"));
    run(Command::new("python3")
        .arg(&script)
        .args(["--flavor", "neutral", "--seed", "42", "--force"])
        .arg("--pages")
        .arg(pages.to_string())
        .arg("--out")
        .arg(&corpus))?;
    run(Command::new("python3")
        .arg(&converter)
        .arg(&corpus)
        .arg(&site)
        .arg("--force"))?;
    Ok(site)
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} failed: {}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
