//! The server's side of signing: check an incoming request and name what is wrong with it.

use std::borrow::Cow;
use std::collections::HashMap;

use smallvec::SmallVec;
use thiserror::Error;

use crate::params::urldecode;
use crate::request::{SignMethod, FORM_CONTENT_TYPE};
use crate::tc3::{self, CanonicalInput, Payload, ValueCase};
use crate::text::{is_header, split_at, split_far, split_once_at, split_once_far, trim};
use crate::time_fmt::DateText;
use crate::v1::{self, V1Method};
use crate::{Credentials, KeyCache};

/// The documented tolerance between the request timestamp and the server clock, in seconds.
pub const MAX_CLOCK_SKEW: i64 = 300;

/// A request as it arrived, before anything was parsed out of it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

impl<'a> Incoming<'a> {
    /// First header of that name, case-insensitively.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The v1 parameters: query string, plus the body when it is a form.
    pub fn form_params(&self) -> Vec<(String, String)> {
        let mut params = urldecode(self.query);
        let is_form = self.header("content-type").is_some_and(|ct| {
            ct.trim()
                .to_ascii_lowercase()
                .starts_with(FORM_CONTENT_TYPE)
        });
        if is_form {
            params.extend(urldecode(&String::from_utf8_lossy(self.body)));
        }
        params
    }
}

/// Where the verifier finds the credentials behind a SecretId.
pub trait CredentialStore {
    fn find(&self, secret_id: &str) -> Option<Credentials>;

    /// `f` applied to the credentials behind `secret_id`. The verifier calls this, once per
    /// request: a store that can lend its credentials overrides it to skip the clone that
    /// [`CredentialStore::find`] makes.
    fn with_found<R>(&self, secret_id: &str, f: impl FnOnce(&Credentials) -> R) -> Option<R> {
        self.find(secret_id).map(|creds| f(&creds))
    }
}

impl CredentialStore for [Credentials] {
    fn find(&self, secret_id: &str) -> Option<Credentials> {
        self.with_found(secret_id, Credentials::clone)
    }

    fn with_found<R>(&self, secret_id: &str, f: impl FnOnce(&Credentials) -> R) -> Option<R> {
        self.iter().find(|c| c.secret_id() == secret_id).map(f)
    }
}

impl CredentialStore for Vec<Credentials> {
    fn find(&self, secret_id: &str) -> Option<Credentials> {
        self.as_slice().find(secret_id)
    }

    fn with_found<R>(&self, secret_id: &str, f: impl FnOnce(&Credentials) -> R) -> Option<R> {
        self.as_slice().with_found(secret_id, f)
    }
}

impl CredentialStore for HashMap<String, Credentials> {
    fn find(&self, secret_id: &str) -> Option<Credentials> {
        self.get(secret_id).cloned()
    }

    fn with_found<R>(&self, secret_id: &str, f: impl FnOnce(&Credentials) -> R) -> Option<R> {
        self.get(secret_id).map(f)
    }
}

/// Why a request was refused; each maps to one documented error code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    #[error("the request carries no signature")]
    Unsigned,
    #[error("the Authorization header is malformed: {0}")]
    InvalidAuthorization(String),
    #[error("the request is missing {0}")]
    MissingParameter(&'static str),
    #[error("{name} is not valid: {reason}")]
    InvalidParameter { name: &'static str, reason: String },
    #[error("the SecretId is not known")]
    SecretIdNotFound,
    #[error("the request timestamp is {skew} s away from server time (limit {MAX_CLOCK_SKEW} s)")]
    SignatureExpire { skew: i64 },
    #[error("the signature does not match: {0}")]
    SignatureFailure(String),
    #[error("the token is missing, unexpected or wrong")]
    TokenFailure,
}

impl AuthError {
    /// The error code the API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::Unsigned | AuthError::InvalidAuthorization(_) => {
                "AuthFailure.InvalidAuthorization"
            }
            AuthError::MissingParameter(_) => "MissingParameter",
            AuthError::InvalidParameter { .. } => "InvalidParameter",
            AuthError::SecretIdNotFound => "AuthFailure.SecretIdNotFound",
            AuthError::SignatureExpire { .. } => "AuthFailure.SignatureExpire",
            AuthError::SignatureFailure(_) => "AuthFailure.SignatureFailure",
            AuthError::TokenFailure => "AuthFailure.TokenFailure",
        }
    }
}

