//! The reference client against the project's own mock, end to end: a create / read /
//! update / delete workflow per version through the typed API, and every action of both
//! versions called through its typed models, the decoded response (or error) snapshotted.

use serde_json::{json, Value};
use tco_client::models::{v2018_12_25 as v18, v2021_03_31 as v21};
use tco_client::{Client, Error, Version};
use tco_mock::{fixtures, MockServer};

// The README shows the test between these two markers as it is, for a team that wants the
// mock and the client in its own tests; `the_readme_shows_the_first_test` keeps them equal.
// readme: begin
#[tokio::test]
async fn my_code_against_the_mock() {
    let mock = tco_mock::MockServer::start().await;
    let client = tco_client::Client::builder()
        .endpoint(mock.uri())
        .credentials(mock.default_credentials())
        .build()
        .unwrap();
    let api = client.v2021_03_31();
    let created = api.create_organization(Default::default()).await.unwrap();
    let org = api.describe_organization(Default::default()).await.unwrap();
    assert_eq!(org.org_id, created.org_id as i64);
}
// readme: end

#[test]
fn the_readme_shows_the_first_test() {
    let this = include_str!("client_mock.rs");
    let begin = this.find("// readme: begin\n").expect("begin marker") + 17;
    let end = this.find("// readme: end\n").expect("end marker");
    let example = &this[begin..end];
    let body = example.lines().filter(|l| !l.starts_with("#[")).count();
    assert!(body <= 12, "at most a dozen lines, not {body}");
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&format!("```rust\n{example}```")),
        "README.md must show this test as it is:\n{example}"
    );
}

// The README's "A shared clock" shows the test between these two markers as it is;
// `the_readme_shows_the_shared_clock_test` keeps them equal.
// readme-clock: begin
#[tokio::test]
async fn a_ten_minute_task_in_no_time() {
    use std::time::Duration;
    use tco_mock::{ManualClock, TaskPolicy};

    let clock = ManualClock::at_secs(1_700_000_000);
    let mock = tco_mock::MockServer::builder()
        .clock(clock.clone()) // signature expiry, rate windows, task timers, times
        .task_policy(TaskPolicy::after(Duration::from_secs(600)))
        .start()
        .await;
    let client = tco_client::Client::builder()
        .endpoint(mock.uri())
        .credentials(mock.default_credentials())
        .clock(clock.clone()) // signing timestamps
        .sleeper(clock.clone()) // a retry's back-off advances the clock, never sleeps
        .build()
        .unwrap();
    let task = start_a_task(&client).await; // e.g. ProvisionRoleConfiguration
    clock.advance(Duration::from_secs(599));
    assert_eq!(task_status(&client, &task).await, "InProgress");
    clock.advance(Duration::from_secs(1));
    assert_eq!(task_status(&client, &task).await, "Success");
}
// readme-clock: end

#[test]
fn the_readme_shows_the_shared_clock_test() {
    let this = include_str!("client_mock.rs");
    let begin = this.find("// readme-clock: begin\n").expect("begin marker") + 23;
    let end = this.find("// readme-clock: end\n").expect("end marker");
    let example = &this[begin..end];
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&format!("```rust\n{example}```")),
        "README.md must show this test as it is:\n{example}"
    );
}

/// The README's `start_a_task`: an organization, Identity Center, a role configuration, and
/// the task that deploys it on the manager's own account; the task's ID and zone.
async fn start_a_task(client: &Client) -> (Value, Value) {
    let call = |action: &'static str, params: Value| async move {
        client
            .call_json(Version::V2021_03_31, action, params)
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"))
    };
    call("CreateOrganization", json!({})).await;
    let zone =
        call("OpenIdentityCenter", json!({"ZoneName": "readme-zone"})).await["ZoneId"].clone();
    let role = call(
        "CreateRoleConfiguration",
        json!({"ZoneId": zone, "RoleConfigurationName": "readme-role"}),
    )
    .await["RoleConfigurationInfo"]["RoleConfigurationId"]
        .clone();
    let provisioned = call(
        "ProvisionRoleConfiguration",
        json!({"ZoneId": zone, "RoleConfigurationId": role,
               "TargetType": "ManagerUin", "TargetUin": tco_mock::DEFAULT_UIN}),
    )
    .await;
    (provisioned["Task"]["TaskId"].clone(), zone)
}

