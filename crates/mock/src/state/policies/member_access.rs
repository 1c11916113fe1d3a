//! Member access policies: which login identity of which members the manager's sub-accounts
//! may use. `CreateOrganizationMemberPolicy`, `CreateOrganizationMembersPolicy`,
//! `UpdateOrganizationMembersPolicy`, `DeleteOrganizationMembersPolicy`,
//! `DescribeOrganizationMemberPolicies`, `DescribeOrganizationMembersAuthPolicy`,
//! `BindOrganizationPolicySubAccount`, `CancelOrganizationPolicySubAccount`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::access::{org, owner, state, state_mut};
use super::failures::*;
use super::identities::{granted, identity};
use super::params::contains_ci;
use crate::state::data::Inner;
use crate::state::failure::BAD_VALUE;
use crate::state::org::model::{format_time, Org};
use crate::state::{BusinessError, Ctx, Handler};

type Result<T> = std::result::Result<T, BusinessError>;

/// Members one policy may name, and sub-accounts one call may bind.
const MAX_MEMBERS_PER_CALL: usize = 10;
const MAX_SUB_ACCOUNTS_PER_CALL: usize = 5;
/// Longest name and description, in characters.
const MAX_NAME: usize = 128;
const MAX_DESCRIPTION: usize = 128;

/// A member access policy: sub-accounts bound to it may act in its members' accounts with its
/// identity.
/// In a seed: `name`, `identity_id` and `members` (the ID is the key).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberPolicy {
    #[serde(default)]
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub identity_id: u64,
    /// In the order they were named; no UIN twice. Members that leave the organization leave
    /// the list; the policy stays (it is the manager's).
    #[serde(default)]
    pub members: Vec<u64>,
    /// The manager's sub-accounts bound to it, in binding order; no UIN twice.
    #[serde(default)]
    pub sub_accounts: Vec<SubAccount>,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubAccount {
    pub uin: u64,
    #[serde(default)]
    pub bound_at: i64,
}

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateOrganizationMemberPolicy",
        raises: &[
            NO_ORG,
            BAD_PARAMETER,
            MEMBER_NOT_EXIST,
            MEMBER_IDENTITY_NOT_EXIST,
            MEMBER_POLICY_NAME_USED,
        ],
        run: create_organization_member_policy,
    },
    Handler {
        action: "CreateOrganizationMembersPolicy",
        raises: &[
            NO_ORG,
            BAD_PARAMETER,
            MEMBER_NOT_EXIST,
            MEMBER_IDENTITY_NOT_EXIST,
            MEMBER_POLICY_NAME_USED,
        ],
        run: create_organization_members_policy,
    },
    Handler {
        action: "UpdateOrganizationMembersPolicy",
        raises: &[
            NO_ORG,
            BAD_PARAMETER,
            MEMBER_POLICY_NOT_EXIST,
            MEMBER_NOT_EXIST,
            MEMBER_IDENTITY_NOT_EXIST,
        ],
        run: update_organization_members_policy,
    },
    Handler {
        action: "DeleteOrganizationMembersPolicy",
        raises: &[NO_ORG, MEMBER_POLICY_NOT_EXIST],
        run: delete_organization_members_policy,
    },
    Handler {
        action: "DescribeOrganizationMemberPolicies",
        raises: &[NO_ORG, BAD_VALUE, MEMBER_NOT_EXIST],
        run: describe_organization_member_policies,
    },
    Handler {
        action: "DescribeOrganizationMembersAuthPolicy",
        raises: &[NO_ORG, BAD_VALUE],
        run: describe_organization_members_auth_policy,
    },
    Handler {
        action: "BindOrganizationPolicySubAccount",
        raises: &[
            NO_ORG,
            BAD_PARAMETER,
            MEMBER_POLICY_NOT_EXIST,
            SUB_ACCOUNT_NOT_EXIST,
        ],
        run: bind_organization_policy_sub_account,
    },
    Handler {
        action: "CancelOrganizationPolicySubAccount",
        raises: &[
            NO_ORG,
            BAD_PARAMETER,
            MEMBER_POLICY_NOT_EXIST,
            SUB_ACCOUNT_NOT_BOUND,
        ],
        run: cancel_organization_policy_sub_account,
    },
];

/// A name of 1-128 letters, digits and `+=,.@_-`.
fn check_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    let len = name.chars().count();
    let ok = (1..=MAX_NAME).contains(&len)
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(ctx.err_with(
            BAD_PARAMETER,
            format!("A member access policy name has 1-{MAX_NAME} letters, digits and +=,.@_-; not {name:?}."),
        ))
    }
}

fn check_description(ctx: &Ctx<'_>, description: &str) -> Result<()> {
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(ctx.err_with(
            BAD_PARAMETER,
            format!("A description has at most {MAX_DESCRIPTION} characters."),
        ));
    }
    Ok(())
}

