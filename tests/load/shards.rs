//! A rate-limit run in shards: `load rate-limit --shard I/N --start-at TIME` in separate
//! processes of the built binary against one mock, then `load merge`. The merged verdict must
//! be the verdict a single process gives on the same schedule against the same limiter.
//!
//! These run on real time, on a machine that may be busy, like `load_cli.rs`: a shard or a
//! single run may end in "load not offered" (exit 3) instead of a pass. What holds at any load
//! is asserted always (no failure, never more than the limit accepted in a server window, no
//! refusal in a window short of it); what only the intended load shows (every call sent,
//! the limit per second on average) when the load was offered.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use serde_json::Value;
use tco_mock::MockServer;
use tco_scenarios::shard::ShardFile;
use tco_scenarios::verdict::ACCEPTED_PER_SECOND_TOLERANCE;
use tco_scenarios::{conformance, env, Case, Env};

use crate::common::{
    command_line, describe as text, harness, harness_as_mock_default, one_line_usage_error,
    strings, Scratch,
};

/// A low limit, a short run: 2x the limit for 3 s, 30 calls in all.
const LIMIT: u32 = 5;
const RATE: f64 = 10.0;
const SECONDS: u64 = 3;
const SHARDS: u32 = 3;

fn rfc3339(unix_ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(unix_ms as i128 * 1_000_000)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// Runs the CLI off the test's runtime (which serves the mock meanwhile), signed as the mock's
/// default account.
async fn harness_against(mock: &MockServer, args: Vec<String>) -> Output {
    spawn_harness(mock, args).await.unwrap()
}

/// Starts the CLI now, on a blocking thread; the handle gives its output.
fn spawn_harness(mock: &MockServer, args: Vec<String>) -> tokio::task::JoinHandle<Output> {
    harness_as_mock_default(mock, &args).spawn_off_runtime()
}

/// The one verdict of a summary.json.
fn verdict_of(report_dir: &Path) -> Value {
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(report_dir.join("summary.json")).unwrap())
            .unwrap();
    summary["scenarios"][0]["verdicts"][0].clone()
}

/// What holds at any load, in the server's frame: nothing failed, at most the limit accepted
/// per window, a refusal only in a window that had accepted the limit.
fn holds_at_any_load(v: &Value, what: &str) {
    assert_ne!(v["status"], "FAIL", "{what}: {v:#}");
    assert!(
        v["violations"].as_array().unwrap().is_empty(),
        "{what}: {v:#}"
    );
    assert_eq!(v["frame"], "server", "{what}");
    for w in v["per_second"].as_array().unwrap() {
        let accepted = w["accepted"].as_u64().unwrap();
        let throttled = w["throttled"].as_u64().unwrap();
        assert!(accepted <= LIMIT as u64, "{what}: {w}");
        assert!(throttled == 0 || accepted == LIMIT as u64, "{what}: {w}");
    }
}

fn offered(v: &Value) -> bool {
    v["load_shortfalls"].as_array().unwrap().is_empty()
}

