//! The action a command names and its API version (`call`, `sign`, `contract validate`,
//! `load rate-limit`): `--version` declared once ([`VersionArg`]), the version resolved once
//! against the contract ([`resolve_version`], [`resolve_action`]) and the parameters checked
//! once against the action's request shape ([`check_params`]).

use clap::Args;
use serde_json::Value;
use tco_spec::Version;

use crate::error::CliError;

/// `--version` of a command that names one action.
#[derive(Debug, Clone, Default, Args)]
pub struct VersionArg {
    /// API version; defaults to the newest version that has the action.
    #[arg(long)]
    pub version: Option<String>,
}

/// What a command does with an action the contract does not have.
#[derive(Debug, Clone, Copy)]
pub enum Unknown<'a> {
    /// Refuse it; `hint` ends the message (how to send it anyway, or nothing).
    Refuse { hint: &'a str },
    /// Send it as named (`call --skip-validation`): only a version that is not in the
    /// contract's list is refused; `hint` ends the message when no version was given.
    Allow { hint: &'a str },
}

/// `--version`, else the newest version that has `action`; with [`Unknown::Refuse`] the
/// action must be in that version.
pub fn resolve_version(
    action: &str,
    version: &VersionArg,
    unknown: Unknown<'_>,
) -> Result<Version, CliError> {
    let (hint, refuse) = match unknown {
        Unknown::Refuse { hint } => (hint, true),
        Unknown::Allow { hint } => (hint, false),
    };
    let version = match &version.version {
        Some(v) => v
            .parse()
            .map_err(|e: tco_spec::UnknownVersion| CliError::usage(e.to_string()))?,
        None => tco_spec::newest_version_with(action).ok_or_else(|| {
            CliError::usage(format!(
                "unknown action {action:?} in any API version{}{hint}",
                tco_spec::did_you_mean(action)
            ))
        })?,
    };
    if refuse && tco_spec::action(version, action).is_none() {
        return Err(unknown_in(action, version));
    }
    Ok(version)
}

/// The action as the contract has it, in `--version` or else the newest version that has it
/// (`contract validate`, `load rate-limit`: commands that need its shapes or its limit).
pub fn resolve_action(
    action: &str,
    version: &VersionArg,
) -> Result<&'static tco_spec::Action, CliError> {
    let version = resolve_version(action, version, Unknown::Refuse { hint: "" })?;
    tco_spec::action(version, action).ok_or_else(|| unknown_in(action, version))
}

fn unknown_in(action: &str, version: Version) -> CliError {
    CliError::usage(format!(
        "unknown action {action:?} for version {version}{}",
        tco_spec::did_you_mean(action)
    ))
}

/// The parameters against the action's request shape (an action the contract does not have
/// passes: [`resolve_version`] decided about it). `subject` names them in the message
/// (`--params`, `parameters`); `hint` ends it.
pub fn check_params(
    version: Version,
    action: &str,
    params: &Value,
    subject: &str,
    hint: &str,
) -> Result<(), CliError> {
    let Some(action) = tco_spec::action(version, action) else {
        return Ok(());
    };
    let violations = action.validate_request(params);
    if violations.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
    Err(CliError::usage(format!(
        "{subject} do not match {} {}: {}{hint}",
        action.name,
        action.input,
        listed.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(version: &str) -> VersionArg {
        VersionArg {
            version: Some(version.to_owned()),
        }
    }

    /// reference/organization: GetOrganization is only in 2018-12-25, DescribeOrganization
    /// and ListOrganizationIdentity only in 2021-03-31.
    #[test]
    fn the_newest_version_that_has_the_action() {
        let refuse = Unknown::Refuse { hint: "" };
        let none = VersionArg::default();
        let v = resolve_version("ListOrganizationIdentity", &none, refuse).unwrap();
        assert_eq!(v.as_str(), "2021-03-31");
        let v = resolve_version("GetOrganization", &none, refuse).unwrap();
        assert_eq!(v.as_str(), "2018-12-25");
        let v = resolve_version("GetOrganization", &given("2018-12-25"), refuse).unwrap();
        assert_eq!(v.as_str(), "2018-12-25");
    }

    #[test]
    fn an_unknown_action_is_refused_unless_allowed() {
        let err = resolve_version(
            "ListOrganizationIdentity",
            &given("2018-12-25"),
            Unknown::Refuse { hint: "" },
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("unknown action \"ListOrganizationIdentity\" for version 2018-12-25"),
            "{err}"
        );
        let allowed = resolve_version(
            "NoSuchAction",
            &given("2018-12-25"),
            Unknown::Allow { hint: "" },
        );
        assert_eq!(allowed.unwrap().as_str(), "2018-12-25");
        let err = resolve_version(
            "NoSuchAction",
            &VersionArg::default(),
            Unknown::Allow { hint: " (hint)" },
        )
        .unwrap_err()
        .to_string();
        assert!(err.ends_with(" (hint)"), "{err}");
    }

    #[test]
    fn parameters_of_the_wrong_shape_are_named() {
        let v = resolve_version(
            "DescribeOrganization",
            &given("2021-03-31"),
            Unknown::Refuse { hint: "" },
        )
        .unwrap();
        let ok = check_params(
            v,
            "DescribeOrganization",
            &serde_json::json!({}),
            "--params",
            "",
        );
        assert!(ok.is_ok());
        let err = check_params(
            v,
            "DescribeOrganization",
            &serde_json::json!({"Lang": 5}),
            "--params",
            " (end)",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("--params do not match DescribeOrganization"),
            "{err}"
        );
        assert!(err.ends_with(" (end)"), "{err}");
    }

    /// reference/organization: GetOrganization is only in 2018-12-25 (`contract validate`
    /// and `load rate-limit` name the action this way).
    #[test]
    fn the_action_in_the_resolved_version() {
        let none = VersionArg::default();
        let a = resolve_action("GetOrganization", &none).unwrap();
        assert_eq!(
            (a.name.as_str(), a.version.as_str()),
            ("GetOrganization", "2018-12-25")
        );
        let err = resolve_action("GetOrganization", &given("2021-03-31"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("unknown action \"GetOrganization\" for version 2021-03-31"),
            "{err}"
        );
        let err = resolve_action("NoSuchAction", &none)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("unknown action \"NoSuchAction\" in any API version"),
            "{err}"
        );
    }
}
