//! Against the in-process mock only: a world in which every action's example request can
//! succeed. The examples name IDs that do not exist, so their positive probes end in a
//! documented business error; here a fresh mock gets an organization, units, members (with and
//! without a bound email), a pending invitation and the invitee's and member's own accounts,
//! the example's IDs are replaced by the fixtures', and the call is made by whoever may make
//! it (the invitee accepts or denies, the member quits), so its success can be judged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{json, Value};
use tco_mock::config::{Account, DEFAULT_UIN};
use tco_mock::MockServer;
use tco_spec::{Action, Version};

use crate::checks::in_family;
use crate::wire::{Clock, Endpoint, Outcome, Probe};

/// Accounts besides the default (host) one: one that joined by invitation, one with a pending
/// invitation, one outside any organization.
const JOINED_UIN: u64 = 200_000_000_001;
const PENDING_UIN: u64 = 200_000_000_002;
const OUTSIDER_UIN: u64 = 200_000_000_003;

fn account(uin: u64) -> Account {
    Account::new(
        uin,
        format!("AKIDtcoContractFixture{uin}"),
        format!("tco-contract-fixture-key-{uin}"),
    )
    .with_name(format!("tco-contract-fixture-{uin}"))
}

/// A fresh mock with the fixture accounts, and the world one action's example needs.
pub(crate) struct Fixture {
    /// Held for as long as the fixture is used.
    _mock: MockServer,
    host: Endpoint,
    joined: Endpoint,
    pending: Endpoint,
    world: Option<World>,
}

/// The IDs the example requests are filled from.
struct World {
    org_id: u64,
    root: u64,
    unit: u64,
    team: u64,
    invitation: u64,
    created: u64,
    bound: u64,
    bind_id: u64,
}

