//! Time, injected: the verifier's skew window, the limiter's windows and the journal all read
//! the same clock, so tests can freeze or step it instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current time, in milliseconds since the Unix epoch.
pub trait Clock: Send + Sync {
    fn now_millis(&self) -> i64;

    /// Whole Unix seconds (floored, also before 1970), as the signature timestamp uses.
    fn now_secs(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }
}

/// The machine's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            // A wall clock set before 1970: report it as negative rather than failing.
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        }
    }
}

/// A clock that moves only when told to. Clones share the same instant, so a test keeps one
/// handle and gives another to the server.
#[derive(Debug, Clone)]
pub struct ManualClock {
    millis: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock frozen at `millis` since the epoch.
    pub fn at_millis(millis: i64) -> Self {
        Self {
            millis: Arc::new(AtomicI64::new(millis)),
        }
    }

    /// A clock frozen at Unix second `secs` (the start of that second).
    pub fn at_secs(secs: i64) -> Self {
        Self::at_millis(secs.saturating_mul(1000))
    }

    /// A clock frozen at the current wall-clock time.
    pub fn now() -> Self {
        Self::at_millis(SystemClock.now_millis())
    }

    pub fn set_millis(&self, millis: i64) {
        self.millis.store(millis, Ordering::SeqCst);
    }

    pub fn set(&self, secs: i64) {
        self.set_millis(secs.saturating_mul(1000));
    }

    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.millis.fetch_add(by, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> i64 {
        self.millis.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_clones_share_one_instant() {
        let clock = ManualClock::at_secs(1_700_000_000);
        let server_side = clock.clone();
        clock.advance(Duration::from_millis(1_500));
        assert_eq!(server_side.now_millis(), 1_700_000_001_500);
        assert_eq!(server_side.now_secs(), 1_700_000_001);
    }

    #[test]
    fn seconds_floor_before_the_epoch() {
        assert_eq!(ManualClock::at_millis(-1).now_secs(), -1);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.now_secs() > 1_577_836_800);
    }
}
