//! The zone over HTTP: opened, described, renamed, counted.

use serde_json::json;
use tco_client::models::v2021_03_31::{
    DescribeIdentityCenterRequest, GetZoneStatisticsRequest, OpenIdentityCenterRequest,
};

use super::{group, opened, user, world, z};
use crate::world::{ALICE, OUTSIDER};

#[tokio::test]
async fn open_identity_center_then_describe_it() {
    let w = world().await;
    let api = w.host.v2021_03_31();
    w.fails(
        "DescribeIdentityCenter",
        json!({}),
        "FailedOperation.IdentityCenterNotOpen",
    )
    .await;
    let zone = api
        .open_identity_center(OpenIdentityCenterRequest {
            zone_name: "acme-sso".into(),
        })
        .await
        .unwrap()
        .zone_id;
    let described = api
        .describe_identity_center(DescribeIdentityCenterRequest {})
        .await
        .unwrap();
    assert_eq!(described.zone_id, zone);
    assert_eq!(described.zone_name, "acme-sso");
    assert_eq!(described.service_status, "Enabled");
    assert_eq!(described.scim_sync_status, "Disabled");
    // Once per manager; members and outsiders cannot.
    w.fails(
        "OpenIdentityCenter",
        json!({"ZoneName": "again"}),
        "FailedOperation.IdentityCenterAlreadyOpen",
    )
    .await;
    for (uin, code) in [
        (
            ALICE,
            "FailedOperation.IdentityCenterNotOrganizationManager",
        ),
        (
            OUTSIDER,
            "FailedOperation.IdentityCenterOrganizationNotOpen",
        ),
    ] {
        let e = w
            .as_(uin)
            .call_json(
                tco_client::Version::V2021_03_31,
                "OpenIdentityCenter",
                json!({"ZoneName": "theirs"}),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(code));
    }
}

#[tokio::test]
async fn update_zone_renames_what_describe_shows() {
    let (w, zone) = opened().await;
    w.ok(
        "UpdateZone",
        json!({"ZoneId": zone, "NewZoneName": "renamed-zone"}),
    )
    .await;
    let described = w.ok("DescribeIdentityCenter", json!({})).await;
    assert_eq!(described["ZoneName"], "renamed-zone");
    w.fails(
        "UpdateZone",
        json!({"ZoneId": zone, "NewZoneName": "Not_Valid"}),
        "InvalidParameterValue.ZoneNameFormatError",
    )
    .await;
    w.fails(
        "UpdateZone",
        json!({"ZoneId": "z-000000000000", "NewZoneName": "other"}),
        "FailedOperation.ZoneIdNotExist",
    )
    .await;
}

#[tokio::test]
async fn zone_statistics_count_users_and_groups() {
    let (w, zone) = opened().await;
    let stats = || async {
        w.host
            .v2021_03_31()
            .get_zone_statistics(GetZoneStatisticsRequest {
                zone_id: zone.clone(),
            })
            .await
            .unwrap()
            .zone_statistics
            .expect("GetZoneStatistics answers its ZoneStatistics")
    };
    let before = stats().await;
    assert_eq!((before.user_count, before.group_count), (0, 0));
    assert_eq!(before.user_quota, 1000);
    let first = user(&w, &zone, "one").await;
    user(&w, &zone, "two").await;
    group(&w, &zone, "crew").await;
    let after = stats().await;
    assert_eq!((after.user_count, after.group_count), (2, 1));
    w.ok("DeleteUser", z(&zone, json!({"UserId": first}))).await;
    assert_eq!(stats().await.user_count, 1);
}

#[tokio::test]
async fn deleting_the_organization_takes_the_zone_along() {
    let w = crate::world::World::empty().await;
    w.ok("CreateOrganization", json!({})).await;
    w.ok("OpenIdentityCenter", json!({"ZoneName": "brief"}))
        .await;
    w.ok("DeleteOrganization", json!({})).await;
    w.fails(
        "DescribeIdentityCenter",
        json!({}),
        "FailedOperation.IdentityCenterNotOpen",
    )
    .await;
}
