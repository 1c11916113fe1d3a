//! The verdict on synthetic arrival series: limiters simulated exactly, then judged.

use std::collections::{HashMap, VecDeque};

use proptest::prelude::*;

use super::*;
use crate::call::{Call, Key, Outcome};

fn key() -> Key {
    Key::new("DescribeOrganization", "2021-03-31", "AKIDtest")
}

/// The limiters, as pure functions of sorted arrival times.
#[derive(Debug, Clone, Copy)]
enum Sim {
    Fixed(u32),
    Sliding(u32),
    /// GCRA: `rate` per second, bursts up to `burst`.
    Bucket {
        rate: u32,
        burst: u32,
    },
    /// A broken limiter: a fixed window that lets `2N` through.
    Double(u32),
    Unlimited,
}

fn simulate(sim: Sim, times: &[i64]) -> Vec<Outcome> {
    let mut fixed: HashMap<i64, u32> = HashMap::new();
    let mut log: VecDeque<i64> = VecDeque::new();
    let mut tat: f64 = f64::MIN;
    times
        .iter()
        .map(|&t| {
            let ok = match sim {
                Sim::Fixed(n) | Sim::Double(n) => {
                    let cap = if matches!(sim, Sim::Double(_)) {
                        2 * n
                    } else {
                        n
                    };
                    let c = fixed.entry(t.div_euclid(1000)).or_insert(0);
                    if *c < cap {
                        *c += 1;
                        true
                    } else {
                        false
                    }
                }
                Sim::Sliding(n) => {
                    while log.front().is_some_and(|&a| a <= t - 1000) {
                        log.pop_front();
                    }
                    if (log.len() as u32) < n {
                        log.push_back(t);
                        true
                    } else {
                        false
                    }
                }
                Sim::Bucket { rate, burst } => {
                    let interval = 1000.0 / rate as f64;
                    let tf = t as f64;
                    let tat0 = tat.max(tf);
                    if tat0 - tf <= (burst as f64 - 1.0) * interval + 1e-9 {
                        tat = tat0 + interval;
                        true
                    } else {
                        false
                    }
                }
                Sim::Unlimited => true,
            };
            if ok {
                Outcome::Accepted
            } else {
                Outcome::Throttled
            }
        })
        .collect()
}

/// Calls at exactly these times (server frame when `server` is set), judged by `sim`.
fn calls(sim: Sim, times: &[i64], server: bool) -> Vec<Call> {
    simulate(sim, times)
        .into_iter()
        .zip(times)
        .map(|(o, &t)| {
            let mut c = Call::synthetic(&key(), t, o);
            if server {
                c.server_ms = Some(t);
            }
            c
        })
        .collect()
}

/// A steady schedule: `rate` per second for `duration_ms` starting at `t0`.
fn steady(t0: i64, rate: f64, duration_ms: u64) -> Vec<i64> {
    let n = planned_calls(rate, duration_ms);
    (0..n)
        .map(|k| t0 + (k as f64 * 1000.0 / rate).floor() as i64)
        .collect()
}

const T0: i64 = 1_700_000_000_000;

#[test]
fn over_limit_through_a_fixed_window_passes() {
    let n = 20;
    let times = steady(T0 + 123, 40.0, 5000);
    let cs = calls(Sim::Fixed(n), &times, true);
    let e = Expectation::steady("over-limit 2x", ScenarioKind::OverLimit, n, 40.0, 5000);
    let v = Verdict::compute(&key(), &cs, &e);
    assert!(v.pass, "{:#?}", v.violations);
    assert_eq!(v.frame, Frame::Server);
    assert_eq!(v.accepted_per_second, 20.0);
    assert_eq!(v.max_accepted_in_window, 20);
    assert_eq!(v.throttled, 200 - v.accepted);
    assert_eq!(v.offered.ratio, 1.0);
    // The run started 123 ms into a second, so its first sliding second straddles a
    // boundary: 20 from the first window and the start of the second.
    assert!(v.max_accepted_in_sliding_second > n);
    assert_eq!(v.algorithm_guess, AlgorithmGuess::FixedWindow);
    // The JSON carries the names the issue asks for.
    let json = serde_json::to_value(&v).unwrap();
    for field in [
        "action",
        "version",
        "expected_limit",
        "intended_rate",
        "offered_per_second",
        "accepted_per_second",
        "max_accepted_in_sliding_second",
        "throttled",
        "other_errors",
        "latency_ms",
        "per_second",
        "pass",
        "violations",
        "algorithm_guess",
    ] {
        assert!(json.get(field).is_some(), "missing {field}");
    }
    for p in ["p50", "p95", "p99"] {
        assert!(json["latency_ms"][p].is_number());
    }
}

