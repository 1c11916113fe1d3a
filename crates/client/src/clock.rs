//! Time, injected: the clock that stamps each signature and measures the retry budget, and
//! the sleeper that waits between attempts. Tests swap both for a [`ManualClock`], so retry
//! tests are exact and never sleep.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the client reads the time.
pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> SystemTime;

    /// Unix seconds, as sent in `X-TC-Timestamp` / `Timestamp`.
    fn unix_timestamp(&self) -> i64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }
}

/// A boxed future of nothing, what [`Sleeper::sleep`] returns.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// How the client waits between attempts.
pub trait Sleeper: Send + Sync + fmt::Debug {
    fn sleep(&self, duration: Duration) -> SleepFuture;
}

/// The system clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// `tokio::time::sleep` (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that moves only when told to, and a sleeper that moves it instead of waiting.
///
/// Give the same `ManualClock` to [`crate::ClientBuilder::clock`] and
/// [`crate::ClientBuilder::sleeper`]: every back-off then advances the clock by exactly the
/// delay and returns at once, so re-signed timestamps and the total-time cap are exact, and
/// [`ManualClock::sleeps`] lists the delays the client chose.
///
/// ```
/// use std::time::Duration;
/// use tco_client::{Clock, ManualClock, Sleeper};
///
/// # tokio_test_block_on(async {
/// let clock = ManualClock::at(1_700_000_000);
/// clock.sleep(Duration::from_secs(2)).await;
/// assert_eq!(clock.unix_timestamp(), 1_700_000_002);
/// assert_eq!(clock.sleeps(), vec![Duration::from_secs(2)]);
/// # });
/// # fn tokio_test_block_on(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    inner: Arc<Mutex<ManualState>>,
}

#[derive(Debug)]
struct ManualState {
    now: SystemTime,
    sleeps: Vec<Duration>,
}

impl ManualClock {
    /// A clock reading `unix_seconds`.
    pub fn at(unix_seconds: i64) -> Self {
        let now = UNIX_EPOCH + Duration::from_secs(unix_seconds.max(0) as u64);
        ManualClock {
            inner: Arc::new(Mutex::new(ManualState {
                now,
                sleeps: Vec::new(),
            })),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ManualState> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn advance(&self, by: Duration) {
        self.state().now += by;
    }

    /// Every delay passed to [`Sleeper::sleep`], in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.state().sleeps.clone()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        self.state().now
    }
}

impl Sleeper for ManualClock {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        {
            let mut state = self.state();
            state.now += duration;
            state.sleeps.push(duration);
        }
        Box::pin(std::future::ready(()))
    }
}
