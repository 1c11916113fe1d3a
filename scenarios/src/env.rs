//! Where a scenario runs, and the plumbing every scenario shares: run the streams through
//! goose, put the server's arrival times on the calls, judge each key, write the reports.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tco_sign::Credentials;

use crate::attack::{self, RunOptions};
use crate::call::{Call, Key};
use crate::report::{self, ScenarioResult};
use crate::schedule::{Epoch, Stream, Target};
use crate::verdict::{Expectation, Verdict};
use crate::LoadError;

/// Arrival times the server recorded: `(RequestId, Unix ms on its clock)`.
pub type ServerTimes = Arc<dyn Fn() -> Vec<(String, i64)> + Send + Sync>;

/// The endpoint, the accounts to sign with, and where reports go.
#[derive(Clone)]
pub struct Env {
    pub target: Target,
    /// The first signs every stream unless a scenario needs a second account (isolation).
    pub accounts: Vec<Credentials>,
    /// Set for the in-process mock (its journal): windows are then counted in its frame.
    pub server_times: Option<ServerTimes>,
    pub report_dir: Option<PathBuf>,
    /// Wait between runs, so that one run's calls are out of every window of the next.
    pub settle: Duration,
    /// What to call the endpoint in reports.
    pub label: String,
    /// How many times in all a scenario whose load was not offered as intended is measured
    /// (see [`crate::conformance::measured`]): 3 on the in-process mock, where a busy machine
    /// is the usual cause; 1 against an endpoint, where every measurement is traffic its owner
    /// sees.
    pub measurements: usize,
    /// How long one call may take before it counts as unanswered.
    pub call_timeout: Duration,
    /// Calls of one stream in flight at once (see [`RunOptions::max_in_flight`]).
    pub max_in_flight: usize,
    /// Told what the run is doing as it goes, one line at a time.
    pub progress: Option<Progress>,
}

/// Receives progress lines, e.g. `load: over-limit 1.5x (4/7), 522 calls so far`.
pub type Progress = Arc<dyn Fn(&str) + Send + Sync>;

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("target", &self.target)
            .field(
                "accounts",
                &self
                    .accounts
                    .iter()
                    .map(|c| c.secret_id())
                    .collect::<Vec<_>>(),
            )
            .field("server_times", &self.server_times.is_some())
            .field("report_dir", &self.report_dir)
            .finish()
    }
}

impl Env {
    pub fn new(target: Target, credentials: Credentials) -> Self {
        Env {
            label: target.base(),
            target,
            accounts: vec![credentials],
            server_times: None,
            report_dir: None,
            settle: Duration::from_millis(1000),
            measurements: 1,
            call_timeout: crate::attack::RunOptions::default().timeout,
            max_in_flight: crate::attack::DEFAULT_MAX_IN_FLIGHT,
            progress: None,
        }
    }

    /// The in-process mock: its URL, every account it serves, its journal as the server's clock.
    pub fn for_mock(mock: Arc<tco_mock::MockServer>) -> Self {
        let target = Target::new(&mock.uri()).expect("the mock's URI is a valid http URL");
        let accounts = mock.accounts().iter().map(|a| a.credentials()).collect();
        let journal = mock.clone();
        Env {
            label: format!("in-process mock at {}", mock.uri()),
            target,
            accounts,
            server_times: Some(Arc::new(move || {
                journal
                    .journal()
                    .into_iter()
                    .map(|e| (e.request_id, e.at_millis))
                    .collect()
            })),
            report_dir: None,
            settle: Duration::from_millis(200),
            measurements: 3,
            call_timeout: crate::attack::RunOptions::default().timeout,
            max_in_flight: crate::attack::DEFAULT_MAX_IN_FLIGHT,
            progress: None,
        }
    }

    pub fn with_progress(mut self, progress: Option<Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// Passes a progress line on, when someone listens.
    pub fn say(&self, line: &str) {
        if let Some(progress) = &self.progress {
            progress(line);
        }
    }

    /// How long one call may take (default 5 s).
    pub fn with_call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// At most `n` calls of one stream in flight at once (default
    /// [`crate::attack::DEFAULT_MAX_IN_FLIGHT`]).
    pub fn with_max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n;
        self
    }

