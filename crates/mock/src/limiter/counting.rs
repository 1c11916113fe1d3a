//! Counting one key under each algorithm: a fixed window, a sliding window, a token bucket
//! (GCRA, in exact integers).

use std::collections::VecDeque;

use super::{Algorithm, WINDOW_MS};
use crate::limits::Layer;

/// What one key remembers; which variant depends on the algorithm.
#[derive(Debug)]
pub(super) enum KeyState {
    /// Admitted so far in window `window` (= floor(ms / 1000)).
    Fixed { window: i64, admitted: u32 },
    /// Arrival times (ms) of the admitted requests of the last 1,000 ms, oldest first.
    Sliding(VecDeque<i64>),
    /// GCRA's theoretical arrival time, in units of 1/`per_second` ms so that the arithmetic
    /// is exact integers (one request costs 1,000 units).
    Bucket { tat: i128, per_second: u32 },
}

impl KeyState {
    pub(super) fn fresh(algorithm: Algorithm, now: i64, limit: u32) -> Self {
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

    /// Whether a call at `now` would be admitted (nothing changes).
    pub(super) fn has_room(&self, algorithm: Algorithm, now: i64, limit: u32) -> bool {
        match (self, algorithm) {
            (KeyState::Fixed { window, admitted }, _) => {
                *window != now.div_euclid(WINDOW_MS) || *admitted < limit
            }
            (KeyState::Sliding(times), _) => {
                let expired = times.partition_point(|t| *t <= now - WINDOW_MS);
                times.len() - expired < limit as usize
            }
            (KeyState::Bucket { tat, per_second }, Algorithm::TokenBucket { burst }) => {
                bucket_has_room(*tat, *per_second, burst, now)
            }
            // Bucket state under another algorithm cannot happen: switching clears the keys.
            (KeyState::Bucket { .. }, _) => true,
        }
    }

    /// Counts a call at `now`, which [`KeyState::has_room`] admitted.
    pub(super) fn record(&mut self, algorithm: Algorithm, now: i64) {
        match self {
            KeyState::Fixed { window, admitted } => {
                let current = now.div_euclid(WINDOW_MS);
                if current != *window {
                    *window = current;
                    *admitted = 0;
                }
                *admitted += 1;
            }
            KeyState::Sliding(times) => {
                while times.front().is_some_and(|t| *t <= now - WINDOW_MS) {
                    times.pop_front();
                }
                times.push_back(now);
            }
            KeyState::Bucket { tat, per_second } => {
                if matches!(algorithm, Algorithm::TokenBucket { .. }) {
                    *tat = (*tat).max(scaled(now, *per_second)) + i128::from(WINDOW_MS);
                }
            }
        }
    }

    /// Whether the state still affects a future decision; dead state is dropped.
    pub(super) fn is_live(&self, now: i64) -> bool {
        match self {
            KeyState::Fixed { window, .. } => *window >= now.div_euclid(WINDOW_MS),
            KeyState::Sliding(times) => times.back().is_some_and(|t| *t > now - WINDOW_MS),
            KeyState::Bucket { tat, per_second } => *tat > scaled(now, *per_second),
        }
    }
}

/// A layer's algorithm: the configured one, except that a token bucket's burst is the
/// layer's own limit (the configured burst sizes the per-action buckets).
pub(super) fn layer_algorithm(algorithm: Algorithm, layer: Layer) -> Algorithm {
    match (algorithm, layer) {
        (Algorithm::TokenBucket { .. }, l) if l != Layer::Action => {
            Algorithm::TokenBucket { burst: 0 }
        }
        (a, _) => a,
    }
}

/// GCRA with emission interval 1/N s and tolerance for `burst` requests at once: one request
/// costs WINDOW_MS units of 1/N ms, i.e. 1/N s.
fn bucket_has_room(tat: i128, per_second: u32, burst: u32, now: i64) -> bool {
    if per_second == 0 {
        return false;
    }
    let cost = i128::from(WINDOW_MS);
    let burst = if burst == 0 { per_second } else { burst };
    let now = scaled(now, per_second);
    let next = tat.max(now) + cost;
    next - now <= i128::from(burst) * cost
}

fn scaled(ms: i64, per_second: u32) -> i128 {
    i128::from(ms) * i128::from(per_second)
}
