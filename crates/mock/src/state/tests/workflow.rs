//! Workflows end to end, for each version and across them.

use serde_json::{json, Value};

use super::*;

fn uins(list: &Value, key: &str, field: &str) -> Vec<u64> {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[field].as_u64().unwrap())
        .collect()
}

/// The 2018 workflow: organization, units, invited members, moves, updates, then teardown.
pub(super) fn run_2018(p: &Probe) {
    let created = p.ok(V18, "CreateOrganization", HOST, json!({"OrgType": 1}));
    assert_eq!(created["Nickname"], "host_name");
    assert_eq!(created["OrgType"], 1);
    let org_id = created["OrgId"].as_u64().unwrap();

    let got = p.ok(V18, "GetOrganization", HOST, json!({}));
    assert_eq!(got["OrgId"], org_id);
    assert_eq!(got["HostUin"], HOST);
    assert_eq!(got["IsEmpty"], 1);

    let nodes = p.ok(V18, "ListOrganizationNodes", HOST, json!({}));
    let root = nodes["Nodes"][0]["NodeId"].as_u64().unwrap();
    assert_eq!(nodes["Nodes"].as_array().unwrap().len(), 1);
    assert_eq!(nodes["Nodes"][0]["ParentNodeId"], 0);
    assert_eq!(nodes["Nodes"][0]["Name"], "Root");

    let sales = p.node(HOST, root, "sales");
    let emea = p.node(HOST, sales, "emea");

    p.join(HOST, ALICE, "alice_member");
    p.join(HOST, BOB, "bob_member");
    let members = p.ok(
        V18,
        "ListOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10}),
    );
    assert_eq!(members["TotalCount"], 2);
    assert_eq!(uins(&members, "Members", "Uin"), vec![ALICE, BOB]);
    assert_eq!(members["Members"][0]["Name"], "alice_member");
    assert_eq!(members["Members"][0]["JoinTime"], "2021-04-16 11:49:39");
    assert_eq!(p.ok(V18, "GetOrganization", ALICE, json!({}))["IsEmpty"], 0);

    p.ok(
        V18,
        "MoveOrganizationMembersToNode",
        HOST,
        json!({"NodeId": emea, "Uins": [ALICE, BOB]}),
    );
    p.ok(
        V18,
        "MoveOrganizationMembersToNode",
        HOST,
        json!({"NodeId": sales, "Uins": [BOB]}),
    );
    let in_emea = p.ok(
        V18,
        "ListOrganizationNodeMembers",
        HOST,
        json!({"NodeId": emea}),
    );
    assert_eq!(in_emea["TotalCount"], 1);
    assert_eq!(uins(&in_emea, "Members", "Uin"), vec![ALICE]);

    let alice = p.ok(
        V18,
        "GetOrganizationMember",
        HOST,
        json!({"MemberUin": ALICE}),
    );
    assert_eq!(alice["NodeId"], emea);
    assert_eq!(alice["NodeName"], "emea");
    assert_eq!(alice["ParentNodeId"], sales);

    let listed = p.ok(V18, "ListOrganizationNodes", HOST, json!({}));
    let counts: Vec<(u64, u64)> = listed["Nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["NodeId"].as_u64().unwrap(),
                n["MemberCount"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts, vec![(root, 0), (sales, 1), (emea, 1)]);

    p.ok(
        V18,
        "UpdateOrganizationMember",
        HOST,
        json!({"MemberUin": ALICE, "Name": "alice_renamed", "Remark": "lead"}),
    );
    let alice = p.ok(
        V18,
        "GetOrganizationMember",
        ALICE,
        json!({"MemberUin": ALICE}),
    );
    assert_eq!(
        (alice["Name"].as_str(), alice["Remark"].as_str()),
        (Some("alice_renamed"), Some("lead"))
    );

    // Move emea (with Alice) up to the root, renamed.
    p.ok(
        V18,
        "UpdateOrganizationNode",
        HOST,
        json!({"NodeId": emea, "Name": "europe", "ParentNodeId": root}),
    );
    let alice = p.ok(
        V18,
        "GetOrganizationMember",
        HOST,
        json!({"MemberUin": ALICE}),
    );
    assert_eq!(
        (alice["NodeName"].as_str(), alice["ParentNodeId"].as_u64()),
        (Some("europe"), Some(root))
    );

    // Alice back to the root; her unit can then go.
    p.ok(
        V18,
        "DeleteOrganizationMemberFromNode",
        HOST,
        json!({"MemberUin": ALICE, "NodeId": emea}),
    );
    assert_eq!(
        p.ok(
            V18,
            "GetOrganizationMember",
            HOST,
            json!({"MemberUin": ALICE})
        )["NodeId"],
        root
    );
    p.ok(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({"Uins": [BOB]}),
    );
    p.ok(
        V18,
        "DeleteOrganizationNodes",
        HOST,
        json!({"NodeIds": [emea, sales]}),
    );
    assert_eq!(
        p.ok(V18, "ListOrganizationNodes", HOST, json!({}))["Nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    p.ok(V18, "QuitOrganization", ALICE, json!({"OrgId": org_id}));
    p.ok(V18, "DeleteOrganization", HOST, json!({}));
    p.fails(
        V18,
        "GetOrganization",
        HOST,
        json!({}),
        "ResourceNotFound.OrganizationNotExist",
    );
    // Everyone is free again.
    p.org(ALICE);
    p.ok(V18, "DeleteOrganization", ALICE, json!({}));
}

/// The 2021 workflow: organization, tagged units, created and invited members, paging,
/// updates, email binding, then teardown.
pub(super) fn run_2021(p: &Probe) {
    let created = p.ok(V21, "CreateOrganization", HOST, json!({}));
    assert_eq!(created["NickName"], "host_name");
    let org_id = created["OrgId"].as_u64().unwrap();

    let org = p.ok(V21, "DescribeOrganization", HOST, json!({"Lang": "en"}));
    assert_eq!(org["OrgId"], org_id);
    assert_eq!(org["IsManager"], true);
    assert_eq!(org["CreateTime"], "2021-04-16 11:49:39");
    let root = org["RootNodeId"].as_u64().unwrap();

    let ops = p.ok(
        V21,
        "AddOrganizationNode",
        HOST,
        json!({"ParentNodeId": root, "Name": "ops", "Remark": "operations",
               "Tags": [{"TagKey": "team", "TagValue": "ops"}]}),
    )["NodeId"]
        .as_u64()
        .unwrap();
    let dev = p.ok(
        V21,
        "AddOrganizationNode",
        HOST,
        json!({"ParentNodeId": root, "Name": "dev"}),
    )["NodeId"]
        .as_u64()
        .unwrap();
    let nodes = p.ok(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Limit": 10, "Offset": 0}),
    );
    assert_eq!(nodes["Total"], 3);
    assert_eq!(nodes["Items"][1]["Remark"], "operations");
    assert_eq!(nodes["Items"][1]["ParentNodeId"], root);
    let tagged = p.ok(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Limit": 10, "Offset": 0, "Tags": [{"TagKey": "team", "TagValue": "ops"}]}),
    );
    assert_eq!(tagged["Total"], 1);
    assert_eq!(tagged["Items"][0]["NodeId"], ops);

    let m1 = p.created(HOST, ops, "svc_one");
    let m2 = p.created(HOST, ops, "svc_two");
    let m3 = p.created(HOST, dev, "svc_three");
    assert!(
        (100_000_000_000..1_000_000_000_000).contains(&m1),
        "12-digit UIN"
    );
    assert!(m1 != m2 && m2 != m3);

    p.ok(
        V21,
        "InviteOrganizationMember",
        HOST,
        json!({"MemberUin": BOB, "Name": "bob_member", "PolicyType": "Financial",
               "PermissionIds": [1, 2, 4], "NodeId": dev, "IsAllowQuit": "Denied",
               "Tags": [{"TagKey": "team", "TagValue": "dev"}]}),
    );
    let id = p.pending_invitation(BOB);
    p.ok(V18, "AcceptOrganizationInvitation", BOB, json!({"Id": id}));

    // Paging: 4 members, pages of 3.
    let first = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 3}),
    );
    let second = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 3, "Limit": 3}),
    );
    assert_eq!(
        (first["Total"].as_u64(), second["Total"].as_u64()),
        (Some(4), Some(4))
    );
    let mut all = uins(&first, "Items", "MemberUin");
    all.extend(uins(&second, "Items", "MemberUin"));
    let mut expected = vec![m1, m2, m3, BOB];
    expected.sort();
    assert_eq!(all, expected);

    let bob = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10, "SearchKey": "bob"}),
    );
    assert_eq!(bob["Total"], 1);
    let item = &bob["Items"][0];
    assert_eq!(item["MemberType"], "Invite");
    assert_eq!(item["NodeId"], dev);
    assert_eq!(item["NodeName"], "dev");
    assert_eq!(item["IsAllowQuit"], "Denied");
    assert_eq!(item["OrgPermission"].as_array().unwrap().len(), 3);
    let in_ops = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10, "NodeId": ops}),
    );
    assert_eq!(uins(&in_ops, "Items", "MemberUin"), vec![m1, m2]);
    assert_eq!(in_ops["Items"][0]["MemberType"], "Create");
    assert_eq!(in_ops["Items"][0]["BindStatus"], "Unbound");
    let by_tag = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10, "NodeName": "dev",
               "Tags": [{"TagKey": "team", "TagValue": "dev"}]}),
    );
    assert_eq!(uins(&by_tag, "Items", "MemberUin"), vec![BOB]);

    // A member's own view.
    let seen_by_bob = p.ok(V21, "DescribeOrganization", BOB, json!({}));
    assert_eq!(seen_by_bob["IsManager"], false);
    assert_eq!(seen_by_bob["OrgPolicyType"], "Financial");
    assert_eq!(seen_by_bob["IsAllowQuit"], "Denied");
    p.fails(
        V21,
        "QuitOrganization",
        BOB,
        json!({"OrgId": org_id}),
        "UnsupportedOperation.MemberNotAllowQuit",
    );

    p.ok(
        V21,
        "UpdateOrganizationMember",
        HOST,
        json!({"MemberUin": BOB, "Name": "bob_renamed", "IsAllowQuit": "allow",
               "PolicyType": "Financial", "PermissionIds": [1, 2, 7], "PayUin": HOST.to_string(),
               "IsModifyNickName": 1}),
    );
    let bob = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10, "SearchKey": BOB.to_string()}),
    );
    let item = &bob["Items"][0];
    assert_eq!(item["Name"], "bob_renamed");
    assert_eq!(item["NickName"], "bob_renamed");
    assert_eq!(item["PayUin"], HOST.to_string());
    assert_eq!(item["PayName"], "host_name");
    assert_eq!(item["IsAllowQuit"], "Allow");

    p.ok(
        V21,
        "MoveOrganizationNodeMembers",
        HOST,
        json!({"NodeId": dev, "MemberUin": [m1, m2]}),
    );
    p.ok(
        V21,
        "UpdateOrganizationNode",
        HOST,
        json!({"NodeId": ops, "Name": "operations", "Remark": "now empty"}),
    );
    p.ok(
        V21,
        "DeleteOrganizationNodes",
        HOST,
        json!({"NodeId": [ops]}),
    );

    // Created members leave only once an email is bound.
    p.fails(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [m1]}),
        "UnsupportedOperation.CreateMemberNotAllowDelete",
    );
    let unbound = p.ok(
        V21,
        "DescribeOrganizationMemberEmailBind",
        HOST,
        json!({"MemberUin": m1}),
    );
    assert_eq!(unbound["BindStatus"], "Unbound");
    for (i, m) in [m1, m2, m3].into_iter().enumerate() {
        let bind = p.ok(
            V21,
            "AddOrganizationMemberEmail",
            HOST,
            json!({"MemberUin": m, "Email": format!("m{i}@example.com"), "CountryCode": "86",
                   "Phone": "18***11"}),
        )["BindId"]
            .as_u64()
            .unwrap();
        if m == m1 {
            p.ok(
                V21,
                "UpdateOrganizationMemberEmailBind",
                HOST,
                json!({"MemberUin": m, "BindId": bind, "Email": "first@example.com",
                       "CountryCode": "86", "Phone": "18***12"}),
            );
        }
    }
    let bound = p.ok(
        V21,
        "DescribeOrganizationMemberEmailBind",
        HOST,
        json!({"MemberUin": m1}),
    );
    assert_eq!(bound["BindStatus"], "Success");
    assert_eq!(bound["Email"], "first@example.com");
    assert_eq!(bound["Phone"], "18***12");

    p.fails(
        V21,
        "DeleteOrganization",
        HOST,
        json!({}),
        "FailedOperation.OrganizationNotEmpty",
    );
    p.ok(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [m1, m2, m3]}),
    );
    p.ok(V21, "QuitOrganization", BOB, json!({"OrgId": org_id}));
    p.ok(
        V21,
        "DeleteOrganizationNodes",
        HOST,
        json!({"NodeId": [dev]}),
    );
    p.ok(V21, "DeleteOrganization", HOST, json!({}));
    p.fails(
        V21,
        "DescribeOrganization",
        HOST,
        json!({}),
        "ResourceNotFound.OrganizationNotExist",
    );
}

