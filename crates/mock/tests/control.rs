//! The control side: journal, admin surface, faults, the standalone server.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use tco_mock::Algorithm;
use tco_mock::Config;
use tco_mock::FaultRule;
use tco_sign::{HttpMethod, SignMethod};

fn describe() -> CallSpec {
    call("DescribeOrganization", V2021)
}

async fn admin(
    h: &Harness,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = h
        .http
        .request(method, format!("{}/_mock/{path}", h.mock.uri()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_journal_records_each_call_without_secrets() {
    let h = Harness::new().await;
    h.call(&describe().region("ap-guangzhou")).await;
    h.call(&describe().signed_with(SignMethod::HmacSha256, HttpMethod::Post))
        .await;
    h.call(&call("Nope", V2021)).await;
    let journal = h.mock.journal();
    assert_eq!(journal.len(), 3);
    let first = &journal[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.action, "DescribeOrganization");
    assert_eq!(first.version, V2021);
    assert_eq!(first.region, "ap-guangzhou");
    assert_eq!(first.sign_method, "TC3-HMAC-SHA256");
    assert_eq!(first.secret_id, h.mock.default_credentials().secret_id());
    assert_eq!(first.at_millis, T0 * 1000);
    assert_eq!(journal[1].sign_method, "HmacSHA256");
    assert_eq!(journal[2].status, "InvalidAction");

    let (status, body) = admin(&h, reqwest::Method::GET, "journal?limit=2", None).await;
    assert_eq!(status, 200);
    let entries = body["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["status"], "InvalidAction");
    let text = body.to_string();
    let creds = h.mock.default_credentials();
    assert!(!text.contains(creds.secret_key()));
    assert!(!text.contains("Signature"));
    assert!(!text.contains("Authorization"));
}

#[tokio::test]
async fn the_journal_shows_the_parameters_sent() {
    let h = Harness::new().await;
    let params = json!({"OrgType": 1});
    h.call(&call("CreateOrganization", V2018).params(params.clone()))
        .await;
    let add = json!({"ParentNodeId": 100001, "Name": "team-a"});
    h.call(
        &call("AddOrganizationNode", V2018)
            .params(add.clone())
            .signed_with(SignMethod::HmacSha1, HttpMethod::Get),
    )
    .await;
    let journal = h.mock.journal();
    assert_eq!(journal[0].params, Some(params));
    assert!(!journal[0].params_truncated);
    // A v1 GET's flattened query, rebuilt into its typed shape.
    assert_eq!(journal[1].sign_method, "HmacSHA1");
    assert_eq!(journal[1].params, Some(add));

    let (_, body) = admin(&h, reqwest::Method::GET, "journal", None).await;
    assert_eq!(body["entries"][0]["params"], json!({"OrgType": 1}));
    assert_eq!(body["entries"][1]["params"]["Name"], "team-a");
    assert_eq!(body["entries"][1]["params_truncated"], false);
}

#[tokio::test]
async fn v1_journal_params_hold_no_credentials() {
    let token = "temporary-token-value";
    let account =
        tco_mock::Account::new(100_000_000_002, "AKIDWithToken", "token-key").with_token(token);
    let h = Harness::with(|b| b.account(account)).await;
    let creds = h.mock.accounts()[1].credentials();
    for http in [HttpMethod::Post, HttpMethod::Get] {
        let spec = call("CreateOrganization", V2018)
            .params(json!({"OrgType": 1}))
            .signed_with(SignMethod::HmacSha256, http);
        h.send(&h.sign(&spec, &creds)).await;
        // An action the contract does not know: the parameters are kept flat.
        let unknown = call("NoSuchThing", V2018)
            .params(json!({"Colour": "red"}))
            .signed_with(SignMethod::HmacSha1, http);
        h.send(&h.sign(&unknown, &creds)).await;
    }
    let journal = h.mock.journal();
    assert_eq!(journal.len(), 4);
    for entry in &journal {
        let params = entry.params.as_ref().expect("params");
        for common in [
            "Signature",
            "Token",
            "SecretId",
            "SignatureMethod",
            "Nonce",
            "Timestamp",
        ] {
            assert!(params.get(common).is_none(), "{common} in {params}");
        }
        assert!(entry.sign_method.starts_with("Hmac"), "{entry:?}");
    }
    assert_eq!(journal[0].params, Some(json!({"OrgType": 1})));
    assert_eq!(journal[1].status, "InvalidAction");
    assert_eq!(journal[1].params, Some(json!({"Colour": "red"})));
    let (_, body) = admin(&h, reqwest::Method::GET, "journal", None).await;
    let text = body.to_string();
    assert!(!text.contains(token));
    assert!(!text.contains("token-key"));
    assert!(!text.contains("Signature"));
}

#[tokio::test]
async fn a_refused_request_shows_the_method_it_claimed() {
    let h = Harness::new().await;
    let creds = h.mock.default_credentials();
    let wrong_key = tco_sign::Credentials::new(creds.secret_id(), "not-the-key");
    let spec = call("CreateOrganization", V2018).params(json!({"OrgType": 1}));
    h.send(&h.sign(&spec, &wrong_key)).await;
    let v1 = spec
        .clone()
        .signed_with(SignMethod::HmacSha1, HttpMethod::Post);
    h.send(&h.sign(&v1, &wrong_key)).await;
    let mut unsigned = h.sign(&spec, &creds);
    unsigned.remove_header("Authorization");
    h.send(&unsigned).await;

    let journal = h.mock.journal();
    assert_eq!(journal[0].status, "AuthFailure.SignatureFailure");
    assert_eq!(journal[0].sign_method, "TC3-HMAC-SHA256");
    assert_eq!(journal[0].params, Some(json!({"OrgType": 1})));
    assert_eq!(journal[1].status, "AuthFailure.SignatureFailure");
    assert_eq!(journal[1].sign_method, "HmacSHA1");
    assert_eq!(journal[2].status, "AuthFailure.InvalidAuthorization");
    assert_eq!(journal[2].sign_method, "");
}

#[tokio::test]
async fn large_parameters_are_left_out_of_the_journal() {
    let h = Harness::new().await;
    let name = "n".repeat(20 * 1024);
    // Over the cap both before authentication (skipped) and after (measured).
    h.call(&call("AddOrganizationNode", V2018).params(json!({"ParentNodeId": 1, "Name": name})))
        .await;
    let wrong = h.sign(
        &call("AddOrganizationNode", V2018).params(json!({"ParentNodeId": 1, "Name": name})),
        &tco_sign::Credentials::new("AKIDnobody", "k"),
    );
    h.send(&wrong).await;
    for entry in h.mock.journal() {
        assert_eq!(entry.params, None, "{}", entry.status);
        assert!(entry.params_truncated, "{}", entry.status);
    }
    // An unparseable body: no parameters, and nothing was cut.
    let bad = h
        .http
        .post(h.mock.uri())
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    into_parts(bad).await;
    let last = h.mock.journal().pop().unwrap();
    assert_eq!(last.params, None);
    assert!(!last.params_truncated);
}

#[tokio::test]
async fn the_journal_is_bounded() {
    let h = Harness::with(|b| b.journal_capacity(5).rate_limit_default(1000)).await;
    for _ in 0..12 {
        h.call(&describe()).await;
    }
    assert_eq!(h.mock.journal().len(), 5);
}

#[tokio::test]
async fn health_reset_and_limits() {
    let h = Harness::with(|b| b.rate_limit("DescribeOrganization", 1)).await;
    let (status, body) = admin(&h, reqwest::Method::GET, "health", None).await;
    assert_eq!((status, body), (200, json!({"status": "ok"})));

    assert_passed(&h.code(&describe()).await);
    assert_eq!(h.code(&describe()).await, "RequestLimitExceeded");
    let (status, _) = admin(&h, reqwest::Method::POST, "reset", None).await;
    assert_eq!(status, 200);
    assert!(h.mock.journal().is_empty());
    assert_passed(&h.code(&describe()).await);

    let (_, limits) = admin(&h, reqwest::Method::GET, "limits", None).await;
    assert_eq!(limits["algorithm"], "fixed-window");
    assert_eq!(limits["actions"]["DescribeOrganization"], 1);
    assert_eq!(limits["effective"].as_array().unwrap().len(), 146);

    let change = json!({"default": 2, "actions": {"DescribeOrganization": null}});
    let (status, limits) = admin(&h, reqwest::Method::PUT, "limits", Some(change)).await;
    assert_eq!(status, 200, "{limits}");
    assert_eq!(limits["default"], 2);
    assert_eq!(h.mock.rate_limits().default, Some(2));
    assert!(h.mock.rate_limits().actions.is_empty());
    assert_passed(&h.code(&describe()).await);
    assert_passed(&h.code(&describe()).await);
    assert_eq!(h.code(&describe()).await, "RequestLimitExceeded");

    let bucket = json!({"algorithm": "token-bucket", "burst": 1});
    let (status, limits) = admin(&h, reqwest::Method::PUT, "limits", Some(bucket)).await;
    assert_eq!(
        (status, limits["algorithm"].clone(), limits["burst"].clone()),
        (200, json!("token-bucket"), json!(1))
    );

    for bad in [
        json!({"actions": {"NoSuchAction": 1}}),
        json!({"default": -1}),
        json!({"colour": 1}),
        json!({"burst": 3}),
        json!({"algorithm": "leaky"}),
        json!([1]),
    ] {
        let (status, body) = admin(&h, reqwest::Method::PUT, "limits", Some(bad.clone())).await;
        assert_eq!(status, 400, "{bad}");
        assert!(body["error"].is_string());
    }
    let (status, _) = admin(&h, reqwest::Method::GET, "nothing-here", None).await;
    assert_eq!(status, 404);
}

/// A body that is not JSON is refused with the surface's own answer (400, one line saying
/// what the body should have been, with serde_json's "at line L column C"), on every route
/// that reads one; a body without `Content-Type` is read as JSON (curl and scripts often send
/// none); an override id that is not a number names no override (404).
#[tokio::test]
async fn malformed_admin_bodies_are_named_and_change_nothing() {
    let h = Harness::new().await;
    let url = |path: &str| format!("{}/_mock/{path}", h.mock.uri());
    for (method, path, opening) in [
        (reqwest::Method::PUT, "limits", "not JSON: "),
        (reqwest::Method::POST, "overrides", "not an override: "),
        (reqwest::Method::PUT, "tasks", ""),
        (reqwest::Method::PUT, "state", ""),
    ] {
        let response = h
            .http
            .request(method, url(path))
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "{path}");
        let body: Value = response.json().await.unwrap();
        let message = body["error"].as_str().unwrap();
        assert!(message.starts_with(opening), "{path}: {message}");
        assert!(message.contains("line 1 column 2"), "{path}: {message}");
        assert!(!message.contains('\n'), "{path}: {message}");
    }
    let (_, limits) = admin(&h, reqwest::Method::GET, "limits", None).await;
    assert_eq!(limits["default"], Value::Null);
    let (_, overrides) = admin(&h, reqwest::Method::GET, "overrides", None).await;
    assert_eq!(overrides["overrides"], json!([]));

    let response = h
        .http
        .put(url("limits"))
        .body(r#"{"default": 3}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(h.mock.rate_limits().default, Some(3));

    let (status, body) = admin(&h, reqwest::Method::DELETE, "overrides/first", None).await;
    assert_eq!(
        (status, body),
        (404, json!({"error": "no override with that id"}))
    );
    let (status, body) = admin(&h, reqwest::Method::GET, "journal?limit=many", None).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        r#"limit must be a non-negative integer, not "many""#
    );
}

/// A page open in a browser on the same machine must not reach the admin surface: a
/// cross-origin `text/plain` POST (no preflight) or any request a browser marks as its own.
#[tokio::test]
async fn the_admin_surface_refuses_browser_requests_on_every_route() {
    let h = Harness::new().await;
    assert_passed(&h.code(&call("CreateOrganization", V2021)).await);
    let routes = [
        (reqwest::Method::POST, "reset"),
        (reqwest::Method::GET, "health"),
        (reqwest::Method::GET, "journal"),
        (reqwest::Method::GET, "limits"),
        (reqwest::Method::PUT, "limits"),
        (reqwest::Method::GET, "no-such-route"),
    ];
    let browser_headers = [
        ("Origin", "https://evil.example"),
        ("Origin", "null"),
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Mode", "no-cors"),
    ];
    for (method, path) in routes {
        for (name, value) in browser_headers {
            let response = h
                .http
                .request(method.clone(), format!("{}/_mock/{path}", h.mock.uri()))
                .header(name, value)
                .header("content-type", "text/plain")
                .body(r#"{"default": 0}"#)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{method} {path} with {name}");
            let body: Value = response.json().await.unwrap();
            assert!(
                body["error"].as_str().unwrap().contains("browser"),
                "{body}"
            );
        }
    }
    // Nothing was reset or changed; the same requests without the browser's headers work.
    assert!(!h.mock.journal().is_empty());
    assert_eq!(h.mock.rate_limits().default, None);
    let (status, _) = admin(&h, reqwest::Method::POST, "reset", None).await;
    assert_eq!(status, 200);
    assert!(h.mock.journal().is_empty());
}

#[tokio::test]
async fn in_process_controls() {
    let h = Harness::with(|b| b.algorithm(Algorithm::SlidingWindow)).await;
    h.mock.set_rate_limit_default(Some(1));
    assert_passed(&h.code(&describe()).await);
    assert_eq!(h.code(&describe()).await, "RequestLimitExceeded");
    // Sliding: 999 ms later (a new calendar second) is still within the window.
    h.clock.advance(Duration::from_millis(999));
    assert_eq!(h.code(&describe()).await, "RequestLimitExceeded");
    h.mock.set_algorithm(Algorithm::FixedWindow);
    assert_passed(&h.code(&describe()).await);
    h.mock.reset();
    assert!(h.mock.journal().is_empty());
}

/// A standalone mock on all interfaces, reached over loopback.
async fn standalone(
    config: Config,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(tco_mock::serve(listener, config, async move {
        let _ = stopped.await;
    }));
    (format!("http://127.0.0.1:{port}"), stop, task)
}

#[tokio::test]
async fn off_loopback_the_admin_surface_needs_its_token() {
    let http = reqwest::Client::new();
    let config = Config::from_toml("[admin]\ntoken = \"let-me-in\"").unwrap();
    let (uri, stop, task) = standalone(config).await;
    let health = format!("{uri}/_mock/health");
    assert_eq!(http.get(&health).send().await.unwrap().status(), 401);
    let wrong = http
        .get(&health)
        .header("X-Mock-Admin-Token", "guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = http
        .get(&health)
        .header("X-Mock-Admin-Token", "let-me-in")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    let reset = http
        .post(format!("{uri}/_mock/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 401);
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();

    let (uri, stop, task) = standalone(Config::default()).await;
    let disabled = http
        .get(format!("{uri}/_mock/health"))
        .header("X-Mock-Admin-Token", "anything")
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 404);
    // The API itself still answers.
    let api = http
        .post(&uri)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    let (status, ct, body) = into_parts(api).await;
    assert_eq!(
        assert_envelope(status, &ct, &body),
        "AuthFailure.InvalidAuthorization"
    );
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn serve_refuses_an_invalid_config() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = Config::default();
    config
        .faults
        .push(FaultRule::new("NoSuchAction").error("InternalError"));
    let err = tco_mock::serve(listener, config, std::future::ready(()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("NoSuchAction"));
}

#[tokio::test]
async fn an_error_fault_answers_its_code_and_changes_nothing() {
    let h = Harness::with(|b| b.fault(FaultRule::new("CreateOrganization").error("InternalError")))
        .await;
    let create = call("CreateOrganization", V2021);
    let response = h.call(&create).await;
    assert_eq!(code_of(&response), "InternalError");
    assert!(response["Error"]["Message"]
        .as_str()
        .unwrap()
        .contains("fault"));
    // Other actions are unaffected; with the rule gone, the create goes through.
    assert_passed(&h.code(&describe()).await);
    h.mock.set_faults(vec![]);
    assert_eq!(h.code(&create).await, "OK");
}

#[tokio::test]
async fn a_latency_fault_delays_the_answer() {
    let rule = FaultRule::new("DescribeOrganization").latency(Duration::from_millis(300));
    let h = Harness::with(|b| b.fault(rule)).await;
    let started = Instant::now();
    assert_passed(&h.code(&describe()).await);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_drop_fault_closes_the_connection_without_an_answer() {
    let h =
        Harness::with(|b| b.fault(FaultRule::new("DescribeOrganization").drop_connection())).await;
    let signed = h.sign(&describe(), &h.mock.default_credentials());
    let request = h.request(&signed);
    let result = tokio::time::timeout(Duration::from_secs(5), request.send()).await;
    let error = result.expect("no hang").expect_err("no answer");
    assert!(
        error.is_request() || error.is_connect() || error.to_string().contains("closed"),
        "{error}"
    );
    assert_eq!(h.mock.journal()[0].status, "ConnectionDropped");
    // The mock itself is fine.
    h.mock.set_faults(vec![]);
    assert_passed(&h.code(&describe()).await);
}

#[tokio::test]
async fn seeded_faults_repeat() {
    async fn run(seed: u64) -> Vec<String> {
        let rule = FaultRule::new("DescribeOrganization")
            .probability(0.5)
            .error("InternalError");
        let h = Harness::with(|b| b.fault(rule).fault_seed(seed).rate_limit_default(1000)).await;
        let mut codes = Vec::new();
        for _ in 0..20 {
            codes.push(h.code(&describe()).await);
        }
        codes
    }
    let a = run(9).await;
    assert_eq!(a, run(9).await);
    let faulted = a.iter().filter(|c| *c == "InternalError").count();
    assert!((3..=17).contains(&faulted), "{a:?}");
}

#[tokio::test]
async fn the_server_stops_on_shutdown() {
    let h = Harness::new().await;
    let addr = h.mock.address();
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
    // `shutdown` returns once the accept loop has ended and the listener is closed.
    h.mock.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn the_server_stops_when_dropped() {
    let h = Harness::new().await;
    let addr = h.mock.address();
    drop(h);
    // Dropping signals the server task, which closes the listener on its own schedule: retry
    // until a connection is refused, bounded by a timeout rather than a guessed sleep.
    let refused = tokio::time::timeout(Duration::from_secs(5), async {
        while tokio::net::TcpStream::connect(addr).await.is_ok() {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(
        refused.is_ok(),
        "the listener still accepts 5 s after the drop"
    );
}
