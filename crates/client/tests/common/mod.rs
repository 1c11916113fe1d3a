//! Shared by the client's wiremock tests: the verifying matcher (tco-test-support's
//! [`Verified`]) for the test credentials, canned envelopes, and a redacted view of received requests.

#![allow(dead_code)]

use serde_json::{json, Value};
use tco_client::{Client, ClientBuilder, Credentials, ManualClock, Profile, RetryPolicy};
pub use tco_test_support::Verified;
use wiremock::Request;

/// A fixed instant: 2023-11-14T22:13:20Z.
pub const NOW: i64 = 1_700_000_000;

pub fn creds() -> Credentials {
    Credentials::new("AKIDclienttest", "client-test-secret-key").with_token("client-test-token")
}

/// The shared verifying matcher, for the test credentials at `clock`'s time.
pub fn verified(clock: &ManualClock) -> Verified {
    Verified::new(vec![creds()], clock.clone())
}

/// A client for `server` with the test credentials, a manual clock and sleeper, a pinned
/// nonce, and the given profile tweaks.
pub fn builder(uri: &str, clock: &ManualClock, profile: Profile) -> ClientBuilder {
    Client::builder()
        .profile(profile.with_endpoint(uri))
        .credentials(creds())
        .clock(clock.clone())
        .sleeper(clock.clone())
        .nonce_source(|| 424_242)
        .retry(RetryPolicy::default().with_jitter(false))
}

pub fn success(fields: Value) -> Value {
    let mut response = fields;
    response["RequestId"] = json!("6e3a1f6c-0000-4000-8000-00000000aaaa");
    json!({ "Response": response })
}

pub fn api_error(code: &str, message: &str) -> Value {
    json!({"Response": {
        "Error": {"Code": code, "Message": message},
        "RequestId": "6e3a1f6c-0000-4000-8000-00000000eeee"
    }})
}

/// A received request as JSON, secrets redacted: the signature (kept: its algorithm,
/// credential scope and signed headers), the token; the server's random port too.
pub fn redacted(request: &Request) -> Value {
    let is_form = request.headers.get("content-type").is_some_and(|v| {
        v.to_str()
            .unwrap_or("")
            .starts_with("application/x-www-form-urlencoded")
    });
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        // Whether reqwest asks for gzip depends on which crates of the workspace are built
        // alongside (goose turns the feature on); it is transport, not the API request.
        .filter(|(n, _)| n.as_str() != "accept-encoding")
        .map(|(n, v)| {
            let name = n.as_str().to_owned();
            let value = v.to_str().unwrap_or("").to_owned();
            let value = match name.as_str() {
                "authorization" => redact_signature(&value),
                "x-tc-token" => "<redacted>".to_owned(),
                // A v1 form's length moves with its (redacted) signature's encoding.
                "content-length" if is_form => "<redacted>".to_owned(),
                "host" => match value.rsplit_once(':') {
                    Some((host, _)) => format!("{host}:PORT"),
                    None => value,
                },
                _ => value,
            };
            (name, value)
        })
        .collect();
    headers.sort();
    let query = request.url.query().map(redact_form);
    let body = String::from_utf8_lossy(&request.body).into_owned();
    let body = if is_form { redact_form(&body) } else { body };
    json!({
        "method": request.method.as_str(),
        "path": request.url.path(),
        "query": query,
        "headers": headers.into_iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "body": body,
    })
}

fn redact_signature(authorization: &str) -> String {
    match authorization.split_once("Signature=") {
        Some((head, _)) => format!("{head}Signature=<redacted>"),
        None => "<redacted>".to_owned(),
    }
}

fn redact_form(form: &str) -> String {
    form.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == "Signature" || k == "Token" => format!("{k}=<redacted>"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// insta settings: snapshots in the workspace's top-level `snapshots/`.
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../../../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_json_snapshot!($name, $value);
        })
    };
}

/// A port nothing listens on.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}
