//! The documented limit model over real HTTP, through signed requests on a frozen clock: the
//! access region from the `Host` the client reached, sub-accounts, and each layer's code.

mod common;

use std::time::Duration;

use common::{call, code_of, CallSpec, Harness, V2018, V2021};
use serde_json::json;
use tco_mock::{Account, DEFAULT_UIN};
use tco_sign::Credentials;

const ACTION: &str = "RequestLimitExceeded";
const UIN: &str = "RequestLimitExceeded.UinLimitExceeded";
const REGION_UIN: &str = "RequestLimitExceeded.GlobalRegionUinLimitExceeded";
const IP: &str = "RequestLimitExceeded.IPLimitExceeded";

const GUANGZHOU: &str = "organization.ap-guangzhou.tencentcloudapi.com";
const SHANGHAI: &str = "organization.ap-shanghai.tencentcloudapi.com";

const SUB_A: u64 = 100_000_000_011;
const SUB_B: u64 = 100_000_000_012;

fn sub_a() -> Account {
    Account::new(SUB_A, "AKIDSubAccountA", "sub-a-key").with_owner(DEFAULT_UIN)
}

fn sub_b() -> Account {
    Account::new(SUB_B, "AKIDSubAccountB", "sub-b-key").with_owner(DEFAULT_UIN)
}

fn describe() -> CallSpec {
    call("DescribeOrganization", V2021)
}

/// The codes of `n` calls of `spec` as `creds` through `host`, in order; the mock's own
/// address when `host` is `None`.
async fn codes(
    h: &Harness,
    spec: &CallSpec,
    creds: &Credentials,
    host: Option<&str>,
    n: usize,
) -> Vec<String> {
    let host = host.map_or_else(|| h.mock.host(), str::to_string);
    let mut codes = Vec::new();
    for _ in 0..n {
        codes.push(h.code_via(spec, creds, &host).await);
    }
    codes
}

/// Every non-limit answer is "passed" (the call went past the limiter); limit codes stay.
fn limited(codes: Vec<String>) -> Vec<String> {
    codes
        .into_iter()
        .map(|c| {
            if c.starts_with("RequestLimitExceeded") {
                c
            } else {
                "passed".to_string()
            }
        })
        .collect()
}

fn expect(pairs: &[(&str, usize)]) -> Vec<String> {
    pairs
        .iter()
        .flat_map(|(code, n)| std::iter::repeat_n(code.to_string(), *n))
        .collect()
}

#[tokio::test]
async fn two_regional_endpoints_give_the_same_action_two_budgets() {
    let h = Harness::with(|b| b.rate_limit("DescribeOrganization", 2)).await;
    let me = h.mock.default_credentials();
    for host in [GUANGZHOU, SHANGHAI] {
        assert_eq!(
            limited(codes(&h, &describe(), &me, Some(host), 3).await),
            expect(&[("passed", 2), (ACTION, 1)]),
            "{host}"
        );
    }
    // The mock's own address reaches the default access region, ap-guangzhou: spent.
    assert_eq!(
        limited(codes(&h, &describe(), &me, None, 1).await),
        expect(&[(ACTION, 1)])
    );
    h.clock.advance(Duration::from_secs(1));
    assert_eq!(
        limited(codes(&h, &describe(), &me, Some(SHANGHAI), 3).await),
        expect(&[("passed", 2), (ACTION, 1)])
    );
}

#[tokio::test]
async fn loopback_names_share_one_budget() {
    let h = Harness::with(|b| b.rate_limit("DescribeOrganization", 3)).await;
    let me = h.mock.default_credentials();
    let port = h.mock.address().port();
    let mut seen = Vec::new();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("organization.localhost:{port}"),
        "organization.tencentcloudapi.com".to_string(),
    ] {
        seen.extend(limited(codes(&h, &describe(), &me, Some(&host), 1).await));
    }
    assert_eq!(seen, expect(&[("passed", 3), (ACTION, 1)]));
}

