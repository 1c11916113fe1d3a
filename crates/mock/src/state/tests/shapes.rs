//! Every stateful action's successful answer is valid against its response shape.
//!
//! [`Probe::call`] validates every answer (with a `RequestId` added) as it comes; this test
//! makes sure every stateful action of both versions answered successfully at least once.

use std::collections::BTreeSet;

use serde_json::json;

use super::*;

#[test]
fn every_stateful_action_answers_in_shape() {
    let p = Probe::new();
    super::workflow::run_2018(&p);
    super::workflow::run_2021(&p);
    p.org(HOST);
    for (who, name) in [(ALICE, "alice"), (BOB, "bob")] {
        p.ok(
            V18,
            "SendOrganizationInvitation",
            HOST,
            json!({"InviteUin": who, "Name": name, "Remark": ""}),
        );
    }
    let alice = p.pending_invitation(ALICE);
    let bob = p.pending_invitation(BOB);
    p.ok(
        V18,
        "DenyOrganizationInvitation",
        ALICE,
        json!({"Id": alice}),
    );
    p.ok(
        V18,
        "CancelOrganizationInvitation",
        HOST,
        json!({"Id": bob}),
    );

    super::policies::run(&p, CAROL);

    // The areas that hang on the core, each in a world of its own.
    let areas = [
        {
            let p = Probe::new();
            super::member_login::lifecycle(&p);
            p
        },
        {
            let p = Probe::new();
            super::services::lifecycle(&p);
            p
        },
        super::sharing::lifecycle(),
        {
            let p = Probe::new();
            super::resend::sent(&p);
            p
        },
    ];
    let stateful: BTreeSet<(Version, String)> = coverage()
        .into_iter()
        .filter(|r| r.stateful)
        .map(|r| (r.version, r.action.to_owned()))
        .collect();
    let mut answered = p.succeeded();
    for area in &areas {
        answered.extend(area.succeeded());
    }
    answered.extend(super::identity_center_zone::every_action_once());
    answered.extend(super::identity_center_access::every_action_once());
    let missing: Vec<_> = stateful.difference(&answered).collect();
    assert!(
        missing.is_empty(),
        "never answered successfully: {missing:?}"
    );
}

/// The answers carry every output-required member with values of the contract's types, even
/// for worlds the examples never show: empty lists, a member's view, unbound email.
#[test]
fn edge_answers_are_in_shape_too() {
    let p = Probe::new();
    p.org(HOST);
    let root = p.root(HOST);
    // Empty lists.
    p.ok(V18, "ListOrganizationMembers", HOST, json!({}));
    p.ok(
        V18,
        "ListOrganizationNodeMembers",
        HOST,
        json!({"NodeId": root}),
    );
    p.ok(
        V18,
        "ListOrganizationInvitations",
        HOST,
        json!({"Invited": 1}),
    );
    p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10}),
    );
    // A member with everything optional set, seen by itself and by the manager.
    let custom = p.ok(
        V21,
        "CreateOrganizationIdentity",
        HOST,
        json!({"IdentityAliasName": "custom", "IdentityPolicy": [{"PolicyId": 1, "PolicyName": "AdministratorAccess"}]}),
    )["IdentityId"]
        .clone();
    let uin = p.ok(
        V21,
        "CreateOrganizationMember",
        HOST,
        json!({"Name": "full", "PolicyType": "Financial", "PermissionIds": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
               "NodeId": root, "AccountName": "full_account", "Remark": "all set", "RecordId": 0,
               "PayUin": HOST.to_string(), "IdentityRoleID": [1, custom], "AuthRelationId": 0,
               "Tags": [{"TagKey": "k", "TagValue": "v"}]}),
    )["Uin"]
        .as_u64()
        .unwrap();
    let members = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10}),
    );
    assert_eq!(
        members["Items"][0]["OrgPermission"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    assert_eq!(
        members["Items"][0]["OrgIdentity"].as_array().unwrap().len(),
        2
    );
    let own = p.ok(V21, "DescribeOrganization", uin, json!({}));
    assert_eq!(own["PayName"], "host_name");
    assert_eq!(own["IsAllowQuit"], "Denied");
    p.ok(
        V21,
        "DescribeOrganizationMemberEmailBind",
        HOST,
        json!({"MemberUin": uin}),
    );
    p.ok(V18, "GetOrganizationMember", uin, json!({"MemberUin": uin}));
}
