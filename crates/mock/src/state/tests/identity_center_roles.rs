//! Role configurations: stored and read back field for field, listed with filters and paging,
//! their policies, their deployments; and each modelled business code by its trigger.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::identity_center_access::*;
use super::*;
use crate::state::TaskPolicy;

type Seen = BTreeSet<(Version, String, String)>;

/// The Identity Center access actions, for the zone checks every one of them makes.
pub(super) use crate::state::IDENTITY_CENTER_ACCESS_ACTIONS as ACTIONS;

fn info(answer: &Value) -> Value {
    answer["RoleConfigurationInfo"].clone()
}

fn get(p: &Probe, zone: &str, id: &str) -> Value {
    info(&ok(
        p,
        zone,
        "GetRoleConfiguration",
        json!({"RoleConfigurationId": id}),
    ))
}

fn names(list: &Value, member: &str, field: &str) -> Vec<String> {
    list[member]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[field].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_role_configuration_reads_back_field_for_field() {
    let (p, zone) = world();
    let created = info(&ok(
        &p,
        &zone,
        "CreateRoleConfiguration",
        json!({"RoleConfigurationName": "Admin-Access", "Description": "full access",
               "SessionDuration": 7200, "RelayState": "https://console.cloud.tencent.com/cam"}),
    ));
    let id = created["RoleConfigurationId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("rc-") && id.len() == 13, "{id}");
    assert_eq!(created["RoleConfigurationName"], "Admin-Access");
    assert_eq!(created["Description"], "full access");
    assert_eq!(created["SessionDuration"], 7200);
    assert_eq!(
        created["RelayState"],
        "https://console.cloud.tencent.com/cam"
    );
    assert_eq!(created["CreateTime"], "2021-04-16 11:49:39");
    assert_eq!(created["UpdateTime"], "2021-04-16 11:49:39");
    assert_eq!(created["IsSelected"], false);
    assert_eq!(get(&p, &zone, &id), created);

    // Documented defaults.
    let plain = info(&ok(
        &p,
        &zone,
        "CreateRoleConfiguration",
        json!({"RoleConfigurationName": "plain"}),
    ));
    assert_eq!(plain["SessionDuration"], 3600);
    assert_eq!(plain["RelayState"], "");
    assert_eq!(plain["Description"], "");

    p.now.set(NOW + 60);
    let updated = info(&ok(
        &p,
        &zone,
        "UpdateRoleConfiguration",
        json!({"RoleConfigurationId": id, "NewDescription": "read only",
               "NewSessionDuration": 900, "NewRelayState": ""}),
    ));
    assert_eq!(updated["Description"], "read only");
    assert_eq!(updated["SessionDuration"], 900);
    assert_eq!(updated["RelayState"], "");
    assert_eq!(updated["RoleConfigurationName"], "Admin-Access");
    assert_eq!(updated["CreateTime"], "2021-04-16 11:49:39");
    assert_eq!(updated["UpdateTime"], "2021-04-16 11:50:39");
    assert_eq!(get(&p, &zone, &id), updated);
    // Members left out stay as they were.
    let same = info(&ok(
        &p,
        &zone,
        "UpdateRoleConfiguration",
        json!({"RoleConfigurationId": id}),
    ));
    assert_eq!(same["Description"], "read only");
    assert_eq!(same["SessionDuration"], 900);

    ok(
        &p,
        &zone,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": id}),
    );
    fails(
        &p,
        &zone,
        "GetRoleConfiguration",
        json!({"RoleConfigurationId": id}),
        "InvalidParameter.RoleConfigurationNotExist",
    );
    let list = ok(&p, &zone, "ListRoleConfigurations", json!({}));
    assert_eq!(
        names(&list, "RoleConfigurations", "RoleConfigurationName"),
        ["plain"]
    );
}

#[test]
fn role_configurations_list_with_filters_and_paging() {
    let (p, zone) = world();
    for (name, description) in [
        ("ops-admin", "operations"),
        ("audit", "read OPS logs"),
        ("dev", ""),
    ] {
        ok(
            &p,
            &zone,
            "CreateRoleConfiguration",
            json!({"RoleConfigurationName": name, "Description": description}),
        );
    }
    let all = ok(&p, &zone, "ListRoleConfigurations", json!({}));
    assert_eq!(all["TotalCounts"], 3);
    assert_eq!(all["MaxResults"], 10);
    assert_eq!(all["IsTruncated"], false);
    assert_eq!(all["NextToken"], "");
    // Name or description, whatever the case.
    let ops = ok(
        &p,
        &zone,
        "ListRoleConfigurations",
        json!({"Filter": "Ops"}),
    );
    assert_eq!(
        names(&ops, "RoleConfigurations", "RoleConfigurationName"),
        ["ops-admin", "audit"]
    );
    assert_eq!(ops["TotalCounts"], 2);

    // A walk in pages of 4 over 23, adding one before each page, sees each once.
    for i in 0..20 {
        role(&p, &zone, &format!("bulk-{i:02}"));
    }
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut added = 0;
    loop {
        role(&p, &zone, &format!("late-{added}"));
        added += 1;
        let page = ok(
            &p,
            &zone,
            "ListRoleConfigurations",
            json!({"MaxResults": 4, "NextToken": token}),
        );
        let page_names = names(&page, "RoleConfigurations", "RoleConfigurationName");
        assert!(page_names.len() <= 4);
        seen.extend(page_names);
        if page["IsTruncated"] == false {
            break;
        }
        token = page["NextToken"].as_str().unwrap().to_owned();
    }
    let distinct: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), seen.len(), "no configuration twice");
    assert_eq!(seen.len(), 23 + added, "every one, the added ones too");
}

