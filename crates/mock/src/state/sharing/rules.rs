//! What removals elsewhere in the world do to resource sharing (called from
//! [`crate::state::cascade`]).

use super::failures::{MANAGER_SHARES, MEMBER_SHARES, NODE_SHARED};
use super::model::SCOPE_ORG;
use crate::state::data::Inner;
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// An account that owns share units is sharing resources: it may not leave the organization
/// (the removing actions document a code for it).
pub(crate) fn check_members_removal(inner: &Inner, ctx: &Ctx<'_>, uins: &[u64]) -> Result<()> {
    if let Some(u) = inner
        .sharing
        .units
        .values()
        .find(|u| uins.contains(&u.owner))
    {
        return Err(ctx.err_with(MEMBER_SHARES, format!("({} owns {})", u.owner, u.id())));
    }
    Ok(())
}

/// Members `uins` have left organization `org_id`: they stop being members of the units
/// restricted to it (units open to any account keep them).
pub(crate) fn members_removed(inner: &mut Inner, org_id: u64, uins: &[u64]) {
    for u in inner.sharing.units.values_mut() {
        if u.org_id == org_id && u.scope == SCOPE_ORG {
            u.members.retain(|uin, _| !uins.contains(uin));
        }
    }
}

/// A unit of the organization that is in a share unit may not be deleted.
pub(crate) fn check_nodes_removal(
    inner: &Inner,
    ctx: &Ctx<'_>,
    org_id: u64,
    nodes: &[u64],
) -> Result<()> {
    for u in inner.sharing.units.values().filter(|u| u.org_id == org_id) {
        if let Some(node) = nodes.iter().find(|n| u.nodes.contains_key(n)) {
            return Err(ctx.err_with(NODE_SHARED, format!("(unit {node} is in {})", u.id())));
        }
    }
    Ok(())
}

/// The organization may not be deleted while its manager owns share units.
pub(crate) fn check_org_removal(inner: &Inner, ctx: &Ctx<'_>, org_id: u64) -> Result<()> {
    let host = inner.orgs.get(&org_id).map(|o| o.host_uin);
    if let Some(u) = inner.sharing.units.values().find(|u| Some(u.owner) == host) {
        return Err(ctx.err_with(MANAGER_SHARES, format!("({})", u.id())));
    }
    Ok(())
}
