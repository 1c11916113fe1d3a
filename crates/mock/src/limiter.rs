//! Request-rate limiting per (account, API version, action, region), on the injected clock.
//!
//! Tencent documents its limit as "each second, the first N requests pass", counted by arrival
//! time at the server: a fixed one-second window per key, [`Algorithm::FixedWindow`], the
//! default. The others exist so a load run can be checked against each and so tell them apart:
//! a fixed window lets up to 2N-1 through in a sliding second that straddles a boundary, a
//! sliding window never more than N, a token bucket a burst and then a steady N/s.
//!
//! One mutex guards every key. Admission is a few integer operations, so the lock is held
//! for nanoseconds; in return "never more than N admitted" holds exactly, whatever the number
//! of racing connections.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use crate::clock::Clock;

/// The length of a window, in milliseconds.
const WINDOW_MS: i64 = 1000;

/// How a per-second limit N is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// The first N requests of each calendar second (`floor(now_ms / 1000)`) pass: Tencent's.
    #[default]
    FixedWindow,
    /// At most N requests in any 1,000 ms.
    SlidingWindow,
    /// GCRA: a burst of up to `burst` at once, refilled at N per second.
    TokenBucket { burst: u32 },
    /// Everything passes (for throughput benchmarks).
    Unlimited,
}

impl Algorithm {
    /// The name used in the config file and the admin surface.
    pub fn name(&self) -> &'static str {
        match self {
            Algorithm::FixedWindow => "fixed-window",
            Algorithm::SlidingWindow => "sliding-window",
            Algorithm::TokenBucket { .. } => "token-bucket",
            Algorithm::Unlimited => "unlimited",
        }
    }

    /// The algorithm of that name; `burst` is used by the token bucket only and defaults to
    /// the limit itself, as `governor`'s `per_second(n)` does (0 here means "the limit").
    pub fn from_name(name: &str, burst: Option<u32>) -> Result<Self, UnknownAlgorithm> {
        match name {
            "fixed-window" => Ok(Algorithm::FixedWindow),
            "sliding-window" => Ok(Algorithm::SlidingWindow),
            "token-bucket" => Ok(Algorithm::TokenBucket {
                burst: burst.unwrap_or(0),
            }),
            "unlimited" => Ok(Algorithm::Unlimited),
            other => Err(UnknownAlgorithm(other.to_string())),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Algorithm::TokenBucket { burst } if *burst > 0 => {
                write!(f, "token-bucket (burst {burst})")
            }
            other => f.write_str(other.name()),
        }
    }
}

/// A name that is not one of the algorithms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rate-limit algorithm {0:?} (known: fixed-window, sliding-window, token-bucket, unlimited)")]
pub struct UnknownAlgorithm(pub String);

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(s, None)
    }
}

/// What is counted separately: Tencent counts per action, per access region and per account.
/// The version is part of the action's identity because the contract gives the same name
/// different limits in different versions (DescribeOrganization: 20/s and 40/s).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LimitKey {
    pub uin: u64,
    pub version: String,
    pub action: String,
    pub region: String,
}

impl LimitKey {
    pub fn new(uin: u64, version: &str, action: &str, region: &str) -> Self {
        Self {
            uin,
            version: version.to_string(),
            action: action.to_string(),
            region: region.to_string(),
        }
    }
}

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
    /// Refused; `limit` is the per-second limit that applied.
    Limited {
        limit: u32,
    },
}

/// What one key remembers; which variant depends on the algorithm.
#[derive(Debug)]
enum KeyState {
    /// Admitted so far in window `window` (= floor(ms / 1000)).
    Fixed { window: i64, admitted: u32 },
    /// Arrival times (ms) of the admitted requests of the last 1,000 ms, oldest first.
    Sliding(VecDeque<i64>),
    /// GCRA's theoretical arrival time, in units of 1/`per_second` ms so that the arithmetic
    /// is exact integers (one request costs 1,000 units).
    Bucket { tat: i128, per_second: u32 },
}

