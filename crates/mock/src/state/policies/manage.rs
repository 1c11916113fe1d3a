//! Policies and their documents: `CreatePolicy`, `DescribePolicy`, `UpdatePolicy`,
//! `DeletePolicy`, `ListPolicies`.

use serde_json::{json, Value};

use super::access::{manager, org, state, state_mut};
use super::catalogue::Kind;
use super::document;
use super::failures::*;
use super::model::{Policy, PolicyView};
use super::params::{self, contains_ci};
use crate::state::data::Inner;
use crate::state::org::model::format_time;
use crate::state::{BusinessError, Ctx, Handler};

type Result<T> = std::result::Result<T, BusinessError>;

/// What creating or changing a policy can raise besides `$extra`: every way its name,
/// description and document can fail, and a name in use.
macro_rules! writer_raises {
    ($($extra:expr),* $(,)?) => {
        &[
            POLICY_NAME_INVALID,
            DESCRIPTION_TOO_LONG,
            POLICY_NAME_USED,
            DOCUMENT_ERROR,
            DOCUMENT_TOO_LONG,
            VERSION_ERROR,
            STATEMENT_ERROR,
            EFFECT_ERROR,
            ACTION_MISSING,
            ACTION_ERROR,
            ACTION_SERVICE_MISSING,
            ACTION_NAME_MISSING,
            RESOURCE_ERROR,
            RESOURCE_QCS_ERROR,
            RESOURCE_PROJECT_ERROR,
            RESOURCE_SERVICE_ERROR,
            RESOURCE_REGION_ERROR,
            RESOURCE_UIN_ERROR,
            RESOURCE_CONTENT_ERROR,
            PRINCIPAL_ERROR,
            CONDITION_ERROR,
            CONDITION_TYPE_ERROR,
            CONDITION_CONTENT_ERROR,
            TAG_CONTENT_INVALID,
            TAG_KEY_DUPLICATED,
            RESERVED_TAG_KEY,
            $($extra),*
        ]
    };
}

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreatePolicy",
        raises: writer_raises![
            NO_ORG,
            NOT_MANAGER,
            BAD_PARAMETER,
            TYPE_NOT_ENABLED,
            SCP_LIMIT,
            TAG_POLICY_LIMIT,
        ],
        run: create_policy,
    },
    Handler {
        action: "DescribePolicy",
        raises: &[NO_ORG, NOT_MANAGER, BAD_PARAMETER, POLICY_NOT_EXIST],
        run: describe_policy,
    },
    Handler {
        action: "UpdatePolicy",
        raises: writer_raises![
            NO_ORG,
            NOT_MANAGER,
            BAD_PARAMETER,
            TYPE_NOT_ENABLED,
            POLICY_NOT_EXIST,
            BUILT_IN_POLICY,
        ],
        run: update_policy,
    },
    Handler {
        action: "DeletePolicy",
        raises: &[
            NO_ORG,
            NOT_MANAGER,
            BAD_PARAMETER,
            TYPE_NOT_ENABLED,
            POLICY_NOT_EXIST,
            BUILT_IN_POLICY,
            POLICY_IN_USE,
        ],
        run: delete_policy,
    },
    Handler {
        action: "ListPolicies",
        raises: &[NO_ORG, NOT_MANAGER, BAD_PARAMETER],
        run: list_policies,
    },
];

/// The type must be enabled for its policies to be created, changed, deleted or attached.
pub(crate) fn check_enabled(inner: &Inner, ctx: &Ctx<'_>, org_id: u64, kind: Kind) -> Result<()> {
    if state(inner, org_id).is_enabled(kind) {
        Ok(())
    } else {
        Err(ctx.err_with(TYPE_NOT_ENABLED, format!("({})", kind.name())))
    }
}

/// The policy `PolicyId` of type `kind`.
pub(crate) fn find<'a>(
    inner: &'a Inner,
    ctx: &Ctx<'_>,
    org_id: u64,
    kind: Kind,
) -> Result<PolicyView<'a>> {
    let id = ctx.id("PolicyId");
    state(inner, org_id)
        .find(id, kind)
        .ok_or_else(|| ctx.err_with(POLICY_NOT_EXIST, format!("({} {id})", kind.name())))
}

/// A document within its type's length, in its type's syntax.
fn check_document(ctx: &Ctx<'_>, kind: Kind, document: &str) -> Result<()> {
    let info = kind.info();
    let len = document.chars().count();
    if len > info.max_document {
        return Err(ctx.err_with(
            DOCUMENT_TOO_LONG,
            format!("({len} characters; at most {})", info.max_document),
        ));
    }
    document::check_syntax(info.syntax, document).map_err(|(f, detail)| ctx.err_with(f, detail))
}

/// Whether a policy of the organization other than `except` has `name`.
fn name_taken(inner: &Inner, org_id: u64, name: &str, except: Option<u64>) -> bool {
    state(inner, org_id)
        .all()
        .iter()
        .any(|p| p.name == name && Some(p.id) != except)
}

