//! Role assignments and their tasks: created, polled as the Terraform provider polls, listed
//! from every side, deleted; what hangs on them; each modelled business code by its trigger.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::identity_center_access::*;
use super::identity_center_zone::{group, user, walk};
use super::*;
use crate::state::identity_center::assignments::{Assignment, Key, MAX_ASSIGNMENTS};
use crate::state::identity_center::subjects::{Principal, PrincipalKind, Target, TargetKind};
use crate::state::TaskPolicy;

type Seen = BTreeSet<(Version, String, String)>;

/// One `RoleAssignmentInfo` entry.
pub(super) fn entry(role: &str, kind: &str, principal: &str, target: Value) -> Value {
    with(
        json!({"RoleConfigurationId": role, "PrincipalType": kind, "PrincipalId": principal}),
        target,
    )
}

/// Starts one assignment; its task.
pub(super) fn assign(p: &Probe, zone: &str, entry: Value) -> Value {
    ok(
        p,
        zone,
        "CreateRoleAssignment",
        json!({"RoleAssignmentInfo": [entry]}),
    )["Tasks"][0]
        .clone()
}

/// Assigns and waits for the task to succeed.
pub(super) fn assigned(p: &Probe, zone: &str, entry: Value) {
    let task = assign(p, zone, entry);
    let done = wait(p, zone, task["TaskId"].as_str().unwrap(), 5);
    assert_eq!(done["Status"], "Success", "{done}");
}

fn assignments(p: &Probe, zone: &str, filter: Value) -> Vec<Value> {
    ok(
        p,
        zone,
        "ListRoleAssignments",
        with(json!({"MaxResults": 100}), filter),
    )["RoleAssignments"]
        .as_array()
        .unwrap()
        .clone()
}

