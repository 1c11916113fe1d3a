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

/// The first line of `run --endpoint`'s stderr, the run stopped there: what it will send.
fn announced(mut command: Command) -> String {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .next()
        .and_then(Result::ok)
        .unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    first
}

/// A second account for isolation across accounts (`TENCENTCLOUD_SECOND_SECRET_ID`/`KEY` or
/// `--second-profile NAME`): the plan then loads it too, as it does against the in-process
/// mock (2,280 calls instead of 2,040, the README's numbers); one given wrongly stops the run
/// in one line before any request.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_account_is_loaded_too() {
    let (uin, id, key) = tco_scenarios::conformance::SECOND_ACCOUNT;
    let mock = tco_mock::MockServer::builder()
        .account(tco_mock::config::Account::new(uin, id, key))
        .start()
        .await;
    let first = mock.default_credentials();
    let second = tco_client::Credentials::new(id, key);
    // Both accounts need an organization (the load phase's precondition).
    for creds in [&first, &second] {
        tco_client::Client::builder()
            .endpoint(mock.uri())
            .credentials(creds.clone())
            .build()
            .unwrap()
            .call_json(
                tco_client::Version::V2021_03_31,
                "CreateOrganization",
                json!({}),
            )
            .await
            .unwrap();
    }
    let home = std::env::temp_dir().join(format!("tco-cli-run-second-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
    std::fs::write(
        home.join(".tencentcloud/credentials"),
        format!("[second]\nsecret_id = {id}\nsecret_key = {key}\n"),
    )
    .unwrap();
    let uri = mock.uri();
    let scratch = home.clone();
    let run = move |extra: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tco-harness"));
        command
            .args([
                "run",
                "--endpoint",
                &uri,
                "--progress",
                "never",
                "--report-dir",
            ])
            .arg(home.join("reports"))
            .args(extra)
            .env("TENCENTCLOUD_SECRET_ID", first.secret_id())
            .env("TENCENTCLOUD_SECRET_KEY", first.secret_key())
            .env_remove("TENCENTCLOUD_SECOND_SECRET_ID")
            .env_remove("TENCENTCLOUD_SECOND_SECRET_KEY")
            .env("HOME", &home);
        for (name, value) in env {
            command.env(name, value);
        }
        command
    };
    let (from_env, from_profile, missing, half) = tokio::task::spawn_blocking(move || {
        let from_env = announced(run(
            &[],
            &[
                ("TENCENTCLOUD_SECOND_SECRET_ID", id),
                ("TENCENTCLOUD_SECOND_SECRET_KEY", key),
            ],
        ));
        let from_profile = announced(run(&["--second-profile", "second"], &[]));
        let missing = run(&["--second-profile", "absent"], &[]).output().unwrap();
        let half = run(&[], &[("TENCENTCLOUD_SECOND_SECRET_ID", id)])
            .output()
            .unwrap();
        (from_env, from_profile, missing, half)
    })
    .await
    .unwrap();
    for first_line in [&from_env, &from_profile] {
        assert!(
            first_line.contains("the rate-limit scenarios 2280 calls"),
            "{first_line}"
        );
    }
    for (out, names) in [
        (&missing, "--second-profile absent"),
        (&half, "TENCENTCLOUD_SECOND_SECRET_KEY"),
    ] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(names), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
