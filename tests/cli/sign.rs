//! `tco-harness sign` from the outside: its output against the official SDK's requests, and
//! its refusals (one line, exit status 2, no secret).

use crate::common;

use std::process::Output;

use serde_json::Value;

const SECRET_KEY: &str = "cli-test-secret-key-do-not-print";

fn tco_harness(args: &[&str]) -> Output {
    common::harness(args)
        .account("AKIDclitest", SECRET_KEY)
        .output()
}

fn stderr(out: &Output) -> String {
    common::text(&out.stderr)
}

/// Runs one corpus case through the CLI and returns (CLI output, SDK expectation).
fn run_corpus_case(case: &Value) -> (Value, Value) {
    let s = |k: &str| case[k].as_str().map(str::to_string);
    let params = case["params"].to_string();
    let endpoint = format!("http://{}", s("host").unwrap());
    let timestamp = case["timestamp"].to_string();
    let nonce = case["nonce"].as_u64().unwrap_or(1).to_string();
    let mut args = vec![
        "sign".to_string(),
        "--skip-validation".into(),
        "--action".into(),
        s("action").unwrap(),
        "--version".into(),
        s("version").unwrap(),
        "--params".into(),
        params,
        "--endpoint".into(),
        endpoint,
        "--method".into(),
        s("http_method").unwrap(),
        "--sign-method".into(),
        s("sign_method").unwrap(),
        "--timestamp".into(),
        timestamp,
        "--nonce".into(),
        nonce,
        "--request-client".into(),
        s("request_client").unwrap(),
        "--secret-id".into(),
        s("secret_id").unwrap(),
        "--secret-key".into(),
        s("secret_key").unwrap(),
    ];
    for (flag, key) in [
        ("--region", "region"),
        ("--language", "language"),
        ("--token", "token"),
    ] {
        if let Some(v) = s(key) {
            args.push(flag.into());
            args.push(v);
        }
    }
    if case["unsigned_payload"] == Value::Bool(true) {
        args.push("--unsigned-payload".into());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = tco_harness(&refs);
    assert!(out.status.success(), "{}: {}", case["id"], stderr(&out));
    let printed: Value = serde_json::from_slice(&out.stdout).expect("sign prints JSON");
    (printed, case["expected"].clone())
}

#[test]
fn sign_reproduces_sdk_requests_from_the_outside() {
    let corpus: Value = serde_json::from_str(&common::read_test_file(
        "../crates/sign/tests/data/signing-corpus.json",
    ))
    .unwrap();
    let cases = corpus["cases"].as_array().unwrap();
    // A spread of cases: every sign method, both HTTP methods, tokens, hosts with ports.
    for case in cases.iter().step_by(37) {
        let (printed, expected) = run_corpus_case(case);
        let id = &case["id"];
        assert_eq!(printed["method"], expected["method"], "{id}");
        assert_eq!(printed["headers"], expected["headers"], "{id}");
        assert_eq!(printed["body"], expected["body"], "{id}");
        let url = printed["url"].as_str().unwrap();
        let path = &url[url.find("://").unwrap() + 3..];
        let path = &path[path.find('/').unwrap()..];
        assert_eq!(
            path,
            expected["url_path_and_query"].as_str().unwrap(),
            "{id}"
        );
    }
}

#[test]
fn sign_prints_method_url_headers_body() {
    let out = tco_harness(&[
        "sign",
        "--action",
        "CreateOrganization",
        "--version",
        "2018-12-25",
        "--params",
        r#"{"OrgType":1}"#,
        "--endpoint",
        "http://127.0.0.1:9000",
        "--timestamp",
        "1551113065",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["method"], "POST");
    assert_eq!(printed["url"], "http://127.0.0.1:9000/");
    assert_eq!(printed["headers"]["Host"], "127.0.0.1:9000");
    assert_eq!(printed["headers"]["X-TC-Version"], "2018-12-25");
    assert_eq!(printed["body"], r#"{"OrgType": 1}"#);
    let auth = printed["headers"]["Authorization"].as_str().unwrap();
    assert!(auth.starts_with("TC3-HMAC-SHA256 Credential=AKIDclitest/2019-02-25/organization/tc3_request, SignedHeaders=content-type;host, Signature="));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(SECRET_KEY));
}

#[test]
fn version_defaults_to_the_newest_that_has_the_action() {
    let out = tco_harness(&[
        "sign",
        "--action",
        "DescribeOrganization",
        "--timestamp",
        "1",
    ]);
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["headers"]["X-TC-Version"], "2021-03-31");
    // An action only the old version has.
    let out = tco_harness(&[
        "sign",
        "--action",
        "ListOrganizationInvitations",
        "--params",
        r#"{"Invited":1,"Offset":0,"Limit":10}"#,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["headers"]["X-TC-Version"], "2018-12-25");
}

#[test]
fn bad_input_is_one_line_and_exit_2_without_secrets() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "sign",
                "--action",
                "NoSuchAction",
                "--version",
                "2018-12-25",
            ],
            "unknown action \"NoSuchAction\" for version 2018-12-25",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--version",
                "2019-01-01",
            ],
            "unknown API version",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--version",
                "2018-12-25",
                "--params",
                r#"{"OrgType":"one"}"#,
            ],
            "$.OrgType: expected uint64, found string",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--version",
                "2018-12-25",
                "--params",
                r#"{"Bogus":1}"#,
            ],
            "$.Bogus: unknown member",
        ),
        (
            &[
                "sign",
                "--action",
                "AddOrganizationNode",
                "--version",
                "2018-12-25",
                "--params",
                "{}",
            ],
            "$.ParentNodeId: missing required member",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--params",
                "{not json",
            ],
            "--params is not valid JSON",
        ),
        (
            &["sign", "--action", "CreateOrganization", "--params", "[1]"],
            "--params must be a JSON object",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--sign-method",
                "MD5",
            ],
            "unknown sign method",
        ),
        (
            &["sign", "--action", "CreateOrganization", "--method", "PUT"],
            "unsupported HTTP method",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--endpoint",
                "not a url",
            ],
            "is not a URL",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--endpoint",
                "ftp://x",
            ],
            "must be http or https",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--sign-method",
                "HmacSHA1",
                "--unsigned-payload",
            ],
            "TC3-HMAC-SHA256 only",
        ),
        (&["sign", "--no-such-flag"], "unexpected argument"),
        (&["sign"], "not provided: --action <ACTION>"),
        (&[], "a subcommand is required"),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--language",
                "fr-FR",
            ],
            "--language \"fr-FR\" is not supported",
        ),
        (
            &["sign", "--action", "CreateOrganization", "--timestamp=-5"],
            "--timestamp -5 is not a Unix time",
        ),
        (
            &[
                "sign",
                "--action",
                "CreateOrganization",
                "--timestamp",
                "99999999999999",
            ],
            "is not a Unix time",
        ),
    ];
    for (args, needle) in cases {
        let out = tco_harness(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {err:?}"
        );
        assert!(
            err.contains(needle),
            "{args:?}: {err:?} should mention {needle:?}"
        );
        assert!(
            !err.contains(SECRET_KEY) && out.stdout.is_empty(),
            "{args:?}"
        );
    }
}

#[test]
fn empty_region_and_language_are_left_out_as_the_sdk_does() {
    let out = tco_harness(&[
        "sign",
        "--action",
        "DescribeOrganization",
        "--region",
        "",
        "--timestamp",
        "1",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(printed["headers"].get("X-TC-Region").is_none(), "{printed}");
    let out = tco_harness(&[
        "sign",
        "--action",
        "DescribeOrganization",
        "--sign-method",
        "HmacSHA1",
        "--region",
        "",
        "--timestamp",
        "1",
    ]);
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !printed["url"].as_str().unwrap().contains("Region="),
        "{printed}"
    );
}

#[test]
fn missing_credentials_is_a_usage_error() {
    // No account in the environment: the CLI runner removes it.
    let out = common::harness(["sign", "--action", "CreateOrganization"]).output();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no credentials"));
}
