//! The limits the documentation places on top of the per-action one, each off unless
//! configured (the documentation gives no numbers), and the code each is refused with.

use serde::Serialize;

/// One limit a call passes, in the order the limiter checks them (see
/// [`crate::limiter`] for why this order and what a refused call consumes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// Per source IP address, across accounts and actions.
    SourceIp,
    /// Per main account, across its sub-accounts, actions and regions.
    MainAccount,
    /// Per main account and access region, across its sub-accounts and actions.
    MainAccountRegion,
    /// Per action, access region and (sub-)account: the documented per-action limit.
    Action,
}

impl Layer {
    /// The layers in the order they are checked.
    pub const ORDER: [Layer; 4] = [
        Layer::SourceIp,
        Layer::MainAccount,
        Layer::MainAccountRegion,
        Layer::Action,
    ];

    /// The error code a call refused by this layer is answered with (the contract's).
    pub fn code(self) -> &'static str {
        match self {
            Layer::SourceIp => "RequestLimitExceeded.IPLimitExceeded",
            Layer::MainAccount => "RequestLimitExceeded.UinLimitExceeded",
            Layer::MainAccountRegion => "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            Layer::Action => "RequestLimitExceeded",
        }
    }

    /// What the limit is counted per, for the error message.
    pub fn scope(self) -> &'static str {
        match self {
            Layer::SourceIp => "per source IP",
            Layer::MainAccount => "per main account",
            Layer::MainAccountRegion => "per main account and region",
            Layer::Action => "per account and region",
        }
    }
}

/// The per-second limits of the optional layers; `None` is off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Layers {
    pub main_account: Option<u32>,
    pub main_account_region: Option<u32>,
    pub source_ip: Option<u32>,
}

impl Layers {
    /// The limit of `layer`, when it is on (the action layer is always on and not set here).
    pub fn limit(&self, layer: Layer) -> Option<u32> {
        match layer {
            Layer::SourceIp => self.source_ip,
            Layer::MainAccount => self.main_account,
            Layer::MainAccountRegion => self.main_account_region,
            Layer::Action => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes are the contract's: every one is documented for the actions.
    #[test]
    fn every_layer_code_is_a_documented_error_code() {
        for layer in Layer::ORDER {
            let documented = tco_spec::Version::ALL
                .into_iter()
                .any(|v| tco_spec::contract(v).error_code(layer.code()).is_some());
            assert!(documented, "{}", layer.code());
        }
    }
}
