//! Per-test overrides and expectations, in the style of the `wiremock` crate.
//!
//! An [`Override`] matches calls of one action (optionally only those whose parameters contain
//! a JSON subset) and can answer them with a given body, with a given error, or after a delay,
//! for the next N calls or always; it can also expect a number of calls.
//!
//! ```no_run
//! # async fn example() {
//! use tco_mock::{overrides::Override, MockServer};
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

use std::fmt;
use std::ops::{Range, RangeFrom, RangeInclusive, RangeTo, RangeToInclusive};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{json, Map, Value};
use tco_spec::Version;

use crate::app::App;
use crate::envelope::ApiError;
use crate::MockServer;

/// How many calls an expectation allows, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    min: u64,
    max: Option<u64>,
}

impl Times {
    pub fn between(min: u64, max: u64) -> Self {
        Self {
            min,
            max: Some(max),
        }
    }

    pub fn at_least(min: u64) -> Self {
        Self { min, max: None }
    }

    pub fn contains(&self, n: u64) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }
}

impl From<u64> for Times {
    fn from(n: u64) -> Self {
        Self::between(n, n)
    }
}

impl From<Range<u64>> for Times {
    fn from(r: Range<u64>) -> Self {
        // An empty range allows nothing; `min > max` says so.
        Self::between(r.start, r.end.saturating_sub(1)).empty_if(r.start >= r.end)
    }
}

impl From<RangeInclusive<u64>> for Times {
    fn from(r: RangeInclusive<u64>) -> Self {
        Self::between(*r.start(), *r.end())
    }
}

impl From<RangeFrom<u64>> for Times {
    fn from(r: RangeFrom<u64>) -> Self {
        Self::at_least(r.start)
    }
}

impl From<RangeTo<u64>> for Times {
    fn from(r: RangeTo<u64>) -> Self {
        Self::between(0, r.end.saturating_sub(1)).empty_if(r.end == 0)
    }
}

impl From<RangeToInclusive<u64>> for Times {
    fn from(r: RangeToInclusive<u64>) -> Self {
        Self::between(0, r.end)
    }
}

impl Times {
    /// An expectation no count meets (from an empty range).
    fn empty_if(self, empty: bool) -> Self {
        if empty {
            Self {
                min: 1,
                max: Some(0),
            }
        } else {
            self
        }
    }
}

fn calls(n: u64) -> String {
    if n == 1 {
        "1 time".to_string()
    } else {
        format!("{n} times")
    }
}

impl fmt::Display for Times {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "exactly {}", calls(max)),
            Some(max) if self.min == 0 => write!(f, "at most {}", calls(max)),
            Some(max) => write!(f, "between {} and {}", self.min, calls(max)),
            None => write!(f, "at least {}", calls(self.min)),
        }
    }
}

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

/// The admin surface's form of an override (`POST /_mock/overrides`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    action: String,
    params: Option<Value>,
    response: Option<Value>,
    error: Option<RawError>,
    #[serde(default)]
    delay_ms: u64,
    times: Option<u64>,
    expect: Option<RawTimes>,
    name: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawError {
    code: String,
    #[serde(default)]
    message: String,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum RawTimes {
    Count(u64),
    Range { min: Option<u64>, max: Option<u64> },
}

impl Override {
    /// Reads the JSON form the admin surface takes:
    /// `{"action", "params"?, "response"? | "error"?: {"code", "message"?}, "delay_ms"?,
    /// "times"?, "expect"?: N | {"min"?, "max"?}, "name"?}`, and checks it.
    pub fn from_json(body: &[u8]) -> Result<Self, String> {
        let raw: RawOverride =
            serde_json::from_slice(body).map_err(|e| format!("not an override: {e}"))?;
        let mut spec = Override::on(&raw.action).delay(Duration::from_millis(raw.delay_ms));
        spec.params = raw.params;
        spec.times = raw.times;
        spec.name = raw.name;
        spec = match (raw.response, raw.error) {
            (Some(_), Some(_)) => return Err("give either response or error, not both".into()),
            (Some(body), None) => spec.respond_with(body),
            (None, Some(error)) => spec.respond_with_error(&error.code, &error.message),
            (None, None) => spec,
        };
        spec.expected = match raw.expect {
            None => None,
            Some(RawTimes::Count(n)) => Some(Times::from(n)),
            Some(RawTimes::Range { min, max }) => Some(Times {
                min: min.unwrap_or(0),
                max,
            }),
        };
        spec.check().map_err(|e| e.to_string())?;
        Ok(spec)
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

/// Who added an override, which decides who checks its expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// [`Override::mount`]: checked when the server is dropped.
    InProcess,
    /// [`Override::mount_as_scoped`]: checked by its guard.
    Scoped,
    /// The admin surface: reported, never panicked on.
    Admin,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::InProcess => "in-process",
            Origin::Scoped => "scoped",
            Origin::Admin => "admin",
        }
    }
}

