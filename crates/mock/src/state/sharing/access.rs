//! Finding the share unit a request names, for whoever may act on it: its owner changes it;
//! its owner and the accounts invited to it read it.

use super::failures::*;
use super::model::*;
use crate::state::data::Inner;
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// The request's `Area`, which must be a share area (`None` when the action has none).
pub(super) fn area<'a>(ctx: &'a Ctx<'_>) -> Result<Option<&'a str>> {
    match ctx.str("Area") {
        None => Ok(None),
        Some(a) if is_area(a) => Ok(Some(a)),
        Some(a) => Err(ctx.err_with(AREA_NOT_EXIST, format!("({a:?})"))),
    }
}

/// The unit `UnitId` names, in the request's area if it gives one, if `may` lets the caller
/// act on it.
fn find(inner: &Inner, ctx: &Ctx<'_>, may: fn(&ShareUnit, u64) -> bool) -> Result<u64> {
    let area = area(ctx)?;
    let id = ctx.str("UnitId").unwrap_or_default();
    unit_seq(id)
        .and_then(|seq| inner.sharing.units.get(&seq))
        .filter(|u| area.is_none_or(|a| u.area == a))
        .filter(|u| may(u, ctx.caller))
        .map(|u| u.seq)
        .ok_or_else(|| ctx.err_with(UNIT_NOT_EXIST, format!("({id:?})")))
}

/// A unit the caller owns.
pub(super) fn owned(inner: &Inner, ctx: &Ctx<'_>) -> Result<u64> {
    find(inner, ctx, |u, caller| u.owner == caller)
}

/// A unit the caller owns or was invited to.
pub(super) fn visible(inner: &Inner, ctx: &Ctx<'_>) -> Result<u64> {
    find(inner, ctx, |u, caller| {
        u.owner == caller || u.members.contains_key(&caller)
    })
}

/// Any unit the ID names (for the invitee's answer to an invitation).
pub(super) fn any(inner: &Inner, ctx: &Ctx<'_>) -> Result<u64> {
    find(inner, ctx, |_, _| true)
}

pub(super) fn unit(inner: &Inner, seq: u64) -> &ShareUnit {
    &inner.sharing.units[&seq]
}

pub(super) fn unit_mut(inner: &mut Inner, seq: u64) -> &mut ShareUnit {
    inner
        .sharing
        .units
        .get_mut(&seq)
        .expect("unit found under the same lock")
}