#[test]
fn workflow_2018_end_to_end() {
    run_2018(&Probe::new());
}

#[test]
fn workflow_2021_end_to_end() {
    run_2021(&Probe::new());
}

#[test]
fn both_versions_see_one_world() {
    let p = Probe::new();
    let org_id = p.org(HOST);
    let described = p.ok(V21, "DescribeOrganization", HOST, json!({}));
    assert_eq!(described["OrgId"], org_id);
    assert_eq!(described["HostUin"], HOST);
    assert_eq!(described["NickName"], "host_name");
    let root = described["RootNodeId"].as_u64().unwrap();

    // A 2021 unit and member, seen through 2018.
    let unit = p.ok(
        V21,
        "AddOrganizationNode",
        HOST,
        json!({"ParentNodeId": root, "Name": "shared"}),
    )["NodeId"]
        .as_u64()
        .unwrap();
    let member = p.created(HOST, unit, "svc");
    let nodes = p.ok(V18, "ListOrganizationNodes", HOST, json!({}));
    assert_eq!(nodes["Nodes"][1]["NodeId"], unit);
    assert_eq!(nodes["Nodes"][1]["MemberCount"], 1);
    let got = p.ok(
        V18,
        "GetOrganizationMember",
        HOST,
        json!({"MemberUin": member}),
    );
    assert_eq!(got["NodeName"], "shared");
    assert_eq!(p.ok(V18, "GetOrganization", HOST, json!({}))["IsEmpty"], 0);

    // A 2018 member, seen and moved through 2021.
    p.join(HOST, ALICE, "alice");
    p.ok(
        V21,
        "MoveOrganizationNodeMembers",
        HOST,
        json!({"NodeId": unit, "MemberUin": [ALICE]}),
    );
    let listed = p.ok(
        V18,
        "ListOrganizationNodeMembers",
        HOST,
        json!({"NodeId": unit}),
    );
    assert_eq!(listed["TotalCount"], 2);

    // Either version's create sees the other's organization.
    p.fails(
        V21,
        "CreateOrganization",
        HOST,
        json!({}),
        "FailedOperation.OrganizationExistAlready",
    );
    p.fails(
        V18,
        "CreateOrganization",
        ALICE,
        json!({"OrgType": 1}),
        "FailedOperation.OrganizationExistAlready",
    );

    // Deleting with 2021 removes it for 2018.
    p.ok(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({"Uins": [ALICE]}),
    );
    p.ok(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        json!({"MemberUin": member, "Email": "svc@example.com", "CountryCode": "86", "Phone": "1"}),
    );
    p.ok(
        V18,
        "DeleteOrganizationMembers",
        HOST,
        json!({"Uins": [member]}),
    );
    p.ok(V21, "DeleteOrganization", HOST, json!({}));
    p.fails(
        V18,
        "ListOrganizationNodes",
        HOST,
        json!({}),
        "ResourceNotFound.OrganizationNotExist",
    );
}

