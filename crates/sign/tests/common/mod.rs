//! Helpers shared by the signing tests: the committed test data and header pairs.
#![allow(dead_code)]

use std::path::PathBuf;

/// A file under this crate's `tests/`, read whole.
pub fn read_test_file(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Header pairs as the verifier takes them.
pub fn header_refs(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}