#[test]
fn a_limiter_admitting_2n_fails_naming_the_window() {
    let n = 10;
    let times = steady(T0, 40.0, 3000);
    let cs = calls(Sim::Double(n), &times, true);
    let e = Expectation::steady("over-limit", ScenarioKind::OverLimit, n, 40.0, 3000);
    let v = Verdict::compute(&key(), &cs, &e);
    assert!(!v.pass);
    let second = T0 / 1000;
    assert!(
        v.violations.iter().any(|s| s.starts_with(&format!(
            "second {second}: 20 accepted, more than the limit of 10"
        ))),
        "{:#?}",
        v.violations
    );
    assert_eq!(
        v.algorithm_guess,
        AlgorithmGuess::HigherLimit {
            observed_per_second: 20
        }
    );
}

#[test]
fn window_edge_tells_the_algorithms_apart() {
    let n = 10;
    // 15 calls in the 100 ms before a boundary, 15 in the 100 ms after.
    let boundary = T0 + 5000;
    let mut times: Vec<i64> = (0..15).map(|k| boundary - 150 + k * 6).collect();
    times.extend((0..15).map(|k| boundary + 50 + k * 6));
    let slots: Vec<f64> = times.iter().map(|t| (t - times[0]) as f64).collect();
    let e = Expectation::from_slots("window-edge", ScenarioKind::WindowEdge, n, &slots);

    let fixed = Verdict::compute(&key(), &calls(Sim::Fixed(n), &times, true), &e);
    assert!(fixed.pass, "{:#?}", fixed.violations);
    assert_eq!(fixed.max_accepted_in_sliding_second, 2 * n);
    assert_eq!(fixed.algorithm_guess, AlgorithmGuess::FixedWindow);

    let sliding = Verdict::compute(&key(), &calls(Sim::Sliding(n), &times, true), &e);
    assert!(!sliding.pass);
    assert_eq!(sliding.max_accepted_in_sliding_second, n);
    assert_eq!(sliding.algorithm_guess, AlgorithmGuess::SlidingWindow);
    assert!(sliding.violations.iter().any(|s| s.contains("stricter")));

    let bucket = Verdict::compute(
        &key(),
        &calls(Sim::Bucket { rate: n, burst: 25 }, &times, true),
        &e,
    );
    assert!(!bucket.pass);
    assert!(
        matches!(bucket.algorithm_guess, AlgorithmGuess::TokenBucket { burst_estimate } if burst_estimate >= 15),
        "{:?}",
        bucket.algorithm_guess
    );
}

#[test]
fn a_paced_token_bucket_shows_interleaving() {
    let n = 10;
    let times = steady(T0 + 500, 30.0, 4000);
    let e = Expectation::steady("over-limit 3x", ScenarioKind::OverLimit, n, 30.0, 4000);
    let v = Verdict::compute(
        &key(),
        &calls(Sim::Bucket { rate: n, burst: 1 }, &times, true),
        &e,
    );
    assert!(
        matches!(v.algorithm_guess, AlgorithmGuess::TokenBucket { .. }),
        "{:?}",
        v.algorithm_guess
    );
}

