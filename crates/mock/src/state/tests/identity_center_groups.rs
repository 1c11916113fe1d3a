//! Identity Center groups and their members, seen from both sides.

use serde_json::json;

use super::identity_center_zone::{
    group, ids, join, opened, user, walk, with_zone, zone_checks, Seen,
};
use super::*;

const NOT_EXIST: &str = "InvalidParameter.GroupNotExist";

fn scim(p: &Probe, zone: &str, status: &str) {
    p.ok(
        V21,
        "UpdateSCIMSynchronizationStatus",
        HOST,
        json!({"ZoneId": zone, "SCIMSynchronizationStatus": status}),
    );
}

pub(super) fn triggers() -> Seen {
    let (p, zone) = opened();
    let zone = zone.as_str();
    let g = group(&p, zone, "team", "Manual");
    let a = user(&p, zone, "a");
    for (action, params) in [
        ("CreateGroup", json!({"GroupName": "x"})),
        ("GetGroup", json!({"GroupId": g})),
        ("ListGroups", json!({})),
        ("UpdateGroup", json!({"GroupId": g})),
        ("DeleteGroup", json!({"GroupId": g})),
        ("AddUserToGroup", json!({"GroupId": g, "UserId": a})),
        ("RemoveUserFromGroup", json!({"GroupId": g, "UserId": a})),
        ("ListGroupMembers", json!({"GroupId": g})),
        ("ListJoinedGroupsForUser", json!({"UserId": a})),
    ] {
        zone_checks(&p, zone, action, params);
    }

    // CreateGroup and UpdateGroup: formats, lengths, uniqueness.
    let long = |n: usize| "x".repeat(n);
    for bad in [
        "",
        "with space",
        "under_score",
        "dot.ted",
        long(129).as_str(),
    ] {
        p.fails(
            V21,
            "CreateGroup",
            HOST,
            json!({"ZoneId": zone, "GroupName": bad}),
            "InvalidParameter.GroupNameFormatError",
        );
        p.fails(
            V21,
            "UpdateGroup",
            HOST,
            json!({"ZoneId": zone, "GroupId": g, "NewGroupName": bad}),
            "InvalidParameterValue",
        );
    }
    for (key, bad) in [
        ("Description", long(1025)),
        ("GroupType", "Imported".into()),
    ] {
        p.fails(
            V21,
            "CreateGroup",
            HOST,
            json!({"ZoneId": zone, "GroupName": "fine", key: bad}),
            "InvalidParameterValue",
        );
    }
    p.fails(
        V21,
        "UpdateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": g, "NewDescription": long(1025)}),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "CreateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupName": "TEAM"}),
        "InvalidParameter.GroupNameAlreadyExists",
    );
    let other = group(&p, zone, "other", "Manual");
    p.fails(
        V21,
        "UpdateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": other, "NewGroupName": "Team"}),
        "InvalidParameter.GroupNameAlreadyExists",
    );

    // A group that does not exist.
    let ghost = "g-000000000000";
    for (action, params) in [
        ("GetGroup", json!({"GroupId": ghost})),
        (
            "UpdateGroup",
            json!({"GroupId": ghost, "NewDescription": "x"}),
        ),
        ("DeleteGroup", json!({"GroupId": ghost})),
        ("AddUserToGroup", json!({"GroupId": ghost, "UserId": a})),
        (
            "RemoveUserFromGroup",
            json!({"GroupId": ghost, "UserId": a}),
        ),
        ("ListGroupMembers", json!({"GroupId": ghost})),
    ] {
        p.fails(V21, action, HOST, with_zone(zone, params), NOT_EXIST);
    }
    // A user that does not exist.
    p.fails(
        V21,
        "AddUserToGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": g, "UserId": "u-00000000"}),
        "ResourceNotFound.UserNotExist",
    );
    p.fails(
        V21,
        "ListJoinedGroupsForUser",
        HOST,
        json!({"ZoneId": zone, "UserId": "u-00000000"}),
        "ResourceNotFound.UserNotExist",
    );

    // Membership: once, of the group's own type, only members leave.
    p.fails(
        V21,
        "RemoveUserFromGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": g, "UserId": a}),
        "InvalidParameter.GroupUserNotExist",
    );
    join(&p, zone, &g, &a);
    p.fails(
        V21,
        "AddUserToGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": g, "UserId": a}),
        "InvalidParameter.GroupUserAlreadyExists",
    );
    p.fails(
        V21,
        "DeleteGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": g}),
        "FailedOperation.DeleteGroupNotAllowExistUser",
    );
    let synced_group = group(&p, zone, "synced-team", "Synchronized");
    p.fails(
        V21,
        "AddUserToGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": synced_group, "UserId": a}),
        "FailedOperation.GroupTypeUserTypeNotMatch",
    );
    let synced_user = p.ok(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": zone, "UserName": "synced", "UserType": "Synchronized"}),
    )["UserInfo"]["UserId"]
        .as_str()
        .unwrap()
        .to_owned();
    join(&p, zone, &synced_group, &synced_user);

    // While SCIM synchronization is on, synchronized groups are the identity provider's.
    scim(&p, zone, "Enabled");
    let synced_user2 = p.ok(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": zone, "UserName": "synced2", "UserType": "Synchronized"}),
    )["UserInfo"]["UserId"]
        .clone();
    for (action, params, code) in [
        (
            "AddUserToGroup",
            json!({"GroupId": synced_group, "UserId": synced_user2}),
            "FailedOperation.SynchronizedGroupNotAddUser",
        ),
        (
            "RemoveUserFromGroup",
            json!({"GroupId": synced_group, "UserId": synced_user}),
            "FailedOperation.SynchronizedGroupNotRemoveUser",
        ),
        (
            "UpdateGroup",
            json!({"GroupId": synced_group, "NewDescription": "mine"}),
            "FailedOperation.SynchronizedGroupNotUpdate",
        ),
        (
            "DeleteGroup",
            json!({"GroupId": synced_group}),
            "FailedOperation.SynchronizedGroupNotDelete",
        ),
    ] {
        p.fails(V21, action, HOST, with_zone(zone, params), code);
    }
    // Manual groups stay the caller's.
    p.ok(
        V21,
        "UpdateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": g, "NewDescription": "mine"}),
    );
    scim(&p, zone, "Disabled");
    p.ok(
        V21,
        "RemoveUserFromGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": synced_group, "UserId": synced_user}),
    );

    // ListGroups: the filter grammar, types and sort.
    for (key, bad) in [
        ("Filter", "GroupName like te"),
        ("Filter", "Description eq team"),
        ("Filter", "GroupName eq"),
        ("GroupType", "Imported"),
        ("SortField", "GroupName"),
        ("SortType", "Sideways"),
    ] {
        p.fails(
            V21,
            "ListGroups",
            HOST,
            json!({"ZoneId": zone, key: bad}),
            "InvalidParameter.ParamError",
        );
    }
    p.fails(
        V21,
        "ListGroups",
        HOST,
        json!({"ZoneId": zone, "MaxResults": 101}),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "ListGroups",
        HOST,
        json!({"ZoneId": zone, "NextToken": "tco.zz"}),
        "InvalidParameter.NextTokenInvalid",
    );
    for (action, params) in [
        ("ListGroupMembers", json!({"ZoneId": zone, "GroupId": g})),
        (
            "ListJoinedGroupsForUser",
            json!({"ZoneId": zone, "UserId": a}),
        ),
    ] {
        let mut too_many = params.clone();
        too_many["MaxResults"] = json!(0);
        p.fails(V21, action, HOST, too_many, "InvalidParameterValue");
        // Neither documents InvalidParameter.NextTokenInvalid.
        let mut bad_token = params;
        bad_token["NextToken"] = json!("elsewhere");
        p.fails(V21, action, HOST, bad_token, "InvalidParameterValue");
    }

    let mut seen = p.failed();
    seen.extend(limits());
    seen
}