#[test]
fn permission_policies_are_kept_per_role_configuration() {
    let (p, zone) = world();
    let id = role(&p, &zone, "policies");
    let other = role(&p, &zone, "other");
    let add = |params: Value| {
        ok(
            &p,
            &zone,
            "AddPermissionPolicyToRoleConfiguration",
            with(json!({"RoleConfigurationId": id}), params),
        )
    };
    add(json!({"RolePolicyType": "System",
               "RolePolicies": [{"PolicyId": 1, "PolicyName": "AdministratorAccess"}],
               "RolePolicyNames": ["ReadOnlyAccess"]}));
    p.now.set(NOW + 5);
    add(
        json!({"RolePolicyType": "Custom", "RolePolicyNames": ["cvm-only"],
               "CustomPolicyDocument": "{\"version\":\"2.0\",\"statement\":[]}"}),
    );
    add(
        json!({"RolePolicyType": "Custom", "RolePolicyNames": ["a", "b"],
               "CustomPolicyDocuments": ["{\"a\":1}", "{\"b\":2}"]}),
    );
    let list = |params: Value| {
        ok(
            &p,
            &zone,
            "ListPermissionPoliciesInRoleConfiguration",
            with(json!({"RoleConfigurationId": id}), params),
        )
    };
    let all = list(json!({}));
    assert_eq!(all["TotalCounts"], 5);
    let policies = all["RolePolicies"].as_array().unwrap();
    assert_eq!(policies[0]["RolePolicyId"], 1);
    assert_eq!(policies[0]["RolePolicyName"], "AdministratorAccess");
    assert_eq!(policies[0]["RolePolicyType"], "System");
    assert_eq!(policies[0]["RolePolicyDocument"], "");
    assert_eq!(policies[0]["AddTime"], "2021-04-16 11:49:39");
    assert!(
        policies[1].get("RolePolicyId").is_none(),
        "added by name alone"
    );
    assert_eq!(policies[2]["RolePolicyName"], "cvm-only");
    assert_eq!(
        policies[2]["RolePolicyDocument"],
        "{\"version\":\"2.0\",\"statement\":[]}"
    );
    assert_eq!(policies[2]["AddTime"], "2021-04-16 11:49:44");
    assert!(policies[2]["RolePolicyId"].as_i64().unwrap() > 500_000_000);
    assert_eq!(policies[4]["RolePolicyDocument"], "{\"b\":2}");
    let custom = list(json!({"RolePolicyType": "Custom"}));
    assert_eq!(
        names(&custom, "RolePolicies", "RolePolicyName"),
        ["cvm-only", "a", "b"]
    );
    let filtered = list(json!({"Filter": "ACCESS"}));
    assert_eq!(
        names(&filtered, "RolePolicies", "RolePolicyName"),
        ["AdministratorAccess", "ReadOnlyAccess"]
    );
    // The other configuration holds none of them.
    let theirs = ok(
        &p,
        &zone,
        "ListPermissionPoliciesInRoleConfiguration",
        json!({"RoleConfigurationId": other}),
    );
    assert_eq!(theirs["TotalCounts"], 0);

    ok(
        &p,
        &zone,
        "UpdateCustomPolicyForRoleConfiguration",
        json!({"RoleConfigurationId": id, "CustomPolicyName": "cvm-only",
               "NewCustomPolicyDocument": "{\"version\":\"2.0\"}"}),
    );
    let custom = list(json!({"RolePolicyType": "Custom", "Filter": "cvm"}));
    assert_eq!(
        custom["RolePolicies"][0]["RolePolicyDocument"],
        "{\"version\":\"2.0\"}"
    );

    // Removed by ID (system), by name (custom, as the Terraform provider does with ID 0).
    let remove = |params: Value| {
        ok(
            &p,
            &zone,
            "RemovePermissionPolicyFromRoleConfiguration",
            with(json!({"RoleConfigurationId": id}), params),
        )
    };
    remove(json!({"RolePolicyType": "System", "RolePolicyId": 1}));
    remove(json!({"RolePolicyType": "Custom", "RolePolicyName": "cvm-only", "RolePolicyId": 0}));
    remove(json!({"RolePolicyType": "System", "RolePolicyName": "readonlyaccess"}));
    let left = list(json!({}));
    assert_eq!(names(&left, "RolePolicies", "RolePolicyName"), ["a", "b"]);
    // A configuration with policies cannot go; once they are removed it can.
    fails(
        &p,
        &zone,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": id}),
        "InvalidParameter.RolePolicyAlreadyExist",
    );
    for name in ["a", "b"] {
        remove(json!({"RolePolicyType": "Custom", "RolePolicyName": name}));
    }
    ok(
        &p,
        &zone,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": id}),
    );
}

