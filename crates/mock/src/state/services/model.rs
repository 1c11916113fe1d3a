//! What delegated administration keeps (who administers which service, in which
//! organization), and the catalogue of services, read once from `catalogue.json` (the service
//! the contract's examples show).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Delegated administrators per CreateOrgServiceAssign, as documented.
pub(crate) const MAX_ASSIGN_MEMBERS: usize = 20;
/// `ManagementScope`: all members, or some.
pub(crate) const SCOPE_ALL: u64 = 1;
pub(crate) const SCOPE_SOME: u64 = 2;
/// The `Is*` flags of the catalogue: 1 yes, 2 no.
pub(crate) const YES: u64 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct DelegatedServices {
    /// Service ID, then member UIN.
    pub assignments: BTreeMap<u64, BTreeMap<u64, Assignment>>,
}

/// In a seed only `org_id` is needed: the delegate manages all members (`scope = 1`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Assignment {
    pub org_id: u64,
    #[serde(default = "scope_all")]
    pub scope: u64,
    #[serde(default)]
    pub create_time: i64,
}

fn scope_all() -> u64 {
    SCOPE_ALL
}

/// One service of the catalogue, named as `ListOrganizationService` names its members.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Service {
    pub service_id: u64,
    pub product_name: String,
    pub product: String,
    pub description: String,
    pub is_assign: u64,
    pub can_assign_count: u64,
    pub is_usage_status: u64,
    pub service_grant: u64,
    pub grant_status: String,
    pub is_set_management_scope: u64,
    pub document: String,
    pub console_url: String,
}

pub(crate) fn catalogue() -> &'static [Service] {
    static CATALOGUE: OnceLock<Vec<Service>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        serde_json::from_str(include_str!("catalogue.json"))
            .expect("catalogue.json is part of the source and parsed by a test")
    })
}

impl DelegatedServices {
    /// Delegated administrators of `service` in organization `org_id`, by UIN.
    pub fn of(&self, service: u64, org_id: u64) -> impl Iterator<Item = (u64, &Assignment)> {
        self.assignments
            .get(&service)
            .into_iter()
            .flat_map(|m| m.iter())
            .filter(move |(_, a)| a.org_id == org_id)
            .map(|(uin, a)| (*uin, a))
    }

    /// Services `uin` administers.
    pub fn services_of(&self, uin: u64) -> impl Iterator<Item = u64> + '_ {
        self.assignments
            .iter()
            .filter(move |(_, m)| m.contains_key(&uin))
            .map(|(service, _)| *service)
    }
}
