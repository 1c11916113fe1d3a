//! The floor `tco_sign` is measured against: the bare TC3 chain for one request, doing only the
//! work no signer can skip, and the crypto alone. Shared by the criterion bench and the
//! `drive` example so both measure the same code.
//!
//! The bare chain materialises the canonical request and the string to sign (in stack
//! buffers), hashes, runs the four HMACs (date, service, `tc3_request`, signature), writes
//! the signature in hex and allocates the one `Authorization` string it returns. It computes the
//! date and the decimal timestamp itself. Nothing else: no parsing, no JSON, no header list.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

pub const HOST: &str = "organization.intl.tencentcloudapi.com";
pub const SERVICE: &str = "organization";
pub const SECRET_ID: &str = "AKIDbench";
pub const SECRET_KEY: &str = "bench-secret-key";
pub const TIMESTAMP: i64 = 1_700_000_000;
pub const CONTENT_TYPE: &str = "application/json";
/// The parameters of the 26-byte request; [`BODY_26`] is their JSON as the SDK writes it.
pub const NAME: &str = "benchmark-name";
pub const BODY_26: &[u8] = br#"{"Name": "benchmark-name"}"#;

/// The parameters whose SDK JSON body is [`BODY_26`].
pub fn params_26() -> serde_json::Value {
    serde_json::json!({ "Name": NAME })
}

/// One TC3 request as the bare chain sees it: a body already serialised, two signed headers.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub secret_id: &'a str,
    pub secret_key: &'a str,
    pub service: &'a str,
    pub host: &'a str,
    pub timestamp: i64,
    pub body: &'a [u8],
}

impl Call<'static> {
    pub fn bench_26() -> Self {
        Call {
            secret_id: SECRET_ID,
            secret_key: SECRET_KEY,
            service: SERVICE,
            host: HOST,
            timestamp: TIMESTAMP,
            body: BODY_26,
        }
    }
}

/// A fixed-capacity byte buffer on the stack.
struct StackBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> StackBuf<N> {
    fn new() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }

    fn push(&mut self, data: &[u8]) -> &mut Self {
        self.bytes[self.len..self.len + data.len()].copy_from_slice(data);
        self.len += data.len();
        self
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex::encode_to_slice(bytes, &mut out).expect("64 bytes hold 32 in hex");
    out
}

/// `yyyy-mm-dd` of a Unix timestamp (days-to-civil, proleptic Gregorian; years 0..=9999).
fn utc_date(timestamp: i64) -> [u8; 10] {
    let z = timestamp.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut out = *b"0000-00-00";
    for (i, d) in [
        (0, year / 1000 % 10),
        (1, year / 100 % 10),
        (2, year / 10 % 10),
        (3, year % 10),
    ] {
        out[i] = b'0' + d as u8;
    }
    out[5] = b'0' + (month / 10) as u8;
    out[6] = b'0' + (month % 10) as u8;
    out[8] = b'0' + (day / 10) as u8;
    out[9] = b'0' + (day % 10) as u8;
    out
}

/// Decimal digits of a non-negative timestamp.
fn decimal(mut n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// The `Authorization` header of `call`, by the bare chain.
pub fn bare_authorization(call: &Call<'_>) -> String {
    let body_hash = hex32(&Sha256::digest(call.body).into());
    let mut canonical = StackBuf::<512>::new();
    canonical
        .push(b"POST\n/\n\ncontent-type:")
        .push(CONTENT_TYPE.as_bytes())
        .push(b"\nhost:")
        .push(call.host.as_bytes())
        .push(b"\n\ncontent-type;host\n")
        .push(&body_hash);
    let canonical_hash = hex32(&Sha256::digest(canonical.as_bytes()).into());

    let date = utc_date(call.timestamp);
    let mut digits = [0u8; 20];
    let mut sts = StackBuf::<256>::new();
    sts.push(b"TC3-HMAC-SHA256\n")
        .push(decimal(call.timestamp, &mut digits))
        .push(b"\n")
        .push(&date)
        .push(b"/")
        .push(call.service.as_bytes())
        .push(b"/tc3_request\n")
        .push(&canonical_hash);

    let mut secret = StackBuf::<256>::new();
    secret.push(b"TC3").push(call.secret_key.as_bytes());
    let k_date = hmac(secret.as_bytes(), &date);
    let k_service = hmac(&k_date, call.service.as_bytes());
    let k_signing = hmac(&k_service, b"tc3_request");
    let signature = hex32(&hmac(&k_signing, sts.as_bytes()));

    let date = std::str::from_utf8(&date).expect("ASCII digits");
    let signature = std::str::from_utf8(&signature).expect("ASCII hex");
    let parts = [
        "TC3-HMAC-SHA256 Credential=",
        call.secret_id,
        "/",
        date,
        "/",
        call.service,
        "/tc3_request, SignedHeaders=content-type;host, Signature=",
        signature,
    ];
    let mut auth = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        auth.push_str(part);
    }
    auth
}