#[test]
fn deployments_follow_provisioning_changes_and_dismantling() {
    let (p, zone) = world();
    let id = role(&p, &zone, "deployed");
    let other = role(&p, &zone, "elsewhere");
    provision(&p, &zone, &id, ALICE);
    p.now.set(NOW + 100);
    let manager = ok(
        &p,
        &zone,
        "ProvisionRoleConfiguration",
        json!({"RoleConfigurationId": id, "TargetType": "ManagerUin", "TargetUin": HOST}),
    );
    wait(&p, &zone, manager["Task"]["TaskId"].as_str().unwrap(), 5);
    provision(&p, &zone, &other, BOB);

    let all = deployments(&p, &zone, json!({}));
    assert_eq!(all.len(), 3);
    let alice = &all[0];
    assert_eq!(alice["RoleConfigurationId"], id.as_str());
    assert_eq!(alice["RoleConfigurationName"], "deployed");
    assert_eq!(alice["TargetUin"], ALICE);
    assert_eq!(alice["TargetType"], "MemberUin");
    assert_eq!(alice["TargetName"], "alice");
    assert_eq!(alice["DeploymentStatus"], "Deployed");
    assert_eq!(all[1]["TargetType"], "ManagerUin");
    assert_eq!(all[1]["TargetName"], "host_name");
    let by_role = deployments(&p, &zone, json!({"RoleConfigurationId": id}));
    assert_eq!(by_role.len(), 2);
    let on_bob = deployments(&p, &zone, json!({"TargetUin": BOB}));
    assert_eq!(on_bob.len(), 1);
    assert_eq!(on_bob[0]["RoleConfigurationName"], "elsewhere");
    let members_only = deployments(&p, &zone, json!({"TargetType": "MemberUin"}));
    assert_eq!(members_only.len(), 2);
    let named = deployments(&p, &zone, json!({"Filter": "ELSE"}));
    assert_eq!(named.len(), 1);

    // A change the deployed role lacks: redeploy needed; a description change is not one.
    ok(
        &p,
        &zone,
        "UpdateRoleConfiguration",
        json!({"RoleConfigurationId": id, "NewDescription": "text only"}),
    );
    assert!(deployments(&p, &zone, json!({"DeploymentStatus": "DeployedRequired"})).is_empty());
    ok(
        &p,
        &zone,
        "AddPermissionPolicyToRoleConfiguration",
        json!({"RoleConfigurationId": id, "RolePolicyType": "System", "RolePolicyNames": ["ReadOnlyAccess"]}),
    );
    let stale = deployments(&p, &zone, json!({"DeploymentStatus": "DeployedRequired"}));
    assert_eq!(stale.len(), 2);
    provision(&p, &zone, &id, ALICE);
    let stale = deployments(&p, &zone, json!({"DeploymentStatus": "DeployedRequired"}));
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["TargetType"], "ManagerUin");

    // Deployed configurations cannot be deleted.
    fails(
        &p,
        &zone,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": other}),
        "FailedOperation.RoleConfigurationProvisioningAlreadyDeployed",
    );
    let task = ok(
        &p,
        &zone,
        "DismantleRoleConfiguration",
        with(json!({"RoleConfigurationId": other}), member(BOB)),
    )["Task"]
        .clone();
    assert_eq!(task["TaskType"], "DeprovisionRoleConfiguration");
    assert_eq!(task["TaskStatus"], "InProgress");
    assert_eq!(
        deployments(&p, &zone, json!({"TargetUin": BOB})).len(),
        1,
        "until done"
    );
    assert_eq!(
        wait(&p, &zone, task["TaskId"].as_str().unwrap(), 5)["Status"],
        "Success"
    );
    assert!(deployments(&p, &zone, json!({"TargetUin": BOB})).is_empty());
    ok(
        &p,
        &zone,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": other}),
    );
}

