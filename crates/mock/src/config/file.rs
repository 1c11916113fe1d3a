//! The TOML file's layout, read into a [`Config`].

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use super::{Account, Config, ConfigError, BODY_READ_TIMEOUT, HEADER_TIMEOUT};
use crate::connections::DEFAULT_MAX_CONNECTIONS;
use crate::faults::FaultRule;
use crate::journal::DEFAULT_JOURNAL_CAPACITY;
use crate::limiter::{Algorithm, LimitOverrides};
use crate::limits::{KeyMode, Layers, LimitModel};
use crate::state::TaskPolicy;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
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
    pub(super) fn into_config(self) -> Result<Config, ConfigError> {
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
