//! Feeds and discovery: the Atom feed and sitemap are well-formed XML with
//! the elements their specifications require, robots.txt points at the
//! sitemap, and pages carry canonical and OpenGraph metadata.

use std::path::{Path, PathBuf};
use std::process::Command;

fn sample() -> (tempfile::TempDir, PathBuf) {
    build(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (t, out)
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.children().find(|c| c.has_tag_name((ATOM, name)))
}

fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && s.ends_with('Z')
}

#[test]
fn atom_feed_is_valid() {
    let (_t, out) = sample();
    let text = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    for required in ["id", "title", "updated"] {
        assert!(child(feed, required).is_some(), "feed has no <{required}>");
    }
    assert!(
        child(feed, "author").is_some(),
        "a feed without entry authors needs a feed author"
    );
    assert!(is_rfc3339(child(feed, "updated").unwrap().text().unwrap()));
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    // The dialogue, the grant's award and its tranche, and the one
    // progress entry of the sample.
    assert_eq!(entries.len(), 4);
    let mut ids = std::collections::HashSet::new();
    for e in &entries {
        for required in ["id", "title", "updated"] {
            assert!(child(*e, required).is_some(), "entry has no <{required}>");
        }
        assert!(
            ids.insert(child(*e, "id").unwrap().text().unwrap().to_string()),
            "duplicate entry id"
        );
        assert!(
            child(*e, "id").unwrap().text().unwrap().contains(':'),
            "id must be an IRI"
        );
        assert!(is_rfc3339(child(*e, "updated").unwrap().text().unwrap()));
        let link = child(*e, "link").expect("entry link");
        assert_eq!(link.attribute("rel"), Some("alternate"));
    }
    let titles: Vec<&str> = entries
        .iter()
        .map(|e| child(*e, "title").unwrap().text().unwrap())
        .collect();
    assert!(
        titles.contains(&"First CPC Partnership Bilateral Dialogue"),
        "{titles:?}"
    );
    assert_eq!(
        child(feed, "updated").unwrap().text(),
        Some("2021-11-19T12:00:00Z")
    );
    // Status labels as the pages show them, never the raw keys.
    assert!(
        titles.contains(&"Establish a Multidisciplinary Task Force: Completed"),
        "{titles:?}"
    );
    // The $500,000 tranche, the news of the dialogue, has an entry dated by
    // its announcement, whose text says the record knows only its year.
    let tranche = entries
        .iter()
        .find(|e| {
            child(**e, "title")
                .unwrap()
                .text()
                .unwrap()
                .contains("tranche of $500,000")
        })
        .expect("the tranche's entry");
    assert_eq!(
        child(*tranche, "updated").unwrap().text(),
        Some("2021-11-19T12:00:00Z")
    );
    let summary = child(*tranche, "summary").unwrap().text().unwrap();
    assert!(
        summary.contains("Given: 2021 (the record gives the year only). Announced: November 19, 2021, at First CPC Partnership Bilateral Dialogue."),
        "{summary}"
    );
    let category = child(*tranche, "category").unwrap();
    assert_eq!(category.attribute("term"), Some("year"));
}

#[test]
fn characters_xml_cannot_carry_are_dropped_from_the_feed_and_sitemap() {
    // The fixture's dialogue title holds U+FFFF and BEL (YAML escapes
    // `\uFFFF` and `\x07`), its body a vertical tab, the site title SOH and
    // the description U+FFFE; the title's U+0085 is legal XML 1.0 and kept.
    let (_t, out) =
        build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xml-unsafe-text"));
    let text = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(child(feed, "title").unwrap().text(), Some("XML fixture "));
    assert_eq!(
        child(feed, "subtitle").unwrap().text(),
        Some("Feeds that stay well-formed")
    );
    let entry = feed
        .children()
        .find(|e| child(*e, "id").and_then(|i| i.text()) == Some("urn:gazette:dialogue:talks"))
        .expect("the dialogue's entry");
    assert_eq!(
        child(entry, "title").unwrap().text(),
        Some("Talks on shelters \u{85} & <more>")
    );
    assert_eq!(
        child(entry, "summary").unwrap().text(),
        Some("The parties met and agreed. Held: November 19, 2021.")
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("well-formed XML");
    assert!(doc
        .descendants()
        .any(|n| n.text() == Some("https://example.org/dialogues/talks/")));
}

#[test]
fn sitemap_lists_every_page_once_and_robots_points_to_it() {
    let (_t, out) = sample();
    let text = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, "urlset")));
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .count();
    // Every page but each language's search page (and 404.html, not an
    // index.html).
    let searches = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name() == "index.html"
                && e.path().parent().is_some_and(|p| p.ends_with("search"))
        })
        .count();
    assert_eq!(searches, 2, "English and Mongolian");
    assert_eq!(locs.len(), pages - searches, "one <loc> per page");
    assert!(!locs.iter().any(|l| l.ends_with("/search/")));
    let unique: std::collections::HashSet<_> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len());
    assert!(locs
        .iter()
        .any(|l| l.ends_with("/grants/cpc-consortium-grant/")));
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots
            .lines()
            .any(|l| l.starts_with("Sitemap: ") && l.ends_with("sitemap.xml")),
        "{robots}"
    );
}

#[test]
fn pages_have_titles_descriptions_canonical_and_opengraph() {
    let (_t, out) = sample();
    let html = std::fs::read_to_string(out.join("grants/cpc-consortium-grant/index.html")).unwrap();
    assert!(html.contains("<title>Foreign assistance to the CPC Partnership consortium – "));
    assert!(html.contains(
        "<meta name=\"description\" content=\"In 2020 the U.S. government invested $5 million"
    ));
    assert!(html.contains("<link rel=\"canonical\" href=\""));
    assert!(html.contains("<meta property=\"og:title\" content=\"Foreign assistance to the CPC Partnership consortium\">"));
    assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(html.contains("type=\"application/atom+xml\""));
}
