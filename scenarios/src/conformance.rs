//! The conformance set (under-limit, over-limit, window-edge, isolation, recovery) and the
//! single rate-limit run, as library calls: `tco-harness load` is a thin shell over these,
//! and the same calls serve `tco-harness run` and users' own tests.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::env::{Case, Env};
use crate::report::{ScenarioResult, Summary};
use crate::schedule::wall_ms;
use crate::verdict::{Expectation, ScenarioKind, Status};
use crate::{isolation, over_limit, recovery, under_limit, window_edge, LoadError};

/// The representative actions: one of each version, each at its documented limit.
pub fn representative_cases() -> Result<Vec<Case>, LoadError> {
    Ok(vec![
        Case::from_contract("DescribeOrganization", "2021-03-31")?,
        Case::from_contract("ListOrganizationNodes", "2018-12-25")?,
    ])
}

/// What the conformance set runs.
#[derive(Debug, Clone)]
pub struct ConformanceOptions {
    pub cases: Vec<Case>,
    /// Length of each steady run, ms.
    pub duration_ms: u64,
}

impl ConformanceOptions {
    pub fn representative() -> Result<Self, LoadError> {
        Ok(ConformanceOptions {
            cases: representative_cases()?,
            duration_ms: 3000,
        })
    }
}

/// Runs every scenario of the set, one after another (each scenario runs all cases at once),
/// and writes `summary.json` / `summary.txt` when the env has a report directory.
pub async fn run_conformance(
    env: &Env,
    options: &ConformanceOptions,
) -> Result<Summary, LoadError> {
    let started = wall_ms();
    let cases = &options.cases;
    let d = options.duration_ms;
    let total = under_limit::FACTORS.len() + over_limit::FACTORS.len() + 3;
    let mut results: Vec<ScenarioResult> = Vec::new();
    let next = |results: &[ScenarioResult], name: &str| {
        let calls: usize = results
            .iter()
            .flat_map(|r| &r.verdicts)
            .map(|v| v.calls)
            .sum();
        env.say(&format!(
            "load: {name} ({}/{total}), {calls} calls so far",
            results.len() + 1
        ));
    };
    for f in under_limit::FACTORS {
        next(&results, &format!("under-limit {f}x"));
        results.push(measured(env, || under_limit::run(env, cases, f, d)).await?);
    }
    for f in over_limit::FACTORS {
        next(&results, &format!("over-limit {f}x"));
        results.push(measured(env, || over_limit::run(env, cases, f, d)).await?);
    }
    next(&results, "window-edge");
    results.push(measured(env, || window_edge::run(env, cases)).await?);
    next(&results, "isolation");
    results.push(measured(env, || isolation::run(env, cases, d)).await?);
    next(&results, "recovery");
    results.push(measured(env, || recovery::run(env, cases)).await?);
    let summary = Summary::new(&env.label, started, results, env.report_dir.clone())
        .with_call_timeout(env.call_timeout);
    if let Some(dir) = &env.report_dir {
        summary.write(dir)?;
    }
    Ok(summary)
}

/// Runs a scenario, and again while its load was not offered as intended and nothing failed,
/// [`Env::measurements`] times in all: a run the machine could not drive says nothing about
/// the limiter, and the next one usually can. A failure is final. The result notes how many
/// measurements it took; its reports are the last measurement's.
pub async fn measured<F, Fut>(env: &Env, mut run: F) -> Result<ScenarioResult, LoadError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<ScenarioResult, LoadError>>,
{
    let mut result = run().await?;
    let mut taken = 1;
    while result.status == Status::LoadNotOffered && taken < env.measurements {
        result = run().await?;
        taken += 1;
    }
    if taken > 1 {
        result.notes.push(format!(
            "measured {taken} times: the earlier runs could not offer their load"
        ));
    }
    Ok(result)
}

/// One action at one rate for `duration_ms`: judged as under-limit below the expected limit
/// or at it, and as over-limit above it.
pub async fn run_rate_limit(
    env: &Env,
    case: &Case,
    rate: f64,
    duration_ms: u64,
) -> Result<Summary, LoadError> {
    let started = wall_ms();
    let result = measured(env, || rate_limit_once(env, case, rate, duration_ms)).await?;
    let summary = Summary::new(&env.label, started, vec![result], env.report_dir.clone())
        .with_call_timeout(env.call_timeout);
    if let Some(dir) = &env.report_dir {
        summary.write(dir)?;
    }
    Ok(summary)
}

/// The scenario name of a rate-limit run at `rate`.
pub fn rate_limit_name(rate: f64) -> String {
    format!("rate-limit {rate}/s")
}

/// How a rate-limit run's calls are driven: slots kept off window boundaries, and time for
/// slow answers after the last one.
pub fn rate_limit_options(rate: f64) -> crate::attack::RunOptions {
    let mut options = crate::env::aligned(&[rate]);
    options.grace = std::time::Duration::from_secs(10);
    options
}

async fn rate_limit_once(
    env: &Env,
    case: &Case,
    rate: f64,
    duration_ms: u64,
) -> Result<ScenarioResult, LoadError> {
    let name = rate_limit_name(rate);
    let creds = env
        .credentials(0)
        .ok_or_else(|| LoadError::Usage("no credentials".into()))?;
    let stream = case.stream(creds, crate::Schedule::steady(rate, duration_ms));
    let executed = crate::env::execute(env, &name, vec![stream], rate_limit_options(rate)).await?;
    judge_rate_limit(case, &case.key(creds), rate, duration_ms, &executed)
}