/// Inputs of the crypto-alone row, prepared once outside the timed loop.
pub struct CryptoInputs {
    body: Vec<u8>,
    canonical: Vec<u8>,
    secret: Vec<u8>,
    date: [u8; 10],
    service: Vec<u8>,
    string_to_sign: Vec<u8>,
}

impl CryptoInputs {
    /// The exact byte strings the bare chain hashes and MACs for `call`.
    pub fn for_call(call: &Call<'_>) -> Self {
        let body_hash = hex::encode(Sha256::digest(call.body));
        let canonical = format!(
            "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{}\n\ncontent-type;host\n{body_hash}",
            call.host
        );
        let date = utc_date(call.timestamp);
        let sts = format!(
            "TC3-HMAC-SHA256\n{}\n{}/{}/tc3_request\n{}",
            call.timestamp,
            std::str::from_utf8(&date).expect("ASCII"),
            call.service,
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        Self {
            body: call.body.to_vec(),
            canonical: canonical.into_bytes(),
            secret: format!("TC3{}", call.secret_key).into_bytes(),
            date,
            service: call.service.as_bytes().to_vec(),
            string_to_sign: sts.into_bytes(),
        }
    }
}

/// Only the crypto of one request: two SHA-256 and four HMAC-SHA256 over prepared inputs.
pub fn crypto_alone(inputs: &CryptoInputs) -> [u8; 32] {
    let body: [u8; 32] = Sha256::digest(&inputs.body).into();
    let canonical: [u8; 32] = Sha256::digest(&inputs.canonical).into();
    let k_date = hmac(&inputs.secret, &inputs.date);
    let k_service = hmac(&k_date, &inputs.service);
    let k_signing = hmac(&k_service, b"tc3_request");
    let signature = hmac(&k_signing, &inputs.string_to_sign);
    // Fold the hashes in so none of them can be optimised away.
    let mut out = signature;
    for (o, (a, b)) in out.iter_mut().zip(body.iter().zip(canonical.iter())) {
        *o ^= a ^ b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_match_known_days() {
        // 2023-11-14T22:13:20Z and 2023-11-15T00:00:00Z; 2000-02-29 (a leap day).
        assert_eq!(&utc_date(1_700_000_000), b"2023-11-14");
        assert_eq!(&utc_date(1_700_006_400), b"2023-11-15");
        assert_eq!(&utc_date(951_782_400), b"2000-02-29");
        assert_eq!(&utc_date(0), b"1970-01-01");
    }
}

/// The rows of the 26-byte comparison, in the order the bench and `drive` print them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    CryptoAlone,
    BareChain,
    BuildUncached,
    BuildCached,
    VerifyUncached,
    VerifyCached,
}

impl Row {
    pub const ALL: [Row; 6] = [
        Row::CryptoAlone,
        Row::BareChain,
        Row::BuildUncached,
        Row::BuildCached,
        Row::VerifyUncached,
        Row::VerifyCached,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Row::CryptoAlone => "crypto_alone",
            Row::BareChain => "bare_chain",
            Row::BuildUncached => "build_uncached",
            Row::BuildCached => "build_cached",
            Row::VerifyUncached => "verify_uncached",
            Row::VerifyCached => "verify_cached",
        }
    }
}

