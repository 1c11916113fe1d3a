//! Each modelled business error, produced by its trigger; and a check that the triggers cover
//! every code the coverage table claims.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;
use crate::state::org::model::{MAX_MEMBERS, MAX_NODES};

type Seen = BTreeSet<(Version, String, String)>;

const NO_ORG: &str = "ResourceNotFound.OrganizationNotExist";

/// A probe where HOST manages an organization; its root.
fn with_org() -> (Probe, u64) {
    let p = Probe::new();
    p.org(HOST);
    let root = p.root(HOST);
    (p, root)
}

/// CAROL has no organization; ALICE is a member of HOST's (not its manager).
fn no_org(p: &Probe, v: Version, action: &str, params: Value) {
    p.fails(v, action, CAROL, params.clone(), NO_ORG);
}

fn member_not_manager(p: &Probe, v: Version, action: &str, params: Value) {
    p.fails(v, action, ALICE, params, NO_ORG);
}

fn too_many_tags() -> Value {
    Value::Array(
        (0..11)
            .map(|i| json!({"TagKey": format!("k{i}"), "TagValue": "v"}))
            .collect(),
    )
}

pub(super) fn organizations() -> Seen {
    let (p, _) = with_org();
    let org_id = p.ok(V21, "DescribeOrganization", HOST, json!({}))["OrgId"]
        .as_u64()
        .unwrap();
    p.fails(
        V18,
        "CreateOrganization",
        HOST,
        json!({"OrgType": 1}),
        "FailedOperation.OrganizationExistAlready",
    );
    p.fails(
        V18,
        "CreateOrganization",
        CAROL,
        json!({"OrgType": 2}),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "CreateOrganization",
        HOST,
        json!({}),
        "FailedOperation.OrganizationExistAlready",
    );
    let created = p.created(HOST, p.root(HOST), "svc");
    p.fails(
        V21,
        "CreateOrganization",
        created,
        json!({}),
        "UnsupportedOperation.CreateMemberNotAllowCreateOrganization",
    );
    p.fails(
        V18,
        "CreateOrganization",
        created,
        json!({"OrgType": 1}),
        "FailedOperation.OrganizationExistAlready",
    );
    no_org(&p, V18, "GetOrganization", json!({}));
    no_org(&p, V21, "DescribeOrganization", json!({}));
    for v in [V18, V21] {
        no_org(&p, v, "DeleteOrganization", json!({}));
        p.fails(
            v,
            "DeleteOrganization",
            HOST,
            json!({}),
            "FailedOperation.OrganizationNotEmpty",
        );
    }
    p.join(HOST, ALICE, "alice");
    member_not_manager(&p, V21, "DeleteOrganization", json!({}));

    // Quitting.
    p.join(HOST, BOB, "bob");
    p.ok(
        V21,
        "UpdateOrganizationMember",
        HOST,
        json!({"MemberUin": BOB, "IsAllowQuit": "Denied"}),
    );
    for v in [V18, V21] {
        p.fails(
            v,
            "QuitOrganization",
            HOST,
            json!({"OrgId": org_id}),
            "FailedOperation.DisableQuitSelfCreatedOrganization",
        );
        p.fails(v, "QuitOrganization", ALICE, json!({"OrgId": 4242}), NO_ORG);
    }
    p.fails(
        V18,
        "QuitOrganization",
        CAROL,
        json!({"OrgId": org_id}),
        "ResourceNotFound",
    );
    p.fails(
        V21,
        "QuitOrganization",
        CAROL,
        json!({"OrgId": org_id}),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    p.fails(
        V18,
        "QuitOrganization",
        created,
        json!({"OrgId": org_id}),
        "UnsupportedOperation",
    );
    p.fails(
        V21,
        "QuitOrganization",
        created,
        json!({"OrgId": org_id}),
        "UnsupportedOperation.CreateMemberNotAllowQuit",
    );
    p.fails(
        V18,
        "QuitOrganization",
        BOB,
        json!({"OrgId": org_id}),
        "UnsupportedOperation",
    );
    p.fails(
        V21,
        "QuitOrganization",
        BOB,
        json!({"OrgId": org_id}),
        "UnsupportedOperation.MemberNotAllowQuit",
    );
    p.failed()
}

pub(super) fn nodes() -> Seen {
    let (p, root) = with_org();
    p.join(HOST, ALICE, "alice");
    // A chain of levels 2 to 5 under the root, and a sibling to rename.
    let a = p.node(HOST, root, "a");
    let b = p.node(HOST, a, "b");
    let c = p.node(HOST, b, "c");
    let d = p.node(HOST, c, "d");
    let x = p.node(HOST, root, "x");
    let x_child = p.node(HOST, x, "x_child");
    p.ok(
        V18,
        "MoveOrganizationMembersToNode",
        HOST,
        json!({"NodeId": x_child, "Uins": [ALICE]}),
    );

    // Adding.
    for v in [V18, V21] {
        let add = |parent: u64, name: &str| json!({"ParentNodeId": parent, "Name": name});
        no_org(&p, v, "AddOrganizationNode", add(root, "n"));
        member_not_manager(&p, v, "AddOrganizationNode", add(root, "n"));
        let (not_found, used) = if v == V18 {
            ("ResourceNotFound.NodeNotExist", "ResourceInUse.NodeName")
        } else {
            (
                "ResourceNotFound.OrganizationNodeNotExist",
                "FailedOperation.OrganizationNodeNameUsed",
            )
        };
        p.fails(v, "AddOrganizationNode", HOST, add(777, "n"), not_found);
        p.fails(v, "AddOrganizationNode", HOST, add(root, "a"), used);
        p.fails(
            v,
            "AddOrganizationNode",
            HOST,
            add(d, "too_deep"),
            "LimitExceeded.NodeDepthExceedLimit",
        );
        p.fails(
            v,
            "AddOrganizationNode",
            HOST,
            add(root, "has space"),
            "InvalidParameterValue",
        );
        p.fails(
            v,
            "AddOrganizationNode",
            HOST,
            add(root, &"n".repeat(41)),
            "InvalidParameterValue",
        );
    }
    p.fails(
        V21,
        "AddOrganizationNode",
        HOST,
        json!({"ParentNodeId": root, "Name": "tagged", "Tags": too_many_tags()}),
        "InvalidParameter.TagError",
    );

    // Updating, 2018 (which can also move).
    let upd = |node: u64, extra: Value| {
        let mut params = json!({"NodeId": node});
        params
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        params
    };
    no_org(
        &p,
        V18,
        "UpdateOrganizationNode",
        upd(a, json!({"Name": "z"})),
    );
    p.fails(
        V18,
        "UpdateOrganizationNode",
        HOST,
        upd(777, json!({"Name": "z"})),
        "ResourceNotFound.NodeNotExist",
    );
    p.fails(
        V18,
        "UpdateOrganizationNode",
        HOST,
        upd(a, json!({"ParentNodeId": 777})),
        "ResourceNotFound.NodeNotExist",
    );
    p.fails(
        V18,
        "UpdateOrganizationNode",
        HOST,
        upd(x, json!({"Name": "a"})),
        "ResourceInUse.NodeNameUsed",
    );
    // x with its child spans two levels; under c (level 4) it would reach level 6.
    p.fails(
        V18,
        "UpdateOrganizationNode",
        HOST,
        upd(x, json!({"ParentNodeId": c})),
        "LimitExceeded.NodeDepthExceedLimit",
    );
    p.fails(
        V18,
        "UpdateOrganizationNode",
        HOST,
        upd(root, json!({"ParentNodeId": a})),
        "FailedOperation",
    );
    p.fails(
        V18,
        "UpdateOrganizationNode",
        HOST,
        upd(a, json!({"ParentNodeId": c})),
        "InvalidParameterValue",
    );
    p.fails(
        V18,
        "UpdateOrganizationNode",
        HOST,
        upd(a, json!({"Name": ""})),
        "InvalidParameterValue",
    );

    // Updating, 2021.
    no_org(
        &p,
        V21,
        "UpdateOrganizationNode",
        upd(a, json!({"Name": "z"})),
    );
    p.fails(
        V21,
        "UpdateOrganizationNode",
        HOST,
        upd(777, json!({"Name": "z"})),
        "FailedOperation.OrganizationNodeNotExist",
    );
    p.fails(
        V21,
        "UpdateOrganizationNode",
        HOST,
        upd(x, json!({"Name": "a"})),
        "FailedOperation.OrganizationNodeNameUsed",
    );
    p.fails(
        V21,
        "UpdateOrganizationNode",
        HOST,
        upd(x, json!({"Name": "bad/name"})),
        "InvalidParameterValue",
    );

    // Deleting.
    for (v, key) in [(V18, "NodeIds"), (V21, "NodeId")] {
        no_org(&p, v, "DeleteOrganizationNodes", json!({key: [a]}));
        p.fails(
            v,
            "DeleteOrganizationNodes",
            HOST,
            json!({key: [777]}),
            "ResourceNotFound",
        );
        p.fails(
            v,
            "DeleteOrganizationNodes",
            HOST,
            json!({key: [root]}),
            "FailedOperation",
        );
        p.fails(
            v,
            "DeleteOrganizationNodes",
            HOST,
            json!({key: [x_child]}),
            "FailedOperation.NodeNotEmpty",
        );
    }
    p.fails(
        V18,
        "DeleteOrganizationNodes",
        HOST,
        json!({"NodeIds": [c]}),
        "FailedOperation.NodeNotEmpty",
    );
    p.fails(
        V21,
        "DeleteOrganizationNodes",
        HOST,
        json!({"NodeId": [c]}),
        "FailedOperation.OrganizationNodeNotEmpty",
    );
    // Nothing of a failed batch went: d and c together succeed.
    p.ok(
        V21,
        "DeleteOrganizationNodes",
        HOST,
        json!({"NodeId": [d, c]}),
    );

    // Listing.
    no_org(&p, V18, "ListOrganizationNodes", json!({}));
    no_org(
        &p,
        V21,
        "DescribeOrganizationNodes",
        json!({"Offset": 0, "Limit": 10}),
    );
    p.fails(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Offset": 0, "Limit": 0}),
        "InvalidParameterValue",
    );

    // The unit limit: the root and 999 more.
    let existing = p.ok(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Offset": 0, "Limit": 1}),
    )["Total"]
        .as_u64()
        .unwrap() as usize;
    for i in existing..MAX_NODES {
        p.node(HOST, root, &format!("bulk{i}"));
    }
    for v in [V18, V21] {
        p.fails(
            v,
            "AddOrganizationNode",
            HOST,
            json!({"ParentNodeId": root, "Name": "one_more"}),
            "LimitExceeded.NodeExceedLimit",
        );
    }
    p.failed()
}

pub(super) fn members() -> Seen {
    let (p, root) = with_org();
    let org_id = p.ok(V21, "DescribeOrganization", HOST, json!({}))["OrgId"]
        .as_u64()
        .unwrap();
    let unit = p.node(HOST, root, "unit");
    p.join(HOST, ALICE, "alice");
    p.join(HOST, BOB, "bob");
    let created = p.created(HOST, root, "svc");
    let _ = org_id;

    // Lists.
    no_org(&p, V18, "ListOrganizationMembers", json!({}));
    p.fails(
        V18,
        "ListOrganizationMembers",
        HOST,
        json!({"Limit": 51}),
        "InvalidParameterValue",
    );
    no_org(
        &p,
        V18,
        "ListOrganizationNodeMembers",
        json!({"NodeId": root}),
    );
    p.fails(
        V18,
        "ListOrganizationNodeMembers",
        HOST,
        json!({"NodeId": 777}),
        "ResourceNotFound.NodeNotExist",
    );
    p.fails(
        V18,
        "ListOrganizationNodeMembers",
        HOST,
        json!({"NodeId": root, "Limit": 0}),
        "InvalidParameterValue",
    );
    no_org(
        &p,
        V21,
        "DescribeOrganizationMembers",
        json!({"Offset": 0, "Limit": 10}),
    );
    p.fails(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10, "NodeId": 777}),
        "ResourceNotFound.OrganizationNodeNotExist",
    );
    p.fails(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 51}),
        "InvalidParameterValue",
    );
    no_org(
        &p,
        V18,
        "GetOrganizationMember",
        json!({"MemberUin": ALICE}),
    );
    p.fails(
        V18,
        "GetOrganizationMember",
        HOST,
        json!({"MemberUin": CAROL}),
        "ResourceNotFound",
    );

    // Moves.
    for (v, action, key, missing) in [
        (
            V18,
            "MoveOrganizationMembersToNode",
            "Uins",
            "ResourceNotFound.NodeNotExist",
        ),
        (
            V21,
            "MoveOrganizationNodeMembers",
            "MemberUin",
            "ResourceNotFound.OrganizationNodeNotExist",
        ),
    ] {
        no_org(&p, v, action, json!({"NodeId": unit, key: [ALICE]}));
        p.fails(
            v,
            action,
            HOST,
            json!({"NodeId": 777, key: [ALICE]}),
            missing,
        );
        p.fails(
            v,
            action,
            HOST,
            json!({"NodeId": unit, key: [ALICE, CAROL]}),
            "FailedOperation.SomeUinsNotInOrganization",
        );
    }
    // The failed batch moved nobody.
    let alice = p.ok(
        V18,
        "GetOrganizationMember",
        HOST,
        json!({"MemberUin": ALICE}),
    );
    assert_eq!(alice["NodeId"], root);

    // Updates, 2018.
    no_org(
        &p,
        V18,
        "UpdateOrganizationMember",
        json!({"MemberUin": ALICE}),
    );
    p.fails(
        V18,
        "UpdateOrganizationMember",
        HOST,
        json!({"MemberUin": CAROL, "Name": "c"}),
        "ResourceNotFound.MemberNotExist",
    );
    p.fails(
        V18,
        "UpdateOrganizationMember",
        HOST,
        json!({"MemberUin": ALICE, "Name": "bob"}),
        "FailedOperation.MemberNameUsed",
    );
    p.fails(
        V18,
        "UpdateOrganizationMember",
        HOST,
        json!({"MemberUin": ALICE, "Name": "a name with spaces"}),
        "InvalidParameterValue",
    );

    // Updates, 2021.
    let update = |extra: Value| {
        let mut params = json!({"MemberUin": ALICE});
        params
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        params
    };
    no_org(&p, V21, "UpdateOrganizationMember", update(json!({})));
    p.fails(
        V21,
        "UpdateOrganizationMember",
        HOST,
        json!({"MemberUin": CAROL}),
        "ResourceNotFound.MemberNotExist",
    );
    let cases = [
        (json!({"Name": "bob"}), "FailedOperation.MemberNameUsed"),
        (json!({"Name": "x".repeat(26)}), "InvalidParameterValue"),
        (json!({"IsAllowQuit": "Maybe"}), "InvalidParameterValue"),
        (json!({"IsModifyNickName": 2}), "InvalidParameterValue"),
        (
            json!({"PolicyType": "Other", "PermissionIds": [1, 2]}),
            "FailedOperation.OrganizationPolicyIllegal",
        ),
        (
            json!({"PermissionIds": [1, 2]}),
            "FailedOperation.OrganizationPolicyIllegal",
        ),
        (
            json!({"PolicyType": "Financial"}),
            "FailedOperation.OrganizationPermissionIllegal",
        ),
        (
            json!({"PolicyType": "Financial", "PermissionIds": [1]}),
            "FailedOperation.OrganizationPermissionIllegal",
        ),
        (
            json!({"PolicyType": "Financial", "PermissionIds": [1, 2, 11]}),
            "FailedOperation.OrganizationPermissionIllegal",
        ),
        (
            json!({"PolicyType": "Financial", "PermissionIds": [1, 2, 7]}),
            "FailedOperation.PayUinIllegal",
        ),
        (json!({"PayUin": "123"}), "FailedOperation.PayUinIllegal"),
    ];
    for (extra, code) in cases {
        p.fails(V21, "UpdateOrganizationMember", HOST, update(extra), code);
    }

    // Removing from a unit.
    p.ok(
        V18,
        "MoveOrganizationMembersToNode",
        HOST,
        json!({"NodeId": unit, "Uins": [ALICE]}),
    );
    let from = |uin: u64, node: u64| json!({"MemberUin": uin, "NodeId": node});
    no_org(
        &p,
        V18,
        "DeleteOrganizationMemberFromNode",
        from(ALICE, unit),
    );
    p.fails(
        V18,
        "DeleteOrganizationMemberFromNode",
        HOST,
        from(ALICE, 777),
        "ResourceNotFound.NodeNotExist",
    );
    p.fails(
        V18,
        "DeleteOrganizationMemberFromNode",
        HOST,
        from(BOB, root),
        "FailedOperation.DisableDeleteMemberFromRootNode",
    );
    p.fails(
        V18,
        "DeleteOrganizationMemberFromNode",
        HOST,
        from(BOB, unit),
        "ResourceNotFound",
    );
    p.fails(
        V18,
        "DeleteOrganizationMemberFromNode",
        HOST,
        from(CAROL, unit),
        "ResourceNotFound",
    );

    // Removing from the organization.
    no_org(
        &p,
        V18,
        "DeleteOrganizationMembers",
        json!({"Uins": [ALICE]}),
    );
    p.fails(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({"Uins": [ALICE, CAROL]}),
        "ResourceNotFound",
    );
    p.fails(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({"Uins": [HOST]}),
        "FailedOperation",
    );
    p.fails(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({"Uins": [created]}),
        "UnsupportedOperation",
    );
    no_org(
        &p,
        V21,
        "DeleteOrganizationMembers",
        json!({"MemberUin": [ALICE]}),
    );
    p.fails(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [CAROL]}),
        "ResourceNotFound",
    );
    p.fails(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [HOST]}),
        "FailedOperation.DisableQuitSelfCreatedOrganization",
    );
    p.fails(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [ALICE, created]}),
        "UnsupportedOperation.CreateMemberNotAllowDelete",
    );
    // Alice was not removed by the failed batch.
    assert!(p.members(HOST).contains(&ALICE));

    // Creating.
    let create = |extra: Value| {
        let mut params = create_member(root, "new_member");
        params
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        params
    };
    no_org(&p, V21, "CreateOrganizationMember", create(json!({})));
    let cases = [
        (json!({"Name": "bad name"}), "InvalidParameterValue"),
        (json!({"AccountName": ""}), "InvalidParameterValue"),
        (
            json!({"Tags": too_many_tags()}),
            "InvalidParameter.TagError",
        ),
        (
            json!({"NodeId": 777}),
            "ResourceNotFound.OrganizationNodeNotExist",
        ),
        (
            json!({"PolicyType": "Other"}),
            "FailedOperation.OrganizationPolicyIllegal",
        ),
        (
            json!({"PermissionIds": [2]}),
            "FailedOperation.OrganizationPermissionIllegal",
        ),
        (
            json!({"PermissionIds": [1, 2, 7]}),
            "FailedOperation.PayUinIllegal",
        ),
        (json!({"PayUin": "999"}), "FailedOperation.PayUinIllegal"),
        (json!({"Name": "alice"}), "FailedOperation.MemberNameUsed"),
    ];
    for (extra, code) in cases {
        p.fails(V21, "CreateOrganizationMember", HOST, create(extra), code);
    }
    // Pay on behalf with the manager as payer is fine.
    p.ok(
        V21,
        "CreateOrganizationMember",
        HOST,
        create(json!({"PermissionIds": [1, 2, 7], "PayUin": HOST.to_string()})),
    );
    p.failed()
}