#[derive(Debug)]
struct Entry {
    id: u64,
    spec: Override,
    origin: Origin,
    hits: u64,
    answered: u64,
}

impl Entry {
    fn has_left(&self) -> bool {
        self.spec.times.is_none_or(|n| self.answered < n)
    }

    fn unmet(&self) -> Option<String> {
        let expected = self.spec.expected?;
        (!expected.contains(self.hits)).then(|| {
            format!(
                "{} was expected to be called {expected}, and was called {}",
                self.spec.describe(),
                calls(self.hits)
            )
        })
    }

    fn view(&self) -> Value {
        let spec = &self.spec;
        let answer = match &spec.answer {
            Some(Answer::Body(body)) => json!({"body": body}),
            Some(Answer::Error { code, message }) => {
                json!({"error": {"code": code, "message": message}})
            }
            None => Value::Null,
        };
        json!({
            "id": self.id,
            "origin": self.origin.name(),
            "name": spec.name,
            "action": spec.action,
            "params": spec.params,
            "answer": answer,
            "delay_ms": u64::try_from(spec.delay.as_millis()).unwrap_or(u64::MAX),
            "times": spec.times,
            "hits": self.hits,
            "answered": self.answered,
            "expect": spec.expected.map(|t| t.to_string()),
            "satisfied": self.unmet().is_none(),
            "unmet": self.unmet(),
        })
    }
}

/// What the gate does for a call an override answers.
#[derive(Debug)]
pub(crate) struct Plan {
    pub delay: Duration,
    pub answer: Option<Result<Value, ApiError>>,
}

/// The overrides of one mock.
#[derive(Debug, Default)]
pub(crate) struct Overrides {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    entries: Vec<Entry>,
}

impl Overrides {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an override from the admin surface.
    pub fn add_admin(&self, spec: Override) -> Value {
        let id = self.add(spec, Origin::Admin);
        self.views()
            .into_iter()
            .find(|v| v["id"] == id)
            .unwrap_or_default()
    }

    pub fn add(&self, spec: Override, origin: Origin) -> u64 {
        let mut inner = self.lock();
        inner.next_id += 1;
        let id = inner.next_id;
        inner.entries.push(Entry {
            id,
            spec,
            origin,
            hits: 0,
            answered: 0,
        });
        id
    }

    /// Counts a call that passed the gate; says how the newest override with calls left
    /// answers it, if one does.
    pub fn on_call(&self, action: &str, params: &Value) -> Option<Plan> {
        let mut inner = self.lock();
        let mut responder = None;
        for (index, entry) in inner.entries.iter_mut().enumerate() {
            if entry.spec.matches(action, params) {
                entry.hits += 1;
                let acts = entry.spec.answer.is_some() || !entry.spec.delay.is_zero();
                if acts && entry.has_left() {
                    responder = Some(index);
                }
            }
        }
        let entry = &mut inner.entries[responder?];
        entry.answered += 1;
        Some(Plan {
            delay: entry.spec.delay,
            answer: entry.spec.answer.clone().map(|answer| match answer {
                Answer::Body(body) => Ok(Value::Object(body)),
                Answer::Error { code, message } if message.is_empty() => {
                    Err(ApiError::plain(&code))
                }
                Answer::Error { code, message } => Err(ApiError { code, message }),
            }),
        })
    }

