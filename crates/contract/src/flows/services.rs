//! Delegated administration's flow: the first service of the catalogue, the organization's
//! member made its delegated administrator and found among its delegates (removed at
//! teardown).

use serde_json::json;

use super::member_login::org_with_member;
use super::{lists, step, var, Flow, Step, Undo, V2021};

pub(super) fn services() -> Flow {
    Flow {
        family: "services",
        needs: &[],
        steps: org_with_member()
            .into_iter()
            .chain([
                Step {
                    capture: &[("ServiceId", "/Items/0/ServiceId")],
                    ..step(
                        V2021,
                        "ListOrganizationService",
                        |_| json!({"Offset": 0, "Limit": 50}),
                    )
                },
                Step {
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeleteOrgServiceAssign",
                        params: |v| {
                            json!({"MemberUin": var(v, "MemberUin"), "ServiceId": var(v, "ServiceId")})
                        },
                    }),
                    ..step(V2021, "CreateOrgServiceAssign", |v| {
                        json!({"MemberUins": [var(v, "MemberUin")], "ServiceId": var(v, "ServiceId")})
                    })
                },
                Step {
                    verify: Some(|r, v| lists(r, "/Items", "MemberUin", v, "MemberUin")),
                    ..step(V2021, "ListOrgServiceAssignMember", |v| {
                        json!({"Offset": 0, "Limit": 50, "ServiceId": var(v, "ServiceId")})
                    })
                },
            ])
            .collect(),
    }
}
