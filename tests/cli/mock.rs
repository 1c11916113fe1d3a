//! `tco-harness mock` as a process: the announced line, the environment's credentials, a clean
//! exit on SIGTERM and SIGINT, and one-line refusals of bad configuration.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use tco_sign::{build, Credentials, KeyCache, RequestSpec};

const SECRET_ID: &str = "AKIDclimocktest0000000000000000000000";
const SECRET_KEY: &str = "cli-mock-secret-key";

/// Starts the mock on a free port; returns the child and its base URL.
fn start_mock(extra: &[&str]) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tco-harness"));
    command
        .args(["mock", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("TENCENTCLOUD_SECRET_ID", SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", SECRET_KEY);
    start(command)
}

/// Spawns a `mock` command and reads the announced URL.
fn start(mut command: Command) -> (Child, String) {
    let mut child = command
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

/// The error code of a call signed with `creds`, or "OK".
async fn code(url: &str, creds: &Credentials) -> String {
    let answer = describe(url, creds).await;
    answer["Response"]["Error"]["Code"]
        .as_str()
        .unwrap_or("OK")
        .to_string()
}

async fn describe(url: &str, creds: &Credentials) -> Value {
    let host = url.trim_start_matches("http://");
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let params = json!({"OrgType": 1});
    let spec = RequestSpec::new(
        host,
        "organization",
        "CreateOrganization",
        "2018-12-25",
        &params,
        timestamp,
    )
    .with_nonce(1)
    .with_request_client("cli-mock-test");
    let signed = build(&spec, creds, &KeyCache::default());
    let request = tco_client::transport::request(&reqwest::Client::new(), url, signed);
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

/// A config file in a fresh temporary directory.
fn config_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tco-cli-mock-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mock.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_config_parse_error_never_prints_the_secret_on_its_line() {
    let secret = "s3cr3t-key-on-a-broken-line";
    let path = config_file(
        "secret-line",
        &format!(
            "[[accounts]]\nuin = 100000000002\nsecret_id = \"AKIDx\"\nsecret_key = \"{secret}\" x\n[admin]\ntoken = \"admin-{secret}\"\n"
        ),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_tco-harness"))
        .args(["mock", "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
    assert!(err.contains("line 4"), "{err}");
    assert!(!err.contains(secret), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(secret));
}

const DECLARED: &str = "[[accounts]]\nuin = 100000000002\nsecret_id = \"AKIDdeclaredAccount\"\nsecret_key = \"declared-key\"\n";

fn builtin() -> Credentials {
    Credentials::new(
        "AKIDMockDefaultAccount00000000000000",
        "tco-harness-mock-default-secret-key",
    )
}

#[tokio::test]
async fn declared_accounts_turn_the_builtin_account_off_but_keep_the_environment_one() {
    let declared = Credentials::new("AKIDdeclaredAccount", "declared-key");
    let path = config_file("declared", DECLARED);
    let (child, url) = start_mock(&["--config", path.to_str().unwrap()]);
    assert_eq!(code(&url, &declared).await, "OK");
    assert_eq!(
        code(&url, &Credentials::new(SECRET_ID, SECRET_KEY)).await,
        "OK"
    );
    assert_eq!(code(&url, &builtin()).await, "AuthFailure.SecretIdNotFound");
    assert_eq!(stop(child, "TERM"), 0);

    // Without the environment's credentials: only the declared account, unless asked for.
    for (text, builtin_code) in [
        (DECLARED.to_string(), "AuthFailure.SecretIdNotFound"),
        (format!("builtin_account = true\n{DECLARED}"), "OK"),
    ] {
        let path = config_file("no-env", &text);
        let mut command = Command::new(env!("CARGO_BIN_EXE_tco-harness"));
        command
            .args(["mock", "--listen", "127.0.0.1:0", "--config"])
            .arg(&path)
            .env_remove("TENCENTCLOUD_SECRET_ID")
            .env_remove("TENCENTCLOUD_SECRET_KEY");
        let (child, url) = start(command);
        assert_eq!(code(&url, &declared).await, "OK", "{text}");
        assert_eq!(code(&url, &builtin()).await, builtin_code, "{text}");
        assert_eq!(stop(child, "TERM"), 0);
    }
}

#[tokio::test]
async fn listen_takes_a_host_name() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tco-harness"));
    command
        .args(["mock", "--listen", "localhost:0"])
        .env("TENCENTCLOUD_SECRET_ID", SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", SECRET_KEY);
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| {
            let _ = child.kill();
            panic!("unexpected first line {line:?}")
        });
    assert!(!url.ends_with(":0"), "{url}");
    assert_eq!(
        code(url, &Credentials::new(SECRET_ID, SECRET_KEY)).await,
        "OK"
    );
    assert_eq!(stop(child, "TERM"), 0);
}

/// The issue's attack, scaled to a mock with 128 file descriptors: many connections that
/// send nothing. The mock must keep serving a normal client while they are open (the header
/// timeout is set far beyond the test, so it is not what frees the descriptors).
#[tokio::test]
async fn a_mock_out_of_file_descriptors_still_serves_a_normal_client() {
    let config = config_file("fds", "header_timeout_ms = 600000\n");
    let mut command = Command::new("sh");
    command
        .args([
            "-c",
            "ulimit -n 128 && exec \"$0\" mock --listen 127.0.0.1:0 --config \"$1\"",
        ])
        .arg(env!("CARGO_BIN_EXE_tco-harness"))
        .arg(&config)
        .env("TENCENTCLOUD_SECRET_ID", SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", SECRET_KEY);
    let (child, url) = start(command);
    let address = url.trim_start_matches("http://").to_string();
    let mut silent = Vec::new();
    for _ in 0..400 {
        match tokio::net::TcpStream::connect(&address).await {
            Ok(stream) => silent.push(stream),
            // The backlog is full: the attack is as big as this machine lets it be.
            Err(_) => break,
        }
    }
    assert!(
        silent.len() > 200,
        "only {} connections opened",
        silent.len()
    );
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        code(&url, &Credentials::new(SECRET_ID, SECRET_KEY)),
    )
    .await
    .expect("the mock answers while the silent connections are open");
    assert_eq!(answer, "OK");
    drop(silent);
    assert_eq!(stop(child, "TERM"), 0);
}

/// The error code of a TC3 call signed as the Node.js SDK signs it for the endpoint
/// `127.0.0.1:PORT`: the scope's service `127`, the signed host without the port.
async fn node_sdk_code(url: &str) -> String {
    let host = url.trim_start_matches("http://");
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let body = r#"{"OrgType":1}"#;
    let input = tco_sign::tc3::CanonicalInput {
        method: "POST",
        path: "/",
        query: "",
        headers: &[("content-type", "application/json"), ("host", "127.0.0.1")],
        payload: tco_sign::tc3::Payload::Bytes(body.as_bytes()),
        value_case: tco_sign::tc3::ValueCase::AsSent,
    };
    let signature = tco_sign::tc3::sign(&input, timestamp, "127", SECRET_ID, SECRET_KEY);
    let answer: Value = reqwest::Client::new()
        .post(format!("{url}/"))
        .header("Host", host)
        .header("Content-Type", "application/json")
        .header("X-TC-Action", "CreateOrganization")
        .header("X-TC-Version", "2018-12-25")
        .header("X-TC-Timestamp", timestamp.to_string())
        .header("Authorization", signature.authorization)
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["Response"]["Error"]["Code"]
        .as_str()
        .unwrap_or("OK")
        .to_string()
}

#[tokio::test]
async fn strict_signatures_refuses_the_node_sdk_form_that_is_accepted_by_default() {
    let (child, url) = start_mock(&[]);
    let lenient = node_sdk_code(&url).await;
    assert_eq!(stop(child, "TERM"), 0);
    assert_eq!(lenient, "OK");
    let (child, url) = start_mock(&["--strict-signatures"]);
    let strict = node_sdk_code(&url).await;
    assert_eq!(stop(child, "TERM"), 0);
    assert_eq!(strict, "AuthFailure.SignatureFailure");
}

/// Starts the mock with `RUST_LOG` set to `rust_log` (or unset), serves one call of the
/// environment's account, stops it, and returns what it wrote on stderr.
async fn stderr_of_one_call(rust_log: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tco-harness"));
    command
        .args(["mock", "--listen", "127.0.0.1:0"])
        .env("TENCENTCLOUD_SECRET_ID", SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", SECRET_KEY);
    match rust_log {
        Some(filter) => command.env("RUST_LOG", filter),
        None => command.env_remove("RUST_LOG"),
    };
    let (mut child, url) = start(command);
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let ok = describe(&url, &Credentials::new(SECRET_ID, SECRET_KEY)).await;
    assert!(ok["Response"]["OrgId"].is_u64(), "{ok}");
    assert_eq!(stop(child, "TERM"), 0);
    let mut log = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut log).unwrap();
    log
}

/// `RUST_LOG=debug` shows the mock's event for each request it answers (on stderr, where the
/// announced line on stdout is not disturbed), and never the secret key or the signature.
#[tokio::test]
async fn rust_log_shows_each_request_and_no_secret() {
    let log = stderr_of_one_call(Some("debug")).await;
    let event = log
        .lines()
        .find(|line| line.contains("CreateOrganization"))
        .unwrap_or_else(|| panic!("no request event in {log:?}"));
    assert!(event.contains("DEBUG"), "{event}");
    assert!(
        event.contains("2018-12-25") && event.contains("OK"),
        "{event}"
    );
    assert!(!log.contains(SECRET_KEY), "the secret key in {log:?}");
    assert!(!log.contains("Signature="), "the signature in {log:?}");
}

/// Without RUST_LOG the mock says nothing on stderr: scripts read its output as before.
#[tokio::test]
async fn without_rust_log_stderr_stays_empty() {
    assert_eq!(stderr_of_one_call(None).await, "");
}
