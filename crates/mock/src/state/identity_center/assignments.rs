//! Not yet stateful.

use serde::{Deserialize, Serialize};

use super::{PrincipalKind, Zone};
use crate::state::Handler;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct Assignments {}

pub(crate) static HANDLERS: &[Handler] = &[];

pub(super) fn decisions() -> Vec<String> {
    Vec::new()
}

// Hooks the users and groups call (issue 11a); the assignments' owner fills them in.

/// Whether role assignments of zone `zone` name principal `id` (DeleteUser and DeleteGroup
/// refuse with `FailedOperation.RoleConfigurationAuthorizationExist` then).
pub(crate) fn principal_assigned(zone: &Zone, kind: PrincipalKind, id: &str) -> bool {
    let _ = (zone, kind, id);
    false
}

/// User or group `id` of `zone` has just been deleted (after [`principal_assigned`] said no).
pub(crate) fn principal_removed(zone: &mut Zone, kind: PrincipalKind, id: &str) {
    let _ = (zone, kind, id);
}
