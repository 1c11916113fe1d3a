//! Bursts on both sides of a window boundary. Each burst is 1.5N calls spread over
//! [`SPREAD_MS`], the first ending [`MARGIN_MS`] before a whole second, the second starting
//! as long after it: both land within one sliding second, but in two windows.
//!
//! - A fixed window ("the first N of each second pass", Tencent's) admits N of each: 2N in
//!   that sliding second (the notes' "up to 2N-1" counts a closed second; a half-open
//!   `[t, t + 1000)` holds 2N).
//! - A sliding window admits the first N and refuses the whole second burst.
//! - A token bucket admits its burst, then refills at N per second: about `N * gap` of the
//!   second burst, or more than N at once when its burst is larger than N.
//!
//! The windows are the server's (wall-clock seconds on its clock); against a remote endpoint
//! the margin must exceed the one-way latency plus the clock offset.

use crate::env::{self, Case, Env};
use crate::report::ScenarioResult;
use crate::schedule::Schedule;
use crate::verdict::{Expectation, ScenarioKind};
use crate::LoadError;

/// How far from the boundary each burst stays, ms.
pub const MARGIN_MS: f64 = 100.0;
/// How long each burst lasts, ms: 1.5N calls in 300 ms is five times the limit's rate, and
/// both bursts still fit in one sliding second (2 x 300 + 2 x 100 = 800 ms), with room for
/// lateness; a shorter burst asks for more than a busy machine can send on time.
pub const SPREAD_MS: f64 = 300.0;

/// The two bursts of `per_burst` calls, relative to a run that starts at a whole second:
/// the boundary is at 1,000 ms.
pub fn schedule(per_burst: usize, margin_ms: f64, spread_ms: f64) -> Schedule {
    let first = Schedule::burst(1000.0 - margin_ms - spread_ms, per_burst, spread_ms);
    let second = Schedule::burst(1000.0 + margin_ms, per_burst, spread_ms).in_phase(1);
    first.merged(second)
}

/// Calls in each burst: one and a half times the limit.
pub fn per_burst(limit: u32) -> usize {
    (limit as usize * 3).div_ceil(2)
}

/// Runs the two bursts for every case at once.
pub async fn run(env: &Env, cases: &[Case]) -> Result<ScenarioResult, LoadError> {
    run_with(env, cases, MARGIN_MS, SPREAD_MS).await
}

pub async fn run_with(
    env: &Env,
    cases: &[Case],
    margin_ms: f64,
    spread_ms: f64,
) -> Result<ScenarioResult, LoadError> {
    let name = "window-edge";
    let creds = env
        .credentials(0)
        .ok_or_else(|| LoadError::Usage("no credentials".into()))?;
    let mut streams = Vec::new();
    let mut expectations = Vec::new();
    for c in cases {
        let s = schedule(per_burst(c.limit), margin_ms, spread_ms);
        // The run starts at a whole second; slots are relative to it.
        let e = Expectation::from_slots(name, ScenarioKind::WindowEdge, c.limit, &s.times_ms());
        expectations.push((c.key(creds), e));
        streams.push(c.stream(creds, s));
    }
    let options = crate::attack::RunOptions {
        align_offset_ms: Some(0),
        ..Default::default()
    };
    let executed = env::execute(env, name, streams, options).await?;
    let mut result = env::judge(env, name, &executed, &expectations);
    for v in &result.verdicts {
        result.notes.push(format!(
            "{} {}: {} accepted in one sliding second across the boundary (limit {}): looks like {}",
            v.action, v.version, v.max_accepted_in_sliding_second, v.expected_limit, v.algorithm_guess
        ));
    }
    env::write(&result, &executed)?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_bursts_fit_in_one_sliding_second_with_room() {
        let t = schedule(30, MARGIN_MS, SPREAD_MS).times_ms();
        assert!(t[0] < 1000.0 - MARGIN_MS && t[59] >= 1000.0 + MARGIN_MS);
        assert!(t[59] - t[0] <= 800.0, "{}", t[59] - t[0]);
    }

    #[test]
    fn bursts_straddle_the_boundary() {
        let s = schedule(15, 100.0, 100.0);
        assert_eq!(s.len(), 30);
        let t = s.times_ms();
        assert_eq!(t[0], 800.0);
        assert_eq!(t[14], 900.0);
        assert_eq!(t[15], 1100.0);
        assert_eq!(t[29], 1200.0);
        assert!(t[29] - t[0] < 1000.0);
    }
}
