//! Sub-accounts isolated from each other under one main account: two callers of one main
//! account (two sub-accounts, or the main account and one sub-account, since a main account
//! calling directly counts as its own sub-account) load the same action at twice its limit at
//! once. Each must get its own full per-action budget; one short of it while the other was
//! loaded is cross-talk.

use crate::env::{self, Case, Env};
use crate::isolation::cross_talk;
use crate::schedule::Schedule;
use crate::verdict::{Expectation, ScenarioKind};
use crate::LoadError;

use super::{LayerOutcome, LayerTargets, DURATION_MS};

pub const NAME: &str = "sub-accounts";

/// Load on each caller, times its per-action limit.
pub const FACTOR: f64 = 2.0;

pub async fn run(env: &Env, targets: &LayerTargets) -> Result<LayerOutcome, LoadError> {
    let callers: Vec<_> = match (&targets.main, targets.sub_accounts.as_slice()) {
        (_, [a, b, ..]) => vec![a.clone(), b.clone()],
        (Some(main), [a]) => vec![main.clone(), a.clone()],
        _ => {
            return Ok(LayerOutcome::NotTested {
                scenario: NAME.into(),
                why: "needs two sub-accounts of one main account (or the main account and one sub-account)".into(),
            })
        }
    };
    // An action documented at 20/s: twice that from two callers stays a light load.
    let case = Case::from_contract("ListOrganizationNodes", "2018-12-25")?;
    let rate = case.limit as f64 * FACTOR;
    let streams = callers
        .iter()
        .map(|c| case.stream(c, Schedule::steady(rate, DURATION_MS)))
        .collect();
    let expectations: Vec<_> = callers
        .iter()
        .map(|c| {
            let e =
                Expectation::steady(NAME, ScenarioKind::Isolation, case.limit, rate, DURATION_MS);
            (case.key(c), e)
        })
        .collect();
    let executed = env::execute(env, NAME, streams, env::aligned(&[rate, rate])).await?;
    let mut result = env::judge(env, NAME, &executed, &expectations);
    if result.offered_as_intended() {
        result.violations.extend(cross_talk(&result));
    } else {
        result
            .notes
            .push("cross-talk not judged: the load was not offered as intended".into());
    }
    result.settle();
    env::write(&result, &executed)?;
    Ok(LayerOutcome::Judged(result))
}
