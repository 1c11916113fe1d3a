//! Keeps the suite under each action's documented limit, so that probes are judged on what
//! they probe and not on throttling. Per (version, action): at most `cap` sends in any second
//! of the suite's own clock, a fraction of the limit to leave room for arrival jitter.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

    #[tokio::test]
    async fn admits_cap_per_second() {
        let pacer = Pacer::default();
        let start = Instant::now();
        for _ in 0..6 {
            pacer.admit("v", "A", 3).await;
        }
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(1000), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
        // Another key is independent.
        let start = Instant::now();
        pacer.admit("v", "B", 3).await;
        assert!(start.elapsed() < Duration::from_millis(50));
    }
}
