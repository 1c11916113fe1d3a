//! Over the limit (1.5x, 2x): exactly N accepted per window, never more; every refusal
//! `RequestLimitExceeded`; no other error. [`refused_creates_change_nothing`] checks the
//! other half of the contract: a refused call must not have acted.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::call::Outcome;
use crate::env::{self, Case, Env};
use crate::report::ScenarioResult;
use crate::schedule::Schedule;
use crate::verdict::{Expectation, ScenarioKind};
use crate::LoadError;

/// The factors of the conformance set.
pub const FACTORS: [f64; 2] = [1.5, 2.0];

/// Offers `factor` (> 1) times each case's limit for `duration_ms`, all cases at once.
pub async fn run(
    env: &Env,
    cases: &[Case],
    factor: f64,
    duration_ms: u64,
) -> Result<ScenarioResult, LoadError> {
    let name = format!("over-limit {factor}x");
    crate::steady::run(
        env,
        &name,
        ScenarioKind::OverLimit,
        cases,
        factor,
        duration_ms,
    )
    .await
}

/// A create action over its limit (`create`: each call gets its own name from `params(k)`),
/// then a read (`count`: how many created objects exist now, from a JSON answer): the number
/// created must equal the number accepted, so refused calls created nothing.
pub async fn refused_creates_change_nothing(
    env: &Env,
    create: &Case,
    params: Arc<dyn Fn(usize) -> Value + Send + Sync>,
    factor: f64,
    duration_ms: u64,
    count: impl AsyncFnOnce() -> Result<usize, String>,
    before: usize,
) -> Result<ScenarioResult, LoadError> {
    let name = format!("over-limit {factor}x on {}", create.action);
    let creds = env
        .credentials(0)
        .ok_or_else(|| LoadError::Usage("no credentials".into()))?;
    let rate = create.limit as f64 * factor;
    let stream = create
        .stream(creds, Schedule::steady(rate, duration_ms))
        .with_params(params);
    let executed = env::execute(env, &name, vec![stream], env::aligned(&[rate])).await?;
    let e = Expectation::steady(
        &name,
        ScenarioKind::OverLimit,
        create.limit,
        rate,
        duration_ms,
    );
    let mut result = env::judge(env, &name, &executed, &[(create.key(creds), e)]);
    let accepted = executed
        .calls
        .iter()
        .filter(|c| c.outcome == Outcome::Accepted)
        .count();
    match count().await {
        Ok(after) => {
            let created = after.saturating_sub(before);
            result.notes.push(format!(
                "{accepted} creates accepted, {created} objects created"
            ));
            if created != accepted {
                result.violations.push(format!(
                    "{created} objects were created by {accepted} accepted calls: refused calls changed state"
                ));
            }
        }
        Err(e) => result
            .violations
            .push(format!("could not read back the state: {e}")),
    }
    result.settle();
    env::write(&result, &executed)?;
    Ok(result)
}

/// Parameters for `AddOrganizationNode` under `parent`, a fresh name per call: fresh across
/// runs too (a scenario measured again sends its calls again), so not the call's index.
pub fn unique_node_params(parent: u64, prefix: &str) -> Arc<dyn Fn(usize) -> Value + Send + Sync> {
    let prefix = format!("{prefix}-{}", crate::schedule::wall_ms());
    let next = std::sync::atomic::AtomicUsize::new(0);
    Arc::new(move |_| {
        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        json!({"ParentNodeId": parent, "Name": format!("{prefix}-{n}")})
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_names_are_fresh_even_for_the_same_call_index() {
        let params = unique_node_params(7, "load");
        let (a, b) = (params(0), params(0));
        assert_eq!(a["ParentNodeId"], 7);
        assert_ne!(a["Name"], b["Name"]);
        assert!(a["Name"].as_str().unwrap().starts_with("load-"));
    }
}
