//! `gazette new KIND "Title" [--id ID]`: a content file with the right
//! front matter. Values nobody has stated are visible placeholders that
//! `check` reports as errors until an editor fills them in. With
//! `--lang L --of ID`, a translation's skeleton (`new_translation.rs`).

use gazette::diagnostics::did_you_mean;
use gazette::fields::PLACEHOLDER;
use gazette::model::{is_valid_id, slugify, Kind, Statuses};
use std::path::Path;

/// `translate` is `(language, id)` from `--lang` and `--of`.
pub fn new(
    root: &Path,
    kind: &str,
    title: Option<&str>,
    id: Option<&str>,
    translate: Option<(&str, &str)>,
) -> i32 {
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
    if let Some((lang, of)) = translate {
        return super::new_translation::new(root, kind, of, lang, title);
    }
    let title = title.unwrap_or_default();
    let explicit = id.is_some();
    let id = match id {
        Some(id) => match given_id(id) {
            Ok(id) => id,
            Err(msg) => {
                eprintln!("gazette: {msg}");
                return 2;
            }
        },
        None => match id_from_title(root, kind, title) {
            Ok(id) => id,
            Err(msg) => {
                eprintln!("gazette: {msg}");
                return 2;
            }
        },
    };
    let dir = root.join("content").join(kind.folder());
    let path = dir.join(format!("{id}.md"));
    if path.exists() {
        eprintln!(
            "gazette: {} already exists; choose another {}",
            path.display(),
            if explicit {
                "id"
            } else {
                "title, or give an id with --id"
            }
        );
        return 2;
    }
    let partnership = only_partnership(root).unwrap_or_else(|| PLACEHOLDER.into());
    let today = today();
    let text = front_matter(kind, title, &partnership, &today);
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, text));
    if let Err(e) = written {
        eprintln!("gazette: cannot write {}: {e}", path.display());
        return 2;
    }
    println!("{}", path.display());
    if kind == Kind::Dialogue {
        eprintln!("gazette: the dialogue's date is set to today, {today}; correct it if it was held on another day");
    }
    eprintln!(
        "gazette: replace every `{PLACEHOLDER}` with what the records say; `gazette check` lists them"
    );
    0
}

/// An id given with `--id`, checked as `load` checks file names.
fn given_id(id: &str) -> Result<String, String> {
    if !is_valid_id(id) {
        let slug = slugify(id);
        let hint = if is_valid_id(&slug) && gazette::portable::device(&slug).is_none() {
            format!("; try `--id {slug}`")
        } else {
            String::new()
        };
        return Err(format!(
            "`--id {id}` is not a valid id: an id is the file name, made of lowercase letters, digits and single hyphens, e.g. `first-bilateral-dialogue`{hint}"
        ));
    }
    if let Some(device) = gazette::portable::device(id) {
        return Err(format!(
            "`--id {id}` is the Windows device name {device}: Windows cannot create a folder of that name for its page; choose another id"
        ));
    }
    Ok(id.to_string())
}

/// The id made from the title (a dialogue's starts with today's date), or
/// why none can be made: a title with no Latin letters or digits, such as
/// a Mongolian one, gives none.
fn id_from_title(root: &Path, kind: Kind, title: &str) -> Result<String, String> {
    let slug = slugify(title);
    let example = |id: &str| format!("gazette new {} {} --id {id}", kind.name(), quote(title));
    if slug.is_empty() {
        let id = match kind {
            Kind::Dialogue => "2021-11-19-first-bilateral-dialogue",
            Kind::Organization => "world-vision",
            Kind::Person => "kari-johnstone",
            Kind::Pledge => "expand-support-for-shelters",
            Kind::Grant => "cpc-consortium-grant",
            Kind::Partnership => "cpc-mongolia",
            Kind::Report => "annual-report-2022",
        };
        return Err(format!(
            "cannot make a file name from the title {}: an id needs Latin letters or digits (a-z, 0-9)\nhint: give the id with --id, in Latin letters, e.g. `{}`",
            quote(title),
            example(id)
        ));
    }
    let id = if kind == Kind::Dialogue {
        format!("{}-{slug}", today())
    } else {
        slug
    };
    let folder = root.join("content").join(kind.folder());
    let taken = |c: &str| folder.join(format!("{c}.md")).exists();
    if let Some((device, free)) = gazette::portable::reserved_id(kind, &id, None, taken) {
        let free = free.unwrap_or_else(|| format!("{id}-{}", kind.name()));
        return Err(format!(
            "the title {} gives the id `{id}`, the Windows device name {device}, which Windows cannot use as a folder name\nhint: give another id with --id, e.g. `{}`",
            quote(title),
            example(&free)
        ));
    }
    Ok(id)
}

