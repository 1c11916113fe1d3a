//! Every class of failure decoded into its own variant; unknown members tolerated; secrets
//! never in `Debug` or `Display`.

mod common;

use common::*;
use serde_json::json;
use tco_client::models::v2021_03_31::{
    DescribeOrganizationNodesRequest, DescribeOrganizationNodesResponse,
};
use tco_client::{Error, ManualClock, Profile, RetryPolicy, Version};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer(response: ResponseTemplate) -> (MockServer, tco_client::Client) {
    let clock = ManualClock::at_secs(NOW);
    let server = MockServer::start().await;
    Mock::given(verified(&clock))
        .respond_with(response)
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &clock, Profile::default())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

async fn nodes(client: &tco_client::Client) -> Result<DescribeOrganizationNodesResponse, Error> {
    client
        .v2021_03_31()
        .describe_organization_nodes(DescribeOrganizationNodesRequest {
            limit: 10,
            offset: 0,
            tags: None,
        })
        .await
}

fn node() -> serde_json::Value {
    json!({"NodeId": 7, "Name": "root", "ParentNodeId": 0, "Remark": "",
           "CreateTime": "2024-01-01 00:00:00", "UpdateTime": "2024-01-01 00:00:00"})
}

#[tokio::test]
async fn api_error_carries_code_message_request_id_and_action() {
    let (_s, client) = answer(ResponseTemplate::new(200).set_body_json(api_error(
        "ResourceNotFound.OrganizationNotExist",
        "no organization",
    )))
    .await;
    let err = nodes(&client).await.unwrap_err();
    match &err {
        Error::Api {
            code,
            message,
            request_id,
            action,
        } => {
            assert_eq!(code, "ResourceNotFound.OrganizationNotExist");
            assert_eq!(message, "no organization");
            assert_eq!(request_id, "6e3a1f6c-0000-4000-8000-00000000eeee");
            assert_eq!(action, "DescribeOrganizationNodes");
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.is_throttled() && !err.is_auth());
    assert_eq!(
        err.to_string(),
        "DescribeOrganizationNodes: ResourceNotFound.OrganizationNotExist: no organization \
         (RequestId: 6e3a1f6c-0000-4000-8000-00000000eeee)"
    );
}

#[tokio::test]
async fn auth_errors_are_flagged() {
    let (_s, client) = answer(
        ResponseTemplate::new(200).set_body_json(api_error("AuthFailure.SignatureExpire", "old")),
    )
    .await;
    let err = nodes(&client).await.unwrap_err();
    assert!(err.is_auth() && !err.is_throttled() && !err.is_retryable());
}

#[tokio::test]
async fn transport_error_from_a_closed_port() {
    let clock = ManualClock::at_secs(NOW);
    let client = builder(
        &format!("http://127.0.0.1:{}", closed_port()),
        &clock,
        Profile::default(),
    )
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let err = nodes(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.starts_with("DescribeOrganizationNodes: transport error"),
        "{shown}"
    );
    assert!(!shown.contains('\n'));
}

#[tokio::test]
async fn transport_errors_never_show_the_url_of_a_v1_get() {
    let clock = ManualClock::at_secs(NOW);
    let client = builder(
        &format!("http://127.0.0.1:{}", closed_port()),
        &clock,
        Profile::default()
            .with_sign_method(tco_client::SignMethod::HmacSha1)
            .with_http_method(tco_client::HttpMethod::Get),
    )
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let err = nodes(&client).await.unwrap_err();
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains("Signature="), "{shown}");
        assert!(!shown.contains("client-test-token"), "{shown}");
    }
}

#[tokio::test]
async fn undecodable_body_is_a_decode_error() {
    for (status, body) in [
        (200, "<html>oops</html>"),
        (502, "Bad Gateway"),
        (200, "{\"Response\": 3}"),
        (200, "{\"Resp"),
    ] {
        let (_s, client) = answer(ResponseTemplate::new(status).set_body_string(body)).await;
        let err = nodes(&client).await.unwrap_err();
        match &err {
            Error::Decode {
                status: s, action, ..
            } => {
                assert_eq!((*s, action.as_str()), (status, "DescribeOrganizationNodes"))
            }
            other => panic!("{body}: {other:?}"),
        }
        assert!(!err.to_string().contains('\n'));
    }
}

