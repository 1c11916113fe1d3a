//! Where and how requests go: endpoint, region, language, signature and HTTP method, timeouts,
//! extra trusted certificates.

use std::time::Duration;

pub use tco_sign::{HttpMethod, SignMethod};

use crate::body::DEFAULT_MAX_RESPONSE_BYTES;
use crate::RootCertificates;

/// The international site's endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://organization.intl.tencentcloudapi.com";

/// How to reach the API and how to sign for it. Every setting has the official SDKs' default.
///
/// ```
/// use std::time::Duration;
/// use tco_client::{HttpMethod, Profile, SignMethod};
///
/// let local = Profile::default()
///     .with_endpoint("http://127.0.0.1:9000")
///     .with_sign_method(SignMethod::HmacSha256)
///     .with_http_method(HttpMethod::Get)
///     .with_timeout(Duration::from_secs(5));
/// assert_eq!(local.endpoint(), "http://127.0.0.1:9000");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    endpoint: String,
    region: Option<String>,
    language: Option<String>,
    sign_method: SignMethod,
    http_method: HttpMethod,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    root_certificates: RootCertificates,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            region: None,
            language: None,
            sign_method: SignMethod::Tc3HmacSha256,
            http_method: HttpMethod::Post,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            root_certificates: RootCertificates::default(),
        }
    }
}

impl Profile {
    /// `https://host`, `http://host:port`, or a bare `host[:port]` (https, or http for a
    /// loopback host: [`crate::ENDPOINT_RULE`]). Checked when the client is built.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// `X-TC-Region` / `Region`; the Organization API is global, so none by default.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// `X-TC-Language` / `Language`: `en-US` or `zh-CN`.
    pub fn with_language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// TC3-HMAC-SHA256 (default), or the older HmacSHA1 / HmacSHA256 (sent as a form for POST).
    pub fn with_sign_method(mut self, method: SignMethod) -> Self {
        self.sign_method = method;
        self
    }

    /// POST (default, JSON body for TC3) or GET (parameters flattened into the query).
    pub fn with_http_method(mut self, method: HttpMethod) -> Self {
        self.http_method = method;
        self
    }

    /// The whole request, connection included (default 60 s, as the official SDKs).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest response body the client reads (default
    /// [`crate::DEFAULT_MAX_RESPONSE_BYTES`], 10 MB); a larger one is
    /// [`crate::Error::ResponseTooLarge`], and is never read whole.
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Trusts the certificates in this PEM text (one or more) besides the built-in roots, e.g.
    /// a staging endpoint's private CA. Checked when the client is built.
    pub fn with_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push_pem(pem.into());
        self
    }

    /// Trusts these certificates besides the built-in roots (and any given before).
    pub fn with_root_certificates(mut self, roots: &RootCertificates) -> Self {
        self.root_certificates.extend(roots);
        self
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    pub fn sign_method(&self) -> SignMethod {
        self.sign_method
    }

    pub fn http_method(&self) -> HttpMethod {
        self.http_method
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// The certificates trusted besides the built-in roots.
    pub fn root_certificates(&self) -> &RootCertificates {
        &self.root_certificates
    }
}

/// Whether `host` is Tencent's production API domain or under it (case-insensitive, a trailing
/// dot ignored: `example.com.` is the same host as `example.com`). Load runs and contract bursts
/// refuse such hosts unless told otherwise: they can get a real account throttled.
pub fn is_production_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    host == "tencentcloudapi.com" || host.ends_with(".tencentcloudapi.com")
}
