//! `tco-harness load layers`: the limits on top of the per-action one. On the in-process mock
//! each scenario starts a mock with its layer on; against an endpoint the limits and the extra
//! accounts come from flags and a small JSON file, and a scenario without what it needs is
//! printed as `NOT TESTED` with the reason (it neither passes nor fails). Exit 0 when every
//! judged scenario holds, 1 when one does not, 2 when it cannot run as asked, 3 when a load
//! could not be offered.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde::Deserialize;
use tco_scenarios::layers::{self, LayerOutcome, LayerTargets};
use tco_scenarios::{conformance, Env, LoadError, Summary, Target};

use crate::connection::ConnectionArgs;
use crate::error::CliError;
use crate::load::parse_duration;

#[derive(Debug, Args)]
pub struct LayersArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    #[arg(long, help = crate::endpoint_help("default: the mock, started in-process, one per layer with that layer on"))]
    endpoint: Option<String>,
    /// Against an endpoint: the per-main-account limit to expect (requests per second).
    #[arg(long)]
    main_account_limit: Option<u32>,
    /// Against an endpoint: the per-main-account-and-region limit to expect (requests per
    /// second).
    #[arg(long)]
    main_account_region_limit: Option<u32>,
    /// Against an endpoint: the per-source-IP limit to expect (requests per second).
    #[arg(long)]
    source_ip_limit: Option<u32>,
    /// Against an endpoint: a JSON file with `sub_accounts` (sub-accounts of the main
    /// account, each `{"secret_id", "secret_key"}`) and `other_main` (another main account).
    #[arg(long)]
    accounts: Option<PathBuf>,
    /// Allow an endpoint under tencentcloudapi.com.
    #[arg(long)]
    allow_production: bool,
    /// How long one call may take before it counts as unanswered, e.g. 5s (default), 30s.
    #[arg(long, value_parser = parse_duration)]
    timeout: Option<Duration>,
}

/// The `--accounts` file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    #[serde(default)]
    sub_accounts: Vec<KeyPair>,
    other_main: Option<KeyPair>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyPair {
    secret_id: String,
    secret_key: String,
}

impl KeyPair {
    fn credentials(&self) -> tco_sign::Credentials {
        tco_sign::Credentials::new(&self.secret_id, &self.secret_key)
    }
}

pub fn run(args: LayersArgs, report_dir: Option<PathBuf>) -> Result<(), CliError> {
    let report_dir =
        report_dir.unwrap_or_else(|| conformance::default_report_dir(&PathBuf::from("reports")));
    let (label, outcomes) = outcomes(args, report_dir.clone())?;
    print(&label, outcomes, &report_dir)
}

fn outcomes(a: LayersArgs, report_dir: PathBuf) -> Result<(String, Vec<LayerOutcome>), CliError> {
    let Some(url) = &a.endpoint else {
        let given = a.accounts.is_some()
            || a.main_account_limit.is_some()
            || a.main_account_region_limit.is_some()
            || a.source_ip_limit.is_some();
        if given {
            return Err(CliError::usage(
                "--accounts and the --*-limit flags are for --endpoint: on the mock each scenario configures its own layer",
            ));
        }
        let outcomes = conformance::block_on(layers::run_all_on_mock(Some(report_dir)))
            .map_err(usage)?
            .map_err(usage)?;
        return Ok(("in-process mock, one per layer".into(), outcomes));
    };
    let target = Target::new(url)
        .map_err(CliError::usage)?
        .with_root_certificates(a.connection.roots()?);
    conformance::check_production(&target, a.allow_production).map_err(usage)?;
    let file = match &a.accounts {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::usage(format!("{}: cannot read: {e}", path.display())))?;
            // Only the place and the kind of the error: serde_json's message can quote a
            // value, and a misplaced value may be a secret key.
            serde_json::from_str::<AccountsFile>(&text).map_err(|e| {
                CliError::usage(format!(
                    "{}: line {} column {}: not an accounts file ({:?} error): expected {{\"sub_accounts\": [{{\"secret_id\", \"secret_key\"}}, ...], \"other_main\": {{\"secret_id\", \"secret_key\"}}}}",
                    path.display(),
                    e.line(),
                    e.column(),
                    e.classify()
                ))
            })?
        }
        None => AccountsFile {
            sub_accounts: Vec::new(),
            other_main: None,
        },
    };
    let label = target.base();
    let outcomes = conformance::block_on(async move {
        let main = a
            .connection
            .credentials()
            .await
            .map_err(crate::load_scenario::cli_to_load)?;
        let targets = LayerTargets {
            main: Some(main.clone()),
            sub_accounts: file.sub_accounts.iter().map(KeyPair::credentials).collect(),
            other_main: file.other_main.as_ref().map(KeyPair::credentials),
            main_account_limit: a.main_account_limit,
            main_account_region_limit: a.main_account_region_limit,
            source_ip_limit: a.source_ip_limit,
        };
        let env = Env::new(target, main).with_report_dir(Some(report_dir));
        let env = match a.timeout {
            Some(t) => env.with_call_timeout(t),
            None => env,
        };
        layers::run_all(&env, &targets).await
    })
    .map_err(usage)?
    .map_err(usage)?;
    Ok((label, outcomes))
}

fn print(label: &str, outcomes: Vec<LayerOutcome>, dir: &std::path::Path) -> Result<(), CliError> {
    let mut judged = Vec::new();
    let mut not_tested = Vec::new();
    for outcome in outcomes {
        match outcome {
            LayerOutcome::Judged(r) => judged.push(r),
            LayerOutcome::NotTested { scenario, why } => {
                not_tested.push(format!("NOT TESTED {scenario}: {why}"))
            }
        }
    }
    // The judged layers' verdict; the untested ones are printed after it all the same.
    let verdict = if judged.is_empty() {
        Ok(())
    } else {
        let started = tco_scenarios::schedule::wall_ms();
        let summary = Summary::new(label, started, judged, Some(dir.to_path_buf()));
        summary
            .write(dir)
            .map_err(|e| CliError::usage(format!("cannot write {}: {e}", dir.display())))?;
        crate::load::print_summary(summary)
    };
    for line in &not_tested {
        println!("{line}");
    }
    if !not_tested.is_empty() {
        let path = dir.join("not-tested.txt");
        let _ = std::fs::create_dir_all(dir);
        std::fs::write(&path, not_tested.join("\n") + "\n")
            .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
    }
    verdict
}

fn usage(e: LoadError) -> CliError {
    CliError::usage(e.to_string())
}
