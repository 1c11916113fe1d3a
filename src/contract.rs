//! `tco-harness contract`: the contract suite against an endpoint or the in-process mock, and
//! `tco-harness contract validate` for one JSON document. The suite itself lives in
//! `tco-contract`; this module only turns flags into options and a report into files and an
//! exit status (0: no violation, 1: violations, 2: usage or connection errors).

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use tco_contract::{run, validate, Options, RunError, SuiteTarget};
use tco_sign::Credentials;
use tco_spec::Version;

use crate::action::{resolve_action, VersionArg};
use crate::error::CliError;
use tco_contract::report::counted;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ContractArgs {
    #[command(subcommand)]
    command: Option<ContractCommand>,
    #[command(flatten)]
    suite: SuiteArgs,
}

#[derive(Debug, Subcommand)]
enum ContractCommand {
    /// Check one JSON document (a request's parameters or a response) against the contract;
    /// prints every violation with its JSON path. Exit 0 when valid, 1 when not.
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
struct SuiteArgs {
    #[arg(long, help = crate::endpoint_help("default: the mock, started in-process"))]
    endpoint: Option<String>,
    /// Allow an endpoint under tencentcloudapi.com (the suite bursts above a documented rate
    /// limit, so it is refused there without this).
    #[arg(long)]
    allow_production: bool,
    /// Only this API version (2018-12-25 or 2021-03-31); repeat for both (the default).
    #[arg(long = "version")]
    versions: Vec<String>,
    /// Only these actions, comma-separated.
    #[arg(long, value_delimiter = ',')]
    actions: Vec<String>,
    /// Against an endpoint, also run actions that change state (a sandbox account only).
    /// Without it only Describe/List/Get actions run there.
    #[arg(long)]
    allow_mutations: bool,
    /// Write the JSON report to this file (`-` for standard output).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write JUnit XML to this file.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Send every probe to the mock as well, and report where its answers differ from the
    /// endpoint's in code or shape.
    #[arg(long)]
    compare_mock: bool,
    /// Skip the burst above one read action's documented rate limit.
    #[arg(long)]
    no_rate_limit: bool,
    /// The read action the rate-limit burst goes to (default DescribeOrganization).
    #[arg(long)]
    rate_limit_action: Option<String>,
    /// Skip the stateful flows.
    #[arg(long)]
    no_flows: bool,
    /// An account uin the invitation flow may invite (endpoint runs; the flow is skipped
    /// without one).
    #[arg(long)]
    invitee_uin: Option<u64>,
    /// The uin of one of the manager's sub-accounts, for the flow that binds one to log in to a
    /// member (endpoint runs; the flow is skipped without one).
    #[arg(long)]
    sub_account_uin: Option<u64>,
    /// Each request's timeout, in seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    #[command(flatten)]
    connection: crate::connection::ConnectionArgs,
    /// The SecretId to sign with.
    #[arg(long, env = "TENCENTCLOUD_SECRET_ID")]
    secret_id: Option<String>,
    /// The SecretKey to sign with (never printed).
    #[arg(long, env = "TENCENTCLOUD_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("kind").required(true).args(["request", "response"])))]
struct ValidateArgs {
    #[command(flatten)]
    version: VersionArg,
    /// The action, e.g. DescribeOrganization.
    #[arg(long)]
    action: String,
    /// The document is a request's parameters (a JSON object).
    #[arg(long)]
    request: bool,
    /// The document is a response: `{"Response": {…}}` or the `Response` object alone.
    #[arg(long)]
    response: bool,
    /// The JSON document; `-` reads standard input.
    file: PathBuf,
}

pub fn run_cli(args: ContractArgs) -> Result<(), CliError> {
    match args.command {
        Some(ContractCommand::Validate(v)) => validate_document(v),
        None => suite(args.suite),
    }
}

fn parse_version(text: &str) -> Result<Version, CliError> {
    text.parse::<Version>()
        .map_err(|e| CliError::usage(e.to_string()))
}

/// Whether an endpoint's host is `tencentcloudapi.com` or under it (case-insensitive, a
/// trailing dot ignored). An endpoint that does not parse is left to the suite, which refuses
/// it.
fn is_production(endpoint: &str) -> bool {
    tco_client::Endpoint::parse(endpoint)
        .is_ok_and(|e| tco_client::is_production_host(&e.host_name))
}

fn suite(args: SuiteArgs) -> Result<(), CliError> {
    if let Some(url) = &args.endpoint {
        if is_production(url) && !args.allow_production {
            return Err(CliError::usage(format!(
                "{url} is a production endpoint (under tencentcloudapi.com) and the suite bursts above its documented rate limit; pass --allow-production to check it anyway"
            )));
        }
    }
    let versions = args
        .versions
        .iter()
        .map(|v| parse_version(v))
        .collect::<Result<Vec<_>, _>>()?;
    let options = Options {
        versions,
        actions: args
            .actions
            .iter()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect(),
        allow_mutations: args.allow_mutations,
        compare_mock: args.compare_mock,
        rate_limit: !args.no_rate_limit,
        rate_limit_action: args.rate_limit_action,
        flows: !args.no_flows,
        invitee_uin: args.invitee_uin,
        sub_account_uin: args.sub_account_uin,
        timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        root_certificates: args.connection.roots()?,
        ..Options::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Output)?;
    let target = match args.endpoint {
        None => SuiteTarget::Mock,
        Some(url) => {
            let credentials = match (args.secret_id, args.secret_key) {
                (Some(id), Some(key)) => Credentials::new(id, key),
                // The client's chain, as `call` and `load` use: environment, then profile files.
                _ => runtime.block_on(args.connection.credentials())?,
            };
            SuiteTarget::endpoint(url, credentials)
        }
    };
    let report = runtime.block_on(run(target, options)).map_err(run_error)?;

    // With a report on standard output, the summary goes to standard error so that output
    // stays one document.
    let report_to_stdout = [&args.json, &args.junit]
        .iter()
        .any(|p| p.as_ref().is_some_and(|p| p.as_os_str() == "-"));
    if report_to_stdout {
        eprint!("{}", report.summary());
    } else {
        print!("{}", report.summary());
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report.to_json()).expect("JSON renders") + "\n";
        write_output(path, &text)?;
    }
    if let Some(path) = &args.junit {
        write_output(path, &report.to_junit())?;
    }
    if report.passed() {
        Ok(())
    } else {
        Err(CliError::violations(format!(
            "{}, {} from the mock",
            counted(report.violations.len() as u64, "contract violation"),
            counted(report.differences.len() as u64, "difference")
        )))
    }
}

/// A suite that could not run, as the CLI reports it (exit 2); a refused certificate names
/// the remedy.
pub fn run_error(e: RunError) -> CliError {
    match e {
        RunError::Usage(m) => CliError::usage(m),
        RunError::Connect(
            ref t @ tco_contract::wire::TransportError::CertificateNotTrusted { .. },
        ) => CliError::failed(format!("{t} {}", crate::connection::UNTRUSTED_HINT)),
        other => CliError::usage(other.to_string()),
    }
}

fn write_output(path: &PathBuf, text: &str) -> Result<(), CliError> {
    if path.as_os_str() == "-" {
        print!("{text}");
        return Ok(());
    }
    std::fs::write(path, text)
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))
}

