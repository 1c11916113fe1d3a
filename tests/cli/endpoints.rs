//! One rule for an endpoint without a scheme, for every command: `https://`, except loopback
//! hosts (localhost, 127.0.0.0/8, ::1), which mean `http://`; stated in each command's help.

use std::process::Output;

use serde_json::Value;

use crate::common::{self, text};

fn harness(args: &[&str], secret: Option<(&str, &str)>) -> Output {
    let cli = common::harness(args).home("/nonexistent");
    match secret {
        Some((id, key)) => cli.account(id, key).output(),
        None => cli.output(),
    }
}

#[test]
fn every_command_states_the_rule_in_its_help() {
    for command in [
        &["call", "--help"][..],
        &["contract", "--help"],
        &["sign", "--help"],
        &["load", "rate-limit", "--help"],
        &["run", "--help"],
    ] {
        let out = harness(command, None);
        assert_eq!(out.status.code(), Some(0), "{command:?}");
        let help = text(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            help.contains("without a scheme, https:// is meant, except for loopback hosts (localhost, 127.0.0.0/8, ::1), which mean http://"),
            "{command:?}: {help}"
        );
    }
}

#[test]
fn sign_applies_the_rule() {
    for (endpoint, url) in [
        ("127.0.0.1:9000", "http://127.0.0.1:9000/"),
        ("localhost:9000", "http://localhost:9000/"),
        ("[::1]:9000", "http://[::1]:9000/"),
        ("staging.example.com", "https://staging.example.com/"),
        ("http://staging.example.com", "http://staging.example.com/"),
    ] {
        let out = harness(
            &[
                "sign",
                "--action",
                "DescribeOrganization",
                "--endpoint",
                endpoint,
            ],
            Some(("AKIDendpointRule", "endpoint-rule-key")),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{endpoint}: {}",
            text(&out.stderr)
        );
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            printed["url"].as_str().unwrap().starts_with(url),
            "{endpoint}: {printed}"
        );
    }
}

/// `call` and `contract` reach a loopback mock given as `127.0.0.1:PORT` over plain HTTP.
#[tokio::test(flavor = "multi_thread")]
async fn call_and_contract_reach_a_loopback_host_without_a_scheme() {
    let mock = tco_mock::MockServer::start().await;
    let creds = mock.default_credentials();
    let (id, key) = (creds.secret_id().to_owned(), creds.secret_key().to_owned());
    let endpoint = mock.host();
    let out = tokio::task::spawn_blocking({
        let (id, key, endpoint) = (id.clone(), key.clone(), endpoint.clone());
        move || {
            harness(
                &["call", "DescribeOrganization", "--endpoint", &endpoint],
                Some((&id, &key)),
            )
        }
    })
    .await
    .unwrap();
    // The mock answered (no organization yet): the request went over http to it.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("ResourceNotFound.OrganizationNotExist"),
        "{}",
        text(&out.stderr)
    );

    let out = tokio::task::spawn_blocking(move || {
        harness(
            &[
                "contract",
                "--endpoint",
                &endpoint,
                "--actions",
                "DescribeOrganization",
                "--version",
                "2021-03-31",
                "--no-rate-limit",
            ],
            Some((&id, &key)),
        )
    })
    .await
    .unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(mock
        .journal()
        .iter()
        .any(|e| e.action == "DescribeOrganization"));
}
