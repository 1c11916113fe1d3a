//! The three renderings of a contract report (terminal summary, JSON, JUnit XML), pinned with
//! insta for a small fixed run: one action against a sloppy wiremock endpoint that gets some
//! things right (unknown actions, v1 refusals) and others wrong (a member of the wrong type,
//! an undocumented member, every TC3 request accepted). RequestIds, the endpoint's port and
//! JUnit's times change from run to run and are redacted.

use serde_json::{json, Value};
use tco_contract::{run, Options, Report, SuiteTarget};
use tco_sign::Credentials;
use tco_spec::Version;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn answer(response: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "Response": response }))
}

fn request_id() -> String {
    uuid_like()
}

/// A fresh UUID-shaped id (the harness only checks the format and uniqueness).
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    let n = N.fetch_add(1, Ordering::Relaxed);
    format!("5f0c2a8e-1d2b-4c3d-9e4f-{n:012x}")
}

fn sloppy(request: &Request) -> ResponseTemplate {
    let tc3 = request.headers.contains_key("authorization");
    if !tc3 {
        return answer(json!({
            "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "v1 is not supported here"},
            "RequestId": request_id(),
        }));
    }
    let action = request
        .headers
        .get("x-tc-action")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if action != "GetOrganization" {
        return answer(json!({
            "Error": {"Code": "InvalidAction", "Message": "no such action"},
            "RequestId": request_id(),
        }));
    }
    let mut response = tco_spec::action(Version::V2018_12_25, "GetOrganization")
        .unwrap()
        .example_response();
    response["OrgId"] = json!("12");
    response["Region"] = json!("ap-guangzhou");
    response["RequestId"] = json!(request_id());
    answer(response)
}

async fn fixed_run() -> Report {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(sloppy).mount(&server).await;
    let options = Options {
        versions: vec![Version::V2018_12_25],
        actions: vec!["GetOrganization".into()],
        rate_limit: false,
        ..Options::default()
    };
    let target = SuiteTarget::endpoint(
        server.uri(),
        Credentials::new("AKIDsnapshot", "snapshot-key"),
    );
    let report = run(target, options).await.expect("wiremock answers");
    drop(server);
    report
}

/// The report's text with the endpoint and every RequestId replaced by placeholders.
fn redact(report: &Report, text: &str) -> String {
    let mut out = text.replace(&report.target, "[endpoint]");
    for id in report
        .violations
        .iter()
        .chain(&report.warnings)
        .filter_map(|f| f.request_id.as_deref())
    {
        out = out.replace(id, "[request-id]");
    }
    out
}

#[tokio::test]
async fn reports_of_a_small_fixed_run() {
    let report = fixed_run().await;
    insta::with_settings!({snapshot_path => "../../../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("contract_summary", redact(&report, &report.summary()));
        insta::assert_json_snapshot!("contract_report_json", report.to_json(), {
            ".target" => "[endpoint]",
            ".violations[].request_id" => "[request-id]",
            ".warnings[].request_id" => "[request-id]",
        });
        insta::assert_snapshot!("contract_junit", redact_times(&redact(&report, &report.to_junit())));
    });
}

/// JUnit's `time="…"` attributes as `time="[time]"`.
fn redact_times(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find(" time=\"") {
        let value_start = at + " time=\"".len();
        out.push_str(&rest[..value_start]);
        let value_len = rest[value_start..].find('"').unwrap_or(0);
        out.push_str("[time]");
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

/// Every test case, suite and the report carry a `time`; a case's is the time of the answers
/// it judged, so the run's total is at least the slowest case's.
#[tokio::test]
async fn junit_has_times() {
    let report = fixed_run().await;
    let xml = report.to_junit();
    let testcases = xml.matches("<testcase ").count();
    assert!(testcases > 10);
    let timed_cases = xml
        .split("<testcase ")
        .skip(1)
        .filter(|c| c.split('>').next().unwrap_or_default().contains(" time=\""))
        .count();
    assert_eq!(timed_cases, testcases, "{xml}");
    assert!(
        xml.contains("<testsuites name=\"tco-contract\"")
            && xml
                .split("<testsuites ")
                .nth(1)
                .unwrap()
                .split('>')
                .next()
                .unwrap()
                .contains(" time=\""),
        "{xml}"
    );
    assert!(report.elapsed >= report.cases.iter().map(|c| c.time).max().unwrap());
    assert!(report.cases.iter().any(|c| !c.time.is_zero()));
}