/// Who signed an accepted request, and how.
///
/// `secret_id` borrows the request's own spelling of the SecretId where it equals the
/// credentials' (TC3's `Authorization` header), so accepting a TC3 request allocates nothing;
/// [`Verified::into_owned`] detaches it from the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified<'r> {
    pub secret_id: Cow<'r, str>,
    pub method: SignMethod,
    pub timestamp: i64,
}

impl Verified<'_> {
    /// The same, owning its SecretId.
    pub fn into_owned(self) -> Verified<'static> {
        Verified {
            secret_id: Cow::Owned(self.secret_id.into_owned()),
            method: self.method,
            timestamp: self.timestamp,
        }
    }
}

/// Verifies TC3 and v1 signatures against a credential store, with the clock passed in.
#[derive(Debug)]
pub struct Verifier<S> {
    store: S,
    service: String,
    keys: KeyCache,
}

impl<S: CredentialStore> Verifier<S> {
    pub fn new(store: S, service: impl Into<String>) -> Self {
        Self {
            store,
            service: service.into(),
            keys: KeyCache::default(),
        }
    }

    /// Replaces the key cache (e.g. with [`KeyCache::disabled`] to measure its effect).
    pub fn with_key_cache(mut self, keys: KeyCache) -> Self {
        self.keys = keys;
        self
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// Checks `req` as the service would at Unix time `now`.
    pub fn verify<'r>(&self, req: &Incoming<'r>, now: i64) -> Result<Verified<'r>, AuthError> {
        let found = Tc3Headers::scan(req.headers);
        match found.authorization {
            Some(auth) => self.verify_tc3(req, &found, auth, now),
            None => self.verify_v1(req, now),
        }
    }

    fn verify_tc3<'r>(
        &self,
        req: &Incoming<'r>,
        found: &Tc3Headers<'r>,
        auth: &'r str,
        now: i64,
    ) -> Result<Verified<'r>, AuthError> {
        let auth = ParsedAuthorization::parse(auth)?;
        self.store
            .with_found(auth.secret_id, |creds| {
                self.check_tc3(req, found, &auth, creds, now)
            })
            .ok_or(AuthError::SecretIdNotFound)?
    }

    fn check_tc3<'r>(
        &self,
        req: &Incoming<'r>,
        found: &Tc3Headers<'r>,
        auth: &ParsedAuthorization<'r>,
        creds: &Credentials,
        now: i64,
    ) -> Result<Verified<'r>, AuthError> {
        let timestamp = parse_timestamp(found.timestamp, "X-TC-Timestamp")?;
        check_skew(timestamp, now)?;
        if auth.date.as_bytes() != DateText::of(timestamp).as_bytes() {
            return Err(AuthError::SignatureFailure(
                "the credential date is not the date of X-TC-Timestamp".into(),
            ));
        }
        if auth.service != self.service {
            return Err(AuthError::SignatureFailure(format!(
                "the credential scope names service {:?}",
                auth.service
            )));
        }
        let mut signed = SmallVec::new();
        signed_header_values(req, found, auth.signed_headers, &mut signed)?;
        let unsigned = found
            .content_sha256
            .is_some_and(|v| v.trim() == tc3::UNSIGNED_PAYLOAD);
        let key = self
            .keys
            .signing_key(creds.secret_key(), auth.date, &self.service);
        let matches = |value_case| {
            let input = CanonicalInput {
                method: req.method,
                path: req.path,
                query: req.query,
                headers: &signed,
                payload: if unsigned {
                    Payload::Unsigned
                } else {
                    Payload::Bytes(req.body)
                },
                value_case,
            };
            tc3::signature_matches(
                &input,
                timestamp,
                auth.date,
                auth.service,
                &key,
                auth.signature,
            )
        };
        // The documented canonical form first; then the values as sent, which is what an
        // official SDK signs when configured with an upper-case host.
        if !matches(ValueCase::Lower) && !matches(ValueCase::AsSent) {
            return Err(AuthError::SignatureFailure(
                "recomputed signature differs".into(),
            ));
        }
        check_token(creds, found.token)?;
        // A store may match SecretIds loosely; the credentials' spelling is the one reported.
        let secret_id = if auth.secret_id == creds.secret_id() {
            Cow::Borrowed(auth.secret_id)
        } else {
            Cow::Owned(creds.secret_id().to_owned())
        };
        Ok(Verified {
            secret_id,
            method: SignMethod::Tc3HmacSha256,
            timestamp,
        })
    }

    fn verify_v1<'r>(&self, req: &Incoming<'r>, now: i64) -> Result<Verified<'r>, AuthError> {
        let params = req.form_params();
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let signature = get("Signature").ok_or(AuthError::Unsigned)?;
        let secret_id = get("SecretId").ok_or(AuthError::MissingParameter("SecretId"))?;
        let method = match get("SignatureMethod") {
            None => V1Method::HmacSha1,
            Some(m) => V1Method::parse(m).ok_or_else(|| {
                AuthError::InvalidAuthorization(format!("unsupported SignatureMethod {m:?}"))
            })?,
        };
        get("Nonce").ok_or(AuthError::MissingParameter("Nonce"))?;
        let creds = self
            .store
            .find(secret_id)
            .ok_or(AuthError::SecretIdNotFound)?;
        let timestamp = parse_timestamp(get("Timestamp"), "Timestamp")?;
        check_skew(timestamp, now)?;
        let host = req
            .header("host")
            .ok_or(AuthError::MissingParameter("Host"))?;
        let sts = v1::string_to_sign(req.method, host.trim(), req.path, &params);
        if !v1::verify(method, creds.secret_key(), &sts, signature) {
            return Err(AuthError::SignatureFailure(
                "recomputed signature differs".into(),
            ));
        }
        check_token(&creds, get("Token"))?;
        Ok(Verified {
            secret_id: Cow::Owned(creds.secret_id().to_owned()),
            method: match method {
                V1Method::HmacSha1 => SignMethod::HmacSha1,
                V1Method::HmacSha256 => SignMethod::HmacSha256,
            },
            timestamp,
        })
    }
}

