//! Deploying a role configuration on target accounts (`ProvisionRoleConfiguration`), removing
//! a deployment (`DismantleRoleConfiguration`), both as tasks; and the deployments listed.
//! Creating a role assignment also deploys its configuration on its target when it is not
//! there yet (see [`deploy`]), as the console describes a first assignment.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::{Failure, BAD_NEXT_TOKEN, BAD_VALUE};
use crate::state::org::model::format_time;
use crate::state::tasks::{self, Started, Work};
use crate::state::{BusinessError, Ctx};

use super::super::assignments;
use super::super::paging::{self, Order};
use super::super::subjects::{Target, TargetKind, TARGET_NOT_MEMBER};
use super::super::zone::{self, NOT_OPEN, ZONE_NOT_EXIST};
use super::{role, PARAM_ERROR, ROLE_NOT_EXIST};

type Result<T> = std::result::Result<T, BusinessError>;

/// `DeploymentStatus`. The mock never reports `DeployFailed`: a failed task leaves the
/// deployment as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Deployment {
    Deployed,
    /// Deployed, but the configuration has changed since.
    DeployedRequired,
}

impl Deployment {
    pub fn as_str(self) -> &'static str {
        match self {
            Deployment::Deployed => "Deployed",
            Deployment::DeployedRequired => "DeployedRequired",
        }
    }
}

/// A role configuration deployed on one target account.
/// In a seed only `target` is needed: deployed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Provisioning {
    pub target: Target,
    /// Creation sequence (paging key).
    #[serde(default)]
    pub seq: u64,
    #[serde(default = "deployed")]
    pub status: Deployment,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
}

fn deployed() -> Deployment {
    Deployment::Deployed
}

const NOT_DEPLOYED: Failure = Failure {
    name: "ProvisioningNotFound",
    codes: &["ResourceNotFound.RoleConfigurationProvisioningNotFound"],
    fallback: "ResourceNotFound",
    message: "The role configuration is not deployed on this target.",
};

const STILL_ASSIGNED: Failure = Failure {
    name: "StillAssigned",
    codes: &["FailedOperation.RoleConfigurationAuthorizationExist"],
    fallback: "FailedOperation",
    message: "Role assignments still use the role configuration on this target; delete them first.",
};

const DEPLOYMENT_BUSY: Failure = Failure {
    name: "DeploymentBusy",
    codes: &["FailedOperation.RoleConfigurationProvisioningStatusError"],
    fallback: "FailedOperation",
    message: "A deployment task for this role configuration and target is still in progress.",
};

pub(super) const PROVISION_RAISES: &[Failure] = &[
    NOT_OPEN,
    ZONE_NOT_EXIST,
    ROLE_NOT_EXIST,
    BAD_VALUE,
    TARGET_NOT_MEMBER,
];
pub(super) const DISMANTLE_RAISES: &[Failure] = &[
    NOT_OPEN,
    ZONE_NOT_EXIST,
    BAD_VALUE,
    TARGET_NOT_MEMBER,
    NOT_DEPLOYED,
    STILL_ASSIGNED,
    DEPLOYMENT_BUSY,
];
pub(super) const LIST_RAISES: &[Failure] = &[
    NOT_OPEN,
    ZONE_NOT_EXIST,
    BAD_VALUE,
    BAD_NEXT_TOKEN,
    PARAM_ERROR,
];

pub(super) fn decisions() -> Vec<String> {
    vec![
        "Deployments: `ProvisionRoleConfiguration` and `DismantleRoleConfiguration` are tasks. A target is a \
         member of the zone's organization (`MemberUin`) or its manager (`ManagerUin`), else \
         `FailedOperation.OrganizationMemberNotExist`. Provisioning an existing deployment redeploys it \
         (`Deployed` again). A configuration that is not deployed on the target cannot be dismantled \
         (`ResourceNotFound.RoleConfigurationProvisioningNotFound`), nor one that role assignments (or \
         assignment tasks in progress) still use there (`FailedOperation.RoleConfigurationAuthorizationExist`), \
         nor one with a deployment task for the same target still in progress \
         (`FailedOperation.RoleConfigurationProvisioningStatusError`). The first role assignment of a \
         configuration on a target deploys it there. `DeployFailed` is never reported: a failed task leaves \
         the deployment as it was."
            .to_owned(),
    ]
}

/// The `RoleProvisioningsTask` object of a deployment task.
fn task_json(
    started: &Started,
    role_id: &str,
    role_name: &str,
    target: &Target,
    work: &str,
) -> Value {
    json!({
        "TaskId": started.id,
        "RoleConfigurationId": role_id,
        "RoleConfigurationName": role_name,
        "TargetUin": target.uin,
        "TargetType": target.kind.as_str(),
        "TaskType": work,
        "TaskStatus": started.status.as_str(),
    })
}

pub(super) fn provision(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (z, role) = role(inner, ctx)?;
    let target = Target::read(ctx, ctx.params)?;
    target.check(inner, ctx, z.owner_uin)?;
    let (zone_id, role_id, role_name) = (z.id.clone(), role.id.clone(), role.name.clone());
    let work = Work::Provision {
        role: role_id.clone(),
        target,
    };
    let kind = work.task_type();
    let started = tasks::start(inner, ctx.now_millis, &zone_id, work, &role_name, "");
    Ok(json!({ "Task": task_json(&started, &role_id, &role_name, &target, kind) }))
}