/// The partnership's id when the site has exactly one.
fn only_partnership(root: &Path) -> Option<String> {
    let dir = std::fs::read_dir(root.join("content/partnerships")).ok()?;
    // Translations (`x.mn.md`) are not partnerships of their own.
    let ids: Vec<String> = dir
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".md")
                .filter(|id| is_valid_id(id))
                .map(str::to_string)
        })
        .collect();
    (ids.len() == 1).then(|| ids[0].clone())
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The front matter of a new file. Facts nobody has stated yet are
/// `FILL-IN`, which `check` reports until an editor replaces it; optional
/// fields are comments. Nothing here may look like a real value, except a
/// dialogue's date, which `new` announces when it writes it.
fn front_matter(kind: Kind, title: &str, partnership: &str, today: &str) -> String {
    let t = quote(title);
    let f = PLACEHOLDER;
    let statuses = Statuses::default().keys().join(", ");
    let fm = match kind {
        Kind::Partnership => format!(
            "title: {t}\n# short_name: CPC Partnership\n# signed: 2020-04\nparties: []\nobjectives: []\n#  - id: prevention\n#    title: Prevent ...\nstatus: {f}  # proposed, active, completed, suspended, terminated\n"
        ),
        Kind::Dialogue => format!(
            "title: {t}\ndate: {today}  # set to the day `gazette new` ran: correct it if the dialogue was held on another day\npartnership: {partnership}\nformat: {f}  # virtual, in-person or hybrid\n# location: Ulaanbaatar, Mongolia\nparticipants: []\n#  - person: person-id\n#    role: Opening remarks\n#    organization: organization-id\norganizations: []\nobjectives: []\noutcomes: []\npledges: []\ngrants: []\n# sources:\n#  - url: https://example.org/press-release\n#    title: Press release\n"
        ),
        Kind::Pledge => format!(
            "title: {t}\npartnership: {partnership}\nmade_by: {f}  # the id of an organization\nobjectives: []\n# made: 2020-04\n# dialogue: dialogue-id\n# due: 2026-12\nstatus: not-reported  # {statuses}\nprogress: []\n#  - date: 2024-02       # when the status took effect, if a source says\n#    status: in-progress\n#    reported: 2024-03-14  # when it became known; or `dialogue:` / `report:` where\n#    note: What was reported\n#    sources:\n#      - url: https://example.org/news\n#        quote: The passage that says so\n"
        ),
        Kind::Grant => format!(
            "title: {t}\npartnership: {partnership}\nfunder: {f}  # the id of an organization\nrecipients:\n  - organization: {f}\n    # role: (lead, partner or local-partner; leave the line out when the records name no role)\nobjectives: []\nawarded: {f}  # YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source\namount: {f}\ncurrency: {f}  # ISO 4217, e.g. USD\ntranches: []\n#  - date: 2021\n#    amount: 500000\n#    note: Additional funds\n"
        ),
        Kind::Organization => format!(
            "name: {t}\nkind: {f}  # government, agency, ngo, donor, multilateral, private-sector, academic, other\n# country: MN\n# website: https://example.org/\n# parent: organization-id\n"
        ),
        Kind::Person => format!(
            "name: {t}\n# honorific: Dr.\npositions: []\n#  - title: Ambassador\n#    organization: organization-id\n#    from: 2021\n"
        ),
        Kind::Report => format!(
            "title: {t}\npartnership: {partnership}\n# period:\n#   from: 2023-01\n#   to: 2023-12\npublished: {f}  # YYYY, YYYY-MM or YYYY-MM-DD\n"
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
