//! Gate step 1, HTTP: what the API accepts on the wire, read without trusting its size.
//!
//! - `POST` with `application/json` (signed with TC3) or `application/x-www-form-urlencoded`
//!   (signed with v1); `GET` with the parameters in the query (either signature).
//! - Any other method: `UnsupportedProtocol`. Any other path than `/`: `UnsupportedProtocol`
//!   too: the API is one endpoint, and a client that posts elsewhere is misconfigured in
//!   the same way as one that uses another method.
//! - Any other body type, `multipart/form-data` included: `UnsupportedProtocol`. Tencent
//!   accepts multipart only for TC3 calls of actions that upload files, and the Organization
//!   API has none; the fix is on the client's transport side, not in a parameter, hence this
//!   code rather than `InvalidParameter`.
//! - Size limits as documented (query 32 KB, v1 body 1 MB, TC3 body 10 MB):
//!   `RequestSizeLimitExceeded`, decided from `Content-Length` when given and otherwise by
//!   reading at most the limit (plus one byte), never the whole body.
//! - The body must arrive within a deadline ([`BODY_READ_TIMEOUT`] unless configured
//!   otherwise, counted from the end of the headers): a client that announces more bytes than
//!   it sends, or trickles them, gets `InvalidRequest` and the connection is closed, rather than
//!   holding it open forever.

use std::fmt;
use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request};
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tco_sign::{Incoming, FORM_CONTENT_TYPE, JSON_CONTENT_TYPE};

use crate::envelope::ApiError;

/// The documented limit of a GET request's query string.
pub const MAX_QUERY_BYTES: usize = 32 * 1024;
/// The documented limit of a v1 (form) POST body.
pub const MAX_FORM_BODY_BYTES: usize = 1024 * 1024;
/// The documented limit of a TC3 (JSON) POST body.
pub const MAX_JSON_BODY_BYTES: usize = 10 * 1024 * 1024;
/// How long a request's body may take to arrive, in all, once its headers are in (the mock's
/// choice: enough for a 10 MB body at 1 MB/s). Configurable: [`crate::config::Config::body_timeout`].
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A step-1 refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: ApiError,
    /// The answer must close the connection: the body was not read to its end, so the
    /// connection is in no state to carry another request.
    pub close_connection: bool,
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        Self {
            error,
            close_connection: false,
        }
    }
}

/// How the parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// A JSON object in the body.
    Json,
    /// A urlencoded form in the body (and possibly the query).
    Form,
    /// GET: the query only.
    Query,
}

/// A request that passed step 1: its parts owned, its body read within the limit.
///
/// Its `Debug` shows header names but not the values of credential-bearing headers, and the
/// query and body as lengths only: they may hold a v1 `Signature` and `Token`.
pub struct RawRequest {
    pub method: &'static str,
    /// Always `/`: step 1 refuses every other path.
    pub path: &'static str,
    pub query: String,
    /// The headers as received, kept rather than copied (see [`RawRequest::headers`]).
    headers: HeaderMap,
    /// `host` from the URI's authority when the request has no Host header (HTTP/2 carries
    /// it as `:authority`), since signatures cover it.
    authority_host: Option<String>,
    pub body: Bytes,
    pub kind: BodyKind,
}

/// Headers whose values are credentials (or carry a signature made with one).
const REDACTED_HEADERS: &[&str] = &["authorization", "x-tc-token"];

impl fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a RawRequest);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list()
                    .entries(self.0.headers().map(|(name, value)| {
                        let secret = REDACTED_HEADERS
                            .iter()
                            .any(|r| name.eq_ignore_ascii_case(r));
                        (name, if secret { "<redacted>" } else { value })
                    }))
                    .finish()
            }
        }
        f.debug_struct("RawRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query_len", &self.query.len())
            .field("headers", &Headers(self))
            .field("body_len", &self.body.len())
            .field("kind", &self.kind)
            .finish()
    }
}

