//! Requests on the wire: a probe described as data, signed with `tco-sign` exactly as the
//! official SDK would (or deliberately not), sent with `reqwest`, and the raw answer kept.
//!
//! The suite does not go through the reference client: it needs requests the client refuses to
//! make (bad signatures, stale timestamps, missing parameters) and answers the client would
//! retry or hide (throttling, malformed envelopes).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use tco_clock::Clock;
use tco_sign::{build, Credentials, HttpMethod, KeyCache, RequestSpec, SignMethod};

/// The service name in TC3 credential scopes.
pub const SERVICE: &str = "organization";

/// A SecretId no endpoint should know.
pub const UNKNOWN_SECRET_ID: &str = "AKIDtcoContractUnknownSecretId0000000000";

/// Which credentials sign a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// The target's credentials.
    Valid,
    /// The right SecretId with a wrong SecretKey: the signature cannot match.
    WrongSecretKey,
    /// A SecretId the endpoint does not know.
    UnknownSecretId,
}

/// One request, as data: what to call, how to sign it and how to spoil it.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub action: String,
    pub version: String,
    /// The parameters: a JSON object.
    pub params: Value,
    pub sign: SignMethod,
    pub method: HttpMethod,
    /// Added to the clock's time for the timestamp (negative: in the past).
    pub timestamp_offset: i64,
    pub key: Key,
}

impl Probe {
    /// A valid TC3 POST of these parameters.
    pub fn new(action: impl Into<String>, version: impl Into<String>, params: Value) -> Self {
        Probe {
            action: action.into(),
            version: version.into(),
            params,
            sign: SignMethod::Tc3HmacSha256,
            method: HttpMethod::Post,
            timestamp_offset: 0,
            key: Key::Valid,
        }
    }

    pub fn signed_with(mut self, sign: SignMethod) -> Self {
        self.sign = sign;
        self
    }

    pub fn key(mut self, key: Key) -> Self {
        self.key = key;
        self
    }

    pub fn timestamp_offset(mut self, seconds: i64) -> Self {
        self.timestamp_offset = seconds;
        self
    }
}

/// An answer as it arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// From sending the request to the whole answer read (zero for answers made up in tests).
    pub elapsed: Duration,
}

/// What an answer said, at the level probes judge it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Outcome {
    Success,
    Error(String),
    /// Not a readable envelope (the envelope check says why).
    Unreadable,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Success => f.write_str("success"),
            Outcome::Error(code) => f.write_str(code),
            Outcome::Unreadable => f.write_str("an unreadable answer"),
        }
    }
}

impl Exchange {
    /// Builds an exchange from its parts, parsing the body.
    pub fn new(status: u16, content_type: Option<String>, body: Vec<u8>) -> Self {
        let json = serde_json::from_slice(&body).ok();
        Exchange {
            status,
            content_type,
            body,
            json,
            elapsed: Duration::ZERO,
        }
    }

    /// A JSON answer with the right content type and status 200 (for tests and `validate`).
    pub fn from_json(body: &Value) -> Self {
        Exchange::new(
            200,
            Some("application/json".into()),
            serde_json::to_vec(body).expect("JSON values serialize"),
        )
    }

    /// The `Response` object.
    pub fn response(&self) -> Option<&Map<String, Value>> {
        self.json.as_ref()?.get("Response")?.as_object()
    }

    /// The `Error` member of `Response`, if the answer is an error.
    pub fn error(&self) -> Option<&Value> {
        self.response()?.get("Error")
    }

    pub fn error_code(&self) -> Option<&str> {
        self.error()?.get("Code")?.as_str()
    }

    pub fn error_message(&self) -> Option<&str> {
        self.error()?.get("Message")?.as_str()
    }

    /// `RequestId`, when it is a string.
    pub fn request_id(&self) -> Option<&str> {
        self.response()?.get("RequestId")?.as_str()
    }

    pub fn outcome(&self) -> Outcome {
        match (self.response(), self.error()) {
            (None, _) => Outcome::Unreadable,
            (Some(_), None) => Outcome::Success,
            (Some(_), Some(_)) => match self.error_code() {
                Some(code) => Outcome::Error(code.to_owned()),
                None => Outcome::Unreadable,
            },
        }
    }

