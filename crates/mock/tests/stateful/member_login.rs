//! Unified member login over HTTP, through the reference client: identities created, read,
//! changed and deleted; granted to members and read back from both sides; the consumers'
//! login-identity flow; many tasks at once.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::json;
use tco_client::models::v2021_03_31::*;
use tco_mock::Algorithm;

use crate::world::{World, ALICE, BOB};

fn admin_policy() -> IdentityPolicy {
    IdentityPolicy {
        policy_id: Some(1),
        policy_name: Some("AdministratorAccess".into()),
        ..Default::default()
    }
}

fn document_policy(actions: &[&str]) -> IdentityPolicy {
    let doc = json!({"version": "2.0", "statement": [
        {"effect": "allow", "action": actions, "resource": ["*"]}]});
    IdentityPolicy {
        policy_type: Some(1),
        policy_document: Some(doc.to_string()),
        ..Default::default()
    }
}

async fn create_identity(w: &World, name: &str, policy: IdentityPolicy) -> u64 {
    w.host
        .v2021_03_31()
        .create_organization_identity(CreateOrganizationIdentityRequest {
            identity_alias_name: name.into(),
            identity_policy: vec![policy],
            description: Some(format!("{name} identity")),
        })
        .await
        .expect("created")
        .identity_id
        .expect("an ID")
}

async fn identities(w: &World, request: ListOrganizationIdentityRequest) -> Vec<OrgIdentity> {
    w.host
        .v2021_03_31()
        .list_organization_identity(request)
        .await
        .expect("listed")
        .items
}

fn first_page() -> ListOrganizationIdentityRequest {
    ListOrganizationIdentityRequest {
        offset: 0,
        limit: 50,
        ..Default::default()
    }
}

/// (member, identity) pairs granted, as DescribeOrganizationMemberAuthIdentities lists them.
async fn grants_of(w: &World, member: Option<i64>, identity: Option<u64>) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = w
            .host
            .v2021_03_31()
            .describe_organization_member_auth_identities(
                DescribeOrganizationMemberAuthIdentitiesRequest {
                    offset,
                    limit: 50,
                    member_uin: member,
                    identity_id: identity,
                },
            )
            .await
            .expect("described");
        let n = page.items.len() as i64;
        out.extend(
            page.items
                .iter()
                .map(|i| (i.member_uin.unwrap_or(0), i.identity_id)),
        );
        offset += 50;
        if n == 0 || offset as u64 >= page.total {
            return out;
        }
    }
}

