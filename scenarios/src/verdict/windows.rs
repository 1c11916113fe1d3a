//! Counting calls per window: fixed windows at a phase, windows at the limiter's edges, the
//! busiest sliding second, and the phase that best explains a series seen from the client.

use super::*;

/// The series in windows of phase `phase`, every window from the first call to the last
/// (empty ones too, so a chart shows gaps).
pub fn windows(series: &[(i64, &Outcome)], phase: i64) -> Vec<Second> {
    let (Some((first, _)), Some((last, _))) = (series.first(), series.last()) else {
        return Vec::new();
    };
    let index = |t: i64| (t - phase).div_euclid(WINDOW_MS);
    let first_w = index(*first);
    let last_w = index(*last);
    let mut out: Vec<Second> = (first_w..=last_w)
        .map(|second| Second {
            second,
            offered: 0,
            accepted: 0,
            throttled: 0,
            other: 0,
        })
        .collect();
    for (t, outcome) in series {
        let w = &mut out[(index(*t) - first_w) as usize];
        w.offered += 1;
        match outcome {
            Outcome::Accepted => w.accepted += 1,
            Outcome::Throttled => w.throttled += 1,
            _ => w.other += 1,
        }
    }
    out
}

/// [`windows`] at phase 0, except that a call within `edge_ms` before a boundary goes to
/// the next window when that is the only way it agrees with a fixed window of `limit`: an
/// acceptance after the window already had its N, or a refusal before it had.
pub fn windows_at_edges(series: &[(i64, &Outcome)], limit: u32, edge_ms: i64) -> Vec<Second> {
    let mut out = windows(series, 0);
    let Some(first_w) = out.first().map(|w| w.second) else {
        return out;
    };
    for w in out.iter_mut() {
        *w = Second {
            offered: 0,
            accepted: 0,
            throttled: 0,
            other: 0,
            ..*w
        };
    }
    for (t, outcome) in series {
        let mut i = (t.div_euclid(WINDOW_MS) - first_w) as usize;
        let near_end = t.rem_euclid(WINDOW_MS) >= WINDOW_MS - edge_ms;
        if near_end && i + 1 < out.len() {
            let full = out[i].accepted >= limit;
            let moves = match outcome {
                Outcome::Accepted => full,
                Outcome::Throttled => !full,
                _ => false,
            };
            if moves {
                i += 1;
            }
        }
        let w = &mut out[i];
        w.offered += 1;
        match outcome {
            Outcome::Accepted => w.accepted += 1,
            Outcome::Throttled => w.throttled += 1,
            _ => w.other += 1,
        }
    }
    out
}

/// The most times in any half-open `[t, t + 1000)` ms, and where such a second starts.
/// `times` must be sorted.
pub fn max_in_sliding_second(times: &[i64]) -> (u32, Option<i64>) {
    let mut best = 0usize;
    let mut start = None;
    let mut j = 0;
    for i in 0..times.len() {
        if j < i {
            j = i;
        }
        while j < times.len() && times[j] < times[i] + WINDOW_MS {
            j += 1;
        }
        if j - i > best {
            best = j - i;
            start = Some(times[i]);
        }
    }
    (best as u32, start)
}

/// Calls that a fixed window of this phase would have handled differently: acceptances beyond
/// N in a window, plus missing acceptances in windows that refused calls.
fn misfit(series: &[(i64, &Outcome)], phase: i64, limit: u32) -> u64 {
    windows(series, phase)
        .iter()
        .map(|w| {
            let excess = w.accepted.saturating_sub(limit) as u64;
            let missing = if w.throttled > 0 {
                limit.saturating_sub(w.accepted).min(w.throttled) as u64
            } else {
                0
            };
            excess + missing
        })
        .sum()
}

/// The window phase (0..1000 ms) under which the series fits a fixed window of N best; ties go
/// to the phase nearest 0 (the client's own calendar seconds).
pub fn best_phase(series: &[(i64, &Outcome)], limit: u32) -> i64 {
    if fits_every_phase(series, limit) {
        return 0;
    }
    search_phase(series, limit)
}

/// No refusal and never more than `limit` acceptances in any sliding second: then no fixed
/// window of any phase holds more than `limit` either, every phase fits with no misfit, and
/// the tie rule picks 0. One pass instead of one per candidate phase (a run at thousands of
/// calls a second has up to 1000 candidates, and this was a few % of the generator's CPU).
fn fits_every_phase(series: &[(i64, &Outcome)], limit: u32) -> bool {
    if series.iter().any(|(_, o)| o.is_throttled()) {
        return false;
    }
    let mut accepted: Vec<i64> = series
        .iter()
        .filter(|(_, o)| o.is_accepted())
        .map(|(t, _)| *t)
        .collect();
    accepted.sort_unstable();
    max_in_sliding_second(&accepted).0 <= limit
}

/// [`best_phase`] by trying every phase a call's time suggests.
fn search_phase(series: &[(i64, &Outcome)], limit: u32) -> i64 {
    let mut candidates: Vec<i64> = series
        .iter()
        .map(|(t, _)| t.rem_euclid(WINDOW_MS))
        .collect();
    candidates.push(0);
    candidates.sort_unstable();
    candidates.dedup();
    let distance = |p: i64| p.min(WINDOW_MS - p);
    candidates
        .into_iter()
        .map(|p| (misfit(series, p, limit), distance(p), p))
        .min()
        .map(|(_, _, p)| p)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn outcome(code: u8) -> Outcome {
        match code {
            0 => Outcome::Accepted,
            1 => Outcome::Throttled,
            _ => Outcome::OtherError("InternalError".into()),
        }
    }

    proptest! {
        /// The one-pass answer is the search's whenever it applies (and the search runs
        /// otherwise), for series with and without refusals, limits above and below the load.
        #[test]
        fn the_shortcut_agrees_with_the_search(
            mut calls in prop::collection::vec((0i64..5_000, 0u8..3), 0..120),
            limit in 1u32..40,
            refusals in any::<bool>(),
        ) {
            calls.sort_unstable();
            let outcomes: Vec<Outcome> = calls
                .iter()
                .map(|(_, c)| outcome(if *c == 1 && !refusals { 0 } else { *c }))
                .collect();
            let series: Vec<(i64, &Outcome)> =
                calls.iter().zip(&outcomes).map(|((t, _), o)| (*t, o)).collect();
            prop_assert_eq!(best_phase(&series, limit), search_phase(&series, limit));
        }
    }
}