#[test]
fn invitations_deny_cancel_expire_and_list_both_ways() {
    let p = Probe::new();
    p.org(HOST);
    let send = |who: u64, name: &str| {
        p.ok(
            V18,
            "SendOrganizationInvitation",
            HOST,
            json!({"InviteUin": who, "Name": name, "Remark": "please join"}),
        )
    };
    send(ALICE, "alice");
    send(BOB, "bob");
    send(CAROL, "carol");
    let (a, b, c) = (
        p.pending_invitation(ALICE),
        p.pending_invitation(BOB),
        p.pending_invitation(CAROL),
    );
    assert!(a < b && b < c);

    p.ok(V18, "DenyOrganizationInvitation", ALICE, json!({"Id": a}));
    p.ok(V18, "CancelOrganizationInvitation", HOST, json!({"Id": b}));
    // Only the invitee answers, only the sender cancels.
    p.fails(
        V18,
        "AcceptOrganizationInvitation",
        BOB,
        json!({"Id": c}),
        "ResourceNotFound.InvitationNotExist",
    );
    p.fails(
        V18,
        "CancelOrganizationInvitation",
        CAROL,
        json!({"Id": c}),
        "ResourceNotFound.InvitationNotExist",
    );

    let sent = p.ok(
        V18,
        "ListOrganizationInvitations",
        HOST,
        json!({"Invited": 0, "Offset": 0, "Limit": 10}),
    );
    assert_eq!(sent["TotalCount"], 3);
    let statuses: Vec<u64> = sent["Invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["Status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![2, 3, 0]);
    let row = &sent["Invitations"][2];
    assert_eq!(row["Uin"], CAROL);
    assert_eq!(row["HostUin"], HOST);
    assert_eq!(row["HostName"], "host_name");
    assert_eq!(row["InviteTime"], "2021-04-16 11:49:39");
    assert_eq!(row["ExpireTime"], "2021-04-16 14:49:39");

    // Three hours on, Carol's invitation has lapsed.
    p.now.set(NOW + 3 * 3600);
    p.fails(
        V18,
        "AcceptOrganizationInvitation",
        CAROL,
        json!({"Id": c}),
        "ResourceNotFound.InvitationNotExist",
    );
    let received = p.ok(
        V18,
        "ListOrganizationInvitations",
        CAROL,
        json!({"Invited": 1}),
    );
    assert_eq!(received["Invitations"][0]["Status"], 2);

    // A denied, cancelled or lapsed invitation can be sent again; the name is free again.
    send(ALICE, "alice");
    send(CAROL, "carol");
    p.ok(
        V18,
        "AcceptOrganizationInvitation",
        CAROL,
        json!({"Id": p.pending_invitation(CAROL)}),
    );
    assert_eq!(p.members(HOST), vec![CAROL]);
    // Accepted is status 1.
    let received = p.ok(
        V18,
        "ListOrganizationInvitations",
        CAROL,
        json!({"Invited": 1}),
    );
    assert_eq!(received["Invitations"][1]["Status"], 1);
}