#[tokio::test]
async fn both_versions_and_any_region_parameter_share_one_budget() {
    let h = Harness::with(|b| b.rate_limit("DescribeOrganization", 3)).await;
    let mut seen = Vec::new();
    for spec in [
        call("DescribeOrganization", V2018),
        describe().region("ap-shanghai"),
        describe(),
        call("DescribeOrganization", V2018).region("ap-beijing"),
    ] {
        seen.push(h.code(&spec).await);
    }
    assert_eq!(limited(seen), expect(&[("passed", 3), (ACTION, 1)]));
}

#[tokio::test]
async fn sub_accounts_each_get_their_full_budget() {
    let h = Harness::with(|b| {
        b.account(sub_a())
            .account(sub_b())
            .rate_limit("DescribeOrganization", 2)
    })
    .await;
    for creds in [
        sub_a().credentials(),
        sub_b().credentials(),
        h.mock.default_credentials(),
    ] {
        assert_eq!(
            limited(codes(&h, &describe(), &creds, None, 3).await),
            expect(&[("passed", 2), (ACTION, 1)])
        );
    }
}

#[tokio::test]
async fn the_main_account_layer_caps_sub_accounts_together() {
    let h = Harness::with(|b| {
        b.account(sub_a())
            .account(sub_b())
            .rate_limit("DescribeOrganization", 2)
            .main_account_limit(3)
    })
    .await;
    assert_eq!(
        limited(codes(&h, &describe(), &sub_a().credentials(), None, 3).await),
        expect(&[("passed", 2), (ACTION, 1)])
    );
    assert_eq!(
        limited(codes(&h, &describe(), &sub_b().credentials(), None, 3).await),
        expect(&[("passed", 1), (UIN, 2)])
    );
    let me = h.mock.default_credentials();
    assert_eq!(
        limited(codes(&h, &describe(), &me, Some(SHANGHAI), 1).await),
        expect(&[(UIN, 1)])
    );
    h.clock.advance(Duration::from_secs(1));
    assert_eq!(
        limited(codes(&h, &describe(), &me, None, 3).await),
        expect(&[("passed", 2), (ACTION, 1)])
    );
}

#[tokio::test]
async fn the_main_account_region_layer_counts_per_endpoint_region() {
    let h = Harness::with(|b| b.account(sub_a()).main_account_region_limit(2)).await;
    let me = h.mock.default_credentials();
    for host in [GUANGZHOU, SHANGHAI] {
        let mut seen = codes(&h, &describe(), &me, Some(host), 1).await;
        let list =
            call("ListOrganizationIdentity", V2021).params(json!({"Offset": 0, "Limit": 10}));
        seen.extend(codes(&h, &list, &sub_a().credentials(), Some(host), 2).await);
        assert_eq!(
            limited(seen),
            expect(&[("passed", 2), (REGION_UIN, 1)]),
            "{host}"
        );
    }
}

#[tokio::test]
async fn the_source_ip_layer_counts_every_account_on_loopback() {
    let h = Harness::with(|b| b.account(sub_a()).source_ip_limit(3)).await;
    let mut seen = codes(
        &h,
        &describe(),
        &h.mock.default_credentials(),
        Some(GUANGZHOU),
        2,
    )
    .await;
    seen.extend(codes(&h, &describe(), &sub_a().credentials(), Some(SHANGHAI), 2).await);
    assert_eq!(limited(seen), expect(&[("passed", 3), (IP, 1)]));
    h.clock.advance(Duration::from_secs(1));
    assert_eq!(
        limited(codes(&h, &describe(), &sub_a().credentials(), None, 4).await),
        expect(&[("passed", 3), (IP, 1)])
    );
}

#[tokio::test]
async fn a_call_refused_for_its_action_leaves_the_main_account_budget_alone() {
    let h = Harness::with(|b| {
        b.account(sub_a())
            .account(sub_b())
            .rate_limit("DescribeOrganization", 1)
            .main_account_limit(2)
    })
    .await;
    assert_eq!(
        limited(codes(&h, &describe(), &sub_a().credentials(), None, 5).await),
        expect(&[("passed", 1), (ACTION, 4)])
    );
    // Had A's four refusals been charged, B's first call would be refused for the main
    // account; its second is (1 + 1 of 2), before its own action budget is looked at.
    assert_eq!(
        limited(codes(&h, &describe(), &sub_b().credentials(), None, 2).await),
        expect(&[("passed", 1), (UIN, 1)])
    );
}