#[test]
fn no_limit_is_named() {
    let times = steady(T0, 40.0, 3000);
    let e = Expectation::steady("over-limit", ScenarioKind::OverLimit, 10, 40.0, 3000);
    let v = Verdict::compute(&key(), &calls(Sim::Unlimited, &times, true), &e);
    assert!(!v.pass);
    assert_eq!(v.algorithm_guess, AlgorithmGuess::NoLimiting);
    assert!(v.violations.iter().any(|s| s.contains("nothing throttled")));
}

#[test]
fn a_run_that_could_not_offer_the_rate_is_its_own_outcome() {
    // Intended 40/s, but the client only managed 30/s.
    let times = steady(T0, 30.0, 4000);
    let e = Expectation::steady("under-limit", ScenarioKind::UnderLimit, 50, 40.0, 4000);
    let v = Verdict::compute(&key(), &calls(Sim::Fixed(50), &times, true), &e);
    assert!(!v.pass);
    assert_eq!(v.status, Status::LoadNotOffered);
    assert!(v.violations.is_empty(), "{:#?}", v.violations);
    assert!(
        v.load_shortfalls
            .iter()
            .any(|s| s.contains("/s against an intended 40.0/s (ratio 0.75")),
        "{:#?}",
        v.load_shortfalls
    );
    assert!((v.offered.ratio - 0.75).abs() < 0.01, "{}", v.offered.ratio);
}

#[test]
fn late_slots_are_a_load_shortfall_not_a_limiter_failure() {
    let times = steady(T0, 10.0, 2000);
    let mut cs = calls(Sim::Fixed(20), &times, true);
    cs[3].lag_us = 200_000;
    let e = Expectation::steady("under-limit", ScenarioKind::UnderLimit, 20, 10.0, 2000);
    let v = Verdict::compute(&key(), &cs, &e);
    assert_eq!(v.status, Status::LoadNotOffered);
    assert!(
        v.load_shortfalls[0].contains("5.0% of calls left more than 50 ms behind their slot"),
        "{:?}",
        v.load_shortfalls
    );
}

/// Calls of a steady schedule held back by a busy machine: the calls due in
/// `[from_ms, to_ms)` after `t0` all leave at `to_ms`, as a client that was not scheduled
/// then sends them when it runs again.
fn stalled(t0: i64, rate: f64, duration_ms: u64, from_ms: i64, to_ms: i64) -> Vec<(i64, u64)> {
    steady(t0, rate, duration_ms)
        .into_iter()
        .map(|t| {
            let due = t - t0;
            if (from_ms..to_ms).contains(&due) {
                (t0 + to_ms, ((to_ms - due) * 1000) as u64)
            } else {
                (t, 0)
            }
        })
        .collect()
}

fn through(sim: Sim, sent: &[(i64, u64)]) -> Vec<Call> {
    let times: Vec<i64> = sent.iter().map(|(t, _)| *t).collect();
    let mut cs = calls(sim, &times, true);
    for (c, (_, lag)) in cs.iter_mut().zip(sent) {
        c.lag_us = *lag;
    }
    cs
}

#[test]
fn a_stalled_client_under_the_limit_is_not_a_limiter_failure() {
    // 0.9N for 3 s, but the calls due from 500 to 1200 ms held back and sent at 1200 ms, in
    // the next window: it gets more than N, and a correct fixed window refuses the excess.
    // Not "throttled below the limit".
    let n = 10;
    let sent = stalled(T0 + 50, 9.0, 3000, 500, 1200);
    let cs = through(Sim::Fixed(n), &sent);
    assert!(cs.iter().any(|c| c.outcome == Outcome::Throttled));
    let e = Expectation::steady("under-limit", ScenarioKind::UnderLimit, n, 9.0, 3000);
    let v = Verdict::compute(&key(), &cs, &e);
    assert_eq!(v.status, Status::LoadNotOffered, "{:#?}", v.violations);
    assert!(v.violations.is_empty(), "{:#?}", v.violations);
}

