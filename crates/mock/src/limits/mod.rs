//! The service's rate-limit model, as its documentation describes it, beyond one counter:
//! what a call's per-action budget is keyed on ([`KeyMode`], with the access region of
//! [`access_region`]), and the optional layers on top ([`Layers`]), each refused with its own
//! code ([`Layer::code`]). The counting itself is [`crate::limiter`]'s.

mod access_region;
mod layers;

pub use access_region::{access_region, DEFAULT_ACCESS_REGION};
pub use layers::{Layer, Layers};

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// The address a request's connection came from; the server puts it in the request's
/// extensions for the source-IP layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SourceIp(pub std::net::IpAddr);

/// What one per-action budget is keyed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyMode {
    /// The documentation's: action, access region (the API server the request reached, see
    /// [`access_region`]) and the caller's (sub-)account. The API version is not part of it,
    /// so 2018-12-25 and 2021-03-31 calls of one action share one budget.
    #[default]
    Documented,
    /// The mock's earlier key: account, API version, action and the `Region` parameter.
    Legacy,
}

impl KeyMode {
    pub fn name(self) -> &'static str {
        match self {
            KeyMode::Documented => "documented",
            KeyMode::Legacy => "legacy",
        }
    }
}

impl fmt::Display for KeyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of the key modes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rate-limit key {0:?} (known: documented, legacy)")]
pub struct UnknownKeyMode(pub String);

impl FromStr for KeyMode {
    type Err = UnknownKeyMode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "documented" => Ok(KeyMode::Documented),
            "legacy" => Ok(KeyMode::Legacy),
            other => Err(UnknownKeyMode(other.to_string())),
        }
    }
}

/// The whole model a mock runs with: the key and the layers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LimitModel {
    pub key: KeyMode,
    pub layers: Layers,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_modes_round_trip_and_default_to_the_documented_key() {
        for mode in [KeyMode::Documented, KeyMode::Legacy] {
            assert_eq!(mode.name().parse::<KeyMode>(), Ok(mode));
        }
        assert_eq!(KeyMode::default(), KeyMode::Documented);
        assert!("version".parse::<KeyMode>().is_err());
    }
}

#[cfg(test)]
mod model_tests;
