//! Keeps the suite under each action's documented limit, so that probes are judged on what
//! they probe and not on throttling. Per (version, action): at most `cap` sends in any second
//! of the suite's own clock, a fraction of the limit to leave room for arrival jitter.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

// Tokio's clock, so that a test can pause it and the pace is exact rather than slept for.
use tokio::time::Instant;

const WINDOW: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub(crate) struct Pacer {
    windows: Mutex<HashMap<(String, String), VecDeque<Instant>>>,
}

impl Pacer {
    /// Waits until one more send fits, and counts it.
    pub async fn admit(&self, version: &str, action: &str, cap: usize) {
        let cap = cap.max(1);
        loop {
            let wait = {
                let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
                let window = windows
                    .entry((version.to_owned(), action.to_owned()))
                    .or_default();
                let now = Instant::now();
                while window
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= WINDOW)
                {
                    window.pop_front();
                }
                if window.len() < cap {
                    window.push_back(now);
                    None
                } else {
                    let oldest = *window.front().expect("non-empty");
                    Some(
                        WINDOW.saturating_sub(now.duration_since(oldest))
                            + Duration::from_millis(5),
                    )
                }
            };
            match wait {
                None => return,
                Some(d) => tokio::time::sleep(d).await,
            }
        }
    }

    /// Marks the action's budget as spent for the next second (after a burst or throttling).
    pub fn exhaust(&self, version: &str, action: &str, cap: usize) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = windows
            .entry((version.to_owned(), action.to_owned()))
            .or_default();
        let now = Instant::now();
        window.clear();
        window.extend(std::iter::repeat_n(now, cap.max(1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Paused time: the clock moves only when every task waits, so the waits are exact.
    #[tokio::test(start_paused = true)]
    async fn admits_cap_per_second() {
        let pacer = Pacer::default();
        let start = Instant::now();
        for _ in 0..3 {
            pacer.admit("v", "A", 3).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        // The fourth waits for the first to leave the window, plus the 5 ms margin.
        pacer.admit("v", "A", 3).await;
        assert_eq!(start.elapsed(), Duration::from_millis(1005));
        for _ in 0..2 {
            pacer.admit("v", "A", 3).await;
        }
        assert_eq!(start.elapsed(), Duration::from_millis(1005));
        // Another key is independent.
        let start = Instant::now();
        pacer.admit("v", "B", 3).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn exhausting_spends_the_next_second() {
        let pacer = Pacer::default();
        let start = Instant::now();
        pacer.exhaust("v", "A", 2);
        pacer.admit("v", "A", 2).await;
        assert_eq!(start.elapsed(), Duration::from_millis(1005));
    }
}
