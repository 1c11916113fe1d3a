//! The main-account-and-region layer (`RequestLimitExceeded.GlobalRegionUinLimitExceeded`):
//! as the main-account layer ([`super::main_account`]), every caller under one main account
//! loading one action through one access region, judged as one series against this layer's
//! limit and code.

use crate::env::Env;
use crate::refusals::Refuser;
use crate::LoadError;

use super::main_account::{FACTOR, PER_ACTION_SHARE};
use super::{case, layer_run, LayerOutcome, LayerTargets};

pub const NAME: &str = "main-account-region layer";

pub async fn run(env: &Env, targets: &LayerTargets) -> Result<LayerOutcome, LoadError> {
    let not_tested = |why: String| {
        Ok(LayerOutcome::NotTested {
            scenario: NAME.into(),
            why,
        })
    };
    let Some(limit) = targets.main_account_region_limit else {
        return not_tested("no per-main-account-and-region limit given".into());
    };
    let callers: Vec<_> = targets
        .main
        .iter()
        .chain(&targets.sub_accounts)
        .cloned()
        .collect();
    if callers.len() < 2 {
        return not_tested("needs the main account and at least one sub-account".into());
    }
    let per_action = case()?.limit as f64;
    let rate_each = limit as f64 * FACTOR / callers.len() as f64;
    if rate_each > per_action * PER_ACTION_SHARE {
        return not_tested(format!(
            "{} callers at {rate_each:.1}/s each would meet their own per-action limit of {per_action}: give more sub-accounts",
            callers.len()
        ));
    }
    let group = format!("main account of {} in one region", callers[0].secret_id());
    let result = layer_run(
        env,
        NAME,
        Refuser::MainAccountRegion,
        limit,
        &group,
        &callers,
        rate_each,
    )
    .await?;
    Ok(LayerOutcome::Judged(result))
}
