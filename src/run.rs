//! `tco-harness run`: the main job. The contract suite, then the rate-limit conformance set,
//! against the in-process mock by default or an endpoint; one report directory, one exit status.

use std::path::{Path, PathBuf};

use clap::Args;
use tco_contract::{Options, Report, RunError, SuiteTarget};
use tco_scenarios::{conformance, preconditions, Env, LoadError, Status, Summary, Target};

use crate::error::CliError;
use crate::progress;
use tco_contract::report::counted;

#[derive(Debug, Args)]
pub struct RunArgs {
    #[arg(long, help = crate::endpoint_help("default: the mock, started in-process"))]
    endpoint: Option<String>,
    #[command(flatten)]
    connection: crate::connection::ConnectionArgs,
    #[command(flatten)]
    second: crate::connection::SecondAccountArgs,
    /// Where every report goes (default `reports/run-<UTC timestamp>/`).
    #[arg(long)]
    report_dir: Option<PathBuf>,
    /// Against an endpoint, also run the probes and flows that change state (sandbox accounts),
    /// and let the harness create what the load scenarios need (an organization for an account
    /// in none; deleted afterwards).
    #[arg(long)]
    allow_mutations: bool,
    /// Allow an endpoint under tencentcloudapi.com (a load run there can get an account throttled).
    #[arg(long)]
    allow_production: bool,
    /// Show on standard error what the run is doing (phase and counts): when it is a terminal
    /// (auto), always, or never.
    #[arg(long, value_enum, default_value = "auto")]
    progress: progress::Mode,
}

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let report_dir = args.report_dir.clone().unwrap_or_else(|| {
        conformance::default_report_dir(Path::new("reports"))
            .with_file_name(format!("run-{}", timestamp_suffix()))
    });
    let endpoint = match &args.endpoint {
        Some(url) => {
            let target = Target::new(url)
                .map_err(CliError::usage)?
                .with_root_certificates(args.connection.roots()?);
            conformance::check_production(&target, args.allow_production).map_err(load_error)?;
            let second = args.second.credentials()?;
            Some((url.clone(), target, second))
        }
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let reporter = progress::reporter(args.progress);
    let callback = reporter.as_ref().map(progress::Reporter::callback);
    let (contract, load) = runtime
        .block_on(async {
            let load_dir = report_dir.join("load");
            let load_options =
                conformance::ConformanceOptions::representative().map_err(load_error)?;
            // Against an endpoint: its credentials, and what the load scenarios need of it,
            // checked before anything runs.
            let remote = match endpoint {
                Some((url, target, second)) => {
                    let creds = args.connection.credentials().await?;
                    let env = Env::new(target, creds)
                        .with_second_account(second)
                        .with_report_dir(Some(load_dir.clone()));
                    let needs = preconditions::check(&env, &load_options.cases)
                        .await
                        .map_err(load_error)?;
                    needs
                        .ensure_allowed(args.allow_mutations)
                        .map_err(load_error)?;
                    eprintln!(
                        "tco-harness: {}",
                        traffic_line(&url, &contract_options(&args), &load_options, &env)?
                    );
                    Some((url, env.with_progress(callback.clone())))
                }
                None => None,
            };
            let contract_target = match &remote {
                Some((url, env)) => SuiteTarget::endpoint(url.clone(), env.accounts[0].clone()),
                None => SuiteTarget::Mock,
            };
            let options = Options {
                progress: callback.clone(),
                root_certificates: remote
                    .as_ref()
                    .map(|(_, env)| env.target.roots.clone())
                    .unwrap_or_default(),
                ..contract_options(&args)
            };
            let contract = tco_contract::run(contract_target, options)
                .await
                .map_err(contract_error)?;
            write_contract_reports(&report_dir.join("contract"), &contract)?;
            let load = match remote {
                Some((_, env)) => {
                    // Checked again and set up only now: the contract's flows need the account
                    // as it was, and with --allow-mutations its probes may have changed it
                    // (deleted the organization).
                    let needs = preconditions::check(&env, &load_options.cases)
                        .await
                        .map_err(load_error)?;
                    needs
                        .ensure_allowed(args.allow_mutations)
                        .map_err(load_error)?;
                    let prepared = needs.set_up(&env).await.map_err(load_error)?;
                    let load = conformance::run_conformance(&env, &load_options).await;
                    for left in prepared.undo(&env).await {
                        eprintln!("tco-harness: note: {left}");
                    }
                    load
                }
                None => {
                    conformance::run_conformance_on_mock_with(Some(load_dir), callback.clone())
                        .await
                }
            }
            .map_err(load_error)?;
            Ok::<_, CliError>((contract, load))
        })
        .inspect_err(|_| {
            if let Some(r) = &reporter {
                r.finish();
            }
        })?;
    if let Some(r) = &reporter {
        r.finish();
    }
    let passed = contract.passed() && load.pass;
    let summary = summary_text(&contract, &load);
    let cannot =
        |e: std::io::Error| CliError::usage(format!("cannot write {}: {e}", report_dir.display()));
    std::fs::write(report_dir.join("summary.txt"), &summary).map_err(cannot)?;
    crate::report_index::write(&report_dir, "tco-harness run", passed).map_err(cannot)?;
    print!("{summary}");
    println!("\nreports: {}", report_dir.join("index.html").display());
    if !contract.passed() || load.status == Status::Fail {
        Err(CliError::violations(format!(
            "contract: {}; load: {} (reports: {})",
            counted(contract.violations.len() as u64, "violation"),
            counted(load.failures().len() as u64, "failed check"),
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

/// The contract suite's options for this run.
fn contract_options(args: &RunArgs) -> Options {
    Options {
        allow_mutations: args.allow_mutations,
        ..Options::default()
    }
}

/// What the run will send to an endpoint, worked out from its plan: one line, printed before
/// it starts.
fn traffic_line(
    url: &str,
    contract: &Options,
    load: &conformance::ConformanceOptions,
    env: &Env,
) -> Result<String, CliError> {
    let suite = tco_contract::traffic(contract).map_err(contract_error)?;
    let scenarios = tco_scenarios::plan::traffic(load, env.accounts.len(), env.settle);
    Ok(format!(
        "this run sends {url} about {} requests: the contract suite {} (at most {}/s), then the rate-limit scenarios {} calls over about {:.0} s (at most {} in one second)",
        suite.requests + scenarios.calls,
        suite.requests,
        suite.peak_per_second,
        scenarios.calls,
        scenarios.seconds,
        scenarios.peak_per_second
    ))
}

/// The run's plain-text summary: what it prints, and `summary.txt`.
fn summary_text(contract: &Report, load: &Summary) -> String {
    let mut out = String::from("== contract suite ==\n");
    out.push_str(&contract.summary());
    out.push_str("\n== rate-limit conformance ==\n");
    out.push_str(&load.table());
    for failure in load.failures() {
        out.push_str(&format!("FAIL {failure}\n"));
    }
    for shortfall in load.load_shortfalls() {
        out.push_str(&format!("LOAD NOT OFFERED {shortfall}\n"));
    }
    for untested in load.not_tested() {
        out.push_str(&format!("NOT TESTED {untested}\n"));
    }
    out
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
    crate::contract::run_error(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a run could not test is on the terminal, not only in `load/summary.txt`.
    #[test]
    fn the_summary_names_what_was_not_tested() {
        let mut isolation = tco_scenarios::ScenarioResult::new("isolation", Vec::new());
        isolation
            .not_tested
            .push(tco_scenarios::isolation::across_accounts_untested());
        let load = Summary::new("https://staging.example.com", 0, vec![isolation], None);
        let contract = Report {
            target: "https://staging.example.com".into(),
            cases: Vec::new(),
            violations: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
            preconditions: Vec::new(),
            differences: Vec::new(),
            requests: 0,
            elapsed: std::time::Duration::ZERO,
        };
        let text = summary_text(&contract, &load);
        assert!(
            text.lines()
                .any(|l| l.starts_with("NOT TESTED isolation across accounts not tested: ")),
            "{text}"
        );
    }
}
