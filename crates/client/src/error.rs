//! Every way a call can fail, as a value: what the API said, what the network did, or how the
//! response broke the contract.

use std::fmt;

/// The API's throttling codes that the official SDKs retry (and so does this client).
pub const RETRYABLE_CODES: &[&str] = &[
    "RequestLimitExceeded",
    "RequestLimitExceeded.UinLimitExceeded",
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
];

/// A failed call. `Display` is one line; no variant holds a secret, so `Debug` and `Display`
/// are safe to log.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error envelope: `{"Response": {"Error": {...}, "RequestId"}}`.
    Api {
        code: String,
        message: String,
        request_id: String,
        action: String,
    },
    /// The request did not complete: connection refused or reset, DNS, TLS. The inner error
    /// never carries the URL (a v1 GET URL holds the signature).
    Transport {
        action: String,
        source: reqwest::Error,
    },
    /// No complete answer within the profile's timeout: the server is slower than the
    /// timeout, or does not answer.
    Timeout {
        action: String,
        after: std::time::Duration,
    },
    /// The answer's body is larger than the profile's cap
    /// ([`crate::Profile::with_max_response_bytes`]); it was not read whole.
    ResponseTooLarge { action: String, limit: usize },
    /// The body is not the API's JSON envelope (HTML from a proxy, truncated JSON, a non-2xx
    /// status without an error envelope...).
    Decode {
        action: String,
        status: u16,
        reason: String,
    },
    /// A successful response that breaks the contract: a required member missing, a member
    /// of the wrong type, a `null` where none is allowed. Unknown members are not violations.
    Contract {
        action: String,
        request_id: Option<String>,
        violations: Vec<String>,
    },
    /// No credentials could be found or loaded (the message names where the client looked).
    Credentials(String),
    /// The request parameters cannot be sent (e.g. not a JSON object).
    InvalidRequest(String),
    /// The client was built with an unusable setting (endpoint, certificate...).
    Config(String),
}

impl Error {
    /// The API error code, for [`Error::Api`].
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The RequestId the service gave, when there was a response envelope.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } => Some(request_id),
            Error::Contract { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The action that failed, when the failure belongs to a call.
    pub fn action(&self) -> Option<&str> {
        match self {
            Error::Api { action, .. }
            | Error::Transport { action, .. }
            | Error::Timeout { action, .. }
            | Error::ResponseTooLarge { action, .. }
            | Error::Decode { action, .. }
            | Error::Contract { action, .. } => Some(action),
            _ => None,
        }
    }

    /// Any `RequestLimitExceeded` code, including `.IPLimitExceeded` (which is not retried).
    pub fn is_throttled(&self) -> bool {
        self.code()
            .is_some_and(|c| c == "RequestLimitExceeded" || c.starts_with("RequestLimitExceeded."))
    }

    /// An `AuthFailure` code: bad signature, unknown SecretId, expired timestamp, bad token...
    pub fn is_auth(&self) -> bool {
        self.code()
            .is_some_and(|c| c == "AuthFailure" || c.starts_with("AuthFailure."))
    }

    /// Whether the retry policy may try again: the three throttling codes the official SDKs
    /// retry, and transport failures and timeouts. Nothing else.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { code, .. } => RETRYABLE_CODES.contains(&code.as_str()),
            Error::Transport { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                code,
                message,
                request_id,
                action,
            } => write!(
                f,
                "{action}: {code}: {} (RequestId: {request_id})",
                one_line(message)
            ),
            Error::Transport { action, source } => {
                write!(
                    f,
                    "{action}: transport error: {}",
                    one_line(&source.to_string())
                )?;
                let mut cause = std::error::Error::source(source);
                while let Some(c) = cause {
                    write!(f, ": {}", one_line(&c.to_string()))?;
                    cause = c.source();
                }
                Ok(())
            }
            Error::Timeout { action, after } => write!(
                f,
                "{action}: no answer within {} (the request timed out: the server is slower than the timeout, or does not answer)",
                crate::body::human_duration(*after)
            ),
            Error::ResponseTooLarge { action, limit } => write!(
                f,
                "{action}: the answer is larger than {} (the client's cap on response bodies; not read whole)",
                crate::body::human_bytes(*limit)
            ),
            Error::Decode {
                action,
                status,
                reason,
            } => write!(
                f,
                "{action}: undecodable response (HTTP {status}): {}",
                one_line(reason)
            ),
            Error::Contract {
                action,
                request_id,
                violations,
            } => {
                write!(
                    f,
                    "{action}: response breaks the contract: {}",
                    one_line(&violations.join("; "))
                )?;
                if let Some(id) = request_id {
                    write!(f, " (RequestId: {id})")?;
                }
                Ok(())
            }
            Error::Credentials(m) => write!(f, "no usable credentials: {}", one_line(m)),
            Error::InvalidRequest(m) => write!(f, "invalid request: {}", one_line(m)),
            Error::Config(m) => write!(f, "invalid client configuration: {}", one_line(m)),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // The transport cause is already in the one-line Display; not repeated as a source.
        None
    }
}

fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str) -> Error {
        Error::Api {
            code: code.into(),
            message: "m".into(),
            request_id: "r".into(),
            action: "A".into(),
        }
    }

    #[test]
    fn classification() {
        assert!(api("RequestLimitExceeded").is_retryable());
        assert!(api("RequestLimitExceeded.UinLimitExceeded").is_retryable());
        assert!(api("RequestLimitExceeded.GlobalRegionUinLimitExceeded").is_retryable());
        assert!(api("RequestLimitExceeded.IPLimitExceeded").is_throttled());
        assert!(!api("RequestLimitExceeded.IPLimitExceeded").is_retryable());
        assert!(!api("InvalidParameter").is_retryable());
        assert!(api("AuthFailure.SignatureFailure").is_auth());
        assert!(!api("AuthFailure.SignatureFailure").is_retryable());
        assert!(!api("InternalError").is_throttled());
    }

    #[test]
    fn display_is_one_line() {
        let e = Error::Api {
            code: "InvalidParameter".into(),
            message: "bad\nthing".into(),
            request_id: "rid".into(),
            action: "CreateOrganization".into(),
        };
        assert_eq!(
            e.to_string(),
            "CreateOrganization: InvalidParameter: bad thing (RequestId: rid)"
        );
    }
}
