//! Resource sharing over HTTP, through the reference client: a share unit's lifecycle read
//! back from the owner's and the members' side (the invitee accepts or rejects with its own
//! account), organization units reaching their members, many tasks at once.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{json, Value};
use tco_client::models::v2021_03_31::*;
use tco_client::Client;
use tco_mock::Algorithm;

use crate::world::{World, ALICE, BOB, OUTSIDER};

const GZ: &str = "ap-guangzhou";

async fn add_unit(w: &World, name: &str, scope: u64) -> String {
    w.host
        .v2021_03_31()
        .add_share_unit(AddShareUnitRequest {
            name: name.into(),
            area: GZ.into(),
            description: Some(format!("{name} unit")),
            share_scope: Some(scope),
        })
        .await
        .expect("created")
        .unit_id
}

async fn units_seen_by(client: &Client) -> Vec<ManagerShareUnit> {
    client
        .v2021_03_31()
        .describe_share_units(DescribeShareUnitsRequest {
            area: GZ.into(),
            offset: 0,
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("listed")
        .items
}

/// (unit, product resource) pairs shared with the client's account.
async fn shared_with(client: &Client) -> Vec<(String, String)> {
    client
        .v2021_03_31()
        .describe_resource_to_share_member(DescribeResourceToShareMemberRequest {
            area: GZ.into(),
            offset: 0,
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("listed")
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|i| (i.unit_id, i.product_resource_id))
        .collect()
}

async fn member_uins(w: &World, unit: &str) -> Vec<i64> {
    w.host
        .v2021_03_31()
        .describe_share_unit_members(DescribeShareUnitMembersRequest {
            unit_id: unit.into(),
            area: GZ.into(),
            offset: 0,
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("listed")
        .items
        .iter()
        .map(|m| m.share_member_uin)
        .collect()
}

async fn resources_of(w: &World, unit: &str) -> Vec<ShareUnitResource> {
    w.host
        .v2021_03_31()
        .describe_share_unit_resources(DescribeShareUnitResourcesRequest {
            unit_id: unit.into(),
            area: GZ.into(),
            offset: 0,
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("listed")
        .items
}

fn pair(unit: &str, product: &str) -> (String, String) {
    (unit.to_owned(), product.to_owned())
}

fn share_members(uins: &[u64]) -> Vec<ShareMember> {
    uins.iter()
        .map(|u| ShareMember {
            share_member_uin: *u as i64,
        })
        .collect()
}

/// The consumers' share-unit flow: create, add members and accept as the member, add units
/// and resources, list from each side, remove, delete.
#[tokio::test]
async fn a_share_unit_lifecycle_seen_from_both_sides() {
    let w = World::with_org().await;
    let api = w.host.v2021_03_31();
    let areas = api
        .describe_share_areas(DescribeShareAreasRequest {
            lang: Some("en".into()),
        })
        .await
        .unwrap();
    assert!(areas.items.iter().any(|a| a.area == GZ));

    let unit = add_unit(&w, "flow-unit", 1).await;
    api.update_share_unit(UpdateShareUnitRequest {
        unit_id: unit.clone(),
        name: Some("renamed-unit".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let mine = units_seen_by(&w.host).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].name, "renamed-unit");
    assert_eq!(mine[0].description, "flow-unit unit");

    api.add_share_unit_members(AddShareUnitMembersRequest {
        unit_id: unit.clone(),
        area: GZ.into(),
        members: share_members(&[ALICE, BOB]),
    })
    .await
    .unwrap();
    assert_eq!(member_uins(&w, &unit).await, [ALICE as i64, BOB as i64]);
    // Each invitee sees its invitation among its units.
    let alice = w.as_(ALICE);
    let invited = units_seen_by(&alice).await;
    assert_eq!(invited[0].unit_id, unit);
    assert_eq!(invited[0].owner_uin, w.host_uin as i64);

    api.add_share_unit_resources(AddShareUnitResourcesRequest {
        unit_id: unit.clone(),
        area: GZ.into(),
        r#type: "secret".into(),
        resources: vec![ProductResource {
            product_resource_id: "secret-db".into(),
            ..Default::default()
        }],
    })
    .await
    .unwrap();
    assert!(shared_with(&alice).await.is_empty(), "not before accepting");
    alice
        .v2021_03_31()
        .accept_join_share_unit_invitation(AcceptJoinShareUnitInvitationRequest {
            unit_id: unit.clone(),
        })
        .await
        .unwrap();
    w.as_(BOB)
        .v2021_03_31()
        .reject_join_share_unit_invitation(RejectJoinShareUnitInvitationRequest {
            unit_id: unit.clone(),
        })
        .await
        .unwrap();
    assert_eq!(shared_with(&alice).await, [pair(&unit, "secret-db")]);
    assert_eq!(member_uins(&w, &unit).await, [ALICE as i64]);
    assert!(units_seen_by(&w.as_(BOB)).await.is_empty());

    // The organization's root unit reaches BOB without an invitation.
    let root = w.root().await;
    api.add_share_unit_node(AddShareUnitNodeRequest {
        unit_id: unit.clone(),
        node_id: root as i64,
    })
    .await
    .unwrap();
    let nodes = api
        .describe_share_unit_nodes(DescribeShareUnitNodesRequest {
            unit_id: unit.clone(),
            offset: 0,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(nodes.items[0].share_node_id, root as i64);
    assert_eq!(shared_with(&w.as_(BOB)).await, [pair(&unit, "secret-db")]);
    let held = resources_of(&w, &unit).await;
    assert_eq!(held[0].shared_member_num, 2);
    assert_eq!(held[0].share_manager_uin, w.host_uin as i64);
    let counts = &units_seen_by(&w.host).await[0];
    assert_eq!(
        (
            counts.share_member_num,
            counts.share_resource_num,
            counts.share_node_num
        ),
        (1, 1, Some(1))
    );

    // Take it apart.
    api.delete_share_unit_node(DeleteShareUnitNodeRequest {
        unit_id: unit.clone(),
        node_id: root as i64,
    })
    .await
    .unwrap();
    assert!(shared_with(&w.as_(BOB)).await.is_empty());
    api.delete_share_unit_resources(DeleteShareUnitResourcesRequest {
        unit_id: unit.clone(),
        area: GZ.into(),
        r#type: "secret".into(),
        resources: vec![ShareResource {
            resource_id: Some(held[0].resource_id.clone()),
            product_resource_id: None,
        }],
    })
    .await
    .unwrap();
    assert!(shared_with(&alice).await.is_empty());
    assert!(resources_of(&w, &unit).await.is_empty());
    api.delete_share_unit_members(DeleteShareUnitMembersRequest {
        unit_id: unit.clone(),
        area: GZ.into(),
        members: share_members(&[ALICE]),
    })
    .await
    .unwrap();
    assert!(member_uins(&w, &unit).await.is_empty());
    api.delete_share_unit(DeleteShareUnitRequest {
        unit_id: unit.clone(),
    })
    .await
    .unwrap();
    assert!(units_seen_by(&w.host).await.is_empty());
    w.fails(
        "DescribeShareUnitMembers",
        json!({"UnitId": unit, "Area": GZ, "Offset": 0, "Limit": 10}),
        "ResourceNotFound",
    )
    .await;
}

/// Outside the organization: a unit open to any account invites an outsider, who answers
/// with its own account; a unit restricted to the organization refuses it; removals that
/// would strand a share unit are refused.
#[tokio::test]
async fn scopes_invitations_and_refused_removals() {
    let w = World::with_org().await;
    let closed = add_unit(&w, "closed", 1).await;
    w.fails(
        "AddShareUnitMembers",
        json!({"UnitId": closed, "Area": GZ, "Members": [{"ShareMemberUin": OUTSIDER}]}),
        "FailedOperation.SomeUinsNotInOrganization",
    )
    .await;
    let open = add_unit(&w, "open", 2).await;
    w.ok(
        "AddShareUnitMembers",
        json!({"UnitId": open, "Area": GZ, "Members": [{"ShareMemberUin": OUTSIDER}]}),
    )
    .await;
    let outsider = w.as_(OUTSIDER);
    assert_eq!(units_seen_by(&outsider).await.len(), 1);
    w.ok(
        "AddShareUnitResources",
        json!({"UnitId": open, "Area": GZ, "Type": "secret",
               "Resources": [{"ProductResourceId": "secret-1"}]}),
    )
    .await;
    outsider
        .call_json(
            tco_client::Version::V2021_03_31,
            "AcceptJoinShareUnitInvitation",
            json!({ "UnitId": open }),
        )
        .await
        .unwrap();
    assert_eq!(shared_with(&outsider).await, [pair(&open, "secret-1")]);
    w.fails(
        "UpdateShareUnit",
        json!({"UnitId": open, "ShareScope": 1}),
        "FailedOperation.ExistShareMemberNotInOrganization",
    )
    .await;

    // The organization's unit in a share unit, and the manager owning units, hold removals.
    let root = w.root().await;
    let team = w
        .ok(
            "AddOrganizationNode",
            json!({"ParentNodeId": root, "Name": "team"}),
        )
        .await["NodeId"]
        .clone();
    w.ok(
        "AddShareUnitNode",
        json!({"UnitId": closed, "NodeId": team}),
    )
    .await;
    w.fails(
        "DeleteOrganizationNodes",
        json!({ "NodeId": [team] }),
        "FailedOperation.ShareNodeExisted",
    )
    .await;
    let alices = w
        .as_(ALICE)
        .call_json(
            tco_client::Version::V2021_03_31,
            "AddShareUnit",
            json!({"Name": "alices", "Area": GZ}),
        )
        .await
        .unwrap();
    w.fails(
        "DeleteOrganizationMembers",
        json!({ "MemberUin": [ALICE] }),
        "FailedOperation.MemberShareResource",
    )
    .await;
    w.as_(ALICE)
        .call_json(
            tco_client::Version::V2021_03_31,
            "DeleteShareUnit",
            json!({ "UnitId": alices["UnitId"] }),
        )
        .await
        .unwrap();
    w.ok(
        "DeleteOrganizationMembers",
        json!({ "MemberUin": [ALICE, BOB] }),
    )
    .await;
    w.fails(
        "DeleteOrganization",
        json!({}),
        "FailedOperation.ShareUnitNotEmpty",
    )
    .await;
}

/// Many tasks changing share units at once (members, organization units, resources, whole
/// units); afterwards every read agrees: counts match lists, and every resource a member sees
/// is in a unit that exists and reaches it.
#[tokio::test]
async fn concurrent_sharing_keeps_the_invariants() {
    let w = Arc::new(World::with_org().await);
    w.mock.set_algorithm(Algorithm::Unlimited);
    let root = w.root().await;
    let mut units = Vec::new();
    for i in 0..4 {
        units.push(add_unit(&w, &format!("unit-{i}"), 1).await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for t in 0..48usize {
        let w = Arc::clone(&w);
        let unit = units[t % units.len()].clone();
        tasks.spawn(async move {
            let member = if t % 2 == 0 { ALICE } else { BOB };
            let (action, params): (&str, Value) = match t % 8 {
                0 => (
                    "AddShareUnitMembers",
                    json!({"UnitId": unit, "Area": GZ, "Members": [{"ShareMemberUin": member}]}),
                ),
                1 => (
                    "DeleteShareUnitMembers",
                    json!({"UnitId": unit, "Area": GZ, "Members": [{"ShareMemberUin": member}]}),
                ),
                2 => (
                    "AddShareUnitResources",
                    json!({"UnitId": unit, "Area": GZ, "Type": "secret",
                           "Resources": [{"ProductResourceId": format!("s{}", t % 5)}]}),
                ),
                3 => (
                    "DeleteShareUnitResources",
                    json!({"UnitId": unit, "Area": GZ, "Type": "secret",
                           "Resources": [{"ProductResourceId": format!("s{}", t % 5)}]}),
                ),
                4 => ("AddShareUnitNode", json!({"UnitId": unit, "NodeId": root})),
                5 => (
                    "DeleteShareUnitNode",
                    json!({"UnitId": unit, "NodeId": root}),
                ),
                6 => {
                    let _ = w
                        .as_(member)
                        .call_json(
                            tco_client::Version::V2021_03_31,
                            "AcceptJoinShareUnitInvitation",
                            json!({ "UnitId": unit }),
                        )
                        .await;
                    return;
                }
                _ if t == 47 => ("DeleteShareUnit", json!({ "UnitId": unit })),
                _ => (
                    "DescribeShareUnits",
                    json!({"Area": GZ, "Offset": 0, "Limit": 10}),
                ),
            };
            let _ = w.call(action, params).await;
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("no task panicked");
    }
    let listed = units_seen_by(&w.host).await;
    assert_eq!(listed.len(), 3, "one unit was deleted");
    let live: BTreeSet<String> = listed.iter().map(|u| u.unit_id.clone()).collect();
    for u in &listed {
        let members = member_uins(&w, &u.unit_id).await;
        assert_eq!(u.share_member_num as usize, members.len());
        let resources = resources_of(&w, &u.unit_id).await;
        assert_eq!(u.share_resource_num as usize, resources.len());
        let products: BTreeSet<&str> = resources
            .iter()
            .map(|r| r.product_resource_id.as_str())
            .collect();
        assert_eq!(products.len(), resources.len(), "no resource twice");
    }
    for member in [ALICE, BOB] {
        for (unit, product) in shared_with(&w.as_(member)).await {
            assert!(live.contains(&unit), "{unit} was deleted");
            let held = resources_of(&w, &unit).await;
            assert!(held.iter().any(|r| r.product_resource_id == product));
        }
    }
}
