//! A site and its bundles open on every official's computer: static file
//! names Windows can write, no two paths that differ only in letter case,
//! ids short enough for Windows paths, FAT32 folders that do not overflow,
//! and dates whose year is not a typo. Each test makes a small site in a
//! temporary folder from the bad-input baseline.

use gazette::bundle::{self, limits::Limits, Error, Options};
use gazette::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of the bad-input baseline (a valid site) in a temporary folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("site");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input/valid-baseline");
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = root.join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
    (t, root)
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn gazette(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1637280000")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn check(root: &Path) -> Vec<Diagnostic> {
    gazette::site::check(root).diagnostics
}

fn options(output: PathBuf, limits: Limits) -> Options {
    Options {
        partnership: None,
        languages: Vec::new(),
        record_json: true,
        output: Some(output),
        date: "2021-11-19".into(),
        limits,
    }
}

#[test]
fn a_reserved_id_suggests_a_name_no_file_of_its_type_has() {
    let (_t, root) = site();
    write(
        &root,
        "content/organizations/con.md",
        "---\nname: Consortium of NGOs\nkind: ngo\n---\n",
    );
    // The slug of its name is taken, in a subfolder.
    write(
        &root,
        "content/organizations/members/consortium-of-ngos.md",
        "---\nname: Consortium\nkind: ngo\n---\n",
    );
    // A name with no Latin letters makes no slug.
    write(&root, "content/people/AUX.md", "---\nname: Ёлка\n---\n");
    write(&root, "content/people/lpt1.md", "---\nname: Ёлка\n---\n");
    let d = check(&root);
    let got: Vec<(&str, &str, &str)> = d
        .iter()
        .map(|d| {
            (
                d.file.as_str(),
                d.message.as_str(),
                d.hint.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "content/organizations/con.md",
                "file name `con` is the Windows device name CON: Windows cannot create the folder `organizations/con/` for its page",
                "rename it to `con-org.md`, and change the references to `con` to `con-org`"
            ),
            // Not `aux.md`, which Windows cannot have either.
            (
                "content/people/AUX.md",
                "file name `AUX` is not a valid id",
                "rename it to `aux-person.md`"
            ),
            (
                "content/people/lpt1.md",
                "file name `lpt1` is the Windows device name LPT1: Windows cannot create the folder `people/lpt1/` for its page",
                "rename it to `lpt1-person.md`, and change the references to `lpt1` to `lpt1-person`"
            ),
        ]
    );
}

#[test]
fn static_file_names_windows_cannot_write_are_errors_in_check_and_build() {
    let (t, root) = site();
    write(&root, "static/docs/CON.pdf", "%PDF");
    write(&root, "static/files/notes.", "notes");
    write(&root, "static/files/what?.css", "a {}");
    write(&root, "static/com¹/x.css", "a {}");
    write(&root, "themes/t/static/Aux.css", "a {}");
    let cfg = std::fs::read_to_string(root.join("gazette.yaml")).unwrap();
    std::fs::write(root.join("gazette.yaml"), format!("{cfg}theme: t\n")).unwrap();
    let d = check(&root);
    let errors: Vec<(&str, &str)> = d
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.file.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(errors.len(), 5, "{d:#?}");
    for (file, message) in [
        (
            "static/com¹/x.css",
            "`com¹` is the Windows device name COM¹",
        ),
        (
            "static/docs/CON.pdf",
            "`CON.pdf` is the Windows device name CON",
        ),
        ("static/files/notes.", "`notes.` ends with a dot"),
        (
            "static/files/what?.css",
            "`what?.css` contains `?`, which Windows does not allow",
        ),
        (
            "themes/t/static/Aux.css",
            "`Aux.css` is the Windows device name AUX",
        ),
    ] {
        assert!(
            errors
                .iter()
                .any(|(f, m)| *f == file && m.starts_with(message)),
            "no error `{message}` at {file}: {errors:#?}"
        );
    }
    assert!(d.iter().all(|d| d.hint.is_some()));
    // `build` refuses too.
    let out = t.path().join("out");
    let o = gazette(&root, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("is the Windows device name CON"));
}