/// The parts of `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=a;b, Signature=hex`.
#[derive(Debug)]
struct ParsedAuthorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    /// `a;b`, as sent.
    signed_headers: &'a str,
    signature: &'a str,
}

impl<'a> ParsedAuthorization<'a> {
    /// The three fields of `header` (trimmed) when it is laid out exactly as the SDKs write
    /// it, `TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; for such a header
    /// this is what [`Self::fields`] finds, with less work. `None` for any other layout.
    #[allow(clippy::type_complexity)]
    fn fields_as_sdks_write_them(
        header: &'a str,
    ) -> Option<(Option<&'a str>, Option<&'a str>, Option<&'a str>)> {
        let rest = header.strip_prefix("TC3-HMAC-SHA256 Credential=")?;
        let (credential, rest) = split_once_far(rest, b',')?;
        let (signed_headers, signature) = split_once_far(rest, b',')?;
        if memchr::memchr(b',', signature.as_bytes()).is_some() {
            return None;
        }
        let signed_headers = signed_headers.strip_prefix(" SignedHeaders=")?;
        let signature = signature.strip_prefix(" Signature=")?;
        Some((
            Some(trim(credential)),
            Some(trim(signed_headers)),
            Some(trim(signature)),
        ))
    }

    /// The Credential, SignedHeaders and Signature fields of `header` (trimmed), any layout.
    #[allow(clippy::type_complexity)]
    fn fields(
        header: &'a str,
    ) -> Result<(Option<&'a str>, Option<&'a str>, Option<&'a str>), AuthError> {
        let bad = |why: &str| AuthError::InvalidAuthorization(why.to_string());
        let (algorithm, rest) = split_once_at(header, b' ')
            .ok_or_else(|| bad("expected '<algorithm> Credential=…'"))?;
        if algorithm != tc3::ALGORITHM {
            return Err(bad("unsupported algorithm"));
        }
        // Every field must have '='; of a repeated field the last one counts.
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in split_far(rest, b',') {
            let (k, v) = split_once_at(trim(part), b'=').ok_or_else(|| bad("a field lacks '='"))?;
            let slot = match trim(k) {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => continue,
            };
            *slot = Some(trim(v));
        }
        Ok((credential, signed_headers, signature))
    }

