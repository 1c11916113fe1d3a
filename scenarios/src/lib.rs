//! tco-scenarios: goose scenarios that measure the rate-limit behaviour of an Organization API
//! endpoint (the in-process mock by default), and the verdicts computed from them.
//!
//! The layers, from the bottom:
//! - [`call`] and [`verdict`]: pure; the verdict on a list of calls (what `verdict.json` holds);
//! - [`schedule`]: the open-model arrival schedule and the signed call;
//! - [`attack`]: goose embedded, one user per stream, runs serialised;
//! - [`env`](mod@env): a target, accounts, the server's clock (the mock's journal), reports;
//! - the scenarios, one behaviour per module: [`under_limit`], [`over_limit`],
//!   [`window_edge`], [`isolation`], [`recovery`], [`mixed_workload`];
//! - [`conformance`]: the set `tco-harness load` runs, and the single rate-limit run;
//! - [`shard`] and [`merge`]: one shard of a rate-limit run on each of several machines,
//!   and the verdict on their calls together;
//! - [`report`], [`chart`] and [`table`]: `verdict.json`, `chart.svg`, `calls.csv`, the summary
//!   table.

mod answer;
pub mod attack;
pub mod call;
pub mod chart;
pub mod conformance;
pub mod direct;
pub mod env;
pub mod isolation;
pub mod junit;
pub mod layers;
#[cfg(test)]
mod loopback;
pub mod merge;
pub mod mixed_workload;
pub mod over_limit;
pub mod plan;
pub mod preconditions;
pub mod recovery;
pub mod refusals;
pub mod report;
pub mod schedule;
pub mod shard;
mod steady;
pub mod table;
pub mod terraform_plan;
pub mod under_limit;
pub mod verdict;
pub mod window_edge;
pub mod wire;

pub use call::{Call, Key, Outcome};
pub use conformance::{
    run_conformance, run_conformance_on_mock, run_rate_limit, ConformanceOptions,
};
pub use env::{Case, Env};
pub use report::{ScenarioResult, Summary, Untested};
pub use schedule::{Schedule, Stream, Target};
pub use verdict::{Expectation, ScenarioKind, Status, Verdict};

/// Why a load run could not be carried out (as opposed to a verdict that fails).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("goose: {0}")]
    Goose(String),
    #[error("{0}")]
    Usage(String),
    /// The target lacks something the run needs (e.g. an organization for the account).
    #[error("precondition: {0}")]
    Precondition(String),
    /// The target gives no answer (refused, unreachable, slower than the call timeout).
    #[error("{0}")]
    Unreachable(String),
    #[error("cannot write report: {0}")]
    Io(#[from] std::io::Error),
}
