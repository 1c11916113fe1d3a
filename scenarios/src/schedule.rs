//! An open-model arrival schedule, driven from inside a goose user.
//!
//! Goose users form a closed model: each waits for an answer before sending again, so a slow
//! answer lowers the rate actually offered (coordinated omission), and `throttle_requests` is
//! only a ceiling. A rate-limit verdict needs the arrival rate to hold whatever the latency, so
//! each stream's calls go out from worker tasks that keep the schedule themselves (each takes
//! the next slot, `t0 + k / rate` for a steady schedule, sleeps until it is due and sends it on
//! the stream's [`crate::wire::Wire`]), and one goose user per stream records the finished
//! calls in goose's metrics with `record_custom_request_duration` (the user records, never a
//! worker: goose buffers metrics per user). Every call is also kept as a [`Call`], with how
//! late it left its slot, so the verdict can say what was really offered.
//!
//! Per call, the open-model path does only what the call needs: the signed request is reused
//! within a second (`SignatureCache`: same parameters, same second, same bytes) and the
//! answer is read for its outcome only (`crate::answer`), never parsed into a tree.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tco_sign::{Credentials, KeyCache, RequestSpec};

use crate::attack::Recorder;
use crate::call::{Call, Key, Outcome};
use crate::direct::Failure;
use crate::wire::{Prepared, Wire};

/// One planned call: when (ms after the schedule's start) and which phase it belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub at_ms: f64,
    pub phase: u32,
}

/// When each call of a stream leaves, relative to the run's start. Sorted by time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    slots: Vec<Slot>,
}

impl Schedule {
    /// `rate` calls per second for `duration_ms`: slot k at `k * 1000 / rate` ms.
    pub fn steady(rate: f64, duration_ms: u64) -> Self {
        let n = crate::verdict::planned_calls(rate, duration_ms);
        Schedule {
            slots: (0..n)
                .map(|k| Slot {
                    at_ms: k as f64 * 1000.0 / rate,
                    phase: 0,
                })
                .collect(),
        }
    }

    /// These slots, in time order (a part of another schedule, e.g. one shard's).
    pub fn from_slots(mut slots: Vec<Slot>) -> Self {
        slots.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
        Schedule { slots }
    }

    /// `count` calls spread evenly over `spread_ms`, starting at `at_ms`.
    pub fn burst(at_ms: f64, count: usize, spread_ms: f64) -> Self {
        let step = if count > 1 {
            spread_ms / (count - 1) as f64
        } else {
            0.0
        };
        Schedule {
            slots: (0..count)
                .map(|k| Slot {
                    at_ms: at_ms + k as f64 * step,
                    phase: 0,
                })
                .collect(),
        }
    }

    /// The same slots, `by_ms` later.
    pub fn delayed(mut self, by_ms: f64) -> Self {
        self.slots.iter_mut().for_each(|s| s.at_ms += by_ms);
        self
    }

    /// The same slots, all in `phase`.
    pub fn in_phase(mut self, phase: u32) -> Self {
        self.slots.iter_mut().for_each(|s| s.phase = phase);
        self
    }

    /// Both schedules' slots, in time order.
    pub fn merged(mut self, other: Schedule) -> Self {
        self.slots.extend(other.slots);
        self.slots.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
        self
    }

    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// When the last slot is due, ms.
    pub fn end_ms(&self) -> f64 {
        self.slots.last().map(|s| s.at_ms).unwrap_or(0.0)
    }

    /// The slot times, ms (what [`crate::Expectation::from_slots`] takes).
    pub fn times_ms(&self) -> Vec<f64> {
        self.slots.iter().map(|s| s.at_ms).collect()
    }
}

/// Where calls go.
#[derive(Clone)]
pub struct Target {
    /// Scheme, host and port, e.g. `http://127.0.0.1:9000`; the path is always `/`.
    pub url: reqwest::Url,
    /// The Host header as signed: the URL's host, with `:port` when not the default.
    pub host: String,
    pub region: Option<String>,
    /// Derived TC3 keys, shared by every call of the run.
    pub keys: Arc<KeyCache>,
    /// The endpoint as parsed, for [`tco_client::transport::configure`].
    pub endpoint: tco_client::Endpoint,
    /// Certificate authorities trusted besides the system's (a staging endpoint's private CA).
    pub roots: tco_client::RootCertificates,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("url", &self.url.as_str())
            .field("region", &self.region)
            .finish()
    }
}

