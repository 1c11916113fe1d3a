//! Role assignments and their tasks over HTTP: the Terraform provider's flow (create, poll
//! `GetTaskStatus` until `Success`, read back, delete, poll again, dismantle); a failing task
//! with the policy set through the admin surface; tasks that complete after a duration on a
//! manual clock; a member leaving; many tasks at once.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tco_client::models::v2021_03_31 as m;
use tco_mock::ManualClock;
use tco_mock::MockServer;
use tco_mock::TaskPolicy;

use super::roles::{statuses, Access};
use crate::world::{ALICE, BOB, OUTSIDER};

#[tokio::test]
async fn a_role_assignment_is_created_polled_listed_deleted_and_polled_again() {
    let a = Access::new().await;
    let role = a.role("tf-admin").await;
    let created = a
        .api()
        .create_role_assignment(m::CreateRoleAssignmentRequest {
            zone_id: a.zone.clone(),
            role_assignment_info: Some(vec![m::RoleAssignmentInfo {
                principal_id: Some(a.user.clone()),
                principal_type: Some("User".into()),
                target_uin: Some(BOB as i64),
                target_type: Some("MemberUin".into()),
                role_configuration_id: Some(role.clone()),
            }]),
        })
        .await
        .unwrap();
    let task = &created.tasks[0];
    assert_eq!(task.status, "InProgress");
    assert_eq!(task.task_type, "CreateRoleAssignment");
    assert_eq!(task.role_configuration_name, "tf-admin");
    let seen = a.poll(&task.task_id).await;
    assert_eq!(statuses(&seen), ["InProgress", "Success"]);
    assert!(seen.iter().all(|s| s.failure_reason.is_empty()));

    let by_id = m::ListRoleAssignmentsRequest {
        role_configuration_id: Some(role.clone()),
        target_type: Some("MemberUin".into()),
        target_uin: Some(BOB as i64),
        principal_type: Some("User".into()),
        principal_id: Some(a.user.clone()),
        ..Default::default()
    };
    let read = a.assignments(by_id.clone()).await;
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].principal_name, "terraform-user");
    assert_eq!(read[0].target_name, "bob");
    assert_eq!(read[0].role_configuration_name, "tf-admin");
    // Seen from the task list too.
    let tasks = a
        .api()
        .list_tasks(m::ListTasksRequest {
            zone_id: a.zone.clone(),
            principal_id: Some(a.user.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(tasks.total_counts, 1);
    assert_eq!(tasks.tasks[0].status, "Success");

    let deleted = a
        .api()
        .delete_role_assignment(m::DeleteRoleAssignmentRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: role.clone(),
            target_type: "MemberUin".into(),
            target_uin: BOB as i64,
            principal_type: "User".into(),
            principal_id: a.user.clone(),
            deprovision_strategy: Some("None".into()),
        })
        .await
        .unwrap()
        .task
        .expect("a task");
    assert_eq!(deleted.task_type, "DeleteRoleAssignment");
    assert_eq!(
        statuses(&a.poll(&deleted.task_id).await),
        ["InProgress", "Success"]
    );
    assert!(a.assignments(by_id).await.is_empty());
    // The provider then dismantles the deployment the assignment made.
    let dismantled = a
        .ok(
            "DismantleRoleConfiguration",
            json!({"RoleConfigurationId": role, "TargetType": "MemberUin", "TargetUin": BOB}),
        )
        .await;
    let id = dismantled["Task"]["TaskId"].as_str().unwrap();
    assert_eq!(statuses(&a.poll(id).await), ["InProgress", "Success"]);
    assert!(a.deployments().await.is_empty());
    a.ok("DeleteUser", json!({"UserId": a.user})).await;
}

#[tokio::test]
async fn a_failing_task_set_through_the_admin_surface() {
    let a = Access::new().await;
    let role = a.role("doomed").await;
    let http = reqwest::Client::new();
    let url = format!("{}/_mock/tasks", a.w.mock.uri());
    let set = http
        .put(&url)
        .json(&json!({"fail": "no quota left"}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let shown: Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        shown,
        json!({"complete": "after-polls", "polls": 2, "fail": "no quota left"})
    );
    assert_eq!(a.w.mock.task_policy(), TaskPolicy::failing("no quota left"));

    let task = a
        .ok(
            "CreateRoleAssignment",
            json!({"RoleAssignmentInfo": [{"RoleConfigurationId": role, "PrincipalType": "User",
                   "PrincipalId": a.user, "TargetType": "MemberUin", "TargetUin": ALICE}]}),
        )
        .await["Tasks"][0]["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let seen = a.poll(&task).await;
    assert_eq!(statuses(&seen), ["InProgress", "Failed"]);
    assert_eq!(seen[1].failure_reason, "no quota left");
    assert!(a.assignments(Default::default()).await.is_empty());

    // A bad policy is refused and changes nothing.
    let bad = http
        .put(&url)
        .json(&json!({"complete": "eventually"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let message: Value = bad.json().await.unwrap();
    assert!(
        message["error"].as_str().unwrap().contains("eventually"),
        "{message}"
    );
    assert_eq!(a.w.mock.task_policy(), TaskPolicy::failing("no quota left"));

    a.w.mock.set_task_policy(TaskPolicy::immediately());
    let done = a
        .ok(
            "CreateRoleAssignment",
            json!({"RoleAssignmentInfo": [{"RoleConfigurationId": role, "PrincipalType": "User",
                   "PrincipalId": a.user, "TargetType": "MemberUin", "TargetUin": ALICE}]}),
        )
        .await;
    assert_eq!(done["Tasks"][0]["Status"], "Success");
    assert_eq!(a.assignments(Default::default()).await.len(), 1);
}

#[tokio::test]
async fn tasks_complete_after_a_duration_on_the_manual_clock() {
    let clock = ManualClock::starting_now();
    let builder = MockServer::builder()
        .clock(clock.clone())
        .task_policy(TaskPolicy::after(Duration::from_millis(1500)));
    let a = Access::from(builder).await;
    let role = a.role("timed").await;
    let task = a
        .ok(
            "ProvisionRoleConfiguration",
            json!({"RoleConfigurationId": role, "TargetType": "MemberUin", "TargetUin": ALICE}),
        )
        .await["Task"]["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..3 {
        assert_eq!(
            task_status(&a, &task).await,
            "InProgress",
            "polls do not hurry it"
        );
    }
    clock.advance(Duration::from_millis(1499));
    assert_eq!(task_status(&a, &task).await, "InProgress");
    assert!(a.deployments().await.is_empty());
    clock.advance(Duration::from_millis(1));
    assert_eq!(a.deployments().await.len(), 1, "due: any call sees it");
    assert_eq!(task_status(&a, &task).await, "Success");
}

async fn task_status(a: &Access, task: &str) -> String {
    a.ok("GetTaskStatus", json!({"TaskId": task})).await["TaskStatus"]["Status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn removing_a_member_removes_the_access_on_it() {
    let a = Access::new().await;
    a.w.mock.set_task_policy(TaskPolicy::immediately());
    let role = a.role("on-bob").await;
    let on = |uin: u64| {
        json!({"RoleConfigurationId": role, "PrincipalType": "User",
                               "PrincipalId": a.user, "TargetType": "MemberUin", "TargetUin": uin})
    };
    a.ok(
        "CreateRoleAssignment",
        json!({"RoleAssignmentInfo": [on(ALICE), on(BOB)]}),
    )
    .await;
    a.ok(
        "CreateUserSyncProvisioning",
        json!({"UserSyncProvisionings": [{"PrincipalType": "User", "PrincipalId": a.user,
               "TargetType": "MemberUin", "TargetUin": BOB}]}),
    )
    .await;
    assert_eq!(a.deployments().await.len(), 2);
    a.w.ok("DeleteOrganizationMembers", json!({"MemberUin": [BOB]}))
        .await;
    let left = a.assignments(Default::default()).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].target_uin, ALICE as i64);
    let deployed = a.deployments().await;
    assert_eq!(deployed.len(), 1);
    assert_eq!(deployed[0].target_uin, ALICE as i64);
    let synced = a.ok("ListUserSyncProvisionings", json!({})).await;
    assert_eq!(synced["TotalCounts"], 0);
    // An account outside the organization is no target.
    a.fails(
        "CreateRoleAssignment",
        json!({"RoleAssignmentInfo": [on(OUTSIDER)]}),
        "FailedOperation.OrganizationMemberNotExist",
    )
    .await;
}

#[tokio::test]
async fn concurrent_assignment_tasks_keep_the_invariants() {
    let a = Arc::new(Access::new().await);
    let users = {
        let mut users = Vec::new();
        for i in 0..6 {
            let id = a
                .ok("CreateUser", json!({"UserName": format!("crowd{i}")}))
                .await["UserInfo"]["UserId"]
                .as_str()
                .unwrap()
                .to_owned();
            users.push(id);
        }
        users
    };
    let roles = [a.role("one").await, a.role("two").await];
    let mut jobs = Vec::new();
    for (i, user) in users.iter().enumerate() {
        for (j, role) in roles.iter().enumerate() {
            let (a, user, role) = (a.clone(), user.clone(), role.clone());
            let target = if (i + j) % 2 == 0 { ALICE } else { BOB };
            jobs.push(tokio::spawn(async move {
                let entry = json!({"RoleConfigurationId": role, "PrincipalType": "User",
                                   "PrincipalId": user, "TargetType": "MemberUin", "TargetUin": target});
                let params = json!({"RoleAssignmentInfo": [entry], "ZoneId": a.zone});
                let created = a.w.call("CreateRoleAssignment", params).await.unwrap();
                let task = created["Tasks"][0]["TaskId"].as_str().unwrap().to_owned();
                let mut polled = 0;
                while a.poll(&task).await.last().unwrap().status == "InProgress" {
                    polled += 1;
                }
                assert!(polled < 3);
                // Every other one is deleted again, also polled to its end.
                if i % 2 == 0 {
                    let deleted = a
                        .ok(
                            "DeleteRoleAssignment",
                            json!({"RoleConfigurationId": role, "PrincipalType": "User",
                                   "PrincipalId": user, "TargetType": "MemberUin", "TargetUin": target}),
                        )
                        .await;
                    a.poll(deleted["Task"]["TaskId"].as_str().unwrap()).await;
                }
            }));
        }
    }
    for job in jobs {
        job.await.unwrap();
    }
    let tasks = a.ok("ListTasks", json!({"MaxResults": 100})).await;
    let tasks = tasks["Tasks"].as_array().unwrap();
    let ids: BTreeSet<&str> = tasks
        .iter()
        .map(|t| t["TaskId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), tasks.len(), "each task listed once");
    assert_eq!(tasks.len(), 12 + 6, "12 created, 6 deleted");
    assert!(tasks.iter().all(|t| t["Status"] == "Success"), "{tasks:?}");
    let left = a.assignments(Default::default()).await;
    assert_eq!(left.len(), 6);
    let keys: BTreeSet<(String, String, i64)> = left
        .iter()
        .map(|x| {
            (
                x.role_configuration_id.clone(),
                x.principal_id.clone(),
                x.target_uin,
            )
        })
        .collect();
    assert_eq!(keys.len(), left.len(), "no assignment twice");
    let deployed: BTreeSet<(String, i64)> = a
        .deployments()
        .await
        .into_iter()
        .map(|d| (d.role_configuration_id, d.target_uin))
        .collect();
    for x in &left {
        assert!(
            deployed.contains(&(x.role_configuration_id.clone(), x.target_uin)),
            "{x:?} has no deployment"
        );
    }
}
