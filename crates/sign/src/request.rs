//! The whole request the official SDK would send for one call: URL, headers, body, signature.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use crate::headers::{HeaderList, Headers};

use crate::params::{flatten, python_json, urlencode};
use crate::tc3::{self, CanonicalInput, Payload, ValueCase};
use crate::time_fmt::DateText;
use crate::v1::{self, V1Method};
use crate::{Credentials, KeyCache};

/// The three signature methods the API accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignMethod {
    Tc3HmacSha256,
    HmacSha1,
    HmacSha256,
}

impl SignMethod {
    pub const ALL: [SignMethod; 3] = [
        SignMethod::Tc3HmacSha256,
        SignMethod::HmacSha1,
        SignMethod::HmacSha256,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignMethod::Tc3HmacSha256 => tc3::ALGORITHM,
            SignMethod::HmacSha1 => V1Method::HmacSha1.as_str(),
            SignMethod::HmacSha256 => V1Method::HmacSha256.as_str(),
        }
    }

    fn v1(self) -> Option<V1Method> {
        match self {
            SignMethod::Tc3HmacSha256 => None,
            SignMethod::HmacSha1 => Some(V1Method::HmacSha1),
            SignMethod::HmacSha256 => Some(V1Method::HmacSha256),
        }
    }
}

impl std::str::FromStr for SignMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        SignMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown sign method {s:?} (expected TC3-HMAC-SHA256, HmacSHA256 or HmacSHA1)"
                )
            })
    }
}

impl fmt::Display for SignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Post,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

impl std::str::FromStr for HttpMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Ok(HttpMethod::Get),
            "POST" => Ok(HttpMethod::Post),
            _ => Err(format!(
                "unsupported HTTP method {s:?} (expected GET or POST)"
            )),
        }
    }
}

pub const JSON_CONTENT_TYPE: &str = "application/json";
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Everything that decides the bytes of one API call.
///
/// [`RequestSpec::new`] takes the parts without a sensible default; the `with_` setters change
/// the rest (TC3-HMAC-SHA256 over POST, no region or language, nonce 0, the payload signed,
/// [`DEFAULT_REQUEST_CLIENT`]). `#[non_exhaustive]` so that a part added later is a new setter,
/// not a break in every caller.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RequestSpec<'a> {
    pub sign_method: SignMethod,
    pub http_method: HttpMethod,
    /// The Host header value, with `:port` when not the scheme's default.
    pub host: &'a str,
    pub service: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    pub region: Option<&'a str>,
    pub language: Option<&'a str>,
    /// Unix seconds; the caller's clock, so tests can pin it.
    pub timestamp: i64,
    /// The v1 `Nonce`; unused by TC3.
    pub nonce: u64,
    /// TC3 only: send `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` and leave the body unsigned.
    pub unsigned_payload: bool,
    /// `X-TC-RequestClient` / `RequestClient`: who is calling.
    pub request_client: &'a str,
    /// The action's parameters: a JSON object (nested values flatten for GET and forms).
    pub params: &'a Value,
}

/// The `X-TC-RequestClient` a [`RequestSpec`] sends unless told otherwise.
pub const DEFAULT_REQUEST_CLIENT: &str = "tco-harness";

impl<'a> RequestSpec<'a> {
    /// A call of `action` (`version`) of `service` at `host`, with `params`, signed at
    /// `timestamp` (Unix seconds on the caller's clock); every other part at its default.
    pub fn new(
        host: &'a str,
        service: &'a str,
        action: &'a str,
        version: &'a str,
        params: &'a Value,
        timestamp: i64,
    ) -> Self {
        Self {
            sign_method: SignMethod::Tc3HmacSha256,
            http_method: HttpMethod::Post,
            host,
            service,
            action,
            version,
            region: None,
            language: None,
            timestamp,
            nonce: 0,
            unsigned_payload: false,
            request_client: DEFAULT_REQUEST_CLIENT,
            params,
        }
    }

    pub fn with_sign_method(mut self, sign_method: SignMethod) -> Self {
        self.sign_method = sign_method;
        self
    }

