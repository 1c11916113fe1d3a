//! Request-rate limiting on the injected clock: the per-action limit keyed as the
//! documentation says (action, access region, caller's (sub-)account; see [`crate::limits`]),
//! and the optional layers on top (per source IP, per main account, per main account and
//! region).
//!
//! Tencent documents its limit as "each second, the first N requests pass", counted by arrival
//! time at the server: a fixed one-second window per key, [`Algorithm::FixedWindow`], the
//! default. The others exist so a load run can be checked against each and so tell them apart:
//! a fixed window lets up to 2N-1 through in a sliding second that straddles a boundary, a
//! sliding window never more than N, a token bucket a burst and then a steady N/s.
//!
//! # Layers: order and what a refused call consumes
//!
//! A call is checked against the layers that are on, outermost first: source IP
//! (`RequestLimitExceeded.IPLimitExceeded`), main account across its sub-accounts
//! (`RequestLimitExceeded.UinLimitExceeded`), main account and access region
//! (`RequestLimitExceeded.GlobalRegionUinLimitExceeded`), then the per-action limit
//! (`RequestLimitExceeded`). The first layer without room decides the code.
//!
//! A call is counted in every layer or in none: a refused call consumes no budget anywhere.
//! That extends the per-action rule ("the first N requests pass": refused requests are not
//! among the N) to the layers, and it is what a consumer expects: a sub-account whose calls
//! are refused for its own action budget does not eat into its siblings' shared main-account
//! budget, and a retry after a refusal is charged once, when it passes. It also makes the
//! counts independent of the order, which then only decides which code a call gets when
//! several layers are full at once.
//!
//! With a token bucket, each layer's burst is its own limit (the configured burst is the
//! per-action one).
//!
//! One mutex guards every key. Admission is a few integer operations, so the lock is held
//! for nanoseconds; in return "never more than N admitted" holds exactly, whatever the number
//! of racing connections, and a call is counted in all its layers at once.

mod algorithm;
mod counting;
mod keys;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use crate::limits::{KeyMode, Layer, LimitModel};
use tco_clock::Clock;

pub use algorithm::{Algorithm, UnknownAlgorithm};
use counting::{layer_algorithm, KeyState};
use keys::Counter;
pub use keys::{CallIdentity, LimitKey};

/// The length of a window, in milliseconds.
const WINDOW_MS: i64 = 1000;

/// Limits that replace the documented ones: per action name (both versions) first, then the
/// blanket default, then what the contract documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LimitOverrides {
    pub default: Option<u32>,
    pub actions: BTreeMap<String, u32>,
}

impl LimitOverrides {
    pub fn resolve(&self, action: &str, documented: u32) -> u32 {
        self.actions
            .get(action)
            .copied()
            .or(self.default)
            .unwrap_or(documented)
    }
}

/// The limiter's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Admitted,
    /// Refused by `layer`, whose per-second limit is `limit`.
    Limited {
        limit: u32,
        layer: Layer,
    },
}

#[derive(Debug)]
struct Inner {
    algorithm: Algorithm,
    overrides: LimitOverrides,
    model: LimitModel,
    /// Hashed with foldhash rather than SipHash: SipHash's two look-ups per request cost about
    /// 1,200 instructions (callgrind; BENCHMARKS.md, issue 15). The seed is still random per map.
    keys: HashMap<Counter, KeyState, foldhash::fast::RandomState>,
    /// The window of the last sweep of dead keys; sweeping at most once a clock second keeps
    /// memory bounded by the keys active in the last second, at O(keys) per second.
    swept_window: i64,
    /// The latest arrival time seen: admission times never go backwards, so a request that
    /// arrived just before a boundary but reached the lock after a later one counts in the
    /// later window instead of reopening a window already closed.
    latest: i64,
}

/// A keyed rate limiter on an injected clock.
pub struct Limiter {
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.lock();
        f.debug_struct("Limiter")
            .field("algorithm", &inner.algorithm)
            .field("overrides", &inner.overrides)
            .field("model", &inner.model)
            .field("keys", &inner.keys.len())
            .finish()
    }
}