/// The member limit, pending invitations included, for all three ways in.
pub(super) fn member_limit() -> Seen {
    let (p, root) = with_org();
    p.ok(
        V18,
        "SendOrganizationInvitation",
        HOST,
        json!({"InviteUin": ALICE, "Name": "alice", "Remark": ""}),
    );
    for i in 1..MAX_MEMBERS {
        p.created(HOST, root, &format!("m{i}"));
    }
    p.fails(
        V21,
        "CreateOrganizationMember",
        HOST,
        create_member(root, "one_more"),
        "LimitExceeded.OrganizationMemberOverLimit",
    );
    p.fails(
        V21,
        "InviteOrganizationMember",
        HOST,
        json!({"MemberUin": BOB, "Name": "bob", "PolicyType": "Financial",
               "PermissionIds": [1, 2], "NodeId": root}),
        "LimitExceeded.OrganizationMemberOverLimit",
    );
    p.fails(
        V18,
        "SendOrganizationInvitation",
        HOST,
        json!({"InviteUin": BOB, "Name": "bob", "Remark": ""}),
        "LimitExceeded.Members",
    );
    // Accepting the counted invitation still fits.
    let id = p.pending_invitation(ALICE);
    p.ok(
        V18,
        "AcceptOrganizationInvitation",
        ALICE,
        json!({"Id": id}),
    );
    assert_eq!(p.members(HOST).len(), MAX_MEMBERS);
    p.failed()
}

