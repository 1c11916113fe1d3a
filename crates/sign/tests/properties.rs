//! Properties of signing and verification over arbitrary requests (proptest).
//!
//! Each property builds a request with the signer, hands it to the verifier as a server would
//! receive it, and checks the verdict: accepted as built; refused with the right code when a
//! signed byte changes; accepted when only unsigned parts change.

mod common;

use proptest::prelude::*;
use serde_json::{Map, Value};
use tco_sign::{
    build, AuthError, Credentials, HttpMethod, Incoming, KeyCache, RequestSpec, SignMethod,
    SignedRequest, Verifier, MAX_CLOCK_SKEW,
};

const SERVICE: &str = "organization";

/// Everything a generated request is built from.
#[derive(Debug, Clone)]
struct Generated {
    sign_method: SignMethod,
    http_method: HttpMethod,
    host: String,
    action: String,
    region: Option<String>,
    language: Option<String>,
    timestamp: i64,
    nonce: u64,
    unsigned_payload: bool,
    token: Option<String>,
    secret_key: String,
    params: Value,
}

impl Generated {
    fn credentials(&self) -> Credentials {
        let c = Credentials::new("AKIDproptest", &self.secret_key);
        match &self.token {
            Some(t) => c.with_token(t),
            None => c,
        }
    }

    fn build(&self) -> SignedRequest {
        let spec = RequestSpec::new(
            &self.host,
            SERVICE,
            &self.action,
            "2021-03-31",
            &self.params,
            self.timestamp,
        )
        .with_sign_method(self.sign_method)
        .with_http_method(self.http_method)
        .with_region(self.region.as_deref())
        .with_language(self.language.as_deref())
        .with_nonce(self.nonce)
        .with_unsigned_payload(self.unsigned_payload)
        .with_request_client("tco-harness-proptest");
        build(&spec, &self.credentials(), &KeyCache::default())
    }
}

fn verify_with(
    req: &SignedRequest,
    store: Vec<Credentials>,
    now: i64,
) -> Result<SignMethod, AuthError> {
    let headers = req.headers().collect::<Vec<_>>();
    let (path, query) = req
        .path_and_query
        .split_once('?')
        .unwrap_or((&req.path_and_query, ""));
    let incoming = Incoming {
        method: req.method.as_str(),
        path,
        query,
        headers: &headers,
        body: &req.body,
    };
    Verifier::new(store, SERVICE)
        .verify(&incoming, now)
        .map(|v| v.method)
}

fn verify(g: &Generated, req: &SignedRequest, now: i64) -> Result<SignMethod, AuthError> {
    verify_with(req, vec![g.credentials()], now)
}

fn set_header(req: &mut SignedRequest, name: &'static str, value: String) {
    req.set_header(name, &value);
}

fn code(r: Result<SignMethod, AuthError>) -> &'static str {
    match r {
        Ok(_) => "accepted",
        Err(e) => e.code(),
    }
}