impl RawRequest {
    /// A request with these headers (names as given, values as UTF-8), for tests.
    #[cfg(test)]
    pub fn with_headers(
        query: &str,
        headers: &[(&str, &str)],
        body: Bytes,
        kind: BodyKind,
    ) -> Self {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            let name = header::HeaderName::from_bytes(name.as_bytes()).expect("a header name");
            map.append(name, value.parse().expect("a header value"));
        }
        let method = if kind == BodyKind::Query {
            "GET"
        } else {
            "POST"
        };
        Self {
            method,
            path: "/",
            query: query.to_string(),
            headers: map,
            authority_host: None,
            body,
            kind,
        }
    }

    /// The headers as UTF-8 pairs, names in lower case, in the order received. Values that
    /// are not UTF-8 are left out: nothing the API reads can be in them, and a signature
    /// covering one then fails as it should.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), utf8(value)?)))
            .chain(self.authority_host.as_deref().map(|host| ("host", host)))
    }

    /// The first UTF-8 value of the header `name` (any case), as [`RawRequest::headers`] gives
    /// them: looked up by name in the map (a name that is no valid header name finds nothing).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all(name)
            .iter()
            .find_map(utf8)
            .or_else(|| {
                let host = name.eq_ignore_ascii_case("host");
                self.authority_host.as_deref().filter(|_| host)
            })
    }

    /// Runs `f` with the request borrowed as the verifier wants it.
    pub fn with_incoming<T>(&self, f: impl FnOnce(&Incoming<'_>) -> T) -> T {
        let mut headers = Vec::with_capacity(self.headers.len() + 1);
        headers.extend(self.headers());
        let incoming = Incoming {
            method: self.method,
            path: self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        f(&incoming)
    }

    /// Query and form parameters, decoded, in the order sent.
    pub fn form_params(&self) -> Vec<(String, String)> {
        self.with_incoming(|incoming| incoming.form_params())
    }
}

/// The method the method/path check leaves in: the verifier wants a `&str`.
fn method_name(method: &Method) -> Option<&'static str> {
    match *method {
        Method::GET => Some("GET"),
        Method::POST => Some("POST"),
        _ => None,
    }
}

/// Step 1: checks method, path, content type and size, and reads the body, which must arrive
/// within `body_timeout`.
pub async fn read(req: Request<Body>, body_timeout: Duration) -> Result<RawRequest, Refusal> {
    let (parts, body) = req.into_parts();
    let method = method_name(&parts.method).ok_or_else(|| {
        ApiError::new(
            "UnsupportedProtocol",
            format!("Method {} is not accepted; use POST or GET.", parts.method),
        )
    })?;
    if parts.uri.path() != "/" {
        return Err(
            ApiError::new("UnsupportedProtocol", "The API is served at path / only.").into(),
        );
    }
    let query = parts.uri.query().unwrap_or_default().to_string();
    if query.len() > MAX_QUERY_BYTES {
        return Err(too_large("query string", MAX_QUERY_BYTES).into());
    }
    let (kind, body) = if method == "GET" {
        // A GET's parameters are in its query; a body, if any, is neither read nor signed.
        (BodyKind::Query, Bytes::new())
    } else {
        let kind = post_kind(&parts.headers)?;
        let limit = match kind {
            BodyKind::Json => MAX_JSON_BODY_BYTES,
            _ => MAX_FORM_BODY_BYTES,
        };
        (
            kind,
            read_body(&parts.headers, body, limit, body_timeout).await?,
        )
    };
    let has_host = parts
        .headers
        .get_all(header::HOST)
        .iter()
        .any(|v| utf8(v).is_some());
    let authority_host = match (has_host, parts.uri.authority()) {
        (false, Some(authority)) => Some(authority.as_str().to_string()),
        _ => None,
    };
    Ok(RawRequest {
        method,
        path: "/",
        query,
        headers: parts.headers,
        authority_host,
        body,
        kind,
    })
}

/// A header's value as text, when it is UTF-8.
fn utf8(value: &header::HeaderValue) -> Option<&str> {
    std::str::from_utf8(value.as_bytes()).ok()
}

/// The body type of a POST, from the media type of its `Content-Type`.
fn post_kind(headers: &axum::http::HeaderMap) -> Result<BodyKind, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    // The two accepted types, without a lower-cased copy.
    for (accepted, kind) in [
        (JSON_CONTENT_TYPE, BodyKind::Json),
        (FORM_CONTENT_TYPE, BodyKind::Form),
    ] {
        if media_type.eq_ignore_ascii_case(accepted) {
            return Ok(kind);
        }
    }
    match media_type.to_ascii_lowercase().as_str() {
        JSON_CONTENT_TYPE => Ok(BodyKind::Json),
        FORM_CONTENT_TYPE => Ok(BodyKind::Form),
        "multipart/form-data" => Err(ApiError::new(
            "UnsupportedProtocol",
            "Multipart bodies are not accepted: no action of this API takes a file. Send application/json (TC3) or application/x-www-form-urlencoded (v1).",
        )),
        "" => Err(ApiError::new(
            "UnsupportedProtocol",
            "A POST needs Content-Type application/json (TC3) or application/x-www-form-urlencoded (v1).",
        )),
        other => Err(ApiError::new(
            "UnsupportedProtocol",
            format!(
                "Content-Type {other:?} is not accepted; send application/json (TC3) or application/x-www-form-urlencoded (v1)."
            ),
        )),
    }
}

