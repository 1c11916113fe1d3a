//! TC3-HMAC-SHA256 as pure functions: canonical request, string to sign, key, signature.
//!
//! Each step is its own function so that tests can pin every intermediate string against the
//! published examples, as the AWS SigV4 suite does for its steps.

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use smallvec::SmallVec;

use crate::text::trim;
use crate::time_fmt::{utc_date, DateText};

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
    Hex64::of(&payload_digest(payload)).as_str().to_string()
}

fn payload_digest(payload: Payload<'_>) -> [u8; 32] {
    match payload {
        Payload::Bytes(body) => Sha256::digest(body).into(),
        Payload::Unsigned => Sha256::digest(UNSIGNED_PAYLOAD.as_bytes()).into(),
    }
}

/// 32 bytes in lower-case hex, on the stack.
pub(crate) struct Hex64([u8; 64]);

impl Hex64 {
    pub(crate) fn of(bytes: &[u8; 32]) -> Self {
        let mut out = [0u8; 64];
        for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
            pair[0] = hex_digit(byte >> 4);
            pair[1] = hex_digit(byte & 0x0f);
        }
        Self(out)
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only hex digits are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// The lower-case hex digit of a nibble, by arithmetic rather than a table lookup, so the loops
/// over 32 bytes vectorise: past 9, the wrapped `9 - nibble` has its top bit set and adds the
/// distance from `':'` to `'a'`.
#[inline(always)]
fn hex_digit(nibble: u8) -> u8 {
    let past_nine = 9u8.wrapping_sub(nibble) >> 7;
    b'0' + nibble + past_nine * (b'a' - b'0' - 10)
}

/// Where the canonical text goes: a `String` when a caller wants to read it, straight into a
/// hasher when only its hash matters. One writer feeds both, so they cannot disagree.
trait Sink {
    fn put(&mut self, text: &str);

    /// Hex digits this crate wrote itself: hashers take them as they are, without the UTF-8
    /// check that turning them into a `&str` would cost.
    fn put_hex(&mut self, hex: &Hex64);
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    fn put_hex(&mut self, hex: &Hex64) {
        self.push_str(hex.as_str());
    }
}

impl Sink for Sha256 {
    fn put(&mut self, text: &str) {
        sha2::digest::Update::update(self, text.as_bytes());
    }

    fn put_hex(&mut self, hex: &Hex64) {
        sha2::digest::Update::update(self, &hex.0);
    }
}

impl Sink for HmacSha256 {
    fn put(&mut self, text: &str) {
        sha2::digest::Update::update(self, text.as_bytes());
    }

    fn put_hex(&mut self, hex: &Hex64) {
        sha2::digest::Update::update(self, &hex.0);
    }
}

/// The signed headers as they enter the canonical request: trimmed, names lower-cased, values
/// lower-cased or as sent, sorted. Borrowed whenever nothing needs changing.
/// Inline up to four headers (two in every request `build` makes).
struct CanonicalHeaders<'a>(SmallVec<[(Cow<'a, str>, Cow<'a, str>); 4]>);

impl<'a> CanonicalHeaders<'a> {
    fn of(input: &CanonicalInput<'a>) -> Self {
        let mut headers: SmallVec<[(Cow<'a, str>, Cow<'a, str>); 4]> = SmallVec::new();
        for &(name, value) in input.headers {
            headers.push((
                canonical_name(name),
                canonical_value(value, input.value_case),
            ));
        }
        // Sorted already in the usual case (`content-type` before `host`).
        if !headers.is_sorted() {
            headers.sort_unstable();
        }
        Self(headers)
    }
    /// `a;b;c`.
    fn write_names(&self, sink: &mut impl Sink) {
        for (i, (name, _)) in self.0.iter().enumerate() {
            if i > 0 {
                sink.put(";");
            }
            sink.put(name);
        }
    }

    fn names_len(&self) -> usize {
        self.0.iter().map(|(n, _)| n.len() + 1).sum()
    }
}

/// A header name as it enters the canonical request: trimmed, lower case.
#[inline]
fn canonical_name(name: &str) -> Cow<'_, str> {
    let name = trim(name);
    if has_ascii_uppercase(name) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// A header value as it enters the canonical request: trimmed, lower-cased or as sent.
#[inline]
fn canonical_value(value: &str, case: ValueCase) -> Cow<'_, str> {
    let value = trim(value);
    match case {
        ValueCase::Lower if lowering_changes(value) => Cow::Owned(value.to_lowercase()),
        ValueCase::Lower | ValueCase::AsSent => Cow::Borrowed(value),
    }
}

/// Whether `to_lowercase` would change `value`; cheap for the usual ASCII value.
fn lowering_changes(value: &str) -> bool {
    // Chars only if not ASCII (`is_ascii` reads a word at a time).
    if value.is_ascii() {
        has_ascii_uppercase(value)
    } else {
        value.chars().any(|c| c != lower_char(c))
    }
}

