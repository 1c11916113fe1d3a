//! The Organization API contract suite, as a library: does an endpoint accept what the
//! contract says it accepts, refuse what it must refuse with the documented code, and answer in
//! the documented shape?
//!
//! Everything is generated from the contract data (`tco-spec`) for every action of both
//! versions:
//! - **checks** applied to every answer: the envelope (JSON, `Content-Type: application/json`,
//!   a `Response` object, `Error.Code` and `Error.Message`), a `RequestId` that is a UUID and
//!   unique across the run, the response shape (unknown members are additive drift: a warning),
//!   and error codes (common, or documented for the action);
//! - **probes** per action: valid requests (TC3 and v1), each required parameter left out, each
//!   member of the wrong type, an unknown parameter, an unknown version, a bad signature, a
//!   timestamp ten minutes old and an unknown SecretId (TC3 and v1); an unknown action per
//!   version;
//! - **flows** for the stateful families (organization, nodes, members, invitations), whose IDs
//!   chain from one call to the next, with teardown;
//! - a **rate-limit smoke**: a burst above one read action's documented limit;
//! - against the in-process mock only, **fixture probes**: an action whose positive probes
//!   got no success (their example IDs do not exist) is called again in a fresh mock set up
//!   for it, the IDs filled from fixtures and the call made by the account that may make it
//!   (check `positive.fixture`), so every action's success is judged for its shape.
//!
//! Against an endpoint, only `Describe*`/`List*`/`Get*` actions run unless
//! [`Options::allow_mutations`]; against the in-process mock everything runs.
//!
//! Where things live: `options` (target and options), `run` (the runner; `run/` holds its
//! parts: `flow_executor`, `rate_limit_smoke`, `fixture_probes`, `mock_target`), `probes`
//! (what is sent), `checks` (the checks on one answer), `verdict` (how an answer is judged,
//! negative probes included), `compare` (an endpoint's answer beside the mock's), `flows`,
//! `pace`, `plan`, `report`, `validate` (a document on disk), `wire` (the HTTP exchange).
//!
//! ```no_run
//! # async fn demo() -> Result<(), tco_contract::RunError> {
//! use tco_contract::{run, Options, SuiteTarget};
//!
//! let report = run(SuiteTarget::Mock, Options::default()).await?;
//! println!("{}", report.summary());
//! assert!(report.passed(), "{:#?}", report.violations);
//! # Ok(()) }
//! ```

pub mod checks;
mod compare;
#[cfg(feature = "mock")]
mod fixtures;
pub mod flows;
mod options;
mod pace;
pub mod plan;
pub mod probes;
pub mod report;
mod run;
pub mod validate;
mod verdict;
pub mod wire;

use std::collections::HashSet;

pub use options::{Options, Progress, RunError, SuiteTarget};
pub use plan::{traffic, Traffic};
pub use report::{Case, Counts, Difference, Finding, Precondition, Report, Skipped, Status};
pub use run::{run, select};
#[cfg(feature = "mock")]
pub use run::{MOCK_INVITEE_UIN, MOCK_SUB_ACCOUNT_UIN};
pub use wire::{Endpoint, Exchange, Outcome, Probe};

/// Judges one answer of an action by the checks every answer gets (envelope, `RequestId`,
/// error code, response shape), as a one-answer report: for users' own tests of an answer
/// they already have.
pub fn check_answer(action: &tco_spec::Action, answer: &Exchange) -> Report {
    let mut recorder = report::Recorder::default();
    verdict::judge(
        &mut recorder,
        &mut HashSet::new(),
        &action.name,
        action.version,
        Some(action),
        answer,
    );
    recorder.finish("one answer".into(), 0)
}