#[test]
fn static_paths_that_differ_only_in_case_are_errors_naming_both() {
    let (t, root) = site();
    // Beside the built-in theme's `style.css`.
    write(&root, "static/Style.css", "a {}");
    let d = check(&root);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].file, "static/Style.css");
    assert!(
        d[0].message.contains(
            "static file `Style.css` and `style.css` (from themes/default/static/style.css (built in)) differ only in letter case"
        ),
        "{d:#?}"
    );
    // With a page Gazette generates: found when the site is rendered.
    std::fs::remove_file(root.join("static/Style.css")).unwrap();
    write(&root, "static/Grants/index.html", "<p>mine</p>");
    let out = t.path().join("out");
    let o = gazette(&root, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "static file `Grants/index.html` and `grants/index.html`, which Gazette generates, differ only in letter case"
        ),
        "{}",
        stderr(&o)
    );
    let o = gazette(
        &root,
        &["bundle", "-o", t.path().join("b.zip").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!t.path().join("b.zip").exists());
}

#[test]
fn an_id_too_long_for_windows_paths_is_warned_by_check_and_refused_by_bundle() {
    let (t, root) = site();
    // 2 × (len("a-rather-long-bundle-name-for-this-site-2021-11-19") + 1)
    // + len("organizations/<110 letters>/index.html") = 102 + 135 = 237.
    let cfg = std::fs::read_to_string(root.join("gazette.yaml")).unwrap();
    std::fs::write(
        root.join("gazette.yaml"),
        format!("{cfg}bundle:\n  name: a-rather-long-bundle-name-for-this-site\n"),
    )
    .unwrap();
    let id = format!("ministry-{}", "x".repeat(101));
    assert_eq!(id.len(), 110);
    // In a subfolder, which messages name as it is.
    let file = format!("content/organizations/ministries/{id}.md");
    write(&root, &file, "---\nname: Ministry\nkind: government\n---\n");
    let d = check(&root);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(!d[0].is_error());
    assert_eq!(d[0].file, file);
    assert!(
        d[0].message.starts_with(&format!(
            "id `{id}` makes a path of 237 characters once an offline bundle is unpacked on Windows, over the 200 that leave room for the folder the zip is in: `a-rather-long-bundle-name-for-this-site-YYYY-MM-DD/organizations/{id}/index.html`"
        )),
        "{}",
        d[0].message
    );
    assert!(
        d[0].expected
            .as_deref()
            .unwrap()
            .contains("an id of at most 73 characters"),
        "{d:#?}"
    );
    let zip = t.path().join("site.zip");
    let o = gazette(&root, &["bundle"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "path `a-rather-long-bundle-name-for-this-site-2021-11-19/organizations/{id}/index.html` is 237 characters once unpacked"
        )) && err.contains("2 paths are over in all"),
        "{err}"
    );
    assert!(err.contains(&format!("in {file}")), "{err}");
    let written: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".zip"))
        .collect();
    assert!(written.is_empty(), "a zip was written: {written:?}");
    // A shorter name for the zip (its top folder) makes room.
    let o = gazette(&root, &["bundle", "-o", zip.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_folder_near_the_fat32_limit_is_warned_with_numbers() {
    let (t, root) = site();
    // 400 organizations named `organization-0000`..: 17 letters take 1 + 2
    // directory entries each. With the two of the baseline, the index page,
    // the `page` folder and `.` and `..` (2 entries each), the folder needs
    // 1,210. The limit is made 1,500 so that a small site shows what 65,536
    // means for a large one.
    for i in 0..400 {
        write(
            &root,
            &format!("content/organizations/organization-{i:04}.md"),
            &format!("---\nname: Organization {i}\nkind: ngo\n---\n"),
        );
    }
    let limits = Limits {
        fat_dir_entries: 1_500,
        ..Limits::default()
    };
    let made = match bundle::bundle(&root, &options(t.path().join("big.zip"), limits)) {
        Ok(m) => m,
        Err(Error::Content(d, _)) => panic!("{d:#?}"),
        Err(Error::Io(e)) => panic!("{e}"),
    };
    let w: Vec<&Diagnostic> = made
        .warnings
        .iter()
        .filter(|d| d.message.contains("FAT32"))
        .collect();
    assert_eq!(w.len(), 1, "{:#?}", made.warnings);
    assert_eq!(w[0].file, "big.zip");
    assert_eq!(
        w[0].message,
        "folder `big/organizations/` holds 404 files and folders, whose names take 1,210 of the 1,500 directory entries a FAT32 folder has: near the limit, so a few more records and it will not copy to a FAT32 stick"
    );
    let hint = w[0].hint.as_deref().unwrap();
    assert!(
        hint.contains("--partnership <id>") && hint.contains("--no-record-json"),
        "{hint}"
    );
    // Over the limit, it says so; with the real limits this site fits.
    let rendered = match bundle::render_files(&root, None, true, &[], &t.path().join("b.zip")) {
        Ok(r) => r,
        Err(_) => panic!("the site renders"),
    };
    let files = &rendered.entries;
    let over = Limits {
        fat_dir_entries: 1_200,
        ..Limits::default()
    };
    let w = bundle::limits::warnings("big", files, "big.zip", &over);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].message.ends_with("take 1,210 of the 1,200 directory entries a FAT32 folder has: it will not copy to a FAT32 stick"),
        "{w:#?}"
    );
    let w = bundle::limits::warnings("big", files, "big.zip", &Limits::default());
    assert!(w.is_empty(), "{w:#?}");
}

