//! Asynchronous work, shared by every action the documentation calls asynchronous (role
//! configuration provisioning and dismantling, creating and deleting role assignments,
//! user-sync provisioning): a task with an ID that starts `InProgress`, whose effect becomes
//! visible when it completes.
//!
//! When a task completes is decided by the [`TaskPolicy`] in force when it starts: at once,
//! on the N-th poll of its status, or once a duration has passed on the mock's clock; and
//! whether it then succeeds, or fails with a given reason. Completing a task does its [`Work`]
//! under the world's one lock, so every reader sees the effect from then on. Work whose
//! subject is gone by then (a role configuration deleted, a target that left the
//! organization) fails with the reason instead; a failed task changes nothing.
//!
//! The work is a closed list ([`Work`]): each kind names the area function that does it, as
//! `cascade` does for removals, so the logic stays in its area and the timing stays here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::data::Inner;
use super::identity_center::{assignments, roles, subjects::Target, sync};

/// When tasks complete, and how. The default completes a task on the second poll of its
/// status, so a polling client sees `InProgress` once and then `Success`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PolicySpec", into = "PolicySpec")]
pub struct TaskPolicy {
    completion: Completion,
    failure: Option<String>,
}

/// The moment a task completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Within the action that starts it: its answer already reports the outcome.
    Immediately,
    /// On the N-th `GetTaskStatus` / `GetProvisioningTaskStatus` of the task (N ≥ 1).
    AfterPolls(u32),
    /// Once this much time has passed on the mock's clock since the task started.
    AfterDuration(Duration),
}

/// The polls the default policy waits for.
pub const DEFAULT_POLLS: u32 = 2;

impl Default for TaskPolicy {
    fn default() -> Self {
        Self::after_polls(DEFAULT_POLLS)
    }
}

impl TaskPolicy {
    /// Tasks complete within the action that starts them.
    pub fn immediately() -> Self {
        Self {
            completion: Completion::Immediately,
            failure: None,
        }
    }

    /// Tasks complete on the `polls`-th poll of their status (at least 1).
    pub fn after_polls(polls: u32) -> Self {
        Self {
            completion: Completion::AfterPolls(polls.max(1)),
            failure: None,
        }
    }

    /// Tasks complete once `duration` has passed on the mock's clock.
    pub fn after(duration: Duration) -> Self {
        Self {
            completion: Completion::AfterDuration(duration),
            failure: None,
        }
    }

    /// Tasks fail with `reason` when they complete (with the default timing unless another
    /// is chained before: `TaskPolicy::immediately().failing("…")`).
    pub fn failing(reason: impl Into<String>) -> Self {
        Self::default().and_fail(reason)
    }

    /// The same timing, but tasks fail with `reason` instead of doing their work.
    pub fn and_fail(mut self, reason: impl Into<String>) -> Self {
        self.failure = Some(reason.into());
        self
    }

    pub fn completion(&self) -> Completion {
        self.completion
    }

    /// The reason every task fails with, if tasks fail.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }
}

/// A [`TaskPolicy`] as it is written in the config file's `[tasks]` table and in the admin
/// surface's JSON: `complete` (`immediately`, `after-polls`, `after-duration`), `polls`,
/// `duration_ms`, `fail`.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicySpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    complete: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    polls: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fail: Option<String>,
}

/// Why a written task policy was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskPolicyError(String);

impl fmt::Display for TaskPolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tasks: {}", self.0)
    }
}

impl std::error::Error for TaskPolicyError {}

impl TryFrom<PolicySpec> for TaskPolicy {
    type Error = TaskPolicyError;

    fn try_from(spec: PolicySpec) -> Result<Self, Self::Error> {
        let bad = |m: &str| Err(TaskPolicyError(m.to_owned()));
        let complete = match (&spec.complete, spec.polls, spec.duration_ms) {
            (Some(c), _, _) => c.as_str(),
            (None, _, Some(_)) => "after-duration",
            (None, _, None) => "after-polls",
        };
        let completion = match complete {
            "immediately" if spec.polls.is_some() || spec.duration_ms.is_some() => {
                return bad("complete = \"immediately\" takes neither polls nor duration_ms")
            }
            "immediately" => Completion::Immediately,
            "after-polls" if spec.duration_ms.is_some() => {
                return bad("duration_ms needs complete = \"after-duration\"")
            }
            "after-polls" => match spec.polls.unwrap_or(DEFAULT_POLLS) {
                0 => return bad("polls must be at least 1 (use complete = \"immediately\")"),
                n => Completion::AfterPolls(n),
            },
            "after-duration" if spec.polls.is_some() => {
                return bad("polls needs complete = \"after-polls\"")
            }
            "after-duration" => match spec.duration_ms {
                Some(ms) => Completion::AfterDuration(Duration::from_millis(ms)),
                None => return bad("complete = \"after-duration\" needs duration_ms"),
            },
            other => {
                return Err(TaskPolicyError(format!(
                    "complete = {other:?} is not \"immediately\", \"after-polls\" or \"after-duration\""
                )))
            }
        };
        if spec.fail.as_deref() == Some("") {
            return bad("fail must be a reason, not empty");
        }
        Ok(TaskPolicy {
            completion,
            failure: spec.fail,
        })
    }
}

