//! A world in which every action's example request can succeed, shared by the contract suite
//! and the client's end-to-end tests. The examples name IDs that do not exist; [`populate`]
//! gives a fresh mock an organization, units, members (with and without a bound email), a
//! pending invitation and the invitee's and member's own accounts, the manager's Identity
//! Center zone with users, groups, a SCIM key and an identity provider, and
//! [`Fixtures::request_for`] replaces the example's IDs by the fixtures' and names the account
//! that may make the call (the invitee accepts or denies, the member quits).
//!
//! Start the mock from [`builder`] (or register [`accounts`] on one), then call [`populate`].

mod identity_center;

use serde_json::{json, Value};
use tco_spec::Version;

mod identity_center_access;
pub use identity_center::ZONE_NAME;

use crate::config::{Account, DEFAULT_UIN};
use crate::state::Call;
use crate::{MockServer, MockServerBuilder};

/// The account that joined the organization by invitation (and may quit it).
pub const JOINED_UIN: u64 = 200_000_000_001;
/// The account with a pending invitation (and may accept or deny it).
pub const PENDING_UIN: u64 = 200_000_000_002;
/// The account outside any organization.
pub const OUTSIDER_UIN: u64 = 200_000_000_003;

/// Identity Center's single sign-on test data (see `fixtures/saml/README.md`): a signing
/// certificate, a second one for rollover, and IdP metadata naming the first.
pub const SAML_SIGNING_CERTIFICATE: &str = include_str!("../fixtures/saml/idp-signing.pem");
pub const SAML_ROLLOVER_CERTIFICATE: &str = include_str!("../fixtures/saml/idp-rollover.pem");
pub const SAML_IDP_METADATA: &str = include_str!("../fixtures/saml/idp-metadata.xml");

/// One fixture account.
pub fn account(uin: u64) -> Account {
    Account::new(uin, format!("AKIDfixture{uin}"), format!("key{uin}"))
        .with_name(format!("account-{uin}"))
}

/// The accounts to register on the builder besides the default (host) one.
pub fn accounts() -> [Account; 3] {
    [
        account(JOINED_UIN),
        account(PENDING_UIN),
        account(OUTSIDER_UIN),
    ]
}

/// A mock builder with [`accounts`] registered: start it, then [`populate`] the mock.
pub fn builder() -> MockServerBuilder {
    accounts()
        .into_iter()
        .fold(MockServer::builder(), MockServerBuilder::account)
}

/// Who makes an action's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// The mock's default account, which created the organization.
    Host,
    /// [`JOINED_UIN`].
    Joined,
    /// [`PENDING_UIN`].
    Pending,
}

impl Caller {
    /// The caller's credentials on `mock`.
    pub fn credentials(self, mock: &MockServer) -> tco_sign::Credentials {
        match self {
            Caller::Host => mock.default_credentials(),
            Caller::Joined => account(JOINED_UIN).credentials(),
            Caller::Pending => account(PENDING_UIN).credentials(),
        }
    }
}

/// The state made for one action, and the IDs its example request is filled from.
#[derive(Debug, Clone)]
pub struct Fixtures {
    ids: Option<Ids>,
    /// Identity Center's IDs, for every action but those that need no organization or no zone.
    identity_center: Option<identity_center::IdentityCenterIds>,
    /// Role configurations, assignments, user synchronization in that zone, for the access
    /// actions only.
    access: Option<identity_center_access::AccessIds>,
    calls: u64,
}

/// The IDs the example requests are filled from.
#[derive(Debug, Clone)]
struct Ids {
    org_id: u64,
    root: u64,
    unit: u64,
    team: u64,
    invitation: u64,
    created: u64,
    bound: u64,
    bind_id: u64,
    /// Set for the policy actions only (see [`policies`]).
    policies: Option<policies::PolicyIds>,
    /// Set for the member login, services and sharing actions only (see [`areas`]).
    areas: Option<areas::AreaIds>,
}

/// Runs actions against a mock's world, as its accounts, at one time.
struct Driver<'a> {
    mock: &'a MockServer,
    now: i64,
    calls: u64,
}