/// Whether `text` has a byte from 'A' to 'Z': one pass without early exit or branch, which
/// the compiler vectorises (header names and values are a few dozen bytes).
#[inline]
fn has_ascii_uppercase(text: &str) -> bool {
    text.bytes()
        .fold(0u8, |seen, b| seen | u8::from(b.is_ascii_uppercase()))
        != 0
}

/// `c` lower-cased, or NUL when lower-casing makes several chars of it.
fn lower_char(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        // Expands to several chars: certainly changes.
        _ => '\u{0}',
    }
}

/// Writes the canonical request: method, path, query, `name:value\n` per header, the signed
/// header names, the payload hash, separated by newlines.
fn write_canonical(
    input: &CanonicalInput<'_>,
    headers: &CanonicalHeaders<'_>,
    sink: &mut impl Sink,
) {
    for part in [input.method, "\n", input.path, "\n", input.query, "\n"] {
        sink.put(part);
    }
    for (name, value) in &headers.0 {
        for part in [name.as_ref(), ":", value.as_ref(), "\n"] {
            sink.put(part);
        }
    }
    sink.put("\n");
    headers.write_names(sink);
    sink.put("\n");
    sink.put_hex(&Hex64::of(&payload_digest(input.payload)));
}

/// Builds the canonical request: headers sorted by lower-cased name, each `name:value\n`.
pub fn canonical_request(input: &CanonicalInput<'_>) -> CanonicalRequest {
    let headers = CanonicalHeaders::of(input);
    let mut signed_headers = String::with_capacity(headers.names_len());
    headers.write_names(&mut signed_headers);
    let mut text = String::with_capacity(256);
    write_canonical(input, &headers, &mut text);
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

/// The string to sign fed straight into the signature HMAC, from the canonical request's hash.
fn write_string_to_sign(
    timestamp: i64,
    date: &str,
    service: &str,
    canonical_hash: &[u8; 32],
    sink: &mut impl Sink,
) {
    let mut digits = itoa::Buffer::new();
    let hash = Hex64::of(canonical_hash);
    let scope = [
        ALGORITHM,
        "\n",
        digits.format(timestamp),
        "\n",
        date,
        "/",
        service,
        "/tc3_request\n",
    ];
    for part in scope {
        sink.put(part);
    }
    sink.put_hex(&hash);
}

/// The signature HMAC of `input` (whose canonical `headers` the caller sorted), all input fed
/// and not yet finalised, so the caller can either read the signature or check one in
/// constant time. The canonical request and the string to sign go through stack buffers into
/// the hashers and are never allocated.
fn signature_mac(
    input: &CanonicalInput<'_>,
    headers: &CanonicalHeaders<'_>,
    timestamp: i64,
    date: &str,
    service: &str,
    key: &SigningKey,
) -> HmacSha256 {
    let mut canonical = Sha256::new();
    write_canonical(input, headers, &mut canonical);
    let canonical_hash: [u8; 32] = canonical.finalize().into();
    let mut mac = key.mac();
    write_string_to_sign(timestamp, date, service, &canonical_hash, &mut mac);
    mac
}

/// The `Authorization` header value for `input`, without building any intermediate string:
/// what [`sign_with_key`] returns as `authorization`, for callers that need nothing else.
pub fn authorization_with_key(
    input: &CanonicalInput<'_>,
    timestamp: i64,
    service: &str,
    secret_id: &str,
    key: &SigningKey,
) -> String {
    authorization_on(
        input,
        timestamp,
        &DateText::of(timestamp),
        service,
        secret_id,
        key,
    )
}

/// [`authorization_with_key`] with the date of `timestamp` already formatted.
fn authorization_on(
    input: &CanonicalInput<'_>,
    timestamp: i64,
    date: &DateText,
    service: &str,
    secret_id: &str,
    key: &SigningKey,
) -> String {
    let mut out = String::with_capacity(authorization_len(service, secret_id, input));
    write_authorization(input, timestamp, date, service, secret_id, key, &mut out);
    out
}

/// At least the length of the `Authorization` value for `input`, so a buffer is sized once.
pub(crate) fn authorization_len(
    service: &str,
    secret_id: &str,
    input: &CanonicalInput<'_>,
) -> usize {
    const FIXED: [&str; 5] = [
        ALGORITHM,
        " Credential=",
        "//",
        "/tc3_request, SignedHeaders=",
        ", Signature=",
    ];
    FIXED.iter().map(|p| p.len()).sum::<usize>()
        + secret_id.len()
        + DateText::MAX_LEN
        + service.len()
        + input
            .headers
            .iter()
            .map(|(n, _)| n.len() + 1)
            .sum::<usize>()
        + 64
}

/// Appends the `Authorization` value for `input` to `out`.
pub(crate) fn write_authorization(
    input: &CanonicalInput<'_>,
    timestamp: i64,
    date: &DateText,
    service: &str,
    secret_id: &str,
    key: &SigningKey,
    out: &mut String,
) {
    let headers = CanonicalHeaders::of(input);
    let mac = signature_mac(input, &headers, timestamp, date.as_str(), service, key);
    let signature = Hex64::of(&mac.finalize().into_bytes().into());
    for part in [
        ALGORITHM,
        " Credential=",
        secret_id,
        "/",
        date.as_str(),
        "/",
        service,
        "/tc3_request, SignedHeaders=",
    ] {
        out.push_str(part);
    }
    headers.write_names(out);
    out.push_str(", Signature=");
    out.push_str(signature.as_str());
}

/// Whether `signature_hex` is the signature of `input` under `key`, in constant time.
pub(crate) fn signature_matches(
    input: &CanonicalInput<'_>,
    timestamp: i64,
    date: &str,
    service: &str,
    key: &SigningKey,
    signature_hex: &str,
) -> bool {
    let headers = CanonicalHeaders::of(input);
    let mac = signature_mac(input, &headers, timestamp, date, service, key);
    hex_matches(&mac.finalize().into_bytes().into(), signature_hex)
}

/// Whether `given` is `expected` in hex, either case (as a hex decoder would accept it),
/// comparing every byte whatever the first difference so the time says nothing about where.
fn hex_matches(expected: &[u8; 32], given: &str) -> bool {
    let expected = Hex64::of(expected);
    if given.len() != expected.0.len() {
        return false;
    }
    // Only 'A'-'F' lower-case onto a lower-case hex digit, so this accepts exactly the
    // spellings of `expected` a case-insensitive hex decoder would.
    let diff = expected
        .0
        .iter()
        .zip(given.as_bytes())
        .fold(0u8, |acc, (e, g)| acc | (e ^ ascii_lower(*g)));
    std::hint::black_box(diff) == 0
}

/// `u8::to_ascii_lowercase` without a branch, so the comparison loop vectorises: the case bit
/// set exactly for 'A' to 'Z'.
#[inline(always)]
fn ascii_lower(b: u8) -> u8 {
    b | (u8::from(b.is_ascii_uppercase()) << 5)
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
        Hex64::of(&hmac_sha256(&self.0, string_to_sign.as_bytes()))
            .as_str()
            .to_string()
    }

    /// Constant-time check of a hex signature.
    pub fn verify(&self, string_to_sign: &str, signature_hex: &str) -> bool {
        hex_matches(
            &hmac_sha256(&self.0, string_to_sign.as_bytes()),
            signature_hex,
        )
    }

    /// An HMAC keyed with this key.
    fn mac(&self) -> HmacSha256 {
        hmac_from_key(&self.0)
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
    // `TC3` + the secret is the first key; HMAC takes a key in parts no more than a message.
    let mut first = [0u8; 128];
    let k_date = match first.get_mut(..3 + secret_key.len()) {
        Some(slot) => {
            slot[..3].copy_from_slice(b"TC3");
            slot[3..].copy_from_slice(secret_key.as_bytes());
            hmac_sha256(slot, date.as_bytes())
        }
        None => hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes()),
    };
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    [k_date, k_service, k_signing]
}

