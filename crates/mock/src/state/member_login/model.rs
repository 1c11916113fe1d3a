//! What unified member login keeps: the organizations' custom login identities and when each
//! grant was made; plus the preset identity and preset CAM policies, read once from
//! `presets.json`.
//!
//! Which identities a member holds is the member's own record in the organization area
//! (`Member::identity_ids`, which CreateOrganizationMember also fills); this area keeps the
//! identities themselves and the time of each grant it made.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::org::model::format_time;

/// Custom identities per organization.
pub(crate) const MAX_IDENTITIES: usize = 20;
/// Longest identity name, in characters.
pub(crate) const MAX_IDENTITY_NAME: usize = 64;
/// Longest identity description, in characters.
pub(crate) const MAX_DESCRIPTION: usize = 128;
/// Members and identities per CreateOrganizationMemberAuthIdentity, as documented.
pub(crate) const MAX_GRANT_MEMBERS: usize = 10;
pub(crate) const MAX_GRANT_IDENTITIES: usize = 5;
/// The first custom identity ID (the contract's CreateOrganizationIdentity example answers 101).
pub(crate) const FIRST_IDENTITY_ID: u64 = 101;
/// `PolicyType` of an identity policy: a custom document, or a preset CAM policy (the default).
pub(crate) const POLICY_CUSTOM: u64 = 1;
pub(crate) const POLICY_PRESET: u64 = 2;
/// `IdentityType`: the service's preset identity, or one the organization made.
pub(crate) const TYPE_PRESET: u64 = 1;
pub(crate) const TYPE_CUSTOM: u64 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct MemberLogin {
    /// Custom identities by ID, all organizations together.
    pub identities: BTreeMap<u64, Identity>,
    pub next_identity: u64,
    /// Grants this area made: member UIN, then identity ID.
    pub grants: BTreeMap<u64, BTreeMap<u64, Grant>>,
}

impl Default for MemberLogin {
    fn default() -> Self {
        MemberLogin {
            identities: BTreeMap::new(),
            next_identity: FIRST_IDENTITY_ID,
            grants: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Identity {
    /// In a seed, may be left out: the key it is filed under.
    #[serde(default)]
    pub id: u64,
    pub org_id: u64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub policies: Vec<IdentityPolicy>,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
}

/// One policy of an identity, as the request gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IdentityPolicy {
    pub policy_id: u64,
    pub policy_name: String,
    pub policy_type: u64,
    pub document: String,
}

impl IdentityPolicy {
    pub fn to_json(&self) -> Value {
        json!({
            "PolicyId": self.policy_id,
            "PolicyName": self.policy_name,
            "PolicyType": self.policy_type,
            "PolicyDocument": self.document,
        })
    }
}

/// When a grant was made: optional in a seed (a member's `identity_ids` make the grant; without
/// an entry here the times are the member's join time).
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Grant {
    pub create_time: i64,
    pub update_time: i64,
}

/// The preset identity and the preset CAM policies, from `presets.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct Presets {
    pub identities: Vec<PresetIdentity>,
    pub cam_policies: Vec<CamPolicy>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PresetIdentity {
    pub identity_id: u64,
    pub identity_alias_name: String,
    pub identity_role_name: String,
    pub description: String,
    pub identity_policy: Vec<CamPolicy>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CamPolicy {
    pub policy_id: u64,
    pub policy_name: String,
}

pub(crate) fn presets() -> &'static Presets {
    static PRESETS: OnceLock<Presets> = OnceLock::new();
    PRESETS.get_or_init(|| {
        serde_json::from_str(include_str!("presets.json"))
            .expect("presets.json is part of the source and parsed by a test")
    })
}

/// An identity as the reads show it, preset or custom.
#[derive(Debug, Clone)]
pub(crate) struct IdentityView {
    pub id: u64,
    pub name: String,
    pub role_name: String,
    pub description: String,
    pub policies: Vec<IdentityPolicy>,
    pub identity_type: u64,
    pub update_time: i64,
}

impl IdentityView {
    pub fn is_preset(&self) -> bool {
        self.identity_type == TYPE_PRESET
    }

    pub fn policies_json(&self) -> Value {
        Value::Array(self.policies.iter().map(IdentityPolicy::to_json).collect())
    }
}

fn preset_view(p: &PresetIdentity, org_created: i64) -> IdentityView {
    IdentityView {
        id: p.identity_id,
        name: p.identity_alias_name.clone(),
        role_name: p.identity_role_name.clone(),
        description: p.description.clone(),
        policies: p
            .identity_policy
            .iter()
            .map(|c| IdentityPolicy {
                policy_id: c.policy_id,
                policy_name: c.policy_name.clone(),
                policy_type: POLICY_PRESET,
                document: String::new(),
            })
            .collect(),
        identity_type: TYPE_PRESET,
        update_time: org_created,
    }
}

fn custom_view(i: &Identity) -> IdentityView {
    IdentityView {
        id: i.id,
        name: i.name.clone(),
        role_name: format!("OrganizationAccessControlRole_{}", i.id),
        description: i.description.clone(),
        policies: i.policies.clone(),
        identity_type: TYPE_CUSTOM,
        update_time: i.update_time,
    }
}

/// Every identity organization `org_id` has: the preset ones first, then its own by ID.
pub(crate) fn identities_of(inner: &Inner, org_id: u64) -> Vec<IdentityView> {
    let created = inner.orgs.get(&org_id).map_or(0, |o| o.create_time);
    presets()
        .identities
        .iter()
        .map(|p| preset_view(p, created))
        .chain(
            inner
                .member_login
                .identities
                .values()
                .filter(|i| i.org_id == org_id)
                .map(custom_view),
        )
        .collect()
}

/// Identity `id` of organization `org_id`.
pub(crate) fn identity_of(inner: &Inner, org_id: u64, id: u64) -> Option<IdentityView> {
    identities_of(inner, org_id)
        .into_iter()
        .find(|i| i.id == id)
}

/// The name the organization area shows for a member's identity (empty for one that no longer
/// exists, which the rules of this area never let happen).
pub(crate) fn identity_name(inner: &Inner, org_id: u64, id: u64) -> String {
    identity_of(inner, org_id, id)
        .map(|i| i.name)
        .unwrap_or_default()
}

/// When the grant of `identity` to `member` was made and last changed: the time this area
/// recorded, else (granted when the member was created) the member's join time.
pub(crate) fn grant_times(inner: &Inner, org_id: u64, member: u64, identity: u64) -> Grant {
    inner
        .member_login
        .grants
        .get(&member)
        .and_then(|g| g.get(&identity))
        .copied()
        .unwrap_or_else(|| {
            let joined = inner
                .orgs
                .get(&org_id)
                .and_then(|o| o.members.get(&member))
                .map_or(0, |m| m.join_time);
            Grant {
                create_time: joined,
                update_time: joined,
            }
        })
}

pub(crate) fn time(unix: i64) -> String {
    format_time(unix)
}
