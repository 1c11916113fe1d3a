//! What the CLI says when it is used wrongly: one line, exit 2, and a suggestion when the
//! mistake is a near miss (clap's own for flags and subcommands, the contract's action names
//! for actions); counts in agreement with their nouns.

use std::process::{Command, Output};

fn harness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tco-harness"))
        .args(args)
        .env("TENCENTCLOUD_SECRET_ID", "AKIDmessages")
        .env("TENCENTCLOUD_SECRET_KEY", "messages-secret-key")
        .env("HOME", "/nonexistent")
        .output()
        .expect("the binary runs")
}

fn one_line_usage_error(args: &[&str]) -> String {
    let out = harness(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    err
}

#[test]
fn a_mistyped_flag_or_subcommand_keeps_clap_suggestion() {
    for (args, suggestion) in [
        (
            &["call", "DescribeOrganization", "--endpiont", "x"][..],
            "'--endpoint'",
        ),
        (&["cal", "DescribeOrganization"], "'call'"),
        (&["load", "rate-limt"], "'rate-limit'"),
        (&["contract", "--allow-mutation"], "'--allow-mutations'"),
    ] {
        let err = one_line_usage_error(args);
        assert!(err.contains(suggestion), "{args:?}: {err}");
    }
}

#[test]
fn an_unknown_action_gets_the_closest_name() {
    let wanted = "did you mean \"DescribeOrganization\"?";
    for args in [
        &["call", "DescribeOrganisation"][..],
        &["call", "DescribeOrganisation", "--version", "2021-03-31"],
        &["sign", "--action", "DescribeOrganisation"],
        &[
            "load",
            "rate-limit",
            "--action",
            "DescribeOrganisation",
            "--rate",
            "1",
            "--duration",
            "1s",
        ],
        &["contract", "--actions", "DescribeOrganisation"],
        &[
            "contract",
            "validate",
            "--action",
            "DescribeOrganisation",
            "--response",
            "-",
        ],
    ] {
        let err = one_line_usage_error(args);
        assert!(err.contains(wanted), "{args:?}: {err}");
    }
}

fn document(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("tco-cli-messages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// `contract validate` defaults `--version` as `call` and `sign` do: to the newest version
/// that has the action (DescribeOrganization: 2021-03-31, where OrgId is required).
#[test]
fn validate_defaults_the_version_and_counts_in_agreement() {
    let request = document("request.json", "{}");
    let out = harness(&[
        "contract",
        "validate",
        "--action",
        "DescribeOrganization",
        "--request",
        &request,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("valid request of 2021-03-31 DescribeOrganization"),
        "{stdout}"
    );

    // One wrong-typed member: exactly one violation.
    let one = document("one.json", r#"{"Limit": "ten", "Offset": 0}"#);
    let out = harness(&[
        "contract",
        "validate",
        "--action",
        "DescribeOrganizationNodes",
        "--request",
        &one,
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("1 violation in the request of 2021-03-31 DescribeOrganizationNodes"),
        "{err}"
    );
}