impl Limiter {
    pub fn new(clock: Arc<dyn Clock>, algorithm: Algorithm, overrides: LimitOverrides) -> Self {
        Self {
            clock,
            inner: Mutex::new(Inner {
                algorithm,
                overrides,
                model: LimitModel::default(),
                keys: HashMap::default(),
                swept_window: i64::MIN,
                latest: i64::MIN,
            }),
        }
    }

    /// A poisoned lock only means another request panicked mid-admission; the counters are
    /// plain integers that are never left half-updated, so carry on with them.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Admits or refuses one request for `key`, whose documented limit is `documented`.
    /// Only admitted requests count against the limit. This is the per-action counter alone;
    /// [`Limiter::check_call`] checks the layers too.
    pub fn check(&self, key: &LimitKey, documented: u32) -> Decision {
        self.check_at(key, documented, self.clock.now_millis())
    }

    /// As [`Limiter::check`], for a request that arrived at `arrived_millis` on the clock:
    /// Tencent counts by arrival time, and the gate reads the body and verifies the signature
    /// before it reaches the limiter.
    pub fn check_at(&self, key: &LimitKey, documented: u32, arrived_millis: i64) -> Decision {
        self.check_counted(key, documented, arrived_millis).0
    }

    /// As [`Limiter::check_at`], also returning the time the request was counted at: its
    /// arrival, or later when a request that arrived after it was counted first (the
    /// limiter's time never goes back). The journal records this time, so that windows
    /// counted from the journal are exactly the limiter's.
    pub fn check_counted(
        &self,
        key: &LimitKey,
        documented: u32,
        arrived_millis: i64,
    ) -> (Decision, i64) {
        let mut inner = self.lock();
        let now = inner.advance(arrived_millis);
        let limit = inner.overrides.resolve(&key.action, documented);
        let counters = vec![(Counter::Action(key.clone()), limit, Layer::Action)];
        (inner.admit_all(counters, now), now)
    }

    /// Admits or refuses one call against every layer that is on, as the module documentation
    /// says (order, and nothing consumed by a refused call); returns the decision and the time
    /// the call was counted at (as [`Limiter::check_counted`]).
    pub fn check_call(
        &self,
        call: &CallIdentity<'_>,
        documented: u32,
        arrived_millis: i64,
    ) -> (Decision, i64) {
        let mut inner = self.lock();
        let now = inner.advance(arrived_millis);
        let counters = inner.counters(call, documented);
        (inner.admit_all(counters, now), now)
    }

    /// The key per-action budgets are counted on.
    pub fn key_mode(&self) -> KeyMode {
        self.lock().model.key
    }

    pub fn model(&self) -> LimitModel {
        self.lock().model
    }

    /// Replaces the key and the layers; counters start afresh.
    pub fn set_model(&self, model: LimitModel) {
        let mut inner = self.lock();
        inner.model = model;
        inner.keys.clear();
    }

    /// As [`Limiter::set_model`], for building.
    pub fn with_model(self, model: LimitModel) -> Self {
        self.set_model(model);
        self
    }

    /// The per-second limit that applies to `action` given its documented one.
    pub fn limit_for(&self, action: &str, documented: u32) -> u32 {
        self.lock().overrides.resolve(action, documented)
    }

    pub fn algorithm(&self) -> Algorithm {
        self.lock().algorithm
    }

    pub fn overrides(&self) -> LimitOverrides {
        self.lock().overrides.clone()
    }

    /// Changes the algorithm; counters start afresh because each algorithm keeps other state.
    pub fn set_algorithm(&self, algorithm: Algorithm) {
        let mut inner = self.lock();
        inner.algorithm = algorithm;
        inner.keys.clear();
    }

    /// Replaces the blanket limit (`None`: back to the documented limits). Counters start
    /// afresh: a token bucket's state is only meaningful for the rate it was built with.
    pub fn set_default(&self, limit: Option<u32>) {
        let mut inner = self.lock();
        inner.overrides.default = limit;
        inner.keys.clear();
    }

    /// Sets (or with `None` removes) the limit of one action name, in every version.
    pub fn set_action(&self, action: &str, limit: Option<u32>) {
        let mut inner = self.lock();
        match limit {
            Some(n) => inner.overrides.actions.insert(action.to_string(), n),
            None => inner.overrides.actions.remove(action),
        };
        inner.keys.clear();
    }

