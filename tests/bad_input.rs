//! The bad-input corpus: one small, complete site per kind of content error,
//! in `tests/bad_input/<case>/`, each with exactly one mistake in it (except
//! `several-errors`, which has many, and `valid-baseline`, which has none).
//!
//! Every test runs `gazette::site::check` on one fixture and compares the
//! errors it returns with a short list of expected ones: the file, the line
//! (and the column where it means something), the field, part of the message
//! and part of the hint. The number of errors must match too, so a bogus
//! extra error fails the test as surely as a missing one.
//!

use gazette::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::Command;

const GRANT: &str = "content/grants/cpc-grant.md";
const PLEDGE: &str = "content/pledges/train-staff.md";

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad_input")
        .join(case)
}

/// One expected error. Built with [`err`] and refined with the methods below.
#[derive(Debug, Clone)]
struct Want {
    file: &'static str,
    message: &'static str,
    /// Compared exactly: `None` means the error must carry no line.
    line: Option<usize>,
    /// Compared only when given.
    column: Option<usize>,
    /// Compared exactly: `None` means the error must name no field.
    field: Option<&'static str>,
    /// A part of the hint; compared only when given.
    hint: Option<&'static str>,
}

/// An error in `file` whose message contains `message`, with no line or field.
fn err(file: &'static str, message: &'static str) -> Want {
    Want {
        file,
        message,
        line: None,
        column: None,
        field: None,
        hint: None,
    }
}

impl Want {
    fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    fn matches(&self, d: &Diagnostic) -> bool {
        d.file == self.file
            && d.message.contains(self.message)
            && d.line == self.line
            && self.column.is_none_or(|c| d.column == Some(c))
            && d.field.as_deref() == self.field
            && self
                .hint
                .is_none_or(|h| d.hint.as_deref().is_some_and(|dh| dh.contains(h)))
    }
}

/// The errors (not warnings) `check` reports for a fixture.
fn errors(case: &str) -> Vec<Diagnostic> {
    let root = fixture(case);
    assert!(
        root.join("gazette.yaml").is_file(),
        "no fixture at {}",
        root.display()
    );
    let checked = gazette::site::check(&root);
    checked
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

/// Check `case` and assert that its errors are exactly `want`, in any order.
fn expect(case: &str, want: &[Want]) {
    let got = errors(case);
    let mut unmatched: Vec<&Diagnostic> = got.iter().collect();
    let mut missing = Vec::new();
    for w in want {
        match unmatched.iter().position(|d| w.matches(d)) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => missing.push(w),
        }
    }
    assert!(
        missing.is_empty() && unmatched.is_empty(),
        "fixture `{case}`:\n  expected but not reported: {missing:#?}\n  reported but not expected: {unmatched:#?}"
    );
    assert_eq!(
        got.len(),
        want.len(),
        "fixture `{case}`: wrong number of errors: {got:#?}"
    );
}

#[test]
fn valid_baseline_has_no_diagnostics() {
    let checked = gazette::site::check(&fixture("valid-baseline"));
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
}

#[test]
fn malformed_yaml() {
    // `title: CPC grant: phase two`: the second `: ` is at column 17.
    expect(
        "malformed-yaml",
        &[err(GRANT, "malformed YAML: mapping values are not allowed")
            .at(2, 17)
            .hint("quote text that contains `: `")],
    );
}

#[test]
fn a_lone_carriage_return_is_refused_where_it_is() {
    // `funder: us-gov\r   \r`: YAML would count two more lines than any
    // editor shows, so the first CR (line 4, column 15) is reported.
    expect(
        "lone-carriage-return",
        &[err(GRANT, "a line ends in a carriage return alone")
            .at(4, 15)
            .hint("line ends in your editor")],
    );
}

#[test]
fn a_line_separator_in_the_settings_is_refused_where_it_is() {
    // `title: Test \u{2028} site`: libyaml reads U+2028 as a line break, so
    // its positions after it would name lines no editor shows.
    expect(
        "line-separator-in-settings",
        &[err(
            "gazette.yaml",
            "U+2028 (LINE SEPARATOR), which YAML reads as a line break",
        )
        .at(1, 13)
        .hint("replace it with a line break or a space")],
    );
}

#[test]
fn yaml_anchors_are_refused_at_the_anchor() {
    // `  note: &note ...`: the `&` is at column 9 of line 13.
    expect(
        "yaml-anchor",
        &[err(PLEDGE, "YAML anchors and aliases are not supported")
            .at(14, 9)
            .field("extra.note")
            .hint("write the value out in full wherever `*note` repeats it")],
    );
}

