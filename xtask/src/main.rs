//! `cargo xtask`: the project's generators and their drift checks.
//!
//! `main` only parses arguments and dispatches; each generator lives in its own module so that
//! more of them (e.g. typed models from `spec/`) can be added beside `spec` without touching it.

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
    /// Generate the contract files in spec/ from the reference data.
    GenSpec {
        /// Reference data directory (default: ../shared/reference from the workspace root).
        #[arg(long)]
        reference: Option<PathBuf>,
        /// Output directory (default: spec/ in the workspace root).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Fail when regenerating spec/ would change any committed file.
    CheckSpec {
        /// Reference data directory (default: ../shared/reference from the workspace root).
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
        Command::CheckSpec { reference } => spec::check(
            &reference.unwrap_or_else(default_reference),
            &default_spec_dir(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, found from this crate's manifest so the commands work from any cwd.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn default_reference() -> PathBuf {
    workspace_root().join("../shared/reference")
}

fn default_spec_dir() -> PathBuf {
    workspace_root().join("spec")
}
