//! Role assignments: a principal (user or group) given a role configuration on a target
//! account, created and deleted by tasks; and the tasks of the zone, read one at a time
//! (`GetTaskStatus`, which counts as a poll) or listed (`ListTasks`, which does not).
//!
//! An assignment hangs on its role configuration (deployed on its target: creating the first
//! assignment deploys it), its principal (a user or group cannot be deleted while assigned:
//! [`principal_assigned`]) and its target (removing a member from the organization removes
//! its assignments: [`Assignments::forget_target`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::{Failure, BAD_NEXT_TOKEN, BAD_VALUE};
use crate::state::org::model::format_time;
use crate::state::tasks::{self, Family, Started, Status, Task, Work};
use crate::state::{BusinessError, Ctx, Handler};

use super::groups::GROUP_NOT_EXIST;
use super::paging::{self, Order, PARAM_ERROR};
use super::roles::{self, ROLE_NOT_EXIST};
use super::subjects::{self, Principal, PrincipalKind, Target, TargetKind, TARGET_NOT_MEMBER};
use super::users::USER_NOT_EXIST;
use super::zone::{self, NOT_OPEN, ZONE_NOT_EXIST};
use super::Zone;

type Result<T> = std::result::Result<T, BusinessError>;

/// Entries one `CreateRoleAssignment` may carry, as documented.
const MAX_PER_CALL: usize = 50;
/// Role assignments per zone (the mock's choice), tasks in progress included.
pub(crate) const MAX_ASSIGNMENTS: usize = 1000;

/// What identifies an assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Key {
    pub role: String,
    pub target: Target,
    pub principal: Principal,
}

/// In a seed only `key` is needed: the sequence number is the entry's key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Assignment {
    pub key: Key,
    /// Creation sequence (paging key).
    #[serde(default)]
    pub seq: u64,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
}

/// The assignments of one zone, by creation sequence.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Assignments {
    pub(super) by_seq: BTreeMap<u64, Assignment>,
}

impl Assignments {
    pub fn iter(&self) -> impl Iterator<Item = &Assignment> {
        self.by_seq.values()
    }

    pub fn len(&self) -> usize {
        self.by_seq.len()
    }

    pub fn find(&self, key: &Key) -> Option<&Assignment> {
        self.iter().find(|a| a.key == *key)
    }

    /// Removes every assignment on `target` (it left the organization).
    pub fn forget_target(&mut self, target: &Target) {
        self.by_seq.retain(|_, a| a.key.target != *target);
    }

    pub(crate) fn insert(&mut self, assignment: Assignment) {
        self.by_seq.insert(assignment.seq, assignment);
    }
}

const TOO_MANY: Failure = Failure {
    name: "TooManyAssignmentsInOneCall",
    codes: &["LimitExceeded.CreateRoleAssignmentLimitExceeded"],
    fallback: "LimitExceeded",
    message: "One call creates at most 50 role assignments.",
};

const ALREADY_ASSIGNED: Failure = Failure {
    name: "AlreadyAssigned",
    codes: &["FailedOperation.RoleConfigurationAuthorizationAlreadyExist"],
    fallback: "ResourceInUse",
    message: "This role assignment exists or is being created.",
};

const ASSIGNMENT_LIMIT: Failure = Failure {
    name: "AssignmentLimit",
    codes: &["FailedOperation.RoleConfigurationAuthorizationOverLimit"],
    fallback: "LimitExceeded",
    message: "The zone has as many role assignments as it may have.",
};

const NOT_ASSIGNED: Failure = Failure {
    name: "NotAssigned",
    codes: &["ResourceNotFound.RoleConfigurationAuthorizationNotFound"],
    fallback: "ResourceNotFound",
    message: "The zone has no such role assignment.",
};

const TASK_NOT_FOUND: Failure = Failure {
    name: "RoleTaskNotFound",
    codes: &["ResourceNotFound.RoleConfigurationTaskNotFound"],
    fallback: "ResourceNotFound",
    message: "The zone has no role configuration or assignment task with this ID.",
};

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateRoleAssignment",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            BAD_VALUE,
            TOO_MANY,
            ROLE_NOT_EXIST,
            USER_NOT_EXIST,
            GROUP_NOT_EXIST,
            TARGET_NOT_MEMBER,
            ALREADY_ASSIGNED,
            ASSIGNMENT_LIMIT,
        ],
        run: create,
    },
    Handler {
        action: "DeleteRoleAssignment",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, BAD_VALUE, NOT_ASSIGNED],
        run: delete,
    },
    Handler {
        action: "ListRoleAssignments",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            BAD_VALUE,
            BAD_NEXT_TOKEN,
            PARAM_ERROR,
        ],
        run: list,
    },
    Handler {
        action: "GetTaskStatus",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, TASK_NOT_FOUND],
        run: get_task_status,
    },
    Handler {
        action: "ListTasks",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            BAD_VALUE,
            BAD_NEXT_TOKEN,
            PARAM_ERROR,
        ],
        run: list_tasks,
    },
];

