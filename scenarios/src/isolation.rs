//! Fairness across keys: the first case on two accounts and the second case on the first
//! account, all at twice their limits at once. Each key must get its own N; a key short of
//! its N while the others were loaded is cross-talk, and is reported as such.

use crate::env::{self, Case, Env};
use crate::report::ScenarioResult;
use crate::schedule::Schedule;
use crate::verdict::{Expectation, ScenarioKind, ACCEPTED_PER_SECOND_TOLERANCE};
use crate::LoadError;

/// Load factor on every key.
pub const FACTOR: f64 = 2.0;

/// The keys loaded at once: the first case on every account (two at most), the others on the
/// first account.
pub fn keys<'a, A: Copy>(cases: &'a [Case], accounts: &[A]) -> Vec<(&'a Case, A)> {
    let mut keys = Vec::new();
    let Some(&first) = accounts.first() else {
        return keys;
    };
    if let Some(c) = cases.first() {
        keys.extend(accounts.iter().take(2).map(|&a| (c, a)));
    }
    keys.extend(cases.iter().skip(1).map(|c| (c, first)));
    keys
}

pub async fn run(env: &Env, cases: &[Case], duration_ms: u64) -> Result<ScenarioResult, LoadError> {
    let name = "isolation";
    let first = env
        .credentials(0)
        .ok_or_else(|| LoadError::Usage("no credentials".into()))?;
    let accounts: Vec<_> = [Some(first), env.credentials(1)]
        .into_iter()
        .flatten()
        .collect();
    let keys = keys(cases, &accounts);
    let rates: Vec<f64> = keys.iter().map(|(c, _)| c.limit as f64 * FACTOR).collect();
    let streams = keys
        .iter()
        .zip(&rates)
        .map(|((c, cr), &r)| c.stream(cr, Schedule::steady(r, duration_ms)))
        .collect();
    let expectations: Vec<_> = keys
        .iter()
        .zip(&rates)
        .map(|((c, cr), &r)| {
            (
                c.key(cr),
                Expectation::steady(name, ScenarioKind::Isolation, c.limit, r, duration_ms),
            )
        })
        .collect();
    let executed = env::execute(env, name, streams, env::aligned(&rates)).await?;
    let mut result = env::judge(env, name, &executed, &expectations);
    // Cross-talk is a key short of its N: only a key offered its full load owes that.
    if result.offered_as_intended() {
        result.violations.extend(cross_talk(&result));
    } else {
        result
            .notes
            .push("cross-talk not judged: the load was not offered as intended".into());
    }
    if env.credentials(1).is_none() {
        result.not_tested.push(across_accounts_untested());
    }
    result.settle();
    env::write(&result, &executed)?;
    Ok(result)
}

/// What a run with one account cannot show.
pub fn across_accounts_untested() -> crate::report::Untested {
    crate::report::Untested {
        part: "across accounts".into(),
        why: "only one account was given (a second account is needed to show that one account's calls do not use up another's limit)".into(),
    }
}

/// Keys that got less than their own N while loaded alongside others.
pub fn cross_talk(result: &ScenarioResult) -> Vec<String> {
    let mut out = Vec::new();
    if result.verdicts.len() < 2 {
        return out;
    }
    let total: f64 = result.verdicts.iter().map(|v| v.accepted_per_second).sum();
    let own: f64 = result
        .verdicts
        .iter()
        .map(|v| v.expected_limit as f64)
        .sum();
    for v in &result.verdicts {
        if (v.expected_limit as f64 - v.accepted_per_second) > ACCEPTED_PER_SECOND_TOLERANCE {
            let others: Vec<String> = result
                .verdicts
                .iter()
                .filter(|o| !std::ptr::eq(*o, v))
                .map(|o| format!("{} {} ({})", o.action, o.version, o.account))
                .collect();
            out.push(format!(
                "cross-talk: {} {} ({}) got {:.1}/s of its own {} while {} were loaded at the same time ({:.1}/s accepted in total, {:.0} expected)",
                v.action,
                v.version,
                v.account,
                v.accepted_per_second,
                v.expected_limit,
                others.join(", "),
                total,
                own
            ));
        }
    }
    out
}
