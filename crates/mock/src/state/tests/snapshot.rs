//! The world document: a world survives export and import (every read answers the same and
//! the next IDs are the same), the example seed loads and reads back as written, and invalid
//! documents are refused with one line naming the place.

use serde_json::{json, Value};

use super::identity_center_access as ica;
use super::*;
use crate::state::{Format, WorldDoc};

/// Actions that only read (a task's status may advance on being read, the same in both).
fn is_read(action: &str) -> bool {
    ["Describe", "List", "Get", "Check"]
        .iter()
        .any(|prefix| action.starts_with(prefix))
}

fn answer(
    world: &World,
    version: Version,
    action: &str,
    caller: u64,
    params: &Value,
    now: i64,
) -> Option<Result<Value, BusinessError>> {
    world.handle(&Call {
        version,
        action,
        caller_uin: caller,
        params,
        now,
        now_millis: now.saturating_mul(1000),
    })
}

/// Exports `p`'s world through text in `format`, imports it into a fresh world, replays every
/// read the probe made against both, and asserts the same answers. Returns how many reads
/// succeeded (so that a test can tell the comparison was not only of errors).
fn round_trip(p: &Probe, format: Format) -> usize {
    let text = p.world.export().to_text(format).unwrap();
    let doc = WorldDoc::parse(&text, format).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let copy = World::new();
    copy.import(&doc);
    assert_eq!(copy.export().to_value(), p.world.export().to_value());
    let now = p.now.get();
    let mut succeeded = 0;
    for (version, action, caller, params) in p.calls.borrow().iter() {
        if !is_read(action) {
            continue;
        }
        let original = answer(&p.world, *version, action, *caller, params, now);
        let restored = answer(&copy, *version, action, *caller, params, now);
        assert_eq!(restored, original, "{version} {action} {params}");
        succeeded += usize::from(matches!(original, Some(Ok(_))));
    }
    succeeded
}

/// Units, created and invited members, a pending invitation, each read with both versions.
fn org_world() -> Probe {
    let p = Probe::new();
    p.org(HOST);
    let dept = p.node(HOST, p.root(HOST), "dept");
    p.created(HOST, dept, "svc");
    p.join(HOST, ALICE, "alice");
    p.ok(
        V18,
        "SendOrganizationInvitation",
        HOST,
        json!({"InviteUin": CAROL, "Name": "carol", "Remark": "pending"}),
    );
    p.pending_invitation(CAROL);
    let page = json!({"Limit": 50, "Offset": 0});
    for (version, action) in [
        (V21, "DescribeOrganization"),
        (V21, "DescribeOrganizationNodes"),
        (V21, "DescribeOrganizationMembers"),
        (V18, "GetOrganization"),
        (V18, "ListOrganizationNodes"),
        (V18, "ListOrganizationMembers"),
    ] {
        let params = if action.starts_with("Describe") && action != "DescribeOrganization" {
            page.clone()
        } else {
            json!({})
        };
        p.ok(version, action, HOST, params);
    }
    p
}

/// The organization, policies and Identity Center (users, roles, provisioning, assignments).
fn rich_world() -> Probe {
    let (p, zone) = ica::world();
    let z = zone.as_str();
    let dept = p.node(HOST, p.root(HOST), "dept");
    p.created(HOST, dept, "svc");
    let user = super::identity_center_zone::user(&p, z, "u1");
    let role = ica::role(&p, z, "admins");
    ica::provision(&p, z, &role, BOB);
    let task = super::identity_center_assignments::assign(
        &p,
        z,
        super::identity_center_assignments::entry(&role, "User", &user, ica::member(ALICE)),
    );
    ica::wait(&p, z, task["TaskId"].as_str().unwrap(), 5);
    for action in [
        "ListUsers",
        "ListRoleConfigurations",
        "ListRoleAssignments",
        "ListTasks",
    ] {
        ica::ok(&p, z, action, json!({}));
    }
    p.ok(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Limit": 50, "Offset": 0}),
    );
    p
}

