//! The rate-limit smoke: a burst above one read action's documented limit.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tco_clock::Clock;
use tco_spec::Action;

use super::Runner;
use crate::checks::{in_family, names};
use crate::options::Options;
use crate::probes;
use crate::report::Judgement;
use crate::wire::{Outcome, Probe};

impl Runner {
    /// A burst above the documented limit on one read action: some answers must be
    /// `RequestLimitExceeded`, and every other answer what a single call gets.
    pub(super) async fn rate_limit_smoke(&self, runnable: &[&'static Action]) {
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
                    Judgement::Fail(format!("no answer: {e}")),
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
                Judgement::Fail(format!(
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
                Judgement::Fail(format!(
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
                Judgement::Pass,
                None,
            );
        }
    }
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
