//! Identity Center's zone: opening it, describing, renaming, its statistics; and the helpers the
//! other Identity Center tests share.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;

pub(super) type Seen = BTreeSet<(Version, String, String)>;

pub(super) const NOT_OPEN: &str = "FailedOperation.IdentityCenterNotOpen";
pub(super) const ZONE_NOT_EXIST: &str = "FailedOperation.ZoneIdNotExist";
/// A zone ID no zone has (well formed).
pub(super) const OTHER_ZONE: &str = "z-000000000000";

/// A probe where HOST manages an organization (ALICE a member of it) and opened Identity
/// Center; the zone's ID.
pub(super) fn opened() -> (Probe, String) {
    let p = Probe::new();
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    let zone = open(&p, HOST, "tco-zone");
    (p, zone)
}

pub(super) fn open(p: &Probe, caller: u64, name: &str) -> String {
    p.ok(V21, "OpenIdentityCenter", caller, json!({"ZoneName": name}))["ZoneId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A manual user named `name`; its ID.
pub(super) fn user(p: &Probe, zone: &str, name: &str) -> String {
    p.ok(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": zone, "UserName": name}),
    )["UserInfo"]["UserId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A group named `name` of `kind` (Manual or Synchronized); its ID.
pub(super) fn group(p: &Probe, zone: &str, name: &str, kind: &str) -> String {
    p.ok(
        V21,
        "CreateGroup",
        HOST,
        json!({"ZoneId": zone, "GroupName": name, "GroupType": kind}),
    )["GroupInfo"]["GroupId"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(super) fn join(p: &Probe, zone: &str, group: &str, user: &str) {
    p.ok(
        V21,
        "AddUserToGroup",
        HOST,
        json!({"ZoneId": zone, "GroupId": group, "UserId": user}),
    );
}

/// `params` with `ZoneId` set to `zone`.
pub(super) fn with_zone(zone: &str, mut params: Value) -> Value {
    params["ZoneId"] = json!(zone);
    params
}

/// A zone-scoped action fails before the caller opened Identity Center (ALICE, a member, has
/// no zone) and with another `ZoneId`: with the documented codes, or the common ones.
pub(super) fn zone_checks(p: &Probe, zone: &str, action: &str, params: Value) {
    let spec = tco_spec::action(V21, action).unwrap();
    let documented = |code: &'static str, fallback: &'static str| {
        if spec.errors.iter().any(|e| e == code) {
            code
        } else {
            fallback
        }
    };
    p.fails(
        V21,
        action,
        ALICE,
        with_zone(zone, params.clone()),
        documented(NOT_OPEN, "FailedOperation"),
    );
    p.fails(
        V21,
        action,
        HOST,
        with_zone(OTHER_ZONE, params),
        documented(ZONE_NOT_EXIST, "ResourceNotFound"),
    );
}

/// Every item of a list action, walking its pages `max` at a time.
pub(super) fn walk(p: &Probe, action: &str, params: Value, member: &str, max: u64) -> Vec<Value> {
    let mut out = Vec::new();
    let mut token = String::new();
    loop {
        let mut call = params.clone();
        call["MaxResults"] = json!(max);
        if !token.is_empty() {
            call["NextToken"] = json!(token);
        }
        let page = p.ok(V21, action, HOST, call);
        let items = page[member].as_array().unwrap();
        assert!(items.len() as u64 <= max);
        assert_eq!(page["MaxResults"], max);
        out.extend(items.iter().cloned());
        token = page["NextToken"].as_str().unwrap().to_owned();
        if !page["IsTruncated"].as_bool().unwrap() {
            assert!(token.is_empty(), "the last page has no NextToken");
            return out;
        }
    }
}

pub(super) fn ids(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[key].as_str().unwrap().to_owned())
        .collect()
}

fn triggers() -> Seen {
    let p = Probe::new();
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    p.fails(V21, "DescribeIdentityCenter", HOST, json!({}), NOT_OPEN);
    p.fails(
        V21,
        "OpenIdentityCenter",
        CAROL,
        json!({"ZoneName": "carol-zone"}),
        "FailedOperation.IdentityCenterOrganizationNotOpen",
    );
    p.fails(
        V21,
        "OpenIdentityCenter",
        ALICE,
        json!({"ZoneName": "alice-zone"}),
        "FailedOperation.IdentityCenterNotOrganizationManager",
    );
    let too_long = "a".repeat(65);
    for bad in [
        "a",
        "-ab",
        "ab-",
        "a--b",
        "Upper",
        "with space",
        "x_y",
        too_long.as_str(),
    ] {
        p.fails(
            V21,
            "OpenIdentityCenter",
            HOST,
            json!({"ZoneName": bad}),
            "InvalidParameterValue",
        );
    }
    let zone = open(&p, HOST, "ab");
    p.fails(
        V21,
        "OpenIdentityCenter",
        HOST,
        json!({"ZoneName": "another"}),
        "FailedOperation.IdentityCenterAlreadyOpen",
    );
    p.org(BOB);
    p.fails(
        V21,
        "OpenIdentityCenter",
        BOB,
        json!({"ZoneName": "ab"}),
        "InvalidParameterValue.IdentityCenterZoneNameAlreadyExist",
    );
    let bobs = open(&p, BOB, "bob-zone");
    // ALICE, a member, has no zone; HOST may not name BOB's.
    p.fails(V21, "DescribeIdentityCenter", ALICE, json!({}), NOT_OPEN);
    zone_checks(&p, &zone, "UpdateZone", json!({"NewZoneName": "renamed"}));
    zone_checks(&p, &zone, "GetZoneStatistics", json!({}));
    p.fails(
        V21,
        "GetZoneStatistics",
        HOST,
        json!({"ZoneId": bobs}),
        ZONE_NOT_EXIST,
    );
    p.fails(
        V21,
        "UpdateZone",
        HOST,
        json!({"ZoneId": zone, "NewZoneName": "Bad_Name"}),
        "InvalidParameterValue.ZoneNameFormatError",
    );
    // Another zone's name: UpdateZone documents no code for it.
    p.fails(
        V21,
        "UpdateZone",
        HOST,
        json!({"ZoneId": zone, "NewZoneName": "bob-zone"}),
        "InvalidParameterValue",
    );
    p.failed()
}

#[test]
fn zone_errors() {
    triggers();
}

pub(super) fn all_triggers() -> Seen {
    let mut seen = triggers();
    seen.extend(super::identity_center_users::triggers());
    seen.extend(super::identity_center_groups::triggers());
    seen.extend(super::identity_center_scim::triggers());
    seen.extend(super::identity_center_saml::triggers());
    seen
}

#[test]
fn opening_describing_and_renaming_a_zone() {
    let p = Probe::new();
    p.org(HOST);
    let zone = open(&p, HOST, "first-zone");
    assert!(zone.starts_with("z-") && zone.len() == 14, "{zone}");
    assert!(zone[2..]
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    let described = p.ok(V21, "DescribeIdentityCenter", HOST, json!({}));
    assert_eq!(described["ZoneId"], zone);
    assert_eq!(described["ZoneName"], "first-zone");
    assert_eq!(described["ServiceStatus"], "Enabled");
    assert_eq!(described["ScimSyncStatus"], "Disabled");
    assert_eq!(described["CreateTime"], "2021-04-16 11:49:39");

    p.now.set(NOW + 60);
    p.ok(
        V21,
        "UpdateZone",
        HOST,
        json!({"ZoneId": zone, "NewZoneName": "renamed-zone"}),
    );
    let described = p.ok(V21, "DescribeIdentityCenter", HOST, json!({}));
    assert_eq!(described["ZoneName"], "renamed-zone");
    assert_eq!(described["CreateTime"], "2021-04-16 11:49:39");
    assert_eq!(described["UpdateTime"], "2021-04-16 11:50:39");
    // Its own name again is no conflict; the old name is free for another zone.
    p.ok(
        V21,
        "UpdateZone",
        HOST,
        json!({"ZoneId": zone, "NewZoneName": "renamed-zone"}),
    );
    p.org(BOB);
    open(&p, BOB, "first-zone");
}

#[test]
fn statistics_count_what_the_zone_holds() {
    let (p, zone) = opened();
    let stats = |p: &Probe| {
        p.ok(V21, "GetZoneStatistics", HOST, json!({"ZoneId": zone}))["ZoneStatistics"].clone()
    };
    let empty = stats(&p);
    // The quotas of the contract's example.
    assert_eq!(empty["UserQuota"], 1000);
    assert_eq!(empty["GroupQuota"], 500);
    assert_eq!(empty["RoleConfigurationQuota"], 1000);
    assert_eq!(empty["SystemPolicyPerRoleConfigurationQuota"], 20);
    assert_eq!(empty["UserCount"], 0);
    assert_eq!(empty["GroupCount"], 0);
    let a = user(&p, &zone, "a");
    user(&p, &zone, "b");
    user(&p, &zone, "c");
    group(&p, &zone, "g1", "Manual");
    group(&p, &zone, "g2", "Manual");
    let counted = stats(&p);
    assert_eq!(counted["UserCount"], 3);
    assert_eq!(counted["GroupCount"], 2);
    assert_eq!(counted["RoleConfigurationCount"], 0);
    assert_eq!(counted["UserProvisioningCount"], 0);
    assert_eq!(counted["RoleConfigurationSyncCount"], 0);
    p.ok(
        V21,
        "DeleteUser",
        HOST,
        json!({"ZoneId": zone, "UserId": a}),
    );
    assert_eq!(stats(&p)["UserCount"], 2);
}

#[test]
fn deleting_the_organization_removes_its_zone() {
    let p = Probe::new();
    p.org(HOST);
    let zone = open(&p, HOST, "short-lived");
    user(&p, &zone, "someone");
    p.ok(V21, "DeleteOrganization", HOST, json!({}));
    p.fails(V21, "DescribeIdentityCenter", HOST, json!({}), NOT_OPEN);
    p.org(HOST);
    let again = open(&p, HOST, "short-lived");
    assert_ne!(again, zone, "IDs are not reused");
    let users = p.ok(V21, "ListUsers", HOST, json!({"ZoneId": again}));
    assert_eq!(users["TotalCounts"], 0);
}

/// Runs each Identity Center action of the zone, users, groups, SCIM and SAML successfully
/// once; what succeeded.
pub(super) fn every_action_once() -> BTreeSet<(Version, String)> {
    let (p, zone) = opened();
    let z = zone.as_str();
    let call = |action: &str, params: Value| p.ok(V21, action, HOST, with_zone(z, params));
    p.ok(V21, "DescribeIdentityCenter", HOST, json!({}));
    call("UpdateZone", json!({"NewZoneName": "renamed"}));
    let u = user(&p, z, "someone");
    call("GetUser", json!({"UserId": u}));
    call("ListUsers", json!({}));
    call(
        "UpdateUser",
        json!({"UserId": u, "NewDisplayName": "Some One"}),
    );
    call(
        "UpdateUserStatus",
        json!({"UserId": u, "NewUserStatus": "Disabled"}),
    );
    let g = group(&p, z, "crew", "Manual");
    call("GetGroup", json!({"GroupId": g}));
    call("ListGroups", json!({}));
    call(
        "UpdateGroup",
        json!({"GroupId": g, "NewDescription": "the crew"}),
    );
    join(&p, z, &g, &u);
    call("ListGroupMembers", json!({"GroupId": g}));
    call("ListJoinedGroupsForUser", json!({"UserId": u}));
    call("RemoveUserFromGroup", json!({"GroupId": g, "UserId": u}));
    call("DeleteGroup", json!({"GroupId": g}));
    call("DeleteUser", json!({"UserId": u}));
    call("GetZoneStatistics", json!({}));
    let key = call("CreateSCIMCredential", json!({}))["CredentialId"].clone();
    call("ListSCIMCredentials", json!({}));
    call(
        "UpdateSCIMCredentialStatus",
        json!({"CredentialId": key, "NewStatus": "Disabled"}),
    );
    call("DeleteSCIMCredential", json!({"CredentialId": key}));
    call("GetSCIMSynchronizationStatus", json!({}));
    call(
        "UpdateSCIMSynchronizationStatus",
        json!({"SCIMSynchronizationStatus": "Enabled"}),
    );
    super::identity_center_saml::every_action_once(&p, z);
    p.succeeded()
}