/// The UINs of list member `key`: 1 to `max`, repeats dropped.
fn uin_list(ctx: &Ctx<'_>, key: &str, max: usize) -> Result<Vec<u64>> {
    let mut uins = ctx.ids(key);
    if uins.is_empty() || uins.len() > max {
        return Err(ctx.err_with(
            BAD_PARAMETER,
            format!("{key} holds 1 to {max} UINs, not {}.", uins.len()),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    uins.retain(|u| seen.insert(*u));
    Ok(uins)
}

/// Every UIN is a member, and holds identity `identity_id`.
fn check_members(
    inner: &Inner,
    ctx: &Ctx<'_>,
    org_id: u64,
    uins: &[u64],
    identity_id: u64,
) -> Result<()> {
    let o = org(inner, org_id);
    if let Some(stranger) = uins.iter().find(|u| !o.members.contains_key(u)) {
        return Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({stranger})")));
    }
    if let Some(without) = uins
        .iter()
        .find(|&&u| !granted(inner, org_id, u, identity_id))
    {
        return Err(ctx.err_with(
            MEMBER_IDENTITY_NOT_EXIST,
            format!("(identity {identity_id}, member {without})"),
        ));
    }
    Ok(())
}

/// The member access policy `PolicyId` of organization `org_id`.
fn find<'a>(inner: &'a Inner, ctx: &Ctx<'_>, org_id: u64) -> Result<&'a MemberPolicy> {
    let id = ctx.id("PolicyId");
    state(inner, org_id)
        .member_policies
        .get(&id)
        .ok_or_else(|| ctx.err_with(MEMBER_POLICY_NOT_EXIST, format!("({id})")))
}

/// Creates a policy for `uins` after every check.
fn create(inner: &mut Inner, ctx: &Ctx<'_>, org_id: u64, uins: Vec<u64>) -> Result<Value> {
    let name = ctx.str("PolicyName").unwrap_or_default();
    check_name(ctx, name)?;
    let description = ctx.str("Description").unwrap_or_default();
    check_description(ctx, description)?;
    let identity_id = ctx.id("IdentityId");
    check_members(inner, ctx, org_id, &uins, identity_id)?;
    if state(inner, org_id)
        .member_policies
        .values()
        .any(|p| p.name == name)
    {
        return Err(ctx.err_with(MEMBER_POLICY_NAME_USED, format!("({name:?})")));
    }
    let id = inner.policies.next_member_policy;
    inner.policies.next_member_policy += 1;
    state_mut(inner, org_id).member_policies.insert(
        id,
        MemberPolicy {
            id,
            name: name.to_owned(),
            description: description.to_owned(),
            identity_id,
            members: uins,
            sub_accounts: Vec::new(),
            create_time: ctx.now,
            update_time: ctx.now,
        },
    );
    Ok(json!({ "PolicyId": id }))
}

fn create_organization_member_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = owner(inner, ctx)?;
    create(inner, ctx, org_id, vec![ctx.id("MemberUin")])
}

fn create_organization_members_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = owner(inner, ctx)?;
    let uins = uin_list(ctx, "MemberUins", MAX_MEMBERS_PER_CALL)?;
    create(inner, ctx, org_id, uins)
}

fn update_organization_members_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = owner(inner, ctx)?;
    let id = find(inner, ctx, org_id)?.id;
    let uins = uin_list(ctx, "MemberUins", MAX_MEMBERS_PER_CALL)?;
    let description = ctx.str("Description");
    if let Some(description) = description {
        check_description(ctx, description)?;
    }
    let identity_id = ctx.id("IdentityId");
    check_members(inner, ctx, org_id, &uins, identity_id)?;
    let p = state_mut(inner, org_id)
        .member_policies
        .get_mut(&id)
        .expect("found above");
    p.members = uins;
    p.identity_id = identity_id;
    if let Some(description) = description {
        p.description = description.to_owned();
    }
    p.update_time = ctx.now;
    Ok(json!({}))
}

fn delete_organization_members_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = owner(inner, ctx)?;
    let id = find(inner, ctx, org_id)?.id;
    // The sub-accounts bound to it are unbound with it, as deleting a CAM policy detaches it.
    state_mut(inner, org_id).member_policies.remove(&id);
    Ok(json!({}))
}

fn member_name(o: &Org, uin: u64) -> String {
    o.members
        .get(&uin)
        .map(|m| m.name.clone())
        .unwrap_or_default()
}

fn describe_organization_member_policies(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = owner(inner, ctx)?;
    let page = ctx.page()?;
    let uin = ctx.id("MemberUin");
    if !org(inner, org_id).members.contains_key(&uin) {
        return Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({uin})")));
    }
    let search = ctx.str("SearchKey").unwrap_or_default();
    let matched: Vec<&MemberPolicy> = state(inner, org_id)
        .member_policies
        .values()
        .filter(|p| p.members.contains(&uin))
        .filter(|p| contains_ci(&p.name, search) || contains_ci(&p.description, search))
        .collect();
    let (items, total) = page.slice(matched);
    let items: Vec<Value> = items
        .into_iter()
        .map(|p| {
            let identity = identity(inner, org_id, p.identity_id);
            json!({
                "PolicyId": p.id,
                "PolicyName": p.name,
                "IdentityId": p.identity_id,
                "IdentityRoleName": identity.role_name,
                "IdentityRoleAliasName": identity.alias,
                "Description": p.description,
                "CreateTime": format_time(p.create_time),
                "UpdateTime": format_time(p.update_time),
            })
        })
        .collect();
    Ok(json!({ "Items": items, "Total": total }))
}

