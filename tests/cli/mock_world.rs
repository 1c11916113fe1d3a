//! `tco-harness mock --seed/--state` as a process: a world built through the API survives a
//! restart, a killed process leaves a readable state file, and invalid documents are refused
//! with one line and exit 2 (the state file untouched).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tco_mock::WorldDoc;
use tco_sign::{build, Credentials, KeyCache, RequestSpec};

const SECRET_ID: &str = "AKIDclimockworld00000000000000000000";
const SECRET_KEY: &str = "cli-mock-world-secret-key";
const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/mock/examples/world.toml"
);

fn command(extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tco-harness"));
    command
        .args(["mock", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("TENCENTCLOUD_SECRET_ID", SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", SECRET_KEY);
    command
}

/// Starts the mock; returns the child and its base URL.
fn start(extra: &[&str]) -> (Child, String) {
    let mut child = command(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .expect("one line on stdout");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (child, url)
}

/// A signed 2021 call as the environment's account; the `Response` object.
async fn api(url: &str, action: &str, params: Value) -> Value {
    let host = url.trim_start_matches("http://");
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let spec = RequestSpec::new(
        host,
        "organization",
        action,
        "2021-03-31",
        &params,
        timestamp,
    )
    .with_nonce(1)
    .with_request_client("cli-mock-world-test");
    let signed = build(
        &spec,
        &Credentials::new(SECRET_ID, SECRET_KEY),
        &KeyCache::default(),
    );
    let request = tco_client::transport::request(&reqwest::Client::new(), url, signed);
    let answer: Value = request.send().await.unwrap().json().await.unwrap();
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

fn signal(child: &mut Child, signal: &str) -> Option<i32> {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    child.wait().expect("the mock exits").code()
}

#[tokio::test]
async fn a_world_built_through_the_api_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.toml");
    let state_arg = state.to_str().unwrap();
    let (mut first, url) = start(&["--state", state_arg]);
    build_world(&url, "kept").await;
    assert_eq!(signal(&mut first, "TERM"), Some(0));
    let (mut second, url) = start(&["--state", state_arg]);
    assert_eq!(unit_names(&url).await, ["Root", "kept"]);
    assert_eq!(signal(&mut second, "TERM"), Some(0));
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
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let state_arg = state.to_str().unwrap();
    let (mut first, url) = start(&["--state", state_arg, "--state-interval-ms", "20"]);
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
    first.kill().unwrap();
    first.wait().unwrap();
    let doc = WorldDoc::load(&state).unwrap_or_else(|e| panic!("{e}"));
    assert!(doc.to_value().to_string().contains("before-kill"));
    let (mut second, url) = start(&["--state", state_arg]);
    assert!(unit_names(&url).await.contains(&"before-kill".to_owned()));
    assert_eq!(signal(&mut second, "TERM"), Some(0));
}

#[tokio::test]
async fn a_seed_starts_the_world_and_a_reset_returns_to_it() {
    let (mut child, url) = start(&["--seed", EXAMPLE]);
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
    assert_eq!(signal(&mut child, "TERM"), Some(0));
}

fn refused(extra: &[&str]) -> String {
    let out = command(extra).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{extra:?}: {err:?}");
    err
}

#[test]
fn invalid_seeds_and_unreadable_state_files_are_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.toml");
    std::fs::write(
        &seed,
        "version = 1\n[orgs.10001]\nhost_uin = 1\nroot = 5\n[orgs.10001.nodes.5]\nname = \"Root\"\n[orgs.10001.members.7]\nname = \"m\"\nnode = 6\n",
    )
    .unwrap();
    let err = refused(&["--seed", seed.to_str().unwrap()]);
    assert!(
        err.contains("seed.toml: orgs.10001.members.7.node: unit 6 does not exist"),
        "{err}"
    );

    // An entry of the newer seed forms: a group naming a user its zone does not have.
    let zone = dir.path().join("zone.toml");
    std::fs::write(
        &zone,
        "version = 1\n[orgs.10001]\nhost_uin = 1\nroot = 5\n[orgs.10001.nodes.5]\nname = \"Root\"\n[identity_center.zones.z-1]\norg_id = 10001\nname = \"a\"\n[identity_center.zones.z-1.groups.g-1]\nname = \"g\"\nmembers = { u-9 = {} }\n",
    )
    .unwrap();
    let err = refused(&["--seed", zone.to_str().unwrap()]);
    assert!(
        err.contains("zone.toml: identity_center.zones.z-1.groups.g-1.members.u-9: user \"u-9\" is not in the zone"),
        "{err}"
    );

    let err = refused(&["--seed", "/nonexistent/seed.toml"]);
    assert!(err.contains("cannot read"), "{err}");

    let state = dir.path().join("state.json");
    let corrupt = "{\"version\": 1, \"orgs\": {\"10001\": ";
    std::fs::write(&state, corrupt).unwrap();
    let err = refused(&["--state", state.to_str().unwrap()]);
    assert!(
        err.contains("invalid state file") && err.contains("state.json: line 1"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&state).unwrap(), corrupt);

    let future = dir.path().join("future.json");
    std::fs::write(&future, "{\"version\": 9}").unwrap();
    let err = refused(&["--state", future.to_str().unwrap()]);
    assert!(err.contains("version: unsupported version 9"), "{err}");
}
