//! Embeds the default theme and the sample site into the binary, so a site
//! without a `themes/` folder still builds and `gazette init` has content.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        if p.is_dir() {
            collect(&p, base, out);
        } else {
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p));
        }
    }
}

fn table(name: &str, roots: &[(&str, &str)], manifest: &Path) -> String {
    let mut files = Vec::new();
    for (dir, base) in roots {
        let d = manifest.join(dir);
        println!("cargo:rerun-if-changed={}", d.display());
        if d.is_file() {
            files.push((dir.to_string(), d));
        } else {
            collect(&d, &manifest.join(base), &mut files);
        }
    }
    let mut s = format!("pub static {name}: &[(&str, &[u8])] = &[\n");
    for (rel, p) in files {
        writeln!(
            s,
            "    ({rel:?}, include_bytes!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    s.push_str("];\n");
    s
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    let mut code = table(
        "DEFAULT_THEME",
        &[("themes/default", "themes/default")],
        &manifest,
    );
    code += &table(
        "SAMPLE_SITE",
        &[("content", ""), ("gazette.yaml", "")],
        &manifest,
    );
    std::fs::write(out, code).unwrap();
}
