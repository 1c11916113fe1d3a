//! The mock's world: organizations, their units (a tree under a root node) and members, and
//! invitations, shared by the 2018-12-25 and 2021-03-31 actions as in the real service.
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

mod fault;
mod model;
mod ops;
mod render;
mod v2018;
mod v2021;

#[cfg(test)]
mod tests;

use std::sync::{Mutex, MutexGuard};

use serde_json::Value;
use tco_spec::{Action, Version};

use fault::Fault;
use model::{Account, Inner, Tag};

pub use render::render_coverage;

/// The state of the mock. `Send + Sync`; cheap to share behind an `Arc`.
#[derive(Debug, Default)]
pub struct World {
    inner: Mutex<Inner>,
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
    /// accounts stay, and IDs start again from their first values.
    pub fn reset(&self) {
        let mut inner = self.lock();
        let registered = std::mem::take(&mut inner.accounts)
            .into_iter()
            .filter(|(_, a)| a.registered)
            .collect();
        *inner = Inner {
            accounts: registered,
            ..Inner::default()
        };
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
        let handler = handler(call.version, call.action)?;
        let action = tco_spec::action(call.version, call.action)?;
        let ctx = Ctx {
            action,
            caller: call.caller_uin,
            params: call.params,
            now: call.now,
            raises: handler.raises,
        };
        let mut inner = self.lock();
        inner.ensure_account(call.caller_uin);
        Some((handler.run)(&mut inner, &ctx))
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
    pub raises: &'static [Fault],
    pub run: fn(&mut Inner, &Ctx<'_>) -> Result<Value, BusinessError>,
}

fn handler(version: Version, action: &str) -> Option<&'static Handler> {
    let table = match version {
        Version::V2018_12_25 => v2018::HANDLERS,
        Version::V2021_03_31 => v2021::HANDLERS,
    };
    table.iter().find(|h| h.action == action)
}

/// What a handler knows about the call.
pub(crate) struct Ctx<'a> {
    pub action: &'static Action,
    pub caller: u64,
    pub params: &'a Value,
    pub now: i64,
    raises: &'static [Fault],
}

impl Ctx<'_> {
    pub fn err(&self, fault: Fault) -> BusinessError {
        self.check_declared(fault);
        fault.error(self.action, None)
    }

    pub fn err_with(&self, fault: Fault, detail: impl std::fmt::Display) -> BusinessError {
        self.check_declared(fault);
        fault.error(self.action, Some(detail.to_string()))
    }

    /// In tests, a handler raising a failure it does not declare is a bug: the coverage table
    /// would not tell the truth.
    fn check_declared(&self, fault: Fault) {
        #[cfg(test)]
        assert!(
            self.raises.contains(&fault),
            "{} {} raises undeclared {fault:?}",
            self.action.version,
            self.action.name
        );
        #[cfg(not(test))]
        let _ = (fault, self.raises);
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.params.get(key).filter(|v| !v.is_null())
    }

    /// A string member; absent reads as `None`.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// An ID member (uint64 or int64). Absent or negative reads as 0, which no object has.
    pub fn id(&self, key: &str) -> u64 {
        self.get(key).and_then(Value::as_u64).unwrap_or(0)
    }

    /// An integer member, if present; integers beyond the int64 range clamp to it.
    pub fn int(&self, key: &str) -> Option<i64> {
        let v = self.get(key)?;
        v.as_i64().or_else(|| v.as_u64().map(|_| i64::MAX))
    }

    /// A list of IDs; negative entries read as 0.
    pub fn ids(&self, key: &str) -> Vec<u64> {
        self.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_u64().unwrap_or(0)).collect())
            .unwrap_or_default()
    }

    /// A list of `{TagKey, TagValue}` objects.
    pub fn tags(&self, key: &str) -> Vec<Tag> {
        self.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|t| Tag {
                        key: t
                            .get("TagKey")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        value: t
                            .get("TagValue")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `Offset`/`Limit` as documented: Limit 1-50 (10 when absent), Offset at least 0.
    pub fn page(&self) -> Result<Page, BusinessError> {
        let limit = self.int("Limit").unwrap_or(10);
        if !(1..=50).contains(&limit) {
            return Err(self.err_with(Fault::BadValue, format!("Limit must be 1-50, not {limit}.")));
        }
        let offset = self.int("Offset").unwrap_or(0);
        if offset < 0 {
            return Err(self.err_with(
                Fault::BadValue,
                format!("Offset must be at least 0, not {offset}."),
            ));
        }
        Ok(Page {
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
            limit: limit as usize,
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub offset: usize,
    pub limit: usize,
}

impl Page {
    /// The page's items, and the full count.
    pub fn slice<T>(self, items: Vec<T>) -> (Vec<T>, usize) {
        let total = items.len();
        let page = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        (page, total)
    }
}
