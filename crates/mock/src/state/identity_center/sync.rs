//! Sub-user synchronization: an Identity Center user or group kept as CAM users in a target
//! account. Starting and deleting one are tasks (their status read with
//! `GetProvisioningTaskStatus`); reading, listing and changing one are immediate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::{Failure, BAD_NEXT_TOKEN, BAD_VALUE};
use crate::state::org::model::format_time;
use crate::state::tasks::{self, Family, Started, Work};
use crate::state::{BusinessError, Ctx, Handler};

use super::assignments::poll_task;
use super::groups::GROUP_NOT_EXIST;
use super::paging::{self, Order, PARAM_ERROR};
use super::subjects::{self, Principal, PrincipalKind, Target, TargetKind, TARGET_NOT_MEMBER};
use super::users::USER_NOT_EXIST;
use super::zone::{self, NOT_OPEN, ZONE_NOT_EXIST};
use super::Zone;

type Result<T> = std::result::Result<T, BusinessError>;

/// Entries one `CreateUserSyncProvisioning` may carry (the mock's choice).
const MAX_PER_CALL: usize = 50;
/// Synchronizations per zone (the mock's choice), tasks in progress included.
pub(crate) const MAX_USER_PROVISIONINGS: usize = 1000;
const DUPLICATION: [&str; 2] = ["KeepBoth", "TakeOver"];
const DELETION: [&str; 2] = ["Delete", "Keep"];
const DEFAULT_DUPLICATION: &str = "KeepBoth";
const DEFAULT_DELETION: &str = "Keep";

/// In a seed: `principal` and `target` (the ID is the key, the principal's name is filled,
/// `KeepBoth` and `Keep`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UserProvisioning {
    #[serde(default)]
    pub id: String,
    /// Creation sequence (paging key).
    #[serde(default)]
    pub seq: u64,
    #[serde(default)]
    pub description: String,
    pub principal: Principal,
    /// The principal's name when the synchronization started.
    #[serde(default)]
    pub principal_name: String,
    pub target: Target,
    /// `KeepBoth` or `TakeOver`.
    #[serde(default = "default_duplication")]
    pub duplication: String,
    /// `Delete` or `Keep`.
    #[serde(default = "default_deletion")]
    pub deletion: String,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
}

fn default_duplication() -> String {
    DEFAULT_DUPLICATION.to_owned()
}

fn default_deletion() -> String {
    DEFAULT_DELETION.to_owned()
}

/// Whether a seed's `duplication` and `deletion` are values the action accepts.
pub(crate) fn valid_strategies(p: &UserProvisioning) -> std::result::Result<(), &'static str> {
    if !DUPLICATION.contains(&p.duplication.as_str()) {
        return Err("duplication");
    }
    if !DELETION.contains(&p.deletion.as_str()) {
        return Err("deletion");
    }
    Ok(())
}

/// The synchronizations of one zone, by ID.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct UserSync {
    pub(super) by_id: BTreeMap<String, UserProvisioning>,
}

impl UserSync {
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &UserProvisioning> {
        self.by_id.values()
    }

    pub fn get(&self, id: &str) -> Option<&UserProvisioning> {
        self.by_id.get(id)
    }

    fn of(&self, principal: &Principal, target: &Target) -> Option<&UserProvisioning> {
        self.iter()
            .find(|p| p.principal == *principal && p.target == *target)
    }

    /// Removes every synchronization to `target` (it left the organization).
    pub fn forget_target(&mut self, target: &Target) {
        self.by_id.retain(|_, p| p.target != *target);
    }
    pub(crate) fn insert(&mut self, p: UserProvisioning) {
        self.by_id.insert(p.id.clone(), p);
    }
}

impl UserProvisioning {
    /// The `UserProvisioning` object.
    fn info(&self, inner: &Inner, z: &Zone) -> Value {
        json!({
            "UserProvisioningId": self.id,
            "Description": self.description,
            "Status": "Enabled",
            "PrincipalId": self.principal.id,
            "PrincipalName": subjects::principal_name(z, &self.principal)
                .unwrap_or_else(|| self.principal_name.clone()),
            "PrincipalType": self.principal.kind.as_str(),
            "TargetUin": self.target.uin,
            "TargetName": self.target.name(inner, z.owner_uin),
            "DuplicationStrategy": self.duplication,
            "DeletionStrategy": self.deletion,
            "CreateTime": format_time(self.create_time),
            "UpdateTime": format_time(self.update_time),
            "TargetType": self.target.kind.as_str(),
        })
    }

