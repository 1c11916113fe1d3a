//! Groups and membership over HTTP: each action's effect read back by another; the consumer's
//! user, group and membership flow; many clients at once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};
use tco_client::models::v2021_03_31::{
    AddUserToGroupRequest, GetGroupRequest, ListGroupMembersRequest, ListGroupsRequest,
    ListJoinedGroupsForUserRequest, UpdateGroupRequest,
};

use super::{group, ids, opened, user, z};
use crate::world::World;

#[tokio::test]
async fn create_group_then_get_and_list_it() {
    let (w, zone) = opened().await;
    let api = w.host.v2021_03_31();
    let id = group(&w, &zone, "platform").await;
    let got = api
        .get_group(GetGroupRequest {
            zone_id: zone.clone(),
            group_id: id.clone(),
        })
        .await
        .unwrap()
        .group_info
        .expect("GetGroup answers its GroupInfo");
    assert_eq!(got.group_name, "platform");
    assert_eq!(got.group_type, "Manual");
    assert_eq!(got.member_count, 0);
    let listed = api
        .list_groups(ListGroupsRequest {
            zone_id: zone.clone(),
            filter: Some("GroupName eq PLATFORM".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total_counts, 1);
    assert_eq!(listed.groups[0].group_id, id);
    w.fails(
        "CreateGroup",
        json!({"ZoneId": zone, "GroupName": "Platform"}),
        "InvalidParameter.GroupNameAlreadyExists",
    )
    .await;
}

#[tokio::test]
async fn update_group_is_read_back() {
    let (w, zone) = opened().await;
    let id = group(&w, &zone, "ops").await;
    let updated = w
        .host
        .v2021_03_31()
        .update_group(UpdateGroupRequest {
            zone_id: zone.clone(),
            group_id: id.clone(),
            new_group_name: Some("operations".into()),
            new_description: Some("on call".into()),
        })
        .await
        .unwrap()
        .group_info;
    assert_eq!(updated.group_name, "operations");
    let got = w.ok("GetGroup", z(&zone, json!({"GroupId": id}))).await["GroupInfo"].clone();
    assert_eq!(got["GroupName"], "operations");
    assert_eq!(got["Description"], "on call");
}

#[tokio::test]
async fn delete_group_then_it_is_gone() {
    let (w, zone) = opened().await;
    let id = group(&w, &zone, "temporary").await;
    w.ok("DeleteGroup", z(&zone, json!({"GroupId": id}))).await;
    w.fails(
        "GetGroup",
        z(&zone, json!({"GroupId": id})),
        "InvalidParameter.GroupNotExist",
    )
    .await;
    assert_eq!(
        w.ok("ListGroups", z(&zone, json!({}))).await["TotalCounts"],
        0
    );
}

/// The consumer's flow (the Terraform provider's user, group and membership resources): make
/// a user and a group, put one in the other, read the membership from both sides, take it
/// apart in dependency order.
#[tokio::test]
async fn user_group_and_membership_flow() {
    let (w, zone) = opened().await;
    let api = w.host.v2021_03_31();
    let u = user(&w, &zone, "dev-1").await;
    let g = group(&w, &zone, "developers").await;
    api.add_user_to_group(AddUserToGroupRequest {
        zone_id: zone.clone(),
        group_id: g.clone(),
        user_id: u.clone(),
    })
    .await
    .unwrap();
    let members = api
        .list_group_members(ListGroupMembersRequest {
            zone_id: zone.clone(),
            group_id: g.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(members.total_counts, 1);
    assert_eq!(members.group_members[0].user_id, u);
    assert_eq!(members.group_members[0].user_name, "dev-1");
    let joined = api
        .list_joined_groups_for_user(ListJoinedGroupsForUserRequest {
            zone_id: zone.clone(),
            user_id: u.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(joined.joined_groups.len(), 1);
    assert_eq!(joined.joined_groups[0].group_id, g);
    assert_eq!(joined.joined_groups[0].group_name, "developers");
    let info = w.ok("GetGroup", z(&zone, json!({"GroupId": g}))).await;
    assert_eq!(info["GroupInfo"]["MemberCount"], 1);

    // Neither goes while the membership holds.
    w.fails(
        "DeleteUser",
        z(&zone, json!({"UserId": u})),
        "InvalidParameter.UserAlreadyExistsGroup",
    )
    .await;
    w.fails(
        "DeleteGroup",
        z(&zone, json!({"GroupId": g})),
        "FailedOperation.DeleteGroupNotAllowExistUser",
    )
    .await;
    w.ok(
        "RemoveUserFromGroup",
        z(&zone, json!({"GroupId": g, "UserId": u})),
    )
    .await;
    let members = w
        .ok("ListGroupMembers", z(&zone, json!({"GroupId": g})))
        .await;
    assert_eq!(members["TotalCounts"], 0);
    let joined = w
        .ok("ListJoinedGroupsForUser", z(&zone, json!({"UserId": u})))
        .await;
    assert_eq!(joined["TotalCounts"], 0);
    w.ok("DeleteGroup", z(&zone, json!({"GroupId": g}))).await;
    w.ok("DeleteUser", z(&zone, json!({"UserId": u}))).await;
}

/// Everything a list action returns, all pages.
async fn all(w: &World, zone: &str, action: &str, params: Value, member: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut token = String::new();
    loop {
        let mut call = z(zone, params.clone());
        call["MaxResults"] = json!(100);
        call["NextToken"] = json!(token);
        let page = w.ok(action, call).await;
        out.extend(page[member].as_array().unwrap().iter().cloned());
        if page["IsTruncated"] == false {
            return out;
        }
        token = page["NextToken"].as_str().unwrap().to_owned();
    }
}

/// A small deterministic generator, one per task (reproducible interleavings of choices).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Eight clients at once add users to groups, remove them, and delete groups (refused while
/// not empty). Afterwards the two sides of every membership agree, counts agree with lists,
/// and nothing names a deleted group.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_membership_changes_keep_the_invariants() {
    const TASKS: u64 = 8;
    const ROUNDS: usize = 40;
    let (w, zone) = opened().await;
    let mut users = Vec::new();
    for i in 0..6 {
        users.push(user(&w, &zone, &format!("c-user-{i}")).await);
    }
    let mut groups = Vec::new();
    for i in 0..6 {
        groups.push(group(&w, &zone, &format!("c-group-{i}")).await);
    }
    let w = std::sync::Arc::new(w);
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (w, zone, users, groups) = (w.clone(), zone.clone(), users.clone(), groups.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = Lcg(t + 1);
            let mut deleted = 0;
            for _ in 0..ROUNDS {
                let u = &users[rng.below(users.len())];
                let g = &groups[rng.below(groups.len())];
                let (action, params) = match rng.below(5) {
                    0 | 1 => ("AddUserToGroup", json!({"GroupId": g, "UserId": u})),
                    2 | 3 => ("RemoveUserFromGroup", json!({"GroupId": g, "UserId": u})),
                    _ => ("DeleteGroup", json!({"GroupId": g})),
                };
                match w.call(action, z(&zone, params)).await {
                    Ok(_) if action == "DeleteGroup" => deleted += 1,
                    Ok(_) => {}
                    // The refusals the state allows, nothing else.
                    Err(e) => assert!(
                        matches!(
                            e.code(),
                            Some(
                                "InvalidParameter.GroupUserAlreadyExists"
                                    | "InvalidParameter.GroupUserNotExist"
                                    | "InvalidParameter.GroupNotExist"
                                    | "FailedOperation.DeleteGroupNotAllowExistUser"
                            )
                        ),
                        "{action}: {e}"
                    ),
                }
            }
            deleted
        }));
    }
    let mut deleted = 0;
    for task in tasks {
        deleted += task.await.expect("a task ends");
    }

    let listed = all(&w, &zone, "ListGroups", json!({}), "Groups").await;
    let live: BTreeSet<String> = ids(&Value::Array(listed.clone()), "GroupId")
        .into_iter()
        .collect();
    assert_eq!(
        live.len() + deleted,
        groups.len(),
        "each group deleted once at most"
    );
    let stats = w.ok("GetZoneStatistics", z(&zone, json!({}))).await;
    assert_eq!(stats["ZoneStatistics"]["GroupCount"], live.len());
    // Group side: members, and their count.
    let mut by_group: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for g in &listed {
        let id = g["GroupId"].as_str().unwrap().to_owned();
        let members = all(
            &w,
            &zone,
            "ListGroupMembers",
            json!({"GroupId": id}),
            "GroupMembers",
        )
        .await;
        let members: BTreeSet<String> = ids(&Value::Array(members), "UserId").into_iter().collect();
        assert_eq!(g["MemberCount"], members.len(), "{id}");
        by_group.insert(id, members);
    }
    // User side: the same memberships, and only live groups.
    for u in &users {
        let joined = all(
            &w,
            &zone,
            "ListJoinedGroupsForUser",
            json!({"UserId": u}),
            "JoinedGroups",
        )
        .await;
        let joined: BTreeSet<String> = ids(&Value::Array(joined), "GroupId").into_iter().collect();
        let expected: BTreeSet<String> = by_group
            .iter()
            .filter(|(_, members)| members.contains(u))
            .map(|(g, _)| g.clone())
            .collect();
        assert_eq!(joined, expected, "{u}");
        assert!(joined.is_subset(&live));
    }
    // Deleted groups are gone everywhere.
    for g in groups.iter().filter(|g| !live.contains(*g)) {
        w.fails(
            "GetGroup",
            z(&zone, json!({"GroupId": g})),
            "InvalidParameter.GroupNotExist",
        )
        .await;
    }
}