/// Everything the rows need, prepared once: the call, `tco_sign`'s inputs and the signed
/// request's headers as a server would receive them.
pub struct Fixture {
    call: Call<'static>,
    crypto: CryptoInputs,
    params: serde_json::Value,
    creds: tco_sign::Credentials,
    cache: tco_sign::KeyCache,
    no_cache: tco_sign::KeyCache,
    /// As a server's HTTP parser hands them over: a slice of borrowed pairs, prepared once
    /// (leaked, a few hundred bytes per fixture) so the rows time verification, not copying.
    headers: &'static [(&'static str, &'static str)],
    body: Vec<u8>,
    verify_cached: tco_sign::Verifier<Vec<tco_sign::Credentials>>,
    verify_uncached: tco_sign::Verifier<Vec<tco_sign::Credentials>>,
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Fixture {
    /// Prepares the rows and checks them against each other: panics if the bare chain's
    /// `Authorization` differs by one byte from `tco_sign::build`'s, if the body is not the
    /// 26 bytes the bare chain signs, or if verification refuses the request.
    pub fn new() -> Self {
        let call = Call::bench_26();
        let creds = tco_sign::Credentials::new(call.secret_id, call.secret_key);
        let params = params_26();
        let signed = tco_sign::build(
            &spec(&params, call.timestamp),
            &creds,
            &tco_sign::KeyCache::disabled(),
        );
        assert_eq!(
            signed.body, call.body,
            "build's body is the bare chain's body"
        );
        assert_eq!(
            signed.header("Authorization"),
            Some(bare_authorization(&call).as_str()),
            "the bare chain's Authorization is byte-identical to tco_sign::build's"
        );
        let verifier =
            |keys| tco_sign::Verifier::new(vec![creds.clone()], call.service).with_key_cache(keys);
        let fixture = Fixture {
            call,
            crypto: CryptoInputs::for_call(&call),
            params,
            cache: tco_sign::KeyCache::default(),
            no_cache: tco_sign::KeyCache::disabled(),
            headers: leak_headers(&signed),
            body: signed.body.clone(),
            verify_cached: verifier(tco_sign::KeyCache::default()),
            verify_uncached: verifier(tco_sign::KeyCache::disabled()),
            creds,
        };
        for row in [Row::VerifyCached, Row::VerifyUncached] {
            assert_eq!(fixture.run(row), 1, "{} accepts the request", row.name());
        }
        fixture
    }

    /// One iteration of `row`; returns a number derived from the result so nothing is elided.
    pub fn run(&self, row: Row) -> usize {
        match row {
            Row::CryptoAlone => usize::from(crypto_alone(&self.crypto)[0]),
            Row::BareChain => bare_authorization(&self.call).len(),
            Row::BuildUncached => self.build(&self.no_cache),
            Row::BuildCached => self.build(&self.cache),
            Row::VerifyUncached => self.verify(&self.verify_uncached),
            Row::VerifyCached => self.verify(&self.verify_cached),
        }
    }

    fn build(&self, keys: &tco_sign::KeyCache) -> usize {
        let spec = spec(&self.params, self.call.timestamp);
        tco_sign::build(&spec, &self.creds, keys).headers().len()
    }

    fn verify(&self, verifier: &tco_sign::Verifier<Vec<tco_sign::Credentials>>) -> usize {
        let incoming = tco_sign::Incoming {
            method: "POST",
            path: "/",
            query: "",
            headers: self.headers,
            body: &self.body,
        };
        usize::from(verifier.verify(&incoming, self.call.timestamp).is_ok())
    }
}

/// The headers of `signed` as `'static` borrowed pairs, the shape `Incoming` takes.
fn leak_headers(signed: &tco_sign::SignedRequest) -> &'static [(&'static str, &'static str)] {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    signed
        .headers()
        .map(|(n, v)| (leak(n), leak(v)))
        .collect::<Vec<_>>()
        .leak()
}

/// The call `build` signs in the rows (a 2021-03-31 `DescribeOrganization` with a 26-byte body).
fn spec(params: &serde_json::Value, timestamp: i64) -> tco_sign::RequestSpec<'_> {
    tco_sign::RequestSpec::new(
        HOST,
        SERVICE,
        "DescribeOrganization",
        "2021-03-31",
        params,
        timestamp,
    )
}