/// The verdict on a rate-limit run's calls of `key` (one process's, or the union of shards'),
/// with its reports written: under-limit at or below the expected limit, over-limit above it.
pub fn judge_rate_limit(
    case: &Case,
    key: &crate::Key,
    rate: f64,
    duration_ms: u64,
    executed: &crate::env::Executed,
) -> Result<ScenarioResult, LoadError> {
    let kind = if rate <= case.limit as f64 {
        ScenarioKind::UnderLimit
    } else {
        ScenarioKind::OverLimit
    };
    let name = rate_limit_name(rate);
    let e = Expectation::steady(&name, kind, case.limit, rate, duration_ms);
    let result = crate::env::judge_calls(&name, executed, &[(key.clone(), e)]);
    crate::env::write(&result, executed)?;
    Ok(result)
}

/// A second account for isolation runs against the mock.
pub const SECOND_ACCOUNT: (u64, &str, &str) = (
    100_000_000_002,
    "AKIDloadSecondAccount0000000000000",
    "load-second-account-secret-key-000",
);

/// Starts the in-process mock for load runs: documented limits unless `default_limit`
/// replaces them, a second account, and a journal large enough for the arrival times.
pub async fn start_mock(
    default_limit: Option<u32>,
    journal_capacity: usize,
) -> Arc<tco_mock::MockServer> {
    let (uin, id, key) = SECOND_ACCOUNT;
    let mut builder = tco_mock::MockServer::builder()
        .account(tco_mock::config::Account::new(uin, id, key))
        .journal_capacity(journal_capacity);
    if let Some(n) = default_limit {
        builder = builder.rate_limit_default(n);
    }
    Arc::new(builder.start().await)
}

/// `tco-harness load`: the mock in-process, the conformance set on the representative cases.
pub async fn run_conformance_on_mock(report_dir: Option<PathBuf>) -> Result<Summary, LoadError> {
    run_conformance_on_mock_with(report_dir, None).await
}

/// [`run_conformance_on_mock`], telling `progress` what it does.
pub async fn run_conformance_on_mock_with(
    report_dir: Option<PathBuf>,
    progress: Option<crate::env::Progress>,
) -> Result<Summary, LoadError> {
    let mock = start_mock(None, 50_000).await;
    let env = Env::for_mock(mock)
        .with_report_dir(report_dir)
        .with_progress(progress);
    crate::env::ensure_organization(&env).await?;
    run_conformance(&env, &ConformanceOptions::representative()?).await
}

/// The default report directory: `reports/load-<UTC timestamp>`.
pub fn default_report_dir(base: &Path) -> PathBuf {
    base.join(format!("load-{}", utc_stamp(wall_ms().div_euclid(1000))))
}

/// Unix seconds as `YYYYMMDDTHHMMSSZ` (UTC), the report directories' stamp.
fn utc_stamp(secs: i64) -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    // The wall clock is far inside time's range; the epoch stands in should it not be.
    time::OffsetDateTime::from_unix_timestamp(secs)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&format)
        .unwrap_or_else(|_| "19700101T000000Z".to_owned())
}

/// Runs a future on a fresh multi-threaded runtime (for the CLI, which has none).
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, LoadError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(LoadError::Io)?;
    Ok(rt.block_on(future))
}

/// Refuses Tencent's production hosts unless allowed: a load run there can get the account
/// throttled for everyone using it.
pub fn check_production(target: &crate::Target, allow: bool) -> Result<(), LoadError> {
    let host = target.url.host_str().unwrap_or("");
    if tco_client::is_production_host(host) && !allow {
        return Err(LoadError::Usage(format!(
            "refusing to load {host}, a production host: a load run can get the account throttled; pass --allow-production to do it anyway"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_stamps() {
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        assert_eq!(utc_stamp(1_551_113_065), "20190225T164425Z");
        assert_eq!(utc_stamp(951_782_400), "20000229T000000Z");
    }

    #[test]
    fn production_hosts_are_refused_unless_allowed() {
        let prod = crate::Target::new("https://organization.intl.tencentcloudapi.com").unwrap();
        assert!(check_production(&prod, false).is_err());
        assert!(check_production(&prod, true).is_ok());
        let staging = crate::Target::new("https://org.staging.example.com").unwrap();
        assert!(check_production(&staging, false).is_ok());
        for trailing in [
            "https://ORGANIZATION.TencentCloudAPI.com.",
            "https://tencentcloudapi.com.",
        ] {
            let t = crate::Target::new(trailing).unwrap();
            assert!(check_production(&t, false).is_err(), "{trailing}");
        }
        let lookalike = crate::Target::new("https://nottencentcloudapi.com").unwrap();
        assert!(check_production(&lookalike, false).is_ok());
    }

    #[test]
    fn representative_cases_have_documented_limits() {
        let cases = representative_cases().unwrap();
        assert_eq!(cases[0].limit, 40);
        assert_eq!(cases[1].limit, 20);
    }
}
