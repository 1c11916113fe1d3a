//! `tco-harness`: the command line. Each subcommand lives in its own module; this file only
//! parses arguments, dispatches, and turns errors into one line and an exit status.

// The arguments' doc comments are their `--help` text, where an example URL reads best bare.
#![allow(rustdoc::bare_urls)]

mod action;
mod call;
mod connection;
mod contract;
mod error;
mod load;
mod load_layers;
mod load_scenario;
mod logging;
mod mock;
mod progress;
mod report_index;
mod run;
mod sign;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Many small short-lived allocations per request (headers, JSON, journal entries) in the mock
// and the load generator: mimalloc serves them faster than glibc's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Contract-test and load-test harness for the Tencent Cloud Organization API.
#[derive(Debug, Parser)]
#[command(name = "tco-harness", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print, as JSON, the exact signed request the harness would send for one call.
    Sign(sign::SignArgs),
    /// Check an endpoint (or the in-process mock) against the contract; `contract validate`
    /// checks one JSON document.
    Contract(contract::ContractArgs),
    /// Call one API action through the reference client and print the `Response` object.
    Call(call::CallArgs),
    /// The main job: the contract suite, then the rate-limit conformance set, against the
    /// in-process mock (default) or --endpoint; one report directory, one exit status.
    Run(run::RunArgs),
    /// Serve the mock Organization API until SIGINT/SIGTERM (prints `listening on http://HOST:PORT`).
    Mock(mock::MockArgs),
    /// Rate-limit runs: the conformance set on the in-process mock, or `load rate-limit`.
    Load(load::LoadArgs),
}

/// The `--endpoint` help of every command: one rule, stated once ([`tco_client::ENDPOINT_RULE`]).
pub fn endpoint_help(default: &str) -> String {
    format!(
        "Where requests go: {} ({default})",
        tco_client::ENDPOINT_RULE
    )
}

fn main() -> ExitCode {
    logging::init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return error::clap_exit(e),
    };
    let outcome = match cli.command {
        Command::Load(args) => load::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Mock(args) => mock::run(args),
        Command::Run(args) => run::run(args),
        Command::Call(args) => call::run(args),
        Command::Contract(args) => contract::run_cli(args),
    };
    error::exit(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every flag and argument of every command says what it is for.
    #[test]
    fn every_argument_has_help_text() {
        use clap::CommandFactory;
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" || arg.is_hide_set() {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in command.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "tco-harness", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:?}");
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
