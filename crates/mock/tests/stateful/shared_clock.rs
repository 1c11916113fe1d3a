//! One `ManualClock` shared by the reference client and the mock, advanced by the test: the
//! client signs and backs off on it, the mock judges expiry, counts rate windows, runs task
//! timers and writes times by it. Nothing sleeps; every instant is exact.

use std::time::Duration;

use serde_json::{json, Value};
use tco_client::{Client, RetryPolicy, Version};
use tco_mock::Algorithm;
use tco_mock::TaskPolicy;
use tco_mock::{Clock, ManualClock, MockServer};
use tokio::net::{TcpListener, TcpStream};

use crate::world::{World, ALICE};

/// 2023-11-14 22:13:20 UTC, a whole second.
const T0: i64 = 1_700_000_000;

/// The documented tolerance between a signature's timestamp and the server's time.
const SKEW: Duration = Duration::from_secs(300);

/// A loopback hop to `mock` that moves `clock` by `transit` for each connection it forwards,
/// before the request reaches the mock: the request arrives that much later, on the shared
/// clock, than the client signed it. Its URL.
async fn slow_hop(mock: &MockServer, clock: &ManualClock, transit: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (clock, upstream) = (clock.clone(), mock.address());
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            clock.advance(transit);
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    url
}

/// The manager's client through `url`, on `clock`, without retries.
fn client_via(url: &str, mock: &MockServer, clock: &ManualClock) -> Client {
    Client::builder()
        .endpoint(url)
        .credentials(mock.default_credentials())
        .clock(clock.clone())
        .sleeper(clock.clone())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn describe(client: &Client) -> Result<Value, tco_client::Error> {
    client
        .call_json(Version::V2021_03_31, "DescribeOrganization", json!({}))
        .await
}

#[tokio::test]
async fn the_mock_judges_the_clients_signature_by_the_shared_clock() {
    let clock = ManualClock::at_secs(T0);
    let w = World::with_org_on(MockServer::builder(), &clock).await;

    // Signed at T0, arrives at T0 + 300 s: at the edge of the window, accepted.
    let edge = slow_hop(&w.mock, &clock, SKEW).await;
    describe(&client_via(&edge, &w.mock, &clock)).await.unwrap();
    assert_eq!(clock.now_secs(), T0 + 300);

    // Signed at T0 + 300 s, arrives 301 s later: expired.
    let late = slow_hop(&w.mock, &clock, SKEW + Duration::from_secs(1)).await;
    let error = describe(&client_via(&late, &w.mock, &clock))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("AuthFailure.SignatureExpire"), "{error}");
    let journal = w.mock.journal();
    let refused = journal.last().unwrap();
    assert_eq!(refused.status, "AuthFailure.SignatureExpire");
    assert_eq!(
        refused.at_millis,
        (T0 + 601) * 1000,
        "arrival, shared clock"
    );

    // An hour on, a direct call is signed at the clock's time, not T0's: accepted.
    clock.advance(Duration::from_secs(3600));
    describe(&w.host).await.unwrap();
    let accepted = w.mock.journal().last().unwrap().clone();
    assert_eq!(
        (accepted.status.as_str(), accepted.at_millis),
        ("OK", (T0 + 4201) * 1000)
    );
}

#[tokio::test]
async fn a_ten_minute_task_completes_when_the_shared_clock_reaches_ten_minutes() {
    let clock = ManualClock::at_secs(T0);
    let builder = MockServer::builder()
        .algorithm(Algorithm::Unlimited)
        .task_policy(TaskPolicy::after(Duration::from_secs(600)));
    let w = World::with_org_on(builder, &clock).await;
    let zone = w
        .ok("OpenIdentityCenter", json!({"ZoneName": "clock-zone"}))
        .await["ZoneId"]
        .clone();
    let role = w
        .ok(
            "CreateRoleConfiguration",
            json!({"ZoneId": zone, "RoleConfigurationName": "ten-minutes"}),
        )
        .await["RoleConfigurationInfo"]["RoleConfigurationId"]
        .clone();
    let started = clock.now_millis();
    let task = w
        .ok(
            "ProvisionRoleConfiguration",
            json!({"ZoneId": zone, "RoleConfigurationId": role,
                   "TargetType": "MemberUin", "TargetUin": ALICE}),
        )
        .await["Task"]["TaskId"]
        .clone();
    let status = || async {
        let answer = w
            .ok("GetTaskStatus", json!({"ZoneId": zone, "TaskId": task}))
            .await;
        answer["TaskStatus"]["Status"].as_str().unwrap().to_owned()
    };

    clock.advance(Duration::from_millis(599_999));
    assert_eq!(status().await, "InProgress", "at 9 min 59.999 s");
    clock.advance(Duration::from_millis(1));
    assert_eq!(clock.now_millis() - started, 600_000);
    assert_eq!(status().await, "Success", "at 10 min");

    // The deployment is stamped with the time the task completed: T0 + 600 s, in UTC.
    let deployed = w
        .ok(
            "ListRoleConfigurationProvisionings",
            json!({"ZoneId": zone, "RoleConfigurationId": role}),
        )
        .await;
    let item = &deployed["RoleConfigurationProvisionings"][0];
    assert_eq!(item["DeploymentStatus"], "Deployed", "{deployed}");
    assert_eq!(item["CreateTime"], "2023-11-14 22:23:20", "{deployed}");
}

#[tokio::test]
async fn a_rate_window_resets_exactly_on_its_edge_of_the_shared_clock() {
    let clock = ManualClock::at_secs(T0);
    let builder = MockServer::builder().rate_limit("DescribeOrganization", 2);
    let w = World::with_org_on(builder, &clock).await;
    let client = client_via(&w.mock.uri(), &w.mock, &clock);

    // A fresh window, 600 ms before its edge.
    clock.set_millis((T0 + 10) * 1000 + 400);
    describe(&client).await.unwrap();
    describe(&client).await.unwrap();
    let third = describe(&client).await.unwrap_err();
    assert_eq!(third.code(), Some("RequestLimitExceeded"), "{third}");

    clock.advance(Duration::from_millis(599));
    let last_moment = describe(&client).await.unwrap_err();
    assert_eq!(
        last_moment.code(),
        Some("RequestLimitExceeded"),
        "1 ms before the edge"
    );
    clock.advance(Duration::from_millis(1));
    describe(&client).await.unwrap();
}

#[tokio::test]
async fn the_clients_back_off_moves_the_shared_clock_into_the_next_window() {
    let clock = ManualClock::at_secs(T0);
    let builder = MockServer::builder().rate_limit("DescribeOrganization", 1);
    let w = World::with_org_on(builder, &clock).await;
    let start = (T0 + 10) * 1000 + 600;
    clock.set_millis(start);
    describe(&w.host).await.unwrap();

    // Throttled at +600 ms; the default policy's first wait (1 s, jittered into its upper
    // half, at least 500 ms) moves the shared clock past the edge, and the retry passes.
    let before = clock.sleeps().len();
    describe(&w.host).await.unwrap();
    let waits = clock.sleeps()[before..].to_vec();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(waits[0] >= Duration::from_millis(500) && waits[0] <= Duration::from_secs(1));
    let waited_ms = i64::try_from(waits[0].as_nanos().div_ceil(1_000_000)).unwrap();
    assert_eq!(clock.now_millis(), start + waited_ms);
    let statuses: Vec<String> = w
        .mock
        .journal()
        .iter()
        .rev()
        .take(2)
        .map(|e| e.status.clone())
        .collect();
    assert_eq!(statuses, ["OK", "RequestLimitExceeded"]);
}
