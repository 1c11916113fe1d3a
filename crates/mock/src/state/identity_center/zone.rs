//! The zone itself: opening Identity Center, describing and renaming it, its statistics; and
//! how every zone-scoped action finds its zone.

use crate::state::data::Inner;
use crate::state::failure::Failure;
use crate::state::{BusinessError, Ctx, Handler};

use super::Zone;

/// A zone-scoped action before the caller opened Identity Center.
pub(crate) const NOT_OPEN: Failure = Failure {
    name: "IdentityCenterNotOpen",
    codes: &["FailedOperation.IdentityCenterNotOpen"],
    fallback: "FailedOperation",
    message: "Identity Center is not open for this account.",
};

/// A `ZoneId` that is not the caller's zone.
pub(crate) const ZONE_NOT_EXIST: Failure = Failure {
    name: "ZoneIdNotExist",
    codes: &["FailedOperation.ZoneIdNotExist"],
    fallback: "ResourceNotFound",
    message: "The caller has no Identity Center zone with this ID.",
};

pub(crate) static HANDLERS: &[Handler] = &[];

pub(super) fn decisions() -> Vec<String> {
    Vec::new()
}

/// The ID of the zone the caller owns, if it opened one.
fn owned_zone_id(inner: &Inner, uin: u64) -> Option<String> {
    inner
        .identity_center
        .zones
        .values()
        .find(|z| z.owner_uin == uin)
        .map(|z| z.id.clone())
}

/// The zone named by the call's `ZoneId`, which must be the caller's.
fn zone_id(inner: &Inner, ctx: &Ctx<'_>) -> Result<String, BusinessError> {
    let owned = owned_zone_id(inner, ctx.caller).ok_or_else(|| ctx.err(NOT_OPEN))?;
    match ctx.str("ZoneId") {
        Some(id) if id == owned => Ok(owned),
        Some(id) => Err(ctx.err_with(ZONE_NOT_EXIST, format!("({id})"))),
        None => Ok(owned),
    }
}

/// The caller's zone named by `ZoneId`.
pub(crate) fn zone<'a>(inner: &'a Inner, ctx: &Ctx<'_>) -> Result<&'a Zone, BusinessError> {
    let id = zone_id(inner, ctx)?;
    Ok(&inner.identity_center.zones[&id])
}

/// The caller's zone named by `ZoneId`, to change.
pub(crate) fn zone_mut<'a>(
    inner: &'a mut Inner,
    ctx: &Ctx<'_>,
) -> Result<&'a mut Zone, BusinessError> {
    let id = zone_id(inner, ctx)?;
    inner
        .identity_center
        .zones
        .get_mut(&id)
        .ok_or_else(|| ctx.err(NOT_OPEN))
}