/// The zone's 500th group is its last; a group holds 500 members; a user joins 50 groups.
fn limits() -> Seen {
    let (p, zone) = opened();
    let groups: Vec<String> = (0..500)
        .map(|i| group(&p, &zone, &format!("group{i}"), "Manual"))
        .collect();
    p.fails(
        V21,
        "CreateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupName": "one-too-many"}),
        "FailedOperation.GroupOverUpperLimit",
    );
    let busy = user(&p, &zone, "busy");
    for g in &groups[..50] {
        join(&p, &zone, g, &busy);
    }
    p.fails(
        V21,
        "AddUserToGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": groups[50], "UserId": busy}),
        "FailedOperation.UserAddGroupCountOverUpperLimit",
    );
    let crowded = &groups[499];
    for i in 0..500 {
        let u = user(&p, &zone, &format!("member{i}"));
        join(&p, &zone, crowded, &u);
    }
    let late = user(&p, &zone, "late");
    p.fails(
        V21,
        "AddUserToGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": crowded, "UserId": late}),
        "FailedOperation.GroupUserCountOverUpperLimit",
    );
    p.failed()
}

#[test]
fn group_errors() {
    triggers();
}

#[test]
fn what_create_and_update_store_every_read_returns() {
    let (p, zone) = opened();
    let created = p.ok(
        V21,
        "CreateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupName": "TestGroup", "Description": "This is a group.",
               "GroupType": "Manual"}),
    )["GroupInfo"]
        .clone();
    let id = created["GroupId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("g-") && id.len() == 14, "{id}");
    let expected = json!({
        "GroupName": "TestGroup", "Description": "This is a group.", "CreateTime": "2021-04-16 11:49:39",
        "GroupType": "Manual", "UpdateTime": "2021-04-16 11:49:39", "GroupId": id, "MemberCount": 0,
        "IsSelected": false,
    });
    assert_eq!(created, expected);
    assert_eq!(
        p.ok(
            V21,
            "GetGroup",
            HOST,
            json!({"ZoneId": zone, "GroupId": id})
        )["GroupInfo"],
        expected
    );
    p.now.set(NOW + 1);
    let updated = p.ok(
        V21,
        "UpdateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": id, "NewGroupName": "renamed"}),
    )["GroupInfo"]
        .clone();
    assert_eq!(updated["GroupName"], "renamed");
    assert_eq!(updated["Description"], "This is a group.");
    let listed = p.ok(V21, "ListGroups", HOST, json!({"ZoneId": zone}));
    assert_eq!(listed["Groups"][0], updated);
    assert_eq!(listed["Groups"][0]["UpdateTime"], "2021-04-16 11:49:40");
    // Its own name again is fine; the old name is free.
    p.ok(
        V21,
        "UpdateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": id, "NewGroupName": "Renamed"}),
    );
    group(&p, &zone, "TestGroup", "Manual");
    p.ok(
        V21,
        "DeleteGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": id}),
    );
    p.fails(
        V21,
        "GetGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": id}),
        NOT_EXIST,
    );
}

