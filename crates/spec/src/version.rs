//! API versions known to the contract.

use std::fmt;
use std::str::FromStr;

/// An Organization API version, as sent in `X-TC-Version` / `Version`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Version {
    V2018_12_25,
    V2021_03_31,
}

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Version; 2] = [Version::V2018_12_25, Version::V2021_03_31];

    /// The wire spelling, e.g. `"2018-12-25"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2018_12_25 => "2018-12-25",
            Version::V2021_03_31 => "2021-03-31",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A version string that names no version of the contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown API version {0:?} (known: 2018-12-25, 2021-03-31)")]
pub struct UnknownVersion(pub String);

impl FromStr for Version {
    type Err = UnknownVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Version::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVersion(s.to_owned()))
    }
}