#[test]
fn a_stalled_client_over_the_limit_is_not_a_limiter_failure() {
    // 2N for 4 s with a whole second held back: one window gets 2N at once, another none, so
    // the average per full window is not N. The limiter still kept every window to N.
    let n = 10;
    let sent = stalled(T0 + 25, 20.0, 4000, 1000, 2000);
    let e = Expectation::steady("over-limit", ScenarioKind::OverLimit, n, 20.0, 4000);
    let v = Verdict::compute(&key(), &through(Sim::Fixed(n), &sent), &e);
    assert_eq!(v.status, Status::LoadNotOffered, "{:#?}", v.violations);
    assert!(v.max_accepted_in_window <= n);
}

#[test]
fn a_broken_limiter_fails_even_when_the_load_was_not_offered() {
    // The same stalled client against a limiter admitting 2N: more than N in a window is a
    // failure at any load, and a shortfall does not hide it.
    let n = 10;
    let sent = stalled(T0 + 25, 20.0, 4000, 1000, 2000);
    let e = Expectation::steady("over-limit", ScenarioKind::OverLimit, n, 20.0, 4000);
    let v = Verdict::compute(&key(), &through(Sim::Double(n), &sent), &e);
    assert_eq!(v.status, Status::Fail);
    assert!(!v.load_shortfalls.is_empty());
    assert!(
        v.violations
            .iter()
            .any(|s| s.contains("accepted, more than the limit of 10")),
        "{:#?}",
        v.violations
    );
    // And a limiter stricter than the rule (a sliding window, here half a second out of
    // phase with the calendar): refusals in a window short of its N.
    let sent = stalled(T0 + 500, 20.0, 4000, 1000, 1600);
    let v = Verdict::compute(&key(), &through(Sim::Sliding(n), &sent), &e);
    assert_eq!(v.status, Status::Fail, "{:#?}", v.violations);
    assert!(v.violations.iter().any(|s| s.contains("stricter")));
}

#[test]
fn a_call_late_across_a_boundary_at_the_limit_is_a_shortfall_not_a_failure() {
    // 40/s against 40, aligned 12 ms past each second: the last call of the first second is
    // 20 ms late (well under the 50 ms that count as late) and lands in the next second, which
    // then receives 41 calls; a correct fixed window refuses one.
    let n = 40;
    let mut sent: Vec<(i64, u64)> = steady(T0 + 12, 40.0, 3000)
        .into_iter()
        .map(|t| (t, 0))
        .collect();
    sent[39] = (sent[39].0 + 20, 20_000);
    assert!(sent[39].0 >= T0 + 1000);
    let cs = through(Sim::Fixed(n), &sent);
    assert_eq!(
        cs.iter()
            .filter(|c| c.outcome == Outcome::Throttled)
            .count(),
        1
    );
    let e = Expectation::steady("rate-limit", ScenarioKind::UnderLimit, n, 40.0, 3000);
    let v = Verdict::compute(&key(), &cs, &e);
    assert_eq!(v.status, Status::LoadNotOffered, "{:#?}", v.violations);
    assert!(
        v.load_shortfalls
            .iter()
            .any(|s| s.contains("received 41 calls, more than the limit of 40")),
        "{:#?}",
        v.load_shortfalls
    );
    // The same refusal in a second that received only its 40 is the limiter's fault.
    let mut cs = through(
        Sim::Fixed(n),
        &steady(T0 + 12, 40.0, 3000)
            .into_iter()
            .map(|t| (t, 0))
            .collect::<Vec<_>>(),
    );
    cs[45].outcome = Outcome::Throttled;
    let v = Verdict::compute(&key(), &cs, &e);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.violations.iter().any(|s| s.contains("stricter")),
        "{:#?}",
        v.violations
    );
}

#[test]
fn statuses_combine_failure_first() {
    use Status::*;
    assert_eq!(Status::combine([Pass, Pass]), Pass);
    assert_eq!(Status::combine([Pass, LoadNotOffered]), LoadNotOffered);
    assert_eq!(Status::combine([LoadNotOffered, Fail, Pass]), Fail);
    assert_eq!(Status::combine([]), Pass);
}

