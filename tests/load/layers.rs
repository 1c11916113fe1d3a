//! The layer scenarios against the in-process mock, each layer on in a mock of its own:
//! sub-accounts isolated under one main account, the main-account layer, the per-IP layer.
//!
//! Real time on a machine that may be busy, so as in `load_mock.rs`: a run the machine could
//! not drive is measured again, and if it still could not, only what holds at any load is
//! asserted. In the mock's frame that is exact: never more than a layer's limit accepted in a
//! window, never a layer refusal in a window short of it, no refusal by another layer than the
//! one under test. What only the intended load shows (the layer's limit per window on
//! average, refusals at all) is asserted when the load was offered.

use std::sync::Arc;

use crate::common::assert_not_failed;
use tco_scenarios::layers::{self, LayerOutcome, LayerTargets, Which};
use tco_scenarios::refusals::Refuser;
use tco_scenarios::verdict::Frame;
use tco_scenarios::{env, Env, ScenarioResult, Status};

fn judged(outcome: LayerOutcome) -> ScenarioResult {
    match outcome {
        LayerOutcome::Judged(r) => r,
        LayerOutcome::NotTested { scenario, why } => panic!("{scenario} not tested: {why}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sub_accounts_of_one_main_account_each_get_their_own_budget() {
    let r = judged(layers::on_mock(Which::SubAccounts, None).await.unwrap());
    assert_not_failed(&r);
    assert_eq!(r.verdicts.len(), 2);
    let ids: Vec<&str> = r.verdicts.iter().map(|v| v.account.as_str()).collect();
    assert_eq!(
        ids,
        [
            layers::MOCK_SUB_ACCOUNTS[0].1,
            layers::MOCK_SUB_ACCOUNTS[1].1
        ]
    );
    for v in &r.verdicts {
        assert_eq!(v.frame, Frame::Server);
        assert!(v.max_accepted_in_window <= 20, "{:?}", v.per_second);
        assert_eq!(
            v.accepted + v.throttled,
            v.calls,
            "only the per-action code"
        );
        assert_eq!(v.by_code.rate_limited(), v.by_code.action);
        if v.offered_as_intended() {
            assert!(v.throttled > 0);
            assert!(
                (v.accepted_per_second - 20.0).abs() <= 1.0,
                "{}",
                v.accepted_per_second
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_account_layer_caps_its_sub_accounts_together() {
    let r = judged(layers::on_mock(Which::MainAccount, None).await.unwrap());
    assert_not_failed(&r);
    let v = &r.verdicts[0];
    let m = layers::MOCK_MAIN_ACCOUNT_LIMIT;
    assert_eq!(v.layer, Some(Refuser::MainAccount));
    assert_eq!(v.frame, Frame::Server);
    // Three callers: the main account and its two sub-accounts, 10/s each.
    assert_eq!(r.notes.len(), 3, "{:?}", r.notes);
    assert!(v.max_accepted_in_window <= m, "{:?}", v.per_second);
    assert!(v.max_accepted_in_sliding_second <= 2 * m);
    // Every refusal is the main-account layer's; nothing else refused.
    assert_eq!(v.throttled, v.by_code.main_account);
    assert_eq!(v.by_code.rate_limited(), v.by_code.main_account);
    assert_eq!(v.accepted + v.throttled, v.calls);
    if v.offered_as_intended() {
        assert_eq!(v.calls, 90);
        assert!(v.throttled > 0);
        assert!(
            (v.accepted_per_second - m as f64).abs() <= 1.0,
            "{}",
            v.accepted_per_second
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_account_region_layer_caps_its_sub_accounts_in_one_region() {
    let r = judged(
        layers::on_mock(Which::MainAccountRegion, None)
            .await
            .unwrap(),
    );
    assert_not_failed(&r);
    let v = &r.verdicts[0];
    let m = layers::MOCK_MAIN_ACCOUNT_LIMIT;
    assert_eq!(v.layer, Some(Refuser::MainAccountRegion));
    assert_eq!(v.frame, Frame::Server);
    assert!(v.max_accepted_in_window <= m, "{:?}", v.per_second);
    assert_eq!(v.throttled, v.by_code.main_account_region);
    assert_eq!(v.by_code.rate_limited(), v.by_code.main_account_region);
    if v.offered_as_intended() {
        assert_eq!(v.calls, 90);
        assert!(v.throttled > 0);
        assert!(
            (v.accepted_per_second - m as f64).abs() <= 1.0,
            "{}",
            v.accepted_per_second
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ip_layer_caps_every_account_from_one_address() {
    let r = judged(layers::on_mock(Which::SourceIp, None).await.unwrap());
    assert_not_failed(&r);
    let v = &r.verdicts[0];
    let m = layers::MOCK_SOURCE_IP_LIMIT;
    assert_eq!(v.layer, Some(Refuser::SourceIp));
    assert_eq!(v.frame, Frame::Server);
    // Two main accounts, 15/s each.
    assert_eq!(r.notes.len(), 2, "{:?}", r.notes);
    assert!(v.max_accepted_in_window <= m, "{:?}", v.per_second);
    assert_eq!(v.throttled, v.by_code.source_ip);
    assert_eq!(v.by_code.rate_limited(), v.by_code.source_ip);
    if v.offered_as_intended() {
        assert_eq!(v.calls, 90);
        assert!(v.throttled > 0);
        assert!(
            (v.accepted_per_second - m as f64).abs() <= 1.0,
            "{}",
            v.accepted_per_second
        );
    }
}

/// A mock without the layer, judged as if it had one of 20: every window admits the whole
/// 30 offered, which no load excuses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_main_account_layer_that_is_missing_fails() {
    let mock = layers::start_mock(None).await;
    let targets = layers::mock_targets(&mock);
    let env = Env::for_mock(mock);
    env::ensure_organization(&env).await.unwrap();
    let r = judged(layers::main_account::run(&env, &targets).await.unwrap());
    let v = &r.verdicts[0];
    assert_eq!(v.throttled, 0);
    // A window over 20 fails the run, at any load; a run whose every window stayed at 20
    // or below (calls very late) says its load was not offered instead.
    if v.max_accepted_in_window > layers::MOCK_MAIN_ACCOUNT_LIMIT {
        assert_eq!(r.status, Status::Fail);
        assert!(
            v.violations
                .iter()
                .any(|s| s.contains("more than the limit of 20")),
            "{:?}",
            v.violations
        );
    } else {
        assert_eq!(r.status, Status::LoadNotOffered, "{:?}", v.per_second);
    }
}

#[tokio::test]
async fn without_limits_or_accounts_a_layer_is_not_tested_and_says_why() {
    let mock = Arc::new(tco_mock::MockServer::start().await);
    let env = Env::for_mock(mock.clone());
    let none = LayerTargets {
        main: Some(mock.default_credentials()),
        ..LayerTargets::default()
    };
    for outcome in layers::run_all(&env, &none).await.unwrap() {
        match outcome {
            LayerOutcome::NotTested { scenario, why } => {
                assert!(!why.is_empty(), "{scenario}");
            }
            LayerOutcome::Judged(r) => panic!("{} ran without what it needs", r.name),
        }
    }
}
