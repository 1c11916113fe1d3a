//! The client: signs, sends, retries, and decodes, for any action of either version.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tco_clock::{Clock, Sleeper, SystemClock, TokioSleeper};
use tco_sign::{KeyCache, RequestSpec};
use tco_spec::{Version, ViolationKind};

use crate::body::{read_capped, BodyError};
use crate::credentials::{ChainCredentials, CredentialsProvider};
use crate::models::{v2018_12_25, v2021_03_31};
use crate::{Endpoint, Error, Operation, Profile, RetryPolicy};

/// Sent as `X-TC-RequestClient` / `RequestClient`.
pub const REQUEST_CLIENT: &str = "tco-client";

/// The service name in the TC3 credential scope.
const SERVICE: &str = "organization";

type NonceSource = Arc<dyn Fn() -> u64 + Send + Sync>;

/// A client of the Organization API. Cheap to clone (clones share the connection pool).
///
/// Build one with [`Client::builder`]; call typed actions through [`Client::v2018_12_25`] and
/// [`Client::v2021_03_31`], any request model with [`Client::execute`], or anything at all with
/// [`Client::call_json`].
///
/// ```no_run
/// use tco_client::models::v2021_03_31::DescribeOrganizationNodesRequest;
/// use tco_client::{Client, Credentials, Profile};
///
/// # async fn example() -> Result<(), tco_client::Error> {
/// let client = Client::builder()
///     .credentials(Credentials::new("AKIDEXAMPLE", "secret-key"))
///     .profile(Profile::default().with_endpoint("http://127.0.0.1:9000"))
///     .build()?;
///
/// let nodes = client
///     .v2021_03_31()
///     .describe_organization_nodes(DescribeOrganizationNodesRequest {
///         limit: 50,
///         offset: 0,
///         ..Default::default()
///     })
///     .await?;
/// println!("{} of {} nodes", nodes.items.len(), nodes.total);
///
/// // Untyped: the `Response` object as JSON.
/// let org = client
///     .call_json(tco_client::Version::V2021_03_31, "DescribeOrganization", serde_json::json!({}))
///     .await?;
/// println!("{}", org["RequestId"]);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    profile: Profile,
    endpoint: Endpoint,
    credentials: Box<dyn CredentialsProvider>,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    sleeper: Arc<dyn Sleeper>,
    nonce: NonceSource,
    keys: KeyCache,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("endpoint", &i.endpoint.origin)
            .field("profile", &i.profile)
            .field("credentials", &i.credentials)
            .field("retry", &i.retry)
            .field("clock", &i.clock)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Every setting is optional.
pub struct ClientBuilder {
    profile: Profile,
    credentials: Option<Box<dyn CredentialsProvider>>,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    sleeper: Arc<dyn Sleeper>,
    nonce: Option<NonceSource>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("profile", &self.profile)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            profile: Profile::default(),
            credentials: None,
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
            sleeper: Arc::new(TokioSleeper),
            nonce: None,
            http: None,
        }
    }
}

impl ClientBuilder {
    /// Endpoint, region, language, sign and HTTP method, timeouts, certificates.
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Shorthand for changing only the profile's endpoint.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.profile = self.profile.with_endpoint(endpoint);
        self
    }

    /// Where credentials come from: fixed [`crate::Credentials`], a provider of your own, or
    /// one of [`crate::credentials`]. Default: [`ChainCredentials::default_chain`].
    pub fn credentials(mut self, provider: impl CredentialsProvider + 'static) -> Self {
        self.credentials = Some(Box::new(provider));
        self
    }

    /// Default: [`RetryPolicy::default`]; [`RetryPolicy::none`] for load runs.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The clock that stamps requests and measures the retry budget. Default: system time.
    /// A [`tco_clock::ManualClock`] shared with the mock puts both on one time.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How the client waits between attempts. Default: `tokio::time::sleep`. The
    /// [`tco_clock::ManualClock`] given to [`ClientBuilder::clock`] makes each wait advance it
    /// instead, and records it.
    pub fn sleeper(mut self, sleeper: impl Sleeper + 'static) -> Self {
        self.sleeper = Arc::new(sleeper);
        self
    }

    /// The v1 `Nonce` generator (default: random). Pin it to get byte-identical requests.
    pub fn nonce_source(mut self, nonce: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.nonce = Some(Arc::new(nonce));
        self
    }

    /// Uses this `reqwest::Client` as is; the profile's timeouts and certificates are then
    /// yours to set on it.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let endpoint = Endpoint::parse(self.profile.endpoint())
            .map_err(|e| Error::Config(format!("endpoint {e}")))?;
        let http = match self.http {
            Some(http) => http,
            None => http_client(&self.profile, &endpoint)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint,
                credentials: self
                    .credentials
                    .unwrap_or_else(|| Box::new(ChainCredentials::default_chain())),
                retry: self.retry,
                clock: self.clock,
                sleeper: self.sleeper,
                nonce: self
                    .nonce
                    .unwrap_or_else(|| Arc::new(|| rand::random_range(1..=u64::from(u32::MAX)))),
                keys: KeyCache::default(),
                profile: self.profile,
            }),
        })
    }
}

