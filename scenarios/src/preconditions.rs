//! What a load run needs of its target before it starts, checked first: each case's action,
//! called once by the run's account, must be answered with a success. A run whose calls are
//! all refused for another reason (no organization, an unknown SecretId, a server that does
//! not answer) measures that reason, not the limiter, so it is stopped in one line instead.
//!
//! The one need the harness can meet itself is an organization: with `allow_mutations` it
//! creates one for the account, and [`Prepared::undo`] deletes it after the run.

use serde_json::json;
use tco_sign::Credentials;

use crate::call::Outcome;
use crate::env::{call_once, Case, Env};
use crate::LoadError;

/// The code an action answers when the account is in no organization.
pub const NO_ORGANIZATION: &str = "ResourceNotFound.OrganizationNotExist";

/// What was checked, and what the harness must set up (when allowed) before the run.
#[derive(Debug, Default)]
pub struct Needs {
    /// Accounts that are in no organization.
    pub organization_for: Vec<Credentials>,
    /// The call that showed it, for the message.
    shown_by: Option<String>,
}

/// What [`Needs::set_up`] made, to be undone after the run.
#[derive(Debug, Default)]
pub struct Prepared {
    created_for: Vec<Credentials>,
}

/// Calls each case's action once as the env's first account and reads the answers. `Err` is
/// a precondition the harness cannot meet (or an endpoint that does not answer): one line.
pub async fn check(env: &Env, cases: &[Case]) -> Result<Needs, LoadError> {
    let mut needs = Needs::default();
    let Some(creds) = env.credentials(0) else {
        return Err(LoadError::Usage("no credentials".into()));
    };
    for case in cases {
        let (outcome, _) =
            call_once(env, creds, &case.action, &case.version, case.params.clone()).await;
        let call = format!("{} {}", case.action, case.version);
        match outcome {
            Outcome::Accepted | Outcome::Throttled => {}
            Outcome::OtherError(code) if code == NO_ORGANIZATION => {
                if needs.organization_for.is_empty() {
                    needs.organization_for.push(creds.clone());
                    needs.shown_by = Some(call);
                }
            }
            Outcome::OtherError(code) => {
                return Err(LoadError::Precondition(format!(
                    "a single {call} call by {} is answered {code}, so every call of the run would be: fix that first (the run measures the limiter only on calls that succeed)",
                    creds.secret_id()
                )))
            }
            Outcome::Transport(kind) => return Err(unanswered(env, &kind)),
        }
    }
    Ok(needs)
}

/// The endpoint gave no answer to a single call: say how, in a person's words.
fn unanswered(env: &Env, kind: &str) -> LoadError {
    let why = if kind == "timeout" {
        format!(
            "no answer within {} (the call timed out: the server is slower than the timeout, or does not answer; --timeout raises it)",
            tco_client::body::human_duration(env.call_timeout)
        )
    } else if kind == crate::schedule::CERTIFICATE_NOT_TRUSTED {
        "the server's TLS certificate is not trusted: give the certificate authority that signed it as a PEM file (--ca-cert FILE, or ca_cert in the credentials file)".to_owned()
    } else if kind == "connect" {
        "cannot connect (nothing accepts connections there)".to_owned()
    } else {
        format!("no answer ({kind})")
    };
    LoadError::Unreachable(format!("{}: {why}", env.target.base()))
}

impl Needs {
    pub fn is_empty(&self) -> bool {
        self.organization_for.is_empty()
    }

    /// The one line that says what is missing and how to provide it.
    pub fn describe(&self) -> String {
        let accounts: Vec<&str> = self
            .organization_for
            .iter()
            .map(|c| c.secret_id())
            .collect();
        format!(
            "account {} is in no organization ({} answers {NO_ORGANIZATION}), and the load scenarios read one: create one for it, or pass --allow-mutations to let the harness create one for the run and delete it afterwards",
            accounts.join(", "),
            self.shown_by.as_deref().unwrap_or("the first call")
        )
    }

    /// `Err` with [`Needs::describe`] when something is missing and may not be set up.
    pub fn ensure_allowed(&self, allow_mutations: bool) -> Result<(), LoadError> {
        if self.is_empty() || allow_mutations {
            Ok(())
        } else {
            Err(LoadError::Precondition(self.describe()))
        }
    }

    /// Creates what is missing: an organization for each account without one.
    pub async fn set_up(&self, env: &Env) -> Result<Prepared, LoadError> {
        let mut prepared = Prepared::default();
        for creds in &self.organization_for {
            let (outcome, _) =
                call_once(env, creds, "CreateOrganization", "2021-03-31", json!({})).await;
            if !outcome.is_accepted() {
                return Err(LoadError::Precondition(format!(
                    "account {} is in no organization and creating one was answered {}",
                    creds.secret_id(),
                    describe(&outcome)
                )));
            }
            prepared.created_for.push(creds.clone());
        }
        Ok(prepared)
    }
}

impl Prepared {
    /// Whether the harness made anything.
    pub fn is_empty(&self) -> bool {
        self.created_for.is_empty()
    }

    /// Deletes what [`Needs::set_up`] made; what could not be deleted, one line each.
    pub async fn undo(self, env: &Env) -> Vec<String> {
        let mut left = Vec::new();
        for creds in &self.created_for {
            let (outcome, _) =
                call_once(env, creds, "DeleteOrganization", "2021-03-31", json!({})).await;
            if !outcome.is_accepted() {
                left.push(format!(
                    "the organization created for account {} is still there: deleting it was answered {}",
                    creds.secret_id(),
                    describe(&outcome)
                ));
            }
        }
        left
    }
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Accepted => "success".into(),
        Outcome::Throttled => crate::call::THROTTLE_CODE.into(),
        Outcome::OtherError(code) => code.clone(),
        Outcome::Transport(kind) => format!("no answer ({kind})"),
    }
}