    fn parse(header: &'a str) -> Result<Self, AuthError> {
        let bad = |why: &str| AuthError::InvalidAuthorization(why.to_string());
        let header = trim(header);
        let (credential, signed_headers, signature) = match Self::fields_as_sdks_write_them(header)
        {
            Some(fields) => fields,
            None => Self::fields(header)?,
        };
        let field = |value: Option<&'a str>, name: &str| {
            value
                .filter(|v| !v.is_empty())
                .ok_or_else(|| bad(&format!("{name} is missing")))
        };
        let credential = field(credential, "Credential")?;
        let Some((secret_id, date, service)) = credential_scope(credential) else {
            return Err(bad("Credential must be SecretId/date/service/tc3_request"));
        };
        let signed_headers = field(signed_headers, "SignedHeaders")?;
        if signed_headers != SDK_SIGNED_HEADERS {
            require_signed_headers(signed_headers)?;
        }
        Ok(Self {
            secret_id,
            date,
            service,
            signed_headers,
            signature: field(signature, "Signature")?,
        })
    }
}

/// The `SignedHeaders` the SDKs send, which holds both headers every request must sign.
const SDK_SIGNED_HEADERS: &str = "content-type;host";

/// Refuses a `SignedHeaders` list without `content-type` or without `host`.
fn require_signed_headers(signed_headers: &str) -> Result<(), AuthError> {
    let (mut content_type, mut host) = (false, false);
    for name in split_at(signed_headers, b';') {
        content_type |= name == "content-type";
        host |= name == "host";
    }
    for (required, present) in [("content-type", content_type), ("host", host)] {
        if !present {
            return Err(AuthError::InvalidAuthorization(format!(
                "SignedHeaders must include {required}"
            )));
        }
    }
    Ok(())
}

/// `SecretId/date/service/tc3_request` taken apart: exactly four `/`-separated pieces, the
/// last `tc3_request`, the first not empty.
fn credential_scope(credential: &str) -> Option<(&str, &str, &str)> {
    let scope = credential.strip_suffix("/tc3_request")?;
    // One vectorised search for every '/' (the SecretId before the first is some 36 bytes).
    let mut slashes = memchr::memchr_iter(b'/', scope.as_bytes());
    let (first, second) = (slashes.next()?, slashes.next()?);
    if slashes.next().is_some() || first == 0 {
        return None;
    }
    // Both at an ASCII '/': character boundaries.
    Some((
        scope.get(..first)?,
        scope.get(first + 1..second)?,
        scope.get(second + 1..)?,
    ))
}

/// The headers TC3 verification reads, each the first of its name (as [`Incoming::header`]
/// finds it), found in one pass over the request's headers instead of one pass per name.
#[derive(Default)]
struct Tc3Headers<'a> {
    authorization: Option<&'a str>,
    timestamp: Option<&'a str>,
    content_sha256: Option<&'a str>,
    token: Option<&'a str>,
    content_type: Option<&'a str>,
    host: Option<&'a str>,
}

impl<'a> Tc3Headers<'a> {
    fn scan(headers: &[(&'a str, &'a str)]) -> Self {
        let mut found = Self::default();
        for &(name, value) in headers {
            // The length picks the one candidate; the comparison confirms it.
            let (slot, usual, lower) = match name.len() {
                4 => (&mut found.host, "Host", "host"),
                10 => (&mut found.token, "X-TC-Token", "x-tc-token"),
                12 => (&mut found.content_type, "Content-Type", "content-type"),
                13 => (&mut found.authorization, "Authorization", "authorization"),
                14 => (&mut found.timestamp, "X-TC-Timestamp", "x-tc-timestamp"),
                19 => (
                    &mut found.content_sha256,
                    "X-TC-Content-SHA256",
                    "x-tc-content-sha256",
                ),
                _ => continue,
            };
            if slot.is_none() && is_header(name, usual, lower) {
                *slot = Some(value);
            }
        }
        found
    }

