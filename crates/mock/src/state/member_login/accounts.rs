//! Sub-accounts of the manager bound to log in to a member: BindOrganizationMemberAuthAccount,
//! CancelOrganizationMemberAuthAccount, DescribeOrganizationMemberAuthAccounts.
//!
//! A binding is a sub-account bound to one of the member's access policies (which the
//! policies area keeps, with the sub-accounts bound to them: its
//! `BindOrganizationPolicySubAccount` and these actions change the same bindings). The policy
//! names the identity the sub-account logs in with.

use serde_json::{json, Value};

use super::failures::*;
use super::model::*;
use crate::state::data::Inner;
use crate::state::org::ops;
use crate::state::policies::member_access::{
    is_sub_account, sub_account_name, MemberPolicy, SubAccount,
};
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// Sub-accounts one call may bind, as documented.
pub(crate) const MAX_SUB_ACCOUNTS: usize = 5;

fn policies(inner: &Inner, org_id: u64) -> impl Iterator<Item = &MemberPolicy> {
    inner
        .policies
        .orgs
        .get(&org_id)
        .into_iter()
        .flat_map(|o| o.member_policies.values())
}

/// Whether a member access policy lets sub-accounts log in to `member` with `identity`.
pub(crate) fn grant_in_use(inner: &Inner, org_id: u64, member: u64, identity: u64) -> bool {
    policies(inner, org_id).any(|p| p.identity_id == identity && p.members.contains(&member))
}

/// The member `MemberUin` and its access policy `PolicyId`: (organization, member, policy).
fn member_and_policy(inner: &Inner, ctx: &Ctx<'_>) -> Result<(u64, u64, u64)> {
    let (org_id, member) = ops::managed_member(inner, ctx)?;
    let id = ctx.id("PolicyId");
    policies(inner, org_id)
        .find(|p| p.id == id && p.members.contains(&member))
        .map(|p| (org_id, member, p.id))
        .ok_or_else(|| {
            ctx.err_with(
                MEMBER_POLICY_NOT_EXIST,
                format!("({id} for member {member})"),
            )
        })
}

fn policy_mut(inner: &mut Inner, org_id: u64, id: u64) -> &mut MemberPolicy {
    inner
        .policies
        .orgs
        .get_mut(&org_id)
        .and_then(|o| o.member_policies.get_mut(&id))
        .expect("policy found under the same lock")
}

/// Binds sub-accounts, all or none; one bound already stays as it was.
pub(super) fn bind(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (org_id, member, id) = member_and_policy(inner, ctx)?;
    let mut subs = ctx.ids("OrgSubAccountUins");
    subs.sort_unstable();
    subs.dedup();
    if subs.is_empty() || subs.len() > MAX_SUB_ACCOUNTS {
        return Err(ctx.err_with(
            BAD_VALUE,
            format!("OrgSubAccountUins holds 1-{MAX_SUB_ACCOUNTS} UINs."),
        ));
    }
    if let Some(main) = subs.iter().find(|u| !is_sub_account(inner, **u)) {
        return Err(ctx.err_with(SUB_ACCOUNT_NOT_EXIST, format!("({main})")));
    }
    // A sub-account logs in to a member with one identity: bound through another of the
    // member's policies, it has one already.
    let elsewhere = policies(inner, org_id)
        .filter(|p| p.id != id && p.members.contains(&member))
        .find_map(|p| {
            subs.iter()
                .find(|s| p.sub_accounts.iter().any(|b| b.uin == **s))
                .map(|s| (*s, p.id))
        });
    if let Some((sub, other)) = elsewhere {
        return Err(ctx.err_with(
            SUB_ACCOUNT_HAS_IDENTITY,
            format!("({sub} through policy {other})"),
        ));
    }
    let p = policy_mut(inner, org_id, id);
    for uin in subs {
        if !p.sub_accounts.iter().any(|s| s.uin == uin) {
            p.sub_accounts.push(SubAccount {
                uin,
                bound_at: ctx.now,
            });
        }
    }
    Ok(json!({}))
}

pub(super) fn cancel(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (org_id, _, id) = member_and_policy(inner, ctx)?;
    let sub = ctx.id("OrgSubAccountUin");
    let p = policy_mut(inner, org_id, id);
    if !p.sub_accounts.iter().any(|s| s.uin == sub) {
        return Err(ctx.err_with(SUB_ACCOUNT_NOT_BOUND, format!("({sub})")));
    }
    p.sub_accounts.retain(|s| s.uin != sub);
    Ok(json!({}))
}

/// The sub-accounts bound to one access policy of a member (none for a policy that is not
/// the member's).
pub(super) fn describe(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let (member, id) = (ctx.id("MemberUin"), ctx.id("PolicyId"));
    let Some(p) = policies(inner, org_id).find(|p| p.id == id && p.members.contains(&member))
    else {
        return Ok(json!({"Items": [], "Total": 0}));
    };
    let identity = identity_of(inner, org_id, p.identity_id);
    let (role, alias) = identity.map(|i| (i.role_name, i.name)).unwrap_or_default();
    let items: Vec<Value> = p
        .sub_accounts
        .iter()
        .map(|s| {
            json!({
                "OrgSubAccountUin": s.uin,
                "PolicyId": p.id,
                "PolicyName": p.name,
                "IdentityId": p.identity_id,
                "IdentityRoleName": role,
                "IdentityRoleAliasName": alias,
                "CreateTime": time(s.bound_at),
                "UpdateTime": time(s.bound_at),
                "OrgSubAccountName": sub_account_name(s.uin),
            })
        })
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Items": items, "Total": total }))
}
