//! What the policies area keeps, per organization, and the reads every handler shares:
//! policies (custom and built-in alike), their attachments seen from either side.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalogue::{self, BuiltIn, Kind, FIRST_POLICY_ID};
use crate::state::org::model::Org;

/// First member access policy ID (the contract's examples show 1001).
pub(crate) const FIRST_MEMBER_POLICY_ID: u64 = 1001;

/// The area's state: per organization, and the ID counters (never reused until a reset).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Policies {
    pub next_policy: u64,
    pub next_member_policy: u64,
    pub orgs: BTreeMap<u64, OrgPolicies>,
}

impl Default for Policies {
    fn default() -> Self {
        Policies {
            next_policy: FIRST_POLICY_ID,
            next_member_policy: FIRST_MEMBER_POLICY_ID,
            orgs: BTreeMap::new(),
        }
    }
}

/// One organization's policies.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct OrgPolicies {
    /// The enabled policy types, with the time each was enabled.
    pub enabled: BTreeMap<Kind, i64>,
    /// Custom policies by ID.
    pub policies: BTreeMap<u64, Policy>,
    /// Where a built-in policy's standing binding to every unit and member was changed:
    /// detached from a target, or attached again.
    pub built_in_changes: Vec<BuiltInChange>,
    /// Member access policies by ID.
    pub member_policies: BTreeMap<u64, super::member_access::MemberPolicy>,
}

/// A unit or a member: what a policy is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum Target {
    Node(u64),
    Member(u64),
}

impl Target {
    pub fn id(self) -> u64 {
        match self {
            Target::Node(id) | Target::Member(id) => id,
        }
    }

    /// The association type the lists show: 1 unit, 2 member.
    pub fn related_type(self) -> u64 {
        match self {
            Target::Node(_) => 1,
            Target::Member(_) => 2,
        }
    }

    /// Whether the target is (still) in the organization.
    pub fn exists_in(self, o: &Org) -> bool {
        match self {
            Target::Node(id) => o.nodes.contains_key(&id),
            Target::Member(uin) => o.members.contains_key(&uin),
        }
    }

    /// The unit's or the member's name.
    pub fn name_in(self, o: &Org) -> String {
        match self {
            Target::Node(id) => o.node_name(id),
            Target::Member(uin) => o
                .members
                .get(&uin)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
        }
    }

    /// When the target came into the organization (a built-in policy binds it from then on).
    fn joined(self, o: &Org) -> i64 {
        match self {
            Target::Node(id) => o.nodes.get(&id).map_or(0, |n| n.create_time),
            Target::Member(uin) => o.members.get(&uin).map_or(0, |m| m.join_time),
        }
    }

    /// The target, then the units above it up to the root: where policies that apply to it
    /// are attached, nearest first.
    pub fn path_up(self, o: &Org) -> Vec<Target> {
        let mut path = vec![self];
        let mut node = match self {
            Target::Node(id) => o.nodes.get(&id).and_then(|n| n.parent),
            Target::Member(uin) => o.members.get(&uin).map(|m| m.node),
        };
        while let Some(id) = node {
            if path.len() > o.nodes.len() + 1 {
                break; // never happens: the tree has no cycles
            }
            path.push(Target::Node(id));
            node = o.nodes.get(&id).and_then(|n| n.parent);
        }
        path
    }
}

/// Every unit and member of an organization, units first.
pub(crate) fn targets_of(o: &Org) -> impl Iterator<Item = Target> + '_ {
    o.nodes
        .keys()
        .map(|&id| Target::Node(id))
        .chain(o.members.keys().map(|&uin| Target::Member(uin)))
}

/// The target an untyped ID names: a member's UIN, else a unit's ID.
pub(crate) fn resolve(o: &Org, id: u64) -> Option<Target> {
    if o.members.contains_key(&id) {
        Some(Target::Member(id))
    } else if o.nodes.contains_key(&id) {
        Some(Target::Node(id))
    } else {
        None
    }
}

/// A custom policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Policy {
    /// In a seed, may be left out: the key it is filed under.
    #[serde(default)]
    pub id: u64,
    pub kind: Kind,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub document: String,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
    /// Where it is attached, in the order it was attached; no target twice.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Attachment {
    pub target: Target,
    #[serde(default)]
    pub time: i64,
}

/// A change to a built-in policy's standing binding: `attached` is `None` once detached from
/// the target, the time when attached again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BuiltInChange {
    pub policy: u64,
    pub target: Target,
    pub attached: Option<i64>,
}

