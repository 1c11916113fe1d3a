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

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use tco_sign::Credentials;
use tco_spec::{contract, Version};

use crate::connections::DEFAULT_MAX_CONNECTIONS;
use crate::faults::{FaultRule, ANY_ACTION};
use crate::journal::DEFAULT_JOURNAL_CAPACITY;
use crate::limiter::{Algorithm, LimitOverrides, UnknownAlgorithm};
use crate::limits::{KeyMode, Layers, LimitModel, UnknownKeyMode};
use crate::request::BODY_READ_TIMEOUT;
use crate::state::TaskPolicy;

/// The default account's uin.
pub const DEFAULT_UIN: u64 = 100_000_000_001;
/// The built-in test account's SecretId (when the environment gives none). Not a secret.
pub const DEFAULT_SECRET_ID: &str = "AKIDMockDefaultAccount00000000000000";
/// The built-in test account's SecretKey. Published on purpose: it guards nothing but a mock.
pub const DEFAULT_SECRET_KEY: &str = "tco-harness-mock-default-secret-key";
/// The built-in account's display name.
pub const DEFAULT_ACCOUNT_NAME: &str = "mock-default";

/// The environment variables the official SDKs read credentials from.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";

/// An account the mock knows: who it is and the credentials that sign as it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub uin: u64,
    pub secret_id: String,
    secret_key: String,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// The main account this one is a sub-account of; `None`: a main account.
    #[serde(default)]
    pub owner_uin: Option<u64>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("uin", &self.uin)
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("name", &self.name)
            .field("owner_uin", &self.owner_uin)
            .finish()
    }
}

impl Account {
    pub fn new(uin: u64, secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            uin,
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            name: None,
            owner_uin: None,
        }
    }

    /// A sub-account of the main account `owner_uin`: it signs with its own keys, has its
    /// own per-action budgets, and acts on its main account's organization.
    pub fn with_owner(mut self, owner_uin: u64) -> Self {
        self.owner_uin = Some(owner_uin);
        self
    }

    /// Temporary credentials: requests must carry this token.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The built-in test account.
    pub fn builtin() -> Self {
        Self::new(DEFAULT_UIN, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
            .with_name(DEFAULT_ACCOUNT_NAME)
    }

    /// The default account: the environment's credentials when both variables are set and
    /// non-empty, else [`Account::builtin`].
    pub fn default_account() -> Self {
        Self::from_environment().unwrap_or_else(Self::builtin)
    }

    /// The account of `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY`, when both are set
    /// and non-empty.
    pub fn from_environment() -> Option<Self> {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        match (var(ENV_SECRET_ID), var(ENV_SECRET_KEY)) {
            (Some(id), Some(key)) => {
                Some(Self::new(DEFAULT_UIN, id, key).with_name(DEFAULT_ACCOUNT_NAME))
            }
            _ => None,
        }
    }

    /// The name the state knows the account by.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("account-{}", self.uin))
    }

    /// The credentials a client signs with as this account.
    pub fn credentials(&self) -> Credentials {
        let creds = Credentials::new(&self.secret_id, &self.secret_key);
        match &self.token {
            Some(token) => creds.with_token(token),
            None => creds,
        }
    }
}

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

/// Why a configuration was refused; each names the offending entry.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// TOML that does not parse or does not fit the layout. The message names the line and
    /// column and never quotes the file: the offending line may hold a secret key.
    #[error("config {path} is not valid: {}", parse_message(.line, .column, .message))]
    Parse {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("accounts[{index}]: {field} must not be empty")]
    EmptyField { index: usize, field: &'static str },
    #[error("accounts[{index}]: SecretId {secret_id:?} is used by another account")]
    DuplicateSecretId { index: usize, secret_id: String },
    #[error("accounts[{index}]: uin {uin} is declared twice")]
    DuplicateUin { index: usize, uin: u64 },
    #[error(
        "accounts[{index}]: owner_uin {owner_uin} is not the uin of a main account the mock serves"
    )]
    UnknownOwner { index: usize, owner_uin: u64 },
    #[error("rate_limits: {0}")]
    KeyMode(#[from] UnknownKeyMode),
    #[error("rate_limits.actions: {:?} is not an action of any API version{}", .0, tco_spec::did_you_mean(.0))]
    UnknownLimitAction(String),
    #[error("rate_limits: {0}")]
    UnknownAlgorithm(#[from] UnknownAlgorithm),
    #[error("rate_limits: burst is only meaningful with algorithm = \"token-bucket\"")]
    BurstWithoutBucket,
    #[error("faults[{index}]: {action:?} is not an action of any API version (or \"*\"){}", tco_spec::did_you_mean(.action))]
    UnknownFaultAction { index: usize, action: String },
    #[error("faults[{index}]: probability {value} is not between 0.0 and 1.0")]
    Probability { index: usize, value: f64 },
    #[error("faults[{index}]: error code {code:?} is not documented by either API version")]
    UnknownErrorCode { index: usize, code: String },
    #[error("faults[{index}]: the rule sets no error, latency_ms or drop_connection")]
    EmptyFault { index: usize },
    #[error(
        "admin.token must not be empty (leave it out to disable the admin surface off loopback)"
    )]
    EmptyAdminToken,
    #[error("body_timeout_ms must be more than 0")]
    ZeroBodyTimeout,
    #[error("header_timeout_ms must be more than 0")]
    ZeroHeaderTimeout,
    #[error("max_connections must be at least 1")]
    ZeroMaxConnections,
    #[error("no account: builtin_account = false and no [[accounts]] (nor TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)")]
    NoAccount,
}