/// The README's `task_status`: `GetTaskStatus`'s `Status`.
async fn task_status(client: &Client, (task, zone): &(Value, Value)) -> String {
    let answer = client
        .call_json(
            Version::V2021_03_31,
            "GetTaskStatus",
            json!({"ZoneId": zone, "TaskId": task}),
        )
        .await
        .unwrap();
    answer["TaskStatus"]["Status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn client_for(mock: &MockServer) -> Client {
    Client::builder()
        .endpoint(mock.uri())
        .credentials(mock.default_credentials())
        .build()
        .unwrap()
}

#[tokio::test]
async fn crud_workflow_2018_12_25() {
    let mock = MockServer::start().await;
    let client = client_for(&mock).await;
    let api = client.v2018_12_25();

    // Organization: the mock starts with none; create it and read it.
    let created = api
        .create_organization(v18::CreateOrganizationRequest { org_type: 1 })
        .await
        .unwrap();
    let org = api
        .get_organization(v18::GetOrganizationRequest {})
        .await
        .unwrap();
    assert_eq!(org.org_id, created.org_id);
    assert_eq!(org.org_type, 1);

    // Units: create under the root, read, rename, delete.
    let nodes = api
        .list_organization_nodes(v18::ListOrganizationNodesRequest {})
        .await
        .unwrap()
        .nodes;
    let root = nodes
        .iter()
        .find(|n| n.parent_node_id == 0)
        .expect("a root node")
        .node_id;
    let added = api
        .add_organization_node(v18::AddOrganizationNodeRequest {
            parent_node_id: root,
            name: "finance".into(),
        })
        .await
        .unwrap();
    let find = |nodes: &[v18::OrgNode]| nodes.iter().find(|n| n.node_id == added.node_id).cloned();
    let listed = api
        .list_organization_nodes(Default::default())
        .await
        .unwrap()
        .nodes;
    assert_eq!(
        find(&listed).map(|n| (n.name, n.parent_node_id)),
        Some(("finance".into(), root))
    );
    api.update_organization_node(v18::UpdateOrganizationNodeRequest {
        node_id: added.node_id,
        name: Some("finance-eu".into()),
        parent_node_id: None,
    })
    .await
    .unwrap();
    let listed = api
        .list_organization_nodes(Default::default())
        .await
        .unwrap()
        .nodes;
    assert_eq!(find(&listed).map(|n| n.name), Some("finance-eu".into()));
    api.delete_organization_nodes(v18::DeleteOrganizationNodesRequest {
        node_ids: vec![added.node_id],
    })
    .await
    .unwrap();
    let listed = api
        .list_organization_nodes(Default::default())
        .await
        .unwrap()
        .nodes;
    assert_eq!(find(&listed), None);

    // And the organization itself.
    api.delete_organization(v18::DeleteOrganizationRequest {})
        .await
        .unwrap();
    let err = api.get_organization(Default::default()).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some("ResourceNotFound.OrganizationNotExist"),
        "{err}"
    );
}

