//! Identities granted to members: CreateOrganizationMemberAuthIdentity,
//! DeleteOrganizationMemberAuthIdentity, DescribeOrganizationMemberAuthIdentities.

use serde_json::{json, Value};

use super::failures::*;
use super::model::*;
use crate::state::data::Inner;
use crate::state::org::ops;
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// A list member with between 1 and `max` entries.
fn bounded_ids(ctx: &Ctx<'_>, key: &str, max: usize) -> Result<Vec<u64>> {
    let mut ids = ctx.ids(key);
    if ids.is_empty() || ids.len() > max {
        return Err(ctx.err_with(BAD_VALUE, format!("{key} holds 1-{max} IDs.")));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Grants every identity to every member, all or none; a grant that exists stays as it is.
pub(super) fn create(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let members = bounded_ids(ctx, "MemberUins", MAX_GRANT_MEMBERS)?;
    let identities = bounded_ids(ctx, "IdentityIds", MAX_GRANT_IDENTITIES)?;
    let o = ops::org(inner, org_id);
    if let Some(uin) = members.iter().find(|u| !o.members.contains_key(u)) {
        return Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({uin})")));
    }
    if let Some(id) = identities
        .iter()
        .find(|id| identity_of(inner, org_id, **id).is_none())
    {
        return Err(ctx.err_with(IDENTITY_NOT_EXIST, format!("({id})")));
    }
    let org = ops::org_mut(inner, org_id);
    let mut made = Vec::new();
    for uin in &members {
        let m = org.members.get_mut(uin).expect("checked above");
        for id in &identities {
            if !m.identity_ids.contains(id) {
                m.identity_ids.push(*id);
                made.push((*uin, *id));
            }
        }
    }
    let grant = Grant {
        create_time: ctx.now,
        update_time: ctx.now,
    };
    for (uin, id) in made {
        inner
            .member_login
            .grants
            .entry(uin)
            .or_default()
            .insert(id, grant);
    }
    Ok(json!({}))
}

pub(super) fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let (uin, id) = (ctx.id("MemberUin"), ctx.id("IdentityId"));
    if identity_of(inner, org_id, id).is_none() {
        return Err(ctx.err_with(IDENTITY_NOT_EXIST, format!("({id})")));
    }
    let granted = ops::org(inner, org_id)
        .members
        .get(&uin)
        .is_some_and(|m| m.identity_ids.contains(&id));
    if !granted {
        return Err(ctx.err_with(GRANT_NOT_EXIST, format!("(identity {id}, member {uin})")));
    }
    if super::accounts::grant_in_use(inner, org_id, uin, id) {
        return Err(ctx.err_with(GRANT_IN_USE, format!("(identity {id}, member {uin})")));
    }
    let m = ops::org_mut(inner, org_id)
        .members
        .get_mut(&uin)
        .expect("checked above");
    m.identity_ids.retain(|i| *i != id);
    let grants = &mut inner.member_login.grants;
    if let Some(of_member) = grants.get_mut(&uin) {
        of_member.remove(&id);
        if of_member.is_empty() {
            grants.remove(&uin);
        }
    }
    Ok(json!({}))
}

pub(super) fn describe(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let member = ctx.params.get("MemberUin").map(|_| ctx.id("MemberUin"));
    let identity = ctx.params.get("IdentityId").map(|_| ctx.id("IdentityId"));
    if member.is_none() && identity.is_none() {
        return Err(ctx.err_with(INVALID, "Give MemberUin, IdentityId or both."));
    }
    let identities = identities_of(inner, org_id);
    let o = ops::org(inner, org_id);
    let mut items = Vec::new();
    for m in o
        .members
        .values()
        .filter(|m| member.is_none_or(|u| m.uin == u))
    {
        let mut ids = m.identity_ids.clone();
        ids.sort_unstable();
        for id in ids
            .into_iter()
            .filter(|i| identity.is_none_or(|want| *i == want))
        {
            let Some(i) = identities.iter().find(|i| i.id == id) else {
                continue;
            };
            let grant = grant_times(inner, org_id, m.uin, id);
            items.push(json!({
                "IdentityId": i.id,
                "IdentityRoleName": i.role_name,
                "IdentityRoleAliasName": i.name,
                "Description": i.description,
                "CreateTime": time(grant.create_time),
                "UpdateTime": time(grant.update_time),
                "IdentityType": i.identity_type,
                "Status": 1,
                "MemberUin": m.uin,
                "MemberName": m.name,
            }));
        }
    }
    let (items, total) = page.slice(items);
    Ok(json!({ "Items": items, "Total": total }))
}
