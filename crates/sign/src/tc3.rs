//! TC3-HMAC-SHA256 as pure functions: canonical request, string to sign, key, signature.
//!
//! Each step is its own function so that tests can pin every intermediate string against the
//! published examples, as the AWS SigV4 suite does for its steps.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::time_fmt::utc_date;

pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The literal whose hash replaces the body hash when `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

type HmacSha256 = Hmac<Sha256>;

/// What the body contributes to the canonical request.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    Bytes(&'a [u8]),
    /// The client opted out of body signing with `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
    Unsigned,
}

/// How header values enter the canonical headers.
///
/// Tencent's documentation lower-cases names and values; the official SDKs write the values of
/// `content-type` and `host` as they are. The two agree whenever those values are lower case,
/// which they are for every real endpoint; a verifier can try `AsSent` to accept an SDK client
/// configured with an upper-case host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueCase {
    Lower,
    AsSent,
}

/// The parts of a request that a TC3 signature covers.
#[derive(Debug, Clone, Copy)]
pub struct CanonicalInput<'a> {
    pub method: &'a str,
    /// The canonical URI; always `/` for this API.
    pub path: &'a str,
    /// The query string exactly as sent, without `?` (empty for POST).
    pub query: &'a str,
    /// The headers to sign, by name (any case) and value. Order does not matter.
    pub headers: &'a [(&'a str, &'a str)],
    pub payload: Payload<'a>,
    pub value_case: ValueCase,
}

/// The canonical request and the `SignedHeaders` list it implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    pub text: String,
    pub signed_headers: String,
}

/// Hex SHA-256, the hash used throughout TC3.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Hash of the body as it enters the canonical request.
pub fn payload_hash(payload: Payload<'_>) -> String {
    match payload {
        Payload::Bytes(body) => sha256_hex(body),
        Payload::Unsigned => sha256_hex(UNSIGNED_PAYLOAD.as_bytes()),
    }
}

/// Builds the canonical request: headers sorted by lower-cased name, each `name:value\n`.
pub fn canonical_request(input: &CanonicalInput<'_>) -> CanonicalRequest {
    let mut headers: Vec<(String, String)> = input
        .headers
        .iter()
        .map(|(name, value)| {
            let value = value.trim();
            let value = match input.value_case {
                ValueCase::Lower => value.to_lowercase(),
                ValueCase::AsSent => value.to_string(),
            };
            (name.trim().to_ascii_lowercase(), value)
        })
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let text = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method,
        input.path,
        input.query,
        canonical_headers,
        signed_headers,
        payload_hash(input.payload)
    );
    CanonicalRequest {
        text,
        signed_headers,
    }
}

/// `<date>/<service>/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/tc3_request")
}

/// The string to sign for a canonical request made at `timestamp` (Unix seconds).
pub fn string_to_sign(timestamp: i64, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The derived key: an HMAC chain over the date, the service and `tc3_request`.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    pub fn derive(secret_key: &str, date: &str, service: &str) -> Self {
        Self(key_chain(secret_key, date, service)[2])
    }

    /// Hex signature of a string to sign.
    pub fn sign(&self, string_to_sign: &str) -> String {
        hex::encode(hmac_sha256(&self.0, string_to_sign.as_bytes()))
    }

    /// Constant-time check of a hex signature.
    pub fn verify(&self, string_to_sign: &str, signature_hex: &str) -> bool {
        let Ok(expected) = hex::decode(signature_hex) else {
            return false;
        };
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(string_to_sign.as_bytes());
        mac.verify_slice(&expected).is_ok()
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// The three links of the key derivation: `SecretDate`, `SecretService`, `SecretSigning`.
/// Published examples print each, so they are exposed for tests.
pub fn key_chain(secret_key: &str, date: &str, service: &str) -> [[u8; 32]; 3] {
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    [k_date, k_service, k_signing]
}

pub(crate) fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// The `Authorization` header value.
pub fn authorization(
    secret_id: &str,
    scope: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    format!(
        "{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

/// Every intermediate of one TC3 signature, for debugging and for tests.
#[derive(Clone, PartialEq, Eq)]
pub struct Tc3Signature {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub date: String,
    pub signature: String,
    pub authorization: String,
}

impl std::fmt::Debug for Tc3Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The authorization value would let anyone replay the request: keep it out of logs.
        f.debug_struct("Tc3Signature")
            .field("canonical_request", &self.canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signed_headers", &self.signed_headers)
            .field("date", &self.date)
            .field("signature", &"<redacted>")
            .field("authorization", &"<redacted>")
            .finish()
    }
}

/// Signs `input` made at `timestamp` for `service` with a key the caller derived (or cached).
pub fn sign_with_key(
    input: &CanonicalInput<'_>,
    timestamp: i64,
    service: &str,
    secret_id: &str,
    key: &SigningKey,
) -> Tc3Signature {
    let date = utc_date(timestamp);
    let canonical = canonical_request(input);
    let scope = credential_scope(&date, service);
    let sts = string_to_sign(timestamp, &scope, &canonical.text);
    let signature = key.sign(&sts);
    let authorization = authorization(secret_id, &scope, &canonical.signed_headers, &signature);
    Tc3Signature {
        canonical_request: canonical.text,
        string_to_sign: sts,
        signed_headers: canonical.signed_headers,
        date,
        signature,
        authorization,
    }
}

/// Signs `input` with a freshly derived key. Hot loops should use [`crate::KeyCache`].
pub fn sign(
    input: &CanonicalInput<'_>,
    timestamp: i64,
    service: &str,
    secret_id: &str,
    secret_key: &str,
) -> Tc3Signature {
    let key = SigningKey::derive(secret_key, &utc_date(timestamp), service);
    sign_with_key(input, timestamp, service, secret_id, &key)
}
