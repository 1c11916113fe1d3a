//! A clock that moves only when told to.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::sleep::{SleepFuture, Sleeper};
use crate::{unix_millis, Clock, SystemClock};

/// A clock that stands still until a test moves it, in whole milliseconds.
///
/// Clones share one instant: the test keeps one handle and gives clones to everything that
/// reads the time (the client's `clock` and `sleeper`, the mock's `clock`), then calls
/// [`ManualClock::advance`] to let minutes pass in no time.
///
/// As a [`Sleeper`] it does not wait: `sleep(d)` advances the clock by `d` and returns at
/// once, and [`ManualClock::sleeps`] lists every `d` asked for, so a test asserts a back-off
/// exactly. Durations with a fraction of a millisecond move the clock by the next whole
/// millisecond, as tokio's timer rounds a sleep up to its millisecond tick: the clock never
/// ends up short of a wait.
///
/// ```
/// use std::time::Duration;
/// use tco_clock::{Clock, ManualClock};
///
/// let clock = ManualClock::at_secs(1_700_000_000);
/// clock.advance(Duration::from_secs(300));
/// assert_eq!(clock.now_secs(), 1_700_000_300);
/// clock.set_millis(1_700_000_000_999);
/// assert_eq!(clock.now_secs(), 1_700_000_000); // went back: a test may do that
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    /// Milliseconds since the Unix epoch.
    millis: AtomicI64,
    /// Every sleep asked for, in order.
    sleeps: Mutex<Vec<Duration>>,
}

impl ManualClock {
    /// A clock standing at `millis` milliseconds since the Unix epoch.
    pub fn at_millis(millis: i64) -> Self {
        ManualClock {
            shared: Arc::new(Shared {
                millis: AtomicI64::new(millis),
                sleeps: Mutex::new(Vec::new()),
            }),
        }
    }

    /// A clock standing at the start of Unix second `secs`.
    pub fn at_secs(secs: i64) -> Self {
        Self::at_millis(secs.saturating_mul(1000))
    }

    /// A clock standing at `at` (to the millisecond, floored).
    pub fn at(at: SystemTime) -> Self {
        Self::at_millis(unix_millis(at))
    }

    /// A clock standing at the wall clock's present: for a mock that signers on the system
    /// clock must still reach (their timestamps are within the 300 s window).
    pub fn starting_now() -> Self {
        Self::at_millis(SystemClock.now_millis())
    }

    /// Moves the clock forward by `by` (a fraction of a millisecond counts as a whole one).
    pub fn advance(&self, by: Duration) {
        self.shared
            .millis
            .fetch_add(whole_millis(by), Ordering::SeqCst);
    }

    /// Puts the clock at `to`, forward or back.
    pub fn set(&self, to: SystemTime) {
        self.set_millis(unix_millis(to));
    }

    /// Puts the clock at `millis` milliseconds since the Unix epoch, forward or back.
    pub fn set_millis(&self, millis: i64) {
        self.shared.millis.store(millis, Ordering::SeqCst);
    }

    /// Every duration passed to [`Sleeper::sleep`] on this clock or a clone, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.recorded().clone()
    }

    fn recorded(&self) -> MutexGuard<'_, Vec<Duration>> {
        // The list stays valid whatever a panicking holder was doing: it only ever grows.
        self.shared
            .sleeps
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// `d` in milliseconds, rounded up, saturating.
fn whole_millis(d: Duration) -> i64 {
    i64::try_from(d.as_nanos().div_ceil(1_000_000)).unwrap_or(i64::MAX)
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        let millis = self.now_millis();
        let magnitude = Duration::from_millis(millis.unsigned_abs());
        if millis >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }

    fn now_millis(&self) -> i64 {
        self.shared.millis.load(Ordering::SeqCst)
    }
}

impl Sleeper for ManualClock {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        self.recorded().push(duration);
        self.advance(duration);
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000;

    #[test]
    fn clones_share_one_instant() {
        let clock = ManualClock::at_secs(T0);
        let elsewhere = clock.clone();
        clock.advance(Duration::from_millis(1_500));
        assert_eq!(elsewhere.now_millis(), T0 * 1000 + 1_500);
        assert_eq!(elsewhere.now_secs(), T0 + 1);
        elsewhere.set_millis(0);
        assert_eq!(clock.now(), UNIX_EPOCH);
    }

    #[test]
    fn the_readings_agree_in_every_form() {
        let clock = ManualClock::at_millis(T0 * 1000 + 999);
        assert_eq!(
            clock.now(),
            UNIX_EPOCH + Duration::from_millis(T0 as u64 * 1000 + 999)
        );
        assert_eq!(clock.now_secs(), T0);
        let before = ManualClock::at_millis(-1_500);
        assert_eq!(before.now(), UNIX_EPOCH - Duration::from_millis(1_500));
        assert_eq!(before.now_secs(), -2);
        assert_eq!(ManualClock::at(before.now()).now_millis(), -1_500);
    }

    #[test]
    fn a_fraction_of_a_millisecond_moves_a_whole_one() {
        let clock = ManualClock::at_millis(0);
        clock.advance(Duration::from_micros(1));
        assert_eq!(clock.now_millis(), 1);
        clock.advance(Duration::from_micros(2_000));
        assert_eq!(clock.now_millis(), 3);
        clock.advance(Duration::ZERO);
        assert_eq!(clock.now_millis(), 3);
    }

    #[test]
    fn set_goes_back_as_well_as_forward() {
        let clock = ManualClock::at_secs(T0);
        clock.set(UNIX_EPOCH + Duration::from_secs(T0 as u64 - 60));
        assert_eq!(clock.now_secs(), T0 - 60);
    }

    #[test]
    fn starting_now_is_the_wall_clock() {
        let wall = SystemClock.now_millis();
        let clock = ManualClock::starting_now();
        // Taken a moment apart; a loaded machine may put seconds between them.
        assert!((0..60_000).contains(&(clock.now_millis() - wall)));
    }

    #[tokio::test]
    async fn a_sleep_moves_the_clock_records_the_wait_and_returns_at_once() {
        let clock = ManualClock::at_secs(T0);
        let sleeper: std::sync::Arc<dyn Sleeper> = std::sync::Arc::new(clock.clone());
        sleeper.sleep(Duration::from_secs(1)).await;
        sleeper.sleep(Duration::from_micros(1_500_500)).await;
        // Recorded exactly; the clock moved by whole milliseconds, rounded up.
        assert_eq!(
            clock.sleeps(),
            [Duration::from_secs(1), Duration::from_micros(1_500_500)]
        );
        assert_eq!(clock.now_millis(), T0 * 1000 + 1_000 + 1_501);
    }
}