/// A call made while setting up; a throttled one is sent again after a pause.
async fn call(
    endpoint: &Endpoint,
    requests: &AtomicU64,
    version: Version,
    action: &str,
    params: Value,
) -> Result<Value, String> {
    let probe = Probe::new(action, version.as_str(), params);
    for _ in 0..10 {
        requests.fetch_add(1, Ordering::Relaxed);
        let answer = endpoint
            .send(&probe)
            .await
            .map_err(|e| format!("{version} {action}: no answer: {e}"))?;
        match answer.outcome() {
            Outcome::Success => {
                return Ok(Value::Object(
                    answer.response().cloned().unwrap_or_default(),
                ))
            }
            Outcome::Error(code) if in_family(&code, "RequestLimitExceeded") => {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            _ => return Err(format!("{version} {action}: {}", answer.describe())),
        }
    }
    Err(format!("{version} {action}: throttled again and again"))
}

fn id(v: &Value, member: &str) -> Result<u64, String> {
    v[member]
        .as_u64()
        .ok_or_else(|| format!("no {member} in {v}"))
}

impl Fixture {
    /// A fresh mock and the world `action`'s example needs: none for `CreateOrganization`,
    /// an organization alone for `DeleteOrganization`, the whole world for the others.
    pub(crate) async fn start(
        action: &Action,
        timeout: Duration,
        clock: Clock,
        requests: &AtomicU64,
    ) -> Result<Self, String> {
        let mock = MockServer::builder()
            .account(account(JOINED_UIN))
            .account(account(PENDING_UIN))
            .account(account(OUTSIDER_UIN))
            .start()
            .await;
        let endpoint = |credentials| {
            Endpoint::new(&mock.uri(), credentials, timeout, clock.clone())
                .map_err(|e| e.to_string())
        };
        let host = endpoint(mock.default_credentials())?;
        let joined = endpoint(account(JOINED_UIN).credentials())?;
        let pending = endpoint(account(PENDING_UIN).credentials())?;
        let mut fixture = Fixture {
            _mock: mock,
            host,
            joined,
            pending,
            world: None,
        };
        if action.name != "CreateOrganization" {
            call(
                &fixture.host,
                requests,
                Version::V2021_03_31,
                "CreateOrganization",
                json!({}),
            )
            .await?;
            if action.name != "DeleteOrganization" {
                fixture.world = Some(fixture.setup(requests).await?);
            }
        }
        Ok(fixture)
    }

    async fn setup(&self, requests: &AtomicU64) -> Result<World, String> {
        let v18 = Version::V2018_12_25;
        let v21 = Version::V2021_03_31;
        let host = &self.host;
        let org_id = id(
            &call(host, requests, v18, "GetOrganization", json!({})).await?,
            "OrgId",
        )?;
        let nodes = call(host, requests, v18, "ListOrganizationNodes", json!({})).await?;
        let root = nodes["Nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| n["ParentNodeId"] == 0)
            .ok_or_else(|| format!("no root unit in {nodes}"))
            .and_then(|n| id(n, "NodeId"))?;
        let mut units = Vec::new();
        for name in ["tco-contract-unit", "tco-contract-team"] {
            let added = call(
                host,
                requests,
                v18,
                "AddOrganizationNode",
                json!({"ParentNodeId": root, "Name": name}),
            )
            .await?;
            units.push(id(&added, "NodeId")?);
        }
        let (unit, team) = (units[0], units[1]);
        for (uin, name) in [
            (JOINED_UIN, "tco-contract-joined"),
            (PENDING_UIN, "tco-contract-pending"),
        ] {
            call(
                host,
                requests,
                v18,
                "SendOrganizationInvitation",
                json!({"InviteUin": uin, "Name": name, "Remark": "tco-contract fixture"}),
            )
            .await?;
        }
        let sent = call(
            host,
            requests,
            v18,
            "ListOrganizationInvitations",
            json!({"Invited": 0, "Offset": 0, "Limit": 10}),
        )
        .await?;
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
        call(
            &self.joined,
            requests,
            v18,
            "AcceptOrganizationInvitation",
            json!({"Id": invitation_to(JOINED_UIN)?}),
        )
        .await?;
        call(
            host,
            requests,
            v18,
            "MoveOrganizationMembersToNode",
            json!({"NodeId": team, "Uins": [JOINED_UIN]}),
        )
        .await?;
        let mut members = Vec::new();
        for name in ["tco-contract-created", "tco-contract-bound"] {
            let created = call(
                host,
                requests,
                v21,
                "CreateOrganizationMember",
                json!({"Name": name, "PolicyType": "Financial", "PermissionIds": [1, 2],
                       "NodeId": root, "AccountName": name}),
            )
            .await?;
            members.push(id(&created, "Uin")?);
        }
        let (created, bound) = (members[0], members[1]);
        call(
            host,
            requests,
            v21,
            "AddOrganizationMemberEmail",
            json!({"MemberUin": bound, "Email": "bound@example.com", "CountryCode": "86",
                   "Phone": "18600000000"}),
        )
        .await?;
        let bind = call(
            host,
            requests,
            v21,
            "DescribeOrganizationMemberEmailBind",
            json!({"MemberUin": bound}),
        )
        .await?;
        Ok(World {
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

    /// The action's example request with the IDs it names replaced by ones that exist.
    pub(crate) fn prepare(&self, action: &Action) -> Value {
        let mut params = action.example_request();
        let Some(world) = &self.world else {
            return params;
        };
        let name = action.name.as_str();
        if let Some(map) = params.as_object_mut() {
            for (member, value) in map.iter_mut() {
                let id = match (name, member.as_str()) {
                    (_, "OrgId") => world.org_id,
                    (_, "ParentNodeId") => world.root,
                    (
                        "DeleteOrganizationMemberFromNode"
                        | "ListOrganizationNodeMembers"
                        | "DescribeOrganizationMembers",
                        "NodeId",
                    ) => world.team,
                    (_, "NodeId" | "NodeIds") => world.unit,
                    (
                        "AcceptOrganizationInvitation"
                        | "DenyOrganizationInvitation"
                        | "CancelOrganizationInvitation",
                        "Id",
                    ) => world.invitation,
                    (_, "InviteUin") | ("InviteOrganizationMember", "MemberUin") => OUTSIDER_UIN,
                    ("AddOrganizationMemberEmail", "MemberUin") => world.created,
                    (
                        "DescribeOrganizationMemberEmailBind" | "UpdateOrganizationMemberEmailBind",
                        "MemberUin",
                    ) => world.bound,
                    (_, "BindId") => world.bind_id,
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
        params
    }

    /// Who makes the call: the invitee for its invitation, the member that joined to quit,
    /// the host for everything else.
    pub(crate) fn caller(&self, action: &Action) -> &Endpoint {
        match action.name.as_str() {
            "AcceptOrganizationInvitation" | "DenyOrganizationInvitation" => &self.pending,
            "QuitOrganization" => &self.joined,
            _ => &self.host,
        }
    }
}
