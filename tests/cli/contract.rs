//! `tco-harness contract` and `tco-harness contract validate`: exit statuses (0 clean, 1
//! violations, 2 usage or connection errors), one-line errors, and the report files.

use std::path::PathBuf;
use std::process::Output;

use crate::common::{self, command_line, misbehaving_server, Misbehaviour};

use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn harness<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    common::harness(args).output()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tco-contract-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn write_json(name: &str, value: &Value) -> String {
    let path = scratch(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

fn stdout(o: &Output) -> String {
    common::text(&o.stdout)
}

fn stderr(o: &Output) -> String {
    common::text(&o.stderr)
}

#[test]
fn validate_accepts_a_valid_response_and_request() {
    let file = write_json(
        "ok-response.json",
        &json!({"Response": {
            "OrgId": 1, "HostUin": 2, "Nickname": "n", "Mail": "m", "OrgType": 1, "IsEmpty": 0,
            "RequestId": "6f1c1b2a-0d7e-4b8a-9c3d-2e5f6a7b8c9d"
        }}),
    );
    let out = harness(command_line(
        "contract validate --version 2018-12-25 --action GetOrganization --response",
        &[&file],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", common::describe(&out));
    assert_eq!(
        stdout(&out),
        "valid response of 2018-12-25 GetOrganization\n"
    );

    let file = write_json("ok-request.json", &json!({"OrgType": 1}));
    let out = harness(command_line(
        "contract validate --version 2018-12-25 --action CreateOrganization --request",
        &[&file],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", common::describe(&out));
}

#[test]
fn validate_prints_every_violation_with_its_path() {
    let file = write_json(
        "bad-response.json",
        &json!({"Response": {
            "OrgId": "1", "Nickname": null, "Mail": "m", "OrgType": 1, "IsEmpty": 0,
            "Extra": true, "RequestId": "6f1c1b2a-0d7e-4b8a-9c3d-2e5f6a7b8c9d"
        }}),
    );
    let out = harness(command_line(
        "contract validate --version 2018-12-25 --action GetOrganization --response",
        &[&file],
    ));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "$.Response.OrgId: expected uint64, found string\n\
         $.Response.HostUin: missing required member\n\
         $.Response.Nickname: null is not allowed\n\
         $.Response.Extra: additive drift: not in the contract (warning)\n"
    );
    assert_eq!(
        stderr(&out),
        "tco-harness: 3 violations in the response of 2018-12-25 GetOrganization\n"
    );
}

#[test]
fn validate_usage_errors_exit_2_with_one_line() {
    let file = write_json("any.json", &json!({}));
    let cases = [
        command_line("contract validate --version 2018-12-25 --action Nope --request", &[&file]),
        command_line("contract validate --version 1999-01-01 --action GetOrganization --request", &[&file]),
        command_line("contract validate --version 2018-12-25 --action GetOrganization --request /nonexistent/x.json", &[]),
        command_line("contract validate --version 2018-12-25 --action GetOrganization", &[&file]),
    ];
    for args in cases {
        let out = harness(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out).lines().count(),
            1,
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).starts_with("tco-harness: "));
    }
    let not_json = scratch("not.json");
    std::fs::write(&not_json, "{oops").unwrap();
    let out = harness(command_line(
        "contract validate --version 2018-12-25 --action GetOrganization --request",
        &[not_json.to_str().unwrap()],
    ));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not JSON"));
}

#[test]
fn a_clean_run_against_the_mock_exits_0_and_writes_both_reports() {
    let json_path = scratch("report.json");
    let junit_path = scratch("report.xml");
    let out = harness(command_line(
        "contract --actions GetOrganization,DescribeOrganization --json",
        &[
            json_path.to_str().unwrap(),
            "--junit",
            junit_path.to_str().unwrap(),
        ],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", common::describe(&out));
    assert!(stdout(&out).starts_with("contract suite against mock (in-process): actions 2,"));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(report["passed"], true);
    assert_eq!(report["violations"], json!([]));
    assert_eq!(report["counts"]["actions"], 2);
    let junit = std::fs::read_to_string(&junit_path).unwrap();
    assert!(junit.contains(
        r#"<testcase name="GetOrganization positive.tc3" classname="2018-12-25.GetOrganization""#
    ));
    assert!(junit.contains(r#"failures="0""#));
}

#[test]
fn usage_and_connection_errors_exit_2() {
    let out = harness(command_line("contract --actions NoSuchAction", &[]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown action \"NoSuchAction\""));

    let out = harness(command_line("contract --endpoint http://127.0.0.1:9", &[]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs credentials"),
        "{}",
        stderr(&out)
    );

    let out = harness(command_line(
        "contract --endpoint http://127.0.0.1:9 --secret-id a --secret-key b",
        &[],
    ));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot reach the endpoint"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);

    let out = harness(command_line("contract --compare-mock", &[]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--compare-mock needs an endpoint"));
}

#[tokio::test(flavor = "multi_thread")]
async fn violations_exit_1_and_a_read_only_run_skips_mutations() {
    let server = MockServer::start().await;
    // Accepts everything with the same answer: every refusal the contract asks for is missing.
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"Response": {"RequestId": "6f1c1b2a-0d7e-4b8a-9c3d-2e5f6a7b8c9d"}}),
        ))
        .mount(&server)
        .await;
    let json_path = scratch("violations.json");
    let uri = server.uri();
    let json_arg = json_path.to_str().unwrap().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        harness(command_line(
            "contract --endpoint",
            &[
                &uri,
                "--secret-id",
                "AKIDx",
                "--secret-key",
                "k",
                "--version",
                "2018-12-25",
                "--actions",
                "GetOrganization,CreateOrganization",
                "--no-rate-limit",
                "--json",
                &json_arg,
            ],
        ))
    })
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(report["passed"], false);
    assert_eq!(
        report["skipped"],
        json!([{"action": "CreateOrganization", "version": "2018-12-25",
                "reason": "changes state; read-only run (--allow-mutations runs it)"}])
    );
    let violations = report["violations"].as_array().unwrap();
    assert!(violations
        .iter()
        .all(|v| v["action"] != "CreateOrganization"));
    assert!(violations
        .iter()
        .any(|v| v["check"] == "request-id"
            && v["detail"].as_str().unwrap().contains("already used")));
    assert!(violations.iter().any(|v| v["check"] == "bad-signature.tc3"));
}

#[test]
fn json_to_stdout_keeps_stdout_one_document() {
    let out = harness(command_line(
        "contract --actions GetOrganization,DescribeOrganization --json -",
        &[],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(&out)));
    assert_eq!(report["passed"], true);
    assert!(stderr(&out).starts_with("contract suite against mock (in-process): actions 2,"));

    let out = harness(command_line(
        "contract --actions GetOrganization --junit -",
        &[],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).trim_start().starts_with("<?xml"));
    assert!(stderr(&out).starts_with("contract suite against mock (in-process)"));
}

#[test]
fn production_endpoints_need_allow_production() {
    for host in [
        "https://organization.tencentcloudapi.com",
        "https://Organization.Intl.TencentCloudAPI.com.",
        "https://tencentcloudapi.com",
    ] {
        let out = harness(command_line(
            "contract --endpoint",
            &[host, "--secret-id", "AKIDx", "--secret-key", "k"],
        ));
        assert_eq!(out.status.code(), Some(2), "{host}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("--allow-production"),
            "{}",
            stderr(&out)
        );
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
    // A lookalike is not production: it gets as far as connecting (port 9 refuses).
    let out = harness(command_line("contract --endpoint http://tencentcloudapi.com.localhost:9 --secret-id AKIDx --secret-key k --timeout 2", &[]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !stderr(&out).contains("--allow-production"),
        "{}",
        stderr(&out)
    );
}

/// A server that never answers is named as a timeout, with how long the suite waited; one that
/// answers 50 MB is named as too large, and is not read whole.
#[test]
fn a_silent_or_oversized_endpoint_is_named_for_what_it_is() {
    let cases = [
        (Misbehaviour::Silent, "no answer within 1 s"),
        (Misbehaviour::Huge, "larger than 10 MB"),
    ];
    for (how, named) in cases {
        let url = misbehaving_server(how);
        let out = harness(command_line(
            "contract --endpoint",
            &[
                &url,
                "--timeout",
                "1",
                "--secret-id",
                "AKIDsilent",
                "--secret-key",
                "silent-secret-key",
            ],
        ));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{how:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{how:?}: {err}");
        assert!(err.contains(named), "{how:?}: {err}");
        assert!(!err.contains("error sending request"), "{how:?}: {err}");
        assert!(!err.contains("silent-secret-key"), "{how:?}: {err}");
    }
}