/// Reads at most `limit` bytes: an announced `Content-Length` over it is refused before a byte
/// is read, and a body without one is cut off as soon as it passes the limit. A body not all
/// in within `timeout` is refused too, and its connection is to be closed.
pub async fn read_body(
    headers: &axum::http::HeaderMap,
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, Refusal> {
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(too_large("body", limit).into());
    }
    let mut collecting = std::pin::pin!(Limited::new(body, limit).collect());
    // A body that came in with its headers (the usual case) is read without arming a timer.
    let first = std::future::poll_fn(|cx| Poll::Ready(collecting.as_mut().poll(cx))).await;
    let collected = match first {
        Poll::Ready(collected) => Ok(collected),
        Poll::Pending => tokio::time::timeout(timeout, collecting).await,
    };
    let collected = match collected {
        Ok(collected) => collected,
        Err(_elapsed) => {
            return Err(Refusal {
                error: ApiError::new(
                    "InvalidRequest",
                    format!(
                    "The body did not arrive in time: it was not complete {} after the headers.",
                    describe(timeout)
                ),
                ),
                close_connection: true,
            })
        }
    };
    match collected {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(too_large("body", limit).into())
        }
        Err(e) => Err(ApiError::new(
            "InvalidRequest",
            format!("The body could not be read: {e}."),
        )
        .into()),
    }
}

