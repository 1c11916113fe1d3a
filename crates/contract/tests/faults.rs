//! Seeded faults: the project's mock behind a small axum proxy that breaks one thing on the
//! way back, one fault per test. Each must be reported as exactly the violation it is, and the
//! proxy without a fault (a correct endpoint) must yield no violation and no warning.
//!
//! (These live in the contract crate, not the root `tests/`, because they need axum and the
//! mock, both already dependencies here.)

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri};
use serde_json::{json, Value};
use tco_contract::{run, Endpoint, Options, Probe, Report, SuiteTarget};
use tco_mock::Algorithm;
use tco_mock::MockServer;
use tco_spec::Version;

/// The one thing the proxy breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// `OrgId` left out of GetOrganization's successes.
    RequiredMemberMissing,
    /// `OrgId` as a string.
    WrongType,
    /// `Nickname` null.
    NullNotAllowed,
    /// GetOrganization's successes become an error code nobody documents.
    UndocumentedErrorCode,
    /// GetOrganization's answers lose their RequestId.
    RequestIdMissing,
    /// GetOrganization's answers all carry the same RequestId.
    RequestIdDuplicated,
    /// GetOrganizationMember accepts a request that lacks a required parameter.
    MissingParameterAccepted,
    /// A request signed with the wrong key is answered as if it were right.
    BadSignatureAccepted,
}

const INVENTED_CODE: &str = "FailedOperation.TcoContractInvented";
const FIXED_REQUEST_ID: &str = "8a3e1f6c-3f4b-4a43-9d55-0f7a5e0c2b11";

struct Proxy {
    fault: Fault,
    upstream: String,
    http: reqwest::Client,
}

/// `(action, version)` of a request: TC3 headers, or v1 form/query parameters.
fn call_of(headers: &HeaderMap, uri: &Uri, body: &[u8]) -> (String, String) {
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    if let (Some(a), Some(v)) = (header("x-tc-action"), header("x-tc-version")) {
        return (a, v);
    }
    let mut text = uri.query().unwrap_or("").to_owned();
    text.push('&');
    text.push_str(&String::from_utf8_lossy(body));
    let pairs = tco_sign::params::urldecode(&text);
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    (get("Action"), get("Version"))
}

fn success_of(action: &str, version: &str) -> Value {
    let version: Version = version.parse().expect("known version");
    let mut response = tco_spec::action(version, action)
        .expect("known action")
        .example_response();
    response["RequestId"] = json!(uuid::Uuid::new_v4().to_string());
    json!({ "Response": response })
}

impl Proxy {
    fn tamper(&self, action: &str, version: &str, mut body: Value) -> Value {
        let code = body["Response"]["Error"]["Code"]
            .as_str()
            .map(str::to_owned);
        let success = code.is_none();
        let response = &mut body["Response"];
        match self.fault {
            Fault::None => {}
            Fault::RequiredMemberMissing if action == "GetOrganization" && success => {
                response.as_object_mut().unwrap().remove("OrgId");
            }
            Fault::WrongType if action == "GetOrganization" && success => {
                response["OrgId"] = json!("12");
            }
            Fault::NullNotAllowed if action == "GetOrganization" && success => {
                response["Nickname"] = Value::Null;
            }
            Fault::UndocumentedErrorCode if action == "GetOrganization" && success => {
                let id = response["RequestId"].clone();
                *response = json!({"Error": {"Code": INVENTED_CODE, "Message": "invented"}, "RequestId": id});
            }
            Fault::RequestIdMissing if action == "GetOrganization" => {
                response.as_object_mut().unwrap().remove("RequestId");
            }
            Fault::RequestIdDuplicated if action == "GetOrganization" => {
                response["RequestId"] = json!(FIXED_REQUEST_ID);
            }
            Fault::MissingParameterAccepted
                if action == "GetOrganizationMember"
                    && code.as_deref() == Some("MissingParameter") =>
            {
                return success_of(action, version);
            }
            Fault::BadSignatureAccepted
                if code.as_deref() == Some("AuthFailure.SignatureFailure") =>
            {
                return success_of(action, version);
            }
            _ => {}
        }
        body
    }
}

