//! `tco-harness load`: rate-limit runs. A thin shell over `tco_scenarios`: parse, run, print
//! the table, exit 0 (matches), 1 (does not match), 2 (cannot run as asked) or 3 (the load
//! could not be offered, so nothing is known about the limit).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use tco_scenarios::{conformance, preconditions, Case, Env, LoadError, Status, Summary, Target};

use crate::action::{resolve_action, VersionArg};
use crate::error::{CliError, CHECK_FAILED, LOAD_NOT_OFFERED, SUCCESS};

mod merge;
mod shard;

#[derive(Debug, Args)]
pub struct LoadArgs {
    #[command(subcommand)]
    command: Option<LoadCommand>,
    /// Where reports go (default `reports/load-<UTC timestamp>/`).
    #[arg(long, global = true)]
    report_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum LoadCommand {
    /// One action at one rate: does it honour its limit?
    RateLimit(RateLimitArgs),
    /// Consumer-shaped runs: `terraform-plan`, `mixed`.
    Scenario(crate::load_scenario::ScenarioArgs),
    /// The limits on top of the per-action one: sub-accounts, main account, source IP.
    Layers(crate::load_layers::LayersArgs),
    /// Judge a sharded run: the union of the shards' calls (`rate-limit --shard`), as one run.
    Merge(merge::MergeArgs),
}

#[derive(Debug, Args)]
struct RateLimitArgs {
    /// The action, e.g. DescribeOrganization.
    #[arg(long)]
    action: String,
    #[command(flatten)]
    version: VersionArg,
    /// Requests per second to offer (an open-model schedule: held whatever the latency).
    #[arg(long, allow_negative_numbers = true)]
    rate: f64,
    /// How long, e.g. 10s, 1500ms, 1m.
    #[arg(long, value_parser = parse_duration)]
    duration: Duration,
    /// The limit to expect (default: the contract's documented limit).
    #[arg(long, allow_negative_numbers = true)]
    expect_limit: Option<i64>,
    #[arg(long, help = crate::endpoint_help("default: the mock, started in-process"))]
    endpoint: Option<String>,
    #[command(flatten)]
    connection: crate::connection::ConnectionArgs,
    /// Allow an endpoint under tencentcloudapi.com.
    #[arg(long)]
    allow_production: bool,
    /// Against an endpoint, let the harness create what the run needs (an organization for an
    /// account in none) and delete it afterwards; without it, a missing need stops the run.
    #[arg(long)]
    allow_mutations: bool,
    /// How long one call may take before it counts as unanswered, e.g. 5s (default), 30s.
    #[arg(long, value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// At most N calls in flight at once, each on its own keep-alive connection (default 50, as oha).
    /// A call due while all N are busy waits for one and leaves late; a run with too many late
    /// calls is reported as load not offered, never as a limiter result.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    connections: Option<i64>,
    /// Benchmarks: replace every limit of the in-process mock with this one.
    #[arg(long, hide = true)]
    mock_limit: Option<u32>,
    /// Send only shard I of N of this run's schedule (the arrivals whose index is I mod N), for
    /// a load larger than one machine; needs --start-at and --endpoint. Judge the shards
    /// together with `load merge`.
    #[arg(long, value_name = "I/N", value_parser = shard::parse_shard, requires = "start_at")]
    shard: Option<tco_scenarios::shard::ShardSpec>,
    /// With --shard: when every shard starts, RFC 3339 (e.g. 2026-12-02T01:30:00Z), the same
    /// on every machine, in the next 24 h.
    #[arg(long, value_name = "TIME", requires = "shard")]
    start_at: Option<String>,
}

/// `--duration`, `--timeout`, `--max-time`: humantime's forms (`10s`, `1500ms`, `1m`, `1m30s`),
/// or a bare number of seconds; above 0 and at most 1h.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let invalid = || format!("invalid duration {s:?} (e.g. 10s, 1500ms, 1m)");
    let bare_seconds = !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
    let duration = if bare_seconds {
        let secs: f64 = s.parse().map_err(|_| invalid())?;
        Duration::try_from_secs_f64(secs).map_err(|_| invalid())?
    } else {
        humantime::parse_duration(s).map_err(|_| invalid())?
    };
    if duration.is_zero() || duration > Duration::from_secs(3600) {
        return Err(format!("duration {s:?} must be above 0 and at most 1h"));
    }
    Ok(duration)
}

pub fn run(args: LoadArgs) -> Result<(), CliError> {
    // A shard judges nothing: its own report and exit status.
    if matches!(&args.command, Some(LoadCommand::RateLimit(a)) if a.shard.is_some()) {
        return shard::run(args);
    }
    let LoadArgs {
        command,
        report_dir,
    } = args;
    let rate_limit = match command {
        Some(LoadCommand::Scenario(scenario)) => {
            return crate::load_scenario::run(scenario, report_dir)
        }
        Some(LoadCommand::Layers(layers)) => return crate::load_layers::run(layers, report_dir),
        Some(LoadCommand::Merge(m)) => {
            let dir = report_dir
                .unwrap_or_else(|| conformance::default_report_dir(&PathBuf::from("reports")));
            return print_summary(merge::run(m, dir)?);
        }
        Some(LoadCommand::RateLimit(a)) => Some(a),
        None => None,
    };
    print_summary(run_inner(rate_limit, report_dir)?)
}

