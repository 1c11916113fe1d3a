//! The README's "Use the mock from your own tests" shows these two tests as they are (a seeded
//! world, from a file and from text; an override with an expectation), and
//! `the_readme_shows_them` fails when it shows anything else.

use tco_client::models::v2021_03_31 as v21;
use tco_client::Client;
use tco_mock::{Format, MockServer, Override, WorldDoc};

fn client(mock: &MockServer) -> Client {
    Client::builder()
        .endpoint(mock.uri())
        .credentials(mock.default_credentials())
        .build()
        .unwrap()
}

// readme seed: begin
#[tokio::test]
async fn a_seeded_world() {
    // A file: the same document `tco-harness mock --seed` takes.
    let mock = MockServer::builder()
        .seed_file("crates/mock/examples/world.toml")
        .start()
        .await;
    let org = client(&mock)
        .v2021_03_31()
        .describe_organization(Default::default())
        .await;
    assert_eq!(org.unwrap().org_id, 10001);
    // Or text, in the test itself.
    let world = r#"
        version = 1
        [orgs.7]
        host_uin = 100000000001
        root = 70
        nodes = { 70 = { name = "Root" }, 71 = { name = "ops", parent = 70 } }
    "#;
    let mock = MockServer::builder()
        .seed(WorldDoc::parse(world, Format::Toml).unwrap())
        .start()
        .await;
    let page = v21::DescribeOrganizationNodesRequest {
        limit: 10,
        offset: 0,
        tags: None,
    };
    let nodes = client(&mock)
        .v2021_03_31()
        .describe_organization_nodes(page)
        .await;
    let names: Vec<String> = nodes.unwrap().items.into_iter().map(|n| n.name).collect();
    assert_eq!(names, ["Root", "ops"]);
}
// readme seed: end

// readme override: begin
#[tokio::test]
async fn an_override_with_an_expectation() {
    let mock = MockServer::start().await;
    let client = client(&mock);
    let api = client.v2021_03_31();
    let guard = Override::on("CreateOrganization")
        .respond_with_error("FailedOperation.AuthInfoEmpty", "No real-name auth.")
        .times(1)
        .expect(1)
        .mount_as_scoped(&mock);
    let refused = api
        .create_organization(Default::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("FailedOperation.AuthInfoEmpty"));
    drop(guard); // checked here: CreateOrganization was called exactly once
    assert!(api.create_organization(Default::default()).await.is_ok());
}
// readme override: end

#[test]
fn the_readme_shows_them() {
    let this = include_str!("readme_mock_seed.rs");
    let readme = include_str!("../../README.md");
    for name in ["seed", "override"] {
        let begin = format!("// readme {name}: begin\n");
        let start = this.find(&begin).expect("begin marker") + begin.len();
        let end = this
            .find(&format!("// readme {name}: end\n"))
            .expect("end marker");
        let example = &this[start..end];
        assert!(
            readme.contains(&format!("```rust\n{example}```")),
            "README.md must show this test as it is:\n{example}"
        );
    }
}