/// The Terraform provider's role assignment resource: create, poll `GetTaskStatus` once a
/// second until `Success`, read back through a filtered `ListRoleAssignments`; later delete,
/// poll again, and dismantle the deployment.
#[test]
fn a_role_assignment_is_created_polled_listed_deleted_and_polled_again() {
    let (p, zone) = world();
    let z = zone.as_str();
    let u = user(&p, z, "dev-alice");
    let rc = role(&p, z, "developer");
    let other = role(&p, z, "auditor");
    ok(
        &p,
        z,
        "AddPermissionPolicyToRoleConfiguration",
        json!({"RoleConfigurationId": rc, "RolePolicyType": "System",
               "RolePolicies": [{"PolicyId": 1, "PolicyName": "AdministratorAccess"}]}),
    );
    let task = assign(&p, z, entry(&rc, "User", &u, member(ALICE)));
    assert_eq!(task["Status"], "InProgress");
    assert_eq!(task["TaskType"], "CreateRoleAssignment");
    assert_eq!(task["RoleConfigurationId"], rc.as_str());
    assert_eq!(task["RoleConfigurationName"], "developer");
    assert_eq!(task["PrincipalId"], u.as_str());
    assert_eq!(task["PrincipalType"], "User");
    assert_eq!(task["TargetUin"], ALICE);
    assert_eq!(task["TargetType"], "MemberUin");
    assert_eq!(task["FailureReason"], "");
    assert!(
        assignments(&p, z, json!({})).is_empty(),
        "not before the task completes"
    );

    let id = task["TaskId"].as_str().unwrap();
    let first = ok(&p, z, "GetTaskStatus", json!({"TaskId": id}))["TaskStatus"].clone();
    assert_eq!(first["Status"], "InProgress");
    p.now.set(p.now.get() + 1); // the provider polls once a second
    let second = ok(&p, z, "GetTaskStatus", json!({"TaskId": id}))["TaskStatus"].clone();
    assert_eq!(second["Status"], "Success");
    assert_eq!(second["TaskType"], "CreateRoleAssignment");

    // Read back as the provider does: every part of the ID as a filter.
    let read = assignments(
        &p,
        z,
        json!({"RoleConfigurationId": rc, "TargetType": "MemberUin", "TargetUin": ALICE,
               "PrincipalType": "User", "PrincipalId": u}),
    );
    assert_eq!(read.len(), 1);
    let a = &read[0];
    assert_eq!(a["RoleConfigurationName"], "developer");
    assert_eq!(a["PrincipalName"], "dev-alice");
    assert_eq!(a["TargetName"], "alice");
    assert_eq!(
        a["CreateTime"], "2021-04-16 11:49:40",
        "when the task completed"
    );
    assert_eq!(a["UpdateTime"], a["CreateTime"]);
    // The first assignment deployed the configuration on the target.
    let deployed = deployments(&p, z, json!({"RoleConfigurationId": rc}));
    assert_eq!(deployed.len(), 1);
    assert_eq!(deployed[0]["TargetUin"], ALICE);
    // Seen from the configurations' side.
    let listed = ok(
        &p,
        z,
        "ListRoleConfigurations",
        json!({"FilterTargets": [ALICE], "PrincipalId": u}),
    );
    for c in listed["RoleConfigurations"].as_array().unwrap() {
        assert_eq!(
            c["IsSelected"],
            c["RoleConfigurationId"] == rc.as_str(),
            "{c}"
        );
    }
    let _ = other;
    // The user cannot go while assigned.
    fails(
        &p,
        z,
        "DeleteUser",
        json!({"UserId": u}),
        "FailedOperation.RoleConfigurationAuthorizationExist",
    );

    let delete = ok(
        &p,
        z,
        "DeleteRoleAssignment",
        with(
            json!({"RoleConfigurationId": rc, "PrincipalType": "User", "PrincipalId": u,
                   "DeprovisionStrategy": "None"}),
            member(ALICE),
        ),
    )["Task"]
        .clone();
    assert_eq!(delete["TaskType"], "DeleteRoleAssignment");
    assert_eq!(delete["Status"], "InProgress");
    assert_eq!(
        assignments(&p, z, json!({})).len(),
        1,
        "until the task completes"
    );
    let done = wait(&p, z, delete["TaskId"].as_str().unwrap(), 5);
    assert_eq!(done["Status"], "Success");
    assert!(assignments(&p, z, json!({})).is_empty());
    assert_eq!(
        deployments(&p, z, json!({})).len(),
        1,
        "None keeps the deployment"
    );
    let dismantle = ok(
        &p,
        z,
        "DismantleRoleConfiguration",
        with(json!({"RoleConfigurationId": rc}), member(ALICE)),
    )["Task"]
        .clone();
    assert_eq!(
        wait(&p, z, dismantle["TaskId"].as_str().unwrap(), 5)["Status"],
        "Success"
    );
    assert!(deployments(&p, z, json!({})).is_empty());
    ok(&p, z, "DeleteUser", json!({"UserId": u}));
}