    /// The value of a signed header: the two every request signs from the scan, any other
    /// from the request.
    fn signed(&self, req: &Incoming<'a>, name: &str) -> Option<&'a str> {
        if is_header(name, "content-type", "content-type") {
            self.content_type
        } else if is_header(name, "host", "host") {
            self.host
        } else {
            req.header(name)
        }
    }
}

/// The signed headers by name and value, in `names`' order; filled in place (an inline list
/// is some 140 bytes to move).
fn signed_header_values<'r>(
    req: &Incoming<'r>,
    found: &Tc3Headers<'r>,
    names: &'r str,
    values: &mut SmallVec<[(&'r str, &'r str); 4]>,
) -> Result<(), AuthError> {
    if names == SDK_SIGNED_HEADERS {
        if let (Some(content_type), Some(host)) = (found.content_type, found.host) {
            values.extend([("content-type", content_type), ("host", host)]);
            return Ok(());
        }
    }
    for name in split_at(names, b';') {
        let value = found.signed(req, name).ok_or_else(|| {
            AuthError::SignatureFailure(format!("signed header {name} is not in the request"))
        })?;
        values.push((name, value));
    }
    Ok(())
}

fn parse_timestamp(raw: Option<&str>, name: &'static str) -> Result<i64, AuthError> {
    let raw = raw.ok_or(AuthError::MissingParameter(name))?;
    trim(raw)
        .parse::<i64>()
        .map_err(|_| AuthError::InvalidParameter {
            name,
            reason: "expected Unix seconds".into(),
        })
}

fn check_skew(timestamp: i64, now: i64) -> Result<(), AuthError> {
    let skew = now.saturating_sub(timestamp);
    if skew.saturating_abs() > MAX_CLOCK_SKEW {
        return Err(AuthError::SignatureExpire { skew });
    }
    Ok(())
}