impl Target {
    /// `url` is read by [`tco_client::ENDPOINT_RULE`].
    pub fn new(url: &str) -> Result<Self, String> {
        let endpoint = tco_client::Endpoint::parse(url).map_err(|e| format!("endpoint {e}"))?;
        Ok(Target {
            url: endpoint.url(),
            host: endpoint.host.clone(),
            region: None,
            keys: Arc::new(KeyCache::default()),
            endpoint,
            roots: tco_client::RootCertificates::default(),
        })
    }

    /// Trusts these certificate authorities besides the system's, in every client of the run.
    pub fn with_root_certificates(mut self, roots: tco_client::RootCertificates) -> Self {
        self.roots = roots;
        self
    }

    /// An HTTP client for this target (goose's users, and calls outside a run), set up the
    /// way every client of the harness is ([`tco_client::transport::configure`]). It never
    /// follows a redirect: a call is one request to the endpoint under test, and a 3xx is
    /// recorded as the answer it is, as the direct client records it.
    pub fn http_client(&self, timeout: Duration) -> Result<reqwest::Client, String> {
        let builder = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none());
        tco_client::transport::configure(builder, &self.endpoint, &self.roots)
            .map_err(|e| e.to_string())?
            .build()
            .map_err(|e| format!("HTTP client: {e}"))
    }

    pub fn with_region(mut self, region: Option<String>) -> Self {
        self.region = region;
        self
    }

    /// The base URL without a trailing slash, as goose's `host` wants it.
    pub fn base(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_string()
    }
}

/// Parameters for call number `k` of a stream (creates need a unique name per call).
pub type Params = Arc<dyn Fn(usize) -> Value + Send + Sync>;

/// One key's calls: what to send, signed with whose credentials, and when.
#[derive(Clone)]
pub struct Stream {
    pub key: Arc<Key>,
    pub credentials: Credentials,
    pub params: Params,
    pub schedule: Schedule,
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("key", &self.key)
            .field("calls", &self.schedule.len())
            .finish()
    }
}

impl Stream {
    /// A stream for `action` of `version`, signed with `credentials`, with the same
    /// parameters on every call.
    pub fn new(
        action: &str,
        version: &str,
        credentials: Credentials,
        params: Value,
        schedule: Schedule,
    ) -> Self {
        Stream {
            key: Arc::new(Key::new(action, version, credentials.secret_id())),
            credentials,
            params: Arc::new(move |_| params.clone()),
            schedule,
        }
    }

    pub fn with_params(mut self, params: Params) -> Self {
        self.params = params;
        self
    }
}

/// The common start of every stream of a run: a monotonic instant and the wall-clock time
/// it stands for.
#[derive(Debug, Clone, Copy)]
pub struct Epoch {
    pub instant: Instant,
    pub wall_ms: i64,
}

impl Epoch {
    /// The first wall-clock instant at least `lead` from now that is `offset_ms` past a whole
    /// second (`offset_ms = None`: exactly `lead` from now). Aligning lets a scenario place
    /// calls relative to the server's windows (`floor(unix_ms / 1000)`).
    pub fn after(lead: Duration, offset_ms: Option<i64>) -> Self {
        let now_i = Instant::now();
        let now_ms = wall_ms();
        let earliest = now_ms + lead.as_millis() as i64;
        let wall = match offset_ms {
            None => earliest,
            Some(off) => {
                let base = earliest.div_euclid(1000) * 1000 + off.rem_euclid(1000);
                if base >= earliest {
                    base
                } else {
                    base + 1000
                }
            }
        };
        Epoch {
            instant: now_i + Duration::from_millis((wall - now_ms).max(0) as u64),
            wall_ms: wall,
        }
    }