#[test]
fn assignments_are_seen_by_principal_target_and_role_configuration() {
    let (p, zone) = world();
    let z = zone.as_str();
    p.world.set_task_policy(TaskPolicy::immediately());
    let u = user(&p, z, "someone");
    let g = group(&p, z, "team", "Manual");
    let (rc1, rc2) = (role(&p, z, "first"), role(&p, z, "second"));
    let manager = json!({"TargetType": "ManagerUin", "TargetUin": HOST});
    let tasks = ok(
        &p,
        z,
        "CreateRoleAssignment",
        json!({"RoleAssignmentInfo": [
            entry(&rc1, "User", &u, member(ALICE)),
            entry(&rc1, "Group", &g, member(ALICE)),
            entry(&rc2, "User", &u, member(BOB)),
            entry(&rc2, "Group", &g, manager.clone()),
        ]}),
    );
    assert_eq!(tasks["Tasks"].as_array().unwrap().len(), 4);
    let count = |filter: Value| assignments(&p, z, filter).len();
    assert_eq!(count(json!({})), 4);
    assert_eq!(count(json!({"PrincipalId": u})), 2);
    assert_eq!(count(json!({"PrincipalType": "Group"})), 2);
    assert_eq!(count(json!({"TargetUin": ALICE})), 2);
    assert_eq!(count(json!({"TargetType": "ManagerUin"})), 1);
    assert_eq!(count(json!({"RoleConfigurationId": rc2})), 2);
    assert_eq!(
        count(json!({"Filter": "SEC"})),
        2,
        "by role configuration name"
    );
    let group_on_manager = assignments(&p, z, json!({"TargetType": "ManagerUin"}));
    assert_eq!(group_on_manager[0]["PrincipalName"], "team");
    assert_eq!(group_on_manager[0]["TargetName"], "host_name");
    // ListTasks agrees, with the same filters.
    let listed = ok(
        &p,
        z,
        "ListTasks",
        json!({"PrincipalId": g, "Status": "Success"}),
    );
    assert_eq!(listed["TotalCounts"], 2);
    let listed = ok(
        &p,
        z,
        "ListTasks",
        json!({"TaskType": "CreateRoleAssignment", "TargetUin": BOB}),
    );
    assert_eq!(listed["TotalCounts"], 1);
    assert_eq!(listed["Tasks"][0]["RoleConfigurationName"], "second");
    // Deployments follow: rc1 on ALICE, rc2 on BOB and on the manager.
    assert_eq!(deployments(&p, z, json!({})).len(), 3);
    // The group cannot go while assigned.
    fails(
        &p,
        z,
        "DeleteGroup",
        json!({"GroupId": g}),
        "FailedOperation.RoleConfigurationAuthorizationExist",
    );

    // The last assignment on a target takes the deployment with it, when asked.
    let delete = |kind: &str, principal: &str| {
        ok(
            &p,
            z,
            "DeleteRoleAssignment",
            with(
                json!({"RoleConfigurationId": rc1, "PrincipalType": kind, "PrincipalId": principal,
                       "DeprovisionStrategy": "DeprovisionForLastRoleAssignmentOnAccount"}),
                member(ALICE),
            ),
        );
    };
    delete("User", &u);
    assert_eq!(
        deployments(&p, z, json!({"TargetUin": ALICE})).len(),
        1,
        "the group still uses it"
    );
    delete("Group", &g);
    assert!(deployments(&p, z, json!({"TargetUin": ALICE})).is_empty());
    assert_eq!(count(json!({})), 2);
}

#[test]
fn a_failing_task_creates_nothing_and_a_new_one_can_follow() {
    let (p, zone) = world();
    let z = zone.as_str();
    let u = user(&p, z, "unlucky");
    let rc = role(&p, z, "flaky");
    p.world
        .set_task_policy(TaskPolicy::failing("the directory is unavailable"));
    let task = assign(&p, z, entry(&rc, "User", &u, member(ALICE)));
    let done = wait(&p, z, task["TaskId"].as_str().unwrap(), 5);
    assert_eq!(done["Status"], "Failed");
    assert_eq!(done["FailureReason"], "the directory is unavailable");
    assert!(assignments(&p, z, json!({})).is_empty());
    assert!(deployments(&p, z, json!({})).is_empty());
    let failed = ok(&p, z, "ListTasks", json!({"Status": "Failed"}));
    assert_eq!(failed["TotalCounts"], 1);
    assert_eq!(
        failed["Tasks"][0]["FailureReason"],
        "the directory is unavailable"
    );

    p.world.set_task_policy(TaskPolicy::default());
    assigned(&p, z, entry(&rc, "User", &u, member(ALICE)));
    assert_eq!(assignments(&p, z, json!({})).len(), 1);
}

#[test]
fn an_assignment_task_fails_when_its_principal_goes_first() {
    let (p, zone) = world();
    let z = zone.as_str();
    let u = user(&p, z, "short-lived");
    let rc = role(&p, z, "granted");
    let task = assign(&p, z, entry(&rc, "User", &u, member(ALICE)));
    // Not assigned yet, so the user may go.
    ok(&p, z, "DeleteUser", json!({"UserId": u}));
    let done = wait(&p, z, task["TaskId"].as_str().unwrap(), 5);
    assert_eq!(done["Status"], "Failed");
    assert!(done["FailureReason"].as_str().unwrap().contains(&u));
    assert!(assignments(&p, z, json!({})).is_empty());
}

#[test]
fn a_member_leaving_takes_its_assignments_with_it() {
    let (p, zone) = world();
    let z = zone.as_str();
    p.world.set_task_policy(TaskPolicy::immediately());
    let u = user(&p, z, "both");
    let rc = role(&p, z, "everywhere");
    assigned(&p, z, entry(&rc, "User", &u, member(ALICE)));
    assigned(&p, z, entry(&rc, "User", &u, member(BOB)));
    p.ok(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [BOB]}),
    );
    let left = assignments(&p, z, json!({}));
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["TargetUin"], ALICE);
    assert!(deployments(&p, z, json!({"TargetUin": BOB})).is_empty());
}

