//! Everything one running mock holds, shared by its connections behind an `Arc`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tco_sign::{AuthError, Verified};

use crate::admin::AdminAccess;
use crate::config::{Account, Config};
use crate::faults::Faults;
use crate::journal::Journal;
use crate::limiter::Limiter;
use crate::overrides::Overrides;
use crate::request::RawRequest;
use crate::signatures::Authenticator;
use crate::state::World;
use tco_clock::Clock;

/// The service name in TC3 credential scopes.
pub const SERVICE: &str = "organization";

pub(crate) struct App {
    pub clock: Arc<dyn Clock>,
    pub accounts: Vec<Account>,
    signatures: Authenticator,
    callers: HashMap<String, Caller>,
    pub limiter: Limiter,
    pub world: World,
    pub faults: Faults,
    pub overrides: Overrides,
    pub journal: Journal,
    pub admin: AdminAccess,
    /// How long a request's body may take to arrive.
    pub body_timeout: Duration,
    /// How long a connection may take to send its request headers, or stay idle.
    pub header_timeout: Duration,
    /// How many connections may be open at once.
    pub max_connections: usize,
}

impl App {
    /// Builds the mock from a checked config.
    pub fn new(config: &Config, clock: Arc<dyn Clock>, admin: AdminAccess) -> Self {
        let accounts = config.effective_accounts();
        let credentials = accounts
            .iter()
            .map(|a| (a.secret_id.clone(), a.credentials()))
            .collect();
        let callers = accounts
            .iter()
            .map(|a| (a.secret_id.clone(), Caller::of(a)))
            .collect();
        let app = Self {
            limiter: Limiter::new(clock.clone(), config.algorithm, config.limits.clone())
                .with_model(config.limit_model),
            clock,
            signatures: Authenticator::new(credentials, config.strict_signatures),
            callers,
            world: World::new(),
            faults: Faults::new(config.faults.clone(), config.seed),
            overrides: Overrides::default(),
            journal: Journal::new(config.journal_capacity),
            admin,
            body_timeout: config.body_timeout,
            header_timeout: config.header_timeout,
            max_connections: config.max_connections,
            accounts,
        };
        app.register_accounts();
        app.world.set_task_policy(config.tasks.clone());
        app
    }

    fn register_accounts(&self) {
        // A sub-account is no account of its own in the world: it acts on its owner's.
        for account in self.accounts.iter().filter(|a| a.owner_uin.is_none()) {
            self.world
                .register_account(account.uin, &account.display_name());
        }
    }

    /// Back to a fresh start: no organizations, no rate-limit counters, an empty journal.
    /// Accounts, limits and faults stay as configured.
    pub fn reset(&self) {
        self.world.reset();
        self.register_accounts();
        self.limiter.reset();
        self.journal.clear();
    }

    /// Gate step 2: the signature, on the mock's clock.
    pub fn authenticate(&self, raw: &RawRequest) -> Result<Verified<'static>, AuthError> {
        let now = self.clock.now_secs();
        self.signatures.verify(raw, now)
    }

    /// The account behind a SecretId the verifier accepted, and its main account.
    pub fn caller_of(&self, secret_id: &str) -> Caller {
        self.callers.get(secret_id).copied().unwrap_or_default()
    }
}

/// Who signed a request: the (sub-)account the per-action limits key on, and the main
/// account whose organization it acts on (the same uin for a main account).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Caller {
    pub uin: u64,
    pub owner_uin: u64,
}

impl Caller {
    fn of(account: &Account) -> Self {
        Self {
            uin: account.uin,
            owner_uin: account.owner_uin.unwrap_or(account.uin),
        }
    }
}
