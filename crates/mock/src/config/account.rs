//! The accounts the mock knows, and the default one (from the environment or built in).

use std::fmt;

use serde::Deserialize;
use tco_sign::Credentials;

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
    pub(super) secret_key: String,
    #[serde(default)]
    pub(super) token: Option<String>,
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
