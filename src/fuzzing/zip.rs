//! `gazette verify` on arbitrary zip bytes, within small limits.

use crate::bundle::verify::{verify_zip_bytes, Limits};
use std::path::Path;

/// The bytes as a bundle's zip file. The limits are small, so that a zip
/// bomb is refused quickly; what they bound is the bytes actually read.
pub fn verify_zip(data: &[u8]) {
    let limits = Limits {
        max_entries: 4096,
        max_bytes: 16 << 20,
        max_manifest_bytes: 1 << 20,
    };
    let name = Path::new("fuzzed.zip");
    let report = verify_zip_bytes(name, data, &limits);
    assert_eq!(
        report,
        verify_zip_bytes(name, data, &limits),
        "two answers for the same bytes"
    );
    match report {
        Err(message) => assert!(!message.is_empty(), "an empty error"),
        Ok(report) => {
            // Sorted, and each name in one list only: missing names are in
            // the manifest and not the zip, added ones the other way round,
            // changed ones in both.
            for list in [&report.added, &report.missing, &report.changed] {
                assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?} unsorted");
            }
            assert!(report.changed.len() <= report.checked);
            for name in &report.added {
                assert!(
                    !report.missing.contains(name) && !report.changed.contains(name),
                    "{name} both added and listed"
                );
            }
        }
    }
}