/// A policy as the reads show it, custom or built-in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PolicyView<'a> {
    pub id: u64,
    pub kind: Kind,
    pub name: &'a str,
    pub description: &'a str,
    pub document: &'a str,
    pub built_in: bool,
    pub create_time: i64,
    pub update_time: i64,
}

impl PolicyView<'_> {
    /// The policy type the lists show: 1 custom, 2 built-in (preset).
    pub fn type_code(&self) -> u64 {
        if self.built_in {
            2
        } else {
            1
        }
    }
}

impl OrgPolicies {
    pub fn is_enabled(&self, kind: Kind) -> bool {
        self.enabled.contains_key(&kind)
    }

    /// The built-in policies that exist now (their type is enabled), with the time they came.
    fn built_ins(&self) -> impl Iterator<Item = (&'static BuiltIn, i64)> + '_ {
        catalogue::BUILT_IN
            .iter()
            .filter_map(|b| self.enabled.get(&b.kind).map(|&since| (b, since)))
    }

    /// Every policy of the organization that exists now, built-in first, then by ID.
    pub fn all(&self) -> Vec<PolicyView<'_>> {
        let built_in = self.built_ins().map(|(b, since)| PolicyView {
            id: b.id,
            kind: b.kind,
            name: b.name,
            description: b.description,
            document: b.document,
            built_in: true,
            create_time: since,
            update_time: since,
        });
        let custom = self.policies.values().map(|p| PolicyView {
            id: p.id,
            kind: p.kind,
            name: &p.name,
            description: &p.description,
            document: &p.document,
            built_in: false,
            create_time: p.create_time,
            update_time: p.update_time,
        });
        built_in.chain(custom).collect()
    }

    /// The policy `id` of type `kind`, if it exists now.
    pub fn find(&self, id: u64, kind: Kind) -> Option<PolicyView<'_>> {
        self.all()
            .into_iter()
            .find(|p| p.id == id && p.kind == kind)
    }

    /// Where policy `id` is attached, in attachment order (built-in: units and members by
    /// when they came, bar those it was detached from).
    pub fn attachments(&self, o: &Org, id: u64) -> Vec<Attachment> {
        if let Some(p) = self.policies.get(&id) {
            return p.attachments.clone();
        }
        let Some((_, since)) = self.built_ins().find(|(b, _)| b.id == id) else {
            return Vec::new();
        };
        let mut out: Vec<Attachment> = targets_of(o)
            .filter_map(|target| {
                let change = self
                    .built_in_changes
                    .iter()
                    .find(|c| c.policy == id && c.target == target);
                let time = match change {
                    Some(c) => c.attached?,
                    None => since.max(target.joined(o)),
                };
                Some(Attachment { target, time })
            })
            .collect();
        out.sort_by_key(|a| (a.time, a.target));
        out
    }

    /// The policies attached directly to `target`, with when each was attached; built-in
    /// first, then by ID.
    pub fn attached_to(&self, o: &Org, target: Target) -> Vec<(PolicyView<'_>, i64)> {
        self.all()
            .into_iter()
            .filter_map(|p| {
                self.attachments(o, p.id)
                    .into_iter()
                    .find(|a| a.target == target)
                    .map(|a| (p, a.time))
            })
            .collect()
    }

    /// Attaches policy `id`, not attached to `target` (the caller checked), at `now`.
    pub fn attach(&mut self, id: u64, target: Target, now: i64) {
        if let Some(p) = self.policies.get_mut(&id) {
            p.attachments.push(Attachment { target, time: now });
        } else {
            self.set_built_in(id, target, Some(now));
        }
    }

    /// Detaches policy `id` from `target`.
    pub fn detach(&mut self, id: u64, target: Target) {
        if let Some(p) = self.policies.get_mut(&id) {
            p.attachments.retain(|a| a.target != target);
        } else {
            self.set_built_in(id, target, None);
        }
    }

    fn set_built_in(&mut self, policy: u64, target: Target, attached: Option<i64>) {
        self.built_in_changes
            .retain(|c| !(c.policy == policy && c.target == target));
        self.built_in_changes.push(BuiltInChange {
            policy,
            target,
            attached,
        });
    }

    /// Forgets every attachment to targets that left the organization.
    pub fn targets_removed(&mut self, gone: &[Target]) {
        for p in self.policies.values_mut() {
            p.attachments.retain(|a| !gone.contains(&a.target));
        }
        self.built_in_changes.retain(|c| !gone.contains(&c.target));
    }
}