/// The `OrgIdentity` IDs DescribeOrganizationMembers shows for a member.
async fn member_identities(w: &World, uin: u64) -> Vec<u64> {
    let members = w
        .ok(
            "DescribeOrganizationMembers",
            json!({"Offset": 0, "Limit": 50}),
        )
        .await;
    members["Items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["MemberUin"] == uin)
        .map(|m| {
            m["OrgIdentity"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["IdentityId"].as_u64().unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn an_identity_is_read_back_as_created_and_updated_then_deleted() {
    let w = World::with_org().await;
    let id = create_identity(&w, "network", document_policy(&["vpc:*"])).await;
    let listed = identities(
        &w,
        ListOrganizationIdentityRequest {
            identity_id: Some(id),
            ..first_page()
        },
    )
    .await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].identity_alias_name, "network");
    assert_eq!(listed[0].description, "network identity");
    assert_eq!(listed[0].identity_type, 2);
    assert_eq!(listed[0].identity_policy[0].policy_type, Some(1));
    assert!(listed[0].identity_policy[0]
        .policy_document
        .as_deref()
        .unwrap()
        .contains("vpc:*"));

    w.host
        .v2021_03_31()
        .update_organization_identity(UpdateOrganizationIdentityRequest {
            identity_id: id,
            description: "administrators".into(),
            identity_policy: vec![admin_policy()],
        })
        .await
        .expect("updated");
    let custom = identities(
        &w,
        ListOrganizationIdentityRequest {
            identity_type: Some(2),
            ..first_page()
        },
    )
    .await;
    assert_eq!(custom.len(), 1);
    assert_eq!(custom[0].description, "administrators");
    assert_eq!(
        custom[0].identity_policy[0].policy_name.as_deref(),
        Some("AdministratorAccess")
    );

    w.fails(
        "CreateOrganizationIdentity",
        json!({"IdentityAliasName": "network", "IdentityPolicy": [{"PolicyId": 1, "PolicyName": "AdministratorAccess"}]}),
        "FailedOperation.OrganizationIdentityNameUsed",
    )
    .await;
    w.host
        .v2021_03_31()
        .delete_organization_identity(DeleteOrganizationIdentityRequest { identity_id: id })
        .await
        .expect("deleted");
    let left = identities(&w, first_page()).await;
    assert_eq!(
        left.iter().map(|i| i.identity_id).collect::<Vec<_>>(),
        [1],
        "only the preset identity"
    );
}

#[tokio::test]
async fn grants_are_read_back_from_both_sides_and_revoked() {
    let w = World::with_org().await;
    let ops = create_identity(&w, "ops", admin_policy()).await;
    w.host
        .v2021_03_31()
        .create_organization_member_auth_identity(CreateOrganizationMemberAuthIdentityRequest {
            member_uins: vec![ALICE, BOB],
            identity_ids: vec![ops],
        })
        .await
        .expect("granted");
    assert_eq!(
        grants_of(&w, None, Some(ops)).await,
        [(ALICE as i64, ops as i64), (BOB as i64, ops as i64)]
    );
    assert_eq!(member_identities(&w, ALICE).await, [ops]);
    // A member reads them too.
    let seen_by_alice = w
        .as_(ALICE)
        .call_json(
            tco_client::Version::V2021_03_31,
            "DescribeOrganizationMemberAuthIdentities",
            json!({"Offset": 0, "Limit": 10, "MemberUin": ALICE}),
        )
        .await
        .unwrap();
    assert_eq!(seen_by_alice["Items"][0]["IdentityRoleAliasName"], "ops");

    w.fails(
        "DeleteOrganizationIdentity",
        json!({ "IdentityId": ops }),
        "FailedOperation.OrganizationIdentityInUsed",
    )
    .await;
    w.host
        .v2021_03_31()
        .delete_organization_member_auth_identity(DeleteOrganizationMemberAuthIdentityRequest {
            member_uin: ALICE,
            identity_id: ops,
        })
        .await
        .expect("revoked");
    assert_eq!(
        grants_of(&w, None, Some(ops)).await,
        [(BOB as i64, ops as i64)]
    );
    assert!(member_identities(&w, ALICE).await.is_empty());
}

/// A sub-account of the manager (a UIN the mock knows no account for).
const SUB_ACCOUNT: i64 = 300_000_000_009;

async fn member_policy(w: &World, member: u64, identity: u64) -> i64 {
    w.host
        .v2021_03_31()
        .create_organization_member_policy(CreateOrganizationMemberPolicyRequest {
            member_uin: member as i64,
            policy_name: format!("login_{member}_{identity}"),
            identity_id: identity as i64,
            description: None,
        })
        .await
        .expect("a member access policy")
        .policy_id
}

async fn bound_sub_accounts(w: &World, member: u64, policy: i64) -> Vec<OrgMemberAuthAccount> {
    w.host
        .v2021_03_31()
        .describe_organization_member_auth_accounts(DescribeOrganizationMemberAuthAccountsRequest {
            offset: 0,
            limit: 10,
            member_uin: member as i64,
            policy_id: policy,
        })
        .await
        .expect("described")
        .items
}

#[tokio::test]
async fn a_sub_account_is_bound_read_back_from_both_areas_and_cancelled() {
    let w = World::with_org().await;
    let ops = create_identity(&w, "ops", admin_policy()).await;
    w.ok(
        "CreateOrganizationMemberAuthIdentity",
        json!({"MemberUins": [ALICE], "IdentityIds": [ops]}),
    )
    .await;
    let policy = member_policy(&w, ALICE, ops).await;
    w.host
        .v2021_03_31()
        .bind_organization_member_auth_account(BindOrganizationMemberAuthAccountRequest {
            member_uin: ALICE as i64,
            policy_id: policy,
            org_sub_account_uins: vec![SUB_ACCOUNT],
        })
        .await
        .expect("bound");
    let bound = bound_sub_accounts(&w, ALICE, policy).await;
    assert_eq!(bound.len(), 1);
    assert_eq!(bound[0].org_sub_account_uin, SUB_ACCOUNT);
    assert_eq!(bound[0].identity_id, ops as i64);
    assert_eq!(bound[0].identity_role_alias_name, "ops");
    // The policies area's view of the same binding.
    let auth = w
        .ok(
            "DescribeOrganizationMembersAuthPolicy",
            json!({"Offset": 0, "Limit": 10, "OrgSubAccountUin": SUB_ACCOUNT}),
        )
        .await;
    assert_eq!(auth["Items"][0]["PolicyId"], policy);
    assert_eq!(auth["Items"][0]["MemberUin"], ALICE);
    w.fails(
        "DeleteOrganizationMemberAuthIdentity",
        json!({"MemberUin": ALICE, "IdentityId": ops}),
        "FailedOperation.MemberIdentityAuthUsed",
    )
    .await;

    w.host
        .v2021_03_31()
        .cancel_organization_member_auth_account(CancelOrganizationMemberAuthAccountRequest {
            member_uin: ALICE as i64,
            policy_id: policy,
            org_sub_account_uin: SUB_ACCOUNT,
        })
        .await
        .expect("cancelled");
    assert!(bound_sub_accounts(&w, ALICE, policy).await.is_empty());
    w.fails(
        "CancelOrganizationMemberAuthAccount",
        json!({"MemberUin": ALICE, "PolicyId": policy, "OrgSubAccountUin": SUB_ACCOUNT}),
        "FailedOperation.OperatePolicy",
    )
    .await;
}

/// The consumers' login-identity flow (see `consumers.md`): create an identity, grant it to
/// members, bind a sub-account, list, cancel, revoke, delete.
#[tokio::test]
async fn the_login_identity_flow_end_to_end() {
    let w = World::with_org().await;
    let id = create_identity(&w, "readers", document_policy(&["cvm:Describe*"])).await;
    w.ok(
        "CreateOrganizationMemberAuthIdentity",
        json!({"MemberUins": [ALICE, BOB], "IdentityIds": [id]}),
    )
    .await;
    let policy = member_policy(&w, BOB, id).await;
    w.ok(
        "BindOrganizationMemberAuthAccount",
        json!({"MemberUin": BOB, "PolicyId": policy, "OrgSubAccountUins": [SUB_ACCOUNT]}),
    )
    .await;
    let listed = identities(
        &w,
        ListOrganizationIdentityRequest {
            search_key: Some("read".into()),
            ..first_page()
        },
    )
    .await;
    assert_eq!(listed[0].identity_id, id as i64);
    assert_eq!(grants_of(&w, Some(BOB as i64), None).await.len(), 1);
    assert_eq!(bound_sub_accounts(&w, BOB, policy).await.len(), 1);
    w.ok(
        "CancelOrganizationMemberAuthAccount",
        json!({"MemberUin": BOB, "PolicyId": policy, "OrgSubAccountUin": SUB_ACCOUNT}),
    )
    .await;
    w.ok(
        "DeleteOrganizationMembersPolicy",
        json!({ "PolicyId": policy }),
    )
    .await;
    for uin in [ALICE, BOB] {
        w.ok(
            "DeleteOrganizationMemberAuthIdentity",
            json!({"MemberUin": uin, "IdentityId": id}),
        )
        .await;
    }
    w.ok("DeleteOrganizationIdentity", json!({ "IdentityId": id }))
        .await;
    assert!(grants_of(&w, None, Some(id)).await.is_empty());
}

/// Many tasks granting, revoking and deleting identities at once; afterwards every grant
/// names an identity that exists, none twice, and both sides agree.
#[tokio::test]
async fn concurrent_grants_revocations_and_deletions_keep_the_invariants() {
    let w = Arc::new(World::with_org().await);
    w.mock.set_algorithm(Algorithm::Unlimited);
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(create_identity(&w, &format!("id{i}"), admin_policy()).await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for t in 0..24u64 {
        let w = Arc::clone(&w);
        let ids = ids.clone();
        tasks.spawn(async move {
            let id = ids[(t % 6) as usize];
            let member = if t % 2 == 0 { ALICE } else { BOB };
            match t % 4 {
                0 | 1 => {
                    let _ = w
                        .call(
                            "CreateOrganizationMemberAuthIdentity",
                            json!({"MemberUins": [member], "IdentityIds": [id]}),
                        )
                        .await;
                }
                2 => {
                    let _ = w
                        .call(
                            "DeleteOrganizationMemberAuthIdentity",
                            json!({"MemberUin": member, "IdentityId": id}),
                        )
                        .await;
                }
                _ => {
                    let _ = w
                        .call("DeleteOrganizationIdentity", json!({ "IdentityId": id }))
                        .await;
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("no task panicked");
    }
    let existing: BTreeSet<i64> = identities(&w, first_page())
        .await
        .iter()
        .map(|i| i.identity_id)
        .collect();
    for member in [ALICE, BOB] {
        let granted = grants_of(&w, Some(member as i64), None).await;
        let unique: BTreeSet<i64> = granted.iter().map(|(_, id)| *id).collect();
        assert_eq!(unique.len(), granted.len(), "no identity granted twice");
        assert!(unique.is_subset(&existing), "only existing identities");
        let from_members: BTreeSet<i64> = member_identities(&w, member)
            .await
            .into_iter()
            .map(|i| i as i64)
            .collect();
        assert_eq!(from_members, unique, "both sides agree");
    }
}
