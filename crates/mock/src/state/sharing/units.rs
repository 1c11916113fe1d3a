//! Share units themselves: AddShareUnit, UpdateShareUnit, DeleteShareUnit, DescribeShareUnits,
//! and the share areas (DescribeShareAreas).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::access;
use super::failures::*;
use super::model::*;
use crate::state::data::Inner;
use crate::state::org::model::format_time;
use crate::state::org::ops;
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

fn check_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    let (min, max) = NAME_LEN;
    let ok = (min..=max).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ctx.err_with(
            INVALID,
            format!("a share unit name has {min}-{max} letters, digits, - and _."),
        ))
    }
}

fn check_description(ctx: &Ctx<'_>, description: &str) -> Result<()> {
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(ctx.err_with(
            INVALID,
            format!("a description has at most {MAX_DESCRIPTION} characters."),
        ));
    }
    Ok(())
}

/// `ShareScope`, if given: 1 or 2.
fn scope(ctx: &Ctx<'_>) -> Result<Option<u64>> {
    match ctx.int("ShareScope") {
        None => Ok(None),
        Some(s @ 1..=2) => Ok(Some(s as u64)),
        Some(s) => Err(ctx.err_with(
            INVALID,
            format!("ShareScope is 1 (the organization) or 2 (any account), not {s}."),
        )),
    }
}

pub(super) fn add(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::joined(inner, ctx)?;
    let name = ctx.str("Name").unwrap_or_default();
    check_name(ctx, name)?;
    let area = access::area(ctx)?.unwrap_or_default().to_owned();
    let description = ctx.str("Description").unwrap_or_default();
    check_description(ctx, description)?;
    let scope = scope(ctx)?.unwrap_or(SCOPE_ORG);
    let owned = inner
        .sharing
        .units
        .values()
        .filter(|u| u.owner == ctx.caller)
        .count();
    if owned >= MAX_UNITS {
        return Err(ctx.err_with(UNIT_LIMIT, format!("(at most {MAX_UNITS})")));
    }
    let sharing = &mut inner.sharing;
    let seq = sharing.next_unit;
    sharing.next_unit += 1;
    sharing.units.insert(
        seq,
        ShareUnit {
            seq,
            owner: ctx.caller,
            org_id,
            name: name.to_owned(),
            area,
            description: description.to_owned(),
            scope,
            create_time: ctx.now,
            members: BTreeMap::new(),
            nodes: BTreeMap::new(),
            resources: BTreeMap::new(),
        },
    );
    Ok(json!({ "UnitId": unit_id(seq) }))
}

pub(super) fn update(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let seq = access::owned(inner, ctx)?;
    let name = ctx.str("Name");
    if let Some(name) = name {
        check_name(ctx, name)?;
    }
    let description = ctx.str("Description");
    if let Some(description) = description {
        check_description(ctx, description)?;
    }
    let scope = scope(ctx)?;
    let u = access::unit(inner, seq);
    if scope == Some(SCOPE_ORG) {
        let org = ops::org(inner, u.org_id);
        let outside: Vec<String> = u
            .members
            .keys()
            .filter(|m| **m != org.host_uin && !org.members.contains_key(m))
            .map(u64::to_string)
            .collect();
        if !outside.is_empty() {
            return Err(ctx.err_with(NOT_IN_ORG, outside.join(", ")));
        }
    }
    let u = access::unit_mut(inner, seq);
    if let Some(name) = name {
        u.name = name.to_owned();
    }
    if let Some(description) = description {
        u.description = description.to_owned();
    }
    if let Some(scope) = scope {
        u.scope = scope;
    }
    Ok(json!({}))
}

/// Deletes a unit with everything in it: its members, units and resources stop being shared.
pub(super) fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let seq = access::owned(inner, ctx)?;
    inner.sharing.units.remove(&seq);
    Ok(json!({}))
}

/// The units of an area the caller owns or was invited to (an invitee finds its invitations
/// here: `Uin` and `OwnerUin` name the unit's owner).
pub(super) fn describe(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let area = access::area(ctx)?.unwrap_or_default();
    let search = ctx.str("SearchKey").filter(|s| !s.is_empty());
    let items: Vec<Value> = inner
        .sharing
        .units
        .values()
        .filter(|u| u.area == area)
        .filter(|u| u.owner == ctx.caller || u.members.contains_key(&ctx.caller))
        .filter(|u| search.is_none_or(|s| u.id().contains(s) || u.name.contains(s)))
        .map(|u| {
            json!({
                "UnitId": u.id(),
                "Name": u.name,
                "Uin": u.owner,
                "OwnerUin": u.owner,
                "Area": u.area,
                "Description": u.description,
                "CreateTime": format_time(u.create_time),
                "ShareResourceNum": u.resources.len(),
                "ShareMemberNum": u.members.len(),
                "ShareScope": u.scope,
                "ShareNodeNum": u.nodes.len(),
            })
        })
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}

/// The share areas, named in `Lang` (`en` when absent).
pub(super) fn areas(_inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let lang = ctx.str("Lang").unwrap_or("en");
    if !catalogue().areas.iter().all(|a| a.names.contains_key(lang)) {
        return Err(ctx.err_with(INVALID, format!("Lang is zh or en, not {lang:?}.")));
    }
    let items: Vec<Value> = catalogue()
        .areas
        .iter()
        .map(|a| json!({"Name": a.names[lang], "Area": a.area, "AreaId": a.area_id}))
        .collect();
    Ok(json!({ "Items": items }))
}