#[test]
fn missing_front_matter() {
    expect(
        "missing-front-matter",
        &[err(GRANT, "missing front matter")
            .at(1, 1)
            .hint("then `title: ...` and the other fields")],
    );
}

#[test]
fn front_matter_not_closed() {
    expect(
        "unclosed-front-matter",
        &[err(GRANT, "front matter is not closed")
            .at(1, 1)
            .hint("add a line with just `---`")],
    );
}

#[test]
fn missing_required_field() {
    // Reported at the start of the front matter, where the field belongs.
    expect(
        "missing-required-field",
        &[err(GRANT, "missing required field `funder`")
            .at(2, 1)
            .field("funder")],
    );
}

#[test]
fn wrong_type_number_for_title() {
    expect(
        "wrong-type-number",
        &[err(GRANT, "expected a string, found an integer")
            .at(2, 8)
            .field("title")
            .hint("put it in quotes: \"2021\"")],
    );
}

#[test]
fn wrong_type_list_for_name() {
    // The list starts on the line after `name:`, at its first `-`.
    expect(
        "wrong-type-list",
        &[err(
            "content/people/john-roe.md",
            "expected a string, found a list",
        )
        .at(3, 3)
        .field("name")],
    );
}

#[test]
fn invalid_date_format() {
    expect(
        "invalid-date-format",
        &[err(GRANT, "`03/01/2021` is not a date")
            .at(7, 10)
            .field("awarded")
            .hint("partial date")],
    );
}

#[test]
fn impossible_date() {
    expect(
        "impossible-date",
        &[err(
            GRANT,
            "`2021-02-30` is an impossible date: February 2021 has 28 days, not 30",
        )
        .at(7, 10)
        .field("awarded")],
    );
}

#[test]
fn unknown_enum_value() {
    expect(
        "unknown-enum-value",
        &[err(PLEDGE, "unknown pledge status `in progres`")
            .at(6, 9)
            .field("status")
            .hint("did you mean `in-progress`?")],
    );
}

#[test]
fn unknown_reference_with_suggestion() {
    expect(
        "unknown-reference",
        &[err(GRANT, "unknown organization `world-visoin`")
            .at(6, 19)
            .field("recipients[0].organization")
            .hint("did you mean `world-vision`?")],
    );
}

#[test]
fn reference_to_the_wrong_type() {
    expect(
        "wrong-reference-type",
        &[err(
            GRANT,
            "`jane-doe` is a person, but `funder` needs an organization",
        )
        .at(4, 9)
        .field("funder")
        .hint("content/people/jane-doe.md")],
    );
}

#[test]
fn duplicate_id_in_two_subfolders() {
    // The second file by path is the one reported; the hint names the first.
    expect(
        "duplicate-id",
        &[err(
            "content/organizations/b/unicef.md",
            "duplicate organization id `unicef`",
        )
        .hint("content/organizations/a/unicef.md")],
    );
}

#[test]
fn invalid_currency_code() {
    expect(
        "invalid-currency",
        &[err(GRANT, "unknown currency code `EURO`")
            .at(8, 11)
            .field("currency")
            .hint("did you mean `EUR`?")],
    );
}

#[test]
fn currency_code_that_is_not_money() {
    // `XTS` is ISO 4217's code reserved for testing.
    expect(
        "not-money-currency",
        &[err(GRANT, "`XTS` is not a currency a grant can be paid in")
            .at(8, 11)
            .field("currency")
            .hint("ISO 4217 uses `XTS` for “Code reserved for testing”")],
    );
}

#[test]
fn malformed_amount() {
    expect(
        "malformed-amount",
        &[err(GRANT, "`$5,000,000` is not an amount")
            .at(9, 9)
            .field("amount")
            .hint("leave out the currency sign")],
    );
}

#[test]
fn negative_amount() {
    expect(
        "negative-amount",
        &[err(GRANT, "negative amount `-5000`")
            .at(9, 9)
            .field("amount")],
    );
}

#[test]
fn progress_dated_before_the_pledge() {
    expect(
        "progress-before-pledge",
        &[err(
            PLEDGE,
            "progress entry dated 2020-09-01 is before the pledge was made (2021-06-01)",
        )
        .at(8, 11)
        .field("progress[0].date")
        .hint("check the year")],
    );
}

