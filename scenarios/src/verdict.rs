//! The verdict: from the calls of one key (action, version, account) and what was expected of
//! them, the numbers a person needs (accepted per window, the most accepted in any sliding
//! second, throttled, other errors, latency, the rate actually offered) and whether the
//! behaviour matches Tencent's documented rule, "each second, the first N requests pass".
//!
//! Windows are counted in the server's frame whenever the server tells its arrival times
//! (the in-process mock does, through its journal): window = `floor(unix_ms / 1000)` on its
//! clock, exactly as its fixed-window limiter counts. Against an endpoint that does not, the
//! calls' send times are used and the window phase is unknown, so the verdict searches the
//! phase that best explains the series as a fixed window ([`Frame::Client`]) and allows
//! [`WINDOW_SLACK_CLIENT`] calls of slack per window for network jitter.
//!
//! A verdict has one of three outcomes ([`Status`]). The rule's own checks hold whatever load
//! reached the server (never more than N accepted in a window, never a refusal in a window
//! that had not accepted N, no answer but acceptance or `RequestLimitExceeded`), so they are
//! always judged. The checks that need the intended load (nothing refused below the limit, N
//! per window on average above it, recovery within a window) are judged only when the client
//! offered that load; when it could not (a busy machine), the verdict says so instead of
//! blaming the limiter.
//!
//! Everything here is pure: no clock, no I/O. The parts: `windows` (counting per window and
//! sliding second, the best phase), `rule_checks` (the documented rule's checks) and
//! `algorithm_guess` (which limiter a series looks like).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::call::{Call, Key, Outcome};
use crate::refusals::{RefusalCounts, Refuser};

mod algorithm_guess;
mod rule_checks;
mod windows;

pub use algorithm_guess::{guess, AlgorithmGuess};
use rule_checks::{load_shortfalls, violations_at_any_load, violations_of_the_intended_load};
pub use windows::{best_phase, max_in_sliding_second, windows, windows_at_edges};

/// A window (and a sliding second) lasts this long, ms.
pub const WINDOW_MS: i64 = 1000;
/// The offered rate must be at least this share of the intended one, or the run says it could
/// not offer what it meant to and does not pass.
pub const OFFERED_RATIO_MIN: f64 = 0.95;
/// ... and at most this share (a schedule that bunches up is not the intended load either).
pub const OFFERED_RATIO_MAX: f64 = 1.05;
/// A call that left this far behind its slot is late.
pub const LATE_SLOT_MS: u64 = 50;
/// More than this share of late calls means the schedule did not hold.
pub const MAX_LATE_FRACTION: f64 = 0.01;
/// Calls a window may be off by, in the server's frame: none, windows are exact there.
pub const WINDOW_SLACK_SERVER: u32 = 0;
/// Calls a window may be off by when windows are guessed from send times: a call near a
/// boundary can land in the neighbouring window after network jitter.
pub const WINDOW_SLACK_CLIENT: u32 = 1;
/// In the server's frame, a call this close before a boundary may have been counted in the
/// next window, ms: the mock journals a call's arrival before its limiter reads the clock (a
/// few µs to a few ms later, more in a debug build under load). Such a call is placed in
/// whichever of the two windows agrees with a fixed window; a call anywhere else never moves.
pub const SERVER_EDGE_MS: i64 = 3;
/// Over-limit runs must accept, on average over full windows, the limit within this many calls
/// per second.
pub const ACCEPTED_PER_SECOND_TOLERANCE: f64 = 1.0;
/// Slack on the recovery bound (one window plus one probe interval), ms.
pub const RECOVERY_SLACK_MS: i64 = 100;
/// Throttled-to-accepted transitions per overloaded window above which acceptances are
/// interleaved with refusals (a token bucket pacing its refill), not a block at the start.
pub const INTERLEAVED_TRANSITIONS: f64 = 2.0;

/// What a run set out to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScenarioKind {
    /// Below the limit: nothing may be throttled.
    UnderLimit,
    /// Above the limit: exactly N accepted per window, the rest `RequestLimitExceeded`.
    OverLimit,
    /// Bursts on both sides of a window boundary: each window gets its own N.
    WindowEdge,
    /// Several keys loaded at once: each its own N (judged like over-limit, per key).
    Isolation,
    /// Overload, then probes: the first accepted call comes within a window.
    Recovery,
    /// A mix of actions, each below its limit: no throttling, latency per action.
    Mixed,
}

