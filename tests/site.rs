//! Whole-site tests: build the sample site with the real binary and check
//! concrete facts in the HTML, plus the commands around it (init, new) and
//! the atomic-output guarantee.

mod common;

use common::{copy_sample, repo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gazette(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gazette")
}

fn build_into(root: &Path, out: &Path) -> Output {
    gazette(root, &["build", "--output", out.to_str().unwrap()])
}

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

struct Sample {
    _tmp: tempfile::TempDir,
    out: PathBuf,
}

fn sample() -> Sample {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build_into(&repo(), &out);
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Sample { _tmp: tmp, out }
}

#[test]
fn grant_page_shows_the_exact_total() {
    let s = sample();
    let html = page(&s.out, "grants/cpc-consortium-grant/index.html");
    assert!(html.contains("$5,500,000"), "total missing");
    assert!(html.contains("$5,000,000"), "award missing");
    assert!(html.contains("$500,000"), "tranche missing");
    for org in [
        "world-vision",
        "the-asia-foundation",
        "mongolia-gender-equality-center",
        "talita-asia",
        "beautiful-hearts",
        "unbound-mongolia",
    ] {
        assert!(
            html.contains(&format!("href=\"/organizations/{org}/\"")),
            "recipient {org} not linked"
        );
    }
}

#[test]
fn ambassador_page_links_the_dialogue() {
    let s = sample();
    let html = page(&s.out, "people/michael-klecheski/index.html");
    assert!(html.contains("href=\"/dialogues/2021-11-19-first-bilateral-dialogue/\""));
    assert!(html.contains("United States Ambassador"));
}

#[test]
fn world_vision_lists_the_grant_it_received() {
    let s = sample();
    let html = page(&s.out, "organizations/world-vision/index.html");
    assert!(html.contains("href=\"/grants/cpc-consortium-grant/\""));
    assert!(html.contains("Foreign assistance to the CPC Partnership consortium"));
}

#[test]
fn partnership_page_shows_its_three_objectives_and_totals() {
    let s = sample();
    let html = page(&s.out, "partnerships/cpc-mongolia/index.html");
    for objective in [
        "Strengthen the efforts to effectively prosecute and convict child traffickers",
        "Provide comprehensive, trauma-informed and victim-centered care for child victims of these crimes",
        "Prevent all forms of child trafficking in Mongolia",
    ] {
        assert!(html.contains(objective), "objective missing: {objective}");
    }
    assert!(html.contains("$5,500,000"), "funding total missing");
    assert!(html.contains("April 2020"), "signing date missing");
    // Below the default `lists.recent`, every record is listed.
    assert!(!html.contains("most recent of"));
    assert!(html.contains("make-combating-trafficking-a-higher-priority"));
}

#[test]
fn partnership_page_and_briefing_show_the_most_recent_records_and_link_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_sample(&root);
    let config = root.join("gazette.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}lists:\n  recent: 2\n")).unwrap();
    let out = tmp.path().join("out");
    let o = build_into(&root, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = page(&out, "partnerships/cpc-mongolia/index.html");
    // The key figures count every pledge; the list shows two and says so.
    assert!(html.contains("<dt>Pledges</dt><dd>4</dd>"), "pledge total");
    assert!(html.contains("The 2 most recent of 4. <a href=\"/pledges/\">All pledges</a>"));
    // All four pledges were made in April 2020: ties keep the first two by id.
    assert!(html.contains("/pledges/enhance-victim-centered-investigations/"));
    assert!(html.contains("/pledges/establish-multidisciplinary-task-force/"));
    assert!(!html.contains("make-combating-trafficking-a-higher-priority"));
    // The timeline keeps its newest events and points at the open data.
    assert!(html.contains("<a href=\"/data/\">The full history is in the open data.</a>"));
    let briefing = page(&out, "partnerships/cpc-mongolia/briefing/index.html");
    assert_eq!(
        briefing
            .matches("class=\"briefing-item\" id=\"pledge-")
            .count(),
        2
    );
    assert!(briefing.contains("The 2 most recent of 4. <a href=\"/pledges/\">All pledges</a>"));
    // The one grant and the one dialogue are below the limit: no note.
    assert_eq!(briefing.matches("most recent of").count(), 1);
}

#[test]
fn every_page_type_is_written_with_pretty_urls() {
    let s = sample();
    for rel in [
        "index.html",
        "404.html",
        "style.css",
        "partnerships/index.html",
        "dialogues/index.html",
        "pledges/index.html",
        "grants/index.html",
        "organizations/index.html",
        "people/index.html",
        "reports/index.html",
        "dialogues/2021-11-19-first-bilateral-dialogue/index.html",
        "pledges/establish-multidisciplinary-task-force/index.html",
    ] {
        assert!(s.out.join(rel).is_file(), "{rel} missing");
    }
}

