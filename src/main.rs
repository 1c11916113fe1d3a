//! `tco-harness`: the command line. Each subcommand lives in its own module; this file only
//! parses arguments, dispatches, and turns errors into one line and an exit status.

mod error;
mod sign;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return error::clap_exit(e),
    };
    let outcome = match cli.command {
        Command::Sign(args) => sign::run(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