impl ScenarioKind {
    pub fn name(self) -> &'static str {
        match self {
            ScenarioKind::UnderLimit => "under-limit",
            ScenarioKind::OverLimit => "over-limit",
            ScenarioKind::WindowEdge => "window-edge",
            ScenarioKind::Isolation => "isolation",
            ScenarioKind::Recovery => "recovery",
            ScenarioKind::Mixed => "mixed-workload",
        }
    }

    fn forbids_throttling(self) -> bool {
        matches!(self, ScenarioKind::UnderLimit | ScenarioKind::Mixed)
    }

    fn expects_full_windows(self) -> bool {
        matches!(self, ScenarioKind::OverLimit | ScenarioKind::Isolation)
    }
}

/// What a run shows about the limiter: three outcomes, because a run that could not offer its
/// load is neither a pass nor a limiter mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The load was offered as intended and the behaviour matches the documented rule.
    Pass,
    /// The behaviour breaks the documented rule: in a way no offered load excuses (more than N
    /// accepted in a window, a refusal in a window that had not had its N, answers that are
    /// neither), or, with the load offered as intended, in what that load had to show.
    Fail,
    /// The client could not offer the intended load (too few calls, another rate, calls late on
    /// their slots: a busy machine, usually). What only that load can show was not judged;
    /// what holds at any load was, and held. A statement about the driver, not the limiter.
    LoadNotOffered,
}

impl Status {
    /// How tables and charts show it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::LoadNotOffered => "load not offered",
        }
    }

    /// The status of several results together: any failure fails them all; otherwise any
    /// load not offered leaves them all undecided.
    pub fn combine(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses
            .into_iter()
            .fold(Status::Pass, |acc, s| match (acc, s) {
                (Status::Fail, _) | (_, Status::Fail) => Status::Fail,
                (Status::LoadNotOffered, _) | (_, Status::LoadNotOffered) => Status::LoadNotOffered,
                _ => Status::Pass,
            })
    }
}

/// What was expected of one key's calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expectation {
    /// A label for reports, e.g. `over-limit 2x`.
    pub scenario: String,
    pub kind: ScenarioKind,
    /// N: requests per second that should pass.
    pub limit: u32,
    /// Calls the schedule planned for this key.
    pub planned_calls: usize,
    /// How long the schedule meant to take, ms (`planned_calls / rate` for a steady one).
    pub planned_span_ms: f64,
    /// Recovery runs: when the overload ended (Unix ms, send frame).
    pub recovery_from_ms: Option<i64>,
    /// Recovery runs: the longest acceptable wait for the first accepted call, ms.
    pub recovery_bound_ms: Option<i64>,
    /// The layer under test, when it is not the per-action one (layer scenarios): its
    /// refusals are the run's `throttled`, not other errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Refuser>,
}

impl Expectation {
    /// A steady schedule: `rate` calls per second for `duration_ms`.
    pub fn steady(
        scenario: impl Into<String>,
        kind: ScenarioKind,
        limit: u32,
        rate: f64,
        duration_ms: u64,
    ) -> Self {
        let planned_calls = planned_calls(rate, duration_ms);
        Expectation {
            scenario: scenario.into(),
            kind,
            limit,
            planned_calls,
            planned_span_ms: planned_calls as f64 * 1000.0 / rate,
            recovery_from_ms: None,
            recovery_bound_ms: None,
            layer: None,
        }
    }

    /// Any schedule, from its slots (ms from its start, sorted): the span is chosen so that
    /// calls sent exactly on their slots give an offered rate equal to the intended one.
    pub fn from_slots(
        scenario: impl Into<String>,
        kind: ScenarioKind,
        limit: u32,
        slots_ms: &[f64],
    ) -> Self {
        let n = slots_ms.len();
        let span = match (slots_ms.first(), slots_ms.last()) {
            (Some(first), Some(last)) if n > 1 => (last - first) * n as f64 / (n - 1) as f64,
            _ => 1000.0,
        };
        Expectation {
            scenario: scenario.into(),
            kind,
            limit,
            planned_calls: n,
            planned_span_ms: span,
            recovery_from_ms: None,
            recovery_bound_ms: None,
            layer: None,
        }
    }

    /// The same, judging the refusals of `layer` as the run's throttling.
    pub fn for_layer(mut self, layer: Refuser) -> Self {
        self.layer = Some(layer);
        self
    }