impl From<TaskPolicy> for PolicySpec {
    fn from(policy: TaskPolicy) -> Self {
        let (complete, polls, duration_ms) = match policy.completion {
            Completion::Immediately => ("immediately", None, None),
            Completion::AfterPolls(n) => ("after-polls", Some(n), None),
            Completion::AfterDuration(d) => (
                "after-duration",
                None,
                Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            ),
        };
        PolicySpec {
            complete: Some(complete.to_owned()),
            polls,
            duration_ms,
            fail: policy.failure,
        }
    }
}

/// What a task does when it completes: one kind per asynchronous action, each done by its
/// area. `Err` is the reason it could not be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Work {
    /// ProvisionRoleConfiguration: deploy `role` on `target`.
    Provision { role: String, target: Target },
    /// DismantleRoleConfiguration: remove `role`'s deployment from `target`.
    Dismantle { role: String, target: Target },
    /// CreateRoleAssignment.
    CreateAssignment(assignments::Key),
    /// DeleteRoleAssignment; `deprovision`: also undeploy when it was the last one.
    DeleteAssignment {
        key: assignments::Key,
        deprovision: bool,
    },
    /// CreateUserSyncProvisioning: the provisioning to add.
    StartUserSync(sync::UserProvisioning),
    /// DeleteUserSyncProvisioning.
    DeleteUserSync(sync::UserProvisioning),
}

/// The two families of tasks, each read by its own status action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// Role configurations and assignments: `GetTaskStatus`.
    Role,
    /// User synchronization: `GetProvisioningTaskStatus`.
    UserSync,
}

impl Work {
    /// The documented `TaskType`.
    pub fn task_type(&self) -> &'static str {
        match self {
            Work::Provision { .. } => "ProvisionRoleConfiguration",
            Work::Dismantle { .. } => "DeprovisionRoleConfiguration",
            Work::CreateAssignment(_) => "CreateRoleAssignment",
            Work::DeleteAssignment { .. } => "DeleteRoleAssignment",
            Work::StartUserSync(_) => "StartProvisioning",
            Work::DeleteUserSync(_) => "DeleteProvisioning",
        }
    }

    pub fn family(&self) -> Family {
        match self {
            Work::StartUserSync(_) | Work::DeleteUserSync(_) => Family::UserSync,
            _ => Family::Role,
        }
    }

    /// Does the work in zone `scope` at Unix second `now`.
    fn apply(&self, inner: &mut Inner, scope: &str, now: i64) -> Result<(), String> {
        match self {
            Work::Provision { role, target } => roles::provisioned(inner, scope, role, target, now),
            Work::Dismantle { role, target } => roles::dismantled(inner, scope, role, target),
            Work::CreateAssignment(key) => assignments::created(inner, scope, key, now),
            Work::DeleteAssignment { key, deprovision } => {
                assignments::deleted(inner, scope, key, *deprovision)
            }
            Work::StartUserSync(p) => sync::started(inner, scope, p, now),
            Work::DeleteUserSync(p) => sync::deleted(inner, scope, &p.id),
        }
    }
}

/// `InProgress`, `Success`, `Failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Status {
    InProgress,
    Success,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "InProgress",
            Status::Success => "Success",
            Status::Failed => "Failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Status::InProgress, Status::Success, Status::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// When a pending task completes, fixed when it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Due {
    /// On this poll of its status.
    Poll(u32),
    /// At this instant of the mock's clock, in milliseconds.
    At(i64),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Task {
    pub id: String,
    /// Creation order, for paging.
    pub seq: u64,
    /// The zone the task belongs to.
    pub scope: String,
    pub work: Work,
    /// Names shown with the task, as they were when it started.
    pub role_name: String,
    pub principal_name: String,
    pub status: Status,
    /// Empty unless the task failed.
    pub failure_reason: String,
    polls: u32,
    due: Due,
    /// The policy's failure, if tasks failed when this one started.
    fail_with: Option<String>,
}