    /// The wall-clock instant `wall_ms` (Unix ms), now or later; one in the past stands for a
    /// monotonic instant as far back, so slots due then count as late.
    pub fn at(wall_ms: i64) -> Self {
        let now_i = Instant::now();
        let ahead = wall_ms - self::wall_ms();
        let instant = if ahead >= 0 {
            now_i + Duration::from_millis(ahead as u64)
        } else {
            now_i
                .checked_sub(Duration::from_millis(ahead.unsigned_abs()))
                .unwrap_or(now_i)
        };
        Epoch { instant, wall_ms }
    }

    /// The wall-clock ms of a slot.
    pub fn wall_at(&self, at_ms: f64) -> i64 {
        self.wall_ms + at_ms.round() as i64
    }
}

/// The wall clock, Unix ms.
pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A finished call, as the user task records it.
#[derive(Debug)]
pub struct Done {
    pub call: Call,
    pub status: Option<u16>,
    pub latency: Duration,
}

/// Sends one signed call now, on `client`, and reads the whole answer.
pub async fn send_call(
    client: &reqwest::Client,
    target: &Target,
    stream: &Stream,
    k: usize,
    phase: u32,
    lag: Duration,
) -> Done {
    let wire = Wire::Reqwest(client.clone());
    let params = (stream.params)(k);
    let sent_ms = wall_ms();
    let request = build_request(&wire, target, stream, &params, sent_ms);
    exchange(&wire, request, stream, phase, lag, sent_ms, Answer::Drop)
        .await
        .0
}

/// [`send_call`], also returning the answer's `Response` object (`null` when unreadable).
pub async fn send_call_full(
    client: &reqwest::Client,
    target: &Target,
    stream: &Stream,
    k: usize,
    phase: u32,
    lag: Duration,
) -> (Done, Value) {
    let wire = Wire::Reqwest(client.clone());
    let params = (stream.params)(k);
    let sent_ms = wall_ms();
    let request = build_request(&wire, target, stream, &params, sent_ms);
    exchange(&wire, request, stream, phase, lag, sent_ms, Answer::Keep).await
}

/// The request for `params`, signed for the second of `sent_ms` (so the timestamp is fresh
/// however late the run is). An error is the HTTP client's refusal to build it, by kind.
fn build_request(
    wire: &Wire,
    target: &Target,
    stream: &Stream,
    params: &Value,
    sent_ms: i64,
) -> Result<Prepared, &'static str> {
    let spec = RequestSpec::new(
        &target.host,
        "organization",
        &stream.key.action,
        &stream.key.version,
        params,
        sent_ms.div_euclid(1000),
    )
    .with_region(target.region.as_deref())
    .with_request_client("tco-harness-load");
    let signed = tco_sign::build(&spec, &stream.credentials, &target.keys);
    wire.prepare(&target.endpoint.origin, signed)
}

/// One stream's last signed request. A TC3 signature covers the body, the headers and the
/// timestamp in whole seconds, nothing else, so every call of the same second with the same
/// parameters sends the same bytes: signing once per second instead of once per call takes the
/// signing off the per-call cost at thousands of calls a second (BENCHMARKS.md, "The load
/// generator beside oha").
#[derive(Default)]
struct SignatureCache {
    last: std::sync::Mutex<Option<(i64, Value, Prepared)>>,
}

impl SignatureCache {
    /// The request for `params` at `sent_ms`: the cached one when its second and parameters
    /// match, else a freshly signed one (which then replaces it).
    fn request(
        &self,
        wire: &Wire,
        target: &Target,
        stream: &Stream,
        params: Value,
        sent_ms: i64,
    ) -> Result<Prepared, &'static str> {
        let second = sent_ms.div_euclid(1000);
        {
            let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((s, p, request)) = last.as_ref() {
                if *s == second && *p == params {
                    if let Some(copy) = request.try_clone() {
                        return Ok(copy);
                    }
                }
            }
        }
        let request = build_request(wire, target, stream, &params, sent_ms)?;
        if let Some(copy) = request.try_clone() {
            *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some((second, params, copy));
        }
        Ok(request)
    }
}

