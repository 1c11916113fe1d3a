//! Identity Center SCIM keys and the synchronization switch.

use serde_json::json;

use super::identity_center_zone::{opened, with_zone, zone_checks, Seen};
use super::*;

pub(super) fn triggers() -> Seen {
    let (p, zone) = opened();
    let zone = zone.as_str();
    let key =
        p.ok(V21, "CreateSCIMCredential", HOST, json!({"ZoneId": zone}))["CredentialId"].clone();
    for (action, params) in [
        ("CreateSCIMCredential", json!({})),
        ("ListSCIMCredentials", json!({})),
        (
            "UpdateSCIMCredentialStatus",
            json!({"CredentialId": key, "NewStatus": "Disabled"}),
        ),
        ("DeleteSCIMCredential", json!({"CredentialId": key})),
        ("GetSCIMSynchronizationStatus", json!({})),
        (
            "UpdateSCIMSynchronizationStatus",
            json!({"SCIMSynchronizationStatus": "Enabled"}),
        ),
    ] {
        zone_checks(&p, zone, action, params);
    }
    for bad in [3599_u64, 99 * 365 * 86_400 + 1] {
        p.fails(
            V21,
            "CreateSCIMCredential",
            HOST,
            json!({"ZoneId": zone, "ExpireDuration": bad}),
            "InvalidParameterValue",
        );
    }
    p.ok(
        V21,
        "CreateSCIMCredential",
        HOST,
        json!({"ZoneId": zone, "ExpireDuration": 3600}),
    );
    p.fails(
        V21,
        "CreateSCIMCredential",
        HOST,
        json!({"ZoneId": zone}),
        "LimitExceeded.ScimCredentialLimitExceeded",
    );
    let ghost = "scimcred-000000000000";
    p.fails(
        V21,
        "UpdateSCIMCredentialStatus",
        HOST,
        json!({"ZoneId": zone, "CredentialId": ghost, "NewStatus": "Enabled"}),
        "InvalidParameter.ScimCredentialNotFound",
    );
    p.fails(
        V21,
        "DeleteSCIMCredential",
        HOST,
        json!({"ZoneId": zone, "CredentialId": ghost}),
        "InvalidParameter.ScimCredentialNotFound",
    );
    p.fails(
        V21,
        "UpdateSCIMCredentialStatus",
        HOST,
        json!({"ZoneId": zone, "CredentialId": key, "NewStatus": "Paused"}),
        "InvalidParameter.UserScimCredentialStatusError",
    );
    p.fails(
        V21,
        "UpdateSCIMSynchronizationStatus",
        HOST,
        json!({"ZoneId": zone, "SCIMSynchronizationStatus": "On"}),
        "InvalidParameter.ScimSyncStatusError",
    );
    p.failed()
}

#[test]
fn scim_errors() {
    triggers();
}

#[test]
fn keys_are_created_listed_switched_and_deleted() {
    let (p, zone) = opened();
    let created = p.ok(
        V21,
        "CreateSCIMCredential",
        HOST,
        json!({"ZoneId": zone, "ExpireDuration": 7200}),
    );
    let id = created["CredentialId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("scimcred-") && id.len() == 21, "{id}");
    assert_eq!(created["ZoneId"], zone);
    assert_eq!(created["CredentialType"], "BearerToken");
    assert_eq!(created["CredentialStatus"], "Enabled");
    assert_eq!(created["CreateTime"], "2021-04-16 11:49:39");
    assert_eq!(created["ExpireTime"], "2021-04-16 13:49:39");
    let secret = created["CredentialSecret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32);
    // The default lifetime is a year.
    let yearly = p.ok(V21, "CreateSCIMCredential", HOST, json!({"ZoneId": zone}));
    assert_eq!(yearly["ExpireTime"], "2022-04-16 11:49:39");
    assert_ne!(yearly["CredentialSecret"], secret.as_str());

    let listed = p.ok(V21, "ListSCIMCredentials", HOST, json!({"ZoneId": zone}));
    assert_eq!(listed["TotalCounts"], 2);
    assert_eq!(
        listed["SCIMCredentials"][0],
        json!({"ZoneId": zone, "Status": "Enabled", "CredentialId": id, "CredentialType": "BearerToken",
               "CreateTime": "2021-04-16 11:49:39", "ExpireTime": "2021-04-16 13:49:39"})
    );
    // The secret is shown once: no read returns it.
    assert!(!listed.to_string().contains(&secret));
    let only = p.ok(
        V21,
        "ListSCIMCredentials",
        HOST,
        json!({"ZoneId": zone, "CredentialId": id}),
    );
    assert_eq!(only["TotalCounts"], 1);

    p.ok(
        V21,
        "UpdateSCIMCredentialStatus",
        HOST,
        json!({"ZoneId": zone, "CredentialId": id, "NewStatus": "Disabled"}),
    );
    let listed = p.ok(
        V21,
        "ListSCIMCredentials",
        HOST,
        json!({"ZoneId": zone, "CredentialId": id}),
    );
    assert_eq!(listed["SCIMCredentials"][0]["Status"], "Disabled");

    p.ok(
        V21,
        "DeleteSCIMCredential",
        HOST,
        json!({"ZoneId": zone, "CredentialId": id}),
    );
    let listed = p.ok(V21, "ListSCIMCredentials", HOST, json!({"ZoneId": zone}));
    assert_eq!(listed["TotalCounts"], 1);
    assert_ne!(listed["SCIMCredentials"][0]["CredentialId"], id.as_str());
    // A freed slot takes a new key.
    p.ok(
        V21,
        "CreateSCIMCredential",
        HOST,
        with_zone(&zone, json!({})),
    );
}

#[test]
fn the_synchronization_switch_is_read_back_everywhere() {
    let (p, zone) = opened();
    let status = |p: &Probe| {
        p.ok(
            V21,
            "GetSCIMSynchronizationStatus",
            HOST,
            json!({"ZoneId": zone}),
        )["SCIMSynchronizationStatus"]
            .clone()
    };
    assert_eq!(status(&p), "Disabled");
    p.ok(
        V21,
        "UpdateSCIMSynchronizationStatus",
        HOST,
        json!({"ZoneId": zone, "SCIMSynchronizationStatus": "Enabled"}),
    );
    assert_eq!(status(&p), "Enabled");
    assert_eq!(
        p.ok(V21, "DescribeIdentityCenter", HOST, json!({}))["ScimSyncStatus"],
        "Enabled"
    );
}

/// The world's `Debug` (what a log or panic would print) never holds a key's secret.
#[test]
fn the_world_keeps_no_secret() {
    let (p, zone) = opened();
    let created = p.ok(V21, "CreateSCIMCredential", HOST, json!({"ZoneId": zone}));
    let secret = created["CredentialSecret"].as_str().unwrap();
    let debug = format!("{:?}", p.world);
    assert!(debug.contains(created["CredentialId"].as_str().unwrap()));
    assert!(!debug.contains(secret));
}