#[test]
fn membership_is_seen_from_both_sides() {
    let (p, zone) = opened();
    let ann = user(&p, &zone, "ann");
    let ben = user(&p, &zone, "ben");
    let red = group(&p, &zone, "red", "Manual");
    let blue = group(&p, &zone, "blue", "Manual");
    join(&p, &zone, &red, &ann);
    p.now.set(NOW + 5);
    join(&p, &zone, &blue, &ann);
    join(&p, &zone, &red, &ben);

    let members = p.ok(
        V21,
        "ListGroupMembers",
        HOST,
        json!({"ZoneId": zone, "GroupId": red}),
    );
    assert_eq!(members["TotalCounts"], 2);
    assert_eq!(
        ids(members["GroupMembers"].as_array().unwrap(), "UserId"),
        [ann.clone(), ben.clone()]
    );
    assert_eq!(members["GroupMembers"][0]["UserName"], "ann");
    assert_eq!(
        members["GroupMembers"][0]["JoinTime"],
        "2021-04-16 11:49:39"
    );
    assert_eq!(
        members["GroupMembers"][1]["JoinTime"],
        "2021-04-16 11:49:44"
    );
    let joined = p.ok(
        V21,
        "ListJoinedGroupsForUser",
        HOST,
        json!({"ZoneId": zone, "UserId": ann}),
    );
    assert_eq!(
        ids(joined["JoinedGroups"].as_array().unwrap(), "GroupId"),
        [red.clone(), blue.clone()]
    );
    assert_eq!(joined["JoinedGroups"][1]["GroupName"], "blue");
    assert_eq!(
        p.ok(
            V21,
            "GetGroup",
            HOST,
            json!({"ZoneId": zone, "GroupId": red})
        )["GroupInfo"]["MemberCount"],
        2
    );
    // FilterUsers marks the groups those users are in.
    let marked = p.ok(
        V21,
        "ListGroups",
        HOST,
        json!({"ZoneId": zone, "FilterUsers": [ben]}),
    );
    let selected: Vec<(String, bool)> = marked["Groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["GroupName"].as_str().unwrap().to_owned(),
                g["IsSelected"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(selected, [("red".into(), true), ("blue".into(), false)]);

    p.ok(
        V21,
        "RemoveUserFromGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": red, "UserId": ann}),
    );
    let members = walk(
        &p,
        "ListGroupMembers",
        json!({"ZoneId": zone, "GroupId": red}),
        "GroupMembers",
        1,
    );
    assert_eq!(ids(&members, "UserId"), [ben.as_str()]);
    let joined = walk(
        &p,
        "ListJoinedGroupsForUser",
        json!({"ZoneId": zone, "UserId": ann}),
        "JoinedGroups",
        1,
    );
    assert_eq!(ids(&joined, "GroupId"), [blue.as_str()]);
    // Rejoining puts the user last.
    join(&p, &zone, &red, &ann);
    let members = walk(
        &p,
        "ListGroupMembers",
        json!({"ZoneId": zone, "GroupId": red}),
        "GroupMembers",
        1,
    );
    assert_eq!(ids(&members, "UserId"), [ben, ann]);
}

