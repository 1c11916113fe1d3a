//! A world for the Identity Center access tests (role configurations, assignments, tasks,
//! user synchronization): HOST manages an organization with ALICE and BOB as members, and has
//! opened Identity Center; CAROL stays outside.

use serde_json::{json, Value};

use super::*;

/// A probe with the organization and the zone; the zone's ID.
pub(super) fn world() -> (Probe, String) {
    let p = Probe::new();
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    p.join(HOST, BOB, "bob");
    let zone = open_zone(&p, HOST);
    (p, zone)
}

/// `host` opens Identity Center (a zone named after it).
pub(super) fn open_zone(p: &Probe, host: u64) -> String {
    super::identity_center_zone::open(p, host, &format!("zone-{host}"))
}

/// `params` with the zone's ID added.
pub(super) fn in_zone(zone: &str, mut params: Value) -> Value {
    params["ZoneId"] = json!(zone);
    params
}

/// A 2021 call of HOST in `zone`, expected to succeed.
pub(super) fn ok(p: &Probe, zone: &str, action: &str, params: Value) -> Value {
    p.ok(V21, action, HOST, in_zone(zone, params))
}

/// A 2021 call of HOST in `zone`, expected to fail with `code`.
pub(super) fn fails(p: &Probe, zone: &str, action: &str, params: Value, code: &str) {
    p.fails(V21, action, HOST, in_zone(zone, params), code);
}

