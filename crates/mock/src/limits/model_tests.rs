//! The limit model on the injected clock: exact counts per window and per code for the
//! documented key, sub-accounts and every layer.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::limiter::{Algorithm, CallIdentity, Decision, LimitOverrides, Limiter};
use tco_clock::{Clock, ManualClock};

const T0: i64 = 1_700_000_000_000;
const MAIN: u64 = 100_000_000_001;
const SUB_A: u64 = 100_000_000_011;
const SUB_B: u64 = 100_000_000_012;
const OTHER_MAIN: u64 = 100_000_000_002;
const V2018: &str = "2018-12-25";
const V2021: &str = "2021-03-31";

fn limiter(model: LimitModel) -> (ManualClock, Limiter) {
    let clock = ManualClock::at_millis(T0);
    let limiter = Limiter::new(
        Arc::new(clock.clone()),
        Algorithm::FixedWindow,
        LimitOverrides::default(),
    )
    .with_model(model);
    (clock, limiter)
}

fn layered(layers: Layers) -> (ManualClock, Limiter) {
    limiter(LimitModel {
        key: KeyMode::Documented,
        layers,
    })
}

/// A call of `DescribeOrganization` 2021 by `uin` (a main account as itself), through the
/// default access region, from 10.0.0.1.
fn call(uin: u64) -> CallIdentity<'static> {
    CallIdentity {
        uin,
        owner_uin: uin,
        action: "DescribeOrganization",
        version: V2021,
        access_region: DEFAULT_ACCESS_REGION,
        region_param: "",
        source_ip: Some(ip(1)),
    }
}

fn sub(uin: u64, owner_uin: u64) -> CallIdentity<'static> {
    CallIdentity {
        owner_uin,
        ..call(uin)
    }
}

fn ip(last: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(10, 0, 0, last))
}

/// Offers `n` calls at the clock's instant; how many got each answer ("OK" or the code).
fn offer(
    limiter: &Limiter,
    clock: &ManualClock,
    call: &CallIdentity<'_>,
    n: u32,
    documented: u32,
) -> BTreeMap<&'static str, u32> {
    let mut answers = BTreeMap::new();
    for _ in 0..n {
        let answer = match limiter.check_call(call, documented, clock.now_millis()).0 {
            Decision::Admitted => "OK",
            Decision::Limited { layer, .. } => layer.code(),
        };
        *answers.entry(answer).or_default() += 1;
    }
    answers
}

