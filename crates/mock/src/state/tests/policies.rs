//! Organization management policies and member access policies, through `Probe`: what one
//! action stores, the others read back; each modelled business code produced by its trigger.
//!
//! Expected values come from the requests the tests send, the contract's codes and documented
//! values, and the rules `COVERAGE.md` states (worked out by hand here, not read from the code).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;

type Seen = BTreeSet<(Version, String, String)>;

const SCP: &str = "SERVICE_CONTROL_POLICY";
const TAG: &str = "TAG_POLICY";
/// The built-in service control policy (ID and name from the contract's example).
const FULL_ACCESS: u64 = 1000;
const ALLOW_ALL: &str =
    r#"{"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]}"#;
const DENY_CVM: &str =
    r#"{"version":"2.0","statement":[{"effect":"deny","action":["cvm:*"],"resource":"*"}]}"#;

/// An organization managed by HOST: root > dept > team; ALICE (invited, no login identity) in
/// dept; a created member (identity 1) in team; BOB outside, CAROL outside.
struct Org {
    id: u64,
    root: u64,
    dept: u64,
    team: u64,
    svc: u64,
}

fn org(p: &Probe, host: u64) -> Org {
    let id = p.ok(V21, "CreateOrganization", host, json!({}))["OrgId"]
        .as_u64()
        .unwrap();
    let root = p.root(host);
    let dept = p.node(host, root, "dept");
    let team = p.node(host, dept, "team");
    let svc = p.created(host, team, "svc");
    Org {
        id,
        root,
        dept,
        team,
        svc,
    }
}

/// HOST's organization, with ALICE joined and moved to dept.
fn with_alice() -> (Probe, Org) {
    let p = Probe::new();
    let o = org(&p, HOST);
    p.join(HOST, ALICE, "alice");
    p.ok(
        V21,
        "MoveOrganizationNodeMembers",
        HOST,
        json!({"NodeId": o.dept, "MemberUin": [ALICE]}),
    );
    (p, o)
}

fn enable(p: &Probe, host: u64, org_id: u64, kind: &str) {
    p.ok(
        V21,
        "EnablePolicyType",
        host,
        json!({"OrganizationId": org_id, "PolicyType": kind}),
    );
}

fn create(p: &Probe, host: u64, name: &str, kind: &str, doc: &str) -> u64 {
    p.ok(
        V21,
        "CreatePolicy",
        host,
        json!({"Name": name, "Content": doc, "Type": kind, "Description": format!("{name} policy")}),
    )["PolicyId"]
        .as_u64()
        .unwrap()
}

fn attach_params(policy: u64, target_type: &str, target: u64, kind: &str) -> Value {
    json!({"PolicyId": policy, "TargetType": target_type, "TargetId": target, "Type": kind})
}

fn attach(p: &Probe, host: u64, policy: u64, target_type: &str, target: u64, kind: &str) {
    p.ok(
        V21,
        "AttachPolicy",
        host,
        attach_params(policy, target_type, target, kind),
    );
}

