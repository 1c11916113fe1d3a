//! Stateful flows: setup, exercise, teardown, with the IDs one call returns fed to the next.
//! One flow per family the API is built around: the organization, its nodes (units), its
//! members and its invitations, mixing both versions as a real client would (they share one
//! world); and one file per area beyond those (Identity Center: [`identity_center`]).
//!
//! Each step must succeed and answer in its documented shape; a step that creates something
//! registers the call that removes it, and those run in reverse order at the end whatever
//! happened, so a flow leaves an account as it found it.

mod identity_center;
mod identity_center_access;
mod member_login;
mod policies;
mod services;
mod sharing;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value};
use tco_spec::Version;

use Version::{V2018_12_25 as V2018, V2021_03_31 as V2021};

/// Values captured from earlier answers (and a few given up front, e.g. `InviteeUin`).
pub type Vars = HashMap<&'static str, Value>;

/// A check of a step's answer (its `Response` object) beyond the shape.
pub type Verify = fn(&Value, &Vars) -> Result<(), String>;

/// One call of a flow.
#[derive(Clone, Copy)]
pub struct Step {
    pub version: Version,
    pub action: &'static str,
    pub params: fn(&Vars) -> Value,
    /// `(name, JSON pointer into Response)`: values to remember for the steps after.
    pub capture: &'static [(&'static str, &'static str)],
    /// A check of the answer beyond its shape (e.g. the node just added is listed).
    pub verify: Option<Verify>,
    /// The call that undoes this step, run at teardown.
    pub undo: Option<Undo>,
    /// Repeat the call until its answer says the work is done (a task polled to its end).
    pub until: Option<Until>,
}

/// A bounded poll: the step is sent again while `done` says no, at most `tries` times in
/// all; the first repeat at once, later ones `every` apart (as a consumer polls a task once a
/// second). Checks and captures apply to the last answer.
#[derive(Clone, Copy)]
pub struct Until {
    pub done: fn(&Value) -> bool,
    pub tries: u32,
    pub every: Duration,
}

/// A teardown call.
#[derive(Clone, Copy)]
pub struct Undo {
    pub version: Version,
    pub action: &'static str,
    pub params: fn(&Vars) -> Value,
}

/// A family's flow.
#[derive(Clone)]
pub struct Flow {
    /// `organization`, `nodes`, `members`, `invitations`, `identity_center`,
    /// `identity_center_access`; the check is
    /// `flow.<family>`.
    pub family: &'static str,
    /// Variables that must be given up front (the flow is skipped without them).
    pub needs: &'static [&'static str],
    pub steps: Vec<Step>,
}

impl Flow {
    /// Whether the flow starts by creating an organization: it then needs an account that is
    /// in none.
    pub fn creates_organization(&self) -> bool {
        self.steps
            .first()
            .is_some_and(|s| s.action == "CreateOrganization")
    }

