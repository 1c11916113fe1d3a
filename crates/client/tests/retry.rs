//! Retries: throttling and network failures only, exponential back-off, the attempt and
//! total-time caps, and a fresh signature per attempt. Time is a `ManualClock`, so nothing
//! sleeps and every delay is exact.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tco_client::models::v2018_12_25::{CreateOrganizationRequest, CreateOrganizationResponse};
use tco_client::{Error, ManualClock, Profile, RetryPolicy, Version};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn created() -> serde_json::Value {
    success(json!({"OrgId": 9, "Nickname": "n", "Mail": "m@example.com", "OrgType": 1}))
}

/// Answers `first` (verified requests only) `times` times, then `then`.
async fn server(
    clock: &ManualClock,
    first: serde_json::Value,
    times: u64,
    then: serde_json::Value,
) -> (MockServer, Verified) {
    let server = MockServer::start().await;
    let verified = verified(clock);
    Mock::given(verified.clone())
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .up_to_n_times(times)
        .mount(&server)
        .await;
    Mock::given(verified.clone())
        .respond_with(ResponseTemplate::new(200).set_body_json(then))
        .mount(&server)
        .await;
    (server, verified)
}

async fn create(client: &tco_client::Client) -> Result<CreateOrganizationResponse, Error> {
    client
        .v2018_12_25()
        .create_organization(CreateOrganizationRequest { org_type: 1 })
        .await
}

#[tokio::test]
async fn each_retryable_throttle_code_is_retried_then_succeeds() {
    for code in tco_client::RETRYABLE_CODES {
        let clock = ManualClock::at_secs(NOW);
        let (server, verified) = server(&clock, api_error(code, "slow down"), 2, created()).await;
        let client = builder(&server.uri(), &clock, Profile::default())
            .build()
            .unwrap();
        let out = create(&client)
            .await
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(out.org_id, 9);
        assert_eq!(
            clock.sleeps(),
            [Duration::from_secs(1), Duration::from_secs(2)],
            "{code}"
        );
        assert_eq!(verified.verdicts().len(), 3);
        assert!(verified.verdicts().iter().all(Result::is_ok));
    }
}

#[tokio::test]
async fn retries_are_resigned_with_a_fresh_timestamp() {
    let clock = ManualClock::at_secs(NOW);
    let (server, verified) = server(
        &clock,
        api_error("RequestLimitExceeded", "slow down"),
        2,
        created(),
    )
    .await;
    let client = builder(&server.uri(), &clock, Profile::default())
        .build()
        .unwrap();
    create(&client).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let stamps: Vec<&str> = received
        .iter()
        .map(|r| r.headers.get("x-tc-timestamp").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(stamps, ["1700000000", "1700000001", "1700000003"]);
    let signatures: std::collections::BTreeSet<&str> = received
        .iter()
        .map(|r| r.headers.get("authorization").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(
        signatures.len(),
        3,
        "each attempt carries its own signature"
    );
    assert!(verified.verdicts().iter().all(Result::is_ok));
}

#[tokio::test]
async fn gives_up_after_the_attempt_cap_with_the_last_error() {
    let clock = ManualClock::at_secs(NOW);
    let (server, _) = server(
        &clock,
        api_error("RequestLimitExceeded", "slow down"),
        100,
        created(),
    )
    .await;
    let client = builder(&server.uri(), &clock, Profile::default())
        .retry(
            RetryPolicy::default()
                .with_jitter(false)
                .with_max_attempts(4),
        )
        .build()
        .unwrap();
    let err = create(&client).await.unwrap_err();
    assert!(err.is_throttled(), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    assert_eq!(
        clock.sleeps(),
        [1, 2, 4].map(Duration::from_secs),
        "exponential back-off"
    );
}

#[tokio::test]
async fn gives_up_when_the_next_wait_would_pass_the_time_cap() {
    let clock = ManualClock::at_secs(NOW);
    let (server, _) = server(
        &clock,
        api_error("RequestLimitExceeded", "slow down"),
        100,
        created(),
    )
    .await;
    let client = builder(&server.uri(), &clock, Profile::default())
        .retry(
            RetryPolicy::default()
                .with_jitter(false)
                .with_max_attempts(10)
                .with_max_elapsed(Duration::from_secs(5)),
        )
        .build()
        .unwrap();
    let err = create(&client).await.unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    // Waits of 1 s and 2 s fit in 5 s; the next (4 s, at 3 s elapsed) would not.
    assert_eq!(clock.sleeps(), [1, 2].map(Duration::from_secs));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn jittered_waits_stay_within_the_upper_half_of_the_back_off() {
    let clock = ManualClock::at_secs(NOW);
    let (server, _) = server(
        &clock,
        api_error("RequestLimitExceeded", "slow down"),
        100,
        created(),
    )
    .await;
    let client = builder(&server.uri(), &clock, Profile::default())
        .retry(
            RetryPolicy::default()
                .with_max_attempts(4)
                .with_max_elapsed(Duration::from_secs(60)),
        )
        .build()
        .unwrap();
    create(&client).await.unwrap_err();
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 3);
    for (sleep, full) in sleeps.iter().zip([1u64, 2, 4]) {
        let full = Duration::from_secs(full);
        assert!(
            *sleep >= full / 2 && *sleep <= full,
            "{sleep:?} vs {full:?}"
        );
    }
}

#[tokio::test]
async fn nothing_else_is_retried() {
    for code in [
        "InvalidParameter",
        "AuthFailure.SignatureFailure",
        "AuthFailure.SecretIdNotFound",
        "RequestLimitExceeded.IPLimitExceeded",
        "InternalError",
        "FailedOperation.OrganizationExistAlready",
        "ResourceNotFound.OrganizationNotExist",
    ] {
        let clock = ManualClock::at_secs(NOW);
        let (server, _) = server(&clock, api_error(code, "no"), 100, created()).await;
        let client = builder(&server.uri(), &clock, Profile::default())
            .build()
            .unwrap();
        let err = create(&client).await.unwrap_err();
        assert_eq!(err.code(), Some(code));
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{code}");
        assert!(clock.sleeps().is_empty(), "{code}");
    }
}

#[tokio::test]
async fn undecodable_bodies_and_contract_breaks_are_not_retried() {
    for body in [
        ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"),
        ResponseTemplate::new(200).set_body_json(success(json!({"OrgId": 9}))),
    ] {
        let clock = ManualClock::at_secs(NOW);
        let server = MockServer::start().await;
        Mock::given(verified(&clock))
            .respond_with(body)
            .mount(&server)
            .await;
        let client = builder(&server.uri(), &clock, Profile::default())
            .build()
            .unwrap();
        let err = create(&client).await.unwrap_err();
        assert!(!err.is_retryable(), "{err}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn network_errors_are_retried_then_reported_as_transport() {
    let clock = ManualClock::at_secs(NOW);
    let client = builder(
        &format!("http://127.0.0.1:{}", closed_port()),
        &clock,
        Profile::default(),
    )
    .build()
    .unwrap();
    let err = client
        .call_json(Version::V2021_03_31, "DescribeOrganization", json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
    assert_eq!(clock.sleeps(), [1, 2].map(Duration::from_secs));
}

#[tokio::test]
async fn the_no_retry_policy_shows_every_throttle() {
    let clock = ManualClock::at_secs(NOW);
    let (server, _) = server(
        &clock,
        api_error("RequestLimitExceeded", "slow down"),
        100,
        created(),
    )
    .await;
    let client = builder(&server.uri(), &clock, Profile::default())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = create(&client).await.unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(clock.sleeps().is_empty());
}
