//! `tco-harness load scenario`: consumer-shaped runs. `terraform-plan` does what the Terraform
//! provider does on a plan of N members and reports what it cost; `mixed` runs the mixed
//! workload (reads of both versions, and unit creates on the mock), each action below its
//! limit. Exit 0 when the plan finished / nothing was throttled, 1 when not, 2 when it cannot
//! run as asked, 3 (mixed) when the load could not be offered.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde_json::json;
use tco_scenarios::terraform_plan::{self, PlanOptions, PlanReport};
use tco_scenarios::{conformance, mixed_workload, preconditions, Env, LoadError, Summary, Target};

use crate::connection::ConnectionArgs;
use crate::error::{CliError, CHECK_FAILED, SUCCESS};
use crate::load::parse_duration;

#[derive(Debug, Args)]
pub struct ScenarioArgs {
    #[command(subcommand)]
    command: ScenarioCommand,
}

#[derive(Debug, Subcommand)]
enum ScenarioCommand {
    /// What the Terraform provider does on a plan of N members: a listing, then one read per
    /// member, each paging through every member 50 at a time, through a client-side limit of
    /// 15/s per action, with the provider's retries. Reports calls, refusals, retries, time.
    TerraformPlan(TerraformPlanArgs),
    /// A mix of actions at once, each below its limit: nothing may be throttled; latency per
    /// action.
    Mixed(MixedArgs),
}

#[derive(Debug, Args)]
struct TerraformPlanArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Managed members the plan reads (the mock is seeded with as many, at most 1000).
    #[arg(long)]
    members: u64,
    /// Member reads at once (Terraform's -parallelism, 10 by default).
    #[arg(long, default_value_t = 10)]
    parallelism: usize,
    /// Stop the plan, unfinished, after this long, e.g. 30m (default 1h).
    #[arg(long, value_parser = parse_duration)]
    max_time: Option<Duration>,
    #[arg(long, help = crate::endpoint_help("default: the mock, started in-process and seeded with the members"))]
    endpoint: Option<String>,
    /// Allow an endpoint under tencentcloudapi.com.
    #[arg(long)]
    allow_production: bool,
    /// How long one call may take before it counts as unanswered, e.g. 5s (default), 30s.
    #[arg(long, value_parser = parse_duration)]
    timeout: Option<Duration>,
}

#[derive(Debug, Args)]
struct MixedArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Requests per second across the mix (each action gets its weight's share, below its
    /// limit).
    #[arg(long, default_value_t = 40.0)]
    rate: f64,
    /// How long, e.g. 10s (default), 1m.
    #[arg(long, value_parser = parse_duration)]
    duration: Option<Duration>,
    #[arg(long, help = crate::endpoint_help("default: the mock, started in-process"))]
    endpoint: Option<String>,
    /// Allow an endpoint under tencentcloudapi.com.
    #[arg(long)]
    allow_production: bool,
    /// Against an endpoint, let the harness create an organization for an account in none
    /// (and delete it afterwards). Unit creates stay off against an endpoint.
    #[arg(long)]
    allow_mutations: bool,
    /// How long one call may take before it counts as unanswered, e.g. 5s (default), 30s.
    #[arg(long, value_parser = parse_duration)]
    timeout: Option<Duration>,
}

/// Runs one scenario; `report_dir` is `load --report-dir`.
pub fn run(args: ScenarioArgs, report_dir: Option<PathBuf>) -> Result<(), CliError> {
    let report_dir =
        report_dir.unwrap_or_else(|| conformance::default_report_dir(&PathBuf::from("reports")));
    match args.command {
        ScenarioCommand::TerraformPlan(a) => terraform(a, report_dir),
        ScenarioCommand::Mixed(a) => crate::load::print_summary(mixed(a, report_dir)?),
    }
}

fn endpoint(
    url: &Option<String>,
    connection: &ConnectionArgs,
    allow_production: bool,
) -> Result<Option<Target>, CliError> {
    let Some(url) = url else {
        return Ok(None);
    };
    let target = Target::new(url)
        .map_err(CliError::usage)?
        .with_root_certificates(connection.roots()?);
    conformance::check_production(&target, allow_production).map_err(usage)?;
    Ok(Some(target))
}

