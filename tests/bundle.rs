//! Offline bundles: every link and asset resolves inside the unzipped
//! folder (even one renamed to a path with spaces and Mongolian letters),
//! nothing names the site's host, the zip is reproducible, `verify` catches
//! every change, and `--partnership` keeps only what it names.

mod common;

use common::{copy_sample, repo, unzip};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn gazette(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1637280000")
        .output()
        .unwrap()
}

fn bundle(root: &Path, zip: &Path, extra: &[&str]) {
    let mut args = vec![
        "--root",
        root.to_str().unwrap(),
        "bundle",
        "-o",
        zip.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = gazette(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The files were staged beside the zip one by one; nothing of that is left.
    let dir = zip.parent().unwrap();
    let zip_name = zip.file_name().unwrap().to_string_lossy().into_owned();
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&zip_name) && *n != zip_name)
        .collect();
    assert!(left.is_empty(), "left beside the zip: {left:?}");
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `text` without its `mailto:` addresses: a contact's mailbox (the
/// catalogue's `contactPoint`) is not a link to the site.
fn without_mail_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("mailto:") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| c == '"' || c == '<' || c.is_whitespace())
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Every `href="…"` and `src="…"` of an HTML page.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "data-index=\""] {
        for part in html.split(attr).skip(1) {
            out.push(part[..part.find('"').unwrap()].replace("&amp;", "&"));
        }
    }
    out
}

#[test]
fn every_link_resolves_inside_a_moved_bundle_and_nothing_names_the_host() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("b.zip");
    bundle(&repo(), &zip, &[]);
    // Unzipped somewhere else, under a folder with a space and Mongolian letters.
    let place = t.path().join("Хүүхэд хамгаалал");
    let root = unzip(&zip, &place);
    let all = files(&root);
    assert!(all.contains_key("index.html") && all.contains_key("search-index.js"));
    assert!(all.contains_key("partnerships/cpc-mongolia/briefing/index.html"));
    for gone in ["atom.xml", "sitemap.xml", "robots.txt"] {
        assert!(
            !all.contains_key(gone),
            "{gone} needs the site's host; not in a bundle"
        );
    }
    let mut checked = 0;
    for (path, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !without_mail_addresses(&text).contains("example.org"),
            "{path} names the site's host"
        );
        if !path.ends_with(".html") {
            continue;
        }
        let page_dir = Path::new(path).parent().unwrap().to_path_buf();
        for r in references(&text) {
            if r.starts_with('#') {
                continue;
            }
            assert!(
                !r.starts_with('/'),
                "{path}: root-relative link {r} breaks over file://"
            );
            assert!(
                !r.starts_with("http:") && !r.starts_with("https:") && !r.starts_with("//"),
                "{path}: {r} leaves the bundle"
            );
            let target = r.split(['#', '?']).next().unwrap();
            assert!(
                !target.ends_with('/'),
                "{path}: {r} names a folder, which file:// cannot open"
            );
            let mut p = page_dir.clone();
            for seg in target.split('/') {
                match seg {
                    "." | "" => {}
                    ".." => assert!(p.pop(), "{path}: {r} climbs out of the bundle"),
                    s => p.push(s),
                }
            }
            let key = p.to_string_lossy().replace('\\', "/");
            assert!(
                all.contains_key(&key),
                "{path}: {r} -> {key} is not in the bundle"
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} references checked");
}

#[test]
fn the_same_content_makes_a_byte_identical_zip() {
    let t = tempfile::tempdir().unwrap();
    // The top folder inside is named after the file, so both get one name.
    let (a, b) = (t.path().join("1"), t.path().join("2"));
    std::fs::create_dir(&a).unwrap();
    std::fs::create_dir(&b).unwrap();
    bundle(&repo(), &a.join("cpc.zip"), &[]);
    bundle(&repo(), &b.join("cpc.zip"), &[]);
    let (x, y) = (
        std::fs::read(a.join("cpc.zip")).unwrap(),
        std::fs::read(b.join("cpc.zip")).unwrap(),
    );
    assert!(x.len() > 10_000);
    assert_eq!(x, y);
}

