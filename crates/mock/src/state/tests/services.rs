//! Delegated administration through [`Probe`]: each modelled business code by its trigger,
//! the assignment lifecycle read back, and the catalogue agreeing with the contract's example.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;
use crate::state::services::model::catalogue;

type Seen = BTreeSet<(Version, String, String)>;

const NO_ORG: &str = "ResourceNotFound.OrganizationNotExist";

fn assign(uins: &[u64]) -> Value {
    json!({"MemberUins": uins, "ServiceId": 1})
}

fn delegates(p: &Probe, caller: u64, params: Value) -> Vec<u64> {
    p.ok(V21, "ListOrgServiceAssignMember", caller, params)["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["MemberUin"].as_u64().unwrap())
        .collect()
}

/// Assign, list from both the catalogue and the delegates' side, delete.
pub(super) fn lifecycle(p: &Probe) {
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    p.join(HOST, BOB, "bob");
    let services = p.ok(
        V21,
        "ListOrganizationService",
        ALICE,
        json!({"Offset": 0, "Limit": 10, "SearchKey": "AUDIT"}),
    );
    assert_eq!(services["Total"], 1);
    assert_eq!(services["Items"][0]["Product"], "cloudaudit");
    assert_eq!(services["Items"][0]["MemberNum"], "0");

    p.ok(
        V21,
        "CreateOrgServiceAssign",
        HOST,
        json!({"MemberUins": [ALICE], "Product": "CloudAudit", "ManagementScope": 1}),
    );
    p.now.set(NOW + 10);
    p.ok(V21, "CreateOrgServiceAssign", HOST, assign(&[ALICE, BOB]));
    let list = p.ok(
        V21,
        "ListOrgServiceAssignMember",
        HOST,
        json!({"Offset": 0, "Limit": 10, "Product": "cloudaudit"}),
    );
    assert_eq!(list["Total"], 2);
    assert_eq!(list["Items"][0]["MemberUin"], ALICE);
    assert_eq!(list["Items"][0]["MemberName"], "alice");
    assert_eq!(list["Items"][0]["ProductName"], "CloudAudit");
    assert_eq!(list["Items"][0]["CreateTime"], "2021-04-16 11:49:39");
    assert_eq!(
        list["Items"][1]["CreateTime"], "2021-04-16 11:49:49",
        "assigned in the second call"
    );
    assert_eq!(list["Items"][0]["ManagementScope"], 1);
    assert_eq!(list["Items"][0]["UsageStatus"], 0);
    let services = p.ok(
        V21,
        "ListOrganizationService",
        HOST,
        json!({"Offset": 0, "Limit": 10}),
    );
    assert_eq!(services["Items"][0]["MemberNum"], "2");

    p.ok(
        V21,
        "DeleteOrgServiceAssign",
        HOST,
        json!({"MemberUin": ALICE, "ServiceId": 1}),
    );
    assert_eq!(
        delegates(p, BOB, json!({"Offset": 0, "Limit": 10, "ServiceId": 1})),
        [BOB]
    );
    p.ok(
        V21,
        "DeleteOrgServiceAssign",
        HOST,
        json!({"MemberUin": BOB, "Product": "cloudaudit"}),
    );
    assert!(delegates(p, HOST, json!({"Offset": 0, "Limit": 10, "ServiceId": 1})).is_empty());
}

#[test]
fn assignment_lifecycle() {
    lifecycle(&Probe::new());
}

pub(super) fn errors() -> Seen {
    let p = Probe::new();
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    p.join(HOST, BOB, "bob");
    let create =
        |caller, params, code| p.fails(V21, "CreateOrgServiceAssign", caller, params, code);
    create(CAROL, assign(&[ALICE]), NO_ORG);
    create(ALICE, assign(&[BOB]), NO_ORG);
    create(HOST, json!({"MemberUins": [ALICE]}), "InvalidParameter");
    create(
        HOST,
        json!({"MemberUins": [ALICE], "ServiceId": 7}),
        "ResourceNotFound.OrganizationServiceNotExist",
    );
    create(
        HOST,
        json!({"MemberUins": [ALICE], "ServiceId": 1, "Product": "cwp"}),
        "ResourceNotFound.OrganizationServiceNotExist",
    );
    create(HOST, assign(&[]), "InvalidParameterValue");
    let many: Vec<u64> = (1..=21).collect();
    create(HOST, assign(&many), "InvalidParameterValue");
    create(
        HOST,
        json!({"MemberUins": [ALICE], "ServiceId": 1, "ManagementScope": 3}),
        "InvalidParameterValue",
    );
    create(
        HOST,
        json!({"MemberUins": [ALICE], "ServiceId": 1, "ManagementScope": 2,
               "ManagementScopeUins": [BOB]}),
        "UnsupportedOperation",
    );
    create(
        HOST,
        assign(&[ALICE, CAROL]),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    create(
        HOST,
        assign(&[HOST]),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    let root = p.root(HOST);
    let created: Vec<u64> = (0..5)
        .map(|i| p.created(HOST, root, &format!("m{i}")))
        .collect();
    p.ok(V21, "CreateOrgServiceAssign", HOST, assign(&created));
    create(
        HOST,
        assign(&[ALICE]),
        "LimitExceeded.CreateOrgServiceAssignOverLimit",
    );
    // Assigning the five again is no change, so no limit.
    p.ok(V21, "CreateOrgServiceAssign", HOST, assign(&created));

    let list =
        |caller, params, code| p.fails(V21, "ListOrgServiceAssignMember", caller, params, code);
    list(
        CAROL,
        json!({"Offset": 0, "Limit": 10, "ServiceId": 1}),
        NO_ORG,
    );
    list(
        HOST,
        json!({"Offset": 0, "Limit": 100, "ServiceId": 1}),
        "InvalidParameterValue",
    );
    list(HOST, json!({"Offset": 0, "Limit": 10}), "InvalidParameter");
    list(
        HOST,
        json!({"Offset": 0, "Limit": 10, "Product": "nope"}),
        "ResourceNotFound",
    );

    let delete =
        |caller, params, code| p.fails(V21, "DeleteOrgServiceAssign", caller, params, code);
    delete(ALICE, json!({"MemberUin": ALICE, "ServiceId": 1}), NO_ORG);
    delete(HOST, json!({"MemberUin": ALICE}), "InvalidParameter");
    delete(
        HOST,
        json!({"MemberUin": ALICE, "ServiceId": 2}),
        "ResourceNotFound.OrganizationServiceNotExist",
    );
    delete(
        HOST,
        json!({"MemberUin": ALICE, "ServiceId": 1}),
        "ResourceNotFound.OrganizationServiceAssignNotExist",
    );
    p.fails(
        V21,
        "ListOrganizationService",
        CAROL,
        json!({"Offset": 0, "Limit": 10}),
        NO_ORG,
    );
    p.fails(
        V21,
        "ListOrganizationService",
        HOST,
        json!({"Offset": 0, "Limit": 0}),
        "InvalidParameterValue",
    );
    p.failed()
}

#[test]
fn services_errors() {
    errors();
}

/// A delegated administrator cannot leave the organization, by either version's removal.
pub(super) fn cascades() -> Seen {
    let p = Probe::new();
    let org_id = p.org(HOST);
    p.join(HOST, ALICE, "alice");
    p.ok(V21, "CreateOrgServiceAssign", HOST, assign(&[ALICE]));
    let code = "UnsupportedOperation.MemberExistServiceNotAllowDelete";
    p.fails(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [ALICE]}),
        code,
    );
    p.fails(
        V21,
        "QuitOrganization",
        ALICE,
        json!({ "OrgId": org_id }),
        code,
    );
    p.fails(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({"Uins": [ALICE]}),
        "UnsupportedOperation",
    );
    p.fails(
        V18,
        "QuitOrganization",
        ALICE,
        json!({ "OrgId": org_id }),
        "UnsupportedOperation",
    );
    assert_eq!(p.members(HOST), [ALICE], "still a member");
    p.ok(
        V21,
        "DeleteOrgServiceAssign",
        HOST,
        json!({"MemberUin": ALICE, "ServiceId": 1}),
    );
    p.ok(V18, "QuitOrganization", ALICE, json!({ "OrgId": org_id }));
    assert!(p.members(HOST).is_empty());
    p.failed()
}

#[test]
fn services_cascades() {
    cascades();
}

/// The catalogue holds the service of the contract's ListOrganizationService example, field
/// for field; and since no catalogue service lets a delegate's scope be set, scope lists are
/// not modelled (a service that allows it would need them).
#[test]
fn catalogue_agrees_with_the_contract() {
    let example = tco_spec::action(V21, "ListOrganizationService")
        .unwrap()
        .example_response();
    let mut item = example["Items"][0].clone();
    item.as_object_mut().unwrap().remove("MemberNum");
    let entry = serde_json::to_value(&catalogue()[0]).unwrap();
    assert_eq!(entry, item);
    assert!(catalogue().iter().all(|s| s.is_set_management_scope != 1));
}
