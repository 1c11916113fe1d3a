//! Resources shared through a unit: AddShareUnitResources, DeleteShareUnitResources,
//! DescribeShareUnitResources, and the receiving side, DescribeResourceToShareMember.

use serde_json::{json, Value};

use super::access;
use super::failures::*;
use super::model::*;
use crate::state::data::Inner;
use crate::state::org::model::format_time;
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// The request's `Type`, a type of the catalogue.
fn resource_type<'a>(ctx: &'a Ctx<'_>) -> Result<&'a str> {
    let kind = ctx.str("Type").unwrap_or_default();
    if is_resource_type(kind) {
        Ok(kind)
    } else {
        Err(ctx.err_with(TYPE_NOT_EXIST, format!("({kind:?})")))
    }
}

/// The `Resources` entries, 1 to the per-call limit: (ResourceId, ProductResourceId).
fn entries(ctx: &Ctx<'_>) -> Result<Vec<(String, String)>> {
    let text = |r: &Value, k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let list: Vec<(String, String)> = ctx
        .params
        .get("Resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| (text(r, "ResourceId"), text(r, "ProductResourceId")))
        .collect();
    if list.is_empty() {
        return Err(ctx.err_with(INVALID, "Resources needs at least one resource."));
    }
    if list.len() > MAX_RESOURCES_PER_CALL {
        return Err(ctx.err_with(
            RESOURCE_LIMIT,
            format!("at most {MAX_RESOURCES_PER_CALL} per call."),
        ));
    }
    Ok(list)
}

/// Shares resources of one type, all or none; a resource already shared stays as it was.
pub(super) fn add(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let seq = access::owned(inner, ctx)?;
    let kind = resource_type(ctx)?;
    let mut ids: Vec<String> = entries(ctx)?.into_iter().map(|(_, p)| p).collect();
    if ids.iter().any(String::is_empty) {
        return Err(ctx.err_with(INVALID, "every resource needs a ProductResourceId."));
    }
    ids.sort();
    ids.dedup();
    let u = access::unit(inner, seq);
    if let Some(held) = u.resource_type().filter(|t| *t != kind) {
        return Err(ctx.err_with(DIFFERENT_TYPE, format!("({held})")));
    }
    let new: Vec<String> = ids
        .into_iter()
        .filter(|id| !u.resources.values().any(|r| r.product_id == *id))
        .collect();
    if u.resources.len() + new.len() > MAX_RESOURCES {
        return Err(ctx.err_with(RESOURCE_LIMIT, format!("at most {MAX_RESOURCES} per unit.")));
    }
    for product_id in new {
        let rseq = inner.sharing.next_resource;
        inner.sharing.next_resource += 1;
        access::unit_mut(inner, seq).resources.insert(
            rseq,
            SharedResource {
                seq: rseq,
                kind: kind.to_owned(),
                product_id,
                create_time: ctx.now,
            },
        );
    }
    Ok(json!({}))
}

/// Stops sharing resources (named by ResourceId or ProductResourceId), all or none.
pub(super) fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let seq = access::owned(inner, ctx)?;
    let kind = resource_type(ctx)?;
    let wanted = entries(ctx)?;
    let u = access::unit(inner, seq);
    let mut gone = Vec::new();
    for (rid, pid) in &wanted {
        // Named by either ID (or both, which must then agree); an entry naming neither names
        // nothing.
        let named = |r: &&SharedResource| {
            (!rid.is_empty() || !pid.is_empty())
                && (rid.is_empty() || resource_id(r.seq) == *rid)
                && (pid.is_empty() || r.product_id == *pid)
        };
        let found = u.resources.values().filter(|r| r.kind == kind).find(named);
        match found {
            Some(r) => gone.push(r.seq),
            None => return Err(ctx.err_with(RESOURCE_NOT_EXIST, format!("({rid}{pid})"))),
        }
    }
    let u = access::unit_mut(inner, seq);
    for r in gone {
        u.resources.remove(&r);
    }
    Ok(json!({}))
}

pub(super) fn describe(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let seq = access::visible(inner, ctx)?;
    let search = ctx.str("SearchKey").filter(|s| !s.is_empty());
    let kind = ctx.str("Type").filter(|s| !s.is_empty());
    let u = access::unit(inner, seq);
    let audience = u.audience(inner).len();
    let items: Vec<Value> = u
        .resources
        .values()
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .filter(|r| search.is_none_or(|s| r.product_id.contains(s)))
        .map(|r| {
            json!({
                "ResourceId": resource_id(r.seq),
                "Type": r.kind,
                "CreateTime": format_time(r.create_time),
                "ProductResourceId": r.product_id,
                "SharedMemberNum": audience,
                "SharedMemberUseNum": 0,
                "ShareManagerUin": u.owner,
            })
        })
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}

/// The resources shared with the caller in an area: those of every unit whose invitation it
/// accepted or whose organization units hold it.
pub(super) fn to_member(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let area = access::area(ctx)?.unwrap_or_default();
    let search = ctx.str("SearchKey").filter(|s| !s.is_empty());
    let kind = ctx.str("Type").filter(|s| !s.is_empty());
    let only: Vec<&str> = ctx
        .params
        .get("ProductResourceIds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if only.len() > 50 {
        return Err(ctx.err_with(INVALID, "ProductResourceIds holds at most 50 IDs."));
    }
    let mut items = Vec::new();
    for u in inner.sharing.units.values() {
        if u.area != area || !u.reaches(inner, ctx.caller) {
            continue;
        }
        for r in u.resources.values() {
            let wanted = kind.is_none_or(|k| r.kind == k)
                && search.is_none_or(|s| r.product_id.contains(s))
                && (only.is_empty() || only.contains(&r.product_id.as_str()));
            if wanted {
                items.push(json!({
                    "ResourceId": resource_id(r.seq),
                    "Type": r.kind,
                    "UnitId": u.id(),
                    "UnitName": u.name,
                    "CreateTime": format_time(r.create_time),
                    "ProductResourceId": r.product_id,
                    "ShareManagerUin": u.owner,
                }));
            }
        }
    }
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}