#[test]
fn a_member_leaving_takes_its_deployments_with_it() {
    let (p, zone) = world();
    let id = role(&p, &zone, "leaving");
    provision(&p, &zone, &id, ALICE);
    provision(&p, &zone, &id, BOB);
    let org_id = p.ok(V21, "DescribeOrganization", BOB, json!({}))["OrgId"].clone();
    p.ok(V21, "QuitOrganization", BOB, json!({ "OrgId": org_id }));
    let left = deployments(&p, &zone, json!({}));
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["TargetUin"], ALICE);
    fails(
        &p,
        &zone,
        "ProvisionRoleConfiguration",
        with(json!({"RoleConfigurationId": id}), member(BOB)),
        "FailedOperation.OrganizationMemberNotExist",
    );
}

/// Every Identity Center access action before the caller opened a zone, and with another
/// zone's ID.
pub(super) fn zone_errors() -> Seen {
    let (p, zone) = world();
    p.org(CAROL);
    for action in ACTIONS {
        let example = tco_spec::action(V21, action).unwrap().example_request();
        let not_open = match action {
            "CreateUserSyncProvisioning" => "FailedOperation",
            _ => "FailedOperation.IdentityCenterNotOpen",
        };
        p.fails(V21, action, CAROL, example.clone(), not_open);
        let wrong = in_zone("z-notthisone", example);
        let not_exist = match action {
            "CreateUserSyncProvisioning" => "ResourceNotFound",
            _ => "FailedOperation.ZoneIdNotExist",
        };
        p.fails(V21, action, HOST, wrong, not_exist);
    }
    let _ = zone;
    p.failed()
}