#[test]
fn list_groups_filters() {
    let (p, zone) = opened();
    let test_a = group(&p, &zone, "test-a", "Manual");
    let testing = group(&p, &zone, "Testing", "Synchronized");
    let prod = group(&p, &zone, "prod", "Manual");
    let list = |extra: serde_json::Value| {
        ids(
            &walk(&p, "ListGroups", with_zone(&zone, extra), "Groups", 2),
            "GroupId",
        )
    };
    assert_eq!(
        list(json!({})),
        [test_a.clone(), testing.clone(), prod.clone()]
    );
    assert_eq!(
        list(json!({"Filter": "GroupName sw TEST"})),
        [test_a.clone(), testing.clone()]
    );
    assert_eq!(
        list(json!({"Filter": "groupname EQ testing"})),
        [testing.as_str()]
    );
    assert_eq!(
        list(json!({"GroupType": "Manual"})),
        [test_a.clone(), prod.clone()]
    );
    assert_eq!(list(json!({"SortType": "Desc"})), [prod, testing, test_a]);
    let counted = p.ok(
        V21,
        "ListGroups",
        HOST,
        json!({"ZoneId": zone, "Filter": "GroupName sw test", "MaxResults": 1}),
    );
    assert_eq!(counted["TotalCounts"], 2);
}

#[test]
fn list_group_members_filters_by_user_type() {
    let (p, zone) = opened();
    let g = group(&p, &zone, "mixed", "Manual");
    let a = user(&p, &zone, "a");
    join(&p, &zone, &g, &a);
    let only = |kind: &str| {
        p.ok(
            V21,
            "ListGroupMembers",
            HOST,
            json!({"ZoneId": zone, "GroupId": g, "UserType": kind}),
        )["TotalCounts"]
            .clone()
    };
    assert_eq!(only("Manual"), 1);
    assert_eq!(only("Synchronized"), 0);
}