    pub fn set_overrides(&self, overrides: LimitOverrides) {
        let mut inner = self.lock();
        inner.overrides = overrides;
        inner.keys.clear();
    }

    /// Forgets every counter; limits and algorithm stay.
    pub fn reset(&self) {
        let mut inner = self.lock();
        inner.keys.clear();
        inner.latest = i64::MIN;
    }

    /// How many keys hold state (to check that memory stays bounded).
    pub fn tracked_keys(&self) -> usize {
        self.lock().keys.len()
    }
}

impl Inner {
    /// Moves the limiter's time to `arrived_millis` unless it is already later.
    fn advance(&mut self, arrived_millis: i64) -> i64 {
        self.latest = self.latest.max(arrived_millis);
        self.latest
    }

    /// The counters `call` is checked against, in [`Layer::ORDER`], with their limits.
    fn counters(&self, call: &CallIdentity<'_>, documented: u32) -> Vec<(Counter, u32, Layer)> {
        let layers = self.model.layers;
        let mut counters = Vec::with_capacity(4);
        for layer in Layer::ORDER {
            // An optional layer that is off costs nothing (not even its key's allocation).
            if layer != Layer::Action && layers.limit(layer).is_none() {
                continue;
            }
            let counter = match layer {
                Layer::SourceIp => call.source_ip.map(Counter::SourceIp),
                Layer::MainAccount => Some(Counter::MainAccount(call.owner_uin)),
                Layer::MainAccountRegion => Some(Counter::MainAccountRegion(
                    call.owner_uin,
                    call.access_region.to_string(),
                )),
                Layer::Action => {
                    let key = LimitKey::for_call(self.model.key, call);
                    let limit = self.overrides.resolve(call.action, documented);
                    counters.push((Counter::Action(key), limit, layer));
                    continue;
                }
            };
            if let (Some(counter), Some(limit)) = (counter, layers.limit(layer)) {
                counters.push((counter, limit, layer));
            }
        }
        counters
    }

    /// Checks every counter first and counts the call in all of them only when each has room.
    fn admit_all(&mut self, counters: Vec<(Counter, u32, Layer)>, now: i64) -> Decision {
        let algorithm = self.algorithm;
        if algorithm == Algorithm::Unlimited {
            return Decision::Admitted;
        }
        self.sweep(now);
        for (counter, limit, layer) in &counters {
            let algorithm = layer_algorithm(algorithm, *layer);
            let room = match self.keys.get(counter) {
                Some(state) => state.has_room(algorithm, now, *limit),
                None => KeyState::fresh(algorithm, now, *limit).has_room(algorithm, now, *limit),
            };
            if !room {
                return Decision::Limited {
                    limit: *limit,
                    layer: *layer,
                };
            }
        }
        for (counter, limit, layer) in counters {
            let algorithm = layer_algorithm(algorithm, layer);
            self.keys
                .entry(counter)
                .or_insert_with(|| KeyState::fresh(algorithm, now, limit))
                .record(algorithm, now);
        }
        Decision::Admitted
    }