/// Whether the caller wants the answer's `Response` object (parsed as a whole) or only the
/// outcome (read without building a tree).
#[derive(Clone, Copy, PartialEq)]
enum Answer {
    Keep,
    Drop,
}

/// Sends `request` and reads the whole answer into a [`Done`].
async fn exchange(
    wire: &Wire,
    request: Result<Prepared, &'static str>,
    stream: &Stream,
    phase: u32,
    lag: Duration,
    sent_ms: i64,
    keep: Answer,
) -> (Done, Value) {
    let started = Instant::now();
    let limit = tco_client::DEFAULT_MAX_RESPONSE_BYTES;
    let (status, body) = match request {
        Ok(request) => wire.exchange(request, limit).await,
        Err(kind) => (None, Err(Failure::Transport(kind))),
    };
    let mut answer = Value::Null;
    let (outcome, request_id) = match (status, body) {
        (Some(status), Ok(body)) if keep == Answer::Keep => {
            let parsed = serde_json::from_slice::<Value>(&body).ok();
            let (o, id) = Outcome::from_value(status, parsed.as_ref());
            if let Some(mut v) = parsed {
                answer = v["Response"].take();
            }
            (o, id)
        }
        (Some(status), Ok(body)) => Outcome::from_body(status, &body),
        (None, Ok(_)) => (Outcome::Transport("other".into()), None),
        (_, Err(Failure::TooLarge)) => (
            Outcome::OtherError(format!(
                "an answer over {}",
                tco_client::body::human_bytes(limit)
            )),
            None,
        ),
        (_, Err(Failure::Transport(kind))) => (Outcome::Transport(kind.to_string()), None),
    };
    let latency = started.elapsed();
    let done = Done {
        call: Call {
            key: stream.key.clone(),
            phase,
            sent_ms,
            server_ms: None,
            lag_us: lag.as_micros() as u64,
            latency_us: latency.as_micros() as u64,
            outcome,
            request_id,
        },
        status,
        latency,
    };
    (done, answer)
}

/// The transport kind of a call refused for the server's TLS certificate.
pub const CERTIFICATE_NOT_TRUSTED: &str = "certificate not trusted";

/// A transport failure named by kind, never by its full text (which can hold a URL).
pub(crate) fn transport_kind(e: &reqwest::Error) -> &'static str {
    if tco_client::transport::certificate_refused(e).is_some() {
        CERTIFICATE_NOT_TRUSTED
    } else if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else if e.is_body() || e.is_decode() {
        "body"
    } else if e.is_request() {
        "request"
    } else {
        "other"
    }
}

/// Sends every call of `stream` at its slot after `epoch`, on `wire`, at most `in_flight` at
/// once, and hands each finished call to `recorder` (the goose user's metrics). Returns when
/// every call has been answered or has timed out; it never waits past the last slot plus
/// twice `grace`.
///
/// The calls go out from worker tasks, one call at a time each: an idle worker takes the next
/// slot and sleeps until it is due, and a worker that leaves with no other one idle starts a
/// new one (while there are fewer than `in_flight`), so the next slot always has a worker
/// waiting for it. When all `in_flight` are busy, the next call waits for the first to finish
/// and leaves late, and its lag says so. This task only records, in batches, every
/// [`RECORD_EVERY`]: on a busy machine the slots are kept even when recording waits for a
/// core. Workers that keep their own time, rather than a task per call or a scheduler that
/// hands calls out, because both cost more CPU per call than the call's own work on the wire
/// (BENCHMARKS.md, "The load generator beside oha").
pub async fn drive<R: Recorder>(
    wire: Arc<Wire>,
    target: Arc<Target>,
    stream: Arc<Stream>,
    epoch: Epoch,
    grace: Duration,
    in_flight: usize,
    recorder: &mut R,
) -> Vec<Call> {
    let mut calls = Vec::with_capacity(stream.schedule.len());
    // A client that falls this far behind stops sending: the run stays bounded in time, and
    // the verdict reports the calls it did not send.
    let give_up =
        epoch.instant + Duration::from_secs_f64(stream.schedule.end_ms().max(0.0) / 1000.0) + grace;
    let pool = Arc::new(Pool {
        wire,
        target,
        stream,
        epoch,
        give_up,
        cap: in_flight.max(1),
        signatures: SignatureCache::default(),
        next: AtomicUsize::new(0),
        workers: AtomicUsize::new(1),
        idle: AtomicUsize::new(1),
        finished: std::sync::Mutex::new(Vec::new()),
        ended: tokio::sync::Notify::new(),
    });
    tokio::spawn(work(pool.clone()));
    let deadline = tokio::time::Instant::from_std(give_up + grace);
    let mut batch = Vec::new();
    let mut tick = tokio::time::interval(RECORD_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let ended = pool.workers.load(Ordering::Acquire) == 0;
        std::mem::swap(&mut batch, &mut *pool.finished());
        for done in batch.drain(..) {
            recorder.record(&done).await;
            calls.push(done.call);
        }
        if ended {
            break;
        }
        tokio::select! {
            _ = tick.tick() => {}
            _ = pool.ended.notified() => {}
            _ = tokio::time::sleep_until(deadline) => break,
        }
    }
    calls
}

