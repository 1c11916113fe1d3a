//! `tco-harness call` from the outside, against wiremock: the `Response` object on stdout
//! (exit 0), the API's error as `Code: Message (RequestId: ...)` (exit 1), usage and
//! transport failures as one line (exit 2); every request verified by tco-sign.

use crate::common::{self, command_line};

use std::process::Output;

use serde_json::{json, Value};
use tco_client::SystemClock;
use tco_sign::Credentials;
use tco_test_support::Verified;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET_KEY: &str = "cli-call-secret-key-do-not-print";

/// Accepts requests the signing crate's verifier accepts, at the real time.
fn signed() -> Verified {
    let creds = Credentials::new("AKIDclicall", SECRET_KEY).with_token("cli-token");
    Verified::new(vec![creds], SystemClock)
}

async fn server(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(signed())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

async fn tco_harness(args: Vec<String>) -> Output {
    common::harness(args)
        .account("AKIDclicall", SECRET_KEY)
        .env("TENCENTCLOUD_SESSION_TOKEN", "cli-token")
        .home("/nonexistent")
        .output_off_runtime()
        .await
}

fn args(list: &[&str]) -> Vec<String> {
    common::strings(list)
}

/// The contract's example `Response` of an action, with this RequestId.
fn example_response(version: &str, action: &str, request_id: &str) -> Value {
    let action = tco_spec::action(version.parse().unwrap(), action).unwrap();
    let mut response = action.example_response();
    response["RequestId"] = json!(request_id);
    assert!(action.validate_response(&response).is_empty());
    response
}

use common::text;

#[tokio::test]
async fn success_prints_the_response_object_and_exits_0() {
    let response = example_response("2021-03-31", "DescribeOrganizationNodes", "rid-1");
    let server = server(json!({ "Response": response })).await;
    for extra in [
        vec![],
        vec!["--method", "GET"],
        vec!["--sign-method", "HmacSHA256"],
        vec![
            "--sign-method",
            "HmacSHA1",
            "--method",
            "GET",
            "--region",
            "ap-guangzhou",
        ],
    ] {
        let mut a = command_line(
            "call DescribeOrganizationNodes --endpoint",
            &[&server.uri()],
        );
        a.extend(args(&["--params", r#"{"Limit": 10, "Offset": 0}"#]));
        a.extend(args(&extra));
        let out = tco_harness(a).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{extra:?}: {}",
            text(&out.stderr)
        );
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(printed, response);
    }
    // The version defaulted to the newest that has the action.
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers.get("x-tc-version").unwrap(),
        "2021-03-31"
    );
}

#[tokio::test]
async fn params_file_and_explicit_version() {
    let response = example_response("2018-12-25", "AddOrganizationNode", "rid-2");
    let server = server(json!({ "Response": response })).await;
    let scratch = common::Scratch::new();
    let file = scratch.write("params.json", r#"{"ParentNodeId": 1, "Name": "eu"}"#);
    let out = tco_harness(command_line(
        "call AddOrganizationNode --version 2018-12-25 --endpoint",
        &[&server.uri(), "--params-file", file.to_str().unwrap()],
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers.get("x-tc-version").unwrap(),
        "2018-12-25"
    );
    let body: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(body, json!({"ParentNodeId": 1, "Name": "eu"}));
}

#[tokio::test]
async fn api_error_prints_code_message_request_id_and_exits_1() {
    let server = server(json!({"Response": {
        "Error": {"Code": "ResourceNotFound.OrganizationNotExist", "Message": "no organization"},
        "RequestId": "rid-err"
    }}))
    .await;
    let out = tco_harness(command_line(
        "call DescribeOrganization --endpoint",
        &[&server.uri()],
    ))
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "ResourceNotFound.OrganizationNotExist: no organization (RequestId: rid-err)\n"
    );
}

#[tokio::test]
async fn retries_zero_shows_the_throttle_at_once() {
    let server = MockServer::start().await;
    Mock::given(signed())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"Response": {
            "Error": {"Code": "RequestLimitExceeded", "Message": "slow"}, "RequestId": "r"}})),
        )
        .mount(&server)
        .await;
    let out = tco_harness(command_line(
        "call DescribeOrganization --endpoint",
        &[&server.uri(), "--retries", "0"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("RequestLimitExceeded: slow"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn usage_and_transport_errors_are_one_line_exit_2_and_never_show_the_key() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let endpoint = format!("http://127.0.0.1:{closed}");
    for a in [
        command_line("call NoSuchAction", &[]),
        command_line("call DescribeOrganization --version 1999-01-01", &[]),
        command_line("call DescribeOrganization --params", &["{not json"]),
        command_line("call DescribeOrganization --params", &["[1]"]),
        command_line("call CreateOrganization --params", &[r#"{"OrgType": "x"}"#]),
        command_line("call DescribeOrganization --method PUT", &[]),
        command_line("call DescribeOrganization --sign-method MD5", &[]),
        command_line("call DescribeOrganization --endpoint ftp://x", &[]),
        command_line(
            "call DescribeOrganization --endpoint",
            &[&endpoint, "--retries", "0"],
        ),
    ] {
        let out = tco_harness(a.clone()).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{a:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{a:?}: {err}");
        assert!(err.starts_with("tco-harness: "), "{a:?}: {err}");
        assert!(!err.contains(SECRET_KEY));
    }
}

#[tokio::test]
async fn missing_credentials_exit_2() {
    let out = tokio::task::spawn_blocking(|| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tco-harness"))
            .args(command_line(
                "call DescribeOrganization --endpoint http://127.0.0.1:9",
                &[],
            ))
            .env_remove("TENCENTCLOUD_SECRET_ID")
            .env_remove("TENCENTCLOUD_SECRET_KEY")
            .env("HOME", "/nonexistent")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no usable credentials"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn a_response_that_breaks_the_contract_exits_1_unless_skip_validation() {
    let bad = server(json!({"Response": {"NickName": "x", "RequestId": "rid-bad"}})).await;
    let call = |extra: &[&str]| {
        let mut a = command_line("call DescribeOrganization --endpoint", &[&bad.uri()]);
        a.extend(args(extra));
        tco_harness(a)
    };
    let out = call(&[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("tco-harness: contract violation: $.OrgId: missing required member; "),
        "{stderr}"
    );
    assert!(stderr.contains("RequestId: rid-bad"), "{stderr}");
    assert!(stderr.contains("--skip-validation"), "{stderr}");

    // --skip-validation prints what came back.
    let out = call(&["--skip-validation"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, json!({"NickName": "x", "RequestId": "rid-bad"}));

    // A Response that keeps the contract passes.
    let response = example_response("2021-03-31", "DescribeOrganization", "rid-good");
    let good = server(json!({ "Response": response })).await;
    let out = tco_harness(command_line(
        "call DescribeOrganization --endpoint",
        &[&good.uri()],
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// An answer of 50 MB is refused at the client's cap and named in one line.
#[tokio::test]
async fn an_oversized_answer_is_one_line_naming_the_cap() {
    let url = common::misbehaving_server(common::Misbehaviour::Huge);
    let out = tco_harness(command_line(
        "call DescribeOrganization --endpoint",
        &[&url, "--retries", "0"],
    ))
    .await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("larger than 10 MB"), "{err}");
}
