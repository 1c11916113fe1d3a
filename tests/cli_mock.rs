//! `tco-harness mock` as a process: the announced line, the environment's credentials, a clean
//! exit on SIGTERM and SIGINT, and one-line refusals of bad configuration.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use tco_sign::{build, Credentials, HttpMethod, KeyCache, RequestSpec, SignMethod};

const SECRET_ID: &str = "AKIDclimocktest0000000000000000000000";
const SECRET_KEY: &str = "cli-mock-secret-key";

/// Starts the mock on a free port; returns the child and its base URL.
fn start_mock(extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tco-harness"))
        .args(["mock", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("TENCENTCLOUD_SECRET_ID", SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", SECRET_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .expect("one line on stdout");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    (child, url)
}

async fn describe(url: &str, creds: &Credentials) -> Value {
    let host = url.trim_start_matches("http://");
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let params = json!({"OrgType": 1});
    let spec = RequestSpec {
        sign_method: SignMethod::Tc3HmacSha256,
        http_method: HttpMethod::Post,
        host,
        service: "organization",
        action: "CreateOrganization",
        version: "2018-12-25",
        region: None,
        language: None,
        timestamp,
        nonce: 1,
        unsigned_payload: false,
        request_client: "cli-mock-test",
        params: &params,
    };
    let signed = build(&spec, creds, &KeyCache::default());
    let mut request = reqwest::Client::new()
        .post(format!("{url}/"))
        .body(signed.body.clone());
    for (name, value) in &signed.headers {
        if name != "Host" {
            request = request.header(name, value);
        }
    }
    request.send().await.unwrap().json().await.unwrap()
}

fn stop(mut child: Child, signal: &str) -> i32 {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    child.wait().expect("the mock exits").code().unwrap_or(-1)
}

#[tokio::test]
async fn serves_the_environment_account_and_exits_0_on_sigterm() {
    let (child, url) = start_mock(&[]);
    let ok = describe(&url, &Credentials::new(SECRET_ID, SECRET_KEY)).await;
    assert!(ok["Response"]["OrgId"].is_u64(), "{ok}");
    let refused = describe(&url, &Credentials::new(SECRET_ID, "another-key")).await;
    assert_eq!(
        refused["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );
    assert_eq!(stop(child, "TERM"), 0);
}

#[tokio::test]
async fn exits_0_on_sigint() {
    let (child, _url) = start_mock(&[]);
    assert_eq!(stop(child, "INT"), 0);
}

#[test]
fn bad_config_is_one_line_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("tco-cli-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[rate_limits]\ndefault = \"many\"\n").unwrap();
    for args in [
        vec!["mock", "--config", bad.to_str().unwrap()],
        vec!["mock", "--config", "/nonexistent/mock.toml"],
        vec!["mock", "--listen", "not-an-address"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_tco-harness"))
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err:?}");
    }
}
