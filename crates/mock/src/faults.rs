//! Injected failures, per action: an error code, added latency, or a dropped connection, each
//! with a probability, so a client's retry and timeout paths can be tested on purpose.
//!
//! Faults are rolled after a request has passed authentication, the rate limit and
//! validation, and before it reaches the state: a faulted call changes nothing, as a
//! service-side failure before the operation would not.

use std::sync::{Mutex, MutexGuard, RwLock};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The `action` of a rule that applies to every action.
pub const ANY_ACTION: &str = "*";

/// One fault rule. Build with [`FaultRule::new`] and the setters.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// An action name (both versions), or `*` for all.
    pub action: String,
    /// How often the rule fires, 0.0 to 1.0.
    pub probability: f64,
    /// Answer with this code instead of performing the call.
    pub error: Option<String>,
    /// Wait this long before answering.
    pub latency: Option<Duration>,
    /// Close the connection without answering.
    pub drop_connection: bool,
}

impl FaultRule {
    /// A rule for `action` that always fires and, until a setter says what, does nothing.
    pub fn new(action: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            probability: 1.0,
            error: None,
            latency: None,
            drop_connection: false,
        }
    }

    pub fn probability(mut self, p: f64) -> Self {
        self.probability = p;
        self
    }

    pub fn error(mut self, code: impl Into<String>) -> Self {
        self.error = Some(code.into());
        self
    }

    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = Some(latency);
        self
    }

    pub fn drop_connection(mut self) -> Self {
        self.drop_connection = true;
        self
    }

    fn applies_to(&self, action: &str) -> bool {
        self.action == ANY_ACTION || self.action == action
    }
}

/// What the rolled rules decided for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Injected {
    /// Total added latency of the rules that fired.
    pub latency: Duration,
    /// The first error code of the rules that fired.
    pub error: Option<String>,
    pub drop_connection: bool,
}

/// The fault rules and the random source that rolls them.
#[derive(Debug)]
pub struct Faults {
    rules: RwLock<Vec<FaultRule>>,
    rng: Mutex<StdRng>,
}

impl Faults {
    /// `seed` makes the rolls repeatable (for deterministic tests); `None` seeds from the OS.
    pub fn new(rules: Vec<FaultRule>, seed: Option<u64>) -> Self {
        let rng = match seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        Self {
            rules: RwLock::new(rules),
            rng: Mutex::new(rng),
        }
    }

    fn rng(&self) -> MutexGuard<'_, StdRng> {
        self.rng.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn rules(&self) -> Vec<FaultRule> {
        self.rules.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_rules(&self, rules: Vec<FaultRule>) {
        *self.rules.write().unwrap_or_else(|e| e.into_inner()) = rules;
    }

    /// Rolls every rule that applies to `action`, each independently.
    pub fn roll(&self, action: &str) -> Injected {
        let rules = self.rules.read().unwrap_or_else(|e| e.into_inner());
        let mut injected = Injected::default();
        for rule in rules.iter().filter(|r| r.applies_to(action)) {
            if !self.fires(rule.probability) {
                continue;
            }
            injected.latency += rule.latency.unwrap_or_default();
            if injected.error.is_none() {
                injected.error.clone_from(&rule.error);
            }
            injected.drop_connection |= rule.drop_connection;
        }
        injected
    }

    /// Certain outcomes skip the generator so that they do not shift a seeded sequence.
    fn fires(&self, probability: f64) -> bool {
        if probability >= 1.0 {
            true
        } else if probability <= 0.0 || probability.is_nan() {
            false
        } else {
            self.rng().random::<f64>() < probability
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_apply_to_their_action_or_to_all() {
        let faults = Faults::new(
            vec![
                FaultRule::new("CreateOrganization").error("InternalError"),
                FaultRule::new(ANY_ACTION).latency(Duration::from_millis(5)),
            ],
            Some(1),
        );
        let create = faults.roll("CreateOrganization");
        assert_eq!(create.error.as_deref(), Some("InternalError"));
        assert_eq!(create.latency, Duration::from_millis(5));
        let other = faults.roll("DescribeOrganization");
        assert_eq!(other.error, None);
        assert_eq!(other.latency, Duration::from_millis(5));
    }

    #[test]
    fn seeded_rolls_repeat_and_follow_the_probability() {
        let rule = FaultRule::new("A").probability(0.3).drop_connection();
        let run = |seed| {
            let faults = Faults::new(vec![rule.clone()], Some(seed));
            (0..1000)
                .map(|_| faults.roll("A").drop_connection)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        let fired = run(7).iter().filter(|d| **d).count();
        assert!((240..360).contains(&fired), "{fired}");
    }

    #[test]
    fn probability_zero_never_fires() {
        let faults = Faults::new(
            vec![FaultRule::new("A").probability(0.0).error("InternalError")],
            None,
        );
        assert!((0..100).all(|_| faults.roll("A").error.is_none()));
    }
}
