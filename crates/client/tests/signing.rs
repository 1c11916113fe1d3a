//! Every request the client sends is verified by tco-sign's verifier (a custom wiremock
//! matcher), for each sign method and HTTP method, with a session token; and the exact
//! request for a fixed clock is snapshotted for one action of each shape family.

mod common;

use common::*;
use serde_json::{json, Value};
use tco_client::models::{v2018_12_25, v2021_03_31};
use tco_client::{HttpMethod, ManualClock, Profile, SignMethod, Version};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Starts a server that answers `body` to verified requests only.
async fn server(clock: &ManualClock, body: Value) -> (MockServer, Verified) {
    let server = MockServer::start().await;
    let verified = verified(clock);
    Mock::given(verified.clone())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    (server, verified)
}

fn profile(sign: SignMethod, http: HttpMethod) -> Profile {
    Profile::default()
        .with_sign_method(sign)
        .with_http_method(http)
        .with_language("en-US")
}

fn nodes_request() -> v2021_03_31::DescribeOrganizationNodesRequest {
    v2021_03_31::DescribeOrganizationNodesRequest {
        limit: 10,
        offset: 0,
        tags: Some(vec![
            v2021_03_31::Tag {
                tag_key: Some("env".into()),
                tag_value: Some("prod".into()),
            },
            v2021_03_31::Tag {
                tag_key: Some("team".into()),
                tag_value: Some("a b&c".into()),
            },
        ]),
    }
}

fn nodes_response() -> Value {
    success(json!({"Total": 1, "Items": [{
        "NodeId": 7, "Name": "root", "ParentNodeId": 0, "Remark": "",
        "CreateTime": "2024-01-01 00:00:00", "UpdateTime": "2024-01-01 00:00:00"
    }]}))
}

#[tokio::test]
async fn every_sign_method_and_http_method_verifies_with_a_token() {
    for sign in SignMethod::ALL {
        for http in [HttpMethod::Post, HttpMethod::Get] {
            let clock = ManualClock::at_secs(NOW);
            let (server, verified) = server(&clock, nodes_response()).await;
            let client = builder(
                &server.uri(),
                &clock,
                profile(sign, http).with_region("ap-guangzhou"),
            )
            .build()
            .unwrap();
            let out = client
                .v2021_03_31()
                .describe_organization_nodes(nodes_request())
                .await
                .unwrap_or_else(|e| panic!("{sign} {http:?}: {e}"));
            assert_eq!(out.total, 1);
            assert_eq!(out.items[0].node_id, 7);
            let verdicts = verified.verdicts();
            assert_eq!(verdicts.len(), 1, "{sign} {http:?}");
            assert_eq!(
                verdicts[0],
                Ok(format!("{sign} AKIDclienttest")),
                "{sign} {http:?}"
            );
            let request = &server.received_requests().await.unwrap()[0];
            let token_sent = match sign {
                SignMethod::Tc3HmacSha256 => {
                    request.headers.get("x-tc-token").unwrap() == "client-test-token"
                }
                _ => {
                    let form = String::from_utf8_lossy(&request.body).into_owned()
                        + request.url.query().unwrap_or("");
                    form.contains("Token=client-test-token")
                }
            };
            assert!(token_sent, "{sign} {http:?}: token not sent");
        }
    }
}

#[tokio::test]
async fn a_wrong_key_is_refused_by_the_matcher() {
    let clock = ManualClock::at_secs(NOW);
    let (server, verified) = server(&clock, nodes_response()).await;
    let client = builder(&server.uri(), &clock, Profile::default())
        .credentials(tco_client::Credentials::new("AKIDclienttest", "wrong"))
        .build()
        .unwrap();
    let err = client
        .call_json(Version::V2021_03_31, "DescribeOrganization", json!({}))
        .await
        .unwrap_err();
    // wiremock answers 404 with no body when no mock matches.
    assert!(
        matches!(err, tco_client::Error::Decode { status: 404, .. }),
        "{err}"
    );
    assert!(verified.verdicts()[0]
        .as_ref()
        .unwrap_err()
        .starts_with("AuthFailure.SignatureFailure"));
}

/// Sends one call and snapshots the request the server received.
async fn snapshot_request<F, Fut>(name: &str, profile: Profile, body: Value, call: F)
where
    F: FnOnce(tco_client::Client) -> Fut,
    Fut: std::future::Future<Output = Result<(), tco_client::Error>>,
{
    let clock = ManualClock::at_secs(NOW);
    let (server, verified) = server(&clock, body).await;
    let client = builder(&server.uri(), &clock, profile).build().unwrap();
    call(client).await.unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(verified.verdicts().iter().all(Result::is_ok), "{name}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    snapshot!(name, redacted(&received[0]));
}

#[tokio::test]
async fn signed_request_empty_params_tc3_post() {
    let body = success(json!({
        "OrgId": 1, "HostUin": 100, "Nickname": "n", "Mail": "m@example.com",
        "OrgType": 1, "IsEmpty": 0
    }));
    snapshot_request(
        "client_signed_empty_tc3_post",
        profile(SignMethod::Tc3HmacSha256, HttpMethod::Post),
        body,
        |c| async move {
            c.v2018_12_25()
                .get_organization(v2018_12_25::GetOrganizationRequest {})
                .await
                .map(|_| ())
        },
    )
    .await;
}

#[tokio::test]
async fn signed_request_flat_scalars_tc3_post() {
    snapshot_request(
        "client_signed_flat_scalars_tc3_post",
        profile(SignMethod::Tc3HmacSha256, HttpMethod::Post),
        success(json!({"NodeId": 12})),
        |c| async move {
            c.v2018_12_25()
                .add_organization_node(v2018_12_25::AddOrganizationNodeRequest {
                    parent_node_id: 3,
                    name: "Finance / EU".into(),
                })
                .await
                .map(|_| ())
        },
    )
    .await;
}

#[tokio::test]
async fn signed_request_nested_list_of_objects_tc3_post() {
    snapshot_request(
        "client_signed_nested_list_tc3_post",
        profile(SignMethod::Tc3HmacSha256, HttpMethod::Post),
        nodes_response(),
        |c| async move {
            c.v2021_03_31()
                .describe_organization_nodes(nodes_request())
                .await
                .map(|_| ())
        },
    )
    .await;
}

#[tokio::test]
async fn signed_request_flattened_params_tc3_get() {
    snapshot_request(
        "client_signed_nested_list_tc3_get",
        profile(SignMethod::Tc3HmacSha256, HttpMethod::Get),
        nodes_response(),
        |c| async move {
            c.v2021_03_31()
                .describe_organization_nodes(nodes_request())
                .await
                .map(|_| ())
        },
    )
    .await;
}

#[tokio::test]
async fn signed_request_v1_form_post() {
    snapshot_request(
        "client_signed_nested_list_hmacsha256_post",
        profile(SignMethod::HmacSha256, HttpMethod::Post),
        nodes_response(),
        |c| async move {
            c.v2021_03_31()
                .describe_organization_nodes(nodes_request())
                .await
                .map(|_| ())
        },
    )
    .await;
}

#[tokio::test]
async fn signed_request_v1_get() {
    snapshot_request(
        "client_signed_flat_scalars_hmacsha1_get",
        profile(SignMethod::HmacSha1, HttpMethod::Get),
        success(json!({"NodeId": 12})),
        |c| async move {
            c.v2018_12_25()
                .add_organization_node(v2018_12_25::AddOrganizationNodeRequest {
                    parent_node_id: 3,
                    name: "Finance / EU".into(),
                })
                .await
                .map(|_| ())
        },
    )
    .await;
}
