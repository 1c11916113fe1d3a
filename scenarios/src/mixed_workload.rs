//! A realistic admin mix: describe/list heavy, some creates, at a chosen total rate split by
//! weight, each action on its own open-model stream below its limit. Nothing may be throttled;
//! the point is latency percentiles per action (in each verdict's `latency_ms`).

use std::sync::Arc;

use serde_json::{json, Value};

use crate::env::{self, Case, Env};
use crate::report::ScenarioResult;
use crate::schedule::Schedule;
use crate::verdict::{Expectation, ScenarioKind};
use crate::LoadError;

/// One action of the mix.
#[derive(Clone)]
pub struct MixEntry {
    pub case: Case,
    pub weight: u32,
    /// Parameters per call (creates need a fresh name each time).
    pub params: Arc<dyn Fn(usize) -> Value + Send + Sync>,
}

impl MixEntry {
    pub fn fixed(case: Case, weight: u32) -> Self {
        let params = case.params.clone();
        MixEntry {
            case,
            weight,
            params: Arc::new(move |_| params.clone()),
        }
    }
}

/// Reads of both versions, and (given the root node's id) creates of units under it.
pub fn default_mix(root_node_id: Option<u64>) -> Result<Vec<MixEntry>, LoadError> {
    let mut mix = vec![
        MixEntry::fixed(
            Case::from_contract("DescribeOrganization", "2021-03-31")?,
            4,
        ),
        MixEntry::fixed(
            Case::from_contract("ListOrganizationNodes", "2018-12-25")?,
            3,
        ),
        MixEntry::fixed(
            Case::from_contract("DescribeOrganizationNodes", "2021-03-31")?
                .with_params(json!({"Limit": 50, "Offset": 0})),
            2,
        ),
        MixEntry::fixed(
            Case::from_contract("DescribeOrganizationMembers", "2021-03-31")?
                .with_params(json!({"Limit": 10, "Offset": 0})),
            2,
        ),
    ];
    if let Some(root) = root_node_id {
        let case = Case::from_contract("AddOrganizationNode", "2021-03-31")?;
        mix.push(MixEntry {
            case,
            weight: 1,
            params: crate::over_limit::unique_node_params(root, "load"),
        });
    }
    Ok(mix)
}

/// Runs the mix at `total_rate` per second for `duration_ms`. An action whose share would
/// exceed its limit is a usage error (this scenario is about latency, not limits).
pub async fn run(
    env: &Env,
    mix: &[MixEntry],
    total_rate: f64,
    duration_ms: u64,
) -> Result<ScenarioResult, LoadError> {
    let name = format!("mixed-workload {total_rate}/s");
    let creds = env
        .credentials(0)
        .ok_or_else(|| LoadError::Usage("no credentials".into()))?;
    let weights: u32 = mix.iter().map(|m| m.weight).sum::<u32>().max(1);
    let mut streams = Vec::new();
    let mut expectations = Vec::new();
    let mut rates = Vec::new();
    for m in mix {
        let rate = total_rate * m.weight as f64 / weights as f64;
        if rate >= m.case.limit as f64 {
            return Err(LoadError::Usage(format!(
                "{} would get {rate:.1}/s, not below its limit of {}: lower the total rate",
                m.case.action, m.case.limit
            )));
        }
        rates.push(rate);
        streams.push(
            m.case
                .stream(creds, Schedule::steady(rate, duration_ms))
                .with_params(m.params.clone()),
        );
        expectations.push((
            m.case.key(creds),
            Expectation::steady(&name, ScenarioKind::Mixed, m.case.limit, rate, duration_ms),
        ));
    }
    let executed = env::execute(env, &name, streams, env::aligned(&rates)).await?;
    let mut result = env::judge(env, &name, &executed, &expectations);
    for v in &result.verdicts {
        result.notes.push(format!(
            "{} {}: {:.1}/s, latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            v.action,
            v.version,
            v.offered_per_second,
            v.latency_ms.p50,
            v.latency_ms.p95,
            v.latency_ms.p99
        ));
    }
    env::write(&result, &executed)?;
    Ok(result)
}
