//! The policies area's flows: a service control policy's lifecycle (the type enabled, the
//! policy created, read back, changed and attached to a unit, seen from both sides, then
//! detached, deleted and the type disabled at teardown), and a member access policy for a
//! member the organization creates.

use serde_json::{json, Value};

use super::{is_var, lists, none, step, var, Flow, Step, Undo, Vars, DELETE_ORG_2021, V2021};

const SCP: &str = "SERVICE_CONTROL_POLICY";
const DENY_CVM: &str =
    r#"{"version":"2.0","statement":[{"effect":"deny","action":["cvm:*"],"resource":"*"}]}"#;

/// An organization (2021) with its ID and root unit captured, deleted at the end.
fn org() -> [Step; 2] {
    [
        Step {
            undo: Some(DELETE_ORG_2021),
            ..step(V2021, "CreateOrganization", none)
        },
        Step {
            capture: &[("OrgId", "/OrgId"), ("RootNodeId", "/RootNodeId")],
            ..step(V2021, "DescribeOrganization", none)
        },
    ]
}

/// Whether the answer's `key` equals `want`.
fn has(response: &Value, key: &str, want: Value) -> Result<(), String> {
    if response.get(key) == Some(&want) {
        Ok(())
    } else {
        Err(format!("{key} is {}, expected {want}", response[key]))
    }
}

/// Enable service control policies, create one, read it back, rename it, attach it to a new
/// unit, list it from the policy's side and the unit's; teardown detaches, deletes, disables.
pub(super) fn policies() -> Flow {
    Flow {
        family: "policies",
        needs: &[],
        steps: org()
            .into_iter()
            .chain([
                Step {
                    capture: &[("NodeId", "/NodeId")],
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeleteOrganizationNodes",
                        params: |v| json!({"NodeId": [var(v, "NodeId")]}),
                    }),
                    ..step(
                        V2021,
                        "AddOrganizationNode",
                        |v| json!({"ParentNodeId": var(v, "RootNodeId"), "Name": "tco-contract-policies"}),
                    )
                },
                Step {
                    undo: Some(Undo {
                        version: V2021,
                        action: "DisablePolicyType",
                        params: |v| json!({"OrganizationId": var(v, "OrgId"), "PolicyType": SCP}),
                    }),
                    ..step(
                        V2021,
                        "EnablePolicyType",
                        |v| json!({"OrganizationId": var(v, "OrgId"), "PolicyType": SCP}),
                    )
                },
                Step {
                    verify: Some(|r, _| has(r, "Status", json!(1))),
                    ..step(
                        V2021,
                        "DescribePolicyConfig",
                        |v| json!({"OrganizationId": var(v, "OrgId"), "Type": 0}),
                    )
                },
                Step {
                    capture: &[("PolicyId", "/PolicyId")],
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeletePolicy",
                        params: |v| json!({"PolicyId": var(v, "PolicyId"), "Type": SCP}),
                    }),
                    ..step(V2021, "CreatePolicy", |_| {
                        json!({"Name": "tco_contract_deny_cvm", "Content": DENY_CVM, "Type": SCP,
                               "Description": "contract suite"})
                    })
                },
                Step {
                    verify: Some(|r, v| {
                        is_var(r, "PolicyId", v, "CreatePolicy said")?;
                        has(r, "PolicyName", json!("tco_contract_deny_cvm"))?;
                        has(r, "PolicyDocument", json!(DENY_CVM))
                    }),
                    ..step(
                        V2021,
                        "DescribePolicy",
                        |v| json!({"PolicyId": var(v, "PolicyId"), "PolicyType": SCP}),
                    )
                },
                Step {
                    verify: Some(|r, v| lists(r, "/List", "PolicyId", v, "PolicyId")),
                    ..step(
                        V2021,
                        "ListPolicies",
                        |_| json!({"PolicyType": SCP, "Rp": 200, "Page": 1, "Scope": "Local"}),
                    )
                },
                step(V2021, "UpdatePolicy", |v| {
                    json!({"PolicyId": var(v, "PolicyId"), "Name": "tco_contract_renamed",
                           "Type": SCP})
                }),
                Step {
                    verify: Some(|r, _| has(r, "PolicyName", json!("tco_contract_renamed"))),
                    ..step(
                        V2021,
                        "DescribePolicy",
                        |v| json!({"PolicyId": var(v, "PolicyId"), "PolicyType": SCP}),
                    )
                },
                Step {
                    undo: Some(Undo {
                        version: V2021,
                        action: "DetachPolicy",
                        params: attach_params,
                    }),
                    ..step(V2021, "AttachPolicy", attach_params)
                },
                Step {
                    verify: Some(|r, v| lists(r, "/List", "Uin", v, "NodeId")),
                    ..step(
                        V2021,
                        "ListTargetsForPolicy",
                        |v| json!({"PolicyId": var(v, "PolicyId"), "PolicyType": SCP, "Rp": 200}),
                    )
                },
                Step {
                    verify: Some(|r, v| lists(r, "/List", "StrategyId", v, "PolicyId")),
                    ..step(
                        V2021,
                        "ListPoliciesForTarget",
                        |v| json!({"TargetId": var(v, "NodeId"), "PolicyType": SCP, "Rp": 200}),
                    )
                },
            ])
            .collect(),
    }
}

fn attach_params(v: &Vars) -> Value {
    json!({"PolicyId": var(v, "PolicyId"), "TargetType": "NODE", "TargetId": var(v, "NodeId"),
           "Type": SCP})
}

/// Create a member (it holds the preset administrator identity, 1), give it an email so it can
/// be removed, create a member access policy for it and find it among the member's policies.
pub(super) fn member_access() -> Flow {
    Flow {
        family: "member_access",
        needs: &[],
        steps: org()
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
                        json!({"Name": "tco-contract-access", "PolicyType": "Financial",
                               "PermissionIds": [1, 2], "NodeId": var(v, "RootNodeId"),
                               "AccountName": "tco-contract-access"})
                    })
                },
                step(V2021, "AddOrganizationMemberEmail", |v| {
                    json!({"MemberUin": var(v, "MemberUin"),
                           "Email": "tco-contract-access@example.com", "CountryCode": "86",
                           "Phone": "13800000000"})
                }),
                Step {
                    capture: &[("MemberPolicyId", "/PolicyId")],
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeleteOrganizationMembersPolicy",
                        params: |v| json!({"PolicyId": var(v, "MemberPolicyId")}),
                    }),
                    ..step(V2021, "CreateOrganizationMemberPolicy", |v| {
                        json!({"MemberUin": var(v, "MemberUin"), "PolicyName": "tco-contract-access",
                               "IdentityId": 1, "Description": "contract suite"})
                    })
                },
                Step {
                    verify: Some(|r, v| lists(r, "/Items", "PolicyId", v, "MemberPolicyId")),
                    ..step(V2021, "DescribeOrganizationMemberPolicies", |v| {
                        json!({"Offset": 0, "Limit": 50, "MemberUin": var(v, "MemberUin")})
                    })
                },
            ])
            .collect(),
    }
}