pub(super) fn dismantle(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let target = Target::read(ctx, ctx.params)?;
    target.check(inner, ctx, z.owner_uin)?;
    let role_id = ctx.str("RoleConfigurationId").unwrap_or("");
    let Some(role) = z
        .roles
        .get(role_id)
        .filter(|r| r.provisioning(&target).is_some())
    else {
        return Err(ctx.err_with(NOT_DEPLOYED, format!("({role_id} on {})", target.uin)));
    };
    let pending = || inner.tasks.pending_in(&z.id);
    let assigning = pending()
        .any(|w| matches!(w, Work::CreateAssignment(k) if k.role == role.id && k.target == target));
    if assigning || assignments::assigned_on(z, &role.id, &target) {
        return Err(ctx.err_with(STILL_ASSIGNED, format!("({role_id} on {})", target.uin)));
    }
    let busy = pending().any(|w| match w {
        Work::Provision { role: r, target: t } | Work::Dismantle { role: r, target: t } => {
            *r == role.id && *t == target
        }
        _ => false,
    });
    if busy {
        return Err(ctx.err_with(DEPLOYMENT_BUSY, format!("({role_id} on {})", target.uin)));
    }
    let (zone_id, role_id, role_name) = (z.id.clone(), role.id.clone(), role.name.clone());
    let work = Work::Dismantle {
        role: role_id.clone(),
        target,
    };
    let kind = work.task_type();
    let started = tasks::start(inner, ctx.now_millis, &zone_id, work, &role_name, "");
    Ok(json!({ "Task": task_json(&started, &role_id, &role_name, &target, kind) }))
}

pub(super) fn list(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let role_id = ctx.str("RoleConfigurationId").filter(|r| !r.is_empty());
    let kind = match ctx.str("TargetType").filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => Some(TargetKind::parse(text).ok_or_else(|| {
            ctx.err_with(
                PARAM_ERROR,
                format!("TargetType is MemberUin or ManagerUin, not {text:?}."),
            )
        })?),
    };
    let uin = ctx.int("TargetUin").filter(|u| *u != 0);
    let status = match ctx.str("DeploymentStatus").unwrap_or("") {
        "" => None,
        s @ ("Deployed" | "DeployedRequired" | "DeployFailed") => Some(s),
        other => {
            return Err(ctx.err_with(
                PARAM_ERROR,
                format!(
                "DeploymentStatus is Deployed, DeployedRequired or DeployFailed, not {other:?}."
            ),
            ))
        }
    };
    let filter = ctx.str("Filter").unwrap_or("").to_lowercase();
    let items = z
        .roles
        .iter()
        .filter(|r| role_id.is_none_or(|id| r.id == id))
        .filter(|r| r.name.to_lowercase().contains(&filter))
        .flat_map(|r| r.provisionings.iter().map(move |p| (r, p)))
        .filter(|(_, p)| kind.is_none_or(|k| p.target.kind == k))
        .filter(|(_, p)| uin.is_none_or(|u| i64::try_from(p.target.uin) == Ok(u)))
        .filter(|(_, p)| status.is_none_or(|s| p.status.as_str() == s))
        .map(|(r, p)| {
            let item = json!({
                "DeploymentStatus": p.status.as_str(),
                "RoleConfigurationId": r.id,
                "RoleConfigurationName": r.name,
                "TargetUin": p.target.uin,
                "TargetName": p.target.name(inner, z.owner_uin),
                "CreateTime": format_time(p.create_time),
                "UpdateTime": format_time(p.update_time),
                "TargetType": p.target.kind.as_str(),
            });
            (p.seq, item)
        })
        .collect();
    paging::answer(ctx, "RoleConfigurationProvisionings", items, Order::Oldest)
}

/// Task work: `role` deployed (again) on `target`.
pub(crate) fn provisioned(
    inner: &mut Inner,
    scope: &str,
    role: &str,
    target: &Target,
    now: i64,
) -> std::result::Result<(), String> {
    deploy(inner, scope, role, target, now, true)
}

/// Deploys `role` on `target` at `now`: a new deployment, or with `refresh` an existing one
/// made current. `Err` says why it cannot be.
pub(crate) fn deploy(
    inner: &mut Inner,
    scope: &str,
    role: &str,
    target: &Target,
    now: i64,
    refresh: bool,
) -> std::result::Result<(), String> {
    let owner = inner
        .identity_center
        .zones
        .get(scope)
        .map(|z| z.owner_uin)
        .ok_or("the zone no longer exists")?;
    if !target.is_valid(inner, owner) {
        return Err(format!(
            "the target {} is no longer an account of the organization",
            target.uin
        ));
    }
    let seq = inner.identity_center.seq();
    let r = inner
        .identity_center
        .zones
        .get_mut(scope)
        .and_then(|z| z.roles.get_mut(role))
        .ok_or_else(|| format!("the role configuration {role} no longer exists"))?;
    match r.provisionings.iter_mut().find(|p| p.target == *target) {
        Some(p) if refresh => {
            p.status = Deployment::Deployed;
            p.update_time = now;
        }
        Some(_) => {}
        None => r.provisionings.push(Provisioning {
            target: *target,
            seq,
            status: Deployment::Deployed,
            create_time: now,
            update_time: now,
        }),
    }
    Ok(())
}

/// Task work: `role`'s deployment on `target` removed.
pub(crate) fn dismantled(
    inner: &mut Inner,
    scope: &str,
    role: &str,
    target: &Target,
) -> std::result::Result<(), String> {
    let z = inner
        .identity_center
        .zones
        .get_mut(scope)
        .ok_or("the zone no longer exists")?;
    if assignments::assigned_on(z, role, target) {
        return Err(format!(
            "role assignments of {role} on {} were created meanwhile",
            target.uin
        ));
    }
    let r = z
        .roles
        .get_mut(role)
        .ok_or_else(|| format!("the role configuration {role} no longer exists"))?;
    let before = r.provisionings.len();
    r.provisionings.retain(|p| p.target != *target);
    if r.provisionings.len() == before {
        return Err(format!("{role} is no longer deployed on {}", target.uin));
    }
    Ok(())
}
