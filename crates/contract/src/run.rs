//! The runner: pick the actions, reach the target, then the service probes, the rate-limit
//! smoke (`rate_limit_smoke`), the stateful flows (`flow_executor`) and every action's probes,
//! each answer judged (`crate::verdict`) and, with a mirror, compared with the mock
//! (`crate::compare`); against the mock, the fixture probes (`fixture_probes`).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tco_spec::{Action, Version};

#[cfg(feature = "mock")]
mod fixture_probes;
mod flow_executor;
#[cfg(feature = "mock")]
mod mock_target;
mod rate_limit_smoke;

pub(crate) use flow_executor::runnable_flows;
#[cfg(feature = "mock")]
use mock_target::mock_endpoint;
#[cfg(feature = "mock")]
pub use mock_target::{MOCK_INVITEE_UIN, MOCK_SUB_ACCOUNT_UIN};
pub(crate) use rate_limit_smoke::{burst_action, burst_size};

use crate::checks::{self, in_family, names};
use crate::compare::compare;
use crate::flows::Vars;
use crate::options::{Options, RunError, SuiteTarget};
use crate::pace::Pacer;
use crate::probes::{self, Planned};
use crate::report::{Difference, Judgement, Recorder, Report, SERVICE};
use crate::verdict::{expectation, judge};
use crate::wire::{Endpoint, Exchange, Outcome, Probe, TransportError};

/// The (version, action) pairs a run covers, in contract order.
pub fn select(options: &Options) -> Result<Vec<&'static Action>, RunError> {
    let versions: Vec<Version> = if options.versions.is_empty() {
        Version::ALL.to_vec()
    } else {
        options.versions.clone()
    };
    let mut selected = Vec::new();
    for name in &options.actions {
        if !versions
            .iter()
            .any(|v| tco_spec::action(*v, name).is_some())
        {
            let in_versions: Vec<&str> = versions.iter().map(|v| v.as_str()).collect();
            return Err(RunError::Usage(format!(
                "unknown action {name:?} in version {}{}",
                in_versions.join(" or "),
                tco_spec::did_you_mean(name)
            )));
        }
    }
    for version in versions {
        for action in tco_spec::contract(version).actions() {
            if options.actions.is_empty() || options.actions.iter().any(|a| a == &action.name) {
                selected.push(action);
            }
        }
    }
    Ok(selected)
}

/// Runs the suite against a target. `Err` only when the run could not be made; violations are
/// in the report.
pub async fn run(target: SuiteTarget, options: Options) -> Result<Report, RunError> {
    let started = std::time::Instant::now();
    let selection = select(&options)?;
    // Hold the in-process mocks for as long as the run lasts.
    #[cfg(feature = "mock")]
    let mut _mocks: Vec<tco_mock::MockServer> = Vec::new();

    let (endpoint, label, mutations, invitee) = match &target {
        SuiteTarget::Endpoint { url, credentials } => (
            Endpoint::new(
                url,
                credentials.clone(),
                options.timeout,
                options.clock.clone(),
            )?
            .with_root_certificates(&options.root_certificates)?
            .with_max_response_bytes(options.max_response_bytes),
            url.clone(),
            options.allow_mutations,
            options.invitee_uin,
        ),
        #[cfg(feature = "mock")]
        SuiteTarget::Mock => {
            if options.compare_mock {
                return Err(RunError::Usage(
                    "--compare-mock needs an endpoint to compare with the mock".into(),
                ));
            }
            let (endpoint, invitee) = mock_endpoint(&options, &mut _mocks).await?;
            (
                endpoint,
                "mock (in-process)".to_owned(),
                true,
                options.invitee_uin.or(Some(invitee)),
            )
        }
    };

    let mirror = if options.compare_mock {
        #[cfg(feature = "mock")]
        {
            let (endpoint, _) = mock_endpoint(&options, &mut _mocks).await?;
            Some(endpoint)
        }
        #[cfg(not(feature = "mock"))]
        return Err(RunError::Usage(
            "--compare-mock needs tco-contract's `mock` feature".into(),
        ));
    } else {
        None
    };

    let fixtures_follow = match &target {
        #[cfg(feature = "mock")]
        SuiteTarget::Mock => true,
        _ => false,
    };
    let runner = Arc::new(Runner {
        endpoint,
        fixtures_follow,
        mirror,
        options: options.clone(),
        recorder: Mutex::new(Recorder::default()),
        seen_ids: Mutex::new(HashSet::new()),
        pacer: Pacer::default(),
        mirror_pacer: Pacer::default(),
        requests: AtomicU64::new(0),
    });

    let (runnable, skipped): (Vec<&'static Action>, Vec<&'static Action>) = selection
        .iter()
        .copied()
        .partition(|a| mutations || probes::is_read_only(&a.name));
    for action in skipped {
        runner.recorder().skip(
            &action.name,
            action.version.as_str(),
            "changes state; read-only run (--allow-mutations runs it)",
        );
    }

    runner.say("contract: unknown-action probes");
    runner.service_probes(&selection).await?;
    runner.mirror_organization().await;
    if options.rate_limit {
        runner.say("contract: rate-limit burst");
        runner.rate_limit_smoke(&runnable).await;
    }
    if options.flows && mutations {
        runner.say("contract: stateful flows");
        let mut vars = Vars::new();
        if let Some(uin) = invitee {
            vars.insert("InviteeUin", Value::from(uin));
        }
        let sub_account = options.sub_account_uin.or(match &target {
            #[cfg(feature = "mock")]
            SuiteTarget::Mock => Some(MOCK_SUB_ACCOUNT_UIN),
            _ => None,
        });
        if let Some(uin) = sub_account {
            vars.insert("SubAccountUin", Value::from(uin));
        }
        let mut organization: Option<Option<String>> = None;
        for flow in runnable_flows(&runnable, &vars) {
            if flow.creates_organization() {
                if organization.is_none() {
                    organization = Some(runner.organization_of_account().await);
                }
                if let Some(Some(org_id)) = &organization {
                    runner.recorder().precondition(
                        &format!("{}.{}", names::FLOW, flow.family),
                        format!("needs an account outside any organization (the flow creates one and deletes it), but this account is in organization {org_id}; use an account without one to run it"),
                    );
                    continue;
                }
            }
            runner.run_flow(&flow, vars.clone()).await;
        }
    }
    runner.clone().probe_actions(runnable.clone()).await;
    #[cfg(feature = "mock")]
    if matches!(target, SuiteTarget::Mock) {
        runner.say("contract: fixture probes");
        runner.fixture_probes(&runnable).await;
    }

    let runner = Arc::try_unwrap(runner).unwrap_or_else(|_| panic!("every probe task has ended"));
    let requests = runner.requests.load(Ordering::Relaxed);
    let recorder = runner
        .recorder
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let mut report = recorder.finish(label, requests);
    report.elapsed = started.elapsed();
    Ok(report)
}

