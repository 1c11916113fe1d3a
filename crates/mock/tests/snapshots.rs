//! insta snapshots (in the workspace's `snapshots/`) of the mock's answer to every action for a
//! fixed request, and of every gate's error envelope.
//!
//! The clock is frozen, so times in the answers are fixed; RequestIds are redacted. Each
//! snapshot is also checked against the contract (response shape, documented codes), so a
//! snapshot can only be accepted if it is right by an independent source.

mod common;

use common::{assert_envelope, call, code_of, signed_body, Harness, T0, V2018, V2021};
use serde_json::{json, Map, Value};
use tco_sign::{Credentials, HttpMethod, SignMethod};
use tco_spec::Version;

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../../../snapshots",
            prepend_module_to_snapshot => false,
            sort_maps => true,
        }, {
            insta::assert_json_snapshot!($name, $value, {
                ".**.RequestId" => "[request-id]",
            });
        })
    };
}

/// Every action's example request as the default account, each in a fresh world where that
/// account has just created an organization (so reads find one).
async fn answers_for(version: Version) -> Map<String, Value> {
    let h = Harness::new().await;
    let mut answers = Map::new();
    for action in tco_spec::contract(version).actions() {
        h.mock.reset();
        if action.name != "CreateOrganization" {
            let created = h
                .call(&call("CreateOrganization", V2018).params(json!({"OrgType": 1})))
                .await;
            assert_eq!(code_of(&created), "OK", "{created}");
        }
        let response = h
            .call(&call(&action.name, version.as_str()).params(action.example_request()))
            .await;
        let code = code_of(&response);
        if code == "OK" {
            let violations = action.validate_response(&response);
            assert!(violations.is_empty(), "{}: {violations:?}", action.name);
        } else {
            assert!(
                action.is_documented_error(&code),
                "{}: undocumented code {code}",
                action.name
            );
        }
        answers.insert(action.name.clone(), response);
    }
    answers
}

#[tokio::test]
async fn every_2018_action_answers_its_example_request() {
    let answers = answers_for(Version::V2018_12_25).await;
    assert_eq!(answers.len(), 20);
    snapshot!("mock_actions_2018_12_25", answers);
}

#[tokio::test]
async fn every_2021_action_answers_its_example_request() {
    let answers = answers_for(Version::V2021_03_31).await;
    assert_eq!(answers.len(), 126);
    snapshot!("mock_actions_2021_03_31", answers);
}