pub(super) fn errors() -> Seen {
    let (p, zone) = world();
    let id = role(&p, &zone, "taken");
    let create =
        |params: Value, code: &str| fails(&p, &zone, "CreateRoleConfiguration", params, code);
    for bad in ["", "has space", "under_score", &"x".repeat(129)] {
        create(
            json!({"RoleConfigurationName": bad}),
            "InvalidParameter.ConfigurationNameFormatError",
        );
    }
    create(
        json!({"RoleConfigurationName": "TAKEN"}),
        "InvalidParameter.ConfigurationNameAlreadyExists",
    );
    for bad in [
        json!({"RoleConfigurationName": "s", "SessionDuration": 899}),
        json!({"RoleConfigurationName": "s", "SessionDuration": 43_201}),
        json!({"RoleConfigurationName": "s", "Description": "d".repeat(1025)}),
        json!({"RoleConfigurationName": "s", "RelayState": "https://example.com/"}),
        json!({"RoleConfigurationName": "s", "RelayState": "http://console.cloud.tencent.com"}),
        json!({"RoleConfigurationName": "s", "RelayState": "https://console.cloud.tencent.com.evil"}),
    ] {
        create(bad, "InvalidParameterValue");
    }
    let missing = json!({"RoleConfigurationId": "rc-missing"});
    for action in [
        "GetRoleConfiguration",
        "UpdateRoleConfiguration",
        "DeleteRoleConfiguration",
        "ListPermissionPoliciesInRoleConfiguration",
    ] {
        fails(
            &p,
            &zone,
            action,
            missing.clone(),
            "InvalidParameter.RoleConfigurationNotExist",
        );
    }
    fails(
        &p,
        &zone,
        "AddPermissionPolicyToRoleConfiguration",
        with(
            missing.clone(),
            json!({"RolePolicyType": "System", "RolePolicyNames": ["x"]}),
        ),
        "InvalidParameter.RoleConfigurationNotExist",
    );
    fails(
        &p,
        &zone,
        "RemovePermissionPolicyFromRoleConfiguration",
        with(
            missing.clone(),
            json!({"RolePolicyType": "System", "RolePolicyId": 1}),
        ),
        "InvalidParameter.RoleConfigurationNotExist",
    );
    fails(
        &p,
        &zone,
        "UpdateCustomPolicyForRoleConfiguration",
        with(
            missing.clone(),
            json!({"CustomPolicyName": "x", "NewCustomPolicyDocument": "{}"}),
        ),
        "InvalidParameter.RoleConfigurationNotExist",
    );
    // Not documented for provisioning: the common code.
    fails(
        &p,
        &zone,
        "ProvisionRoleConfiguration",
        with(missing, member(ALICE)),
        "ResourceNotFound",
    );
    fails(
        &p,
        &zone,
        "UpdateRoleConfiguration",
        json!({"RoleConfigurationId": id, "NewSessionDuration": 60}),
        "InvalidParameterValue",
    );
    // Lists.
    fails(
        &p,
        &zone,
        "ListRoleConfigurations",
        json!({"PrincipalId": "u-someone"}),
        "InvalidParameter.ParamError",
    );
    for action in [
        "ListRoleConfigurations",
        "ListRoleConfigurationProvisionings",
    ] {
        fails(
            &p,
            &zone,
            action,
            json!({"MaxResults": 0}),
            "InvalidParameterValue",
        );
        fails(
            &p,
            &zone,
            action,
            json!({"MaxResults": 101}),
            "InvalidParameterValue",
        );
        fails(
            &p,
            &zone,
            action,
            json!({"NextToken": "not-ours"}),
            "InvalidParameter.NextTokenInvalid",
        );
    }
    fails(
        &p,
        &zone,
        "ListRoleConfigurationProvisionings",
        json!({"DeploymentStatus": "Gone"}),
        "InvalidParameter.ParamError",
    );
    fails(
        &p,
        &zone,
        "ListRoleConfigurationProvisionings",
        json!({"TargetType": "Somebody"}),
        "InvalidParameter.ParamError",
    );
    policy_errors(&p, &zone, &id);
    deployment_errors(&p, &zone);
    p.failed()
}

