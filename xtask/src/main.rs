//! `cargo xtask`: the project's generators and their drift checks.
//!
//! `main` only parses arguments and dispatches; each generator lives in its own module:
//! `spec` (the contract, `crates/spec/contract/`, from the reference data in `reference/`) and
//! `models` (typed client models from the contract).

mod drift;
mod models;
mod spec;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Generators for tco-harness")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the contract files in crates/spec/contract/ from the reference data.
    GenSpec {
        /// Reference data directory (default: reference/ in the workspace root).
        #[arg(long)]
        reference: Option<PathBuf>,
        /// Output directory (default: crates/spec/contract/ in the workspace root).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate the typed client models in crates/client/src/models/ from the contract.
    GenModels {
        /// Contract directory (default: crates/spec/contract/ in the workspace root).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Output directory (default: crates/client/src/models/ in the workspace root).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Fail when regenerating the contract or the client models would change any committed file.
    CheckSpec {
        /// Reference data directory (default: reference/ in the workspace root).
        #[arg(long)]
        reference: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::GenSpec { reference, out } => spec::generate(
            &reference.unwrap_or_else(default_reference),
            &out.unwrap_or_else(default_spec_dir),
        ),
        Command::GenModels { spec, out } => models::generate(
            &spec.unwrap_or_else(default_spec_dir),
            &out.unwrap_or_else(default_models_dir),
        ),
        Command::CheckSpec { reference } => check_all(&reference.unwrap_or_else(default_reference)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The drift check CI runs: the contract against the reference data, then the models against
/// the committed contract. Both are checked (and all drift named) before failing.
fn check_all(reference: &std::path::Path) -> Result<(), spec::Error> {
    let spec_result = spec::check(reference, &default_spec_dir());
    let models_dir = default_models_dir();
    let models_result = models::stale(&default_spec_dir(), &models_dir).and_then(|stale| {
        drift::verdict(
            &stale,
            &models_dir,
            "crates/client/src/models/ is up to date",
            "the client models are out of date; run `cargo xtask gen-models`",
        )
    });
    match (spec_result, models_result) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
        (Err(a), Err(b)) => Err(format!("{a}; {b}").into()),
    }
}

/// The workspace root, found from this crate's manifest so the commands work from any cwd.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn default_reference() -> PathBuf {
    workspace_root().join("reference")
}

fn default_spec_dir() -> PathBuf {
    workspace_root().join("crates/spec/contract")
}

fn default_models_dir() -> PathBuf {
    workspace_root().join("crates/client/src/models")
}
