//! Staging-grade connections: an HTTPS endpoint whose certificate a private authority signed
//! (made here with rcgen), reached by `call`, `contract`, `load rate-limit` and `run` when given
//! that authority (`--ca-cert`, or `ca_cert` in the credentials file), and refused in one
//! line without it. Proxies from the environment are honoured, except for loopback endpoints.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::tls::{front, TlsFront};
use crate::common::{self, text, Scratch};
use tco_mock::MockServer;

/// A proxy that nothing listens on: a request sent through it fails.
const DEAD_PROXY: &str = "http://127.0.0.1:1";

fn harness(args: &[&str], creds: &tco_client::Credentials, home: &Path) -> Command {
    common::harness(args)
        .account(creds.secret_id(), creds.secret_key())
        .home(home)
        // Loopback endpoints never go through a proxy: these would break every call if they did.
        .env("HTTPS_PROXY", DEAD_PROXY)
        .env("HTTP_PROXY", DEAD_PROXY)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .into_command()
}

/// The mock behind a TLS front, with an organization (what the load runs need), and the
/// front's CA written to `dir/ca.pem`.
async fn tls_mock(dir: &Path) -> (MockServer, TlsFront, PathBuf) {
    let mock = MockServer::start().await;
    common::create_organization(&mock.uri(), &mock.default_credentials()).await;
    let tls = front(&mock.uri()).await;
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &tls.ca_pem).unwrap();
    (mock, tls, ca)
}

async fn output(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// The one-line refusal every command gives without the CA, and its exit status (2: the
/// command could not run as asked).
fn assert_untrusted(out: &Output, endpoint: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("tco-harness: "), "{stderr}");
    assert!(stderr.contains(endpoint), "{stderr}");
    assert!(
        stderr.contains("certificate is not trusted"),
        "names the certificate: {stderr}"
    );
    assert!(stderr.contains("--ca-cert"), "names the remedy: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn call_over_tls_with_and_without_the_ca() {
    let scratch = Scratch::new();
    let dir = scratch.path();
    let (mock, tls, ca) = tls_mock(dir).await;
    let creds = mock.default_credentials();
    let ca = ca.to_str().unwrap();
    let args = ["call", "DescribeOrganization", "--endpoint", &tls.uri];

    let mut with_ca = harness(&args, &creds, dir);
    with_ca.args(["--ca-cert", ca]);
    let out = output(with_ca).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(response["OrgId"].is_u64(), "{response}");

    let out = output(harness(&args, &creds, dir)).await;
    assert_untrusted(&out, &tls.uri);
}

/// `ca_cert` in the section `--profile` names (a path relative to the credentials file), with
/// that section's keys: no flag and no environment.
#[tokio::test(flavor = "multi_thread")]
async fn call_reads_the_ca_from_the_profile_section() {
    let scratch = Scratch::new();
    let home = scratch.path();
    let (mock, tls, _) = tls_mock(home).await;
    let creds = mock.default_credentials();
    let files = home.join(".tencentcloud");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("staging-ca.pem"), &tls.ca_pem).unwrap();
    std::fs::write(
        files.join("credentials"),
        format!(
            "[default]\nsecret_id = AKIDnotthisone\nsecret_key = nope\n\n[staging]\nsecret_id = {}\nsecret_key = {}\nca_cert = staging-ca.pem\n",
            creds.secret_id(),
            creds.secret_key()
        ),
    )
    .unwrap();
    let args = ["call", "DescribeOrganization", "--endpoint", &tls.uri];
    let mut command = harness(&args, &creds, home);
    command
        .env_remove("TENCENTCLOUD_SECRET_ID")
        .env_remove("TENCENTCLOUD_SECRET_KEY")
        .args(["--profile", "staging"]);
    let out = output(command).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The [default] section has no ca_cert: the same call is refused.
    let mut command = harness(&args, &creds, home);
    command
        .env_remove("TENCENTCLOUD_SECRET_ID")
        .env_remove("TENCENTCLOUD_SECRET_KEY");
    assert_untrusted(&output(command).await, &tls.uri);
}

#[tokio::test(flavor = "multi_thread")]
async fn contract_over_tls_with_and_without_the_ca() {
    let scratch = Scratch::new();
    let dir = scratch.path();
    let (mock, tls, ca) = tls_mock(dir).await;
    let creds = mock.default_credentials();
    let args = [
        "contract",
        "--endpoint",
        &tls.uri,
        "--actions",
        "DescribeOrganization",
        "--version",
        "2021-03-31",
        "--no-rate-limit",
        "--no-flows",
    ];
    let mut with_ca = harness(&args, &creds, dir);
    with_ca.arg("--ca-cert").arg(&ca);
    let out = output(with_ca).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(mock
        .journal()
        .iter()
        .any(|e| e.action == "DescribeOrganization"));

    let out = output(harness(&args, &creds, dir)).await;
    assert_untrusted(&out, &tls.uri);
}