#[test]
fn report_published_before_its_period_starts() {
    // Without `to`, the period would end (2021-06) before it starts (2023).
    expect(
        "report-period-backwards",
        &[err(
            "content/reports/progress-2023.md",
            "report published (2021-06) before its period starts (2023)",
        )
        .at(6, 12)
        .field("published")
        .hint("without `period.to` the period ends when the report is published")],
    );
}

#[test]
fn file_in_an_unknown_folder() {
    expect(
        "unknown-folder",
        &[err(
            "content/grnats/cpc-grant.md",
            "unknown content folder `grnats`",
        )
        .hint("did you mean `grants`?")],
    );
}

#[test]
fn internal_link_to_a_missing_page() {
    // Line 13 of the file (the body starts on line 11); `[` is at column 12.
    expect(
        "broken-internal-link",
        &[err(
            GRANT,
            "link to a page that does not exist: `@/grants/missing.md`",
        )
        .at(13, 12)],
    );
}

#[test]
fn unknown_field_that_is_a_typo_of_a_required_one() {
    // One typo, one error: at the typo, naming the field it was meant to be.
    expect(
        "unknown-field",
        &[err(GRANT, "missing required field `title`")
            .at(2, 1)
            .field("title")
            .hint("`titel` is written here; did you mean `title`?")],
    );
}

#[test]
fn unknown_optional_field() {
    expect(
        "unknown-optional-field",
        &[
            err("content/organizations/unicef.md", "unknown field `websit`")
                .at(4, 1)
                .field("websit")
                .hint("did you mean `website`?"),
        ],
    );
}

#[test]
fn unknown_objective() {
    expect(
        "unknown-objective",
        &[err(
            PLEDGE,
            "unknown objective `preventoin` of partnership `cpc`",
        )
        .at(7, 5)
        .field("objectives[1]")
        .hint("did you mean `prevention`?")],
    );
}

#[test]
fn invalid_file_name() {
    expect(
        "invalid-file-name",
        &[err(
            "content/organizations/Save the Children.md",
            "file name `Save the Children` is not a valid id",
        )
        .hint("rename it to `save-the-children.md`")],
    );
}

#[test]
fn an_id_windows_keeps_for_a_device_is_refused_with_a_new_name() {
    // `con.md` is referenced by the partnership; the reference is not
    // reported again as unknown.
    expect(
        "reserved-id",
        &[err(
            "content/organizations/con.md",
            "file name `con` is the Windows device name CON",
        )
        .hint("rename it to `consortium-of-ngos.md`, and change the references to `con`")],
    );
}

#[test]
fn several_errors_in_several_files_are_all_reported() {
    expect(
        "several-errors",
        &[
            // Two errors in one file: the reference is still checked although
            // the date makes the file unusable.
            err(GRANT, "unknown organization `world-visoin`")
                .at(4, 9)
                .field("funder")
                .hint("did you mean `world-vision`?"),
            err(
                GRANT,
                "`2021-13-01` is an impossible date: there is no month 13",
            )
            .at(7, 10)
            .field("awarded"),
            err(PLEDGE, "unknown pledge status `in progres`")
                .at(5, 9)
                .field("status")
                .hint("did you mean `in-progress`?"),
            err(
                "content/organizations/unicef.md",
                "missing required field `name`",
            )
            .at(2, 1)
            .field("name"),
            err("content/people/john-roe.md", "malformed YAML").at(3, 14),
            err(
                "content/grnats/other-grant.md",
                "unknown content folder `grnats`",
            )
            .hint("did you mean `grants`?"),
        ],
    );
}

// ---- Known bugs in src/: the correct behaviour, pinned until fixed. ----

#[test]
fn file_without_front_matter_does_not_cascade_into_unknown_references() {
    // The partnership names world-vision; it must not get "unknown
    // organization" for a file that exists but failed to load.
    expect(
        "missing-front-matter-referenced",
        &[err(
            "content/organizations/world-vision.md",
            "missing front matter",
        )
        .at(1, 1)],
    );
}

#[test]
fn duplicate_yaml_key_is_reported_at_the_repeated_key() {
    expect(
        "duplicate-yaml-key",
        &[err(GRANT, "duplicate entry with key \"title\"").at(9, 1)],
    );
}