fn policy_errors(p: &Probe, zone: &str, id: &str) {
    let add = |params: Value, code: &str| {
        fails(
            p,
            zone,
            "AddPermissionPolicyToRoleConfiguration",
            with(json!({"RoleConfigurationId": id}), params),
            code,
        )
    };
    const PARAM: &str = "InvalidParameter.ParamError";
    add(
        json!({"RolePolicyType": "Inline", "RolePolicyNames": ["x"]}),
        PARAM,
    );
    add(json!({"RolePolicyType": "System"}), PARAM);
    add(
        json!({"RolePolicyType": "System", "RolePolicies": [{"PolicyId": 0}]}),
        PARAM,
    );
    add(
        json!({"RolePolicyType": "System", "RolePolicyNames": [""]}),
        PARAM,
    );
    add(
        json!({"RolePolicyType": "System", "RolePolicyNames": (0..21).map(|i| format!("p{i}")).collect::<Vec<_>>()}),
        PARAM,
    );
    add(
        json!({"RolePolicyType": "Custom", "RolePolicyNames": ["a", "b"], "CustomPolicyDocument": "{}"}),
        PARAM,
    );
    add(
        json!({"RolePolicyType": "Custom", "RolePolicyNames": ["a", "b"], "CustomPolicyDocuments": ["{}"]}),
        PARAM,
    );
    add(
        json!({"RolePolicyType": "Custom", "RolePolicyNames": ["a"], "CustomPolicyDocument": "x".repeat(4097)}),
        PARAM,
    );
    add(
        json!({"RolePolicyType": "System", "RolePolicyNames": ["p".repeat(33)]}),
        "InvalidParameter.PolicyNameSizeOverUpperLimit",
    );
    add(
        json!({"RolePolicyType": "Custom", "RolePolicyNames": ["empty"]}),
        "InvalidParameter.PolicyDocumentEmpty",
    );
    add(
        json!({"RolePolicyType": "System", "RolePolicyNames": ["twice", "TWICE"]}),
        "InvalidParameter.PolicyNameAlreadyExists",
    );
    let ok_add = |params: Value| {
        ok(
            p,
            zone,
            "AddPermissionPolicyToRoleConfiguration",
            with(json!({"RoleConfigurationId": id}), params),
        );
    };
    ok_add(
        json!({"RolePolicyType": "System", "RolePolicies": [{"PolicyId": 7, "PolicyName": "seven"}]}),
    );
    add(
        json!({"RolePolicyType": "System", "RolePolicies": [{"PolicyId": 7, "PolicyName": "other-name"}]}),
        "InvalidParameter.PolicyNameAlreadyExists",
    );
    // 20 system policies at most: 1 held, 19 more fit, then none.
    ok_add(json!({"RolePolicyType": "System",
                  "RolePolicyNames": (0..19).map(|i| format!("sys{i}")).collect::<Vec<_>>()}));
    add(
        json!({"RolePolicyType": "System", "RolePolicyNames": ["one-too-many"]}),
        "FailedOperation.SystemPolicyOverUpperLimit",
    );
    ok_add(json!({"RolePolicyType": "Custom",
                  "RolePolicyNames": (0..10).map(|i| format!("c{i}")).collect::<Vec<_>>(),
                  "CustomPolicyDocuments": vec!["{}"; 10]}));
    add(
        json!({"RolePolicyType": "Custom", "RolePolicyNames": ["c10"], "CustomPolicyDocument": "{}"}),
        "FailedOperation.CustomPolicyOverUpperLimit",
    );
    add(
        json!({"RolePolicyType": "Custom", "RolePolicyNames": ["C0"], "CustomPolicyDocument": "{}"}),
        "InvalidParameter.PolicyNameAlreadyExists",
    );
    fails(
        p,
        zone,
        "ListPermissionPoliciesInRoleConfiguration",
        json!({"RoleConfigurationId": id, "RolePolicyType": "Inline"}),
        "InvalidParameterValue",
    );
    let remove = |params: Value, code: &str| {
        fails(
            p,
            zone,
            "RemovePermissionPolicyFromRoleConfiguration",
            with(json!({"RoleConfigurationId": id}), params),
            code,
        )
    };
    remove(json!({"RolePolicyType": "System"}), PARAM);
    remove(
        json!({"RolePolicyType": "Inline", "RolePolicyId": 7}),
        PARAM,
    );
    remove(
        json!({"RolePolicyType": "Custom", "RolePolicyId": 7}),
        "InvalidParameter.RolePolicyNotExist",
    );
    remove(
        json!({"RolePolicyType": "System", "RolePolicyName": "nothing"}),
        "InvalidParameter.RolePolicyNotExist",
    );
    let update = |params: Value, code: &str| {
        fails(
            p,
            zone,
            "UpdateCustomPolicyForRoleConfiguration",
            with(json!({"RoleConfigurationId": id}), params),
            code,
        )
    };
    update(
        json!({"CustomPolicyName": "nothing", "NewCustomPolicyDocument": "{}"}),
        "InvalidParameter.RolePolicyNotExist",
    );
    update(
        json!({"CustomPolicyName": "seven", "NewCustomPolicyDocument": "{}"}),
        "InvalidParameter.PolicyTypeError",
    );
    update(
        json!({"CustomPolicyName": "c1", "NewCustomPolicyDocument": ""}),
        "InvalidParameter.PolicyDocumentEmpty",
    );
    update(
        json!({"CustomPolicyName": "c1", "NewCustomPolicyDocument": "x".repeat(4097)}),
        "InvalidParameterValue",
    );
    fails(
        p,
        zone,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": id}),
        "InvalidParameter.RolePolicyAlreadyExist",
    );
}

