//! Sub-user synchronization: started and deleted by tasks polled with
//! `GetProvisioningTaskStatus`, read back field for field, listed, changed; each modelled
//! business code by its trigger.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::identity_center_access::*;
use super::identity_center_zone::{group, user};
use super::*;
use crate::state::identity_center::subjects::{Principal, PrincipalKind, Target, TargetKind};
use crate::state::identity_center::sync::{UserProvisioning, MAX_USER_PROVISIONINGS};
use crate::state::TaskPolicy;

type Seen = BTreeSet<(Version, String, String)>;

/// One `UserSyncProvisionings` entry.
pub(super) fn sync_entry(kind: &str, principal: &str, target: Value) -> Value {
    with(
        json!({"PrincipalType": kind, "PrincipalId": principal}),
        target,
    )
}

/// Polls a user-sync task with `GetProvisioningTaskStatus` until it is done.
pub(super) fn wait_sync(p: &Probe, zone: &str, id: &str) -> Value {
    for _ in 0..5 {
        let status =
            ok(p, zone, "GetProvisioningTaskStatus", json!({"TaskId": id}))["TaskStatus"].clone();
        if status["Status"] != "InProgress" {
            return status;
        }
        p.now.set(p.now.get() + 1);
    }
    panic!("user-sync task {id} still in progress");
}

fn start(p: &Probe, zone: &str, entries: Value) -> Vec<Value> {
    ok(
        p,
        zone,
        "CreateUserSyncProvisioning",
        json!({"UserSyncProvisionings": entries}),
    )["Tasks"]
        .as_array()
        .unwrap()
        .clone()
}