/// One request per gate refusal, each sent over HTTP; the snapshot holds every envelope.
#[tokio::test]
async fn every_gate_refusal_envelope() {
    let h = Harness::with(|b| b.rate_limit("DescribeOrganization", 1)).await;
    let creds = h.mock.default_credentials();
    let mut envelopes = Map::new();
    let mut record = |name: &str, expected: &str, (status, ct, body): (u16, String, Value)| {
        let code = assert_envelope(status, &ct, &body);
        assert_eq!(code, expected, "{name}: {body}");
        envelopes.insert(name.to_string(), body);
    };

    let url = h.mock.uri();
    let put = h.http.put(&url).body("{}").send().await.unwrap();
    record(
        "put_method",
        "UnsupportedProtocol",
        common::into_parts(put).await,
    );

    let huge = h
        .http
        .post(&url)
        .header("Content-Type", "application/json")
        .body(vec![b' '; 11 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    record(
        "body_over_10_mb",
        "RequestSizeLimitExceeded",
        common::into_parts(huge).await,
    );

    let describe = call("DescribeOrganization", V2021);
    let mut unsigned = h.sign(&describe, &creds);
    unsigned.remove_header("Authorization");
    record(
        "no_signature",
        "AuthFailure.InvalidAuthorization",
        h.send(&unsigned).await,
    );

    let stranger = Credentials::new("AKIDnobodyknowsthisid", "whatever");
    record(
        "unknown_secret_id",
        "AuthFailure.SecretIdNotFound",
        h.send(&h.sign(&describe, &stranger)).await,
    );

    let old = describe.clone().at(T0 - 600);
    record(
        "timestamp_10_minutes_old",
        "AuthFailure.SignatureExpire",
        h.send(&h.sign(&old, &creds)).await,
    );

    let wrong_key = Credentials::new(creds.secret_id(), "not-the-key");
    record(
        "wrong_key",
        "AuthFailure.SignatureFailure",
        h.send(&h.sign(&describe, &wrong_key)).await,
    );

    let with_token = creds.clone().with_token("unexpected-token");
    record(
        "unexpected_token",
        "AuthFailure.TokenFailure",
        h.send(&h.sign(&describe, &with_token)).await,
    );

    // The limit is 1 for this action: the first passes the gate, the second is refused.
    h.send(&h.sign(&describe, &creds)).await;
    record(
        "over_the_limit",
        "RequestLimitExceeded",
        h.send(&h.sign(&describe, &creds)).await,
    );

    let mut no_action = h.sign(&call("ListOrganizationNodes", V2018), &creds);
    no_action.remove_header("X-TC-Action");
    record("no_action", "MissingParameter", h.send(&no_action).await);

    record(
        "unknown_version",
        "NoSuchVersion",
        h.send(&h.sign(&call("ListOrganizationNodes", "2020-01-01"), &creds))
            .await,
    );
    record(
        "unknown_action",
        "InvalidAction",
        h.send(&h.sign(&call("NoSuchThing", V2021), &creds)).await,
    );

    let add = call("AddOrganizationNode", V2018);
    record(
        "missing_required_parameter",
        "MissingParameter",
        h.send(&h.sign(&add.clone().params(json!({"Name": "n"})), &creds))
            .await,
    );
    record(
        "wrong_parameter_type",
        "InvalidParameter",
        h.send(
            &h.sign(
                &add.clone()
                    .params(json!({"ParentNodeId": "one", "Name": "n"})),
                &creds,
            ),
        )
        .await,
    );
    record(
        "unknown_parameter",
        "UnknownParameter",
        h.send(
            &h.sign(
                &add.clone()
                    .params(json!({"ParentNodeId": 1, "Name": "n", "Colour": "red"})),
                &creds,
            ),
        )
        .await,
    );
    let get = add
        .params(json!({"ParentNodeId": "x", "Name": "n"}))
        .signed_with(SignMethod::HmacSha256, HttpMethod::Get);
    record(
        "v1_get_wrong_type",
        "InvalidParameter",
        h.send(&h.sign(&get, &creds)).await,
    );

    let truncated = h
        .http
        .post(&url)
        .header("Content-Type", "application/json")
        .body(r#"{"Name": "#)
        .send()
        .await
        .unwrap();
    // Unsigned, so the gate refuses it at authentication: the body is never trusted first.
    record(
        "unsigned_truncated_json_fails_authentication",
        "AuthFailure.InvalidAuthorization",
        common::into_parts(truncated).await,
    );

    // Signed over the bad bytes themselves, so they pass authentication and reach step 5.
    record(
        "signed_malformed_json",
        "InvalidRequest",
        h.send(&signed_body(
            &h,
            "ListOrganizationNodes",
            V2018,
            br#"{"Name": "#,
        ))
        .await,
    );
    record(
        "signed_invalid_utf8",
        "InvalidRequest",
        h.send(&signed_body(
            &h,
            "ListOrganizationNodes",
            V2018,
            b"{\"Name\": \"\xff\xfe\"}",
        ))
        .await,
    );

    let long_query = format!(
        "{url}/?Action=ListOrganizationNodes&Pad={}",
        "x".repeat(32 * 1024)
    );
    let long_get = h.http.get(long_query).send().await.unwrap();
    record(
        "get_query_over_32_kb",
        "RequestSizeLimitExceeded",
        common::into_parts(long_get).await,
    );
    let big_form = h
        .http
        .post(&url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("Pad={}", "x".repeat(1024 * 1024)))
        .send()
        .await
        .unwrap();
    record(
        "v1_form_body_over_1_mb",
        "RequestSizeLimitExceeded",
        common::into_parts(big_form).await,
    );

    for (name, content_type) in [
        ("text_plain_body", "text/plain"),
        ("multipart_body", "multipart/form-data; boundary=x"),
    ] {
        let refused = h
            .http
            .post(&url)
            .header("Content-Type", content_type)
            .body("--x--")
            .send()
            .await
            .unwrap();
        record(
            name,
            "UnsupportedProtocol",
            common::into_parts(refused).await,
        );
    }

    let mut no_version = h.sign(&call("ListOrganizationNodes", V2018), &creds);
    no_version.remove_header("X-TC-Version");
    record("no_version", "MissingParameter", h.send(&no_version).await);

    // Past the gate: the state refuses a page size over 50.
    let created = h
        .call(&call("CreateOrganization", V2018).params(json!({"OrgType": 1})))
        .await;
    assert_eq!(code_of(&created), "OK", "{created}");
    let nodes = call("DescribeOrganizationNodes", V2021).params(json!({"Offset": 0, "Limit": 51}));
    let (status, ct, body) = h.send(&h.sign(&nodes, &creds)).await;
    let action = tco_spec::action(Version::V2021_03_31, "DescribeOrganizationNodes").unwrap();
    assert!(
        action.is_documented_error(&code_of(&body["Response"])),
        "{body}"
    );
    record(
        "business_limit_over_50",
        "InvalidParameterValue",
        (status, ct, body),
    );

    snapshot!("mock_gate_refusals", envelopes);
}
