//! The verdict on one answer: the checks every answer gets (`judge`) and whether it is what
//! its probe expects (`expectation`): where the suite decides a negative probe.

use std::collections::HashSet;

use serde_json::Value;
use tco_spec::{Action, Contract, Version};

use crate::checks::{self, in_family, names, REFUSALS};
use crate::probes::{Expect, Planned};
use crate::report::{Judgement, Recorder};
use crate::wire::{Exchange, Outcome};

/// Applies the checks every answer gets: envelope, RequestId (a UUID, never seen before in
/// the run), error code, response shape.
pub(crate) fn judge(
    rec: &mut Recorder,
    seen: &mut HashSet<String>,
    action_label: &str,
    version: Version,
    action: Option<&Action>,
    answer: &Exchange,
) {
    let contract: &Contract = tco_spec::contract(version);
    let version = version.as_str();
    let id = answer.request_id();
    let timed = |rec: &mut Recorder, check: &str| {
        rec.add_time(action_label, version, check, answer.elapsed);
    };
    let problems = checks::envelope(answer);
    if problems.is_empty() {
        rec.record(action_label, version, names::ENVELOPE, Judgement::Pass, id);
    }
    for p in problems {
        rec.record(
            action_label,
            version,
            names::ENVELOPE,
            Judgement::Fail(p),
            id,
        );
    }
    timed(rec, names::ENVELOPE);
    let verdict = match checks::request_id_format(answer) {
        Err(problem) => Judgement::Fail(problem),
        Ok(id) if seen.insert(id.to_owned()) => Judgement::Pass,
        Ok(id) => Judgement::Fail(format!(
            "RequestId {id} was already used by an earlier answer"
        )),
    };
    rec.record(action_label, version, names::REQUEST_ID, verdict, id);
    timed(rec, names::REQUEST_ID);
    match answer.outcome() {
        Outcome::Error(code) => {
            let verdict = checks::error_code(contract, action, &code);
            rec.record(action_label, version, names::ERROR_CODE, verdict, id);
            timed(rec, names::ERROR_CODE);
        }
        Outcome::Success => {
            if let (Some(action), Some(response)) = (action, answer.response()) {
                let response = Value::Object(response.clone());
                let verdicts = checks::response_shape(action, &response);
                if verdicts.is_empty() {
                    rec.record(
                        action_label,
                        version,
                        names::RESPONSE_SHAPE,
                        Judgement::Pass,
                        id,
                    );
                }
                for v in verdicts {
                    rec.record(action_label, version, names::RESPONSE_SHAPE, v, id);
                }
                timed(rec, names::RESPONSE_SHAPE);
            }
        }
        Outcome::Unreadable => {}
    }
}

/// Whether the answer is what the probe expects.
pub(crate) fn expectation(planned: &Planned, answer: &Exchange) -> Judgement {
    let what = &planned.what;
    match (&planned.expect, answer.outcome()) {
        (_, Outcome::Unreadable) => Judgement::Fail(format!("{what}: no readable answer")),
        (Expect::Accepted, Outcome::Success) => Judgement::Pass,
        (Expect::Accepted, Outcome::Error(code)) => {
            if REFUSALS.iter().any(|f| in_family(&code, f)) {
                Judgement::Fail(format!("{what} was refused with {}", answer.describe()))
            } else {
                Judgement::Pass
            }
        }
        (Expect::Refused(families), Outcome::Error(code)) => {
            if families.iter().any(|f| in_family(&code, f)) {
                Judgement::Pass
            } else {
                Judgement::Fail(format!(
                    "{what} got {} (expected {})",
                    answer.describe(),
                    families.join(" or ")
                ))
            }
        }
        (Expect::Refused(families), Outcome::Success) => Judgement::Fail(format!(
            "{what} was accepted (expected {})",
            families.join(" or ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Probe;
    use serde_json::json;

    fn answer(body: Value) -> Exchange {
        Exchange::from_json(&body)
    }

    #[test]
    fn expectations() {
        let planned = |expect| Planned {
            check: "c".into(),
            what: "a request without X".into(),
            probe: Probe::new("A", "2018-12-25", json!({})),
            expect,
        };
        let err = |c: &str| {
            answer(json!({"Response": {"Error": {"Code": c, "Message": "m"}, "RequestId": "r"}}))
        };
        let ok = answer(json!({"Response": {"RequestId": "r"}}));
        let missing = planned(Expect::Refused(&["MissingParameter"]));
        assert_eq!(
            expectation(&missing, &err("MissingParameter")),
            Judgement::Pass
        );
        assert_eq!(
            expectation(&missing, &err("MissingParameter.X")),
            Judgement::Pass
        );
        assert_eq!(
            expectation(&missing, &ok),
            Judgement::Fail("a request without X was accepted (expected MissingParameter)".into())
        );
        let valid = planned(Expect::Accepted);
        assert_eq!(
            expectation(&valid, &err("ResourceNotFound.X")),
            Judgement::Pass
        );
        assert!(matches!(
            expectation(&valid, &err("AuthFailure.SignatureFailure")),
            Judgement::Fail(_)
        ));
    }
}
