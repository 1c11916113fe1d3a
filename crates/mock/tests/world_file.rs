//! Seed, keep, restore: a seeded mock, the state file across restarts, and the admin
//! surface's export and import.

mod common;

use common::*;
use serde_json::{json, Value};
use tco_mock::{Format, WorldDoc};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/world.toml");

async fn admin(
    h: &Harness,
    method: reqwest::Method,
    path: &str,
    body: Option<String>,
) -> (u16, Value) {
    let mut request = h
        .http
        .request(method, format!("{}/_mock/{path}", h.mock.uri()));
    if let Some(body) = body {
        request = request.body(body);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The units of the caller's organization, as (ID, name).
async fn units(h: &Harness) -> Vec<(u64, String)> {
    let answer = h
        .call(&call("DescribeOrganizationNodes", V2021).params(json!({"Limit": 50, "Offset": 0})))
        .await;
    answer["Items"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|n| {
            (
                n["NodeId"].as_u64().unwrap(),
                n["Name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn add_unit(h: &Harness, parent: u64, name: &str) -> u64 {
    let answer = h
        .call(
            &call("AddOrganizationNode", V2021)
                .params(json!({"ParentNodeId": parent, "Name": name})),
        )
        .await;
    answer["NodeId"]
        .as_u64()
        .unwrap_or_else(|| panic!("{answer}"))
}

fn seeded_units() -> Vec<(u64, String)> {
    [
        (100001, "Root"),
        (100002, "engineering"),
        (100003, "platform"),
        (100004, "finance"),
    ]
    .into_iter()
    .map(|(id, name)| (id, name.to_owned()))
    .collect()
}

#[tokio::test]
async fn a_seeded_mock_answers_from_the_seed_and_a_reset_returns_to_it() {
    let h = Harness::with(|b| b.seed_file(EXAMPLE)).await;
    assert_eq!(units(&h).await, seeded_units());
    assert_eq!(add_unit(&h, 100001, "more").await, 100005);
    assert_eq!(units(&h).await.len(), 5);

    let (status, _) = admin(&h, reqwest::Method::POST, "reset", None).await;
    assert_eq!(status, 200);
    assert_eq!(units(&h).await, seeded_units());
    add_unit(&h, 100001, "more").await;
    h.mock.reset();
    assert_eq!(units(&h).await, seeded_units());
}

#[tokio::test]
async fn the_admin_surface_exports_and_imports_the_world() {
    let h = Harness::with(|b| b.seed_file(EXAMPLE)).await;
    let (status, exported) = admin(&h, reqwest::Method::GET, "state", None).await;
    assert_eq!(status, 200);
    assert_eq!(exported["version"], 1);
    assert_eq!(
        exported["orgs"]["10001"]["nodes"]["100003"]["name"],
        "platform"
    );

    add_unit(&h, 100001, "temporary").await;
    let (status, _) = admin(
        &h,
        reqwest::Method::PUT,
        "state",
        Some(exported.to_string()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(units(&h).await, seeded_units());
    assert_eq!(h.mock.export_state().to_value(), exported);

    // Invalid documents change nothing and say where they are wrong, in one line.
    let mut broken = exported.clone();
    broken["orgs"]["10001"]["members"]["200000000001"]["node"] = json!(7);
    for (body, place) in [
        (broken.to_string(), "orgs.10001.members.200000000001.node"),
        (json!({"version": 2}).to_string(), "version"),
        ("{\"version\": 1,".to_owned(), "line 1"),
    ] {
        let (status, answer) = admin(&h, reqwest::Method::PUT, "state", Some(body)).await;
        assert_eq!(status, 400);
        let message = answer["error"].as_str().unwrap();
        assert!(message.starts_with(place), "{message}");
        assert!(!message.contains('\n'));
        assert_eq!(h.mock.export_state().to_value(), exported);
    }
}

#[tokio::test]
async fn in_process_export_and_import() {
    let h = Harness::with(|b| b.seed_file(EXAMPLE)).await;
    let saved = h.mock.export_state();
    add_unit(&h, 100001, "temporary").await;
    let text = saved.to_text(Format::Toml).unwrap();
    h.mock
        .import_state(&WorldDoc::parse(&text, Format::Toml).unwrap());
    assert_eq!(units(&h).await, seeded_units());
}

#[tokio::test]
async fn the_state_file_keeps_a_world_built_through_the_api_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let first = Harness::with(|b| b.state_file(&state)).await;
    first.call(&call("CreateOrganization", V2021)).await;
    let root = units(&first).await[0].0;
    let kept = add_unit(&first, root, "kept").await;
    first.mock.shutdown().await;
    assert!(state.exists());

    let second = Harness::with(|b| b.state_file(&state)).await;
    assert_eq!(
        units(&second).await,
        vec![(root, "Root".to_owned()), (kept, "kept".to_owned())]
    );
    // IDs go on from where the first run stopped.
    assert_eq!(add_unit(&second, root, "next").await, kept + 1);
    drop(second);
    let saved = WorldDoc::load(&state).unwrap().to_value();
    assert_eq!(saved["orgs"].as_object().unwrap().len(), 1);
    let names: Vec<&str> = saved["orgs"].as_object().unwrap().values().next().unwrap()["nodes"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Root", "kept", "next"]);
}

#[tokio::test]
#[should_panic(expected = "invalid mock world: ")]
async fn an_unreadable_state_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    std::fs::write(&state, "{\"version\": 1, \"orgs\": ").unwrap();
    Harness::with(|b| b.state_file(&state)).await;
}
