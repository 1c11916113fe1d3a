//! Under the limit (0.5x, 0.9x): nothing may be throttled, every call accepted.

use crate::env::{Case, Env};
use crate::report::ScenarioResult;
use crate::verdict::ScenarioKind;
use crate::LoadError;

/// The factors of the conformance set.
pub const FACTORS: [f64; 2] = [0.5, 0.9];

/// Offers `factor` (< 1) times each case's limit for `duration_ms`, all cases at once.
pub async fn run(
    env: &Env,
    cases: &[Case],
    factor: f64,
    duration_ms: u64,
) -> Result<ScenarioResult, LoadError> {
    let name = format!("under-limit {factor}x");
    crate::steady::run(
        env,
        &name,
        ScenarioKind::UnderLimit,
        cases,
        factor,
        duration_ms,
    )
    .await
}