#[tokio::test(flavor = "multi_thread")]
async fn shards_in_separate_processes_merge_into_the_single_runs_verdict() {
    let mock = Arc::new(
        MockServer::builder()
            .rate_limit_default(LIMIT)
            .journal_capacity(10_000)
            .start()
            .await,
    );
    let scratch = Scratch::new();
    let base = scratch.join("merge");
    let env = Env::for_mock(mock.clone()).with_report_dir(Some(base.join("single")));
    env::ensure_organization(&env).await.unwrap();

    // N processes, one shard each, all starting at one instant a few seconds ahead (time for
    // the processes to start and check the endpoint on a busy machine).
    let start = rfc3339(tco_scenarios::schedule::wall_ms() + 8_000);
    let shard_dirs: Vec<PathBuf> = (1..=SHARDS)
        .map(|i| base.join(format!("shard-{i}")))
        .collect();
    let runs = shard_dirs.iter().enumerate().map(|(i, d)| {
        let args: Vec<String> = command_line(
            "load rate-limit --action DescribeOrganization --version 2021-03-31 --expect-limit",
            &[
                &LIMIT.to_string(),
                "--rate",
                &RATE.to_string(),
                "--duration",
                &format!("{SECONDS}s"),
                "--endpoint",
                &mock.uri(),
                "--shard",
                &format!("{}/{SHARDS}", i + 1),
                "--start-at",
                &start,
                "--report-dir",
                d.to_str().unwrap(),
            ],
        );
        spawn_harness(&mock, args)
    });
    let running: Vec<_> = runs.collect();
    let mut outs = Vec::new();
    for run in running {
        outs.push(run.await.unwrap());
    }
    for (i, out) in outs.iter().enumerate() {
        let t = text(out);
        assert!(
            matches!(out.status.code(), Some(0 | 3)),
            "shard {}: {t}",
            i + 1
        );
        assert!(
            t.contains(&format!("shard {}/{SHARDS}:", i + 1)) && t.contains("load merge"),
            "{t}"
        );
        assert!(
            !t.contains("pass") && !t.contains("FAIL"),
            "a shard judges nothing: {t}"
        );
    }

    // The server's arrival times on each call, as an endpoint that tells them would give
    // them: the mock's journal, joined by RequestId.
    let journal: Vec<(String, i64)> = mock
        .journal()
        .into_iter()
        .map(|e| (e.request_id, e.at_millis))
        .collect();
    for d in &shard_dirs {
        let mut file = ShardFile::read(d).unwrap();
        env::join_server_times(&mut file.calls, &journal);
        assert!(file.calls.iter().all(|c| c.server_ms.is_some()));
        file.write(d).unwrap();
    }
    let merged_dir = base.join("merged");
    let mut args = vec!["load".to_string(), "merge".to_string()];
    args.extend(shard_dirs.iter().map(|d| d.to_string_lossy().into_owned()));
    args.extend([
        "--report-dir".to_string(),
        merged_dir.to_string_lossy().into_owned(),
    ]);
    let out = harness_against(&mock, args).await;
    let merged = verdict_of(&merged_dir);
    // The exit status of a single run: 0 pass, 3 load not offered (1 would be a failure).
    let expected_exit = if offered(&merged) { 0 } else { 3 };
    assert_eq!(out.status.code(), Some(expected_exit), "{}", text(&out));
    assert!(
        text(&out).contains("DescribeOrganization"),
        "{}",
        text(&out)
    );
    holds_at_any_load(&merged, "merged");

    // One process, the same schedule, the same limiter.
    let case = Case::from_contract("DescribeOrganization", "2021-03-31")
        .unwrap()
        .with_limit(LIMIT);
    let single = conformance::run_rate_limit(&env, &case, RATE, SECONDS * 1000)
        .await
        .unwrap();
    let single = serde_json::to_value(&single.scenarios[0].verdicts[0]).unwrap();
    holds_at_any_load(&single, "single");

    assert_eq!(merged["scenario"], single["scenario"]);
    assert_eq!(merged["kind"], "over-limit");
    assert_eq!(merged["intended_rate"], single["intended_rate"]);
    if offered(&merged) && offered(&single) {
        for (v, what) in [(&merged, "merged"), (&single, "single")] {
            assert_eq!(v["status"], "pass", "{what}: {v:#}");
            assert_eq!(v["calls"], (RATE as u64) * SECONDS, "{what}");
            let per_second = v["accepted_per_second"].as_f64().unwrap();
            assert!(
                (per_second - LIMIT as f64).abs() <= ACCEPTED_PER_SECOND_TOLERANCE,
                "{what}: {per_second}"
            );
        }
    } else {
        eprintln!(
            "load not offered (merged: {}, single: {}): judged what holds at any load only",
            merged["load_shortfalls"], single["load_shortfalls"]
        );
    }
}

fn one_line_exit_2(out: &Output, needles: &[&str]) {
    let stderr = one_line_usage_error(out);
    for n in needles {
        assert!(stderr.contains(n), "{n}: {stderr}");
    }
}

#[test]
fn a_shard_that_cannot_run_as_asked_exits_2_in_one_line() {
    let shard = |extra: &[&str]| {
        let mut args = command_line(
            "load rate-limit --action DescribeOrganization --rate 10 --duration 1s",
            &[],
        );
        args.extend(strings(extra));
        harness(&args).output()
    };
    let soon = rfc3339(tco_scenarios::schedule::wall_ms() + 600_000);
    let at = ["--shard", "1/2", "--start-at", soon.as_str()];
    one_line_exit_2(&shard(&at), &["--shard needs --endpoint"]);
    let endpoint = ["--endpoint", "http://127.0.0.1:1"];
    let past = [
        &endpoint[..],
        &["--shard", "1/2", "--start-at", "2020-01-01T00:00:00Z"],
    ]
    .concat();
    one_line_exit_2(
        &shard(&past),
        &["--start-at 2020-01-01T00:00:00Z is in the past"],
    );
    let far = rfc3339(tco_scenarios::schedule::wall_ms() + 25 * 3600 * 1000);
    let far = [
        &endpoint[..],
        &["--shard", "1/2", "--start-at", far.as_str()],
    ]
    .concat();
    one_line_exit_2(&shard(&far), &["more than 24 h ahead"]);
    let garbled = [&endpoint[..], &["--shard", "1/2", "--start-at", "at noon"]].concat();
    one_line_exit_2(&shard(&garbled), &["not an RFC 3339 time"]);
    let bad_index = [
        &endpoint[..],
        &["--shard", "3/2", "--start-at", soon.as_str()],
    ]
    .concat();
    one_line_exit_2(&shard(&bad_index), &["I/N"]);
    let mutating = [
        &endpoint[..],
        &["--shard", "1/2", "--start-at", soon.as_str()],
        &["--allow-mutations"],
    ]
    .concat();
    one_line_exit_2(&shard(&mutating), &["--allow-mutations with --shard"]);
    // Each needs the other.
    one_line_exit_2(&shard(&["--shard", "1/2"]), &["--start-at"]);
    one_line_exit_2(&shard(&["--start-at", soon.as_str()]), &["--shard"]);
}