async fn forward(
    State(proxy): State<Arc<Proxy>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let (action, version) = call_of(&headers, &uri, &body);
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut request = proxy
        .http
        .request(method, format!("{}{path}", proxy.upstream));
    for (name, value) in &headers {
        // The Host header goes through as signed: the mock verifies what the client signed.
        if name != "content-length" {
            request = request.header(name, value);
        }
    }
    let answer = request.body(body).send().await.expect("the mock answers");
    let bytes = answer.bytes().await.expect("the mock's body");
    let parsed: Value = serde_json::from_slice(&bytes).expect("the mock answers JSON");
    let tampered = proxy.tamper(&action, &version, parsed);
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(&tampered).unwrap()))
        .unwrap()
}

/// Runs the suite through a proxy with this fault in front of a fresh mock, on a few actions.
async fn run_with(fault: Fault, unlimited: bool) -> Report {
    run_options(fault, unlimited, true, Options::default()).await
}

async fn run_options(fault: Fault, unlimited: bool, with_org: bool, base: Options) -> Report {
    let mut builder = MockServer::builder();
    if unlimited {
        builder = builder.algorithm(Algorithm::Unlimited);
    }
    let mock = builder.start().await;
    let credentials = mock.default_credentials();

    // An organization to read, so GetOrganization succeeds whatever the mock's state model.
    let direct = Endpoint::new(
        &mock.uri(),
        credentials.clone(),
        std::time::Duration::from_secs(10),
        std::sync::Arc::new(tco_clock::SystemClock),
    )
    .unwrap();
    if with_org {
        direct
            .send(&Probe::new(
                "CreateOrganization",
                "2018-12-25",
                json!({"OrgType": 1}),
            ))
            .await
            .unwrap();
    }

    let proxy = Arc::new(Proxy {
        fault,
        upstream: mock.uri().trim_end_matches('/').to_owned(),
        http: reqwest::Client::new(),
    });
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let options = Options {
        actions: vec![
            "GetOrganization".into(),
            "GetOrganizationMember".into(),
            "DescribeOrganization".into(),
        ],
        rate_limit_action: Some("DescribeOrganization".into()),
        ..base
    };
    let report = run(
        SuiteTarget::endpoint(format!("http://{addr}"), credentials),
        options,
    )
    .await
    .expect("the proxy answers");
    drop(mock);
    report
}

/// The distinct checks that failed, and every detail.
fn failed(report: &Report) -> (Vec<String>, Vec<String>) {
    let mut checks: Vec<String> = report.violations.iter().map(|v| v.check.clone()).collect();
    checks.sort();
    checks.dedup();
    let details = report
        .violations
        .iter()
        .map(|v| format!("{} {} {}: {}", v.version, v.action, v.check, v.detail))
        .collect();
    (checks, details)
}