/// How often the goose user records the calls finished since it last looked.
pub const RECORD_EVERY: Duration = Duration::from_millis(10);

/// What the workers of one stream share.
struct Pool {
    wire: Arc<Wire>,
    target: Arc<Target>,
    stream: Arc<Stream>,
    epoch: Epoch,
    give_up: Instant,
    /// The most workers, i.e. calls in flight.
    cap: usize,
    signatures: SignatureCache,
    /// The next slot no worker has taken.
    next: AtomicUsize,
    /// Workers started and not ended.
    workers: AtomicUsize,
    /// Workers not sending a call (waiting for their slot, or about to take one).
    idle: AtomicUsize,
    /// Calls answered and not yet recorded.
    finished: std::sync::Mutex<Vec<Done>>,
    /// Told when the last worker ends.
    ended: tokio::sync::Notify,
}

impl Pool {
    fn finished(&self) -> std::sync::MutexGuard<'_, Vec<Done>> {
        self.finished.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts another worker when none would be left idle and the bound allows one more.
    fn keep_one_idle(self: &Arc<Self>) {
        if self.idle.fetch_sub(1, Ordering::AcqRel) > 1 {
            return;
        }
        let more = self
            .workers
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.cap).then_some(n + 1)
            });
        if more.is_ok() {
            self.idle.fetch_add(1, Ordering::AcqRel);
            tokio::spawn(work(self.clone()));
        }
    }
}