fn http_client(profile: &Profile, endpoint: &Endpoint) -> Result<reqwest::Client, Error> {
    let builder = reqwest::Client::builder()
        .timeout(profile.timeout())
        .connect_timeout(profile.connect_timeout());
    crate::transport::configure(builder, endpoint, profile.root_certificates())
        .map_err(|e| match e {
            Error::Config(why) => Error::Config(format!("root certificate PEM {why}")),
            other => other,
        })?
        .build()
        .map_err(|e| Error::Config(format!("HTTP client: {e}")))
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The 2018-12-25 actions, one method each.
    pub fn v2018_12_25(&self) -> v2018_12_25::Api<'_> {
        v2018_12_25::Api::new(self)
    }

    /// The 2021-03-31 actions, one method each.
    pub fn v2021_03_31(&self) -> v2021_03_31::Api<'_> {
        v2021_03_31::Api::new(self)
    }

    pub fn profile(&self) -> &Profile {
        &self.inner.profile
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends any request model and decodes its response.
    ///
    /// The `Response` object is checked against the contract before decoding: a required
    /// member missing, a wrong type or a forbidden `null` is an [`Error::Contract`] naming
    /// every violation; members the contract does not know are ignored.
    pub async fn execute<O: Operation>(&self, request: O) -> Result<O::Output, Error> {
        let params = serde_json::to_value(&request)
            .map_err(|e| Error::InvalidRequest(format!("{}: {e}", O::ACTION)))?;
        let response = self.send(O::VERSION, O::ACTION, &params).await?;
        decode(O::VERSION, O::ACTION, response)
    }

    /// The typed path with JSON at both ends (see the generated `Api::call_by_name`).
    pub(crate) async fn execute_json<O>(&self, params: Value) -> Result<Value, Error>
    where
        O: Operation + serde::de::DeserializeOwned,
    {
        let request: O = serde_json::from_value(params)
            .map_err(|e| Error::InvalidRequest(format!("{}: {e}", O::ACTION)))?;
        let output = self.execute(request).await?;
        serde_json::to_value(output).map_err(|e| Error::Contract {
            action: O::ACTION.to_owned(),
            request_id: None,
            violations: vec![format!("cannot re-encode the decoded response: {e}")],
        })
    }

    /// Calls an action with JSON parameters and returns the `Response` object (`RequestId`
    /// included) as JSON, not checked against the contract: the escape hatch for actions or
    /// members the models do not know. Signing, retries and errors are as for typed calls.
    pub async fn call_json(
        &self,
        version: Version,
        action: &str,
        params: Value,
    ) -> Result<Value, Error> {
        if !params.is_object() {
            return Err(Error::InvalidRequest(format!(
                "{action}: parameters must be a JSON object"
            )));
        }
        self.send(version, action, &params).await
    }

    /// Attempts the call as the retry policy allows; the `Response` object of a success.
    async fn send(&self, version: Version, action: &str, params: &Value) -> Result<Value, Error> {
        let inner = &self.inner;
        let started = inner.clock.now();
        let mut attempt = 1;
        loop {
            let result = self.attempt(version, action, params).await;
            let error = match result {
                Ok(response) => return Ok(response),
                Err(e) => e,
            };
            if !error.is_retryable() || attempt >= inner.retry.max_attempts() {
                return Err(error);
            }
            let delay = inner.retry.jittered_delay(attempt);
            let elapsed = inner
                .clock
                .now()
                .duration_since(started)
                .unwrap_or(Duration::ZERO);
            if elapsed + delay > inner.retry.max_elapsed() {
                tracing::debug!(action, attempt, "retry budget spent: {error}");
                return Err(error);
            }
            tracing::debug!(action, attempt, ?delay, "retrying: {error}");
            inner.sleeper.sleep(delay).await;
            attempt += 1;
        }
    }

    /// One signed request, with credentials and timestamp fetched afresh.
    async fn attempt(
        &self,
        version: Version,
        action: &str,
        params: &Value,
    ) -> Result<Value, Error> {
        let inner = &self.inner;
        let creds = inner.credentials.credentials().await?;
        let profile = &inner.profile;
        let spec = RequestSpec::new(
            &inner.endpoint.host,
            SERVICE,
            action,
            version.as_str(),
            params,
            inner.clock.now_secs(),
        )
        .with_sign_method(profile.sign_method())
        .with_http_method(profile.http_method())
        .with_region(profile.region())
        .with_language(profile.language())
        .with_nonce((inner.nonce)())
        .with_request_client(REQUEST_CLIENT);
        let signed = tco_sign::build(&spec, &creds, &inner.keys);
        let request = crate::transport::request(&inner.http, &inner.endpoint.origin, signed);
        let transport = |e: reqwest::Error| {
            if e.is_timeout() {
                Error::Timeout {
                    action: action.to_owned(),
                    after: inner.profile.timeout(),
                }
            } else {
                Error::Transport {
                    action: action.to_owned(),
                    source: e.without_url(),
                }
            }
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        let limit = inner.profile.max_response_bytes();
        let body = read_capped(response, limit).await.map_err(|e| match e {
            BodyError::TooLarge { limit } => Error::ResponseTooLarge {
                action: action.to_owned(),
                limit,
            },
            BodyError::Transport(e) => transport(e),
        })?;
        let result = envelope(action, status.as_u16(), &body);
        match &result {
            Ok(_) => tracing::debug!(action, %version, "ok"),
            Err(e) => tracing::debug!(action, %version, "failed: {e}"),
        }
        result
    }
}

/// The `Response` object of a success, or the error the body describes.
fn envelope(action: &str, status: u16, body: &[u8]) -> Result<Value, Error> {
    let decode_error = |reason: String| Error::Decode {
        action: action.to_owned(),
        status,
        reason,
    };
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| decode_error(format!("{e}; body starts {:?}", snippet(body))))?;
    let Some(Value::Object(response)) = value.get("Response") else {
        return Err(decode_error(format!(
            "no \"Response\" object; body starts {:?}",
            snippet(body)
        )));
    };
    let request_id = response
        .get("RequestId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if let Some(error) = response.get("Error") {
        let code = error.get("Code").and_then(Value::as_str);
        let message = error.get("Message").and_then(Value::as_str);
        return match code {
            Some(code) => Err(Error::Api {
                code: code.to_owned(),
                message: message.unwrap_or_default().to_owned(),
                request_id,
                action: action.to_owned(),
            }),
            None => Err(decode_error("\"Error\" without a string \"Code\"".into())),
        };
    }
    if !(200..300).contains(&status) {
        return Err(decode_error(
            "HTTP error status without an error envelope".into(),
        ));
    }
    Ok(Value::Object(response.clone()))
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut s: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        s.push('…');
    }
    s
}

