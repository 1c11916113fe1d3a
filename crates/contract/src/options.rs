//! What a run checks (the target) and how it runs (the options), and why a run cannot be made.

use std::sync::Arc;
use std::time::Duration;

use tco_clock::{Clock, SystemClock};
use tco_sign::Credentials;
use tco_spec::Version;

use crate::wire::{BadEndpoint, TransportError};

/// What the suite checks. Not called `Target`: that is `tco_scenarios::Target`, where load
/// calls go, which the CLI's `run` imports beside this one.
#[derive(Debug, Clone)]
pub enum SuiteTarget {
    /// An endpoint, e.g. `https://organization.intl.tencentcloudapi.com` or a staging URL,
    /// called with these credentials.
    Endpoint {
        url: String,
        credentials: Credentials,
    },
    /// The project's own mock, started in-process for the run (with a second account, so the
    /// invitation flow has someone to invite).
    #[cfg(feature = "mock")]
    Mock,
}

impl SuiteTarget {
    pub fn endpoint(url: impl Into<String>, credentials: Credentials) -> Self {
        SuiteTarget::Endpoint {
            url: url.into(),
            credentials,
        }
    }
}

/// How to run.
#[derive(Clone)]
pub struct Options {
    /// Versions to check; empty: both.
    pub versions: Vec<Version>,
    /// Action names to check (in every selected version that has them); empty: all.
    pub actions: Vec<String>,
    /// Run actions that change state against an endpoint (always on against the mock).
    pub allow_mutations: bool,
    /// Also send every probe to an in-process mock and report where the answers differ.
    pub compare_mock: bool,
    /// Burst one read action above its documented limit.
    pub rate_limit: bool,
    /// The action the burst goes to; by default `DescribeOrganization` (or the first read-only
    /// action selected).
    pub rate_limit_action: Option<String>,
    /// Run the stateful flows (when their actions are selected and may run).
    pub flows: bool,
    /// The uin of an account the invitation flow may invite (the flow is skipped without one;
    /// against the mock a second account is made for it).
    pub invitee_uin: Option<u64>,
    /// The UIN of one of the manager's sub-accounts, for the flow that binds one to log in to
    /// a member (skipped without one; against the mock a UIN it knows no account for).
    pub sub_account_uin: Option<u64>,
    /// Actions probed at once.
    pub concurrency: usize,
    /// Each request's timeout.
    pub timeout: Duration,
    /// The largest answer body read (default [`tco_client::DEFAULT_MAX_RESPONSE_BYTES`]); a
    /// larger answer is reported as such and never read whole.
    pub max_response_bytes: usize,
    /// The share of an action's documented limit the probes may use per second.
    pub pace: f64,
    /// The clock that stamps requests, aligns the rate-limit burst, and runs the in-process
    /// mocks (so a test may put the whole run on one [`tco_clock::ManualClock`]).
    pub clock: Arc<dyn Clock>,
    /// Told what the run is doing as it goes (phase and counts), one line at a time.
    pub progress: Option<Progress>,
    /// Certificate authorities an endpoint's certificate may chain to besides the system's.
    pub root_certificates: tco_client::RootCertificates,
}

/// Receives progress lines, e.g. `contract: 37/146 actions probed, 1204 requests`.
pub type Progress = Arc<dyn Fn(&str) + Send + Sync>;

impl Default for Options {
    fn default() -> Self {
        Options {
            versions: Vec::new(),
            actions: Vec::new(),
            allow_mutations: false,
            compare_mock: false,
            rate_limit: true,
            rate_limit_action: None,
            flows: true,
            invitee_uin: None,
            sub_account_uin: None,
            concurrency: 32,
            timeout: Duration::from_secs(30),
            max_response_bytes: tco_client::DEFAULT_MAX_RESPONSE_BYTES,
            pace: 0.75,
            clock: Arc::new(SystemClock),
            progress: None,
            root_certificates: tco_client::RootCertificates::default(),
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("versions", &self.versions)
            .field("actions", &self.actions)
            .field("allow_mutations", &self.allow_mutations)
            .field("compare_mock", &self.compare_mock)
            .field("rate_limit", &self.rate_limit)
            .field("rate_limit_action", &self.rate_limit_action)
            .field("flows", &self.flows)
            .field("invitee_uin", &self.invitee_uin)
            .field("sub_account_uin", &self.sub_account_uin)
            .field("concurrency", &self.concurrency)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("pace", &self.pace)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

/// Why a run could not be made (as opposed to a run that found violations).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The options ask for something that does not exist or cannot be combined.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    BadEndpoint(#[from] BadEndpoint),
    /// The first request got no usable answer: the endpoint is down, too slow, or answers
    /// with something no client should read.
    #[error("{}", no_answer(.0))]
    Connect(#[source] TransportError),
}

fn no_answer(e: &TransportError) -> String {
    match e {
        TransportError::Timeout { .. } => format!("the endpoint did not answer in time: {e}"),
        TransportError::TooLarge { .. } => format!("the endpoint's answer is too large: {e}"),
        TransportError::Failed { .. } => format!("cannot reach the endpoint: {e}"),
        TransportError::CertificateNotTrusted { .. } => format!("cannot reach the endpoint: {e}"),
    }
}