#[tokio::test]
async fn the_layers_come_from_the_toml_config() {
    let config = tco_mock::Config::from_toml(
        "builtin_account = true\n\
         [[accounts]]\nuin = 100000000011\nowner_uin = 100000000001\nsecret_id = \"AKIDSubAccountA\"\nsecret_key = \"sub-a-key\"\n\
         [rate_limits]\nmain_account = 1\n",
    )
    .expect("a valid config");
    let h = Harness::with(|b| b.config(config)).await;
    assert_eq!(
        limited(codes(&h, &describe(), &sub_a().credentials(), None, 1).await),
        expect(&[("passed", 1)])
    );
    assert_eq!(
        limited(codes(&h, &describe(), &h.mock.default_credentials(), None, 1).await),
        expect(&[(UIN, 1)])
    );
}

#[tokio::test]
async fn a_sub_account_acts_on_its_main_accounts_organization() {
    let h = Harness::with(|b| b.account(sub_a())).await;
    let me = h.mock.default_credentials();
    let host = h.mock.host();
    let created = h.call(&call("CreateOrganization", V2021)).await;
    assert_eq!(code_of(&created), "OK", "{created}");
    let seen = h
        .send(&h.sign_for_host(&describe(), &sub_a().credentials(), &host))
        .await
        .2["Response"]
        .clone();
    assert_eq!(seen["OrgId"], created["OrgId"], "{seen}");
    let root = seen["RootNodeId"].as_u64().expect("a root node");

    let add =
        call("AddOrganizationNode", V2021).params(json!({"ParentNodeId": root, "Name": "by-sub"}));
    let added = h
        .send(&h.sign_for_host(&add, &sub_a().credentials(), &host))
        .await
        .2["Response"]
        .clone();
    assert_eq!(code_of(&added), "OK", "{added}");

    let nodes = call("DescribeOrganizationNodes", V2021).params(json!({"Limit": 50, "Offset": 0}));
    let listed = h.send(&h.sign_for_host(&nodes, &me, &host)).await.2["Response"].clone();
    let names: Vec<&str> = listed["Items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|n| n["Name"].as_str())
        .collect();
    assert!(names.contains(&"by-sub"), "{listed}");
    // The sub-account has no organization of its own to create.
    let again = h
        .send(&h.sign_for_host(
            &call("CreateOrganization", V2021),
            &sub_a().credentials(),
            &host,
        ))
        .await
        .2["Response"]
        .clone();
    assert_eq!(code_of(&again), "FailedOperation.OrganizationExistAlready");
}

#[tokio::test]
async fn the_admin_surface_shows_the_key_and_the_layers() {
    let h = Harness::with(|b| b.main_account_limit(3).source_ip_limit(9)).await;
    let url = format!("{}/_mock/limits", h.mock.uri());
    let limits: serde_json::Value = h
        .http
        .get(url)
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        limits["model"],
        json!({
            "key": "documented",
            "layers": {"main_account": 3, "main_account_region": null, "source_ip": 9}
        })
    );
}

#[tokio::test]
async fn a_layer_refusal_is_the_documented_envelope_naming_its_scope() {
    let h = Harness::with(|b| b.main_account_limit(1)).await;
    h.call(&describe()).await;
    let signed = h.sign(&describe(), &h.mock.default_credentials());
    let (status, content_type, body) = h.send(&signed).await;
    assert_eq!(common::assert_envelope(status, &content_type, &body), UIN);
    let message = body["Response"]["Error"]["Message"]
        .as_str()
        .expect("a message");
    assert!(
        message.ends_with("At most 1 requests per second are allowed per main account."),
        "{message}"
    );
}