/// Two shard files of one run, written as shards write them.
fn shard_files(base: &Path) -> Vec<PathBuf> {
    use tco_scenarios::call::{Call, Key, Outcome};
    use tco_scenarios::shard::{ShardSpec, FORMAT};
    let key = Key::new("DescribeOrganization", "2021-03-31", "AKIDcli");
    (1..=2)
        .map(|i| {
            let d = base.join(format!("shard-{i}"));
            let calls = (0..5)
                .map(|k| {
                    let at = 1_700_000_000_000 + (2 * k + i as i64 - 1) * 100;
                    Call::synthetic(&key, at, Outcome::Accepted)
                })
                .collect();
            ShardFile {
                format: FORMAT,
                shard: ShardSpec { index: i, count: 2 },
                endpoint: "http://127.0.0.1:9000".into(),
                key: key.clone(),
                expected_limit: 20,
                rate: 10.0,
                duration_ms: 1000,
                start_at_ms: 1_700_000_000_000,
                planned_calls: 5,
                call_timeout_ms: 5000,
                calls,
            }
            .write(&d)
            .unwrap();
            d
        })
        .collect()
}

#[test]
fn merge_judges_shards_of_one_run_and_refuses_the_rest_in_one_line() {
    let scratch = Scratch::new();
    let base = scratch.join("merge-cli");
    let dirs = shard_files(&base);
    let merge = |dirs: &[PathBuf]| {
        harness(command_line("load merge", &[]))
            .args(dirs)
            .args(["--report-dir"])
            .args([base.join("merged")])
            .output()
    };
    // 10 calls at 10/s, 100 ms apart, all accepted under a limit of 20: a single run's pass.
    let out = merge(&dirs);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("pass"), "{}", text(&out));
    let v = verdict_of(&base.join("merged"));
    assert_eq!(
        (v["calls"].as_u64(), v["kind"].as_str()),
        (Some(10), Some("under-limit"))
    );
    assert!(base.join("merged/index.html").exists());

    one_line_exit_2(&merge(&dirs[..1]), &["1 of 2 shards given: missing 2/2"]);
    one_line_exit_2(
        &merge(&[dirs[0].clone(), dirs[0].clone()]),
        &["given twice"],
    );
    let mut other = ShardFile::read(&dirs[1]).unwrap();
    other.rate = 12.0;
    other.write(&dirs[1]).unwrap();
    one_line_exit_2(&merge(&dirs), &["not one run", "rate 10 vs 12"]);
    one_line_exit_2(&merge(&[base.join("nowhere")]), &["cannot read"]);
    let no_dirs = harness(command_line("load merge", &[])).output();
    assert_eq!(no_dirs.status.code(), Some(2));
}

/// A shard that gets ready too late to start on time sends nothing (rather than its whole
/// share at once) and says it did not offer it: exit 3. Started 1.5 s ahead, it cannot be
/// ready in time (it needs the settle time and goose's start); on a machine so slow that the
/// time has passed before the arguments are read, it is refused as in the past (exit 2).
#[tokio::test(flavor = "multi_thread")]
async fn a_shard_too_late_for_its_start_sends_nothing_and_exits_3() {
    let mock = Arc::new(MockServer::builder().journal_capacity(1_000).start().await);
    let env = Env::for_mock(mock.clone());
    env::ensure_organization(&env).await.unwrap();
    let before = mock.journal().len();
    let scratch = Scratch::new();
    let d = scratch.join("late");
    let start = rfc3339(tco_scenarios::schedule::wall_ms() + 1_500);
    let out = harness_against(
        &mock,
        command_line(
            "load rate-limit --action DescribeOrganization --rate 10 --duration 1s --endpoint",
            &[
                &mock.uri(),
                "--shard",
                "1/2",
                "--start-at",
                &start,
                "--report-dir",
                d.to_str().unwrap(),
            ],
        ),
    )
    .await;
    let t = text(&out);
    match out.status.code() {
        Some(3) => {
            assert!(t.contains("LOAD NOT OFFERED shard 1/2: not started"), "{t}");
            assert!(t.contains("0 of 5 calls recorded"), "{t}");
            let file = ShardFile::read(&d).unwrap();
            assert!(file.calls.is_empty());
            assert_eq!(file.planned_calls, 5);
        }
        Some(2) => assert!(t.contains("is in the past"), "{t}"),
        _ => panic!("{t}"),
    }
    // Nothing but the precondition's one call reached the endpoint.
    let after = mock.journal().len();
    assert!(after - before <= 1, "{} calls", after - before);
}
