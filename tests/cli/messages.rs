//! What the CLI says when it is used wrongly: one line, exit 2, and a suggestion when the
//! mistake is a near miss (clap's own for flags and subcommands, the contract's action names
//! for actions); counts in agreement with their nouns.

use std::process::Output;

use crate::common::{self, text, Scratch};

fn harness(args: &[&str]) -> Output {
    common::harness(args)
        .account("AKIDmessages", "messages-secret-key")
        .home("/nonexistent")
        .output()
}

fn one_line_usage_error(args: &[&str]) -> String {
    common::one_line_usage_error(&harness(args))
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

/// `contract validate` defaults `--version` as `call` and `sign` do: to the newest version
/// that has the action (DescribeOrganization: 2021-03-31, where OrgId is required).
#[test]
fn validate_defaults_the_version_and_counts_in_agreement() {
    let scratch = Scratch::new();
    let request = scratch.write("request.json", "{}").display().to_string();
    let out = harness(&[
        "contract",
        "validate",
        "--action",
        "DescribeOrganization",
        "--request",
        &request,
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("valid request of 2021-03-31 DescribeOrganization"),
        "{stdout}"
    );

    // One wrong-typed member: exactly one violation.
    let one = scratch.write("one.json", r#"{"Limit": "ten", "Offset": 0}"#);
    let one = one.display().to_string();
    let out = harness(&[
        "contract",
        "validate",
        "--action",
        "DescribeOrganizationNodes",
        "--request",
        &one,
    ]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("1 violation in the request of 2021-03-31 DescribeOrganizationNodes"),
        "{err}"
    );
}