    pub fn with_report_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.report_dir = dir;
        self
    }

    /// A second account (isolation across accounts), when there is one.
    pub fn with_second_account(mut self, second: Option<Credentials>) -> Self {
        self.accounts.truncate(1);
        self.accounts.extend(second);
        self
    }

    pub fn credentials(&self, i: usize) -> Option<&Credentials> {
        self.accounts.get(i)
    }
}

/// An action under test: its name, version, the limit expected of it, and parameters that
/// make a valid call.
#[derive(Debug, Clone)]
pub struct Case {
    pub action: String,
    pub version: String,
    pub limit: u32,
    pub params: Value,
}

impl Case {
    /// The documented limit from the contract, and empty parameters.
    pub fn from_contract(action: &str, version: &str) -> Result<Case, LoadError> {
        let v: tco_spec::Version = version
            .parse()
            .map_err(|e: tco_spec::UnknownVersion| LoadError::Usage(e.to_string()))?;
        let a = tco_spec::action(v, action).ok_or_else(|| {
            LoadError::Usage(format!(
                "unknown action {action:?} in version {version}{}",
                tco_spec::did_you_mean(action)
            ))
        })?;
        Ok(Case {
            action: a.name.clone(),
            version: version.to_string(),
            limit: a.rate_limit,
            params: json!({}),
        })
    }

    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }

    pub fn with_params(mut self, params: Value) -> Self {
        self.params = params;
        self
    }

    pub fn key(&self, credentials: &Credentials) -> Key {
        Key::new(&self.action, &self.version, credentials.secret_id())
    }

    /// A stream of this case's calls.
    pub fn stream(&self, credentials: &Credentials, schedule: crate::Schedule) -> Stream {
        Stream::new(
            &self.action,
            &self.version,
            credentials.clone(),
            self.params.clone(),
            schedule,
        )
    }
}

/// What [`execute`] returns.
#[derive(Debug, Clone)]
pub struct Executed {
    pub calls: Vec<Call>,
    pub epoch: Epoch,
    pub dir: Option<PathBuf>,
}

/// The report directory of a scenario.
pub fn scenario_dir(env: &Env, name: &str) -> Option<PathBuf> {
    env.report_dir.as_ref().map(|d| d.join(report::slug(name)))
}

/// Runs `streams` at once (after the settle time), with goose's reports under the scenario's
/// directory, and puts the server's arrival times on the calls when the server tells them.
pub async fn execute(
    env: &Env,
    name: &str,
    streams: Vec<Stream>,
    mut options: RunOptions,
) -> Result<Executed, LoadError> {
    tokio::time::sleep(env.settle).await;
    options = with_env(env, options);
    let dir = scenario_dir(env, name);
    if let Some(dir) = &dir {
        std::fs::create_dir_all(dir)?;
        options.goose_report_stem = Some(dir.join("goose"));
    }
    let out = attack::run(&env.target, streams, &options).await?;
    let mut calls = out.calls;
    if let Some(times) = &env.server_times {
        join_server_times(&mut calls, &times());
    }
    Ok(Executed {
        calls,
        epoch: out.epoch,
        dir,
    })
}

/// `options` with what the environment decides for every run: the call timeout, the bound on
/// calls in flight, and a grace at least as long as one call may take.
fn with_env(env: &Env, mut options: RunOptions) -> RunOptions {
    options.timeout = env.call_timeout;
    options.max_in_flight = env.max_in_flight;
    options.grace = options.grace.max(env.call_timeout);
    options
}

/// Sets `server_ms` on each call whose RequestId the server recorded.
pub fn join_server_times(calls: &mut [Call], times: &[(String, i64)]) {
    let by_id: std::collections::HashMap<&str, i64> =
        times.iter().map(|(id, t)| (id.as_str(), *t)).collect();
    for c in calls.iter_mut() {
        if let Some(id) = &c.request_id {
            if let Some(t) = by_id.get(id.as_str()) {
                c.server_ms = Some(*t);
            }
        }
    }
}

/// Judges each key and writes the scenario's reports.
pub fn judge(
    env: &Env,
    name: &str,
    executed: &Executed,
    expectations: &[(Key, Expectation)],
) -> ScenarioResult {
    let _ = env;
    judge_calls(name, executed, expectations)
}

