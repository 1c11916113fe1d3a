//! The accounts a share unit is shared with: AddShareUnitMembers, DeleteShareUnitMembers,
//! DescribeShareUnitMembers, and the invitee's answer, AcceptJoinShareUnitInvitation and
//! RejectJoinShareUnitInvitation.

use serde_json::{json, Value};

use super::access;
use super::failures::*;
use super::model::*;
use crate::state::data::Inner;
use crate::state::org::model::{format_time, Standing};
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// The `ShareMemberUin`s of `Members`, 1 to the per-call limit, without repeats.
fn member_uins(ctx: &Ctx<'_>) -> Result<Vec<u64>> {
    let mut uins: Vec<u64> = ctx
        .params
        .get("Members")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|m| m.get("ShareMemberUin").and_then(Value::as_u64).unwrap_or(0))
        .collect();
    if uins.is_empty() {
        return Err(ctx.err_with(INVALID, "Members needs at least one member."));
    }
    if uins.len() > MAX_MEMBERS_PER_CALL {
        return Err(ctx.err_with(
            MEMBER_LIMIT,
            format!("at most {MAX_MEMBERS_PER_CALL} per call."),
        ));
    }
    uins.sort_unstable();
    uins.dedup();
    Ok(uins)
}

/// Whether `uin` may be invited to `u`: an account the mock knows, not the owner, inside the
/// owner's organization when the unit is restricted to it, and never in another organization.
fn check_invitee(inner: &Inner, ctx: &Ctx<'_>, u: &ShareUnit, uin: u64) -> Result<()> {
    if uin == u.owner {
        return Err(ctx.err_with(INVALID, "the owner cannot be its unit's member."));
    }
    if !inner.accounts.contains_key(&uin) {
        return Err(ctx.err_with(USER_NOT_EXIST, format!("({uin})")));
    }
    match inner.standing(uin) {
        Standing::Manager(org) | Standing::Member(org) if org == u.org_id => Ok(()),
        Standing::Manager(_) | Standing::Member(_) => {
            Err(ctx.err_with(OTHER_ORG_MEMBER, format!("({uin})")))
        }
        Standing::None if u.scope == SCOPE_ANY => Ok(()),
        Standing::None => Err(ctx.err_with(NOT_IN_ORG, uin)),
    }
}

/// Invites accounts, all or none; an account already invited keeps its standing.
pub(super) fn add(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let seq = access::owned(inner, ctx)?;
    let uins = member_uins(ctx)?;
    let u = access::unit(inner, seq);
    for uin in &uins {
        check_invitee(inner, ctx, u, *uin)?;
    }
    let new: Vec<u64> = uins
        .into_iter()
        .filter(|uin| !u.members.contains_key(uin))
        .collect();
    if u.members.len() + new.len() > MAX_MEMBERS {
        return Err(ctx.err_with(MEMBER_LIMIT, format!("at most {MAX_MEMBERS} per unit.")));
    }
    let u = access::unit_mut(inner, seq);
    for uin in new {
        u.members.insert(
            uin,
            ShareMember {
                accepted: false,
                create_time: ctx.now,
            },
        );
    }
    Ok(json!({}))
}

/// Removes members (invited or joined), all or none.
pub(super) fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let seq = access::owned(inner, ctx)?;
    let uins = member_uins(ctx)?;
    let u = access::unit(inner, seq);
    if let Some(uin) = uins.iter().find(|uin| !u.members.contains_key(uin)) {
        return Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({uin})")));
    }
    let u = access::unit_mut(inner, seq);
    for uin in uins {
        u.members.remove(&uin);
    }
    Ok(json!({}))
}

pub(super) fn describe(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let seq = access::visible(inner, ctx)?;
    let search = ctx.str("SearchKey").filter(|s| !s.is_empty());
    let items: Vec<Value> = access::unit(inner, seq)
        .members
        .iter()
        .filter(|(uin, _)| search.is_none_or(|s| uin.to_string().contains(s)))
        .map(|(uin, m)| json!({"ShareMemberUin": uin, "CreateTime": format_time(m.create_time)}))
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}

/// The caller's pending invitation to the unit `UnitId` names.
fn invitation(inner: &Inner, ctx: &Ctx<'_>) -> Result<(u64, bool)> {
    let seq = access::any(inner, ctx)?;
    match access::unit(inner, seq).members.get(&ctx.caller) {
        None => Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({})", ctx.caller))),
        Some(m) => Ok((seq, m.accepted)),
    }
}

/// The invitee joins: the unit's resources reach it from now on. Accepting again changes
/// nothing.
pub(super) fn accept(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (seq, _) = invitation(inner, ctx)?;
    let caller = ctx.caller;
    if let Some(m) = access::unit_mut(inner, seq).members.get_mut(&caller) {
        m.accepted = true;
    }
    Ok(json!({}))
}

/// The invitee declines: it is no longer the unit's member.
pub(super) fn reject(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (seq, accepted) = invitation(inner, ctx)?;
    if accepted {
        return Err(ctx.err(ALREADY_JOINED));
    }
    access::unit_mut(inner, seq).members.remove(&ctx.caller);
    Ok(json!({}))
}
