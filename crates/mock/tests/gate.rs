//! Every step of the gate over real HTTP, each documented code produced by its trigger.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use tco_mock::Account;
use tco_sign::{Credentials, HttpMethod, SignMethod};
use tco_spec::{all_actions, Version};

async fn raw(
    h: &Harness,
    method: reqwest::Method,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> String {
    let mut request = h
        .http
        .request(method, format!("{}{path}", h.mock.uri()))
        .body(body);
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    let (status, ct, body) = into_parts(request.send().await.unwrap()).await;
    assert_envelope(status, &ct, &body)
}

// Step 1: HTTP.

#[tokio::test]
async fn other_methods_are_unsupported_protocol() {
    let h = Harness::new().await;
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
        reqwest::Method::OPTIONS,
    ] {
        assert_eq!(
            raw(&h, method.clone(), "/", None, vec![]).await,
            "UnsupportedProtocol",
            "{method}"
        );
    }
}

/// `CONNECT host:port` gets the envelope too, not an empty `200 OK` (a 2xx answer to CONNECT
/// has no body, so the refusal carries 405), and no tunnel is opened.
#[tokio::test]
async fn connect_is_unsupported_protocol_with_the_envelope() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let h = Harness::new().await;
    let mut stream = tokio::net::TcpStream::connect(h.mock.address())
        .await
        .unwrap();
    stream
        .write_all(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the mock closes the connection after answering")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    assert!(head.starts_with("HTTP/1.1 405"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    assert_eq!(body["Response"]["Error"]["Code"], "UnsupportedProtocol");
    assert!(body["Response"]["RequestId"].is_string());
}

#[tokio::test]
async fn other_paths_and_body_types_are_unsupported_protocol() {
    let h = Harness::new().await;
    let post = reqwest::Method::POST;
    assert_eq!(
        raw(
            &h,
            post.clone(),
            "/v3/api",
            Some("application/json"),
            b"{}".to_vec()
        )
        .await,
        "UnsupportedProtocol"
    );
    assert_eq!(
        raw(
            &h,
            post.clone(),
            "/_mockery",
            Some("application/json"),
            b"{}".to_vec()
        )
        .await,
        "UnsupportedProtocol"
    );
    assert_eq!(
        raw(
            &h,
            post.clone(),
            "/",
            Some("multipart/form-data; boundary=x"),
            b"--x--".to_vec()
        )
        .await,
        "UnsupportedProtocol"
    );
    assert_eq!(
        raw(&h, post.clone(), "/", Some("text/plain"), b"hi".to_vec()).await,
        "UnsupportedProtocol"
    );
    assert_eq!(
        raw(&h, post, "/", None, b"{}".to_vec()).await,
        "UnsupportedProtocol"
    );
}

/// Sends headers announcing `length` bytes and no body: the mock must answer from the header
/// alone, without waiting for (or reading) the body.
async fn announce(h: &Harness, content_type: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(h.mock.address())
        .await
        .unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n",
        h.mock.host()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the mock waited for a body it should refuse");
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    let body: Value = serde_json::from_str(body.trim()).unwrap_or_else(|_| {
        // Possibly chunked: take the JSON between the first '{' and the last '}'.
        let start = body.find('{').unwrap();
        let end = body.rfind('}').unwrap();
        serde_json::from_str(&body[start..=end]).unwrap()
    });
    code_of(&body["Response"])
}

#[tokio::test]
async fn oversized_bodies_are_refused_from_content_length() {
    let h = Harness::new().await;
    assert_eq!(
        announce(&h, "application/json", 10 * 1024 * 1024 + 1).await,
        "RequestSizeLimitExceeded"
    );
    assert_eq!(
        announce(&h, "application/x-www-form-urlencoded", 1024 * 1024 + 1).await,
        "RequestSizeLimitExceeded"
    );
}

#[tokio::test]
async fn oversized_queries_are_refused() {
    let h = Harness::new().await;
    let path = format!(
        "/?Action=DescribeOrganization&Pad={}",
        "x".repeat(32 * 1024)
    );
    assert_eq!(
        raw(&h, reqwest::Method::GET, &path, None, vec![]).await,
        "RequestSizeLimitExceeded"
    );
}

#[tokio::test]
async fn a_body_just_under_the_v1_limit_is_read() {
    let h = Harness::new().await;
    // Unsigned, so refused at step 2: which proves step 1 let it through.
    let body = format!("Pad={}", "x".repeat(1024 * 1024 - 10)).into_bytes();
    assert_eq!(
        raw(
            &h,
            reqwest::Method::POST,
            "/",
            Some("application/x-www-form-urlencoded"),
            body
        )
        .await,
        "AuthFailure.InvalidAuthorization"
    );
}

// Step 2: authentication.

fn describe() -> CallSpec {
    call("DescribeOrganization", V2021)
}

