//! A consumer-shaped scenario: what the Terraform provider does when it plans N organization
//! members (`../shared/reference/consumers.md`, and the provider's
//! `service_tencentcloud_organization.go`):
//! - one listing walk, then one read per managed member, and a read is itself a whole walk
//!   ([`walk`]): `DescribeOrganizationMembers` 50 a page until a page holds fewer than 50, the
//!   member picked out on the client; so about N*N/50 calls;
//! - reads run `parallelism` at a time (Terraform's default `-parallelism` is 10), the pages of
//!   one walk one after another;
//! - every call through the provider's client-side limiter ([`limiter`]: 15 per second per
//!   action, a token bucket); the provider also takes a token before each walk starts;
//! - every call in the provider's retry loop ([`retry`]).
//!
//! It reports what such a plan costs at the endpoint's limits: calls made, calls the server
//! refused (per code), retries, time to finish, latency. It passes when the plan finishes and
//! fails when it cannot (a call refused after its retries ran out, a refusal the provider does
//! not retry, the overall time bound passed). The calls are sent through a [`Pager`], so the
//! same driver runs against the mock, an endpoint, or a synthetic server in tests.

pub mod limiter;
pub mod retry;
pub mod walk;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use tco_sign::Credentials;

use crate::call::Call;
use crate::refusals::RefusalCounts;
use crate::schedule::{Schedule, Stream, Target};
use crate::verdict::{Percentiles, Status};
use limiter::ClientLimiter;
use retry::RetryRules;

/// The answer to one page request: the call as measured, and how many items the page held.
#[derive(Debug, Clone)]
pub struct Page {
    pub call: Call,
    pub items: usize,
}

/// Sends one `DescribeOrganizationMembers` page request at `Offset` (and `Limit` 50).
pub type Pager = Arc<dyn Fn(u64) -> Pin<Box<dyn Future<Output = Page> + Send>> + Send + Sync>;

/// A walk never pages further than this (50,000 members): a server that never ends a walk
/// does not keep the scenario running.
pub const MAX_PAGES: u64 = 1000;

/// What a plan is.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Managed members the plan reads.
    pub members: u64,
    /// Reads at once.
    pub parallelism: usize,
    /// The client-side limit per action, per second.
    pub per_second: u32,
    pub retry: RetryRules,
    /// The whole plan is stopped, unfinished, after this long.
    pub max_time: Duration,
}

impl PlanOptions {
    /// The provider's settings for a plan of `members`.
    pub fn provider(members: u64) -> Self {
        PlanOptions {
            members,
            parallelism: 10,
            per_second: limiter::PROVIDER_PER_SECOND,
            retry: RetryRules::PROVIDER_READ,
            max_time: Duration::from_secs(3600),
        }
    }
}

/// One attempt of one page of one walk.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// 0 is the listing; 1..=N the member reads.
    pub walk: u64,
    pub page: u64,
    /// 0 for the first attempt of the page.
    pub retry: u32,
    /// When it left, after the plan started, on the client's (tokio's) clock.
    pub at: Duration,
    pub call: Call,
}

/// What the driver saw.
#[derive(Debug, Clone)]
pub struct Driven {
    pub attempts: Vec<Attempt>,
    /// Members the listing walk found.
    pub listed: Option<u64>,
    /// Why the plan did not finish; `None` when it did.
    pub failure: Option<String>,
    pub elapsed: Duration,
}

/// Runs a plan through `pager`.
pub async fn drive(pager: Pager, options: &PlanOptions) -> Driven {
    let shared = Arc::new(Shared {
        pager,
        limiter: ClientLimiter::per_action(options.per_second),
        rules: options.retry,
        start: tokio::time::Instant::now(),
        attempts: Mutex::new(Vec::new()),
        stop: AtomicBool::new(false),
        failure: Mutex::new(None),
    });
    let plan = {
        let shared = shared.clone();
        let (members, parallelism) = (options.members, options.parallelism.max(1));
        async move {
            let listed = walk_once(&shared, 0).await;
            if listed.is_some() {
                reads(&shared, members, parallelism).await;
            }
            listed
        }
    };
    let listed = match tokio::time::timeout(options.max_time, plan).await {
        Ok(listed) => listed,
        Err(_) => {
            shared.fail(format!(
                "the plan did not finish within {}",
                tco_client::body::human_duration(options.max_time)
            ));
            None
        }
    };
    shared.stop.store(true, Ordering::SeqCst);
    let elapsed = shared.start.elapsed();
    let mut attempts = std::mem::take(&mut *lock(&shared.attempts));
    attempts.sort_by_key(|a| a.at);
    let failure = lock(&shared.failure).clone();
    Driven {
        attempts,
        listed,
        failure,
        elapsed,
    }
}

