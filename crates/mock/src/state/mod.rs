//! The mock's world, shared by the 2018-12-25 and 2021-03-31 actions as in the real service.
//!
//! It is kept by area of the API, like moto's backends: each area's module holds its state,
//! its handlers and its business failures (`org`: organizations, units, members and
//! invitations, the core the others hang on). Rules that cross areas (what removing a member or
//! a unit does to everything that hangs on it) live in one place, `cascade`.
//!
//! The HTTP side authenticates, limits and validates a request, then hands it here as a
//! [`Call`]. [`World::handle`] answers `None` for actions without a stateful handler (the caller
//! builds those answers from the contract), else the members of the `Response` object (without
//! `RequestId`) or a [`BusinessError`] whose code the contract documents for that action.
//!
//! The whole world sits behind one lock: every action is atomic and checks everything before it
//! changes anything, so concurrent calls never lose an update or break an invariant (a member is
//! in exactly one unit, a unit's parent exists, the root cannot be deleted). [`coverage`] says
//! which of the 146 actions are stateful and which codes each can produce; `COVERAGE.md` is
//! rendered from it.

mod cascade;
mod ctx;
mod data;
mod failure;
mod identity_center;
pub(crate) use identity_center::ACCESS_ACTIONS as IDENTITY_CENTER_ACCESS_ACTIONS;
mod member_login;
mod org;
mod policies;
mod render;
mod services;
mod sharing;
pub mod snapshot;
mod tasks;

#[cfg(test)]
mod tests;

use std::sync::{Mutex, MutexGuard};

use serde_json::Value;
use tco_spec::Version;

use ctx::Ctx;
use data::{Account, Inner};
use failure::Failure;

pub use render::render_coverage;
pub use snapshot::{DocError, Format, WorldDoc};
pub use tasks::{Completion, TaskPolicy, TaskPolicyError};

/// The state of the mock. `Send + Sync`; cheap to share behind an `Arc`.
#[derive(Debug, Default)]
pub struct World {
    inner: Mutex<Inner>,
    /// What [`World::reset`] returns to; empty without a seed.
    seed: Mutex<Option<Inner>>,
}

/// One validated request, as the stateful side sees it.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub version: Version,
    pub action: &'a str,
    /// The authenticated account.
    pub caller_uin: u64,
    /// The request parameters, already valid against the action's request shape.
    pub params: &'a Value,
    /// Unix seconds, from the mock's injected clock.
    pub now: i64,
    /// The same instant in milliseconds (task timers are finer than a second).
    pub now_millis: i64,
}

/// A documented business error: the `Error` object of the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessError {
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for BusinessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for BusinessError {}

/// A stateful answer's `Response` members (without `RequestId`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Members {
    Tree(Value),
    /// A JSON object, serialised from a typed view.
    Json(Vec<u8>),
}

/// A hot read action's handler that serialises its members itself.
type JsonHandler = fn(&mut Inner, &Ctx<'_>) -> Result<Vec<u8>, BusinessError>;

/// The actions answered through a [`JsonHandler`]: each also has its ordinary handler (which
/// gives the same members as a `Value`, and declares what it raises).
fn json_handler(version: Version, action: &str) -> Option<JsonHandler> {
    match (version, action) {
        (Version::V2021_03_31, "DescribeOrganization") => Some(org::describe_organization_json),
        _ => None,
    }
}

/// One row of the implementation-coverage table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    pub version: Version,
    pub action: &'static str,
    /// Answered from the world; otherwise built from the contract by the HTTP side.
    pub stateful: bool,
    /// Business error codes the stateful handler can produce, sorted.
    pub errors_modelled: Vec<&'static str>,
}

impl World {
    pub fn new() -> Self {
        Self::default()
    }

    /// Empties the world: organizations, invitations and created accounts go, registered
    /// accounts stay, and IDs start again from their first values. The task policy stays
    /// (it is configuration).
    ///
    /// With a seed ([`World::set_seed`]), the world returns to the seed instead.
    pub fn reset(&self) {
        let seed = self
            .seed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or_default();
        self.replace(seed);
    }

    /// Sets the world a reset returns to (`None`: empty) and loads it now.
    pub fn set_seed(&self, seed: Option<WorldDoc>) {
        *self.seed.lock().unwrap_or_else(|e| e.into_inner()) = seed.map(|doc| doc.inner);
        self.reset();
    }

    /// The whole world as a document (a snapshot).
    pub fn export(&self) -> WorldDoc {
        WorldDoc {
            inner: self.lock().clone(),
        }
    }

