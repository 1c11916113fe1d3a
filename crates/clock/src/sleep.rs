//! How a retry waits: for real, or by moving a manual clock.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A boxed future of nothing: what [`Sleeper::sleep`] returns.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// How a caller waits between attempts. [`TokioSleeper`] waits; a
/// [`ManualClock`](crate::ManualClock) moves itself by the wait and returns at once.
pub trait Sleeper: Send + Sync + fmt::Debug {
    fn sleep(&self, duration: Duration) -> SleepFuture;
}

impl<S: Sleeper + ?Sized> Sleeper for Arc<S> {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        (**self).sleep(duration)
    }
}

/// `tokio::time::sleep`: the default. It follows tokio's clock, so a test that pauses tokio's
/// time (`start_paused`) still waits no real time, but the [`Clock`](crate::Clock)s do not
/// see it: to move both, use a [`ManualClock`](crate::ManualClock) as clock and sleeper.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_tokio_sleeper_waits_on_tokio_time() {
        let start = tokio::time::Instant::now();
        TokioSleeper.sleep(Duration::from_secs(5)).await;
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    }
}