    /// The average rate the schedule meant to offer, per second.
    pub fn intended_rate(&self) -> f64 {
        if self.planned_span_ms <= 0.0 {
            0.0
        } else {
            self.planned_calls as f64 * 1000.0 / self.planned_span_ms
        }
    }
}

/// How many slots a steady schedule of `rate` per second has in `duration_ms`.
pub fn planned_calls(rate: f64, duration_ms: u64) -> usize {
    (rate * duration_ms as f64 / 1000.0).round().max(1.0) as usize
}

/// Whose clock the windows are counted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frame {
    /// The server's arrival times: windows are `floor(ms / 1000)`, exact.
    Server,
    /// The client's send times, windows at the phase that best fits a fixed window.
    Client,
}

/// Percentiles of a latency sample, ms (nearest rank). All zero for an empty sample.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    pub count: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Percentiles {
    /// From samples in µs.
    pub fn from_micros(mut samples: Vec<u64>) -> Self {
        if samples.is_empty() {
            return Percentiles::default();
        }
        samples.sort_unstable();
        let at = |q: f64| {
            let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
            round3(samples[rank - 1] as f64 / 1000.0)
        };
        Percentiles {
            count: samples.len(),
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: round3(*samples.last().unwrap_or(&0) as f64 / 1000.0),
        }
    }
}

/// Latency of all calls, and of accepted and throttled calls apart (a limiter that answers
/// refusals slowly, or holds them, shows here).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
    pub accepted: Percentiles,
    pub throttled: Percentiles,
}

/// One window of the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Second {
    /// The window's index: the Unix second in the server's frame; with a client-frame phase
    /// `p`, the window `[second * 1000 + p, second * 1000 + p + 1000)` ms.
    pub second: i64,
    pub offered: u32,
    pub accepted: u32,
    pub throttled: u32,
    pub other: u32,
}

/// How well the run held its schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offered {
    pub planned_calls: usize,
    pub sent_calls: usize,
    /// offered / intended.
    pub ratio: f64,
    /// How far behind their slots calls left, ms.
    pub lag_ms: Percentiles,
    /// Share of calls that left more than [`LATE_SLOT_MS`] late.
    pub late_fraction: f64,
}

/// Recovery after overload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// When the overload ended, Unix ms.
    pub overload_ended_ms: i64,
    /// From then to the first accepted call, ms; `None` when none came.
    pub time_to_first_accepted_ms: Option<i64>,
    /// Calls refused after the overload ended, before the first accepted one.
    pub throttled_while_recovering: u32,
    pub bound_ms: Option<i64>,
}

/// Everything `verdict.json` holds for one key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub scenario: String,
    pub kind: ScenarioKind,
    pub action: String,
    pub version: String,
    pub account: String,
    pub expected_limit: u32,
    pub intended_rate: f64,
    pub offered_per_second: f64,
    pub offered: Offered,
    /// Mean accepted per full window (all windows when the run had no full one).
    pub accepted_per_second: f64,
    /// Fewest and most accepted in a full window.
    pub accepted_per_window_min: u32,
    pub accepted_per_window_max: u32,
    /// Most accepted in any window of the frame (partial ones too).
    pub max_accepted_in_window: u32,
    pub max_accepted_in_sliding_second: u32,
    /// Where that sliding second starts, Unix ms.
    pub sliding_second_start_ms: Option<i64>,
    pub frame: Frame,
    /// The window phase used, ms (0 in the server's frame).
    pub window_phase_ms: i64,
    pub calls: usize,
    pub accepted: usize,
    pub throttled: usize,
    pub other_errors: BTreeMap<String, usize>,
    pub transport_errors: BTreeMap<String, usize>,
    /// Calls per rate-limit code (which layer refused them), and other failures together.
    #[serde(default)]
    pub by_code: RefusalCounts,
    pub latency_ms: Latency,
    pub per_second: Vec<Second>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub recovery: Option<Recovery>,
    pub algorithm_guess: AlgorithmGuess,
    pub status: Status,
    /// `status == Pass`.
    pub pass: bool,
    /// Where the behaviour breaks the documented rule (what makes the status `Fail`).
    pub violations: Vec<String>,
    /// Why the load was not offered as intended (what makes the status `LoadNotOffered` when
    /// nothing else failed); empty when it was.
    pub load_shortfalls: Vec<String>,
    /// The layer under test, when it is not the per-action one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Refuser>,
}

