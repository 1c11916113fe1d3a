//! Gate step 2, authentication: the signing crate's verifier, plus the one leniency that lets
//! every official client in unchanged.
//!
//! # Hosts
//!
//! A TC3 or v1 signature covers the `Host` header as the client sent it, and the verifier
//! recomputes it from that same header: the mock answers `127.0.0.1:PORT`, `localhost:PORT`,
//! `organization.localhost:PORT` or `organization.<domain>` (the Terraform provider's
//! `TENCENTCLOUD_DOMAIN`) alike, with no host name configured anywhere.
//!
//! # The Node.js SDK's TC3 signatures
//!
//! `tencentcloud-sdk-nodejs-intl-en` signs TC3 in two ways no other client does:
//! - the credential scope's service is the first dot-separated label of the endpoint it was
//!   given (`127` for `127.0.0.1:9000`, `localhost:9000` for `localhost:9000`), not
//!   `organization`;
//! - the signed `host` is the endpoint's host name without the port, while the `Host` header
//!   it sends carries the port.
//!
//! Against the real service both are harmless (its endpoint is `organization.tencentcloudapi.com`,
//! on the default port). Against a mock on `127.0.0.1:PORT`, every call would fail. So when a
//! TC3 signature fails the strict check, the mock recomputes it under those alternative
//! canonical forms (the scope's service being the first label of the `Host` sent, and/or the
//! signed host being the `Host` sent without its port) and accepts the request only if one of
//! them matches **with the account's secret key**: nothing is skipped, a wrong key is still
//! `AuthFailure.SignatureFailure`. [`crate::config::Config::strict_signatures`] turns this off
//! (the service's own behaviour: such requests are refused).

use std::collections::HashMap;
use std::sync::Arc;

use tco_sign::{AuthError, CredentialStore, Credentials, Incoming, Verified, Verifier};

use crate::app::SERVICE;
use crate::request::RawRequest;

/// The credentials behind each SecretId, shared by the strict verifier and the lenient ones.
#[derive(Clone)]
struct Accounts(Arc<HashMap<String, Credentials>>);

impl CredentialStore for Accounts {
    fn find(&self, secret_id: &str) -> Option<Credentials> {
        self.0.get(secret_id).cloned()
    }
}

/// Checks signatures: strictly, then (unless strict) under the Node.js SDK's canonical forms.
pub(crate) struct Authenticator {
    accounts: Accounts,
    verifier: Verifier<Accounts>,
    strict: bool,
}

impl Authenticator {
    pub fn new(credentials: HashMap<String, Credentials>, strict: bool) -> Self {
        let accounts = Accounts(Arc::new(credentials));
        Self {
            verifier: Verifier::new(accounts.clone(), SERVICE),
            accounts,
            strict,
        }
    }

    /// Verifies `raw` at Unix time `now`. A refusal is always the strict check's.
    pub fn verify(&self, raw: &RawRequest, now: i64) -> Result<Verified<'static>, AuthError> {
        let strict = raw.with_incoming(|incoming| {
            self.verifier
                .verify(incoming, now)
                .map(Verified::into_owned)
        });
        let Err(AuthError::SignatureFailure(reason)) = strict else {
            return strict;
        };
        match self.verify_lenient(raw, now) {
            Some(verified) if !self.strict => Ok(verified),
            // Refused all the same; the message tells the user why a known client fails.
            Some(_) => Err(AuthError::SignatureFailure(format!(
                "{reason} (it matches the Node.js SDK's form, the scope's service taken from \
                 the endpoint and the signed host without its port, which strict_signatures refuses)"
            ))),
            None => Err(AuthError::SignatureFailure(reason)),
        }
    }

    /// The alternative canonical forms, each verified in full with the account's key.
    fn verify_lenient(&self, raw: &RawRequest, now: i64) -> Option<Verified<'static>> {
        let host = raw.header("host")?.trim();
        let service = scope_service(raw.header("authorization")?)?;
        let service = if service == SERVICE {
            SERVICE
        } else if service_from_endpoint(host, service) {
            service
        } else {
            return None;
        };
        let portless = without_port(host);
        let verifier = Verifier::new(self.accounts.clone(), service);
        // The service's own check already tried (organization, host as sent).
        let mut hosts = Vec::with_capacity(2);
        if service != SERVICE {
            hosts.push(host);
        }
        if portless != host {
            hosts.push(portless);
        }
        hosts
            .into_iter()
            .find_map(|signed_host| verify_with_host(&verifier, raw, signed_host, now).ok())
    }
}

