//! Helpers for driving the mock over real HTTP with the project's signer.
#![allow(dead_code)]

use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};
use tco_mock::MockServer;
use tco_mock::{Clock, ManualClock};
use tco_sign::{build, Credentials, HttpMethod, KeyCache, RequestSpec, SignMethod, SignedRequest};

pub const V2018: &str = "2018-12-25";
pub const V2021: &str = "2021-03-31";
pub const T0: i64 = 1_700_000_000;

/// One call to sign: defaults are a TC3 POST of `{}` at the mock's current time.
#[derive(Clone)]
pub struct CallSpec {
    pub action: String,
    pub version: String,
    pub params: Value,
    pub sign_method: SignMethod,
    pub http_method: HttpMethod,
    pub region: Option<String>,
    pub timestamp: Option<i64>,
}

pub fn call(action: &str, version: &str) -> CallSpec {
    CallSpec {
        action: action.into(),
        version: version.into(),
        params: json!({}),
        sign_method: SignMethod::Tc3HmacSha256,
        http_method: HttpMethod::Post,
        region: None,
        timestamp: None,
    }
}

impl CallSpec {
    pub fn params(mut self, params: Value) -> Self {
        self.params = params;
        self
    }
    pub fn signed_with(mut self, method: SignMethod, http: HttpMethod) -> Self {
        self.sign_method = method;
        self.http_method = http;
        self
    }
    pub fn region(mut self, region: &str) -> Self {
        self.region = Some(region.into());
        self
    }
    pub fn at(mut self, timestamp: i64) -> Self {
        self.timestamp = Some(timestamp);
        self
    }
}

/// A test's handle: the mock, the clock it runs on, and an HTTP client.
pub struct Harness {
    pub mock: MockServer,
    pub clock: ManualClock,
    pub http: reqwest::Client,
}

impl Harness {
    /// A mock on a frozen clock at `T0`.
    pub async fn new() -> Self {
        Self::with(|b| b).await
    }

    pub async fn with(
        configure: impl FnOnce(tco_mock::MockServerBuilder) -> tco_mock::MockServerBuilder,
    ) -> Self {
        let clock = ManualClock::at_secs(T0);
        let builder = MockServer::builder().clock(clock.clone());
        let mock = configure(builder).start().await;
        Self {
            mock,
            clock,
            http: reqwest::Client::new(),
        }
    }

    pub fn sign(&self, spec: &CallSpec, creds: &Credentials) -> SignedRequest {
        self.sign_for_host(spec, creds, &self.mock.host())
    }

    /// Signs for `host`, as a client that reached the mock through that name does (send it
    /// with [`Harness::send_with_host`]).
    pub fn sign_for_host(&self, spec: &CallSpec, creds: &Credentials, host: &str) -> SignedRequest {
        let request = RequestSpec::new(
            host,
            "organization",
            &spec.action,
            &spec.version,
            &spec.params,
            spec.timestamp.unwrap_or_else(|| self.clock.now_secs()),
        )
        .with_sign_method(spec.sign_method)
        .with_http_method(spec.http_method)
        .with_region(spec.region.as_deref())
        .with_nonce(42)
        .with_request_client("tco-mock-tests");
        build(&request, creds, &KeyCache::default())
    }

    /// Signs as the default account and sends; returns the `Response` object.
    pub async fn call(&self, spec: &CallSpec) -> Value {
        let signed = self.sign(spec, &self.mock.default_credentials());
        self.send(&signed).await.2["Response"].clone()
    }

    /// The error code of the answer, or "OK".
    pub async fn code(&self, spec: &CallSpec) -> String {
        code_of(&self.call(spec).await)
    }

    /// Signs as `creds` for `host`, sends with that `Host` header; the error code or "OK".
    pub async fn code_via(&self, spec: &CallSpec, creds: &Credentials, host: &str) -> String {
        let signed = self.sign_for_host(spec, creds, host);
        code_of(&self.send_with_host(&signed, host).await.2["Response"])
    }

