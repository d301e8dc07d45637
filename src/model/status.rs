//! Pledge statuses: the built-in vocabulary plus a site's own statuses
//! (`statuses:` in `gazette.yaml`). Every status belongs to one of a few
//! fixed groups, so that charts, totals and colours work for statuses a
//! theme has never heard of.
//!
//! A [`Status`] is an index into the site's [`Statuses`]; the built-in ones
//! have fixed indices, so code can name them without a table
//! ([`Status::NOT_REPORTED`]). Labels and definitions of the built-in
//! statuses are theme strings; a site's own statuses bring theirs.

use serde::Serialize;
use std::collections::BTreeMap;

/// What a status says about a pledge, coarsely. The groups are fixed: a
/// site's statuses must each name one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Nothing is known (`not-reported` only; a site cannot add to it).
    Unknown,
    /// Not yet met, and not given up.
    Open,
    /// Met in part.
    PartlyMet,
    /// Met in full.
    Met,
    /// Not met, and no longer being pursued.
    NotMet,
}

impl Group {
    /// The groups a site's own status may be in, in display order.
    pub const SITE: [Group; 4] = [Group::Open, Group::PartlyMet, Group::Met, Group::NotMet];

    pub fn key(self) -> &'static str {
        match self {
            Group::Unknown => "unknown",
            Group::Open => "open",
            Group::PartlyMet => "partly-met",
            Group::Met => "met",
            Group::NotMet => "not-met",
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        [Group::Unknown]
            .into_iter()
            .chain(Group::SITE)
            .find(|g| g.key() == s)
    }
}

/// A pledge status: an index into the site's [`Statuses`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Status(u16);

impl Status {
    pub const NOT_REPORTED: Status = Status(0);
    pub const NOT_STARTED: Status = Status(1);
    pub const IN_PROGRESS: Status = Status(2);
    pub const DELAYED: Status = Status(3);
    pub const STALLED: Status = Status(4);
    pub const PARTLY_COMPLETED: Status = Status(5);
    pub const COMPLETED: Status = Status(6);
    pub const WITHDRAWN: Status = Status(7);
    pub const FAILED: Status = Status(8);

    /// Position in [`Statuses::all`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The built-in statuses, in vocabulary order (the order of [`Status`]'s
/// constants).
const BUILT_IN: [(&str, Group); 9] = [
    ("not-reported", Group::Unknown),
    ("not-started", Group::Open),
    ("in-progress", Group::Open),
    ("delayed", Group::Open),
    ("stalled", Group::Open),
    ("partly-completed", Group::PartlyMet),
    ("completed", Group::Met),
    ("withdrawn", Group::NotMet),
    ("failed", Group::NotMet),
];

/// Text given per language: the key `""` holds text written without a
/// language, which is the site's default language.
pub type Localized = BTreeMap<String, String>;

/// One status: its key, group and, for a site's own, label and meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusDef {
    pub key: String,
    pub group: Group,
    /// `None` for the built-in statuses, whose text is in the theme.
    pub label: Option<Localized>,
    pub means: Option<Localized>,
}

/// Every status a site knows, built-in first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statuses(Vec<StatusDef>);

impl Default for Statuses {
    fn default() -> Self {
        Statuses(
            BUILT_IN
                .iter()
                .map(|(key, group)| StatusDef {
                    key: (*key).to_string(),
                    group: *group,
                    label: None,
                    means: None,
                })
                .collect(),
        )
    }
}

impl Statuses {
    /// Whether `key` is a built-in status.
    pub fn is_built_in(key: &str) -> bool {
        BUILT_IN.iter().any(|(k, _)| *k == key)
    }

    /// Add a site's own status; false if the key is taken already.
    pub fn add(&mut self, def: StatusDef) -> bool {
        if self.0.iter().any(|d| d.key == def.key) || self.0.len() >= u16::MAX as usize {
            return false;
        }
        self.0.push(def);
        true
    }

    pub fn parse(&self, key: &str) -> Option<Status> {
        self.0
            .iter()
            .position(|d| d.key == key)
            .map(|i| Status(i as u16))
    }

    /// The definition of `s`; statuses come only from this table, so an
    /// unknown index falls back to `not-reported` rather than panicking.
    pub fn def(&self, s: Status) -> &StatusDef {
        self.0.get(s.index()).unwrap_or(&self.0[0])
    }

    pub fn key(&self, s: Status) -> &str {
        &self.def(s).key
    }

    pub fn group(&self, s: Status) -> Group {
        self.def(s).group
    }

    /// Every status with its definition, in vocabulary order.
    pub fn all(&self) -> impl Iterator<Item = (Status, &StatusDef)> {
        self.0
            .iter()
            .enumerate()
            .map(|(i, d)| (Status(i as u16), d))
    }

    /// The status at position `i` of [`Statuses::all`].
    pub fn at(&self, i: usize) -> Option<Status> {
        (i < self.0.len()).then_some(Status(i as u16))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every key, for "one of: …" messages.
    pub fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|d| d.key.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_have_fixed_indices_and_groups() {
        let s = Statuses::default();
        assert_eq!(s.key(Status::NOT_REPORTED), "not-reported");
        assert_eq!(s.key(Status::FAILED), "failed");
        assert_eq!(s.group(Status::STALLED), Group::Open);
        assert_eq!(s.group(Status::PARTLY_COMPLETED), Group::PartlyMet);
        assert_eq!(s.parse("completed"), Some(Status::COMPLETED));
        assert_eq!(s.parse("kept"), None);
    }

    #[test]
    fn a_site_adds_statuses_after_the_built_ins() {
        let mut s = Statuses::default();
        let def = StatusDef {
            key: "awaiting-parliament".into(),
            group: Group::Open,
            label: None,
            means: None,
        };
        assert!(s.add(def.clone()));
        assert!(!s.add(def), "a key is added once");
        let x = s.parse("awaiting-parliament").unwrap();
        assert_eq!(x.index(), BUILT_IN.len());
        assert_eq!(s.group(x), Group::Open);
        assert!(!s.add(StatusDef {
            key: "completed".into(),
            group: Group::Met,
            label: None,
            means: None
        }));
    }
}