fn create_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let kind = params::kind(ctx, "Type")?;
    check_enabled(inner, ctx, org_id, kind)?;
    let name = ctx.str("Name").unwrap_or_default();
    params::check_policy_name(ctx, name)?;
    let description = ctx.str("Description").unwrap_or_default();
    params::check_description(ctx, description)?;
    let document = ctx.str("Content").unwrap_or_default();
    check_document(ctx, kind, document)?;
    if name_taken(inner, org_id, name, None) {
        return Err(ctx.err_with(POLICY_NAME_USED, format!("({name:?})")));
    }
    let info = kind.info();
    let count = state(inner, org_id)
        .policies
        .values()
        .filter(|p| p.kind == kind)
        .count();
    if count >= info.max_policies {
        return Err(ctx.err_with(
            info.limit_failure,
            format!("(at most {})", info.max_policies),
        ));
    }
    let id = inner.policies.next_policy;
    inner.policies.next_policy += 1;
    state_mut(inner, org_id).policies.insert(
        id,
        Policy {
            id,
            kind,
            name: name.to_owned(),
            description: description.to_owned(),
            document: document.to_owned(),
            create_time: ctx.now,
            update_time: ctx.now,
            attachments: Vec::new(),
        },
    );
    Ok(json!({ "PolicyId": id }))
}

fn describe_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let kind = params::kind(ctx, "PolicyType")?;
    let p = find(inner, ctx, org_id, kind)?;
    Ok(json!({
        "PolicyId": p.id,
        "PolicyName": p.name,
        "Type": p.type_code(),
        "Description": p.description,
        "PolicyDocument": p.document,
        "UpdateTime": format_time(p.update_time),
        "AddTime": format_time(p.create_time),
    }))
}

fn update_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let id = ctx.id("PolicyId");
    // The type is the policy's own; a Type that names another one finds no such policy.
    let kind = match ctx.str("Type") {
        Some(_) => params::kind(ctx, "Type")?,
        None => state(inner, org_id)
            .all()
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.kind)
            .ok_or_else(|| ctx.err_with(POLICY_NOT_EXIST, format!("({id})")))?,
    };
    check_enabled(inner, ctx, org_id, kind)?;
    if find(inner, ctx, org_id, kind)?.built_in {
        return Err(ctx.err_with(BUILT_IN_POLICY, format!("({id})")));
    }
    let name = ctx.str("Name");
    if let Some(name) = name {
        params::check_policy_name(ctx, name)?;
    }
    let description = ctx.str("Description");
    if let Some(description) = description {
        params::check_description(ctx, description)?;
    }
    let document = ctx.str("Content");
    if let Some(document) = document {
        check_document(ctx, kind, document)?;
    }
    if let Some(name) = name.filter(|n| name_taken(inner, org_id, n, Some(id))) {
        return Err(ctx.err_with(POLICY_NAME_USED, format!("({name:?})")));
    }
    let p = state_mut(inner, org_id)
        .policies
        .get_mut(&id)
        .expect("a custom policy, found above");
    if let Some(name) = name {
        p.name = name.to_owned();
    }
    if let Some(description) = description {
        p.description = description.to_owned();
    }
    if let Some(document) = document {
        p.document = document.to_owned();
    }
    p.update_time = ctx.now;
    Ok(json!({}))
}

fn delete_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let kind = params::kind(ctx, "Type")?;
    check_enabled(inner, ctx, org_id, kind)?;
    let p = find(inner, ctx, org_id, kind)?;
    let id = p.id;
    if p.built_in {
        return Err(ctx.err_with(BUILT_IN_POLICY, format!("({id})")));
    }
    let attached = state(inner, org_id)
        .attachments(org(inner, org_id), id)
        .len();
    if attached > 0 {
        return Err(ctx.err_with(POLICY_IN_USE, format!("({attached} targets)")));
    }
    state_mut(inner, org_id).policies.remove(&id);
    Ok(json!({}))
}

/// `Scope`: all policies, only built-in (`QCS`) or only custom (`Local`) ones.
fn in_scope(ctx: &Ctx<'_>) -> Result<fn(&PolicyView<'_>) -> bool> {
    match ctx.str("Scope").unwrap_or("All") {
        "All" => Ok(|_| true),
        "QCS" => Ok(|p| p.built_in),
        "Local" => Ok(|p| !p.built_in),
        other => Err(ctx.err_with(
            BAD_PARAMETER,
            format!("Scope is All, QCS or Local, not {other:?}."),
        )),
    }
}

fn list_policies(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let kind = params::kind(ctx, "PolicyType")?;
    let paging = params::rp_page(ctx)?;
    let scope = in_scope(ctx)?;
    let keyword = ctx.str("Keyword").unwrap_or_default();
    let s = state(inner, org_id);
    let o = org(inner, org_id);
    let matched: Vec<PolicyView<'_>> = s
        .all()
        .into_iter()
        .filter(|p| p.kind == kind && scope(p) && contains_ci(p.name, keyword))
        .collect();
    let (page, total) = paging.slice(matched);
    let list: Vec<Value> = page
        .iter()
        .map(|p| {
            json!({
                "AddTime": format_time(p.create_time),
                "AttachedTimes": s.attachments(o, p.id).len(),
                "Description": p.description,
                "PolicyName": p.name,
                "PolicyId": p.id,
                "UpdateTime": format_time(p.update_time),
                "Type": p.type_code(),
            })
        })
        .collect();
    Ok(json!({ "TotalNum": total, "List": list }))
}
