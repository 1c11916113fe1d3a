//! A steady run shared by under-limit and over-limit: every case at `factor` times its limit,
//! all at once (each its own key, so they do not interfere), for `duration_ms`; the result is
//! judged and written out.

use tco_sign::Credentials;

use crate::env::{self, Case, Env};
use crate::report::ScenarioResult;
use crate::schedule::Schedule;
use crate::verdict::{Expectation, ScenarioKind};
use crate::LoadError;

/// Each case at `factor` times its limit for `duration_ms`.
pub(crate) fn schedules(cases: &[Case], factor: f64, duration_ms: u64) -> Vec<Schedule> {
    cases
        .iter()
        .map(|c| Schedule::steady(c.limit as f64 * factor, duration_ms))
        .collect()
}

pub(crate) async fn run(
    env: &Env,
    name: &str,
    kind: ScenarioKind,
    cases: &[Case],
    factor: f64,
    duration_ms: u64,
) -> Result<ScenarioResult, LoadError> {
    let creds: &Credentials = env
        .credentials(0)
        .ok_or_else(|| LoadError::Usage("no credentials".into()))?;
    let rates: Vec<f64> = cases.iter().map(|c| c.limit as f64 * factor).collect();
    let streams = cases
        .iter()
        .zip(schedules(cases, factor, duration_ms))
        .map(|(c, s)| c.stream(creds, s))
        .collect();
    let expectations: Vec<_> = cases
        .iter()
        .zip(&rates)
        .map(|(c, &r)| {
            (
                c.key(creds),
                Expectation::steady(name, kind, c.limit, r, duration_ms),
            )
        })
        .collect();
    let executed = env::execute(env, name, streams, env::aligned(&rates)).await?;
    let result = env::judge(env, name, &executed, &expectations);
    env::write(&result, &executed)?;
    Ok(result)
}