/// Verifies `raw` as if its `Host` header were `host`.
fn verify_with_host(
    verifier: &Verifier<Accounts>,
    raw: &RawRequest,
    host: &str,
    now: i64,
) -> Result<Verified<'static>, AuthError> {
    let headers: Vec<(&str, &str)> = raw
        .headers()
        .map(|(name, value)| {
            let value = if name.eq_ignore_ascii_case("host") {
                host
            } else {
                value
            };
            (name, value)
        })
        .collect();
    let incoming = Incoming {
        method: raw.method,
        path: raw.path,
        query: &raw.query,
        headers: &headers,
        body: &raw.body,
    };
    verifier.verify(&incoming, now).map(Verified::into_owned)
}

/// The service in `TC3-HMAC-SHA256 Credential=id/date/SERVICE/tc3_request, …`.
fn scope_service(authorization: &str) -> Option<&str> {
    let start = authorization.find("Credential=")? + "Credential=".len();
    let credential = authorization[start..].split([',', ' ']).next()?;
    let mut parts = credential.split('/');
    let service = parts.nth(2)?;
    (!service.is_empty()).then_some(service)
}

/// Whether `service` is what the Node.js SDK derives from an endpoint that `host` names: the
/// endpoint's first dot-separated label, the port included when the endpoint has no dot.
fn service_from_endpoint(host: &str, service: &str) -> bool {
    let first_label = |text: &str| text.split('.').next().unwrap_or_default().to_string();
    service == first_label(host) || service == first_label(without_port(host))
}

/// `host` without a trailing `:PORT` (`[::1]:9000` gives `[::1]`).
fn without_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port))
            if !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!name.contains(':') || name.ends_with(']')) =>
        {
            name
        }
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_come_off_host_names_and_bracketed_addresses_only() {
        assert_eq!(without_port("127.0.0.1:9000"), "127.0.0.1");
        assert_eq!(without_port("localhost:80"), "localhost");
        assert_eq!(without_port("[::1]:9000"), "[::1]");
        assert_eq!(without_port("[::1]"), "[::1]");
        assert_eq!(without_port("::1"), "::1");
        assert_eq!(
            without_port("organization.example.test"),
            "organization.example.test"
        );
        assert_eq!(without_port("host:"), "host:");
    }

    #[test]
    fn the_endpoint_label_is_the_first_dot_separated_part() {
        // What `endpoint.split('.')[0]` gives in the Node.js SDK.
        assert!(service_from_endpoint("127.0.0.1:9000", "127"));
        assert!(service_from_endpoint("localhost:9000", "localhost:9000"));
        assert!(service_from_endpoint("localhost", "localhost"));
        assert!(service_from_endpoint(
            "organization.localhost:9000",
            "organization"
        ));
        assert!(!service_from_endpoint("127.0.0.1:9000", "cvm"));
        assert!(!service_from_endpoint("127.0.0.1:9000", "127.0"));
    }

    #[test]
    fn scope_service_reads_the_third_part_of_the_credential() {
        let auth = "TC3-HMAC-SHA256 Credential=AKID/2024-01-01/127/tc3_request, SignedHeaders=content-type;host, Signature=ab";
        assert_eq!(scope_service(auth), Some("127"));
        assert_eq!(scope_service("TC3-HMAC-SHA256 Credential=AKID"), None);
        assert_eq!(scope_service("Basic abc"), None);
    }
}
