//! Delegated administration over HTTP, through the reference client: the catalogue, delegates
//! assigned and read back, refused removals, the consumers' flow, many tasks at once.

use std::sync::Arc;

use serde_json::json;
use tco_client::models::v2021_03_31::*;
use tco_mock::Algorithm;

use crate::world::{World, ALICE, BOB, OUTSIDER};

async fn delegates(w: &World, product: &str) -> Vec<i64> {
    w.host
        .v2021_03_31()
        .list_org_service_assign_member(ListOrgServiceAssignMemberRequest {
            offset: 0,
            limit: 50,
            product: Some(product.into()),
            ..Default::default()
        })
        .await
        .expect("listed")
        .items
        .iter()
        .map(|i| i.member_uin)
        .collect()
}

async fn member_num(w: &World) -> String {
    w.host
        .v2021_03_31()
        .list_organization_service(ListOrganizationServiceRequest {
            offset: 0,
            limit: 10,
            search_key: Some("cloudaudit".into()),
        })
        .await
        .expect("listed")
        .items[0]
        .member_num
        .clone()
}

/// The consumers' service-assignment flow: assign, list, delete; each read back.
#[tokio::test]
async fn a_delegate_is_assigned_listed_and_removed() {
    let w = World::with_org().await;
    assert_eq!(member_num(&w).await, "0");
    w.host
        .v2021_03_31()
        .create_org_service_assign(CreateOrgServiceAssignRequest {
            member_uins: vec![ALICE as i64],
            service_id: Some(1),
            ..Default::default()
        })
        .await
        .expect("assigned");
    assert_eq!(delegates(&w, "cloudaudit").await, [ALICE as i64]);
    assert_eq!(member_num(&w).await, "1");

    // A delegate cannot leave the organization.
    let quit = w
        .as_(ALICE)
        .call_json(
            tco_client::Version::V2021_03_31,
            "QuitOrganization",
            json!({"OrgId": w.ok("DescribeOrganization", json!({})).await["OrgId"]}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        quit.code(),
        Some("UnsupportedOperation.MemberExistServiceNotAllowDelete")
    );

    w.host
        .v2021_03_31()
        .delete_org_service_assign(DeleteOrgServiceAssignRequest {
            member_uin: ALICE as i64,
            product: Some("cloudaudit".into()),
            ..Default::default()
        })
        .await
        .expect("removed");
    assert!(delegates(&w, "cloudaudit").await.is_empty());
    assert_eq!(member_num(&w).await, "0");
    w.fails(
        "DeleteOrgServiceAssign",
        json!({"MemberUin": ALICE, "ServiceId": 1}),
        "ResourceNotFound.OrganizationServiceAssignNotExist",
    )
    .await;
    w.fails(
        "CreateOrgServiceAssign",
        json!({"MemberUins": [OUTSIDER], "ServiceId": 1}),
        "ResourceNotFound.OrganizationMemberNotExist",
    )
    .await;
}

/// Many tasks assigning and removing at once: afterwards the list has no member twice, never
/// more than the service allows, and the catalogue's count agrees.
#[tokio::test]
async fn concurrent_assignments_keep_the_invariants() {
    let w = Arc::new(World::with_org().await);
    w.mock.set_algorithm(Algorithm::Unlimited);
    let root = w.root().await;
    let mut members = vec![ALICE, BOB];
    for i in 0..6 {
        let created = w
            .ok(
                "CreateOrganizationMember",
                json!({"Name": format!("m{i}"), "PolicyType": "Financial", "PermissionIds": [1, 2],
                       "NodeId": root, "AccountName": format!("m{i}")}),
            )
            .await;
        members.push(created["Uin"].as_u64().unwrap());
    }
    let mut tasks = tokio::task::JoinSet::new();
    for t in 0..32usize {
        let w = Arc::clone(&w);
        let uin = members[t % members.len()];
        tasks.spawn(async move {
            let _ = if t % 3 == 2 {
                w.call(
                    "DeleteOrgServiceAssign",
                    json!({"MemberUin": uin, "ServiceId": 1}),
                )
                .await
            } else {
                w.call(
                    "CreateOrgServiceAssign",
                    json!({"MemberUins": [uin], "Product": "cloudaudit"}),
                )
                .await
            };
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("no task panicked");
    }
    let listed = delegates(&w, "cloudaudit").await;
    let mut unique = listed.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), listed.len(), "no member twice");
    assert!(listed.len() <= 5, "CanAssignCount holds: {listed:?}");
    assert_eq!(member_num(&w).await, listed.len().to_string());
}