#[test]
fn unknown_objective_is_reported_alongside_other_errors() {
    expect(
        "unknown-objective-with-other-error",
        &[
            err(PLEDGE, "unknown pledge status `in progres`")
                .at(7, 9)
                .field("status"),
            err(
                PLEDGE,
                "unknown objective `preventoin` of partnership `cpc`",
            )
            .at(6, 5)
            .field("objectives[0]")
            .hint("did you mean `prevention`?"),
        ],
    );
}

// ---- Themes. ----

#[test]
fn a_template_that_includes_itself_is_a_cycle() {
    // Rendering it would overflow the stack; it is refused before.
    expect(
        "template-includes-itself",
        &[err(
            "templates/404.html",
            "template cycle 404.html → 404.html: 404.html includes 404.html",
        )
        .at(4, 13)
        .hint("remove the tag that names `404.html`")],
    );
}

#[test]
fn templates_that_include_each_other_are_a_cycle() {
    // `a.html` includes `b.html` through a list with `ignore missing`,
    // `b.html` includes `a.html` in single quotes with `{%-`.
    expect(
        "template-include-cycle",
        &[err(
            "templates/a.html",
            "template cycle a.html → b.html → a.html: a.html includes b.html, b.html includes a.html",
        )
        .at(2, 32)
        .hint("use a macro that calls itself")],
    );
}

