//! The run: pick the actions, reach the target, then the service probes, the rate-limit smoke,
//! the stateful flows and every action's probes, each answer judged by every check.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tco_clock::{Clock, SystemClock};
use tco_sign::Credentials;
use tco_spec::{Action, Contract, Version};

use crate::checks::{self, in_family, names, REFUSALS};
use crate::flows::{self, Flow, Vars};
use crate::pace::Pacer;
use crate::probes::{self, Expect, Planned};
use crate::report::{Difference, Recorder, Report, Verdict, SERVICE};
use crate::wire::{BadEndpoint, Endpoint, Exchange, Outcome, Probe, TransportError};

/// What to check.
#[derive(Debug, Clone)]
pub enum Target {
    /// An endpoint, e.g. `https://organization.intl.tencentcloudapi.com` or a staging URL,
    /// called with these credentials.
    Endpoint {
        url: String,
        credentials: Credentials,
    },
    /// The project's own mock, started in-process for the run (with a second account, so the
    /// invitation flow has someone to invite).
    #[cfg(feature = "mock")]
    Mock,
}

impl Target {
    pub fn endpoint(url: impl Into<String>, credentials: Credentials) -> Self {
        Target::Endpoint {
            url: url.into(),
            credentials,
        }
    }
}

/// How to run.
#[derive(Clone)]
pub struct Options {
    /// Versions to check; empty: both.
    pub versions: Vec<Version>,
    /// Action names to check (in every selected version that has them); empty: all.
    pub actions: Vec<String>,
    /// Run actions that change state against an endpoint (always on against the mock).
    pub allow_mutations: bool,
    /// Also send every probe to an in-process mock and report where the answers differ.
    pub compare_mock: bool,
    /// Burst one read action above its documented limit.
    pub rate_limit: bool,
    /// The action the burst goes to; by default `DescribeOrganization` (or the first read-only
    /// action selected).
    pub rate_limit_action: Option<String>,
    /// Run the stateful flows (when their actions are selected and may run).
    pub flows: bool,
    /// The uin of an account the invitation flow may invite (the flow is skipped without one;
    /// against the mock a second account is made for it).
    pub invitee_uin: Option<u64>,
    /// The UIN of one of the manager's sub-accounts, for the flow that binds one to log in to
    /// a member (skipped without one; against the mock a UIN it knows no account for).
    pub sub_account_uin: Option<u64>,
    /// Actions probed at once.
    pub concurrency: usize,
    /// Each request's timeout.
    pub timeout: Duration,
    /// The largest answer body read (default [`tco_client::DEFAULT_MAX_RESPONSE_BYTES`]); a
    /// larger answer is reported as such and never read whole.
    pub max_response_bytes: usize,
    /// The share of an action's documented limit the probes may use per second.
    pub pace: f64,
    /// The clock that stamps requests, aligns the rate-limit burst, and runs the in-process
    /// mocks (so a test may put the whole run on one [`tco_clock::ManualClock`]).
    pub clock: Arc<dyn Clock>,
    /// Told what the run is doing as it goes (phase and counts), one line at a time.
    pub progress: Option<Progress>,
    /// Certificate authorities an endpoint's certificate may chain to besides the system's.
    pub root_certificates: tco_client::RootCertificates,
}

/// Receives progress lines, e.g. `contract: 37/146 actions probed, 1204 requests`.
pub type Progress = Arc<dyn Fn(&str) + Send + Sync>;

