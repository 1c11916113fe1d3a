//! `tco-harness mock` as a process: the announced line, the environment's credentials, a clean
//! exit on SIGTERM and SIGINT, and one-line refusals of bad configuration.

use serde_json::{json, Value};
use tco_sign::Credentials;

use crate::common::{harness, one_line_usage_error, signed_call, text, MockProcess, Scratch};

const SECRET_ID: &str = "AKIDclimocktest0000000000000000000000";
const SECRET_KEY: &str = "cli-mock-secret-key";

/// `tco-harness mock` on a free loopback port, as the environment's account.
fn mock_command(extra: &[&str]) -> crate::common::Cli {
    harness(["mock", "--listen", "127.0.0.1:0"])
        .args(extra)
        .account(SECRET_ID, SECRET_KEY)
}

/// Starts the mock on a free port; it announced a loopback URL with the port it took.
fn start_mock(extra: &[&str]) -> MockProcess {
    checked(mock_command(extra).start_mock())
}

fn checked(mock: MockProcess) -> MockProcess {
    let url = mock.url();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    mock
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
    let params = json!({"OrgType": 1});
    let (version, action) = ("2018-12-25", "CreateOrganization");
    signed_call(url, creds, version, action, &params, "cli-mock-test").await
}

#[tokio::test]
async fn serves_the_environment_account_and_exits_0_on_sigterm() {
    let mut mock = start_mock(&[]);
    let url = mock.url().to_owned();
    let ok = describe(&url, &Credentials::new(SECRET_ID, SECRET_KEY)).await;
    assert!(ok["Response"]["OrgId"].is_u64(), "{ok}");
    let refused = describe(&url, &Credentials::new(SECRET_ID, "another-key")).await;
    assert_eq!(
        refused["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );
    assert_eq!(mock.signal("TERM"), Some(0));
}

#[tokio::test]
async fn exits_0_on_sigint() {
    let mut mock = start_mock(&[]);
    assert_eq!(mock.signal("INT"), Some(0));
}

#[test]
fn bad_config_is_one_line_and_exit_2() {
    let scratch = Scratch::new();
    let bad = scratch.write("bad.toml", "[rate_limits]\ndefault = \"many\"\n");
    for args in [
        vec!["mock", "--config", bad.to_str().unwrap()],
        vec!["mock", "--config", "/nonexistent/mock.toml"],
        vec!["mock", "--listen", "not-an-address"],
    ] {
        one_line_usage_error(&harness(&args).output());
    }
}

#[test]
fn a_config_parse_error_never_prints_the_secret_on_its_line() {
    let secret = "s3cr3t-key-on-a-broken-line";
    let scratch = Scratch::new();
    let path = scratch.write(
        "mock.toml",
        format!(
            "[[accounts]]\nuin = 100000000002\nsecret_id = \"AKIDx\"\nsecret_key = \"{secret}\" x\n[admin]\ntoken = \"admin-{secret}\"\n"
        ),
    );
    let out = harness(["mock", "--config", path.to_str().unwrap()]).output();
    let err = one_line_usage_error(&out);
    assert!(err.contains("line 4"), "{err}");
    assert!(!err.contains(secret), "{err}");
    assert!(!text(&out.stdout).contains(secret));
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
    let scratch = Scratch::new();
    let path = scratch.write("declared.toml", DECLARED);
    let mut mock = start_mock(&["--config", path.to_str().unwrap()]);
    let url = mock.url().to_owned();
    assert_eq!(code(&url, &declared).await, "OK");
    assert_eq!(
        code(&url, &Credentials::new(SECRET_ID, SECRET_KEY)).await,
        "OK"
    );
    assert_eq!(code(&url, &builtin()).await, "AuthFailure.SecretIdNotFound");
    assert_eq!(mock.signal("TERM"), Some(0));

    // Without the environment's credentials: only the declared account, unless asked for.
    for (text, builtin_code) in [
        (DECLARED.to_string(), "AuthFailure.SecretIdNotFound"),
        (format!("builtin_account = true\n{DECLARED}"), "OK"),
    ] {
        let path = scratch.write("no-env.toml", &text);
        let mut mock = checked(
            harness(["mock", "--listen", "127.0.0.1:0", "--config"])
                .args([&path])
                .start_mock(),
        );
        let url = mock.url().to_owned();
        assert_eq!(code(&url, &declared).await, "OK", "{text}");
        assert_eq!(code(&url, &builtin()).await, builtin_code, "{text}");
        assert_eq!(mock.signal("TERM"), Some(0));
    }
}

#[tokio::test]
async fn listen_takes_a_host_name() {
    let mut mock = harness(["mock", "--listen", "localhost:0"])
        .account(SECRET_ID, SECRET_KEY)
        .start_mock();
    let url = mock.url().to_owned();
    assert!(!url.ends_with(":0"), "{url}");
    assert_eq!(
        code(&url, &Credentials::new(SECRET_ID, SECRET_KEY)).await,
        "OK"
    );
    assert_eq!(mock.signal("TERM"), Some(0));
}

/// The issue's attack, scaled to a mock with 128 file descriptors: many connections that
/// send nothing. The mock must keep serving a normal client while they are open (the header
/// timeout is set far beyond the test, so it is not what frees the descriptors).
#[tokio::test]
async fn a_mock_out_of_file_descriptors_still_serves_a_normal_client() {
    let scratch = Scratch::new();
    let config = scratch.write("mock.toml", "header_timeout_ms = 600000\n");
    let shell = "ulimit -n 128 && exec \"$0\" mock --listen 127.0.0.1:0 --config \"$1\"";
    let mut mock = checked(
        crate::common::Cli::new("sh", ["-c", shell])
            .args([env!("CARGO_BIN_EXE_tco-harness")])
            .args([&config])
            .account(SECRET_ID, SECRET_KEY)
            .start_mock(),
    );
    let url = mock.url().to_owned();
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
    assert_eq!(mock.signal("TERM"), Some(0));
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
    let mut mock = start_mock(&[]);
    let lenient = node_sdk_code(mock.url()).await;
    assert_eq!(mock.signal("TERM"), Some(0));
    assert_eq!(lenient, "OK");
    let mut mock = start_mock(&["--strict-signatures"]);
    let strict = node_sdk_code(mock.url()).await;
    assert_eq!(mock.signal("TERM"), Some(0));
    assert_eq!(strict, "AuthFailure.SignatureFailure");
}

/// Starts the mock with `RUST_LOG` set to `rust_log` (or unset), serves one call of the
/// environment's account, stops it, and returns what it wrote on stderr.
async fn stderr_of_one_call(rust_log: Option<&str>) -> String {
    let command = match rust_log {
        Some(filter) => mock_command(&[]).env("RUST_LOG", filter),
        None => mock_command(&[]).env_remove("RUST_LOG"),
    };
    let mut mock = checked(command.start_mock());
    let mut stderr = mock.child_mut().stderr.take().expect("stderr is piped");
    let ok = describe(mock.url(), &Credentials::new(SECRET_ID, SECRET_KEY)).await;
    assert!(ok["Response"]["OrgId"].is_u64(), "{ok}");
    assert_eq!(mock.signal("TERM"), Some(0));
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
