//! `tco-harness run` against an endpoint: before it starts it says, in one line on stderr, how
//! much traffic it will send; while it runs it shows its progress on stderr.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::{create_organization, harness, one_line_usage_error, Scratch};

#[tokio::test(flavor = "multi_thread")]
async fn announces_its_traffic_then_shows_progress() {
    let mock = tco_mock::MockServer::start().await;
    let creds = mock.default_credentials();
    // The load scenarios need an organization: the precondition is met.
    create_organization(&mock.uri(), &creds).await;
    let scratch = Scratch::new();
    let dir = scratch.join("reports");
    let uri = mock.uri();
    let (first, progress) = tokio::task::spawn_blocking(move || {
        let uri = uri.as_str();
        let mut child = harness(["run", "--endpoint", uri, "--progress", "always"])
            .args([std::ffi::OsStr::new("--report-dir"), dir.as_os_str()])
            .account(creds.secret_id(), creds.secret_key())
            .home("/nonexistent")
            .into_command()
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
        create_organization(&mock.uri(), creds).await;
    }
    let home = Scratch::new();
    home.write(
        ".tencentcloud/credentials",
        format!("[second]\nsecret_id = {id}\nsecret_key = {key}\n"),
    );
    let uri = mock.uri();
    let run = move |extra: &[&str], env: &[(&str, &str)]| {
        let mut cli = harness(["run", "--endpoint", &uri, "--progress", "never"])
            .args([
                std::ffi::OsStr::new("--report-dir"),
                home.join("reports").as_os_str(),
            ])
            .args(extra)
            .account(first.secret_id(), first.secret_key())
            .env_remove("TENCENTCLOUD_SECOND_SECRET_ID")
            .env_remove("TENCENTCLOUD_SECOND_SECRET_KEY")
            .home(home.path());
        for (name, value) in env {
            cli = cli.env(name, value);
        }
        cli.into_command()
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
        let stderr = one_line_usage_error(out);
        assert!(stderr.contains(names), "{stderr}");
    }
}
