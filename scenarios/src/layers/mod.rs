//! The limits on top of the per-action one, one scenario each: sub-accounts isolated from each
//! other under one main account ([`sub_accounts`]), the main-account layer ([`main_account`]),
//! the main-account-and-region layer ([`main_account_region`]), the per-IP layer
//! ([`source_ip`]). The documentation gives no numbers for the layers, so a
//! scenario needs them given: on the in-process mock each configures its own layer
//! ([`on_mock`]); against an endpoint the accounts and limits come from [`LayerTargets`], and
//! a scenario missing one says it was not tested rather than pass.
//!
//! A layer is judged like the per-action limit, on the calls of every caller it counts
//! together, as one series in the server's frame (see [`group_verdict`]): never more than its
//! limit accepted in a window, its refusals (by its own code) only in a window that had its
//! limit, about its limit per window when the load was offered; a refusal by another layer is
//! named as such.
//!
//! These are not part of the conformance set `run` and `load` run: the layers are off unless
//! configured. `tco-harness load layers` runs them.

pub mod main_account;
pub mod main_account_region;
pub mod source_ip;
pub mod sub_accounts;

use std::sync::Arc;

use tco_sign::Credentials;

use crate::call::{Call, Key};
use crate::env::{self, Case, Env};
use crate::refusals::Refuser;
use crate::report::ScenarioResult;
use crate::schedule::Schedule;
use crate::verdict::{Expectation, ScenarioKind, Verdict};
use crate::LoadError;

/// What the layer scenarios need of a target.
#[derive(Clone, Default)]
pub struct LayerTargets {
    /// The main account (signs directly: counts as its own sub-account).
    pub main: Option<Credentials>,
    /// Sub-accounts of `main`: their own keys, `main` as owner.
    pub sub_accounts: Vec<Credentials>,
    /// Another main account, reaching the endpoint from the same IP address.
    pub other_main: Option<Credentials>,
    /// The per-main-account limit to expect, per second.
    pub main_account_limit: Option<u32>,
    /// The per-main-account-and-region limit to expect, per second.
    pub main_account_region_limit: Option<u32>,
    /// The per-source-IP limit to expect, per second.
    pub source_ip_limit: Option<u32>,
}

impl std::fmt::Debug for LayerTargets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = |c: &Credentials| c.secret_id().to_string();
        f.debug_struct("LayerTargets")
            .field("main", &self.main.as_ref().map(id))
            .field(
                "sub_accounts",
                &self.sub_accounts.iter().map(id).collect::<Vec<_>>(),
            )
            .field("other_main", &self.other_main.as_ref().map(id))
            .field("main_account_limit", &self.main_account_limit)
            .field("main_account_region_limit", &self.main_account_region_limit)
            .field("source_ip_limit", &self.source_ip_limit)
            .finish()
    }
}

/// A scenario's outcome: judged, or not tested and why.
#[derive(Debug, Clone)]
pub enum LayerOutcome {
    Judged(ScenarioResult),
    NotTested { scenario: String, why: String },
}

/// How long each layer scenario offers its load, ms.
pub const DURATION_MS: u64 = 3000;

/// The action every layer scenario loads: an organization read of 2021-03-31, documented at
/// 40/s, so that the rates below stay far under the per-action limit of each caller.
pub fn case() -> Result<Case, LoadError> {
    Case::from_contract("DescribeOrganization", "2021-03-31")
}

/// Runs the four scenarios against `env`'s target with what `targets` gives.
pub async fn run_all(env: &Env, targets: &LayerTargets) -> Result<Vec<LayerOutcome>, LoadError> {
    Ok(vec![
        sub_accounts::run(env, targets).await?,
        main_account::run(env, targets).await?,
        main_account_region::run(env, targets).await?,
        source_ip::run(env, targets).await?,
    ])
}

/// Each caller at `rate_each`, their slots interleaved so that together they make one steady
/// schedule of `callers * rate_each`; the calls of all of them judged as one series against
/// `limit` of `layer`, under `group` as the account.
pub async fn layer_run(
    env: &Env,
    name: &str,
    layer: Refuser,
    limit: u32,
    group: &str,
    callers: &[Credentials],
    rate_each: f64,
) -> Result<ScenarioResult, LoadError> {
    let case = case()?;
    let total = rate_each * callers.len() as f64;
    let streams = callers
        .iter()
        .enumerate()
        .map(|(i, creds)| {
            let schedule =
                Schedule::steady(rate_each, DURATION_MS).delayed(i as f64 * 1000.0 / total);
            case.stream(creds, schedule)
        })
        .collect();
    let executed = env::execute(env, name, streams, env::aligned(&[total])).await?;
    let key = Key::new(&case.action, &case.version, group);
    let planned = crate::verdict::planned_calls(rate_each, DURATION_MS) * callers.len();
    let e = Expectation {
        planned_calls: planned,
        planned_span_ms: planned as f64 * 1000.0 / total,
        ..Expectation::steady(name, ScenarioKind::OverLimit, limit, total, DURATION_MS)
    }
    .for_layer(layer);
    let verdict = group_verdict(&key, &executed.calls, &e);
    let mut result = ScenarioResult::new(name, vec![verdict]);
    result.dir = executed.dir.clone();
    result.elapsed_ms = env::span_ms(&executed.calls);
    for creds in callers {
        let mine: Vec<&Call> = executed
            .calls
            .iter()
            .filter(|c| c.key.account == creds.secret_id())
            .collect();
        let accepted = mine.iter().filter(|c| c.outcome.is_accepted()).count();
        result.notes.push(format!(
            "{}: {} calls, {accepted} accepted",
            creds.secret_id(),
            mine.len()
        ));
    }
    result.settle();
    env::write(&result, &executed)?;
    Ok(result)
}

