//! The organization's login identities: CreateOrganizationIdentity, UpdateOrganizationIdentity,
//! DeleteOrganizationIdentity, ListOrganizationIdentity.

use serde_json::{json, Value};

use super::failures::*;
use super::model::*;
use super::policy_doc;
use crate::state::data::Inner;
use crate::state::org::ops;
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// The `IdentityPolicy` list of a request, checked: preset policies must be ones the catalogue
/// has (ID and name), custom ones valid documents.
fn read_policies(ctx: &Ctx<'_>) -> Result<Vec<IdentityPolicy>> {
    let items = ctx
        .params
        .get("IdentityPolicy")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| ctx.err_with(INVALID, "IdentityPolicy needs at least one policy."))?;
    items.iter().map(|item| read_policy(ctx, item)).collect()
}

fn read_policy(ctx: &Ctx<'_>, item: &Value) -> Result<IdentityPolicy> {
    let text = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let policy = IdentityPolicy {
        policy_id: item.get("PolicyId").and_then(Value::as_u64).unwrap_or(0),
        policy_name: text("PolicyName"),
        policy_type: item
            .get("PolicyType")
            .and_then(Value::as_u64)
            .unwrap_or(POLICY_PRESET),
        document: text("PolicyDocument"),
    };
    match policy.policy_type {
        POLICY_PRESET => {
            let known = presets()
                .cam_policies
                .iter()
                .any(|c| c.policy_id == policy.policy_id && c.policy_name == policy.policy_name);
            if !known {
                return Err(ctx.err_with(
                    CAM_POLICY_NOT_EXIST,
                    format!("({} {:?})", policy.policy_id, policy.policy_name),
                ));
            }
        }
        POLICY_CUSTOM => {
            if let Some(problem) = policy_doc::problem(&policy.document) {
                return Err(ctx.err_with(POLICY_DOCUMENT, problem));
            }
        }
        other => {
            return Err(ctx.err_with(
                BAD_VALUE,
                format!("PolicyType is 1 (custom) or 2 (preset), not {other}."),
            ))
        }
    }
    Ok(policy)
}

fn check_description(ctx: &Ctx<'_>, description: &str) -> Result<()> {
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(ctx.err_with(
            BAD_VALUE,
            format!("A description has at most {MAX_DESCRIPTION} characters."),
        ));
    }
    Ok(())
}

/// A custom identity of the caller's organization, for a change: (organization, identity).
fn custom_identity(inner: &Inner, ctx: &Ctx<'_>) -> Result<(u64, u64)> {
    let org_id = ops::managed(inner, ctx)?;
    let id = ctx.id("IdentityId");
    match identity_of(inner, org_id, id) {
        None => Err(ctx.err_with(IDENTITY_NOT_EXIST, format!("({id})"))),
        Some(i) if i.is_preset() => Err(ctx.err_with(PRESET_IDENTITY, format!("({id})"))),
        Some(_) => Ok((org_id, id)),
    }
}

pub(super) fn create(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let name = ctx.str("IdentityAliasName").unwrap_or_default();
    if !(1..=MAX_IDENTITY_NAME).contains(&name.chars().count()) {
        return Err(ctx.err_with(
            BAD_VALUE,
            format!("An identity name has 1-{MAX_IDENTITY_NAME} characters."),
        ));
    }
    let description = ctx.str("Description").unwrap_or_default();
    check_description(ctx, description)?;
    let policies = read_policies(ctx)?;
    let existing = identities_of(inner, org_id);
    if existing.iter().any(|i| i.name == name) {
        return Err(ctx.err_with(IDENTITY_NAME_USED, format!("({name:?})")));
    }
    if existing.iter().filter(|i| !i.is_preset()).count() >= MAX_IDENTITIES {
        return Err(ctx.err_with(
            IDENTITY_LIMIT,
            format!("(at most {MAX_IDENTITIES} custom identities)"),
        ));
    }
    let state = &mut inner.member_login;
    let id = state.next_identity;
    state.next_identity += 1;
    state.identities.insert(
        id,
        Identity {
            id,
            org_id,
            name: name.to_owned(),
            description: description.to_owned(),
            policies,
            create_time: ctx.now,
            update_time: ctx.now,
        },
    );
    Ok(json!({ "IdentityId": id }))
}

pub(super) fn update(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (_, id) = custom_identity(inner, ctx)?;
    let description = ctx.str("Description").unwrap_or_default();
    check_description(ctx, description)?;
    let policies = read_policies(ctx)?;
    let identity = inner
        .member_login
        .identities
        .get_mut(&id)
        .expect("checked above");
    identity.description = description.to_owned();
    identity.policies = policies;
    identity.update_time = ctx.now;
    Ok(json!({}))
}

pub(super) fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (org_id, id) = custom_identity(inner, ctx)?;
    let holders: Vec<String> = ops::org(inner, org_id)
        .members
        .values()
        .filter(|m| m.identity_ids.contains(&id))
        .map(|m| m.uin.to_string())
        .collect();
    if !holders.is_empty() {
        return Err(ctx.err_with(
            IDENTITY_IN_USE,
            format!("(granted to {})", holders.join(", ")),
        ));
    }
    inner.member_login.identities.remove(&id);
    Ok(json!({}))
}

pub(super) fn list(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let search = ctx.str("SearchKey").filter(|s| !s.is_empty());
    let id = ctx.params.get("IdentityId").map(|_| ctx.id("IdentityId"));
    let kind = match ctx.int("IdentityType") {
        None => None,
        Some(t @ (1 | 2)) => Some(t as u64),
        Some(t) => {
            return Err(ctx.err_with(
                BAD_VALUE,
                format!("IdentityType is 1 (preset) or 2 (custom), not {t}."),
            ))
        }
    };
    let items: Vec<Value> = identities_of(inner, org_id)
        .into_iter()
        .filter(|i| search.is_none_or(|s| i.name.to_lowercase().contains(&s.to_lowercase())))
        .filter(|i| id.is_none_or(|id| i.id == id))
        .filter(|i| kind.is_none_or(|k| i.identity_type == k))
        .map(|i| {
            json!({
                "IdentityId": i.id,
                "IdentityAliasName": i.name,
                "Description": i.description,
                "IdentityPolicy": i.policies_json(),
                "IdentityType": i.identity_type,
                "UpdateTime": time(i.update_time),
            })
        })
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}
