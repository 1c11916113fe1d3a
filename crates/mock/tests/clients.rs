//! Every official client, unchanged: whatever `Host` it used, and the Node.js SDK's own way of
//! signing TC3 (accepted by default, refused in strict mode, never with a wrong key).

mod common;

use common::*;
use serde_json::json;
use tco_sign::tc3::{self, SigningKey};
use tco_sign::{build, Credentials, HttpMethod, KeyCache, RequestSpec, SignMethod, SignedRequest};

/// Signs a call for `host` with the project's signer, as an SDK configured with that endpoint.
fn signed_for_host(h: &Harness, host: &str, method: SignMethod, http: HttpMethod) -> SignedRequest {
    let params = json!({});
    let spec = RequestSpec::new(
        host,
        "organization",
        "DescribeOrganization",
        V2021,
        &params,
        T0,
    )
    .with_sign_method(method)
    .with_http_method(http)
    .with_nonce(7)
    .with_request_client("tco-mock-tests");
    build(&spec, &h.mock.default_credentials(), &KeyCache::default())
}

/// Sends `signed` to the mock's socket with `host` as the `Host` header; returns the code.
async fn send_as(h: &Harness, signed: &SignedRequest, host: &str) -> String {
    let request = with_host(h.request(signed), host);
    let response = h.http.execute(request).await.expect("an answer");
    let (status, content_type, body) = into_parts(response).await;
    assert_envelope(status, &content_type, &body)
}

/// The hosts a client may use for a mock on 127.0.0.1:PORT.
fn host_variants(h: &Harness) -> Vec<String> {
    let port = h.mock.address().port();
    vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("organization.localhost:{port}"),
        // The Terraform provider: organization.<TENCENTCLOUD_DOMAIN>, on the default port
        // behind a local name (a hosts entry or a proxy) pointing at the mock.
        "organization.mock.example.test".to_string(),
        format!("organization.mock.example.test:{port}"),
    ]
}

