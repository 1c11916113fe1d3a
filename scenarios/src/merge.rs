//! The merge of a sharded rate-limit run: checks that the shards' files belong to one run,
//! and judges the union of their calls exactly as a single run's calls are judged
//! ([`crate::conformance::judge_rate_limit`]: the same expectation, the same verdict, the same
//! reports). The windows are the server's when every call carries the server's arrival time;
//! otherwise they are searched on the send times, as for a single run against an endpoint,
//! which then needs the shards' machines' clocks in step (NTP keeps them within a few ms).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::call::Call;
use crate::conformance::{judge_rate_limit, rate_limit_name};
use crate::env::{Case, Executed};
use crate::report::{slug, Summary};
use crate::schedule::Epoch;
use crate::shard::ShardFile;
use crate::LoadError;

/// Reads every directory's `shard.json` and checks they are the shards of one run.
pub fn read(dirs: &[PathBuf]) -> Result<Vec<ShardFile>, String> {
    let files = dirs
        .iter()
        .map(|d| ShardFile::read(d))
        .collect::<Result<Vec<_>, _>>()?;
    check(&files)?;
    Ok(files)
}

/// The shards of one run: the same plan (endpoint, action, version, account, limit, rate,
/// duration, start, shard count), and every index of `1..=N` exactly once.
pub fn check(files: &[ShardFile]) -> Result<(), String> {
    let Some(first) = files.first() else {
        return Err("no shard to merge".into());
    };
    for f in &files[1..] {
        let differs = |what: &str, a: String, b: String| {
            format!(
                "shards {} and {} are not one run: {what} {a} vs {b}",
                first.shard, f.shard
            )
        };
        let pairs = [
            ("endpoint", first.endpoint.clone(), f.endpoint.clone()),
            ("action", first.key.action.clone(), f.key.action.clone()),
            ("version", first.key.version.clone(), f.key.version.clone()),
            ("account", first.key.account.clone(), f.key.account.clone()),
            (
                "expected limit",
                first.expected_limit.to_string(),
                f.expected_limit.to_string(),
            ),
            ("rate", first.rate.to_string(), f.rate.to_string()),
            (
                "duration (ms)",
                first.duration_ms.to_string(),
                f.duration_ms.to_string(),
            ),
            (
                "start (Unix ms)",
                first.start_at_ms.to_string(),
                f.start_at_ms.to_string(),
            ),
            (
                "shard count",
                first.shard.count.to_string(),
                f.shard.count.to_string(),
            ),
        ];
        if let Some((what, a, b)) = pairs.into_iter().find(|(_, a, b)| a != b) {
            return Err(differs(what, a, b));
        }
    }
    let n = first.shard.count as usize;
    let mut seen = vec![false; n];
    for f in files {
        let i = f.shard.index as usize;
        if i == 0 || i > n {
            return Err(format!("shard {} is outside 1..={n}", f.shard));
        }
        if std::mem::replace(&mut seen[i - 1], true) {
            return Err(format!("shard {} is given twice", f.shard));
        }
    }
    let missing: Vec<String> = (1..=n)
        .filter(|i| !seen[i - 1])
        .map(|i| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{} of {n} shards given: missing {}",
            files.len(),
            missing.join(", ")
        ));
    }
    Ok(())
}

/// Every shard's calls, in send order.
pub fn union(files: &[ShardFile]) -> Vec<Call> {
    let mut calls: Vec<Call> = files.iter().flat_map(|f| f.calls.clone()).collect();
    calls.sort_by_key(|c| c.sent_ms);
    calls
}

