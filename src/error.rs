//! How the CLI ends: the one definition of its exit statuses, and the errors every subcommand
//! returns (one line on stderr naming the problem, and the status that goes with it).

use std::process::ExitCode;

use thiserror::Error;

/// Exit status 0: the command did what was asked and what it checked holds.
pub const SUCCESS: u8 = 0;

/// Exit status 2: the user asked for something that cannot be done as asked.
pub const USAGE: u8 = 2;

/// Exit status 1: the command ran and what it checked does not hold (an API error for `call`,
/// contract violations for `contract`, a rate-limit mismatch for `load`).
pub const CHECK_FAILED: u8 = 1;

/// Exit status 3: a load run could not offer the load it intended (a busy machine, usually),
/// so it shows nothing about the limit; what holds at any load held. Running it again
/// on a quieter machine is the remedy.
pub const LOAD_NOT_OFFERED: u8 = 3;

#[derive(Debug, Error)]
pub enum CliError {
    /// Bad arguments, unknown names, inputs that do not match the contract, missing credentials.
    #[error("{0}")]
    Usage(String),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    /// The command ran and found what it looks for (contract violations): exit status 1.
    #[error("{0}")]
    Violations(String),
    /// The API answered with an error envelope (exit 1), printed as the API gave it.
    #[error("{code}: {message} (RequestId: {request_id})")]
    Api {
        code: String,
        message: String,
        request_id: String,
    },
    /// The call did not complete: network, TLS, timeout, an undecodable answer (exit 2).
    #[error("{0}")]
    Failed(String),
    /// A load run could not offer its load and nothing else failed: exit status 3.
    #[error("{0}")]
    LoadNotOffered(String),
    /// The command printed its findings itself (a load run's table, its FAIL and LOAD NOT
    /// OFFERED lines); only the exit status (1 or 3) is left to give.
    #[error("exit status {0}")]
    Reported(u8),
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    pub fn violations(message: impl Into<String>) -> Self {
        CliError::Violations(message.into())
    }

    pub fn failed(message: impl Into<String>) -> Self {
        CliError::Failed(message.into())
    }

    /// Exit with `status` after the command printed its findings: `Ok` for 0.
    pub fn status(status: u8) -> Result<(), CliError> {
        match status {
            SUCCESS => Ok(()),
            other => Err(CliError::Reported(other)),
        }
    }

    /// The documented exit status of this error.
    pub fn exit_status(&self) -> u8 {
        match self {
            CliError::Api { .. } | CliError::Violations(_) => CHECK_FAILED,
            CliError::Usage(_) | CliError::Output(_) | CliError::Failed(_) => USAGE,
            CliError::LoadNotOffered(_) => LOAD_NOT_OFFERED,
            CliError::Reported(status) => *status,
        }
    }

    /// Prints the error as one line and returns its exit status.
    pub fn report(&self) -> ExitCode {
        match self {
            // `Code: Message (RequestId: ...)`, unprefixed, so scripts can parse it.
            CliError::Api { .. } => eprintln!("{}", one_line(&self.to_string())),
            // Already printed on stdout, where the command's findings go.
            CliError::Reported(_) => {}
            _ => eprintln!("tco-harness: {}", one_line(&self.to_string())),
        }
        ExitCode::from(self.exit_status())
    }
}

/// A subcommand's outcome as the process's exit status (the error, if any, on one line).
pub fn exit(outcome: Result<(), CliError>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::from(SUCCESS),
        Err(e) => e.report(),
    }
}

/// Folds a message onto a single line, so scripts can rely on `head -1`.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Clap's errors are multi-line with usage; keep their first paragraph and their tips (the
/// "did you mean" of a mistyped flag or subcommand), folded onto one line, and let help and
/// version print as clap intends. A bare `tco-harness` is a usage error.
pub fn clap_exit(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::from(SUCCESS)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("tco-harness: a subcommand is required (see --help)");
            ExitCode::from(USAGE)
        }
        _ => {
            eprintln!(
                "tco-harness: {} (see --help)",
                clap_message(&e.render().to_string())
            );
            ExitCode::from(USAGE)
        }
    }
}

/// The first paragraph of a rendered clap error, then its `tip:` lines, on one line.
fn clap_message(rendered: &str) -> String {
    let first_paragraph: Vec<&str> = rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .collect();
    let message = one_line(&first_paragraph.join(" "));
    let mut message = message.trim_start_matches("error: ").to_owned();
    for tip in rendered
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("tip:"))
    {
        message.push_str("; ");
        message.push_str(&one_line(tip));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_tips_survive_on_the_one_line() {
        let rendered = "error: unexpected argument '--endpiont' found\n\n  tip: a similar argument exists: '--endpoint'\n\nUsage: tco-harness call --endpoint <ENDPOINT> <ACTION>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            clap_message(rendered),
            "unexpected argument '--endpiont' found; tip: a similar argument exists: '--endpoint'"
        );
    }
}
