//! When to try a call again, and how long to wait first.

use std::time::Duration;

/// Exponential back-off with jitter, capped by attempts and by total time.
///
/// Only what [`crate::Error::is_retryable`] allows is retried: `RequestLimitExceeded`,
/// `RequestLimitExceeded.UinLimitExceeded`, `RequestLimitExceeded.GlobalRegionUinLimitExceeded`
/// and transport failures. Each retry is signed afresh, with a new timestamp.
///
/// The delay before retry `n` (1-based) is `min(max_delay, base_delay * 2^(n-1))`; with jitter
/// on, a random point in its upper half (so retries of many clients spread out but never
/// come sooner than half the back-off). A retry whose delay would take the call past
/// `max_elapsed` (measured from the first attempt) is not made: the last error is returned.
///
/// ```
/// use std::time::Duration;
/// use tco_client::RetryPolicy;
///
/// let policy = RetryPolicy::default().with_max_attempts(5).with_jitter(false);
/// assert_eq!(policy.delay(3), Duration::from_secs(4));
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// Three attempts (as the official Python SDK), 1 s then 2 s (with jitter), at most 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, never a retry: for load runs, where every throttle must be seen.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The total-time cap, from the start of the first attempt.
    pub fn with_max_elapsed(mut self, cap: Duration) -> Self {
        self.max_elapsed = cap;
        self
    }

    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// The back-off before retry `retry` (1 for the first retry), before jitter.
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The delay actually waited: [`RetryPolicy::delay`], jittered into its upper half.
    pub(crate) fn jittered_delay(&self, retry: u32) -> Duration {
        let full = self.delay(retry);
        if !self.jitter || full.is_zero() {
            return full;
        }
        let half = full / 2;
        let spread = (full - half).as_nanos() as u64;
        half + Duration::from_nanos(rand::random_range(0..=spread))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_and_capped() {
        let p = RetryPolicy::default()
            .with_jitter(false)
            .with_max_delay(Duration::from_secs(5));
        let delays: Vec<_> = (1..=5).map(|n| p.delay(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 5, 5]);
        assert_eq!(p.delay(200), Duration::from_secs(5));
    }

    #[test]
    fn jitter_stays_in_the_upper_half() {
        let p = RetryPolicy::default();
        for _ in 0..200 {
            let d = p.jittered_delay(3);
            assert!(
                d >= Duration::from_secs(2) && d <= Duration::from_secs(4),
                "{d:?}"
            );
        }
    }
}
