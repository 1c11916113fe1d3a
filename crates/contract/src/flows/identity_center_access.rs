//! Identity Center access, as the Terraform provider drives it: a role configuration with a
//! system and a custom policy, deployed on the manager's account and undeployed; a user given
//! the configuration there by a role assignment, the assignment listed, deleted; every task
//! polled with `GetTaskStatus` until it is done (a bounded poll), and expected to succeed.
//!
//! The manager's own account is the target (`ManagerUin`), so the flow creates no member
//! account. Identity Center cannot be closed once opened; deleting the organization at the
//! end is the teardown.

use std::time::Duration;

use serde_json::{json, Value};

use super::{is_var, lists, none, step, var, Flow, Step, Undo, Until, Vars, DELETE_ORG_2021};
use tco_spec::Version::V2021_03_31 as V2021;

/// Names the flow's variables and the placeholders its parameter check uses.
#[cfg(test)]
pub(super) const VARIABLES: [(&str, &str); 7] = [
    ("ZoneId", "z-placeholder"),
    ("UserId", "u-placeholder"),
    ("RoleConfigurationId", "rc-placeholder"),
    ("ProvisionTaskId", "t-placeholder"),
    ("AssignTaskId", "t-placeholder"),
    ("UnassignTaskId", "t-placeholder"),
    ("DismantleTaskId", "t-placeholder"),
];

const CUSTOM_POLICY: &str = "tco-contract-custom";
const CUSTOM_DOCUMENT: &str = r#"{"version":"2.0","statement":[{"effect":"allow","action":["cam:GetRole"],"resource":["*"]}]}"#;

/// A task is done once it is no longer `InProgress`; two minutes at most.
const TASK_DONE: Until = Until {
    done: |r| r.pointer("/TaskStatus/Status").and_then(Value::as_str) != Some("InProgress"),
    tries: 120,
    every: Duration::from_secs(1),
};

/// `GetTaskStatus` of the task remembered as `task`, until it is done; it must succeed.
fn wait(params: fn(&Vars) -> Value) -> Step {
    Step {
        until: Some(TASK_DONE),
        verify: Some(
            |r, _| match r.pointer("/TaskStatus/Status").and_then(Value::as_str) {
                Some("Success") => Ok(()),
                _ => Err(format!("the task ended {}", r["TaskStatus"])),
            },
        ),
        ..step(V2021, "GetTaskStatus", params)
    }
}

fn in_zone(v: &Vars, mut params: Value) -> Value {
    params["ZoneId"] = var(v, "ZoneId");
    params
}

/// The role configuration on the manager's account, with `extra` members.
fn on_manager(v: &Vars, extra: Value) -> Value {
    let mut params = in_zone(
        v,
        json!({
            "RoleConfigurationId": var(v, "RoleConfigurationId"),
            "TargetType": "ManagerUin",
            "TargetUin": var(v, "HostUin"),
        }),
    );
    if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    params
}

fn assignment(v: &Vars) -> Value {
    on_manager(
        v,
        json!({"PrincipalType": "User", "PrincipalId": var(v, "UserId")}),
    )
}

/// Whether `RoleAssignments` holds the flow's assignment.
fn lists_assignment(r: &Value, v: &Vars) -> bool {
    r["RoleAssignments"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|a| {
            a["PrincipalId"] == var(v, "UserId")
                && a["RoleConfigurationId"] == var(v, "RoleConfigurationId")
        })
}

