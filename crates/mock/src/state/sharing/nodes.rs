//! Units of the owner's organization in a share unit: AddShareUnitNode, DeleteShareUnitNode,
//! DescribeShareUnitNodes. The accounts in such a unit (and under it) are reached without an
//! invitation.

use serde_json::{json, Value};

use super::access;
use super::failures::*;
use super::model::*;
use crate::state::data::Inner;
use crate::state::org::model::format_time;
use crate::state::org::ops;
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// Adds an organization unit; one already there stays as it was.
pub(super) fn add(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let seq = access::owned(inner, ctx)?;
    let node = ctx.id("NodeId");
    let u = access::unit(inner, seq);
    // The owner cannot leave its organization while it owns units, nor the organization go.
    let org = inner
        .orgs
        .get(&u.org_id)
        .ok_or_else(|| ctx.err(UNIT_NOT_EXIST))?;
    ops::check_node(ctx, org, node)?;
    if u.nodes.contains_key(&node) {
        return Ok(json!({}));
    }
    if u.nodes.len() >= MAX_NODES {
        return Err(ctx.err_with(NODE_LIMIT, format!("(at most {MAX_NODES})")));
    }
    access::unit_mut(inner, seq).nodes.insert(node, ctx.now);
    Ok(json!({}))
}

pub(super) fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let seq = access::owned(inner, ctx)?;
    let node = ctx.id("NodeId");
    if access::unit_mut(inner, seq).nodes.remove(&node).is_none() {
        return Err(ctx.err_with(NODE_NOT_SHARED, format!("({node})")));
    }
    Ok(json!({}))
}

pub(super) fn describe(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let seq = access::visible(inner, ctx)?;
    let search = ctx.str("SearchKey").filter(|s| !s.is_empty());
    let items: Vec<Value> = access::unit(inner, seq)
        .nodes
        .iter()
        .filter(|(node, _)| search.is_none_or(|s| node.to_string().contains(s)))
        .map(|(node, at)| json!({"ShareNodeId": node, "CreateTime": format_time(*at)}))
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}
