//! Against the mock: actions whose positive probes found nothing called again in a world made
//! for them, so every action's success is judged for its shape.

use tco_spec::Action;

use super::Runner;
use crate::checks::names;
use crate::probes;
use crate::report::Judgement;
use crate::wire::{Outcome, Probe};

impl Runner {
    /// Against the mock: each action whose positive probes got no answer of the documented
    /// shape (their example IDs do not exist, so a business error came back) is called once
    /// more in a fresh mock set up for it, its IDs filled from the fixtures and sent by the
    /// account that may make the call. The answer must be a success, judged like any other.
    /// Each list action's first page is sent there too, and must list something.
    #[cfg(feature = "mock")]
    pub(super) async fn fixture_probes(&self, actions: &[&'static Action]) {
        for action in actions {
            let (name, version) = (action.name.as_str(), action.version);
            let shaped = self
                .recorder()
                .has_passed(name, version.as_str(), names::RESPONSE_SHAPE);
            let lists = !probes::listed_members(action).is_empty();
            if shaped && !lists {
                continue;
            }
            let check = names::POSITIVE_FIXTURE;
            let fixture = match crate::fixtures::Fixture::start(
                action,
                self.options.timeout,
                self.options.clock.clone(),
                &self.requests,
            )
            .await
            {
                Ok(fixture) => fixture,
                Err(e) => {
                    self.record(
                        name,
                        version,
                        check,
                        Judgement::Fail(format!("setting up the fixtures: {e}")),
                        None,
                    );
                    continue;
                }
            };
            if lists {
                self.fixture_list_probe(action, &fixture).await;
            }
            if shaped {
                continue;
            }
            let (params, caller) = fixture.prepare(action);
            let probe = Probe::new(name, version.as_str(), params);
            let answer = match self
                .send(caller, &self.pacer, &probe, action.rate_limit)
                .await
            {
                Ok(answer) => answer,
                Err(e) => {
                    self.record(
                        name,
                        version,
                        check,
                        Judgement::Fail(format!("the example with fixture IDs: no answer: {e}")),
                        None,
                    );
                    continue;
                }
            };
            self.judge(name, version, Some(action), &answer);
            let verdict = if answer.outcome() == Outcome::Success {
                Judgement::Pass
            } else {
                Judgement::Fail(format!(
                    "the example with fixture IDs: expected success, got {}",
                    answer.describe()
                ))
            };
            self.record(name, version, check, verdict, answer.request_id());
            self.recorder()
                .add_time(name, version.as_str(), check, answer.elapsed);
        }
    }

    /// A list action's first page with the fixtures' IDs: a success that lists something.
    /// Some lists need one of two optional members (`MemberUin` or `IdentityId`, `ServiceId` or
    /// `Product`), so where the required members alone get a business error, the example's
    /// members (from the start) are sent instead.
    #[cfg(feature = "mock")]
    async fn fixture_list_probe(
        &self,
        action: &'static Action,
        fixture: &crate::fixtures::Fixture,
    ) {
        let (name, version) = (action.name.as_str(), action.version);
        let check = names::POSITIVE_LIST_FIXTURE;
        let mut last = String::new();
        for request in [
            probes::first_page(action),
            probes::from_the_start(action.example_request()),
        ] {
            let (params, caller) = fixture.prepare_request(action, request);
            let probe = Probe::new(name, version.as_str(), params);
            match self
                .send(caller, &self.pacer, &probe, action.rate_limit)
                .await
            {
                Err(e) => last = format!("no answer: {e}"),
                Ok(answer) => {
                    self.judge(name, version, Some(action), &answer);
                    self.recorder()
                        .add_time(name, version.as_str(), check, answer.elapsed);
                    if answer.outcome() == Outcome::Success {
                        self.record(name, version, check, Judgement::Pass, answer.request_id());
                        self.judge_list(action, &answer);
                        return;
                    }
                    last = answer.describe();
                }
            }
        }
        let verdict = Judgement::Fail(format!(
            "the first page with fixture IDs: expected success, got {last}"
        ));
        self.record(name, version, check, verdict, None);
    }
}
