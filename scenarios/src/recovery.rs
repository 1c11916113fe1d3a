//! Recovery after overload. Twice the limit for [`OVERLOAD_MS`], ending mid-window, then
//! probes for [`PROBE_MS`]: once sparse ([`SPARSE_RATE`] per second), once eager (twice the
//! limit, a client that retries at once). The first accepted call after the overload should
//! come at the next window (within one window plus one probe interval), and the eager
//! client's wait should be no longer than the sparse one's: refused retries must not extend
//! the penalty.

use crate::env::{self, Case, Env};
use crate::report::ScenarioResult;
use crate::schedule::Schedule;
use crate::verdict::{Expectation, ScenarioKind, RECOVERY_SLACK_MS};
use crate::LoadError;

/// Overload length: ends 700 ms into the run's second window, after both windows are full.
pub const OVERLOAD_MS: u64 = 1700;
/// How long to probe after it.
pub const PROBE_MS: u64 = 1500;
/// Probes per second of the sparse client.
pub const SPARSE_RATE: f64 = 10.0;

/// The overload then the probes; the probes are phase 1.
pub fn schedule(limit: u32, probe_rate: f64) -> Schedule {
    let overload = Schedule::steady(limit as f64 * 2.0, OVERLOAD_MS);
    let probes = Schedule::steady(probe_rate, PROBE_MS)
        .delayed(OVERLOAD_MS as f64)
        .in_phase(1);
    overload.merged(probes)
}

/// The eager client's probe rate: twice the limit, as a client retrying at once would.
pub fn eager_rate(limit: u32) -> f64 {
    limit as f64 * 2.0
}

pub async fn run(env: &Env, cases: &[Case]) -> Result<ScenarioResult, LoadError> {
    let sparse = run_variant(env, cases, "recovery sparse", |_| SPARSE_RATE).await?;
    let eager = run_variant(env, cases, "recovery eager", |c| eager_rate(c.limit)).await?;
    let mut result = ScenarioResult::new("recovery", Vec::new());
    result.elapsed_ms = sparse.elapsed_ms + eager.elapsed_ms;
    for (s, e) in sparse.verdicts.iter().zip(&eager.verdicts) {
        // Recovery times compare only between runs that kept to their schedules.
        if !(s.offered_as_intended() && e.offered_as_intended()) {
            continue;
        }
        let (Some(rs), Some(re)) = (&s.recovery, &e.recovery) else {
            continue;
        };
        let (Some(ts), Some(te)) = (rs.time_to_first_accepted_ms, re.time_to_first_accepted_ms)
        else {
            continue;
        };
        result.notes.push(format!(
            "{} {}: first accepted {ts} ms after the overload with sparse probes, {te} ms when retrying at {:.0}/s ({} refused retries)",
            s.action, s.version, e.intended_rate, re.throttled_while_recovering
        ));
        let allowance = (1000.0 / SPARSE_RATE) as i64 + RECOVERY_SLACK_MS;
        if te > ts + allowance {
            result.violations.push(format!(
                "{} {}: retrying while throttled extended recovery from {ts} ms to {te} ms",
                s.action, s.version
            ));
        }
    }
    result.verdicts = sparse.verdicts.into_iter().chain(eager.verdicts).collect();
    result.settle();
    Ok(result)
}

async fn run_variant(
    env: &Env,
    cases: &[Case],
    name: &str,
    probe_rate: impl Fn(&Case) -> f64,
) -> Result<ScenarioResult, LoadError> {
    let creds = env
        .credentials(0)
        .ok_or_else(|| LoadError::Usage("no credentials".into()))?;
    // Start 10 ms into a second: the overload fills that window and the next, and ends 710 ms
    // into the second one.
    let options = crate::attack::RunOptions {
        align_offset_ms: Some(10),
        ..Default::default()
    };
    let mut streams = Vec::new();
    let mut pending = Vec::new();
    for c in cases {
        let rate = probe_rate(c);
        let s = schedule(c.limit, rate);
        let e = Expectation::from_slots(name, ScenarioKind::Recovery, c.limit, &s.times_ms());
        pending.push((c.key(creds), e, rate));
        streams.push(c.stream(creds, s));
    }
    let executed = env::execute(env, name, streams, options).await?;
    let expectations: Vec<_> = pending
        .into_iter()
        .map(|(key, mut e, rate)| {
            e.recovery_from_ms = Some(executed.epoch.wall_at(OVERLOAD_MS as f64));
            e.recovery_bound_ms = Some(1000 + (1000.0 / rate).ceil() as i64 + RECOVERY_SLACK_MS);
            (key, e)
        })
        .collect();
    let result = env::judge(env, name, &executed, &expectations);
    env::write(&result, &executed)?;
    Ok(result)
}
