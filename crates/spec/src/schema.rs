//! The layout of a contract file (`contract/<service>-<version>.json`), declared once.
//!
//! `cargo xtask gen-spec` serialises these types and every reader (this crate's loader, the
//! model generator) deserialises them, so the writer and the readers cannot drift apart.
//! Shapes, members, types and error codes are the model's own types; only the file's top
//! level and its actions differ from the model (the model adds each action's version).

use serde::{Deserialize, Serialize};

use crate::model::{ErrorCode, Shape};

/// One contract file: everything documented about one API version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractFile {
    /// The API version, e.g. `2021-03-31`.
    pub version: String,
    pub service: String,
    pub actions: Vec<ActionEntry>,
    pub shapes: Vec<Shape>,
    pub error_codes: Vec<ErrorCode>,
    pub common_errors: Vec<ErrorCode>,
}

/// An action as the file stores it: the model's [`Action`](crate::Action) without its version,
/// which is the file's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionEntry {
    pub name: String,
    /// Name of the request shape.
    pub input: String,
    /// Name of the response shape.
    pub output: String,
    /// Requests per second; the platform default where none is documented.
    pub rate_limit: u32,
    pub rate_limit_documented: bool,
    pub category: String,
    pub category_by_name: bool,
    /// Business error codes documented for this action, sorted.
    pub errors: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading a committed contract file and writing it again gives the same bytes: the
    /// declaration covers every field, in the generator's order, with its omissions.
    #[test]
    fn committed_files_round_trip_byte_for_byte() {
        for text in [
            include_str!("../contract/organization-2018-12-25.json"),
            include_str!("../contract/organization-2021-03-31.json"),
        ] {
            let file: ContractFile = serde_json::from_str(text).unwrap();
            let again = serde_json::to_string_pretty(&file).unwrap() + "\n";
            assert!(again == text, "{} does not round-trip", file.version);
        }
    }
}
