//! Whatever arrives, the answer is the envelope: HTTP 200, JSON, a RequestId; never a panic,
//! a bare 500 or a hung connection.

mod common;

use std::sync::OnceLock;

use common::*;
use proptest::prelude::*;
use serde_json::json;

async fn answer(h: &Harness, body: &[u8]) -> String {
    let signed = signed_body(h, "CreateOrganization", V2018, body);
    let (status, ct, value) = h.send(&signed).await;
    assert_envelope(status, &ct, &value)
}

#[tokio::test]
async fn signed_garbage_bodies_get_invalid_request() {
    let h = Harness::new().await;
    let deep_array = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid UTF-8", b"{\"OrgType\": \"\xff\xfe\"}".to_vec()),
        ("truncated", b"{\"OrgType\": 1".to_vec()),
        ("deep array", deep_array.into_bytes()),
        ("deep object", deep_object.into_bytes()),
        ("number beyond f64", b"{\"OrgType\": 1e400}".to_vec()),
        ("not an object", b"[1, 2, 3]".to_vec()),
        ("a string", b"\"OrgType\"".to_vec()),
        ("trailing garbage", b"{} {}".to_vec()),
        ("NUL bytes", b"\0\0\0".to_vec()),
    ];
    for (name, body) in cases {
        assert_eq!(answer(&h, &body).await, "InvalidRequest", "{name}");
    }
}

#[tokio::test]
async fn huge_integers_are_a_wrong_type() {
    let h = Harness::new().await;
    let code = answer(&h, b"{\"OrgType\": 123456789012345678901234567890}").await;
    assert_eq!(code, "InvalidParameter");
    let code = answer(&h, b"{\"OrgType\": 18446744073709551616}").await;
    assert_eq!(code, "InvalidParameter");
}

#[tokio::test]
async fn deeply_nested_parameters_in_a_valid_document() {
    let h = Harness::new().await;
    // 100 levels: valid JSON (under serde_json's limit), wrong for the shape.
    let mut value = json!(1);
    for _ in 0..100 {
        value = json!({ "a": value });
    }
    let body = serde_json::to_vec(&json!({"OrgType": value})).unwrap();
    assert_eq!(answer(&h, &body).await, "InvalidParameter");
}

#[tokio::test]
async fn unsigned_garbage_is_refused_with_the_envelope() {
    let h = Harness::new().await;
    for body in [&b"\xff\xff\xff"[..], b"{", b"", b"Action=X&&&==&%zz"] {
        for ct in ["application/json", "application/x-www-form-urlencoded"] {
            let response = h
                .http
                .post(h.mock.uri())
                .header("content-type", ct)
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            let (status, ct, value) = into_parts(response).await;
            assert_envelope(status, &ct, &value);
        }
    }
    let response = h
        .http
        .get(format!("{}/?%ff%fe=%zz&Action", h.mock.uri()))
        .send()
        .await
        .unwrap();
    let (status, ct, value) = into_parts(response).await;
    assert_envelope(status, &ct, &value);
}

#[tokio::test]
async fn a_body_shorter_than_announced_is_answered_then_closed() {
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let h = Harness::with(|b| b.body_timeout(Duration::from_millis(200))).await;
    let mut stream = tokio::net::TcpStream::connect(h.mock.address())
        .await
        .unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        h.mock.host()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(br#"{"a":1"#).await.unwrap();
    // The rest never comes. The bound is on the read: the mock must answer and close well
    // within it (read_to_end returns only once the connection is closed).
    let mut received = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received))
        .await
        .expect("the mock answers and closes instead of waiting for the body")
        .unwrap();
    let text = String::from_utf8(received).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a whole response");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    let value: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(
        value["Response"]["Error"]["Code"], "InvalidRequest",
        "{value}"
    );
    let message = value["Response"]["Error"]["Message"].as_str().unwrap();
    assert!(message.contains("did not arrive in time"), "{message}");
    assert!(value["Response"]["RequestId"].is_string());
    assert_eq!(h.mock.journal()[0].status, "InvalidRequest");
}

/// One mock and runtime shared by the property cases.
fn shared() -> &'static (tokio::runtime::Runtime, Harness) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, Harness)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let harness = runtime.block_on(Harness::with(|b| b.rate_limit_default(1_000_000)));
        (runtime, harness)
    })
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".*".prop_map(serde_json::Value::from),
        prop_oneof![Just("OrgType"), Just("Offset"), Just("Limit"), Just("Tags")]
            .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("OrgType".to_string()),
                    Just("Offset".to_string()),
                    Just("Limit".to_string()),
                    Just("Tags".to_string()),
                    "[A-Za-z]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_get_the_envelope(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let (runtime, h) = shared();
        runtime.block_on(async {
            let _ = answer(h, &body).await;
        });
    }

    #[test]
    fn arbitrary_json_gets_the_envelope(value in arbitrary_json()) {
        let (runtime, h) = shared();
        let body = serde_json::to_vec(&value).unwrap();
        runtime.block_on(async {
            for (action, version) in [
                ("CreateOrganization", V2018),
                ("DescribeOrganizationMembers", V2021),
                ("AddOrganizationNode", V2021),
            ] {
                let signed = signed_body(h, action, version, &body);
                let (status, ct, response) = h.send(&signed).await;
                assert_envelope(status, &ct, &response);
            }
        });
    }

    #[test]
    fn arbitrary_forms_get_the_envelope(pairs in prop::collection::vec(("[A-Za-z0-9.]{0,12}", ".{0,12}"), 0..12)) {
        let (runtime, h) = shared();
        let body = tco_sign::params::urlencode(&pairs);
        runtime.block_on(async {
            let response = h.http.post(h.mock.uri())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send().await.unwrap();
            let (status, ct, value) = into_parts(response).await;
            assert_envelope(status, &ct, &value);
        });
    }
}
