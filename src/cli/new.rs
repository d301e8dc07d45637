//! `gazette new KIND "Title"`: a content file with the right front matter,
//! pre-filled so that it passes `check` where a sensible default exists.

use gazette::diagnostics::did_you_mean;
use gazette::model::{slugify, Kind};
use std::path::Path;

pub fn new(root: &Path, kind: &str, title: &str) -> i32 {
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let Some(kind) = Kind::from_name(kind).or_else(|| Kind::from_folder(kind)) else {
        let hint = did_you_mean(kind, names.iter().copied())
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        eprintln!(
            "gazette: unknown type `{kind}`{hint}; expected one of: {}",
            names.join(", ")
        );
        return 2;
    };
    if !root.join("content").is_dir() {
        eprintln!(
            "gazette: no content/ folder in {}; run this in a site folder or pass --root",
            root.display()
        );
        return 2;
    }
    let mut id = slugify(title);
    if id.is_empty() {
        id = kind.name().to_string();
    }
    if kind == Kind::Dialogue {
        id = format!("{}-{id}", today());
    }
    let dir = root.join("content").join(kind.folder());
    let path = dir.join(format!("{id}.md"));
    if path.exists() {
        eprintln!(
            "gazette: {} already exists; choose another title",
            path.display()
        );
        return 2;
    }
    let partnership = only_partnership(root).unwrap_or_else(|| "PARTNERSHIP-ID".into());
    let text = front_matter(kind, title, &partnership);
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, text));
    if let Err(e) = written {
        eprintln!("gazette: cannot write {}: {e}", path.display());
        return 2;
    }
    println!("{}", path.display());
    0
}

/// The partnership's id when the site has exactly one.
fn only_partnership(root: &Path) -> Option<String> {
    let dir = std::fs::read_dir(root.join("content/partnerships")).ok()?;
    let ids: Vec<String> = dir
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".md")
                .map(str::to_string)
        })
        .collect();
    (ids.len() == 1).then(|| ids[0].clone())
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn front_matter(kind: Kind, title: &str, partnership: &str) -> String {
    let t = quote(title);
    let today = today();
    let fm = match kind {
        Kind::Partnership => format!(
            "title: {t}\nshort_name: {t}\n# signed: 2020-04\nparties: []\nobjectives: []\n#  - id: prevention\n#    title: Prevent ...\nstatus: active  # proposed, active, completed, suspended, terminated\n"
        ),
        Kind::Dialogue => format!(
            "title: {t}\ndate: {today}\npartnership: {partnership}\nformat: in-person  # virtual, in-person or hybrid\n# location: Ulaanbaatar, Mongolia\nparticipants: []\n#  - person: person-id\n#    role: Opening remarks\n#    organization: organization-id\norganizations: []\nobjectives: []\noutcomes: []\npledges: []\ngrants: []\n"
        ),
        Kind::Pledge => format!(
            "title: {t}\npartnership: {partnership}\nmade_by: ORGANIZATION-ID\nobjectives: []\n# made: {today}\n# dialogue: dialogue-id\n# due: 2026-12\nstatus: not-reported  # not-reported, not-started, in-progress, delayed, completed, withdrawn\nprogress: []\n#  - date: {today}\n#    status: in-progress\n#    note: What was reported\n"
        ),
        Kind::Grant => format!(
            "title: {t}\npartnership: {partnership}\nfunder: ORGANIZATION-ID\nrecipients:\n  - organization: ORGANIZATION-ID\n    role: lead  # lead, partner, local-partner, recipient\nobjectives: []\nawarded: {today}\namount: 0\ncurrency: USD\ntranches: []\n#  - date: {today}\n#    amount: 500000\n#    note: Additional funds\n"
        ),
        Kind::Organization => format!(
            "name: {t}\nkind: ngo  # government, agency, ngo, donor, multilateral, private-sector, academic, other\n# country: MN\n# website: https://example.org/\n# parent: organization-id\n"
        ),
        Kind::Person => format!(
            "name: {t}\n# honorific: Dr.\npositions: []\n#  - title: Ambassador\n#    organization: organization-id\n#    from: 2021\n"
        ),
        Kind::Report => format!(
            "title: {t}\npartnership: {partnership}\nperiod:\n  from: {today}\n  to: {today}\npublished: {today}\n"
        ),
    };
    format!(
        "---\n{fm}---\n\nWrite the {} here.\n",
        if kind == Kind::Dialogue {
            "record of the meeting"
        } else {
            "description"
        }
    )
}

/// Today's date (UTC) as `YYYY-MM-DD`: from `SOURCE_DATE_EPOCH` when set
/// (reproducible builds), else from the system clock.
pub fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_950), (2021, 11, 19));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