    pub fn with_http_method(mut self, http_method: HttpMethod) -> Self {
        self.http_method = http_method;
        self
    }

    /// `X-TC-Region` / `Region`; `None` or empty leaves it out.
    pub fn with_region(mut self, region: Option<&'a str>) -> Self {
        self.region = region;
        self
    }

    /// `X-TC-Language` / `Language`; `None` or empty leaves it out.
    pub fn with_language(mut self, language: Option<&'a str>) -> Self {
        self.language = language;
        self
    }

    pub fn with_timestamp(mut self, timestamp: i64) -> Self {
        self.timestamp = timestamp;
        self
    }

    pub fn with_nonce(mut self, nonce: u64) -> Self {
        self.nonce = nonce;
        self
    }

    pub fn with_unsigned_payload(mut self, unsigned_payload: bool) -> Self {
        self.unsigned_payload = unsigned_payload;
        self
    }

    pub fn with_request_client(mut self, request_client: &'a str) -> Self {
        self.request_client = request_client;
        self
    }
}

/// A request ready for the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub method: HttpMethod,
    /// `/` for POST, `/?query` for GET.
    pub path_and_query: Cow<'static, str>,
    headers: HeaderList,
    pub body: Vec<u8>,
}

impl SignedRequest {
    /// The value of the first header called `name`, case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// Every `(name, value)`, in the order the official SDK sets them.
    pub fn headers(&self) -> Headers<'_> {
        self.headers.iter()
    }

    /// Replaces the value of the header called `name` (case-insensitively), or adds the header:
    /// for tests and tools that send a request changed after signing.
    pub fn set_header(&mut self, name: &'static str, value: &str) {
        self.headers.set(name, value);
    }

    /// Removes the header called `name` (case-insensitively), if present.
    pub fn remove_header(&mut self, name: &str) {
        self.headers.remove(name);
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field(
                "path_and_query",
                &"<query may hold a v1 signature; omitted>",
            )
            .field("headers", &self.headers())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Builds and signs the request, as the official SDK does for the same inputs.
pub fn build(spec: &RequestSpec<'_>, creds: &Credentials, keys: &KeyCache) -> SignedRequest {
    match spec.sign_method.v1() {
        None => build_tc3(spec, creds, keys),
        Some(m) => build_v1(spec, creds, m),
    }
}

/// The SDK upper-cases the first letter of the action; so do we.
fn action_name(action: &str) -> String {
    let mut out = String::with_capacity(action.len());
    push_action_name(action, &mut out);
    out
}

/// [`action_name`] appended to `out`.
fn push_action_name(action: &str, out: &mut String) {
    let mut chars = action.chars();
    match chars.next() {
        // The usual case: already capitalised, copied as it is.
        Some(first) if first.is_ascii_uppercase() => out.push_str(action),
        Some(first) => out.extend(first.to_uppercase().chain(chars)),
        None => {}
    }
}

fn build_tc3(spec: &RequestSpec<'_>, creds: &Credentials, keys: &KeyCache) -> SignedRequest {
    let (content_type, query, body) = match spec.http_method {
        HttpMethod::Get => (
            FORM_CONTENT_TYPE,
            urlencode(&flatten(spec.params)),
            Vec::new(),
        ),
        HttpMethod::Post => (
            JSON_CONTENT_TYPE,
            String::new(),
            python_json(spec.params).into_bytes(),
        ),
    };
    let payload = if spec.unsigned_payload {
        Payload::Unsigned
    } else {
        Payload::Bytes(&body)
    };
    let input = CanonicalInput {
        method: spec.http_method.as_str(),
        path: "/",
        query: &query,
        headers: &[("content-type", content_type), ("host", spec.host)],
        payload,
        // As the official SDK: `content-type` and `host` signed as sent. For every real
        // endpoint (lower-case host) this is also the documented lower-cased form.
        value_case: ValueCase::AsSent,
    };
    let date = DateText::of(spec.timestamp);
    let key = keys.signing_key(creds.secret_key(), date.as_str(), spec.service);
    let optional = [
        (
            "X-TC-Content-SHA256",
            spec.unsigned_payload.then_some(tc3::UNSIGNED_PAYLOAD),
        ),
        ("X-TC-Region", non_empty(spec.region)),
        ("X-TC-Token", non_empty(creds.token())),
        ("X-TC-Language", non_empty(spec.language)),
    ];
    // Every value in one buffer, sized once: the fixed ones, the optional ones, the
    // timestamp's digits and the Authorization value.
    let text_len = [
        content_type,
        spec.host,
        spec.action,
        spec.request_client,
        spec.version,
    ]
    .iter()
    .chain(optional.iter().filter_map(|(_, v)| v.as_ref()))
    .map(|v| v.len())
    .sum::<usize>()
        + 20
        + tc3::authorization_len(spec.service, creds.secret_id(), &input);
    let mut headers = HeaderList::with_capacity(text_len);
    headers.push("Content-Type", content_type);
    headers.push("Host", spec.host);
    headers.push_with("X-TC-Action", |t| push_action_name(spec.action, t));
    headers.push("X-TC-RequestClient", spec.request_client);
    headers.push_with("X-TC-Timestamp", |t| {
        t.push_str(itoa::Buffer::new().format(spec.timestamp))
    });
    headers.push("X-TC-Version", spec.version);
    for (name, value) in optional {
        if let Some(value) = value {
            headers.push(name, value);
        }
    }
    headers.push_with("Authorization", |t| {
        tc3::write_authorization(
            &input,
            spec.timestamp,
            &date,
            spec.service,
            creds.secret_id(),
            &key,
            t,
        )
    });
    SignedRequest {
        method: spec.http_method,
        path_and_query: path_and_query(spec.http_method, &query),
        headers,
        body,
    }
}

/// The SDK leaves out a region, token or language that is empty (`if self.region:`).
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// `/?query` for GET; a GET without parameters goes out as plain `/`, as with the SDK.
fn path_and_query(method: HttpMethod, query: &str) -> Cow<'static, str> {
    match method {
        HttpMethod::Get if !query.is_empty() => Cow::Owned(format!("/?{query}")),
        _ => Cow::Borrowed("/"),
    }
}