impl Default for Options {
    fn default() -> Self {
        Options {
            versions: Vec::new(),
            actions: Vec::new(),
            allow_mutations: false,
            compare_mock: false,
            rate_limit: true,
            rate_limit_action: None,
            flows: true,
            invitee_uin: None,
            sub_account_uin: None,
            concurrency: 32,
            timeout: Duration::from_secs(30),
            max_response_bytes: tco_client::DEFAULT_MAX_RESPONSE_BYTES,
            pace: 0.75,
            clock: Arc::new(SystemClock),
            progress: None,
            root_certificates: tco_client::RootCertificates::default(),
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("versions", &self.versions)
            .field("actions", &self.actions)
            .field("allow_mutations", &self.allow_mutations)
            .field("compare_mock", &self.compare_mock)
            .field("rate_limit", &self.rate_limit)
            .field("rate_limit_action", &self.rate_limit_action)
            .field("flows", &self.flows)
            .field("invitee_uin", &self.invitee_uin)
            .field("sub_account_uin", &self.sub_account_uin)
            .field("concurrency", &self.concurrency)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("pace", &self.pace)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

/// Why a run could not be made (as opposed to a run that found violations).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The options ask for something that does not exist or cannot be combined.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    BadEndpoint(#[from] BadEndpoint),
    /// The first request got no usable answer: the endpoint is down, too slow, or answers
    /// with something no client should read.
    #[error("{}", no_answer(.0))]
    Connect(#[source] TransportError),
}

fn no_answer(e: &TransportError) -> String {
    match e {
        TransportError::Timeout { .. } => format!("the endpoint did not answer in time: {e}"),
        TransportError::TooLarge { .. } => format!("the endpoint's answer is too large: {e}"),
        TransportError::Failed { .. } => format!("cannot reach the endpoint: {e}"),
        TransportError::CertificateNotTrusted { .. } => format!("cannot reach the endpoint: {e}"),
    }
}

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
pub async fn run(target: Target, options: Options) -> Result<Report, RunError> {
    let started = std::time::Instant::now();
    let selection = select(&options)?;
    // Hold the in-process mocks for as long as the run lasts.
    #[cfg(feature = "mock")]
    let mut _mocks: Vec<tco_mock::MockServer> = Vec::new();

    let (endpoint, label, mutations, invitee) = match &target {
        Target::Endpoint { url, credentials } => (
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
        Target::Mock => {
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
        Target::Mock => true,
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
            Target::Mock => Some(MOCK_SUB_ACCOUNT_UIN),
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
    if matches!(target, Target::Mock) {
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

/// The uin of the second account the in-process mock gets, for the invitation flow.
#[cfg(feature = "mock")]
pub const MOCK_INVITEE_UIN: u64 = 100_000_000_777;

/// A uin the in-process mock knows no account for: to it, one of the manager's sub-accounts.
#[cfg(feature = "mock")]
pub const MOCK_SUB_ACCOUNT_UIN: u64 = 100_000_000_778;

/// Starts an in-process mock, keeps it in `mocks` for as long as the run lasts, and returns
/// an endpoint on it (with the run's timeout and clock) and the mock invitee's UIN.
#[cfg(feature = "mock")]
async fn mock_endpoint(
    options: &Options,
    mocks: &mut Vec<tco_mock::MockServer>,
) -> Result<(Endpoint, u64), RunError> {
    let (mock, invitee) = start_mock(options.clock.clone()).await;
    let endpoint = Endpoint::new(
        &mock.uri(),
        mock.default_credentials(),
        options.timeout,
        options.clock.clone(),
    )?;
    mocks.push(mock);
    Ok((endpoint, invitee))
}

#[cfg(feature = "mock")]
async fn start_mock(clock: Arc<dyn Clock>) -> (tco_mock::MockServer, u64) {
    let invitee = tco_mock::config::Account::new(
        MOCK_INVITEE_UIN,
        "AKIDtcoContractInvitee000000000000000",
        "tco-contract-invitee-key",
    )
    .with_name("tco-contract-invitee");
    let mock = tco_mock::MockServer::builder()
        .account(invitee)
        .clock(clock)
        .start()
        .await;
    (mock, MOCK_INVITEE_UIN)
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
        verdict: Verdict,
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
                    Verdict::Fail(format!("{}: no answer: {e}", planned.what)),
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

    /// Against the mock: each action whose positive probes got no answer of the documented
    /// shape (their example IDs do not exist, so a business error came back) is called once
    /// more in a fresh mock set up for it, its IDs filled from the fixtures and sent by the
    /// account that may make the call. The answer must be a success, judged like any other.
    /// Each list action's first page is sent there too, and must list something.
    #[cfg(feature = "mock")]
    async fn fixture_probes(&self, actions: &[&'static Action]) {
        for action in actions {
            let (name, version) = (action.name.as_str(), action.version);
            let shaped = self
                .recorder()
                .has_passed(name, version.as_str(), names::RESPONSE_SHAPE);
            let lists = !probes::listed_members(action).is_empty();
            if shaped && !lists {
                continue;
            }
            let check = names::POSITIVE_FIXTURE;
            let fixture = match crate::fixtures::Fixture::start(
                action,
                self.options.timeout,
                self.options.clock.clone(),
                &self.requests,
            )
            .await
            {
                Ok(fixture) => fixture,
                Err(e) => {
                    self.record(
                        name,
                        version,
                        check,
                        Verdict::Fail(format!("setting up the fixtures: {e}")),
                        None,
                    );
                    continue;
                }
            };
            if lists {
                self.fixture_list_probe(action, &fixture).await;
            }
            if shaped {
                continue;
            }
            let (params, caller) = fixture.prepare(action);
            let probe = Probe::new(name, version.as_str(), params);
            let answer = match self
                .send(caller, &self.pacer, &probe, action.rate_limit)
                .await
            {
                Ok(answer) => answer,
                Err(e) => {
                    self.record(
                        name,
                        version,
                        check,
                        Verdict::Fail(format!("the example with fixture IDs: no answer: {e}")),
                        None,
                    );
                    continue;
                }
            };
            self.judge(name, version, Some(action), &answer);
            let verdict = if answer.outcome() == Outcome::Success {
                Verdict::Pass
            } else {
                Verdict::Fail(format!(
                    "the example with fixture IDs: expected success, got {}",
                    answer.describe()
                ))
            };
            self.record(name, version, check, verdict, answer.request_id());
            self.recorder()
                .add_time(name, version.as_str(), check, answer.elapsed);
        }
    }

    /// A list action's first page with the fixtures' IDs: a success that lists something.
    /// Some lists need one of two optional members (`MemberUin` or `IdentityId`, `ServiceId` or
    /// `Product`), so where the required members alone get a business error, the example's
    /// members (from the start) are sent instead.
    #[cfg(feature = "mock")]
    async fn fixture_list_probe(
        &self,
        action: &'static Action,
        fixture: &crate::fixtures::Fixture,
    ) {
        let (name, version) = (action.name.as_str(), action.version);
        let check = names::POSITIVE_LIST_FIXTURE;
        let mut last = String::new();
        for request in [
            probes::first_page(action),
            probes::from_the_start(action.example_request()),
        ] {
            let (params, caller) = fixture.prepare_request(action, request);
            let probe = Probe::new(name, version.as_str(), params);
            match self
                .send(caller, &self.pacer, &probe, action.rate_limit)
                .await
            {
                Err(e) => last = format!("no answer: {e}"),
                Ok(answer) => {
                    self.judge(name, version, Some(action), &answer);
                    self.recorder()
                        .add_time(name, version.as_str(), check, answer.elapsed);
                    if answer.outcome() == Outcome::Success {
                        self.record(name, version, check, Verdict::Pass, answer.request_id());
                        self.judge_list(action, &answer);
                        return;
                    }
                    last = answer.describe();
                }
            }
        }
        let verdict = Verdict::Fail(format!(
            "the first page with fixture IDs: expected success, got {last}"
        ));
        self.record(name, version, check, verdict, None);
    }

    /// A burst above the documented limit on one read action: some answers must be
    /// `RequestLimitExceeded`, and every other answer what a single call gets.
    async fn rate_limit_smoke(&self, runnable: &[&'static Action]) {
        let Some(action) = burst_action(&self.options, runnable) else {
            return;
        };
        let version = action.version;
        let probe = Probe::new(
            action.name.clone(),
            version.as_str(),
            probes::minimal_request(action),
        );
        let baseline = match self
            .send(&self.endpoint, &self.pacer, &probe, action.rate_limit)
            .await
        {
            Ok(answer) => answer,
            Err(e) => {
                self.record(
                    &action.name,
                    version,
                    names::RATE_LIMIT,
                    Verdict::Fail(format!("no answer: {e}")),
                    None,
                );
                return;
            }
        };
        self.judge(&action.name, version, Some(action), &baseline);
        let expected = baseline.outcome();

        // Start just after a second boundary, so the whole burst lands in one window of a
        // server whose clock is close to ours.
        let now = self
            .options
            .clock
            .now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let into_second = Duration::from_nanos(u64::from(now.subsec_nanos()));
        tokio::time::sleep(Duration::from_millis(1020).saturating_sub(into_second)).await;

        let burst = burst_size(action) as usize;
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..burst {
            let endpoint = self.endpoint.clone();
            let probe = probe.clone();
            tasks.spawn(async move { endpoint.send(&probe).await });
        }
        self.requests.fetch_add(burst as u64, Ordering::Relaxed);
        let mut throttled = 0;
        let mut unexpected: BTreeMap<String, (u32, Option<String>)> = BTreeMap::new();
        while let Some(done) = tasks.join_next().await {
            let answer = match done {
                Ok(Ok(answer)) => answer,
                Ok(Err(e)) => {
                    let entry = unexpected.entry(format!("no answer ({e})")).or_default();
                    entry.0 += 1;
                    continue;
                }
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            };
            self.judge(&action.name, version, Some(action), &answer);
            let outcome = answer.outcome();
            match &outcome {
                Outcome::Error(code) if in_family(code, "RequestLimitExceeded") => throttled += 1,
                o if *o == expected => {}
                _ => {
                    let entry = unexpected.entry(answer.describe()).or_default();
                    entry.0 += 1;
                    entry.1 = entry.1.take().or(answer.request_id().map(str::to_owned));
                }
            }
        }
        self.pacer
            .exhaust(version.as_str(), &action.name, self.cap(action.rate_limit));
        if throttled == 0 {
            self.record(
                &action.name,
                version,
                names::RATE_LIMIT,
                Verdict::Fail(format!(
                    "{burst} requests at once (documented limit {}/s): none was answered RequestLimitExceeded",
                    action.rate_limit
                )),
                None,
            );
        }
        for (what, (count, id)) in &unexpected {
            self.record(
                &action.name,
                version,
                names::RATE_LIMIT,
                Verdict::Fail(format!(
                    "{count} of {burst} burst answers were {what}: only RequestLimitExceeded or what a single call gets ({expected}) may come back"
                )),
                id.as_deref(),
            );
        }
        if throttled > 0 && unexpected.is_empty() {
            self.record(
                &action.name,
                version,
                names::RATE_LIMIT,
                Verdict::Pass,
                None,
            );
        }
    }

    /// Sends a flow step, judging each answer; a polling step (`until`) again while it
    /// succeeds but is not done, within its bounds. The last answer, and the number of tries
    /// when the poll gave up before the work was done.
    async fn send_step(
        &self,
        step: &flows::Step,
        action: &'static Action,
        probe: &Probe,
    ) -> Result<(Exchange, Option<u32>), TransportError> {
        let mut tries = 0;
        loop {
            let answer = self
                .send(&self.endpoint, &self.pacer, probe, action.rate_limit)
                .await?;
            tries += 1;
            self.judge(step.action, step.version, Some(action), &answer);
            let Some(until) = step.until else {
                return Ok((answer, None));
            };
            let response = Value::Object(answer.response().cloned().unwrap_or_default());
            if answer.outcome() != Outcome::Success || (until.done)(&response) {
                return Ok((answer, None));
            }
            if tries >= until.tries {
                return Ok((answer, Some(tries)));
            }
            // The first repeat at once, later ones paced as a consumer polls.
            if tries > 1 {
                tokio::time::sleep(until.every).await;
            }
        }
    }

    /// The OrgId of the organization the target's account is in, or `None` when it is in none
    /// (or the answer does not say).
    async fn organization_of_account(&self) -> Option<String> {
        let probe = Probe::new(
            "DescribeOrganization",
            "2021-03-31",
            Value::Object(Default::default()),
        );
        let limit = tco_spec::action(Version::V2021_03_31, "DescribeOrganization")
            .map_or(20, |a| a.rate_limit);
        let answer = self
            .send(&self.endpoint, &self.pacer, &probe, limit)
            .await
            .ok()?;
        if answer.outcome() != Outcome::Success {
            return None;
        }
        let org_id = answer.response()?.get("OrgId")?;
        Some(match org_id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// One flow: each step in turn until one fails, then the teardown of what was made.
    async fn run_flow(&self, flow: &Flow, mut vars: Vars) {
        let check = format!("{}.{}", names::FLOW, flow.family);
        let mut undo = Vec::new();
        let total = flow.steps.len();
        for (i, step) in flow.steps.iter().enumerate() {
            let action =
                tco_spec::action(step.version, step.action).expect("flows name contract actions");
            let probe = Probe::new(step.action, step.version.as_str(), (step.params)(&vars));
            let at = format!("step {}/{total} {} {}", i + 1, step.version, step.action);
            let (answer, unfinished) = match self.send_step(step, action, &probe).await {
                Ok(sent) => sent,
                Err(e) => {
                    self.record(
                        step.action,
                        step.version,
                        &check,
                        Verdict::Fail(format!("{at}: no answer: {e}")),
                        None,
                    );
                    break;
                }
            };
            let id = answer.request_id();
            if step.action == "CreateOrganization"
                && answer
                    .error_code()
                    .is_some_and(|c| c == ORGANIZATION_EXISTS)
            {
                // The account joined an organization since the check: not a violation.
                self.recorder().precondition(
                    &check,
                    format!(
                        "{at}: needs an account outside any organization, got {}",
                        answer.describe()
                    ),
                );
                break;
            }
            if answer.outcome() != Outcome::Success {
                self.record(
                    step.action,
                    step.version,
                    &check,
                    Verdict::Fail(format!("{at}: expected success, got {}", answer.describe())),
                    id,
                );
                break;
            }
            if let Some(tries) = unfinished {
                self.record(
                    step.action,
                    step.version,
                    &check,
                    Verdict::Fail(format!("{at}: still not done after {tries} polls")),
                    id,
                );
                break;
            }
            if let Some(u) = step.undo {
                undo.push(u);
            }
            let response = Value::Object(answer.response().cloned().unwrap_or_default());
            let mut problem = None;
            for (name, pointer) in step.capture {
                match response.pointer(pointer) {
                    Some(v) if !v.is_null() => {
                        vars.insert(name, v.clone());
                    }
                    _ => {
                        problem = Some(format!(
                            "{at}: the answer has no {pointer} for the steps after"
                        ));
                    }
                }
            }
            if problem.is_none() {
                if let Some(verify) = step.verify {
                    problem = verify(&response, &vars).err().map(|e| format!("{at}: {e}"));
                }
            }
            let failed = problem.is_some();
            let verdict = problem.map_or(Verdict::Pass, Verdict::Fail);
            self.record(step.action, step.version, &check, verdict, id);
            self.recorder()
                .add_time(step.action, step.version.as_str(), &check, answer.elapsed);
            if failed {
                break;
            }
        }
        for u in undo.into_iter().rev() {
            let action =
                tco_spec::action(u.version, u.action).expect("flows name contract actions");
            let probe = Probe::new(u.action, u.version.as_str(), (u.params)(&vars));
            let at = format!("teardown {} {}", u.version, u.action);
            match self
                .send(&self.endpoint, &self.pacer, &probe, action.rate_limit)
                .await
            {
                Err(e) => self.record(
                    u.action,
                    u.version,
                    &check,
                    Verdict::Fail(format!("{at}: no answer: {e}")),
                    None,
                ),
                Ok(answer) => {
                    self.judge(u.action, u.version, Some(action), &answer);
                    let verdict = if answer.outcome() == Outcome::Success {
                        Verdict::Pass
                    } else {
                        Verdict::Fail(format!("{at}: expected success, got {}", answer.describe()))
                    };
                    self.record(u.action, u.version, &check, verdict, answer.request_id());
                }
            }
        }
    }
}

/// How many requests a second the probes of an action may use: a share of its limit.
pub(crate) fn pace_cap(limit: u32, pace: f64) -> usize {
    ((f64::from(limit) * pace).floor() as usize).max(1)
}

/// The read action the rate-limit burst goes to.
pub(crate) fn burst_action(
    options: &Options,
    runnable: &[&'static Action],
) -> Option<&'static Action> {
    let read: Vec<&'static Action> = runnable
        .iter()
        .copied()
        .filter(|a| probes::is_read_only(&a.name))
        .collect();
    let named = |name: &str| read.iter().rev().find(|a| a.name == name).copied();
    match &options.rate_limit_action {
        Some(name) => named(name),
        None => named("DescribeOrganization")
            .or_else(|| named("GetOrganization"))
            .or_else(|| {
                read.iter()
                    .find(|a| {
                        probes::minimal_request(a)
                            .as_object()
                            .is_some_and(|m| m.is_empty())
                    })
                    .copied()
            })
            .or_else(|| read.first().copied()),
    }
}

/// How many requests the burst sends at once: twice the limit and some.
pub(crate) fn burst_size(action: &Action) -> u64 {
    u64::from(action.rate_limit) * 2 + 5
}

/// The flows a run makes: their actions are all runnable and what they need is given.
pub(crate) fn runnable_flows(runnable: &[&'static Action], vars: &Vars) -> Vec<Flow> {
    flows::all()
        .into_iter()
        .filter(|flow| {
            flow.actions()
                .all(|(v, name)| runnable.iter().any(|a| a.version == v && a.name == name))
                && flow.needs.iter().all(|n| vars.contains_key(n))
        })
        .collect()
}

/// Applies the checks every answer gets: envelope, RequestId (a UUID, never seen before in
/// the run), error code, response shape.
pub(crate) fn judge(
    rec: &mut Recorder,
    seen: &mut HashSet<String>,
    action_label: &str,
    version: Version,
    action: Option<&Action>,
    answer: &Exchange,
) {
    let contract: &Contract = tco_spec::contract(version);
    let version = version.as_str();
    let id = answer.request_id();
    let timed = |rec: &mut Recorder, check: &str| {
        rec.add_time(action_label, version, check, answer.elapsed);
    };
    let problems = checks::envelope(answer);
    if problems.is_empty() {
        rec.record(action_label, version, names::ENVELOPE, Verdict::Pass, id);
    }
    for p in problems {
        rec.record(action_label, version, names::ENVELOPE, Verdict::Fail(p), id);
    }
    timed(rec, names::ENVELOPE);
    let verdict = match checks::request_id_format(answer) {
        Err(problem) => Verdict::Fail(problem),
        Ok(id) if seen.insert(id.to_owned()) => Verdict::Pass,
        Ok(id) => Verdict::Fail(format!(
            "RequestId {id} was already used by an earlier answer"
        )),
    };
    rec.record(action_label, version, names::REQUEST_ID, verdict, id);
    timed(rec, names::REQUEST_ID);
    match answer.outcome() {
        Outcome::Error(code) => {
            let verdict = checks::error_code(contract, action, &code);
            rec.record(action_label, version, names::ERROR_CODE, verdict, id);
            timed(rec, names::ERROR_CODE);
        }
        Outcome::Success => {
            if let (Some(action), Some(response)) = (action, answer.response()) {
                let response = Value::Object(response.clone());
                let verdicts = checks::response_shape(action, &response);
                if verdicts.is_empty() {
                    rec.record(
                        action_label,
                        version,
                        names::RESPONSE_SHAPE,
                        Verdict::Pass,
                        id,
                    );
                }
                for v in verdicts {
                    rec.record(action_label, version, names::RESPONSE_SHAPE, v, id);
                }
                timed(rec, names::RESPONSE_SHAPE);
            }
        }
        Outcome::Unreadable => {}
    }
}

/// Whether the answer is what the probe expects.
pub(crate) fn expectation(planned: &Planned, answer: &Exchange) -> Verdict {
    let what = &planned.what;
    match (&planned.expect, answer.outcome()) {
        (_, Outcome::Unreadable) => Verdict::Fail(format!("{what}: no readable answer")),
        (Expect::Accepted, Outcome::Success) => Verdict::Pass,
        (Expect::Accepted, Outcome::Error(code)) => {
            if REFUSALS.iter().any(|f| in_family(&code, f)) {
                Verdict::Fail(format!("{what} was refused with {}", answer.describe()))
            } else {
                Verdict::Pass
            }
        }
        (Expect::Refused(families), Outcome::Error(code)) => {
            if families.iter().any(|f| in_family(&code, f)) {
                Verdict::Pass
            } else {
                Verdict::Fail(format!(
                    "{what} got {} (expected {})",
                    answer.describe(),
                    families.join(" or ")
                ))
            }
        }
        (Expect::Refused(families), Outcome::Success) => Verdict::Fail(format!(
            "{what} was accepted (expected {})",
            families.join(" or ")
        )),
    }
}

/// Where two answers to the same probe differ in code or shape; `None` when they agree.
pub(crate) fn compare(endpoint: &Exchange, mock: &Exchange) -> Option<String> {
    let (a, b) = (endpoint.outcome(), mock.outcome());
    if a != b {
        return Some(format!("the endpoint answered {a}, the mock {b}"));
    }
    if a != Outcome::Success {
        return None;
    }
    let (Some(ra), Some(rb)) = (endpoint.response(), mock.response()) else {
        return None;
    };
    let mut sa = BTreeMap::new();
    let mut sb = BTreeMap::new();
    skeleton(&Value::Object(ra.clone()), "$".into(), &mut sa);
    skeleton(&Value::Object(rb.clone()), "$".into(), &mut sb);
    let mut diffs = Vec::new();
    for (path, kind) in &sa {
        match sb.get(path) {
            Some(other) if other != kind => diffs.push(format!(
                "{path} is {kind} at the endpoint, {other} at the mock"
            )),
            None if parent_in(path, &sb) => diffs.push(format!("{path} only at the endpoint")),
            _ => {}
        }
    }
    for path in sb.keys() {
        if !sa.contains_key(path) && parent_in(path, &sa) {
            diffs.push(format!("{path} only at the mock"));
        }
    }
    if diffs.is_empty() {
        None
    } else {
        Some(diffs.join("; "))
    }
}

/// Paths and JSON kinds of a value; list items share the path `[]`.
fn skeleton(value: &Value, path: String, out: &mut BTreeMap<String, &'static str>) {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    };
    out.insert(path.clone(), kind);
    match value {
        Value::Array(items) => {
            for item in items {
                skeleton(item, format!("{path}[]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                skeleton(v, format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// Whether the path's parent exists (as an object) on the other side: a member missing from an
/// object both have is a difference; one inside a list the other side has empty is not.
fn parent_in(path: &str, other: &BTreeMap<String, &'static str>) -> bool {
    if path.ends_with("[]") {
        return false;
    }
    let parent = match path.rfind('.') {
        Some(i) => &path[..i],
        None => return false,
    };
    other.get(parent) == Some(&"object")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(body: Value) -> Exchange {
        Exchange::from_json(&body)
    }

    #[test]
    fn compare_finds_code_and_shape_differences() {
        let ok = |v: Value| answer(json!({"Response": v}));
        let err = |c: &str| answer(json!({"Response": {"Error": {"Code": c, "Message": "m"}}}));
        assert_eq!(compare(&ok(json!({"A": 1})), &ok(json!({"A": 2}))), None);
        assert_eq!(
            compare(&err("ResourceNotFound"), &ok(json!({}))).unwrap(),
            "the endpoint answered ResourceNotFound, the mock success"
        );
        assert_eq!(
            compare(&ok(json!({"A": "1"})), &ok(json!({"A": 1}))).unwrap(),
            "$.A is string at the endpoint, number at the mock"
        );
        assert_eq!(
            compare(&ok(json!({"A": 1, "B": 2})), &ok(json!({"A": 1}))).unwrap(),
            "$.B only at the endpoint"
        );
        // A list empty on one side is not a shape difference.
        assert_eq!(
            compare(&ok(json!({"L": [{"X": 1}]})), &ok(json!({"L": []}))),
            None
        );
    }

    #[test]
    fn expectations() {
        let planned = |expect| Planned {
            check: "c".into(),
            what: "a request without X".into(),
            probe: Probe::new("A", "2018-12-25", json!({})),
            expect,
        };
        let err = |c: &str| {
            answer(json!({"Response": {"Error": {"Code": c, "Message": "m"}, "RequestId": "r"}}))
        };
        let ok = answer(json!({"Response": {"RequestId": "r"}}));
        let missing = planned(Expect::Refused(&["MissingParameter"]));
        assert_eq!(
            expectation(&missing, &err("MissingParameter")),
            Verdict::Pass
        );
        assert_eq!(
            expectation(&missing, &err("MissingParameter.X")),
            Verdict::Pass
        );
        assert_eq!(
            expectation(&missing, &ok),
            Verdict::Fail("a request without X was accepted (expected MissingParameter)".into())
        );
        let valid = planned(Expect::Accepted);
        assert_eq!(
            expectation(&valid, &err("ResourceNotFound.X")),
            Verdict::Pass
        );
        assert!(matches!(
            expectation(&valid, &err("AuthFailure.SignatureFailure")),
            Verdict::Fail(_)
        ));
    }
}