pub(super) fn decisions() -> Vec<String> {
    vec![
        format!(
            "Role assignments: `CreateRoleAssignment` takes 1-{MAX_PER_CALL} entries \
             (`LimitExceeded.CreateRoleAssignmentLimitExceeded` beyond) and checks them all before starting \
             one task per entry; the role configuration, the principal (`ResourceNotFound.UserNotExist`, \
             `InvalidParameter.GroupNotExist`) and the target (a member, or the manager as `ManagerUin`) must \
             exist. An assignment that exists, is being created, or is named twice in the call is refused \
             (`FailedOperation.RoleConfigurationAuthorizationAlreadyExist`); at most {MAX_ASSIGNMENTS} per zone, \
             tasks in progress included (`FailedOperation.RoleConfigurationAuthorizationOverLimit`). When the task \
             completes the assignment appears, and the role configuration is deployed on the target if it was \
             not. `DeleteRoleAssignment` needs the assignment to exist \
             (`ResourceNotFound.RoleConfigurationAuthorizationNotFound`); with `DeprovisionStrategy` \
             `DeprovisionForLastRoleAssignmentOnAccount` the deployment goes with the last assignment of the \
             configuration on that target, with `None` (the default) it stays."
        ),
        "A user or group with role assignments cannot be deleted \
         (`FailedOperation.RoleConfigurationAuthorizationExist`). Removing a member from the organization \
         (`DeleteOrganizationMembers`, `QuitOrganization`, either version) removes the zone's role assignments, \
         deployments and user synchronizations on it; no code documents a refusal. Tasks on it still in \
         progress fail when they complete."
            .to_owned(),
        "Tasks: every asynchronous action (`ProvisionRoleConfiguration`, `DismantleRoleConfiguration`, \
         `CreateRoleAssignment`, `DeleteRoleAssignment`, `CreateUserSyncProvisioning`, \
         `DeleteUserSyncProvisioning`) starts a task (`t-` and 10 characters) whose effect appears only when it \
         completes. When is set by the task policy (`[tasks]` in the config file, \
         `MockServerBuilder::task_policy`, `PUT /_mock/tasks`), fixed for each task when it starts: \
         `immediately` (the starting action's answer already says `Success`), `after-polls` N (the default, \
         N = 2: the N-th `GetTaskStatus` / `GetProvisioningTaskStatus` of the task sees it complete), or \
         `after-duration` on the mock's clock; with `fail` set, tasks fail with that reason instead. A task whose \
         subject is gone when it completes (role configuration, principal, target, assignment, synchronization) \
         fails with a reason saying so and changes nothing."
            .to_owned(),
        "`GetTaskStatus` reads role configuration and assignment tasks, `GetProvisioningTaskStatus` user \
         synchronization tasks (each answers the other's IDs as not found); only these count as polls. \
         `ListTasks` lists every task of the zone in the order they started, without polling them; \
         `FailureReason` is empty unless `Status` is `Failed`. Tasks are kept until a reset."
            .to_owned(),
    ]
}

/// The `TaskInfo` object of a task of any kind (empty strings where it has no role
/// configuration or principal).
pub(crate) fn task_info(task: &Task) -> Value {
    let (role, target, principal) = match &task.work {
        Work::Provision { role, target } | Work::Dismantle { role, target } => {
            (role.as_str(), *target, None)
        }
        Work::CreateAssignment(key) | Work::DeleteAssignment { key, .. } => {
            (key.role.as_str(), key.target, Some(&key.principal))
        }
        Work::StartUserSync(p) | Work::DeleteUserSync(p) => ("", p.target, Some(&p.principal)),
    };
    json!({
        "TaskId": task.id,
        "RoleConfigurationId": role,
        "RoleConfigurationName": task.role_name,
        "TargetUin": target.uin,
        "TargetType": target.kind.as_str(),
        "PrincipalId": principal.map_or("", |p| p.id.as_str()),
        "PrincipalType": principal.map_or("", |p| p.kind.as_str()),
        "TaskType": task.work.task_type(),
        "Status": task.status.as_str(),
        "FailureReason": task.failure_reason,
    })
}

