//! Per-test overrides and expectations, in the style of the `wiremock` crate.
//!
//! An [`Override`] matches calls of one action (optionally only those whose parameters contain
//! a JSON subset) and can answer them with a given body, with a given error, or after a delay,
//! for the next N calls or always; it can also expect a number of calls.
//!
//! ```no_run
//! # async fn example() {
//! use tco_mock::{MockServer, Override};
//! use serde_json::json;
//!
//! let mock = MockServer::start().await;
//! // The next call of CreatePolicy fails; the one after is answered from state again.
//! Override::on("CreatePolicy")
//!     .respond_with_error("LimitExceeded.PolicyFull", "No room for another policy.")
//!     .times(1)
//!     .mount(&mock);
//! // DeletePolicy must be called exactly once while `guard` lives.
//! let guard = Override::on("DeletePolicy").expect(1).mount_as_scoped(&mock);
//! // … the code under test …
//! drop(guard); // panics here if DeletePolicy was not called exactly once
//! # }
//! ```
//!
//! # Where overrides apply
//!
//! After the gate: a call is matched only once its signature, rate limit, action, version and
//! parameters have been accepted, so a test still exercises its client's signing and its
//! parameters are still checked against the contract. Every matching call counts towards the
//! expectation of every override it matches (whether or not that override answered it); the
//! newest matching override that has an answer or a delay and calls left answers it (a
//! delay-only override then lets the call go on to fault rules and the state). A call no
//! override answers is handled as without overrides.
//!
//! # Expectations
//!
//! [`Override::expect`] takes a count or a range. An override mounted with
//! [`Override::mount`] is checked when the [`MockServer`] is dropped, or by
//! [`MockServer::verify`]; one mounted with [`Override::mount_as_scoped`] when its
//! [`OverrideGuard`] is dropped. An unmet expectation panics with a message naming the action,
//! the expected and the actual count (not while the thread is already panicking, so that a
//! failing assertion is not hidden by a second panic). Overrides added through the admin
//! surface are reported by `GET /_mock/overrides`, never panicked on.
//!
//! Overrides are the test's configuration, like fault rules: a reset of the state
//! (`MockServer::reset`, `POST /_mock/reset`) leaves them in place;
//! [`MockServer::reset_overrides`] and `DELETE /_mock/overrides` remove them.

mod json_form;
mod registry;
mod times;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use tco_spec::Version;

use crate::app::App;
use crate::MockServer;

pub(crate) use json_form::RawOverride;
pub(crate) use registry::{Origin, Overrides};
pub use times::Times;

/// What an override answers instead of the state.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    /// The members of `Response` (the mock adds a fresh `RequestId`).
    Body(Map<String, Value>),
    /// The error envelope with this code and message (an empty message: the code's
    /// documented one).
    Error { code: String, message: String },
}

/// One override: what it matches, what it does, what it expects. Built with the methods
/// below, then [`Override::mount`]ed.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    action: String,
    params: Option<Value>,
    answer: Option<Answer>,
    delay: Duration,
    times: Option<u64>,
    expected: Option<Times>,
    name: Option<String>,
    body_error: Option<String>,
}

/// Why an override cannot be mounted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error("{:?} is not an action of any API version{}", .0, tco_spec::did_you_mean(.0))]
    UnknownAction(String),
    #[error("the parameter match must be a JSON object")]
    ParamsNotObject,
    #[error("the response body must be a JSON object (the members of Response): {0}")]
    BodyNotObject(String),
    #[error("the error code must not be empty")]
    EmptyErrorCode,
    #[error("times must be at least 1 (leave it out for always)")]
    ZeroTimes,
}

impl Override {
    /// Matches every call of `action` (in either API version).
    pub fn on(action: &str) -> Self {
        Self {
            action: action.to_string(),
            params: None,
            answer: None,
            delay: Duration::ZERO,
            times: None,
            expected: None,
            name: None,
            body_error: None,
        }
    }

    /// Matches only calls whose parameters contain `subset`: every member it names, with an
    /// equal value (objects compared member by member, recursively; anything else whole).
    pub fn with_params(mut self, subset: Value) -> Self {
        self.params = Some(subset);
        self
    }

    /// Answers with `body`: the members of `Response` (`{"OrgId": 1}`), or a whole
    /// `{"Response": {…}}`. The `RequestId` is always a fresh one.
    pub fn respond_with(mut self, body: Value) -> Self {
        let members = match body {
            Value::Object(mut map) if map.len() == 1 && map.contains_key("Response") => {
                map.remove("Response").unwrap_or_default()
            }
            other => other,
        };
        match members {
            Value::Object(mut map) => {
                map.remove("RequestId");
                self.answer = Some(Answer::Body(map));
                self.body_error = None;
            }
            other => self.body_error = Some(other.to_string()),
        }
        self
    }

    /// Answers with the error envelope: `code`, `message` (empty: the code's documented
    /// message), and a fresh `RequestId`.
    pub fn respond_with_error(mut self, code: &str, message: &str) -> Self {
        self.answer = Some(Answer::Error {
            code: code.to_string(),
            message: message.to_string(),
        });
        self.body_error = None;
        self
    }

    /// Waits this long (on the runtime's timer) before answering: with the override's answer
    /// when it has one, else as without overrides.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Answers (or delays) the next `n` matching calls only; then the override still counts
    /// calls but answers none. Without it: always.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Expects this many matching calls (a count or a range: `1`, `1..=3`, `2..`, `..=1`).
    pub fn expect(mut self, times: impl Into<Times>) -> Self {
        self.expected = Some(times.into());
        self
    }