/// The verdict on every call of `calls` as one key's (`key`, the group), under `e`.
pub fn group_verdict(key: &Key, calls: &[Call], e: &Expectation) -> Verdict {
    let group = std::sync::Arc::new(key.clone());
    let grouped: Vec<Call> = calls
        .iter()
        .map(|c| Call {
            key: group.clone(),
            ..c.clone()
        })
        .collect();
    Verdict::compute(key, &grouped, e)
}

/// Accounts of the layer scenarios on the in-process mock: the built-in main account
/// (100000000001), two sub-accounts of it, and a second main account.
pub const MOCK_SUB_ACCOUNTS: [(u64, &str, &str); 2] = [
    (
        100_000_000_011,
        "AKIDLayerSubAccountOne00000000000000",
        "layer-sub-account-one-secret-key-000",
    ),
    (
        100_000_000_012,
        "AKIDLayerSubAccountTwo00000000000000",
        "layer-sub-account-two-secret-key-000",
    ),
];

/// The layer limits the mock runs use, per second.
pub const MOCK_MAIN_ACCOUNT_LIMIT: u32 = 20;
pub const MOCK_SOURCE_IP_LIMIT: u32 = 20;

/// The in-process mock with the accounts above and only `layer` on (at its mock limit).
pub async fn start_mock(layer: Option<Refuser>) -> Arc<tco_mock::MockServer> {
    let main = 100_000_000_001;
    let (uin, id, key) = crate::conformance::SECOND_ACCOUNT;
    let mut builder = tco_mock::MockServer::builder()
        .account(tco_mock::Account::new(uin, id, key))
        .journal_capacity(20_000);
    for (uin, id, key) in MOCK_SUB_ACCOUNTS {
        builder = builder.account(tco_mock::Account::new(uin, id, key).with_owner(main));
    }
    builder = match layer {
        Some(Refuser::MainAccount) => builder.main_account_limit(MOCK_MAIN_ACCOUNT_LIMIT),
        Some(Refuser::SourceIp) => builder.source_ip_limit(MOCK_SOURCE_IP_LIMIT),
        Some(Refuser::MainAccountRegion) => {
            builder.main_account_region_limit(MOCK_MAIN_ACCOUNT_LIMIT)
        }
        Some(Refuser::Action) | None => builder,
    };
    Arc::new(builder.start().await)
}

/// What the mock runs give the scenarios.
pub fn mock_targets(mock: &tco_mock::MockServer) -> LayerTargets {
    let (_, id, key) = crate::conformance::SECOND_ACCOUNT;
    LayerTargets {
        main: Some(mock.default_credentials()),
        sub_accounts: MOCK_SUB_ACCOUNTS
            .iter()
            .map(|(_, id, key)| Credentials::new(*id, *key))
            .collect(),
        other_main: Some(Credentials::new(id, key)),
        main_account_limit: Some(MOCK_MAIN_ACCOUNT_LIMIT),
        main_account_region_limit: Some(MOCK_MAIN_ACCOUNT_LIMIT),
        source_ip_limit: Some(MOCK_SOURCE_IP_LIMIT),
    }
}

/// Which scenario runs on which mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    SubAccounts,
    MainAccount,
    MainAccountRegion,
    SourceIp,
}

/// One scenario on a mock of its own, configured for it, measured again while its load was
/// not offered (as the conformance set is).
pub async fn on_mock(
    which: Which,
    report_dir: Option<std::path::PathBuf>,
) -> Result<LayerOutcome, LoadError> {
    let layer = match which {
        Which::SubAccounts => None,
        Which::MainAccount => Some(Refuser::MainAccount),
        Which::MainAccountRegion => Some(Refuser::MainAccountRegion),
        Which::SourceIp => Some(Refuser::SourceIp),
    };
    let mock = start_mock(layer).await;
    let targets = mock_targets(&mock);
    let env = Env::for_mock(mock).with_report_dir(report_dir);
    env::ensure_organization(&env).await?;
    let mut outcome = None;
    for _ in 0..env.measurements {
        let once = match which {
            Which::SubAccounts => sub_accounts::run(&env, &targets).await?,
            Which::MainAccount => main_account::run(&env, &targets).await?,
            Which::MainAccountRegion => main_account_region::run(&env, &targets).await?,
            Which::SourceIp => source_ip::run(&env, &targets).await?,
        };
        let again =
            matches!(&once, LayerOutcome::Judged(r) if r.status == crate::Status::LoadNotOffered);
        outcome = Some(once);
        if !again {
            break;
        }
    }
    outcome.ok_or_else(|| LoadError::Usage("no measurement".into()))
}

/// The four scenarios, each on its own mock.
pub async fn run_all_on_mock(
    report_dir: Option<std::path::PathBuf>,
) -> Result<Vec<LayerOutcome>, LoadError> {
    let mut out = Vec::new();
    for which in [
        Which::SubAccounts,
        Which::MainAccount,
        Which::MainAccountRegion,
        Which::SourceIp,
    ] {
        out.push(on_mock(which, report_dir.clone()).await?);
    }
    Ok(out)
}