/// Replaces the character at `at` (mod len) with one that differs even ignoring case.
fn change_char(s: &str, at: usize) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let i = at % chars.len();
    chars[i] = if chars[i].eq_ignore_ascii_case(&'q') {
        'z'
    } else {
        'q'
    };
    chars.into_iter().collect()
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[A-Z][A-Za-z]{0,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn params() -> impl Strategy<Value = Value> {
    prop::collection::vec(("[A-Z][A-Za-z_]{0,10}", json_value()), 0..6)
        .prop_map(|kv| Value::Object(kv.into_iter().collect()))
}

fn host() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9-]{0,12}(\\.[a-z][a-z0-9]{0,8}){0,3}",
        prop::option::of(1u16..),
    )
        .prop_map(|(h, port)| match port {
            Some(p) => format!("{h}:{p}"),
            None => h,
        })
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        prop::sample::select(SignMethod::ALL.to_vec()),
        prop::sample::select(vec![HttpMethod::Get, HttpMethod::Post]),
        host(),
        "[A-Za-z]{1,30}",
        prop::option::of("[a-z]{2}-[a-z]{4,10}"),
        prop::option::of(prop::sample::select(vec![
            "en-US".to_string(),
            "zh-CN".to_string(),
        ])),
        // Timestamps from 2001 to 2100, midnights included by chance and by the edge suite.
        1_000_000_000i64..4_102_444_800,
        1u64..=i64::MAX as u64,
        any::<bool>(),
        prop::option::of("[A-Za-z0-9]{8,40}"),
        "\\PC{1,48}",
        params(),
    )
        .prop_map(
            |(
                sign_method,
                http_method,
                host,
                action,
                region,
                language,
                timestamp,
                nonce,
                unsigned,
                token,
                secret_key,
                params,
            )| Generated {
                sign_method,
                http_method,
                host,
                action,
                region,
                language,
                timestamp,
                nonce,
                unsigned_payload: unsigned && sign_method == SignMethod::Tc3HmacSha256,
                token,
                secret_key,
                params,
            },
        )
}

