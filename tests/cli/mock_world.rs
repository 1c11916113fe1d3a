//! `tco-harness mock --seed/--state` as a process: a world built through the API survives a
//! restart, a killed process leaves a readable state file, and invalid documents are refused
//! with one line and exit 2 (the state file untouched).

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tco_mock::WorldDoc;
use tco_sign::Credentials;

use crate::common::{harness, one_line_usage_error, signed_call, Cli, MockProcess, Scratch};

const SECRET_ID: &str = "AKIDclimockworld00000000000000000000";
const SECRET_KEY: &str = "cli-mock-world-secret-key";
const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/mock/examples/world.toml"
);

fn command(extra: &[&str]) -> Cli {
    harness(["mock", "--listen", "127.0.0.1:0"])
        .args(extra)
        .account(SECRET_ID, SECRET_KEY)
}

/// Starts the mock; it announces its URL.
fn start(extra: &[&str]) -> MockProcess {
    command(extra).start_mock()
}

/// A signed 2021 call as the environment's account; the `Response` object.
async fn api(url: &str, action: &str, params: Value) -> Value {
    let creds = Credentials::new(SECRET_ID, SECRET_KEY);
    let client = "cli-mock-world-test";
    let answer = signed_call(url, &creds, "2021-03-31", action, &params, client).await;
    answer["Response"].clone()
}

async fn unit_names(url: &str) -> Vec<String> {
    let answer = api(
        url,
        "DescribeOrganizationNodes",
        json!({"Limit": 50, "Offset": 0}),
    )
    .await;
    answer["Items"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|n| n["Name"].as_str().unwrap().to_owned())
        .collect()
}

/// Builds an organization with one unit named `name`; the root's ID.
async fn build_world(url: &str, name: &str) -> u64 {
    let org = api(url, "CreateOrganization", json!({})).await;
    assert!(org["OrgId"].is_u64(), "{org}");
    let root = api(
        url,
        "DescribeOrganizationNodes",
        json!({"Limit": 50, "Offset": 0}),
    )
    .await["Items"][0]["NodeId"]
        .as_u64()
        .unwrap();
    let added = api(
        url,
        "AddOrganizationNode",
        json!({"ParentNodeId": root, "Name": name}),
    )
    .await;
    assert!(added["NodeId"].is_u64(), "{added}");
    root
}

#[tokio::test]
async fn a_world_built_through_the_api_survives_a_restart() {
    let scratch = Scratch::new();
    let state = scratch.join("world.toml");
    let state_arg = state.to_str().unwrap();
    let mut first = start(&["--state", state_arg]);
    build_world(first.url(), "kept").await;
    assert_eq!(first.signal("TERM"), Some(0));
    let mut second = start(&["--state", state_arg]);
    assert_eq!(unit_names(second.url()).await, ["Root", "kept"]);
    assert_eq!(second.signal("TERM"), Some(0));
}

/// Waits until the state file holds a unit named `name`: the periodic write has happened.
fn wait_for_unit_in_file(path: &Path, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(doc) = WorldDoc::load(path) {
            if doc
                .to_value()
                .to_string()
                .contains(&format!("\"name\":\"{name}\""))
            {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the state file was never written"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn a_killed_mock_leaves_a_readable_state_file() {
    let scratch = Scratch::new();
    let state = scratch.join("world.json");
    let state_arg = state.to_str().unwrap();
    let mut first = start(&["--state", state_arg, "--state-interval-ms", "20"]);
    let url = first.url().to_owned();
    let root = build_world(&url, "before-kill").await;
    wait_for_unit_in_file(&state, "before-kill");
    // Keep the writer busy while the process dies without any chance to clean up.
    for i in 0..5 {
        api(
            &url,
            "AddOrganizationNode",
            json!({"ParentNodeId": root, "Name": format!("n{i}")}),
        )
        .await;
    }
    assert_eq!(first.signal("KILL"), None);
    let doc = WorldDoc::load(&state).unwrap_or_else(|e| panic!("{e}"));
    assert!(doc.to_value().to_string().contains("before-kill"));
    let mut second = start(&["--state", state_arg]);
    assert!(unit_names(second.url())
        .await
        .contains(&"before-kill".to_owned()));
    assert_eq!(second.signal("TERM"), Some(0));
}

#[tokio::test]
async fn a_seed_starts_the_world_and_a_reset_returns_to_it() {
    let mut mock = start(&["--seed", EXAMPLE]);
    let url = mock.url().to_owned();
    let state: Value = reqwest::get(format!("{url}/_mock/state"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["orgs"]["10001"]["nodes"]["100002"]["name"],
        "engineering"
    );
    let reset = reqwest::Client::new()
        .post(format!("{url}/_mock/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    let again: Value = reqwest::get(format!("{url}/_mock/state"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["orgs"], state["orgs"]);
    assert_eq!(mock.signal("TERM"), Some(0));
}

fn refused(extra: &[&str]) -> String {
    one_line_usage_error(&command(extra).output())
}

#[test]
fn invalid_seeds_and_unreadable_state_files_are_refused_with_one_line() {
    let scratch = Scratch::new();
    let seed = scratch.write(
        "seed.toml",
        "version = 1\n[orgs.10001]\nhost_uin = 1\nroot = 5\n[orgs.10001.nodes.5]\nname = \"Root\"\n[orgs.10001.members.7]\nname = \"m\"\nnode = 6\n",
    );
    let err = refused(&["--seed", seed.to_str().unwrap()]);
    assert!(
        err.contains("seed.toml: orgs.10001.members.7.node: unit 6 does not exist"),
        "{err}"
    );

    // An entry of the newer seed forms: a group naming a user its zone does not have.
    let zone = scratch.write(
        "zone.toml",
        "version = 1\n[orgs.10001]\nhost_uin = 1\nroot = 5\n[orgs.10001.nodes.5]\nname = \"Root\"\n[identity_center.zones.z-1]\norg_id = 10001\nname = \"a\"\n[identity_center.zones.z-1.groups.g-1]\nname = \"g\"\nmembers = { u-9 = {} }\n",
    );
    let err = refused(&["--seed", zone.to_str().unwrap()]);
    assert!(
        err.contains("zone.toml: identity_center.zones.z-1.groups.g-1.members.u-9: user \"u-9\" is not in the zone"),
        "{err}"
    );

    let err = refused(&["--seed", "/nonexistent/seed.toml"]);
    assert!(err.contains("cannot read"), "{err}");

    let corrupt = "{\"version\": 1, \"orgs\": {\"10001\": ";
    let state = scratch.write("state.json", corrupt);
    let err = refused(&["--state", state.to_str().unwrap()]);
    assert!(
        err.contains("invalid state file") && err.contains("state.json: line 1"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&state).unwrap(), corrupt);

    let future = scratch.write("future.json", "{\"version\": 9}");
    let err = refused(&["--state", future.to_str().unwrap()]);
    assert!(err.contains("version: unsupported version 9"), "{err}");
}
