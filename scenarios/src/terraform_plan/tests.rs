//! The driver on a synthetic server and tokio's paused clock: exact counts, no sleeps.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::call::{Key, Outcome};

/// A server holding `members` members that answers after `latency` and refuses the calls
/// `refuse(k)` says (k counts every call it received), with `code`.
fn server(
    members: u64,
    latency: Duration,
    refuse: impl Fn(usize) -> Option<Outcome> + Send + Sync + 'static,
) -> (Pager, Arc<AtomicUsize>) {
    let received = Arc::new(AtomicUsize::new(0));
    let refuse = Arc::new(refuse);
    let counter = received.clone();
    let pager: Pager = Arc::new(move |offset| {
        let k = counter.fetch_add(1, Ordering::SeqCst);
        let refusal = refuse(k);
        Box::pin(async move {
            tokio::time::sleep(latency).await;
            let key = Key::new(walk::ACTION, walk::VERSION, "AKIDsynthetic");
            let (outcome, items) = match refusal {
                Some(o) => (o, 0),
                None => (Outcome::Accepted, walk::items_at(members, offset)),
            };
            let mut call = Call::synthetic(&key, 0, outcome);
            call.latency_us = latency.as_micros() as u64;
            Page { call, items }
        })
    });
    (pager, received)
}

#[tokio::test(start_paused = true)]
async fn a_plan_makes_one_listing_and_n_reads_of_ceil_n_over_50_pages() {
    for members in [20u64, 120] {
        let (pager, received) = server(members, Duration::from_millis(30), |_| None);
        let options = PlanOptions::provider(members);
        let driven = drive(pager, &options).await;
        let report = PlanReport::new("synthetic", &options, &driven);
        let pages = members.div_ceil(50);
        assert_eq!(report.pages_per_walk, pages);
        assert_eq!(report.calls as u64, (members + 1) * pages, "{members}");
        assert_eq!(received.load(Ordering::SeqCst), report.calls);
        assert_eq!(report.accepted, report.calls);
        assert_eq!((report.throttled, report.retries), (0, 0));
        assert_eq!(report.members_listed, Some(members));
        assert!(report.pass, "{:?}", report.violations);
        // Every page of every walk, each once: offsets 0, 50, ... per walk.
        for walk in 0..=members {
            let mut offsets: Vec<u64> = driven
                .attempts
                .iter()
                .filter(|a| a.walk == walk)
                .map(|a| a.page)
                .collect();
            offsets.sort_unstable();
            assert_eq!(offsets, (0..pages).collect::<Vec<_>>(), "walk {walk}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_limiter_holds_15_per_second_in_the_clients_frame() {
    // 101 walks of 3 pages = 303 calls, plus a token before each walk: 404 tokens. Fast
    // answers and 10 readers at once, so only the limiter sets the pace.
    let members = 100;
    let (pager, _) = server(members, Duration::from_millis(1), |_| None);
    let options = PlanOptions::provider(members);
    let driven = drive(pager, &options).await;
    let report = PlanReport::new("synthetic", &options, &driven);
    assert_eq!(report.calls, 303);
    let times: Vec<Duration> = driven.attempts.iter().map(|a| a.at).collect();
    // A bucket of 15 refilling at 15/s: at most 15 + 15 L calls in any L seconds.
    for secs in [1u64, 3, 10] {
        let most = limiter::max_in_span(&times, Duration::from_secs(secs));
        assert!(most as u64 <= 15 + 15 * secs, "{most} calls in {secs} s");
    }
    assert!(report.max_calls_in_sliding_second <= 30);
    // 404 tokens, 15 of them at once: the rest take (404 - 15) / 15 s at least.
    let floor = Duration::from_secs_f64((404.0 - 15.0) / 15.0);
    assert!(driven.elapsed >= floor, "{:?} < {floor:?}", driven.elapsed);
}

#[tokio::test(start_paused = true)]
async fn refusals_are_retried_after_half_a_second_then_one_and_counted_per_code() {
    let ip = "RequestLimitExceeded.IPLimitExceeded";
    let (pager, _) = server(20, Duration::from_millis(5), move |k| match k {
        1 => Some(Outcome::Throttled),
        2 => Some(Outcome::OtherError(ip.into())),
        _ => None,
    });
    // One read at a time: the calls after the listing are walk 1's page, then its retries.
    let mut options = PlanOptions::provider(20);
    options.parallelism = 1;
    let driven = drive(pager, &options).await;
    let report = PlanReport::new("synthetic", &options, &driven);
    // 21 walks of one page, and two retries of the page that was refused twice.
    assert_eq!(report.calls, 23);
    assert_eq!(report.retries, 2);
    assert_eq!(report.throttled, 2);
    assert_eq!((report.by_code.action, report.by_code.source_ip), (1, 1));
    assert!(report.pass, "{:?}", report.violations);
    let page: Vec<&Attempt> = driven
        .attempts
        .iter()
        .filter(|a| a.walk == 1 && a.page == 0)
        .collect();
    assert_eq!(page.len(), 3);
    let gap = |i: usize| page[i + 1].at - page[i].at;
    // Each wait, plus the refused call's 5 ms, plus the limiter's pacing at most.
    assert!(gap(0) >= Duration::from_millis(505) && gap(0) < Duration::from_millis(650));
    assert!(gap(1) >= Duration::from_millis(1005) && gap(1) < Duration::from_millis(1150));
}

#[tokio::test(start_paused = true)]
async fn a_plan_refused_for_longer_than_the_read_timeout_fails_and_stops() {
    let (pager, received) = server(20, Duration::from_millis(5), |k| {
        (k >= 3).then_some(Outcome::Throttled)
    });
    let options = PlanOptions::provider(20);
    let driven = drive(pager, &options).await;
    let report = PlanReport::new("synthetic", &options, &driven);
    assert!(!report.pass);
    assert_eq!(report.status, Status::Fail);
    assert!(
        report.violations[0].contains("retries exhausted"),
        "{:?}",
        report.violations
    );
    // 3 minutes of waits 0.5, 1, 2, 4, 8 then 10 s: about 20 attempts per page, for the 10
    // pages under way; the plan stops rather than start new reads.
    let calls = received.load(Ordering::SeqCst);
    assert!(calls < 10 * 25, "{calls} calls");
    assert!(
        driven.elapsed <= Duration::from_secs(200),
        "{:?}",
        driven.elapsed
    );
}

#[tokio::test(start_paused = true)]
async fn a_refusal_the_provider_does_not_retry_fails_the_plan_at_once() {
    let (pager, received) = server(20, Duration::from_millis(5), |k| {
        (k == 0).then(|| Outcome::OtherError("ResourceNotFound.OrganizationNotExist".into()))
    });
    let options = PlanOptions::provider(20);
    let driven = drive(pager, &options).await;
    let report = PlanReport::new("synthetic", &options, &driven);
    assert_eq!(received.load(Ordering::SeqCst), 1);
    assert!(
        report.violations[0].contains("does not retry"),
        "{:?}",
        report.violations
    );
}

#[tokio::test(start_paused = true)]
async fn a_plan_longer_than_its_bound_stops_unfinished() {
    let (pager, _) = server(100, Duration::from_millis(1), |_| None);
    let mut options = PlanOptions::provider(100);
    options.max_time = Duration::from_secs(5);
    let driven = drive(pager, &options).await;
    let report = PlanReport::new("synthetic", &options, &driven);
    assert!(!report.pass);
    assert!(
        report.violations[0].contains("did not finish within"),
        "{:?}",
        report.violations
    );
    assert!(report.calls < 303);
}
