//! The main-account-and-region layer (`RequestLimitExceeded.GlobalRegionUinLimitExceeded`):
//! as the main-account layer ([`super::main_account`]), every caller under one main account
//! loading one action through one access region, judged as one series against this layer's
//! limit and code.

use crate::env::Env;
use crate::refusals::Refuser;
use crate::LoadError;

use super::main_account::{run_group, Group};
use super::{LayerOutcome, LayerTargets};

pub const NAME: &str = "main-account-region layer";

pub async fn run(env: &Env, targets: &LayerTargets) -> Result<LayerOutcome, LoadError> {
    let group = Group {
        name: NAME,
        refuser: Refuser::MainAccountRegion,
        limit: targets.main_account_region_limit,
        no_limit: "no per-main-account-and-region limit given",
        suffix: " in one region",
    };
    run_group(env, targets, group).await
}