/// Prints a run's table, failures and shortfalls; its exit status.
pub fn print_summary(summary: Summary) -> Result<(), CliError> {
    // Nothing answered: the endpoint is unreachable or too slow, not the limiter wrong.
    if let Some(why) = summary.unreachable() {
        return Err(CliError::failed(format!("{}: {why}", summary.endpoint)));
    }
    print!("{}", summary.table());
    for failure in summary.failures() {
        println!("FAIL {failure}");
    }
    for shortfall in summary.load_shortfalls() {
        println!("LOAD NOT OFFERED {shortfall}");
    }
    for untested in summary.not_tested() {
        println!("NOT TESTED {untested}");
    }
    if let Some(dir) = &summary.report_dir {
        crate::report_index::write(dir, "tco-harness load", summary.pass)
            .map_err(|e| CliError::usage(format!("cannot write {}: {e}", dir.display())))?;
        println!("reports: {}", dir.join("index.html").display());
    }
    CliError::status(exit_status(summary.status))
}

/// 0 when the behaviour matches, 1 when it does not, 3 when the run could not offer its load.
pub fn exit_status(status: Status) -> u8 {
    match status {
        Status::Pass => SUCCESS,
        Status::Fail => CHECK_FAILED,
        Status::LoadNotOffered => LOAD_NOT_OFFERED,
    }
}

fn run_inner(
    rate_limit: Option<RateLimitArgs>,
    report_dir: Option<PathBuf>,
) -> Result<Summary, CliError> {
    let report_dir =
        report_dir.unwrap_or_else(|| conformance::default_report_dir(&PathBuf::from("reports")));
    let outcome = match rate_limit {
        None => conformance::block_on(conformance::run_conformance_on_mock(Some(report_dir))),
        Some(a) => {
            let case = case(&a)?;
            let connections = connections(a.connections)?;
            if !(a.rate > 0.0 && a.rate <= 100_000.0) {
                return Err(CliError::usage(format!(
                    "--rate {} must be above 0 and at most 100000",
                    a.rate
                )));
            }
            let endpoint = match &a.endpoint {
                Some(url) => {
                    let target = Target::new(url)
                        .map_err(CliError::usage)?
                        .with_root_certificates(a.connection.roots()?);
                    conformance::check_production(&target, a.allow_production).map_err(usage)?;
                    Some(target)
                }
                None => None,
            };
            let connection = a.connection.clone();
            let creds = match &endpoint {
                Some(_) => Some(conformance::block_on(connection.credentials()).map_err(usage)??),
                None => None,
            };
            conformance::block_on(async move {
                let env = match (endpoint, creds) {
                    (Some(target), Some(creds)) => Env::new(target, creds),
                    _ => {
                        let calls = (a.rate * a.duration.as_secs_f64()).ceil() as usize;
                        let mock = conformance::start_mock(a.mock_limit, calls + 1000).await;
                        let env = Env::for_mock(mock);
                        tco_scenarios::env::ensure_organization(&env).await?;
                        env
                    }
                }
                .with_report_dir(Some(report_dir));
                let env = match a.timeout {
                    Some(timeout) => env.with_call_timeout(timeout),
                    None => env,
                }
                .with_max_in_flight(connections);
                // What the run needs, checked before it starts; set up only when allowed.
                let needs = preconditions::check(&env, std::slice::from_ref(&case)).await?;
                needs.ensure_allowed(a.allow_mutations)?;
                let prepared = needs.set_up(&env).await?;
                let summary =
                    conformance::run_rate_limit(&env, &case, a.rate, a.duration.as_millis() as u64)
                        .await;
                for left in prepared.undo(&env).await {
                    eprintln!("tco-harness: note: {left}");
                }
                summary
            })
        }
    };
    outcome.map_err(usage)?.map_err(usage)
}

/// `--connections`, checked: the bound on calls in flight.
fn connections(given: Option<i64>) -> Result<usize, CliError> {
    let Some(n) = given else {
        return Ok(tco_scenarios::attack::DEFAULT_MAX_IN_FLIGHT);
    };
    if !(1..=MAX_CONNECTIONS).contains(&n) {
        return Err(CliError::usage(format!(
            "--connections {n} must be at least 1 and at most {MAX_CONNECTIONS}"
        )));
    }
    Ok(n as usize)
}

/// Far above what one stream needs on one machine (56,000 calls/s held with 50); a bound that
/// turns a typo into a usage error rather than thousands of sockets.
const MAX_CONNECTIONS: i64 = 4096;

fn case(a: &RateLimitArgs) -> Result<Case, CliError> {
    let action = resolve_action(&a.action, &a.version)?;
    let mut case = Case::from_contract(&action.name, action.version.as_str()).map_err(usage)?;
    if let Some(n) = a.expect_limit {
        let n = u32::try_from(n).ok().filter(|&n| n >= 1).ok_or_else(|| {
            CliError::usage(format!(
                "--expect-limit {n} must be at least 1 and at most {}",
                u32::MAX
            ))
        })?;
        case = case.with_limit(n);
    }
    Ok(case)
}

fn usage(e: LoadError) -> CliError {
    CliError::usage(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_has_its_own_exit_status() {
        assert_eq!(exit_status(Status::Pass), 0);
        assert_eq!(exit_status(Status::Fail), 1);
        assert_eq!(exit_status(Status::LoadNotOffered), 3);
    }

    #[test]
    fn durations_in_each_accepted_form() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("1500ms"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration(" 1h "), Ok(Duration::from_secs(3600)));
        // A bare number is seconds, as it always was.
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
    }

    #[test]
    fn durations_out_of_bounds_say_the_bounds() {
        for text in ["0s", "0", "2h", "61m", "3601s"] {
            assert_eq!(
                parse_duration(text),
                Err(format!("duration {text:?} must be above 0 and at most 1h")),
            );
        }
    }

    #[test]
    fn durations_that_do_not_parse_show_examples() {
        for text in ["5 junk", "10x", "", "1..5", "s", "-1s"] {
            assert_eq!(
                parse_duration(text),
                Err(format!("invalid duration {text:?} (e.g. 10s, 1500ms, 1m)")),
            );
        }
    }
}
