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
            Some(setup(&mut driver, host)?)
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

fn setup(d: &mut Driver<'_>, host: u64) -> Result<Ids, String> {
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
    Ok(Ids {
        org_id,
        root,
        unit,
        team,
        invitation,
        created,
        bound,
        bind_id: id(&bind, "BindId")?,
    })
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
                        "DescribeOrganizationMemberEmailBind" | "UpdateOrganizationMemberEmailBind",
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
        let caller = match action {
            "AcceptOrganizationInvitation" | "DenyOrganizationInvitation" => Caller::Pending,
            "QuitOrganization" => Caller::Joined,
            _ => Caller::Host,
        };
        (example, caller)
    }
}
