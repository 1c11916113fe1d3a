//! Per-test overrides, expectations and journal queries, in process and through the admin
//! surface, over real signed HTTP.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use tco_mock::{MockServer, Override};
use tco_sign::{Credentials, HttpMethod, SignMethod};

fn describe() -> CallSpec {
    call("DescribeOrganization", V2021)
}

fn create() -> CallSpec {
    call("CreateOrganization", V2021)
}

/// The panic message of `f`, which must panic.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn request_id(response: &Value) -> &str {
    response["RequestId"].as_str().expect("a RequestId")
}

#[tokio::test]
async fn an_override_answers_with_the_given_body_and_a_fresh_request_id() {
    let h = Harness::new().await;
    Override::on("DescribeOrganization")
        .respond_with(json!({"OrgId": 45155, "HostUin": 100000000001u64, "RequestId": "stale"}))
        .mount(&h.mock);
    let first = h.call(&describe()).await;
    assert_eq!(first["OrgId"], 45155);
    assert_eq!(first["HostUin"], 100000000001u64);
    let second = h.call(&describe()).await;
    assert_ne!(request_id(&first), "stale");
    assert_ne!(request_id(&first), request_id(&second));
    // A whole envelope is taken too.
    Override::on("CreateOrganization")
        .respond_with(json!({"Response": {"OrgId": 7}}))
        .mount(&h.mock);
    assert_eq!(h.call(&create()).await["OrgId"], 7);
}

