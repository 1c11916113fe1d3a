//! `tco-harness run` against an endpoint: before it starts it says, in one line on stderr, how
//! much traffic it will send; while it runs it shows its progress on stderr.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn announces_its_traffic_then_shows_progress() {
    let mock = tco_mock::MockServer::start().await;
    let creds = mock.default_credentials();
    // The load scenarios need an organization: the precondition is met.
    let client = tco_client::Client::builder()
        .endpoint(mock.uri())
        .credentials(creds.clone())
        .build()
        .unwrap();
    client
        .call_json(
            tco_client::Version::V2021_03_31,
            "CreateOrganization",
            json!({}),
        )
        .await
        .unwrap();
    let dir = std::env::temp_dir().join(format!("tco-cli-run-{}", std::process::id()));
    let uri = mock.uri();
    let (first, progress) = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tco-harness"))
            .args([
                "run",
                "--endpoint",
                &uri,
                "--progress",
                "always",
                "--report-dir",
            ])
            .arg(&dir)
            .env("TENCENTCLOUD_SECRET_ID", creds.secret_id())
            .env("TENCENTCLOUD_SECRET_KEY", creds.secret_key())
            .env("HOME", "/nonexistent")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        // Read until the suite reports probed actions, then stop the run: the rest is the
        // same as any other run.
        let progress: Vec<String> = lines
            .map_while(Result::ok)
            .take_while(|l| !l.contains("actions probed, "))
            .take(200)
            .collect();
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(&dir);
        (first, progress)
    })
    .await
    .unwrap();
    assert!(
        first.starts_with(&format!(
            "tco-harness: this run sends {} about ",
            mock.uri()
        )),
        "{first}"
    );
    for part in [
        "the contract suite",
        "/s)",
        "the rate-limit scenarios 2040 calls",
        "at most 180 in one second",
    ] {
        assert!(first.contains(part), "{part}: {first}");
    }
    assert!(
        progress
            .iter()
            .any(|l| l == "contract: unknown-action probes"),
        "{progress:?}"
    );
    assert!(
        progress
            .iter()
            .any(|l| l.starts_with("contract: 0/") && l.ends_with(" actions probed")),
        "{progress:?}"
    );
}