struct Runner {
    endpoint: Endpoint,
    /// Against the mock, fixtures are made afterwards for what the probes could not reach, so a
    /// list's first page is judged there, in a world made for it.
    fixtures_follow: bool,
    mirror: Option<Endpoint>,
    options: Options,
    recorder: Mutex<Recorder>,
    seen_ids: Mutex<HashSet<String>>,
    pacer: Pacer,
    mirror_pacer: Pacer,
    requests: AtomicU64,
}

/// The answer to creating an organization for an account that is already in one.
const ORGANIZATION_EXISTS: &str = "FailedOperation.OrganizationExistAlready";

/// How many times a throttled probe is sent again before its answer is taken as it is.
const THROTTLE_RETRIES: u32 = 3;

impl Runner {
    fn recorder(&self) -> std::sync::MutexGuard<'_, Recorder> {
        self.recorder.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn say(&self, line: &str) {
        if let Some(progress) = &self.options.progress {
            progress(line);
        }
    }

    fn cap(&self, limit: u32) -> usize {
        pace_cap(limit, self.options.pace)
    }

    /// Sends within the action's pace; a throttled answer is retried a few times, since the
    /// probes judge something else.
    async fn send(
        &self,
        endpoint: &Endpoint,
        pacer: &Pacer,
        probe: &Probe,
        limit: u32,
    ) -> Result<Exchange, TransportError> {
        let cap = self.cap(limit);
        let mut attempt = 0;
        loop {
            pacer.admit(&probe.version, &probe.action, cap).await;
            self.requests.fetch_add(1, Ordering::Relaxed);
            let answer = endpoint.send(probe).await?;
            let throttled = answer
                .error_code()
                .is_some_and(|c| in_family(c, "RequestLimitExceeded"));
            if !throttled || attempt >= THROTTLE_RETRIES {
                return Ok(answer);
            }
            attempt += 1;
            pacer.exhaust(&probe.version, &probe.action, cap);
        }
    }

    /// Applies the checks every answer gets: envelope, RequestId, error code, response shape.
    fn judge(
        &self,
        action_label: &str,
        version: Version,
        action: Option<&'static Action>,
        answer: &Exchange,
    ) {
        let mut rec = self.recorder();
        let mut seen = self.seen_ids.lock().unwrap_or_else(|e| e.into_inner());
        judge(&mut rec, &mut seen, action_label, version, action, answer);
    }

    fn record(
        &self,
        action: &str,
        version: Version,
        check: &str,
        verdict: Judgement,
        id: Option<&str>,
    ) {
        self.recorder()
            .record(action, version.as_str(), check, verdict, id);
    }

