//! Sub-user synchronization over HTTP: started and deleted by tasks polled with
//! `GetProvisioningTaskStatus`, read back, listed, changed.

use serde_json::json;
use tco_client::models::v2021_03_31 as m;

use super::roles::Access;
use crate::world::ALICE;

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