#[test]
fn paging_edges() {
    let p = Probe::new();
    p.org(HOST);
    let root = p.root(HOST);
    for i in 0..7 {
        p.created(HOST, root, &format!("m{i}"));
        p.node(HOST, root, &format!("n{i}"));
    }
    p.ok(
        V18,
        "SendOrganizationInvitation",
        HOST,
        json!({"InviteUin": ALICE, "Name": "alice", "Remark": ""}),
    );

    let paged: [(Version, &str, Value, &str, &str); 5] = [
        (
            V18,
            "ListOrganizationMembers",
            json!({}),
            "Members",
            "TotalCount",
        ),
        (
            V18,
            "ListOrganizationNodeMembers",
            json!({"NodeId": root}),
            "Members",
            "TotalCount",
        ),
        (
            V18,
            "ListOrganizationInvitations",
            json!({"Invited": 0}),
            "Invitations",
            "TotalCount",
        ),
        (
            V21,
            "DescribeOrganizationNodes",
            json!({}),
            "Items",
            "Total",
        ),
        (
            V21,
            "DescribeOrganizationMembers",
            json!({}),
            "Items",
            "Total",
        ),
    ];
    for (v, action, base, items, total) in paged {
        let with = |offset: i64, limit: i64| {
            let mut params = base.clone();
            params["Offset"] = json!(offset);
            params["Limit"] = json!(limit);
            params
        };
        for limit in [0, 51] {
            let e = p.fails(v, action, HOST, with(0, limit), "InvalidParameterValue");
            assert!(e.message.contains("Limit"), "{}", e.message);
        }
        let full = p.ok(v, action, HOST, with(0, 50));
        let count = full[total].as_u64().unwrap();
        assert_eq!(
            full[items].as_array().unwrap().len() as u64,
            count,
            "{action}"
        );
        assert!(count >= 1);

        let beyond = p.ok(v, action, HOST, with(count as i64 + 5, 10));
        assert_eq!(beyond[items], json!([]), "{action}");
        assert_eq!(beyond[total], count, "{action}");

        // Pages of 2 partition the full list.
        let mut joined = Vec::new();
        let mut offset = 0;
        while offset < count as i64 {
            let page = p.ok(v, action, HOST, with(offset, 2));
            assert_eq!(page[total], count);
            joined.extend(page[items].as_array().unwrap().iter().cloned());
            offset += 2;
        }
        assert_eq!(Value::Array(joined), full[items], "{action}");
    }
    // Defaults: Limit 10.
    let default = p.ok(V18, "ListOrganizationMembers", HOST, json!({}));
    assert_eq!(default["Members"].as_array().unwrap().len(), 7);
    // int64 Offset below 0.
    p.fails(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Offset": -1, "Limit": 10}),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Offset": 0, "Limit": -3}),
        "InvalidParameterValue",
    );
}