    /// The `UserProvisioningsTask` object of a task on this synchronization.
    fn task_json(&self, started: &Started, kind: &str) -> Value {
        json!({
            "TaskId": started.id,
            "TargetUin": self.target.uin,
            "TargetType": self.target.kind.as_str(),
            "TaskType": kind,
            "TaskStatus": started.status.as_str(),
            "UserProvisioningId": self.id,
            "PrincipalId": self.principal.id,
            "PrincipalType": self.principal.kind.as_str(),
            "PrincipalName": self.principal_name,
            "DuplicationStrategy": self.duplication,
            "DeletionStrategy": self.deletion,
        })
    }
}

const TOO_MANY: Failure = Failure {
    name: "TooManySyncsInOneCall",
    codes: &["LimitExceeded.CreateUserSyncProvisioningLimitExceeded"],
    fallback: "LimitExceeded",
    message: "One call starts at most 50 user synchronizations.",
};

const ALREADY_SYNCED: Failure = Failure {
    name: "AlreadySynchronized",
    codes: &["FailedOperation.UserProvisioningAlreadyExists"],
    fallback: "ResourceInUse",
    message: "This principal is already synchronized to this target, or is being.",
};

const SYNC_LIMIT: Failure = Failure {
    name: "UserSyncLimit",
    codes: &["FailedOperation.UserProvisioningOverLimit"],
    fallback: "LimitExceeded",
    message: "The zone has as many user synchronizations as it may have.",
};

const SYNC_NOT_FOUND: Failure = Failure {
    name: "UserSyncNotFound",
    codes: &["ResourceNotFound.UserProvisioningNotFound"],
    fallback: "ResourceNotFound",
    message: "The zone has no user synchronization with this ID.",
};

const BEING_DELETED: Failure = Failure {
    name: "UserSyncBeingDeleted",
    codes: &["FailedOperation.UserProvisioningFailed"],
    fallback: "FailedOperation",
    message: "The user synchronization is already being deleted.",
};

const TASK_NOT_FOUND: Failure = Failure {
    name: "UserSyncTaskNotFound",
    codes: &["ResourceNotFound.UserProvisioningTaskNotFound"],
    fallback: "ResourceNotFound",
    message: "The zone has no user synchronization task with this ID.",
};

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateUserSyncProvisioning",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            BAD_VALUE,
            TOO_MANY,
            USER_NOT_EXIST,
            GROUP_NOT_EXIST,
            TARGET_NOT_MEMBER,
            ALREADY_SYNCED,
            SYNC_LIMIT,
        ],
        run: create,
    },
    Handler {
        action: "GetUserSyncProvisioning",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, SYNC_NOT_FOUND],
        run: get,
    },
    Handler {
        action: "ListUserSyncProvisionings",
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
        action: "UpdateUserSyncProvisioning",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, SYNC_NOT_FOUND, BAD_VALUE],
        run: update,
    },
    Handler {
        action: "DeleteUserSyncProvisioning",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, SYNC_NOT_FOUND, BEING_DELETED],
        run: delete,
    },
    Handler {
        action: "GetProvisioningTaskStatus",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, TASK_NOT_FOUND],
        run: get_provisioning_task_status,
    },
];

pub(super) fn decisions() -> Vec<String> {
    vec![format!(
        "User synchronizations (`up-` and 10 characters): `CreateUserSyncProvisioning` takes 1-{MAX_PER_CALL} \
         entries (`LimitExceeded.CreateUserSyncProvisioningLimitExceeded` beyond), checks them all, then starts \
         one task per entry; the synchronization exists (`GetUserSyncProvisioning`, lists) once its task \
         completes. One per principal and target (`FailedOperation.UserProvisioningAlreadyExists`, tasks in \
         progress included); at most {MAX_USER_PROVISIONINGS} per zone \
         (`FailedOperation.UserProvisioningOverLimit`). `DuplicationStrategy` is `KeepBoth` (the default) or \
         `TakeOver`, `DeletionStrategy` `Keep` (the default) or `Delete`; `Status` is always `Enabled` (no \
         action disables one). `DeleteUserSyncProvisioning` starts a task; a second one while it is in progress \
         answers `FailedOperation.UserProvisioningFailed`. `ListUserSyncProvisionings` `Filter` matches the ID, \
         the description or the principal's name, case-insensitively. A user or group with a synchronization \
         cannot be deleted (`FailedOperation.UserProvisioningExists`)."
    )]
}

/// Whether `principal` is synchronized anywhere in `zone` (it may not be deleted then).
pub(crate) fn principal_provisioned(zone: &Zone, kind: PrincipalKind, id: &str) -> bool {
    zone.sync
        .iter()
        .any(|p| p.principal.kind == kind && p.principal.id == id)
}

