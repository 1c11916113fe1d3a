//! What removals elsewhere in the world do to delegated administration (called from
//! [`crate::state::cascade`]).

use super::failures::MEMBER_IS_DELEGATE;
use super::model::catalogue;
use crate::state::data::Inner;
use crate::state::{BusinessError, Ctx};

/// A delegated administrator may not leave the organization: the documentation gives the
/// removing actions a code for it.
pub(crate) fn check_members_removal(
    inner: &Inner,
    ctx: &Ctx<'_>,
    uins: &[u64],
) -> Result<(), BusinessError> {
    for uin in uins {
        if let Some(service) = inner.services.services_of(*uin).next() {
            let name = catalogue()
                .iter()
                .find(|s| s.service_id == service)
                .map_or("a service", |s| s.product_name.as_str());
            return Err(ctx.err_with(MEMBER_IS_DELEGATE, format!("({uin} for {name})")));
        }
    }
    Ok(())
}

/// Organization `org_id` is gone (it had no members left, so no delegates; kept tidy anyway).
pub(crate) fn org_removed(inner: &mut Inner, org_id: u64) {
    let assignments = &mut inner.services.assignments;
    for admins in assignments.values_mut() {
        admins.retain(|_, a| a.org_id != org_id);
    }
    assignments.retain(|_, admins| !admins.is_empty());
}
