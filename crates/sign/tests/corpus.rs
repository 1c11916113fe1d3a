//! The differential corpus: requests the official Python SDK built (tools/signing-corpus), each
//! rebuilt by the Rust signer from the same inputs and compared byte for byte.

mod common;

use serde::Deserialize;
use serde_json::Value;
use tco_sign::{build, Credentials, Incoming, KeyCache, RequestSpec, Verifier};

#[derive(Deserialize)]
struct Corpus {
    cases: Vec<Case>,
    compat_upper_case_host: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    sign_method: String,
    http_method: String,
    host: String,
    service: String,
    action: String,
    version: String,
    region: Option<String>,
    language: Option<String>,
    token: Option<String>,
    secret_id: String,
    secret_key: String,
    timestamp: i64,
    nonce: Option<u64>,
    unsigned_payload: bool,
    request_client: String,
    params: Value,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    method: String,
    url_path_and_query: String,
    headers: serde_json::Map<String, Value>,
    body: String,
}

impl Case {
    fn credentials(&self) -> Credentials {
        let c = Credentials::new(&self.secret_id, &self.secret_key);
        match &self.token {
            Some(t) => c.with_token(t),
            None => c,
        }
    }

    fn expected_headers(&self) -> Vec<(String, String)> {
        self.expected
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().expect("header values are strings").to_string(),
                )
            })
            .collect()
    }

    /// The SDK's request as a server receives it.
    fn verify_as_server(&self, verifier: &Verifier<Vec<Credentials>>) -> Result<(), String> {
        let headers = self.expected_headers();
        let header_refs = common::header_refs(&headers);
        let (path, query) = self
            .expected
            .url_path_and_query
            .split_once('?')
            .unwrap_or((&self.expected.url_path_and_query, ""));
        let incoming = Incoming {
            method: &self.expected.method,
            path,
            query,
            headers: &header_refs,
            body: self.expected.body.as_bytes(),
        };
        verifier
            .verify(&incoming, self.timestamp)
            .map(|_| ())
            .map_err(|e| format!("{}: {} ({e})", self.id, e.code()))
    }
}

fn corpus() -> Corpus {
    serde_json::from_str(&common::read_test_file("data/signing-corpus.json"))
        .expect("corpus parses")
}

#[test]
fn corpus_is_large_and_covers_every_method() {
    let corpus = corpus();
    assert!(
        corpus.cases.len() >= 1000,
        "only {} cases",
        corpus.cases.len()
    );
    for method in ["TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256"] {
        for http in ["GET", "POST"] {
            let n = corpus
                .cases
                .iter()
                .filter(|c| c.sign_method == method && c.http_method == http)
                .count();
            assert!(n >= 100, "{method} {http}: only {n} cases");
        }
    }
}

#[test]
fn rust_signer_reproduces_every_sdk_request_byte_for_byte() {
    let keys = KeyCache::default();
    let mut mismatches = Vec::new();
    let corpus = corpus();
    // The upper-case-host cases too: the SDK signs the host as given, and so does `build`.
    for case in corpus
        .cases
        .into_iter()
        .chain(corpus.compat_upper_case_host)
    {
        let spec = RequestSpec::new(
            &case.host,
            &case.service,
            &case.action,
            &case.version,
            &case.params,
            case.timestamp,
        )
        .with_sign_method(case.sign_method.parse().expect("known sign method"))
        .with_http_method(case.http_method.parse().expect("known HTTP method"))
        .with_region(case.region.as_deref())
        .with_language(case.language.as_deref())
        .with_nonce(case.nonce.unwrap_or(0))
        .with_unsigned_payload(case.unsigned_payload)
        .with_request_client(&case.request_client);
        let got = build(&spec, &case.credentials(), &keys);
        let expected_headers = case.expected_headers();
        let got_headers: Vec<(String, String)> = got
            .headers()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let same = got.method.as_str() == case.expected.method
            && got.path_and_query == case.expected.url_path_and_query
            && got_headers == expected_headers
            && got.body == case.expected.body.as_bytes();
        if !same {
            mismatches.push(format!(
                "{}: got {} {} {:?} body {:?}\n   want {} {} {:?} body {:?}",
                case.id,
                got.method.as_str(),
                got.path_and_query,
                got_headers,
                String::from_utf8_lossy(&got.body),
                case.expected.method,
                case.expected.url_path_and_query,
                expected_headers,
                case.expected.body
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn verifier_accepts_every_sdk_request() {
    let corpus = corpus();
    let failures: Vec<String> = corpus
        .cases
        .iter()
        .chain(&corpus.compat_upper_case_host)
        .filter_map(|case| {
            let verifier = Verifier::new(vec![case.credentials()], case.service.clone());
            case.verify_as_server(&verifier).err()
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} refused: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
}

#[test]
fn verifier_refuses_sdk_requests_under_the_wrong_key() {
    let corpus = corpus();
    for case in corpus.cases.iter().step_by(7) {
        let wrong = Credentials::new(&case.secret_id, format!("{}x", case.secret_key));
        let wrong = match &case.token {
            Some(t) => wrong.with_token(t),
            None => wrong,
        };
        let verifier = Verifier::new(vec![wrong], case.service.clone());
        let err = case.verify_as_server(&verifier).expect_err(&case.id);
        assert!(err.contains("AuthFailure.SignatureFailure"), "{err}");
    }
}