fn assert_only(report: &Report, checks: &[&str], action: &str, detail: &str) {
    let (found, details) = failed(report);
    assert_eq!(found, checks, "{details:#?}");
    assert!(!report.violations.is_empty());
    for v in &report.violations {
        assert_eq!(v.action, action, "{details:#?}");
        assert!(v.detail.contains(detail), "{details:#?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_correct_endpoint_yields_no_violation_and_no_warning() {
    let report = run_with(Fault::None, false).await;
    let (_, details) = failed(&report);
    assert!(report.passed(), "{details:#?}");
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    // Read-only by default against an endpoint: nothing was skipped among read actions, and
    // every check of every selected action ran.
    assert!(report.skipped.is_empty());
    let checks: Vec<&str> = report
        .cases
        .iter()
        .filter(|c| c.action == "GetOrganizationMember")
        .map(|c| c.check.as_str())
        .collect();
    for check in [
        "envelope",
        "request-id",
        "error-code",
        "positive.tc3",
        "positive.v1",
        "missing-parameter",
        "missing-parameter.v1",
        "wrong-type",
        "unknown-parameter",
        "unknown-version",
        "bad-signature.tc3",
        "bad-signature.v1",
        "expired-timestamp.tc3",
        "expired-timestamp.v1",
        "unknown-secret-id.tc3",
        "unknown-secret-id.v1",
    ] {
        assert!(checks.contains(&check), "{check} missing from {checks:?}");
    }
    assert!(report
        .cases
        .iter()
        .any(|c| c.action == "DescribeOrganization" && c.check == "rate-limit"));
    assert!(report
        .cases
        .iter()
        .any(|c| c.action == "*" && c.check == "invalid-action.tc3"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_required_member_is_reported_at_its_path() {
    let report = run_with(Fault::RequiredMemberMissing, false).await;
    assert_only(
        &report,
        &["response-shape"],
        "GetOrganization",
        "$.OrgId: missing required member",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_of_the_wrong_type_is_reported_at_its_path() {
    let report = run_with(Fault::WrongType, false).await;
    assert_only(
        &report,
        &["response-shape"],
        "GetOrganization",
        "$.OrgId: expected uint64, found string",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_null_where_not_allowed_is_reported_at_its_path() {
    let report = run_with(Fault::NullNotAllowed, false).await;
    assert_only(
        &report,
        &["response-shape"],
        "GetOrganization",
        "$.Nickname: null is not allowed",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_undocumented_error_code_is_named() {
    let report = run_with(Fault::UndocumentedErrorCode, false).await;
    assert_only(&report, &["error-code"], "GetOrganization", INVENTED_CODE);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_request_id_is_reported() {
    let report = run_with(Fault::RequestIdMissing, false).await;
    assert_only(
        &report,
        &["request-id"],
        "GetOrganization",
        "Response has no RequestId",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_duplicated_request_id_is_reported() {
    let report = run_with(Fault::RequestIdDuplicated, false).await;
    assert_only(
        &report,
        &["request-id"],
        "GetOrganization",
        &format!("RequestId {FIXED_REQUEST_ID} was already used"),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_parameter_accepted_is_reported() {
    let report = run_with(Fault::MissingParameterAccepted, false).await;
    assert_only(
        &report,
        &["missing-parameter", "missing-parameter.v1"],
        "GetOrganizationMember",
        "without MemberUin was accepted (expected MissingParameter)",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_signature_accepted_is_reported() {
    let report = run_with(Fault::BadSignatureAccepted, false).await;
    let (checks, details) = failed(&report);
    assert_eq!(
        checks,
        ["bad-signature.tc3", "bad-signature.v1"],
        "{details:#?}"
    );
    for v in &report.violations {
        assert!(
            v.detail
                .contains("signed with the wrong SecretKey was accepted (expected AuthFailure.SignatureFailure)"),
            "{details:#?}"
        );
    }
    // Every action of the run was probed: GetOrganization and GetOrganizationMember are
    // 2018-12-25 only, DescribeOrganization 2021-03-31 only.
    let actions: std::collections::BTreeSet<_> = report
        .violations
        .iter()
        .map(|v| (v.version.as_str(), v.action.as_str()))
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_throttling_above_the_limit_is_reported() {
    let report = run_with(Fault::None, true).await;
    assert_only(
        &report,
        &["rate-limit"],
        "DescribeOrganization",
        "none was answered RequestLimitExceeded",
    );
}

/// `--compare-mock`: the same probes against the endpoint and a fresh mock. A correct endpoint
/// in the same state as the mock differs in nothing; one that accepts bad signatures differs
/// exactly on those probes.
#[tokio::test(flavor = "multi_thread")]
async fn compare_mock_reports_where_answers_differ() {
    let compare = Options {
        compare_mock: true,
        rate_limit: false,
        ..Options::default()
    };
    let same = run_options(Fault::None, false, false, compare.clone()).await;
    assert!(
        same.passed(),
        "{:#?} {:#?}",
        same.violations,
        same.differences
    );
    assert!(same.differences.is_empty());

    let differs = run_options(Fault::BadSignatureAccepted, false, false, compare).await;
    assert!(!differs.differences.is_empty());
    for d in &differs.differences {
        assert!(d.probe.starts_with("bad-signature."), "{d:?}");
        assert!(
            d.detail.ends_with("the mock AuthFailure.SignatureFailure"),
            "{d:?}"
        );
    }
}