#[tokio::test]
async fn unsigned_and_malformed_authorization() {
    let h = Harness::new().await;
    let post = reqwest::Method::POST;
    assert_eq!(
        raw(&h, post, "/", Some("application/json"), b"{}".to_vec()).await,
        "AuthFailure.InvalidAuthorization"
    );
    let mut signed = h.sign(&describe(), &h.mock.default_credentials());
    signed.set_header("Authorization", "TC3-HMAC-SHA256 Credential=nonsense");
    let (s, ct, body) = h.send(&signed).await;
    assert_eq!(
        assert_envelope(s, &ct, &body),
        "AuthFailure.InvalidAuthorization"
    );
}

#[tokio::test]
async fn unknown_secret_id() {
    let h = Harness::new().await;
    let signed = h.sign(&describe(), &Credentials::new("AKIDnobody", "key"));
    let (s, ct, body) = h.send(&signed).await;
    assert_eq!(
        assert_envelope(s, &ct, &body),
        "AuthFailure.SecretIdNotFound"
    );
}

#[tokio::test]
async fn timestamps_beyond_300_seconds_expire() {
    let h = Harness::new().await;
    assert_passed(&h.code(&describe().at(T0 - 300)).await);
    assert_passed(&h.code(&describe().at(T0 + 300)).await);
    assert_eq!(
        h.code(&describe().at(T0 - 301)).await,
        "AuthFailure.SignatureExpire"
    );
    assert_eq!(
        h.code(&describe().at(T0 + 301)).await,
        "AuthFailure.SignatureExpire"
    );
    // The mock's clock decides, not the wall clock.
    h.clock.advance(Duration::from_secs(3600));
    assert_eq!(
        h.code(&describe().at(T0)).await,
        "AuthFailure.SignatureExpire"
    );
    assert_passed(&h.code(&describe().at(T0 + 3600)).await);
}

#[tokio::test]
async fn a_tampered_body_fails_the_signature() {
    let h = Harness::new().await;
    let mut signed = h.sign(
        &describe().params(json!({"Lang": "en"})),
        &h.mock.default_credentials(),
    );
    signed.body = br#"{"Lang": "zh"}"#.to_vec();
    let (s, ct, body) = h.send(&signed).await;
    assert_eq!(
        assert_envelope(s, &ct, &body),
        "AuthFailure.SignatureFailure"
    );
}

#[tokio::test]
async fn v1_signatures_and_their_failures() {
    let h = Harness::new().await;
    for http in [HttpMethod::Get, HttpMethod::Post] {
        for method in [SignMethod::HmacSha1, SignMethod::HmacSha256] {
            assert_passed(&h.code(&describe().signed_with(method, http)).await);
        }
    }
    // Without a Nonce (the verifier's MissingParameter), with a bad Timestamp (InvalidParameter).
    let creds = h.mock.default_credentials();
    let mut signed = h.sign(
        &describe().signed_with(SignMethod::HmacSha256, HttpMethod::Post),
        &creds,
    );
    let form = String::from_utf8(signed.body.clone()).unwrap();
    signed.body = form
        .split('&')
        .filter(|p| !p.starts_with("Nonce="))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes();
    let (s, ct, body) = h.send(&signed).await;
    assert_eq!(assert_envelope(s, &ct, &body), "MissingParameter");
    let mut signed = h.sign(
        &describe().signed_with(SignMethod::HmacSha256, HttpMethod::Post),
        &creds,
    );
    signed.body = form
        .replace(&format!("Timestamp={T0}"), "Timestamp=soon")
        .into_bytes();
    let (s, ct, body) = h.send(&signed).await;
    assert_eq!(assert_envelope(s, &ct, &body), "InvalidParameter");
}

#[tokio::test]
async fn a_missing_tc3_timestamp_is_a_missing_parameter() {
    let h = Harness::new().await;
    let mut signed = h.sign(&describe(), &h.mock.default_credentials());
    signed.remove_header("X-TC-Timestamp");
    let (s, ct, body) = h.send(&signed).await;
    assert_eq!(assert_envelope(s, &ct, &body), "MissingParameter");
}

#[tokio::test]
async fn temporary_credentials_need_their_token() {
    let temp = Account::new(100_000_000_077, "AKIDtemporary", "temp-key").with_token("the-token");
    let h = Harness::with(|b| b.account(temp.clone())).await;
    let with_token = temp.credentials();
    let without = Credentials::new("AKIDtemporary", "temp-key");
    let wrong = Credentials::new("AKIDtemporary", "temp-key").with_token("other");
    assert_passed(&code_as(&h, with_token).await);
    assert_eq!(code_as(&h, without).await, "AuthFailure.TokenFailure");
    assert_eq!(code_as(&h, wrong).await, "AuthFailure.TokenFailure");
    // A long-term account must not present a token.
    let default_with_token = h.mock.default_credentials().with_token("stray");
    assert_eq!(
        code_as(&h, default_with_token).await,
        "AuthFailure.TokenFailure"
    );
}

