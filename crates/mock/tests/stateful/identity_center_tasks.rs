//! Identity Center access over HTTP, through the reference client's typed models: role
//! configurations and their policies, deployments, role assignments and user synchronization,
//! each action's effect read back by another; the consumers' flows, polling tasks as the
//! Terraform provider does (on the mock's task policy or a manual clock, never sleeping); the
//! task policy set through the builder and the admin surface; many tasks at once.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tco_client::models::v2021_03_31 as m;
use tco_mock::clock::ManualClock;
use tco_mock::state::TaskPolicy;
use tco_mock::MockServer;

use crate::world::{World, ALICE, BOB, OUTSIDER};

/// A world with an organization (ALICE and BOB members), Identity Center open, and a user.
struct Access {
    w: World,
    zone: String,
    user: String,
}

impl Access {
    async fn new() -> Access {
        Access::on(World::with_org().await).await
    }

    async fn on(w: World) -> Access {
        let zone = w.ok("OpenIdentityCenter", json!({"ZoneName": "access-zone"})).await["ZoneId"]
            .as_str()
            .unwrap()
            .to_owned();
        let user = w
            .host
            .v2021_03_31()
            .create_user(m::CreateUserRequest {
                zone_id: zone.clone(),
                user_name: "terraform-user".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .user_info
            .user_id;
        Access { w, zone, user }
    }

    fn api(&self) -> m::Api<'_> {
        self.w.host.v2021_03_31()
    }

    /// A call in the zone through `call_json`.
    async fn ok(&self, action: &str, mut params: Value) -> Value {
        params["ZoneId"] = json!(self.zone);
        self.w.ok(action, params).await
    }

    async fn fails(&self, action: &str, mut params: Value, code: &str) {
        params["ZoneId"] = json!(self.zone);
        self.w.fails(action, params, code).await;
    }

    async fn role(&self, name: &str) -> String {
        self.api()
            .create_role_configuration(m::CreateRoleConfigurationRequest {
                zone_id: self.zone.clone(),
                role_configuration_name: name.into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .role_configuration_info
            .role_configuration_id
    }

    /// Polls `GetTaskStatus` as the Terraform provider does (its loop is once a second; the
    /// mock's default policy completes a task on its second poll, so nothing sleeps here)
    /// until the task is no longer `InProgress`: every status seen.
    async fn poll(&self, task: &str) -> Vec<m::TaskStatus> {
        let mut seen = Vec::new();
        for _ in 0..10 {
            let status = self
                .api()
                .get_task_status(m::GetTaskStatusRequest {
                    zone_id: self.zone.clone(),
                    task_id: task.into(),
                })
                .await
                .unwrap()
                .task_status;
            let done = status.status != "InProgress";
            seen.push(status);
            if done {
                return seen;
            }
        }
        panic!("task {task} still in progress after 10 polls: {seen:?}");
    }

    async fn assignments(&self, filter: m::ListRoleAssignmentsRequest) -> Vec<m::RoleAssignments> {
        self.api()
            .list_role_assignments(m::ListRoleAssignmentsRequest {
                zone_id: self.zone.clone(),
                max_results: Some(100),
                ..filter
            })
            .await
            .unwrap()
            .role_assignments
    }

    async fn deployments(&self) -> Vec<m::RoleConfigurationProvisionings> {
        self.api()
            .list_role_configuration_provisionings(m::ListRoleConfigurationProvisioningsRequest {
                zone_id: self.zone.clone(),
                max_results: Some(100),
                ..Default::default()
            })
            .await
            .unwrap()
            .role_configuration_provisionings
    }
}

fn statuses(seen: &[m::TaskStatus]) -> Vec<&str> {
    seen.iter().map(|s| s.status.as_str()).collect()
}

#[tokio::test]
async fn a_role_configuration_is_created_read_listed_changed_and_deleted() {
    let a = Access::new().await;
    let created = a
        .api()
        .create_role_configuration(m::CreateRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_name: "ops-admin".into(),
            description: Some("operations".into()),
            session_duration: Some(7200),
            relay_state: Some("https://console.cloud.tencent.com/cvm".into()),
        })
        .await
        .unwrap()
        .role_configuration_info;
    let id = created.role_configuration_id.clone();
    let got = a
        .api()
        .get_role_configuration(m::GetRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: id.clone(),
        })
        .await
        .unwrap()
        .role_configuration_info;
    assert_eq!(got, created);
    assert_eq!(got.session_duration, Some(7200));
    let listed = a
        .api()
        .list_role_configurations(m::ListRoleConfigurationsRequest {
            zone_id: a.zone.clone(),
            filter: Some("OPERATIONS".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total_counts, 1);
    assert_eq!(listed.role_configurations.unwrap()[0].role_configuration_id, id);
    let updated = a
        .api()
        .update_role_configuration(m::UpdateRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: id.clone(),
            new_session_duration: Some(900),
            ..Default::default()
        })
        .await
        .unwrap()
        .role_configuration_info;
    assert_eq!(updated.session_duration, Some(900));
    assert_eq!(updated.description, "operations");
    let read = a.ok("GetRoleConfiguration", json!({"RoleConfigurationId": id})).await;
    assert_eq!(read["RoleConfigurationInfo"]["SessionDuration"], 900);
    a.api()
        .delete_role_configuration(m::DeleteRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: id.clone(),
        })
        .await
        .unwrap();
    a.fails(
        "GetRoleConfiguration",
        json!({"RoleConfigurationId": id}),
        "InvalidParameter.RoleConfigurationNotExist",
    )
    .await;
}

/// A role configuration with a system and a custom policy, provisioned to a member, as the
/// Terraform provider's attachment and provisioning resources make it.
#[tokio::test]
async fn a_role_configuration_with_system_and_custom_policies_is_provisioned_to_a_member() {
    let a = Access::new().await;
    let id = a.role("developer").await;
    a.api()
        .add_permission_policy_to_role_configuration(m::AddPermissionPolicyToRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: id.clone(),
            role_policy_type: "System".into(),
            role_policies: Some(vec![m::PolicyDetail {
                policy_id: 1,
                policy_name: Some("AdministratorAccess".into()),
            }]),
            ..Default::default()
        })
        .await
        .unwrap();
    a.api()
        .add_permission_policy_to_role_configuration(m::AddPermissionPolicyToRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: id.clone(),
            role_policy_type: "Custom".into(),
            role_policy_names: Some(vec!["cvm-read".into()]),
            custom_policy_document: Some(r#"{"version":"2.0","statement":[]}"#.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    a.ok(
        "UpdateCustomPolicyForRoleConfiguration",
        json!({"RoleConfigurationId": id, "CustomPolicyName": "cvm-read",
               "NewCustomPolicyDocument": "{\"version\":\"2.0\"}"}),
    )
    .await;
    let policies = a
        .api()
        .list_permission_policies_in_role_configuration(m::ListPermissionPoliciesInRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(policies.total_counts, 2);
    assert_eq!(policies.role_policies[0].role_policy_id, Some(1));
    assert_eq!(policies.role_policies[0].role_policy_type, "System");
    assert_eq!(policies.role_policies[1].role_policy_name, "cvm-read");
    assert_eq!(policies.role_policies[1].role_policy_document, "{\"version\":\"2.0\"}");

    let task = a
        .api()
        .provision_role_configuration(m::ProvisionRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: id.clone(),
            target_type: "MemberUin".into(),
            target_uin: ALICE as i64,
        })
        .await
        .unwrap()
        .task;
    assert_eq!(task.task_status.as_deref(), Some("InProgress"));
    assert_eq!(task.task_type.as_deref(), Some("ProvisionRoleConfiguration"));
    assert!(a.deployments().await.is_empty(), "not until the task completes");
    let seen = a.poll(&task.task_id).await;
    assert_eq!(statuses(&seen), ["InProgress", "Success"]);
    let deployed = a.deployments().await;
    assert_eq!(deployed.len(), 1);
    assert_eq!(deployed[0].target_uin, ALICE as i64);
    assert_eq!(deployed[0].target_name, "alice");
    assert_eq!(deployed[0].deployment_status, "Deployed");

    // Removing a policy makes the deployment stale until provisioned again.
    a.ok(
        "RemovePermissionPolicyFromRoleConfiguration",
        json!({"RoleConfigurationId": id, "RolePolicyType": "System", "RolePolicyId": 1}),
    )
    .await;
    assert_eq!(a.deployments().await[0].deployment_status, "DeployedRequired");

    let task = a
        .api()
        .dismantle_role_configuration(m::DismantleRoleConfigurationRequest {
            zone_id: a.zone.clone(),
            role_configuration_id: id.clone(),
            target_type: "MemberUin".into(),
            target_uin: ALICE as i64,
        })
        .await
        .unwrap()
        .task;
    assert_eq!(task.task_type.as_deref(), Some("DeprovisionRoleConfiguration"));
    assert_eq!(statuses(&a.poll(&task.task_id).await), ["InProgress", "Success"]);
    assert!(a.deployments().await.is_empty());
}

/// The Terraform provider's role assignment: create, poll `GetTaskStatus` until `Success`,
/// read back with a filtered list; delete, poll again, dismantle.
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
    assert_eq!(statuses(&a.poll(&deleted.task_id).await), ["InProgress", "Success"]);
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

/// A failing task, with the policy set through the admin surface.
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
    assert_eq!(shown, json!({"complete": "after-polls", "polls": 2, "fail": "no quota left"}));
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
    assert!(message["error"].as_str().unwrap().contains("eventually"), "{message}");
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

/// Tasks that complete after a duration, on a manual clock shared with the test.
#[tokio::test]
async fn tasks_complete_after_a_duration_on_the_manual_clock() {
    let clock = ManualClock::now();
    let builder = MockServer::builder()
        .clock(Arc::new(clock.clone()))
        .task_policy(TaskPolicy::after(Duration::from_millis(1500)));
    let a = Access::on(World::with_org_from(builder).await).await;
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
        assert_eq!(task_status(&a, &task).await, "InProgress", "polls do not hurry it");
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
async fn a_user_synchronization_is_started_read_changed_and_deleted() {
    let a = Access::new().await;
    let started = a
        .api()
        .create_user_sync_provisioning(m::CreateUserSyncProvisioningRequest {
            zone_id: a.zone.clone(),
            user_sync_provisionings: vec![m::UserSyncProvisioning {
                description: Some("cam users".into()),
                principal_id: Some(a.user.clone()),
                principal_type: Some("User".into()),
                target_uin: Some(ALICE as i64),
                duplication_strategy: Some("KeepBoth".into()),
                deletion_strategy: Some("Delete".into()),
                target_type: Some("MemberUin".into()),
            }],
        })
        .await
        .unwrap()
        .tasks
        .remove(0);
    assert_eq!(started.task_type, "StartProvisioning");
    assert_eq!(started.task_status, "InProgress");
    let id = started.user_provisioning_id.clone();
    let poll = |task: String| {
        let a = &a;
        async move {
            a.api()
                .get_provisioning_task_status(m::GetProvisioningTaskStatusRequest {
                    zone_id: a.zone.clone(),
                    task_id: task,
                })
                .await
                .unwrap()
                .task_status
                .status
        }
    };
    assert_eq!(poll(started.task_id.clone()).await, "InProgress");
    assert_eq!(poll(started.task_id.clone()).await, "Success");
    let got = a
        .api()
        .get_user_sync_provisioning(m::GetUserSyncProvisioningRequest {
            zone_id: a.zone.clone(),
            user_provisioning_id: id.clone(),
        })
        .await
        .unwrap()
        .user_provisioning;
    assert_eq!(got.description, "cam users");
    assert_eq!(got.status, "Enabled");
    assert_eq!(got.principal_name, "terraform-user");
    assert_eq!(got.target_name, "alice");
    assert_eq!(got.deletion_strategy, "Delete");
    a.api()
        .update_user_sync_provisioning(m::UpdateUserSyncProvisioningRequest {
            zone_id: a.zone.clone(),
            user_provisioning_id: id.clone(),
            new_description: Some("renamed".into()),
            new_duplication_stateful: Some("TakeOver".into()),
            new_deletion_strategy: Some("Keep".into()),
        })
        .await
        .unwrap();
    let listed = a
        .api()
        .list_user_sync_provisionings(m::ListUserSyncProvisioningsRequest {
            zone_id: a.zone.clone(),
            principal_id: Some(a.user.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total_counts, 1);
    let item = &listed.user_provisionings[0];
    assert_eq!(item.description, "renamed");
    assert_eq!(item.duplication_strategy, "TakeOver");
    assert_eq!(item.deletion_strategy, "Keep");
    a.fails(
        "DeleteUser",
        json!({"UserId": a.user}),
        "FailedOperation.UserProvisioningExists",
    )
    .await;
    let deleting = a
        .api()
        .delete_user_sync_provisioning(m::DeleteUserSyncProvisioningRequest {
            zone_id: a.zone.clone(),
            user_provisioning_id: id.clone(),
        })
        .await
        .unwrap()
        .tasks;
    assert_eq!(deleting.task_type, "DeleteProvisioning");
    assert_eq!(poll(deleting.task_id.clone()).await, "InProgress");
    assert_eq!(poll(deleting.task_id).await, "Success");
    a.fails(
        "GetUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
        "ResourceNotFound.UserProvisioningNotFound",
    )
    .await;
}

/// A member removed from the organization takes the access given on it along.
#[tokio::test]
async fn removing_a_member_removes_the_access_on_it() {
    let a = Access::new().await;
    a.w.mock.set_task_policy(TaskPolicy::immediately());
    let role = a.role("on-bob").await;
    let on = |uin: u64| json!({"RoleConfigurationId": role, "PrincipalType": "User",
                               "PrincipalId": a.user, "TargetType": "MemberUin", "TargetUin": uin});
    a.ok("CreateRoleAssignment", json!({"RoleAssignmentInfo": [on(ALICE), on(BOB)]})).await;
    a.ok(
        "CreateUserSyncProvisioning",
        json!({"UserSyncProvisionings": [{"PrincipalType": "User", "PrincipalId": a.user,
               "TargetType": "MemberUin", "TargetUin": BOB}]}),
    )
    .await;
    assert_eq!(a.deployments().await.len(), 2);
    a.w.ok("DeleteOrganizationMembers", json!({"MemberUin": [BOB]})).await;
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

/// Many clients create, delete and poll assignments of one zone at once; afterwards, read
/// back: every task done, no assignment twice, every assignment's configuration deployed on
/// its target, every task listed once.
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
    let ids: BTreeSet<&str> = tasks.iter().map(|t| t["TaskId"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), tasks.len(), "each task listed once");
    assert_eq!(tasks.len(), 12 + 6, "12 created, 6 deleted");
    assert!(tasks.iter().all(|t| t["Status"] == "Success"), "{tasks:?}");
    let left = a.assignments(Default::default()).await;
    assert_eq!(left.len(), 6);
    let keys: BTreeSet<(String, String, i64)> = left
        .iter()
        .map(|x| (x.role_configuration_id.clone(), x.principal_id.clone(), x.target_uin))
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
