//! Not yet stateful.

use serde::{Deserialize, Serialize};

use crate::state::Handler;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct RoleConfigurations {}

pub(crate) static HANDLERS: &[Handler] = &[];

pub(super) fn decisions() -> Vec<String> {
    Vec::new()
}

impl RoleConfigurations {
    /// How many role configurations the zone has (`GetZoneStatistics`
    /// `RoleConfigurationCount`). Called by issue 11a's zone; the owner fills it in.
    pub(crate) fn len(&self) -> usize {
        0
    }

    /// How many provisionings of role configurations to member accounts the zone has
    /// (`GetZoneStatistics` `RoleConfigurationSyncCount`).
    pub(crate) fn provisioning_count(&self) -> usize {
        0
    }
}