/// Temporary credentials must present their token; long-term ones must not present any.
fn check_token(creds: &Credentials, presented: Option<&str>) -> Result<(), AuthError> {
    let presented = presented.filter(|t| !t.is_empty());
    match (creds.token(), presented) {
        (None, None) => Ok(()),
        (Some(expected), Some(given)) if expected == given => Ok(()),
        _ => Err(AuthError::TokenFailure),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path may decline any header, but what it finds must be what the general parse
    /// finds. Headers built from pieces that stress the layout: blanks, '=' and ',' inside
    /// values, repeated and unknown fields, other spacing.
    #[test]
    fn the_sdk_layout_shortcut_agrees_with_the_general_parse() {
        let credentials = [
            "AKID/2024-01-01/organization/tc3_request",
            " AKID=x/d/s/tc3_request ",
            "",
        ];
        let signed = ["content-type;host", "content-type;host ", "a=b"];
        let signatures = ["abc123", "abc123 ", "", "x, Signature=y", "a,b"];
        let mut shortcut_taken = 0;
        for c in credentials {
            for h in signed {
                for s in signatures {
                    for layout in [
                        format!("TC3-HMAC-SHA256 Credential={c}, SignedHeaders={h}, Signature={s}"),
                        format!(
                            " TC3-HMAC-SHA256 Credential={c}, SignedHeaders={h}, Signature={s}\t"
                        ),
                        format!("TC3-HMAC-SHA256 Credential={c},SignedHeaders={h}, Signature={s}"),
                        format!(
                            "TC3-HMAC-SHA256 Credential={c}, SignedHeaders={h}, Signature={s}, X=1"
                        ),
                        format!("TC3-HMAC-SHA256 Credential={c}, Signature={s}, SignedHeaders={h}"),
                        format!(
                            "TC3-HMAC-SHA256  Credential={c}, SignedHeaders={h}, Signature={s}"
                        ),
                    ] {
                        let header = trim(&layout);
                        if let Some(fast) = ParsedAuthorization::fields_as_sdks_write_them(header) {
                            shortcut_taken += 1;
                            assert_eq!(Ok(fast), ParsedAuthorization::fields(header), "{layout:?}");
                        }
                    }
                }
            }
        }
        assert!(
            shortcut_taken >= 2 * 3 * 3 * 3,
            "the shortcut was taken {shortcut_taken} times"
        );
    }

    /// Finds credentials whatever the case of the SecretId asked for, as a loose store might.
    struct CaseBlind(Vec<Credentials>);

    impl CredentialStore for CaseBlind {
        fn find(&self, secret_id: &str) -> Option<Credentials> {
            self.0
                .iter()
                .find(|c| c.secret_id().eq_ignore_ascii_case(secret_id))
                .cloned()
        }
    }

    fn verified_id(
        store: impl CredentialStore,
        signer: &Credentials,
        method: SignMethod,
    ) -> (String, bool) {
        const NOW: i64 = 1_700_000_000;
        let params = serde_json::json!({"Limit": 1});
        let spec = crate::RequestSpec::new(
            "organization.tencentcloudapi.com",
            "organization",
            "DescribeOrganization",
            "2021-03-31",
            &params,
            NOW,
        )
        .with_sign_method(method);
        let signed = crate::build(&spec, signer, &KeyCache::disabled());
        let headers: Vec<(&str, &str)> = signed.headers().collect();
        let (path, query) = signed
            .path_and_query
            .split_once('?')
            .unwrap_or((&signed.path_and_query, ""));
        let incoming = Incoming {
            method: signed.method.as_str(),
            path,
            query,
            headers: &headers,
            body: &signed.body,
        };
        let verified = Verifier::new(store, "organization")
            .verify(&incoming, NOW)
            .unwrap_or_else(|e| panic!("{method:?} refused: {e}"));
        assert_eq!(verified.method, method);
        assert_eq!(verified.timestamp, NOW);
        let borrowed = matches!(verified.secret_id, Cow::Borrowed(_));
        (verified.secret_id.into_owned(), borrowed)
    }

    #[test]
    fn the_reported_secret_id_is_the_credentials_own() {
        let creds = Credentials::new("AKIDexample", "key");
        // TC3 borrows it from the Authorization header; v1 decodes it into its own string.
        for (method, borrowed) in [
            (SignMethod::Tc3HmacSha256, true),
            (SignMethod::HmacSha1, false),
            (SignMethod::HmacSha256, false),
        ] {
            assert_eq!(
                verified_id(vec![creds.clone()], &creds, method),
                ("AKIDexample".to_string(), borrowed),
                "{method:?}"
            );
        }
        // A store that matched another spelling: the credentials' spelling is reported.
        let other_spelling = Credentials::new("akidEXAMPLE", "key");
        for method in [SignMethod::Tc3HmacSha256, SignMethod::HmacSha256] {
            assert_eq!(
                verified_id(CaseBlind(vec![creds.clone()]), &other_spelling, method),
                ("AKIDexample".to_string(), false),
                "{method:?}"
            );
        }
    }

    #[test]
    fn credential_scope_is_four_pieces_ending_in_tc3_request() {
        for credential in [
            "AKID/2024-01-01/organization/tc3_request",
            "AKID//organization/tc3_request",
            "AKID/2024-01-01//tc3_request",
            "/2024-01-01/organization/tc3_request",
            "AKID/2024-01-01/organization/tc3_request/",
            "AKID/x/2024-01-01/organization/tc3_request",
            "AKID/2024-01-01/tc3_request",
            "AKID/2024-01-01/organization/tc3_requests",
            "tc3_request",
            "/tc3_request",
            "",
        ] {
            // The reading by `str::split`, independent of the one under test.
            let pieces: Vec<&str> = credential.split('/').collect();
            let expected = match pieces[..] {
                [id, date, service, "tc3_request"] if !id.is_empty() => Some((id, date, service)),
                _ => None,
            };
            assert_eq!(credential_scope(credential), expected, "{credential:?}");
        }
    }
}