/// A strategy member: one of `allowed`, `default` when absent or empty.
fn strategy<'a>(
    ctx: &Ctx<'_>,
    key: &str,
    value: Option<&'a str>,
    allowed: &[&'static str],
) -> Result<Option<&'a str>> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v)),
        Some(v) => Err(ctx.err_with(
            BAD_VALUE,
            format!("{key} is {}, not {v:?}.", allowed.join(" or ")),
        )),
    }
}

/// The entries of `UserSyncProvisionings`, each checked, as the synchronizations they start.
fn entries(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<(String, Vec<UserProvisioning>)> {
    let z = zone::zone(inner, ctx)?;
    let infos = ctx
        .params
        .get("UserSyncProvisionings")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if infos.is_empty() {
        return Err(ctx.err_with(BAD_VALUE, "UserSyncProvisionings names at least one."));
    }
    if infos.len() > MAX_PER_CALL {
        return Err(ctx.err_with(TOO_MANY, format!("({} entries)", infos.len())));
    }
    let starting: Vec<&UserProvisioning> = inner
        .tasks
        .pending_in(&z.id)
        .filter_map(|w| match w {
            Work::StartUserSync(p) => Some(p),
            _ => None,
        })
        .collect();
    let mut out: Vec<UserProvisioning> = Vec::new();
    for info in infos {
        let text = |key: &str| info.get(key).and_then(Value::as_str);
        let principal = Principal::read(ctx, info)?;
        let principal_name = principal.check(z, ctx)?;
        let target = Target::read(ctx, info)?;
        target.check(inner, ctx, z.owner_uin)?;
        let duplication = strategy(
            ctx,
            "DuplicationStrategy",
            text("DuplicationStrategy"),
            &DUPLICATION,
        )?;
        let deletion = strategy(ctx, "DeletionStrategy", text("DeletionStrategy"), &DELETION)?;
        let same = |p: &UserProvisioning| p.principal == principal && p.target == target;
        if z.sync.of(&principal, &target).is_some()
            || starting.iter().any(|p| same(p))
            || out.iter().any(same)
        {
            return Err(ctx.err_with(
                ALREADY_SYNCED,
                format!("({} to {})", principal.id, target.uin),
            ));
        }
        out.push(UserProvisioning {
            id: String::new(),
            seq: 0,
            description: text("Description").unwrap_or("").to_owned(),
            principal,
            principal_name,
            target,
            duplication: duplication.unwrap_or(DEFAULT_DUPLICATION).to_owned(),
            deletion: deletion.unwrap_or(DEFAULT_DELETION).to_owned(),
            create_time: ctx.now,
            update_time: ctx.now,
        });
    }
    if z.sync.len() + starting.len() + out.len() > MAX_USER_PROVISIONINGS {
        return Err(ctx.err_with(SYNC_LIMIT, format!("(at most {MAX_USER_PROVISIONINGS})")));
    }
    Ok((z.id.clone(), out))
}

fn create(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (zone_id, entries) = entries(inner, ctx)?;
    let mut out = Vec::new();
    for mut p in entries {
        let (seq, id) = inner.identity_center.new_id("up-", 10);
        (p.seq, p.id) = (seq, id);
        let work = Work::StartUserSync(p.clone());
        let kind = work.task_type();
        let started = tasks::start(inner, ctx.now_millis, &zone_id, work, "", &p.principal_name);
        out.push(p.task_json(&started, kind));
    }
    Ok(json!({ "Tasks": out }))
}

/// The caller's zone and its synchronization `UserProvisioningId`.
fn provisioning<'a>(inner: &'a Inner, ctx: &Ctx<'_>) -> Result<(&'a Zone, &'a UserProvisioning)> {
    let z = zone::zone(inner, ctx)?;
    let id = ctx.str("UserProvisioningId").unwrap_or("");
    let p = z
        .sync
        .get(id)
        .ok_or_else(|| ctx.err_with(SYNC_NOT_FOUND, format!("({id})")))?;
    Ok((z, p))
}

fn get(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (z, p) = provisioning(inner, ctx)?;
    Ok(json!({ "UserProvisioning": p.info(inner, z) }))
}

