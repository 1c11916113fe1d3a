//! The mock's configuration: accounts, rate limits, faults, the admin token and the journal
//! size, from code or from a TOML file.
//!
//! ```toml
//! [[accounts]]
//! uin = 100000000002
//! secret_id = "AKIDSecondAccount"
//! secret_key = "second-secret"
//! # token = "…"                # temporary credentials: X-TC-Token / Token must match
//! # name = "audit"
//!
//! [[accounts]]                  # a sub-account of the one above: its own keys and uin
//! uin = 100000000003
//! owner_uin = 100000000002      # its main account, whose organization it acts on
//! secret_id = "AKIDSubAccount"
//! secret_key = "sub-secret"
//!
//! [rate_limits]
//! default = 20                  # replaces every documented limit
//! algorithm = "fixed-window"    # or "sliding-window", "token-bucket" (with burst), "unlimited"
//! # burst = 5
//! key = "documented"            # action + access region + (sub-)account; or "legacy":
//!                               # account + version + action + Region parameter
//! # main_account = 100          # per main account across its sub-accounts (off unless set)
//! # main_account_region = 50    # per main account and access region (off unless set)
//! # source_ip = 200             # per source IP (off unless set)
//! [rate_limits.actions]
//! DescribeOrganization = 40     # per action name, both versions; wins over `default`
//!
//! [[faults]]
//! action = "CreateOrganization" # or "*"
//! probability = 0.1
//! error = "InternalError"       # and/or latency_ms = 200, drop_connection = true
//!
//! [admin]
//! token = "…"                   # required for the admin surface off loopback
//!
//! [tasks]                       # when asynchronous tasks (role assignments…) complete
//! complete = "after-polls"      # or "immediately", "after-duration"
//! polls = 2                     # after-polls: the poll of its status that completes a task
//! # duration_ms = 1500          # after-duration: on the mock's clock
//! # fail = "quota exhausted"    # tasks fail with this reason instead of doing their work
//! ```
//!
//! Top-level keys (written before the first table): `journal_capacity = 1000`, `seed = 42`
//! (makes fault rolls repeatable), `body_timeout_ms = 10000` (how long a request body may
//! take to arrive), `header_timeout_ms = 10000` (how long a connection may take to send its
//! request headers, the first byte included, and how long it may sit idle between requests),
//! `max_connections = 512` (open at once; at the bound the oldest idle one is closed),
//! `strict_signatures = true` (refuse the Node.js SDK's TC3 signatures, whose scope names the
//! endpoint's first label and whose signed host lacks the port, as the service does; accepted
//! by default when they verify with the right key) and `builtin_account = true` (see below).
//!
//! The default account (uin [`DEFAULT_UIN`]) has the credentials in `TENCENTCLOUD_SECRET_ID` /
//! `TENCENTCLOUD_SECRET_KEY` when both are set, so the mock and a client share one
//! environment. Otherwise it is the built-in test account ([`DEFAULT_SECRET_ID`] /
//! [`DEFAULT_SECRET_KEY`], published, so anyone can sign as it): there when the config
//! declares no accounts, and off when it declares its own unless it says
//! `builtin_account = true`. Declaring an account with the default uin replaces the default
//! account. A config built in code ([`Config::default`]) keeps the built-in account.

mod account;
mod error;
mod file;
#[cfg(test)]
mod tests;
mod validate;

use std::fmt;
use std::path::Path;
use std::time::Duration;

use crate::connections::DEFAULT_MAX_CONNECTIONS;
use crate::faults::FaultRule;
use crate::journal::DEFAULT_JOURNAL_CAPACITY;
use crate::limiter::{Algorithm, LimitOverrides};
use crate::limits::LimitModel;
use crate::state::TaskPolicy;

/// The default [`Config::body_timeout`] (the gate reads bodies with it).
pub use crate::request::BODY_READ_TIMEOUT;
pub use account::{
    Account, DEFAULT_ACCOUNT_NAME, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, DEFAULT_UIN,
    ENV_SECRET_ID, ENV_SECRET_KEY,
};
use error::parse_error;
pub use error::ConfigError;
use file::RawConfig;