#[test]
fn assignments_page_with_next_token_while_more_are_added() {
    let (p, zone) = world();
    let z = zone.as_str();
    p.world.set_task_policy(TaskPolicy::immediately());
    let rc = role(&p, z, "many");
    let users: Vec<String> = (0..30)
        .map(|i| user(&p, z, &format!("user{i:02}")))
        .collect();
    for u in &users[..20] {
        assigned(&p, z, entry(&rc, "User", u, member(ALICE)));
    }
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut next = 20;
    loop {
        if next < users.len() {
            assigned(&p, z, entry(&rc, "User", &users[next], member(ALICE)));
            next += 1;
        }
        let page = ok(
            &p,
            z,
            "ListRoleAssignments",
            json!({"MaxResults": 7, "NextToken": token}),
        );
        let items = page["RoleAssignments"].as_array().unwrap();
        assert!(items.len() <= 7);
        seen.extend(
            items
                .iter()
                .map(|a| a["PrincipalId"].as_str().unwrap().to_owned()),
        );
        if page["IsTruncated"] == false {
            break;
        }
        token = page["NextToken"].as_str().unwrap().to_owned();
    }
    let distinct: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), seen.len(), "none twice");
    assert_eq!(seen.len(), next, "every one, the added ones too");
    let all = walk(
        &p,
        "ListRoleAssignments",
        in_zone(z, json!({})),
        "RoleAssignments",
        4,
    );
    assert_eq!(all.len(), next);
}

