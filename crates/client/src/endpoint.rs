//! Where requests go, read the same way by every part of the harness (the client, the
//! contract suite, the load scenarios and every CLI command): [`ENDPOINT_RULE`].

use std::fmt;
use std::net::IpAddr;

/// The rule for an endpoint given as text, in the words `--help` uses.
pub const ENDPOINT_RULE: &str = "scheme, host and optional port, e.g. https://staging.example.com or http://127.0.0.1:9000; without a scheme, https:// is meant, except for loopback hosts (localhost, 127.0.0.0/8, ::1), which mean http://";

/// A parsed endpoint: where to connect, and the `Host` value that gets signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `scheme://host[:port]`, no trailing slash.
    pub origin: String,
    /// `host` or `host:port` (port only when not the scheme's default), lower-case.
    pub host: String,
    /// The host name or address alone (IPv6 in brackets), lower-case.
    pub host_name: String,
}

/// An endpoint that cannot be called, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a URL of the API: {reason}")]
pub struct InvalidEndpoint {
    pub text: String,
    pub reason: String,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)
    }
}

impl Endpoint {
    /// Reads `text` by [`ENDPOINT_RULE`]. The API lives at the root: a path (other than `/`),
    /// query, fragment or user information is refused.
    pub fn parse(text: &str) -> Result<Endpoint, InvalidEndpoint> {
        let text = text.trim();
        let bad = |reason: &str| InvalidEndpoint {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else {
            let scheme = if is_loopback_authority(text) {
                "http"
            } else {
                "https"
            };
            // A bare IPv6 address (`::1`) goes in brackets, as a URL writes it.
            match text.parse::<std::net::Ipv6Addr>() {
                Ok(ip) => format!("{scheme}://[{ip}]"),
                Err(_) => format!("{scheme}://{text}"),
            }
        };
        let url = reqwest::Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        let host_name = url.host_str().ok_or_else(|| bad("no host"))?;
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad(
                "the API lives at the root path; give scheme, host and port only",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("user information is not allowed"));
        }
        let host = match url.port() {
            Some(port) => format!("{host_name}:{port}"),
            None => host_name.to_owned(),
        };
        Ok(Endpoint {
            origin: format!("{}://{host}", url.scheme()),
            host_name: host_name.to_owned(),
            host,
        })
    }

    /// Whether the host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
    pub fn is_loopback(&self) -> bool {
        is_loopback_authority(&self.host_name)
    }

    /// The origin as a URL (for HTTP clients that want one).
    pub fn url(&self) -> reqwest::Url {
        reqwest::Url::parse(&self.origin).expect("an origin that parsed once parses again")
    }
}

/// Whether a scheme-less `host[:port][/...]` names this machine.
fn is_loopback_authority(text: &str) -> bool {
    let authority = text.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        // `[::1]:9000`
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        // `::1` alone has several colons; `host:port` has one.
        None if authority.matches(':').count() > 1 => authority,
        None => authority.split(':').next().unwrap_or_default(),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> String {
        Endpoint::parse(text).unwrap().origin
    }

    #[test]
    fn without_a_scheme_loopback_is_http_and_the_rest_https() {
        assert_eq!(origin("127.0.0.1:9000"), "http://127.0.0.1:9000");
        assert_eq!(origin("127.3.2.1:9000"), "http://127.3.2.1:9000");
        assert_eq!(origin("localhost:9000"), "http://localhost:9000");
        assert_eq!(origin("LOCALHOST"), "http://localhost");
        assert_eq!(origin("[::1]:8080"), "http://[::1]:8080");
        assert_eq!(origin("::1"), "http://[::1]");
        assert_eq!(
            origin("organization.intl.tencentcloudapi.com"),
            "https://organization.intl.tencentcloudapi.com"
        );
        assert_eq!(
            origin("staging.example.com:8443"),
            "https://staging.example.com:8443"
        );
        assert_eq!(origin("10.0.0.1:9000"), "https://10.0.0.1:9000");
        assert_eq!(
            origin("localhost.example.com"),
            "https://localhost.example.com"
        );
    }

    #[test]
    fn a_scheme_given_is_kept() {
        assert_eq!(origin("https://127.0.0.1:9000"), "https://127.0.0.1:9000");
        assert_eq!(
            origin("http://staging.example.com"),
            "http://staging.example.com"
        );
        let e = Endpoint::parse("https://Example.COM:443/").unwrap();
        assert_eq!(
            (e.host.as_str(), e.host_name.as_str()),
            ("example.com", "example.com")
        );
        let e = Endpoint::parse("http://[::1]:8080").unwrap();
        assert_eq!(e.host, "[::1]:8080");
    }

    #[test]
    fn what_is_refused() {
        for text in [
            "ftp://x",
            "http://x/path",
            "http://x/?q=1",
            "http://user:pw@x",
            "http://",
            "",
            "localhost:9000/v3",
        ] {
            assert!(Endpoint::parse(text).is_err(), "{text:?}");
        }
    }
}