struct Shared {
    pager: Pager,
    limiter: ClientLimiter,
    rules: RetryRules,
    start: tokio::time::Instant,
    attempts: Mutex<Vec<Attempt>>,
    stop: AtomicBool,
    failure: Mutex<Option<String>>,
}

impl Shared {
    /// The first failure stops the plan, as a failed read stops `terraform plan`.
    fn fail(&self, why: String) {
        let mut failure = lock(&self.failure);
        if failure.is_none() {
            *failure = Some(why);
        }
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The member reads, `parallelism` at a time.
async fn reads(shared: &Arc<Shared>, members: u64, parallelism: usize) {
    let next = Arc::new(AtomicU64::new(1));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..parallelism {
        let (shared, next) = (shared.clone(), next.clone());
        workers.spawn(async move {
            loop {
                let walk = next.fetch_add(1, Ordering::SeqCst);
                if walk > members || shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                if walk_once(&shared, walk).await.is_none() {
                    return;
                }
            }
        });
    }
    while workers.join_next().await.is_some() {}
}

/// One walk over the whole list; the number of items seen, `None` when it failed.
async fn walk_once(shared: &Shared, walk: u64) -> Option<u64> {
    shared.limiter.acquire(walk::ACTION).await;
    let mut seen = 0u64;
    for page in 0..MAX_PAGES {
        let items = page_with_retries(shared, walk, page).await?;
        seen += items as u64;
        if walk::is_last_page(items) {
            return Some(seen);
        }
    }
    shared.fail(format!(
        "walk {walk} was still getting full pages after {MAX_PAGES} pages"
    ));
    None
}

/// One page, retried as the provider retries; its item count, `None` when it failed.
async fn page_with_retries(shared: &Shared, walk: u64, page: u64) -> Option<usize> {
    let first = tokio::time::Instant::now();
    let mut retry = 0u32;
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return None;
        }
        shared.limiter.acquire(walk::ACTION).await;
        let at = shared.start.elapsed();
        let answer = (shared.pager)(walk::offset(page)).await;
        let outcome = answer.call.outcome.clone();
        lock(&shared.attempts).push(Attempt {
            walk,
            page,
            retry,
            at,
            call: answer.call,
        });
        if outcome.is_accepted() {
            return Some(answer.items);
        }
        let label = outcome.error_label().unwrap_or_default();
        if !RetryRules::retries(&outcome) {
            shared.fail(format!(
                "walk {walk} page {page}: {label}, which the provider does not retry"
            ));
            return None;
        }
        let wait = shared.rules.wait(retry);
        if first.elapsed() + wait > shared.rules.timeout {
            shared.fail(format!(
                "walk {walk} page {page}: still {label} after {} attempts over {}: retries exhausted",
                retry + 1,
                tco_client::body::human_duration(first.elapsed())
            ));
            return None;
        }
        tokio::time::sleep(wait).await;
        retry += 1;
    }
}

/// The plan's report (`terraform-plan.json`, and the lines the CLI prints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanReport {
    pub scenario: String,
    pub endpoint: String,
    pub members: u64,
    pub parallelism: usize,
    pub client_limit_per_second: u32,
    pub pages_per_walk: u64,
    pub walks: u64,
    /// Calls a plan makes when nothing is refused.
    pub planned_calls: u64,
    /// Calls made, retries included.
    pub calls: usize,
    pub accepted: usize,
    /// Calls the server refused for a rate limit, any layer.
    pub throttled: usize,
    /// Refusals and other errors per code.
    pub by_code: RefusalCounts,
    /// Attempts after the first of a page.
    pub retries: usize,
    /// Members the listing walk found.
    pub members_listed: Option<u64>,
    /// From the first call to the end, ms.
    pub elapsed_ms: u64,
    pub latency_ms: Percentiles,
    /// The most calls in any sliding second, on the client's clock (the limiter's bound: a
    /// burst of its limit, then its limit per second).
    pub max_calls_in_sliding_second: usize,
    pub status: Status,
    pub pass: bool,
    /// Why it did not pass.
    pub violations: Vec<String>,
}