    /// Replaces the whole world with a checked document. Registered accounts and the task
    /// policy stay, as on a reset: they are configuration, not state.
    pub fn import(&self, doc: &WorldDoc) {
        self.replace(doc.inner.clone());
    }

    fn replace(&self, mut next: Inner) {
        let mut inner = self.lock();
        for (uin, account) in inner.accounts.iter().filter(|(_, a)| a.registered) {
            next.accounts
                .entry(*uin)
                .and_modify(|a| a.registered = true)
                .or_insert_with(|| account.clone());
        }
        next.tasks.policy = inner.tasks.policy.clone();
        *inner = next;
    }

    /// Declares an account that exists (one of the mock's configured callers). Invitations may
    /// name it. Registering again renames it.
    pub fn register_account(&self, uin: u64, name: &str) {
        self.lock().accounts.insert(
            uin,
            Account {
                name: name.to_owned(),
                registered: true,
            },
        );
    }

    /// Runs an action against the world. `None`: the action has no stateful handler.
    pub fn handle(&self, call: &Call<'_>) -> Option<Result<Value, BusinessError>> {
        self.run(call, |handler, inner, ctx| (handler.run)(inner, ctx))
    }

    /// [`World::handle`] for the server: hot read actions answer with their members already
    /// serialised from a typed view (the same members `handle` gives), the others as a tree.
    pub(crate) fn answer(&self, call: &Call<'_>) -> Option<Result<Members, BusinessError>> {
        match json_handler(call.version, call.action) {
            Some(json) => self.run(call, |_, inner, ctx| json(inner, ctx).map(Members::Json)),
            None => self.run(call, |handler, inner, ctx| {
                (handler.run)(inner, ctx).map(Members::Tree)
            }),
        }
    }

    fn run<T>(
        &self,
        call: &Call<'_>,
        run: impl FnOnce(&Handler, &mut Inner, &Ctx<'_>) -> Result<T, BusinessError>,
    ) -> Option<Result<T, BusinessError>> {
        let handler = handler(call.version, call.action)?;
        let action = tco_spec::action(call.version, call.action)?;
        let ctx = Ctx {
            action,
            caller: call.caller_uin,
            params: call.params,
            now: call.now,
            now_millis: call.now_millis,
            raises: handler.raises,
        };
        let mut inner = self.lock();
        inner.ensure_account(call.caller_uin);
        // Tasks whose time has come complete before anything reads the world.
        tasks::settle(&mut inner, call.now_millis);
        Some(run(handler, &mut inner, &ctx))
    }

    /// A poisoned lock still holds a consistent world (handlers change nothing until every
    /// check has passed), so it is used rather than propagated as a panic.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One row per action of both versions, oldest version first, actions by name.
pub fn coverage() -> Vec<CoverageRow> {
    tco_spec::all_actions()
        .map(|action| {
            let handler = handler(action.version, &action.name);
            let mut errors: Vec<&'static str> = handler
                .map(|h| h.raises.iter().map(|f| f.code_for(action)).collect())
                .unwrap_or_default();
            errors.sort_unstable();
            errors.dedup();
            CoverageRow {
                version: action.version,
                action: action.name.as_str(),
                stateful: handler.is_some(),
                errors_modelled: errors,
            }
        })
        .collect()
}

/// A stateful action: what it may raise and how it runs.
pub(crate) struct Handler {
    pub action: &'static str,
    /// Every failure the handler can produce (checked whenever one is raised in tests).
    pub raises: &'static [Failure],
    pub run: fn(&mut Inner, &Ctx<'_>) -> Result<Value, BusinessError>,
}

/// One area of the API: its stateful handlers by version, and the choices it makes where the
/// documentation is silent (rendered into `COVERAGE.md`).
pub(crate) struct Area {
    pub name: &'static str,
    pub handlers: &'static [(Version, &'static [Handler])],
    pub decisions: fn() -> Vec<String>,
}

/// Every area, in the order `COVERAGE.md` lists their decisions.
static AREAS: &[&Area] = &[
    &org::AREA,
    &policies::AREA,
    &member_login::AREA,
    &services::AREA,
    &sharing::AREA,
    &identity_center::AREA,
];

fn handler(version: Version, action: &str) -> Option<&'static Handler> {
    AREAS
        .iter()
        .flat_map(|area| area.handlers.iter())
        .filter(|(v, _)| *v == version)
        .flat_map(|(_, table)| table.iter())
        .find(|h| h.action == action)
}