#[test]
fn recovery_is_measured_from_the_end_of_the_overload() {
    let n = 10;
    let mut times = steady(T0 + 200, 40.0, 1300); // overload, 200..1475 ms
    let end = T0 + 1500;
    times.extend(steady(end, 20.0, 1000)); // probes at the same rate
    let slots: Vec<f64> = times.iter().map(|t| (t - times[0]) as f64).collect();
    let mut e = Expectation::from_slots("recovery", ScenarioKind::Recovery, n, &slots);
    e.recovery_from_ms = Some(end);
    e.recovery_bound_ms = Some(1000 + 50 + RECOVERY_SLACK_MS);
    let v = Verdict::compute(&key(), &calls(Sim::Fixed(n), &times, true), &e);
    let r = v.recovery.clone().unwrap();
    // The window of T0+1000 is full after 10 calls (to 1225 ms); the probes from 1500 ms
    // are refused until the next window, at T0+2000, 500 ms after the end.
    assert_eq!(r.time_to_first_accepted_ms, Some(500));
    assert_eq!(r.throttled_while_recovering, 10);
    assert!(v.pass, "{:#?}", v.violations);
}

#[test]
fn client_frame_finds_the_phase_of_a_shifted_window() {
    // The server's windows start 300 ms after the client's calendar seconds (clock offset
    // plus latency): seen from the client, windows are at phase 700.
    let n = 10;
    let times = steady(T0 + 40, 25.0, 4000);
    let shifted: Vec<i64> = times.iter().map(|t| t + 300).collect();
    let outcomes = simulate(Sim::Fixed(n), &shifted);
    let cs: Vec<Call> = outcomes
        .into_iter()
        .zip(&times)
        .map(|(o, &t)| Call::synthetic(&key(), t, o))
        .collect();
    let e = Expectation::steady("over-limit", ScenarioKind::OverLimit, n, 25.0, 4000);
    let v = Verdict::compute(&key(), &cs, &e);
    assert_eq!(v.frame, Frame::Client);
    assert!(v.pass, "phase {}: {:#?}", v.window_phase_ms, v.violations);
    assert_eq!(v.max_accepted_in_window, n);
}

#[test]
fn latency_is_split_by_outcome() {
    let mut cs = calls(Sim::Fixed(2), &steady(T0, 4.0, 1000), true);
    for (i, c) in cs.iter_mut().enumerate() {
        c.latency_us = if c.outcome.is_accepted() {
            10_000
        } else {
            1_000
        } + i as u64;
    }
    let e = Expectation::steady("over-limit", ScenarioKind::OverLimit, 2, 4.0, 1000);
    let v = Verdict::compute(&key(), &cs, &e);
    assert_eq!(v.latency_ms.accepted.count, 2);
    assert_eq!(v.latency_ms.throttled.count, 2);
    assert!(v.latency_ms.accepted.p50 >= 10.0 && v.latency_ms.throttled.p99 < 2.0);
}

#[test]
fn percentiles_use_nearest_rank() {
    let p = Percentiles::from_micros((1..=100).map(|x| x * 1000).collect());
    assert_eq!((p.p50, p.p95, p.p99, p.max), (50.0, 95.0, 99.0, 100.0));
    assert_eq!(Percentiles::from_micros(vec![]).count, 0);
}

fn brute_force_sliding(times: &[i64]) -> u32 {
    times
        .iter()
        .map(|&t| times.iter().filter(|&&u| u >= t && u < t + 1000).count() as u32)
        .max()
        .unwrap_or(0)
}