fn list(p: &Probe, zone: &str, filter: Value) -> Vec<Value> {
    ok(
        p,
        zone,
        "ListUserSyncProvisionings",
        with(json!({"MaxResults": 100}), filter),
    )["UserProvisionings"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_user_synchronization_lives_through_its_tasks() {
    let (p, zone) = world();
    let z = zone.as_str();
    let u = user(&p, z, "synced");
    let tasks = start(
        &p,
        z,
        json!([with(
            sync_entry("User", &u, member(ALICE)),
            json!({"Description": "cam users for alice", "DuplicationStrategy": "TakeOver",
                   "DeletionStrategy": "Delete"})
        )]),
    );
    let task = &tasks[0];
    assert_eq!(task["TaskType"], "StartProvisioning");
    assert_eq!(task["TaskStatus"], "InProgress");
    assert_eq!(task["PrincipalName"], "synced");
    assert_eq!(task["DuplicationStrategy"], "TakeOver");
    assert_eq!(task["DeletionStrategy"], "Delete");
    let id = task["UserProvisioningId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("up-") && id.len() == 13, "{id}");
    fails(
        &p,
        z,
        "GetUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
        "ResourceNotFound.UserProvisioningNotFound",
    );
    // Its own status action reads it; the role one does not; the list agrees.
    let task_id = task["TaskId"].as_str().unwrap();
    fails(
        &p,
        z,
        "GetTaskStatus",
        json!({"TaskId": task_id}),
        "ResourceNotFound.RoleConfigurationTaskNotFound",
    );
    assert_eq!(wait_sync(&p, z, task_id)["Status"], "Success");
    let listed = ok(&p, z, "ListTasks", json!({"TaskType": "StartProvisioning"}));
    assert_eq!(listed["Tasks"][0]["Status"], "Success");
    assert_eq!(listed["Tasks"][0]["PrincipalId"], u.as_str());

    let got = ok(
        &p,
        z,
        "GetUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
    )["UserProvisioning"]
        .clone();
    assert_eq!(got["UserProvisioningId"], id.as_str());
    assert_eq!(got["Description"], "cam users for alice");
    assert_eq!(got["Status"], "Enabled");
    assert_eq!(got["PrincipalId"], u.as_str());
    assert_eq!(got["PrincipalName"], "synced");
    assert_eq!(got["PrincipalType"], "User");
    assert_eq!(got["TargetUin"], ALICE);
    assert_eq!(got["TargetName"], "alice");
    assert_eq!(got["TargetType"], "MemberUin");
    assert_eq!(got["DuplicationStrategy"], "TakeOver");
    assert_eq!(got["DeletionStrategy"], "Delete");
    assert_eq!(
        got["CreateTime"], "2021-04-16 11:49:40",
        "when the task completed"
    );

    p.now.set(NOW + 60);
    ok(
        &p,
        z,
        "UpdateUserSyncProvisioning",
        json!({"UserProvisioningId": id, "NewDescription": "changed", "NewDuplicationStateful": "KeepBoth",
               "NewDeletionStrategy": "Keep"}),
    );
    let got = ok(
        &p,
        z,
        "GetUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
    )["UserProvisioning"]
        .clone();
    assert_eq!(got["Description"], "changed");
    assert_eq!(got["DuplicationStrategy"], "KeepBoth");
    assert_eq!(got["DeletionStrategy"], "Keep");
    assert_eq!(got["UpdateTime"], "2021-04-16 11:50:39");
    assert_eq!(list(&p, z, json!({})), vec![got.clone()]);

    fails(
        &p,
        z,
        "DeleteUser",
        json!({"UserId": u}),
        "FailedOperation.UserProvisioningExists",
    );
    let delete = ok(
        &p,
        z,
        "DeleteUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
    )["Tasks"]
        .clone();
    assert_eq!(delete["TaskType"], "DeleteProvisioning");
    assert_eq!(delete["UserProvisioningId"], id.as_str());
    assert_eq!(list(&p, z, json!({})).len(), 1, "until the task completes");
    assert_eq!(
        wait_sync(&p, z, delete["TaskId"].as_str().unwrap())["Status"],
        "Success"
    );
    assert!(list(&p, z, json!({})).is_empty());
    ok(&p, z, "DeleteUser", json!({"UserId": u}));
}

#[test]
fn synchronizations_list_by_principal_and_target() {
    let (p, zone) = world();
    let z = zone.as_str();
    p.world.set_task_policy(TaskPolicy::immediately());
    let u = user(&p, z, "person");
    let g = group(&p, z, "crowd", "Manual");
    let tasks = start(
        &p,
        z,
        json!([
            sync_entry("User", &u, member(ALICE)),
            sync_entry("User", &u, member(BOB)),
            with(
                sync_entry("Group", &g, member(ALICE)),
                json!({"Description": "Crowd to alice"})
            ),
        ]),
    );
    assert!(tasks.iter().all(|t| t["TaskStatus"] == "Success"));
    assert_eq!(list(&p, z, json!({})).len(), 3);
    assert_eq!(list(&p, z, json!({"PrincipalId": u})).len(), 2);
    assert_eq!(list(&p, z, json!({"PrincipalType": "Group"})).len(), 1);
    assert_eq!(list(&p, z, json!({"TargetUin": ALICE})).len(), 2);
    assert_eq!(list(&p, z, json!({"TargetType": "ManagerUin"})).len(), 0);
    assert_eq!(list(&p, z, json!({"Filter": "CROWD"})).len(), 1);
    let first = tasks[0]["UserProvisioningId"].as_str().unwrap();
    assert_eq!(list(&p, z, json!({"Filter": first})).len(), 1);
    // Defaults.
    let defaults = &list(&p, z, json!({"PrincipalType": "Group"}))[0];
    assert_eq!(defaults["DuplicationStrategy"], "KeepBoth");
    assert_eq!(defaults["DeletionStrategy"], "Keep");
    // A member leaving takes its synchronizations with it.
    p.ok(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [BOB]}),
    );
    assert_eq!(list(&p, z, json!({})).len(), 2);
    assert!(list(&p, z, json!({"TargetUin": BOB})).is_empty());
}

#[test]
fn a_synchronization_task_fails_when_its_target_leaves_first() {
    let (p, zone) = world();
    let z = zone.as_str();
    let u = user(&p, z, "stranded");
    let task = start(&p, z, json!([sync_entry("User", &u, member(BOB))]))[0].clone();
    p.ok(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [BOB]}),
    );
    let done = wait_sync(&p, z, task["TaskId"].as_str().unwrap());
    assert_eq!(done["Status"], "Failed");
    assert!(done["FailureReason"]
        .as_str()
        .unwrap()
        .contains(&BOB.to_string()));
    assert!(list(&p, z, json!({})).is_empty());
}

