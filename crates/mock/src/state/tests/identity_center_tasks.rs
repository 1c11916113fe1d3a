//! Task timing on the injected clock, never slept for: each policy, a policy change, failing
//! tasks, tasks whose subject disappears, and the status actions agreeing with each other.

use std::time::Duration;

use serde_json::{json, Value};

use super::identity_center_access::*;
use super::*;
use crate::state::TaskPolicy;

/// Starts deploying a new role configuration on ALICE: (role ID, the answer's task).
fn start(p: &Probe, zone: &str, name: &str) -> (String, Value) {
    let role = role(p, zone, name);
    let answer = ok(
        p,
        zone,
        "ProvisionRoleConfiguration",
        with(json!({"RoleConfigurationId": role}), member(ALICE)),
    );
    (role, answer["Task"].clone())
}

fn status(p: &Probe, zone: &str, task: &Value) -> Value {
    ok(p, zone, "GetTaskStatus", json!({"TaskId": task["TaskId"]}))["TaskStatus"].clone()
}

/// What `ListTasks` says of task `id`.
fn listed(p: &Probe, zone: &str, task: &Value) -> Value {
    let list = ok(p, zone, "ListTasks", json!({"MaxResults": 100}));
    list["Tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["TaskId"] == task["TaskId"])
        .cloned()
        .expect("ListTasks lists the task")
}

#[test]
fn by_default_a_task_completes_on_its_second_poll() {
    let (p, zone) = world();
    let (role, task) = start(&p, &zone, "deploy");
    assert_eq!(task["TaskStatus"], "InProgress");
    assert_eq!(task["TaskType"], "ProvisionRoleConfiguration");
    assert_eq!(task["RoleConfigurationId"], role.as_str());
    assert_eq!(task["TargetUin"], ALICE);
    let id = task["TaskId"].as_str().unwrap();
    assert!(id.starts_with("t-") && id.len() == 12, "{id}");
    assert!(
        deployments(&p, &zone, json!({})).is_empty(),
        "not before it completes"
    );
    assert_eq!(listed(&p, &zone, &task)["Status"], "InProgress");

    let first = status(&p, &zone, &task);
    assert_eq!(first["Status"], "InProgress");
    assert_eq!(first["FailureReason"], "");
    assert!(deployments(&p, &zone, json!({})).is_empty());

    let second = status(&p, &zone, &task);
    assert_eq!(second["Status"], "Success");
    assert_eq!(second["TaskType"], "ProvisionRoleConfiguration");
    let deployed = deployments(&p, &zone, json!({}));
    assert_eq!(deployed.len(), 1);
    assert_eq!(deployed[0]["TargetUin"], ALICE);
    assert_eq!(deployed[0]["DeploymentStatus"], "Deployed");
    // Once done it stays done, and the list agrees.
    assert_eq!(status(&p, &zone, &task)["Status"], "Success");
    assert_eq!(listed(&p, &zone, &task)["Status"], "Success");
}

#[test]
fn after_n_polls_counts_status_reads_only() {
    let (p, zone) = world();
    p.world.set_task_policy(TaskPolicy::after_polls(3));
    let (_, task) = start(&p, &zone, "three");
    for _ in 0..5 {
        assert_eq!(listed(&p, &zone, &task)["Status"], "InProgress");
    }
    assert_eq!(status(&p, &zone, &task)["Status"], "InProgress");
    assert_eq!(status(&p, &zone, &task)["Status"], "InProgress");
    assert!(deployments(&p, &zone, json!({})).is_empty());
    assert_eq!(status(&p, &zone, &task)["Status"], "Success");
    assert_eq!(deployments(&p, &zone, json!({})).len(), 1);
}

#[test]
fn immediately_completes_within_the_starting_action() {
    let (p, zone) = world();
    p.world.set_task_policy(TaskPolicy::immediately());
    let (_, task) = start(&p, &zone, "now");
    assert_eq!(task["TaskStatus"], "Success");
    assert_eq!(deployments(&p, &zone, json!({})).len(), 1, "without a poll");
    assert_eq!(listed(&p, &zone, &task)["Status"], "Success");
    assert_eq!(status(&p, &zone, &task)["Status"], "Success");
}

#[test]
fn after_a_duration_on_the_mock_clock() {
    let (p, zone) = world();
    p.world
        .set_task_policy(TaskPolicy::after(Duration::from_millis(1500)));
    let started = p.now.get();
    let (_, task) = start(&p, &zone, "later");
    // Polls do not hurry it.
    for _ in 0..4 {
        assert_eq!(status(&p, &zone, &task)["Status"], "InProgress");
    }
    p.now.set(started + 1); // 1,000 ms on
    assert_eq!(status(&p, &zone, &task)["Status"], "InProgress");
    assert!(deployments(&p, &zone, json!({})).is_empty());
    p.now.set(started + 2); // 2,000 ms on: due
                            // Any call sees it complete, not only a poll.
    assert_eq!(deployments(&p, &zone, json!({})).len(), 1);
    assert_eq!(listed(&p, &zone, &task)["Status"], "Success");
    assert_eq!(status(&p, &zone, &task)["Status"], "Success");
}

#[test]
fn a_failing_policy_fails_tasks_with_its_reason_and_changes_nothing() {
    let (p, zone) = world();
    p.world
        .set_task_policy(TaskPolicy::failing("quota exhausted"));
    let (_, task) = start(&p, &zone, "doomed");
    assert_eq!(task["TaskStatus"], "InProgress");
    assert_eq!(status(&p, &zone, &task)["Status"], "InProgress");
    let failed = status(&p, &zone, &task);
    assert_eq!(failed["Status"], "Failed");
    assert_eq!(failed["FailureReason"], "quota exhausted");
    assert!(deployments(&p, &zone, json!({})).is_empty());
    let row = listed(&p, &zone, &task);
    assert_eq!(row["Status"], "Failed");
    assert_eq!(row["FailureReason"], "quota exhausted");

    p.world
        .set_task_policy(TaskPolicy::immediately().and_fail("no"));
    let (_, task) = start(&p, &zone, "doomed-now");
    assert_eq!(task["TaskStatus"], "Failed");
    assert!(deployments(&p, &zone, json!({})).is_empty());
}

#[test]
fn a_task_whose_subject_disappears_fails_with_a_reason() {
    let (p, zone) = world();
    // The role configuration goes while its deployment is in progress (it is not deployed
    // yet, so it may be deleted).
    let (role, task) = start(&p, &zone, "vanishing");
    ok(
        &p,
        &zone,
        "DeleteRoleConfiguration",
        json!({"RoleConfigurationId": role}),
    );
    let done = wait(&p, &zone, task["TaskId"].as_str().unwrap(), 5);
    assert_eq!(done["Status"], "Failed");
    let reason = done["FailureReason"].as_str().unwrap();
    assert!(reason.contains(&role), "{reason}");

    // The target leaves the organization while its deployment is in progress.
    let role = super::identity_center_access::role(&p, &zone, "staying");
    let task = ok(
        &p,
        &zone,
        "ProvisionRoleConfiguration",
        with(json!({"RoleConfigurationId": role}), member(BOB)),
    )["Task"]
        .clone();
    p.ok(
        V21,
        "DeleteOrganizationMembers",
        HOST,
        json!({"MemberUin": [BOB]}),
    );
    let done = wait(&p, &zone, task["TaskId"].as_str().unwrap(), 5);
    assert_eq!(done["Status"], "Failed");
    assert!(done["FailureReason"]
        .as_str()
        .unwrap()
        .contains(&BOB.to_string()));
    assert!(deployments(&p, &zone, json!({})).is_empty());
}

#[test]
fn a_new_policy_applies_to_tasks_started_after_it() {
    let (p, zone) = world();
    let (_, slow) = start(&p, &zone, "slow");
    p.world.set_task_policy(TaskPolicy::immediately());
    let (_, fast) = start(&p, &zone, "fast");
    assert_eq!(fast["TaskStatus"], "Success");
    assert_eq!(status(&p, &zone, &slow)["Status"], "InProgress");
    assert_eq!(status(&p, &zone, &slow)["Status"], "Success");
}

#[test]
fn status_actions_read_their_own_family_in_their_own_zone() {
    let (p, zone) = world();
    let (_, task) = start(&p, &zone, "family");
    fails(
        &p,
        &zone,
        "GetProvisioningTaskStatus",
        json!({"TaskId": task["TaskId"]}),
        "ResourceNotFound.UserProvisioningTaskNotFound",
    );
    fails(
        &p,
        &zone,
        "GetTaskStatus",
        json!({"TaskId": "t-0000000000"}),
        "ResourceNotFound.RoleConfigurationTaskNotFound",
    );
    // Another manager's zone does not see it.
    p.org(CAROL);
    let other = open_zone(&p, CAROL);
    p.fails(
        V21,
        "GetTaskStatus",
        CAROL,
        json!({"ZoneId": other, "TaskId": task["TaskId"]}),
        "ResourceNotFound.RoleConfigurationTaskNotFound",
    );
    let theirs = p.ok(V21, "ListTasks", CAROL, json!({"ZoneId": other}));
    assert_eq!(theirs["TotalCounts"], 0);
}

#[test]
fn a_reset_keeps_the_task_policy() {
    let p = Probe::new();
    p.world.set_task_policy(TaskPolicy::after_polls(7));
    p.world.reset();
    assert_eq!(p.world.task_policy(), TaskPolicy::after_polls(7));
}