#[test]
fn internal_links_all_resolve_to_written_pages() {
    let s = sample();
    let checked = check_links(&s.out);
    assert!(checked > 100, "only {checked} links checked");
}

/// Every root-relative link and source in every page of `out` names a file
/// that was written; returns how many were checked.
fn check_links(out: &Path) -> usize {
    let files = snapshot(out);
    let mut checked = 0;
    for (rel, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("@/"), "{rel} has an unresolved @/ link");
        for part in html
            .split("href=\"")
            .skip(1)
            .chain(html.split("src=\"").skip(1))
        {
            let url = &part[..part.find('"').unwrap()];
            if !url.starts_with('/') {
                continue;
            }
            let path = url.split('#').next().unwrap().trim_start_matches('/');
            let target = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(
                files.contains_key(&target),
                "{rel} links to {url}, which was not written"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn type_indexes_are_split_into_pages_linked_both_ways() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_sample(&root);
    let config = root.join("gazette.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}lists:\n  per_page: 3\n")).unwrap();
    let out = tmp.path().join("out");
    let o = build_into(&root, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Ten organizations, three a page: four pages, ids in order.
    let rows = |html: &str| -> Vec<String> {
        html.split("<th scope=\"row\"><a href=\"/organizations/")
            .skip(1)
            .map(|r| r.split('/').next().unwrap().to_string())
            .collect()
    };
    let first = page(&out, "organizations/index.html");
    assert_eq!(
        rows(&first),
        [
            "beautiful-hearts",
            "coordination-council-for-crime-prevention",
            "government-of-mongolia"
        ]
    );
    assert!(first.contains("Records: 10 · 1–3 shown"));
    assert!(first.contains("<a href=\"/organizations/page/2/\" rel=\"next\">Next</a>"));
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.contains("<a href=\"/organizations/\" aria-current=\"page\">1</a>"));
    let last = page(&out, "organizations/page/4/index.html");
    assert_eq!(rows(&last), ["world-vision"]);
    assert!(last.contains("<title>Organizations (page 4 of 4)"));
    assert!(last.contains("<li><a href=\"/organizations/\">Organizations</a></li></ol>"));
    assert!(last.contains("Records: 10 · 10–10 shown"));
    assert!(last.contains("<a href=\"/organizations/page/3/\" rel=\"prev\">Previous</a>"));
    assert!(!last.contains("rel=\"next\""));
    // The type's nav entry marks the section, not the page.
    assert!(last.contains("<a href=\"/organizations/\" aria-current=\"true\">Organizations</a>"));
    assert!(!out.join("organizations/page/5").exists());
    assert!(!out.join("organizations/page/1").exists());
    let sitemap = page(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/organizations/page/4/</loc>"));
    assert!(check_links(&out) > 100);
}

#[test]
fn markdown_body_links_are_resolved() {
    let s = sample();
    let html = page(
        &s.out,
        "dialogues/2021-11-19-first-bilateral-dialogue/index.html",
    );
    assert!(
        html.contains("<a href=\"/people/michael-klecheski/\">Ambassador Michael Klecheski</a>")
    );
    assert!(html.contains("id=\"remarks\""), "heading anchor missing");
}

#[test]
fn builds_are_reproducible() {
    let a = sample();
    let b = sample();
    assert_eq!(snapshot(&a.out), snapshot(&b.out));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_sample(&site);
    let out = site.join("output");
    assert!(build_into(&site, &out).status.success());
    let before = snapshot(&out);
    assert!(!before.is_empty());

    let grant = site.join("content/grants/cpc-consortium-grant.md");
    let text = std::fs::read_to_string(&grant).unwrap();
    std::fs::write(
        &grant,
        text.replace("funder: us-government", "funder: us-governmnet"),
    )
    .unwrap();
    let o = build_into(&site, &out);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("unknown organization `us-governmnet`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `us-government`?"), "{stderr}");
    assert_eq!(
        snapshot(&out),
        before,
        "output changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("output."))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn stale_files_do_not_survive_a_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_sample(&site);
    let out = site.join("output");
    assert!(build_into(&site, &out).status.success());
    assert!(out.join("mn/people/kari-johnstone/index.html").exists());
    std::fs::remove_file(site.join("content/people/kari-johnstone.md")).unwrap();
    std::fs::remove_file(site.join("content/people/kari-johnstone.mn.md")).unwrap();
    // The dialogue and its translation name her; drop her from both so the
    // site stays valid (translated list items match the record's by position).
    let edit = |rel: &str, edits: &[(&str, &str)]| {
        let d = site.join(rel);
        let mut text = std::fs::read_to_string(&d).unwrap();
        for (from, to) in edits {
            assert!(text.contains(from), "{rel}: no {from:?}");
            text = text.replace(from, to);
        }
        std::fs::write(&d, text).unwrap();
    };
    edit(
        "content/dialogues/2021-11-19-first-bilateral-dialogue.md",
        &[
            ("  - person: kari-johnstone\n    role: Acting Director of the Office to Monitor and Combat Trafficking in Persons\n    organization: office-to-monitor-and-combat-trafficking-in-persons\n", ""),
            ("[Dr. Kari Johnstone](@/people/kari-johnstone.md)", "Dr. Kari Johnstone"),
        ],
    );
    edit(
        "content/dialogues/2021-11-19-first-bilateral-dialogue.mn.md",
        &[
            ("  - role: Хүн худалдаалахтай тэмцэх, хяналт тавих газрын захирлын үүрэг гүйцэтгэгч\n", ""),
            ("[Доктор Кари Жонстон](@/people/kari-johnstone.md)", "Доктор Кари Жонстон"),
        ],
    );
    let o = build_into(&site, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.join("people/kari-johnstone/index.html").exists());
    assert!(!out.join("mn/people/kari-johnstone/index.html").exists());
    assert!(out.join("people/michael-klecheski/index.html").exists());
    assert!(out.join("mn/people/michael-klecheski/index.html").exists());
}

#[test]
fn refuses_an_output_folder_that_would_replace_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path());
    let o = build_into(tmp.path(), tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(tmp
        .path()
        .join("content/grants/cpc-consortium-grant.md")
        .exists());
}

#[test]
fn init_makes_a_site_that_builds_without_a_themes_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("my-site");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!site.join("themes").exists());
    let o = gazette(&site, &["build"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(page(
        &site.join("output"),
        "grants/cpc-consortium-grant/index.html"
    )
    .contains("$5,500,000"));
    // A second init into the same, now non-empty folder is refused.
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn new_writes_placeholders_that_check_reports_until_filled_in() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path());
    let today = "2026-03-05";
    let run_new = |kind: &str, title: &str| {
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("--root")
            .arg(tmp.path())
            .args(["new", kind, title])
            // 2026-03-05T00:00:00Z: `new` takes today from here when set.
            .env("SOURCE_DATE_EPOCH", "1772668800")
            .output()
            .unwrap()
    };
    let new = |kind: &str, title: &str| {
        let o = run_new(kind, title);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let path = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
        let text = std::fs::read_to_string(&path).unwrap();
        (path, text, String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (dialogue, text, said) = new("dialogue", "Second bilateral dialogue");
    let name = dialogue.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name, format!("{today}-second-bilateral-dialogue.md"));
    assert!(
        text.contains("title: \"Second bilateral dialogue\""),
        "{text}"
    );
    assert!(text.contains("partnership: cpc-mongolia"), "{text}");
    // A dialogue's date may be today, and `new` says so.
    assert!(text.contains(&format!("date: {today}")), "{text}");
    assert!(said.contains(&format!("set to today, {today}")), "{said}");
    let mut files = vec![(dialogue, text)];
    for kind in [
        "grant",
        "report",
        "pledge",
        "organization",
        "partnership",
        "person",
    ] {
        let (path, text, _) = new(kind, "Fictional record");
        // Nothing else may look like a stated fact: no date of today, no
        // role, no made-up id.
        assert!(!text.contains(today), "{kind}: {text}");
        assert!(!text.contains("role: lead"), "{kind}: {text}");
        assert!(!text.contains("-ID"), "{kind}: {text}");
        files.push((path, text));
    }
    let o = gazette(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let fill: Vec<(String, String, u64)> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().starts_with("fill in"))
        .map(|d| {
            (
                d["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                d["field"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let fields = |file: &str| -> Vec<&str> {
        fill.iter()
            .filter(|(f, ..)| f == file)
            .map(|(_, field, _)| field.as_str())
            .collect()
    };
    assert_eq!(
        fields("fictional-record.md").len(),
        // grant: funder, recipient, awarded, amount, currency; report:
        // published; pledge: made_by; organization: kind; partnership: status.
        9,
        "{fill:?}"
    );
    assert!(fill.contains(&(
        format!("{today}-second-bilateral-dialogue.md"),
        "format".into(),
        5
    )));
    assert!(fill.iter().any(|(_, f, _)| f == "awarded"));
    assert!(fill
        .iter()
        .any(|(_, f, _)| f == "recipients[0].organization"));
    // Filling in every placeholder makes the site valid again.
    let values = [
        ("format: FILL-IN", "format: virtual"),
        ("funder: FILL-IN", "funder: us-government"),
        ("organization: FILL-IN", "organization: world-vision"),
        ("awarded: FILL-IN", "awarded: 2024"),
        ("amount: FILL-IN", "amount: 100"),
        ("currency: FILL-IN", "currency: USD"),
        ("published: FILL-IN", "published: 2025"),
        ("made_by: FILL-IN", "made_by: government-of-mongolia"),
        ("kind: FILL-IN", "kind: ngo"),
        ("status: FILL-IN", "status: active"),
    ];
    for (path, text) in &files {
        let mut t = text.clone();
        for (a, b) in values {
            t = t.replace(a, b);
        }
        std::fs::write(path, t).unwrap();
    }
    let o = gazette(tmp.path(), &["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The same title on the same day would overwrite: refused.
    let o = run_new("dialogue", "Second bilateral dialogue");
    assert_eq!(o.status.code(), Some(2));
    let o = run_new("dialog", "X");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `dialogue`?"));
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path());
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(
        tmp.path().join("templates/404.html"),
        "custom not found {{ site.title }}",
    )
    .unwrap();
    let out = tmp.path().join("output");
    let o = build_into(tmp.path(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(page(&out, "404.html").starts_with("custom not found US–Mongolia"));
}

/// The default theme's shared parts are macros in `macros.html`: a site
/// that overrides that one file changes the part on every page that shows
/// it, and on no other.
#[test]
fn a_site_macros_file_changes_every_page_that_uses_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path());
    let macros =
        std::fs::read_to_string(repo().join("themes/default/templates/macros.html")).unwrap();
    let header = r#"<header class="page-header">
  <p class="kicker">"#;
    let heading = "<h1>{{ title }}</h1>";
    assert!(macros.contains(header) && macros.contains(heading));
    let ours = macros
        .replace(
            header,
            "<header class=\"page-header site-header-part\">\n  <p class=\"kicker\">",
        )
        .replace(heading, "<h1 class=\"site-heading-part\">{{ title }}</h1>");
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(tmp.path().join("templates/macros.html"), ours).unwrap();
    let out = tmp.path().join("output");
    let o = build_into(tmp.path(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut records = 0;
    let mut headings = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(e.path()).unwrap();
        let parts: Vec<&str> = rel.trim_start_matches("mn/").split('/').collect();
        let folders = [
            "dialogues",
            "grants",
            "organizations",
            "partnerships",
            "people",
            "pledges",
            "reports",
        ];
        let of_type = folders.contains(&parts[0]);
        // A record's page (`<folder>/<id>/index.html`) or a partnership's
        // briefing (`partnerships/<id>/briefing/index.html`).
        let record = of_type && parts.len() >= 3 && parts[1] != "page";
        // A type's index, its further pages, and the pages that are no
        // record: 404, search, data and the data dictionary.
        let heading = (of_type && !record) || matches!(parts[0], "404.html" | "search" | "data");
        assert_eq!(html.contains("site-header-part"), record, "{rel}");
        assert_eq!(html.contains("site-heading-part"), heading, "{rel}");
        records += usize::from(record);
        headings += usize::from(heading);
    }
    // The sample's records and index pages, in English and Mongolian.
    assert!(records > 40 && headings > 16, "{records} {headings}");
}

#[test]
fn a_broken_template_is_reported_with_its_file() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path());
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(tmp.path().join("templates/grant.html"), "{% if %}").unwrap();
    let o = gazette(tmp.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("templates/grant.html"), "{stderr}");
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn raw_html_in_content_is_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path());
    let p = tmp.path().join("content/organizations/talita-asia.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}\n<script>alert('x')</script>\n")).unwrap();
    let out = tmp.path().join("output");
    assert!(build_into(tmp.path(), &out).status.success());
    let html = page(&out, "organizations/talita-asia/index.html");
    assert!(!html.contains("<script>alert"), "raw script passed through");
    assert!(html.contains("&lt;script&gt;alert"));
}

#[test]
fn a_build_failing_halfway_through_rendering_leaves_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_sample(&site);
    let out = site.join("output");
    assert!(build_into(&site, &out).status.success());
    let before = snapshot(&out);
    // A template that compiles (so `check` passes) but fails on render:
    // that of people, the last page type the sample has, so most pages
    // have been written by then.
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("person.html"),
        "{% extends \"base.html\" %}{% block main %}{{ no_such_value.title }}{% endblock %}\n",
    )
    .unwrap();
    let checked = gazette(&site, &["check"]);
    assert!(
        checked.status.success(),
        "the template must fail on render, not on check: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let o = build_into(&site, &out);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("person.html"), "{stderr}");
    assert!(stderr.contains("left as it was"), "{stderr}");
    assert_eq!(
        snapshot(&out),
        before,
        "output changed after a build that failed while rendering"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("output."))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn no_progress_bar_off_a_terminal_and_nothing_but_problems_with_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build_into(&repo(), &out);
    assert!(o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    // Not a terminal: the summary line only, no bar redrawn in place.
    assert!(stderr.contains("built "), "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );
    let quiet = gazette(
        &repo(),
        &["build", "--output", out.to_str().unwrap(), "--quiet"],
    );
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    assert!(out.join("index.html").is_file());
}