    fn sweep(&mut self, now: i64) {
        let window = now.div_euclid(WINDOW_MS);
        if window == self.swept_window {
            return;
        }
        self.swept_window = window;
        self.keys.retain(|_, state| state.is_live(now));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use tco_clock::ManualClock;

    const T0: i64 = 1_700_000_000_000;

    fn limiter(algorithm: Algorithm) -> (ManualClock, Limiter) {
        let clock = ManualClock::at_millis(T0);
        let limiter = Limiter::new(
            Arc::new(clock.clone()),
            algorithm,
            LimitOverrides::default(),
        );
        (clock, limiter)
    }

    fn key(uin: u64, action: &str, region: &str) -> LimitKey {
        LimitKey::new(uin, "2021-03-31", action, region)
    }

    fn admitted(limiter: &Limiter, key: &LimitKey, n: u32, documented: u32) -> u32 {
        (0..n)
            .filter(|_| limiter.check(key, documented) == Decision::Admitted)
            .count() as u32
    }

    #[test]
    fn fixed_window_admits_n_then_refuses_until_the_next_second() {
        let (clock, limiter) = limiter(Algorithm::FixedWindow);
        let k = key(1, "DescribeOrganization", "");
        assert_eq!(admitted(&limiter, &k, 20, 20), 20);
        assert_eq!(
            limiter.check(&k, 20),
            Decision::Limited {
                limit: 20,
                layer: Layer::Action
            }
        );
        clock.advance(Duration::from_millis(999));
        assert_eq!(
            limiter.check(&k, 20),
            Decision::Limited {
                limit: 20,
                layer: Layer::Action
            }
        );
        clock.advance(Duration::from_millis(1));
        assert_eq!(admitted(&limiter, &k, 25, 20), 20);
    }

    #[test]
    fn a_late_arrival_is_counted_at_the_limiter_time_and_says_so() {
        let (_clock, limiter) = limiter(Algorithm::FixedWindow);
        let k = key(1, "A", "");
        // A request that arrived at T0 + 1000 is counted first; one that arrived at T0 + 998
        // reaches the limiter after it, and is counted in the window of T0 + 1000 too.
        assert_eq!(
            limiter.check_counted(&k, 1, T0 + 1000),
            (Decision::Admitted, T0 + 1000)
        );
        assert_eq!(
            limiter.check_counted(&k, 1, T0 + 998),
            (
                Decision::Limited {
                    limit: 1,
                    layer: Layer::Action
                },
                T0 + 1000
            )
        );
        assert_eq!(
            limiter.check_counted(&k, 1, T0 + 2001),
            (Decision::Admitted, T0 + 2001)
        );
    }

    #[test]
    fn fixed_window_is_aligned_to_calendar_seconds() {
        let (clock, limiter) = limiter(Algorithm::FixedWindow);
        let k = key(1, "A", "");
        clock.set_millis(T0 + 999);
        assert_eq!(admitted(&limiter, &k, 5, 5), 5);
        clock.set_millis(T0 + 1000);
        // Ten in 2 ms: the documented behaviour allows up to 2N-1 in a sliding second.
        assert_eq!(admitted(&limiter, &k, 5, 5), 5);
    }

    #[test]
    fn keys_are_independent_per_account_action_region_and_version() {
        let (_clock, limiter) = limiter(Algorithm::FixedWindow);
        let base = key(1, "A", "ap-guangzhou");
        assert_eq!(admitted(&limiter, &base, 3, 2), 2);
        for other in [
            key(2, "A", "ap-guangzhou"),
            key(1, "B", "ap-guangzhou"),
            key(1, "A", "ap-shanghai"),
            LimitKey::new(1, "2018-12-25", "A", "ap-guangzhou"),
        ] {
            assert_eq!(admitted(&limiter, &other, 3, 2), 2, "{other:?}");
        }
    }

    #[test]
    fn overrides_take_precedence_action_then_default_then_documented() {
        let (_clock, limiter) = limiter(Algorithm::FixedWindow);
        assert_eq!(limiter.limit_for("A", 20), 20);
        limiter.set_default(Some(5));
        assert_eq!(limiter.limit_for("A", 20), 5);
        limiter.set_action("A", Some(7));
        assert_eq!(limiter.limit_for("A", 20), 7);
        assert_eq!(limiter.limit_for("B", 40), 5);
        assert_eq!(admitted(&limiter, &key(1, "A", ""), 10, 20), 7);
        limiter.set_action("A", None);
        limiter.set_default(None);
        assert_eq!(limiter.limit_for("A", 40), 40);
    }

    #[test]
    fn zero_refuses_everything() {
        for algorithm in [
            Algorithm::FixedWindow,
            Algorithm::SlidingWindow,
            Algorithm::TokenBucket { burst: 3 },
        ] {
            let (_clock, limiter) = limiter(algorithm);
            assert_eq!(admitted(&limiter, &key(1, "A", ""), 5, 0), 0, "{algorithm}");
        }
    }

    #[test]
    fn sliding_window_never_admits_more_than_n_in_any_second() {
        let (clock, limiter) = limiter(Algorithm::SlidingWindow);
        let k = key(1, "A", "");
        let mut times = Vec::new();
        // Offer 3 requests every 37 ms for 5 s: far above the limit, with odd phases.
        for _ in 0..(5000 / 37) {
            for _ in 0..3 {
                if limiter.check(&k, 10) == Decision::Admitted {
                    times.push(clock.now_millis());
                }
            }
            clock.advance(Duration::from_millis(37));
        }
        for (i, start) in times.iter().enumerate() {
            let in_window = times[i..].iter().take_while(|t| **t < start + 1000).count();
            assert!(
                in_window <= 10,
                "{in_window} admitted in the second from {start}"
            );
        }
        // And it is not starved: about N per second got through.
        assert!(times.len() >= 45, "{}", times.len());
    }

    #[test]
    fn sliding_window_refuses_the_boundary_burst_a_fixed_window_admits() {
        let (clock, limiter) = limiter(Algorithm::SlidingWindow);
        let k = key(1, "A", "");
        clock.set_millis(T0 + 999);
        assert_eq!(admitted(&limiter, &k, 5, 5), 5);
        clock.set_millis(T0 + 1000);
        assert_eq!(admitted(&limiter, &k, 5, 5), 0);
        clock.set_millis(T0 + 1999);
        assert_eq!(admitted(&limiter, &k, 5, 5), 5);
    }

    #[test]
    fn token_bucket_admits_the_burst_then_n_per_second() {
        let (clock, limiter) = limiter(Algorithm::TokenBucket { burst: 5 });
        let k = key(1, "A", "");
        assert_eq!(admitted(&limiter, &k, 10, 20), 5);
        // 20/s: one token every 50 ms.
        clock.advance(Duration::from_millis(49));
        assert_eq!(admitted(&limiter, &k, 3, 20), 0);
        clock.advance(Duration::from_millis(1));
        assert_eq!(admitted(&limiter, &k, 3, 20), 1);
        // Over a further second of steady offers, N get through.
        let mut total = 0;
        for _ in 0..100 {
            clock.advance(Duration::from_millis(10));
            total += admitted(&limiter, &k, 2, 20);
        }
        assert_eq!(total, 20);
        // After a long pause the bucket is full again, but never above the burst.
        clock.advance(Duration::from_secs(60));
        assert_eq!(admitted(&limiter, &k, 10, 20), 5);
    }

    #[test]
    fn token_bucket_burst_defaults_to_the_limit() {
        let (_clock, limiter) = limiter(Algorithm::TokenBucket { burst: 0 });
        assert_eq!(admitted(&limiter, &key(1, "A", ""), 50, 20), 20);
    }

    #[test]
    fn unlimited_admits_everything_and_keeps_no_state() {
        let (_clock, limiter) = limiter(Algorithm::Unlimited);
        assert_eq!(admitted(&limiter, &key(1, "A", ""), 1000, 1), 1000);
        assert_eq!(limiter.tracked_keys(), 0);
    }

    #[test]
    fn stale_keys_are_evicted() {
        for algorithm in [
            Algorithm::FixedWindow,
            Algorithm::SlidingWindow,
            Algorithm::TokenBucket { burst: 2 },
        ] {
            let (clock, limiter) = limiter(algorithm);
            for uin in 0..1000 {
                limiter.check(&key(uin, "A", ""), 20);
            }
            assert_eq!(limiter.tracked_keys(), 1000);
            clock.advance(Duration::from_secs(2));
            limiter.check(&key(5000, "A", ""), 20);
            assert_eq!(limiter.tracked_keys(), 1, "{algorithm}");
        }
    }

    #[test]
    fn reset_forgets_counters() {
        let (_clock, limiter) = limiter(Algorithm::FixedWindow);
        let k = key(1, "A", "");
        assert_eq!(admitted(&limiter, &k, 3, 2), 2);
        limiter.reset();
        assert_eq!(admitted(&limiter, &k, 3, 2), 2);
    }

    #[test]
    fn exact_under_concurrency_at_a_frozen_instant() {
        let (_clock, limiter) = limiter(Algorithm::FixedWindow);
        let limiter = Arc::new(limiter);
        let k = key(1, "DescribeOrganization", "");
        let handles: Vec<_> = (0..64)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                let k = k.clone();
                std::thread::spawn(move || admitted(&limiter, &k, 200, 40))
            })
            .collect();
        let total: u32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(total, 40);
    }
}
