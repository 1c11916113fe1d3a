//! How the CLI fails: one line on stderr naming the problem, and a documented exit status.

use std::process::ExitCode;

use thiserror::Error;

/// Exit status 2: the user asked for something that cannot be done as asked.
pub const USAGE: u8 = 2;

#[derive(Debug, Error)]
pub enum CliError {
    /// Bad arguments, unknown names, inputs that do not match the contract, missing credentials.
    #[error("{0}")]
    Usage(String),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    /// Prints the error as one line and returns its exit status.
    pub fn report(&self) -> ExitCode {
        eprintln!("tco-harness: {}", one_line(&self.to_string()));
        ExitCode::from(USAGE)
    }
}

/// Folds a message onto a single line, so scripts can rely on `head -1`.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Clap's errors are multi-line with usage; keep its first line, and let help and version
/// print as clap intends.
pub fn clap_exit(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            let first = first.trim_start_matches("error: ");
            eprintln!("tco-harness: {first} (see --help)");
            ExitCode::from(USAGE)
        }
    }
}