/// [`judge`], for calls that need no env (the union of shards' calls).
pub fn judge_calls(
    name: &str,
    executed: &Executed,
    expectations: &[(Key, Expectation)],
) -> ScenarioResult {
    let verdicts: Vec<Verdict> = expectations
        .iter()
        .map(|(key, e)| Verdict::compute(key, &executed.calls, e))
        .collect();
    let mut result = ScenarioResult::new(name, verdicts);
    result.dir = executed.dir.clone();
    result.elapsed_ms = span_ms(&executed.calls);
    result
}

/// From the first call leaving to the last answer, ms.
pub fn span_ms(calls: &[Call]) -> u64 {
    let first = calls.iter().map(|c| c.sent_ms).min();
    let last = calls
        .iter()
        .map(|c| c.sent_ms + (c.latency_us / 1000) as i64)
        .max();
    match (first, last) {
        (Some(first), Some(last)) => (last - first).max(0) as u64,
        _ => 0,
    }
}

/// Writes a judged scenario's reports (when the run has a report directory).
pub fn write(result: &ScenarioResult, executed: &Executed) -> Result<(), LoadError> {
    if let Some(dir) = &executed.dir {
        report::write_scenario(dir, result, &executed.calls)?;
    }
    Ok(())
}

/// An alignment that keeps every stream's slots away from window boundaries: half the
/// shortest slot interval past a whole second.
pub fn aligned(rates: &[f64]) -> RunOptions {
    let fastest = rates.iter().copied().fold(1.0f64, f64::max);
    let offset = (500.0 / fastest).clamp(3.0, 250.0).round() as i64;
    RunOptions {
        align_offset_ms: Some(offset),
        ..RunOptions::default()
    }
}

/// One signed call outside any run (setup and read-backs): its outcome and the `Response`.
pub async fn call_once(
    env: &Env,
    credentials: &Credentials,
    action: &str,
    version: &str,
    params: Value,
) -> (crate::call::Outcome, Value) {
    // The target's roots were checked when they were read: a client that fails to build here
    // fails every call the same way the default one would.
    let client = env.target.http_client(env.call_timeout).unwrap_or_default();
    let stream = Stream::new(
        action,
        version,
        credentials.clone(),
        params,
        crate::Schedule::default(),
    );
    let done =
        crate::schedule::send_call_full(&client, &env.target, &stream, 0, 0, Duration::ZERO).await;
    (done.0.call.outcome, done.1)
}

/// Makes sure every account of the env has an organization (the mock starts with none, and
/// most actions answer `ResourceNotFound.OrganizationNotExist` without one). An account that
/// already has one is left as it is.
pub async fn ensure_organization(env: &Env) -> Result<(), LoadError> {
    for creds in &env.accounts {
        let (outcome, _) =
            call_once(env, creds, "DescribeOrganization", "2021-03-31", json!({})).await;
        if outcome.is_accepted() {
            continue;
        }
        let (outcome, _) =
            call_once(env, creds, "CreateOrganization", "2021-03-31", json!({})).await;
        if !outcome.is_accepted() {
            return Err(LoadError::Usage(format!(
                "account {} has no organization and creating one failed: {:?}",
                creds.secret_id(),
                outcome
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_run_takes_the_environments_timeout_and_bound_on_calls_in_flight() {
        let target = Target::new("http://127.0.0.1:9").unwrap();
        let env = Env::new(target, Credentials::new("AKIDenvTest", "env-test-key"))
            .with_call_timeout(Duration::from_secs(7))
            .with_max_in_flight(3);
        let options = with_env(&env, RunOptions::default());
        assert_eq!(options.timeout, Duration::from_secs(7));
        assert_eq!(options.max_in_flight, 3);
        assert_eq!(
            options.grace,
            Duration::from_secs(7),
            "at least one call's timeout"
        );
        let defaults = Env::new(
            Target::new("http://127.0.0.1:9").unwrap(),
            Credentials::new("AKIDenvTest", "env-test-key"),
        );
        let options = with_env(&defaults, RunOptions::default());
        assert_eq!(options.max_in_flight, attack::DEFAULT_MAX_IN_FLIGHT);
    }
}
