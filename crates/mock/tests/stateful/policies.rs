//! Organization management policies and member access policies over HTTP, through the
//! reference client's typed models: the manage-policy lifecycle as the Terraform provider's
//! resources run it (enable the type, create, describe, list, update, attach to a unit and a
//! member, list targets both ways, detach, delete, disable), the effective tag policy, member
//! access policies and their sub-accounts, business codes, and many tasks at once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{json, Value};
use tco_client::models::v2021_03_31 as v21;
use tco_client::Client;
use tco_mock::Algorithm;

use crate::world::{World, ALICE, BOB, OUTSIDER};

const SCP: &str = "SERVICE_CONTROL_POLICY";
const TAG: &str = "TAG_POLICY";
const FULL_ACCESS: u64 = 1000;
const DENY_CVM: &str =
    r#"{"version":"2.0","statement":[{"effect":"deny","action":["cvm:*"],"resource":"*"}]}"#;
const DENY_ALL: &str =
    r#"{"version":"2.0","statement":[{"effect":"deny","action":"*","resource":"*"}]}"#;

/// The organization of [`World::with_org`], its ID, and no rate limit: these tests make many
/// calls of one action within a second, and measure state, not limits.
async fn world() -> (World, u64) {
    let w = World::with_org().await;
    w.mock.set_algorithm(Algorithm::Unlimited);
    let org_id = w.ok("DescribeOrganization", json!({})).await["OrgId"]
        .as_u64()
        .unwrap();
    (w, org_id)
}

fn api(w: &World) -> tco_client::models::v2021_03_31::Api<'_> {
    w.host.v2021_03_31()
}

async fn enable(w: &World, org_id: u64, kind: &str) {
    api(w)
        .enable_policy_type(v21::EnablePolicyTypeRequest {
            organization_id: org_id,
            policy_type: kind.into(),
        })
        .await
        .unwrap();
}

async fn create(w: &World, name: &str, kind: &str, doc: &str) -> u64 {
    api(w)
        .create_policy(v21::CreatePolicyRequest {
            name: name.into(),
            content: doc.into(),
            r#type: kind.into(),
            description: Some(format!("{name} policy")),
        })
        .await
        .unwrap()
        .policy_id
}

fn attach_request(
    policy: u64,
    target_type: &str,
    target: u64,
    kind: &str,
) -> v21::AttachPolicyRequest {
    v21::AttachPolicyRequest {
        target_id: target,
        target_type: target_type.into(),
        policy_id: policy,
        r#type: Some(kind.into()),
    }
}

fn detach_request(
    policy: u64,
    target_type: &str,
    target: u64,
    kind: &str,
) -> v21::DetachPolicyRequest {
    v21::DetachPolicyRequest {
        target_id: target,
        target_type: target_type.into(),
        policy_id: policy,
        r#type: Some(kind.into()),
    }
}

