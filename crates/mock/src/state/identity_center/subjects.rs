//! Who is given access, and where: a principal (a user or group of the zone) and a target
//! account of the zone's organization, a member (`MemberUin`) or the manager itself
//! (`ManagerUin`). Role configuration deployments name a target; role assignments and user
//! synchronizations name both, and each task re-checks them when it completes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::data::Inner;
use crate::state::failure::{Failure, BAD_VALUE};
use crate::state::{BusinessError, Ctx};

use super::groups::GROUP_NOT_EXIST;
use super::users::USER_NOT_EXIST;
pub(crate) use super::PrincipalKind;

type Result<T> = std::result::Result<T, BusinessError>;

/// A target that is not an account of the zone's organization.
pub(crate) const TARGET_NOT_MEMBER: Failure = Failure {
    name: "TargetNotMember",
    codes: &[
        "FailedOperation.OrganizationMemberNotExist",
        "ResourceNotFound.OrganizationMemberNotExist",
    ],
    fallback: "ResourceNotFound",
    message: "The target is not an account of the zone's organization.",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum TargetKind {
    /// `MemberUin`: a member account.
    Member,
    /// `ManagerUin`: the organization's manager (the zone's owner).
    Manager,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Member => "MemberUin",
            TargetKind::Manager => "ManagerUin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "MemberUin" => Some(TargetKind::Member),
            "ManagerUin" => Some(TargetKind::Manager),
            _ => None,
        }
    }
}

/// An account access is given on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Target {
    pub kind: TargetKind,
    pub uin: u64,
}

/// A `TargetType` value, if present: `MemberUin` or `ManagerUin`.
pub(crate) fn target_kind(ctx: &Ctx<'_>, text: Option<&str>) -> Result<Option<TargetKind>> {
    match text.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => TargetKind::parse(text).map(Some).ok_or_else(|| {
            ctx.err_with(
                BAD_VALUE,
                format!("TargetType is MemberUin or ManagerUin, not {text:?}."),
            )
        }),
    }
}

impl Target {
    /// The `TargetType` and `TargetUin` members of `object` (the request, or one of its list
    /// items); both required.
    pub fn read(ctx: &Ctx<'_>, object: &Value) -> Result<Target> {
        let kind = target_kind(ctx, object.get("TargetType").and_then(Value::as_str))?
            .ok_or_else(|| ctx.err_with(BAD_VALUE, "TargetType is required."))?;
        let uin = object
            .get("TargetUin")
            .and_then(Value::as_u64)
            .ok_or_else(|| ctx.err_with(BAD_VALUE, "TargetUin is required."))?;
        Ok(Target { kind, uin })
    }

    /// Whether the target is an account of the organization `owner` manages.
    pub fn is_valid(&self, inner: &Inner, owner: u64) -> bool {
        let Some(org_id) = inner.managed_org_id(owner) else {
            return false;
        };
        match self.kind {
            TargetKind::Manager => self.uin == owner,
            TargetKind::Member => inner
                .orgs
                .get(&org_id)
                .is_some_and(|o| o.members.contains_key(&self.uin)),
        }
    }

    /// The target must be an account of the organization `owner` manages.
    pub fn check(&self, inner: &Inner, ctx: &Ctx<'_>, owner: u64) -> Result<()> {
        if self.is_valid(inner, owner) {
            Ok(())
        } else {
            Err(ctx.err_with(
                TARGET_NOT_MEMBER,
                format!("({} {})", self.kind.as_str(), self.uin),
            ))
        }
    }

    /// The name the organization knows the target by: the member's name, or the manager
    /// account's.
    pub fn name(&self, inner: &Inner, owner: u64) -> String {
        inner
            .managed_org_id(owner)
            .and_then(|org_id| inner.orgs.get(&org_id))
            .and_then(|o| o.members.get(&self.uin))
            .map(|m| m.name.clone())
            .unwrap_or_else(|| inner.account_name(self.uin))
    }
}

/// An Identity Center user or group, by ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Principal {
    pub kind: PrincipalKind,
    pub id: String,
}

/// The name of the user or group `p` of `zone`, if it exists.
pub(crate) fn principal_name(zone: &super::Zone, p: &Principal) -> Option<String> {
    match p.kind {
        PrincipalKind::User => zone.users.get(&p.id).map(|u| u.name.clone()),
        PrincipalKind::Group => zone.groups.get(&p.id).map(|g| g.name.clone()),
    }
}

/// For task work, which runs after the request that started it: zone `scope` with principal
/// `p` still in it, or why the task fails.
pub(crate) fn zone_with_principal<'a>(
    inner: &'a Inner,
    scope: &str,
    p: &Principal,
) -> std::result::Result<&'a super::Zone, String> {
    let z = inner
        .identity_center
        .zones
        .get(scope)
        .ok_or("the zone no longer exists")?;
    if principal_name(z, p).is_none() {
        return Err(format!(
            "the {} {} no longer exists",
            p.kind.as_str().to_lowercase(),
            p.id
        ));
    }
    Ok(z)
}

impl Principal {
    /// The `PrincipalType` and `PrincipalId` members of `object`; both required.
    pub fn read(ctx: &Ctx<'_>, object: &Value) -> Result<Principal> {
        let kind_text = object
            .get("PrincipalType")
            .and_then(Value::as_str)
            .unwrap_or("");
        let kind = PrincipalKind::parse(kind_text).ok_or_else(|| {
            ctx.err_with(
                BAD_VALUE,
                format!("PrincipalType is User or Group, not {kind_text:?}."),
            )
        })?;
        let id = object
            .get("PrincipalId")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| ctx.err_with(BAD_VALUE, "PrincipalId is required."))?;
        Ok(Principal {
            kind,
            id: id.to_owned(),
        })
    }

    /// The principal must be a user or group of `zone`: its name.
    pub fn check(&self, zone: &super::Zone, ctx: &Ctx<'_>) -> Result<String> {
        principal_name(zone, self).ok_or_else(|| {
            let failure = match self.kind {
                PrincipalKind::User => USER_NOT_EXIST,
                PrincipalKind::Group => GROUP_NOT_EXIST,
            };
            ctx.err_with(failure, format!("({})", self.id))
        })
    }
}

/// Members `uins` left organization `org_id`: what its zone gave them goes (deployments,
/// role assignments, user synchronizations). Tasks in progress on them fail when they
/// complete, as their target is gone.
pub(crate) fn members_removed(inner: &mut Inner, org_id: u64, uins: &[u64]) {
    let Some(owner) = inner.orgs.get(&org_id).map(|o| o.host_uin) else {
        return;
    };
    for zone in inner
        .identity_center
        .zones
        .values_mut()
        .filter(|z| z.owner_uin == owner)
    {
        for &uin in uins {
            let target = Target {
                kind: TargetKind::Member,
                uin,
            };
            zone.roles.forget_target(&target);
            zone.assignments.forget_target(&target);
            zone.sync.forget_target(&target);
        }
    }
}