    /// Every (version, action) the flow calls, teardown included.
    pub fn actions(&self) -> impl Iterator<Item = (Version, &'static str)> + '_ {
        self.steps.iter().flat_map(|s| {
            std::iter::once((s.version, s.action)).chain(s.undo.map(|u| (u.version, u.action)))
        })
    }
}

fn var(vars: &Vars, name: &str) -> Value {
    vars.get(name).cloned().unwrap_or(Value::Null)
}

fn none(_: &Vars) -> Value {
    json!({})
}

const DELETE_ORG_2018: Undo = Undo {
    version: V2018,
    action: "DeleteOrganization",
    params: none,
};

const DELETE_ORG_2021: Undo = Undo {
    version: V2021,
    action: "DeleteOrganization",
    params: none,
};

fn step(version: Version, action: &'static str, params: fn(&Vars) -> Value) -> Step {
    Step {
        version,
        action,
        params,
        capture: &[],
        verify: None,
        undo: None,
        until: None,
    }
}

/// Whether `list` (an array of objects at `pointer`) has an item whose `key` equals `var`.
fn lists(
    response: &Value,
    pointer: &str,
    key: &str,
    vars: &Vars,
    var_name: &str,
) -> Result<(), String> {
    let want = var(vars, var_name);
    let items = response
        .pointer(pointer)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{pointer} is not a list"))?;
    if items.iter().any(|i| same_id(i.get(key), &want)) {
        Ok(())
    } else {
        Err(format!(
            "{pointer} does not list {key} {want} (from an earlier step)"
        ))
    }
}

/// Whether the answer's `key` is the ID remembered as `key`; `source` says where that came from.
fn is_var(response: &Value, key: &str, vars: &Vars, source: &str) -> Result<(), String> {
    if same_id(response.get(key), &var(vars, key)) {
        Ok(())
    } else {
        Err(format!(
            "{key} is {}, {source} {}",
            response[key],
            var(vars, key)
        ))
    }
}

/// IDs compare as numbers, whatever their JSON spelling (`1001` and `"1001"`).
fn same_id(found: Option<&Value>, want: &Value) -> bool {
    let as_text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    found.is_some_and(|f| as_text(f) == as_text(want))
}

/// The flows, in the order they run.
pub fn all() -> Vec<Flow> {
    vec![
        organization(),
        nodes(),
        members(),
        invitations(),
        policies::policies(),
        policies::member_access(),
        member_login::identities(),
        member_login::sub_accounts(),
        services::services(),
        sharing::sharing(),
        identity_center::users_and_groups(),
        identity_center_access::flow(),
    ]
}

/// Create an organization (2018), read it back with both versions, delete it.
fn organization() -> Flow {
    Flow {
        family: "organization",
        needs: &[],
        steps: vec![
            Step {
                capture: &[("OrgId", "/OrgId")],
                undo: Some(DELETE_ORG_2018),
                ..step(V2018, "CreateOrganization", |_| json!({"OrgType": 1}))
            },
            Step {
                verify: Some(|r, v| is_var(r, "OrgId", v, "CreateOrganization said")),
                ..step(V2018, "GetOrganization", none)
            },
            Step {
                verify: Some(|r, v| is_var(r, "OrgId", v, "CreateOrganization said")),
                ..step(V2021, "DescribeOrganization", none)
            },
        ],
    }
}

/// The setup nodes and members share: create an organization (2021), capture its root unit,
/// add a unit under the root (`add`: its parameters) and capture its ID; both undone at the end.
fn org_with_unit(add: fn(&Vars) -> Value) -> [Step; 3] {
    [
        Step {
            undo: Some(DELETE_ORG_2021),
            ..step(V2021, "CreateOrganization", none)
        },
        Step {
            capture: &[("RootNodeId", "/RootNodeId")],
            ..step(V2021, "DescribeOrganization", none)
        },
        Step {
            capture: &[("NodeId", "/NodeId")],
            undo: Some(Undo {
                version: V2021,
                action: "DeleteOrganizationNodes",
                params: |v| json!({"NodeId": [var(v, "NodeId")]}),
            }),
            ..step(V2021, "AddOrganizationNode", add)
        },
    ]
}

/// Add a unit under the root, list it, rename it, list it with the other version, delete it.
fn nodes() -> Flow {
    Flow {
        family: "nodes",
        needs: &[],
        steps: org_with_unit(
            |v| json!({"ParentNodeId": var(v, "RootNodeId"), "Name": "tco-contract-unit"}),
        )
        .into_iter()
        .chain([
            Step {
                verify: Some(|r, v| lists(r, "/Items", "NodeId", v, "NodeId")),
                ..step(
                    V2021,
                    "DescribeOrganizationNodes",
                    |_| json!({"Limit": 50, "Offset": 0}),
                )
            },
            step(
                V2021,
                "UpdateOrganizationNode",
                |v| json!({"NodeId": var(v, "NodeId"), "Name": "tco-contract-renamed"}),
            ),
            Step {
                verify: Some(|r, v| {
                    lists(r, "/Nodes", "NodeId", v, "NodeId")?;
                    let renamed = r["Nodes"].as_array().into_iter().flatten().any(|n| {
                        same_id(n.get("NodeId"), &var(v, "NodeId"))
                            && n["Name"] == "tco-contract-renamed"
                    });
                    if renamed {
                        Ok(())
                    } else {
                        Err(
                            "the node does not carry the name UpdateOrganizationNode gave it"
                                .into(),
                        )
                    }
                }),
                ..step(V2018, "ListOrganizationNodes", none)
            },
        ])
        .collect(),
    }
}

/// Create a member in the root unit, bind its email (without which it cannot be removed), find
/// it, move it to a new unit, read it there with the other version, remove it.
fn members() -> Flow {
    Flow {
        family: "members",
        needs: &[],
        steps: org_with_unit(
            |v| json!({"ParentNodeId": var(v, "RootNodeId"), "Name": "tco-contract-members"}),
        )
        .into_iter()
        .chain([
            Step {
                capture: &[("MemberUin", "/Uin")],
                undo: Some(Undo {
                    version: V2021,
                    action: "DeleteOrganizationMembers",
                    params: |v| json!({"MemberUin": [var(v, "MemberUin")]}),
                }),
                ..step(V2021, "CreateOrganizationMember", |v| {
                    json!({
                        "Name": "tco-contract-member",
                        "PolicyType": "Financial",
                        "PermissionIds": [1, 2, 4],
                        "NodeId": var(v, "RootNodeId"),
                        "AccountName": "tco-contract-member",
                    })
                })
            },
            // A member the organization created can only be removed once it has an email.
            Step {
                capture: &[("BindId", "/BindId")],
                ..step(V2021, "AddOrganizationMemberEmail", |v| {
                    json!({
                        "MemberUin": var(v, "MemberUin"),
                        "Email": "tco-contract-member@example.com",
                        "CountryCode": "86",
                        "Phone": "13800000000",
                    })
                })
            },
            Step {
                verify: Some(|r, v| lists(r, "/Items", "MemberUin", v, "MemberUin")),
                ..step(
                    V2021,
                    "DescribeOrganizationMembers",
                    |_| json!({"Offset": 0, "Limit": 50}),
                )
            },
            step(
                V2021,
                "MoveOrganizationNodeMembers",
                |v| json!({"NodeId": var(v, "NodeId"), "MemberUin": [var(v, "MemberUin")]}),
            ),
            Step {
                verify: Some(|r, v| lists(r, "/Members", "Uin", v, "MemberUin")),
                ..step(
                    V2018,
                    "ListOrganizationNodeMembers",
                    |v| json!({"NodeId": var(v, "NodeId"), "Offset": 0, "Limit": 50}),
                )
            },
            Step {
                verify: Some(|r, v| is_var(r, "NodeId", v, "the member was moved to")),
                ..step(
                    V2018,
                    "GetOrganizationMember",
                    |v| json!({"MemberUin": var(v, "MemberUin")}),
                )
            },
        ])
        .collect(),
    }
}

/// Invite another account, find the invitation, cancel it.
fn invitations() -> Flow {
    Flow {
        family: "invitations",
        needs: &["InviteeUin"],
        steps: vec![
            Step {
                undo: Some(DELETE_ORG_2018),
                ..step(V2018, "CreateOrganization", |_| json!({"OrgType": 1}))
            },
            step(
                V2018,
                "SendOrganizationInvitation",
                |v| json!({"InviteUin": var(v, "InviteeUin"), "Name": "tco-contract-invitee", "Remark": "contract suite"}),
            ),
            Step {
                capture: &[("InvitationId", "/Invitations/0/Id")],
                verify: Some(|r, v| lists(r, "/Invitations", "Uin", v, "InviteeUin")),
                ..step(
                    V2018,
                    "ListOrganizationInvitations",
                    |_| json!({"Invited": 0, "Offset": 0, "Limit": 10}),
                )
            },
            step(
                V2018,
                "CancelOrganizationInvitation",
                |v| json!({"Id": var(v, "InvitationId")}),
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every call a flow makes is in the contract, and its parameters (with placeholder
    /// values for captured IDs) validate.
    #[test]
    fn flows_call_contract_actions_with_valid_params() {
        let mut vars = Vars::new();
        for name in [
            "OrgId",
            "RootNodeId",
            "NodeId",
            "MemberUin",
            "InviteeUin",
            "InvitationId",
            "PolicyId",
            "MemberPolicyId",
            "IdentityId",
            "AccessPolicyId",
            "SubAccountUin",
            "ServiceId",
        ] {
            vars.insert(name, json!(1001));
        }
        vars.insert("UnitId", json!("shareUnit-00000001"));
        vars.insert("Area", json!("ap-guangzhou"));
        for name in ["ZoneId", "UserId", "GroupId"] {
            vars.insert(name, json!("x-placeholder"));
        }
        vars.insert("HostUin", json!(100_000_000_001_u64));
        for (name, placeholder) in identity_center_access::VARIABLES {
            vars.insert(name, json!(placeholder));
        }
        for flow in all() {
            for s in &flow.steps {
                let calls = std::iter::once((s.version, s.action, s.params))
                    .chain(s.undo.map(|u| (u.version, u.action, u.params)));
                for (version, action, params) in calls {
                    let a = tco_spec::action(version, action)
                        .unwrap_or_else(|| panic!("{version} {action} is not in the contract"));
                    let problems = a.validate_request(&params(&vars));
                    assert!(
                        problems.is_empty(),
                        "{} {action}: {problems:?}",
                        flow.family
                    );
                }
            }
        }
    }
}