    /// A name for messages and listings.
    pub fn named(mut self, name: &str) -> Self {
        self.name = Some(name.to_string());
        self
    }

    /// Checks what the types cannot: the action exists, the match and body are objects.
    pub fn check(&self) -> Result<(), OverrideError> {
        let known = Version::ALL
            .into_iter()
            .any(|v| tco_spec::action(v, &self.action).is_some());
        if !known {
            return Err(OverrideError::UnknownAction(self.action.clone()));
        }
        if self.params.as_ref().is_some_and(|p| !p.is_object()) {
            return Err(OverrideError::ParamsNotObject);
        }
        if let Some(body) = &self.body_error {
            return Err(OverrideError::BodyNotObject(body.clone()));
        }
        if matches!(&self.answer, Some(Answer::Error { code, .. }) if code.trim().is_empty()) {
            return Err(OverrideError::EmptyErrorCode);
        }
        if self.times == Some(0) {
            return Err(OverrideError::ZeroTimes);
        }
        Ok(())
    }

    /// Adds the override for the rest of the server's life; its expectation is checked when
    /// the server is dropped or [`MockServer::verify`] is called.
    ///
    /// # Panics
    /// When [`Override::check`] refuses it: a defect of the test.
    pub fn mount(self, mock: &MockServer) {
        self.checked().mount_on(mock.app(), Origin::InProcess);
    }

    /// Adds the override until the returned guard is dropped; its expectation is checked
    /// then.
    ///
    /// # Panics
    /// When [`Override::check`] refuses it: a defect of the test.
    pub fn mount_as_scoped(self, mock: &MockServer) -> OverrideGuard {
        let app = mock.app().clone();
        let id = self.checked().mount_on(&app, Origin::Scoped);
        OverrideGuard { app, id }
    }

    fn checked(self) -> Self {
        if let Err(e) = self.check() {
            panic!("invalid override for {:?}: {e}", self.action);
        }
        self
    }

    fn mount_on(self, app: &App, origin: Origin) -> u64 {
        app.overrides.add(self, origin)
    }

    /// `CreatePolicy`, with its name and parameter match when it has them.
    fn describe(&self) -> String {
        let mut text = self.action.clone();
        if let Some(params) = &self.params {
            text.push_str(&format!(" with params {params}"));
        }
        if let Some(name) = &self.name {
            text = format!("{text} (override {name:?})");
        }
        text
    }

    fn matches(&self, action: &str, params: &Value) -> bool {
        self.action == action && self.params.as_ref().is_none_or(|p| contains(params, p))
    }
}

/// Whether `value` contains `pattern`: objects member by member, recursively; else equality.
fn contains(value: &Value, pattern: &Value) -> bool {
    match (value, pattern) {
        (Value::Object(value), Value::Object(pattern)) => pattern
            .iter()
            .all(|(k, p)| value.get(k).is_some_and(|v| contains(v, p))),
        _ => value == pattern,
    }
}

/// Panics with every unmet expectation, unless the thread is already panicking.
pub(crate) fn assert_met(unmet: &[String]) {
    if unmet.is_empty() || std::thread::panicking() {
        return;
    }
    panic!("tco-mock: unmet expectations:\n- {}", unmet.join("\n- "));
}

/// Keeps a scoped override mounted; dropping it removes the override and checks its
/// expectation.
#[must_use = "the override is removed (and checked) when the guard is dropped"]
pub struct OverrideGuard {
    app: Arc<App>,
    id: u64,
}

impl fmt::Debug for OverrideGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OverrideGuard")
            .field("id", &self.id)
            .finish()
    }
}

impl OverrideGuard {
    /// How many calls the override matched so far.
    pub fn hits(&self) -> u64 {
        self.app.overrides.hits(self.id)
    }
}

impl Drop for OverrideGuard {
    fn drop(&mut self) {
        if let Some(Some(unmet)) = self.app.overrides.remove(self.id) {
            assert_met(&[unmet]);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn params_match_as_a_subset() {
        let params = json!({"Name": "p", "Content": {"a": 1, "b": [1, 2]}, "Type": 1});
        assert!(contains(&params, &json!({})));
        assert!(contains(&params, &json!({"Name": "p"})));
        assert!(contains(&params, &json!({"Content": {"a": 1}})));
        assert!(contains(&params, &json!({"Content": {"b": [1, 2]}})));
        assert!(!contains(&params, &json!({"Content": {"b": [1]}})));
        assert!(!contains(&params, &json!({"Name": "q"})));
        assert!(!contains(&params, &json!({"Missing": null})));
    }

    #[test]
    fn invalid_overrides_are_named() {
        let unknown = Override::on("CreatePolcy").check().unwrap_err();
        assert!(unknown.to_string().contains("CreatePolicy"), "{unknown}");
        assert_eq!(
            Override::on("CreatePolicy")
                .respond_with(json!([1]))
                .check(),
            Err(OverrideError::BodyNotObject("[1]".into()))
        );
        assert_eq!(
            Override::on("CreatePolicy").times(0).check(),
            Err(OverrideError::ZeroTimes)
        );
        assert_eq!(
            Override::on("CreatePolicy").with_params(json!(1)).check(),
            Err(OverrideError::ParamsNotObject)
        );
    }
}
