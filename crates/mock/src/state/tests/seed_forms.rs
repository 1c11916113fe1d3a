//! The example seed writes every area in its seed form: each area answers through the API
//! what the file says (the expected values below are the file's, `examples/world.toml`),
//! the world survives export and import with the same answers, and a bad entry of each seed
//! form is refused with one line naming it.

use serde_json::{json, Value};

use super::*;
use crate::state::{Format, WorldDoc};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/world.toml");
const ZONE: &str = "z-seedzone0001";

fn seeded() -> Probe {
    let doc = WorldDoc::load(std::path::Path::new(EXAMPLE)).unwrap_or_else(|e| panic!("{e}"));
    let p = Probe::new();
    p.world.set_seed(Some(doc));
    p
}

/// The `fields` of each item of `list` in an answer, in order.
fn rows(answer: &Value, list: &str, fields: &[&str]) -> Vec<Vec<Value>> {
    answer[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {answer}"))
        .iter()
        .map(|item| fields.iter().map(|f| item[*f].clone()).collect())
        .collect()
}

/// Every read below, made through the probe (so that the round trip replays them all).
fn read_every_area(p: &Probe) {
    let invitations = p.ok(
        V18,
        "ListOrganizationInvitations",
        HOST,
        json!({"Invited": 0, "Offset": 0, "Limit": 10}),
    );
    assert_eq!(
        rows(
            &invitations,
            "Invitations",
            &[
                "Id",
                "Uin",
                "HostUin",
                "Name",
                "Remark",
                "Status",
                "ExpireTime"
            ]
        ),
        [[
            json!(2001),
            json!(100000000009u64),
            json!(HOST),
            json!("partner"),
            json!("joins finance"),
            json!(0),
            json!("2100-01-01 00:00:00")
        ]]
    );
    let delegates = p.ok(
        V21,
        "ListOrgServiceAssignMember",
        HOST,
        json!({"ServiceId": 1, "Offset": 0, "Limit": 10}),
    );
    assert_eq!(
        rows(
            &delegates,
            "Items",
            &["MemberUin", "MemberName", "ManagementScope"]
        ),
        [[json!(200000000002u64), json!("ledger"), json!(1)]]
    );
    let member_policies = p.ok(
        V21,
        "DescribeOrganizationMemberPolicies",
        HOST,
        json!({"MemberUin": 200000000002u64, "Offset": 0, "Limit": 10}),
    );
    assert_eq!(
        rows(
            &member_policies,
            "Items",
            &["PolicyId", "PolicyName", "IdentityId"]
        ),
        [[json!(1), json!("ledger-admins"), json!(1)]]
    );
    read_identity_center(p);
}

fn read_identity_center(p: &Probe) {
    let zone = |extra: Value| {
        let mut params = json!({"ZoneId": ZONE});
        params
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        params
    };
    let users = p.ok(V21, "ListUsers", HOST, zone(json!({"MaxResults": 10})));
    assert_eq!(
        rows(
            &users,
            "Users",
            &[
                "UserId",
                "UserName",
                "DisplayName",
                "Email",
                "UserStatus",
                "UserType"
            ]
        ),
        [
            [
                "u-alice001",
                "alice",
                "Alice",
                "alice@example.com",
                "Enabled",
                "Manual"
            ]
            .map(|s| json!(s)),
            ["u-bob00001", "bob", "", "", "Disabled", "Manual"].map(|s| json!(s)),
        ]
    );
    let groups = p.ok(V21, "ListGroups", HOST, zone(json!({"MaxResults": 10})));
    assert_eq!(
        rows(
            &groups,
            "Groups",
            &["GroupId", "GroupName", "Description", "MemberCount"]
        ),
        [[
            json!("g-operators01"),
            json!("operators"),
            json!("on call"),
            json!(2)
        ]]
    );
    let members = p.ok(
        V21,
        "ListGroupMembers",
        HOST,
        zone(json!({"GroupId": "g-operators01", "MaxResults": 10})),
    );
    assert_eq!(
        rows(&members, "GroupMembers", &["UserId"]),
        [[json!("u-alice001")], [json!("u-bob00001")]]
    );
    let role = p.ok(
        V21,
        "GetRoleConfiguration",
        HOST,
        zone(json!({"RoleConfigurationId": "rc-readonly1"})),
    );
    let info = &role["RoleConfigurationInfo"];
    assert_eq!(
        [
            &info["RoleConfigurationName"],
            &info["Description"],
            &info["SessionDuration"]
        ],
        [&json!("ReadOnly"), &json!("read everything"), &json!(7200)]
    );
    let policies = p.ok(
        V21,
        "ListPermissionPoliciesInRoleConfiguration",
        HOST,
        zone(json!({"RoleConfigurationId": "rc-readonly1"})),
    );
    assert_eq!(
        rows(
            &policies,
            "RolePolicies",
            &["RolePolicyName", "RolePolicyType"]
        ),
        [
            ["AdministratorAccess", "System"].map(|s| json!(s)),
            ["deny-billing", "Custom"].map(|s| json!(s))
        ]
    );
    assert_eq!(policies["RolePolicies"][0]["RolePolicyId"], 1);
    let document =
        r#"{"version":"2.0","statement":[{"effect":"deny","action":"billing:*","resource":"*"}]}"#;
    assert_eq!(policies["RolePolicies"][1]["RolePolicyDocument"], document);
    let deployed = p.ok(
        V21,
        "ListRoleConfigurationProvisionings",
        HOST,
        zone(json!({"MaxResults": 10})),
    );
    assert_eq!(
        rows(
            &deployed,
            "RoleConfigurationProvisionings",
            &[
                "RoleConfigurationId",
                "TargetUin",
                "TargetType",
                "DeploymentStatus"
            ]
        ),
        [[
            json!("rc-readonly1"),
            json!(200000000001u64),
            json!("MemberUin"),
            json!("Deployed")
        ]]
    );
    let assignments = p.ok(
        V21,
        "ListRoleAssignments",
        HOST,
        zone(json!({"MaxResults": 10})),
    );
    assert_eq!(
        rows(
            &assignments,
            "RoleAssignments",
            &[
                "RoleConfigurationId",
                "TargetUin",
                "PrincipalType",
                "PrincipalId",
                "PrincipalName"
            ]
        ),
        [[
            json!("rc-readonly1"),
            json!(200000000001u64),
            json!("Group"),
            json!("g-operators01"),
            json!("operators")
        ]]
    );
    let syncs = p.ok(
        V21,
        "ListUserSyncProvisionings",
        HOST,
        zone(json!({"MaxResults": 10})),
    );
    assert_eq!(
        rows(
            &syncs,
            "UserProvisionings",
            &[
                "UserProvisioningId",
                "PrincipalId",
                "PrincipalName",
                "TargetUin",
                "Description"
            ]
        ),
        [[
            json!("up-alice0001"),
            json!("u-alice001"),
            json!("alice"),
            json!(200000000001u64),
            json!("alice as a CAM user")
        ]]
    );
    let keys = p.ok(V21, "ListSCIMCredentials", HOST, zone(json!({})));
    assert_eq!(
        rows(
            &keys,
            "SCIMCredentials",
            &["CredentialId", "Status", "ExpireTime"]
        ),
        [[
            json!("scimcred-seed00000001"),
            json!("Enabled"),
            json!("2100-01-01 00:00:00")
        ]]
    );
    let scim = p.ok(V21, "GetSCIMSynchronizationStatus", HOST, zone(json!({})));
    assert_eq!(scim["SCIMSynchronizationStatus"], "Enabled");
    read_identity_provider(p, &zone);
}

/// The certificate is `fixtures/saml/idp-signing.pem`; its serial and issuer are what openssl
/// prints for it (`fixtures/saml/README.md`).
fn read_identity_provider(p: &Probe, zone: &dyn Fn(Value) -> Value) {
    let idp = p.ok(
        V21,
        "GetExternalSAMLIdentityProvider",
        HOST,
        zone(json!({})),
    );
    let config = &idp["SAMLIdentityProviderConfiguration"];
    let fields = ["EntityId", "LoginUrl", "SSOStatus"].map(|f| config[f].clone());
    assert_eq!(
        fields,
        [
            "https://idp.example.com/saml",
            "https://idp.example.com/sso",
            "Enabled"
        ]
        .map(|s| json!(s)),
        "{idp}"
    );
    let certificates = p.ok(
        V21,
        "ListExternalSAMLIdPCertificates",
        HOST,
        zone(json!({})),
    );
    assert_eq!(
        rows(
            &certificates,
            "SAMLIdPCertificates",
            &["SerialNumber", "Issuer"]
        ),
        [[
            json!("1347934239"),
            json!("CN=idp.example.com,OU=SSOProvider,O=Example IdP")
        ]],
        "{certificates}"
    );
}

#[test]
fn every_seed_form_answers_through_the_api_as_written() {
    read_every_area(&seeded());
}

#[test]
fn the_seeded_world_answers_the_same_after_export_and_import() {
    let p = seeded();
    read_every_area(&p);
    for format in [Format::Toml, Format::Json] {
        let text = p.world.export().to_text(format).unwrap();
        let doc = WorldDoc::parse(&text, format).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let copy = seeded();
        copy.world.import(&doc);
        assert_eq!(copy.world.export().to_value(), p.world.export().to_value());
        // The same reads, with the same expectations, against the imported world.
        read_every_area(&copy);
    }
}

#[test]
fn new_ids_continue_past_the_seeded_ones() {
    let p = seeded();
    let user = p.ok(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": ZONE, "UserName": "carol"}),
    );
    let id = user["UserInfo"]["UserId"].as_str().unwrap().to_owned();
    assert!(
        id.starts_with("u-") && id != "u-alice001" && id != "u-bob00001",
        "{id}"
    );
    let users = p.ok(
        V21,
        "ListUsers",
        HOST,
        json!({"ZoneId": ZONE, "MaxResults": 10}),
    );
    // Listed after the seeded users: its creation sequence is past theirs.
    assert_eq!(users["Users"][2]["UserName"], "carol", "{users}");
    p.ok(
        V18,
        "SendOrganizationInvitation",
        HOST,
        json!({"InviteUin": CAROL, "Name": "carol", "Remark": "later"}),
    );
    let sent = p.ok(
        V18,
        "ListOrganizationInvitations",
        HOST,
        json!({"Invited": 0, "Offset": 0, "Limit": 10}),
    );
    let ids: Vec<&Value> = sent["Invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["Id"])
        .collect();
    assert_eq!(ids, [&json!(2001), &json!(2002)]);
}

/// The example's organization, a zone with a user, and a member: the ground a bad entry
/// is added to.
const BASE: &str = r#"version = 1
[orgs.10001]
host_uin = 100000000001
root = 100001
[orgs.10001.nodes.100001]
name = "Root"
[orgs.10001.members.200000000001]
name = "m"
node = 100001
[identity_center.zones.z-1]
org_id = 10001
name = "acme"
[identity_center.zones.z-1.users.u-1]
name = "alice"
[identity_center.zones.z-1.roles.rc-1]
name = "R"
"#;

/// A bad entry of each seed form, and the line that must name it.
fn bad_entries() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "[invitations.1]\norg_id = 10009\ninvitee = 100000000009\nname = \"x\"\n",
            "invitations.1.org_id: organization 10009 does not exist",
        ),
        (
            "[invitations.1]\norg_id = 10001\ninvitee = 100000000009\nname = \"x\"\nnode = 7\n",
            "invitations.1.node: unit 7 does not exist in organization 10001",
        ),
        (
            "[invitations.1]\norg_id = 10001\ninvitee = 100000000009\nname = \"x\"\nhost_uin = 5\n",
            "invitations.1.host_uin: account 5 does not manage organization 10001",
        ),
        (
            "[invitations.1]\norg_id = 10001\nname = \"x\"\n",
            "invitations.1: missing field `invitee`",
        ),
        (
            "[services.assignments.99.200000000001]\norg_id = 10001\n",
            "services.assignments.99: service 99 is not in the catalogue",
        ),
        (
            "[services.assignments.1.200000000001]\norg_id = 10001\nscope = 3\n",
            "services.assignments.1.200000000001.scope: is 1 (all members) or 2 (some), not 3",
        ),
        (
            "[policies.orgs.10001.member_policies.1]\nname = \"p\"\nidentity_id = 77\n",
            "policies.orgs.10001.member_policies.1.identity_id: identity 77 is neither preset",
        ),
        (
            "[policies.orgs.10001.member_policies.1]\nname = \"p\"\nidentity_id = 1\nmembers = [5]\n",
            "policies.orgs.10001.member_policies.1.members[0]: member 5 is not in organization 10001",
        ),
        (
            "[member_login.grants.200000000001.1]\n",
            "member_login.grants.200000000001.1: the member does not hold identity 1",
        ),
        (
            "[identity_center.zones.z-2]\norg_id = 10001\nname = \"b\"\nowner_uin = 200000000001\n",
            "identity_center.zones.z-2.owner_uin: account 200000000001 does not manage organization 10001",
        ),
        (
            "[identity_center.zones.z-1.users.u-2]\nname = \"ALICE\"\n",
            "identity_center.zones.z-1.users.u-2.name: another user of the zone is named \"ALICE\"",
        ),
        (
            "[identity_center.zones.z-1.users.u-2]\nid = \"u-3\"\nname = \"b\"\n",
            "identity_center.zones.z-1.users.u-2.id: is \"u-3\", but the entry is filed under \"u-2\"",
        ),
        (
            "[identity_center.zones.z-1.users.u-2]\nname = \"b\"\nstatus = \"Asleep\"\n",
            "identity_center.zones.z-1.users.u-2.status: unknown variant `Asleep`",
        ),
        (
            "[identity_center.zones.z-1.groups.g-1]\nname = \"g\"\nmembers = { u-9 = {} }\n",
            "identity_center.zones.z-1.groups.g-1.members.u-9: user \"u-9\" is not in the zone",
        ),
        (
            "[identity_center.zones.z-1.roles.rc-2]\nname = \"S\"\npolicies = [{ name = \"c\", kind = \"Custom\" }]\n",
            "identity_center.zones.z-1.roles.rc-2.policies[0].document: missing",
        ),
        (
            "[identity_center.zones.z-1.roles.rc-2]\nname = \"S\"\nprovisionings = [{ target = { kind = \"Member\", uin = 5 } }]\n",
            "identity_center.zones.z-1.roles.rc-2.provisionings[0].target: account 5 is not a member of organization 10001",
        ),
        (
            "[identity_center.zones.z-1.assignments.1]\nkey = { role = \"rc-9\", target = { kind = \"Member\", uin = 200000000001 }, principal = { kind = \"User\", id = \"u-1\" } }\n",
            "identity_center.zones.z-1.assignments.1.key.role: role configuration \"rc-9\" is not in the zone",
        ),
        (
            "[identity_center.zones.z-1.assignments.1]\nkey = { role = \"rc-1\", target = { kind = \"Manager\", uin = 200000000001 }, principal = { kind = \"User\", id = \"u-1\" } }\n",
            "identity_center.zones.z-1.assignments.1.key.target: account 200000000001 does not manage organization 10001",
        ),
        (
            "[identity_center.zones.z-1.assignments.1]\nkey = { role = \"rc-1\", target = { kind = \"Member\", uin = 200000000001 }, principal = { kind = \"Group\", id = \"g-9\" } }\n",
            "identity_center.zones.z-1.assignments.1.key.principal: group \"g-9\" is not in the zone",
        ),
        (
            "[identity_center.zones.z-1.sync.up-1]\nprincipal = { kind = \"User\", id = \"u-1\" }\ntarget = { kind = \"Member\", uin = 200000000001 }\ndeletion = \"Shred\"\n",
            "identity_center.zones.z-1.sync.up-1.deletion: is not one of the documented values",
        ),
        (
            "[identity_center.zones.z-1.sync.up-1]\nprincipal = { kind = \"User\", id = \"u-7\" }\ntarget = { kind = \"Member\", uin = 200000000001 }\n",
            "identity_center.zones.z-1.sync.up-1.principal: user \"u-7\" is not in the zone",
        ),
        (
            "[identity_center.zones.z-1.saml.idp]\nentity_id = \"e\"\npem_certificates = [\"not a certificate\"]\n",
            "identity_center.zones.z-1.saml.idp.pem_certificates[0]: neither PEM nor base64",
        ),
        (
            "[identity_center.zones.z-1.saml.idp]\nentity_id = \"e\"\nlogin_url = \"https://x\"\nsso = \"Enabled\"\n",
            "identity_center.zones.z-1.saml.idp.sso: Enabled needs an entity_id, a login_url and a certificate",
        ),
        (
            "[identity_center.zones.z-1.scim.credentials.scimcred-1]\nstatus = \"Enabled\"\n",
            "identity_center.zones.z-1.scim.credentials.scimcred-1: missing field `expire_time`",
        ),
    ]
}

#[test]
fn a_bad_entry_of_each_seed_form_is_refused_with_one_line_naming_it() {
    // The ground itself loads.
    WorldDoc::parse(BASE, Format::Toml).unwrap_or_else(|e| panic!("{e}"));
    for (entry, expected) in bad_entries() {
        let seed = format!("{BASE}{entry}");
        let line = WorldDoc::parse(&seed, Format::Toml)
            .map(|_| ())
            .expect_err(entry)
            .to_string();
        assert!(
            line.contains(expected),
            "{line:?} does not name {expected:?}"
        );
        assert!(!line.contains('\n'), "{line:?}");
    }
}