#[tokio::test]
async fn an_override_answers_with_the_given_error_in_the_envelope() {
    let h = Harness::new().await;
    Override::on("CreateOrganization")
        .respond_with_error("FailedOperation.Example", "Told to fail by the test.")
        .mount(&h.mock);
    let signed = h.sign(&create(), &h.mock.default_credentials());
    let (status, content_type, body) = h.send(&signed).await;
    assert_eq!(
        assert_envelope(status, &content_type, &body),
        "FailedOperation.Example"
    );
    assert_eq!(
        body["Response"]["Error"]["Message"],
        "Told to fail by the test."
    );
    // Without a message: the code's documented one.
    Override::on("DescribeOrganization")
        .respond_with_error("ResourceNotFound.OrganizationNotExist", "")
        .mount(&h.mock);
    let response = h.call(&describe()).await;
    assert_eq!(
        response["Error"]["Code"],
        "ResourceNotFound.OrganizationNotExist"
    );
    assert!(!response["Error"]["Message"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn the_next_n_calls_are_overridden_then_the_state_answers() {
    let h = Harness::new().await;
    Override::on("CreateOrganization")
        .respond_with_error("InternalError", "Injected.")
        .times(2)
        .mount(&h.mock);
    assert_eq!(h.code(&create()).await, "InternalError");
    assert_eq!(h.code(&create()).await, "InternalError");
    // The overridden calls changed nothing: the first real create succeeds…
    let created = h.call(&create()).await;
    assert!(created["OrgId"].is_u64(), "{created}");
    // …and the organization it made is the one the state describes.
    assert_eq!(h.call(&describe()).await["OrgId"], created["OrgId"]);
}

#[tokio::test]
async fn an_override_can_match_on_a_subset_of_the_parameters() {
    let h = Harness::new().await;
    h.call(&create()).await;
    Override::on("DescribeOrganization")
        .with_params(json!({"Lang": "zh"}))
        .respond_with(json!({"OrgId": 1}))
        .mount(&h.mock);
    let zh = h
        .call(&describe().params(json!({"Lang": "zh", "Product": "x"})))
        .await;
    assert_eq!(zh["OrgId"], 1);
    let en = h.call(&describe().params(json!({"Lang": "en"}))).await;
    assert_ne!(en["OrgId"], 1, "{en}");
    assert!(en["OrgId"].is_u64(), "{en}");
    // The same match from a v1 form, rebuilt into parameters.
    let form = describe()
        .params(json!({"Lang": "zh"}))
        .signed_with(SignMethod::HmacSha256, HttpMethod::Post);
    assert_eq!(h.call(&form).await["OrgId"], 1);
}

#[tokio::test]
async fn the_newest_override_wins_and_a_scoped_one_goes_with_its_guard() {
    let h = Harness::new().await;
    Override::on("DescribeOrganization")
        .respond_with(json!({"OrgId": 1}))
        .mount(&h.mock);
    let guard = Override::on("DescribeOrganization")
        .respond_with(json!({"OrgId": 2}))
        .mount_as_scoped(&h.mock);
    assert_eq!(h.call(&describe()).await["OrgId"], 2);
    assert_eq!(guard.hits(), 1);
    drop(guard);
    assert_eq!(h.call(&describe()).await["OrgId"], 1);
}

#[tokio::test]
async fn a_delay_holds_the_answer_and_then_lets_the_state_answer() {
    let h = Harness::new().await;
    h.call(&create()).await;
    Override::on("DescribeOrganization")
        .delay(Duration::from_millis(300))
        .times(1)
        .mount(&h.mock);
    let started = Instant::now();
    let response = h.call(&describe()).await;
    // A lower bound only: a busy machine makes it longer, never shorter.
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(response["OrgId"].is_u64(), "{response}");
    // A delayed body too.
    Override::on("DescribeOrganization")
        .delay(Duration::from_millis(200))
        .respond_with(json!({"OrgId": 3}))
        .mount(&h.mock);
    let started = Instant::now();
    assert_eq!(h.call(&describe()).await["OrgId"], 3);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn a_request_must_still_pass_the_gate_and_refused_ones_do_not_count() {
    let h = Harness::new().await;
    let guard = Override::on("DescribeOrganization")
        .respond_with(json!({"OrgId": 9}))
        .mount_as_scoped(&h.mock);
    let wrong = Credentials::new(h.mock.default_credentials().secret_id(), "wrong-key");
    let signed = h.sign(&describe(), &wrong);
    let (_, _, body) = h.send(&signed).await;
    assert_eq!(code_of(&body["Response"]), "AuthFailure.SignatureFailure");
    // Parameters are still checked against the contract.
    let bad = h.code(&describe().params(json!({"Lang": 5}))).await;
    assert_eq!(bad, "InvalidParameter");
    assert_eq!(guard.hits(), 0);
}

#[tokio::test]
async fn a_met_expectation_is_silent() {
    let h = Harness::new().await;
    let guard = Override::on("CreateOrganization")
        .expect(1)
        .mount_as_scoped(&h.mock);
    Override::on("DescribeOrganization")
        .expect(2..=3)
        .mount(&h.mock);
    h.call(&create()).await;
    h.call(&describe()).await;
    h.call(&describe()).await;
    drop(guard);
    h.mock.verify();
}

#[tokio::test]
async fn an_unmet_scoped_expectation_panics_naming_action_expected_and_actual() {
    let h = Harness::new().await;
    let guard = Override::on("CreateOrganization")
        .expect(2)
        .mount_as_scoped(&h.mock);
    h.call(&create()).await;
    let message = panic_message(|| drop(guard));
    assert!(
        message.contains(
            "CreateOrganization was expected to be called exactly 2 times, and was called 1 time"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn verify_panics_on_a_range_not_met() {
    let h = Harness::new().await;
    Override::on("DescribeOrganization")
        .with_params(json!({"Lang": "zh"}))
        .expect(1..)
        .named("chinese describe")
        .mount(&h.mock);
    h.call(&describe().params(json!({"Lang": "en"}))).await;
    let message = panic_message(|| h.mock.verify());
    assert!(
        message.contains(r#"DescribeOrganization with params {"Lang":"zh"} (override "chinese describe") was expected to be called at least 1 time, and was called 0 times"#),
        "{message}"
    );
    // Met now; the server's own check at drop passes.
    h.call(&describe().params(json!({"Lang": "zh"}))).await;
    h.mock.verify();
}

#[tokio::test]
#[should_panic(
    expected = "DeletePolicy was expected to be called exactly 1 time, and was called 0 times"
)]
async fn dropping_the_server_checks_its_expectations() {
    let mock = MockServer::start().await;
    Override::on("DeletePolicy").expect(1).mount(&mock);
    drop(mock);
}

#[tokio::test]
async fn an_invalid_override_is_refused_when_mounted() {
    let mock = MockServer::start().await;
    let message = panic_message(|| Override::on("DescribeOrganisation").mount(&mock));
    assert!(
        message.contains("\"DescribeOrganisation\" is not an action"),
        "{message}"
    );
}

#[tokio::test]
async fn received_lists_the_calls_of_an_action_in_order_with_params_and_no_secrets() {
    let h = Harness::new().await;
    h.call(&create()).await;
    for id in [11, 12] {
        h.call(&call("DescribePolicy", V2021).params(json!({"PolicyId": id})))
            .await;
    }
    let v1 = call("DescribePolicy", V2021)
        .params(json!({"PolicyId": 13}))
        .signed_with(SignMethod::HmacSha1, HttpMethod::Get);
    h.call(&v1).await;
    let received = h.mock.received("DescribePolicy");
    let ids: Vec<&Value> = received
        .iter()
        .map(|e| &e.params.as_ref().expect("params")["PolicyId"])
        .collect();
    assert_eq!(ids, [&json!(11), &json!(12), &json!(13)]);
    assert_eq!(h.mock.received("CreateOrganization").len(), 1);
    assert!(h.mock.received("DeletePolicy").is_empty());
    let text = serde_json::to_string(&received).unwrap();
    let key = h.mock.default_credentials().secret_key().to_string();
    for secret in [key.as_str(), "Signature", "TC3-HMAC-SHA256 Credential"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
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
async fn overrides_through_the_admin_surface() {
    use reqwest::Method;
    let h = Harness::new().await;
    let (status, added) = admin(
        &h,
        Method::POST,
        "overrides",
        Some(json!({
            "action": "CreateOrganization",
            "error": {"code": "InternalError", "message": "From the admin surface."},
            "times": 1,
            "expect": 2,
        })),
    )
    .await;
    assert_eq!(status, 201, "{added}");
    let id = added["id"].as_u64().unwrap();
    let failed = h.call(&create()).await;
    assert_eq!(failed["Error"]["Message"], "From the admin surface.");
    let (_, listed) = admin(&h, Method::GET, "overrides", None).await;
    assert_eq!(listed["overrides"][0]["hits"], 1);
    assert_eq!(listed["overrides"][0]["satisfied"], false);
    assert_eq!(
        listed["unmet"],
        json!([
            "CreateOrganization was expected to be called exactly 2 times, and was called 1 time"
        ])
    );
    // Next-N spent: the state answers.
    assert!(h.call(&create()).await["OrgId"].is_u64());
    let (status, body) = admin(
        &h,
        Method::POST,
        "overrides",
        Some(json!({"action": "DescribeOrganization", "params": {"Lang": "zh"}, "response": {"OrgId": 5}, "expect": {"min": 1}})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        h.call(&describe().params(json!({"Lang": "zh"}))).await["OrgId"],
        5
    );
    let (status, one) = admin(&h, Method::DELETE, &format!("overrides/{id}"), None).await;
    assert_eq!(
        (status, one["hits"].clone(), one["satisfied"].clone()),
        (200, json!(2), json!(true))
    );
    let (status, _) = admin(&h, Method::DELETE, &format!("overrides/{id}"), None).await;
    assert_eq!(status, 404);
    let (status, cleared) = admin(&h, Method::DELETE, "overrides", None).await;
    assert_eq!(status, 200);
    assert_eq!(cleared["overrides"].as_array().unwrap().len(), 1);
    assert_eq!(cleared["unmet"], json!([]));
    let (_, listed) = admin(&h, Method::GET, "overrides", None).await;
    assert_eq!(listed["overrides"], json!([]));
}

#[tokio::test]
async fn the_admin_surface_refuses_bad_overrides_with_a_reason() {
    use reqwest::Method;
    let h = Harness::new().await;
    for (body, reason) in [
        (json!({"action": "Nope"}), "not an action"),
        (
            json!({"action": "CreateOrganization", "times": 0}),
            "times must be at least 1",
        ),
        (
            json!({"action": "CreateOrganization", "response": [1]}),
            "must be a JSON object",
        ),
        (
            json!({"action": "CreateOrganization", "response": {}, "error": {"code": "X"}}),
            "not both",
        ),
        (
            json!({"action": "CreateOrganization", "colour": 1}),
            "unknown field",
        ),
        (
            json!({"action": "CreateOrganization", "error": {"code": ""}}),
            "must not be empty",
        ),
    ] {
        let (status, answer) = admin(&h, Method::POST, "overrides", Some(body.clone())).await;
        assert_eq!(status, 400, "{body}");
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains(reason), "{body}: {message}");
    }
    let (_, listed) = admin(&h, Method::GET, "overrides", None).await;
    assert_eq!(listed["overrides"], json!([]));
}

#[tokio::test]
async fn the_admin_journal_filters_by_action() {
    use reqwest::Method;
    let h = Harness::new().await;
    h.call(&create()).await;
    for id in [21, 22, 23] {
        h.call(&call("DescribePolicy", V2021).params(json!({"PolicyId": id})))
            .await;
        h.call(&describe()).await;
    }
    let (status, body) = admin(&h, Method::GET, "journal?action=DescribePolicy", None).await;
    assert_eq!(status, 200);
    let ids: Vec<Value> = body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["params"]["PolicyId"].clone())
        .collect();
    assert_eq!(ids, [json!(21), json!(22), json!(23)]);
    let (_, newest) = admin(
        &h,
        Method::GET,
        "journal?action=DescribePolicy&limit=2",
        None,
    )
    .await;
    let ids: Vec<Value> = newest["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["params"]["PolicyId"].clone())
        .collect();
    assert_eq!(ids, [json!(22), json!(23)]);
    let (_, none) = admin(&h, Method::GET, "journal?action=DeletePolicy", None).await;
    assert_eq!(none["entries"], json!([]));
}