/// Judges the union of `files`' calls (already [`check`]ed) as a single run, writing its
/// reports under `report_dir` as a single run does.
pub fn judge(files: &[ShardFile], report_dir: Option<&Path>) -> Result<Summary, LoadError> {
    let first = files
        .first()
        .ok_or_else(|| LoadError::Usage("no shard to merge".into()))?;
    let case = Case {
        action: first.key.action.clone(),
        version: first.key.version.clone(),
        limit: first.expected_limit,
        params: serde_json::json!({}),
    };
    let name = rate_limit_name(first.rate);
    let executed = Executed {
        calls: union(files),
        epoch: Epoch::at(first.start_at_ms),
        dir: report_dir.map(|d| d.join(slug(&name))),
    };
    let mut result = judge_rate_limit(&case, &first.key, first.rate, first.duration_ms, &executed)?;
    result.notes.push(format!(
        "merged from {} shards started at Unix ms {}",
        files.len(),
        first.start_at_ms
    ));
    let timeout = files.iter().map(|f| f.call_timeout_ms).max().unwrap_or(0);
    let mut summary = Summary::new(
        &first.endpoint,
        first.start_at_ms,
        vec![result],
        report_dir.map(Path::to_path_buf),
    )
    .with_call_timeout(Duration::from_millis(timeout));
    // The run's own end, not the merge's (which may come hours later): the last answer.
    summary.finished_ms = last_answer_ms(&executed.calls).unwrap_or(first.start_at_ms);
    if let Some(dir) = report_dir {
        summary.write(dir)?;
    }
    Ok(summary)
}

