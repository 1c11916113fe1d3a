//! Resource sharing's flow: a share unit created in the first share area, read back and
//! renamed; the organization's member, one of its units and a resource added and each read
//! back; all removed again at teardown, the unit last. (Answering an invitation needs the
//! member's own credentials, which a run against an endpoint does not have.)

use serde_json::{json, Value};

use super::member_login::org_with_member;
use super::{lists, step, var, Flow, Step, Undo, Vars, V2021};

const SECRET: &str = "tco-contract-secret";

fn in_unit(v: &Vars, extra: Value) -> Value {
    let mut params = json!({"UnitId": var(v, "UnitId"), "Area": var(v, "Area")});
    if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    params
}

fn member(v: &Vars) -> Value {
    in_unit(
        v,
        json!({"Members": [{"ShareMemberUin": var(v, "MemberUin")}]}),
    )
}

fn node(v: &Vars) -> Value {
    json!({"UnitId": var(v, "UnitId"), "NodeId": var(v, "NodeId")})
}

fn secret(v: &Vars) -> Value {
    in_unit(
        v,
        json!({"Type": "secret", "Resources": [{"ProductResourceId": SECRET}]}),
    )
}

fn page(v: &Vars) -> Value {
    in_unit(v, json!({"Offset": 0, "Limit": 50}))
}

pub(super) fn sharing() -> Flow {
    Flow {
        family: "sharing",
        needs: &[],
        steps: org_with_member()
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
                        |v| json!({"ParentNodeId": var(v, "RootNodeId"), "Name": "tco-contract-sharing"}),
                    )
                },
                Step {
                    capture: &[("Area", "/Items/0/Area")],
                    ..step(V2021, "DescribeShareAreas", |_| json!({"Lang": "en"}))
                },
                Step {
                    capture: &[("UnitId", "/UnitId")],
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeleteShareUnit",
                        params: |v| json!({"UnitId": var(v, "UnitId")}),
                    }),
                    ..step(V2021, "AddShareUnit", |v| {
                        json!({"Name": "tco-contract-share", "Area": var(v, "Area"),
                               "Description": "contract suite"})
                    })
                },
                step(V2021, "UpdateShareUnit", |v| {
                    json!({"UnitId": var(v, "UnitId"), "Name": "tco-contract-renamed"})
                }),
                Step {
                    verify: Some(|r, v| {
                        lists(r, "/Items", "UnitId", v, "UnitId")?;
                        let renamed = r["Items"].as_array().into_iter().flatten().any(|u| {
                            u["UnitId"] == var(v, "UnitId") && u["Name"] == "tco-contract-renamed"
                        });
                        renamed
                            .then_some(())
                            .ok_or_else(|| "the unit does not carry its new name".to_owned())
                    }),
                    ..step(V2021, "DescribeShareUnits", |v| {
                        json!({"Area": var(v, "Area"), "Offset": 0, "Limit": 50})
                    })
                },
                Step {
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeleteShareUnitMembers",
                        params: member,
                    }),
                    ..step(V2021, "AddShareUnitMembers", member)
                },
                Step {
                    verify: Some(|r, v| lists(r, "/Items", "ShareMemberUin", v, "MemberUin")),
                    ..step(V2021, "DescribeShareUnitMembers", page)
                },
                Step {
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeleteShareUnitNode",
                        params: node,
                    }),
                    ..step(V2021, "AddShareUnitNode", node)
                },
                Step {
                    verify: Some(|r, v| lists(r, "/Items", "ShareNodeId", v, "NodeId")),
                    ..step(V2021, "DescribeShareUnitNodes", |v| {
                        json!({"UnitId": var(v, "UnitId"), "Offset": 0, "Limit": 50})
                    })
                },
                Step {
                    undo: Some(Undo {
                        version: V2021,
                        action: "DeleteShareUnitResources",
                        params: secret,
                    }),
                    ..step(V2021, "AddShareUnitResources", secret)
                },
                Step {
                    verify: Some(|r, _| {
                        let shared = r["Items"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .any(|i| i["ProductResourceId"] == SECRET);
                        shared
                            .then_some(())
                            .ok_or_else(|| format!("/Items does not list {SECRET}"))
                    }),
                    ..step(V2021, "DescribeShareUnitResources", page)
                },
                step(V2021, "DescribeResourceToShareMember", |v| {
                    json!({"Area": var(v, "Area"), "Offset": 0, "Limit": 50})
                }),
            ])
            .collect(),
    }
}