impl Driver<'_> {
    fn call(
        &mut self,
        uin: u64,
        version: Version,
        action: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.calls += 1;
        let call = Call {
            version,
            action,
            caller_uin: uin,
            params: &params,
            now: self.now,
            now_millis: self.now.saturating_mul(1000),
        };
        match self.mock.world().handle(&call) {
            Some(Ok(answer)) => Ok(answer),
            Some(Err(e)) => Err(format!("{version} {action}: {}: {}", e.code, e.message)),
            None => Err(format!(
                "{version} {action}: not modelled by the mock's world"
            )),
        }
    }
}

fn id(v: &Value, member: &str) -> Result<u64, String> {
    v[member]
        .as_u64()
        .ok_or_else(|| format!("no {member} in {v}"))
}

/// Gives a fresh `mock` (with [`accounts`] registered) the world `action`'s example needs:
/// none for `CreateOrganization`, an organization alone for `DeleteOrganization`, the whole
/// world for the others. `now` is the mock's clock time, in Unix seconds.
pub fn populate(mock: &MockServer, action: &str, now: i64) -> Result<Fixtures, String> {
    let mut driver = Driver {
        mock,
        now,
        calls: 0,
    };
    let host = mock.accounts().first().map_or(DEFAULT_UIN, |a| a.uin);
    let ids = if action == "CreateOrganization" {
        None
    } else {
        driver.call(host, Version::V2021_03_31, "CreateOrganization", json!({}))?;
        if action == "DeleteOrganization" {
            // Only an organization without members can be deleted: no further setup.
            None
        } else {
            Some(setup(&mut driver, host, action)?)
        }
    };
    let identity_center = if ids.is_some() && action != "OpenIdentityCenter" {
        Some(identity_center::setup(&mut driver, host)?)
    } else {
        None
    };
    let access = match &ids {
        Some(ids) if identity_center_access::ACTIONS.contains(&action) => Some(
            identity_center_access::setup(&mut driver, host, JOINED_UIN, ids.created)?,
        ),
        _ => None,
    };
    Ok(Fixtures {
        ids,
        identity_center,
        access,
        calls: driver.calls,
    })
}