#[tokio::test]
async fn a_missing_required_member_is_a_contract_error() {
    let (_s, client) =
        answer(ResponseTemplate::new(200).set_body_json(success(json!({"Items": [node()]})))).await;
    let err = nodes(&client).await.unwrap_err();
    match &err {
        Error::Contract {
            violations,
            request_id,
            ..
        } => {
            assert_eq!(violations, &["$.Total: missing required member"]);
            assert_eq!(
                request_id.as_deref(),
                Some("6e3a1f6c-0000-4000-8000-00000000aaaa")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wrong_types_and_nested_breaks_are_all_reported() {
    let mut bad_node = node();
    bad_node["NodeId"] = json!("seven");
    bad_node.as_object_mut().unwrap().remove("Name");
    let (_s, client) = answer(
        ResponseTemplate::new(200)
            .set_body_json(success(json!({"Total": -1.5, "Items": [bad_node]}))),
    )
    .await;
    let err = nodes(&client).await.unwrap_err();
    let Error::Contract { violations, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        violations,
        &[
            "$.Total: expected int64, found non-integer number",
            "$.Items[0].NodeId: expected int64, found string",
            "$.Items[0].Name: missing required member",
        ]
    );
}

#[tokio::test]
async fn unknown_members_are_tolerated_at_every_level() {
    let mut extra_node = node();
    extra_node["FutureField"] = json!({"x": [1, 2]});
    let (_s, client) = answer(ResponseTemplate::new(200).set_body_json(success(
        json!({"Total": 1, "Items": [extra_node], "NewTopLevel": "yes"}),
    )))
    .await;
    let out = nodes(&client).await.unwrap();
    assert_eq!(out.total, 1);
    assert_eq!(out.items[0].name, "root");
    // The untyped call keeps them.
    let raw = client
        .call_json(
            Version::V2021_03_31,
            "DescribeOrganizationNodes",
            json!({"Limit": 10, "Offset": 0}),
        )
        .await
        .unwrap();
    assert_eq!(raw["NewTopLevel"], "yes");
    assert_eq!(raw["Items"][0]["FutureField"]["x"][1], 2);
}

#[tokio::test]
async fn null_for_a_non_nullable_member_is_a_contract_error() {
    // `Tags` of OrgNode may be absent, but not null.
    let mut n = node();
    n["Tags"] = serde_json::Value::Null;
    let (_s, client) = answer(
        ResponseTemplate::new(200).set_body_json(success(json!({"Total": 1, "Items": [n]}))),
    )
    .await;
    let err = nodes(&client).await.unwrap_err();
    let Error::Contract { violations, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(violations, &["$.Items[0].Tags: null is not allowed"]);
}

#[tokio::test]
async fn call_json_rejects_non_object_params() {
    let (_s, client) = answer(ResponseTemplate::new(200)).await;
    let err = client
        .call_json(Version::V2021_03_31, "DescribeOrganization", json!([1]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
}

#[tokio::test]
async fn secrets_never_in_debug_or_display() {
    let clock = ManualClock::at_secs(NOW);
    let client = builder("http://127.0.0.1:1", &clock, Profile::default())
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains("AKIDclienttest"), "{shown}");
    assert!(!shown.contains("client-test-secret-key") && !shown.contains("client-test-token"));
}

#[test]
fn bad_configuration_is_reported_at_build() {
    for endpoint in ["ftp://x", "http://host/path", "http://"] {
        let err = tco_client::Client::builder()
            .endpoint(endpoint)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{endpoint}: {err}");
    }
    let err = tco_client::Client::builder()
        .profile(Profile::default().with_root_certificates_pem("not a certificate"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
}

#[tokio::test]
async fn null_for_a_nullable_member_decodes_to_none() {
    use tco_client::models::v2021_03_31::DescribeOrganizationMembersAuthPolicyRequest;
    let (_s, client) = answer(
        ResponseTemplate::new(200).set_body_json(success(json!({"Items": null, "Total": null}))),
    )
    .await;
    let out = client
        .v2021_03_31()
        .describe_organization_members_auth_policy(DescribeOrganizationMembersAuthPolicyRequest {
            offset: 0,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((out.items, out.total), (None, None));
}

#[tokio::test]
async fn an_oversized_answer_is_its_own_error() {
    let big = vec![b' '; tco_client::DEFAULT_MAX_RESPONSE_BYTES + 1];
    let (_s, client) =
        answer(ResponseTemplate::new(200).set_body_raw(big, "application/json")).await;
    let err = nodes(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit, .. } if limit == 10 * 1024 * 1024),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "DescribeOrganizationNodes: the answer is larger than 10 MB (the client's cap on response bodies; not read whole)"
    );
}

/// A server that answers with an endless chunked body: only the cap ends the read.
#[tokio::test]
async fn an_endless_answer_stops_at_the_cap() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = format!("400\r\n{}\r\n", " ".repeat(0x400));
        while stream.write_all(chunk.as_bytes()).await.is_ok() {}
    });
    let clock = ManualClock::at_secs(NOW);
    let client = builder(
        &format!("http://{address}"),
        &clock,
        Profile::default().with_max_response_bytes(64 * 1024),
    )
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let err = nodes(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 65536, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("larger than 64 KB"), "{err}");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_that_says_so() {
    let clock = ManualClock::at_secs(NOW);
    let server = MockServer::start().await;
    Mock::given(verified(&clock))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"Response": {"RequestId": "r"}}))
                .set_delay(std::time::Duration::from_secs(60)),
        )
        .mount(&server)
        .await;
    let client = builder(
        &server.uri(),
        &clock,
        Profile::default().with_timeout(std::time::Duration::from_millis(300)),
    )
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let err = nodes(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "DescribeOrganizationNodes: no answer within 300 ms (the request timed out: the server is slower than the timeout, or does not answer)"
    );
}
