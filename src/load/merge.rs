//! `tco-harness load merge DIR...`: the verdict on a sharded rate-limit run. Reads each
//! shard's `shard.json`, refuses shards of different runs (one line, exit 2), and judges the
//! union of their calls as a single run's: the same reports, table and exit status.

use std::path::PathBuf;

use clap::Args;
use tco_scenarios::{merge, Summary};

use crate::error::CliError;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' report directories (each holds a `shard.json`), one per shard 1..N.
    #[arg(required = true, value_name = "DIR")]
    pub(super) dirs: Vec<PathBuf>,
}

/// The merged verdict, its reports written to `report_dir`.
pub fn run(args: MergeArgs, report_dir: PathBuf) -> Result<Summary, CliError> {
    let files = merge::read(&args.dirs).map_err(CliError::usage)?;
    merge::judge(&files, Some(&report_dir)).map_err(super::usage)
}