/// Every task of the world, and the policy new ones start under.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Tasks {
    pub policy: TaskPolicy,
    by_id: BTreeMap<String, Task>,
    /// IDs of the tasks still in progress, by creation order.
    pending: BTreeSet<(u64, String)>,
    next_seq: u64,
}

impl Tasks {
    pub fn get(&self, id: &str) -> Option<&Task> {
        self.by_id.get(id)
    }

    /// The tasks of zone `scope`, in creation order.
    pub fn in_scope<'a>(&'a self, scope: &'a str) -> impl Iterator<Item = &'a Task> + 'a {
        let mut tasks: Vec<&Task> = self.by_id.values().filter(|t| t.scope == scope).collect();
        tasks.sort_by_key(|t| t.seq);
        tasks.into_iter()
    }

    /// The work of zone `scope` still in progress.
    pub fn pending_in<'a>(&'a self, scope: &'a str) -> impl Iterator<Item = &'a Work> + 'a {
        self.pending
            .iter()
            .filter_map(|(_, id)| self.by_id.get(id))
            .filter(move |t| t.scope == scope)
            .map(|t| &t.work)
    }
}

/// What the starting action shows of its task.
pub(crate) struct Started {
    pub id: String,
    pub status: Status,
    pub failure_reason: String,
}

