//! `gazette init DIR`: a new site holding the sample CPC Partnership content.

use gazette::render::theme::SAMPLE_SITE;
use std::path::Path;

pub fn init(dir: &Path) -> i32 {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            eprintln!(
                "gazette: `{}` already exists and is not empty; choose a new folder",
                dir.display()
            );
            return 2;
        }
    }
    for (rel, bytes) in SAMPLE_SITE {
        if !gazette::urls::safe_relative(rel) {
            continue;
        }
        let path = dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes));
        if let Err(e) = written {
            eprintln!("gazette: cannot write {}: {e}", path.display());
            return 2;
        }
    }
    if let Err(e) = std::fs::write(dir.join(".gitignore"), "/output\n/output.*\n") {
        eprintln!("gazette: cannot write .gitignore: {e}");
        return 2;
    }
    eprintln!(
        "created a new site in {} with example content\nnext: cd {} && gazette build",
        dir.display(),
        dir.display()
    );
    0
}