impl Verdict {
    /// Whether the client offered the load it intended (rate within the allowed ratio, calls on
    /// their slots). When it did not, the run says nothing about the limiter, only about the
    /// machine that drove it.
    pub fn offered_as_intended(&self) -> bool {
        self.load_shortfalls.is_empty()
    }

    /// The verdict on the calls of `key` among `calls`.
    pub fn compute(key: &Key, calls: &[Call], expectation: &Expectation) -> Verdict {
        let mut mine: Vec<&Call> = calls.iter().filter(|c| *c.key == *key).collect();
        let frame = if !mine.is_empty() && mine.iter().all(|c| c.server_ms.is_some()) {
            Frame::Server
        } else {
            Frame::Client
        };
        let time = |c: &Call| match frame {
            Frame::Server => c.server_ms.unwrap_or(c.sent_ms),
            Frame::Client => c.sent_ms,
        };
        mine.sort_by_key(|c| (time(c), c.sent_ms));
        let by_code = RefusalCounts::of(mine.iter().map(|c| &c.outcome));
        // Under a layer scenario, that layer's refusals are the throttling judged.
        let layered: Vec<Outcome> = mine
            .iter()
            .map(|c| crate::refusals::as_throttled(&c.outcome, expectation.layer))
            .collect();
        let series: Vec<(i64, &Outcome)> = mine
            .iter()
            .zip(&layered)
            .map(|(c, o)| (time(c), o))
            .collect();
        let limit = expectation.limit;

        let (phase, slack) = match frame {
            Frame::Server => (0, WINDOW_SLACK_SERVER),
            Frame::Client => (best_phase(&series, limit), WINDOW_SLACK_CLIENT),
        };
        let per_second = match frame {
            Frame::Server => windows_at_edges(&series, limit, SERVER_EDGE_MS),
            Frame::Client => windows(&series, phase),
        };

        // Offered rate, from send times (what the client did).
        let sent = mine.len();
        let intended = expectation.intended_rate();
        let offered_per_second = offered_rate(&mine, expectation);
        let ratio = if intended > 0.0 {
            offered_per_second / intended
        } else {
            0.0
        };
        let late = mine
            .iter()
            .filter(|c| c.lag_us > LATE_SLOT_MS * 1000)
            .count();
        let late_fraction = if sent == 0 {
            0.0
        } else {
            late as f64 / sent as f64
        };
        let offered = Offered {
            planned_calls: expectation.planned_calls,
            sent_calls: sent,
            ratio: round3(ratio),
            lag_ms: Percentiles::from_micros(mine.iter().map(|c| c.lag_us).collect()),
            late_fraction: round3(late_fraction),
        };

        let accepted_times: Vec<i64> = series
            .iter()
            .filter(|(_, o)| o.is_accepted())
            .map(|(t, _)| *t)
            .collect();
        let (max_sliding, sliding_start) = max_in_sliding_second(&accepted_times);

        // Full windows: entirely inside the span of the run.
        let full: Vec<&Second> = match (series.first(), series.last()) {
            (Some((first, _)), Some((last, _))) => per_second
                .iter()
                .filter(|w| w.second * WINDOW_MS + phase >= *first)
                .filter(|w| (w.second + 1) * WINDOW_MS + phase <= *last + 1)
                .collect(),
            _ => Vec::new(),
        };
        let accepted = accepted_times.len();
        let accepted_per_second = if !full.is_empty() {
            full.iter().map(|w| w.accepted as f64).sum::<f64>() / full.len() as f64
        } else {
            // No full window (a window-edge burst): the mean over the windows that saw
            // traffic, not all accepted calls over a span shorter than a window.
            let busy: Vec<&Second> = per_second.iter().filter(|w| w.offered > 0).collect();
            if busy.is_empty() {
                0.0
            } else {
                busy.iter().map(|w| w.accepted as f64).sum::<f64>() / busy.len() as f64
            }
        };
        let accepted_per_window_min = full.iter().map(|w| w.accepted).min().unwrap_or(0);
        let accepted_per_window_max = full.iter().map(|w| w.accepted).max().unwrap_or(0);
        let max_accepted_in_window = per_second.iter().map(|w| w.accepted).max().unwrap_or(0);

        let throttled = series.iter().filter(|(_, o)| o.is_throttled()).count();
        let mut other_errors = BTreeMap::new();
        let mut transport_errors = BTreeMap::new();
        for (_, outcome) in &series {
            match outcome {
                Outcome::OtherError(code) => *other_errors.entry(code.clone()).or_insert(0) += 1,
                Outcome::Transport(kind) => *transport_errors.entry(kind.clone()).or_insert(0) += 1,
                _ => {}
            }
        }

        let latency_ms = latency(&mine);
        let recovery = expectation
            .recovery_from_ms
            .map(|from| recovery(&series, from, expectation.recovery_bound_ms));
        let algorithm_guess = guess(
            &series,
            &per_second,
            phase,
            limit,
            max_sliding,
            expectation.intended_rate(),
        );

        let mut verdict = Verdict {
            scenario: expectation.scenario.clone(),
            kind: expectation.kind,
            action: key.action.clone(),
            version: key.version.clone(),
            account: key.account.clone(),
            expected_limit: limit,
            intended_rate: round3(intended),
            offered_per_second: round3(offered_per_second),
            offered,
            accepted_per_second: round3(accepted_per_second),
            accepted_per_window_min,
            accepted_per_window_max,
            max_accepted_in_window,
            max_accepted_in_sliding_second: max_sliding,
            sliding_second_start_ms: sliding_start,
            frame,
            window_phase_ms: phase,
            calls: sent,
            accepted,
            throttled,
            other_errors,
            transport_errors,
            by_code,
            latency_ms,
            per_second,
            recovery,
            algorithm_guess,
            status: Status::Fail,
            pass: false,
            violations: Vec::new(),
            load_shortfalls: Vec::new(),
            layer: expectation.layer,
        };
        verdict.load_shortfalls = load_shortfalls(&verdict, expectation);
        verdict.violations = violations_at_any_load(&verdict, slack);
        if verdict.load_shortfalls.is_empty() {
            let more = violations_of_the_intended_load(&verdict, expectation);
            verdict.violations.extend(more);
        }
        verdict.status = if !verdict.violations.is_empty() {
            Status::Fail
        } else if !verdict.load_shortfalls.is_empty() {
            Status::LoadNotOffered
        } else {
            Status::Pass
        };
        verdict.pass = verdict.status == Status::Pass;
        verdict
    }

