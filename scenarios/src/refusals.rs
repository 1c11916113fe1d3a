//! Which limit refused a call, by its code. The service answers a refusal by its per-action
//! limit with `RequestLimitExceeded`, and by the limits on top of it with a sub-code each: per
//! main account `.UinLimitExceeded`, per main account and region
//! `.GlobalRegionUinLimitExceeded`, per source IP `.IPLimitExceeded`. A run reports its
//! refusals per code, and a verdict names the layer that refused a call when it is not the
//! per-action one under test.

use serde::{Deserialize, Serialize};

use crate::call::{Outcome, THROTTLE_CODE};

/// A limit that refuses calls, known by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refuser {
    /// Per action, access region and (sub-)account: `RequestLimitExceeded`.
    Action,
    /// Per main account: `RequestLimitExceeded.UinLimitExceeded`.
    MainAccount,
    /// Per main account and region: `RequestLimitExceeded.GlobalRegionUinLimitExceeded`.
    MainAccountRegion,
    /// Per source IP: `RequestLimitExceeded.IPLimitExceeded`.
    SourceIp,
}

impl Refuser {
    pub const ALL: [Refuser; 4] = [
        Refuser::Action,
        Refuser::MainAccount,
        Refuser::MainAccountRegion,
        Refuser::SourceIp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Refuser::Action => THROTTLE_CODE,
            Refuser::MainAccount => "RequestLimitExceeded.UinLimitExceeded",
            Refuser::MainAccountRegion => "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            Refuser::SourceIp => "RequestLimitExceeded.IPLimitExceeded",
        }
    }

    /// The layer, as verdicts name it.
    pub fn layer(self) -> &'static str {
        match self {
            Refuser::Action => "the per-action layer",
            Refuser::MainAccount => "the main-account layer",
            Refuser::MainAccountRegion => "the main-account-and-region layer",
            Refuser::SourceIp => "the per-IP layer",
        }
    }

    pub fn of_code(code: &str) -> Option<Refuser> {
        Refuser::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The limit that refused a call, when a limit did.
    pub fn of(outcome: &Outcome) -> Option<Refuser> {
        match outcome {
            Outcome::Throttled => Some(Refuser::Action),
            Outcome::OtherError(code) => Refuser::of_code(code),
            _ => None,
        }
    }
}

/// Calls per code: the four rate-limit codes, and every other failure together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalCounts {
    #[serde(rename = "RequestLimitExceeded")]
    pub action: usize,
    #[serde(rename = "RequestLimitExceeded.UinLimitExceeded")]
    pub main_account: usize,
    #[serde(rename = "RequestLimitExceeded.GlobalRegionUinLimitExceeded")]
    pub main_account_region: usize,
    #[serde(rename = "RequestLimitExceeded.IPLimitExceeded")]
    pub source_ip: usize,
    /// Every other error code, and calls that got no answer.
    pub other: usize,
}

impl RefusalCounts {
    pub fn of<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Self {
        let mut counts = RefusalCounts::default();
        for outcome in outcomes {
            match (outcome, Refuser::of(outcome)) {
                (_, Some(r)) => *counts.slot(r) += 1,
                (Outcome::Accepted, None) => {}
                (_, None) => counts.other += 1,
            }
        }
        counts
    }

    fn slot(&mut self, r: Refuser) -> &mut usize {
        match r {
            Refuser::Action => &mut self.action,
            Refuser::MainAccount => &mut self.main_account,
            Refuser::MainAccountRegion => &mut self.main_account_region,
            Refuser::SourceIp => &mut self.source_ip,
        }
    }

    pub fn get(&self, r: Refuser) -> usize {
        let mut copy = *self;
        *copy.slot(r)
    }

    /// Refused by any rate limit.
    pub fn rate_limited(&self) -> usize {
        Refuser::ALL.iter().map(|&r| self.get(r)).sum()
    }

    pub fn add(&mut self, other: &RefusalCounts) {
        for r in Refuser::ALL {
            *self.slot(r) += other.get(r);
        }
        self.other += other.other;
    }

    /// `RequestLimitExceeded 5, .UinLimitExceeded 0, .GlobalRegionUinLimitExceeded 0,
    /// .IPLimitExceeded 2, other 0`.
    pub fn line(&self) -> String {
        let mut parts: Vec<String> = Refuser::ALL
            .iter()
            .map(|&r| {
                let code = r.code();
                let short = code.strip_prefix(THROTTLE_CODE).filter(|s| !s.is_empty());
                format!("{} {}", short.unwrap_or(code), self.get(r))
            })
            .collect();
        parts.push(format!("other {}", self.other));
        parts.join(", ")
    }

    /// A verdict's words for refusals by layers other than the per-action one, one line per
    /// layer that refused something.
    pub fn by_other_layers(&self) -> Vec<String> {
        Refuser::ALL
            .into_iter()
            .filter(|&r| r != Refuser::Action && self.get(r) > 0)
            .map(|r| {
                format!(
                    "{} calls refused by {} ({}), not by the per-action limit under test",
                    self.get(r),
                    r.layer(),
                    r.code()
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_counted_under_its_layer_and_the_rest_as_other() {
        let o = |c: &str| Outcome::OtherError(c.into());
        let outcomes = [
            Outcome::Accepted,
            Outcome::Throttled,
            Outcome::Throttled,
            o("RequestLimitExceeded.UinLimitExceeded"),
            o("RequestLimitExceeded.GlobalRegionUinLimitExceeded"),
            o("RequestLimitExceeded.IPLimitExceeded"),
            o("RequestLimitExceeded.IPLimitExceeded"),
            o("RequestLimitExceeded.SomethingNew"),
            o("InternalError"),
            Outcome::Transport("timeout".into()),
        ];
        let c = RefusalCounts::of(&outcomes);
        assert_eq!(
            c,
            RefusalCounts {
                action: 2,
                main_account: 1,
                main_account_region: 1,
                source_ip: 2,
                other: 3,
            }
        );
        assert_eq!(c.rate_limited(), 6);
        assert_eq!(
            c.line(),
            "RequestLimitExceeded 2, .UinLimitExceeded 1, .GlobalRegionUinLimitExceeded 1, .IPLimitExceeded 2, other 3"
        );
        let words = c.by_other_layers();
        assert_eq!(words.len(), 3, "{words:?}");
        assert!(
            words[2].starts_with("2 calls refused by the per-IP layer"),
            "{words:?}"
        );
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json["RequestLimitExceeded.IPLimitExceeded"], 2);
    }
}