/// Sets `key` in place if present (as a Python dict assignment does), else appends it.
fn set_param(params: &mut Vec<(String, String)>, key: &str, value: String) {
    match params.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => params.push((key.to_string(), value)),
    }
}

fn build_v1(spec: &RequestSpec<'_>, creds: &Credentials, method: V1Method) -> SignedRequest {
    let mut params = flatten(spec.params);
    set_param(&mut params, "Action", action_name(spec.action));
    set_param(
        &mut params,
        "RequestClient",
        spec.request_client.to_string(),
    );
    set_param(&mut params, "Nonce", spec.nonce.to_string());
    set_param(&mut params, "Timestamp", spec.timestamp.to_string());
    set_param(&mut params, "Version", spec.version.to_string());
    let optional = [
        ("Region", non_empty(spec.region)),
        ("Token", non_empty(creds.token())),
    ];
    for (k, v) in optional {
        if let Some(v) = v {
            set_param(&mut params, k, v.to_string());
        }
    }
    set_param(&mut params, "SecretId", creds.secret_id().to_string());
    set_param(&mut params, "SignatureMethod", method.as_str().to_string());
    if let Some(lang) = non_empty(spec.language) {
        set_param(&mut params, "Language", lang.to_string());
    }
    let sts = v1::string_to_sign(spec.http_method.as_str(), spec.host, "/", &params);
    set_param(
        &mut params,
        "Signature",
        v1::sign(method, creds.secret_key(), &sts),
    );

    let encoded = urlencode(&params);
    let (path_and_query, body) = match spec.http_method {
        HttpMethod::Get => (path_and_query(HttpMethod::Get, &encoded), Vec::new()),
        HttpMethod::Post => (Cow::Borrowed("/"), encoded.into_bytes()),
    };
    let mut headers = HeaderList::with_capacity(FORM_CONTENT_TYPE.len() + spec.host.len());
    headers.push("Content-Type", FORM_CONTENT_TYPE);
    headers.push("Host", spec.host);
    SignedRequest {
        method: spec.http_method,
        path_and_query,
        headers,
        body,
    }
}