/// Goose's clients trust the CA too: every call of the run reached the mock through the front.
#[tokio::test(flavor = "multi_thread")]
async fn load_rate_limit_over_tls_with_and_without_the_ca() {
    let scratch = Scratch::new();
    let dir = scratch.path();
    let (mock, tls, ca) = tls_mock(dir).await;
    let creds = mock.default_credentials();
    let reports = dir.join("reports");
    let args = [
        "load",
        "rate-limit",
        "--action",
        "DescribeOrganization",
        "--rate",
        "4",
        "--duration",
        "1s",
        "--endpoint",
        &tls.uri,
    ];
    let before = mock.journal().len();
    let mut with_ca = harness(&args, &creds, dir);
    with_ca
        .arg("--ca-cert")
        .arg(&ca)
        .arg("--report-dir")
        .arg(&reports);
    let out = output(with_ca).await;
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // 4/s against a limit of 40 matches; a busy machine may not offer it (exit 3).
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{stdout}\n{stderr}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("summary.json")).unwrap())
            .unwrap();
    let verdict = &summary["scenarios"][0]["verdicts"][0];
    let calls = verdict["calls"].as_u64().unwrap();
    assert!(calls >= 4, "{verdict:#}");
    assert_eq!(verdict["accepted"].as_u64(), Some(calls), "{verdict:#}");
    // The preconditions' call and every call of the run arrived at the mock.
    assert!(mock.journal().len() - before > calls as usize, "{stdout}");

    let out = output(harness(&args, &creds, dir)).await;
    assert_untrusted(&out, &tls.uri);
}

/// `run` is the contract suite then the conformance set, minutes long: this follows it until
/// both halves have reached the endpoint over TLS (the load half's preconditions answered,
/// then the suite's probes), and stops it there.
#[tokio::test(flavor = "multi_thread")]
async fn run_over_tls_with_and_without_the_ca() {
    let scratch = Scratch::new();
    let dir = scratch.path();
    let (mock, tls, ca) = tls_mock(dir).await;
    let creds = mock.default_credentials();
    let reports = dir.join("reports");
    let mut with_ca = harness(
        &["run", "--endpoint", &tls.uri, "--progress", "always"],
        &creds,
        dir,
    );
    with_ca
        .arg("--ca-cert")
        .arg(&ca)
        .arg("--report-dir")
        .arg(&reports)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let lines = tokio::task::spawn_blocking(move || {
        let mut child = with_ca.spawn().unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut seen = Vec::new();
        for line in lines.by_ref().map_while(Result::ok).take(400) {
            let probed = line
                .strip_prefix("contract: ")
                .and_then(|l| l.split('/').next())
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n > 0);
            seen.push(line);
            if probed {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        seen
    })
    .await
    .unwrap();
    assert!(
        lines[0].starts_with(&format!("tco-harness: this run sends {} about ", tls.uri)),
        "the load half's preconditions were checked over TLS: {lines:?}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("contract: ") && !l.starts_with("contract: 0/")),
        "the suite's probes were answered over TLS: {lines:?}"
    );
    assert!(mock.journal().len() > 2);

    let out = output(harness(&["run", "--endpoint", &tls.uri], &creds, dir)).await;
    assert_untrusted(&out, &tls.uri);
}

/// A CA file that cannot be read, or holds no certificate: one line naming it, exit 2, and no
/// request (the endpoint below would answer anything with a connection error).
#[test]
fn a_bad_ca_file_stops_every_command_before_any_request() {
    let scratch = Scratch::new();
    let dir = scratch.path();
    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "no certificate here\n").unwrap();
    let missing = dir.join("missing.pem");
    let creds = tco_client::Credentials::new("AKIDbadca", "bad-ca-key");
    let endpoint = "https://127.0.0.1:1";
    for file in [&empty, &missing] {
        let file = file.to_str().unwrap();
        for args in [
            vec!["call", "DescribeOrganization", "--endpoint", endpoint],
            vec!["contract", "--endpoint", endpoint],
            vec![
                "load",
                "rate-limit",
                "--action",
                "DescribeOrganization",
                "--rate",
                "1",
                "--duration",
                "1s",
                "--endpoint",
                endpoint,
            ],
            vec!["run", "--endpoint", endpoint],
        ] {
            let mut command = harness(&args, &creds, dir);
            command.args(["--ca-cert", file]);
            let out = command.output().unwrap();
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
            assert!(stderr.contains(file), "{args:?}: {stderr}");
            assert!(!stderr.contains("connect"), "no request: {stderr}");
        }
    }
}

/// Proxies from the environment carry requests to other hosts: a loopback listener set as
/// `HTTP_PROXY` receives the call to `http://api.staging.test`, in the absolute form a proxy
/// is sent.
#[test]
fn proxies_from_the_environment_carry_requests_to_other_hosts() {
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = proxy.local_addr().unwrap();
    let seen = std::thread::spawn(move || {
        let (mut stream, _) = proxy.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // Headers and the JSON body `{}` arrive before the answer is expected.
        while !String::from_utf8_lossy(&request).contains("\r\n\r\n{}") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        let body = r#"{"Response":{"RequestId":"via-proxy"}}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });
    let scratch = Scratch::new();
    let dir = scratch.path();
    let creds = tco_client::Credentials::new("AKIDproxy", "proxy-key");
    let mut command = harness(
        &[
            "call",
            "DescribeOrganization",
            "--endpoint",
            "http://api.staging.test",
            "--skip-validation",
            "--version",
            "2021-03-31",
            "--retries",
            "0",
        ],
        &creds,
        dir,
    );
    command.env("HTTP_PROXY", format!("http://{address}"));
    let out = command.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("via-proxy"),
        "{}",
        text(&out.stdout)
    );
    let request = seen.join().unwrap();
    assert!(
        request.starts_with("POST http://api.staging.test/ HTTP/1.1\r\n"),
        "{request}"
    );
}