#[tokio::test]
async fn every_host_a_client_may_use_is_answered_with_every_signature_method() {
    for strict in [false, true] {
        let h = Harness::with(|b| b.strict_signatures(strict)).await;
        for host in host_variants(&h) {
            for (method, http) in [
                (SignMethod::Tc3HmacSha256, HttpMethod::Post),
                (SignMethod::Tc3HmacSha256, HttpMethod::Get),
                (SignMethod::HmacSha256, HttpMethod::Post),
                (SignMethod::HmacSha1, HttpMethod::Get),
            ] {
                let signed = signed_for_host(&h, &host, method, http);
                let code = send_as(&h, &signed, &host).await;
                assert!(
                    passed(&code),
                    "{host} {method:?} {http:?} strict={strict}: refused with {code}"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_host_is_verified_against_what_the_client_signed() {
    let h = Harness::new().await;
    let port = h.mock.address().port();
    let signed = signed_for_host(
        &h,
        &format!("localhost:{port}"),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
    );
    // Sent with another name than the one signed: not the request that was signed.
    let code = send_as(&h, &signed, &format!("organization.localhost:{port}")).await;
    assert_eq!(code, "AuthFailure.SignatureFailure");
    let v1 = signed_for_host(
        &h,
        &format!("localhost:{port}"),
        SignMethod::HmacSha256,
        HttpMethod::Post,
    );
    let code = send_as(&h, &v1, &format!("127.0.0.1:{port}")).await;
    assert_eq!(code, "AuthFailure.SignatureFailure");
}

/// A TC3 POST signed the way `tencentcloud-sdk-nodejs-intl-en` (3.0.x, `common/sign.js` and
/// `abstract_client.js`) signs it for the endpoint `endpoint`: the scope's service is
/// `endpoint.split('.')[0]`, the canonical headers are `content-type` as sent and
/// `host:` the URL's host name (no port), the payload hash is over the JSON body.
struct NodeRequest {
    headers: Vec<(String, String)>,
    body: String,
}

fn node_sdk_request(
    endpoint: &str,
    service: &str,
    signed_host: &str,
    creds: &Credentials,
) -> NodeRequest {
    let body = "{}".to_string();
    let canonical = format!(
        "POST\n/\n\ncontent-type:application/json\nhost:{signed_host}\n\ncontent-type;host\n{}",
        tc3::sha256_hex(body.as_bytes())
    );
    let date = "2023-11-14"; // the UTC date of T0
    let scope = format!("{date}/{service}/tc3_request");
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{T0}\n{scope}\n{}",
        tc3::sha256_hex(canonical.as_bytes())
    );
    let signature = SigningKey::derive(creds.secret_key(), date, service).sign(&string_to_sign);
    let authorization = format!(
        "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders=content-type;host, Signature={signature}",
        creds.secret_id()
    );
    NodeRequest {
        headers: vec![
            ("Host".into(), endpoint.to_string()),
            ("X-TC-Action".into(), "DescribeOrganization".into()),
            ("X-TC-Region".into(), String::new()),
            ("X-TC-Timestamp".into(), T0.to_string()),
            ("X-TC-Version".into(), V2021.into()),
            ("X-TC-RequestClient".into(), "SDK_NODEJS_3.0.1335".into()),
            ("Content-Type".into(), "application/json".into()),
            ("Authorization".into(), authorization),
        ],
        body,
    }
}

/// Sends `request`; returns the checked envelope.
async fn send_node_body(h: &Harness, request: &NodeRequest) -> serde_json::Value {
    let mut builder = h.http.post(h.mock.uri()).body(request.body.clone());
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let (status, content_type, body) = into_parts(builder.send().await.expect("an answer")).await;
    assert_envelope(status, &content_type, &body);
    body
}

async fn send_node(h: &Harness, request: &NodeRequest) -> String {
    code_of(&send_node_body(h, request).await["Response"])
}

#[test]
fn the_node_sdk_date_of_t0() {
    // Guards the literal date above: T0 is 2023-11-14T22:13:20Z.
    assert_eq!(tco_sign::utc_date(T0), "2023-11-14");
}

#[tokio::test]
async fn the_node_sdk_request_shape_is_accepted_by_default() {
    let h = Harness::new().await;
    let creds = h.mock.default_credentials();
    let port = h.mock.address().port();
    let cases = [
        // endpoint 127.0.0.1:PORT: service "127", host signed without the port.
        (format!("127.0.0.1:{port}"), "127".to_string(), "127.0.0.1"),
        // endpoint localhost:PORT: no dot, so the service is the whole endpoint.
        (
            format!("localhost:{port}"),
            format!("localhost:{port}"),
            "localhost",
        ),
        // endpoint organization.localhost:PORT: the right service, the port-less host.
        (
            format!("organization.localhost:{port}"),
            "organization".to_string(),
            "organization.localhost",
        ),
    ];
    for (endpoint, service, signed_host) in cases {
        let request = node_sdk_request(&endpoint, &service, signed_host, &creds);
        let code = send_node(&h, &request).await;
        assert!(passed(&code), "{endpoint}: refused with {code}");
    }
    // Each alternative alone: the service from the endpoint with the host as sent...
    let endpoint = format!("127.0.0.1:{port}");
    let request = node_sdk_request(&endpoint, "127", &endpoint, &creds);
    assert_passed(&send_node(&h, &request).await);
    // ...and the right service with the host without its port.
    let request = node_sdk_request(&endpoint, "organization", "127.0.0.1", &creds);
    assert_passed(&send_node(&h, &request).await);
}

#[tokio::test]
async fn the_node_sdk_request_shape_is_refused_in_strict_mode() {
    let h = Harness::with(|b| b.strict_signatures(true)).await;
    let creds = h.mock.default_credentials();
    let port = h.mock.address().port();
    let endpoint = format!("127.0.0.1:{port}");
    for (service, signed_host) in [
        ("127", "127.0.0.1"),
        ("127", endpoint.as_str()),
        ("organization", "127.0.0.1"),
    ] {
        let request = node_sdk_request(&endpoint, service, signed_host, &creds);
        assert_eq!(
            send_node(&h, &request).await,
            "AuthFailure.SignatureFailure",
            "{service} {signed_host}"
        );
    }
    // The refusal says why.
    let request = node_sdk_request(&endpoint, "127", "127.0.0.1", &creds);
    let body = send_node_body(&h, &request).await;
    let message = body["Response"]["Error"]["Message"].as_str().unwrap();
    assert!(message.contains("strict_signatures refuses"), "{message}");
    // A wrong key in strict mode gets no such hint.
    let wrong = Credentials::new(creds.secret_id(), "not-the-key");
    let request = node_sdk_request(&endpoint, "127", "127.0.0.1", &wrong);
    let body = send_node_body(&h, &request).await;
    let message = body["Response"]["Error"]["Message"].as_str().unwrap();
    assert!(!message.contains("strict_signatures"), "{message}");
    // The strict form of the same request still passes.
    let request = node_sdk_request(&endpoint, "organization", &endpoint, &creds);
    assert_passed(&send_node(&h, &request).await);
}

#[tokio::test]
async fn a_wrong_key_is_refused_in_both_modes() {
    for strict in [false, true] {
        let h = Harness::with(|b| b.strict_signatures(strict)).await;
        let right = h.mock.default_credentials();
        let wrong = Credentials::new(right.secret_id(), "not-the-key");
        let port = h.mock.address().port();
        let endpoint = format!("127.0.0.1:{port}");
        for (service, signed_host) in [
            ("127", "127.0.0.1"),
            ("organization", "127.0.0.1"),
            ("organization", endpoint.as_str()),
        ] {
            let request = node_sdk_request(&endpoint, service, signed_host, &wrong);
            assert_eq!(
                send_node(&h, &request).await,
                "AuthFailure.SignatureFailure",
                "strict={strict} {service} {signed_host}"
            );
        }
    }
}

#[tokio::test]
async fn only_the_endpoint_label_is_accepted_as_another_service() {
    let h = Harness::new().await;
    let creds = h.mock.default_credentials();
    let endpoint = format!("127.0.0.1:{}", h.mock.address().port());
    // Right key, but a service that is neither ours nor the endpoint's first label.
    for service in ["cvm", "127.0", "localhost"] {
        let request = node_sdk_request(&endpoint, service, "127.0.0.1", &creds);
        assert_eq!(
            send_node(&h, &request).await,
            "AuthFailure.SignatureFailure",
            "{service}"
        );
    }
    // Another host than the one sent, even port-less, is not accepted either.
    let request = node_sdk_request(&endpoint, "127", "127.0.0.2", &creds);
    assert_eq!(
        send_node(&h, &request).await,
        "AuthFailure.SignatureFailure"
    );
}

#[tokio::test]
async fn strict_signatures_is_a_config_key_off_by_default() {
    let strict = tco_mock::Config::from_toml("strict_signatures = true").unwrap();
    let lenient = tco_mock::Config::from_toml("").unwrap();
    assert!(strict.strict_signatures && !lenient.strict_signatures);
    for (config, expected) in [(strict, false), (lenient, true)] {
        let h = Harness::with(|b| b.config(config)).await;
        let creds = h.mock.default_credentials();
        let endpoint = format!("127.0.0.1:{}", h.mock.address().port());
        let request = node_sdk_request(&endpoint, "127", "127.0.0.1", &creds);
        let code = send_node(&h, &request).await;
        assert_eq!(passed(&code), expected, "{code}");
    }
}