/// `10 s`, or `250 ms` below a second or when not whole seconds.
fn describe(duration: Duration) -> String {
    if duration.subsec_millis() == 0 && duration.as_secs() > 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

fn too_large(what: &str, limit: usize) -> ApiError {
    ApiError::new(
        "RequestSizeLimitExceeded",
        format!("The {what} is over the limit of {} KB.", limit / 1024),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;
    use futures_util::{stream, StreamExt};

    const T: Duration = BODY_READ_TIMEOUT;

    fn chunked(chunks: usize, size: usize) -> Body {
        let stream = stream::iter(
            (0..chunks).map(move |_| Ok::<_, std::io::Error>(Bytes::from(vec![b'a'; size]))),
        );
        Body::from_stream(stream)
    }

    #[tokio::test]
    async fn a_body_without_length_is_cut_at_the_limit() {
        let err = read_body(&HeaderMap::new(), chunked(20, 1024), 16 * 1024, T)
            .await
            .unwrap_err();
        assert_eq!(err.error.code, "RequestSizeLimitExceeded");
        let ok = read_body(&HeaderMap::new(), chunked(16, 1024), 16 * 1024, T)
            .await
            .unwrap();
        assert_eq!(ok.len(), 16 * 1024);
    }

    #[tokio::test]
    async fn an_announced_length_over_the_limit_is_refused_unread() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_LENGTH, "20000000".parse().unwrap());
        // The body would never end: refusing must not wait for it.
        let endless = Body::from_stream(stream::pending::<Result<Bytes, std::io::Error>>());
        let err = read_body(&headers, endless, MAX_JSON_BODY_BYTES, T)
            .await
            .unwrap_err();
        assert_eq!(err.error.code, "RequestSizeLimitExceeded");
    }

    #[tokio::test]
    async fn a_broken_body_is_an_invalid_request() {
        let broken = Body::from_stream(stream::iter(vec![Err::<Bytes, _>(std::io::Error::other(
            "reset",
        ))]));
        let err = read_body(&HeaderMap::new(), broken, 1024, T)
            .await
            .unwrap_err();
        assert_eq!(err.error.code, "InvalidRequest");
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_never_completes_is_refused_at_the_deadline() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_LENGTH, "100".parse().unwrap());
        // Six bytes of the hundred announced, then nothing.
        let first = stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(
            b"{\"a\":1",
        ))]);
        let stalled = Body::from_stream(first.chain(stream::pending()));
        let refusal = read_body(&headers, stalled, 1024, Duration::from_millis(250))
            .await
            .unwrap_err();
        assert_eq!(refusal.error.code, "InvalidRequest");
        assert!(
            refusal.error.message.contains("did not arrive in time"),
            "{refusal:?}"
        );
        assert!(refusal.error.message.contains("250 ms"), "{refusal:?}");
        assert!(refusal.close_connection);
    }

    #[test]
    fn debug_shows_no_credentials() {
        let raw = RawRequest::with_headers(
            "Signature=querysig%3D&Token=querytoken",
            &[
                ("Authorization", "TC3-HMAC-SHA256 Credential=AKIDx/d/s/tc3_request, SignedHeaders=host, Signature=deadbeefsig"),
                ("x-tc-token", "headertoken"),
                ("content-type", FORM_CONTENT_TYPE),
            ],
            Bytes::from_static(b"SecretId=AKIDx&Signature=bodysig&Token=bodytoken"),
            BodyKind::Form,
        );
        let shown = format!("{raw:?} {raw:#?}");
        for secret in [
            "deadbeefsig",
            "headertoken",
            "querysig",
            "querytoken",
            "bodysig",
            "bodytoken",
            "Credential",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        for visible in [
            // Header names as the HTTP layer keeps them: lower case.
            "authorization",
            "x-tc-token",
            "<redacted>",
            FORM_CONTENT_TYPE,
            "body_len: 48",
            "query_len: 38",
        ] {
            assert!(shown.contains(visible), "{visible} missing from {shown}");
        }
    }

    #[tokio::test]
    async fn the_host_comes_from_the_authority_only_when_no_header_names_it() {
        let bare = Request::post("http://organization.example.test:9000/")
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let raw = read(bare, T).await.unwrap();
        assert_eq!(raw.header("Host"), Some("organization.example.test:9000"));
        assert_eq!(raw.headers().filter(|(n, _)| *n == "host").count(), 1);
        let named = Request::post("http://organization.example.test:9000/")
            .header("content-type", "application/json")
            .header("host", "127.0.0.1:9000")
            .body(Body::from("{}"))
            .unwrap();
        let raw = read(named, T).await.unwrap();
        assert_eq!(raw.header("host"), Some("127.0.0.1:9000"));
        assert_eq!(raw.headers().filter(|(n, _)| *n == "host").count(), 1);
    }

    #[test]
    fn values_that_are_not_utf8_are_skipped() {
        let mut raw = RawRequest::with_headers("", &[], Bytes::new(), BodyKind::Json);
        let name = header::HeaderName::from_static("x-tc-action");
        let binary = header::HeaderValue::from_bytes(b"\xffDescribe").unwrap();
        raw.headers.append(name.clone(), binary);
        assert_eq!(raw.header("X-TC-Action"), None);
        raw.headers.append(
            name,
            header::HeaderValue::from_static("DescribeOrganization"),
        );
        assert_eq!(raw.header("X-TC-Action"), Some("DescribeOrganization"));
        assert_eq!(
            raw.headers().collect::<Vec<_>>(),
            [("x-tc-action", "DescribeOrganization")]
        );
    }

    fn post(content_type: &str) -> Request<Body> {
        Request::post("/")
            .header("content-type", content_type)
            .body(Body::from("{}"))
            .unwrap()
    }

    #[tokio::test]
    async fn content_types() {
        let json = read(post("application/json; charset=utf-8"), T)
            .await
            .unwrap();
        assert_eq!(json.kind, BodyKind::Json);
        let form = read(post("Application/X-WWW-Form-Urlencoded"), T)
            .await
            .unwrap();
        assert_eq!(form.kind, BodyKind::Form);
        for refused in ["multipart/form-data; boundary=x", "text/plain", ""] {
            let err = read(post(refused), T).await.unwrap_err();
            assert_eq!(err.error.code, "UnsupportedProtocol", "{refused}");
        }
    }

    #[tokio::test]
    async fn methods_and_paths() {
        let put = Request::put("/").body(Body::empty()).unwrap();
        assert_eq!(
            read(put, T).await.unwrap_err().error.code,
            "UnsupportedProtocol"
        );
        let elsewhere = Request::get("/v1").body(Body::empty()).unwrap();
        assert_eq!(
            read(elsewhere, T).await.unwrap_err().error.code,
            "UnsupportedProtocol"
        );
        let long = format!("/?A={}", "x".repeat(MAX_QUERY_BYTES));
        let get = Request::get(long).body(Body::empty()).unwrap();
        assert_eq!(
            read(get, T).await.unwrap_err().error.code,
            "RequestSizeLimitExceeded"
        );
    }
}
