//! Who may act on an organization's policies, and the organization's policy state.

use super::failures::{NOT_MANAGER, NO_ORG};
use super::model::OrgPolicies;
use crate::state::data::Inner;
use crate::state::org::model::{Org, Standing};
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// The organization the caller manages. A member of an organization is told it is not the
/// manager (the management-policy actions document a code for it).
pub(crate) fn manager(inner: &Inner, ctx: &Ctx<'_>) -> Result<u64> {
    match inner.standing(ctx.caller) {
        Standing::Manager(org_id) => Ok(org_id),
        Standing::Member(_) => Err(ctx.err(NOT_MANAGER)),
        Standing::None => Err(ctx.err(NO_ORG)),
    }
}

/// The organization `org_id` (an `OrganizationId` parameter), which the caller must manage.
pub(crate) fn manager_of(inner: &Inner, ctx: &Ctx<'_>, org_id: u64) -> Result<u64> {
    match inner.orgs.get(&org_id) {
        Some(o) if o.host_uin == ctx.caller => Ok(org_id),
        Some(_) => Err(ctx.err(NOT_MANAGER)),
        None => Err(ctx.err_with(NO_ORG, format!("({org_id})"))),
    }
}

/// The organization the caller manages; anyone else has none that allows the operation (the
/// member access actions document no code for "not the manager").
pub(crate) fn owner(inner: &Inner, ctx: &Ctx<'_>) -> Result<u64> {
    inner
        .managed_org_id(ctx.caller)
        .ok_or_else(|| ctx.err(NO_ORG))
}

/// An organization taken from the world under the same lock.
pub(crate) fn org(inner: &Inner, org_id: u64) -> &Org {
    &inner.orgs[&org_id]
}

static NONE_YET: OrgPolicies = OrgPolicies {
    enabled: std::collections::BTreeMap::new(),
    policies: std::collections::BTreeMap::new(),
    built_in_changes: Vec::new(),
    member_policies: std::collections::BTreeMap::new(),
};

/// The organization's policies (none before the first change).
pub(crate) fn state(inner: &Inner, org_id: u64) -> &OrgPolicies {
    inner.policies.orgs.get(&org_id).unwrap_or(&NONE_YET)
}

pub(crate) fn state_mut(inner: &mut Inner, org_id: u64) -> &mut OrgPolicies {
    inner.policies.orgs.entry(org_id).or_default()
}
