//! One clock for the whole workspace: the client's signing timestamps and retry waits, the
//! mock's signature expiry, rate windows, task timers and the times in its answers, and the
//! contract suite's requests all read a [`Clock`], so a test can hand every one of them the
//! same [`ManualClock`] and move time itself.
//!
//! - [`Clock`]: where the time is read, in the three forms its users want ([`SystemTime`],
//!   Unix milliseconds, Unix seconds), always consistent with one another.
//! - [`SystemClock`]: the machine's wall clock, the default everywhere.
//! - [`ManualClock`]: a clock that moves only when told to, in whole milliseconds. Clones
//!   share one instant: keep one handle in the test, give clones to the client and the mock.
//! - [`Sleeper`]: how a retry waits. [`TokioSleeper`] waits for real; a [`ManualClock`]
//!   advances itself instead and records the wait, so a back-off is asserted, not slept.
//!
//! A ten-minute wait, in no time at all:
//!
//! ```
//! use std::time::Duration;
//! use tco_clock::{Clock, ManualClock, Sleeper};
//!
//! let clock = ManualClock::at_secs(1_700_000_000);
//! let the_server = clock.clone(); // what the mock would hold
//!
//! clock.advance(Duration::from_millis(1_500));
//! assert_eq!(the_server.now_millis(), 1_700_000_001_500);
//! assert_eq!(the_server.now_secs(), 1_700_000_001); // floored, as a signature carries it
//!
//! // A retry's back-off on a manual clock: returns at once, the clock moved, the wait kept.
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! clock.sleep(Duration::from_secs(600)).await;
//! # });
//! assert_eq!(the_server.now_secs(), 1_700_000_601);
//! assert_eq!(clock.sleeps(), [Duration::from_secs(600)]);
//! ```
//!
//! There is no monotonic instant: every user reads wall time as the service does (signature
//! skew and rate windows are defined on Unix time), and a [`ManualClock`] only goes back when
//! a test says so with [`ManualClock::set`].

mod manual;
mod sleep;
mod system;

pub use manual::ManualClock;
pub use sleep::{SleepFuture, Sleeper, TokioSleeper};
pub use system::SystemClock;

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time.
///
/// Implement [`Clock::now`]; the other two readings derive from it (a clock that keeps
/// milliseconds, as [`ManualClock`] does, may answer [`Clock::now_millis`] directly, as long as
/// it agrees). Share one as `Arc<dyn Clock>`: an `Arc` of a clock is a clock.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;

    /// Milliseconds since the Unix epoch, floored (negative before 1970).
    fn now_millis(&self) -> i64 {
        unix_millis(self.now())
    }

    /// Whole seconds since the Unix epoch, floored (also before 1970): what a signature's
    /// timestamp carries and what the service's skew window is measured in.
    fn now_secs(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> SystemTime {
        (**self).now()
    }

    fn now_millis(&self) -> i64 {
        (**self).now_millis()
    }

    fn now_secs(&self) -> i64 {
        (**self).now_secs()
    }
}

/// `at` in milliseconds since the epoch, floored; saturating far outside ±292 million years.
fn unix_millis(at: SystemTime) -> i64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        // Before 1970: floor, so half a millisecond before the epoch is -1, not 0.
        Err(before) => {
            let millis = before.duration().as_nanos().div_ceil(1_000_000);
            i64::try_from(millis).map_or(i64::MIN, |m| -m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn readings_floor_on_both_sides_of_the_epoch() {
        let half_ms = Duration::from_micros(500);
        assert_eq!(unix_millis(UNIX_EPOCH + half_ms), 0);
        assert_eq!(unix_millis(UNIX_EPOCH - half_ms), -1);
        assert_eq!(unix_millis(UNIX_EPOCH - Duration::from_millis(1)), -1);
        assert_eq!(ManualClock::at_millis(-1).now_secs(), -1);
        assert_eq!(ManualClock::at_millis(-1000).now_secs(), -1);
        assert_eq!(ManualClock::at_millis(-1001).now_secs(), -2);
    }

    #[test]
    fn an_arc_reads_what_it_holds() {
        let clock = ManualClock::at_secs(1_700_000_000);
        let shared: Arc<dyn Clock> = Arc::new(clock.clone());
        clock.advance(Duration::from_millis(250));
        assert_eq!(shared.now_millis(), 1_700_000_000_250);
        assert_eq!(Arc::new(shared).now_secs(), 1_700_000_000);
    }
}