pub(super) fn invitations() -> Seen {
    let (p, root) = with_org();
    p.org(CAROL); // another organization
    p.join(HOST, ALICE, "alice");
    let send = |uin: u64, name: &str| json!({"InviteUin": uin, "Name": name, "Remark": ""});
    let invite = |uin: u64, name: &str, extra: Value| {
        let mut params = json!({"MemberUin": uin, "Name": name, "PolicyType": "Financial",
                                "PermissionIds": [1, 2], "NodeId": root});
        params
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        params
    };

    // 2018.
    p.fails(
        V18,
        "SendOrganizationInvitation",
        BOB,
        send(ALICE, "a"),
        NO_ORG,
    );
    p.fails(
        V18,
        "SendOrganizationInvitation",
        HOST,
        send(BOB, "b:c,d?"),
        "InvalidParameterValue",
    );
    p.fails(
        V18,
        "SendOrganizationInvitation",
        HOST,
        send(NOBODY, "n"),
        "ResourceNotFound.UserNotExist",
    );
    for (who, name) in [(HOST, "me"), (ALICE, "again"), (CAROL, "other")] {
        p.fails(
            V18,
            "SendOrganizationInvitation",
            HOST,
            send(who, name),
            "FailedOperation.UserInOrganization",
        );
    }
    p.fails(
        V18,
        "SendOrganizationInvitation",
        HOST,
        send(BOB, "alice"),
        "FailedOperation.MemberNameUsed",
    );
    p.ok(V18, "SendOrganizationInvitation", HOST, send(BOB, "bob"));
    p.fails(
        V18,
        "SendOrganizationInvitation",
        HOST,
        send(BOB, "bob2"),
        "FailedOperation.ReSentInvitation",
    );
    // The pending invitation holds its name.
    p.fails(
        V21,
        "CreateOrganizationMember",
        HOST,
        create_member(root, "bob"),
        "FailedOperation.MemberNameUsed",
    );

    // 2021.
    let ok_invite = |who: u64| invite(who, "someone", json!({}));
    p.fails(
        V21,
        "InviteOrganizationMember",
        BOB,
        ok_invite(CAROL),
        NO_ORG,
    );
    let cases = [
        (invite(BOB, "has space", json!({})), "InvalidParameterValue"),
        (
            invite(BOB, "x", json!({"IsAllowQuit": "sometimes"})),
            "InvalidParameterValue",
        ),
        (
            invite(BOB, "x", json!({"Tags": too_many_tags()})),
            "InvalidParameter.TagError",
        ),
        (
            invite(BOB, "x", json!({"NodeId": 777})),
            "ResourceNotFound.OrganizationNodeNotExist",
        ),
        (
            invite(BOB, "x", json!({"PolicyType": "Other"})),
            "FailedOperation.OrganizationPolicyIllegal",
        ),
        (
            invite(BOB, "x", json!({"PermissionIds": [0, 1, 2]})),
            "FailedOperation.OrganizationPermissionIllegal",
        ),
        (
            invite(BOB, "x", json!({"PayUin": CAROL.to_string()})),
            "FailedOperation.PayUinIllegal",
        ),
        (ok_invite(NOBODY), "ResourceNotFound"),
        (ok_invite(ALICE), "FailedOperation.OrganizationMemberExist"),
        (ok_invite(HOST), "FailedOperation.OrganizationMemberExist"),
        (
            ok_invite(CAROL),
            "FailedOperation.MemberExistInOtherOrganization",
        ),
        (ok_invite(BOB), "FailedOperation.InvitationExist"),
        (
            invite(CAROL + 1000, "alice", json!({})),
            "FailedOperation.MemberNameUsed",
        ),
    ];
    p.world.register_account(CAROL + 1000, "dave");
    for (params, code) in cases {
        p.fails(V21, "InviteOrganizationMember", HOST, params, code);
    }

    // Listing, answering, cancelling.
    p.fails(
        V18,
        "ListOrganizationInvitations",
        BOB,
        json!({"Invited": 2}),
        "InvalidParameterValue",
    );
    for action in [
        "AcceptOrganizationInvitation",
        "DenyOrganizationInvitation",
        "CancelOrganizationInvitation",
    ] {
        p.fails(
            V18,
            action,
            HOST,
            json!({"Id": 4242}),
            "ResourceNotFound.InvitationNotExist",
        );
    }
    // Bob, invited by two organizations, joins one: the other invitation can no longer be
    // accepted.
    p.ok(V18, "DeleteOrganization", CAROL, json!({}));
    let other_host = CAROL;
    p.org(other_host);
    p.ok(
        V18,
        "SendOrganizationInvitation",
        other_host,
        send(BOB, "bob"),
    );
    let ids: Vec<u64> = p.ok(
        V18,
        "ListOrganizationInvitations",
        BOB,
        json!({"Invited": 1}),
    )["Invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["Id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    p.ok(
        V18,
        "AcceptOrganizationInvitation",
        BOB,
        json!({"Id": ids[0]}),
    );
    p.fails(
        V18,
        "AcceptOrganizationInvitation",
        BOB,
        json!({"Id": ids[1]}),
        "FailedOperation.InOrganizationAlready",
    );
    // A decided invitation is no longer pending.
    p.fails(
        V18,
        "DenyOrganizationInvitation",
        BOB,
        json!({"Id": ids[0]}),
        "ResourceNotFound.InvitationNotExist",
    );
    p.failed()
}

pub(super) fn emails() -> Seen {
    let (p, root) = with_org();
    p.join(HOST, ALICE, "alice");
    let m1 = p.created(HOST, root, "m1");
    let m2 = p.created(HOST, root, "m2");
    let add = |uin: u64, email: &str| json!({"MemberUin": uin, "Email": email, "CountryCode": "86", "Phone": "18***11"});
    no_org(
        &p,
        V21,
        "AddOrganizationMemberEmail",
        add(m1, "a@example.com"),
    );
    p.fails(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        add(CAROL, "a@example.com"),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    p.fails(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        add(ALICE, "a@example.com"),
        "UnsupportedOperation",
    );
    p.fails(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        add(m1, "not-an-email"),
        "InvalidParameterValue",
    );
    let bind = p.ok(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        add(m1, "a@example.com"),
    )["BindId"]
        .as_u64()
        .unwrap();
    p.fails(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        add(m1, "b@example.com"),
        "FailedOperation.MemberEmailExist",
    );
    p.fails(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        add(m2, "A@example.com"),
        "FailedOperation.EmailAlreadyUsed",
    );

    no_org(
        &p,
        V21,
        "DescribeOrganizationMemberEmailBind",
        json!({"MemberUin": m1}),
    );
    p.fails(
        V21,
        "DescribeOrganizationMemberEmailBind",
        HOST,
        json!({"MemberUin": CAROL}),
        "ResourceNotFound.OrganizationMemberNotExist",
    );

    let update = |uin: u64, bind: u64, email: &str| {
        json!({"MemberUin": uin, "BindId": bind, "Email": email, "CountryCode": "86",
               "Phone": "18***11"})
    };
    p.ok(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        add(m2, "b@example.com"),
    );
    no_org(
        &p,
        V21,
        "UpdateOrganizationMemberEmailBind",
        update(m1, bind, "c@example.com"),
    );
    p.fails(
        V21,
        "UpdateOrganizationMemberEmailBind",
        HOST,
        update(CAROL, bind, "c@example.com"),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    p.fails(
        V21,
        "UpdateOrganizationMemberEmailBind",
        HOST,
        update(m1, bind + 100, "c@example.com"),
        "ResourceNotFound.EmailBindRecordNotExist",
    );
    p.fails(
        V21,
        "UpdateOrganizationMemberEmailBind",
        HOST,
        update(m1, bind, "c@"),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "UpdateOrganizationMemberEmailBind",
        HOST,
        update(m1, bind, "b@example.com"),
        "FailedOperation.EmailAlreadyUsed",
    );
    // Its own address again is fine.
    p.ok(
        V21,
        "UpdateOrganizationMemberEmailBind",
        HOST,
        update(m1, bind, "a@example.com"),
    );
    p.failed()
}

#[test]
fn organization_errors() {
    organizations();
}

#[test]
fn node_errors() {
    nodes();
}

#[test]
fn member_errors() {
    members();
}

#[test]
fn member_limit_errors() {
    member_limit();
}

#[test]
fn invitation_errors() {
    invitations();
}

#[test]
fn email_errors() {
    emails();
}

/// Every (action, code) the coverage table lists is produced by one of the triggers above.
#[test]
fn every_modelled_error_has_a_trigger() {
    let mut seen = Seen::new();
    for part in [
        organizations,
        nodes,
        members,
        member_limit,
        invitations,
        emails,
        super::member_login::errors,
        super::services::errors,
        super::services::cascades,
        super::sharing::errors,
        super::sharing::cascades,
        super::resend::errors,
        super::identity_center_zone::all_triggers,
        super::identity_center_access::all_triggers,
    ] {
        seen.extend(part());
    }
    seen.extend(super::policies::all_errors());
    let mut missing = Vec::new();
    for row in coverage() {
        for code in &row.errors_modelled {
            if !seen.contains(&(row.version, row.action.to_owned(), (*code).to_owned())) {
                missing.push(format!("{} {} {code}", row.version, row.action));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no trigger for:\n{}",
        missing.join("\n")
    );
}