    /// `CODE (message)`, or `success`, for details.
    pub fn describe(&self) -> String {
        match self.outcome() {
            Outcome::Error(code) => match self.error_message() {
                Some(m) if !m.is_empty() => format!("{code} ({m})"),
                _ => code,
            },
            other => other.to_string(),
        }
    }
}

/// Why a request got no usable answer, named for a person: a timeout says how long the suite
/// waited, an oversized answer says the cap, anything else gives reqwest's whole chain of
/// causes (never the URL of a request, which for a v1 GET holds the signature).
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("{url}: no answer within {} (the request timed out: the server is slower than the timeout, or does not answer; --timeout raises it)", tco_client::body::human_duration(*.after))]
    Timeout { url: String, after: Duration },
    #[error("{url}: the answer is larger than {} (the suite's cap on response bodies; not read whole)", tco_client::body::human_bytes(*.limit))]
    TooLarge { url: String, limit: usize },
    /// The server's TLS certificate was refused (rustls's reason, e.g. `UnknownIssuer`).
    #[error("{}", tco_client::transport::untrusted_certificate_message(.url, .reason))]
    CertificateNotTrusted { url: String, reason: String },
    #[error("{url}: {}", causes(.source))]
    Failed {
        url: String,
        #[source]
        source: reqwest::Error,
    },
}

