//! The older signature (v1): HmacSHA1 or HmacSHA256 over a sorted parameter string.

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

/// The two v1 algorithms. `SignatureMethod` absent means HmacSHA1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1Method {
    HmacSha1,
    HmacSha256,
}

impl V1Method {
    pub fn as_str(self) -> &'static str {
        match self {
            V1Method::HmacSha1 => "HmacSHA1",
            V1Method::HmacSha256 => "HmacSHA256",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "HmacSHA1" => Some(V1Method::HmacSha1),
            "HmacSHA256" => Some(V1Method::HmacSha256),
            _ => None,
        }
    }
}

/// `METHOD host path ? k=v&…` over every parameter but `Signature`, sorted by key bytes, values
/// raw (not URL-encoded).
///
/// Like the official SDK, `_` in a key is written as `.` here (older SDKs flattened with `_`).
pub fn string_to_sign<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    host: &str,
    path: &str,
    params: &[(K, V)],
) -> String {
    let mut pairs: Vec<(String, &str)> = params
        .iter()
        .filter(|(k, _)| k.as_ref() != "Signature")
        .map(|(k, v)| (k.as_ref().replace('_', "."), v.as_ref()))
        .collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let joined = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!("{method}{host}{path}?{joined}")
}

/// Base64 HMAC of the string to sign.
pub fn sign(method: V1Method, secret_key: &str, string_to_sign: &str) -> String {
    STANDARD.encode(mac_bytes(method, secret_key, string_to_sign))
}

/// Constant-time check of a base64 signature.
pub fn verify(
    method: V1Method,
    secret_key: &str,
    string_to_sign: &str,
    signature_b64: &str,
) -> bool {
    let Ok(given) = STANDARD.decode(signature_b64) else {
        return false;
    };
    match method {
        V1Method::HmacSha1 => {
            let mut mac = keyed::<Hmac<Sha1>>(secret_key);
            mac.update(string_to_sign.as_bytes());
            mac.verify_slice(&given).is_ok()
        }
        V1Method::HmacSha256 => {
            let mut mac = keyed::<Hmac<Sha256>>(secret_key);
            mac.update(string_to_sign.as_bytes());
            mac.verify_slice(&given).is_ok()
        }
    }
}

fn mac_bytes(method: V1Method, secret_key: &str, msg: &str) -> Vec<u8> {
    match method {
        V1Method::HmacSha1 => {
            let mut mac = keyed::<Hmac<Sha1>>(secret_key);
            mac.update(msg.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        V1Method::HmacSha256 => {
            let mut mac = keyed::<Hmac<Sha256>>(secret_key);
            mac.update(msg.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
    }
}

fn keyed<M: Mac + hmac::digest::KeyInit>(secret_key: &str) -> M {
    <M as hmac::digest::KeyInit>::new_from_slice(secret_key.as_bytes())
        .expect("HMAC takes any key length")
}
