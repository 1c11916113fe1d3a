//! What the conformance set will send, worked out from its schedules before it starts: how
//! many calls, for about how long, and the most in any second. `tco-harness run` prints it
//! before it loads an endpoint. The runs are the ones [`crate::conformance::run_conformance`]
//! makes, built by the same functions.

use crate::conformance::ConformanceOptions;
use crate::schedule::Schedule;
use crate::{isolation, over_limit, recovery, steady, under_limit, window_edge};

/// The conformance set's traffic, from its schedules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traffic {
    pub calls: u64,
    /// About how long the set takes, the pauses between runs included.
    pub seconds: f64,
    /// The most calls in any sliding second of any run.
    pub peak_per_second: u64,
}

/// Each run of the set, in order: the schedules it runs at once.
pub fn runs(options: &ConformanceOptions, accounts: usize) -> Vec<Vec<Schedule>> {
    let cases = &options.cases;
    let d = options.duration_ms;
    let mut runs = Vec::new();
    for f in under_limit::FACTORS.into_iter().chain(over_limit::FACTORS) {
        runs.push(steady::schedules(cases, f, d));
    }
    runs.push(
        cases
            .iter()
            .map(|c| {
                window_edge::schedule(
                    window_edge::per_burst(c.limit),
                    window_edge::MARGIN_MS,
                    window_edge::SPREAD_MS,
                )
            })
            .collect(),
    );
    let account_ids: Vec<usize> = (0..accounts.max(1)).collect();
    runs.push(
        isolation::keys(cases, &account_ids)
            .into_iter()
            .map(|(c, _)| Schedule::steady(c.limit as f64 * isolation::FACTOR, d))
            .collect(),
    );
    for probe_rate in [
        |_: u32| recovery::SPARSE_RATE,
        recovery::eager_rate as fn(u32) -> f64,
    ] {
        runs.push(
            cases
                .iter()
                .map(|c| recovery::schedule(c.limit, probe_rate(c.limit)))
                .collect(),
        );
    }
    runs
}

/// The traffic of the set with `accounts` accounts (two make the isolation run load the
/// first case twice), pausing `settle` before each run as the env does.
pub fn traffic(
    options: &ConformanceOptions,
    accounts: usize,
    settle: std::time::Duration,
) -> Traffic {
    let lead = crate::attack::RunOptions::default().lead.as_secs_f64();
    let mut calls = 0;
    let mut seconds = 0.0;
    let mut peak = 0;
    for run in runs(options, accounts) {
        calls += run.iter().map(|s| s.len() as u64).sum::<u64>();
        let end = run.iter().map(Schedule::end_ms).fold(0.0, f64::max);
        // Settle, lead, on average half a second to the aligned start, the schedule itself.
        seconds += settle.as_secs_f64() + lead + 0.5 + end / 1000.0;
        let merged = run.into_iter().fold(Schedule::default(), Schedule::merged);
        peak = peak.max(busiest_second(&merged.times_ms()));
    }
    Traffic {
        calls,
        seconds,
        peak_per_second: peak,
    }
}

/// The most slot times in any half-open span of 1,000 ms (`times` sorted).
fn busiest_second(times: &[f64]) -> u64 {
    let mut most = 0;
    let mut start = 0;
    for (end, t) in times.iter().enumerate() {
        while times[start] <= t - 1000.0 {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The representative set (DescribeOrganization at 40/s, ListOrganizationNodes at 20/s,
    /// 3 s steady runs), worked out by hand from the scenarios' definitions:
    /// under 0.5x 90, 0.9x 162; over 1.5x 270, 2x 360; window edge 2 x 1.5N per case, 180;
    /// isolation at 2N, 360 with one account (600 with two); recovery: 2N for 1.7 s then
    /// 1.5 s of probes, sparse 234, eager 384. 2,040 in all with one account, as the issue
    /// measured against an endpoint. The busiest second is the window edge's: both bursts of
    /// both cases, 180 calls within 400 ms.
    #[test]
    fn the_representative_set() {
        let options = ConformanceOptions::representative().unwrap();
        let one = traffic(&options, 1, std::time::Duration::from_secs(1));
        assert_eq!(one.calls, 2040);
        assert_eq!(one.peak_per_second, 180);
        assert!((30.0..60.0).contains(&one.seconds), "{one:?}");
        let two = traffic(&options, 2, std::time::Duration::from_secs(1));
        assert_eq!(two.calls, 2040 + 240);
    }

    #[test]
    fn busiest_second_counts_a_half_open_span() {
        assert_eq!(busiest_second(&[0.0, 500.0, 999.0, 1000.0, 1500.0]), 3);
        assert_eq!(busiest_second(&[]), 0);
    }
}