#[test]
fn verify_catches_a_changed_byte_a_removed_file_and_an_added_file() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("b.zip");
    bundle(&repo(), &zip, &[]);
    let o = gazette(&["verify", zip.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let root = unzip(&zip, &t.path().join("out"));
    let o = gazette(&["verify", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    // sha256sum reads the same manifest, where it is installed.
    if let Ok(o) = Command::new("sha256sum")
        .arg("-c")
        .arg("--quiet")
        .arg("MANIFEST.sha256")
        .current_dir(&root)
        .output()
    {
        assert!(
            o.status.success(),
            "sha256sum -c: {}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    let page = root.join("grants/cpc-consortium-grant/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    let i = bytes.iter().position(|&b| b == b'5').unwrap();
    bytes[i] = b'6';
    std::fs::write(&page, bytes).unwrap();
    std::fs::remove_file(root.join("people/kari-johnstone/index.html")).unwrap();
    std::fs::write(root.join("extra.html"), "<p>not from the publisher</p>").unwrap();
    let o = gazette(&["verify", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("changed  grants/cpc-consortium-grant/index.html"),
        "{out}"
    );
    assert!(
        out.contains("missing  people/kari-johnstone/index.html"),
        "{out}"
    );
    assert!(out.contains("added    extra.html"), "{out}");
}

#[test]
fn a_partnership_bundle_keeps_only_what_it_names() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site");
    copy_sample(&site);
    let c = site.join("content");
    std::fs::write(
        c.join("partnerships/other.md"),
        "---\ntitle: Another partnership\nparties: [other-org]\nstatus: active\n---\n",
    )
    .unwrap();
    std::fs::write(
        c.join("organizations/other-org.md"),
        "---\nname: Other Org\nkind: agency\n---\n",
    )
    .unwrap();
    std::fs::write(c.join("dialogues/2022-01-01-other.md"), "---\ntitle: Other meeting\ndate: 2022-01-01\npartnership: other\nformat: virtual\nparticipants:\n  - person: michael-klecheski\n---\n").unwrap();
    // Klecheski also held a position at the other partnership's organization.
    let p = c.join("people/michael-klecheski.md");
    let text = std::fs::read_to_string(&p).unwrap().replace(
        "    organization: us-government\n",
        "    organization: us-government\n  - title: Adviser\n    organization: other-org\n",
    );
    std::fs::write(&p, text).unwrap();
    let zip = t.path().join("cpc.zip");
    bundle(&site, &zip, &["--partnership", "cpc-mongolia"]);
    let root = unzip(&zip, &t.path().join("out"));
    let all = files(&root);
    assert!(all.contains_key("partnerships/cpc-mongolia/index.html"));
    assert!(!all.contains_key("partnerships/other/index.html"));
    assert!(!all.contains_key("organizations/other-org/index.html"));
    assert!(!all.contains_key("dialogues/2022-01-01-other/index.html"));
    let person = String::from_utf8_lossy(&all["people/michael-klecheski/index.html"]).into_owned();
    assert!(
        person.contains("Other Org"),
        "a record left out is still named"
    );
    assert!(!person.contains("other-org/"), "but never linked");
    assert!(
        !person.contains("Other meeting"),
        "records of another partnership are not listed"
    );
    let o = gazette(&[
        "--root",
        site.to_str().unwrap(),
        "bundle",
        "--partnership",
        "cpc-mongolai",
        "-o",
        t.path().join("x.zip").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `cpc-mongolia`?"));
}

#[test]
fn the_briefing_holds_every_record_of_the_partnership() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("b.zip");
    bundle(&repo(), &zip, &[]);
    let root = unzip(&zip, &t.path().join("out"));
    let html = std::fs::read_to_string(root.join("partnerships/cpc-mongolia/briefing/index.html"))
        .unwrap();
    for text in [
        "Prevent all forms of child trafficking in Mongolia",
        "Establish a Multidisciplinary Task Force",
        "Expand support for shelters for trafficking victims",
        "$5,500,000",
        "First CPC Partnership Bilateral Dialogue",
        "this Partnership exists because of the strong",
    ] {
        assert!(html.contains(text), "briefing lacks {text:?}");
    }
    assert!(
        html.contains("href=\"#pledge-establish-multidisciplinary-task-force\""),
        "table of contents"
    );
}

#[test]
fn a_bundle_without_record_json_has_half_the_files_and_still_verifies() {
    let t = tempfile::tempdir().unwrap();
    let (full, lean) = (t.path().join("full.zip"), t.path().join("lean.zip"));
    bundle(&repo(), &full, &[]);
    bundle(&repo(), &lean, &["--no-record-json"]);
    let full = files(&unzip(&full, &t.path().join("full")));
    let dir = unzip(&lean, &t.path().join("lean"));
    let lean = files(&dir);
    let twins: Vec<&String> = full
        .keys()
        .filter(|p| p.ends_with("/index.json") && !p.starts_with("data/"))
        .collect();
    assert!(twins.len() >= 19, "{twins:?}");
    // Everything else is there, byte for byte, but the manifest and the
    // data page of each language, which no longer promises the twins.
    let data_pages = ["data/index.html", "mn/data/index.html"];
    for (path, bytes) in &full {
        if twins.contains(&path) {
            assert!(!lean.contains_key(path), "{path} kept");
        } else if path != "MANIFEST.sha256" && !data_pages.contains(&path.as_str()) {
            assert_eq!(lean.get(path), Some(bytes), "{path}");
        }
    }
    assert_eq!(lean.len() + twins.len(), full.len());
    for page in data_pages {
        let data = String::from_utf8_lossy(&lean[page]).into_owned();
        assert!(!data.contains("index.json"), "{page} still names the twins");
        assert!(data.contains("graph.json"), "{page}");
    }
    let o = gazette(&["verify", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The Mongolian name officials give the zip; its top folder takes it.
const MONGOLIAN: &str = "Хүүхэд хамгаалал";

fn u16le(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Each entry's name with its general-purpose flags in the central
/// directory and in its local file header, read from the raw bytes.
fn raw_entries(zip: &[u8]) -> Vec<(String, u16, u16)> {
    let eocd = (0..=zip.len() - 22)
        .rev()
        .find(|&i| zip[i..i + 4] == *b"PK\x05\x06")
        .expect("an end of central directory record");
    let count = usize::from(u16le(zip, eocd + 10));
    let mut at = u32le(zip, eocd + 16) as usize;
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(&zip[at..at + 4], b"PK\x01\x02", "central directory entry");
        let central = u16le(zip, at + 8);
        let n = usize::from(u16le(zip, at + 28));
        let skip = n + usize::from(u16le(zip, at + 30)) + usize::from(u16le(zip, at + 32));
        let name = &zip[at + 46..at + 46 + n];
        let local_at = u32le(zip, at + 42) as usize;
        assert_eq!(&zip[local_at..local_at + 4], b"PK\x03\x04", "local header");
        let local = u16le(zip, local_at + 6);
        let ln = usize::from(u16le(zip, local_at + 26));
        assert_eq!(
            &zip[local_at + 30..local_at + 30 + ln],
            name,
            "the local header names the entry as the central directory does"
        );
        out.push((String::from_utf8(name.to_vec()).unwrap(), central, local));
        at += 46 + skip;
    }
    out
}

/// General-purpose bit 11: the name is UTF-8 (else CP437).
const UTF8_FLAG: u16 = 1 << 11;

#[test]
fn non_ascii_names_carry_the_utf8_flag_in_both_headers() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join(format!("{MONGOLIAN}.zip"));
    bundle(&repo(), &zip, &[]);
    let entries = raw_entries(&std::fs::read(&zip).unwrap());
    assert!(entries.len() > 50);
    for (name, central, local) in &entries {
        assert!(name.starts_with(&format!("{MONGOLIAN}/")), "{name}");
        assert!(
            central & UTF8_FLAG != 0 && local & UTF8_FLAG != 0,
            "{name}: flags {central:#06x} (central), {local:#06x} (local)"
        );
    }
    // ASCII names read the same in CP437 and UTF-8: no flag, which would
    // change nothing (docs/bundle.md, "Names inside the zip").
    let ascii = t.path().join("cpc.zip");
    bundle(&repo(), &ascii, &[]);
    for (name, central, local) in raw_entries(&std::fs::read(&ascii).unwrap()) {
        assert!(name.is_ascii());
        assert_eq!((central & UTF8_FLAG, local & UTF8_FLAG), (0, 0), "{name}");
    }
}

/// Run an unpacking tool; a missing one is a failure, not a skip.
fn run_tool(tool: &str, args: &[&std::ffi::OsStr], dir: &Path) {
    let o = Command::new(tool)
        .args(args)
        .current_dir(dir)
        // Names are turned into the file system's bytes by the locale, as on
        // any desktop; `C` would make bsdtar refuse them.
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{tool}` ({e}): run `bash .ci/run`, or install it (`apt-get install -y p7zip-full libarchive-tools python3 coreutils`)"
            )
        });
    assert!(
        o.status.success(),
        "{tool} {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn seven_zip_bsdtar_and_python_unpack_every_file_under_its_exact_name() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join(format!("{MONGOLIAN}.zip"));
    bundle(&repo(), &zip, &[]);
    let listed = unzip(&zip, &t.path().join("listed"));
    let manifest = std::fs::read_to_string(listed.join("MANIFEST.sha256")).unwrap();
    let mut want: Vec<String> = manifest
        .lines()
        .map(|l| l.split_once("  ").unwrap().1.to_string())
        .collect();
    want.push("MANIFEST.sha256".into());
    want.sort();
    assert!(want.len() > 50);
    let python = "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])";
    let z = zip.as_os_str();
    for tool in ["7z", "bsdtar", "python3"] {
        let dir = t.path().join(tool);
        std::fs::create_dir(&dir).unwrap();
        let d = dir.as_os_str();
        let o = format!("-o{}", dir.display());
        let args: Vec<&std::ffi::OsStr> = match tool {
            "7z" => vec!["x".as_ref(), "-y".as_ref(), "-bd".as_ref(), o.as_ref(), z],
            "bsdtar" => vec!["-xf".as_ref(), z, "-C".as_ref(), d],
            _ => vec!["-c".as_ref(), python.as_ref(), z, d],
        };
        run_tool(tool, &args, t.path());
        let tops: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(tops, [MONGOLIAN], "{tool}: the top folder's name");
        let root = dir.join(MONGOLIAN);
        let got: Vec<String> = files(&root).into_keys().collect();
        assert_eq!(got, want, "{tool}: every file under its exact name");
        let o = gazette(&["verify", root.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "{tool}: gazette verify: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let sums = [
            "-c".as_ref(),
            "--quiet".as_ref(),
            "MANIFEST.sha256".as_ref(),
        ];
        run_tool("sha256sum", &sums, &root);
    }
}