/// (ID, name) of the policies of `kind` attached to `target`, as `ListPoliciesForTarget` shows.
fn on_target(p: &Probe, host: u64, target: u64, kind: &str) -> Vec<(u64, String)> {
    let list = p.ok(
        V21,
        "ListPoliciesForTarget",
        host,
        json!({"TargetId": target, "PolicyType": kind, "Rp": 200}),
    );
    let items = list["List"].as_array().unwrap();
    assert_eq!(list["TotalNum"], items.len());
    items
        .iter()
        .map(|i| {
            (
                i["StrategyId"].as_u64().unwrap(),
                i["StrategyName"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// (target ID, related type) of `policy`, as `ListTargetsForPolicy` shows.
fn targets(p: &Probe, host: u64, policy: u64, kind: &str) -> Vec<(u64, u64)> {
    let list = p.ok(
        V21,
        "ListTargetsForPolicy",
        host,
        json!({"PolicyId": policy, "PolicyType": kind, "Rp": 200}),
    );
    list["List"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["Uin"].as_u64().unwrap(),
                i["RelatedType"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn attached_times(p: &Probe, host: u64, policy: u64, kind: &str) -> u64 {
    let list = p.ok(
        V21,
        "ListPolicies",
        host,
        json!({"PolicyType": kind, "Rp": 200}),
    );
    list["List"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["PolicyId"] == policy)
        .map(|i| i["AttachedTimes"].as_u64().unwrap())
        .expect("the policy is listed")
}

fn effective(p: &Probe, host: u64, target: u64) -> (Value, Value) {
    let e = p.ok(
        V21,
        "DescribeEffectivePolicy",
        host,
        json!({"TargetId": target}),
    )["EffectivePolicy"]
        .clone();
    assert_eq!(e["TargetId"], target);
    let content: Value = serde_json::from_str(e["PolicyContent"].as_str().unwrap()).unwrap();
    (content, e["LastUpdatedTimestamp"].clone())
}

// ---------------------------------------------------------------------------------------
// Every action once, successfully (the shapes test runs this on its own probe).

/// Runs every action of the area once with `host` managing a new organization (`host` must
/// have none), ending with the organization's policies cleaned up.
pub(super) fn run(p: &Probe, host: u64) {
    let o = org(p, host);
    let config = |t: u64| {
        p.ok(
            V21,
            "DescribePolicyConfig",
            host,
            json!({"OrganizationId": o.id, "Type": t}),
        )
    };
    assert_eq!(config(0)["Status"], 0);
    enable(p, host, o.id, SCP);
    enable(p, host, o.id, TAG);
    assert_eq!(config(1), json!({"Status": 1, "Type": TAG}));
    let deny = create(p, host, "deny_cvm", SCP, DENY_CVM);
    p.ok(
        V21,
        "UpdatePolicy",
        host,
        json!({"PolicyId": deny, "Description": "no cvm"}),
    );
    p.ok(V21, "DescribePolicy", host, json!({"PolicyId": deny}));
    p.ok(V21, "ListPolicies", host, json!({}));
    attach(p, host, deny, "MEMBER", o.svc, SCP);
    p.ok(V21, "ListTargetsForPolicy", host, json!({"PolicyId": deny}));
    p.ok(
        V21,
        "ListPoliciesForTarget",
        host,
        json!({"TargetId": o.svc}),
    );
    p.ok(
        V21,
        "DetachPolicy",
        host,
        attach_params(deny, "MEMBER", o.svc, SCP),
    );
    p.ok(V21, "DeletePolicy", host, json!({"PolicyId": deny}));
    let tags = create(
        p,
        host,
        "env_tags",
        TAG,
        r#"{"tags":{"env":{"tag_key":"env","tag_value":["prod"]}}}"#,
    );
    attach(p, host, tags, "NODE", o.root, TAG);
    effective(p, host, o.svc);
    p.ok(
        V21,
        "ListNonCompliantResource",
        host,
        json!({"MaxResults": 10, "MemberUin": o.svc}),
    );
    let member_policy = p.ok(
        V21,
        "CreateOrganizationMemberPolicy",
        host,
        json!({"MemberUin": o.svc, "PolicyName": "svc_admin", "IdentityId": 1}),
    )["PolicyId"]
        .as_i64()
        .unwrap();
    let members_policy = p.ok(
        V21,
        "CreateOrganizationMembersPolicy",
        host,
        json!({"MemberUins": [o.svc], "PolicyName": "svc_admins", "IdentityId": 1,
               "Description": "admins"}),
    )["PolicyId"]
        .as_i64()
        .unwrap();
    p.ok(
        V21,
        "UpdateOrganizationMembersPolicy",
        host,
        json!({"MemberUins": [o.svc], "PolicyId": members_policy, "IdentityId": 1}),
    );
    p.ok(
        V21,
        "DescribeOrganizationMemberPolicies",
        host,
        json!({"Offset": 0, "Limit": 10, "MemberUin": o.svc}),
    );
    p.ok(
        V21,
        "BindOrganizationPolicySubAccount",
        host,
        json!({"PolicyId": member_policy, "OrgSubAccountUins": [NOBODY]}),
    );
    p.ok(
        V21,
        "DescribeOrganizationMembersAuthPolicy",
        host,
        json!({"Offset": 0, "Limit": 10}),
    );
    p.ok(
        V21,
        "CancelOrganizationPolicySubAccount",
        host,
        json!({"PolicyId": member_policy, "OrgSubAccountUins": [NOBODY]}),
    );
    for id in [member_policy, members_policy] {
        p.ok(
            V21,
            "DeleteOrganizationMembersPolicy",
            host,
            json!({"PolicyId": id}),
        );
    }
    for kind in [SCP, TAG] {
        p.ok(
            V21,
            "DisablePolicyType",
            host,
            json!({"OrganizationId": o.id, "PolicyType": kind}),
        );
    }
}

#[test]
fn every_action_answers() {
    let p = Probe::new();
    run(&p, HOST);
}

// ---------------------------------------------------------------------------------------
// What one action stores, the others read back.

#[test]
fn enabling_a_type_shows_in_the_config_and_brings_the_built_in_policy() {
    let (p, o) = with_alice();
    let scp_config = json!({"OrganizationId": o.id, "Type": 0});
    assert_eq!(
        p.ok(V21, "DescribePolicyConfig", HOST, scp_config.clone()),
        json!({"Status": 0, "Type": SCP})
    );
    // No built-in policy before the type is enabled.
    let list = p.ok(V21, "ListPolicies", HOST, json!({}));
    assert_eq!(list, json!({"TotalNum": 0, "List": []}));

    p.now.set(NOW + 60);
    enable(&p, HOST, o.id, SCP);
    assert_eq!(
        p.ok(V21, "DescribePolicyConfig", HOST, scp_config.clone())["Status"],
        1
    );
    // Tag policies stay off.
    assert_eq!(
        p.ok(
            V21,
            "DescribePolicyConfig",
            HOST,
            json!({"OrganizationId": o.id, "Type": 1})
        ),
        json!({"Status": 0, "Type": TAG})
    );
    let list = p.ok(V21, "ListPolicies", HOST, json!({"Scope": "QCS"}));
    assert_eq!(list["TotalNum"], 1);
    let full = &list["List"][0];
    assert_eq!(full["PolicyId"], FULL_ACCESS);
    assert_eq!(full["PolicyName"], "FullQcloudAccess");
    assert_eq!(full["Type"], 2);
    assert_eq!(full["AddTime"], "2021-04-16 11:50:39");
    // Bound to every unit (root, dept, team) and member (svc, ALICE).
    assert_eq!(full["AttachedTimes"], 5);
    let mut bound = targets(&p, HOST, FULL_ACCESS, SCP);
    bound.sort_unstable();
    let mut expected = vec![
        (o.root, 1),
        (o.dept, 1),
        (o.team, 1),
        (o.svc, 2),
        (ALICE, 2),
    ];
    expected.sort_unstable();
    assert_eq!(bound, expected);
    let described = p.ok(
        V21,
        "DescribePolicy",
        HOST,
        json!({"PolicyId": FULL_ACCESS}),
    );
    assert_eq!(described["Type"], 2);
    let doc: Value = serde_json::from_str(described["PolicyDocument"].as_str().unwrap()).unwrap();
    assert_eq!(doc["statement"][0]["effect"], "allow");

    // Units and members that come later are bound from when they come.
    p.now.set(NOW + 120);
    let late = p.node(HOST, o.root, "late");
    let by_target = p.ok(
        V21,
        "ListPoliciesForTarget",
        HOST,
        json!({"TargetId": late}),
    );
    assert_eq!(by_target["List"][0]["StrategyName"], "FullQcloudAccess");
    assert_eq!(by_target["List"][0]["AttachTime"], "2021-04-16 11:51:39");
    assert_eq!(by_target["List"][0]["Type"], 1);
    assert_eq!(by_target["List"][0]["Name"], "late");
    assert_eq!(attached_times(&p, HOST, FULL_ACCESS, SCP), 6);

    // Disabling takes the built-in policy away with the type.
    p.ok(
        V21,
        "DisablePolicyType",
        HOST,
        json!({"OrganizationId": o.id, "PolicyType": SCP}),
    );
    assert_eq!(
        p.ok(V21, "DescribePolicyConfig", HOST, scp_config)["Status"],
        0
    );
    assert!(on_target(&p, HOST, late, SCP).is_empty());
    p.fails(
        V21,
        "DescribePolicy",
        HOST,
        json!({"PolicyId": FULL_ACCESS}),
        "ResourceNotFound.PolicyNotExist",
    );
}

#[test]
fn a_policy_reads_back_field_for_field_and_updates_show_everywhere() {
    let (p, o) = with_alice();
    enable(&p, HOST, o.id, SCP);
    p.now.set(NOW + 10);
    let id = p.ok(
        V21,
        "CreatePolicy",
        HOST,
        json!({"Name": "没有云服务器", "Content": DENY_CVM, "Type": SCP, "Description": "no cvm"}),
    )["PolicyId"]
        .as_u64()
        .unwrap();
    assert_eq!(
        id, 100_001,
        "custom policy IDs start at the contract's example"
    );
    let described = p.ok(V21, "DescribePolicy", HOST, json!({"PolicyId": id}));
    assert_eq!(
        described,
        json!({"PolicyId": id, "PolicyName": "没有云服务器", "Type": 1, "Description": "no cvm",
               "PolicyDocument": DENY_CVM, "UpdateTime": "2021-04-16 11:49:49",
               "AddTime": "2021-04-16 11:49:49"})
    );
    let local = p.ok(V21, "ListPolicies", HOST, json!({"Scope": "Local"}));
    assert_eq!(local["TotalNum"], 1);
    assert_eq!(
        local["List"][0],
        json!({"AddTime": "2021-04-16 11:49:49", "AttachedTimes": 0, "Description": "no cvm",
               "PolicyName": "没有云服务器", "PolicyId": id, "UpdateTime": "2021-04-16 11:49:49",
               "Type": 1})
    );

    p.now.set(NOW + 20);
    attach(&p, HOST, id, "NODE", o.dept, SCP);
    p.now.set(NOW + 30);
    p.ok(
        V21,
        "UpdatePolicy",
        HOST,
        json!({"PolicyId": id, "Name": "deny_cvm", "Content": ALLOW_ALL, "Description": "now allows"}),
    );
    let described = p.ok(V21, "DescribePolicy", HOST, json!({"PolicyId": id}));
    assert_eq!(described["PolicyName"], "deny_cvm");
    assert_eq!(described["Description"], "now allows");
    assert_eq!(described["PolicyDocument"], ALLOW_ALL);
    assert_eq!(described["AddTime"], "2021-04-16 11:49:49");
    assert_eq!(described["UpdateTime"], "2021-04-16 11:50:09");
    // The target's view shows the new name and times, and the attachment's own time.
    let on_dept = p.ok(
        V21,
        "ListPoliciesForTarget",
        HOST,
        json!({"TargetId": o.dept, "Keyword": "DENY"}),
    );
    assert_eq!(on_dept["TotalNum"], 1);
    assert_eq!(
        on_dept["List"][0],
        json!({"StrategyId": id, "StrategyName": "deny_cvm", "Remark": "now allows", "Uin": o.dept,
               "Type": 1, "AddTime": "2021-04-16 11:49:49", "UpdateTime": "2021-04-16 11:50:09",
               "Name": "dept", "AttachTime": "2021-04-16 11:49:59"})
    );
    // Keyword and type narrow the lists; totals count what matched.
    let searched = p.ok(V21, "ListPolicies", HOST, json!({"Keyword": "cvm"}));
    assert_eq!(searched["TotalNum"], 1);
    let tags = p.ok(V21, "ListPolicies", HOST, json!({"PolicyType": TAG}));
    assert_eq!(tags["TotalNum"], 0);
    // An Update naming the other type finds no such policy.
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        json!({"PolicyId": id, "Type": TAG, "Name": "x"}),
        "FailedOperation.OrganizationPolicyIsNotEnabled",
    );
    enable(&p, HOST, o.id, TAG);
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        json!({"PolicyId": id, "Type": TAG, "Name": "x"}),
        "ResourceNotFound.PolicyNotExist",
    );
    p.fails(
        V21,
        "DescribePolicy",
        HOST,
        json!({"PolicyId": id, "PolicyType": TAG}),
        "ResourceNotFound.PolicyNotExist",
    );
}

#[test]
fn list_policies_pages_with_rp_and_page() {
    let (p, o) = with_alice();
    enable(&p, HOST, o.id, SCP);
    let ids: Vec<u64> = (0..5)
        .map(|i| create(&p, HOST, &format!("p{i}"), SCP, DENY_CVM))
        .collect();
    let page = |rp: u64, page: u64| {
        let list = p.ok(V21, "ListPolicies", HOST, json!({"Rp": rp, "Page": page}));
        assert_eq!(list["TotalNum"], 6, "FullQcloudAccess and five custom");
        list["List"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["PolicyId"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(page(4, 1), [FULL_ACCESS, ids[0], ids[1], ids[2]]);
    assert_eq!(page(4, 2), [ids[3], ids[4]]);
    assert!(page(4, 3).is_empty());
}

#[test]
fn attachments_are_visible_from_both_sides_and_detach_and_delete_follow_the_rules() {
    let (p, o) = with_alice();
    enable(&p, HOST, o.id, SCP);
    let deny = create(&p, HOST, "deny_cvm", SCP, DENY_CVM);
    attach(&p, HOST, deny, "NODE", o.team, SCP);
    attach(&p, HOST, deny, "MEMBER", ALICE, SCP);
    // Attaching again changes nothing.
    attach(&p, HOST, deny, "MEMBER", ALICE, SCP);
    assert_eq!(targets(&p, HOST, deny, SCP), [(o.team, 1), (ALICE, 2)]);
    assert_eq!(attached_times(&p, HOST, deny, SCP), 2);
    assert_eq!(
        on_target(&p, HOST, ALICE, SCP),
        [
            (FULL_ACCESS, "FullQcloudAccess".to_owned()),
            (deny, "deny_cvm".to_owned())
        ]
    );
    let users = p.ok(
        V21,
        "ListTargetsForPolicy",
        HOST,
        json!({"PolicyId": deny, "TargetType": "User"}),
    );
    assert_eq!(users["TotalNum"], 1);
    assert_eq!(users["List"][0]["Name"], "alice");
    let by_id = p.ok(
        V21,
        "ListTargetsForPolicy",
        HOST,
        json!({"PolicyId": deny, "Keyword": format!("{} 1", o.team)}),
    );
    assert_eq!(by_id["TotalNum"], 1);
    assert_eq!(by_id["List"][0]["Uin"], o.team);

    p.fails(
        V21,
        "DeletePolicy",
        HOST,
        json!({"PolicyId": deny}),
        "FailedOperation.OrganizationPolicyInUsed",
    );
    // The built-in policy can be detached while another service control policy remains ...
    p.ok(
        V21,
        "DetachPolicy",
        HOST,
        attach_params(FULL_ACCESS, "MEMBER", ALICE, SCP),
    );
    assert_eq!(
        on_target(&p, HOST, ALICE, SCP),
        [(deny, "deny_cvm".to_owned())]
    );
    assert!(!targets(&p, HOST, FULL_ACCESS, SCP).contains(&(ALICE, 2)));
    // ... but not the last one.
    p.fails(
        V21,
        "DetachPolicy",
        HOST,
        attach_params(deny, "MEMBER", ALICE, SCP),
        "FailedOperation.OrganizationDetachLastPolicyError",
    );
    p.now.set(NOW + 5);
    attach(&p, HOST, FULL_ACCESS, "MEMBER", ALICE, SCP);
    let again = p.ok(
        V21,
        "ListPoliciesForTarget",
        HOST,
        json!({"TargetId": ALICE, "Keyword": "Full"}),
    );
    assert_eq!(again["List"][0]["AttachTime"], "2021-04-16 11:49:44");
    for (target_type, target) in [("MEMBER", ALICE), ("NODE", o.team)] {
        p.ok(
            V21,
            "DetachPolicy",
            HOST,
            attach_params(deny, target_type, target, SCP),
        );
    }
    assert!(targets(&p, HOST, deny, SCP).is_empty());
    p.fails(
        V21,
        "DetachPolicy",
        HOST,
        attach_params(deny, "NODE", o.team, SCP),
        "FailedOperation.OrganizationDetachPolicyError",
    );
    p.ok(V21, "DeletePolicy", HOST, json!({"PolicyId": deny}));
    p.fails(
        V21,
        "DescribePolicy",
        HOST,
        json!({"PolicyId": deny}),
        "ResourceNotFound.PolicyNotExist",
    );
    assert_eq!(
        on_target(&p, HOST, ALICE, SCP),
        [(FULL_ACCESS, "FullQcloudAccess".to_owned())]
    );
}

#[test]
fn disabling_a_type_detaches_its_policies_but_keeps_custom_ones() {
    let (p, o) = with_alice();
    enable(&p, HOST, o.id, SCP);
    let deny = create(&p, HOST, "deny_cvm", SCP, DENY_CVM);
    attach(&p, HOST, deny, "NODE", o.dept, SCP);
    p.ok(
        V21,
        "DetachPolicy",
        HOST,
        attach_params(FULL_ACCESS, "NODE", o.dept, SCP),
    );
    p.ok(
        V21,
        "DisablePolicyType",
        HOST,
        json!({"OrganizationId": o.id, "PolicyType": SCP}),
    );
    assert_eq!(
        p.ok(V21, "DescribePolicy", HOST, json!({"PolicyId": deny}))["PolicyName"],
        "deny_cvm"
    );
    assert!(on_target(&p, HOST, o.dept, SCP).is_empty());
    p.now.set(NOW + 100);
    enable(&p, HOST, o.id, SCP);
    // Enabled again: the built-in policy binds every unit afresh, the custom one nowhere.
    assert_eq!(
        on_target(&p, HOST, o.dept, SCP),
        [(FULL_ACCESS, "FullQcloudAccess".to_owned())]
    );
    assert_eq!(attached_times(&p, HOST, deny, SCP), 0);
    p.ok(V21, "DeletePolicy", HOST, json!({"PolicyId": deny}));
}

#[test]
fn removing_members_and_units_takes_their_attachments_along() {
    let (p, o) = with_alice();
    enable(&p, HOST, o.id, SCP);
    let deny = create(&p, HOST, "deny_cvm", SCP, DENY_CVM);
    let spare = p.node(HOST, o.root, "spare");
    attach(&p, HOST, deny, "NODE", spare, SCP);
    attach(&p, HOST, deny, "MEMBER", ALICE, SCP);
    p.ok(
        V21,
        "DetachPolicy",
        HOST,
        attach_params(FULL_ACCESS, "MEMBER", ALICE, SCP),
    );
    p.ok(V21, "QuitOrganization", ALICE, json!({"OrgId": o.id}));
    p.ok(
        V21,
        "DeleteOrganizationNodes",
        HOST,
        json!({"NodeId": [spare]}),
    );
    assert!(targets(&p, HOST, deny, SCP).is_empty());
    p.ok(V21, "DeletePolicy", HOST, json!({"PolicyId": deny}));
    p.fails(
        V21,
        "ListPoliciesForTarget",
        HOST,
        json!({"TargetId": ALICE}),
        "ResourceNotFound.NotFound",
    );
    // Back in the organization, ALICE is bound to the built-in policy again.
    p.join(HOST, ALICE, "alice");
    assert_eq!(
        on_target(&p, HOST, ALICE, SCP),
        [(FULL_ACCESS, "FullQcloudAccess".to_owned())]
    );
}

#[test]
fn the_effective_tag_policy_combines_the_path_from_the_root() {
    let (p, o) = with_alice();
    enable(&p, HOST, o.id, TAG);
    let at_root = create(
        &p,
        HOST,
        "root_tags",
        TAG,
        r#"{"tags":{"env":{"tag_key":{"@@assign":"env"},"tag_value":{"@@assign":["prod","test"]}},
                   "owner":{"tag_key":"owner","resource_type_scope":["cvm:instance"]}}}"#,
    );
    let at_dept = create(
        &p,
        HOST,
        "dept_tags",
        TAG,
        r#"{"tags":{"ENV":{"tag_key":"ENV","tag_value":["test"]},"cost":{"tag_key":"cost"}}}"#,
    );
    let at_member = create(
        &p,
        HOST,
        "alice_tags",
        TAG,
        r#"{"tags":{"owner":{"tag_key":"owner","tag_value":["alice"]}}}"#,
    );
    p.fails(
        V21,
        "DescribeEffectivePolicy",
        HOST,
        json!({"TargetId": ALICE}),
        "ResourceNotFound.EffectivePolicyNotFound",
    );
    p.now.set(NOW + 1);
    attach(&p, HOST, at_root, "NODE", o.root, TAG);
    p.now.set(NOW + 2);
    attach(&p, HOST, at_member, "MEMBER", ALICE, TAG);
    p.now.set(NOW + 3);
    attach(&p, HOST, at_dept, "NODE", o.dept, TAG);

    // ALICE (in dept): root, then dept (ENV replaces env's value, keeping the first spelling
    // and the tag_key dept set), then ALICE's own (owner gains a value, keeps its scope).
    let (content, updated) = effective(&p, HOST, ALICE);
    assert_eq!(
        content,
        json!({"tags": {
            "env": {"tag_key": "ENV", "tag_value": ["test"]},
            "owner": {"tag_key": "owner", "resource_type_scope": ["cvm:instance"], "tag_value": ["alice"]},
            "cost": {"tag_key": "cost"},
        }})
    );
    assert_eq!(updated, NOW + 3);
    // The created member in team (under dept) gets root and dept only.
    let (content, _) = effective(&p, HOST, o.svc);
    assert_eq!(
        content,
        json!({"tags": {
            "env": {"tag_key": "ENV", "tag_value": ["test"]},
            "owner": {"tag_key": "owner", "resource_type_scope": ["cvm:instance"]},
            "cost": {"tag_key": "cost"},
        }})
    );
    // A unit: the root's policy alone.
    let (content, updated) = effective(&p, HOST, o.root);
    assert_eq!(
        content["tags"]["env"],
        json!({"tag_key": "env", "tag_value": ["prod", "test"]})
    );
    assert_eq!(updated, NOW + 1);
    // Changing a policy along the path shows, with its time.
    p.now.set(NOW + 50);
    p.ok(
        V21,
        "UpdatePolicy",
        HOST,
        json!({"PolicyId": at_member, "Content": r#"{"tags":{"owner":{"tag_key":"owner","tag_value":["bob"]}}}"#}),
    );
    let (content, updated) = effective(&p, HOST, ALICE);
    assert_eq!(content["tags"]["owner"]["tag_value"], json!(["bob"]));
    assert_eq!(updated, NOW + 50);
}

#[test]
fn non_compliant_members_are_listed_by_their_own_tags() {
    let (p, o) = with_alice();
    enable(&p, HOST, o.id, TAG);
    let uin = p.ok(
        V21,
        "CreateOrganizationMember",
        HOST,
        json!({"Name": "tagged", "PolicyType": "Financial", "PermissionIds": [1, 2],
               "NodeId": o.dept, "AccountName": "tagged",
               "Tags": [{"TagKey": "Env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": "dev"}]}),
    )["Uin"]
        .as_u64()
        .unwrap();
    let list = |tag_key: Option<&str>| {
        let mut params = json!({"MaxResults": 10, "MemberUin": uin, "PaginationToken": ""});
        if let Some(k) = tag_key {
            params["TagKey"] = json!(k);
        }
        p.ok(V21, "ListNonCompliantResource", HOST, params)
    };
    // No tag policy yet: nothing to break.
    assert_eq!(list(None), json!({"Items": [], "PaginationToken": ""}));
    let policy = create(
        &p,
        HOST,
        "tags",
        TAG,
        r#"{"tags":{"env":{"tag_key":"env","tag_value":["prod"]},"team":{"tag_key":"team","tag_value":["ops"]}}}"#,
    );
    attach(&p, HOST, policy, "NODE", o.dept, TAG);
    let listed = list(None);
    assert_eq!(
        listed["Items"],
        json!([{
            "Resource": format!("qcs::organization::uin/{HOST}:member/{uin}"),
            "ComplianceDetails": {"ComplianceStatus": false,
                                  "KeysWithNonCompliantValues": ["team"],
                                  "NonCompliantKeys": ["Env"]},
            "Tags": [{"TagKey": "Env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": "dev"}],
        }])
    );
    let env_only = list(Some("ENV"));
    assert_eq!(
        env_only["Items"][0]["ComplianceDetails"]["KeysWithNonCompliantValues"],
        json!([])
    );
    // ALICE has no tags: compliant, not listed.
    assert_eq!(
        p.ok(
            V21,
            "ListNonCompliantResource",
            HOST,
            json!({"MaxResults": 1, "MemberUin": ALICE})
        )["Items"],
        json!([])
    );
}

#[test]
fn member_access_policies_read_back_and_bind_sub_accounts() {
    let (p, o) = with_alice();
    let second = p.created(HOST, o.root, "second");
    p.now.set(NOW + 7);
    let single = p.ok(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        json!({"MemberUin": o.svc, "PolicyName": "svc.admin", "IdentityId": 1,
               "Description": "svc admins"}),
    )["PolicyId"]
        .as_i64()
        .unwrap();
    assert_eq!(
        single, 1001,
        "member access policy IDs start at the contract's example"
    );
    let both = p.ok(
        V21,
        "CreateOrganizationMembersPolicy",
        HOST,
        json!({"MemberUins": [o.svc, second, o.svc], "PolicyName": "all+admins", "IdentityId": 1}),
    )["PolicyId"]
        .as_i64()
        .unwrap();
    let policies = |uin: u64, search: &str| {
        p.ok(
            V21,
            "DescribeOrganizationMemberPolicies",
            HOST,
            json!({"Offset": 0, "Limit": 10, "MemberUin": uin, "SearchKey": search}),
        )
    };
    let svc = policies(o.svc, "");
    assert_eq!(svc["Total"], 2);
    assert_eq!(
        svc["Items"][0],
        json!({"PolicyId": single, "PolicyName": "svc.admin", "IdentityId": 1,
               "IdentityRoleName": "OrganizationAccessControlRole",
               "IdentityRoleAliasName": "Administrator", "Description": "svc admins",
               "CreateTime": "2021-04-16 11:49:46", "UpdateTime": "2021-04-16 11:49:46"})
    );
    assert_eq!(policies(second, "")["Total"], 1);
    assert_eq!(policies(o.svc, "SVC ADMINS")["Total"], 1);

    // Bind sub-accounts; a row per (policy, sub-account), seen from each filter.
    let (sub1, sub2) = (NOBODY, NOBODY - 1);
    p.now.set(NOW + 8);
    p.ok(
        V21,
        "BindOrganizationPolicySubAccount",
        HOST,
        json!({"PolicyId": both, "OrgSubAccountUins": [sub1, sub2]}),
    );
    p.ok(
        V21,
        "BindOrganizationPolicySubAccount",
        HOST,
        json!({"PolicyId": single, "OrgSubAccountUins": [sub1]}),
    );
    let rows = |filter: Value| {
        let mut params = json!({"Offset": 0, "Limit": 50});
        params
            .as_object_mut()
            .unwrap()
            .extend(filter.as_object().unwrap().clone());
        p.ok(V21, "DescribeOrganizationMembersAuthPolicy", HOST, params)
    };
    assert_eq!(rows(json!({}))["Total"], 3);
    assert_eq!(rows(json!({"MemberUin": second}))["Total"], 2);
    assert_eq!(rows(json!({"OrgSubAccountUin": sub1}))["Total"], 2);
    let one = rows(json!({"PolicyId": both, "OrgSubAccountUin": sub2, "MemberUin": 0}));
    assert_eq!(one["Total"], 1);
    assert_eq!(
        one["Items"][0],
        json!({"IdentityId": 1, "IdentityRoleName": "OrganizationAccessControlRole",
               "IdentityRoleAliasName": "Administrator", "CreateTime": "2021-04-16 11:49:47",
               "PolicyId": both, "PolicyName": "all+admins", "MemberUin": o.svc, "MemberName": "svc",
               "OrgSubAccountUin": sub2, "OrgSubAccountName": format!("sub-account-{sub2}"),
               "BindType": 1,
               "Members": [{"MemberUin": o.svc, "MemberName": "svc"},
                           {"MemberUin": second, "MemberName": "second"}]})
    );

    // Update replaces members and description; cancel unbinds; delete takes the rest.
    p.now.set(NOW + 9);
    p.ok(
        V21,
        "UpdateOrganizationMembersPolicy",
        HOST,
        json!({"MemberUins": [second], "PolicyId": both, "IdentityId": 1, "Description": "second only"}),
    );
    assert_eq!(policies(o.svc, "")["Total"], 1);
    let updated = policies(second, "");
    assert_eq!(updated["Items"][0]["Description"], "second only");
    assert_eq!(updated["Items"][0]["UpdateTime"], "2021-04-16 11:49:48");
    p.ok(
        V21,
        "CancelOrganizationPolicySubAccount",
        HOST,
        json!({"PolicyId": both, "OrgSubAccountUins": [sub2]}),
    );
    assert_eq!(rows(json!({"PolicyId": both}))["Total"], 1);
    p.ok(
        V21,
        "DeleteOrganizationMembersPolicy",
        HOST,
        json!({"PolicyId": both}),
    );
    assert_eq!(rows(json!({}))["Total"], 1);
    assert_eq!(policies(second, "")["Total"], 0);
}

#[test]
fn deleting_the_organization_waits_for_policy_types_and_member_policies() {
    let p = Probe::new();
    let o = org(&p, HOST);
    let policy = p.ok(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        json!({"MemberUin": o.svc, "PolicyName": "svc", "IdentityId": 1}),
    )["PolicyId"]
        .clone();
    enable(&p, HOST, o.id, TAG);
    p.ok(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        json!({"MemberUin": o.svc, "Email": "svc@example.com", "CountryCode": "86",
               "Phone": "18600000000"}),
    );
    p.ok(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [o.svc]}),
    );
    p.ok(
        V21,
        "DeleteOrganizationNodes",
        HOST,
        json!({"NodeId": [o.dept, o.team]}),
    );
    p.fails(
        V21,
        "DeleteOrganization",
        HOST,
        json!({}),
        "FailedOperation.OrganizationPolicyIsNotDisabled",
    );
    p.fails(
        V18,
        "DeleteOrganization",
        HOST,
        json!({}),
        "FailedOperation",
    );
    p.ok(
        V21,
        "DisablePolicyType",
        HOST,
        json!({"OrganizationId": o.id, "PolicyType": TAG}),
    );
    // The member left; its policy stays (the manager's) until deleted.
    p.fails(
        V21,
        "DeleteOrganization",
        HOST,
        json!({}),
        "FailedOperation.OrgMemberPolicyExist",
    );
    p.fails(
        V18,
        "DeleteOrganization",
        HOST,
        json!({}),
        "FailedOperation",
    );
    let auth = p.ok(
        V21,
        "DescribeOrganizationMembersAuthPolicy",
        HOST,
        json!({"Offset": 0, "Limit": 10, "PolicyId": policy}),
    );
    assert_eq!(auth["Total"], 0);
    p.ok(
        V21,
        "DeleteOrganizationMembersPolicy",
        HOST,
        json!({"PolicyId": policy}),
    );
    p.ok(V21, "DeleteOrganization", HOST, json!({}));
    // A new organization starts with nothing enabled.
    let again = org(&p, HOST);
    assert_eq!(
        p.ok(
            V21,
            "DescribePolicyConfig",
            HOST,
            json!({"OrganizationId": again.id, "Type": 1})
        )["Status"],
        0
    );
}

#[test]
fn the_state_round_trips_through_json() {
    let (p, o) = with_alice();
    enable(&p, HOST, o.id, SCP);
    let deny = create(&p, HOST, "deny_cvm", SCP, DENY_CVM);
    attach(&p, HOST, deny, "NODE", o.dept, SCP);
    p.ok(
        V21,
        "DetachPolicy",
        HOST,
        attach_params(FULL_ACCESS, "NODE", o.dept, SCP),
    );
    p.ok(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        json!({"MemberUin": o.svc, "PolicyName": "svc", "IdentityId": 1}),
    );
    let inner = p.world.inner.lock().unwrap();
    let saved = serde_json::to_string(&inner.policies).unwrap();
    let loaded: crate::state::policies::Policies = serde_json::from_str(&saved).unwrap();
    assert_eq!(serde_json::to_string(&loaded).unwrap(), saved);
    assert!(saved.contains("SERVICE_CONTROL_POLICY"));
}

// ---------------------------------------------------------------------------------------
// Each modelled business code, produced by its trigger.

const NO_ORG: &str = "ResourceNotFound.OrganizationNotExist";
const NOT_MANAGER: &str = "InvalidParameter.OrganizationMemberNotManager";

/// Documents that fail each check, for service control policies (faults named by the codes
/// `CreatePolicy` and `UpdatePolicy` document for them).
fn bad_scp_documents() -> Vec<(String, &'static str)> {
    let s = |body: &str| format!(r#"{{"version":"2.0","statement":[{body}]}}"#);
    vec![
        (
            "{not json".to_owned(),
            "InvalidParameter.PolicyDocumentError",
        ),
        (
            format!(
                r#"{{"version":"2.0","statement":[{{"effect":"allow","action":"*","resource":"{}"}}]}}"#,
                "x".repeat(6200)
            ),
            "InvalidParameter.PolicyDocumentLengthOverLimit",
        ),
        (
            r#"{"version":"1.0","statement":[]}"#.to_owned(),
            "InvalidParameter.VersionError",
        ),
        (
            r#"{"version":"2.0","statement":[]}"#.to_owned(),
            "InvalidParameter.StatementError",
        ),
        (
            s(r#"{"effect":"permit","action":"*","resource":"*"}"#),
            "InvalidParameter.EffectError",
        ),
        (
            s(r#"{"effect":"deny","resource":"*"}"#),
            "InvalidParameter.ActionMiss",
        ),
        (
            s(r#"{"effect":"deny","action":"cvm","resource":"*"}"#),
            "InvalidParameter.ActionError",
        ),
        (
            s(r#"{"effect":"deny","action":":Run","resource":"*"}"#),
            "InvalidParameter.ActionServiceNotExist",
        ),
        (
            s(r#"{"effect":"deny","action":"cvm:","resource":"*"}"#),
            "InvalidParameter.ActionNotExist",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":7}"#),
            "InvalidParameter.ResourceError",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"qcs::cvm"}"#),
            "InvalidParameter.ResourceQcsError",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"qcs:proj:cvm:::i/1"}"#),
            "InvalidParameter.ResourceProjectError",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"qcs:::::i/1"}"#),
            "InvalidParameter.ResourceServiceNotExist",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"qcs::cvm:nowhere::i/1"}"#),
            "InvalidParameter.ResourceRegionError",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"qcs::cvm::alice:i/1"}"#),
            "InvalidParameter.ResourceUinError",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"qcs::cvm:::"}"#),
            "InvalidParameter.ResourceContentError",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"*","principal":{"qcs":["*"]}}"#),
            "InvalidParameter.PrincipalError",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"*","condition":"x"}"#),
            "InvalidParameter.ConditionError",
        ),
        (
            s(r#"{"effect":"deny","action":"*","resource":"*","condition":{"equals":{"k":"v"}}}"#),
            "InvalidParameter.ConditionTypeError",
        ),
        (
            s(
                r#"{"effect":"deny","action":"*","resource":"*","condition":{"ip_equal":{"qcs:ip":{}}}}"#,
            ),
            "InvalidParameter.ConditionContentError",
        ),
    ]
}

fn bad_tag_documents() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            r#"{"tags":{"env":{"tag_key":"env","tag_value":"prod"}}}"#,
            "InvalidParameterValue.PolicyContentInvalid",
        ),
        (
            r#"{"tags":{"env":{"tag_key":"env"},"Env":{"tag_key":"Env"}}}"#,
            "InvalidParameter.PolicyKeyDuplicated",
        ),
        (
            r#"{"tags":{"tencent:env":{"tag_key":"tencent:env"}}}"#,
            "InvalidParameter.ReservedTagKey",
        ),
    ]
}

fn policy_type_errors() -> Seen {
    let (p, o) = with_alice();
    for action in ["EnablePolicyType", "DisablePolicyType"] {
        let params =
            |org_id: u64, kind: &str| json!({"OrganizationId": org_id, "PolicyType": kind});
        p.fails(V21, action, CAROL, params(4242, SCP), "ResourceNotFound");
        p.fails(V21, action, ALICE, params(o.id, SCP), NOT_MANAGER);
        p.fails(V21, action, BOB, params(o.id, SCP), NOT_MANAGER);
        p.fails(
            V21,
            action,
            HOST,
            params(o.id, "POLICY"),
            "InvalidParameter.ParamError",
        );
    }
    p.fails(
        V21,
        "DisablePolicyType",
        HOST,
        json!({"OrganizationId": o.id, "PolicyType": SCP}),
        "FailedOperation.OrganizationPolicyIsNotEnabled",
    );
    enable(&p, HOST, o.id, SCP);
    p.fails(
        V21,
        "EnablePolicyType",
        HOST,
        json!({"OrganizationId": o.id, "PolicyType": SCP}),
        "FailedOperation.OrganizationPolicyIsNotDisabled",
    );
    let config = |t: i64| json!({"OrganizationId": o.id, "Type": t});
    p.fails(
        V21,
        "DescribePolicyConfig",
        CAROL,
        json!({"OrganizationId": 4242}),
        NO_ORG,
    );
    p.fails(V21, "DescribePolicyConfig", ALICE, config(0), NOT_MANAGER);
    p.fails(
        V21,
        "DescribePolicyConfig",
        HOST,
        config(2),
        "InvalidParameter",
    );
    p.failed()
}

fn policy_errors() -> Seen {
    let (p, o) = with_alice();
    let create_params =
        |name: &str, kind: &str, doc: &str| json!({"Name": name, "Content": doc, "Type": kind});
    p.fails(
        V21,
        "CreatePolicy",
        CAROL,
        create_params("a", SCP, ALLOW_ALL),
        "ResourceNotFound",
    );
    p.fails(
        V21,
        "CreatePolicy",
        ALICE,
        create_params("a", SCP, ALLOW_ALL),
        "UnauthorizedOperation",
    );
    p.fails(
        V21,
        "CreatePolicy",
        HOST,
        create_params("a", "SCP", ALLOW_ALL),
        "InvalidParameter.ParamError",
    );
    p.fails(
        V21,
        "CreatePolicy",
        HOST,
        create_params("a", SCP, ALLOW_ALL),
        "FailedOperation.OrganizationPolicyIsNotEnabled",
    );
    enable(&p, HOST, o.id, SCP);
    enable(&p, HOST, o.id, TAG);
    for name in ["", "has space", &"n".repeat(129)] {
        p.fails(
            V21,
            "CreatePolicy",
            HOST,
            create_params(name, SCP, ALLOW_ALL),
            "InvalidParameter.PolicyNameError",
        );
    }
    p.fails(
        V21,
        "CreatePolicy",
        HOST,
        json!({"Name": "a", "Content": ALLOW_ALL, "Type": SCP, "Description": "d".repeat(301)}),
        "InvalidParameter",
    );
    for (doc, code) in bad_scp_documents() {
        p.fails(
            V21,
            "CreatePolicy",
            HOST,
            create_params("a", SCP, &doc),
            code,
        );
    }
    for (doc, code) in bad_tag_documents() {
        p.fails(
            V21,
            "CreatePolicy",
            HOST,
            create_params("a", TAG, doc),
            code,
        );
    }
    // The same CAM document is no tag policy.
    p.fails(
        V21,
        "CreatePolicy",
        HOST,
        create_params("a", TAG, ALLOW_ALL),
        "InvalidParameterValue.PolicyContentInvalid",
    );
    p.fails(
        V21,
        "CreatePolicy",
        HOST,
        create_params("FullQcloudAccess", SCP, ALLOW_ALL),
        "FailedOperation.PolicyNameInUse",
    );
    let deny = create(&p, HOST, "deny", SCP, DENY_CVM);
    let other = create(&p, HOST, "other", SCP, DENY_CVM);
    p.fails(
        V21,
        "CreatePolicy",
        HOST,
        create_params("deny", TAG, r#"{"tags":{"a":{"tag_key":"a"}}}"#),
        "FailedOperation.PolicyNameInUse",
    );

    // Describe.
    p.fails(
        V21,
        "DescribePolicy",
        CAROL,
        json!({"PolicyId": deny}),
        NO_ORG,
    );
    p.fails(
        V21,
        "DescribePolicy",
        ALICE,
        json!({"PolicyId": deny}),
        NOT_MANAGER,
    );
    p.fails(
        V21,
        "DescribePolicy",
        HOST,
        json!({"PolicyId": deny, "PolicyType": "x"}),
        "InvalidParameter",
    );
    p.fails(
        V21,
        "DescribePolicy",
        HOST,
        json!({"PolicyId": 4242}),
        "ResourceNotFound.PolicyNotExist",
    );

    // Update.
    let update = |extra: Value| {
        let mut params = json!({"PolicyId": deny});
        params
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        params
    };
    p.fails(
        V21,
        "UpdatePolicy",
        CAROL,
        update(json!({})),
        "ResourceNotFound",
    );
    p.fails(V21, "UpdatePolicy", ALICE, update(json!({})), NOT_MANAGER);
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        update(json!({"Type": "x"})),
        "InvalidParameter.ParamError",
    );
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        json!({"PolicyId": 4242, "Name": "x"}),
        "ResourceNotFound.PolicyNotExist",
    );
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        json!({"PolicyId": FULL_ACCESS, "Name": "x"}),
        "UnsupportedOperation",
    );
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        update(json!({"Name": "bad-name"})),
        "InvalidParameter.PolicyNameError",
    );
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        update(json!({"Description": "d".repeat(301)})),
        "InvalidParameter.DescriptionLengthOverlimit",
    );
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        update(json!({"Name": "other"})),
        "FailedOperation.PolicyNameInUse",
    );
    for (doc, code) in bad_scp_documents() {
        p.fails(
            V21,
            "UpdatePolicy",
            HOST,
            update(json!({"Content": doc})),
            code,
        );
    }
    let tags = create(&p, HOST, "tags", TAG, r#"{"tags":{"a":{"tag_key":"a"}}}"#);
    for (doc, code) in bad_tag_documents() {
        p.fails(
            V21,
            "UpdatePolicy",
            HOST,
            json!({"PolicyId": tags, "Content": doc}),
            code,
        );
    }
    // Nothing changed by the failures.
    let described = p.ok(V21, "DescribePolicy", HOST, json!({"PolicyId": deny}));
    assert_eq!(described["PolicyName"], "deny");
    assert_eq!(described["PolicyDocument"], DENY_CVM);

    // Delete.
    p.fails(
        V21,
        "DeletePolicy",
        CAROL,
        json!({"PolicyId": deny}),
        "ResourceNotFound",
    );
    p.fails(
        V21,
        "DeletePolicy",
        ALICE,
        json!({"PolicyId": deny}),
        NOT_MANAGER,
    );
    p.fails(
        V21,
        "DeletePolicy",
        HOST,
        json!({"PolicyId": deny, "Type": "x"}),
        "InvalidParameter.ParamError",
    );
    p.fails(
        V21,
        "DeletePolicy",
        HOST,
        json!({"PolicyId": deny, "Type": TAG}),
        "ResourceNotFound.PolicyNotExist",
    );
    p.fails(
        V21,
        "DeletePolicy",
        HOST,
        json!({"PolicyId": FULL_ACCESS}),
        "UnsupportedOperation",
    );
    attach(&p, HOST, other, "NODE", o.root, SCP);
    p.fails(
        V21,
        "DeletePolicy",
        HOST,
        json!({"PolicyId": other}),
        "FailedOperation.OrganizationPolicyInUsed",
    );

    // List.
    p.fails(V21, "ListPolicies", CAROL, json!({}), NO_ORG);
    p.fails(V21, "ListPolicies", ALICE, json!({}), NOT_MANAGER);
    for bad in [
        json!({"Rp": 0}),
        json!({"Page": 201}),
        json!({"Scope": "Mine"}),
        json!({"PolicyType": "x"}),
    ] {
        p.fails(V21, "ListPolicies", HOST, bad, "InvalidParameter");
    }

    // Disabled: its custom policies cannot be changed, deleted or attached.
    p.ok(
        V21,
        "DisablePolicyType",
        HOST,
        json!({"OrganizationId": o.id, "PolicyType": SCP}),
    );
    let gated = "FailedOperation.OrganizationPolicyIsNotEnabled";
    p.fails(
        V21,
        "UpdatePolicy",
        HOST,
        update(json!({"Name": "x"})),
        gated,
    );
    p.fails(V21, "DeletePolicy", HOST, json!({"PolicyId": deny}), gated);
    p.failed()
}