/// Everything the mock can be configured with. `Config::default()` is the default account,
/// the documented limits with Tencent's fixed window, no faults, no admin token.
#[derive(Clone, PartialEq)]
pub struct Config {
    /// Accounts besides the default one (see [`Config::effective_accounts`]).
    pub accounts: Vec<Account>,
    /// Whether the built-in test account serves when the environment gives no credentials.
    /// `true` by default; a TOML config that declares accounts turns it off unless it says
    /// `builtin_account = true`.
    pub builtin_account: bool,
    pub limits: LimitOverrides,
    pub algorithm: Algorithm,
    /// The per-action key and the layers on top (see [`crate::limits`]).
    pub limit_model: LimitModel,
    pub faults: Vec<FaultRule>,
    /// Seeds the fault rolls; `None` seeds from the OS.
    pub seed: Option<u64>,
    pub admin_token: Option<String>,
    pub journal_capacity: usize,
    /// How long a request's body may take to arrive once its headers are in; then the answer
    /// is `InvalidRequest` and the connection is closed. [`BODY_READ_TIMEOUT`] by default;
    /// must not be zero.
    pub body_timeout: Duration,
    /// When asynchronous tasks complete, and whether they fail.
    pub tasks: TaskPolicy,
    /// How long a connection may take to send a request's headers (its first byte included),
    /// and may stay idle between requests, before it is closed. Must not be zero.
    pub header_timeout: Duration,
    /// How many connections may be open at once (at least 1).
    pub max_connections: usize,
    /// Refuse TC3 signatures made the Node.js SDK's way (the scope's service taken from the
    /// endpoint, the signed host without its port), as the service does. `false` by default:
    /// they are accepted when they verify with the account's key (see `signatures` in the
    /// crate documentation).
    pub strict_signatures: bool,
}

/// The default [`Config::header_timeout`].
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for Config {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            builtin_account: true,
            limits: LimitOverrides::default(),
            algorithm: Algorithm::FixedWindow,
            limit_model: LimitModel::default(),
            faults: Vec::new(),
            seed: None,
            admin_token: None,
            journal_capacity: DEFAULT_JOURNAL_CAPACITY,
            body_timeout: BODY_READ_TIMEOUT,
            tasks: TaskPolicy::default(),
            header_timeout: HEADER_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            strict_signatures: false,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("accounts", &self.accounts)
            .field("builtin_account", &self.builtin_account)
            .field("limits", &self.limits)
            .field("algorithm", &self.algorithm)
            .field("limit_model", &self.limit_model)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "<redacted>"),
            )
            .field("journal_capacity", &self.journal_capacity)
            .field("body_timeout", &self.body_timeout)
            .field("tasks", &self.tasks)
            .field("header_timeout", &self.header_timeout)
            .field("max_connections", &self.max_connections)
            .field("strict_signatures", &self.strict_signatures)
            .finish()
    }
}

impl Config {
    /// Reads and checks a TOML file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse_named(&text, path)
    }

    /// Parses and checks TOML text.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        Self::parse_named(text, Path::new("<string>"))
    }

    fn parse_named(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| parse_error(path, text, &e))?;
        let config = raw.into_config()?;
        config.validate()?;
        Ok(config)
    }

    /// The accounts the mock serves: the default account first (when there is one, see the
    /// module documentation), then the declared ones.
    pub fn effective_accounts(&self) -> Vec<Account> {
        self.default_account()
            .into_iter()
            .chain(self.accounts.iter().cloned())
            .collect()
    }

    /// The default account: none when a declared account has its uin; else the environment's
    /// credentials, else the built-in account when it is on.
    fn default_account(&self) -> Option<Account> {
        self.default_account_given(Account::from_environment())
    }

    fn default_account_given(&self, environment: Option<Account>) -> Option<Account> {
        if self.accounts.iter().any(|a| a.uin == DEFAULT_UIN) {
            return None;
        }
        environment.or_else(|| self.builtin_account.then(Account::builtin))
    }
}
