//! The provider's client-side limiter: each action held to 15 requests per second
//! (`../shared/reference/consumers.md`). The provider's limiter is a token bucket (an allowance
//! that refills at the rate, capped at one second's worth, starting full), so a quiet client
//! may send 15 at once and then one every 1/15 s. `governor`'s GCRA with
//! `Quota::per_second(15)` behaves the same: a burst of 15, then 15 per second. A caller that
//! finds no token waits until the next one, as the provider's callers do.
//!
//! The clock is tokio's, so a test with paused time drives it exactly.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

/// Requests per second per action the provider allows itself.
pub const PROVIDER_PER_SECOND: u32 = 15;

/// Tokio's monotonic clock, as elapsed time since the limiter was made.
#[derive(Debug, Clone)]
pub struct TokioClock {
    start: tokio::time::Instant,
}

impl TokioClock {
    pub fn new() -> Self {
        TokioClock {
            start: tokio::time::Instant::now(),
        }
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.start.elapsed()
    }
}

/// One token bucket per action.
pub struct ClientLimiter {
    per_second: u32,
    clock: TokioClock,
    inner: RateLimiter<String, HashMapStateStore<String>, TokioClock, NoOpMiddleware<Duration>>,
}

impl std::fmt::Debug for ClientLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientLimiter")
            .field("per_second", &self.per_second)
            .finish()
    }
}

impl ClientLimiter {
    /// `per_second` requests per second per action, a burst of as many (at least 1).
    pub fn per_action(per_second: u32) -> Self {
        let n = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        let clock = TokioClock::new();
        let inner = RateLimiter::new(
            Quota::per_second(n),
            HashMapStateStore::default(),
            clock.clone(),
        );
        ClientLimiter {
            per_second: n.get(),
            clock,
            inner,
        }
    }

    /// The provider's: 15 per second per action.
    pub fn provider() -> Self {
        Self::per_action(PROVIDER_PER_SECOND)
    }

    pub fn per_second(&self) -> u32 {
        self.per_second
    }

    /// Waits for a token of `action`.
    pub async fn acquire(&self, action: &str) {
        let key = action.to_string();
        loop {
            match self.inner.check_key(&key) {
                Ok(()) => return,
                Err(not_until) => {
                    // Never a zero sleep: with paused time it would not move the clock.
                    let wait = not_until.wait_time_from(self.clock.now());
                    tokio::time::sleep(wait.max(Duration::from_micros(100))).await;
                }
            }
        }
    }
}

/// The most times in any half-open span of `span` (`times` sorted).
pub fn max_in_span(times: &[Duration], span: Duration) -> usize {
    let mut best = 0;
    let mut j = 0;
    for i in 0..times.len() {
        j = j.max(i);
        while j < times.len() && times[j] < times[i] + span {
            j += 1;
        }
        best = best.max(j - i);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes `n` tokens of one action as fast as the limiter allows; when each came.
    async fn take(limiter: &ClientLimiter, n: usize) -> Vec<Duration> {
        let start = tokio::time::Instant::now();
        let mut at = Vec::new();
        for _ in 0..n {
            limiter.acquire("DescribeOrganizationMembers").await;
            at.push(start.elapsed());
        }
        at
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_15_then_15_per_second_never_more() {
        let limiter = ClientLimiter::provider();
        let at = take(&limiter, 315).await;
        // The first 15 at once (a full bucket), the 16th one interval (1/15 s) later.
        assert!(at[14] < Duration::from_millis(1), "{:?}", at[14]);
        let interval = Duration::from_secs(1) / 15;
        assert!(
            at[15] + Duration::from_millis(1) >= interval,
            "{:?}",
            at[15]
        );
        // Any span of L seconds holds at most 15 + 15 L: a burst, then the rate.
        for secs in [1u64, 2, 5, 10] {
            let most = max_in_span(&at, Duration::from_secs(secs));
            assert!(most as u64 <= 15 + 15 * secs, "{most} in {secs} s");
        }
        // 300 calls after the burst take 300/15 = 20 s (within a millisecond).
        let taken = at[314] - at[14];
        assert!(
            taken + Duration::from_millis(1) >= Duration::from_secs(20)
                && taken <= Duration::from_secs(20) + Duration::from_millis(1),
            "{taken:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn each_action_has_its_own_bucket() {
        let limiter = ClientLimiter::provider();
        for _ in 0..15 {
            limiter.acquire("DescribeOrganizationMembers").await;
        }
        let start = tokio::time::Instant::now();
        for _ in 0..15 {
            limiter.acquire("DescribeOrganizationNodes").await;
        }
        assert!(start.elapsed() < Duration::from_millis(1));
    }

    #[test]
    fn spans_count_half_open() {
        let ms = Duration::from_millis;
        let times = [ms(0), ms(500), ms(999), ms(1000), ms(1500)];
        assert_eq!(max_in_span(&times, ms(1000)), 3);
        assert_eq!(max_in_span(&[], ms(1000)), 0);
    }
}