fn deployment_errors(p: &Probe, zone: &str) {
    let id = role(p, zone, "deploy-errors");
    let on = |target: Value| with(json!({"RoleConfigurationId": id}), target);
    for (target, code) in [
        (member(CAROL), "FailedOperation.OrganizationMemberNotExist"),
        (
            json!({"TargetType": "ManagerUin", "TargetUin": ALICE}),
            "FailedOperation.OrganizationMemberNotExist",
        ),
        (
            json!({"TargetType": "Somebody", "TargetUin": ALICE}),
            "InvalidParameterValue",
        ),
    ] {
        fails(
            p,
            zone,
            "ProvisionRoleConfiguration",
            on(target.clone()),
            code,
        );
        fails(p, zone, "DismantleRoleConfiguration", on(target), code);
    }
    fails(
        p,
        zone,
        "DismantleRoleConfiguration",
        on(member(ALICE)),
        "ResourceNotFound.RoleConfigurationProvisioningNotFound",
    );
    provision(p, zone, &id, ALICE);
    fails(
        p,
        zone,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": id}),
        "FailedOperation.RoleConfigurationProvisioningAlreadyDeployed",
    );
    // A redeployment in progress: dismantling waits for it.
    ok(p, zone, "ProvisionRoleConfiguration", on(member(ALICE)));
    fails(
        p,
        zone,
        "DismantleRoleConfiguration",
        on(member(ALICE)),
        "FailedOperation.RoleConfigurationProvisioningStatusError",
    );
}

/// The role configuration limit, by creating up to it.
pub(super) fn limit_errors() -> Seen {
    let (p, zone) = world();
    p.world.set_task_policy(TaskPolicy::immediately());
    for i in 0..crate::state::identity_center::roles::MAX_ROLE_CONFIGURATIONS {
        role(&p, &zone, &format!("r{i}"));
    }
    fails(
        &p,
        &zone,
        "CreateRoleConfiguration",
        json!({"RoleConfigurationName": "one-more"}),
        "FailedOperation.ConfigurationOverUpperLimit",
    );
    p.failed()
}

#[test]
fn zone_error_triggers() {
    zone_errors();
}

#[test]
fn role_configuration_error_triggers() {
    errors();
}

#[test]
fn role_configuration_limit_trigger() {
    limit_errors();
}