fn setup(d: &mut Driver<'_>, host: u64, action: &str) -> Result<Ids, String> {
    let v18 = Version::V2018_12_25;
    let v21 = Version::V2021_03_31;
    let org_id = id(&d.call(host, v18, "GetOrganization", json!({}))?, "OrgId")?;
    let nodes = d.call(host, v18, "ListOrganizationNodes", json!({}))?;
    let root = nodes["Nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["ParentNodeId"] == 0)
        .ok_or_else(|| format!("no root unit in {nodes}"))
        .and_then(|n| id(n, "NodeId"))?;
    let mut units = Vec::new();
    for name in ["fixture-unit", "fixture-team"] {
        let added = d.call(
            host,
            v18,
            "AddOrganizationNode",
            json!({"ParentNodeId": root, "Name": name}),
        )?;
        units.push(id(&added, "NodeId")?);
    }
    let (unit, team) = (units[0], units[1]);
    for (uin, name) in [
        (JOINED_UIN, "fixture-joined"),
        (PENDING_UIN, "fixture-pending"),
    ] {
        d.call(
            host,
            v18,
            "SendOrganizationInvitation",
            json!({"InviteUin": uin, "Name": name, "Remark": "fixture"}),
        )?;
    }
    let sent = d.call(
        host,
        v18,
        "ListOrganizationInvitations",
        json!({"Invited": 0, "Offset": 0, "Limit": 10}),
    )?;
    let invitation_to = |uin: u64| {
        sent["Invitations"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["Uin"] == uin)
            .ok_or_else(|| format!("no invitation to {uin} in {sent}"))
            .and_then(|i| id(i, "Id"))
    };
    let invitation = invitation_to(PENDING_UIN)?;
    d.call(
        JOINED_UIN,
        v18,
        "AcceptOrganizationInvitation",
        json!({"Id": invitation_to(JOINED_UIN)?}),
    )?;
    d.call(
        host,
        v18,
        "MoveOrganizationMembersToNode",
        json!({"NodeId": team, "Uins": [JOINED_UIN]}),
    )?;
    let mut members = Vec::new();
    for name in ["fixture-created", "fixture-bound"] {
        let created = d.call(
            host,
            v21,
            "CreateOrganizationMember",
            json!({"Name": name, "PolicyType": "Financial", "PermissionIds": [1, 2],
                   "NodeId": root, "AccountName": name}),
        )?;
        members.push(id(&created, "Uin")?);
    }
    let (created, bound) = (members[0], members[1]);
    d.call(
        host,
        v21,
        "AddOrganizationMemberEmail",
        json!({"MemberUin": bound, "Email": "bound@example.com", "CountryCode": "86",
               "Phone": "18600000000"}),
    )?;
    let bind = d.call(
        host,
        v21,
        "DescribeOrganizationMemberEmailBind",
        json!({"MemberUin": bound}),
    )?;
    let mut ids = Ids {
        org_id,
        root,
        unit,
        team,
        invitation,
        created,
        bound,
        bind_id: id(&bind, "BindId")?,
        policies: None,
        areas: None,
    };
    if policies::is_policy_action(action) {
        ids.policies = Some(policies::setup(d, host, action, &ids)?);
    }
    if areas::is_area_action(action) {
        ids.areas = Some(areas::setup(d, host, &ids)?);
    }
    Ok(ids)
}

impl Fixtures {
    /// How many actions [`populate`] ran against the world.
    pub fn calls(&self) -> u64 {
        self.calls
    }

    /// `example` (the action's example request) with the IDs it names replaced by ones that
    /// exist, and who makes the call: the invitee for its invitation, the member that joined
    /// to quit, the host for everything else.
    pub fn request_for(&self, action: &str, mut example: Value) -> (Value, Caller) {
        let Some(ids) = &self.ids else {
            return (example, Caller::Host);
        };
        if let Some(access) = &self.access {
            return (access.request_for(action, example), Caller::Host);
        }
        if let Some(map) = example.as_object_mut() {
            for (member, value) in map.iter_mut() {
                if let Some(filled) = ids
                    .policies
                    .as_ref()
                    .and_then(|p| policies::fill(p, ids, action, member, value))
                {
                    *value = filled;
                    continue;
                }
                let identity_center = match &self.identity_center {
                    Some(ic) => ic.value_for(action, member),
                    None => identity_center::zone_name_for(action, member),
                };
                if let Some(replaced) = identity_center {
                    *value = replaced;
                    continue;
                }
                let id = match (action, member.as_str()) {
                    (_, "OrgId") => ids.org_id,
                    (_, "ParentNodeId") => ids.root,
                    (
                        "DeleteOrganizationMemberFromNode"
                        | "ListOrganizationNodeMembers"
                        | "DescribeOrganizationMembers",
                        "NodeId",
                    ) => ids.team,
                    (_, "NodeId" | "NodeIds") => ids.unit,
                    (
                        "AcceptOrganizationInvitation"
                        | "DenyOrganizationInvitation"
                        | "CancelOrganizationInvitation",
                        "Id",
                    ) => ids.invitation,
                    (_, "InviteUin") | ("InviteOrganizationMember", "MemberUin") => OUTSIDER_UIN,
                    ("AddOrganizationMemberEmail", "MemberUin") => ids.created,
                    (
                        "DescribeOrganizationMemberEmailBind"
                        | "UpdateOrganizationMemberEmailBind"
                        | "SendOrgMemberAccountBindEmail",
                        "MemberUin",
                    ) => ids.bound,
                    (_, "BindId") => ids.bind_id,
                    (_, "MemberUin" | "Uins" | "Uin") => JOINED_UIN,
                    (_, "Invited") => 0,
                    (_, "PayUin") => {
                        *value = json!(DEFAULT_UIN.to_string());
                        continue;
                    }
                    (_, "Email") => {
                        *value = json!("fixture@example.com");
                        continue;
                    }
                    _ => continue,
                };
                *value = if value.is_array() {
                    json!([id])
                } else {
                    json!(id)
                };
            }
        }
        if let Some(areas) = &ids.areas {
            areas.fill(action, &mut example, ids);
        }
        let caller = match action {
            "AcceptOrganizationInvitation" | "DenyOrganizationInvitation" => Caller::Pending,
            "QuitOrganization"
            | "AcceptJoinShareUnitInvitation"
            | "RejectJoinShareUnitInvitation"
            | "DescribeResourceToShareMember" => Caller::Joined,
            _ => Caller::Host,
        };
        (example, caller)
    }
}

/// The policy actions' share of the fixtures: both policy types enabled (but for
/// `EnablePolicyType`, which needs service control policies off), a custom service control
/// policy attached to the unit holding the joined member, a spare one attached nowhere, a tag
/// policy on the root, and a member access policy for the created member (which holds login
/// identity 1) with one sub-account bound.
mod policies {
    use serde_json::{json, Value};
    use tco_spec::Version;

    use super::{id, Driver, Ids, JOINED_UIN};

    const ACTIONS: [&str; 22] = [
        "EnablePolicyType",
        "DisablePolicyType",
        "DescribePolicyConfig",
        "CreatePolicy",
        "DescribePolicy",
        "UpdatePolicy",
        "DeletePolicy",
        "ListPolicies",
        "AttachPolicy",
        "DetachPolicy",
        "ListTargetsForPolicy",
        "ListPoliciesForTarget",
        "DescribeEffectivePolicy",
        "ListNonCompliantResource",
        "CreateOrganizationMemberPolicy",
        "CreateOrganizationMembersPolicy",
        "UpdateOrganizationMembersPolicy",
        "DeleteOrganizationMembersPolicy",
        "DescribeOrganizationMemberPolicies",
        "DescribeOrganizationMembersAuthPolicy",
        "BindOrganizationPolicySubAccount",
        "CancelOrganizationPolicySubAccount",
    ];

    /// A UIN the mock knows no account for: one of the manager's sub-accounts.
    const SUB_ACCOUNT_UIN: u64 = 300_000_000_001;
    /// The login identity created members hold.
    const IDENTITY: u64 = 1;

    #[derive(Debug, Clone)]
    pub(super) struct PolicyIds {
        /// ListNonCompliantResource's member, tagged against the tag policy (0 otherwise).
        non_compliant: u64,
        /// Attached to the unit holding the joined member.
        attached: u64,
        /// Attached nowhere.
        spare: u64,
        member_policy: u64,
    }

    pub(super) fn is_policy_action(action: &str) -> bool {
        ACTIONS.contains(&action)
    }

    pub(super) fn setup(
        d: &mut Driver<'_>,
        host: u64,
        action: &str,
        ids: &Ids,
    ) -> Result<PolicyIds, String> {
        let v21 = Version::V2021_03_31;
        let types: &[&str] = if action == "EnablePolicyType" {
            &["TAG_POLICY"]
        } else {
            &["SERVICE_CONTROL_POLICY", "TAG_POLICY"]
        };
        for kind in types {
            d.call(
                host,
                v21,
                "EnablePolicyType",
                json!({"OrganizationId": ids.org_id, "PolicyType": kind}),
            )?;
        }
        let mut created = Vec::new();
        if action != "EnablePolicyType" {
            for name in ["fixture_attached", "fixture_spare"] {
                let policy = d.call(
                    host,
                    v21,
                    "CreatePolicy",
                    json!({"Name": name, "Type": "SERVICE_CONTROL_POLICY", "Description": "fixture",
                           "Content": r#"{"version":"2.0","statement":[{"effect":"deny","action":"cvm:*","resource":"*"}]}"#}),
                )?;
                created.push(id(&policy, "PolicyId")?);
            }
            d.call(
                host,
                v21,
                "AttachPolicy",
                json!({"PolicyId": created[0], "TargetType": "NODE", "TargetId": ids.team}),
            )?;
        }
        let tags = d.call(
            host,
            v21,
            "CreatePolicy",
            json!({"Name": "fixture_tags", "Type": "TAG_POLICY", "Description": "fixture",
                   "Content": r#"{"tags":{"env":{"tag_key":"env","tag_value":["prod","test"]}}}"#}),
        )?;
        d.call(
            host,
            v21,
            "AttachPolicy",
            json!({"PolicyId": id(&tags, "PolicyId")?, "TargetType": "NODE", "TargetId": ids.root,
                   "Type": "TAG_POLICY"}),
        )?;
        let member_policy = d.call(
            host,
            v21,
            "CreateOrganizationMemberPolicy",
            json!({"MemberUin": ids.created, "PolicyName": "fixture_access", "IdentityId": IDENTITY,
                   "Description": "fixture"}),
        )?;
        let member_policy = id(&member_policy, "PolicyId")?;
        d.call(
            host,
            v21,
            "BindOrganizationPolicySubAccount",
            json!({"PolicyId": member_policy, "OrgSubAccountUins": [SUB_ACCOUNT_UIN]}),
        )?;
        // A member whose tag the tag policy does not allow, for the non-compliant list.
        let non_compliant = if action == "ListNonCompliantResource" {
            let member = d.call(
                host,
                v21,
                "CreateOrganizationMember",
                json!({"Name": "fixture-untidy", "PolicyType": "Financial", "PermissionIds": [1, 2],
                       "NodeId": ids.root, "AccountName": "fixture-untidy",
                       "Tags": [{"TagKey": "env", "TagValue": "dev"}]}),
            )?;
            id(&member, "Uin")?
        } else {
            0
        };
        Ok(PolicyIds {
            non_compliant,
            attached: created.first().copied().unwrap_or_default(),
            spare: created.get(1).copied().unwrap_or_default(),
            member_policy,
        })
    }

    /// The value a policy action's example member gets, if the policies decide it.
    pub(super) fn fill(
        p: &PolicyIds,
        ids: &Ids,
        action: &str,
        member: &str,
        example: &Value,
    ) -> Option<Value> {
        let member_access = action.contains("MemberPolic")
            || action.contains("MembersPolic")
            || action.contains("PolicySubAccount");
        let value = match (action, member) {
            (_, "OrganizationId") => json!(ids.org_id),
            // The example's zeros mean "any": kept.
            ("DescribeOrganizationMembersAuthPolicy", _) => example.clone(),
            ("AttachPolicy" | "DeletePolicy", "PolicyId") => json!(p.spare),
            (_, "PolicyId") if member_access => json!(p.member_policy),
            (_, "PolicyId") => json!(p.attached),
            ("DescribeEffectivePolicy", "TargetId") => json!(JOINED_UIN),
            ("ListNonCompliantResource", "MemberUin") => json!(p.non_compliant),
            (_, "TargetId") => json!(ids.team),
            (_, "MemberUin") if member_access => json!(ids.created),
            (_, "MemberUins") => json!([ids.created]),
            (_, "IdentityId") => json!(IDENTITY),
            (_, "OrgSubAccountUins") => json!([SUB_ACCOUNT_UIN]),
            (_, "Page") => json!(1),
            (_, "PaginationToken") => json!(""),
            (_, "TagKey") => json!("env"),
            ("ListTargetsForPolicy", "Keyword") => json!(ids.team.to_string()),
            (_, "Keyword" | "SearchKey") => json!("fixture"),
            _ => return None,
        };
        Some(value)
    }
}

/// The share of the fixtures for unified member login, delegated administration and resource
/// sharing. The preset identity is always there; a custom identity is granted to the joined
/// member and another to nobody; a member access policy for the created member (which holds
/// identity 1) has a sub-account bound; the created and bound members administer the
/// catalogue's service (not the joined one, which must stay free to quit); the host owns a
/// share unit named as in the examples, in their area, holding their secret, the `team` unit
/// (where the joined member is) and a pending invitation to the joined member.
mod areas {
    use serde_json::{json, Value};
    use tco_spec::Version;

    use super::{id, Driver, Ids, JOINED_UIN};

    const ACTIONS: [&str; 31] = [
        "CreateOrganizationIdentity",
        "UpdateOrganizationIdentity",
        "DeleteOrganizationIdentity",
        "ListOrganizationIdentity",
        "CreateOrganizationMemberAuthIdentity",
        "DeleteOrganizationMemberAuthIdentity",
        "DescribeOrganizationMemberAuthIdentities",
        "BindOrganizationMemberAuthAccount",
        "CancelOrganizationMemberAuthAccount",
        "DescribeOrganizationMemberAuthAccounts",
        "ListOrganizationService",
        "CreateOrgServiceAssign",
        "ListOrgServiceAssignMember",
        "DeleteOrgServiceAssign",
        "AddShareUnit",
        "UpdateShareUnit",
        "DeleteShareUnit",
        "DescribeShareUnits",
        "DescribeShareAreas",
        "AddShareUnitMembers",
        "DeleteShareUnitMembers",
        "DescribeShareUnitMembers",
        "AcceptJoinShareUnitInvitation",
        "RejectJoinShareUnitInvitation",
        "AddShareUnitNode",
        "DeleteShareUnitNode",
        "DescribeShareUnitNodes",
        "AddShareUnitResources",
        "DeleteShareUnitResources",
        "DescribeShareUnitResources",
        "DescribeResourceToShareMember",
    ];

    /// The examples' share area, share unit name and shared resource (so that their filters
    /// find the fixtures).
    const SHARE_AREA: &str = "ap-guangzhou";
    const SHARE_UNIT_NAME: &str = "myShareUnit";
    const SHARED_SECRET: &str = "sec***002";
    /// A UIN the mock knows no account for: one of the manager's sub-accounts.
    const SUB_ACCOUNT_UIN: u64 = 300_000_000_002;

    #[derive(Debug, Clone)]
    pub(super) struct AreaIds {
        /// Granted to [`JOINED_UIN`].
        granted: u64,
        /// Granted to nobody.
        spare: u64,
        /// The created member's access policy, with [`SUB_ACCOUNT_UIN`] bound.
        member_policy: u64,
        unit: String,
        resource: String,
    }

    pub(super) fn is_area_action(action: &str) -> bool {
        ACTIONS.contains(&action)
    }

    pub(super) fn setup(d: &mut Driver<'_>, host: u64, ids: &Ids) -> Result<AreaIds, String> {
        let (granted, spare) = identities(d, host)?;
        let member_policy = member_policy(d, host, ids.created)?;
        d.call(
            host,
            Version::V2021_03_31,
            "CreateOrgServiceAssign",
            json!({"MemberUins": [ids.created, ids.bound], "ServiceId": 1}),
        )?;
        let (unit, resource) = share_unit(d, host, ids.team)?;
        Ok(AreaIds {
            granted,
            spare,
            member_policy,
            unit,
            resource,
        })
    }

    fn identities(d: &mut Driver<'_>, host: u64) -> Result<(u64, u64), String> {
        let v21 = Version::V2021_03_31;
        let mut made = Vec::new();
        for name in ["fixture-identity", "fixture-spare"] {
            let created = d.call(
                host,
                v21,
                "CreateOrganizationIdentity",
                json!({"IdentityAliasName": name, "Description": "fixture",
                       "IdentityPolicy": [{"PolicyId": 1, "PolicyName": "AdministratorAccess"}]}),
            )?;
            made.push(id(&created, "IdentityId")?);
        }
        d.call(
            host,
            v21,
            "CreateOrganizationMemberAuthIdentity",
            json!({"MemberUins": [JOINED_UIN], "IdentityIds": [made[0]]}),
        )?;
        Ok((made[0], made[1]))
    }

    fn member_policy(d: &mut Driver<'_>, host: u64, member: u64) -> Result<u64, String> {
        let v21 = Version::V2021_03_31;
        let policy = d.call(
            host,
            v21,
            "CreateOrganizationMemberPolicy",
            json!({"MemberUin": member, "PolicyName": "fixture_login", "IdentityId": 1}),
        )?;
        let policy = id(&policy, "PolicyId")?;
        d.call(
            host,
            v21,
            "BindOrganizationMemberAuthAccount",
            json!({"MemberUin": member, "PolicyId": policy, "OrgSubAccountUins": [SUB_ACCOUNT_UIN]}),
        )?;
        Ok(policy)
    }

    fn share_unit(d: &mut Driver<'_>, host: u64, node: u64) -> Result<(String, String), String> {
        let v21 = Version::V2021_03_31;
        let added = d.call(
            host,
            v21,
            "AddShareUnit",
            json!({"Name": SHARE_UNIT_NAME, "Area": SHARE_AREA}),
        )?;
        let unit = added["UnitId"]
            .as_str()
            .ok_or_else(|| format!("no UnitId in {added}"))?
            .to_owned();
        let at = |extra: Value| {
            let mut params = json!({"UnitId": unit, "Area": SHARE_AREA});
            if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
                p.extend(e.clone());
            }
            params
        };
        d.call(
            host,
            v21,
            "AddShareUnitMembers",
            at(json!({"Members": [{"ShareMemberUin": JOINED_UIN}]})),
        )?;
        d.call(
            host,
            v21,
            "AddShareUnitResources",
            at(json!({"Type": "secret", "Resources": [{"ProductResourceId": SHARED_SECRET}]})),
        )?;
        d.call(
            host,
            v21,
            "AddShareUnitNode",
            json!({"UnitId": unit, "NodeId": node}),
        )?;
        let listed = d.call(
            host,
            v21,
            "DescribeShareUnitResources",
            at(json!({"Offset": 0, "Limit": 10})),
        )?;
        let resource = listed["Items"][0]["ResourceId"]
            .as_str()
            .ok_or_else(|| format!("no ResourceId in {listed}"))?
            .to_owned();
        Ok((unit, resource))
    }

    impl AreaIds {
        /// Fills the members of these areas' examples that name fixtures (after the
        /// organization's own filling).
        pub(super) fn fill(&self, action: &str, example: &mut Value, ids: &Ids) {
            let Some(map) = example.as_object_mut() else {
                return;
            };
            let auth_accounts = action.ends_with("OrganizationMemberAuthAccount")
                || action == "DescribeOrganizationMemberAuthAccounts";
            for (member, value) in map.iter_mut() {
                let new = match (action, member.as_str()) {
                    (_, "MemberUin") if auth_accounts => json!(ids.created),
                    (_, "PolicyId") if auth_accounts => json!(self.member_policy),
                    (_, "OrgSubAccountUin") => json!(SUB_ACCOUNT_UIN),
                    ("DeleteOrganizationMemberAuthIdentity", "IdentityId") => json!(self.granted),
                    ("DescribeOrganizationMemberAuthIdentities", "IdentityId") => {
                        json!(self.granted)
                    }
                    ("DescribeOrganizationMemberAuthIdentities", "MemberUin") => json!(JOINED_UIN),
                    ("UpdateOrganizationIdentity" | "DeleteOrganizationIdentity", "IdentityId") => {
                        json!(self.spare)
                    }
                    ("CreateOrganizationMemberAuthIdentity", "MemberUins") => json!([JOINED_UIN]),
                    ("CreateOrganizationMemberAuthIdentity", "IdentityIds") => json!([self.spare]),
                    ("CreateOrgServiceAssign", "MemberUins") => json!([JOINED_UIN]),
                    ("DeleteOrgServiceAssign", "MemberUin") => json!(ids.created),
                    (_, "UnitId") => json!(self.unit),
                    ("AddShareUnitMembers", "Members") => {
                        json!([{"ShareMemberUin": ids.created}])
                    }
                    ("DeleteShareUnitMembers", "Members") => {
                        json!([{ "ShareMemberUin": JOINED_UIN }])
                    }
                    ("DeleteShareUnitNode", "NodeId") => json!(ids.team),
                    ("DeleteShareUnitResources", "Resources") => json!([{
                        "ResourceId": self.resource,
                        "ProductResourceId": SHARED_SECRET,
                    }]),
                    _ => continue,
                };
                *value = new;
            }
        }
    }
}
