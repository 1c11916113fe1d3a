//! Unified member login's flows: a login identity created, read back, changed, granted to a
//! member the organization creates and read back from the grant's side (revoked and deleted
//! at teardown); and, given one of the manager's sub-accounts, that sub-account bound to log in
//! to the member through a member access policy, read back, and cancelled at teardown.

use serde_json::{json, Value};

use super::{lists, none, step, var, Flow, Step, Undo, Vars, DELETE_ORG_2021, V2021};

/// An organization (2021) with a member it creates (captured as `MemberUin`, an email bound so
/// that teardown can remove it); the other areas' flows start from it too.
pub(super) fn org_with_member() -> [Step; 4] {
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
            capture: &[("MemberUin", "/Uin")],
            undo: Some(Undo {
                version: V2021,
                action: "DeleteOrganizationMembers",
                params: |v| json!({"MemberUin": [var(v, "MemberUin")]}),
            }),
            ..step(V2021, "CreateOrganizationMember", |v| {
                json!({"Name": "tco-contract-member", "PolicyType": "Financial",
                       "PermissionIds": [1, 2], "NodeId": var(v, "RootNodeId"),
                       "AccountName": "tco-contract-member"})
            })
        },
        step(V2021, "AddOrganizationMemberEmail", |v| {
            json!({"MemberUin": var(v, "MemberUin"), "Email": "tco-contract-member@example.com",
                   "CountryCode": "86", "Phone": "13800000000"})
        }),
    ]
}

const IDENTITY: &str = "tco_contract_identity";

fn identity_policy() -> Value {
    json!([{"PolicyType": 1, "PolicyDocument":
        r#"{"version":"2.0","statement":[{"effect":"allow","action":["cvm:Describe*"],"resource":["*"]}]}"#}])
}

/// The identity's steps: create it, find it, change its description, grant it to the member
/// and find the grant.
fn identity_steps() -> [Step; 5] {
    [
        Step {
            capture: &[("IdentityId", "/IdentityId")],
            undo: Some(Undo {
                version: V2021,
                action: "DeleteOrganizationIdentity",
                params: |v| json!({"IdentityId": var(v, "IdentityId")}),
            }),
            ..step(V2021, "CreateOrganizationIdentity", |_| {
                json!({"IdentityAliasName": IDENTITY, "Description": "contract suite",
                       "IdentityPolicy": identity_policy()})
            })
        },
        Step {
            verify: Some(|r, v| lists(r, "/Items", "IdentityId", v, "IdentityId")),
            ..step(
                V2021,
                "ListOrganizationIdentity",
                |_| json!({"Offset": 0, "Limit": 50, "SearchKey": IDENTITY}),
            )
        },
        step(V2021, "UpdateOrganizationIdentity", |v| {
            json!({"IdentityId": var(v, "IdentityId"), "Description": "contract suite, updated",
                   "IdentityPolicy": identity_policy()})
        }),
        Step {
            undo: Some(Undo {
                version: V2021,
                action: "DeleteOrganizationMemberAuthIdentity",
                params: |v| json!({"MemberUin": var(v, "MemberUin"), "IdentityId": var(v, "IdentityId")}),
            }),
            ..step(
                V2021,
                "CreateOrganizationMemberAuthIdentity",
                |v| json!({"MemberUins": [var(v, "MemberUin")], "IdentityIds": [var(v, "IdentityId")]}),
            )
        },
        Step {
            verify: Some(|r, v| lists(r, "/Items", "MemberUin", v, "MemberUin")),
            ..step(
                V2021,
                "DescribeOrganizationMemberAuthIdentities",
                |v| json!({"Offset": 0, "Limit": 50, "IdentityId": var(v, "IdentityId")}),
            )
        },
    ]
}

pub(super) fn identities() -> Flow {
    Flow {
        family: "member_login",
        needs: &[],
        steps: org_with_member()
            .into_iter()
            .chain(identity_steps())
            .collect(),
    }
}

fn auth_account(v: &Vars) -> Value {
    json!({"MemberUin": var(v, "MemberUin"), "PolicyId": var(v, "AccessPolicyId"),
           "OrgSubAccountUin": var(v, "SubAccountUin")})
}

/// The identity granted as above, a member access policy for the member with it, and the
/// sub-account `SubAccountUin` bound through the policy.
pub(super) fn sub_accounts() -> Flow {
    Flow {
        family: "member_login_accounts",
        needs: &["SubAccountUin"],
        steps: org_with_member()
            .into_iter()
            .chain(identity_steps())
            .chain([
                Step {
                    capture: &[("AccessPolicyId", "/PolicyId")],
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeleteOrganizationMembersPolicy",
                        params: |v| json!({"PolicyId": var(v, "AccessPolicyId")}),
                    }),
                    ..step(V2021, "CreateOrganizationMemberPolicy", |v| {
                        json!({"MemberUin": var(v, "MemberUin"), "PolicyName": "tco_contract_login",
                               "IdentityId": var(v, "IdentityId")})
                    })
                },
                Step {
                    undo: Some(Undo {
                        version: V2021,
                        action: "CancelOrganizationMemberAuthAccount",
                        params: auth_account,
                    }),
                    ..step(V2021, "BindOrganizationMemberAuthAccount", |v| {
                        json!({"MemberUin": var(v, "MemberUin"), "PolicyId": var(v, "AccessPolicyId"),
                               "OrgSubAccountUins": [var(v, "SubAccountUin")]})
                    })
                },
                Step {
                    verify: Some(|r, v| lists(r, "/Items", "OrgSubAccountUin", v, "SubAccountUin")),
                    ..step(V2021, "DescribeOrganizationMemberAuthAccounts", |v| {
                        json!({"Offset": 0, "Limit": 50, "MemberUin": var(v, "MemberUin"),
                               "PolicyId": var(v, "AccessPolicyId")})
                    })
                },
            ])
            .collect(),
    }
}
