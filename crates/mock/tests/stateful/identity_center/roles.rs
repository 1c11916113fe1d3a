//! Role configurations over HTTP, through the client's typed models: created, read, listed,
//! changed, deleted; their system and custom policies; deployed on a member and dismantled,
//! each task polled as the Terraform provider polls. Also the [`Access`] world the other
//! access tests (assignments, user synchronization) start from.

use serde_json::{json, Value};
use tco_client::models::v2021_03_31 as m;
use tco_mock::Algorithm;
use tco_mock::MockServerBuilder;

use crate::world::{World, ALICE};

/// A world with an organization (ALICE and BOB members), Identity Center open, and a user:
/// where the access tests (role configurations, assignments, user synchronization) start.
pub struct Access {
    pub w: World,
    pub zone: String,
    pub user: String,
}

impl Access {
    pub async fn new() -> Access {
        let (w, zone) = super::opened().await;
        let user = super::user(&w, &zone, "terraform-user").await;
        Access { w, zone, user }
    }

    /// On a mock from `builder` (a clock, a task policy…), unthrottled like [`super::world`].
    pub async fn from(builder: MockServerBuilder) -> Access {
        let w = World::with_org_from(builder.algorithm(Algorithm::Unlimited)).await;
        let zone = w
            .ok("OpenIdentityCenter", json!({"ZoneName": "access-zone"}))
            .await["ZoneId"]
            .as_str()
            .unwrap()
            .to_owned();
        let user = super::user(&w, &zone, "terraform-user").await;
        Access { w, zone, user }
    }

    pub fn api(&self) -> m::Api<'_> {
        self.w.host.v2021_03_31()
    }

    /// A call in the zone through `call_json`.
    pub async fn ok(&self, action: &str, mut params: Value) -> Value {
        params["ZoneId"] = json!(self.zone);
        self.w.ok(action, params).await
    }

    pub async fn fails(&self, action: &str, mut params: Value, code: &str) {
        params["ZoneId"] = json!(self.zone);
        self.w.fails(action, params, code).await;
    }

    pub async fn role(&self, name: &str) -> String {
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
    pub async fn poll(&self, task: &str) -> Vec<m::TaskStatus> {
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

    pub async fn assignments(
        &self,
        filter: m::ListRoleAssignmentsRequest,
    ) -> Vec<m::RoleAssignments> {
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

    pub async fn deployments(&self) -> Vec<m::RoleConfigurationProvisionings> {
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

pub fn statuses(seen: &[m::TaskStatus]) -> Vec<&str> {
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
    assert_eq!(
        listed.role_configurations.unwrap()[0].role_configuration_id,
        id
    );
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
    let read = a
        .ok("GetRoleConfiguration", json!({"RoleConfigurationId": id}))
        .await;
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

#[tokio::test]
async fn a_role_configuration_with_system_and_custom_policies_is_provisioned_to_a_member() {
    let a = Access::new().await;
    let id = a.role("developer").await;
    a.api()
        .add_permission_policy_to_role_configuration(
            m::AddPermissionPolicyToRoleConfigurationRequest {
                zone_id: a.zone.clone(),
                role_configuration_id: id.clone(),
                role_policy_type: "System".into(),
                role_policies: Some(vec![m::PolicyDetail {
                    policy_id: 1,
                    policy_name: Some("AdministratorAccess".into()),
                }]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    a.api()
        .add_permission_policy_to_role_configuration(
            m::AddPermissionPolicyToRoleConfigurationRequest {
                zone_id: a.zone.clone(),
                role_configuration_id: id.clone(),
                role_policy_type: "Custom".into(),
                role_policy_names: Some(vec!["cvm-read".into()]),
                custom_policy_document: Some(r#"{"version":"2.0","statement":[]}"#.into()),
                ..Default::default()
            },
        )
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
        .list_permission_policies_in_role_configuration(
            m::ListPermissionPoliciesInRoleConfigurationRequest {
                zone_id: a.zone.clone(),
                role_configuration_id: id.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(policies.total_counts, 2);
    assert_eq!(policies.role_policies[0].role_policy_id, Some(1));
    assert_eq!(policies.role_policies[0].role_policy_type, "System");
    assert_eq!(policies.role_policies[1].role_policy_name, "cvm-read");
    assert_eq!(
        policies.role_policies[1].role_policy_document,
        "{\"version\":\"2.0\"}"
    );

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
    assert_eq!(
        task.task_type.as_deref(),
        Some("ProvisionRoleConfiguration")
    );
    assert!(
        a.deployments().await.is_empty(),
        "not until the task completes"
    );
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
    assert_eq!(
        a.deployments().await[0].deployment_status,
        "DeployedRequired"
    );

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
    assert_eq!(
        task.task_type.as_deref(),
        Some("DeprovisionRoleConfiguration")
    );
    assert_eq!(
        statuses(&a.poll(&task.task_id).await),
        ["InProgress", "Success"]
    );
    assert!(a.deployments().await.is_empty());
}
