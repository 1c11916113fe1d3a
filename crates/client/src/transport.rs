//! How every HTTP client of the harness reaches an endpoint, set in one place: the reference
//! client, the contract suite's wire and the load runs' (goose's) clients all start from
//! [`configure`].
//!
//! - **Trusted roots**: the system's, plus any [`RootCertificates`] given (a staging
//!   endpoint's private certificate authority).
//! - **Proxies**: reqwest's rule, unchanged: `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` (and
//!   their lower-case forms) from the environment, minus the hosts `NO_PROXY` names. reqwest
//!   sends loopback hosts through the proxy too unless `NO_PROXY` names them, so for a
//!   loopback endpoint (`localhost`, `127.0.0.0/8`, `::1`) [`configure`] turns proxies off:
//!   a proxy elsewhere cannot reach this machine's loopback.
//!
//! And every signed request goes out one way, [`request`].

use std::fmt;
use std::path::Path;

use tco_sign::{HttpMethod, SignedRequest};

use crate::{Endpoint, Error};

/// Certificate authorities to trust besides the system's, as PEM texts (each one or more
/// certificates).
///
/// ```
/// use tco_client::RootCertificates;
///
/// assert!(RootCertificates::from_pem("not PEM").is_err());
/// assert!(RootCertificates::default().is_empty());
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RootCertificates {
    pems: Vec<Vec<u8>>,
}

impl fmt::Debug for RootCertificates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RootCertificates({} PEM texts)", self.pems.len())
    }
}

impl RootCertificates {
    /// The certificates of this PEM text; an error when it holds none.
    pub fn from_pem(pem: impl Into<Vec<u8>>) -> Result<Self, Error> {
        let roots = RootCertificates {
            pems: vec![pem.into()],
        };
        roots.certificates()?;
        Ok(roots)
    }

    /// The certificates of a PEM file, checked now: the error names the file.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let shown = path.display();
        let pem = std::fs::read(path)
            .map_err(|e| Error::Config(format!("CA certificate file {shown}: {e}")))?;
        Self::from_pem(pem).map_err(|e| match e {
            Error::Config(why) => Error::Config(format!("CA certificate file {shown}: {why}")),
            other => other,
        })
    }

    /// Adds a PEM text unchecked ([`configure`] checks it).
    pub(crate) fn push_pem(&mut self, pem: Vec<u8>) {
        self.pems.push(pem);
    }

    /// Adds every text of `other`.
    pub fn extend(&mut self, other: &RootCertificates) {
        self.pems.extend(other.pems.iter().cloned());
    }

    pub fn is_empty(&self) -> bool {
        self.pems.is_empty()
    }

    /// Every certificate of every text, parsed.
    fn certificates(&self) -> Result<Vec<reqwest::Certificate>, Error> {
        let mut all = Vec::new();
        for pem in &self.pems {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::Config(format!("not PEM certificates: {e}")))?;
            if certs.is_empty() {
                return Err(Error::Config("holds no PEM certificate".into()));
            }
            all.extend(certs);
        }
        Ok(all)
    }
}

/// The one place an HTTP client that calls `endpoint` is set up: `roots` trusted besides the
/// system's, and proxies from the environment except for a loopback endpoint (module docs).
/// Timeouts and the rest stay the caller's.
pub fn configure(
    mut builder: reqwest::ClientBuilder,
    endpoint: &Endpoint,
    roots: &RootCertificates,
) -> Result<reqwest::ClientBuilder, Error> {
    for cert in roots.certificates()? {
        builder = builder.add_root_certificate(cert);
    }
    if endpoint.is_loopback() {
        builder = builder.no_proxy();
    }
    Ok(builder)
}

/// Whether a client set up by [`configure`] reaches `endpoint` over plain HTTP with no proxy
/// between: an `http://` endpoint that is loopback ([`configure`] turns proxies off) or with
/// no proxy variable that reqwest would read for it (`HTTP_PROXY`, `ALL_PROXY`, either case).
/// When unsure it says no. A client that talks to such an endpoint itself (the load
/// generator's) makes the same decisions as reqwest would; any other endpoint stays reqwest's.
pub fn plain_http_without_proxy(endpoint: &Endpoint) -> bool {
    if !endpoint.origin.starts_with("http://") {
        return false;
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    endpoint.is_loopback()
        || !["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
            .into_iter()
            .any(set)
}

/// The one way a signed request goes on the wire: its method, `origin` (`scheme://host[:port]`)
/// followed by its path and query, every header as signed (`Host` too, so what was signed is
/// what is sent, whatever name the URL uses) and its body. Timeouts and the rest are the
/// caller's, on the builder returned.
pub fn request(
    http: &reqwest::Client,
    origin: &str,
    signed: SignedRequest,
) -> reqwest::RequestBuilder {
    let method = match signed.method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
    };
    let mut request = http.request(method, format!("{origin}{}", signed.path_and_query));
    for (name, value) in signed.headers() {
        request = request.header(name, value);
    }
    // A GET carries its parameters in the query; an empty body is not sent at all.
    if signed.method == HttpMethod::Post || !signed.body.is_empty() {
        request = request.body(signed.body);
    }
    request
}

/// When a request failed because the server's certificate was refused (unknown issuer,
/// expired, for another name): rustls's reason, e.g. `UnknownIssuer`.
pub fn certificate_refused(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    // rustls's `InvalidCertificate` error reads "invalid peer certificate: <reason>"; reqwest
    // wraps it in its own errors, so the chain is searched by that text.
    const MARK: &str = "invalid peer certificate";
    let mut cause = Some(error);
    while let Some(e) = cause {
        let text = e.to_string();
        if let Some(at) = text.find(MARK) {
            let reason = text[at + MARK.len()..].trim_start_matches([':', ' ']);
            return Some(if reason.is_empty() {
                "refused".to_owned()
            } else {
                reason.to_owned()
            });
        }
        cause = e.source();
    }
    None
}

/// The one-line wording of [`certificate_refused`], shared by every command.
pub fn untrusted_certificate_message(origin: &str, reason: &str) -> String {
    format!("{origin}: the server's TLS certificate is not trusted ({reason}): give the certificate authority that signed it as a PEM file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_a_certificate_is_refused() {
        for pem in [
            "",
            "not PEM at all",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ] {
            assert!(RootCertificates::from_pem(pem).is_err(), "{pem:?}");
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let err = RootCertificates::from_file(Path::new("/nonexistent/ca.pem")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
    }

    #[test]
    fn only_loopback_endpoints_bypass_proxies() {
        for (url, loopback) in [
            ("http://127.0.0.1:9000", true),
            ("http://localhost:1", true),
            ("http://[::1]:8080", true),
            ("https://staging.example.com", false),
            ("https://10.0.0.1", false),
        ] {
            assert_eq!(
                Endpoint::parse(url).unwrap().is_loopback(),
                loopback,
                "{url}"
            );
        }
    }
}
