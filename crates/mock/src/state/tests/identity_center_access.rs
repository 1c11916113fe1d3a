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