/// A role configuration named `name`; its ID.
pub(super) fn role(p: &Probe, zone: &str, name: &str) -> String {
    ok(
        p,
        zone,
        "CreateRoleConfiguration",
        json!({"RoleConfigurationName": name}),
    )["RoleConfigurationInfo"]["RoleConfigurationId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The target `uin` as a member account.
pub(super) fn member(uin: u64) -> Value {
    json!({"TargetType": "MemberUin", "TargetUin": uin})
}

/// `base` with the members of `extra` added.
pub(super) fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

/// Polls task `id` with `GetTaskStatus` (as the Terraform provider does, once a "second")
/// until it leaves `InProgress`, at most `limit` times; its last `TaskStatus`.
pub(super) fn wait(p: &Probe, zone: &str, id: &str, limit: usize) -> Value {
    for _ in 0..limit {
        let status = ok(p, zone, "GetTaskStatus", json!({"TaskId": id}))["TaskStatus"].clone();
        if status["Status"] != "InProgress" {
            return status;
        }
        p.now.set(p.now.get() + 1);
    }
    panic!("task {id} still in progress after {limit} polls");
}

/// Deploys `role` on member `uin` and waits for it.
pub(super) fn provision(p: &Probe, zone: &str, role: &str, uin: u64) {
    let task = ok(
        p,
        zone,
        "ProvisionRoleConfiguration",
        with(json!({"RoleConfigurationId": role}), member(uin)),
    );
    let id = task["Task"]["TaskId"].as_str().unwrap();
    assert_eq!(wait(p, zone, id, 5)["Status"], "Success");
}

/// The deployments `ListRoleConfigurationProvisionings` lists with `filter` (one page of 100).
pub(super) fn deployments(p: &Probe, zone: &str, filter: Value) -> Vec<Value> {
    ok(
        p,
        zone,
        "ListRoleConfigurationProvisionings",
        with(json!({"MaxResults": 100}), filter),
    )["RoleConfigurationProvisionings"]
        .as_array()
        .unwrap()
        .clone()
}

/// Every modelled code of the access actions (and of DeleteUser / DeleteGroup refusing for
/// them), each by its trigger.
pub(super) fn all_triggers() -> std::collections::BTreeSet<(Version, String, String)> {
    let mut seen = super::identity_center_roles::zone_errors();
    seen.extend(super::identity_center_roles::errors());
    seen.extend(super::identity_center_roles::limit_errors());
    seen.extend(super::identity_center_assignments::triggers());
    seen.extend(super::identity_center_sync::triggers());
    seen
}

/// Each of the 23 access actions once, successfully (their answers shape-checked by the probe).
pub(super) fn every_action_once() -> std::collections::BTreeSet<(Version, String)> {
    use super::identity_center_assignments::{assign, entry};
    use super::identity_center_sync::{sync_entry, wait_sync};
    let (p, zone) = world();
    let z = zone.as_str();
    let u = super::identity_center_zone::user(&p, z, "everything");
    let rc = role(&p, z, "everything");
    get_update_list(&p, z, &rc);
    policies(&p, z, &rc);
    provision(&p, z, &rc, BOB);
    deployments(&p, z, json!({}));
    let task = assign(&p, z, entry(&rc, "User", &u, member(ALICE)));
    wait(&p, z, task["TaskId"].as_str().unwrap(), 5);
    ok(&p, z, "ListRoleAssignments", json!({}));
    ok(&p, z, "ListTasks", json!({}));
    let delete = ok(
        &p,
        z,
        "DeleteRoleAssignment",
        with(
            json!({"RoleConfigurationId": rc, "PrincipalType": "User", "PrincipalId": u}),
            member(ALICE),
        ),
    );
    wait(&p, z, delete["Task"]["TaskId"].as_str().unwrap(), 5);
    let dismantle = ok(
        &p,
        z,
        "DismantleRoleConfiguration",
        with(json!({"RoleConfigurationId": rc}), member(BOB)),
    );
    wait(&p, z, dismantle["Task"]["TaskId"].as_str().unwrap(), 5);
    let started = ok(
        &p,
        z,
        "CreateUserSyncProvisioning",
        json!({"UserSyncProvisionings": [sync_entry("User", &u, member(ALICE))]}),
    )["Tasks"][0]
        .clone();
    wait_sync(&p, z, started["TaskId"].as_str().unwrap());
    let id = started["UserProvisioningId"].clone();
    ok(
        &p,
        z,
        "GetUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
    );
    ok(&p, z, "ListUserSyncProvisionings", json!({}));
    ok(
        &p,
        z,
        "UpdateUserSyncProvisioning",
        json!({"UserProvisioningId": id, "NewDescription": "x"}),
    );
    ok(
        &p,
        z,
        "DeleteUserSyncProvisioning",
        json!({"UserProvisioningId": id}),
    );
    let bare = role(&p, z, "bare");
    ok(
        &p,
        z,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": bare}),
    );
    p.succeeded()
}

fn get_update_list(p: &Probe, z: &str, rc: &str) {
    ok(
        p,
        z,
        "GetRoleConfiguration",
        json!({"RoleConfigurationId": rc}),
    );
    ok(
        p,
        z,
        "UpdateRoleConfiguration",
        json!({"RoleConfigurationId": rc, "NewDescription": "all of it"}),
    );
    ok(
        p,
        z,
        "ListRoleConfigurations",
        json!({"FilterTargets": [ALICE]}),
    );
}

/// Adds, lists, changes and removes a custom policy of `rc`.
fn policies(p: &Probe, z: &str, rc: &str) {
    ok(
        p,
        z,
        "AddPermissionPolicyToRoleConfiguration",
        json!({"RoleConfigurationId": rc, "RolePolicyType": "Custom", "RolePolicyNames": ["mine"],
               "CustomPolicyDocument": "{}"}),
    );
    ok(
        p,
        z,
        "ListPermissionPoliciesInRoleConfiguration",
        json!({"RoleConfigurationId": rc}),
    );
    ok(
        p,
        z,
        "UpdateCustomPolicyForRoleConfiguration",
        json!({"RoleConfigurationId": rc, "CustomPolicyName": "mine", "NewCustomPolicyDocument": "{\"v\":1}"}),
    );
    ok(
        p,
        z,
        "RemovePermissionPolicyFromRoleConfiguration",
        json!({"RoleConfigurationId": rc, "RolePolicyType": "Custom", "RolePolicyName": "mine"}),
    );
}