fn policy_limit_errors() -> Seen {
    let p = Probe::new();
    let o = org(&p, HOST);
    enable(&p, HOST, o.id, SCP);
    enable(&p, HOST, o.id, TAG);
    for (kind, doc, code) in [
        (SCP, DENY_CVM, "FailedOperation.PolicyFull"),
        (
            TAG,
            r#"{"tags":{"a":{"tag_key":"a"}}}"#,
            "LimitExceeded.TagPolicy",
        ),
    ] {
        for i in 0..1000 {
            create(&p, HOST, &format!("{kind}_{i}"), kind, doc);
        }
        p.fails(
            V21,
            "CreatePolicy",
            HOST,
            json!({"Name": "one_more", "Content": doc, "Type": kind}),
            code,
        );
    }
    p.failed()
}

fn attachment_errors() -> Seen {
    let (p, o) = with_alice();
    let params = attach_params;
    for action in ["AttachPolicy", "DetachPolicy"] {
        p.fails(
            V21,
            action,
            CAROL,
            params(FULL_ACCESS, "NODE", o.root, SCP),
            "ResourceNotFound",
        );
        p.fails(
            V21,
            action,
            ALICE,
            params(FULL_ACCESS, "NODE", o.root, SCP),
            NOT_MANAGER,
        );
        p.fails(
            V21,
            action,
            HOST,
            params(FULL_ACCESS, "UNIT", o.root, SCP),
            "InvalidParameter.ParamError",
        );
        p.fails(
            V21,
            action,
            HOST,
            params(FULL_ACCESS, "NODE", o.root, SCP),
            "FailedOperation.OrganizationPolicyIsNotEnabled",
        );
    }
    enable(&p, HOST, o.id, SCP);
    let ids: Vec<u64> = (0..5)
        .map(|i| create(&p, HOST, &format!("p{i}"), SCP, DENY_CVM))
        .collect();
    for action in ["AttachPolicy", "DetachPolicy"] {
        p.fails(
            V21,
            action,
            HOST,
            params(4242, "NODE", o.root, SCP),
            "ResourceNotFound.PolicyNotExist",
        );
    }
    p.fails(
        V21,
        "AttachPolicy",
        HOST,
        params(ids[0], "NODE", 4242, SCP),
        "ResourceNotFound.OrganizationNodeNotExist",
    );
    p.fails(
        V21,
        "AttachPolicy",
        HOST,
        params(ids[0], "MEMBER", BOB, SCP),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    // A unit's ID is no member's UIN.
    p.fails(
        V21,
        "AttachPolicy",
        HOST,
        params(ids[0], "MEMBER", o.dept, SCP),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    p.fails(
        V21,
        "DetachPolicy",
        HOST,
        params(ids[0], "NODE", 4242, SCP),
        "ResourceNotFound",
    );
    p.fails(
        V21,
        "DetachPolicy",
        HOST,
        params(ids[0], "MEMBER", BOB, SCP),
        "ResourceNotFound",
    );
    // FullQcloudAccess and four more fill the member; the fifth custom one does not fit.
    for &id in &ids[..4] {
        attach(&p, HOST, id, "MEMBER", ALICE, SCP);
    }
    p.fails(
        V21,
        "AttachPolicy",
        HOST,
        params(ids[4], "MEMBER", ALICE, SCP),
        "InvalidParameter.AttachmentFull",
    );
    p.fails(
        V21,
        "DetachPolicy",
        HOST,
        params(ids[4], "MEMBER", ALICE, SCP),
        "FailedOperation.OrganizationDetachPolicyError",
    );
    p.fails(
        V21,
        "DetachPolicy",
        HOST,
        params(FULL_ACCESS, "NODE", o.team, SCP),
        "FailedOperation.OrganizationDetachLastPolicyError",
    );

    // The lists.
    let by_policy = |policy: u64| json!({"PolicyId": policy});
    p.fails(
        V21,
        "ListTargetsForPolicy",
        CAROL,
        by_policy(FULL_ACCESS),
        NO_ORG,
    );
    p.fails(
        V21,
        "ListTargetsForPolicy",
        ALICE,
        by_policy(FULL_ACCESS),
        NOT_MANAGER,
    );
    p.fails(
        V21,
        "ListTargetsForPolicy",
        HOST,
        json!({"PolicyId": FULL_ACCESS, "TargetType": "Member"}),
        "InvalidParameter",
    );
    p.fails(
        V21,
        "ListTargetsForPolicy",
        HOST,
        json!({"PolicyId": FULL_ACCESS, "PolicyType": TAG}),
        "ResourceNotFound.PolicyNotExist",
    );
    let by_target = |target: u64| json!({"TargetId": target});
    p.fails(
        V21,
        "ListPoliciesForTarget",
        CAROL,
        by_target(o.root),
        NO_ORG,
    );
    p.fails(
        V21,
        "ListPoliciesForTarget",
        ALICE,
        by_target(o.root),
        NOT_MANAGER,
    );
    p.fails(
        V21,
        "ListPoliciesForTarget",
        HOST,
        json!({"TargetId": o.root, "Rp": 201}),
        "InvalidParameter",
    );
    // The manager's own account is no target.
    p.fails(
        V21,
        "ListPoliciesForTarget",
        HOST,
        by_target(HOST),
        "ResourceNotFound.NotFound",
    );
    p.failed()
}

fn effective_errors() -> Seen {
    let (p, o) = with_alice();
    let target = |id: u64| json!({"TargetId": id});
    p.fails(
        V21,
        "DescribeEffectivePolicy",
        CAROL,
        target(o.root),
        "InvalidParameter.OrganizationNotExist",
    );
    p.fails(
        V21,
        "DescribeEffectivePolicy",
        ALICE,
        target(o.root),
        NOT_MANAGER,
    );
    p.fails(
        V21,
        "DescribeEffectivePolicy",
        HOST,
        target(4242),
        "ResourceNotFound",
    );
    // Tag policies not enabled: none applies.
    p.fails(
        V21,
        "DescribeEffectivePolicy",
        HOST,
        target(ALICE),
        "ResourceNotFound.EffectivePolicyNotFound",
    );

    let list = |uin: u64| json!({"MaxResults": 10, "MemberUin": uin});
    p.fails(V21, "ListNonCompliantResource", CAROL, list(ALICE), NO_ORG);
    p.fails(
        V21,
        "ListNonCompliantResource",
        ALICE,
        list(ALICE),
        NOT_MANAGER,
    );
    p.fails(
        V21,
        "ListNonCompliantResource",
        HOST,
        json!({"MaxResults": 51, "MemberUin": ALICE}),
        "InvalidParameter",
    );
    p.fails(
        V21,
        "ListNonCompliantResource",
        HOST,
        json!({"MaxResults": 10, "MemberUin": ALICE, "PaginationToken": "fgh363"}),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "ListNonCompliantResource",
        HOST,
        list(BOB),
        "ResourceNotFound.MemberNotExist",
    );
    p.failed()
}

fn member_access_errors() -> Seen {
    let (p, o) = with_alice();
    let single = |uin: u64, name: &str, identity: i64| json!({"MemberUin": uin, "PolicyName": name, "IdentityId": identity});
    let multi = |uins: Vec<u64>, name: &str, identity: i64| json!({"MemberUins": uins, "PolicyName": name, "IdentityId": identity});
    for caller in [CAROL, ALICE] {
        p.fails(
            V21,
            "CreateOrganizationMemberPolicy",
            caller,
            single(o.svc, "a", 1),
            NO_ORG,
        );
        p.fails(
            V21,
            "CreateOrganizationMembersPolicy",
            caller,
            multi(vec![o.svc], "a", 1),
            NO_ORG,
        );
    }
    for name in ["", "no spaces", &"n".repeat(129)] {
        p.fails(
            V21,
            "CreateOrganizationMemberPolicy",
            HOST,
            single(o.svc, name, 1),
            "InvalidParameter",
        );
        p.fails(
            V21,
            "CreateOrganizationMembersPolicy",
            HOST,
            multi(vec![o.svc], name, 1),
            "InvalidParameter",
        );
    }
    p.fails(
        V21,
        "CreateOrganizationMembersPolicy",
        HOST,
        multi((0..11).map(|i| o.svc + i).collect(), "a", 1),
        "InvalidParameter",
    );
    p.fails(
        V21,
        "CreateOrganizationMembersPolicy",
        HOST,
        json!({"MemberUins": [o.svc], "PolicyName": "a", "IdentityId": 1, "Description": "d".repeat(129)}),
        "InvalidParameter",
    );
    p.fails(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        single(BOB, "a", 1),
        "ResourceNotFound.MemberNotExist",
    );
    p.fails(
        V21,
        "CreateOrganizationMembersPolicy",
        HOST,
        multi(vec![o.svc, BOB], "a", 1),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    // ALICE joined by invitation and holds no identity; svc holds identity 1 only.
    p.fails(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        single(ALICE, "a", 1),
        "ResourceNotFound.MemberIdentityNotExist",
    );
    p.fails(
        V21,
        "CreateOrganizationMembersPolicy",
        HOST,
        multi(vec![o.svc], "a", 2),
        "ResourceNotFound.MemberIdentityNotExist",
    );
    let id = p.ok(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        single(o.svc, "taken", 1),
    )["PolicyId"]
        .as_i64()
        .unwrap();
    p.fails(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        single(o.svc, "taken", 1),
        "FailedOperation.MemberPolicyNameExist",
    );
    p.fails(
        V21,
        "CreateOrganizationMembersPolicy",
        HOST,
        multi(vec![o.svc], "taken", 1),
        "FailedOperation.MemberPolicyNameExist",
    );

    // Update.
    let update = |uins: Vec<u64>, policy: i64, identity: i64| json!({"MemberUins": uins, "PolicyId": policy, "IdentityId": identity});
    p.fails(
        V21,
        "UpdateOrganizationMembersPolicy",
        CAROL,
        update(vec![o.svc], id, 1),
        NO_ORG,
    );
    p.fails(
        V21,
        "UpdateOrganizationMembersPolicy",
        HOST,
        update(vec![o.svc], 4242, 1),
        "ResourceNotFound.MemberPolicyNotExist",
    );
    p.fails(
        V21,
        "UpdateOrganizationMembersPolicy",
        HOST,
        update(vec![], id, 1),
        "InvalidParameter",
    );
    p.fails(
        V21,
        "UpdateOrganizationMembersPolicy",
        HOST,
        update(vec![BOB], id, 1),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    p.fails(
        V21,
        "UpdateOrganizationMembersPolicy",
        HOST,
        update(vec![ALICE], id, 1),
        "ResourceNotFound.MemberIdentityNotExist",
    );

    // Describe.
    let page = |uin: u64, limit: i64| json!({"Offset": 0, "Limit": limit, "MemberUin": uin});
    p.fails(
        V21,
        "DescribeOrganizationMemberPolicies",
        CAROL,
        page(o.svc, 10),
        NO_ORG,
    );
    p.fails(
        V21,
        "DescribeOrganizationMemberPolicies",
        HOST,
        page(o.svc, 0),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "DescribeOrganizationMemberPolicies",
        HOST,
        page(BOB, 10),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    p.fails(
        V21,
        "DescribeOrganizationMembersAuthPolicy",
        ALICE,
        json!({"Offset": 0, "Limit": 10}),
        NO_ORG,
    );
    p.fails(
        V21,
        "DescribeOrganizationMembersAuthPolicy",
        HOST,
        json!({"Offset": -1, "Limit": 10}),
        "InvalidParameterValue",
    );

    // Sub-accounts.
    let subs = |policy: i64, uins: Vec<u64>| json!({"PolicyId": policy, "OrgSubAccountUins": uins});
    for action in [
        "BindOrganizationPolicySubAccount",
        "CancelOrganizationPolicySubAccount",
    ] {
        p.fails(V21, action, CAROL, subs(id, vec![NOBODY]), NO_ORG);
        p.fails(
            V21,
            action,
            HOST,
            subs(4242, vec![NOBODY]),
            "ResourceNotFound.MemberPolicyNotExist",
        );
        p.fails(
            V21,
            action,
            HOST,
            subs(id, (0..6).map(|i| NOBODY - i).collect()),
            "InvalidParameter",
        );
    }
    p.fails(
        V21,
        "BindOrganizationPolicySubAccount",
        HOST,
        subs(id, vec![NOBODY, ALICE]),
        "FailedOperation.SubAccountNotExist",
    );
    p.fails(
        V21,
        "CancelOrganizationPolicySubAccount",
        HOST,
        subs(id, vec![NOBODY]),
        "FailedOperation.OperatePolicy",
    );

    // Delete.
    p.fails(
        V21,
        "DeleteOrganizationMembersPolicy",
        ALICE,
        json!({"PolicyId": id}),
        NO_ORG,
    );
    p.fails(
        V21,
        "DeleteOrganizationMembersPolicy",
        HOST,
        json!({"PolicyId": 4242}),
        "ResourceNotFound.MemberPolicyNotExist",
    );
    let mut seen = p.failed();
    seen.extend(organization_removal_errors());
    seen
}

/// What deleting the organization runs into here (both versions): an enabled type, then a
/// member access policy left by a member that is gone.
fn organization_removal_errors() -> Seen {
    let p = Probe::new();
    let org_id = p.org(HOST);
    let svc = p.created(HOST, p.root(HOST), "svc");
    let policy = p.ok(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        json!({"MemberUin": svc, "PolicyName": "svc", "IdentityId": 1}),
    )["PolicyId"]
        .clone();
    p.ok(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        json!({"MemberUin": svc, "Email": "svc@example.com", "CountryCode": "86",
               "Phone": "18600000000"}),
    );
    p.ok(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [svc]}),
    );
    enable(&p, HOST, org_id, SCP);
    for (kind, code) in [
        (SCP, "FailedOperation.OrganizationPolicyIsNotDisabled"),
        ("", "FailedOperation.OrgMemberPolicyExist"),
    ] {
        if kind.is_empty() {
            p.ok(
                V21,
                "DisablePolicyType",
                HOST,
                json!({"OrganizationId": org_id, "PolicyType": SCP}),
            );
        }
        p.fails(V21, "DeleteOrganization", HOST, json!({}), code);
        p.fails(
            V18,
            "DeleteOrganization",
            HOST,
            json!({}),
            "FailedOperation",
        );
    }
    p.ok(
        V21,
        "DeleteOrganizationMembersPolicy",
        HOST,
        json!({"PolicyId": policy}),
    );
    p.ok(V18, "DeleteOrganization", HOST, json!({}));
    p.failed()
}

/// Every trigger above, for the completeness check in `errors`.
pub(super) fn all_errors() -> Seen {
    let mut seen = Seen::new();
    for part in [
        policy_type_errors,
        policy_errors,
        policy_limit_errors,
        attachment_errors,
        effective_errors,
        member_access_errors,
    ] {
        seen.extend(part());
    }
    seen
}

#[test]
fn policy_type_errors_have_triggers() {
    policy_type_errors();
}

#[test]
fn policy_errors_have_triggers() {
    policy_errors();
}

#[test]
fn policy_limit_errors_have_triggers() {
    policy_limit_errors();
}

#[test]
fn attachment_errors_have_triggers() {
    attachment_errors();
}

#[test]
fn effective_policy_errors_have_triggers() {
    effective_errors();
}

#[test]
fn member_access_errors_have_triggers() {
    member_access_errors();
}