#[test]
fn every_area_answers_the_same_after_export_and_import() {
    let worlds: Vec<(&str, Probe)> = vec![
        ("organization", org_world()),
        ("policies", {
            let p = Probe::new();
            super::policies::run(&p, HOST);
            p
        }),
        ("member login", {
            let p = Probe::new();
            super::member_login::lifecycle(&p);
            p
        }),
        ("sharing", super::sharing::lifecycle()),
        ("identity center", rich_world()),
    ];
    for (name, p) in &worlds {
        for format in [Format::Json, Format::Toml] {
            let reads = round_trip(p, format);
            assert!(
                reads >= 5,
                "{name} ({format:?}): only {reads} reads succeeded"
            );
        }
    }
}

#[test]
fn ids_keep_increasing_after_an_import() {
    let p = rich_world();
    let copy = World::new();
    copy.import(&p.world.export());
    let now = p.now.get();
    let root = p.root(HOST);
    for (action, params) in [
        (
            "AddOrganizationNode",
            json!({"ParentNodeId": root, "Name": "later"}),
        ),
        ("CreateOrganizationMember", create_member(root, "later")),
    ] {
        let original = answer(&p.world, V21, action, HOST, &params, now);
        let restored = answer(&copy, V21, action, HOST, &params, now);
        assert!(matches!(original, Some(Ok(_))), "{action}: {original:?}");
        assert_eq!(restored, original, "{action}");
    }
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/world.toml");

#[test]
fn the_example_seed_reads_back_as_written() {
    let doc = WorldDoc::load(std::path::Path::new(EXAMPLE)).unwrap_or_else(|e| panic!("{e}"));
    let p = Probe::new();
    p.world.set_seed(Some(doc));
    let org = p.ok(V21, "DescribeOrganization", HOST, json!({}));
    assert_eq!(org["OrgId"], 10001);
    let nodes = p.ok(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Limit": 50, "Offset": 0}),
    );
    let names: Vec<(u64, &str, u64)> = nodes["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["NodeId"].as_u64().unwrap(),
                n["Name"].as_str().unwrap(),
                n["ParentNodeId"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (100001, "Root", 0),
            (100002, "engineering", 100001),
            (100003, "platform", 100002),
            (100004, "finance", 100001)
        ]
    );
    let members = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Limit": 50, "Offset": 0, "Lang": "en"}),
    );
    let members: Vec<(u64, &str, u64)> = members["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["MemberUin"].as_u64().unwrap(),
                m["Name"].as_str().unwrap(),
                m["NodeId"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            (100000000002, "alice", 100002),
            (200000000001, "build-agents", 100003),
            (200000000002, "ledger", 100004)
        ]
    );
    // New IDs continue past the seed's.
    let added = p.ok(
        V21,
        "AddOrganizationNode",
        HOST,
        json!({"ParentNodeId": 100001, "Name": "new"}),
    );
    assert_eq!(added["NodeId"], 100005);
    let created = p.ok(
        V21,
        "CreateOrganizationMember",
        HOST,
        create_member(100001, "new"),
    );
    assert_eq!(created["Uin"], 200_000_000_003_u64);

    // The seeded login identity, held by the member that names it.
    let held = p.ok(
        V21,
        "DescribeOrganizationMemberAuthIdentities",
        HOST,
        json!({"Offset": 0, "Limit": 10, "MemberUin": 200_000_000_002_u64}),
    );
    let held: Vec<u64> = held["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["IdentityId"].as_u64().unwrap())
        .collect();
    assert_eq!(held, [1, 101]);
    let identities = p.ok(
        V21,
        "ListOrganizationIdentity",
        HOST,
        json!({"Offset": 0, "Limit": 10, "IdentityType": 2}),
    );
    assert_eq!(identities["Items"][0]["IdentityAliasName"], "network_ops");

    // The seeded share unit, its resource, and the accounts it reaches.
    let units = p.ok(
        V21,
        "DescribeShareUnits",
        HOST,
        json!({"Area": "ap-guangzhou", "Offset": 0, "Limit": 10}),
    );
    assert_eq!(units["Total"], 1, "{units}");
    assert_eq!(units["Items"][0]["Name"], "shared_network");
    let unit = units["Items"][0]["UnitId"].as_str().unwrap().to_owned();
    let resources = p.ok(
        V21,
        "DescribeShareUnitResources",
        HOST,
        json!({"UnitId": unit, "Area": "ap-guangzhou", "Offset": 0, "Limit": 10}),
    );
    assert_eq!(
        resources["Items"][0]["ProductResourceId"], "subnet-0123abcd",
        "{resources}"
    );

    // The seeded policy, on the unit and the member it names.
    let policy = p.ok(V21, "DescribePolicy", HOST, json!({"PolicyId": 100001}));
    assert_eq!(policy["PolicyName"], "deny_cvm");
    let targets = p.ok(
        V21,
        "ListTargetsForPolicy",
        HOST,
        json!({"PolicyId": 100001, "PolicyType": "SERVICE_CONTROL_POLICY", "Rp": 200}),
    );
    let targets: Vec<(u64, u64)> = targets["List"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["Uin"].as_u64().unwrap(),
                i["RelatedType"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(targets, [(100002, 1), (200_000_000_002, 2)]);
    let next = p.ok(
        V21,
        "CreatePolicy",
        HOST,
        json!({"Name": "later", "Type": "SERVICE_CONTROL_POLICY",
               "Content": r#"{"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]}"#}),
    );
    assert_eq!(next["PolicyId"], 100_002);
}

#[test]
fn a_reset_returns_to_the_seed() {
    let doc = WorldDoc::load(std::path::Path::new(EXAMPLE)).unwrap_or_else(|e| panic!("{e}"));
    let p = Probe::new();
    p.world.set_seed(Some(doc));
    let seeded = p.world.export().to_value();
    p.node(HOST, 100001, "extra");
    assert_ne!(p.world.export().to_value(), seeded);
    p.world.reset();
    assert_eq!(p.world.export().to_value(), seeded);
    // Registered accounts stay registered through a reset to the seed.
    assert!(p.world.export().to_value()["accounts"]["100000000001"]["registered"] == true);
}

const ORG: &str = "version = 1\n[orgs.10001]\nhost_uin = 100000000001\nroot = 100001\n[orgs.10001.nodes.100001]\nname = \"Root\"\n";

/// Seeds that break a rule, and the place the refusal must name.
fn invalid_seeds() -> Vec<(String, &'static str)> {
    vec![
        ("[orgs]\n".into(), "version: missing"),
        ("version = 2\n".into(), "version: unsupported version 2"),
        ("version = 1\n\n[orgs.10001\nhost_uin = 1\n".into(), "line 3: not TOML"),
        (
            format!("{ORG}[orgs.10001.members.200000000001]\nname = \"m\"\nnode = 999\n"),
            "orgs.10001.members.200000000001.node: unit 999 does not exist in organization 10001",
        ),
        (
            format!("{ORG}[orgs.10002]\nhost_uin = 100000000002\nroot = 100001\n[orgs.10002.nodes.100001]\nname = \"Root\"\n"),
            "orgs.10002.nodes.100001: unit ID 100001 is also used in organization 10001",
        ),
        (
            format!("{ORG}[orgs.10001.nodes.100002]\nid = 100003\nname = \"x\"\nparent = 100001\n"),
            "orgs.10001.nodes.100002.id: is 100003, but the entry is filed under 100002",
        ),
        (
            format!("{ORG}[orgs.10001.nodes.100002]\nname = \"x\"\nparent = 100009\n"),
            "orgs.10001.nodes.100002.parent: unit 100009 does not exist",
        ),
        (
            format!("{ORG}[orgs.10001.nodes.100002]\nname = \"x\"\n"),
            "orgs.10001.nodes.100002.parent: missing",
        ),
        (
            "version = 1\n[orgs.10001]\nhost_uin = 1\nroot = 7\n[orgs.10001.nodes.100001]\nname = \"Root\"\n".into(),
            "orgs.10001.root: unit 7 is not among",
        ),
        (
            format!("{ORG}[orgs.10002]\nhost_uin = 100000000001\nroot = 100002\n[orgs.10002.nodes.100002]\nname = \"Root\"\n"),
            "orgs.10002.host_uin: account 100000000001 is already in organization 10001",
        ),
        (
            "version = 1\n[orgs.10001]\nhost_uin = \"me\"\nroot = 1\n".into(),
            "orgs.10001.host_uin: invalid type",
        ),
        ("version = 1\n[orgz]\n".into(), "unknown field `orgz`"),
        (
            format!("{ORG}[policies.orgs.10001.enabled]\nSERVICE_CONTROL_POLICY = 1\n[policies.orgs.10001.policies.5]\nkind = \"SERVICE_CONTROL_POLICY\"\nname = \"s\"\ndocument = \"nope\"\n"),
            "policies.orgs.10001.policies.5.document: not a SERVICE_CONTROL_POLICY document",
        ),
        (
            format!("{ORG}[policies.orgs.10001.enabled]\nSERVICE_CONTROL_POLICY = 1\n[policies.orgs.10001.policies.5]\nkind = \"SERVICE_CONTROL_POLICY\"\nname = \"s\"\ndocument = '{{\"version\":\"2.0\",\"statement\":[{{\"effect\":\"deny\",\"action\":\"*\",\"resource\":\"*\"}}]}}'\nattachments = [{{ target = {{ Node = 42 }} }}]\n"),
            "policies.orgs.10001.policies.5.attachments[0]: unit 42 is not in organization 10001",
        ),
        (
            "version = 1\n[member_login.identities.101]\norg_id = 10001\nname = \"x\"\n".into(),
            "member_login.identities.101.org_id: organization 10001 does not exist",
        ),
        (
            format!("{ORG}[orgs.10001.members.200000000001]\nname = \"m\"\nnode = 100001\nidentity_ids = [1, 7]\n"),
            "orgs.10001.members.200000000001.identity_ids[1]: identity 7 is neither preset",
        ),
        (
            format!("{ORG}[sharing.units.1]\nowner = 100000000005\norg_id = 10001\nname = \"s\"\narea = \"ap-guangzhou\"\n"),
            "sharing.units.1.owner: account 100000000005 is not in organization 10001",
        ),
        (
            format!("{ORG}[sharing.units.1]\nowner = 100000000001\norg_id = 10001\nname = \"s\"\narea = \"mars-1\"\n"),
            "sharing.units.1.area: \"mars-1\" is not a share area",
        ),
        (
            format!("{ORG}[services.assignments.1.100000000002]\norg_id = 10001\nscope = 1\ncreate_time = 0\n"),
            "services.assignments.1.100000000002: account 100000000002 is not a member of organization 10001",
        ),
        (
            "version = 1\n[policies.orgs.10009]\n".into(),
            "policies.orgs.10009: organization 10009 does not exist",
        ),
    ]
}

#[test]
fn invalid_seeds_are_refused_with_one_line_naming_the_place() {
    for (seed, expected) in invalid_seeds() {
        let error = WorldDoc::parse(&seed, Format::Toml)
            .map(|_| ())
            .expect_err(&seed);
        let line = error.to_string();
        assert!(
            line.contains(expected),
            "{line:?} does not name {expected:?}"
        );
        assert!(!line.contains('\n'), "{line:?}");
    }
}

#[test]
fn json_errors_name_the_line_or_the_path() {
    let error = WorldDoc::parse("{\"version\": 1,\n\"orgs\": {", Format::Json).unwrap_err();
    assert_eq!(error.place, "line 2");
    let error = WorldDoc::parse(
        r#"{"version": 1, "orgs": {"10001": {"host_uin": 1, "root": 5, "nodes": {"5": {"name": 3}}}}}"#,
        Format::Json,
    )
    .unwrap_err();
    assert_eq!(error.place, "orgs.10001.nodes.5.name");
}

#[test]
fn a_snapshot_edited_out_of_its_invariants_is_refused() {
    let p = rich_world();
    let exported = p.world.export().to_value();
    let zone = exported["identity_center"]["zones"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let mut edited = exported.clone();
    edited["identity_center"]["zones"][&zone]["org_id"] = json!(99);
    let error = WorldDoc::from_value(edited).unwrap_err();
    assert_eq!(error.place, format!("identity_center.zones.{zone}.org_id"));
    assert_eq!(error.message, "organization 99 does not exist");
    // The untouched export loads.
    assert!(WorldDoc::from_value(exported).is_ok());
}