pub(super) fn flow() -> Flow {
    Flow {
        family: "identity_center_access",
        needs: &[],
        steps: vec![
            Step {
                undo: Some(DELETE_ORG_2021),
                ..step(V2021, "CreateOrganization", none)
            },
            Step {
                capture: &[("HostUin", "/HostUin")],
                ..step(V2021, "DescribeOrganization", none)
            },
            Step {
                capture: &[("ZoneId", "/ZoneId")],
                ..step(
                    V2021,
                    "OpenIdentityCenter",
                    |_| json!({"ZoneName": "tco-contract-zone"}),
                )
            },
            Step {
                capture: &[("UserId", "/UserInfo/UserId")],
                undo: Some(Undo {
                    version: V2021,
                    action: "DeleteUser",
                    params: |v| in_zone(v, json!({"UserId": var(v, "UserId")})),
                }),
                ..step(V2021, "CreateUser", |v| {
                    in_zone(
                        v,
                        json!({"UserName": "tco-contract-user", "Email": "tco-contract-user@example.com"}),
                    )
                })
            },
            Step {
                capture: &[(
                    "RoleConfigurationId",
                    "/RoleConfigurationInfo/RoleConfigurationId",
                )],
                undo: Some(Undo {
                    version: V2021,
                    action: "DeleteRoleConfiguration",
                    params: |v| {
                        in_zone(
                            v,
                            json!({"RoleConfigurationId": var(v, "RoleConfigurationId")}),
                        )
                    },
                }),
                ..step(V2021, "CreateRoleConfiguration", |v| {
                    in_zone(
                        v,
                        json!({"RoleConfigurationName": "tco-contract-access", "Description": "contract suite",
                               "SessionDuration": 3600}),
                    )
                })
            },
            Step {
                verify: Some(|r, v| {
                    is_var(
                        &r["RoleConfigurationInfo"],
                        "RoleConfigurationId",
                        v,
                        "created as",
                    )
                }),
                ..step(V2021, "GetRoleConfiguration", |v| {
                    in_zone(
                        v,
                        json!({"RoleConfigurationId": var(v, "RoleConfigurationId")}),
                    )
                })
            },
            Step {
                undo: Some(Undo {
                    version: V2021,
                    action: "RemovePermissionPolicyFromRoleConfiguration",
                    params: |v| {
                        in_zone(
                            v,
                            json!({"RoleConfigurationId": var(v, "RoleConfigurationId"),
                                   "RolePolicyType": "System", "RolePolicyName": "ReadOnlyAccess"}),
                        )
                    },
                }),
                ..step(V2021, "AddPermissionPolicyToRoleConfiguration", |v| {
                    in_zone(
                        v,
                        json!({"RoleConfigurationId": var(v, "RoleConfigurationId"),
                               "RolePolicyType": "System", "RolePolicyNames": ["ReadOnlyAccess"]}),
                    )
                })
            },
            Step {
                undo: Some(Undo {
                    version: V2021,
                    action: "RemovePermissionPolicyFromRoleConfiguration",
                    params: |v| {
                        in_zone(
                            v,
                            json!({"RoleConfigurationId": var(v, "RoleConfigurationId"),
                                   "RolePolicyType": "Custom", "RolePolicyName": CUSTOM_POLICY}),
                        )
                    },
                }),
                ..step(V2021, "AddPermissionPolicyToRoleConfiguration", |v| {
                    in_zone(
                        v,
                        json!({"RoleConfigurationId": var(v, "RoleConfigurationId"),
                               "RolePolicyType": "Custom", "RolePolicyNames": [CUSTOM_POLICY],
                               "CustomPolicyDocument": CUSTOM_DOCUMENT}),
                    )
                })
            },
            Step {
                verify: Some(|r, _| {
                    let names: Vec<&str> = r["RolePolicies"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p["RolePolicyName"].as_str())
                        .collect();
                    if names.contains(&"ReadOnlyAccess") && names.contains(&CUSTOM_POLICY) {
                        Ok(())
                    } else {
                        Err(format!("the role configuration holds {names:?}"))
                    }
                }),
                ..step(V2021, "ListPermissionPoliciesInRoleConfiguration", |v| {
                    in_zone(
                        v,
                        json!({"RoleConfigurationId": var(v, "RoleConfigurationId")}),
                    )
                })
            },
            Step {
                capture: &[("ProvisionTaskId", "/Task/TaskId")],
                ..step(V2021, "ProvisionRoleConfiguration", |v| {
                    on_manager(v, json!({}))
                })
            },
            wait(|v| in_zone(v, json!({"TaskId": var(v, "ProvisionTaskId")}))),
            Step {
                verify: Some(|r, v| {
                    lists(
                        r,
                        "/RoleConfigurationProvisionings",
                        "RoleConfigurationId",
                        v,
                        "RoleConfigurationId",
                    )
                }),
                ..step(V2021, "ListRoleConfigurationProvisionings", |v| {
                    in_zone(
                        v,
                        json!({"RoleConfigurationId": var(v, "RoleConfigurationId")}),
                    )
                })
            },
            Step {
                capture: &[("AssignTaskId", "/Tasks/0/TaskId")],
                ..step(V2021, "CreateRoleAssignment", |v| {
                    let mut info = assignment(v);
                    info.as_object_mut().map(|o| o.remove("ZoneId"));
                    in_zone(v, json!({ "RoleAssignmentInfo": [info] }))
                })
            },
            wait(|v| in_zone(v, json!({"TaskId": var(v, "AssignTaskId")}))),
            Step {
                verify: Some(|r, v| {
                    if lists_assignment(r, v) {
                        Ok(())
                    } else {
                        Err("ListRoleAssignments does not list the assignment".into())
                    }
                }),
                ..step(V2021, "ListRoleAssignments", |v| {
                    in_zone(
                        v,
                        json!({"PrincipalType": "User", "PrincipalId": var(v, "UserId"), "MaxResults": 100}),
                    )
                })
            },
            Step {
                capture: &[("UnassignTaskId", "/Task/TaskId")],
                ..step(V2021, "DeleteRoleAssignment", |v| {
                    let mut params = assignment(v);
                    params["DeprovisionStrategy"] = json!("None");
                    params
                })
            },
            wait(|v| in_zone(v, json!({"TaskId": var(v, "UnassignTaskId")}))),
            Step {
                verify: Some(|r, v| {
                    if lists_assignment(r, v) {
                        Err("ListRoleAssignments still lists the deleted assignment".into())
                    } else {
                        Ok(())
                    }
                }),
                ..step(V2021, "ListRoleAssignments", |v| {
                    in_zone(
                        v,
                        json!({"PrincipalType": "User", "PrincipalId": var(v, "UserId"), "MaxResults": 100}),
                    )
                })
            },
            Step {
                capture: &[("DismantleTaskId", "/Task/TaskId")],
                ..step(V2021, "DismantleRoleConfiguration", |v| {
                    on_manager(v, json!({}))
                })
            },
            wait(|v| in_zone(v, json!({"TaskId": var(v, "DismantleTaskId")}))),
            Step {
                verify: Some(|r, _| match r["TotalCounts"].as_i64() {
                    Some(0) => Ok(()),
                    _ => Err(format!(
                        "still deployed: {}",
                        r["RoleConfigurationProvisionings"]
                    )),
                }),
                ..step(V2021, "ListRoleConfigurationProvisionings", |v| {
                    in_zone(
                        v,
                        json!({"RoleConfigurationId": var(v, "RoleConfigurationId")}),
                    )
                })
            },
            Step {
                verify: Some(|r, v| {
                    let listed = r["Tasks"].as_array().map_or(0, |t| {
                        t.iter()
                            .filter(|t| t["RoleConfigurationId"] == var(v, "RoleConfigurationId"))
                            .filter(|t| t["Status"] == "Success")
                            .count()
                    });
                    if listed >= 4 {
                        Ok(())
                    } else {
                        Err(format!(
                            "ListTasks shows {listed} of the flow's 4 tasks done"
                        ))
                    }
                }),
                ..step(V2021, "ListTasks", |v| {
                    in_zone(
                        v,
                        json!({"RoleConfigurationId": var(v, "RoleConfigurationId"), "MaxResults": 100}),
                    )
                })
            },
        ],
    }
}
