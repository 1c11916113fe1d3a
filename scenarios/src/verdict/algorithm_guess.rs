//! Which limiting algorithm a series looks like (fixed window, sliding window, token bucket
//! or a higher limit), and why.

use super::*;

/// The limiting behaviour a series looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "algorithm")]
pub enum AlgorithmGuess {
    /// Every window capped at N, and more than N in some sliding second across a boundary.
    FixedWindow,
    /// Never more than N in any sliding second, and refusals in a window that had not yet
    /// accepted N (the previous window's calls still counted).
    SlidingWindow,
    /// Acceptances interleaved with refusals under overload (refill), and/or a first burst
    /// larger than N.
    TokenBucket { burst_estimate: u32 },
    /// More offered than the limit in a sliding second, nothing refused.
    NoLimiting,
    /// Refusals, but windows admit more than N: a limit of about this many per second.
    HigherLimit { observed_per_second: u32 },
    /// The run did not exercise what tells the algorithms apart.
    Undetermined { why: String },
}

impl std::fmt::Display for AlgorithmGuess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AlgorithmGuess::FixedWindow => f.write_str("fixed window"),
            AlgorithmGuess::SlidingWindow => f.write_str("sliding window"),
            AlgorithmGuess::TokenBucket { burst_estimate } => {
                write!(f, "token bucket (burst ~{burst_estimate})")
            }
            AlgorithmGuess::NoLimiting => f.write_str("no limiting"),
            AlgorithmGuess::HigherLimit {
                observed_per_second,
            } => write!(f, "a higher limit (~{observed_per_second}/s)"),
            AlgorithmGuess::Undetermined { why } => write!(f, "undetermined ({why})"),
        }
    }
}

/// Which algorithm the series looks like. Evidence, in order:
/// - nothing refused: no limiting if more than N were offered in some sliding second;
/// - windows admitting more than N: a token bucket when that was one opening burst followed
///   by about N per window, otherwise a higher limit;
/// - acceptances interleaved with refusals inside overloaded windows: a token bucket;
/// - more than N in a sliding second while every window held N: a fixed window;
/// - refusals in a window that had not accepted N, with never more than N in a sliding
///   second: a sliding window.
pub fn guess(
    series: &[(i64, &Outcome)],
    per_second: &[Second],
    phase: i64,
    limit: u32,
    max_sliding: u32,
    intended_rate: f64,
) -> AlgorithmGuess {
    let window = |t: i64| (t - phase).div_euclid(WINDOW_MS);
    let throttled = series.iter().filter(|(_, o)| o.is_throttled()).count();
    if throttled == 0 {
        let times: Vec<i64> = series.iter().map(|(t, _)| *t).collect();
        let (offered_max, _) = max_in_sliding_second(&times);
        // A schedule at the limit can put N + 1 calls in some sliding second through send
        // jitter alone: that is no evidence against a limiter.
        let over = if intended_rate > limit as f64 {
            offered_max > limit
        } else {
            offered_max > limit + 1
        };
        return if over {
            AlgorithmGuess::NoLimiting
        } else {
            AlgorithmGuess::Undetermined {
                why: "never more than the limit offered in a second".into(),
            }
        };
    }
    // Acceptances before the first refusal: a bucket's burst shows here.
    let opening = series
        .iter()
        .take_while(|(_, o)| !o.is_throttled())
        .filter(|(_, o)| o.is_accepted())
        .count() as u32;

    // Transitions from refused to accepted inside windows that refused something.
    let mut transitions = 0u32;
    let mut overloaded = 0u32;
    let mut i = 0;
    while i < series.len() {
        let w = window(series[i].0);
        let mut j = i;
        let mut seen_throttle = false;
        let mut window_transitions = 0;
        let mut prev_throttled = false;
        while j < series.len() && window(series[j].0) == w {
            let o = series[j].1;
            if o.is_throttled() {
                seen_throttle = true;
                prev_throttled = true;
            } else if o.is_accepted() {
                if prev_throttled {
                    window_transitions += 1;
                }
                prev_throttled = false;
            }
            j += 1;
        }
        if seen_throttle {
            overloaded += 1;
            transitions += window_transitions;
        }
        i = j;
    }
    let over_cap: Vec<&Second> = per_second.iter().filter(|w| w.accepted > limit).collect();
    let interleaved =
        overloaded > 0 && transitions as f64 / overloaded as f64 > INTERLEAVED_TRANSITIONS;

    if !over_cap.is_empty() {
        let later_over = per_second
            .iter()
            .skip_while(|w| w.accepted == 0)
            .skip(2)
            .any(|w| w.accepted > limit + 1);
        if opening > limit && !later_over {
            return AlgorithmGuess::TokenBucket {
                burst_estimate: opening,
            };
        }
        let observed = over_cap.iter().map(|w| w.accepted).max().unwrap_or(limit);
        return AlgorithmGuess::HigherLimit {
            observed_per_second: observed,
        };
    }
    if interleaved {
        return AlgorithmGuess::TokenBucket {
            burst_estimate: opening.max(1),
        };
    }
    if max_sliding > limit {
        return AlgorithmGuess::FixedWindow;
    }
    let starved = per_second
        .iter()
        .any(|w| w.throttled > 0 && w.accepted < limit);
    if starved {
        return AlgorithmGuess::SlidingWindow;
    }
    AlgorithmGuess::Undetermined {
        why: "windows held N and no sliding second exceeded it: a fixed or a sliding window; a window-edge run tells them apart".into(),
    }
}