/// When the last answer came, Unix ms (send time plus latency).
fn last_answer_ms(calls: &[Call]) -> Option<i64> {
    calls
        .iter()
        .map(|c| c.sent_ms + (c.latency_us / 1000) as i64)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Key, Outcome};
    use crate::schedule::Schedule;
    use crate::shard::{split, ShardSpec, FORMAT};
    use crate::verdict::Verdict;
    use crate::Status;

    const START: i64 = 1_700_000_000_000;

    /// A fixed window of `limit` in the server's frame over a run at `rate` sent exactly on
    /// its slots (first arrival `offset` ms past START), split into `n` shards.
    fn shards(rate: f64, ms: u64, limit: u32, n: u32, offset: i64) -> Vec<ShardFile> {
        let key = Key::new("DescribeOrganization", "2021-03-31", "AKIDmerge");
        let whole = Schedule::steady(rate, ms);
        let mut per_window = std::collections::HashMap::new();
        let outcome = |t: i64, w: &mut std::collections::HashMap<i64, u32>| {
            let used = w.entry(t.div_euclid(1000)).or_insert(0);
            *used += 1;
            if *used <= limit {
                Outcome::Accepted
            } else {
                Outcome::Throttled
            }
        };
        // Outcomes decided in arrival order over the whole schedule, as the server would.
        let outcomes: Vec<(i64, Outcome)> = whole
            .times_ms()
            .iter()
            .map(|t| {
                let at = START + offset + *t as i64;
                (at, outcome(at, &mut per_window))
            })
            .collect();
        (1..=n)
            .map(|i| {
                let spec = ShardSpec { index: i, count: n };
                let calls: Vec<Call> = outcomes
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| spec.takes(*k))
                    .map(|(_, (at, o))| {
                        let mut c = Call::synthetic(&key, *at, o.clone());
                        c.server_ms = Some(*at + 2);
                        c
                    })
                    .collect();
                ShardFile {
                    format: FORMAT,
                    shard: spec,
                    endpoint: "http://127.0.0.1:9000".into(),
                    key: key.clone(),
                    expected_limit: limit,
                    rate,
                    duration_ms: ms,
                    start_at_ms: START,
                    planned_calls: split(&whole, spec).len(),
                    call_timeout_ms: 5000,
                    calls,
                }
            })
            .collect()
    }

    fn verdict(summary: &Summary) -> &Verdict {
        &summary.scenarios[0].verdicts[0]
    }

    #[test]
    fn the_union_of_shards_is_judged_as_the_single_run() {
        let files = shards(20.0, 3000, 10, 4, 25);
        check(&files).unwrap();
        let merged = judge(&files, None).unwrap();
        // The same calls in one file, judged as one run.
        let mut single = files[0].clone();
        single.shard = ShardSpec { index: 1, count: 1 };
        single.calls = union(&files);
        let alone = judge(&[single], None).unwrap();
        assert_eq!(merged.status, Status::Pass, "{:?}", verdict(&merged));
        assert_eq!(verdict(&merged).calls, 60);
        assert_eq!(verdict(&merged).accepted, 30);
        assert_eq!(verdict(&merged).per_second, verdict(&alone).per_second);
        assert_eq!(verdict(&merged).status, verdict(&alone).status);
        assert_eq!(verdict(&merged).scenario, "rate-limit 20/s");
        // The run's span, not the merge's time: the last of 60 arrivals 50 ms apart from 25 ms
        // past the start, answered in 1 ms.
        assert_eq!(merged.started_ms, START);
        assert_eq!(merged.finished_ms, START + 25 + 59 * 50 + 1);
    }

    #[test]
    fn a_missing_shard_leaves_the_run_short_and_a_limit_broken_fails() {
        let mut files = shards(20.0, 3000, 10, 4, 25);
        files.pop();
        // Checked as a set first...
        assert!(check(&files).unwrap_err().contains("missing 4/4"));
        // ... for judged anyway, the union is wrong: shard 4/4 had arrivals 0, 4, 8, accepted
        // in the first window, which is then left with 7 accepted beside 7 refused.
        let short = judge(&files, None).unwrap();
        assert_eq!(short.status, Status::Fail);
        assert_eq!(verdict(&short).calls, 45);
        // The same run against a limit of 5 that admitted 10: a failure at any load.
        let mut files = shards(20.0, 3000, 10, 4, 25);
        files.iter_mut().for_each(|f| f.expected_limit = 5);
        let failed = judge(&files, None).unwrap();
        assert_eq!(failed.status, Status::Fail);
    }

    /// One change to a shard's plan.
    type Change = Box<dyn Fn(&mut ShardFile)>;

    #[test]
    fn shards_of_different_runs_are_refused_naming_the_difference() {
        let base = shards(20.0, 2000, 10, 3, 25);
        let cases: Vec<(&str, Change)> = vec![
            (
                "action",
                Box::new(|f| f.key.action = "ListOrganizationNodes".into()),
            ),
            ("version", Box::new(|f| f.key.version = "2018-12-25".into())),
            ("account", Box::new(|f| f.key.account = "AKIDother".into())),
            ("rate", Box::new(|f| f.rate = 21.0)),
            ("duration", Box::new(|f| f.duration_ms = 3000)),
            ("start", Box::new(|f| f.start_at_ms += 1000)),
            ("expected limit", Box::new(|f| f.expected_limit = 11)),
            ("endpoint", Box::new(|f| f.endpoint = "http://other".into())),
            ("shard count", Box::new(|f| f.shard.count = 4)),
        ];
        for (what, change) in cases {
            let mut files = base.clone();
            change(&mut files[2]);
            let e = check(&files).unwrap_err();
            assert!(e.contains(what) && e.contains("not one run"), "{what}: {e}");
        }
        let mut twice = base.clone();
        twice[2].shard.index = 1;
        assert!(check(&twice)
            .unwrap_err()
            .contains("shard 1/3 is given twice"));
        let mut outside = base.clone();
        outside[2].shard.index = 7;
        assert!(check(&outside).unwrap_err().contains("outside 1..=3"));
        assert!(check(&[]).unwrap_err().contains("no shard"));
        check(&base).unwrap();
    }

    #[test]
    fn merge_writes_the_reports_of_a_single_run() {
        let dir = std::env::temp_dir().join(format!("tco-merge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let shard_dirs: Vec<PathBuf> = (1..=2).map(|i| dir.join(format!("s{i}"))).collect();
        for (f, d) in shards(10.0, 2000, 5, 2, 25).iter().zip(&shard_dirs) {
            f.write(d).unwrap();
        }
        let files = read(&shard_dirs).unwrap();
        let out = dir.join("merged");
        let summary = judge(&files, Some(&out)).unwrap();
        assert_eq!(summary.status, Status::Pass);
        for f in [
            "summary.json",
            "summary.txt",
            "junit.xml",
            "rate-limit-10-s/calls.csv",
            "rate-limit-10-s/DescribeOrganization-2021-03-31/verdict.json",
        ] {
            assert!(out.join(f).exists(), "{f}");
        }
        assert!(read(&[dir.join("nowhere")])
            .unwrap_err()
            .contains("cannot read"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
