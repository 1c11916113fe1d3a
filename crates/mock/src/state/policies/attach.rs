//! Attachments of policies to units and members, seen from both sides: `AttachPolicy`,
//! `DetachPolicy`, `ListTargetsForPolicy`, `ListPoliciesForTarget`.

use serde_json::{json, Value};

use super::access::{manager, org, state, state_mut};
use super::failures::*;
use super::manage::{check_enabled, find};
use super::model::{resolve, Target};
use super::params::{self, contains_ci, TargetType};
use crate::state::data::Inner;
use crate::state::org::model::{format_time, Org};
use crate::state::{BusinessError, Ctx, Handler};

type Result<T> = std::result::Result<T, BusinessError>;

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "AttachPolicy",
        raises: &[
            NO_ORG,
            NOT_MANAGER,
            BAD_PARAMETER,
            TYPE_NOT_ENABLED,
            POLICY_NOT_EXIST,
            NODE_NOT_EXIST,
            MEMBER_NOT_EXIST,
            ATTACHMENT_FULL,
        ],
        run: attach_policy,
    },
    Handler {
        action: "DetachPolicy",
        raises: &[
            NO_ORG,
            NOT_MANAGER,
            BAD_PARAMETER,
            TYPE_NOT_ENABLED,
            POLICY_NOT_EXIST,
            NODE_NOT_EXIST,
            MEMBER_NOT_EXIST,
            NOT_ATTACHED,
            LAST_POLICY,
        ],
        run: detach_policy,
    },
    Handler {
        action: "ListTargetsForPolicy",
        raises: &[NO_ORG, NOT_MANAGER, BAD_PARAMETER, POLICY_NOT_EXIST],
        run: list_targets_for_policy,
    },
    Handler {
        action: "ListPoliciesForTarget",
        raises: &[NO_ORG, NOT_MANAGER, BAD_PARAMETER, TARGET_NOT_EXIST],
        run: list_policies_for_target,
    },
];

/// The unit or member `TargetId` / `TargetType` name, which must be in the organization.
fn typed_target(ctx: &Ctx<'_>, o: &Org) -> Result<Target> {
    let id = ctx.id("TargetId");
    let target = match params::target_type(ctx)? {
        TargetType::Node => Target::Node(id),
        TargetType::Member => Target::Member(id),
    };
    if target.exists_in(o) {
        return Ok(target);
    }
    Err(match target {
        Target::Node(_) => ctx.err_with(NODE_NOT_EXIST, format!("({id})")),
        Target::Member(_) => ctx.err_with(MEMBER_NOT_EXIST, format!("({id})")),
    })
}

fn attach_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let kind = params::kind(ctx, "Type")?;
    params::target_type(ctx)?;
    check_enabled(inner, ctx, org_id, kind)?;
    let id = find(inner, ctx, org_id, kind)?.id;
    let o = org(inner, org_id);
    let target = typed_target(ctx, o)?;
    let on_target = state(inner, org_id).attached_to(o, target);
    if on_target.iter().any(|(p, _)| p.id == id) {
        return Ok(json!({})); // attached already: attachments are a set
    }
    let max = kind.info().max_per_target;
    if on_target.iter().filter(|(p, _)| p.kind == kind).count() >= max {
        return Err(ctx.err_with(
            ATTACHMENT_FULL,
            format!("(at most {max} {} per unit or member)", kind.name()),
        ));
    }
    state_mut(inner, org_id).attach(id, target, ctx.now);
    Ok(json!({}))
}

fn detach_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let kind = params::kind(ctx, "Type")?;
    params::target_type(ctx)?;
    check_enabled(inner, ctx, org_id, kind)?;
    let id = find(inner, ctx, org_id, kind)?.id;
    let o = org(inner, org_id);
    let target = typed_target(ctx, o)?;
    let on_target = state(inner, org_id).attached_to(o, target);
    if !on_target.iter().any(|(p, _)| p.id == id) {
        return Err(ctx.err_with(NOT_ATTACHED, format!("({id} on {})", target.id())));
    }
    let same_kind = on_target.iter().filter(|(p, _)| p.kind == kind).count();
    if kind.info().keep_one && same_kind == 1 {
        return Err(ctx.err_with(LAST_POLICY, format!("({})", target.id())));
    }
    state_mut(inner, org_id).detach(id, target);
    Ok(json!({}))
}

/// `TargetType` of `ListTargetsForPolicy`: `All`, `User` (members) or `Node`.
fn target_filter(ctx: &Ctx<'_>) -> Result<fn(Target) -> bool> {
    match ctx.str("TargetType").unwrap_or("All") {
        "All" => Ok(|_| true),
        "User" => Ok(|t| matches!(t, Target::Member(_))),
        "Node" => Ok(|t| matches!(t, Target::Node(_))),
        other => Err(ctx.err_with(
            BAD_PARAMETER,
            format!("TargetType is All, User or Node, not {other:?}."),
        )),
    }
}

/// `Keyword` of `ListTargetsForPolicy`: IDs separated by spaces; a target matches one equal
/// to its ID or contained in its name. Empty matches every target.
fn keyword_matches(keyword: &str, target: Target, name: &str) -> bool {
    let mut words = keyword.split_whitespace().peekable();
    words.peek().is_none() || words.any(|w| w == target.id().to_string() || contains_ci(name, w))
}

fn list_targets_for_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let kind = params::kind(ctx, "PolicyType")?;
    let paging = params::rp_page(ctx)?;
    let wanted = target_filter(ctx)?;
    let keyword = ctx.str("Keyword").unwrap_or_default();
    let id = find(inner, ctx, org_id, kind)?.id;
    let o = org(inner, org_id);
    let matched: Vec<Value> = state(inner, org_id)
        .attachments(o, id)
        .into_iter()
        .filter(|a| wanted(a.target) && keyword_matches(keyword, a.target, &a.target.name_in(o)))
        .map(|a| {
            json!({
                "Uin": a.target.id(),
                "RelatedType": a.target.related_type(),
                "Name": a.target.name_in(o),
                "AddTime": format_time(a.time),
            })
        })
        .collect();
    let (list, total) = paging.slice(matched);
    Ok(json!({ "TotalNum": total, "List": list }))
}

fn list_policies_for_target(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let kind = params::kind(ctx, "PolicyType")?;
    let paging = params::rp_page(ctx)?;
    let keyword = ctx.str("Keyword").unwrap_or_default();
    let o = org(inner, org_id);
    let id = ctx.id("TargetId");
    let target = resolve(o, id).ok_or_else(|| ctx.err_with(TARGET_NOT_EXIST, format!("({id})")))?;
    let name = target.name_in(o);
    let matched: Vec<Value> = state(inner, org_id)
        .attached_to(o, target)
        .into_iter()
        .filter(|(p, _)| p.kind == kind && contains_ci(p.name, keyword))
        .map(|(p, attached)| {
            json!({
                "StrategyId": p.id,
                "StrategyName": p.name,
                "Remark": p.description,
                "Uin": target.id(),
                "Type": target.related_type(),
                "AddTime": format_time(p.create_time),
                "UpdateTime": format_time(p.update_time),
                "Name": name,
                "AttachTime": format_time(attached),
            })
        })
        .collect();
    let (list, total) = paging.slice(matched);
    Ok(json!({ "TotalNum": total, "List": list }))
}
