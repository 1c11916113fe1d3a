//! Identity Center users and groups: open the zone of a new organization, create a user and a
//! group, put one in the other, read the membership from both sides, change the user, and
//! take it all apart.
//!
//! Opening Identity Center has no undoing action: against the mock the zone goes with the
//! organization; against an endpoint it stays with the account, so run this flow with
//! `--allow-mutations` only on an account meant for it.

use serde_json::json;

use super::{is_var, lists, step, var, Flow, Step, Undo, DELETE_ORG_2021, V2021};

/// The zone-scoped parameters with the zone the flow opened.
fn zoned(v: &super::Vars, params: serde_json::Value) -> serde_json::Value {
    let mut params = params;
    params["ZoneId"] = var(v, "ZoneId");
    params
}

pub(super) fn users_and_groups() -> Flow {
    Flow {
        family: "identity_center",
        needs: &[],
        steps: vec![
            Step {
                undo: Some(DELETE_ORG_2021),
                ..step(V2021, "CreateOrganization", |_| json!({}))
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
                verify: Some(|r, v| is_var(r, "ZoneId", v, "OpenIdentityCenter said")),
                ..step(V2021, "DescribeIdentityCenter", |_| json!({}))
            },
            Step {
                capture: &[("UserId", "/UserInfo/UserId")],
                undo: Some(Undo {
                    version: V2021,
                    action: "DeleteUser",
                    params: |v| zoned(v, json!({"UserId": var(v, "UserId")})),
                }),
                ..step(V2021, "CreateUser", |v| {
                    zoned(
                        v,
                        json!({"UserName": "tco-contract-user", "Email": "tco-contract-user@example.com"}),
                    )
                })
            },
            Step {
                verify: Some(|r, v| lists(r, "/Users", "UserId", v, "UserId")),
                ..step(V2021, "ListUsers", |v| {
                    zoned(v, json!({"Filter": "tco-contract-user", "MaxResults": 100}))
                })
            },
            Step {
                capture: &[("GroupId", "/GroupInfo/GroupId")],
                undo: Some(Undo {
                    version: V2021,
                    action: "DeleteGroup",
                    params: |v| zoned(v, json!({"GroupId": var(v, "GroupId")})),
                }),
                ..step(V2021, "CreateGroup", |v| {
                    zoned(v, json!({"GroupName": "tco-contract-group"}))
                })
            },
            Step {
                undo: Some(Undo {
                    version: V2021,
                    action: "RemoveUserFromGroup",
                    params: |v| {
                        zoned(
                            v,
                            json!({"GroupId": var(v, "GroupId"), "UserId": var(v, "UserId")}),
                        )
                    },
                }),
                ..step(V2021, "AddUserToGroup", |v| {
                    zoned(
                        v,
                        json!({"GroupId": var(v, "GroupId"), "UserId": var(v, "UserId")}),
                    )
                })
            },
            Step {
                verify: Some(|r, v| lists(r, "/GroupMembers", "UserId", v, "UserId")),
                ..step(V2021, "ListGroupMembers", |v| {
                    zoned(v, json!({"GroupId": var(v, "GroupId"), "MaxResults": 100}))
                })
            },
            Step {
                verify: Some(|r, v| lists(r, "/JoinedGroups", "GroupId", v, "GroupId")),
                ..step(V2021, "ListJoinedGroupsForUser", |v| {
                    zoned(v, json!({"UserId": var(v, "UserId"), "MaxResults": 100}))
                })
            },
            step(V2021, "UpdateUser", |v| {
                zoned(
                    v,
                    json!({"UserId": var(v, "UserId"), "NewDisplayName": "tco contract user"}),
                )
            }),
            Step {
                verify: Some(|r, _| {
                    if r.pointer("/UserInfo/DisplayName") == Some(&json!("tco contract user")) {
                        Ok(())
                    } else {
                        Err("GetUser does not show the display name UpdateUser gave".into())
                    }
                }),
                ..step(V2021, "GetUser", |v| {
                    zoned(v, json!({"UserId": var(v, "UserId")}))
                })
            },
        ],
    }
}