#[tokio::test]
async fn crud_workflow_2021_03_31_sharing_one_world_with_2018_12_25() {
    let mock = MockServer::start().await;
    let client = client_for(&mock).await;
    let api = client.v2021_03_31();

    let created = api
        .create_organization(v21::CreateOrganizationRequest {})
        .await
        .unwrap();
    let org = api
        .describe_organization(v21::DescribeOrganizationRequest::default())
        .await
        .unwrap();
    // The contract types OrgId uint64 here and int64 there.
    assert_eq!(org.org_id, created.org_id as i64);
    let root = org.root_node_id;
    let added = api
        .add_organization_node(v21::AddOrganizationNodeRequest {
            parent_node_id: root as u64,
            name: "platform".into(),
            remark: Some("shared services".into()),
            tags: None,
        })
        .await
        .unwrap();
    let page = v21::DescribeOrganizationNodesRequest {
        limit: 50,
        offset: 0,
        tags: None,
    };
    let nodes = api.describe_organization_nodes(page.clone()).await.unwrap();
    let node = nodes
        .items
        .iter()
        .find(|n| n.node_id == added.node_id)
        .expect("the new unit");
    assert_eq!(
        (node.name.as_str(), node.remark.as_str()),
        ("platform", "shared services")
    );
    assert_eq!(nodes.total as usize, nodes.items.len());

    // The 2018-12-25 API sees the same unit.
    let old = client
        .v2018_12_25()
        .list_organization_nodes(Default::default())
        .await
        .unwrap();
    assert!(old
        .nodes
        .iter()
        .any(|n| n.node_id as i64 == added.node_id && n.name == "platform"));

    api.update_organization_node(v21::UpdateOrganizationNodeRequest {
        node_id: added.node_id as u64,
        name: Some("platform-core".into()),
        remark: None,
    })
    .await
    .unwrap();
    let nodes = api.describe_organization_nodes(page.clone()).await.unwrap();
    assert!(nodes
        .items
        .iter()
        .any(|n| n.node_id == added.node_id && n.name == "platform-core"));

    api.delete_organization_nodes(v21::DeleteOrganizationNodesRequest {
        node_id: vec![added.node_id],
    })
    .await
    .unwrap();
    let nodes = api.describe_organization_nodes(page).await.unwrap();
    assert!(nodes.items.iter().all(|n| n.node_id != added.node_id));

    // A unit that is gone is a typed API error with a code documented for the action.
    let err = api
        .update_organization_node(v21::UpdateOrganizationNodeRequest {
            node_id: added.node_id as u64,
            name: Some("again".into()),
            remark: None,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err}");
    let action = tco_spec::action(Version::V2021_03_31, "UpdateOrganizationNode").unwrap();
    assert!(action.is_documented_error(err.code().unwrap()), "{err}");
    assert!(err.code().unwrap().contains("NotExist"), "{err}");
}

/// An error as JSON, its RequestId left for insta to redact.
fn error_json(e: &Error) -> Value {
    match e {
        Error::Api {
            code,
            message,
            request_id,
            action,
        } => json!({
            "kind": "api", "action": action, "code": code, "message": message,
            "request_id": request_id,
        }),
        Error::Contract {
            action,
            violations,
            request_id,
        } => json!({
            "kind": "contract", "action": action, "violations": violations,
            "request_id": request_id,
        }),
        other => json!({"kind": "other", "display": other.to_string()}),
    }
}

/// Parameters that break the action's request shape, so the mock must refuse them: a required
/// member left out when there is one, else a member of the wrong type, else an unknown one.
fn invalid_params(action: &tco_spec::Action) -> Value {
    let shape = action.request_shape();
    let mut params = action.example_request();
    let map = params.as_object_mut().unwrap();
    if let Some(m) = shape
        .members
        .iter()
        .find(|m| m.is_required(tco_spec::Direction::Request))
    {
        map.remove(&m.name);
    } else if let Some(m) = shape.members.first() {
        map.insert(m.name.clone(), json!({"not": "this type"}));
    } else {
        map.insert("NoSuchParameter".into(), json!(1));
    }
    params
}

const FIXED_TIME: i64 = 1_700_000_000;

fn client_as(mock: &MockServer, credentials: tco_client::Credentials) -> Client {
    Client::builder()
        .endpoint(mock.uri())
        .credentials(credentials)
        .clock(tco_client::ManualClock::at_secs(FIXED_TIME))
        .build()
        .unwrap()
}

/// Actions whose prepared example may still fail against the mock, and why. None: with the
/// invitee's and the member's own accounts in the mock, every action of both versions
/// succeeds (invitations are accepted or denied by the invitee, QuitOrganization is called
/// by the member that joined).
const EXPECTED_FAILURES: &[&str] = &[];

async fn every_action(version: Version) -> Value {
    let mut results = serde_json::Map::new();
    let mut succeeded = 0;
    let mut unexpected = Vec::new();
    for action in tco_spec::contract(version).actions() {
        // A fresh mock per action, so each sees the same starting world; both sides on one
        // fixed time, so times in responses are stable.
        let mock = fixtures::builder()
            .clock(tco_mock::ManualClock::at_secs(FIXED_TIME))
            .start()
            .await;
        // The state the examples refer to: an organization with its root, an empty unit, a
        // unit holding the invited member, a pending invitation, and (2021 members) a created
        // member without an email and one with a bound email.
        let world = fixtures::populate(&mock, &action.name, FIXED_TIME)
            .unwrap_or_else(|e| panic!("setting up, {e}"));
        let (params, caller) = world.request_for(&action.name, action.example_request());
        let caller = client_as(&mock, caller.credentials(&mock));
        let typed = match version {
            Version::V2018_12_25 => {
                caller
                    .v2018_12_25()
                    .call_by_name(&action.name, params)
                    .await
            }
            Version::V2021_03_31 => {
                caller
                    .v2021_03_31()
                    .call_by_name(&action.name, params)
                    .await
            }
        };
        let decoded = match &typed {
            Ok(response) => {
                succeeded += 1;
                json!({"ok": response})
            }
            Err(e) => {
                if !EXPECTED_FAILURES.contains(&action.name.as_str()) {
                    unexpected.push(format!("{}: {e}", action.name));
                }
                json!({"err": error_json(e)})
            }
        };
        let refused = caller
            .call_json(version, &action.name, invalid_params(action))
            .await;
        let refused = match &refused {
            Ok(response) => json!({"ok": response}),
            Err(e) => json!({"err": error_json(e)}),
        };
        results.insert(
            action.name.clone(),
            json!({"prepared_request": decoded, "invalid_request": refused}),
        );
    }
    assert!(
        unexpected.is_empty(),
        "{version}: prepared examples failed:\n{}",
        unexpected.join("\n")
    );
    let actions = tco_spec::contract(version).actions().count();
    assert!(
        succeeded + EXPECTED_FAILURES.len() >= actions,
        "{version}: {succeeded} of {actions} actions decoded a success"
    );
    Value::Object(results)
}

fn snapshot(name: &str, value: &Value) {
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_json_snapshot!(name, value, {
            ".**.RequestId" => "[request-id]",
            ".**.request_id" => "[request-id]",
            // A SCIM key's secret is random, and a secret: never in a snapshot.
            ".**.CredentialSecret" => "[secret]",
            ".**.credential_secret" => "[secret]",
        });
    });
}

#[tokio::test]
async fn every_action_2018_12_25_decoded_against_the_mock() {
    let results = every_action(Version::V2018_12_25).await;
    assert_eq!(results.as_object().unwrap().len(), v18::ACTIONS.len());
    snapshot("client_mock_every_action_2018_12_25", &results);
}

#[tokio::test]
async fn every_action_2021_03_31_decoded_against_the_mock() {
    let results = every_action(Version::V2021_03_31).await;
    assert_eq!(results.as_object().unwrap().len(), v21::ACTIONS.len());
    snapshot("client_mock_every_action_2021_03_31", &results);
}

#[tokio::test]
async fn every_action_refuses_invalid_params_with_an_api_error() {
    for version in Version::ALL {
        for action in tco_spec::contract(version).actions() {
            let mock = MockServer::start().await;
            let client = client_for(&mock).await;
            let err = client
                .call_json(version, &action.name, invalid_params(action))
                .await
                .expect_err(&action.name);
            assert!(
                matches!(err, Error::Api { .. }),
                "{version} {}: {err}",
                action.name
            );
        }
    }
}