pub(super) fn triggers() -> Seen {
    let (p, zone) = world();
    let z = zone.as_str();
    let u = user(&p, z, "target-user");
    let g = group(&p, z, "target-group", "Manual");
    let rc = role(&p, z, "assigned");
    let create = |entries: Value, code: &str| {
        fails(
            &p,
            z,
            "CreateRoleAssignment",
            json!({"RoleAssignmentInfo": entries}),
            code,
        )
    };
    create(json!([]), "InvalidParameterValue");
    create(
        json!([entry(&rc, "Robot", &u, member(ALICE))]),
        "InvalidParameterValue",
    );
    create(
        json!([entry(
            &rc,
            "User",
            &u,
            json!({"TargetType": "Elsewhere", "TargetUin": ALICE})
        )]),
        "InvalidParameterValue",
    );
    create(
        Value::Array(vec![entry(&rc, "User", &u, member(ALICE)); 51]),
        "LimitExceeded.CreateRoleAssignmentLimitExceeded",
    );
    create(
        json!([entry("rc-missing", "User", &u, member(ALICE))]),
        "InvalidParameter.RoleConfigurationNotExist",
    );
    create(
        json!([entry(&rc, "User", "u-missing", member(ALICE))]),
        "ResourceNotFound.UserNotExist",
    );
    create(
        json!([entry(&rc, "Group", "g-missing", member(ALICE))]),
        "InvalidParameter.GroupNotExist",
    );
    create(
        json!([entry(&rc, "User", &u, member(CAROL))]),
        "FailedOperation.OrganizationMemberNotExist",
    );
    create(
        json!([
            entry(&rc, "User", &u, member(ALICE)),
            entry(&rc, "User", &u, member(ALICE))
        ]),
        "FailedOperation.RoleConfigurationAuthorizationAlreadyExist",
    );
    // Being created, then created: either way it exists.
    let pending = assign(&p, z, entry(&rc, "User", &u, member(ALICE)));
    create(
        json!([entry(&rc, "User", &u, member(ALICE))]),
        "FailedOperation.RoleConfigurationAuthorizationAlreadyExist",
    );
    // A deployment with an assignment on its way cannot be dismantled…
    ok(
        &p,
        z,
        "ProvisionRoleConfiguration",
        with(json!({"RoleConfigurationId": rc}), member(ALICE)),
    );
    let provisioned = ok(
        &p,
        z,
        "ListTasks",
        json!({"TaskType": "ProvisionRoleConfiguration"}),
    );
    wait(
        &p,
        z,
        provisioned["Tasks"][0]["TaskId"].as_str().unwrap(),
        5,
    );
    fails(
        &p,
        z,
        "DismantleRoleConfiguration",
        with(json!({"RoleConfigurationId": rc}), member(ALICE)),
        "FailedOperation.RoleConfigurationAuthorizationExist",
    );
    wait(&p, z, pending["TaskId"].as_str().unwrap(), 5);
    create(
        json!([entry(&rc, "User", &u, member(ALICE))]),
        "FailedOperation.RoleConfigurationAuthorizationAlreadyExist",
    );
    // …nor one with an assignment.
    fails(
        &p,
        z,
        "DismantleRoleConfiguration",
        with(json!({"RoleConfigurationId": rc}), member(ALICE)),
        "FailedOperation.RoleConfigurationAuthorizationExist",
    );
    // Users and groups with assignments stay.
    assigned(&p, z, entry(&rc, "Group", &g, member(ALICE)));
    fails(
        &p,
        z,
        "DeleteUser",
        json!({"UserId": u}),
        "FailedOperation.RoleConfigurationAuthorizationExist",
    );
    fails(
        &p,
        z,
        "DeleteGroup",
        json!({"GroupId": g}),
        "FailedOperation.RoleConfigurationAuthorizationExist",
    );

    let delete = |params: Value, code: &str| {
        fails(
            &p,
            z,
            "DeleteRoleAssignment",
            with(
                with(json!({"RoleConfigurationId": rc}), member(ALICE)),
                params,
            ),
            code,
        )
    };
    delete(
        json!({"PrincipalType": "User", "PrincipalId": u, "DeprovisionStrategy": "Always"}),
        "InvalidParameterValue",
    );
    delete(
        json!({"PrincipalType": "Robot", "PrincipalId": u}),
        "InvalidParameterValue",
    );
    delete(
        json!({"PrincipalType": "User", "PrincipalId": "u-nobody"}),
        "ResourceNotFound.RoleConfigurationAuthorizationNotFound",
    );
    // ListTasks does not document InvalidParameter.ParamError: the common code.
    for (action, bad_filter) in [
        ("ListRoleAssignments", "InvalidParameter.ParamError"),
        ("ListTasks", "InvalidParameterValue"),
    ] {
        fails(
            &p,
            z,
            action,
            json!({"MaxResults": 101}),
            "InvalidParameterValue",
        );
        fails(
            &p,
            z,
            action,
            json!({"NextToken": "forged"}),
            "InvalidParameter.NextTokenInvalid",
        );
        fails(&p, z, action, json!({"PrincipalType": "Robot"}), bad_filter);
    }
    fails(
        &p,
        z,
        "ListTasks",
        json!({"Status": "Done"}),
        "InvalidParameterValue",
    );
    fails(
        &p,
        z,
        "GetTaskStatus",
        json!({"TaskId": "t-unknown"}),
        "ResourceNotFound.RoleConfigurationTaskNotFound",
    );
    limit_trigger(&p, z, &rc, &u);
    p.failed()
}

/// Fills the zone up to the assignment limit directly (a thousand calls would prove nothing
/// more), then one more is refused.
fn limit_trigger(p: &Probe, zone: &str, role: &str, user: &str) {
    {
        let mut inner = p.world.lock();
        let z = inner.identity_center.zones.get_mut(zone).unwrap();
        let held = z.assignments.len();
        for i in held..MAX_ASSIGNMENTS {
            z.assignments.insert(Assignment {
                key: Key {
                    role: role.to_owned(),
                    target: Target {
                        kind: TargetKind::Member,
                        uin: ALICE,
                    },
                    principal: Principal {
                        kind: PrincipalKind::User,
                        id: format!("u-filler{i}"),
                    },
                },
                seq: 1_000_000 + i as u64,
                create_time: NOW,
                update_time: NOW,
            });
        }
    }
    fails(
        p,
        zone,
        "CreateRoleAssignment",
        json!({"RoleAssignmentInfo": [entry(role, "User", user, member(BOB))]}),
        "FailedOperation.RoleConfigurationAuthorizationOverLimit",
    );
}

#[test]
fn role_assignment_error_triggers() {
    triggers();
}