fn list(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let parse_filter = |key: &str, ok: bool, text: &str| {
        if ok {
            Ok(())
        } else {
            Err(ctx.err_with(
                PARAM_ERROR,
                format!("{key} {text:?} is not one of its values."),
            ))
        }
    };
    let principal_kind = ctx.str("PrincipalType").filter(|t| !t.is_empty());
    if let Some(t) = principal_kind {
        parse_filter("PrincipalType", PrincipalKind::parse(t).is_some(), t)?;
    }
    let target_kind = ctx.str("TargetType").filter(|t| !t.is_empty());
    if let Some(t) = target_kind {
        parse_filter("TargetType", TargetKind::parse(t).is_some(), t)?;
    }
    let principal_id = ctx.str("PrincipalId").filter(|t| !t.is_empty());
    let target_uin = ctx.int("TargetUin").filter(|u| *u != 0);
    let filter = ctx.str("Filter").unwrap_or("").to_lowercase();
    let items = z
        .sync
        .iter()
        .filter(|p| principal_kind.is_none_or(|k| p.principal.kind.as_str() == k))
        .filter(|p| principal_id.is_none_or(|id| p.principal.id == id))
        .filter(|p| target_kind.is_none_or(|k| p.target.kind.as_str() == k))
        .filter(|p| target_uin.is_none_or(|u| i64::try_from(p.target.uin) == Ok(u)))
        .map(|p| p.info(inner, z))
        .filter(|info| {
            ["UserProvisioningId", "Description", "PrincipalName"]
                .iter()
                .any(|k| {
                    info[*k]
                        .as_str()
                        .is_some_and(|s| s.to_lowercase().contains(&filter))
                })
        })
        .map(|info| {
            let seq = z
                .sync
                .get(info["UserProvisioningId"].as_str().unwrap_or(""))
                .map_or(0, |p| p.seq);
            (seq, info)
        })
        .collect();
    paging::answer(ctx, "UserProvisionings", items, Order::Oldest)
}

fn update(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (z, p) = provisioning(inner, ctx)?;
    let duplication = strategy(
        ctx,
        "NewDuplicationStateful",
        ctx.str("NewDuplicationStateful"),
        &DUPLICATION,
    )?;
    let deletion = strategy(
        ctx,
        "NewDeletionStrategy",
        ctx.str("NewDeletionStrategy"),
        &DELETION,
    )?;
    let description = ctx.str("NewDescription");
    let (zone_id, id) = (z.id.clone(), p.id.clone());
    let p = inner
        .identity_center
        .zones
        .get_mut(&zone_id)
        .and_then(|z| z.sync.by_id.get_mut(&id))
        .expect("synchronization found earlier under the same lock");
    if let Some(d) = description {
        d.clone_into(&mut p.description);
    }
    if let Some(d) = duplication {
        d.clone_into(&mut p.duplication);
    }
    if let Some(d) = deletion {
        d.clone_into(&mut p.deletion);
    }
    p.update_time = ctx.now;
    Ok(json!({}))
}

fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (z, p) = provisioning(inner, ctx)?;
    let deleting = inner
        .tasks
        .pending_in(&z.id)
        .any(|w| matches!(w, Work::DeleteUserSync(d) if d.id == p.id));
    if deleting {
        return Err(ctx.err_with(BEING_DELETED, format!("({})", p.id)));
    }
    let (zone_id, p) = (z.id.clone(), p.clone());
    let work = Work::DeleteUserSync(p.clone());
    let kind = work.task_type();
    let started = tasks::start(inner, ctx.now_millis, &zone_id, work, "", &p.principal_name);
    Ok(json!({ "Tasks": p.task_json(&started, kind) }))
}

fn get_provisioning_task_status(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    poll_task(inner, ctx, Family::UserSync, TASK_NOT_FOUND)
}

/// Task work: synchronization `p` starts, if its principal and target are still there and
/// nothing synchronizes them yet.
pub(crate) fn started(
    inner: &mut Inner,
    scope: &str,
    p: &UserProvisioning,
    now: i64,
) -> std::result::Result<(), String> {
    let z = subjects::zone_with_principal(inner, scope, &p.principal)?;
    if !p.target.is_valid(inner, z.owner_uin) {
        return Err(format!(
            "the target {} is no longer an account of the organization",
            p.target.uin
        ));
    }
    if z.sync.of(&p.principal, &p.target).is_some() {
        return Err("the principal is already synchronized to the target".into());
    }
    let z = inner
        .identity_center
        .zones
        .get_mut(scope)
        .ok_or("the zone no longer exists")?;
    let mut p = p.clone();
    (p.create_time, p.update_time) = (now, now);
    z.sync.insert(p);
    Ok(())
}

/// Task work: synchronization `id` goes.
pub(crate) fn deleted(inner: &mut Inner, scope: &str, id: &str) -> std::result::Result<(), String> {
    inner
        .identity_center
        .zones
        .get_mut(scope)
        .and_then(|z| z.sync.by_id.remove(id))
        .map(|_| ())
        .ok_or_else(|| format!("the user synchronization {id} no longer exists"))
}