async fn targets_of(w: &World, policy: u64, kind: &str) -> Vec<(u64, u64)> {
    let listed = api(w)
        .list_targets_for_policy(v21::ListTargetsForPolicyRequest {
            policy_id: policy,
            rp: Some(200),
            policy_type: Some(kind.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total_num as usize, listed.list.len());
    let mut out: Vec<(u64, u64)> = listed
        .list
        .iter()
        .map(|t| (t.uin, t.related_type))
        .collect();
    out.sort_unstable();
    out
}

async fn policies_on(w: &World, target: u64, kind: &str) -> Vec<u64> {
    let listed = api(w)
        .list_policies_for_target(v21::ListPoliciesForTargetRequest {
            target_id: target,
            rp: Some(200),
            policy_type: Some(kind.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total_num as usize, listed.list.len());
    listed.list.iter().map(|p| p.strategy_id).collect()
}

async fn config(w: &World, org_id: u64, code: u64) -> u64 {
    api(w)
        .describe_policy_config(v21::DescribePolicyConfigRequest {
            organization_id: org_id,
            r#type: Some(code),
        })
        .await
        .unwrap()
        .status
}

async fn add_unit(w: &World, name: &str) -> u64 {
    let root = w.root().await;
    w.ok(
        "AddOrganizationNode",
        json!({"ParentNodeId": root, "Name": name}),
    )
    .await["NodeId"]
        .as_u64()
        .unwrap()
}

/// The consumers' manage-policy lifecycle, end to end.
#[tokio::test]
async fn the_manage_policy_lifecycle_end_to_end() {
    let (w, org_id) = world().await;
    assert_eq!(config(&w, org_id, 0).await, 0);
    enable(&w, org_id, SCP).await;
    assert_eq!(config(&w, org_id, 0).await, 1);

    let id = create(&w, "deny_cvm", SCP, DENY_CVM).await;
    let described = api(&w)
        .describe_policy(v21::DescribePolicyRequest {
            policy_id: id,
            policy_type: Some(SCP.into()),
        })
        .await
        .unwrap();
    assert_eq!(described.policy_name, "deny_cvm");
    assert_eq!(described.description, "deny_cvm policy");
    assert_eq!(described.policy_document, DENY_CVM);
    assert_eq!(described.r#type, 1);

    let listed = api(&w)
        .list_policies(v21::ListPoliciesRequest {
            policy_type: Some(SCP.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total_num, 2, "FullQcloudAccess and ours");
    let ours = listed.list.iter().find(|p| p.policy_id == id).unwrap();
    assert_eq!((ours.attached_times, ours.r#type), (0, 1));

    api(&w)
        .update_policy(v21::UpdatePolicyRequest {
            policy_id: id as i64,
            name: Some("deny_all".into()),
            content: Some(DENY_ALL.into()),
            description: Some("nothing at all".into()),
            r#type: Some(SCP.into()),
        })
        .await
        .unwrap();
    let described = api(&w)
        .describe_policy(v21::DescribePolicyRequest {
            policy_id: id,
            policy_type: None,
        })
        .await
        .unwrap();
    assert_eq!(
        (
            described.policy_name.as_str(),
            described.policy_document.as_str()
        ),
        ("deny_all", DENY_ALL)
    );

    let unit = add_unit(&w, "sandbox").await;
    api(&w)
        .attach_policy(attach_request(id, "NODE", unit, SCP))
        .await
        .unwrap();
    api(&w)
        .attach_policy(attach_request(id, "MEMBER", ALICE, SCP))
        .await
        .unwrap();
    assert_eq!(targets_of(&w, id, SCP).await, [(unit, 1), (ALICE, 2)]);
    assert_eq!(policies_on(&w, unit, SCP).await, [FULL_ACCESS, id]);
    assert_eq!(policies_on(&w, ALICE, SCP).await, [FULL_ACCESS, id]);
    assert_eq!(policies_on(&w, BOB, SCP).await, [FULL_ACCESS]);
    let on_alice = api(&w)
        .list_policies_for_target(v21::ListPoliciesForTargetRequest {
            target_id: ALICE,
            keyword: Some("deny".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(on_alice.list[0].strategy_name, "deny_all");
    assert_eq!(on_alice.list[0].remark, "nothing at all");
    assert_eq!(on_alice.list[0].name, "alice");
    assert_eq!(on_alice.list[0].r#type, 2);

    let in_use = api(&w)
        .delete_policy(v21::DeletePolicyRequest {
            policy_id: id,
            r#type: Some(SCP.into()),
        })
        .await
        .unwrap_err();
    assert_eq!(
        in_use.code(),
        Some("FailedOperation.OrganizationPolicyInUsed")
    );

    for (target_type, target) in [("NODE", unit), ("MEMBER", ALICE)] {
        api(&w)
            .detach_policy(detach_request(id, target_type, target, SCP))
            .await
            .unwrap();
    }
    assert!(targets_of(&w, id, SCP).await.is_empty());
    assert_eq!(policies_on(&w, ALICE, SCP).await, [FULL_ACCESS]);
    api(&w)
        .delete_policy(v21::DeletePolicyRequest {
            policy_id: id,
            r#type: Some(SCP.into()),
        })
        .await
        .unwrap();
    let gone = api(&w)
        .describe_policy(v21::DescribePolicyRequest {
            policy_id: id,
            policy_type: Some(SCP.into()),
        })
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("ResourceNotFound.PolicyNotExist"));

    api(&w)
        .disable_policy_type(v21::DisablePolicyTypeRequest {
            organization_id: org_id,
            policy_type: SCP.into(),
        })
        .await
        .unwrap();
    assert_eq!(config(&w, org_id, 0).await, 0);
    assert!(policies_on(&w, unit, SCP).await.is_empty());
    // With every type disabled and no member policy, the organization can go once empty.
    w.fails(
        "DeleteOrganization",
        json!({}),
        "FailedOperation.OrganizationNotEmpty",
    )
    .await;
}

#[tokio::test]
async fn the_effective_tag_policy_and_non_compliant_members() {
    let (w, org_id) = world().await;
    enable(&w, org_id, TAG).await;
    let root = w.root().await;
    let root_rules = create(
        &w,
        "root_rules",
        TAG,
        r#"{"tags":{"env":{"tag_key":{"@@assign":"env"},"tag_value":{"@@assign":["prod","test"]}}}}"#,
    )
    .await;
    let alice_rules = create(
        &w,
        "alice_rules",
        TAG,
        r#"{"tags":{"ENV":{"tag_key":"env","tag_value":["test"]}}}"#,
    )
    .await;
    api(&w)
        .attach_policy(attach_request(root_rules, "NODE", root, TAG))
        .await
        .unwrap();
    api(&w)
        .attach_policy(attach_request(alice_rules, "MEMBER", ALICE, TAG))
        .await
        .unwrap();
    let effective = |target: u64| {
        let w = &w;
        async move {
            let e = api(w)
                .describe_effective_policy(v21::DescribeEffectivePolicyRequest {
                    target_id: target,
                })
                .await
                .unwrap()
                .effective_policy;
            assert_eq!(e.target_id, target);
            serde_json::from_str::<Value>(&e.policy_content).unwrap()
        }
    };
    // ALICE: the root's rule, then her own replaces the allowed values.
    assert_eq!(
        effective(ALICE).await,
        json!({"tags": {"env": {"tag_key": "env", "tag_value": ["test"]}}})
    );
    // BOB, also in the root: the root's rule alone.
    assert_eq!(
        effective(BOB).await,
        json!({"tags": {"env": {"tag_key": "env", "tag_value": ["prod", "test"]}}})
    );

    // A member tagged env=dev breaks the rule it inherits.
    let tagged = w
        .ok(
            "CreateOrganizationMember",
            json!({"Name": "tagged", "PolicyType": "Financial", "PermissionIds": [1, 2],
                   "NodeId": root, "AccountName": "tagged",
                   "Tags": [{"TagKey": "env", "TagValue": "dev"}]}),
        )
        .await["Uin"]
        .as_u64()
        .unwrap();
    let found = api(&w)
        .list_non_compliant_resource(v21::ListNonCompliantResourceRequest {
            max_results: 10,
            member_uin: tagged,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert!(!found.items[0].compliance_details.compliance_status);
    assert_eq!(
        found.items[0]
            .compliance_details
            .keys_with_non_compliant_values,
        ["env"]
    );
    assert!(found.items[0]
        .resource
        .ends_with(&format!(":member/{tagged}")));
    // Detached from the root, nothing applies to BOB any more.
    api(&w)
        .detach_policy(detach_request(root_rules, "NODE", root, TAG))
        .await
        .unwrap();
    let none = api(&w)
        .describe_effective_policy(v21::DescribeEffectivePolicyRequest { target_id: BOB })
        .await
        .unwrap_err();
    assert_eq!(
        none.code(),
        Some("ResourceNotFound.EffectivePolicyNotFound")
    );
}

#[tokio::test]
async fn member_access_policies_and_their_sub_accounts() {
    let (w, _) = world().await;
    let root = w.root().await;
    // A created member holds the administrator identity (1).
    let svc = w
        .ok(
            "CreateOrganizationMember",
            json!({"Name": "svc", "PolicyType": "Financial", "PermissionIds": [1, 2],
                   "NodeId": root, "AccountName": "svc"}),
        )
        .await["Uin"]
        .as_i64()
        .unwrap();
    let single = api(&w)
        .create_organization_member_policy(v21::CreateOrganizationMemberPolicyRequest {
            member_uin: svc,
            policy_name: "svc-admin".into(),
            identity_id: 1,
            description: Some("admins of svc".into()),
        })
        .await
        .unwrap()
        .policy_id;
    let many = api(&w)
        .create_organization_members_policy(v21::CreateOrganizationMembersPolicyRequest {
            member_uins: vec![svc],
            policy_name: "ops".into(),
            identity_id: 1,
            description: None,
        })
        .await
        .unwrap()
        .policy_id;
    let of_svc = |search: Option<&str>| {
        let w = &w;
        let search = search.map(str::to_owned);
        async move {
            api(w)
                .describe_organization_member_policies(
                    v21::DescribeOrganizationMemberPoliciesRequest {
                        offset: 0,
                        limit: 10,
                        member_uin: svc,
                        search_key: search,
                    },
                )
                .await
                .unwrap()
        }
    };
    let listed = of_svc(None).await;
    assert_eq!(listed.total, 2);
    assert_eq!(listed.items[0].policy_id, single);
    assert_eq!(
        listed.items[0].identity_role_name,
        "OrganizationAccessControlRole"
    );
    assert_eq!(of_svc(Some("admins of")).await.total, 1);

    api(&w)
        .update_organization_members_policy(v21::UpdateOrganizationMembersPolicyRequest {
            member_uins: vec![svc],
            policy_id: many as u64,
            identity_id: 1,
            description: Some("operators".into()),
        })
        .await
        .unwrap();
    assert_eq!(of_svc(Some("operators")).await.items[0].policy_id, many);

    let sub = 555_000_000_001_i64;
    api(&w)
        .bind_organization_policy_sub_account(v21::BindOrganizationPolicySubAccountRequest {
            policy_id: many,
            org_sub_account_uins: vec![sub],
        })
        .await
        .unwrap();
    // Read back as the Terraform provider does: by policy and sub-account, exactly one row.
    let rows = |policy: i64| {
        let w = &w;
        async move {
            api(w)
                .describe_organization_members_auth_policy(
                    v21::DescribeOrganizationMembersAuthPolicyRequest {
                        offset: 0,
                        limit: 50,
                        policy_id: Some(policy),
                        org_sub_account_uin: Some(sub),
                        member_uin: None,
                    },
                )
                .await
                .unwrap()
        }
    };
    let bound = rows(many).await;
    assert_eq!(bound.total, Some(1));
    let row = &bound.items.as_ref().unwrap()[0];
    assert_eq!(row.policy_name.as_deref(), Some("ops"));
    assert_eq!(row.member_uin, Some(svc));
    assert_eq!(row.org_sub_account_uin, Some(sub));
    assert_eq!(rows(single).await.total, Some(0));

    api(&w)
        .cancel_organization_policy_sub_account(v21::CancelOrganizationPolicySubAccountRequest {
            policy_id: many,
            org_sub_account_uins: vec![sub],
        })
        .await
        .unwrap();
    assert_eq!(rows(many).await.total, Some(0));
    api(&w)
        .delete_organization_members_policy(v21::DeleteOrganizationMembersPolicyRequest {
            policy_id: many as u64,
        })
        .await
        .unwrap();
    assert_eq!(of_svc(None).await.total, 1);
    w.fails(
        "DeleteOrganizationMembersPolicy",
        json!({"PolicyId": many}),
        "ResourceNotFound.MemberPolicyNotExist",
    )
    .await;
}

/// Business codes over the wire, each from its trigger.
#[tokio::test]
async fn business_codes_over_http() {
    let (w, org_id) = world().await;
    let alice = w.as_(ALICE);
    let as_alice = |action: &'static str, params: Value| {
        let alice = &alice;
        async move {
            alice
                .call_json(tco_client::Version::V2021_03_31, action, params)
                .await
                .unwrap_err()
                .code()
                .map(str::to_owned)
        }
    };
    assert_eq!(
        as_alice("ListPolicies", json!({})).await.as_deref(),
        Some("InvalidParameter.OrganizationMemberNotManager")
    );
    let outsider = w
        .as_(OUTSIDER)
        .call_json(
            tco_client::Version::V2021_03_31,
            "DescribePolicy",
            json!({"PolicyId": FULL_ACCESS}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        outsider.code(),
        Some("ResourceNotFound.OrganizationNotExist")
    );
    w.fails(
        "CreatePolicy",
        json!({"Name": "a", "Content": DENY_CVM, "Type": SCP}),
        "FailedOperation.OrganizationPolicyIsNotEnabled",
    )
    .await;
    enable(&w, org_id, SCP).await;
    w.fails(
        "EnablePolicyType",
        json!({"OrganizationId": org_id, "PolicyType": SCP}),
        "FailedOperation.OrganizationPolicyIsNotDisabled",
    )
    .await;
    w.fails(
        "CreatePolicy",
        json!({"Name": "FullQcloudAccess", "Content": DENY_CVM, "Type": SCP}),
        "FailedOperation.PolicyNameInUse",
    )
    .await;
    w.fails(
        "CreatePolicy",
        json!({"Name": "a", "Content": "{\"version\":\"2.0\"", "Type": SCP}),
        "InvalidParameter.PolicyDocumentError",
    )
    .await;
    w.fails(
        "CreatePolicy",
        json!({"Name": "a", "Content": DENY_CVM.replace("deny", "refuse"), "Type": SCP}),
        "InvalidParameter.EffectError",
    )
    .await;
    w.fails(
        "DetachPolicy",
        json!({"PolicyId": FULL_ACCESS, "TargetType": "MEMBER", "TargetId": BOB}),
        "FailedOperation.OrganizationDetachLastPolicyError",
    )
    .await;
    w.fails(
        "AttachPolicy",
        json!({"PolicyId": FULL_ACCESS, "TargetType": "NODE", "TargetId": 4242}),
        "ResourceNotFound.OrganizationNodeNotExist",
    )
    .await;
    w.fails(
        "DeleteOrganization",
        json!({}),
        "FailedOperation.OrganizationNotEmpty",
    )
    .await;
}

/// Members leaving and units going take their attachments along; a deleted organization with
/// a type still enabled is refused.
#[tokio::test]
async fn removals_elsewhere_take_attachments_along() {
    let (w, org_id) = world().await;
    enable(&w, org_id, SCP).await;
    let id = create(&w, "deny_cvm", SCP, DENY_CVM).await;
    let unit = add_unit(&w, "doomed").await;
    api(&w)
        .attach_policy(attach_request(id, "NODE", unit, SCP))
        .await
        .unwrap();
    api(&w)
        .attach_policy(attach_request(id, "MEMBER", BOB, SCP))
        .await
        .unwrap();
    w.ok(
        "DeleteOrganizationMembers",
        json!({"MemberUin": [ALICE, BOB]}),
    )
    .await;
    w.ok("DeleteOrganizationNodes", json!({"NodeId": [unit]}))
        .await;
    assert!(targets_of(&w, id, SCP).await.is_empty());
    let root = w.root().await;
    assert_eq!(targets_of(&w, FULL_ACCESS, SCP).await, [(root, 1)]);
    w.fails(
        "DeleteOrganization",
        json!({}),
        "FailedOperation.OrganizationPolicyIsNotDisabled",
    )
    .await;
    w.ok("DeletePolicy", json!({"PolicyId": id})).await;
    w.ok(
        "DisablePolicyType",
        json!({"OrganizationId": org_id, "PolicyType": SCP}),
    )
    .await;
    w.ok("DeleteOrganization", json!({})).await;
}

/// Many tasks attach, detach and delete policies and delete units at once; afterwards every
/// attachment names a policy and a target that exist, and both sides count the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_attach_detach_and_delete_keep_the_invariants() {
    const TASKS: u64 = 8;
    const ROUNDS: u64 = 30;
    let (w, org_id) = world().await;
    enable(&w, org_id, SCP).await;
    let mut units = Vec::new();
    for i in 0..6 {
        units.push(add_unit(&w, &format!("unit{i}")).await);
    }
    let mut policies = Vec::new();
    for i in 0..6 {
        policies.push(create(&w, &format!("p{i}"), SCP, DENY_CVM).await);
    }
    let members = [ALICE, BOB];
    let host: Arc<Client> = Arc::new(w.host.clone());
    let units = Arc::new(units);
    let policies = Arc::new(policies);
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (host, units, policies) = (host.clone(), units.clone(), policies.clone());
        tasks.push(tokio::spawn(async move {
            let mut deleted = BTreeSet::new();
            let mut gone_units = BTreeSet::new();
            for r in 0..ROUNDS {
                // A fixed schedule per task (no randomness): each round picks its operands
                // from the task and round numbers.
                let pick = (t * 7 + r * 3) as usize;
                let policy = policies[pick % policies.len()];
                let (target_type, target) = if pick % 3 == 0 {
                    ("MEMBER", members[pick % members.len()])
                } else {
                    ("NODE", units[pick % units.len()])
                };
                let (action, params) = match (t + r) % 6 {
                    0..=2 => (
                        "AttachPolicy",
                        json!({"PolicyId": policy, "TargetType": target_type, "TargetId": target}),
                    ),
                    3 | 4 => (
                        "DetachPolicy",
                        json!({"PolicyId": policy, "TargetType": target_type, "TargetId": target}),
                    ),
                    _ if r % 2 == 0 => ("DeletePolicy", json!({"PolicyId": policy})),
                    _ => (
                        "DeleteOrganizationNodes",
                        json!({"NodeId": [units[pick % units.len()]]}),
                    ),
                };
                let answer = host
                    .call_json(tco_client::Version::V2021_03_31, action, params)
                    .await;
                match (action, answer) {
                    ("DeletePolicy", Ok(_)) => {
                        deleted.insert(policy);
                    }
                    ("DeleteOrganizationNodes", Ok(_)) => {
                        gone_units.insert(units[pick % units.len()]);
                    }
                    (_, Ok(_)) => {}
                    // Conflicts are expected (attached elsewhere, not attached, gone already,
                    // last policy); anything else is not.
                    (_, Err(e)) => {
                        let code = e.code().unwrap_or("no code").to_owned();
                        assert!(
                            code.starts_with("FailedOperation.")
                                || code.starts_with("ResourceNotFound.")
                                || code == "ResourceNotFound"
                                || code == "InvalidParameter.AttachmentFull",
                            "{action}: {e}"
                        );
                    }
                }
            }
            (deleted, gone_units)
        }));
    }
    let mut deleted = BTreeSet::new();
    let mut gone_units = BTreeSet::new();
    for task in tasks {
        let (d, g) = task.await.expect("a task panicked");
        deleted.extend(d);
        gone_units.extend(g);
    }

    // The world as the reads show it.
    let listed = api(&w)
        .list_policies(v21::ListPoliciesRequest {
            rp: Some(200),
            ..Default::default()
        })
        .await
        .unwrap();
    let existing: BTreeMap<u64, u64> = listed
        .list
        .iter()
        .map(|p| (p.policy_id, p.attached_times))
        .collect();
    for id in &deleted {
        assert!(
            !existing.contains_key(id),
            "deleted policy {id} still listed"
        );
    }
    let nodes = w
        .ok(
            "DescribeOrganizationNodes",
            json!({"Offset": 0, "Limit": 50}),
        )
        .await;
    let live_units: BTreeSet<u64> = nodes["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["NodeId"].as_u64().unwrap())
        .collect();
    for unit in &gone_units {
        assert!(!live_units.contains(unit));
    }
    let live_targets: BTreeSet<u64> = live_units.iter().copied().chain(members).collect();
    // From the policies' side.
    let mut pairs_by_policy = BTreeSet::new();
    for (&id, &times) in &existing {
        let targets = targets_of(&w, id, SCP).await;
        assert_eq!(targets.len() as u64, times, "policy {id}: AttachedTimes");
        for (target, _) in targets {
            assert!(
                live_targets.contains(&target),
                "policy {id} on gone target {target}"
            );
            pairs_by_policy.insert((id, target));
        }
    }
    // From the targets' side: the same pairs, and every target keeps a service control policy.
    let mut pairs_by_target = BTreeSet::new();
    for &target in &live_targets {
        let on = policies_on(&w, target, SCP).await;
        assert!(!on.is_empty(), "target {target} lost its last policy");
        for id in on {
            assert!(
                existing.contains_key(&id),
                "target {target} has gone policy {id}"
            );
            pairs_by_target.insert((id, target));
        }
    }
    assert_eq!(pairs_by_policy, pairs_by_target);
    assert!(
        !deleted.is_empty() || !gone_units.is_empty(),
        "the schedule deletes something"
    );
}
