//! Where and how requests go: endpoint, region, language, signature and HTTP method, timeouts,
//! extra trusted certificates.

use std::time::Duration;

pub use tco_sign::{HttpMethod, SignMethod};

use crate::Error;

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
    root_certificates: Vec<Vec<u8>>,
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
            root_certificates: Vec::new(),
        }
    }
}

impl Profile {
    /// `https://host`, `http://host:port`, or a bare `host[:port]` (https). Checked when the
    /// client is built.
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

    /// Trusts the certificates in this PEM text (one or more) besides the built-in roots, e.g.
    /// a staging endpoint's private CA. Checked when the client is built.
    pub fn with_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
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

    pub(crate) fn root_certificates(&self) -> &[Vec<u8>] {
        &self.root_certificates
    }
}

/// A parsed endpoint: where to connect, and the `Host` value that gets signed.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    /// `scheme://host[:port]`, no trailing slash.
    pub origin: String,
    /// `host` or `host:port` (port only when not the scheme's default), lower-case.
    pub host: String,
}

/// Whether `host` is Tencent's production API domain or under it (case-insensitive, a trailing
/// dot ignored: `example.com.` is the same host as `example.com`). Load runs and contract bursts
/// refuse such hosts unless told otherwise: they can get a real account throttled.
pub fn is_production_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    host == "tencentcloudapi.com" || host.ends_with(".tencentcloudapi.com")
}

impl Endpoint {
    pub fn parse(text: &str) -> Result<Endpoint, Error> {
        let text = text.trim();
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else {
            format!("https://{text}")
        };
        let bad = |why: &str| Error::Config(format!("endpoint {text:?}: {why}"));
        let url = reqwest::Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        let host = url.host_str().ok_or_else(|| bad("no host"))?;
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad(
                "the API lives at the root path; give scheme, host and port only",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("user information is not allowed"));
        }
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(Endpoint {
            origin: format!("{}://{host}", url.scheme()),
            host,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let e = Endpoint::parse("http://127.0.0.1:9000").unwrap();
        assert_eq!(
            (e.origin.as_str(), e.host.as_str()),
            ("http://127.0.0.1:9000", "127.0.0.1:9000")
        );
        let e = Endpoint::parse("organization.intl.tencentcloudapi.com").unwrap();
        assert_eq!(e.origin, "https://organization.intl.tencentcloudapi.com");
        let e = Endpoint::parse("https://Example.COM:443/").unwrap();
        assert_eq!(e.host, "example.com");
        let e = Endpoint::parse("http://[::1]:8080").unwrap();
        assert_eq!(e.host, "[::1]:8080");
        assert!(Endpoint::parse("ftp://x").is_err());
        assert!(Endpoint::parse("http://x/path").is_err());
    }
}
