//! Unified member login through [`Probe`]: each modelled business code by its trigger, the
//! identity lifecycle read back, and the presets agreeing with the contract's examples.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;
use crate::state::member_login::model::{presets, MAX_IDENTITIES};

type Seen = BTreeSet<(Version, String, String)>;

const NO_ORG: &str = "ResourceNotFound.OrganizationNotExist";
/// A UIN no account has: a sub-account of the manager.
const SUB: u64 = 300_000_000_009;

fn preset_policy() -> Value {
    json!([{"PolicyId": 1, "PolicyName": "AdministratorAccess"}])
}

fn vpc_document() -> String {
    json!({"version": "2.0", "statement": [{"effect": "allow", "action": ["vpc:*"], "resource": ["*"]}]})
        .to_string()
}

fn custom_policy(document: &str) -> Value {
    json!([{"PolicyType": 1, "PolicyDocument": document}])
}

fn identity(name: &str, policies: Value) -> Value {
    json!({"IdentityAliasName": name, "Description": "d", "IdentityPolicy": policies})
}

/// A probe where HOST manages an organization with ALICE (invited) and a created member.
fn world() -> (Probe, u64) {
    let p = Probe::new();
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    let created = p.created(HOST, p.root(HOST), "created");
    (p, created)
}

fn create_identity(p: &Probe, name: &str) -> u64 {
    p.ok(
        V21,
        "CreateOrganizationIdentity",
        HOST,
        identity(name, preset_policy()),
    )["IdentityId"]
        .as_u64()
        .unwrap()
}

fn grant(uins: &[u64], ids: &[u64]) -> Value {
    json!({"MemberUins": uins, "IdentityIds": ids})
}

fn list(p: &Probe, caller: u64, params: Value) -> Value {
    p.ok(V21, "ListOrganizationIdentity", caller, params)
}