/// Takes the next slot, waits for it, sends its call; again until the schedule is taken.
async fn work(pool: Arc<Pool>) {
    let Pool {
        wire,
        target,
        stream,
        signatures,
        ..
    } = &*pool;
    let slots = stream.schedule.slots();
    let wait = tokio::time::sleep_until(pool.epoch.instant.into());
    tokio::pin!(wait);
    loop {
        let k = pool.next.fetch_add(1, Ordering::AcqRel);
        let Some(slot) = slots.get(k).copied() else {
            break;
        };
        let due = pool.epoch.instant + Duration::from_secs_f64(slot.at_ms.max(0.0) / 1000.0);
        wait.as_mut().reset(due.into());
        wait.as_mut().await;
        if Instant::now() > pool.give_up {
            break;
        }
        pool.keep_one_idle();
        // Late by however long the call waited for a free worker and for this one to run.
        let lag = Instant::now().saturating_duration_since(due);
        let params = (stream.params)(k);
        let sent_ms = wall_ms();
        let request = signatures.request(wire, target, stream, params, sent_ms);
        let (done, _) = exchange(
            wire,
            request,
            stream,
            slot.phase,
            lag,
            sent_ms,
            Answer::Drop,
        )
        .await;
        pool.finished().push(done);
        pool.idle.fetch_add(1, Ordering::AcqRel);
    }
    pool.idle.fetch_sub(1, Ordering::AcqRel);
    if pool.workers.fetch_sub(1, Ordering::AcqRel) == 1 {
        pool.ended.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_slots_are_k_over_rate() {
        let s = Schedule::steady(20.0, 1000);
        assert_eq!(s.len(), 20);
        assert_eq!(s.slots()[1].at_ms, 50.0);
        assert_eq!(s.end_ms(), 950.0);
        let e =
            crate::Expectation::from_slots("x", crate::ScenarioKind::UnderLimit, 40, &s.times_ms());
        assert!((e.intended_rate() - 20.0).abs() < 1e-9);
    }

    #[test]
    fn bursts_merge_in_order() {
        let s = Schedule::burst(900.0, 3, 50.0).merged(Schedule::burst(0.0, 2, 10.0).in_phase(1));
        let at: Vec<f64> = s.times_ms();
        assert_eq!(at, vec![0.0, 10.0, 900.0, 925.0, 950.0]);
        assert_eq!(s.slots()[0].phase, 1);
        assert_eq!(s.clone().delayed(5.0).slots()[0].at_ms, 5.0);
    }

    #[test]
    fn epochs_align_to_the_requested_offset() {
        // Bounded by clock readings taken around each call, so a busy machine that pauses
        // this thread anywhere cannot make it fail.
        let before = wall_ms();
        let e = Epoch::after(Duration::from_millis(200), Some(250));
        let after = wall_ms();
        assert_eq!(e.wall_ms.rem_euclid(1000), 250);
        assert!(e.wall_ms >= before + 200, "{} vs {before}", e.wall_ms);
        assert!(e.wall_ms < after + 200 + 1000, "{} vs {after}", e.wall_ms);
        let before = wall_ms();
        let e = Epoch::after(Duration::from_millis(0), None);
        let after = wall_ms();
        assert!(
            (before..=after).contains(&e.wall_ms),
            "{before} {} {after}",
            e.wall_ms
        );
    }

    fn same_bytes(a: &Prepared, b: &Prepared) -> bool {
        let body = |r: &reqwest::Request| r.body().and_then(|b| b.as_bytes()).map(<[u8]>::to_vec);
        match (a, b) {
            (Prepared::Reqwest(a), Prepared::Reqwest(b)) => {
                a.method() == b.method()
                    && a.url() == b.url()
                    && a.headers() == b.headers()
                    && body(a) == body(b)
            }
            (Prepared::Direct(a), Prepared::Direct(b)) => a == b,
            _ => false,
        }
    }

    fn timestamp(r: &Prepared) -> String {
        let headers = match r {
            Prepared::Reqwest(r) => r.headers(),
            Prepared::Direct(r) => &r.headers,
        };
        headers["X-TC-Timestamp"].to_str().unwrap().to_string()
    }

    #[test]
    fn signatures_are_reused_within_one_second_for_the_same_parameters_only() {
        let target = Target::new("http://127.0.0.1:9").unwrap();
        let client = target.http_client(Duration::from_secs(1)).unwrap();
        let wires = [
            Wire::Reqwest(client.clone()),
            Wire::for_target(client, &target, Duration::from_secs(1)),
        ];
        assert!(
            matches!(wires[1], Wire::Direct(_)),
            "a loopback target is direct"
        );
        for wire in &wires {
            let creds = Credentials::new("AKIDcacheTest", "cache-test-key");
            let stream = Stream::new(
                "DescribeOrganization",
                "2021-03-31",
                creds,
                serde_json::json!({}),
                Schedule::default(),
            );
            let fresh = |params: &Value, ms: i64| {
                build_request(wire, &target, &stream, params, ms).unwrap()
            };
            let cache = SignatureCache::default();
            let empty = serde_json::json!({});
            let second = 1_700_000_000_000;
            let first = cache
                .request(wire, &target, &stream, empty.clone(), second + 10)
                .unwrap();
            assert!(same_bytes(&first, &fresh(&empty, second + 10)));
            // Later in the same second: the same bytes as signing anew would give.
            let again = cache
                .request(wire, &target, &stream, empty.clone(), second + 990)
                .unwrap();
            assert!(same_bytes(&again, &fresh(&empty, second + 990)));
            // The next second is signed anew: its timestamp and signature differ.
            let next = cache
                .request(wire, &target, &stream, empty.clone(), second + 1000)
                .unwrap();
            assert!(same_bytes(&next, &fresh(&empty, second + 1000)));
            assert!(!same_bytes(&next, &first));
            assert_eq!(timestamp(&next), "1700000001");
            // Other parameters in the same second: signed for them, not the cached ones.
            let other = serde_json::json!({"Name": "x"});
            let changed = cache
                .request(wire, &target, &stream, other.clone(), second + 1001)
                .unwrap();
            assert!(same_bytes(&changed, &fresh(&other, second + 1001)));
            assert!(!same_bytes(&changed, &next));
        }
    }

    /// A loopback endpoint that answers every request `hold` after it arrived, with a
    /// success envelope; counts the connections it accepted.
    async fn slow_endpoint(hold: Duration) -> (Target, Arc<std::sync::atomic::AtomicUsize>) {
        const ANSWER: &[u8] =
            b"HTTP/1.1 200 OK\r\ncontent-length: 30\r\n\r\n{\"Response\":{\"RequestId\":\"r\"}}";
        let served = crate::loopback::serve(Some(ANSWER), hold).await;
        (Target::new(&served.url).unwrap(), served.connections)
    }

    /// Drives `calls` calls all due at once, at most `in_flight` at a time, against an
    /// endpoint that holds each answer `hold`; the calls, and the connections it saw.
    async fn drive_at_once(calls: usize, in_flight: usize, hold: Duration) -> (Vec<Call>, usize) {
        let (target, accepted) = slow_endpoint(hold).await;
        let client = target.http_client(Duration::from_secs(5)).unwrap();
        let wire = Arc::new(Wire::for_target(client, &target, Duration::from_secs(5)));
        let stream = Stream::new(
            "DescribeOrganization",
            "2021-03-31",
            Credentials::new("AKIDpoolTest", "pool-test-key"),
            serde_json::json!({}),
            Schedule::burst(0.0, calls, 0.0),
        );
        let epoch = Epoch::after(Duration::ZERO, None);
        let grace = Duration::from_secs(10);
        let mut recorder = crate::attack::NoRecorder;
        let got = drive(
            wire,
            Arc::new(target),
            Arc::new(stream),
            epoch,
            grace,
            in_flight,
            &mut recorder,
        )
        .await;
        (got, accepted.load(std::sync::atomic::Ordering::SeqCst))
    }

    #[tokio::test]
    async fn calls_due_while_every_worker_is_busy_wait_for_one_and_leave_late() {
        let hold = Duration::from_millis(300);
        let (calls, connections) = drive_at_once(4, 2, hold).await;
        assert_eq!(calls.len(), 4);
        assert!(calls.iter().all(|c| c.outcome == Outcome::Accepted));
        assert_eq!(
            connections, 2,
            "never more connections than calls in flight"
        );
        // Two calls could leave only once an answer had come back, `hold` after the first.
        let mut lags: Vec<u64> = calls.iter().map(|c| c.lag_us).collect();
        lags.sort_unstable();
        assert!(lags[2] >= hold.as_micros() as u64, "{lags:?}");
    }

    #[tokio::test]
    async fn calls_due_together_each_get_a_connection_up_to_the_bound() {
        // Nothing comes back before every call has been handed out: each needs its own.
        let (calls, connections) = drive_at_once(5, 8, Duration::from_millis(300)).await;
        assert_eq!(calls.len(), 5);
        assert!(calls.iter().all(|c| c.outcome == Outcome::Accepted));
        assert_eq!(connections, 5);
    }

    #[test]
    fn target_host_keeps_a_non_default_port() {
        assert_eq!(
            Target::new("http://127.0.0.1:9000").unwrap().host,
            "127.0.0.1:9000"
        );
        assert_eq!(
            Target::new("https://organization.intl.tencentcloudapi.com")
                .unwrap()
                .host,
            "organization.intl.tencentcloudapi.com"
        );
        assert!(Target::new("ftp://x").is_err());
        assert!(Target::new("http://x/path").is_err());
        assert_eq!(
            Target::new("127.0.0.1:9000").unwrap().base(),
            "http://127.0.0.1:9000"
        );
    }
}