/// The `TaskInfo` of a task just started for `key`.
fn started_info(started: &Started, key: &Key, role_name: &str, kind: &str) -> Value {
    json!({
        "TaskId": started.id,
        "RoleConfigurationId": key.role,
        "RoleConfigurationName": role_name,
        "TargetUin": key.target.uin,
        "TargetType": key.target.kind.as_str(),
        "PrincipalId": key.principal.id,
        "PrincipalType": key.principal.kind.as_str(),
        "TaskType": kind,
        "Status": started.status.as_str(),
        "FailureReason": started.failure_reason,
    })
}

/// Whether `principal` holds any role assignment in `zone` (it may not be deleted then).
pub(crate) fn principal_assigned(zone: &Zone, kind: PrincipalKind, id: &str) -> bool {
    zone.assignments
        .iter()
        .any(|a| a.key.principal.kind == kind && a.key.principal.id == id)
}

/// The principal is gone: nothing of it may stay (deletion is refused while it is assigned,
/// so this finds nothing unless the refusal changes).
pub(crate) fn principal_removed(zone: &mut Zone, kind: PrincipalKind, id: &str) {
    zone.assignments
        .by_seq
        .retain(|_, a| !(a.key.principal.kind == kind && a.key.principal.id == id));
}

/// Whether `role` is assigned on `target` to anyone.
pub(crate) fn assigned_on(zone: &Zone, role: &str, target: &Target) -> bool {
    zone.assignments
        .iter()
        .any(|a| a.key.role == role && a.key.target == *target)
}

/// Whether `role` is assigned on one of `targets` (to `principal` when given).
pub(crate) fn role_assigned_on(
    zone: &Zone,
    role: &str,
    targets: &[u64],
    principal: Option<&str>,
) -> bool {
    zone.assignments.iter().any(|a| {
        a.key.role == role
            && targets.contains(&a.key.target.uin)
            && principal.is_none_or(|p| a.key.principal.id == p)
    })
}

/// The entries of `RoleAssignmentInfo`, each checked: keys and the role configuration names.
fn entries(inner: &Inner, z: &Zone, ctx: &Ctx<'_>) -> Result<Vec<(Key, String, String)>> {
    let infos = ctx
        .params
        .get("RoleAssignmentInfo")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if infos.is_empty() {
        return Err(ctx.err_with(
            BAD_VALUE,
            "RoleAssignmentInfo names at least one assignment.",
        ));
    }
    if infos.len() > MAX_PER_CALL {
        return Err(ctx.err_with(TOO_MANY, format!("({} entries)", infos.len())));
    }
    let creating: Vec<&Key> = inner
        .tasks
        .pending_in(&z.id)
        .filter_map(|w| match w {
            Work::CreateAssignment(k) => Some(k),
            _ => None,
        })
        .collect();
    let mut out: Vec<(Key, String, String)> = Vec::new();
    for info in infos {
        let role_id = info
            .get("RoleConfigurationId")
            .and_then(Value::as_str)
            .unwrap_or("");
        let role = z
            .roles
            .get(role_id)
            .ok_or_else(|| ctx.err_with(ROLE_NOT_EXIST, format!("({role_id})")))?;
        let principal = Principal::read(ctx, info)?;
        let principal_name = principal.check(z, ctx)?;
        let target = Target::read(ctx, info)?;
        target.check(inner, ctx, z.owner_uin)?;
        let key = Key {
            role: role.id.clone(),
            target,
            principal,
        };
        let taken = z.assignments.find(&key).is_some()
            || creating.contains(&&key)
            || out.iter().any(|(k, _, _)| *k == key);
        if taken {
            return Err(ctx.err_with(
                ALREADY_ASSIGNED,
                format!(
                    "({} to {} on {})",
                    key.role, key.principal.id, key.target.uin
                ),
            ));
        }
        out.push((key, role.name.clone(), principal_name));
    }
    let total = z.assignments.len() + creating.len() + out.len();
    if total > MAX_ASSIGNMENTS {
        return Err(ctx.err_with(ASSIGNMENT_LIMIT, format!("(at most {MAX_ASSIGNMENTS})")));
    }
    Ok(out)
}

fn create(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let zone_id = z.id.clone();
    let entries = entries(inner, z, ctx)?;
    let mut out = Vec::new();
    for (key, role_name, principal_name) in entries {
        let work = Work::CreateAssignment(key.clone());
        let kind = work.task_type();
        let started = tasks::start(
            inner,
            ctx.now_millis,
            &zone_id,
            work,
            &role_name,
            &principal_name,
        );
        out.push(started_info(&started, &key, &role_name, kind));
    }
    Ok(json!({ "Tasks": out }))
}

fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let target = Target::read(ctx, ctx.params)?;
    let principal = Principal::read(ctx, ctx.params)?;
    let deprovision = match ctx.str("DeprovisionStrategy").unwrap_or("") {
        "" | "None" => false,
        "DeprovisionForLastRoleAssignmentOnAccount" => true,
        other => {
            return Err(ctx.err_with(
                BAD_VALUE,
                format!(
                    "DeprovisionStrategy is None or DeprovisionForLastRoleAssignmentOnAccount, not {other:?}."
                ),
            ))
        }
    };
    let key = Key {
        role: ctx.str("RoleConfigurationId").unwrap_or("").to_owned(),
        target,
        principal,
    };
    if z.assignments.find(&key).is_none() {
        return Err(ctx.err_with(
            NOT_ASSIGNED,
            format!(
                "({} to {} on {})",
                key.role, key.principal.id, key.target.uin
            ),
        ));
    }
    let role_name = z
        .roles
        .get(&key.role)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let principal_name = subjects::principal_name(z, &key.principal).unwrap_or_default();
    let zone_id = z.id.clone();
    let work = Work::DeleteAssignment {
        key: key.clone(),
        deprovision,
    };
    let kind = work.task_type();
    let started = tasks::start(
        inner,
        ctx.now_millis,
        &zone_id,
        work,
        &role_name,
        &principal_name,
    );
    Ok(json!({ "Task": started_info(&started, &key, &role_name, kind) }))
}

/// A `TargetType` / `PrincipalType` list filter.
fn kind_filter<T>(ctx: &Ctx<'_>, key: &str, parse: fn(&str) -> Option<T>) -> Result<Option<T>> {
    match ctx.str(key).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => parse(text).map(Some).ok_or_else(|| {
            ctx.err_with(
                PARAM_ERROR,
                format!("{key} {text:?} is not one of its values."),
            )
        }),
    }
}

/// The filters `ListRoleAssignments` and `ListTasks` share.
struct Filters<'a> {
    role: Option<&'a str>,
    target_kind: Option<TargetKind>,
    target_uin: Option<i64>,
    principal_kind: Option<PrincipalKind>,
    principal_id: Option<&'a str>,
}

impl<'a> Filters<'a> {
    fn read(ctx: &'a Ctx<'_>) -> Result<Self> {
        let nonempty = |key| ctx.str(key).filter(|s| !s.is_empty());
        Ok(Filters {
            role: nonempty("RoleConfigurationId"),
            target_kind: kind_filter(ctx, "TargetType", TargetKind::parse)?,
            target_uin: ctx.int("TargetUin").filter(|u| *u != 0),
            principal_kind: kind_filter(ctx, "PrincipalType", PrincipalKind::parse)?,
            principal_id: nonempty("PrincipalId"),
        })
    }

    fn admit(&self, role: &str, target: &Target, principal: Option<&Principal>) -> bool {
        self.role.is_none_or(|r| r == role)
            && self.target_kind.is_none_or(|k| k == target.kind)
            && self
                .target_uin
                .is_none_or(|u| i64::try_from(target.uin) == Ok(u))
            && self
                .principal_kind
                .is_none_or(|k| principal.is_some_and(|p| p.kind == k))
            && self
                .principal_id
                .is_none_or(|id| principal.is_some_and(|p| p.id == id))
    }
}

fn list(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let filters = Filters::read(ctx)?;
    let name_filter = ctx.str("Filter").unwrap_or("").to_lowercase();
    let items = z
        .assignments
        .iter()
        .filter(|a| filters.admit(&a.key.role, &a.key.target, Some(&a.key.principal)))
        .filter_map(|a| {
            let role = z.roles.get(&a.key.role)?;
            role.name
                .to_lowercase()
                .contains(&name_filter)
                .then(|| (a.seq, assignment_info(inner, z, a, role)))
        })
        .collect();
    paging::answer(ctx, "RoleAssignments", items, Order::Oldest)
}