/// Identities and grants from creation to deletion, each change read back by another action.
pub(super) fn lifecycle(p: &Probe) {
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    let created = p.created(HOST, p.root(HOST), "created");

    // The preset identity exists in every organization and is granted to created members.
    let all = list(p, HOST, json!({"Offset": 0, "Limit": 10}));
    assert_eq!(all["Total"], 1);
    assert_eq!(all["Items"][0]["IdentityId"], 1);
    assert_eq!(all["Items"][0]["IdentityType"], 1);
    assert_eq!(
        all["Items"][0]["IdentityPolicy"][0]["PolicyName"],
        "AdministratorAccess"
    );

    let doc = vpc_document();
    let ops = p.ok(
        V21,
        "CreateOrganizationIdentity",
        HOST,
        json!({"IdentityAliasName": "network_ops", "Description": "network operators",
               "IdentityPolicy": [{"PolicyType": 1, "PolicyDocument": doc}]}),
    )["IdentityId"]
        .as_u64()
        .unwrap();
    assert_eq!(ops, 101);
    let found = list(
        p,
        ALICE,
        json!({"Offset": 0, "Limit": 10, "SearchKey": "NETWORK"}),
    );
    assert_eq!(found["Total"], 1, "members read, search ignores case");
    let item = &found["Items"][0];
    assert_eq!(item["IdentityId"], ops);
    assert_eq!(item["IdentityAliasName"], "network_ops");
    assert_eq!(item["Description"], "network operators");
    assert_eq!(item["IdentityType"], 2);
    assert_eq!(item["IdentityPolicy"][0]["PolicyType"], 1);
    assert_eq!(item["IdentityPolicy"][0]["PolicyDocument"], doc);
    assert_eq!(item["UpdateTime"], "2021-04-16 11:49:39");

    p.now.set(NOW + 60);
    p.ok(
        V21,
        "UpdateOrganizationIdentity",
        HOST,
        json!({"IdentityId": ops, "Description": "admins now", "IdentityPolicy": preset_policy()}),
    );
    let updated = list(
        p,
        HOST,
        json!({"Offset": 0, "Limit": 10, "IdentityId": ops}),
    );
    assert_eq!(updated["Items"][0]["Description"], "admins now");
    assert_eq!(updated["Items"][0]["IdentityPolicy"][0]["PolicyType"], 2);
    assert_eq!(updated["Items"][0]["UpdateTime"], "2021-04-16 11:50:39");
    let custom = list(
        p,
        HOST,
        json!({"Offset": 0, "Limit": 10, "IdentityType": 2}),
    );
    assert_eq!(custom["Total"], 1);

    // Grant to both members (twice: nothing changes), read back from both sides.
    p.now.set(NOW + 120);
    for _ in 0..2 {
        p.ok(
            V21,
            "CreateOrganizationMemberAuthIdentity",
            HOST,
            grant(&[ALICE, created], &[ops]),
        );
    }
    let by_identity = p.ok(
        V21,
        "DescribeOrganizationMemberAuthIdentities",
        HOST,
        json!({"Offset": 0, "Limit": 10, "IdentityId": ops}),
    );
    assert_eq!(by_identity["Total"], 2);
    let uins: Vec<u64> = by_identity["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["MemberUin"].as_u64().unwrap())
        .collect();
    assert_eq!(uins, [ALICE, created]);
    assert_eq!(by_identity["Items"][0]["MemberName"], "alice");
    assert_eq!(
        by_identity["Items"][0]["IdentityRoleAliasName"],
        "network_ops"
    );
    assert_eq!(by_identity["Items"][0]["CreateTime"], "2021-04-16 11:51:39");
    let by_member = p.ok(
        V21,
        "DescribeOrganizationMemberAuthIdentities",
        HOST,
        json!({"Offset": 0, "Limit": 10, "MemberUin": created}),
    );
    assert_eq!(by_member["Total"], 2, "the preset one and the new one");
    assert_eq!(by_member["Items"][0]["IdentityId"], 1);
    assert_eq!(
        by_member["Items"][0]["CreateTime"], "2021-04-16 11:49:39",
        "granted at creation"
    );
    let members = p.ok(
        V21,
        "DescribeOrganizationMembers",
        HOST,
        json!({"Offset": 0, "Limit": 10, "SearchKey": "alice"}),
    );
    assert_eq!(
        members["Items"][0]["OrgIdentity"],
        json!([{"IdentityId": ops, "IdentityAliasName": "network_ops"}])
    );

    // A sub-account of the manager logs in to the created member with the identity, through
    // a member access policy; the grant cannot be revoked while the policy uses it.
    let policy = p.ok(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        json!({"MemberUin": created, "PolicyName": "ops_login", "IdentityId": ops}),
    )["PolicyId"]
        .clone();
    p.now.set(NOW + 180);
    p.ok(
        V21,
        "BindOrganizationMemberAuthAccount",
        HOST,
        json!({"MemberUin": created, "PolicyId": policy, "OrgSubAccountUins": [SUB, SUB]}),
    );
    let bound = p.ok(
        V21,
        "DescribeOrganizationMemberAuthAccounts",
        HOST,
        json!({"Offset": 0, "Limit": 10, "MemberUin": created, "PolicyId": policy}),
    );
    assert_eq!(bound["Total"], 1);
    let row = &bound["Items"][0];
    assert_eq!(row["OrgSubAccountUin"], SUB);
    assert_eq!(row["PolicyName"], "ops_login");
    assert_eq!(row["IdentityId"], ops);
    assert_eq!(row["IdentityRoleAliasName"], "network_ops");
    assert_eq!(
        row["IdentityRoleName"],
        format!("OrganizationAccessControlRole_{ops}")
    );
    assert_eq!(row["CreateTime"], "2021-04-16 11:52:39");
    // The policies area sees the same binding.
    let from_policies = p.ok(
        V21,
        "DescribeOrganizationMembersAuthPolicy",
        HOST,
        json!({"Offset": 0, "Limit": 10, "PolicyId": policy}),
    );
    assert_eq!(from_policies["Items"][0]["OrgSubAccountUin"], SUB);
    p.fails(
        V21,
        "DeleteOrganizationMemberAuthIdentity",
        HOST,
        json!({"MemberUin": created, "IdentityId": ops}),
        "FailedOperation.MemberIdentityAuthUsed",
    );
    p.ok(
        V21,
        "CancelOrganizationMemberAuthAccount",
        HOST,
        json!({"MemberUin": created, "PolicyId": policy, "OrgSubAccountUin": SUB}),
    );
    let none = p.ok(
        V21,
        "DescribeOrganizationMemberAuthAccounts",
        HOST,
        json!({"Offset": 0, "Limit": 10, "MemberUin": created, "PolicyId": policy}),
    );
    assert_eq!(none["Total"], 0);
    p.ok(
        V21,
        "DeleteOrganizationMembersPolicy",
        HOST,
        json!({ "PolicyId": policy }),
    );

    // Revoke, then delete.
    for uin in [ALICE, created] {
        p.ok(
            V21,
            "DeleteOrganizationMemberAuthIdentity",
            HOST,
            json!({"MemberUin": uin, "IdentityId": ops}),
        );
    }
    let none = p.ok(
        V21,
        "DescribeOrganizationMemberAuthIdentities",
        HOST,
        json!({"Offset": 0, "Limit": 10, "IdentityId": ops}),
    );
    assert_eq!(none["Total"], 0);
    p.ok(
        V21,
        "DeleteOrganizationIdentity",
        HOST,
        json!({"IdentityId": ops}),
    );
    assert_eq!(list(p, HOST, json!({"Offset": 0, "Limit": 10}))["Total"], 1);
}

#[test]
fn identity_lifecycle() {
    lifecycle(&Probe::new());
}

pub(super) fn errors() -> Seen {
    let (p, created) = world();
    let ops = create_identity(&p, "ops");
    let doc = vpc_document();

    // CreateOrganizationIdentity.
    let create = |caller, params, code| {
        p.fails(V21, "CreateOrganizationIdentity", caller, params, code);
    };
    create(CAROL, identity("x", preset_policy()), NO_ORG);
    create(ALICE, identity("x", preset_policy()), NO_ORG);
    create(HOST, identity("", preset_policy()), "InvalidParameterValue");
    create(
        HOST,
        identity(&"n".repeat(65), preset_policy()),
        "InvalidParameterValue",
    );
    create(
        HOST,
        json!({"IdentityAliasName": "x", "Description": "d".repeat(129), "IdentityPolicy": preset_policy()}),
        "InvalidParameterValue",
    );
    create(
        HOST,
        identity(
            "x",
            json!([{"PolicyType": 3, "PolicyId": 1, "PolicyName": "AdministratorAccess"}]),
        ),
        "InvalidParameterValue",
    );
    create(HOST, identity("x", json!([])), "InvalidParameter");
    create(
        HOST,
        identity("x", custom_policy("{\"version\":\"1.0\"}")),
        "InvalidParameter",
    );
    create(
        HOST,
        identity(
            "x",
            json!([{"PolicyId": 1, "PolicyName": "ReadOnlyAccess"}]),
        ),
        "ResourceNotFound.PolicyNotExist",
    );
    create(
        HOST,
        identity(
            "x",
            json!([{"PolicyId": 99, "PolicyName": "AdministratorAccess"}]),
        ),
        "ResourceNotFound.PolicyNotExist",
    );
    create(
        HOST,
        identity("ops", preset_policy()),
        "FailedOperation.OrganizationIdentityNameUsed",
    );
    create(
        HOST,
        identity("Administrator", preset_policy()),
        "FailedOperation.OrganizationIdentityNameUsed",
    );
    for i in 1..MAX_IDENTITIES {
        create_identity(&p, &format!("extra{i}"));
    }
    create(
        HOST,
        identity("one_too_many", custom_policy(&doc)),
        "LimitExceeded.IdentityExceedLimit",
    );

    // UpdateOrganizationIdentity.
    let update = |caller, id: u64, policies: Value, code| {
        p.fails(
            V21,
            "UpdateOrganizationIdentity",
            caller,
            json!({"IdentityId": id, "Description": "d", "IdentityPolicy": policies}),
            code,
        );
    };
    update(CAROL, ops, preset_policy(), NO_ORG);
    update(
        HOST,
        9999,
        preset_policy(),
        "ResourceNotFound.OrganizationIdentityNotExist",
    );
    update(HOST, 1, preset_policy(), "UnsupportedOperation");
    update(HOST, ops, json!([]), "InvalidParameter");
    update(
        HOST,
        ops,
        custom_policy("{\"version\":\"2.0\",\"statement\":[{\"effect\":\"allow\"}]}"),
        "InvalidParameter",
    );
    update(
        HOST,
        ops,
        json!([{"PolicyId": 2, "PolicyName": "x"}]),
        "ResourceNotFound.PolicyNotExist",
    );
    update(
        HOST,
        ops,
        json!([{"PolicyType": 0}]),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "UpdateOrganizationIdentity",
        HOST,
        json!({"IdentityId": ops, "Description": "d".repeat(129), "IdentityPolicy": preset_policy()}),
        "InvalidParameterValue",
    );

    // Grants.
    let grant_fails = |caller, params, code| {
        p.fails(
            V21,
            "CreateOrganizationMemberAuthIdentity",
            caller,
            params,
            code,
        );
    };
    grant_fails(CAROL, grant(&[ALICE], &[ops]), NO_ORG);
    grant_fails(HOST, grant(&[], &[ops]), "InvalidParameterValue");
    let eleven: Vec<u64> = (1..=11).collect();
    grant_fails(HOST, grant(&eleven, &[ops]), "InvalidParameterValue");
    grant_fails(
        HOST,
        grant(&[ALICE], &[1, 2, 3, 4, 5, 6]),
        "InvalidParameterValue",
    );
    grant_fails(
        HOST,
        grant(&[ALICE, BOB], &[ops]),
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    grant_fails(
        HOST,
        grant(&[ALICE], &[ops, 9999]),
        "ResourceNotFound.OrganizationIdentityNotExist",
    );
    p.ok(
        V21,
        "CreateOrganizationMemberAuthIdentity",
        HOST,
        grant(&[ALICE], &[ops]),
    );

    let revoke = |caller, uin: u64, id: u64, code| {
        p.fails(
            V21,
            "DeleteOrganizationMemberAuthIdentity",
            caller,
            json!({"MemberUin": uin, "IdentityId": id}),
            code,
        );
    };
    revoke(ALICE, ALICE, ops, NO_ORG);
    revoke(
        HOST,
        ALICE,
        9999,
        "ResourceNotFound.OrganizationIdentityNotExist",
    );
    revoke(
        HOST,
        created,
        ops,
        "ResourceNotFound.MemberIdentityNotExist",
    );
    revoke(HOST, BOB, ops, "ResourceNotFound.MemberIdentityNotExist");

    // Sub-account bindings, through member access policies of the created member.
    p.ok(
        V21,
        "CreateOrganizationMemberAuthIdentity",
        HOST,
        grant(&[created], &[ops]),
    );
    let policy_for = |name: &str, identity: u64| {
        p.ok(
            V21,
            "CreateOrganizationMemberPolicy",
            HOST,
            json!({"MemberUin": created, "PolicyName": name, "IdentityId": identity}),
        )["PolicyId"]
            .as_u64()
            .unwrap()
    };
    let (first, second) = (policy_for("first", 1), policy_for("second", ops));
    let alices = p.ok(
        V21,
        "CreateOrganizationMemberPolicy",
        HOST,
        json!({"MemberUin": ALICE, "PolicyName": "alices", "IdentityId": ops}),
    )["PolicyId"]
        .as_u64()
        .unwrap();
    let bind = |caller, member: u64, policy: u64, subs: Value, code| {
        p.fails(
            V21,
            "BindOrganizationMemberAuthAccount",
            caller,
            json!({"MemberUin": member, "PolicyId": policy, "OrgSubAccountUins": subs}),
            code,
        );
    };
    bind(CAROL, created, first, json!([SUB]), NO_ORG);
    bind(
        HOST,
        BOB,
        first,
        json!([SUB]),
        "ResourceNotFound.MemberNotExist",
    );
    bind(
        HOST,
        created,
        999,
        json!([SUB]),
        "ResourceNotFound.MemberPolicyNotExist",
    );
    bind(
        HOST,
        created,
        alices,
        json!([SUB]),
        "ResourceNotFound.MemberPolicyNotExist",
    );
    bind(HOST, created, first, json!([]), "InvalidParameterValue");
    bind(
        HOST,
        created,
        first,
        json!([SUB, SUB + 1, SUB + 2, SUB + 3, SUB + 4, SUB + 5]),
        "InvalidParameterValue",
    );
    bind(
        HOST,
        created,
        first,
        json!([SUB, ALICE]),
        "FailedOperation.SubAccountNotExist",
    );
    bind(
        HOST,
        created,
        first,
        json!([0]),
        "FailedOperation.SubAccountNotExist",
    );
    p.ok(
        V21,
        "BindOrganizationMemberAuthAccount",
        HOST,
        json!({"MemberUin": created, "PolicyId": first, "OrgSubAccountUins": [SUB]}),
    );
    bind(
        HOST,
        created,
        second,
        json!([SUB + 1, SUB]),
        "FailedOperation.SubAccountIdentityExist",
    );
    revoke(HOST, created, ops, "FailedOperation.MemberIdentityAuthUsed");
    let cancel = |caller, member: u64, policy: u64, sub: u64, code| {
        p.fails(
            V21,
            "CancelOrganizationMemberAuthAccount",
            caller,
            json!({"MemberUin": member, "PolicyId": policy, "OrgSubAccountUin": sub}),
            code,
        );
    };
    cancel(ALICE, created, first, SUB, NO_ORG);
    cancel(HOST, BOB, first, SUB, "ResourceNotFound.MemberNotExist");
    cancel(
        HOST,
        created,
        second + 100,
        SUB,
        "ResourceNotFound.MemberPolicyNotExist",
    );
    cancel(HOST, created, second, SUB, "FailedOperation.OperatePolicy");
    let accounts = |caller, params, code| {
        p.fails(
            V21,
            "DescribeOrganizationMemberAuthAccounts",
            caller,
            params,
            code,
        );
    };
    accounts(
        CAROL,
        json!({"Offset": 0, "Limit": 10, "MemberUin": created, "PolicyId": first}),
        NO_ORG,
    );
    accounts(
        HOST,
        json!({"Offset": 0, "Limit": 0, "MemberUin": created, "PolicyId": first}),
        "InvalidParameterValue",
    );
    // Another member's policy: nothing bound to this member through it.
    let other = p.ok(
        V21,
        "DescribeOrganizationMemberAuthAccounts",
        HOST,
        json!({"Offset": 0, "Limit": 10, "MemberUin": created, "PolicyId": alices}),
    );
    assert_eq!(other["Total"], 0);

    // DeleteOrganizationIdentity.
    let delete = |caller, id: u64, code| {
        p.fails(
            V21,
            "DeleteOrganizationIdentity",
            caller,
            json!({"IdentityId": id}),
            code,
        );
    };
    delete(ALICE, ops, NO_ORG);
    delete(HOST, 9999, "ResourceNotFound.OrganizationIdentityNotExist");
    delete(HOST, 1, "UnsupportedOperation");
    delete(HOST, ops, "FailedOperation.OrganizationIdentityInUsed");

    // Reads.
    p.fails(
        V21,
        "ListOrganizationIdentity",
        CAROL,
        json!({"Offset": 0, "Limit": 10}),
        NO_ORG,
    );
    p.fails(
        V21,
        "ListOrganizationIdentity",
        HOST,
        json!({"Offset": 0, "Limit": 51}),
        "InvalidParameterValue",
    );
    p.fails(
        V21,
        "ListOrganizationIdentity",
        HOST,
        json!({"Offset": 0, "Limit": 10, "IdentityType": 3}),
        "InvalidParameterValue",
    );
    let describe = |caller, params, code| {
        p.fails(
            V21,
            "DescribeOrganizationMemberAuthIdentities",
            caller,
            params,
            code,
        );
    };
    describe(
        CAROL,
        json!({"Offset": 0, "Limit": 10, "MemberUin": ALICE}),
        NO_ORG,
    );
    describe(
        HOST,
        json!({"Offset": 0, "Limit": 0, "MemberUin": ALICE}),
        "InvalidParameterValue",
    );
    describe(HOST, json!({"Offset": 0, "Limit": 10}), "InvalidParameter");
    p.failed()
}

#[test]
fn member_login_errors() {
    errors();
}

/// Created members get only the identities their organization has; a member that leaves takes
/// its grants along, and the identity can then go.
#[test]
fn grants_follow_members() {
    let (p, _) = world();
    let ops = create_identity(&p, "ops");
    let member = p.ok(
        V21,
        "CreateOrganizationMember",
        HOST,
        json!({"Name": "svc", "PolicyType": "Financial", "PermissionIds": [1, 2],
               "NodeId": p.root(HOST), "AccountName": "svc", "IdentityRoleID": [ops, 42, ops]}),
    )["Uin"]
        .as_u64()
        .unwrap();
    let held = p.ok(
        V21,
        "DescribeOrganizationMemberAuthIdentities",
        HOST,
        json!({"Offset": 0, "Limit": 10, "MemberUin": member}),
    );
    assert_eq!(held["Total"], 1);
    assert_eq!(held["Items"][0]["IdentityId"], ops);
    p.fails(
        V21,
        "DeleteOrganizationIdentity",
        HOST,
        json!({"IdentityId": ops}),
        "FailedOperation.OrganizationIdentityInUsed",
    );
    p.ok(
        V21,
        "CreateOrganizationMemberAuthIdentity",
        HOST,
        grant(&[ALICE], &[ops]),
    );
    let org_id = p.ok(V21, "DescribeOrganization", HOST, json!({}))["OrgId"].clone();
    p.ok(V21, "QuitOrganization", ALICE, json!({ "OrgId": org_id }));
    p.fails(
        V21,
        "DeleteOrganizationIdentity",
        HOST,
        json!({"IdentityId": ops}),
        "FailedOperation.OrganizationIdentityInUsed",
    );
    p.ok(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        json!({"MemberUin": member, "Email": "svc@example.com", "CountryCode": "86", "Phone": "1"}),
    );
    p.ok(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [member]}),
    );
    p.ok(
        V21,
        "DeleteOrganizationIdentity",
        HOST,
        json!({"IdentityId": ops}),
    );
    let left = list(&p, HOST, json!({"Offset": 0, "Limit": 10}));
    assert_eq!(left["Total"], 1, "only the preset identity");
    assert!(p.world.lock().member_login.grants.is_empty());
}

/// The preset identity's policy is the one the contract's examples show (PolicyId 1,
/// AdministratorAccess), and the presets file parses.
#[test]
fn presets_agree_with_the_contract() {
    let example = tco_spec::action(V21, "CreateOrganizationIdentity")
        .unwrap()
        .example_request();
    let policy = &example["IdentityPolicy"][0];
    let preset = &presets().identities[0];
    assert_eq!(preset.identity_id, 1);
    assert_eq!(
        json!(preset.identity_policy[0].policy_id),
        policy["PolicyId"]
    );
    assert_eq!(
        json!(preset.identity_policy[0].policy_name),
        policy["PolicyName"]
    );
    assert!(presets()
        .cam_policies
        .iter()
        .any(|c| json!(c.policy_id) == policy["PolicyId"]
            && json!(c.policy_name) == policy["PolicyName"]));
}