    /// As [`Harness::send`], with the `Host` header `host` instead of the mock's address.
    pub async fn send_with_host(&self, signed: &SignedRequest, host: &str) -> (u16, String, Value) {
        let request = with_host(self.request(signed), host);
        into_parts(self.http.execute(request).await.expect("the mock answers")).await
    }

    /// Sends a signed request as is; returns status, content type and parsed body.
    pub async fn send(&self, signed: &SignedRequest) -> (u16, String, Value) {
        let request = self.request(signed).build().expect("a valid request");
        into_parts(self.http.execute(request).await.expect("the mock answers")).await
    }

    /// `signed` addressed to the mock, as every client of the workspace sends it.
    pub fn request(&self, signed: &SignedRequest) -> reqwest::RequestBuilder {
        tco_client::transport::request(&self.http, &self.mock.uri(), signed.clone())
    }
}

/// `request` with its `Host` header replaced by `host`: a client that reached the mock through
/// another name.
pub fn with_host(request: reqwest::RequestBuilder, host: &str) -> reqwest::Request {
    let mut request = request.build().expect("a valid request");
    let value = host.parse().expect("a valid Host header");
    request.headers_mut().insert(reqwest::header::HOST, value);
    request
}

/// A TC3 POST for `action` whose signed body is `body` exactly, as the default account at the
/// mock's current time: a well-signed request carrying whatever bytes a test needs.
pub fn signed_body(h: &Harness, action: &str, version: &str, body: &[u8]) -> SignedRequest {
    // `build` signs the body it serialises; for arbitrary bytes, take its headers and sign
    // the bytes with the TC3 primitives.
    let creds = h.mock.default_credentials();
    let mut signed = h.sign(&call(action, version), &creds);
    let host = h.mock.host();
    let input = tco_sign::tc3::CanonicalInput {
        method: "POST",
        path: "/",
        query: "",
        headers: &[("content-type", "application/json"), ("host", &host)],
        payload: tco_sign::tc3::Payload::Bytes(body),
        value_case: tco_sign::tc3::ValueCase::Lower,
    };
    let sig = tco_sign::tc3::sign(
        &input,
        h.clock.now_secs(),
        "organization",
        creds.secret_id(),
        creds.secret_key(),
    );
    signed.set_header("Authorization", &sig.authorization);
    signed.body = body.to_vec();
    signed
}

pub async fn into_parts(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&bytes)));
    (status, content_type, body)
}

pub fn code_of(response: &Value) -> String {
    response["Error"]["Code"]
        .as_str()
        .unwrap_or("OK")
        .to_string()
}

/// Asserts the documented envelope: 200, JSON, a UUID RequestId; returns the error code or OK.
pub fn assert_envelope(status: u16, content_type: &str, body: &Value) -> String {
    assert_eq!(status, 200, "{body}");
    assert_eq!(content_type, "application/json");
    let response = &body["Response"];
    let id = response["RequestId"].as_str().expect("RequestId");
    uuid_v4(id);
    if let Some(error) = response.get("Error") {
        assert!(
            error["Code"].is_string() && error["Message"].is_string(),
            "{body}"
        );
    }
    code_of(response)
}

fn uuid_v4(id: &str) {
    let parts: Vec<&str> = id.split('-').collect();
    let lengths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    assert_eq!(lengths, vec![8, 4, 4, 4, 12], "{id}");
    assert!(parts[2].starts_with('4'), "{id}");
}

/// The codes the gate (steps 1-5) answers with; anything else means the request got through
/// to dispatch (a success, or a business error of the state).
pub const GATE_CODES: &[&str] = &[
    "UnsupportedProtocol",
    "RequestSizeLimitExceeded",
    "InvalidRequest",
    "AuthFailure.InvalidAuthorization",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.SignatureExpire",
    "AuthFailure.SignatureFailure",
    "AuthFailure.TokenFailure",
    "RequestLimitExceeded",
    "MissingParameter",
    "NoSuchVersion",
    "InvalidAction",
    "InvalidParameter",
    "UnknownParameter",
];

pub fn passed(code: &str) -> bool {
    !GATE_CODES.contains(&code)
}

#[track_caller]
pub fn assert_passed(code: &str) {
    assert!(passed(code), "refused at the gate with {code}");
}