fn parse_message(line: &Option<usize>, column: &Option<usize>, message: &str) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("line {line}, column {column}: {message}"),
        _ => message.to_owned(),
    }
}

/// A TOML error as position, key and message only, with quoted values blanked: the offending
/// line (which `toml` would quote) and the value in a type error may be a secret key or token.
fn parse_error(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let mut message = blank_quoted(error.message().trim());
    let (line, column) = match error.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let line_text = text[line_start..].lines().next().unwrap_or_default();
            if let Some(key) = key_of(line_text) {
                message = format!("{message} (key `{key}`)");
            }
            let line = before.matches('\n').count() + 1;
            (Some(line), Some(before.len() - line_start + 1))
        }
        None => (None, None),
    };
    ConfigError::Parse {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// The bare key a `key = value` line sets (a name from the file's layout, never a value).
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    bare.then_some(key)
}

/// Replaces the contents of every double-quoted string with `…`; field names (which serde
/// quotes with backticks) stay.
fn blank_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if !inside {
                out.push_str("\"…");
            }
            if inside {
                out.push('"');
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
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

    /// Checks what the types cannot: names exist in the contract, values are in range,
    /// accounts do not collide. Configs built in code are checked when the server starts.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_accounts()?;
        if let Some(name) = self.limits.actions.keys().find(|a| !is_known_action(a)) {
            return Err(ConfigError::UnknownLimitAction(name.clone()));
        }
        for (index, rule) in self.faults.iter().enumerate() {
            validate_fault(index, rule)?;
        }
        if self.admin_token.as_deref() == Some("") {
            return Err(ConfigError::EmptyAdminToken);
        }
        if self.body_timeout.is_zero() {
            return Err(ConfigError::ZeroBodyTimeout);
        }
        if self.header_timeout.is_zero() {
            return Err(ConfigError::ZeroHeaderTimeout);
        }
        if self.max_connections == 0 {
            return Err(ConfigError::ZeroMaxConnections);
        }
        Ok(())
    }

    fn validate_accounts(&self) -> Result<(), ConfigError> {
        let mut ids = HashSet::new();
        let mut uins = HashSet::new();
        if let Some(default) = self.default_account() {
            ids.insert(default.secret_id);
            uins.insert(DEFAULT_UIN);
        }
        if self.accounts.is_empty() && uins.is_empty() {
            return Err(ConfigError::NoAccount);
        }
        for (index, account) in self.accounts.iter().enumerate() {
            if account.secret_id.is_empty() {
                return Err(ConfigError::EmptyField {
                    index,
                    field: "secret_id",
                });
            }
            if account.secret_key.is_empty() {
                return Err(ConfigError::EmptyField {
                    index,
                    field: "secret_key",
                });
            }
            if !ids.insert(account.secret_id.clone()) {
                let secret_id = account.secret_id.clone();
                return Err(ConfigError::DuplicateSecretId { index, secret_id });
            }
            if !uins.insert(account.uin) {
                return Err(ConfigError::DuplicateUin {
                    index,
                    uin: account.uin,
                });
            }
        }
        self.validate_owners()
    }

    /// Every `owner_uin` names a main account the mock serves (not a sub-account, not itself).
    fn validate_owners(&self) -> Result<(), ConfigError> {
        let accounts = self.effective_accounts();
        let is_main = |uin: u64| {
            accounts
                .iter()
                .any(|a| a.uin == uin && a.owner_uin.is_none())
        };
        for (index, account) in self.accounts.iter().enumerate() {
            if let Some(owner_uin) = account.owner_uin.filter(|o| !is_main(*o)) {
                return Err(ConfigError::UnknownOwner { index, owner_uin });
            }
        }
        Ok(())
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

fn is_known_action(name: &str) -> bool {
    Version::ALL
        .into_iter()
        .any(|v| contract(v).action(name).is_some())
}

fn is_known_code(code: &str) -> bool {
    Version::ALL
        .into_iter()
        .any(|v| contract(v).error_code(code).is_some())
}

fn validate_fault(index: usize, rule: &FaultRule) -> Result<(), ConfigError> {
    if rule.action != ANY_ACTION && !is_known_action(&rule.action) {
        let action = rule.action.clone();
        return Err(ConfigError::UnknownFaultAction { index, action });
    }
    if !(0.0..=1.0).contains(&rule.probability) {
        let value = rule.probability;
        return Err(ConfigError::Probability { index, value });
    }
    if let Some(code) = rule.error.as_ref().filter(|c| !is_known_code(c)) {
        let code = code.clone();
        return Err(ConfigError::UnknownErrorCode { index, code });
    }
    if rule.error.is_none() && rule.latency.is_none() && !rule.drop_connection {
        return Err(ConfigError::EmptyFault { index });
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    accounts: Vec<Account>,
    #[serde(default)]
    rate_limits: RawRateLimits,
    #[serde(default)]
    faults: Vec<RawFault>,
    #[serde(default)]
    admin: RawAdmin,
    journal_capacity: Option<usize>,
    seed: Option<u64>,
    body_timeout_ms: Option<u64>,
    #[serde(default)]
    tasks: TaskPolicy,
    header_timeout_ms: Option<u64>,
    max_connections: Option<usize>,
    builtin_account: Option<bool>,
    strict_signatures: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRateLimits {
    default: Option<u32>,
    #[serde(default)]
    actions: BTreeMap<String, u32>,
    algorithm: Option<String>,
    burst: Option<u32>,
    key: Option<String>,
    main_account: Option<u32>,
    main_account_region: Option<u32>,
    source_ip: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFault {
    action: String,
    #[serde(default = "always")]
    probability: f64,
    error: Option<String>,
    latency_ms: Option<u64>,
    #[serde(default)]
    drop_connection: bool,
}

fn always() -> f64 {
    1.0
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdmin {
    token: Option<String>,
}

impl RawConfig {
    fn into_config(self) -> Result<Config, ConfigError> {
        let limits = self.rate_limits;
        let algorithm_name = limits.algorithm.as_deref().unwrap_or("fixed-window");
        let algorithm = Algorithm::from_name(algorithm_name, limits.burst)?;
        if limits.burst.is_some() && !matches!(algorithm, Algorithm::TokenBucket { .. }) {
            return Err(ConfigError::BurstWithoutBucket);
        }
        let limit_model = LimitModel {
            key: limits
                .key
                .as_deref()
                .map_or(Ok(KeyMode::default()), str::parse)?,
            layers: Layers {
                main_account: limits.main_account,
                main_account_region: limits.main_account_region,
                source_ip: limits.source_ip,
            },
        };
        Ok(Config {
            limit_model,
            builtin_account: self.builtin_account.unwrap_or(self.accounts.is_empty()),
            accounts: self.accounts,
            limits: LimitOverrides {
                default: limits.default,
                actions: limits.actions,
            },
            algorithm,
            faults: self.faults.into_iter().map(RawFault::into_rule).collect(),
            seed: self.seed,
            admin_token: self.admin.token,
            journal_capacity: self.journal_capacity.unwrap_or(DEFAULT_JOURNAL_CAPACITY),
            body_timeout: self
                .body_timeout_ms
                .map_or(BODY_READ_TIMEOUT, Duration::from_millis),
            tasks: self.tasks,
            header_timeout: self
                .header_timeout_ms
                .map_or(HEADER_TIMEOUT, Duration::from_millis),
            max_connections: self.max_connections.unwrap_or(DEFAULT_MAX_CONNECTIONS),
            strict_signatures: self.strict_signatures.unwrap_or(false),
        })
    }
}

impl RawFault {
    fn into_rule(self) -> FaultRule {
        FaultRule {
            action: self.action,
            probability: self.probability,
            error: self.error,
            latency: self.latency_ms.map(Duration::from_millis),
            drop_connection: self.drop_connection,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
        journal_capacity = 50
        seed = 42
        body_timeout_ms = 1500
        [[accounts]]
        uin = 100000000002
        secret_id = "AKIDSecond"
        secret_key = "second-key"
        token = "tok"
        name = "second"
        [rate_limits]
        default = 10
        algorithm = "token-bucket"
        burst = 3
        [rate_limits.actions]
        DescribeOrganization = 40
        [[faults]]
        action = "CreateOrganization"
        probability = 0.5
        error = "InternalError"
        latency_ms = 20
        [[faults]]
        action = "*"
        drop_connection = true
        probability = 0.01
        [admin]
        token = "admin-secret"
    "#;

    #[test]
    fn parses_every_section() {
        let c = Config::from_toml(FULL).unwrap();
        assert_eq!(c.journal_capacity, 50);
        assert_eq!(c.seed, Some(42));
        assert_eq!(c.body_timeout, Duration::from_millis(1500));
        assert_eq!(c.accounts.len(), 1);
        assert_eq!(c.accounts[0].credentials().token(), Some("tok"));
        assert_eq!(c.limits.default, Some(10));
        assert_eq!(c.limits.actions["DescribeOrganization"], 40);
        assert_eq!(c.algorithm, Algorithm::TokenBucket { burst: 3 });
        assert_eq!(c.faults[0].latency, Some(Duration::from_millis(20)));
        assert!(c.faults[1].drop_connection);
        assert_eq!(c.admin_token.as_deref(), Some("admin-secret"));
        assert!(
            !c.builtin_account,
            "declared accounts turn the built-in one off"
        );
    }

    #[test]
    fn sub_accounts_key_and_layers_are_read() {
        let c = Config::from_toml(
            "builtin_account = true\n\
             [[accounts]]\nuin = 100000000003\nowner_uin = 100000000001\nsecret_id = \"AKIDsub\"\nsecret_key = \"k\"\n\
             [rate_limits]\nkey = \"legacy\"\nmain_account = 30\nmain_account_region = 20\nsource_ip = 50\n",
        )
        .unwrap();
        assert_eq!(c.accounts[0].owner_uin, Some(DEFAULT_UIN));
        assert_eq!(
            c.limit_model,
            LimitModel {
                key: KeyMode::Legacy,
                layers: Layers {
                    main_account: Some(30),
                    main_account_region: Some(20),
                    source_ip: Some(50),
                },
            }
        );
        // Unset: the documented key, every layer off.
        assert_eq!(
            Config::from_toml("").unwrap().limit_model,
            LimitModel::default()
        );
    }

    #[test]
    fn the_tasks_table_sets_the_task_policy() {
        let c = Config::from_toml(
            "[tasks]\ncomplete = \"after-duration\"\nduration_ms = 1500\nfail = \"no quota\"\n",
        )
        .unwrap();
        assert_eq!(
            c.tasks,
            TaskPolicy::after(Duration::from_millis(1500)).and_fail("no quota")
        );
        let message = error_of("[tasks]\npolls = 0");
        assert!(message.contains("polls"), "{message}");
    }

    #[test]
    fn empty_text_is_the_default() {
        assert_eq!(Config::from_toml("").unwrap(), Config::default());
    }

    #[test]
    fn declaring_the_default_uin_replaces_the_default_account() {
        let c = Config::from_toml(
            "[[accounts]]\nuin = 100000000001\nsecret_id = \"AKIDmine\"\nsecret_key = \"k\"\n",
        )
        .unwrap();
        let accounts = c.effective_accounts();
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].secret_id, "AKIDmine");
    }

    fn error_of(text: &str) -> String {
        Config::from_toml(text).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_problem() {
        let cases = [
            ("[rate_limits]\nalgorithm = \"leaky\"", "leaky"),
            ("[rate_limits]\nburst = 3", "burst"),
            ("[rate_limits.actions]\nNoSuchThing = 3", "NoSuchThing"),
            ("[[faults]]\naction = \"Nope\"\nerror = \"InternalError\"", "faults[0]"),
            ("[[faults]]\naction = \"*\"\nprobability = 1.5\nerror = \"InternalError\"", "1.5"),
            ("[[faults]]\naction = \"*\"\nerror = \"Made.Up\"", "Made.Up"),
            ("[[faults]]\naction = \"*\"", "no error"),
            ("[admin]\ntoken = \"\"", "admin.token"),
            ("body_timeout_ms = 0", "body_timeout_ms"),
            ("colour = \"blue\"", "colour"),
            ("[rate_limits]\ndefault = -1", "default"),
            (
                "[[accounts]]\nuin = 1\nsecret_id = \"A\"\nsecret_key = \"k\"\n[[accounts]]\nuin = 2\nsecret_id = \"A\"\nsecret_key = \"k\"",
                "accounts[1]",
            ),
            ("[[accounts]]\nuin = 1\nsecret_id = \"\"\nsecret_key = \"k\"", "secret_id"),
            ("[rate_limits]\nkey = \"version\"", "version"),
            ("[rate_limits]\nsource_ip = -1", "source_ip"),
            (
                "[[accounts]]\nuin = 3\nowner_uin = 9\nsecret_id = \"A\"\nsecret_key = \"k\"",
                "owner_uin 9",
            ),
            (
                "[[accounts]]\nuin = 2\nsecret_id = \"A\"\nsecret_key = \"k\"\n[[accounts]]\nuin = 3\nowner_uin = 2\nsecret_id = \"B\"\nsecret_key = \"k\"\n[[accounts]]\nuin = 4\nowner_uin = 3\nsecret_id = \"C\"\nsecret_key = \"k\"",
                "accounts[2]: owner_uin 3",
            ),
        ];
        for (text, needle) in cases {
            let message = error_of(text);
            assert!(message.contains(needle), "{text:?} gave {message:?}");
        }
    }

    #[test]
    fn declared_accounts_turn_the_builtin_account_off_unless_asked_for() {
        let declared =
            "[[accounts]]\nuin = 100000000002\nsecret_id = \"AKIDmine\"\nsecret_key = \"k\"\n";
        let c = Config::from_toml(declared).unwrap();
        assert!(!c.builtin_account);
        assert_eq!(c.default_account_given(None), None);
        let from_env = Account::new(DEFAULT_UIN, "AKIDfromEnv", "env-key");
        assert_eq!(
            c.default_account_given(Some(from_env.clone())),
            Some(from_env),
            "the environment's credentials stay an account"
        );
        let asked = Config::from_toml(&format!("builtin_account = true\n{declared}")).unwrap();
        assert_eq!(
            asked.default_account_given(None).map(|a| a.secret_id),
            Some(DEFAULT_SECRET_ID.to_string())
        );
        // Without declared accounts, and in code, the built-in account serves.
        for c in [Config::from_toml("").unwrap(), Config::default()] {
            assert_eq!(
                c.default_account_given(None).map(|a| a.secret_id),
                Some(DEFAULT_SECRET_ID.to_string())
            );
        }
    }

    #[test]
    fn no_account_at_all_is_refused() {
        let c = Config {
            builtin_account: false,
            ..Config::default()
        };
        if Account::from_environment().is_none() {
            assert!(matches!(c.validate(), Err(ConfigError::NoAccount)));
        } else {
            assert!(c.validate().is_ok());
        }
    }

    #[test]
    fn parse_errors_name_the_place_and_never_quote_a_value() {
        let cases = [
            (
                "[[accounts]]\nuin = 1\nsecret_id = \"AKIDx\"\nsecret_key = \"s3cr3t-in-line\" x\n",
                "line 4",
            ),
            ("[rate_limits]\ndefault = \"s3cr3t-typed\"\n", "line 2"),
            ("[admin]\ntoken = [\"s3cr3t-listed\"]\n", "line 2"),
            ("seed = \"s3cr3t-seed\n", "line 1"),
        ];
        for (text, place) in cases {
            let message = error_of(text);
            assert!(!message.contains("s3cr3t"), "{text:?} gave {message:?}");
            assert!(message.contains(place), "{text:?} gave {message:?}");
            assert_eq!(message.lines().count(), 1, "{message:?}");
        }
    }

    #[test]
    fn unreadable_file_names_the_path() {
        let err = Config::load("/nonexistent/mock.toml").unwrap_err();
        assert!(err.to_string().contains("/nonexistent/mock.toml"));
    }

    #[test]
    fn debug_redacts_keys_and_tokens() {
        let shown = format!("{:?}", Config::from_toml(FULL).unwrap());
        assert!(!shown.contains("second-key"));
        assert!(!shown.contains("\"tok\""));
        assert!(!shown.contains("admin-secret"));
        assert!(shown.contains("AKIDSecond"));
    }
}
