//! What a run will send, worked out from its plan before it starts: how many requests, and
//! the most in any second. `tco-harness run` prints it before it calls an endpoint, so that
//! whoever runs it against a real deployment knows what is coming. Retries of throttled
//! probes come on top (at most three per probe, and only when the endpoint throttles).

use crate::flows::Vars;
use crate::options::{Options, RunError};
use crate::probes;
use crate::run::{burst_action, burst_size, pace_cap, runnable_flows, select};

/// A run's traffic, from its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traffic {
    /// Requests the run sends at most (retries after throttling not counted; a polled step
    /// counted at its bound, though it usually ends sooner).
    pub requests: u64,
    /// The most it sends in any one second: the actions probed at once, each at its pace, or
    /// the rate-limit burst, whichever is more.
    pub peak_per_second: u64,
}

/// How many times a flow step may be sent: once, or up to its bound when it is polled.
pub fn polls(step: &crate::flows::Step) -> u64 {
    step.until.map_or(1, |u| u64::from(u.tries))
}

/// The traffic of a run against an endpoint with these options.
pub fn traffic(options: &Options) -> Result<Traffic, RunError> {
    let mutations = options.allow_mutations;
    let selection = select(options)?;
    let runnable: Vec<_> = selection
        .iter()
        .copied()
        .filter(|a| mutations || probes::is_read_only(&a.name))
        .collect();
    let mut versions: Vec<_> = selection.iter().map(|a| a.version).collect();
    versions.dedup();

    // The first service probe is sent twice: once to see that the endpoint answers.
    let mut requests = 1;
    requests += versions
        .iter()
        .map(|v| probes::service_plan(*v).len() as u64)
        .sum::<u64>();
    let mut burst = 0;
    if options.rate_limit {
        if let Some(action) = burst_action(options, &runnable) {
            burst = burst_size(action);
            requests += 1 + burst;
        }
    }
    if options.flows && mutations {
        let mut vars = Vars::new();
        if let Some(uin) = options.invitee_uin {
            vars.insert("InviteeUin", serde_json::Value::from(uin));
        }
        if let Some(uin) = options.sub_account_uin {
            vars.insert("SubAccountUin", serde_json::Value::from(uin));
        }
        let flows = runnable_flows(&runnable, &vars);
        if flows.iter().any(|f| f.creates_organization()) {
            requests += 1;
        }
        requests += flows
            .iter()
            .map(|f| {
                f.steps
                    .iter()
                    .map(|s| polls(s) + u64::from(s.undo.is_some()))
                    .sum::<u64>()
            })
            .sum::<u64>();
    }
    requests += runnable
        .iter()
        .map(|a| probes::plan(a).len() as u64)
        .sum::<u64>();

    let mut caps: Vec<u64> = runnable
        .iter()
        .map(|a| pace_cap(a.rate_limit, options.pace) as u64)
        .collect();
    caps.sort_unstable_by(|a, b| b.cmp(a));
    let paced: u64 = caps.iter().take(options.concurrency.max(1)).sum();
    Ok(Traffic {
        requests,
        peak_per_second: paced.max(burst),
    })
}
