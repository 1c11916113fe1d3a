//! Goose, embedded: one `GooseAttack` per run, one goose user per [`Stream`], each user driving
//! its stream's open-model schedule ([`crate::schedule::drive`]) and recording every call in
//! goose's metrics under the action's name (a refusal as a failure under its error code).
//!
//! Goose's killswitch is process-wide, so runs are serialised by a global async mutex: two
//! runs in one process (tests, or a library user) queue rather than cancel each other.
//! The configuration is built in code (`parse_args_default` over an explicit list, never the
//! process's argv), with the telnet controller off, quiet, no request log (goose's logs write
//! request headers, `Authorization` included), and the metrics never reset.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use goose::config::GooseConfiguration;
use goose::goose::{GooseUser, Scenario, Transaction, TransactionFunction};
use goose::GooseAttack;

use crate::call::Call;
use crate::schedule::{drive, Done, Epoch, Stream, Target};
use crate::wire::Wire;
use crate::LoadError;

/// The streams still to be taken by a goose user, each with the HTTP client it is sent on.
type Users = Arc<Mutex<VecDeque<(Arc<Stream>, reqwest::Client)>>>;

/// Runs that use goose, one at a time.
static GOOSE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The default bound on one stream's calls in flight, oha's default connection count: ample
/// for what a limit test offers (50 calls in flight carry 250 calls a second at 200 ms each),
/// and at tens of thousands of calls a second fewer connections cost less CPU per call than
/// more (BENCHMARKS.md, "The load generator beside oha").
pub const DEFAULT_MAX_IN_FLIGHT: usize = 50;

/// How a run starts and ends.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Time to let goose launch its users before the first slot.
    pub lead: Duration,
    /// Start this many ms past a whole wall-clock second (`None`: as soon as the lead allows).
    pub align_offset_ms: Option<i64>,
    /// Start at this wall-clock instant, Unix ms, instead (shards on several machines line up
    /// on it); `lead` and `align_offset_ms` are then unused.
    pub start_at_ms: Option<i64>,
    /// After the last slot, how long to wait for answers still in flight.
    pub grace: Duration,
    /// Per-call timeout.
    pub timeout: Duration,
    /// Calls of one stream in flight at once, each on its own connection; a call due when
    /// all are busy waits for one and leaves late (its lag says how late).
    pub max_in_flight: usize,
    /// Goose's own reports: `<stem>.html` and `<stem>.json` (with per-second graph data).
    pub goose_report_stem: Option<PathBuf>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            lead: Duration::from_millis(300),
            align_offset_ms: None,
            start_at_ms: None,
            grace: Duration::from_secs(5),
            timeout: Duration::from_secs(5),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            goose_report_stem: None,
        }
    }
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub calls: Vec<Call>,
    pub epoch: Epoch,
    /// Goose's count of the requests it recorded (a cross-check on `calls`).
    pub goose_requests: usize,
    pub goose_reports: Vec<PathBuf>,
}

/// Runs `streams` against `target` at once, each from its own goose user.
pub async fn run(
    target: &Target,
    streams: Vec<Stream>,
    options: &RunOptions,
) -> Result<RunOutput, LoadError> {
    let _one_at_a_time = GOOSE.lock().await;
    let users = streams.len().max(1);
    let mut args: Vec<String> = [
        "--host",
        &target.base(),
        "--users",
        &users.to_string(),
        "--increase-rate",
        &users.max(10).to_string(),
        "--iterations",
        "1",
        "--no-telnet",
        "--no-print-metrics",
        "--no-error-summary",
        "--quiet",
        "--timeout",
        &format!("{:.3}", options.timeout.as_secs_f64()),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut reports = Vec::new();
    if let Some(stem) = &options.goose_report_stem {
        for ext in ["html", "json"] {
            let path = with_extension(stem, ext);
            args.push("--report-file".into());
            args.push(path.to_string_lossy().into_owned());
            reports.push(path);
        }
        args.push("--report-graph-data".into());
    }
    let config = GooseConfiguration::parse_args_default(&args)
        .map_err(|e| LoadError::Goose(format!("configuration: {e:?}")))?;

    // Each user's HTTP client, built before the clock starts (building one reads the system's
    // roots): goose's default client would neither trust the target's extra certificate
    // authorities nor keep a loopback target away from a proxy.
    let mut users_streams = VecDeque::new();
    for stream in streams {
        let client = target
            .http_client(options.timeout)
            .map_err(LoadError::Usage)?;
        users_streams.push_back((Arc::new(stream), client));
    }
    let epoch = match options.start_at_ms {
        Some(at) => Epoch::at(at),
        None => Epoch::after(options.lead, options.align_offset_ms),
    };
    let queue: Users = Arc::new(Mutex::new(users_streams));
    let collected: Arc<Mutex<Vec<Call>>> = Arc::new(Mutex::new(Vec::new()));
    let target = Arc::new(target.clone());
    let grace = options.grace;
    let timeout = options.timeout;
    let in_flight = options.max_in_flight;

    let transaction: TransactionFunction = {
        let (queue, collected, target) = (queue.clone(), collected.clone(), target.clone());
        Arc::new(move |user: &mut GooseUser| {
            let (queue, collected, target) = (queue.clone(), collected.clone(), target.clone());
            Box::pin(async move {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                let Some((stream, client)) = next else {
                    return Ok(());
                };
                let wire = Arc::new(Wire::for_target(client.clone(), &target, timeout));
                user.client = client;
                let calls = drive(
                    wire,
                    target,
                    stream,
                    epoch,
                    grace,
                    in_flight,
                    &mut GooseRecorder(user),
                )
                .await;
                collected
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(calls);
                Ok(())
            })
        })
    };
    let scenario = Scenario::new("rate-limit").register_transaction(Transaction::new(transaction));
    let metrics = GooseAttack::initialize_with_config(config)
        .map_err(|e| LoadError::Goose(format!("{e:?}")))?
        .register_scenario(scenario)
        .execute()
        .await
        .map_err(|e| LoadError::Goose(format!("{e:?}")))?;
    let goose_requests = metrics
        .requests
        .values()
        .map(|r| r.success_count + r.fail_count)
        .sum();
    let calls = std::mem::take(&mut *collected.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(RunOutput {
        calls,
        epoch,
        goose_requests,
        goose_reports: reports.into_iter().filter(|p| p.exists()).collect(),
    })
}

fn with_extension(stem: &Path, ext: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Where each finished call goes besides the run's list.
pub trait Recorder: Send {
    fn record(&mut self, done: &Done) -> impl std::future::Future<Output = ()> + Send;
}

/// Records into goose's metrics: `POST <Action>`, a failure under its error code.
pub struct GooseRecorder<'a>(pub &'a mut GooseUser);

impl Recorder for GooseRecorder<'_> {
    async fn record(&mut self, done: &Done) {
        let error = done.call.outcome.error_label();
        // Goose refuses only an empty or whitespace method label, which this is not.
        let _ = self
            .0
            .record_custom_request_duration(
                "POST",
                &done.call.key.action,
                done.latency,
                error.is_none(),
                done.status,
                error.as_deref(),
            )
            .await;
    }
}

/// Records nothing (driving a schedule without goose).
pub struct NoRecorder;

impl Recorder for NoRecorder {
    async fn record(&mut self, _done: &Done) {}
}