fn validate_document(args: ValidateArgs) -> Result<(), CliError> {
    let action = resolve_action(&args.action, &args.version)?;
    let version = action.version;
    let text = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(&args.file)
            .map_err(|e| CliError::usage(format!("cannot read {}: {e}", args.file.display())))?
    };
    let document: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| CliError::usage(format!("{} is not JSON: {e}", args.file.display())))?;
    let (kind, problems) = if args.request {
        ("request", validate::request(action, &document))
    } else {
        ("response", validate::response(action, &document))
    };
    for problem in &problems {
        println!("{problem}");
    }
    let violations = problems
        .iter()
        .filter(|p| p.severity == validate::Severity::Violation)
        .count();
    if violations == 0 {
        println!("valid {kind} of {version} {}", action.name);
        Ok(())
    } else {
        Err(CliError::violations(format!(
            "{} in the {kind} of {version} {}",
            counted(violations as u64, "violation"),
            action.name
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::is_production;

    #[test]
    fn production_hosts() {
        for url in [
            "https://organization.tencentcloudapi.com",
            "https://organization.intl.tencentcloudapi.com",
            "https://ORGANIZATION.TencentCloudAPI.com.",
            "https://tencentcloudapi.com:443/",
            "organization.tencentcloudapi.com",
            "http://tencentcloudapi.com.",
        ] {
            assert!(is_production(url), "{url}");
        }
        for url in [
            "http://127.0.0.1:8080",
            "https://staging.example.com",
            "https://tencentcloudapi.com.example.com",
            "https://nottencentcloudapi.com",
        ] {
            assert!(!is_production(url), "{url}");
        }
    }
}
