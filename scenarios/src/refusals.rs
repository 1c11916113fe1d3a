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

    /// The counts of a map of error codes (codes of no layer count as other).
    pub fn of_counts(codes: &std::collections::BTreeMap<String, usize>) -> Self {
        let mut counts = RefusalCounts::default();
        for (code, n) in codes {
            match Refuser::of_code(code) {
                Some(r) => *counts.slot(r) += n,
                None => counts.other += n,
            }
        }
        counts
    }

    /// A verdict's words for refusals by other layers than the one under test (the per-action
    /// one unless `under_test` says otherwise), one line per layer that refused something.
    pub fn by_other_layers(&self, under_test: Option<Refuser>) -> Vec<String> {
        let under_test = under_test.unwrap_or(Refuser::Action);
        Refuser::ALL
            .into_iter()
            .filter(|&r| r != under_test && self.get(r) > 0)
            .map(|r| {
                format!(
                    "{} calls refused by {} ({}), not by {} under test",
                    self.get(r),
                    r.layer(),
                    r.code(),
                    under_test.layer()
                )
            })
            .collect()
    }
}

/// A call's outcome as a verdict on `layer` judges it: that layer's refusals are the
/// throttling, and a per-action refusal is then another layer's (`RequestLimitExceeded`).
pub fn as_throttled(outcome: &Outcome, layer: Option<Refuser>) -> Outcome {
    let Some(layer) = layer.filter(|&l| l != Refuser::Action) else {
        return outcome.clone();
    };
    match Refuser::of(outcome) {
        Some(r) if r == layer => Outcome::Throttled,
        Some(Refuser::Action) => Outcome::OtherError(THROTTLE_CODE.to_string()),
        _ => outcome.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Call, Key};
    use crate::verdict::{Expectation, ScenarioKind, Verdict};

    /// 10 calls 50 ms apart in one second: 5 accepted, then 5 refused by the IP layer.
    fn ip_refused_calls(key: &Key) -> Vec<Call> {
        let ip = Outcome::OtherError("RequestLimitExceeded.IPLimitExceeded".into());
        (0..10)
            .map(|k| {
                let o = if k < 5 { Outcome::Accepted } else { ip.clone() };
                Call::synthetic(key, 1_700_000_000_000 + k * 50, o)
            })
            .collect()
    }

    #[test]
    fn a_per_action_verdict_names_the_layer_that_refused_instead() {
        let key = Key::new("DescribeOrganization", "2021-03-31", "AKIDlayers");
        let calls = ip_refused_calls(&key);
        let e = Expectation::steady("rate-limit 20/s", ScenarioKind::UnderLimit, 20, 20.0, 500);
        let v = Verdict::compute(&key, &calls, &e);
        assert!(!v.pass);
        assert_eq!(v.by_code.source_ip, 5);
        assert_eq!(v.throttled, 0);
        assert_eq!(
            v.violations,
            ["5 calls refused by the per-IP layer (RequestLimitExceeded.IPLimitExceeded), not by the per-action layer under test"]
        );
    }

    #[test]
    fn a_layer_verdict_judges_that_layers_refusals_as_its_throttling() {
        let key = Key::new("DescribeOrganization", "2021-03-31", "AKIDlayers");
        let calls = ip_refused_calls(&key);
        // The IP layer at 5 per second: the first 5 pass, the rest are its refusals.
        let e = Expectation::steady("source-ip", ScenarioKind::OverLimit, 5, 20.0, 500)
            .for_layer(Refuser::SourceIp);
        let v = Verdict::compute(&key, &calls, &e);
        assert_eq!((v.accepted, v.throttled), (5, 5));
        assert!(v.violations.is_empty(), "{:?}", v.violations);
        // The same layer at 7: a refusal in a window that had only 5 breaks its rule (send
        // times, so one call of slack for jitter).
        let e = Expectation::steady("source-ip", ScenarioKind::OverLimit, 7, 20.0, 500)
            .for_layer(Refuser::SourceIp);
        let v = Verdict::compute(&key, &calls, &e);
        assert!(!v.pass);
        assert!(
            v.violations[0].contains("5 throttled although only 5 of the 7"),
            "{:?}",
            v.violations
        );
    }

    #[test]
    fn under_a_layer_its_refusals_are_the_throttling_and_per_action_ones_are_not() {
        let ip = Outcome::OtherError("RequestLimitExceeded.IPLimitExceeded".into());
        let uin = Outcome::OtherError("RequestLimitExceeded.UinLimitExceeded".into());
        let layer = Some(Refuser::SourceIp);
        assert_eq!(as_throttled(&ip, layer), Outcome::Throttled);
        assert_eq!(as_throttled(&uin, layer), uin);
        assert_eq!(
            as_throttled(&Outcome::Throttled, layer),
            Outcome::OtherError("RequestLimitExceeded".into())
        );
        assert_eq!(as_throttled(&Outcome::Accepted, layer), Outcome::Accepted);
        // Without a layer (or the per-action one), nothing changes.
        for l in [None, Some(Refuser::Action)] {
            assert_eq!(as_throttled(&ip, l), ip);
            assert_eq!(as_throttled(&Outcome::Throttled, l), Outcome::Throttled);
        }
    }

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
        let words = c.by_other_layers(None);
        assert_eq!(words.len(), 3, "{words:?}");
        assert_eq!(
            words[2],
            "2 calls refused by the per-IP layer (RequestLimitExceeded.IPLimitExceeded), not by the per-action layer under test"
        );
        let words = c.by_other_layers(Some(Refuser::SourceIp));
        assert_eq!(words.len(), 3, "{words:?}");
        assert!(
            words[0].starts_with("2 calls refused by the per-action layer"),
            "{words:?}"
        );
        assert!(
            words[2].ends_with("not by the per-IP layer under test"),
            "{words:?}"
        );
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json["RequestLimitExceeded.IPLimitExceeded"], 2);
    }
}