#[derive(Debug)]
struct Inner {
    algorithm: Algorithm,
    overrides: LimitOverrides,
    keys: HashMap<LimitKey, KeyState>,
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
                keys: HashMap::new(),
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
    /// Only admitted requests count against the limit.
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
        inner.latest = inner.latest.max(arrived_millis);
        let now = inner.latest;
        let limit = inner.overrides.resolve(&key.action, documented);
        let algorithm = inner.algorithm;
        if algorithm == Algorithm::Unlimited {
            return (Decision::Admitted, now);
        }
        inner.sweep(now);
        let admitted = match inner.keys.get_mut(key) {
            Some(state) => state.admit(algorithm, now, limit),
            None => {
                let mut state = KeyState::fresh(algorithm, now, limit);
                let admitted = state.admit(algorithm, now, limit);
                inner.keys.insert(key.clone(), state);
                admitted
            }
        };
        let decision = if admitted {
            Decision::Admitted
        } else {
            Decision::Limited { limit }
        };
        (decision, now)
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
    fn sweep(&mut self, now: i64) {
        let window = now.div_euclid(WINDOW_MS);
        if window == self.swept_window {
            return;
        }
        self.swept_window = window;
        self.keys.retain(|_, state| state.is_live(now));
    }
}

impl KeyState {
    fn fresh(algorithm: Algorithm, now: i64, limit: u32) -> Self {
        match algorithm {
            Algorithm::SlidingWindow => KeyState::Sliding(VecDeque::new()),
            Algorithm::TokenBucket { .. } => KeyState::Bucket {
                tat: scaled(now, limit),
                per_second: limit,
            },
            Algorithm::FixedWindow | Algorithm::Unlimited => KeyState::Fixed {
                window: now.div_euclid(WINDOW_MS),
                admitted: 0,
            },
        }
    }

    fn admit(&mut self, algorithm: Algorithm, now: i64, limit: u32) -> bool {
        match (self, algorithm) {
            (KeyState::Fixed { window, admitted }, _) => admit_fixed(window, admitted, now, limit),
            (KeyState::Sliding(times), _) => admit_sliding(times, now, limit),
            (KeyState::Bucket { tat, per_second }, Algorithm::TokenBucket { burst }) => {
                admit_bucket(tat, *per_second, burst, now)
            }
            // Bucket state under another algorithm cannot happen: switching clears the keys.
            (KeyState::Bucket { .. }, _) => true,
        }
    }

    /// Whether the state still affects a future decision; dead state is dropped.
    fn is_live(&self, now: i64) -> bool {
        match self {
            KeyState::Fixed { window, .. } => *window >= now.div_euclid(WINDOW_MS),
            KeyState::Sliding(times) => times.back().is_some_and(|t| *t > now - WINDOW_MS),
            KeyState::Bucket { tat, per_second } => *tat > scaled(now, *per_second),
        }
    }
}

/// "The first N of each second": the count restarts when a request arrives in a new window.
fn admit_fixed(window: &mut i64, admitted: &mut u32, now: i64, limit: u32) -> bool {
    let current = now.div_euclid(WINDOW_MS);
    if current != *window {
        *window = current;
        *admitted = 0;
    }
    if *admitted < limit {
        *admitted += 1;
        true
    } else {
        false
    }
}

/// Admits when fewer than N were admitted in the last 1,000 ms, i.e. in (now-1000, now].
fn admit_sliding(times: &mut VecDeque<i64>, now: i64, limit: u32) -> bool {
    while times.front().is_some_and(|t| *t <= now - WINDOW_MS) {
        times.pop_front();
    }
    if times.len() < limit as usize {
        times.push_back(now);
        true
    } else {
        false
    }
}

/// GCRA with emission interval 1/N s and tolerance for `burst` requests at once.
fn admit_bucket(tat: &mut i128, per_second: u32, burst: u32, now: i64) -> bool {
    if per_second == 0 {
        return false;
    }
    // One request costs WINDOW_MS units of 1/N ms, i.e. 1/N s.
    let cost = i128::from(WINDOW_MS);
    let burst = if burst == 0 { per_second } else { burst };
    let now = scaled(now, per_second);
    let next = (*tat).max(now) + cost;
    if next - now <= i128::from(burst) * cost {
        *tat = next;
        true
    } else {
        false
    }
}

fn scaled(ms: i64, per_second: u32) -> i128 {
    i128::from(ms) * i128::from(per_second)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::clock::ManualClock;

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
        assert_eq!(limiter.check(&k, 20), Decision::Limited { limit: 20 });
        clock.advance(Duration::from_millis(999));
        assert_eq!(limiter.check(&k, 20), Decision::Limited { limit: 20 });
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
            (Decision::Limited { limit: 1 }, T0 + 1000)
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

    #[test]
    fn algorithm_names_round_trip() {
        for a in [
            Algorithm::FixedWindow,
            Algorithm::SlidingWindow,
            Algorithm::TokenBucket { burst: 0 },
            Algorithm::Unlimited,
        ] {
            assert_eq!(a.name().parse::<Algorithm>().unwrap(), a);
        }
        assert!("leaky".parse::<Algorithm>().is_err());
    }
}