async fn code_as(h: &Harness, creds: Credentials) -> String {
    let signed = h.sign(&describe(), &creds);
    let (s, ct, body) = h.send(&signed).await;
    assert_envelope(s, &ct, &body)
}

// Step 3: the rate limit.

#[tokio::test]
async fn the_first_n_of_each_second_pass() {
    let h = Harness::with(|b| b.rate_limit("DescribeOrganization", 3)).await;
    for _ in 0..3 {
        assert_passed(&h.code(&describe()).await);
    }
    assert_eq!(h.code(&describe()).await, "RequestLimitExceeded");
    // The Region parameter is not the access region: the same budget.
    assert_eq!(
        h.code(&describe().region("ap-shanghai")).await,
        "RequestLimitExceeded"
    );
    // Another action is unaffected.
    let identities =
        call("ListOrganizationIdentity", V2021).params(json!({"Offset": 0, "Limit": 10}));
    assert_ne!(h.code(&identities).await, "RequestLimitExceeded");
    h.clock.advance(Duration::from_secs(1));
    assert_passed(&h.code(&describe()).await);
}

#[tokio::test]
async fn versions_share_one_budget() {
    let h = Harness::with(|b| b.rate_limit("DeleteOrganization", 2)).await;
    let delete = |version| call("DeleteOrganization", version);
    assert_ne!(h.code(&delete(V2021)).await, "RequestLimitExceeded");
    assert_ne!(h.code(&delete(V2018)).await, "RequestLimitExceeded");
    assert_eq!(h.code(&delete(V2021)).await, "RequestLimitExceeded");
    assert_eq!(h.code(&delete(V2018)).await, "RequestLimitExceeded");
}

#[tokio::test]
async fn the_legacy_key_counts_versions_and_region_parameters_apart() {
    let h = Harness::with(|b| {
        b.rate_limit("DeleteOrganization", 1)
            .limit_key(tco_mock::KeyMode::Legacy)
    })
    .await;
    let delete = |version| call("DeleteOrganization", version);
    assert_ne!(h.code(&delete(V2021)).await, "RequestLimitExceeded");
    assert_eq!(h.code(&delete(V2021)).await, "RequestLimitExceeded");
    assert_ne!(h.code(&delete(V2018)).await, "RequestLimitExceeded");
    assert_eq!(h.code(&delete(V2018)).await, "RequestLimitExceeded");
    assert_ne!(
        h.code(&delete(V2018).region("ap-shanghai")).await,
        "RequestLimitExceeded"
    );
}

#[tokio::test]
async fn the_documented_limit_applies_by_default() {
    let h = Harness::new().await;
    let mut codes = Vec::new();
    for _ in 0..41 {
        codes.push(h.code(&describe()).await);
    }
    assert!(codes[..40].iter().all(|c| passed(c)), "{codes:?}");
    assert_eq!(codes[40], "RequestLimitExceeded");
}

#[tokio::test]
async fn the_limit_comes_before_action_and_parameter_checks_and_changes_nothing() {
    let h = Harness::with(|b| b.rate_limit("CreateOrganization", 0)).await;
    let create = call("CreateOrganization", V2021);
    assert_eq!(h.code(&create).await, "RequestLimitExceeded");
    // Even an invalid call is throttled first.
    assert_eq!(
        h.code(&create.clone().params(json!({"Nope": 1}))).await,
        "RequestLimitExceeded"
    );
    // The refused create left no organization behind: creating one now succeeds.
    h.mock.set_rate_limit("CreateOrganization", None);
    assert_passed(&h.code(&create).await);
}

