//! Identity Center: one zone per organization manager, opened with `OpenIdentityCenter`, holding
//! users and groups, role configurations and their permission policies, role assignments to
//! member accounts, SCIM credentials, the external SAML identity provider, and sub-user
//! synchronization. One module per concept; asynchronous work (provisioning, assignments,
//! user sync) goes through the shared task machinery in [`crate::state::tasks`].
//!
//! Every zone-scoped action first finds its zone with [`zone::zone`] / [`zone::zone_mut`]:
//! `FailedOperation.IdentityCenterNotOpen` before the caller opened one,
//! `FailedOperation.ZoneIdNotExist` for a `ZoneId` that is not the caller's.

pub(crate) mod assignments;
mod groups;
mod paging;
pub(crate) mod roles;
mod saml;
mod saml_cert;
mod saml_metadata;
mod scim;
pub(crate) mod seed;
pub(crate) mod subjects;
pub(crate) mod sync;
mod users;
pub(crate) mod zone;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tco_spec::Version;

use super::failure::Failure;
use super::Area;

pub(crate) use zone::org_removed;

/// The access actions (role configurations, their provisioning, role assignments, tasks and
/// user synchronization): the fixtures fill their examples and the tests check each one's
/// zone errors.
pub(crate) const ACCESS_ACTIONS: [&str; 23] = [
    "CreateRoleConfiguration",
    "GetRoleConfiguration",
    "ListRoleConfigurations",
    "UpdateRoleConfiguration",
    "DeleteRoleConfiguration",
    "AddPermissionPolicyToRoleConfiguration",
    "ListPermissionPoliciesInRoleConfiguration",
    "RemovePermissionPolicyFromRoleConfiguration",
    "UpdateCustomPolicyForRoleConfiguration",
    "ProvisionRoleConfiguration",
    "DismantleRoleConfiguration",
    "ListRoleConfigurationProvisionings",
    "CreateRoleAssignment",
    "DeleteRoleAssignment",
    "ListRoleAssignments",
    "GetTaskStatus",
    "ListTasks",
    "CreateUserSyncProvisioning",
    "GetUserSyncProvisioning",
    "ListUserSyncProvisionings",
    "UpdateUserSyncProvisioning",
    "DeleteUserSyncProvisioning",
    "GetProvisioningTaskStatus",
];

/// Every zone, by ID.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct IdentityCenter {
    pub zones: BTreeMap<String, Zone>,
    /// The creation sequence of the next item of any kind (IDs and paging keys).
    pub next_seq: u64,
}

/// One organization's Identity Center. In a seed: `name` and `org_id` (the ID is the key,
/// the owner the organization's manager), then its contents, each filed by ID.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Zone {
    #[serde(default)]
    pub id: String,
    pub name: String,
    /// The organization manager that opened it.
    #[serde(default)]
    pub owner_uin: u64,
    /// The organization it belongs to (it goes when the organization goes).
    pub org_id: u64,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
    #[serde(default)]
    pub users: users::Users,
    #[serde(default)]
    pub groups: groups::Groups,
    #[serde(default)]
    pub roles: roles::RoleConfigurations,
    #[serde(default)]
    pub assignments: assignments::Assignments,
    #[serde(default)]
    pub scim: scim::Scim,
    #[serde(default)]
    pub saml: saml::Saml,
    #[serde(default)]
    pub sync: sync::UserSync,
}

/// What a seed's user, SCIM key... that leaves its status out means.
fn enabled() -> Switch {
    Switch::Enabled
}

/// What a seed's user or group that leaves its origin out means.
fn manual() -> Origin {
    Origin::Manual
}

impl IdentityCenter {
    /// A fresh creation sequence number, never reused until a reset.
    pub fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// A fresh creation sequence number and the ID made from it: `prefix` followed by `len`
    /// digits and lowercase letters (`u-` and 8 for a user, `z-` and 12 for a zone, as the
    /// contract's examples show). IDs look random, as the service's do, but are a bijection of
    /// the sequence number, so they are deterministic and never collide.
    pub fn new_id(&mut self, prefix: &str, len: u32) -> (u64, String) {
        let seq = self.seq();
        (seq, format!("{prefix}{}", scrambled(seq, len)))
    }
}

/// `seq` spread over `len` base-36 digits: multiplying by a constant prime to 36 is a
/// bijection modulo 36^len, so distinct sequence numbers give distinct IDs.
fn scrambled(seq: u64, len: u32) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    const SPREAD: u128 = 0x9E37_79B9_7F4A_7C15; // odd, not a multiple of 3
    let modulus = 36u128.pow(len);
    let mut n = (u128::from(seq) * SPREAD + 0x2545_F491) % modulus;
    let mut out = vec![b'0'; len as usize];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Who a role assignment or a user synchronization is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum PrincipalKind {
    User,
    Group,
}

impl PrincipalKind {
    /// The `PrincipalType` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "User",
            PrincipalKind::Group => "Group",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "User" => Some(PrincipalKind::User),
            "Group" => Some(PrincipalKind::Group),
            _ => None,
        }
    }
}

/// A user or group that a role assignment still names.
pub(crate) const PRINCIPAL_ASSIGNED: Failure = Failure {
    name: "PrincipalAssigned",
    codes: &["FailedOperation.RoleConfigurationAuthorizationExist"],
    fallback: "FailedOperation",
    message: "Role assignments still name this user or group; delete them first.",
};

/// A user or group that a user synchronization still names.
pub(crate) const PRINCIPAL_PROVISIONED: Failure = Failure {
    name: "PrincipalProvisioned",
    codes: &["FailedOperation.UserProvisioningExists"],
    fallback: "FailedOperation",
    message: "User synchronizations still name this user or group; delete them first.",
};

/// Where a user or a group comes from: made through the API, or imported from an external
/// identity provider (`UserType` / `GroupType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Origin {
    Manual,
    Synchronized,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Manual => "Manual",
            Origin::Synchronized => "Synchronized",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Manual" => Some(Origin::Manual),
            "Synchronized" => Some(Origin::Synchronized),
            _ => None,
        }
    }
}

/// `Enabled` / `Disabled`, the two states of users, SCIM keys, SCIM synchronization and SSO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Switch {
    Enabled,
    Disabled,
}

impl Switch {
    pub fn as_str(self) -> &'static str {
        match self {
            Switch::Enabled => "Enabled",
            Switch::Disabled => "Disabled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Enabled" => Some(Switch::Enabled),
            "Disabled" => Some(Switch::Disabled),
            _ => None,
        }
    }
}

pub(crate) static AREA: Area = Area {
    name: "Identity Center",
    handlers: &[
        (Version::V2021_03_31, zone::HANDLERS),
        (Version::V2021_03_31, users::HANDLERS),
        (Version::V2021_03_31, groups::HANDLERS),
        (Version::V2021_03_31, roles::HANDLERS),
        (Version::V2021_03_31, assignments::HANDLERS),
        (Version::V2021_03_31, scim::HANDLERS),
        (Version::V2021_03_31, saml::HANDLERS),
        (Version::V2021_03_31, sync::HANDLERS),
    ],
    decisions,
};

fn decisions() -> Vec<String> {
    [
        zone::decisions(),
        users::decisions(),
        groups::decisions(),
        roles::decisions(),
        assignments::decisions(),
        scim::decisions(),
        saml::decisions(),
        sync::decisions(),
    ]
    .concat()
}
