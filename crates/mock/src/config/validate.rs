//! What the types cannot check: names exist in the contract, values are in range, accounts
//! do not collide.

use std::collections::HashSet;

use tco_spec::{contract, Version};

use super::{Config, ConfigError, DEFAULT_UIN};
use crate::faults::{FaultRule, ANY_ACTION};

impl Config {
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