/// A sub-account's name: the mock keeps no CAM users, so it names them by UIN.
pub(crate) fn sub_account_name(uin: u64) -> String {
    format!("sub-account-{uin}")
}

/// One row per sub-account bound to a policy, optionally narrowed to a member, a sub-account
/// and a policy (0 or absent: any).
fn describe_organization_members_auth_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = owner(inner, ctx)?;
    let page = ctx.page()?;
    let member = ctx.id("MemberUin");
    let sub = ctx.id("OrgSubAccountUin");
    let policy = ctx.id("PolicyId");
    let o = org(inner, org_id);
    let rows: Vec<(&MemberPolicy, &SubAccount)> = state(inner, org_id)
        .member_policies
        .values()
        .filter(|p| policy == 0 || p.id == policy)
        .filter(|p| member == 0 || p.members.contains(&member))
        .flat_map(|p| p.sub_accounts.iter().map(move |s| (p, s)))
        .filter(|(_, s)| sub == 0 || s.uin == sub)
        .collect();
    let (rows, total) = page.slice(rows);
    let items: Vec<Value> = rows
        .into_iter()
        .map(|(p, s)| {
            let identity = identity(inner, org_id, p.identity_id);
            // The member the row is about: the one asked for, else the policy's first.
            let shown = if member != 0 {
                Some(member)
            } else {
                p.members.first().copied()
            };
            let members: Vec<Value> = p
                .members
                .iter()
                .map(|&u| json!({"MemberUin": u, "MemberName": member_name(o, u)}))
                .collect();
            json!({
                "IdentityId": p.identity_id,
                "IdentityRoleName": identity.role_name,
                "IdentityRoleAliasName": identity.alias,
                "CreateTime": format_time(s.bound_at),
                "PolicyId": p.id,
                "PolicyName": p.name,
                "MemberUin": shown,
                "MemberName": shown.map(|u| member_name(o, u)),
                "OrgSubAccountUin": s.uin,
                "OrgSubAccountName": sub_account_name(s.uin),
                "BindType": 1,
                "Members": members,
            })
        })
        .collect();
    Ok(json!({ "Items": items, "Total": total }))
}

/// A sub-account of the manager: the mock keeps no CAM users, so any UIN that is not an
/// account it knows (the manager, members, other callers) counts as one.
pub(crate) fn is_sub_account(inner: &Inner, uin: u64) -> bool {
    uin != 0 && !inner.accounts.contains_key(&uin)
}

fn bind_organization_policy_sub_account(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = owner(inner, ctx)?;
    let id = find(inner, ctx, org_id)?.id;
    let uins = uin_list(ctx, "OrgSubAccountUins", MAX_SUB_ACCOUNTS_PER_CALL)?;
    if let Some(main) = uins.iter().find(|&&u| !is_sub_account(inner, u)) {
        return Err(ctx.err_with(SUB_ACCOUNT_NOT_EXIST, format!("({main})")));
    }
    let p = state_mut(inner, org_id)
        .member_policies
        .get_mut(&id)
        .expect("found above");
    for uin in uins {
        // Bound already: bindings are a set, the first binding time stays.
        if !p.sub_accounts.iter().any(|s| s.uin == uin) {
            p.sub_accounts.push(SubAccount {
                uin,
                bound_at: ctx.now,
            });
        }
    }
    Ok(json!({}))
}

fn cancel_organization_policy_sub_account(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = owner(inner, ctx)?;
    let p = find(inner, ctx, org_id)?;
    let id = p.id;
    let uins = uin_list(ctx, "OrgSubAccountUins", MAX_SUB_ACCOUNTS_PER_CALL)?;
    if let Some(unbound) = uins
        .iter()
        .find(|&&u| !p.sub_accounts.iter().any(|s| s.uin == u))
    {
        return Err(ctx.err_with(SUB_ACCOUNT_NOT_BOUND, format!("({unbound})")));
    }
    let p = state_mut(inner, org_id)
        .member_policies
        .get_mut(&id)
        .expect("found above");
    p.sub_accounts.retain(|s| !uins.contains(&s.uin));
    Ok(json!({}))
}

/// Members `uins` left the organization: they leave every member access policy.
pub(crate) fn members_removed(s: &mut super::model::OrgPolicies, uins: &[u64]) {
    for p in s.member_policies.values_mut() {
        p.members.retain(|u| !uins.contains(u));
    }
}
