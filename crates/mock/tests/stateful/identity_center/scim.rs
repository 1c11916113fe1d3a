//! SCIM over HTTP: keys created, listed, switched, deleted; the synchronization switch.

use serde_json::json;
use tco_client::models::v2021_03_31::{CreateScimCredentialRequest, ListScimCredentialsRequest};

use super::{ids, opened, z};

#[tokio::test]
async fn scim_keys_are_created_switched_and_deleted() {
    let (w, zone) = opened().await;
    let api = w.host.v2021_03_31();
    let created = api
        .create_scim_credential(CreateScimCredentialRequest {
            zone_id: zone.clone(),
            expire_duration: Some(86_400),
        })
        .await
        .unwrap();
    assert_eq!(created.credential_type, "BearerToken");
    assert!(!created.credential_secret.is_empty());
    let listed = api
        .list_scim_credentials(ListScimCredentialsRequest {
            zone_id: zone.clone(),
            credential_id: None,
        })
        .await
        .unwrap();
    assert_eq!(listed.total_counts, 1);
    let key = &listed.scim_credentials[0];
    assert_eq!(key.credential_id, created.credential_id);
    assert_eq!(key.status, "Enabled");
    assert_eq!(key.create_time, created.create_time);
    assert_eq!(key.expire_time, created.expire_time);
    // The journal records what was asked, never the answer's secret.
    let journal = format!("{:?}", w.mock.journal());
    assert!(!journal.contains(&created.credential_secret));

    let id = created.credential_id.clone();
    w.ok(
        "UpdateSCIMCredentialStatus",
        z(&zone, json!({"CredentialId": id, "NewStatus": "Disabled"})),
    )
    .await;
    let listed = w
        .ok("ListSCIMCredentials", z(&zone, json!({"CredentialId": id})))
        .await;
    assert_eq!(listed["SCIMCredentials"][0]["Status"], "Disabled");

    w.ok("CreateSCIMCredential", z(&zone, json!({}))).await;
    w.fails(
        "CreateSCIMCredential",
        z(&zone, json!({})),
        "LimitExceeded.ScimCredentialLimitExceeded",
    )
    .await;
    w.ok(
        "DeleteSCIMCredential",
        z(&zone, json!({"CredentialId": id})),
    )
    .await;
    let listed = w.ok("ListSCIMCredentials", z(&zone, json!({}))).await;
    assert_eq!(listed["TotalCounts"], 1);
    assert!(!ids(&listed["SCIMCredentials"], "CredentialId").contains(&id));
}

#[tokio::test]
async fn the_synchronization_switch_is_read_back_and_locks_synchronized_users() {
    let (w, zone) = opened().await;
    assert_eq!(
        w.ok("GetSCIMSynchronizationStatus", z(&zone, json!({})))
            .await["SCIMSynchronizationStatus"],
        "Disabled"
    );
    let synced = w
        .ok(
            "CreateUser",
            z(
                &zone,
                json!({"UserName": "from-idp", "UserType": "Synchronized"}),
            ),
        )
        .await["UserInfo"]["UserId"]
        .clone();
    w.ok(
        "UpdateSCIMSynchronizationStatus",
        z(&zone, json!({"SCIMSynchronizationStatus": "Enabled"})),
    )
    .await;
    assert_eq!(
        w.ok("GetSCIMSynchronizationStatus", z(&zone, json!({})))
            .await["SCIMSynchronizationStatus"],
        "Enabled"
    );
    assert_eq!(
        w.ok("DescribeIdentityCenter", json!({})).await["ScimSyncStatus"],
        "Enabled"
    );
    w.fails(
        "DeleteUser",
        z(&zone, json!({"UserId": synced})),
        "FailedOperation.SynchronizedUserNotDelete",
    )
    .await;
}