fn tc3_only() -> impl Strategy<Value = Generated> {
    generated().prop_map(|mut g| {
        g.sign_method = SignMethod::Tc3HmacSha256;
        g
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_accepts(g in generated()) {
        let req = g.build();
        prop_assert_eq!(verify(&g, &req, g.timestamp), Ok(g.sign_method));
    }

    #[test]
    fn timestamps_within_300_s_pass_and_beyond_expire(g in generated(), skew in -600i64..=600) {
        let req = g.build();
        let verdict = verify(&g, &req, g.timestamp + skew);
        if skew.abs() <= MAX_CLOCK_SKEW {
            prop_assert_eq!(code(verdict), "accepted");
        } else {
            prop_assert_eq!(code(verdict), "AuthFailure.SignatureExpire");
        }
    }

    #[test]
    fn a_wrong_key_fails_as_signature_failure(g in generated(), extra in "\\PC{1,4}") {
        let req = g.build();
        let wrong = Credentials::new("AKIDproptest", format!("{}{extra}", g.secret_key));
        let wrong = match &g.token { Some(t) => wrong.with_token(t), None => wrong };
        prop_assert_eq!(code(verify_with(&req, vec![wrong], g.timestamp)), "AuthFailure.SignatureFailure");
    }

    #[test]
    fn an_unknown_secret_id_fails_as_not_found(g in generated()) {
        let req = g.build();
        let other = Credentials::new("AKIDsomebodyelse", &g.secret_key);
        prop_assert_eq!(code(verify_with(&req, vec![other], g.timestamp)), "AuthFailure.SecretIdNotFound");
    }

    #[test]
    fn tc3_body_change_fails_unless_payload_unsigned(g in tc3_only(), at in any::<usize>(), byte in any::<u8>()) {
        let mut req = g.build();
        if req.body.is_empty() {
            req.body.push(byte);
        } else {
            let i = at % req.body.len();
            req.body[i] = if req.body[i] == byte { byte.wrapping_add(1) } else { byte };
        }
        let expected = if g.unsigned_payload { "accepted" } else { "AuthFailure.SignatureFailure" };
        prop_assert_eq!(code(verify(&g, &req, g.timestamp)), expected);
    }

    #[test]
    fn tc3_signed_header_change_fails(g in tc3_only(), which in prop::sample::select(vec!["Host", "Content-Type"]), at in any::<usize>()) {
        let mut req = g.build();
        let changed = change_char(req.header(which).unwrap(), at);
        set_header(&mut req, which, changed);
        prop_assert_eq!(code(verify(&g, &req, g.timestamp)), "AuthFailure.SignatureFailure");
    }

    #[test]
    fn tc3_timestamp_change_fails(g in tc3_only(), delta in prop_oneof![-300i64..0, 1i64..=300]) {
        let mut req = g.build();
        set_header(&mut req, "X-TC-Timestamp", (g.timestamp + delta).to_string());
        prop_assert_eq!(code(verify(&g, &req, g.timestamp)), "AuthFailure.SignatureFailure");
    }

    #[test]
    fn tc3_scope_date_or_service_change_fails(g in tc3_only(), days in 1i64..3650, service in "[a-z]{2,12}") {
        let req = g.build();
        let auth = req.header("Authorization").unwrap().to_string();
        let date = tco_sign::utc_date(g.timestamp);
        let other_date = tco_sign::utc_date(g.timestamp - days * 86_400);
        let mut moved = req.clone();
        set_header(&mut moved, "Authorization", auth.replace(&date, &other_date));
        prop_assert_eq!(code(verify(&g, &moved, g.timestamp)), "AuthFailure.SignatureFailure");
        prop_assume!(service != SERVICE);
        let mut other_service = req.clone();
        set_header(&mut other_service, "Authorization", auth.replace("/organization/", &format!("/{service}/")));
        prop_assert_eq!(code(verify(&g, &other_service, g.timestamp)), "AuthFailure.SignatureFailure");
    }

    #[test]
    fn tc3_extra_signed_header_is_honoured(g in tc3_only(), at in any::<usize>()) {
        // Sign x-tc-action too, as a client may; then changing it must break the signature.
        let req = g.build();
        let action = req.header("X-TC-Action").unwrap().to_string();
        let headers = [
            ("content-type", req.header("Content-Type").unwrap()),
            ("host", req.header("Host").unwrap()),
            ("x-tc-action", action.as_str()),
        ];
        let (path, query) = req.path_and_query.split_once('?').unwrap_or((&req.path_and_query, ""));
        let input = tco_sign::tc3::CanonicalInput {
            method: req.method.as_str(), path, query, headers: &headers,
            payload: if g.unsigned_payload { tco_sign::tc3::Payload::Unsigned } else { tco_sign::tc3::Payload::Bytes(&req.body) },
            value_case: tco_sign::tc3::ValueCase::Lower,
        };
        let sig = tco_sign::tc3::sign(&input, g.timestamp, SERVICE, "AKIDproptest", &g.secret_key);
        let mut signed = req.clone();
        set_header(&mut signed, "Authorization", sig.authorization);
        prop_assert_eq!(code(verify(&g, &signed, g.timestamp)), "accepted");
        set_header(&mut signed, "X-TC-Action", change_char(&action, at));
        prop_assert_eq!(code(verify(&g, &signed, g.timestamp)), "AuthFailure.SignatureFailure");
    }

    #[test]
    fn tc3_unsigned_header_change_passes(
        g in tc3_only(),
        which in prop::sample::select(vec!["X-TC-Action", "X-TC-Version", "X-TC-Region", "X-TC-Language", "X-TC-RequestClient"]),
        value in "[A-Za-z0-9-]{1,20}",
    ) {
        let mut req = g.build();
        set_header(&mut req, which, value);
        prop_assert_eq!(code(verify(&g, &req, g.timestamp)), "accepted");
    }

    #[test]
    fn tc3_token_must_match(g in tc3_only(), other in "[A-Za-z0-9]{8,40}") {
        let mut req = g.build();
        prop_assume!(g.token.as_deref() != Some(other.as_str()));
        set_header(&mut req, "X-TC-Token", other);
        prop_assert_eq!(code(verify(&g, &req, g.timestamp)), "AuthFailure.TokenFailure");
    }

    #[test]
    fn v1_signature_does_not_depend_on_parameter_order(
        g in generated().prop_filter("v1 only", |g| g.sign_method != SignMethod::Tc3HmacSha256),
        seed in any::<u64>(),
    ) {
        let req = g.build();
        let headers = req.headers().collect::<Vec<_>>();
        let (path, query) = req.path_and_query.split_once('?').unwrap_or((&req.path_and_query, ""));
        let incoming = Incoming { method: req.method.as_str(), path, query, headers: &headers, body: &req.body };
        let mut params = incoming.form_params();
        let sts = tco_sign::v1::string_to_sign(req.method.as_str(), &g.host, "/", &params);
        // A deterministic shuffle from the seed.
        let n = params.len();
        for i in (1..n).rev() {
            let j = (seed.rotate_left(i as u32) as usize) % (i + 1);
            params.swap(i, j);
        }
        prop_assert_eq!(tco_sign::v1::string_to_sign(req.method.as_str(), &g.host, "/", &params), sts);
        // And the shuffled form still verifies.
        let shuffled = tco_sign::params::urlencode(&params);
        let mut moved = req.clone();
        match req.method {
            HttpMethod::Get => moved.path_and_query = format!("/?{shuffled}").into(),
            HttpMethod::Post => moved.body = shuffled.into_bytes(),
        }
        prop_assert_eq!(verify(&g, &moved, g.timestamp), Ok(g.sign_method));
    }

    #[test]
    fn v1_parameter_change_fails(
        g in generated().prop_filter("v1 only", |g| g.sign_method != SignMethod::Tc3HmacSha256),
        pick in any::<usize>(),
    ) {
        let req = g.build();
        let headers = req.headers().collect::<Vec<_>>();
        let (path, query) = req.path_and_query.split_once('?').unwrap_or((&req.path_and_query, ""));
        let incoming = Incoming { method: req.method.as_str(), path, query, headers: &headers, body: &req.body };
        let mut params = incoming.form_params();
        // Change one signed parameter other than those the verifier checks first.
        let candidates: Vec<usize> = (0..params.len())
            .filter(|&i| !["Signature", "SecretId", "Timestamp", "SignatureMethod", "Token"].contains(&params[i].0.as_str()))
            .collect();
        let i = candidates[pick % candidates.len()];
        params[i].1.push('x');
        let changed = tco_sign::params::urlencode(&params);
        let mut moved = req.clone();
        match req.method {
            HttpMethod::Get => moved.path_and_query = format!("/?{changed}").into(),
            HttpMethod::Post => moved.body = changed.into_bytes(),
        }
        prop_assert_eq!(code(verify(&g, &moved, g.timestamp)), "AuthFailure.SignatureFailure");
    }
}

/// Headers as a caller might pass them: any case, padded, any value (Unicode included).
fn canonical_headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop::sample::select(vec![
        "Content-Type",
        "host",
        " X-TC-Action",
        "x-tc-version ",
    ]);
    prop::collection::vec((name, "\\PC{0,12}"), 1..5)
        .prop_map(|pairs| pairs.into_iter().map(|(n, v)| (n.to_string(), v)).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// The streamed signature (canonical request and string to sign fed straight into the
    /// hashers, as `build` and `verify` do) equals the one built from the spelled-out strings
    /// that the published vectors pin.
    #[test]
    fn streamed_authorization_equals_the_spelled_out_one(
        headers in canonical_headers(),
        lower in any::<bool>(),
        body in prop::option::of(prop::collection::vec(any::<u8>(), 0..200)),
        query in "[a-zA-Z0-9=&%.]{0,30}",
        timestamp in -100_000_000i64..300_000_000_000,
        secret_key in "\\PC{0,90}",
    ) {
        use tco_sign::tc3::{self, CanonicalInput, Payload, SigningKey, ValueCase};
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let input = CanonicalInput {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            payload: body.as_deref().map_or(Payload::Unsigned, Payload::Bytes),
            value_case: if lower { ValueCase::Lower } else { ValueCase::AsSent },
        };
        let key = SigningKey::derive(&secret_key, &tco_sign::utc_date(timestamp), SERVICE);
        let spelled = tc3::sign_with_key(&input, timestamp, SERVICE, "AKIDprop", &key);
        prop_assert_eq!(
            tc3::authorization_with_key(&input, timestamp, SERVICE, "AKIDprop", &key),
            spelled.authorization
        );
    }
}