/// Checks the `Response` object against the contract, then decodes it.
fn decode<T: serde::de::DeserializeOwned>(
    version: Version,
    action: &str,
    response: Value,
) -> Result<T, Error> {
    let request_id = response
        .get("RequestId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(spec) = tco_spec::action(version, action) {
        let violations: Vec<String> = spec
            .validate_response(&response)
            .into_iter()
            .filter(|v| !matches!(v.kind, ViolationKind::UnknownMember))
            .map(|v| v.to_string())
            .collect();
        if !violations.is_empty() {
            return Err(Error::Contract {
                action: action.to_owned(),
                request_id,
                violations,
            });
        }
    }
    serde_json::from_value(response).map_err(|e| Error::Contract {
        action: action.to_owned(),
        request_id,
        violations: vec![e.to_string()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes() {
        let ok = envelope("A", 200, br#"{"Response":{"RequestId":"r","X":1}}"#).unwrap();
        assert_eq!(ok["X"], 1);
        let err = envelope(
            "A",
            200,
            br#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.code(), Some("InvalidParameter"));
        assert_eq!(err.request_id(), Some("r"));
        assert!(matches!(
            envelope("A", 200, b"<html>"),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            envelope("A", 200, b"{}"),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            envelope("A", 502, br#"{"Response":{"RequestId":"r"}}"#),
            Err(Error::Decode { status: 502, .. })
        ));
    }
}