/// Sorted arrival times from gaps.
fn arrivals(gaps: Vec<u16>, start: i64) -> Vec<i64> {
    let mut t = start;
    gaps.into_iter()
        .map(|g| {
            t += g as i64;
            t
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn sliding_max_matches_brute_force(gaps in prop::collection::vec(0u16..400, 0..300), start in -5_000i64..5_000) {
        let times = arrivals(gaps, T0 + start);
        let (max, at) = max_in_sliding_second(&times);
        prop_assert_eq!(max, brute_force_sliding(&times));
        if let Some(at) = at {
            prop_assert_eq!(times.iter().filter(|&&u| u >= at && u < at + 1000).count() as u32, max);
        }
    }

    /// Any arrival series through Tencent's limiter: no window above N, never a throttle in a
    /// window short of N, at most 2N in a sliding second.
    #[test]
    fn any_series_through_a_fixed_window_keeps_the_rule(
        gaps in prop::collection::vec(0u16..200, 1..400),
        n in 1u32..30,
        server in any::<bool>(),
    ) {
        let times = arrivals(gaps, T0);
        let cs = calls(Sim::Fixed(n), &times, server);
        let slots: Vec<f64> = times.iter().map(|t| (t - times[0]) as f64).collect();
        let e = Expectation::from_slots("window-edge", ScenarioKind::WindowEdge, n, &slots);
        let v = Verdict::compute(&key(), &cs, &e);
        prop_assert!(v.pass, "{:#?}", v.violations);
        prop_assert!(v.max_accepted_in_window <= n);
        prop_assert!(v.max_accepted_in_sliding_second <= 2 * n);
    }

    /// A steady schedule at any rate and phase through a fixed window passes as under- or
    /// over-limit, whichever it is, in either frame.
    #[test]
    fn a_perfect_steady_series_passes(
        n in 2u32..40,
        factor in prop::sample::select(vec![0.3, 0.5, 0.9, 1.5, 2.0, 3.0]),
        phase in 0i64..1000,
        server in any::<bool>(),
    ) {
        let rate = n as f64 * factor;
        let times = steady(T0 + phase, rate, 4000);
        let kind = if factor < 1.0 { ScenarioKind::UnderLimit } else { ScenarioKind::OverLimit };
        let e = Expectation::steady("steady", kind, n, rate, 4000);
        let v = Verdict::compute(&key(), &calls(Sim::Fixed(n), &times, server), &e);
        prop_assert!(v.pass, "rate {} n {}: {:#?}", rate, n, v.violations);
        if factor > 1.0 {
            prop_assert!((v.accepted_per_second - n as f64).abs() <= 1.0);
        } else {
            prop_assert_eq!(v.throttled, 0);
        }
    }

    /// An under-limit run with any throttled call fails, and says so.
    #[test]
    fn under_limit_with_any_throttle_fails(n in 2u32..40, which in any::<prop::sample::Index>()) {
        let rate = n as f64 * 0.5;
        let times = steady(T0, rate, 3000);
        let mut cs = calls(Sim::Fixed(n), &times, true);
        let i = which.index(cs.len());
        cs[i].outcome = Outcome::Throttled;
        let e = Expectation::steady("under-limit", ScenarioKind::UnderLimit, n, rate, 3000);
        let v = Verdict::compute(&key(), &cs, &e);
        prop_assert!(!v.pass);
        prop_assert!(v.violations.iter().any(|s| s.contains("throttled while offering")));
    }

    /// Any other error fails any run, named by its code.
    #[test]
    fn other_errors_fail(n in 2u32..40, factor in prop::sample::select(vec![0.5, 2.0]), which in any::<prop::sample::Index>()) {
        let rate = n as f64 * factor;
        let times = steady(T0, rate, 3000);
        let mut cs = calls(Sim::Fixed(n), &times, true);
        let i = which.index(cs.len());
        cs[i].outcome = Outcome::OtherError("InternalError".into());
        let kind = if factor < 1.0 { ScenarioKind::UnderLimit } else { ScenarioKind::OverLimit };
        let e = Expectation::steady("any", kind, n, rate, 3000);
        let v = Verdict::compute(&key(), &cs, &e);
        prop_assert!(!v.pass);
        prop_assert!(v.violations.iter().any(|s| s.contains("InternalError x1")), "{:#?}", v.violations);
        prop_assert_eq!(v.other_errors.get("InternalError"), Some(&1));
    }

    /// A limiter that admits 2N fails whenever more than N + 1 was offered in some window.
    #[test]
    fn a_doubled_limit_is_caught(n in 2u32..30, phase in 0i64..1000, server in any::<bool>()) {
        let rate = n as f64 * 2.5;
        let times = steady(T0 + phase, rate, 3000);
        let e = Expectation::steady("over-limit", ScenarioKind::OverLimit, n, rate, 3000);
        let v = Verdict::compute(&key(), &calls(Sim::Double(n), &times, server), &e);
        prop_assert!(!v.pass);
        prop_assert!(v.violations.iter().any(|s| s.contains("more than the limit")), "{:#?}", v.violations);
    }
}

#[test]
fn a_call_decided_just_after_a_boundary_but_journaled_before_it_is_placed_after() {
    // The journal says 999 ms, the limiter counted it in the next second.
    let n = 2;
    let t = T0 + 10_000;
    let times = [t + 100, t + 200, t + 999, t + 1100, t + 1200];
    let outcomes = [
        Outcome::Accepted,
        Outcome::Accepted,
        Outcome::Accepted,
        Outcome::Accepted,
        Outcome::Throttled,
    ];
    let cs: Vec<Call> = times
        .iter()
        .zip(outcomes)
        .map(|(&t, o)| {
            let mut c = Call::synthetic(&key(), t, o);
            c.server_ms = Some(t);
            c
        })
        .collect();
    let slots: Vec<f64> = times.iter().map(|x| (x - times[0]) as f64).collect();
    let e = Expectation::from_slots("edge", ScenarioKind::WindowEdge, n, &slots);
    let v = Verdict::compute(&key(), &cs, &e);
    assert!(v.pass, "{:#?}", v.violations);
    assert_eq!(v.per_second[0].accepted, 2);
    assert_eq!(v.per_second[1].accepted, 2);
    // 3 ms is the limit: at 996 ms it stays, and is a violation.
    let mut cs2 = cs.clone();
    cs2[2].server_ms = Some(t + 996);
    let v = Verdict::compute(&key(), &cs2, &e);
    assert!(!v.pass);
}

#[test]
fn a_rate_at_the_limit_with_jitter_is_not_no_limiting() {
    let n = 40;
    let mut times = steady(T0 + 500, 40.0, 3000);
    // One call sent 30 ms early: 41 calls in a sliding second, none over the rate.
    times[40] -= 30;
    times.sort_unstable();
    let e = Expectation::steady("rate-limit", ScenarioKind::UnderLimit, n, 40.0, 3000);
    let v = Verdict::compute(&key(), &calls(Sim::Unlimited, &times, true), &e);
    assert!(v.pass, "{:#?}", v.violations);
    assert_ne!(v.algorithm_guess, AlgorithmGuess::NoLimiting);
    // Well above the limit, the same limiter is still named.
    let times = steady(T0 + 500, 60.0, 3000);
    let e = Expectation::steady("rate-limit", ScenarioKind::OverLimit, n, 60.0, 3000);
    let v = Verdict::compute(&key(), &calls(Sim::Unlimited, &times, true), &e);
    assert_eq!(v.algorithm_guess, AlgorithmGuess::NoLimiting);
}

#[test]
fn window_edge_accepted_per_second_is_per_busy_window() {
    let n = 40;
    let boundary = T0 + 5000;
    let mut times: Vec<i64> = (0..60).map(|k| boundary - 150 + k * 2).collect();
    times.extend((0..60).map(|k| boundary + 30 + k * 2));
    let slots: Vec<f64> = times.iter().map(|t| (t - times[0]) as f64).collect();
    let e = Expectation::from_slots("window-edge", ScenarioKind::WindowEdge, n, &slots);
    let v = Verdict::compute(&key(), &calls(Sim::Fixed(n), &times, true), &e);
    assert_eq!(v.accepted, 2 * n as usize);
    assert_eq!(v.accepted_per_second, n as f64);
}