    /// Removes one override; its unmet expectation, if any.
    pub fn remove(&self, id: u64) -> Option<Option<String>> {
        let mut inner = self.lock();
        let index = inner.entries.iter().position(|e| e.id == id)?;
        Some(inner.entries.remove(index).unmet())
    }

    /// Removes one override added through the admin surface; its last view.
    pub fn remove_admin(&self, id: u64) -> Option<Value> {
        let mut inner = self.lock();
        let index = inner
            .entries
            .iter()
            .position(|e| e.id == id && e.origin == Origin::Admin)?;
        Some(inner.entries.remove(index).view())
    }

    /// The unmet expectations of the overrides from `origin`.
    pub fn unmet(&self, origin: Origin) -> Vec<String> {
        self.lock()
            .entries
            .iter()
            .filter(|e| e.origin == origin)
            .filter_map(Entry::unmet)
            .collect()
    }

    /// How many calls the override `id` matched.
    pub fn hits(&self, id: u64) -> u64 {
        self.lock()
            .entries
            .iter()
            .find(|e| e.id == id)
            .map_or(0, |e| e.hits)
    }

    /// Every override, oldest first, as the admin surface shows it.
    pub fn views(&self) -> Vec<Value> {
        self.lock().entries.iter().map(Entry::view).collect()
    }

    /// Removes every override (`None`) or those from one origin; returns their views.
    pub fn clear(&self, origin: Option<Origin>) -> Vec<Value> {
        let mut inner = self.lock();
        let (removed, kept): (Vec<Entry>, Vec<Entry>) = std::mem::take(&mut inner.entries)
            .into_iter()
            .partition(|e| origin.is_none_or(|o| e.origin == o));
        inner.entries = kept;
        removed.iter().map(Entry::view).collect()
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
    use super::*;

    #[test]
    fn times_read_as_counts_and_ranges() {
        assert_eq!(Times::from(2).to_string(), "exactly 2 times");
        assert_eq!(Times::from(1).to_string(), "exactly 1 time");
        assert_eq!(Times::from(1..=3).to_string(), "between 1 and 3 times");
        assert_eq!(Times::from(1..4).to_string(), "between 1 and 3 times");
        assert_eq!(Times::from(2..).to_string(), "at least 2 times");
        assert_eq!(Times::from(..=1).to_string(), "at most 1 time");
        assert!(Times::from(1..=3).contains(3) && !Times::from(1..=3).contains(4));
        assert!(!Times::from(1..=3).contains(0));
        assert!(Times::from(2..).contains(100));
        assert!(Times::from(..2).contains(0) && !Times::from(..2).contains(2));
        assert!(!(0..=10).any(|n| Times::from(3..3).contains(n)));
        assert!(!(0..=10).any(|n| Times::from(..0).contains(n)));
    }

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
    fn the_newest_override_with_calls_left_answers_and_all_count() {
        let overrides = Overrides::default();
        let old = overrides.add(
            Override::on("CreatePolicy").respond_with(json!({"PolicyId": 1})),
            Origin::Admin,
        );
        let new = overrides.add(
            Override::on("CreatePolicy")
                .respond_with_error("InternalError", "")
                .times(1),
            Origin::Admin,
        );
        let first = overrides.on_call("CreatePolicy", &json!({})).unwrap();
        assert_eq!(first.answer.unwrap().unwrap_err().code, "InternalError");
        let second = overrides.on_call("CreatePolicy", &json!({})).unwrap();
        assert_eq!(second.answer.unwrap().unwrap(), json!({"PolicyId": 1}));
        assert!(overrides.on_call("DeletePolicy", &json!({})).is_none());
        assert_eq!((overrides.hits(old), overrides.hits(new)), (2, 2));
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
