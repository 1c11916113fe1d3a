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
pub(crate) mod roles;
mod saml;
mod scim;
pub(crate) mod subjects;
pub(crate) mod sync;
mod users;
pub(crate) mod zone;

use std::collections::BTreeMap;

use tco_spec::Version;

use super::Area;

/// Every zone, by ID.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct IdentityCenter {
    pub zones: BTreeMap<String, Zone>,
    /// The creation sequence of the next item of any kind (IDs and paging keys).
    pub next_seq: u64,
}

/// One organization's Identity Center.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Zone {
    pub id: String,
    pub name: String,
    /// The organization manager that opened it.
    pub owner_uin: u64,
    pub create_time: i64,
    pub update_time: i64,
    pub users: users::Users,
    pub groups: groups::Groups,
    pub roles: roles::RoleConfigurations,
    pub assignments: assignments::Assignments,
    pub scim: scim::Scim,
    pub saml: saml::Saml,
    pub sync: sync::UserSync,
}

impl IdentityCenter {
    /// A fresh creation sequence number, never reused until a reset.
    pub fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
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
