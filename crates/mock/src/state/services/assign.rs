//! The service catalogue and its delegated administrators: ListOrganizationService,
//! CreateOrgServiceAssign, ListOrgServiceAssignMember, DeleteOrgServiceAssign.

use serde_json::{json, Value};

use super::failures::*;
use super::model::*;
use crate::state::data::Inner;
use crate::state::org::model::format_time;
use crate::state::org::ops;
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// The service `ServiceId` and/or `Product` name (both, when given, must name the same one).
fn service(ctx: &Ctx<'_>) -> Result<&'static Service> {
    let id = ctx.params.get("ServiceId").map(|_| ctx.id("ServiceId"));
    let product = ctx.str("Product").filter(|p| !p.is_empty());
    if id.is_none() && product.is_none() {
        return Err(ctx.err(NO_SERVICE_GIVEN));
    }
    catalogue()
        .iter()
        .find(|s| {
            id.is_none_or(|id| s.service_id == id)
                && product.is_none_or(|p| s.product.eq_ignore_ascii_case(p))
        })
        .ok_or_else(|| {
            ctx.err_with(
                SERVICE_NOT_EXIST,
                format!("(ServiceId {id:?}, Product {product:?})"),
            )
        })
}

pub(super) fn list_services(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let search = ctx
        .str("SearchKey")
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let items: Vec<Value> = catalogue()
        .iter()
        .filter(|s| {
            search.as_ref().is_none_or(|k| {
                s.product_name.to_lowercase().contains(k) || s.product.to_lowercase().contains(k)
            })
        })
        .map(|s| {
            let admins = inner.services.of(s.service_id, org_id).count();
            let mut item = serde_json::to_value(s).expect("a catalogue entry is plain data");
            item["MemberNum"] = json!(admins.to_string());
            item
        })
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}

/// Makes members delegated administrators of a service, all or none; one that is already
/// keeps its assignment.
pub(super) fn create(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let service = service(ctx)?;
    if service.is_assign != YES {
        return Err(ctx.err_with(SERVICE_UNSUPPORTED, "(delegation)"));
    }
    let mut uins = ctx.ids("MemberUins");
    uins.sort_unstable();
    uins.dedup();
    if uins.is_empty() || uins.len() > MAX_ASSIGN_MEMBERS {
        return Err(ctx.err_with(
            BAD_VALUE,
            format!("MemberUins holds 1-{MAX_ASSIGN_MEMBERS} UINs."),
        ));
    }
    let scope = match ctx.int("ManagementScope") {
        None => SCOPE_ALL,
        Some(s @ 1..=2) => s as u64,
        Some(s) => {
            return Err(ctx.err_with(
                BAD_VALUE,
                format!("ManagementScope is 1 (all members) or 2 (some), not {s}."),
            ))
        }
    };
    if scope == SCOPE_SOME && service.is_set_management_scope != YES {
        return Err(ctx.err_with(
            SERVICE_UNSUPPORTED,
            format!("({} has no management scope)", service.product_name),
        ));
    }
    let o = ops::org(inner, org_id);
    if let Some(uin) = uins.iter().find(|u| !o.members.contains_key(u)) {
        return Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({uin})")));
    }
    let current: Vec<u64> = inner
        .services
        .of(service.service_id, org_id)
        .map(|(u, _)| u)
        .collect();
    let new: Vec<u64> = uins.into_iter().filter(|u| !current.contains(u)).collect();
    if (current.len() + new.len()) as u64 > service.can_assign_count {
        return Err(ctx.err_with(
            ASSIGN_LIMIT,
            format!(
                "(at most {} for {})",
                service.can_assign_count, service.product_name
            ),
        ));
    }
    let admins = inner
        .services
        .assignments
        .entry(service.service_id)
        .or_default();
    for uin in new {
        admins.insert(
            uin,
            Assignment {
                org_id,
                scope,
                create_time: ctx.now,
            },
        );
    }
    Ok(json!({}))
}

pub(super) fn list_members(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let service = service(ctx)?;
    let o = ops::org(inner, org_id);
    // Whether a delegate has turned the service on is not something the mock can know: a
    // service that reports usage shows its delegates as activated, the others as not applicable.
    let usage = if service.is_usage_status == YES { 1 } else { 0 };
    let items: Vec<Value> = inner
        .services
        .of(service.service_id, org_id)
        .map(|(uin, a)| {
            json!({
                "ServiceId": service.service_id,
                "ProductName": service.product_name,
                "MemberUin": uin,
                "MemberName": o.members.get(&uin).map(|m| m.name.clone()).unwrap_or_default(),
                "UsageStatus": usage,
                "CreateTime": format_time(a.create_time),
                "ManagementScope": a.scope,
                "ManagementScopeMembers": [],
                "ManagementScopeNodes": [],
            })
        })
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}

pub(super) fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let service = service(ctx)?;
    let uin = ctx.id("MemberUin");
    let admins = inner.services.assignments.get_mut(&service.service_id);
    match admins {
        Some(admins) if admins.get(&uin).is_some_and(|a| a.org_id == org_id) => {
            admins.remove(&uin);
            if admins.is_empty() {
                inner.services.assignments.remove(&service.service_id);
            }
            Ok(json!({}))
        }
        _ => Err(ctx.err_with(
            ASSIGN_NOT_EXIST,
            format!("({uin} for {})", service.product_name),
        )),
    }
}