#[test]
fn cli_build_reports_a_template_cycle_without_crashing() {
    for (case, chain) in [
        ("template-includes-itself", "404.html → 404.html"),
        ("template-include-cycle", "a.html → b.html → a.html"),
    ] {
        let out_dir = tempfile::tempdir().unwrap();
        let out = gazette(
            &fixture(case),
            &["build", "-o", out_dir.path().join("out").to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{case}: {stderr}");
        assert!(stderr.contains(chain), "{case}: {stderr}");
        assert!(!stderr.contains("overflow"), "{case}: {stderr}");
        assert!(!out_dir.path().join("out").exists(), "{case}");
    }
}

// ---- The command line. ----

fn gazette(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the gazette binary")
}

#[test]
fn cli_check_json_lists_every_error_and_exits_1() {
    let out = gazette(&fixture("several-errors"), &["check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let items = json.as_array().expect("a JSON array of diagnostics");
    assert_eq!(items.len(), 6, "{json:#}");
    let funder = items
        .iter()
        .find(|d| d["field"] == "funder")
        .unwrap_or_else(|| panic!("no `funder` diagnostic in {json:#}"));
    assert_eq!(funder["severity"], "error");
    assert_eq!(funder["file"], GRANT);
    assert_eq!(funder["line"], 4);
    assert_eq!(funder["column"], 9);
    assert_eq!(funder["hint"], "did you mean `world-vision`?");
    let folder = items
        .iter()
        .find(|d| d["file"] == "content/grnats/other-grant.md")
        .unwrap_or_else(|| panic!("no unknown-folder diagnostic in {json:#}"));
    assert!(folder["line"].is_null(), "{folder:#}");
}

#[test]
fn cli_check_human_prints_location_and_hint_and_exits_1() {
    let out = gazette(&fixture("unknown-reference"), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("content/grants/cpc-grant.md:6:19"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown organization `world-visoin`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `world-vision`?"), "{stderr}");
    assert!(stderr.contains("1 error"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "human output goes to stderr: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn cli_check_valid_site_exits_0() {
    let out = gazette(&fixture("valid-baseline"), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cli_check_on_a_missing_root_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = gazette(&dir.path().join("no-such-site"), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---- Nothing panics. ----

/// Run `check` on `root`, turning a panic into a test failure that names the input.
fn check_without_panic(root: &Path, what: &str) -> Vec<Diagnostic> {
    let result = std::panic::catch_unwind(|| gazette::site::check(root));
    match result {
        Ok(checked) => checked.diagnostics,
        Err(_) => panic!("`check` panicked on {what}"),
    }
}

#[test]
fn every_fixture_checks_without_panicking() {
    let dir = fixture("");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "expected the whole corpus in {}",
        dir.display()
    );
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let diags = check_without_panic(&case, &name);
        if name == "valid-baseline" {
            assert!(diags.is_empty(), "{name}: {diags:#?}");
        } else {
            assert!(
                diags.iter().any(Diagnostic::is_error),
                "{name}: no error reported"
            );
        }
    }
}

/// The files `adversarial_input_never_panics` tries, each as the only
/// content file of a fresh site.
fn adversarial_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let grant_fields =
        "partnership: cpc\nfunder: us-gov\nrecipients:\n  - organization: world-vision\n\
                        awarded: 2021-03-01\ncurrency: USD\namount: 5000000\n";
    let mut deep_block = String::from("---\ntitle: Deep\nextra:\n");
    for depth in 1..=300 {
        deep_block.push_str(&"  ".repeat(depth));
        deep_block.push_str("a:\n");
    }
    deep_block.push_str("---\n");
    let mut bomb = String::from("---\ntitle: Bomb\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
        ("h", "g"),
        ("i", "h"),
    ] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    bomb.push_str("---\n");
    vec![
        ("an empty file", Vec::new()),
        ("only `---`", b"---".to_vec()),
        ("only `---` and a newline", b"---\n".to_vec()),
        ("a lone byte-order mark", "\u{feff}".as_bytes().to_vec()),
        ("empty front matter", b"---\n---\n".to_vec()),
        ("invalid UTF-8", b"---\ntitle: caf\xe9\n---\n".to_vec()),
        ("binary bytes", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\xff\xfe\xfd".to_vec()),
        ("a NUL byte in front matter", b"---\ntitle: a\0b\n---\n".to_vec()),
        ("front matter that is a list", b"---\n- a\n- b\n---\n".to_vec()),
        ("front matter that is a scalar", b"---\njust text\n---\n".to_vec()),
        ("deeply nested flow YAML", format!("---\ntitle: Deep\nextra: {}{}\n---\n", "[".repeat(10_000), "]".repeat(10_000)).into_bytes()),
        ("deeply nested block YAML", deep_block.into_bytes()),
        (
            "deeply nested Markdown",
            format!("---\ntitle: Deep\n{grant_fields}---\n{}[a](@/grants/none.md)\n", "> ".repeat(5_000)).into_bytes(),
        ),
        ("a 1 MB title", format!("---\ntitle: {}\n---\n", "x".repeat(1 << 20)).into_bytes()),
        ("a YAML alias bomb", bomb.into_bytes()),
        (
            "tabs for indentation",
            format!("---\ntitle: Tabs\n{}---\n", grant_fields.replace("  -", "\t-")).into_bytes(),
        ),
        ("CR-only line ends", b"---\rtitle: A\r---\rbody\r".to_vec()),
        ("a complex key", b"---\n[a, b]: c\n? {x: 1}\n: y\n---\n".to_vec()),
        ("a tagged value", b"---\ntitle: !!binary aGVsbG8=\namount: !custom 5\n---\n".to_vec()),
        ("an unclosed quote", b"---\ntitle: \"CPC grant\npartnership: cpc\n---\n".to_vec()),
        ("a huge amount", format!("---\ntitle: A\n{}---\n", grant_fields.replace("5000000", &"9".repeat(5_000))).into_bytes()),
        ("a huge year", format!("---\ntitle: A\n{}---\n", grant_fields.replace("2021-03-01", "99999999999999999999-01-01")).into_bytes()),
        ("a many-byte character at every position", format!("---\ntitle: Ж 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\n{grant_fields}---\nЖ [ж](@/грантс/ж.md) [𝔘](@/grants/жж.md#ж)\n").into_bytes()),
    ]
}

#[test]
fn adversarial_input_never_panics() {
    for (what, bytes) in adversarial_inputs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gazette.yaml"), "title: Test\n").unwrap();
        let grants = dir.path().join("content/grants");
        std::fs::create_dir_all(&grants).unwrap();
        std::fs::write(grants.join("x.md"), &bytes).unwrap();
        let diags = check_without_panic(dir.path(), what);
        assert!(
            diags
                .iter()
                .any(|d| d.is_error() && d.file == "content/grants/x.md"),
            "{what}: no error reported for the file: {diags:#?}"
        );
    }
}

/// A site as a list of (path, contents) pairs.
type Site = &'static [(&'static str, &'static [u8])];

#[test]
fn broken_config_and_odd_site_layouts_never_panic() {
    let cases: [(&str, Site); 5] = [
        (
            "malformed gazette.yaml",
            &[
                ("gazette.yaml", b"title: [Test\n"),
                ("content/grants/.keep", b""),
            ],
        ),
        (
            "gazette.yaml that is a list",
            &[("gazette.yaml", b"- a\n"), ("content/grants/.keep", b"")],
        ),
        ("no content folder", &[("gazette.yaml", b"title: Test\n")]),
        (
            "a file at the top of content/",
            &[
                ("gazette.yaml", b"title: Test\n"),
                ("content/x.md", b"---\ntitle: X\n---\n"),
            ],
        ),
        (
            "a folder named like a file",
            &[
                ("gazette.yaml", b"title: Test\n"),
                ("content/grants/x.md/y.md", b"---\ntitle: X\n---\n"),
            ],
        ),
    ];
    for (what, files) in cases {
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        let diags = check_without_panic(dir.path(), what);
        assert!(
            diags.iter().any(Diagnostic::is_error),
            "{what}: no error reported: {diags:#?}"
        );
    }
}

#[test]
fn placeholder_left_from_gazette_new() {
    expect(
        "placeholder",
        &[err(GRANT, "fill in `awarded`")
            .at(7, 10)
            .field("awarded")
            .hint("replace `FILL-IN`")],
    );
}

#[test]
fn progress_entry_that_does_not_say_when_it_was_reported() {
    expect(
        "progress-without-reported",
        &[
            err(PLEDGE, "progress entry does not say when it was reported")
                .at(10, 5)
                .field("progress[0]")
                .hint("`date` is when the status took effect"),
        ],
    );
}

#[test]
fn a_source_that_names_two_things() {
    expect(
        "source-names-two-things",
        &[
            err(PLEDGE, "a source names one thing, not `url` and `document`")
                .at(14, 9)
                .field("progress[0].sources[0]")
                .hint("one source per entry"),
        ],
    );
}

#[test]
fn unknown_dac_sector() {
    // A 3-digit DAC category where a 5-digit purpose code belongs.
    expect(
        "unknown-dac-sector",
        &[err(GRANT, "unknown DAC sector code `151`")
            .at(10, 9)
            .field("sector")
            .hint("give the 5-digit purpose code")],
    );
}

#[test]
fn iati_identifier_with_an_unknown_registration_agency() {
    expect(
        "invalid-iati-identifier",
        &[err(
            "content/organizations/us-gov.md",
            "`XM-DACC-302` is not an IATI organisation identifier",
        )
        .at(4, 18)
        .field("iati_identifier")
        .hint("did you mean `XM-DAC`?")],
    );
}

#[test]
fn iati_export_without_a_licence() {
    expect(
        "iati-without-license",
        &[err(
            "gazette.yaml",
            "missing `open_data.license`, which `open_data.iati` needs",
        )
        .at(4, 3)
        .field("open_data.license")
        .hint("say under which terms the data may be reused")],
    );
}

#[test]
fn catalogue_without_a_contact() {
    expect(
        "catalog-missing-contact",
        &[err(
            "gazette.yaml",
            "missing required field `open_data.catalog.contact`",
        )
        // At the start of the `catalog` mapping, where the field belongs.
        .at(8, 5)
        .field("open_data.catalog.contact")],
    );
}

#[test]
fn a_translation_that_sets_a_fact_says_where_facts_go() {
    expect(
        "translation-sets-a-fact",
        &[err(
            "content/pledges/train-staff.mn.md",
            "`status` is a fact, and a translation holds only text",
        )
        .at(4, 1)
        .field("status")
        .hint("facts are written once, in `train-staff.md`; remove `status` from this file")],
    );
}

#[test]
fn a_translation_of_no_record_suggests_the_record_it_may_mean() {
    expect(
        "translation-of-no-record",
        &[err(
            "content/pledges/train-staf.mn.md",
            "translation of a pledge that does not exist: `train-staf`",
        )
        .hint("did you mean `train-staff.mn.md`?")],
    );
}

#[test]
fn a_translation_of_a_record_that_failed_to_parse_is_not_called_a_translation_of_nothing() {
    // `train-staff.md` exists but its YAML is broken: its error says so,
    // and its translation must not add "a pledge that does not exist".
    expect(
        "translation-of-unparsed-record",
        &[err(
            "content/pledges/train-staff.md",
            "malformed YAML: mapping values are not allowed",
        )
        .at(7, 17)
        .hint("quote text that contains `: `")],
    );
}

#[test]
fn a_translation_in_a_language_the_site_does_not_list_is_refused() {
    expect(
        "translation-in-unknown-language",
        &[err(
            "content/pledges/train-staff.fr.md",
            "`fr` is not one of the site's languages",
        )
        .hint("add `fr` to `languages.others` in gazette.yaml")],
    );
}
