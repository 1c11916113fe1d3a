//! The per-IP layer (`RequestLimitExceeded.IPLimitExceeded`): two main accounts (or one, when
//! no other is given) call from this machine's address, each well under its own per-action
//! limit, together 1.5 times the IP limit. Judged as one series against that limit. Across
//! several machines this layer is only reached by sharded runs (`load rate-limit --shard`).

use crate::env::Env;
use crate::refusals::Refuser;
use crate::LoadError;

use super::main_account::{FACTOR, PER_ACTION_SHARE};
use super::{case, layer_run, LayerOutcome, LayerTargets};

pub const NAME: &str = "per-IP layer";

pub async fn run(env: &Env, targets: &LayerTargets) -> Result<LayerOutcome, LoadError> {
    let not_tested = |why: String| {
        Ok(LayerOutcome::NotTested {
            scenario: NAME.into(),
            why,
        })
    };
    let Some(limit) = targets.source_ip_limit else {
        return not_tested("no per-IP limit given".into());
    };
    let callers: Vec<_> = targets
        .main
        .iter()
        .chain(&targets.other_main)
        .cloned()
        .collect();
    if callers.is_empty() {
        return not_tested("no account given".into());
    }
    let per_action = case()?.limit as f64;
    let rate_each = limit as f64 * FACTOR / callers.len() as f64;
    if rate_each > per_action * PER_ACTION_SHARE {
        return not_tested(format!(
            "{} accounts at {rate_each:.1}/s each would meet their own per-action limit of {per_action}: give another main account",
            callers.len()
        ));
    }
    let result = layer_run(
        env,
        NAME,
        Refuser::SourceIp,
        limit,
        "one source IP",
        &callers,
        rate_each,
    )
    .await?;
    Ok(LayerOutcome::Judged(result))
}