fn assignment_info(
    inner: &Inner,
    z: &Zone,
    a: &Assignment,
    role: &roles::RoleConfiguration,
) -> Value {
    json!({
        "RoleConfigurationId": a.key.role,
        "RoleConfigurationName": role.name,
        "TargetUin": a.key.target.uin,
        "TargetType": a.key.target.kind.as_str(),
        "PrincipalId": a.key.principal.id,
        "PrincipalType": a.key.principal.kind.as_str(),
        "PrincipalName": subjects::principal_name(z, &a.key.principal).unwrap_or_default(),
        "CreateTime": format_time(a.create_time),
        "UpdateTime": format_time(a.update_time),
        "TargetName": a.key.target.name(inner, z.owner_uin),
    })
}

/// One poll of the task `TaskId` of `family` in the caller's zone: its `TaskStatus` object.
/// `not_found` is the family's code for an ID it does not know.
pub(crate) fn poll_task(
    inner: &mut Inner,
    ctx: &Ctx<'_>,
    family: Family,
    not_found: Failure,
) -> Result<Value> {
    let zone_id = zone::zone(inner, ctx)?.id.clone();
    let id = ctx.str("TaskId").unwrap_or("");
    let known = inner
        .tasks
        .get(id)
        .is_some_and(|t| t.scope == zone_id && t.work.family() == family);
    if !known {
        return Err(ctx.err_with(not_found, format!("({id})")));
    }
    tasks::poll(inner, id, ctx.now_millis);
    let task = inner
        .tasks
        .get(id)
        .expect("task found earlier under the same lock");
    Ok(json!({
        "TaskStatus": {
            "Status": task.status.as_str(),
            "TaskId": task.id,
            "TaskType": task.work.task_type(),
            "FailureReason": task.failure_reason,
        }
    }))
}

fn get_task_status(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    poll_task(inner, ctx, Family::Role, TASK_NOT_FOUND)
}

fn list_tasks(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let filters = Filters::read(ctx)?;
    let status = match ctx.str("Status").filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => Some(Status::parse(text).ok_or_else(|| {
            ctx.err_with(
                PARAM_ERROR,
                format!("Status is InProgress, Success or Failed, not {text:?}."),
            )
        })?),
    };
    let task_type = ctx.str("TaskType").filter(|s| !s.is_empty());
    let items = inner
        .tasks
        .in_scope(&z.id)
        .filter(|t| status.is_none_or(|s| t.status == s))
        .filter(|t| task_type.is_none_or(|k| t.work.task_type() == k))
        .filter(|t| {
            let (role, target, principal) = match &t.work {
                Work::Provision { role, target } | Work::Dismantle { role, target } => {
                    (role.as_str(), target, None)
                }
                Work::CreateAssignment(k) | Work::DeleteAssignment { key: k, .. } => {
                    (k.role.as_str(), &k.target, Some(&k.principal))
                }
                Work::StartUserSync(p) | Work::DeleteUserSync(p) => {
                    ("", &p.target, Some(&p.principal))
                }
            };
            filters.admit(role, target, principal)
        })
        .map(|t| (t.seq, task_info(t)))
        .collect();
    paging::answer(ctx, "Tasks", items, Order::Oldest)
}

/// Task work: the assignment `key` comes into being, and its role configuration is deployed
/// on its target if it was not.
pub(crate) fn created(
    inner: &mut Inner,
    scope: &str,
    key: &Key,
    now: i64,
) -> std::result::Result<(), String> {
    let z = subjects::zone_with_principal(inner, scope, &key.principal)?;
    if z.assignments.find(key).is_some() {
        return Err("the role assignment already exists".into());
    }
    roles::deploy(inner, scope, &key.role, &key.target, now, false)?;
    let seq = inner.identity_center.seq();
    let z = inner
        .identity_center
        .zones
        .get_mut(scope)
        .ok_or("the zone no longer exists")?;
    z.assignments.insert(Assignment {
        key: key.clone(),
        seq,
        create_time: now,
        update_time: now,
    });
    Ok(())
}

/// Task work: the assignment `key` goes; with `deprovision`, so does its role configuration's
/// deployment on the target when no other assignment uses it there.
pub(crate) fn deleted(
    inner: &mut Inner,
    scope: &str,
    key: &Key,
    deprovision: bool,
) -> std::result::Result<(), String> {
    let z = inner
        .identity_center
        .zones
        .get_mut(scope)
        .ok_or("the zone no longer exists")?;
    let before = z.assignments.len();
    z.assignments.by_seq.retain(|_, a| a.key != *key);
    if z.assignments.len() == before {
        return Err("the role assignment no longer exists".into());
    }
    if deprovision && !assigned_on(z, &key.role, &key.target) {
        if let Some(role) = z.roles.get_mut(&key.role) {
            role.provisionings.retain(|p| p.target != key.target);
        }
    }
    Ok(())
}
