//! Resource sharing through [`Probe`]: each modelled business code by its trigger (the
//! removals it refuses included), the share unit lifecycle read back from both sides, and the
//! catalogue agreeing with the contract's examples.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;
use crate::state::sharing::model::{catalogue, MAX_UNITS};

type Seen = BTreeSet<(Version, String, String)>;

const GZ: &str = "ap-guangzhou";
const SH: &str = "ap-shanghai";

/// HOST's organization: ALICE in the root, BOB in `deep` under `shared`; CAROL outside.
struct Setup {
    p: Probe,
    root: u64,
    shared: u64,
}

fn setup() -> Setup {
    let p = Probe::new();
    p.org(HOST);
    let root = p.root(HOST);
    let shared = p.node(HOST, root, "shared");
    let deep = p.node(HOST, shared, "deep");
    p.join(HOST, ALICE, "alice");
    p.join(HOST, BOB, "bob");
    p.ok(
        V21,
        "MoveOrganizationNodeMembers",
        HOST,
        json!({"NodeId": deep, "MemberUin": [BOB]}),
    );
    Setup { p, root, shared }
}

fn add_unit(p: &Probe, caller: u64, name: &str, scope: u64) -> String {
    p.ok(
        V21,
        "AddShareUnit",
        caller,
        json!({"Name": name, "Area": GZ, "Description": "d", "ShareScope": scope}),
    )["UnitId"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn members(uins: &[u64]) -> Value {
    Value::Array(
        uins.iter()
            .map(|u| json!({ "ShareMemberUin": u }))
            .collect(),
    )
}

fn resources(ids: &[&str]) -> Value {
    Value::Array(
        ids.iter()
            .map(|id| json!({ "ProductResourceId": id }))
            .collect(),
    )
}

fn page() -> Value {
    json!({"Offset": 0, "Limit": 50})
}

fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

/// The product IDs `caller` sees shared with it.
fn shared_with(p: &Probe, caller: u64) -> Vec<String> {
    p.ok(
        V21,
        "DescribeResourceToShareMember",
        caller,
        with(page(), json!({ "Area": GZ })),
    )["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["ProductResourceId"].as_str().unwrap().to_owned())
        .collect()
}

fn units_of(p: &Probe, caller: u64) -> Value {
    p.ok(
        V21,
        "DescribeShareUnits",
        caller,
        with(page(), json!({ "Area": GZ })),
    )
}

/// A share unit from creation to deletion, read back from the owner's and the members' side.
pub(super) fn lifecycle() -> Probe {
    let Setup { p, shared, .. } = setup();
    let zh = p.ok(V21, "DescribeShareAreas", CAROL, json!({"Lang": "zh"}));
    assert_eq!(
        zh["Items"][0],
        json!({"Name": "广州", "Area": GZ, "AreaId": 1})
    );
    let en = p.ok(V21, "DescribeShareAreas", CAROL, json!({}));
    assert_eq!(en["Items"][0]["Name"], "Guangzhou");

    let unit = add_unit(&p, HOST, "team-share", 2);
    assert_eq!(unit, "shareUnit-00000001");
    let listed = units_of(&p, HOST);
    assert_eq!(listed["Total"], 1);
    let item = &listed["Items"][0];
    assert_eq!(item["UnitId"], unit.as_str());
    assert_eq!(item["Name"], "team-share");
    assert_eq!(item["Uin"], HOST);
    assert_eq!(item["OwnerUin"], HOST);
    assert_eq!(item["ShareScope"], 2);
    assert_eq!(item["CreateTime"], "2021-04-16 11:49:39");
    let elsewhere = p.ok(
        V21,
        "DescribeShareUnits",
        HOST,
        with(page(), json!({ "Area": SH })),
    );
    assert_eq!(elsewhere["Total"], 0, "units are per area");

    p.ok(
        V21,
        "UpdateShareUnit",
        HOST,
        json!({"UnitId": unit, "Description": "for the team"}),
    );
    let searched = p.ok(
        V21,
        "DescribeShareUnits",
        HOST,
        json!({"Area": GZ, "Offset": 0, "Limit": 10, "SearchKey": "team"}),
    );
    assert_eq!(searched["Items"][0]["Description"], "for the team");
    assert_eq!(searched["Items"][0]["Name"], "team-share", "unchanged");

    // Invite a member and an outsider (scope 2 allows accounts in no organization).
    p.ok(
        V21,
        "AddShareUnitMembers",
        HOST,
        json!({"UnitId": unit, "Area": GZ, "Members": members(&[ALICE, CAROL])}),
    );
    let invited = p.ok(
        V21,
        "DescribeShareUnitMembers",
        HOST,
        with(page(), json!({"UnitId": unit, "Area": GZ})),
    );
    assert_eq!(invited["Total"], 2);
    assert_eq!(invited["Items"][0]["ShareMemberUin"], ALICE);
    // The invitee finds its invitation.
    let carol_sees = units_of(&p, CAROL);
    assert_eq!(carol_sees["Total"], 1);
    assert_eq!(carol_sees["Items"][0]["OwnerUin"], HOST);

    p.ok(
        V21,
        "AddShareUnitResources",
        HOST,
        json!({"UnitId": unit, "Area": GZ, "Type": "secret",
               "Resources": resources(&["sec-1", "sec-2"])}),
    );
    let held = p.ok(
        V21,
        "DescribeShareUnitResources",
        ALICE,
        with(page(), json!({"UnitId": unit, "Area": GZ})),
    );
    assert_eq!(held["Total"], 2, "an invitee may look before it accepts");
    assert_eq!(held["Items"][0]["ProductResourceId"], "sec-1");
    assert_eq!(held["Items"][0]["ShareManagerUin"], HOST);
    assert_eq!(held["Items"][0]["SharedMemberNum"], 2);
    let first = held["Items"][0]["ResourceId"].as_str().unwrap().to_owned();
    assert!(shared_with(&p, ALICE).is_empty(), "not before accepting");

    p.ok(
        V21,
        "AcceptJoinShareUnitInvitation",
        ALICE,
        json!({ "UnitId": unit }),
    );
    p.ok(
        V21,
        "RejectJoinShareUnitInvitation",
        CAROL,
        json!({ "UnitId": unit }),
    );
    assert_eq!(shared_with(&p, ALICE), ["sec-1", "sec-2"]);
    assert_eq!(
        units_of(&p, CAROL)["Total"],
        0,
        "rejected: no longer invited"
    );
    assert_eq!(
        p.ok(
            V21,
            "DescribeShareUnitMembers",
            HOST,
            with(page(), json!({"UnitId": unit, "Area": GZ})),
        )["Total"],
        1
    );

    // A unit of the organization reaches BOB (two levels under it) without an invitation.
    assert!(shared_with(&p, BOB).is_empty());
    p.ok(
        V21,
        "AddShareUnitNode",
        HOST,
        json!({"UnitId": unit, "NodeId": shared}),
    );
    let nodes = p.ok(
        V21,
        "DescribeShareUnitNodes",
        HOST,
        with(page(), json!({ "UnitId": unit })),
    );
    assert_eq!(nodes["Items"][0]["ShareNodeId"], shared);
    assert_eq!(shared_with(&p, BOB), ["sec-1", "sec-2"]);
    let counted = p.ok(
        V21,
        "DescribeShareUnitResources",
        HOST,
        json!({"UnitId": unit, "Area": GZ, "Offset": 0, "Limit": 1, "Type": "secret"}),
    );
    assert_eq!(counted["Total"], 2);
    assert_eq!(counted["Items"].as_array().unwrap().len(), 1);
    assert_eq!(counted["Items"][0]["SharedMemberNum"], 2, "ALICE and BOB");

    // Take it apart, watching each side.
    p.ok(
        V21,
        "DeleteShareUnitResources",
        HOST,
        json!({"UnitId": unit, "Area": GZ, "Type": "secret",
               "Resources": [{ "ResourceId": first }]}),
    );
    assert_eq!(shared_with(&p, ALICE), ["sec-2"]);
    assert_eq!(shared_with(&p, BOB), ["sec-2"]);
    p.ok(
        V21,
        "DeleteShareUnitNode",
        HOST,
        json!({"UnitId": unit, "NodeId": shared}),
    );
    assert!(shared_with(&p, BOB).is_empty());
    p.ok(
        V21,
        "DeleteShareUnitMembers",
        HOST,
        json!({"UnitId": unit, "Area": GZ, "Members": members(&[ALICE])}),
    );
    assert!(shared_with(&p, ALICE).is_empty());
    p.ok(V21, "DeleteShareUnit", HOST, json!({ "UnitId": unit }));
    assert_eq!(units_of(&p, HOST)["Total"], 0);
    p
}

#[test]
fn share_unit_lifecycle() {
    lifecycle();
}

/// A shared resource reaches each member once per share unit, whichever way it reaches it,
/// and follows members as they move between units.
#[test]
fn reach_follows_the_organization() {
    let Setup { p, root, shared } = setup();
    let unit = add_unit(&p, HOST, "by-node", 1);
    p.ok(
        V21,
        "AddShareUnitResources",
        HOST,
        json!({"UnitId": unit, "Area": GZ, "Type": "subnet", "Resources": resources(&["subnet-1"])}),
    );
    p.ok(
        V21,
        "AddShareUnitNode",
        HOST,
        json!({"UnitId": unit, "NodeId": shared}),
    );
    p.ok(
        V21,
        "AddShareUnitMembers",
        HOST,
        json!({"UnitId": unit, "Area": GZ, "Members": members(&[BOB])}),
    );
    p.ok(
        V21,
        "AcceptJoinShareUnitInvitation",
        BOB,
        json!({ "UnitId": unit }),
    );
    assert_eq!(shared_with(&p, BOB), ["subnet-1"], "once, not twice");
    assert!(shared_with(&p, ALICE).is_empty(), "ALICE is in the root");
    p.ok(
        V21,
        "MoveOrganizationNodeMembers",
        HOST,
        json!({"NodeId": shared, "MemberUin": [ALICE]}),
    );
    assert_eq!(shared_with(&p, ALICE), ["subnet-1"]);
    p.ok(
        V21,
        "MoveOrganizationNodeMembers",
        HOST,
        json!({"NodeId": root, "MemberUin": [ALICE]}),
    );
    assert!(shared_with(&p, ALICE).is_empty());
    // A second unit sharing the same resource lists it again, under its own UnitId.
    let other = add_unit(&p, HOST, "second", 1);
    p.ok(
        V21,
        "AddShareUnitResources",
        HOST,
        json!({"UnitId": other, "Area": GZ, "Type": "subnet", "Resources": resources(&["subnet-1"])}),
    );
    p.ok(
        V21,
        "AddShareUnitNode",
        HOST,
        json!({"UnitId": other, "NodeId": root}),
    );
    let both = p.ok(
        V21,
        "DescribeResourceToShareMember",
        BOB,
        json!({"Area": GZ, "Offset": 0, "Limit": 10, "ProductResourceIds": ["subnet-1"]}),
    );
    assert_eq!(both["Total"], 2);
    assert_eq!(both["Items"][1]["UnitId"], other.as_str());
    // Filters that match nothing.
    let none = p.ok(
        V21,
        "DescribeResourceToShareMember",
        BOB,
        json!({"Area": GZ, "Offset": 0, "Limit": 10, "Type": "secret"}),
    );
    assert_eq!(none["Total"], 0);
}

pub(super) fn errors() -> Seen {
    let Setup { p, shared, .. } = setup();
    let unit = add_unit(&p, HOST, "errors", 1);
    let at = |extra: Value| with(json!({"UnitId": unit, "Area": GZ}), extra);

    // AddShareUnit, UpdateShareUnit, DeleteShareUnit, DescribeShareUnits, DescribeShareAreas.
    let add = |caller, params, code| p.fails(V21, "AddShareUnit", caller, params, code);
    add(
        CAROL,
        json!({"Name": "abc", "Area": GZ}),
        "ResourceNotFound.OrganizationNotExist",
    );
    add(HOST, json!({"Name": "ab", "Area": GZ}), "InvalidParameter");
    add(
        HOST,
        json!({"Name": "a b c", "Area": GZ}),
        "InvalidParameter",
    );
    add(
        HOST,
        json!({"Name": "abc", "Area": GZ, "Description": "d".repeat(129)}),
        "InvalidParameter",
    );
    add(
        HOST,
        json!({"Name": "abc", "Area": GZ, "ShareScope": 3}),
        "InvalidParameter",
    );
    add(
        HOST,
        json!({"Name": "abc", "Area": "mars"}),
        "InvalidParameter",
    );
    for i in 1..MAX_UNITS {
        add_unit(&p, ALICE, &format!("unit{i}"), 1);
    }
    add_unit(&p, ALICE, "last", 1);
    add(
        ALICE,
        json!({"Name": "one-too-many", "Area": GZ}),
        "FailedOperation.ResourceOverLimit",
    );
    let update = |caller, params, code| p.fails(V21, "UpdateShareUnit", caller, params, code);
    update(ALICE, json!({ "UnitId": unit }), "ResourceNotFound");
    update(
        HOST,
        json!({"UnitId": "shareUnit-nothex!!"}),
        "ResourceNotFound",
    );
    update(
        HOST,
        json!({"UnitId": unit, "Name": "x"}),
        "InvalidParameter",
    );
    update(
        HOST,
        json!({"UnitId": unit, "Description": "d".repeat(129)}),
        "InvalidParameter",
    );
    update(
        HOST,
        json!({"UnitId": unit, "ShareScope": 0}),
        "InvalidParameter",
    );
    p.fails(
        V21,
        "DeleteShareUnit",
        ALICE,
        json!({ "UnitId": unit }),
        "ResourceNotFound",
    );
    p.fails(
        V21,
        "DescribeShareUnits",
        HOST,
        json!({"Area": "mars", "Offset": 0, "Limit": 10}),
        "InvalidParameter",
    );
    p.fails(
        V21,
        "DescribeShareUnits",
        HOST,
        json!({"Area": GZ, "Offset": 0, "Limit": 0}),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "DescribeShareAreas",
        HOST,
        json!({"Lang": "fr"}),
        "InvalidParameter",
    );

    // Members.
    let add_members =
        |caller, params, code| p.fails(V21, "AddShareUnitMembers", caller, params, code);
    add_members(
        HOST,
        json!({"UnitId": unit, "Area": "mars", "Members": members(&[ALICE])}),
        "FailedOperation.ShareAreaNotExist",
    );
    add_members(
        HOST,
        json!({"UnitId": unit, "Area": SH, "Members": members(&[ALICE])}),
        "FailedOperation.ShareUnitNotExist",
    );
    add_members(
        ALICE,
        at(json!({ "Members": members(&[BOB]) })),
        "FailedOperation.ShareUnitNotExist",
    );
    add_members(HOST, at(json!({"Members": []})), "InvalidParameter");
    add_members(
        HOST,
        at(json!({ "Members": members(&[HOST]) })),
        "InvalidParameter",
    );
    let eleven: Vec<u64> = (1..=11).collect();
    add_members(
        HOST,
        at(json!({ "Members": members(&eleven) })),
        "LimitExceeded.ShareUnitMemberOverLimit",
    );
    add_members(
        HOST,
        at(json!({ "Members": members(&[NOBODY]) })),
        "ResourceNotFound",
    );
    add_members(
        HOST,
        at(json!({ "Members": members(&[ALICE, CAROL]) })),
        "FailedOperation.SomeUinsNotInOrganization",
    );
    let open = add_unit(&p, HOST, "open", 2);
    p.org(CAROL);
    add_members(
        HOST,
        json!({"UnitId": open, "Area": GZ, "Members": members(&[CAROL])}),
        "UnsupportedOperation.SharingToOtherOrganizationMember",
    );
    // Twenty members fill a unit (created members of the organization).
    let root = p.root(HOST);
    let many: Vec<u64> = (0..20)
        .map(|i| p.created(HOST, root, &format!("c{i}")))
        .collect();
    for chunk in many.chunks(10) {
        p.ok(
            V21,
            "AddShareUnitMembers",
            HOST,
            json!({"UnitId": open, "Area": GZ, "Members": members(chunk)}),
        );
    }
    add_members(
        HOST,
        json!({"UnitId": open, "Area": GZ, "Members": members(&[ALICE])}),
        "LimitExceeded.ShareUnitMemberOverLimit",
    );
    let delete_members =
        |caller, params, code| p.fails(V21, "DeleteShareUnitMembers", caller, params, code);
    delete_members(
        HOST,
        json!({"UnitId": unit, "Area": "mars", "Members": members(&[ALICE])}),
        "FailedOperation.ShareAreaNotExist",
    );
    delete_members(
        BOB,
        at(json!({ "Members": members(&[ALICE]) })),
        "FailedOperation.ShareUnitNotExist",
    );
    delete_members(HOST, at(json!({"Members": []})), "InvalidParameter");
    delete_members(
        HOST,
        at(json!({ "Members": members(&eleven) })),
        "LimitExceeded.ShareUnitMemberOverLimit",
    );
    delete_members(
        HOST,
        at(json!({ "Members": members(&[ALICE]) })),
        "ResourceNotFound",
    );
    let describe_members =
        |caller, params, code| p.fails(V21, "DescribeShareUnitMembers", caller, params, code);
    describe_members(
        HOST,
        json!({"UnitId": unit, "Area": "mars", "Offset": 0, "Limit": 10}),
        "InvalidParameter",
    );
    describe_members(BOB, at(page()), "ResourceNotFound");
    describe_members(
        HOST,
        at(json!({"Offset": 0, "Limit": 0})),
        "InvalidParameterValue",
    );

    // Invitations.
    p.ok(
        V21,
        "AddShareUnitMembers",
        HOST,
        at(json!({ "Members": members(&[ALICE]) })),
    );
    for action in [
        "AcceptJoinShareUnitInvitation",
        "RejectJoinShareUnitInvitation",
    ] {
        p.fails(
            V21,
            action,
            BOB,
            json!({"UnitId": "shareUnit-0000ffff"}),
            "FailedOperation.ShareUnitNotExist",
        );
        p.fails(
            V21,
            action,
            BOB,
            json!({ "UnitId": unit }),
            "FailedOperation.ShareMemberNotExist",
        );
    }
    p.ok(
        V21,
        "AcceptJoinShareUnitInvitation",
        ALICE,
        json!({ "UnitId": unit }),
    );
    p.fails(
        V21,
        "RejectJoinShareUnitInvitation",
        ALICE,
        json!({ "UnitId": unit }),
        "UnsupportedOperation",
    );

    // Organization units.
    let add_node = |caller, node: u64, code| {
        p.fails(
            V21,
            "AddShareUnitNode",
            caller,
            json!({"UnitId": unit, "NodeId": node}),
            code,
        )
    };
    add_node(ALICE, shared, "FailedOperation.ShareUnitNotExist");
    add_node(HOST, 999, "ResourceNotFound.OrganizationNodeNotExist");
    let extra: Vec<u64> = (0..10)
        .map(|i| p.node(HOST, root, &format!("n{i}")))
        .collect();
    for node in &extra {
        p.ok(
            V21,
            "AddShareUnitNode",
            HOST,
            json!({"UnitId": unit, "NodeId": node}),
        );
    }
    add_node(HOST, shared, "LimitExceeded.ShareUnitNodeOverLimit");
    let delete_node = |caller, node: u64, code| {
        p.fails(
            V21,
            "DeleteShareUnitNode",
            caller,
            json!({"UnitId": unit, "NodeId": node}),
            code,
        )
    };
    delete_node(ALICE, extra[0], "FailedOperation.ShareUnitNotExist");
    delete_node(HOST, shared, "FailedOperation.ShareNodeNotExist");
    p.fails(
        V21,
        "DescribeShareUnitNodes",
        BOB,
        json!({"UnitId": unit, "Offset": 0, "Limit": 10}),
        "ResourceNotFound",
    );
    p.fails(
        V21,
        "DescribeShareUnitNodes",
        HOST,
        json!({"UnitId": unit, "Offset": 0, "Limit": 51}),
        "InvalidParameterValue",
    );

    // Resources.
    let add_resources =
        |caller, params, code| p.fails(V21, "AddShareUnitResources", caller, params, code);
    let secrets = |ids: &[&str]| at(json!({"Type": "secret", "Resources": resources(ids)}));
    add_resources(
        HOST,
        json!({"UnitId": unit, "Area": "mars", "Type": "secret", "Resources": resources(&["s"])}),
        "FailedOperation.ShareAreaNotExist",
    );
    add_resources(ALICE, secrets(&["s"]), "FailedOperation.ShareUnitNotExist");
    add_resources(
        HOST,
        at(json!({"Type": "cvm", "Resources": resources(&["s"])})),
        "FailedOperation.ShareResourceTypeNotExist",
    );
    add_resources(HOST, secrets(&[]), "InvalidParameter");
    add_resources(HOST, secrets(&[""]), "InvalidParameter");
    let ids: Vec<String> = (0..11).map(|i| format!("sec-{i}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    add_resources(
        HOST,
        secrets(&id_refs),
        "LimitExceeded.ShareUnitResourceOverLimit",
    );
    for chunk in (0..50)
        .map(|i| format!("fill-{i}"))
        .collect::<Vec<_>>()
        .chunks(10)
    {
        let chunk: Vec<&str> = chunk.iter().map(String::as_str).collect();
        p.ok(V21, "AddShareUnitResources", HOST, secrets(&chunk));
    }
    add_resources(
        HOST,
        secrets(&["one-more"]),
        "LimitExceeded.ShareUnitResourceOverLimit",
    );
    add_resources(
        HOST,
        at(json!({"Type": "subnet", "Resources": resources(&["subnet-1"])})),
        "FailedOperation.HasDifferentResourceType",
    );
    let delete_resources =
        |caller, params, code| p.fails(V21, "DeleteShareUnitResources", caller, params, code);
    delete_resources(
        HOST,
        json!({"UnitId": unit, "Area": "mars", "Type": "secret", "Resources": resources(&["fill-1"])}),
        "FailedOperation.ShareAreaNotExist",
    );
    delete_resources(
        ALICE,
        secrets(&["fill-1"]),
        "FailedOperation.ShareUnitNotExist",
    );
    delete_resources(
        HOST,
        at(json!({"Type": "vpc", "Resources": resources(&["fill-1"])})),
        "FailedOperation.ShareResourceTypeNotExist",
    );
    delete_resources(HOST, secrets(&[]), "InvalidParameter");
    delete_resources(
        HOST,
        secrets(&id_refs),
        "LimitExceeded.ShareUnitResourceOverLimit",
    );
    delete_resources(
        HOST,
        secrets(&["fill-1", "never-shared"]),
        "FailedOperation.ShareResourceNotExist",
    );
    delete_resources(
        HOST,
        at(json!({"Type": "subnet", "Resources": resources(&["fill-1"])})),
        "FailedOperation.ShareResourceNotExist",
    );
    delete_resources(
        HOST,
        at(json!({"Type": "secret", "Resources": [{"ResourceId": ""}]})),
        "FailedOperation.ShareResourceNotExist",
    );
    let describe_resources =
        |caller, params, code| p.fails(V21, "DescribeShareUnitResources", caller, params, code);
    describe_resources(
        HOST,
        json!({"UnitId": unit, "Area": "mars", "Offset": 0, "Limit": 10}),
        "InvalidParameter",
    );
    describe_resources(BOB, at(page()), "ResourceNotFound");
    describe_resources(
        HOST,
        at(json!({"Offset": 0, "Limit": 0})),
        "InvalidParameterValue",
    );
    let to_member =
        |params, code| p.fails(V21, "DescribeResourceToShareMember", ALICE, params, code);
    to_member(
        json!({"Area": "mars", "Offset": 0, "Limit": 10}),
        "InvalidParameter",
    );
    let too_many: Vec<String> = (0..51).map(|i| format!("r{i}")).collect();
    to_member(
        json!({"Area": GZ, "Offset": 0, "Limit": 10, "ProductResourceIds": too_many}),
        "InvalidParameter",
    );
    to_member(
        json!({"Area": GZ, "Offset": 0, "Limit": 0}),
        "InvalidParameterValue",
    );

    // A scope-2 unit with an outsider cannot go back to scope 1 (CAROL left her organization
    // first, so she can be invited).
    p.ok(V21, "DeleteOrganization", CAROL, json!({}));
    let wide = add_unit(&p, HOST, "wide", 2);
    p.ok(
        V21,
        "AddShareUnitMembers",
        HOST,
        json!({"UnitId": wide, "Area": GZ, "Members": members(&[CAROL])}),
    );
    p.fails(
        V21,
        "UpdateShareUnit",
        HOST,
        json!({"UnitId": wide, "ShareScope": 1}),
        "FailedOperation.ExistShareMemberNotInOrganization",
    );
    p.failed()
}

#[test]
fn sharing_errors() {
    errors();
}

/// What removals in the organization do to sharing: refused while something hangs on the
/// removed thing, with the code each removing action (of either version) documents.
pub(super) fn cascades() -> Seen {
    let Setup { p, shared, .. } = setup();
    let owned_by_alice = add_unit(&p, ALICE, "alices", 1);
    let org_id = p.ok(V21, "DescribeOrganization", HOST, json!({}))["OrgId"].clone();
    p.fails(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({ "MemberUin": [ALICE] }),
        "FailedOperation.MemberShareResource",
    );
    p.fails(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({ "Uins": [ALICE] }),
        "FailedOperation.QuitShareUintError",
    );
    p.fails(
        V21,
        "QuitOrganization",
        ALICE,
        json!({ "OrgId": org_id }),
        "FailedOperation.MemberShareResource",
    );
    p.fails(
        V18,
        "QuitOrganization",
        ALICE,
        json!({ "OrgId": org_id }),
        "FailedOperation",
    );
    p.ok(
        V21,
        "DeleteShareUnit",
        ALICE,
        json!({ "UnitId": owned_by_alice }),
    );

    let unit = add_unit(&p, HOST, "hosts", 1);
    p.ok(
        V21,
        "AddShareUnitNode",
        HOST,
        json!({"UnitId": unit, "NodeId": shared}),
    );
    p.ok(
        V21,
        "MoveOrganizationNodeMembers",
        HOST,
        json!({"NodeId": p.root(HOST), "MemberUin": [BOB]}),
    );
    let all_under: Vec<u64> = p.ok(V18, "ListOrganizationNodes", HOST, json!({}))["Nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["ParentNodeId"] != 0)
        .map(|n| n["NodeId"].as_u64().unwrap())
        .collect();
    p.fails(
        V21,
        "DeleteOrganizationNodes",
        HOST,
        json!({ "NodeId": all_under }),
        "FailedOperation.ShareNodeExisted",
    );
    p.fails(
        V18,
        "DeleteOrganizationNodes",
        HOST,
        json!({ "NodeIds": all_under }),
        "FailedOperation",
    );

    // A member of a unit restricted to the organization leaves it when it leaves.
    p.ok(
        V21,
        "AddShareUnitMembers",
        HOST,
        json!({"UnitId": unit, "Area": GZ, "Members": members(&[ALICE, BOB])}),
    );
    p.ok(V21, "QuitOrganization", ALICE, json!({ "OrgId": org_id }));
    let left = p.ok(
        V21,
        "DescribeShareUnitMembers",
        HOST,
        with(page(), json!({"UnitId": unit, "Area": GZ})),
    );
    assert_eq!(left["Total"], 1);
    assert_eq!(left["Items"][0]["ShareMemberUin"], BOB);
    p.ok(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({ "Uins": [BOB] }),
    );
    for v in [V21, V18] {
        p.fails(
            v,
            "DeleteOrganization",
            HOST,
            json!({}),
            "FailedOperation.ShareUnitNotEmpty",
        );
    }
    p.ok(V21, "DeleteShareUnit", HOST, json!({ "UnitId": unit }));
    p.ok(
        V18,
        "DeleteOrganizationNodes",
        HOST,
        json!({ "NodeIds": all_under }),
    );
    p.ok(V21, "DeleteOrganization", HOST, json!({}));
    p.failed()
}

#[test]
fn sharing_cascades() {
    cascades();
}

/// The catalogue holds the contract's examples: the share area of DescribeShareAreas, and the
/// resource type of AddShareUnitResources.
#[test]
fn catalogue_agrees_with_the_contract() {
    let areas = tco_spec::action(V21, "DescribeShareAreas")
        .unwrap()
        .example_response();
    let example = &areas["Items"][0];
    assert!(catalogue()
        .areas
        .iter()
        .any(|a| json!(a.area) == example["Area"]
            && json!(a.area_id) == example["AreaId"]
            && json!(a.names["zh"]) == example["Name"]));
    let add = tco_spec::action(V21, "AddShareUnitResources")
        .unwrap()
        .example_request();
    assert!(catalogue()
        .resource_types
        .iter()
        .any(|t| json!(t) == add["Type"]));
}