#[test]
fn reset_empties_the_world_but_keeps_registered_accounts() {
    let p = Probe::new();
    let first = p.org(HOST);
    let root = p.root(HOST);
    let node = p.node(HOST, root, "a");
    let created = p.created(HOST, node, "svc");
    p.world.reset();
    p.fails(
        V18,
        "GetOrganization",
        HOST,
        json!({}),
        "ResourceNotFound.OrganizationNotExist",
    );
    // IDs start again; the created account is gone, registered ones remain invitable.
    assert_eq!(p.org(HOST), first);
    assert_eq!(p.root(HOST), root);
    p.join(HOST, ALICE, "alice");
    p.fails(
        V18,
        "SendOrganizationInvitation",
        HOST,
        json!({"InviteUin": created, "Name": "svc", "Remark": ""}),
        "ResourceNotFound.UserNotExist",
    );
}

#[test]
fn times_follow_the_injected_clock_in_utc() {
    let p = Probe::new();
    p.now.set(0);
    p.ok(V21, "CreateOrganization", HOST, json!({}));
    let org = p.ok(V21, "DescribeOrganization", HOST, json!({}));
    assert_eq!(org["CreateTime"], "1970-01-01 00:00:00");
    p.now.set(1_700_000_000);
    let root = p.root(HOST);
    p.ok(
        V21,
        "UpdateOrganizationNode",
        HOST,
        json!({"NodeId": root, "Remark": "top"}),
    );
    let nodes = p.ok(
        V21,
        "DescribeOrganizationNodes",
        HOST,
        json!({"Offset": 0, "Limit": 1}),
    );
    assert_eq!(nodes["Items"][0]["CreateTime"], "1970-01-01 00:00:00");
    assert_eq!(nodes["Items"][0]["UpdateTime"], "2023-11-14 22:13:20");
}

#[test]
fn unknown_actions_are_left_to_the_contract() {
    let w = World::new();
    let params = json!({});
    // Every documented action has state now; an action the contract does not know is the
    // gate's to refuse, never the state's to answer.
    for (version, action) in [(V21, "NoSuchAction"), (V18, "NoSuchAction")] {
        let call = Call {
            version,
            action,
            caller_uin: HOST,
            params: &params,
            now: NOW,
            now_millis: NOW * 1000,
        };
        assert!(w.handle(&call).is_none(), "{action}");
    }
}

#[test]
fn a_caller_the_world_never_heard_of_still_exists() {
    let p = Probe::new();
    let stranger = 100_000_000_777;
    p.org(HOST);
    p.fails(
        V18,
        "SendOrganizationInvitation",
        HOST,
        json!({"InviteUin": stranger, "Name": "x", "Remark": ""}),
        "ResourceNotFound.UserNotExist",
    );
    // Having called, it exists (it passed authentication), named by its UIN.
    let org = p.ok(V18, "CreateOrganization", stranger, json!({"OrgType": 1}));
    assert_eq!(org["Nickname"], stranger.to_string());
    p.ok(V18, "DeleteOrganization", stranger, json!({}));
    p.join(HOST, stranger, "x");
}
