//! The documented rule's checks on a verdict: those that hold at any load, those that need
//! the intended load, and why the load fell short.

use super::*;

/// Why the load was not offered as intended: calls not sent, another rate, calls late on their
/// slots. Empty when it was.
pub(super) fn load_shortfalls(v: &Verdict, e: &Expectation) -> Vec<String> {
    let mut out = Vec::new();
    if v.calls < e.planned_calls {
        out.push(format!(
            "sent only {} of {} planned calls",
            v.calls, e.planned_calls
        ));
    }
    if v.calls > 0 && !(OFFERED_RATIO_MIN..=OFFERED_RATIO_MAX).contains(&v.offered.ratio) {
        out.push(format!(
            "offered {:.1}/s against an intended {:.1}/s (ratio {:.3}, allowed {OFFERED_RATIO_MIN}..{OFFERED_RATIO_MAX})",
            v.offered_per_second, v.intended_rate, v.offered.ratio
        ));
    }
    if v.offered.late_fraction > MAX_LATE_FRACTION {
        out.push(format!(
            "{:.1}% of calls left more than {LATE_SLOT_MS} ms behind their slot (worst {:.0} ms): the client could not hold the schedule (a busy machine, or every connection waiting on a slow answer: --connections allows more calls in flight)",
            v.offered.late_fraction * 100.0,
            v.offered.lag_ms.max
        ));
    }
    // Below the limit the schedule puts at most N in each window; arrivals say whether it
    // did. A window that got more (calls a few ms late crossed a boundary: at the limit one
    // is enough) may refuse the excess, and that refusal is the limiter's right.
    if e.kind.forbids_throttling() && v.frame == Frame::Server {
        for w in v.per_second.iter().filter(|w| w.offered > v.expected_limit) {
            out.push(format!(
                "second {} received {} calls, more than the limit of {} the schedule kept to (calls left late and bunched)",
                w.second, w.offered, v.expected_limit
            ));
        }
    }
    out
}

/// What breaks the documented rule whatever load reached the server: windows are counted
/// on the arrivals themselves, so a late or bunched client changes which calls a window saw,
/// never what the limiter owed them.
pub(super) fn violations_at_any_load(v: &Verdict, slack: u32) -> Vec<String> {
    let mut out = Vec::new();
    let n = v.expected_limit;

    // Refusals by another layer than the one under test, named by their layer.
    let (by_layers, rest): (BTreeMap<String, usize>, BTreeMap<String, usize>) = v
        .other_errors
        .iter()
        .map(|(code, n)| (code.clone(), *n))
        .partition(|(code, _)| Refuser::of_code(code).is_some());
    out.extend(RefusalCounts::of_counts(&by_layers).by_other_layers(v.layer));
    // Answers that are neither acceptance nor the documented refusal.
    if !rest.is_empty() {
        out.push(format!(
            "{} calls failed with other errors than RequestLimitExceeded: {}",
            rest.values().sum::<usize>(),
            counts(&rest)
        ));
    }
    if !v.transport_errors.is_empty() {
        out.push(format!(
            "{} calls got no answer: {}",
            v.transport_errors.values().sum::<usize>(),
            counts(&v.transport_errors)
        ));
    }

    // Never more than N per window.
    for w in v.per_second.iter().filter(|w| w.accepted > n + slack) {
        out.push(format!(
            "{}: {} accepted, more than the limit of {}{}",
            window_label(v, w),
            w.accepted,
            n,
            if slack > 0 {
                format!(" (+{slack} allowed for jitter)")
            } else {
                String::new()
            }
        ));
    }

    // Never throttle a window that has not had its N.
    for w in v
        .per_second
        .iter()
        .filter(|w| w.throttled > 0 && w.accepted + slack < n)
    {
        out.push(format!(
            "{}: {} throttled although only {} of the {} allowed were accepted (stricter than \"the first N of each second pass\")",
            window_label(v, w),
            w.throttled,
            w.accepted,
            n
        ));
    }
    out
}

/// What only the intended load shows: no refusal at all below the limit, N per window on
/// average above it, recovery within a window. Judged only when that load was offered.
pub(super) fn violations_of_the_intended_load(v: &Verdict, e: &Expectation) -> Vec<String> {
    let mut out = Vec::new();
    let n = v.expected_limit;

    if e.kind.forbids_throttling() && v.throttled > 0 {
        let first = v.per_second.iter().find(|w| w.throttled > 0);
        out.push(format!(
            "{} calls throttled while offering {:.1}/s, below the limit of {} (first in {})",
            v.throttled,
            v.offered_per_second,
            n,
            first.map(|w| window_label(v, w)).unwrap_or_default()
        ));
    }

    if e.kind.expects_full_windows() {
        if v.throttled == 0 {
            out.push(format!(
                "nothing throttled at {:.1}/s, above the limit of {}",
                v.offered_per_second, n
            ));
        }
        if (v.accepted_per_second - n as f64).abs() > ACCEPTED_PER_SECOND_TOLERANCE {
            out.push(format!(
                "accepted {:.2}/s over full windows, expected {} +/- {}",
                v.accepted_per_second, n, ACCEPTED_PER_SECOND_TOLERANCE
            ));
        }
    }

    if let Some(r) = &v.recovery {
        match (r.time_to_first_accepted_ms, r.bound_ms) {
            (None, _) => out.push(format!(
                "no call was accepted after the overload ended ({} refused)",
                r.throttled_while_recovering
            )),
            (Some(t), Some(bound)) if t > bound => out.push(format!(
                "first accepted call came {t} ms after the overload ended, later than {bound} ms (one window, one probe interval and {RECOVERY_SLACK_MS} ms of slack)"
            )),
            _ => {}
        }
    }
    out
}

/// A window as reports name it.
fn window_label(v: &Verdict, w: &Second) -> String {
    match v.frame {
        Frame::Server => format!("second {}", w.second),
        Frame::Client => format!(
            "window starting {} ms (client clock)",
            w.second * WINDOW_MS + v.window_phase_ms
        ),
    }
}

fn counts(map: &BTreeMap<String, usize>) -> String {
    map.iter()
        .map(|(k, n)| format!("{k} x{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