fn terraform(a: TerraformPlanArgs, report_dir: PathBuf) -> Result<(), CliError> {
    let target = endpoint(&a.endpoint, &a.connection, a.allow_production)?;
    if a.members == 0 || (target.is_none() && a.members > terraform_plan::MOCK_MAX_MEMBERS) {
        return Err(CliError::usage(format!(
            "--members {} must be at least 1{}",
            a.members,
            if target.is_none() {
                format!(
                    " and at most {} (the mock's members per organization)",
                    terraform_plan::MOCK_MAX_MEMBERS
                )
            } else {
                String::new()
            }
        )));
    }
    if a.members > 50_000 {
        return Err(CliError::usage(format!(
            "--members {} must be at most 50000",
            a.members
        )));
    }
    if !(1..=100).contains(&a.parallelism) {
        return Err(CliError::usage(format!(
            "--parallelism {} must be between 1 and 100",
            a.parallelism
        )));
    }
    let mut options = PlanOptions::provider(a.members);
    options.parallelism = a.parallelism;
    if let Some(max) = a.max_time {
        options.max_time = max;
    }
    let timeout = a.timeout.unwrap_or(Duration::from_secs(5));
    let connection = a.connection.clone();
    let (report, driven) = conformance::block_on(async move {
        // The mock stays alive until the plan is over.
        let (label, pager, _mock) = match target {
            Some(target) => {
                let creds = connection.credentials().await.map_err(cli_to_load)?;
                let label = target.base();
                (
                    label,
                    terraform_plan::http_pager(target, creds, timeout)?,
                    None,
                )
            }
            None => {
                let mock = terraform_plan::start_mock(a.members).await?;
                let env = Env::for_mock(mock.clone());
                let creds = env
                    .credentials(0)
                    .cloned()
                    .ok_or_else(|| LoadError::Usage("the mock serves no account".into()))?;
                let pager = terraform_plan::http_pager(env.target.clone(), creds, timeout)?;
                (env.label.clone(), pager, Some(mock))
            }
        };
        let driven = terraform_plan::drive(pager, &options).await;
        Ok::<_, LoadError>((PlanReport::new(&label, &options, &driven), driven))
    })
    .map_err(usage)?
    .map_err(usage)?;
    // Nothing accepted and nothing throttled: the endpoint refuses the plan for another
    // reason (no organization, bad credentials) or does not answer; the plan measures nothing.
    if report.accepted == 0 && report.throttled == 0 {
        let why = report.violations.first().cloned().unwrap_or_default();
        return Err(CliError::failed(format!("{}: {why}", report.endpoint)));
    }
    print!("{}", report.text());
    let dir = report_dir.join("terraform-plan");
    report
        .write(&dir, &driven)
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", dir.display())))?;
    println!("reports: {}", dir.display());
    CliError::status(if report.pass { SUCCESS } else { CHECK_FAILED })
}

fn mixed(a: MixedArgs, report_dir: PathBuf) -> Result<Summary, CliError> {
    let target = endpoint(&a.endpoint, &a.connection, a.allow_production)?;
    if !(a.rate > 0.0 && a.rate <= 10_000.0) {
        return Err(CliError::usage(format!(
            "--rate {} must be above 0 and at most 10000",
            a.rate
        )));
    }
    let duration_ms = a.duration.unwrap_or(Duration::from_secs(10)).as_millis() as u64;
    let connection = a.connection.clone();
    let outcome = conformance::block_on(async move {
        let on_mock = target.is_none();
        let env = match target {
            Some(target) => {
                let creds = connection.credentials().await.map_err(cli_to_load)?;
                Env::new(target, creds)
            }
            None => {
                let calls = (a.rate * duration_ms as f64 / 1000.0).ceil() as usize;
                let mock = conformance::start_mock(None, calls * 3 + 1000).await;
                let env = Env::for_mock(mock);
                tco_scenarios::env::ensure_organization(&env).await?;
                env
            }
        }
        .with_report_dir(Some(report_dir));
        let env = match a.timeout {
            Some(t) => env.with_call_timeout(t),
            None => env,
        };
        // Unit creates only on the mock, under its root unit.
        let root = if on_mock { root_node(&env).await } else { None };
        let mix = mixed_workload::default_mix(root)?;
        // Checked with the parameters of a real call (a create needs its name).
        let cases: Vec<_> = mix
            .iter()
            .map(|m| m.case.clone().with_params((m.params)(0)))
            .collect();
        let needs = preconditions::check(&env, &cases).await?;
        needs.ensure_allowed(a.allow_mutations)?;
        let prepared = needs.set_up(&env).await?;
        let started = tco_scenarios::schedule::wall_ms();
        let result = conformance::measured(&env, || {
            mixed_workload::run(&env, &mix, a.rate, duration_ms)
        })
        .await;
        for left in prepared.undo(&env).await {
            eprintln!("tco-harness: note: {left}");
        }
        let summary = Summary::new(&env.label, started, vec![result?], env.report_dir.clone())
            .with_call_timeout(env.call_timeout);
        if let Some(dir) = &env.report_dir {
            summary.write(dir)?;
        }
        Ok::<_, LoadError>(summary)
    });
    outcome.map_err(usage)?.map_err(usage)
}

/// The root unit of the first account's organization.
async fn root_node(env: &Env) -> Option<u64> {
    let creds = env.credentials(0)?;
    let (outcome, answer) =
        tco_scenarios::env::call_once(env, creds, "DescribeOrganization", "2021-03-31", json!({}))
            .await;
    outcome
        .is_accepted()
        .then(|| answer["RootNodeId"].as_u64())
        .flatten()
}

fn usage(e: LoadError) -> CliError {
    CliError::usage(e.to_string())
}

/// A CLI error met inside a run (credentials), as the run's error: its line is kept.
pub(crate) fn cli_to_load(e: CliError) -> LoadError {
    LoadError::Usage(e.to_string())
}
