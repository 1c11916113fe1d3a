//! `tco-harness run`: the main job. The contract suite, then the rate-limit conformance set,
//! against the in-process mock by default or an endpoint; one report directory, one exit status.

use std::path::{Path, PathBuf};

use clap::Args;
use tco_contract::{Options, Report, RunError, Target as ContractTarget};
use tco_scenarios::{conformance, Env, LoadError, Status, Summary, Target as LoadTarget};

use crate::error::CliError;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A real endpoint, e.g. https://staging.example.com (default: the in-process mock).
    #[arg(long)]
    endpoint: Option<String>,
    /// Where every report goes (default `reports/run-<UTC timestamp>/`).
    #[arg(long)]
    report_dir: Option<PathBuf>,
    /// Against an endpoint, also run the probes and flows that change state (sandbox accounts).
    #[arg(long)]
    allow_mutations: bool,
    /// Allow an endpoint under tencentcloudapi.com (a load run there can get an account throttled).
    #[arg(long)]
    allow_production: bool,
}

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let report_dir = args.report_dir.clone().unwrap_or_else(|| {
        conformance::default_report_dir(Path::new("reports"))
            .with_file_name(format!("run-{}", timestamp_suffix()))
    });
    let endpoint = match &args.endpoint {
        Some(url) => {
            let target = LoadTarget::new(url).map_err(CliError::usage)?;
            conformance::check_production(&target, args.allow_production).map_err(load_error)?;
            Some((url.clone(), target))
        }
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (contract, load) = runtime.block_on(async {
        let credentials = match &endpoint {
            Some(_) => Some(
                conformance::endpoint_credentials()
                    .await
                    .map_err(load_error)?,
            ),
            None => None,
        };
        let contract_target = match (&endpoint, &credentials) {
            (Some((url, _)), Some(creds)) => ContractTarget::endpoint(url.clone(), creds.clone()),
            _ => ContractTarget::Mock,
        };
        let options = Options {
            allow_mutations: args.allow_mutations,
            ..Options::default()
        };
        let contract = tco_contract::run(contract_target, options)
            .await
            .map_err(contract_error)?;
        write_contract_reports(&report_dir.join("contract"), &contract)?;
        let load_dir = report_dir.join("load");
        let load = match (endpoint, credentials) {
            (Some((_, target)), Some(creds)) => {
                let env = Env::new(target, creds).with_report_dir(Some(load_dir));
                let options =
                    conformance::ConformanceOptions::representative().map_err(load_error)?;
                conformance::run_conformance(&env, &options).await
            }
            _ => conformance::run_conformance_on_mock(Some(load_dir)).await,
        }
        .map_err(load_error)?;
        Ok::<_, CliError>((contract, load))
    })?;
    print_outcome(&contract, &load, &report_dir);
    if !contract.passed() || load.status == Status::Fail {
        Err(CliError::violations(format!(
            "contract: {} violations; load: {} failed checks (reports: {})",
            contract.violations.len(),
            load.failures().len(),
            report_dir.display()
        )))
    } else if load.status == Status::LoadNotOffered {
        let scenarios: Vec<&str> = load
            .scenarios
            .iter()
            .filter(|s| s.status == Status::LoadNotOffered)
            .map(|s| s.name.as_str())
            .collect();
        Err(CliError::LoadNotOffered(format!(
            "the contract holds and no limit was broken, but the load of {} could not be offered as intended, so those limits are not judged: run again on a less busy machine (reports: {})",
            scenarios.join(", "),
            report_dir.display()
        )))
    } else {
        Ok(())
    }
}

fn print_outcome(contract: &Report, load: &Summary, report_dir: &Path) {
    println!("== contract suite ==");
    print!("{}", contract.summary());
    println!("\n== rate-limit conformance ==");
    print!("{}", load.table());
    for failure in load.failures() {
        println!("FAIL {failure}");
    }
    for shortfall in load.load_shortfalls() {
        println!("LOAD NOT OFFERED {shortfall}");
    }
    println!("\nreports: {}", report_dir.display());
}

fn write_contract_reports(dir: &Path, report: &Report) -> Result<(), CliError> {
    let cannot =
        |e: std::io::Error| CliError::usage(format!("cannot write {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(cannot)?;
    let json = serde_json::to_string_pretty(&report.to_json()).expect("JSON renders") + "\n";
    std::fs::write(dir.join("report.json"), json).map_err(cannot)?;
    std::fs::write(dir.join("junit.xml"), report.to_junit()).map_err(cannot)?;
    std::fs::write(dir.join("summary.txt"), report.summary()).map_err(cannot)?;
    Ok(())
}

/// The suffix `default_report_dir` gives its `load-…` directory, reused for `run-…`.
fn timestamp_suffix() -> String {
    let dir = conformance::default_report_dir(Path::new(""));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.trim_start_matches("load-").to_string()
}

fn load_error(e: LoadError) -> CliError {
    CliError::usage(e.to_string())
}

fn contract_error(e: RunError) -> CliError {
    CliError::usage(e.to_string())
}
