//! Rules that cross areas: what removing a member, a unit or an organization does to what
//! hangs on it elsewhere in the world.
//!
//! Each removal in the organization area asks here first (`check_*`: refuse while something
//! still hangs on it, with the code the documentation gives the removing action), then tells
//! here once it is done (`*_removed`: what hangs on it goes with it). One place, so the same
//! removal does the same thing whichever action performs it (2018 or 2021, delete or quit).
//! Every failure a check raises must be declared by the removing actions' handlers.
//! `COVERAGE.md` states each rule.

use super::data::Inner;
use super::{member_login, policies, services, sharing, BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// Whether members `uins` of organization `org_id` may leave it (removed or quitting).
pub(crate) fn check_members_removal(
    inner: &Inner,
    ctx: &Ctx<'_>,
    org_id: u64,
    uins: &[u64],
) -> Result<()> {
    let _ = org_id;
    services::rules::check_members_removal(inner, ctx, uins)?;
    sharing::rules::check_members_removal(inner, ctx, uins)
}

/// Members `uins` have left organization `org_id`.
pub(crate) fn members_removed(inner: &mut Inner, org_id: u64, uins: &[u64]) {
    // Identity Center: role assignments, deployments and user synchronizations on them go.
    super::identity_center::subjects::members_removed(inner, org_id, uins);
    policies::members_removed(inner, org_id, uins);
    member_login::rules::members_removed(inner, uins);
    sharing::rules::members_removed(inner, org_id, uins);
}

/// Whether units `nodes` of organization `org_id` may be deleted.
pub(crate) fn check_nodes_removal(
    inner: &Inner,
    ctx: &Ctx<'_>,
    org_id: u64,
    nodes: &[u64],
) -> Result<()> {
    sharing::rules::check_nodes_removal(inner, ctx, org_id, nodes)
}

/// Units `nodes` of organization `org_id` are gone.
pub(crate) fn nodes_removed(inner: &mut Inner, org_id: u64, nodes: &[u64]) {
    policies::nodes_removed(inner, org_id, nodes);
}

/// Whether organization `org_id` may be deleted (it has no members by then).
pub(crate) fn check_org_removal(inner: &Inner, ctx: &Ctx<'_>, org_id: u64) -> Result<()> {
    policies::check_org_removal(inner, ctx, org_id)?;
    sharing::rules::check_org_removal(inner, ctx, org_id)
}

/// Organization `org_id` is gone.
pub(crate) fn org_removed(inner: &mut Inner, org_id: u64) {
    policies::org_removed(inner, org_id);
    member_login::rules::org_removed(inner, org_id);
    services::rules::org_removed(inner, org_id);
    super::identity_center::org_removed(inner, org_id);
}