#[test]
fn a_year_before_1900_or_after_2100_is_warned_in_every_date_field() {
    let (t, root) = site();
    let pledge = "content/pledges/train-staff.md";
    let text = std::fs::read_to_string(root.join(pledge))
        .unwrap()
        .replace("made: 2021-06-01", "made: 0000")
        .replace("  - date: 2021-09-01", "  - date: 2202-09-01")
        .replace("    reported: 2021-09-01", "    reported: 1899-12");
    std::fs::write(root.join(pledge), text).unwrap();
    let grant = "content/grants/cpc-grant.md";
    let text = std::fs::read_to_string(root.join(grant))
        .unwrap()
        .replace("awarded: 2021-03-01", "awarded: 2100-12-31");
    std::fs::write(root.join(grant), text).unwrap();
    let d = check(&root);
    let years: Vec<(usize, usize, &str, &str)> = d
        .iter()
        .filter(|d| d.message.contains("almost certainly a typo"))
        .map(|d| {
            assert!(!d.is_error(), "{d:#?}");
            assert_eq!(d.file, pledge);
            assert_eq!(d.expected.as_deref(), Some("a year from 1900 to 2100"));
            assert!(d.hint.as_deref().unwrap().contains("check the year"));
            (
                d.line.unwrap(),
                d.column.unwrap(),
                d.field.as_deref().unwrap(),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        years,
        [
            (
                7,
                7,
                "made",
                "the year of `0000` is almost certainly a typo: a year from 1900 to 2100 was expected"
            ),
            (
                10,
                11,
                "progress[0].date",
                "the year of `2202-09-01` is almost certainly a typo: a year from 1900 to 2100 was expected"
            ),
            (
                11,
                15,
                "progress[0].reported",
                "the year of `1899-12` is almost certainly a typo: a year from 1900 to 2100 was expected"
            ),
        ],
        "{d:#?}"
    );
    // A warning, not an error: the site builds, and `bundle` shows it.
    let o = gazette(
        &root,
        &["bundle", "-o", t.path().join("b.zip").to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("the year of `0000` is almost certainly a typo"));
}
