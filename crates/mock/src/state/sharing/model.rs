//! What resource sharing keeps (share units with their members, organization units and
//! resources) and its catalogue (share areas and resource types, read once from
//! `catalogue.json`), with the queries the handlers share: who may see a unit, and whom it
//! reaches.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::state::data::Inner;

/// Share units one account may own.
pub(crate) const MAX_UNITS: usize = 50;
/// Members one call may add or remove (documented), and one unit may have (documented for
/// the console: 20 shared accounts per unit).
pub(crate) const MAX_MEMBERS_PER_CALL: usize = 10;
pub(crate) const MAX_MEMBERS: usize = 20;
/// Organization units in one share unit.
pub(crate) const MAX_NODES: usize = 10;
/// Resources one call may add or remove (documented), and one unit may hold.
pub(crate) const MAX_RESOURCES_PER_CALL: usize = 10;
pub(crate) const MAX_RESOURCES: usize = 50;
/// Share unit names: 3-128 letters, digits, `-` and `_` (documented); descriptions at most 128.
pub(crate) const NAME_LEN: (usize, usize) = (3, 128);
pub(crate) const MAX_DESCRIPTION: usize = 128;
/// `ShareScope`: the organization only (the default), or any account.
pub(crate) const SCOPE_ORG: u64 = 1;
pub(crate) const SCOPE_ANY: u64 = 2;

pub(crate) const UNIT_PREFIX: &str = "shareUnit-";
pub(crate) const RESOURCE_PREFIX: &str = "shareResource-";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Sharing {
    /// Share units by creation sequence (their IDs spell it).
    pub units: BTreeMap<u64, ShareUnit>,
    pub next_unit: u64,
    pub next_resource: u64,
}

impl Default for Sharing {
    fn default() -> Self {
        Sharing {
            units: BTreeMap::new(),
            next_unit: 1,
            next_resource: 1,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShareUnit {
    /// In a seed, may be left out: the key it is filed under.
    #[serde(default)]
    pub seq: u64,
    pub owner: u64,
    /// The owner's organization (an owner cannot leave it while it owns units).
    pub org_id: u64,
    pub name: String,
    pub area: String,
    #[serde(default)]
    pub description: String,
    /// Who may be invited: the organization's accounts (1, the default) or any (2).
    #[serde(default = "default_scope")]
    pub scope: u64,
    #[serde(default)]
    pub create_time: i64,
    /// Accounts invited to the unit, by UIN.
    #[serde(default)]
    pub members: BTreeMap<u64, ShareMember>,
    /// Units of the owner's organization, by node ID: their accounts are reached without an
    /// invitation.
    #[serde(default)]
    pub nodes: BTreeMap<u64, i64>,
    /// Shared resources by creation sequence.
    #[serde(default)]
    pub resources: BTreeMap<u64, SharedResource>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShareMember {
    #[serde(default)]
    pub accepted: bool,
    #[serde(default)]
    pub create_time: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SharedResource {
    #[serde(default)]
    pub seq: u64,
    pub kind: String,
    pub product_id: String,
    #[serde(default)]
    pub create_time: i64,
}

fn default_scope() -> u64 {
    SCOPE_ORG
}

impl ShareUnit {
    pub fn id(&self) -> String {
        unit_id(self.seq)
    }

    /// The type of the resources the unit holds, if it holds any.
    pub fn resource_type(&self) -> Option<&str> {
        self.resources.values().next().map(|r| r.kind.as_str())
    }

    /// The accounts the unit's organization units reach: the owner's organization's members
    /// in them or under them (the owner itself excepted).
    pub fn node_reach(&self, inner: &Inner) -> BTreeSet<u64> {
        let Some(org) = inner.orgs.get(&self.org_id) else {
            return BTreeSet::new();
        };
        org.members
            .values()
            .filter(|m| m.uin != self.owner)
            .filter(|m| self.nodes.keys().any(|n| org.is_within(m.node, *n)))
            .map(|m| m.uin)
            .collect()
    }

    /// Everyone the unit shares with: its members (invited or joined) and the node reach.
    pub fn audience(&self, inner: &Inner) -> BTreeSet<u64> {
        let mut all = self.node_reach(inner);
        all.extend(self.members.keys().copied());
        all
    }

    /// Whether the unit's resources reach `uin` now: a member that joined, or an account in
    /// one of its organization units.
    pub fn reaches(&self, inner: &Inner, uin: u64) -> bool {
        self.members.get(&uin).is_some_and(|m| m.accepted) || self.node_reach(inner).contains(&uin)
    }
}

pub(crate) fn unit_id(seq: u64) -> String {
    format!("{UNIT_PREFIX}{seq:08x}")
}

pub(crate) fn resource_id(seq: u64) -> String {
    format!("{RESOURCE_PREFIX}{seq:08x}")
}

/// The sequence a share unit ID spells (`None` for one this mock never handed out).
pub(crate) fn unit_seq(id: &str) -> Option<u64> {
    let hex = id.strip_prefix(UNIT_PREFIX)?;
    (hex.len() == 8)
        .then(|| u64::from_str_radix(hex, 16).ok())
        .flatten()
}

/// The share areas and resource types, from `catalogue.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct Catalogue {
    pub areas: Vec<ShareArea>,
    pub resource_types: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ShareArea {
    pub area: String,
    pub area_id: u64,
    /// The area's name by language (`zh`, `en`).
    pub names: BTreeMap<String, String>,
}

pub(crate) fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        serde_json::from_str(include_str!("catalogue.json"))
            .expect("catalogue.json is part of the source and parsed by a test")
    })
}

pub(crate) fn is_area(area: &str) -> bool {
    catalogue().areas.iter().any(|a| a.area == area)
}

pub(crate) fn is_resource_type(kind: &str) -> bool {
    catalogue().resource_types.iter().any(|t| t == kind)
}