    /// Sends one planned probe, judges the answer and the probe's own expectation, and compares
    /// with the mock when asked.
    async fn probe(
        &self,
        label: &str,
        version: Version,
        action: Option<&'static Action>,
        planned: &Planned,
    ) {
        let limit = action.map_or(20, |a| a.rate_limit);
        let answer = match self
            .send(&self.endpoint, &self.pacer, &planned.probe, limit)
            .await
        {
            Ok(answer) => answer,
            Err(e) => {
                self.record(
                    label,
                    version,
                    &planned.check,
                    Judgement::Fail(format!("{}: no answer: {e}", planned.what)),
                    None,
                );
                return;
            }
        };
        self.judge(label, version, action, &answer);
        let verdict = expectation(planned, &answer);
        self.record(label, version, &planned.check, verdict, answer.request_id());
        self.recorder()
            .add_time(label, version.as_str(), &planned.check, answer.elapsed);
        if planned.check == names::POSITIVE_LIST && !self.fixtures_follow {
            if let Some(action) = action {
                self.judge_list(action, &answer);
            }
        }
        if let Some(mirror) = &self.mirror {
            let mocked = self
                .send(mirror, &self.mirror_pacer, &planned.probe, limit)
                .await;
            let detail = match mocked {
                Err(e) => Some(format!("the mock did not answer: {e}")),
                Ok(mocked) => compare(&answer, &mocked),
            };
            if let Some(detail) = detail {
                self.recorder().differ(Difference {
                    action: label.to_owned(),
                    version: version.as_str().to_owned(),
                    probe: format!("{} ({})", planned.check, planned.what),
                    detail,
                });
            }
        }
    }

    /// The comparison mock starts without an organization; when the endpoint has one, make
    /// one on the mock too (as the load side's `ensure_organization` does), so that reads are
    /// compared against the same kind of world rather than all differing.
    async fn mirror_organization(&self) {
        let Some(mirror) = &self.mirror else {
            return;
        };
        let describe = Probe::new(
            "DescribeOrganization",
            "2021-03-31",
            Value::Object(Default::default()),
        );
        self.requests.fetch_add(1, Ordering::Relaxed);
        let endpoint_has_one = matches!(
            self.endpoint.send(&describe).await.map(|a| a.outcome()),
            Ok(Outcome::Success)
        );
        if !endpoint_has_one {
            return;
        }
        let mock_has_one = matches!(
            mirror.send(&describe).await.map(|a| a.outcome()),
            Ok(Outcome::Success)
        );
        if !mock_has_one {
            let create = Probe::new(
                "CreateOrganization",
                "2021-03-31",
                Value::Object(Default::default()),
            );
            if let Ok(answer) = mirror.send(&create).await {
                if answer.outcome() != Outcome::Success {
                    self.recorder().differ(Difference {
                        action: "CreateOrganization".into(),
                        version: "2021-03-31".into(),
                        probe: "setup of the comparison mock".into(),
                        detail: format!(
                            "the endpoint has an organization, but creating one on the mock got {}",
                            answer.describe()
                        ),
                    });
                }
            }
        }
    }

    /// The unknown-action probes of each version; the first also tells whether the endpoint
    /// answers at all.
    async fn service_probes(&self, selection: &[&'static Action]) -> Result<(), RunError> {
        let mut versions: Vec<Version> = selection.iter().map(|a| a.version).collect();
        versions.dedup();
        let mut first = true;
        for version in versions {
            for planned in probes::service_plan(version) {
                if first {
                    first = false;
                    self.requests.fetch_add(1, Ordering::Relaxed);
                    // Reachability: a transport failure here ends the run.
                    self.endpoint
                        .send(&planned.probe)
                        .await
                        .map_err(RunError::Connect)?;
                }
                self.probe(SERVICE, version, None, &planned).await;
            }
        }
        Ok(())
    }

    /// Every action's probes, a few actions at a time.
    async fn probe_actions(self: Arc<Self>, actions: Vec<&'static Action>) {
        let semaphore = Arc::new(tokio::sync::Semaphore::new(self.options.concurrency.max(1)));
        let total = actions.len();
        self.say(&format!("contract: 0/{total} actions probed"));
        let mut tasks = tokio::task::JoinSet::new();
        for action in actions {
            let runner = self.clone();
            let semaphore = semaphore.clone();
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await.expect("never closed");
                for planned in probes::plan(action) {
                    runner
                        .probe(&action.name, action.version, Some(action), &planned)
                        .await;
                }
            });
        }
        let mut finished = 0;
        while let Some(done) = tasks.join_next().await {
            if let Err(e) = done {
                if e.is_panic() {
                    std::panic::resume_unwind(e.into_panic());
                }
            }
            finished += 1;
            self.say(&format!(
                "contract: {finished}/{total} actions probed, {} requests",
                self.requests.load(Ordering::Relaxed)
            ));
        }
    }

    /// Whether a list action's successful answer had items to check (see
    /// [`checks::list_items`]).
    fn judge_list(&self, action: &'static Action, answer: &Exchange) {
        if answer.outcome() != Outcome::Success {
            return;
        }
        let response = Value::Object(answer.response().cloned().unwrap_or_default());
        let verdict = checks::list_items(&probes::listed_members(action), &response);
        self.record(
            &action.name,
            action.version,
            names::LIST_ITEMS,
            verdict,
            answer.request_id(),
        );
    }
}

/// How many requests a second the probes of an action may use: a share of its limit.
pub(crate) fn pace_cap(limit: u32, pace: f64) -> usize {
    ((f64::from(limit) * pace).floor() as usize).max(1)
}