#[tokio::test]
async fn exactly_n_admitted_when_many_connections_race() {
    let h = std::sync::Arc::new(Harness::new().await);
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let h = h.clone();
            tokio::spawn(async move {
                let mut ok = 0;
                for _ in 0..4 {
                    if passed(&h.code(&describe()).await) {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let mut admitted = 0;
    for task in tasks {
        admitted += task.await.unwrap();
    }
    assert_eq!(
        admitted, 40,
        "DescribeOrganization 2021-03-31 is documented at 40/s"
    );
}

// Step 4: action and version.

#[tokio::test]
async fn missing_action_or_version() {
    let h = Harness::new().await;
    for header in ["X-TC-Action", "X-TC-Version"] {
        let mut signed = h.sign(&describe(), &h.mock.default_credentials());
        signed.remove_header(header);
        let (s, ct, body) = h.send(&signed).await;
        assert_eq!(
            assert_envelope(s, &ct, &body),
            "MissingParameter",
            "{header}"
        );
        assert!(body["Response"]["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains(header));
    }
}

#[tokio::test]
async fn unknown_version_and_action() {
    let h = Harness::new().await;
    assert_eq!(
        h.code(&call("DescribeOrganization", "2020-01-01")).await,
        "NoSuchVersion"
    );
    assert_eq!(
        h.code(&call("DescribeEverything", V2021)).await,
        "InvalidAction"
    );
    // An action of the other version only.
    let only_2021 = all_actions()
        .find(|a| {
            a.version == Version::V2021_03_31
                && tco_spec::action(Version::V2018_12_25, &a.name).is_none()
        })
        .unwrap();
    assert_eq!(h.code(&call(&only_2021.name, V2018)).await, "InvalidAction");
}

// Step 5: parameters.

#[tokio::test]
async fn json_parameters_against_the_request_shape() {
    let h = Harness::new().await;
    let create = || call("CreateOrganization", V2018);
    let missing = h.call(&create()).await;
    assert_eq!(code_of(&missing), "MissingParameter");
    assert!(missing["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("OrgType"));
    assert_eq!(
        h.code(&create().params(json!({"OrgType": "one"}))).await,
        "InvalidParameter"
    );
    assert_eq!(
        h.code(&create().params(json!({"OrgType": -1}))).await,
        "InvalidParameter"
    );
    assert_eq!(
        h.code(&create().params(json!({"OrgType": null}))).await,
        "InvalidParameter"
    );
    let unknown = h
        .call(&create().params(json!({"OrgType": 1, "Colour": "blue"})))
        .await;
    assert_eq!(code_of(&unknown), "UnknownParameter");
    assert!(unknown["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("Colour"));
    assert_passed(&h.code(&create().params(json!({"OrgType": 1}))).await);
}

#[tokio::test]
async fn form_parameters_are_rebuilt_before_validation() {
    let h = Harness::new().await;
    let members = |params: Value, method, http| {
        call("DescribeOrganizationMembers", V2021)
            .params(params)
            .signed_with(method, http)
    };
    let nested = json!({"Offset": 0, "Limit": 10, "Tags": [{"TagKey": "k", "TagValue": "v"}]});
    for (method, http) in [
        (SignMethod::HmacSha256, HttpMethod::Get),
        (SignMethod::HmacSha1, HttpMethod::Post),
        (SignMethod::Tc3HmacSha256, HttpMethod::Get),
    ] {
        assert_passed(&h.code(&members(nested.clone(), method, http)).await);
        let missing = json!({"Limit": 10});
        assert_eq!(
            h.code(&members(missing, method, http)).await,
            "MissingParameter"
        );
        let wrong = json!({"Offset": "zero", "Limit": 10});
        assert_eq!(
            h.code(&members(wrong, method, http)).await,
            "InvalidParameter"
        );
        let unknown = json!({"Offset": 0, "Limit": 10, "Colour": "x"});
        assert_eq!(
            h.code(&members(unknown, method, http)).await,
            "UnknownParameter"
        );
    }
}

// Step 6: dispatch.

#[tokio::test]
async fn every_action_answers_with_its_shape_or_a_documented_error() {
    let h = Harness::with(|b| b.rate_limit_default(1000)).await;
    // Actions the world models may refuse an example naming IDs that do not exist; every
    // other one is built from the contract and must succeed.
    let stateful: std::collections::BTreeSet<(String, String)> = tco_mock::state::coverage()
        .into_iter()
        .filter(|r| r.stateful)
        .map(|r| (r.version.as_str().to_owned(), r.action.to_owned()))
        .collect();
    let mut succeeded = 0;
    for action in all_actions() {
        let spec = call(&action.name, action.version.as_str()).params(action.example_request());
        let response = h.call(&spec).await;
        match response.get("Error") {
            None => {
                let violations = action.validate_response(&response);
                assert!(
                    violations.is_empty(),
                    "{} {}: {violations:?}",
                    action.version,
                    action.name
                );
                succeeded += 1;
            }
            Some(error) => {
                let code = error["Code"].as_str().unwrap();
                assert!(
                    action.is_documented_error(code),
                    "{} {}: {code}",
                    action.version,
                    action.name
                );
                let key = (action.version.as_str().to_owned(), action.name.clone());
                assert!(
                    stateful.contains(&key),
                    "{} {} is built from the contract but refused: {code}",
                    action.version,
                    action.name
                );
            }
        }
    }
    assert!(
        succeeded >= 146 - stateful.len(),
        "only {succeeded} of 146 succeeded"
    );
}

#[tokio::test]
async fn every_answer_has_a_fresh_request_id() {
    let h = Harness::new().await;
    let a = h.call(&describe()).await["RequestId"].clone();
    let b = h.call(&describe()).await["RequestId"].clone();
    assert_ne!(a, b);
}
