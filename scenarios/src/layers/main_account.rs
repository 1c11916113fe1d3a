//! The main-account layer (`RequestLimitExceeded.UinLimitExceeded`): every caller under one
//! main account (the main account itself and its sub-accounts) loads the same action, each
//! well under its own per-action limit, together 1.5 times the main account's limit. Judged
//! as one series against that limit: never more accepted in a window, refusals by this layer's
//! code only in a window that had its limit.

use crate::env::Env;
use crate::refusals::Refuser;
use crate::LoadError;

use super::{case, layer_run, LayerOutcome, LayerTargets};

pub const NAME: &str = "main-account layer";

/// The load on the layer, times its limit.
pub const FACTOR: f64 = 1.5;

/// A caller's share may be at most this part of its per-action limit, so that only the layer
/// under test refuses.
pub const PER_ACTION_SHARE: f64 = 0.75;

pub async fn run(env: &Env, targets: &LayerTargets) -> Result<LayerOutcome, LoadError> {
    let group = Group {
        name: NAME,
        refuser: Refuser::MainAccount,
        limit: targets.main_account_limit,
        no_limit: "no per-main-account limit given",
        suffix: "",
    };
    run_group(env, targets, group).await
}

/// A layer that caps every caller under one main account together: this one, and the same
/// cap per access region.
pub(super) struct Group {
    pub name: &'static str,
    pub refuser: Refuser,
    pub limit: Option<u32>,
    /// Why the scenario is not tested when `limit` is not given.
    pub no_limit: &'static str,
    /// Added to the group's name in the report, e.g. " in one region".
    pub suffix: &'static str,
}

pub(super) async fn run_group(
    env: &Env,
    targets: &LayerTargets,
    layer: Group,
) -> Result<LayerOutcome, LoadError> {
    let not_tested = |why: String| {
        Ok(LayerOutcome::NotTested {
            scenario: layer.name.into(),
            why,
        })
    };
    let Some(limit) = layer.limit else {
        return not_tested(layer.no_limit.into());
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
    let group = format!("main account of {}{}", callers[0].secret_id(), layer.suffix);
    let result = layer_run(
        env,
        layer.name,
        layer.refuser,
        limit,
        &group,
        &callers,
        rate_each,
    )
    .await?;
    Ok(LayerOutcome::Judged(result))
}
