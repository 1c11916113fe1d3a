//! The named edge-case suite in tests/signing-cases/, one directory per case (see
//! tools/signing-cases/make_cases.py for where the expected strings come from).

mod common;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tco_sign::tc3::{self, CanonicalInput, Payload, ValueCase};
use tco_sign::v1::{self, V1Method};
use tco_sign::{Credentials, Incoming, Verifier};

#[derive(Deserialize)]
struct CaseFile {
    credentials: Vec<StoredCredential>,
    now: i64,
    request: Request,
    #[serde(default)]
    signed_headers: Vec<String>,
    #[serde(default)]
    unsigned_payload: bool,
}

#[derive(Deserialize)]
struct StoredCredential {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
}

#[derive(Deserialize)]
struct Request {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
}

struct Case {
    name: String,
    dir: PathBuf,
    file: CaseFile,
}

impl Case {
    fn text(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.join(name)).ok()
    }

    fn credentials(&self) -> Vec<Credentials> {
        self.file
            .credentials
            .iter()
            .map(|c| {
                let creds = Credentials::new(&c.secret_id, &c.secret_key);
                match &c.token {
                    Some(t) => creds.with_token(t),
                    None => creds,
                }
            })
            .collect()
    }

    fn verify(&self) -> Result<(), String> {
        let r = &self.file.request;
        let headers = common::header_refs(&r.headers);
        let incoming = Incoming {
            method: &r.method,
            path: &r.path,
            query: &r.query,
            headers: &headers,
            body: r.body.as_bytes(),
        };
        Verifier::new(self.credentials(), "organization")
            .verify(&incoming, self.file.now)
            .map(|_| ())
            .map_err(|e| e.code().to_string())
    }
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/signing-cases");
    let mut cases: Vec<Case> = std::fs::read_dir(&root)
        .expect("tests/signing-cases exists")
        .map(|entry| {
            let dir = entry.expect("readable entry").path();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let json = std::fs::read_to_string(dir.join("request.json")).expect("request.json");
            let file = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
            Case { name, dir, file }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

#[test]
fn suite_covers_the_required_edge_cases() {
    let names: Vec<String> = cases().into_iter().map(|c| c.name).collect();
    for required in [
        "tc3-content-type-charset",
        "tc3-host-upper-case-with-port",
        "tc3-extra-signed-headers-unsorted",
        "tc3-get-unsorted-query",
        "tc3-get-encoded-query",
        "tc3-get-empty-values-and-lists",
        "tc3-get-booleans",
        "tc3-unsigned-payload",
        "tc3-token",
        "tc3-utc-midnight",
        "neg-tc3-expired",
        "neg-tc3-body-changed",
    ] {
        assert!(
            names.iter().any(|n| n == required),
            "missing case {required}"
        );
    }
}

#[test]
fn tc3_cases_derive_the_expected_strings() {
    let mut checked = 0;
    for case in cases() {
        let Some(authorization) = case.text("authorization.txt") else {
            continue;
        };
        let r = &case.file.request;
        let headers: Vec<(&str, &str)> = case
            .file
            .signed_headers
            .iter()
            .map(|name| {
                let value = r
                    .headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str())
                    .unwrap_or_else(|| panic!("{}: no header {name}", case.name));
                (name.as_str(), value)
            })
            .collect();
        let input = CanonicalInput {
            method: &r.method,
            path: &r.path,
            query: &r.query,
            headers: &headers,
            payload: if case.file.unsigned_payload {
                Payload::Unsigned
            } else {
                Payload::Bytes(r.body.as_bytes())
            },
            value_case: ValueCase::Lower,
        };
        let creds = &case.credentials()[0];
        let timestamp: i64 = r
            .headers
            .iter()
            .find(|(n, _)| n == "X-TC-Timestamp")
            .and_then(|(_, v)| v.parse().ok())
            .expect("a timestamp header");
        let sig = tc3::sign(
            &input,
            timestamp,
            "organization",
            creds.secret_id(),
            creds.secret_key(),
        );
        assert_eq!(
            sig.canonical_request,
            case.text("canonical-request.txt").unwrap(),
            "{}",
            case.name
        );
        assert_eq!(
            sig.string_to_sign,
            case.text("string-to-sign.txt").unwrap(),
            "{}",
            case.name
        );
        assert_eq!(sig.authorization, authorization, "{}", case.name);
        assert_eq!(
            case.verify(),
            Ok(()),
            "{}: the verifier accepts it",
            case.name
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} TC3 cases");
}

#[test]
fn v1_cases_derive_the_expected_strings() {
    let mut checked = 0;
    for case in cases() {
        let Some(signature) = case.text("signature.txt") else {
            continue;
        };
        let r = &case.file.request;
        let headers = common::header_refs(&r.headers);
        let incoming = Incoming {
            method: &r.method,
            path: &r.path,
            query: &r.query,
            headers: &headers,
            body: r.body.as_bytes(),
        };
        let params = incoming.form_params();
        let host = incoming.header("host").unwrap();
        let sts = v1::string_to_sign(&r.method, host, &r.path, &params);
        assert_eq!(
            sts,
            case.text("string-to-sign.txt").unwrap(),
            "{}",
            case.name
        );
        let method = params
            .iter()
            .find(|(k, _)| k == "SignatureMethod")
            .and_then(|(_, m)| V1Method::parse(m))
            .unwrap_or(V1Method::HmacSha1);
        let creds = &case.credentials()[0];
        assert_eq!(
            v1::sign(method, creds.secret_key(), &sts),
            signature,
            "{}",
            case.name
        );
        assert_eq!(
            case.verify(),
            Ok(()),
            "{}: the verifier accepts it",
            case.name
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn negative_cases_fail_with_their_documented_code() {
    let mut checked = 0;
    for case in cases() {
        let Some(expected) = case.text("expected-error.txt") else {
            continue;
        };
        assert_eq!(
            case.verify(),
            Err(expected.trim().to_string()),
            "{}",
            case.name
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} negative cases");
}
