//! The drift-check plumbing both generators share: which generated files differ from the
//! committed ones, and the verdict CI prints.

use std::fs;
use std::path::Path;

pub type Error = Box<dyn std::error::Error>;

/// The names, among `files` (file name, generated text), whose committed copy in `dir`
/// differs or is missing.
pub fn differing(dir: &Path, files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(name, text)| fs::read(dir.join(name)).ok().as_deref() != Some(text.as_bytes()))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Prints `up_to_date` when nothing in `stale` (file names in `dir`); otherwise names every
/// stale file and fails with `out_of_date`.
pub fn verdict(
    stale: &[String],
    dir: &Path,
    up_to_date: &str,
    out_of_date: &str,
) -> Result<(), Error> {
    if stale.is_empty() {
        println!("{up_to_date}");
        return Ok(());
    }
    for name in stale {
        eprintln!("differs: {}", dir.join(name).display());
    }
    Err(out_of_date.into())
}