fn counts(pairs: &[(&'static str, u32)]) -> BTreeMap<&'static str, u32> {
    pairs.iter().copied().collect()
}

const OK: &str = "OK";
const ACTION: &str = "RequestLimitExceeded";
const UIN: &str = "RequestLimitExceeded.UinLimitExceeded";
const REGION_UIN: &str = "RequestLimitExceeded.GlobalRegionUinLimitExceeded";
const IP: &str = "RequestLimitExceeded.IPLimitExceeded";

#[test]
fn the_same_action_through_two_regional_endpoints_has_two_budgets() {
    let (clock, limiter) = limiter(LimitModel::default());
    let guangzhou = access_region(Some("organization.ap-guangzhou.tencentcloudapi.com"));
    let shanghai = access_region(Some("organization.ap-shanghai.tencentcloudapi.com"));
    for region in [guangzhou, shanghai] {
        let c = CallIdentity {
            access_region: region,
            ..call(MAIN)
        };
        assert_eq!(
            offer(&limiter, &clock, &c, 5, 3),
            counts(&[(OK, 3), (ACTION, 2)]),
            "{region}"
        );
    }
}

#[test]
fn loopback_and_localhost_reach_one_region_and_share_one_budget() {
    let (clock, limiter) = limiter(LimitModel::default());
    let through = |host| CallIdentity {
        access_region: access_region(Some(host)),
        ..call(MAIN)
    };
    assert_eq!(
        offer(&limiter, &clock, &through("127.0.0.1:8080"), 2, 3),
        counts(&[(OK, 2)])
    );
    assert_eq!(
        offer(&limiter, &clock, &through("localhost:8080"), 2, 3),
        counts(&[(OK, 1), (ACTION, 1)])
    );
}

#[test]
fn the_region_parameter_does_not_split_the_documented_budget() {
    let (clock, limiter) = limiter(LimitModel::default());
    for (region, admitted) in [("ap-shanghai", 2), ("ap-beijing", 1)] {
        let c = CallIdentity {
            region_param: region,
            ..call(MAIN)
        };
        assert_eq!(offer(&limiter, &clock, &c, 2, 3).get(OK), Some(&admitted));
    }
}

#[test]
fn both_versions_of_an_action_share_one_budget_each_judged_by_its_own_limit() {
    let (clock, limiter) = limiter(LimitModel::default());
    // DescribeOrganization documents 20/s in 2018-12-25 and 40/s in 2021-03-31.
    let old = CallIdentity {
        version: V2018,
        ..call(MAIN)
    };
    assert_eq!(
        offer(&limiter, &clock, &old, 25, 20),
        counts(&[(OK, 20), (ACTION, 5)])
    );
    // The 2021 call has 40 in a budget that already counted 20.
    assert_eq!(
        offer(&limiter, &clock, &call(MAIN), 25, 40),
        counts(&[(OK, 20), (ACTION, 5)])
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(offer(&limiter, &clock, &old, 25, 20).get(OK), Some(&20));
}

#[test]
fn the_legacy_key_splits_by_version_and_region_parameter_not_access_region() {
    let (clock, limiter) = limiter(LimitModel {
        key: KeyMode::Legacy,
        layers: Layers::default(),
    });
    let base = CallIdentity {
        region_param: "ap-shanghai",
        ..call(MAIN)
    };
    assert_eq!(offer(&limiter, &clock, &base, 3, 2).get(OK), Some(&2));
    for other in [
        CallIdentity {
            version: V2018,
            ..base
        },
        CallIdentity {
            region_param: "ap-beijing",
            ..base
        },
    ] {
        assert_eq!(offer(&limiter, &clock, &other, 3, 2).get(OK), Some(&2));
    }
    let other_endpoint = CallIdentity {
        access_region: "ap-chengdu",
        ..base
    };
    assert_eq!(offer(&limiter, &clock, &other_endpoint, 3, 2).get(OK), None);
}

#[test]
fn sub_accounts_of_one_main_account_each_have_their_own_budget() {
    let (clock, limiter) = layered(Layers::default());
    for caller in [sub(SUB_A, MAIN), sub(SUB_B, MAIN), call(MAIN)] {
        assert_eq!(
            offer(&limiter, &clock, &caller, 7, 5),
            counts(&[(OK, 5), (ACTION, 2)]),
            "{}",
            caller.uin
        );
    }
}

#[test]
fn the_main_account_layer_caps_its_sub_accounts_together_per_window() {
    let (clock, limiter) = layered(Layers {
        main_account: Some(8),
        ..Layers::default()
    });
    for _window in 0..3 {
        assert_eq!(
            offer(&limiter, &clock, &sub(SUB_A, MAIN), 7, 5),
            counts(&[(OK, 5), (ACTION, 2)])
        );
        // 3 left of the main account's 8; then its own budget has room but the main has none.
        assert_eq!(
            offer(&limiter, &clock, &sub(SUB_B, MAIN), 7, 5),
            counts(&[(OK, 3), (UIN, 4)])
        );
        // The main account calling as itself shares the main budget.
        assert_eq!(
            offer(&limiter, &clock, &call(MAIN), 2, 5),
            counts(&[(UIN, 2)])
        );
        // Another main account is not affected.
        assert_eq!(
            offer(&limiter, &clock, &call(OTHER_MAIN), 6, 5),
            counts(&[(OK, 5), (ACTION, 1)])
        );
        clock.advance(Duration::from_secs(1));
    }
}

#[test]
fn the_main_account_layer_counts_across_actions_and_regions() {
    let (clock, limiter) = layered(Layers {
        main_account: Some(4),
        ..Layers::default()
    });
    let other_action = CallIdentity {
        action: "ListOrganizationNodes",
        ..call(MAIN)
    };
    let other_region = CallIdentity {
        access_region: "ap-shanghai",
        ..call(MAIN)
    };
    assert_eq!(
        offer(&limiter, &clock, &call(MAIN), 2, 20).get(OK),
        Some(&2)
    );
    assert_eq!(
        offer(&limiter, &clock, &other_action, 1, 20).get(OK),
        Some(&1)
    );
    assert_eq!(
        offer(&limiter, &clock, &other_region, 3, 20),
        counts(&[(OK, 1), (UIN, 2)])
    );
}

#[test]
fn the_main_account_region_layer_is_per_access_region() {
    let (clock, limiter) = layered(Layers {
        main_account_region: Some(4),
        ..Layers::default()
    });
    for region in ["ap-guangzhou", "ap-shanghai"] {
        let a = CallIdentity {
            access_region: region,
            ..sub(SUB_A, MAIN)
        };
        let b = CallIdentity {
            access_region: region,
            ..sub(SUB_B, MAIN)
        };
        assert_eq!(offer(&limiter, &clock, &a, 3, 20), counts(&[(OK, 3)]));
        assert_eq!(
            offer(&limiter, &clock, &b, 3, 20),
            counts(&[(OK, 1), (REGION_UIN, 2)]),
            "{region}"
        );
    }
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        offer(&limiter, &clock, &sub(SUB_B, MAIN), 6, 20),
        counts(&[(OK, 4), (REGION_UIN, 2)])
    );
}

#[test]
fn the_source_ip_layer_counts_every_account_from_one_address() {
    let (clock, limiter) = layered(Layers {
        source_ip: Some(6),
        ..Layers::default()
    });
    assert_eq!(
        offer(&limiter, &clock, &call(MAIN), 4, 20),
        counts(&[(OK, 4)])
    );
    assert_eq!(
        offer(&limiter, &clock, &call(OTHER_MAIN), 4, 20),
        counts(&[(OK, 2), (IP, 2)])
    );
    let elsewhere = CallIdentity {
        source_ip: Some(ip(2)),
        ..call(OTHER_MAIN)
    };
    assert_eq!(
        offer(&limiter, &clock, &elsewhere, 7, 20),
        counts(&[(OK, 6), (IP, 1)])
    );
    // No known address: the layer does not apply.
    let unknown = CallIdentity {
        source_ip: None,
        ..call(SUB_A)
    };
    assert_eq!(offer(&limiter, &clock, &unknown, 7, 20), counts(&[(OK, 7)]));
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        offer(&limiter, &clock, &call(MAIN), 7, 20),
        counts(&[(OK, 6), (IP, 1)])
    );
}

#[test]
fn a_call_refused_by_its_action_budget_consumes_no_main_account_budget() {
    let (clock, limiter) = layered(Layers {
        main_account: Some(4),
        ..Layers::default()
    });
    assert_eq!(
        offer(&limiter, &clock, &sub(SUB_A, MAIN), 10, 3),
        counts(&[(OK, 3), (ACTION, 7)])
    );
    // Had the 7 refused calls been charged, the main account would have nothing left.
    assert_eq!(
        offer(&limiter, &clock, &sub(SUB_B, MAIN), 10, 3),
        counts(&[(OK, 1), (UIN, 9)])
    );
}

#[test]
fn a_call_refused_by_the_ip_layer_consumes_no_action_budget() {
    let (clock, limiter) = layered(Layers {
        source_ip: Some(2),
        ..Layers::default()
    });
    assert_eq!(
        offer(&limiter, &clock, &call(MAIN), 4, 5),
        counts(&[(OK, 2), (IP, 2)])
    );
    let elsewhere = CallIdentity {
        source_ip: Some(ip(2)),
        ..call(MAIN)
    };
    assert_eq!(
        offer(&limiter, &clock, &elsewhere, 4, 5),
        counts(&[(OK, 2), (IP, 2)])
    );
    let third = CallIdentity {
        source_ip: Some(ip(3)),
        ..call(MAIN)
    };
    // 4 of the action's 5 were admitted; the refused 4 cost nothing.
    assert_eq!(
        offer(&limiter, &clock, &third, 2, 5),
        counts(&[(OK, 1), (ACTION, 1)])
    );
}

#[test]
fn when_several_layers_are_full_the_outermost_names_the_refusal() {
    let (clock, limiter) = layered(Layers {
        main_account: Some(1),
        main_account_region: Some(1),
        source_ip: Some(1),
    });
    assert_eq!(
        offer(&limiter, &clock, &call(MAIN), 1, 1),
        counts(&[(OK, 1)])
    );
    assert_eq!(
        offer(&limiter, &clock, &call(MAIN), 1, 1),
        counts(&[(IP, 1)])
    );
    let elsewhere = CallIdentity {
        source_ip: Some(ip(2)),
        ..call(MAIN)
    };
    assert_eq!(
        offer(&limiter, &clock, &elsewhere, 1, 1),
        counts(&[(UIN, 1)])
    );
}

#[test]
fn the_refusal_carries_the_layer_and_its_limit() {
    let (clock, limiter) = layered(Layers {
        main_account_region: Some(2),
        ..Layers::default()
    });
    offer(&limiter, &clock, &call(MAIN), 2, 20);
    assert_eq!(
        limiter.check_call(&call(MAIN), 20, clock.now_millis()).0,
        Decision::Limited {
            limit: 2,
            layer: Layer::MainAccountRegion
        }
    );
}

#[test]
fn with_a_token_bucket_each_layer_bursts_to_its_own_limit() {
    let clock = ManualClock::at_millis(T0);
    let limiter = Limiter::new(
        Arc::new(clock.clone()),
        Algorithm::TokenBucket { burst: 2 },
        LimitOverrides::default(),
    )
    .with_model(LimitModel {
        key: KeyMode::Documented,
        layers: Layers {
            main_account: Some(5),
            ..Layers::default()
        },
    });
    let mut answers = BTreeMap::new();
    for uin in [SUB_A, SUB_B, SUB_A + 100] {
        for (code, n) in offer(&limiter, &clock, &sub(uin, MAIN), 3, 10) {
            *answers.entry(code).or_insert(0) += n;
        }
    }
    // Each sub-account bursts 2 (the configured burst), the main account 5 (its limit): the
    // first two get 2 and a refusal of their own; the third 1, then the main account is empty
    // (checked before the per-action bucket).
    assert_eq!(answers, counts(&[(OK, 5), (ACTION, 2), (UIN, 2)]));
}