pub(crate) fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

// Inlined: an HMAC state is a few hundred bytes, and returning it by value costs a copy.
#[inline(always)]
fn hmac_from_key(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes any key length")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowering_changes_exactly_when_to_lowercase_does() {
        for v in [
            "",
            "application/json",
            "Application/json",
            "host.example",
            "HOST",
            "é",
            "É",
            "éA",
            "aé",
            "ß",
            "İ",
            "straße",
            "ǅ",
        ] {
            assert_eq!(lowering_changes(v), v.to_lowercase() != v, "{v:?}");
        }
    }

    #[test]
    fn hex_and_case_by_arithmetic_equal_the_standard_forms() {
        for nibble in 0u8..16 {
            let expected = format!("{nibble:x}");
            assert_eq!(char::from(hex_digit(nibble)).to_string(), expected);
        }
        for b in 0u8..=255 {
            assert_eq!(ascii_lower(b), b.to_ascii_lowercase(), "{b}");
        }
        let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(71) ^ 0x3c);
        assert_eq!(Hex64::of(&bytes).as_str(), hex::encode(bytes));
    }

    #[test]
    fn hex_matching_accepts_exactly_what_a_hex_decoder_would() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xa5);
        let lower = hex::encode(bytes);
        assert!(hex_matches(&bytes, &lower));
        assert!(hex_matches(&bytes, &hex::encode_upper(bytes)));
        for at in [0, 31, 63] {
            let mut wrong = lower.clone().into_bytes();
            wrong[at] = if wrong[at] == b'0' { b'1' } else { b'0' };
            assert!(!hex_matches(&bytes, std::str::from_utf8(&wrong).unwrap()));
        }
        assert!(!hex_matches(&bytes, &lower[..62]));
        assert!(!hex_matches(&bytes, &format!("{lower}00")));
        assert!(!hex_matches(&bytes, ""));
        // Characters that lower-case onto nothing hex: never equal.
        assert!(!hex_matches(&bytes, &"g".repeat(64)));
    }
}
