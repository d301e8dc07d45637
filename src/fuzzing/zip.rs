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
    match verify_zip_bytes(name, data, &limits) {
        Err(message) => assert!(!message.is_empty(), "an empty error"),
        Ok(report) => {
            // Each name in the manifest is either checked or missing.
            assert!(report.changed.len() <= report.checked);
            if report.ok() {
                assert!(report.added.is_empty() && report.missing.is_empty());
            }
        }
    }
}