pub(super) fn triggers() -> Seen {
    let (p, zone) = world();
    let z = zone.as_str();
    let u = user(&p, z, "sync-user");
    let g = group(&p, z, "sync-group", "Manual");
    let create = |entries: Value, code: &str| {
        fails(
            &p,
            z,
            "CreateUserSyncProvisioning",
            json!({"UserSyncProvisionings": entries}),
            code,
        )
    };
    create(json!([]), "InvalidParameterValue");
    create(
        json!([with(
            sync_entry("User", &u, member(ALICE)),
            json!({"DuplicationStrategy": "Merge"})
        )]),
        "InvalidParameterValue",
    );
    create(
        Value::Array(vec![sync_entry("User", &u, member(ALICE)); 51]),
        "LimitExceeded.CreateUserSyncProvisioningLimitExceeded",
    );
    create(
        json!([sync_entry("User", "u-missing", member(ALICE))]),
        "ResourceNotFound.UserNotExist",
    );
    create(
        json!([sync_entry("Group", "g-missing", member(ALICE))]),
        "InvalidParameter.GroupNotExist",
    );
    create(
        json!([sync_entry("User", &u, member(CAROL))]),
        "FailedOperation.OrganizationMemberNotExist",
    );
    create(
        json!([
            sync_entry("User", &u, member(ALICE)),
            sync_entry("User", &u, member(ALICE))
        ]),
        "FailedOperation.UserProvisioningAlreadyExists",
    );
    let task = start(&p, z, json!([sync_entry("User", &u, member(ALICE))]))[0].clone();
    create(
        json!([sync_entry("User", &u, member(ALICE))]),
        "FailedOperation.UserProvisioningAlreadyExists",
    );
    wait_sync(&p, z, task["TaskId"].as_str().unwrap());
    create(
        json!([sync_entry("User", &u, member(ALICE))]),
        "FailedOperation.UserProvisioningAlreadyExists",
    );
    p.world.set_task_policy(TaskPolicy::immediately());
    start(&p, z, json!([sync_entry("Group", &g, member(ALICE))]));
    fails(
        &p,
        z,
        "DeleteUser",
        json!({"UserId": u}),
        "FailedOperation.UserProvisioningExists",
    );
    fails(
        &p,
        z,
        "DeleteGroup",
        json!({"GroupId": g}),
        "FailedOperation.UserProvisioningExists",
    );
    p.world.set_task_policy(TaskPolicy::default());

    let id = task["UserProvisioningId"].clone();
    let missing = json!({"UserProvisioningId": "up-missing"});
    for action in [
        "GetUserSyncProvisioning",
        "UpdateUserSyncProvisioning",
        "DeleteUserSyncProvisioning",
    ] {
        fails(
            &p,
            z,
            action,
            missing.clone(),
            "ResourceNotFound.UserProvisioningNotFound",
        );
    }
    fails(
        &p,
        z,
        "UpdateUserSyncProvisioning",
        json!({"UserProvisioningId": id, "NewDeletionStrategy": "Shred"}),
        "InvalidParameterValue",
    );
    ok(
        &p,
        z,
        "DeleteUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
    );
    fails(
        &p,
        z,
        "DeleteUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
        "FailedOperation.UserProvisioningFailed",
    );
    fails(
        &p,
        z,
        "ListUserSyncProvisionings",
        json!({"MaxResults": 0}),
        "InvalidParameterValue",
    );
    fails(
        &p,
        z,
        "ListUserSyncProvisionings",
        json!({"NextToken": "forged"}),
        "InvalidParameter.NextTokenInvalid",
    );
    fails(
        &p,
        z,
        "ListUserSyncProvisionings",
        json!({"TargetType": "Anywhere"}),
        "InvalidParameterValue",
    );
    fails(
        &p,
        z,
        "GetProvisioningTaskStatus",
        json!({"TaskId": "t-unknown"}),
        "ResourceNotFound.UserProvisioningTaskNotFound",
    );
    limit_trigger(&p, z, &u);
    p.failed()
}

/// Fills the zone up to the synchronization limit directly, then one more is refused.
fn limit_trigger(p: &Probe, zone: &str, user: &str) {
    {
        let mut inner = p.world.lock();
        let z = inner.identity_center.zones.get_mut(zone).unwrap();
        for i in z.sync.len()..MAX_USER_PROVISIONINGS {
            z.sync.insert(UserProvisioning {
                id: format!("up-filler{i}"),
                seq: 1_000_000 + i as u64,
                description: String::new(),
                principal: Principal {
                    kind: PrincipalKind::User,
                    id: format!("u-filler{i}"),
                },
                principal_name: String::new(),
                target: Target {
                    kind: TargetKind::Member,
                    uin: ALICE,
                },
                duplication: "KeepBoth".into(),
                deletion: "Keep".into(),
                create_time: NOW,
                update_time: NOW,
            });
        }
    }
    fails(
        p,
        zone,
        "CreateUserSyncProvisioning",
        json!({"UserSyncProvisionings": [sync_entry("User", user, member(BOB))]}),
        "FailedOperation.UserProvisioningOverLimit",
    );
}

#[test]
fn user_sync_error_triggers() {
    triggers();
}