    /// One line for tables and logs.
    pub fn summary_line(&self) -> String {
        format!(
            "{} {} {}: limit {}, offered {:.1}/s, accepted {:.1}/s, max {} in a sliding second, {} throttled: {}",
            self.scenario,
            self.action,
            self.version,
            self.expected_limit,
            self.offered_per_second,
            self.accepted_per_second,
            self.max_accepted_in_sliding_second,
            self.throttled,
            self.status.label()
        )
    }
}

/// Offered rate from send times: calls over the span they took, plus one mean slot interval
/// (so a perfectly held schedule gives exactly the intended rate).
fn offered_rate(calls: &[&Call], expectation: &Expectation) -> f64 {
    let n = calls.len();
    if n == 0 {
        return 0.0;
    }
    let first = calls.iter().map(|c| c.sent_ms).min().unwrap_or(0);
    let last = calls.iter().map(|c| c.sent_ms).max().unwrap_or(0);
    let interval_ms = if expectation.planned_calls > 0 {
        expectation.planned_span_ms / expectation.planned_calls as f64
    } else {
        0.0
    };
    let span_ms = (last - first) as f64 + interval_ms;
    if span_ms <= 0.0 {
        return 0.0;
    }
    n as f64 * 1000.0 / span_ms
}

fn latency(calls: &[&Call]) -> Latency {
    let all = Percentiles::from_micros(calls.iter().map(|c| c.latency_us).collect());
    let of = |pred: fn(&Outcome) -> bool| {
        Percentiles::from_micros(
            calls
                .iter()
                .filter(|c| pred(&c.outcome))
                .map(|c| c.latency_us)
                .collect(),
        )
    };
    Latency {
        p50: all.p50,
        p95: all.p95,
        p99: all.p99,
        max: all.max,
        accepted: of(Outcome::is_accepted),
        throttled: of(Outcome::is_throttled),
    }
}

fn recovery(series: &[(i64, &Outcome)], from: i64, bound: Option<i64>) -> Recovery {
    let after = series.iter().filter(|(t, _)| *t >= from);
    let mut throttled = 0;
    let mut first = None;
    for (t, outcome) in after {
        if outcome.is_accepted() {
            first = Some(t - from);
            break;
        }
        if outcome.is_throttled() {
            throttled += 1;
        }
    }
    Recovery {
        overload_ended_ms: from,
        time_to_first_accepted_ms: first,
        throttled_while_recovering: throttled,
        bound_ms: bound,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests;
