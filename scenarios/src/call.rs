//! One call as a load run saw it: what was sent, when, and how it was answered. The verdict is
//! computed from a list of these and nothing else, so it can be tested on synthetic series.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::answer::Head;

/// The code Tencent answers when a per-second limit refuses a call.
pub const THROTTLE_CODE: &str = "RequestLimitExceeded";

/// What the limit is counted against: Tencent counts per action, per version's action, per
/// account (and per region, which a run keeps constant).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub action: String,
    pub version: String,
    /// The SecretId the call was signed with (an identifier, not a secret).
    pub account: String,
}

impl Key {
    pub fn new(
        action: impl Into<String>,
        version: impl Into<String>,
        account: impl Into<String>,
    ) -> Self {
        Self {
            action: action.into(),
            version: version.into(),
            account: account.into(),
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({})", self.action, self.version, self.account)
    }
}

/// How one call ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "code", rename_all = "snake_case")]
pub enum Outcome {
    /// Answered without `Response.Error`.
    Accepted,
    /// Answered with exactly `RequestLimitExceeded`. The sub-codes
    /// (`RequestLimitExceeded.UinLimitExceeded`, `.IPLimitExceeded`, ...) are other limits
    /// than the per-action one under test, so they count as [`Outcome::OtherError`].
    Throttled,
    /// Answered with another `Response.Error.Code`, or an answer that is not the API's envelope.
    OtherError(String),
    /// No answer: connection refused or reset, timeout, unreadable body.
    Transport(String),
}

impl Outcome {
    /// The outcome of an HTTP 200 body (the API answers errors with 200 too).
    pub fn from_body(status: u16, body: &[u8]) -> (Outcome, Option<String>) {
        match Head::read(body) {
            Ok(head) => Outcome::from_head(status, &head),
            Err(_) => (
                Outcome::OtherError(format!("HTTP {status}, body is not JSON")),
                None,
            ),
        }
    }

    /// The outcome of an answer already parsed (`None` when it was not JSON).
    pub fn from_value(status: u16, value: Option<&serde_json::Value>) -> (Outcome, Option<String>) {
        match value {
            Some(v) => Outcome::from_head(status, &Head::from_value(v)),
            None => (
                Outcome::OtherError(format!("HTTP {status}, body is not JSON")),
                None,
            ),
        }
    }

    fn from_head(status: u16, head: &Head<'_>) -> (Outcome, Option<String>) {
        let request_id = head.request_id.as_deref().map(str::to_string);
        if !head.response_is_object {
            return (
                Outcome::OtherError(format!("HTTP {status}, no Response object")),
                request_id,
            );
        }
        match head.code.as_deref() {
            Some(THROTTLE_CODE) => (Outcome::Throttled, request_id),
            Some(code) => (Outcome::OtherError(code.to_string()), request_id),
            None if status == 200 => (Outcome::Accepted, request_id),
            None => (Outcome::OtherError(format!("HTTP {status}")), request_id),
        }
    }

    pub fn is_accepted(&self) -> bool {
        matches!(self, Outcome::Accepted)
    }

    pub fn is_throttled(&self) -> bool {
        matches!(self, Outcome::Throttled)
    }

    /// The label goose's reports use as the error of a failed call.
    pub fn error_label(&self) -> Option<String> {
        match self {
            Outcome::Accepted => None,
            Outcome::Throttled => Some(THROTTLE_CODE.to_string()),
            Outcome::OtherError(code) => Some(code.clone()),
            Outcome::Transport(kind) => Some(format!("transport: {kind}")),
        }
    }
}

/// One call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    /// Shared by every call of a stream: a run keeps hundreds of thousands of calls.
    pub key: Arc<Key>,
    /// Which part of the schedule sent it (0 unless the scenario has phases, as recovery does).
    pub phase: u32,
    /// Wall-clock time just before the request was handed to the HTTP client, Unix ms.
    pub sent_ms: i64,
    /// Arrival time on the server's clock, Unix ms, when the server tells (the in-process
    /// mock's journal does); windows are counted on it when every call has one.
    pub server_ms: Option<i64>,
    /// How far behind its slot in the schedule the call left, µs.
    pub lag_us: u64,
    /// From send to the whole answer read, µs.
    pub latency_us: u64,
    pub outcome: Outcome,
    pub request_id: Option<String>,
}

impl Call {
    /// A call with only what the verdict's windows need; for tests and synthetic series.
    pub fn synthetic(key: &Key, at_ms: i64, outcome: Outcome) -> Self {
        Call {
            key: Arc::new(key.clone()),
            phase: 0,
            sent_ms: at_ms,
            server_ms: None,
            lag_us: 0,
            latency_us: 1_000,
            outcome,
            request_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_bodies() {
        let ok = br#"{"Response":{"RequestId":"r1","Org":{}}}"#;
        assert_eq!(
            Outcome::from_body(200, ok),
            (Outcome::Accepted, Some("r1".into()))
        );
        let limited =
            br#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"m"},"RequestId":"r2"}}"#;
        assert_eq!(Outcome::from_body(200, limited).0, Outcome::Throttled);
        let uin = br#"{"Response":{"Error":{"Code":"RequestLimitExceeded.UinLimitExceeded","Message":"m"},"RequestId":"r3"}}"#;
        assert_eq!(
            Outcome::from_body(200, uin).0,
            Outcome::OtherError("RequestLimitExceeded.UinLimitExceeded".into())
        );
        assert!(matches!(
            Outcome::from_body(502, b"<html>").0,
            Outcome::OtherError(_)
        ));
        assert!(matches!(
            Outcome::from_body(500, br#"{"Response":{"RequestId":"x"}}"#).0,
            Outcome::OtherError(_)
        ));
    }
}