impl PlanReport {
    /// The report on a driven plan.
    pub fn new(endpoint: &str, options: &PlanOptions, driven: &Driven) -> PlanReport {
        let members = options.members;
        let calls: Vec<&Call> = driven.attempts.iter().map(|a| &a.call).collect();
        let by_code = RefusalCounts::of(calls.iter().map(|c| &c.outcome));
        let times: Vec<Duration> = driven.attempts.iter().map(|a| a.at).collect();
        let mut violations: Vec<String> = driven.failure.iter().cloned().collect();
        if let Some(listed) = driven.listed {
            if driven.failure.is_none() && listed < members {
                violations.push(format!(
                    "the listing found {listed} members, fewer than the {members} the plan manages"
                ));
            }
        }
        let status = if violations.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        };
        PlanReport {
            scenario: "terraform-plan".into(),
            endpoint: endpoint.to_string(),
            members,
            parallelism: options.parallelism,
            client_limit_per_second: options.per_second,
            pages_per_walk: walk::pages_per_walk(members),
            walks: walk::walks(members),
            planned_calls: walk::planned_calls(members),
            calls: calls.len(),
            accepted: calls.iter().filter(|c| c.outcome.is_accepted()).count(),
            throttled: by_code.rate_limited(),
            by_code,
            retries: driven.attempts.iter().filter(|a| a.retry > 0).count(),
            members_listed: driven.listed,
            elapsed_ms: driven.elapsed.as_millis() as u64,
            latency_ms: Percentiles::from_micros(calls.iter().map(|c| c.latency_us).collect()),
            max_calls_in_sliding_second: limiter::max_in_span(&times, Duration::from_secs(1)),
            status,
            pass: status == Status::Pass,
            violations,
        }
    }

    /// What the CLI prints.
    pub fn text(&self) -> String {
        let mut out = format!(
            "terraform-plan, {} members, against {}\n\
             calls made: {} (planned {}: {} walks of {} pages), accepted {}\n\
             throttled (server refusals): {} ({})\n\
             retries: {}\n\
             time to finish: {:.1} s{}\n\
             latency p50 {:.2} ms, p99 {:.2} ms; most calls in a sliding second {} (client limiter {}/s per action, burst {})\n\
             status: {}\n",
            self.members,
            self.endpoint,
            self.calls,
            self.planned_calls,
            self.walks,
            self.pages_per_walk,
            self.accepted,
            self.throttled,
            self.by_code.line(),
            self.retries,
            self.elapsed_ms as f64 / 1000.0,
            if self.pass { "" } else { " (did not finish)" },
            self.latency_ms.p50,
            self.latency_ms.p99,
            self.max_calls_in_sliding_second,
            self.client_limit_per_second,
            self.client_limit_per_second,
            self.status.label()
        );
        for v in &self.violations {
            out.push_str(&format!("FAIL {v}\n"));
        }
        out
    }

    /// `terraform-plan.json`, `summary.txt` and `calls.csv` in `dir`.
    pub fn write(&self, dir: &std::path::Path, driven: &Driven) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let json = serde_json::to_string_pretty(self).unwrap_or_default();
        std::fs::write(dir.join("terraform-plan.json"), json + "\n")?;
        std::fs::write(dir.join("summary.txt"), self.text())?;
        let calls: Vec<Call> = driven.attempts.iter().map(|a| a.call.clone()).collect();
        crate::report::write_calls(&dir.join("calls.csv"), &calls)
    }
}

/// A pager over HTTP: signed calls of `credentials` to `target` (with the target's certificate
/// authorities).
pub fn http_pager(
    target: Target,
    credentials: Credentials,
    call_timeout: Duration,
) -> Result<Pager, crate::LoadError> {
    let client = target
        .http_client(call_timeout)
        .map_err(crate::LoadError::Usage)?;
    let target = Arc::new(target);
    Ok(Arc::new(move |offset| {
        let (client, target, credentials) = (client.clone(), target.clone(), credentials.clone());
        Box::pin(async move {
            let params = json!({"Offset": offset, "Limit": walk::PAGE_SIZE});
            let stream = Stream::new(
                walk::ACTION,
                walk::VERSION,
                credentials,
                params,
                Schedule::default(),
            );
            let (done, answer) =
                crate::schedule::send_call_full(&client, &target, &stream, 0, 0, Duration::ZERO)
                    .await;
            let items = answer["Items"].as_array().map_or(0, Vec::len);
            Page {
                call: done.call,
                items,
            }
        })
    }))
}

/// The in-process mock with an organization of the built-in account holding `members`
/// members (UINs 200000000001 on), at the documented limits.
pub async fn start_mock(members: u64) -> Result<Arc<tco_mock::MockServer>, crate::LoadError> {
    let mut list = serde_json::Map::new();
    for i in 0..members {
        list.insert(
            (200_000_000_001 + i).to_string(),
            json!({"name": format!("member-{i}"), "node": 100001}),
        );
    }
    let doc = json!({
        "version": 1,
        "orgs": {"10001": {
            "host_uin": 100_000_000_001u64,
            "root": 100001,
            "nodes": {"100001": {"name": "Root"}},
            "members": list,
        }},
    });
    let world = tco_mock::WorldDoc::parse(&doc.to_string(), tco_mock::Format::Json)
        .map_err(|e| crate::LoadError::Usage(format!("cannot seed {members} members: {e}")))?;
    Ok(Arc::new(
        tco_mock::MockServer::builder().seed(world).start().await,
    ))
}

/// The largest plan the mock can seed (its members per organization).
pub const MOCK_MAX_MEMBERS: u64 = 1000;

#[cfg(test)]
mod tests;
