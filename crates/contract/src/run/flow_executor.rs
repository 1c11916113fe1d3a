//! The flow executor: runs the stateful flows step by step, chaining IDs, with teardown.

use serde_json::Value;
use tco_spec::{Action, Version};

use super::{Runner, ORGANIZATION_EXISTS};
use crate::checks::names;
use crate::flows::{self, Flow, Vars};
use crate::report::Judgement;
use crate::wire::{Exchange, Outcome, Probe, TransportError};

impl Runner {
    /// Sends a flow step, judging each answer; a polling step (`until`) again while it
    /// succeeds but is not done, within its bounds. The last answer, and the number of tries
    /// when the poll gave up before the work was done.
    async fn send_step(
        &self,
        step: &flows::Step,
        action: &'static Action,
        probe: &Probe,
    ) -> Result<(Exchange, Option<u32>), TransportError> {
        let mut tries = 0;
        loop {
            let answer = self
                .send(&self.endpoint, &self.pacer, probe, action.rate_limit)
                .await?;
            tries += 1;
            self.judge(step.action, step.version, Some(action), &answer);
            let Some(until) = step.until else {
                return Ok((answer, None));
            };
            let response = Value::Object(answer.response().cloned().unwrap_or_default());
            if answer.outcome() != Outcome::Success || (until.done)(&response) {
                return Ok((answer, None));
            }
            if tries >= until.tries {
                return Ok((answer, Some(tries)));
            }
            // The first repeat at once, later ones paced as a consumer polls.
            if tries > 1 {
                tokio::time::sleep(until.every).await;
            }
        }
    }

    /// The OrgId of the organization the target's account is in, or `None` when it is in none
    /// (or the answer does not say).
    pub(super) async fn organization_of_account(&self) -> Option<String> {
        let probe = Probe::new(
            "DescribeOrganization",
            "2021-03-31",
            Value::Object(Default::default()),
        );
        let limit = tco_spec::action(Version::V2021_03_31, "DescribeOrganization")
            .map_or(20, |a| a.rate_limit);
        let answer = self
            .send(&self.endpoint, &self.pacer, &probe, limit)
            .await
            .ok()?;
        if answer.outcome() != Outcome::Success {
            return None;
        }
        let org_id = answer.response()?.get("OrgId")?;
        Some(match org_id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// One flow: each step in turn until one fails, then the teardown of what was made.
    pub(super) async fn run_flow(&self, flow: &Flow, mut vars: Vars) {
        let check = format!("{}.{}", names::FLOW, flow.family);
        let mut undo = Vec::new();
        let total = flow.steps.len();
        for (i, step) in flow.steps.iter().enumerate() {
            let action =
                tco_spec::action(step.version, step.action).expect("flows name contract actions");
            let probe = Probe::new(step.action, step.version.as_str(), (step.params)(&vars));
            let at = format!("step {}/{total} {} {}", i + 1, step.version, step.action);
            let (answer, unfinished) = match self.send_step(step, action, &probe).await {
                Ok(sent) => sent,
                Err(e) => {
                    self.record(
                        step.action,
                        step.version,
                        &check,
                        Judgement::Fail(format!("{at}: no answer: {e}")),
                        None,
                    );
                    break;
                }
            };
            let id = answer.request_id();
            if step.action == "CreateOrganization"
                && answer
                    .error_code()
                    .is_some_and(|c| c == ORGANIZATION_EXISTS)
            {
                // The account joined an organization since the check: not a violation.
                self.recorder().precondition(
                    &check,
                    format!(
                        "{at}: needs an account outside any organization, got {}",
                        answer.describe()
                    ),
                );
                break;
            }
            if answer.outcome() != Outcome::Success {
                self.record(
                    step.action,
                    step.version,
                    &check,
                    Judgement::Fail(format!("{at}: expected success, got {}", answer.describe())),
                    id,
                );
                break;
            }
            if let Some(tries) = unfinished {
                self.record(
                    step.action,
                    step.version,
                    &check,
                    Judgement::Fail(format!("{at}: still not done after {tries} polls")),
                    id,
                );
                break;
            }
            if let Some(u) = step.undo {
                undo.push(u);
            }
            let response = Value::Object(answer.response().cloned().unwrap_or_default());
            let mut problem = None;
            for (name, pointer) in step.capture {
                match response.pointer(pointer) {
                    Some(v) if !v.is_null() => {
                        vars.insert(name, v.clone());
                    }
                    _ => {
                        problem = Some(format!(
                            "{at}: the answer has no {pointer} for the steps after"
                        ));
                    }
                }
            }
            if problem.is_none() {
                if let Some(verify) = step.verify {
                    problem = verify(&response, &vars).err().map(|e| format!("{at}: {e}"));
                }
            }
            let failed = problem.is_some();
            let verdict = problem.map_or(Judgement::Pass, Judgement::Fail);
            self.record(step.action, step.version, &check, verdict, id);
            self.recorder()
                .add_time(step.action, step.version.as_str(), &check, answer.elapsed);
            if failed {
                break;
            }
        }
        for u in undo.into_iter().rev() {
            let action =
                tco_spec::action(u.version, u.action).expect("flows name contract actions");
            let probe = Probe::new(u.action, u.version.as_str(), (u.params)(&vars));
            let at = format!("teardown {} {}", u.version, u.action);
            match self
                .send(&self.endpoint, &self.pacer, &probe, action.rate_limit)
                .await
            {
                Err(e) => self.record(
                    u.action,
                    u.version,
                    &check,
                    Judgement::Fail(format!("{at}: no answer: {e}")),
                    None,
                ),
                Ok(answer) => {
                    self.judge(u.action, u.version, Some(action), &answer);
                    let verdict = if answer.outcome() == Outcome::Success {
                        Judgement::Pass
                    } else {
                        Judgement::Fail(format!(
                            "{at}: expected success, got {}",
                            answer.describe()
                        ))
                    };
                    self.record(u.action, u.version, &check, verdict, answer.request_id());
                }
            }
        }
    }
}

/// The flows a run makes: their actions are all runnable and what they need is given.
pub(crate) fn runnable_flows(runnable: &[&'static Action], vars: &Vars) -> Vec<Flow> {
    flows::all()
        .into_iter()
        .filter(|flow| {
            flow.actions()
                .all(|(v, name)| runnable.iter().any(|a| a.version == v && a.name == name))
                && flow.needs.iter().all(|n| vars.contains_key(n))
        })
        .collect()
}