/// An error and its causes on one line: `error sending request: connection refused`.
fn causes(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// The suite's HTTP client, set up as every client of the harness is
/// ([`tco_client::transport::configure`]).
fn http_client(
    endpoint: &tco_client::Endpoint,
    timeout: Duration,
    roots: &tco_client::RootCertificates,
) -> Result<reqwest::Client, String> {
    let builder = reqwest::Client::builder().timeout(timeout);
    tco_client::transport::configure(builder, endpoint, roots)
        .map_err(|e| e.to_string())?
        .build()
        .map_err(|e| e.to_string())
}

/// An endpoint and the credentials that call it.
#[derive(Clone)]
pub struct Endpoint {
    /// `scheme://host[:port]`, no trailing slash.
    base: String,
    /// The Host header value that gets signed.
    host: String,
    parsed: tco_client::Endpoint,
    credentials: Credentials,
    http: reqwest::Client,
    timeout: Duration,
    max_response_bytes: usize,
    keys: Arc<KeyCache>,
    /// Stamps every request; the run's [`crate::Options::clock`].
    clock: Arc<dyn Clock>,
    nonce: Arc<AtomicU64>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("base", &self.base)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// A URL the suite cannot call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid endpoint {url:?}: {reason}")]
pub struct BadEndpoint {
    pub url: String,
    pub reason: String,
}

impl Endpoint {
    /// `url` is read by [`tco_client::ENDPOINT_RULE`] (`http(s)://host[:port]`; without a
    /// scheme, https, or http for a loopback host). Answers are read up to
    /// [`tco_client::DEFAULT_MAX_RESPONSE_BYTES`] unless [`Endpoint::with_max_response_bytes`].
    /// `clock` stamps the requests (`Arc::new(tco_clock::SystemClock)` but in tests).
    pub fn new(
        url: &str,
        credentials: Credentials,
        timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, BadEndpoint> {
        let bad = |reason: &str| BadEndpoint {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = tco_client::Endpoint::parse(url).map_err(|e| bad(&e.reason))?;
        let http = http_client(&parsed, timeout, &tco_client::RootCertificates::default())
            .map_err(|e| bad(&e))?;
        // Random, not the clock: endpoints on one manual clock must not share nonces.
        let seed = uuid::Uuid::new_v4().as_u64_pair().0;
        Ok(Endpoint {
            parsed: parsed.clone(),
            base: parsed.origin,
            host: parsed.host,
            credentials,
            http,
            timeout,
            max_response_bytes: tco_client::DEFAULT_MAX_RESPONSE_BYTES,
            keys: Arc::new(KeyCache::default()),
            clock,
            nonce: Arc::new(AtomicU64::new(seed % 1_000_000_007)),
        })
    }

    /// Trusts these certificate authorities besides the system's (a staging endpoint's
    /// private CA).
    pub fn with_root_certificates(
        mut self,
        roots: &tco_client::RootCertificates,
    ) -> Result<Self, BadEndpoint> {
        self.http =
            http_client(&self.parsed, self.timeout, roots).map_err(|reason| BadEndpoint {
                url: self.base.clone(),
                reason,
            })?;
        Ok(self)
    }

    /// The largest answer body read; a larger one is [`TransportError::TooLarge`].
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Unix seconds on the endpoint's clock: what a probe's timestamp starts from.
    pub fn now(&self) -> i64 {
        self.clock.now_secs()
    }

    /// The signed request for a probe, exactly as it will be sent.
    pub fn sign(&self, probe: &Probe) -> tco_sign::SignedRequest {
        let creds = match probe.key {
            Key::Valid => self.credentials.clone(),
            Key::WrongSecretKey => {
                let mut wrong = format!("{}-not-the-key", self.credentials.secret_key());
                wrong.insert(0, 'x');
                Credentials::new(self.credentials.secret_id(), wrong)
            }
            Key::UnknownSecretId => {
                Credentials::new(UNKNOWN_SECRET_ID, self.credentials.secret_key())
            }
        };
        let spec = RequestSpec::new(
            &self.host,
            SERVICE,
            &probe.action,
            &probe.version,
            &probe.params,
            self.now() + probe.timestamp_offset,
        )
        .with_sign_method(probe.sign)
        .with_http_method(probe.method)
        .with_nonce(self.nonce.fetch_add(7919, Ordering::Relaxed) % 1_000_000_000 + 1)
        .with_request_client("tco-contract");
        build(&spec, &creds, &self.keys)
    }

    /// Signs and sends a probe; the answer whatever it is, or why there was none.
    pub async fn send(&self, probe: &Probe) -> Result<Exchange, TransportError> {
        let signed = self.sign(probe);
        let request = tco_client::transport::request(&self.http, &self.base, signed);
        let fail = |source: reqwest::Error| {
            if let Some(reason) = tco_client::transport::certificate_refused(&source) {
                TransportError::CertificateNotTrusted {
                    url: self.base.clone(),
                    reason,
                }
            } else if source.is_timeout() {
                TransportError::Timeout {
                    url: self.base.clone(),
                    after: self.timeout,
                }
            } else {
                TransportError::Failed {
                    url: self.base.clone(),
                    source: source.without_url(),
                }
            }
        };
        let started = std::time::Instant::now();
        let response = request.send().await.map_err(fail)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = tco_client::body::read_capped(response, self.max_response_bytes)
            .await
            .map_err(|e| match e {
                tco_client::body::BodyError::TooLarge { limit } => TransportError::TooLarge {
                    url: self.base.clone(),
                    limit,
                },
                tco_client::body::BodyError::Transport(e) => fail(e),
            })?
            .to_vec();
        let mut exchange = Exchange::new(status, content_type, body);
        exchange.elapsed = started.elapsed();
        Ok(exchange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_clock::ManualClock;

    #[test]
    fn probes_are_stamped_by_the_endpoints_clock_plus_their_offset() {
        let clock = ManualClock::at_secs(1_700_000_000);
        let endpoint = Endpoint::new(
            "http://127.0.0.1:9",
            Credentials::new("AKIDclock", "clock-key"),
            Duration::from_secs(1),
            Arc::new(clock.clone()),
        )
        .unwrap();
        clock.advance(Duration::from_millis(90_999));
        assert_eq!(endpoint.now(), 1_700_000_090);
        let probe = Probe::new(
            "DescribeOrganization",
            "2021-03-31",
            Value::Object(Map::new()),
        );
        let stamp = |probe: &Probe| {
            endpoint
                .sign(probe)
                .header("X-TC-Timestamp")
                .map(str::to_owned)
        };
        assert_eq!(stamp(&probe).as_deref(), Some("1700000090"));
        let stale = Probe {
            timestamp_offset: -301,
            ..probe
        };
        assert_eq!(stamp(&stale).as_deref(), Some("1699999789"));
    }
}
