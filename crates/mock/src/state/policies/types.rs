//! Policy types and their enablement: `EnablePolicyType`, `DisablePolicyType`,
//! `DescribePolicyConfig`.

use serde_json::{json, Value};

use super::access::{manager_of, state, state_mut};
use super::catalogue::Kind;
use super::failures::*;
use super::model::OrgPolicies;
use super::params;
use crate::state::data::Inner;
use crate::state::{BusinessError, Ctx, Handler};

type Result<T> = std::result::Result<T, BusinessError>;

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "EnablePolicyType",
        raises: &[NO_ORG, NOT_MANAGER, BAD_PARAMETER, TYPE_ENABLED],
        run: enable_policy_type,
    },
    Handler {
        action: "DisablePolicyType",
        raises: &[NO_ORG, NOT_MANAGER, BAD_PARAMETER, TYPE_NOT_ENABLED],
        run: disable_policy_type,
    },
    Handler {
        action: "DescribePolicyConfig",
        raises: &[NO_ORG, NOT_MANAGER, BAD_PARAMETER],
        run: describe_policy_config,
    },
];

fn enable_policy_type(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager_of(inner, ctx, ctx.id("OrganizationId"))?;
    let kind = params::kind(ctx, "PolicyType")?;
    if state(inner, org_id).is_enabled(kind) {
        return Err(ctx.err_with(TYPE_ENABLED, format!("({})", kind.name())));
    }
    state_mut(inner, org_id).enabled.insert(kind, ctx.now);
    Ok(json!({}))
}

fn disable_policy_type(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager_of(inner, ctx, ctx.id("OrganizationId"))?;
    let kind = params::kind(ctx, "PolicyType")?;
    if !state(inner, org_id).is_enabled(kind) {
        return Err(ctx.err_with(TYPE_NOT_ENABLED, format!("({})", kind.name())));
    }
    disable(state_mut(inner, org_id), kind);
    Ok(json!({}))
}

/// Turns a type off: its policies are detached from everything (custom policies stay, to be
/// attached again once the type is enabled again; built-in ones go with the type).
fn disable(s: &mut OrgPolicies, kind: Kind) {
    s.enabled.remove(&kind);
    for p in s.policies.values_mut().filter(|p| p.kind == kind) {
        p.attachments.clear();
    }
    let built_ins: Vec<u64> = kind.built_ins().map(|b| b.id).collect();
    s.built_in_changes
        .retain(|c| !built_ins.contains(&c.policy));
}

fn describe_policy_config(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager_of(inner, ctx, ctx.id("OrganizationId"))?;
    let code = ctx.int("Type").unwrap_or(0);
    let kind = u64::try_from(code)
        .ok()
        .and_then(Kind::from_config_code)
        .ok_or_else(|| ctx.err_with(BAD_PARAMETER, format!("Type is 0 or 1, not {code}.")))?;
    let enabled = state(inner, org_id).is_enabled(kind);
    Ok(json!({ "Status": u64::from(enabled), "Type": kind.name() }))
}
