//! The known-answer cases published in Tencent's signing documentation
//! (tests/data/signing-vectors.json, a copy of the reference data), every intermediate
//! string included.

mod common;

use serde::Deserialize;
use tco_sign::tc3::{self, CanonicalInput, Payload, ValueCase};
use tco_sign::v1::{self, V1Method};

#[derive(Deserialize)]
struct Vectors {
    cases: Vec<Case>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Case {
    name: String,
    secret_id: String,
    secret_key: String,
    method: String,
    host: String,
    service: String,
    action: Option<String>,
    timestamp: i64,
    content_type: String,
    payload: String,
    query: String,
    signed_headers: Option<String>,
    string_to_sign: String,
    published: Values,
    recomputed: Values,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Values {
    canonical_request: Option<String>,
    hashed_payload: Option<String>,
    hashed_canonical_request: Option<String>,
    string_to_sign: Option<String>,
    secret_date: Option<String>,
    secret_service: Option<String>,
    secret_signing: Option<String>,
    signature: Option<String>,
    #[serde(rename = "signature_if_HmacSHA256")]
    signature_if_hmac_sha256: Option<String>,
}

fn vectors() -> Vec<Case> {
    let v: Vectors = serde_json::from_str(&common::read_test_file("data/signing-vectors.json"))
        .expect("vectors parse");
    v.cases
}

/// Asserts `got` equals every source (published, recomputed) that states a value.
fn check(case: &str, what: &str, got: &str, sources: [&Option<String>; 2]) {
    for want in sources.into_iter().flatten() {
        assert_eq!(got, want, "{case}: {what}");
    }
}

#[test]
fn every_tc3_vector_reproduces_with_its_intermediates() {
    let cases: Vec<Case> = vectors()
        .into_iter()
        .filter(|c| !c.method.is_empty())
        .collect();
    assert_eq!(cases.len(), 4, "the reference holds four TC3 vectors");
    for c in cases {
        let action = c.action.clone().unwrap_or_default();
        let all = [
            ("content-type", c.content_type.as_str()),
            ("host", c.host.as_str()),
            ("x-tc-action", action.as_str()),
        ];
        let signed = c.signed_headers.as_deref().unwrap_or("content-type;host");
        let headers: Vec<(&str, &str)> = all
            .into_iter()
            .filter(|(n, _)| signed.split(';').any(|s| s == *n))
            .collect();
        let input = CanonicalInput {
            method: &c.method,
            path: "/",
            query: &c.query,
            headers: &headers,
            payload: Payload::Bytes(c.payload.as_bytes()),
            value_case: ValueCase::Lower,
        };
        let (p, r) = (&c.published, &c.recomputed);
        let hashed_payload = tc3::payload_hash(input.payload);
        check(
            &c.name,
            "hashed payload",
            &hashed_payload,
            [&p.hashed_payload, &r.hashed_payload],
        );
        let sig = tc3::sign(&input, c.timestamp, &c.service, &c.secret_id, &c.secret_key);
        check(
            &c.name,
            "canonical request",
            &sig.canonical_request,
            [&p.canonical_request, &r.canonical_request],
        );
        let hashed = tc3::sha256_hex(sig.canonical_request.as_bytes());
        check(
            &c.name,
            "hashed canonical request",
            &hashed,
            [&p.hashed_canonical_request, &r.hashed_canonical_request],
        );
        check(
            &c.name,
            "string to sign",
            &sig.string_to_sign,
            [&p.string_to_sign, &r.string_to_sign],
        );
        let [k_date, k_service, k_signing] = tc3::key_chain(&c.secret_key, &sig.date, &c.service);
        check(
            &c.name,
            "SecretDate",
            &hex::encode(k_date),
            [&p.secret_date, &r.secret_date],
        );
        check(
            &c.name,
            "SecretService",
            &hex::encode(k_service),
            [&p.secret_service, &r.secret_service],
        );
        check(
            &c.name,
            "SecretSigning",
            &hex::encode(k_signing),
            [&p.secret_signing, &r.secret_signing],
        );
        check(
            &c.name,
            "signature",
            &sig.signature,
            [&p.signature, &r.signature],
        );
        assert!(
            p.signature.is_some(),
            "{}: every vector publishes a signature",
            c.name
        );
    }
}

#[test]
fn the_v1_vector_reproduces_for_both_algorithms() {
    let c = vectors()
        .into_iter()
        .find(|c| c.name.starts_with("v1-"))
        .expect("the reference holds a v1 vector");
    // Rebuild the string to sign from its parameters, shuffled, to check the sort as well.
    let (head, query) = c
        .string_to_sign
        .split_once("/?")
        .expect("METHOD host /? params");
    let host = head.strip_prefix("GET").expect("a GET vector");
    let mut params: Vec<(&str, &str)> = query
        .split('&')
        .map(|kv| kv.split_once('=').expect("k=v"))
        .collect();
    params.reverse();
    assert_eq!(
        v1::string_to_sign("GET", host, "/", &params),
        c.string_to_sign
    );

    let sha1 = v1::sign(V1Method::HmacSha1, &c.secret_key, &c.string_to_sign);
    check(
        &c.name,
        "HmacSHA1",
        &sha1,
        [&c.published.signature, &c.recomputed.signature],
    );
    let sha256 = v1::sign(V1Method::HmacSha256, &c.secret_key, &c.string_to_sign);
    check(
        &c.name,
        "HmacSHA256",
        &sha256,
        [&c.recomputed.signature_if_hmac_sha256, &None],
    );
    assert!(v1::verify(
        V1Method::HmacSha1,
        &c.secret_key,
        &c.string_to_sign,
        &sha1
    ));
}