/// Starts `work` in zone `scope` under the current policy; under `immediately` it has
/// completed by the time this returns.
pub(crate) fn start(
    inner: &mut Inner,
    now_millis: i64,
    scope: &str,
    work: Work,
    role_name: &str,
    principal_name: &str,
) -> Started {
    let tasks = &mut inner.tasks;
    tasks.next_seq += 1;
    let seq = tasks.next_seq;
    let id = task_id(seq);
    let due = match tasks.policy.completion {
        Completion::Immediately => Due::Poll(0),
        Completion::AfterPolls(n) => Due::Poll(n),
        Completion::AfterDuration(d) => {
            Due::At(now_millis.saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
        }
    };
    let task = Task {
        id: id.clone(),
        seq,
        scope: scope.to_owned(),
        work,
        role_name: role_name.to_owned(),
        principal_name: principal_name.to_owned(),
        status: Status::InProgress,
        failure_reason: String::new(),
        polls: 0,
        due,
        fail_with: tasks.policy.failure.clone(),
    };
    tasks.by_id.insert(id.clone(), task);
    tasks.pending.insert((seq, id.clone()));
    let due_now = match due {
        Due::Poll(n) => n == 0,
        Due::At(at) => at <= now_millis,
    };
    if due_now {
        complete(inner, &id, now_millis);
    }
    let task = &inner.tasks.by_id[&id];
    Started {
        id,
        status: task.status,
        failure_reason: task.failure_reason.clone(),
    }
}

/// One poll of task `id`'s status at `now_millis`: it completes if this is the poll it waits
/// for.
pub(crate) fn poll(inner: &mut Inner, id: &str, now_millis: i64) {
    let Some(task) = inner.tasks.by_id.get_mut(id) else {
        return;
    };
    task.polls = task.polls.saturating_add(1);
    if task.status == Status::InProgress && matches!(task.due, Due::Poll(n) if task.polls >= n) {
        complete(inner, id, now_millis);
    }
}

/// Completes, in the order they started, the tasks whose time has come at `now_millis`.
pub(crate) fn settle(inner: &mut Inner, now_millis: i64) {
    let due: Vec<String> = inner
        .tasks
        .pending
        .iter()
        .filter(|(_, id)| {
            matches!(inner.tasks.by_id.get(id), Some(t) if matches!(t.due, Due::At(at) if at <= now_millis))
        })
        .map(|(_, id)| id.clone())
        .collect();
    for id in due {
        complete(inner, &id, now_millis);
    }
}

/// Does task `id`'s work (or fails it by policy) at `now_millis` and records the outcome.
fn complete(inner: &mut Inner, id: &str, now_millis: i64) {
    let Some(task) = inner.tasks.by_id.get(id) else {
        return;
    };
    let (seq, scope, work, fail_with) = (
        task.seq,
        task.scope.clone(),
        task.work.clone(),
        task.fail_with.clone(),
    );
    let outcome = match fail_with {
        Some(reason) => Err(reason),
        None => work.apply(inner, &scope, now_millis.div_euclid(1000)),
    };
    inner.tasks.pending.remove(&(seq, id.to_owned()));
    if let Some(task) = inner.tasks.by_id.get_mut(id) {
        match outcome {
            Ok(()) => task.status = Status::Success,
            Err(reason) => {
                task.status = Status::Failed;
                task.failure_reason = reason;
            }
        }
    }
}

/// `t-` and ten base-36 characters, unique per sequence number and scattered so that
/// consecutive IDs do not look alike.
fn task_id(seq: u64) -> String {
    format!("t-{}", scattered(seq))
}

/// Ten base-36 characters for `seq`: a bijection on 0..36^10 (multiplying by a number prime
/// to 36, then shifting), so distinct sequence numbers give distinct strings.
fn scattered(seq: u64) -> String {
    const MODULUS: u128 = 3_656_158_440_062_976; // 36^10
    const FACTOR: u128 = 0x9E37_79B9_7F4A_7C15; // odd, not a multiple of 3
    const SHIFT: u128 = 0x5BD1_E995;
    let mut n = (u128::from(seq) * FACTOR + SHIFT) % MODULUS;
    let mut out = [b'0'; 10];
    for slot in out.iter_mut().rev() {
        let digit = (n % 36) as u8;
        *slot = if digit < 10 {
            b'0' + digit
        } else {
            b'a' + digit - 10
        };
        n /= 36;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl super::World {
    /// The policy tasks start under from now on (tasks already started keep theirs).
    pub fn set_task_policy(&self, policy: TaskPolicy) {
        self.lock().tasks.policy = policy;
    }

    pub fn task_policy(&self) -> TaskPolicy {
        self.lock().tasks.policy.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<TaskPolicy, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn written_policies_read_as_documented() {
        assert_eq!(parse(json!({})), Ok(TaskPolicy::after_polls(2)));
        assert_eq!(
            parse(json!({"complete": "immediately"})),
            Ok(TaskPolicy::immediately())
        );
        assert_eq!(parse(json!({"polls": 5})), Ok(TaskPolicy::after_polls(5)));
        assert_eq!(
            parse(json!({"duration_ms": 1500})),
            Ok(TaskPolicy::after(Duration::from_millis(1500)))
        );
        assert_eq!(
            parse(json!({"complete": "after-duration", "duration_ms": 0})),
            Ok(TaskPolicy::after(Duration::ZERO))
        );
        assert_eq!(
            parse(json!({"fail": "quota"})),
            Ok(TaskPolicy::failing("quota"))
        );
        assert_eq!(
            parse(json!({"complete": "immediately", "fail": "no"})),
            Ok(TaskPolicy::immediately().and_fail("no"))
        );
    }

    #[test]
    fn bad_policies_name_the_problem() {
        for (value, needle) in [
            (json!({"polls": 0}), "at least 1"),
            (json!({"complete": "soon"}), "\"soon\""),
            (json!({"complete": "after-duration"}), "needs duration_ms"),
            (json!({"complete": "immediately", "polls": 2}), "neither"),
            (
                json!({"complete": "after-polls", "duration_ms": 5}),
                "duration_ms",
            ),
            (
                json!({"complete": "after-duration", "duration_ms": 5, "polls": 1}),
                "polls",
            ),
            (json!({"fail": ""}), "empty"),
            (json!({"colour": "blue"}), "colour"),
        ] {
            let message = parse(value.clone()).unwrap_err();
            assert!(message.contains(needle), "{value} gave {message:?}");
        }
    }

    #[test]
    fn policies_write_what_they_read() {
        for policy in [
            TaskPolicy::default(),
            TaskPolicy::immediately(),
            TaskPolicy::after(Duration::from_millis(250)),
            TaskPolicy::after_polls(4).and_fail("broken"),
        ] {
            let written = serde_json::to_value(&policy).unwrap();
            assert_eq!(parse(written), Ok(policy));
        }
        assert_eq!(
            serde_json::to_value(TaskPolicy::default()).unwrap(),
            json!({"complete": "after-polls", "polls": 2})
        );
    }

    #[test]
    fn task_ids_are_distinct_and_scattered() {
        let ids: std::collections::BTreeSet<String> = (1..=5000).map(task_id).collect();
        assert_eq!(ids.len(), 5000);
        assert!(ids.iter().all(|id| id.len() == 12 && id.starts_with("t-")));
        assert_ne!(task_id(1)[2..6], task_id(2)[2..6]);
    }
}
