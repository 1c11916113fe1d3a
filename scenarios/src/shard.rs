//! One shard of a rate-limit run, for loads larger than one machine (a per-IP or main-account
//! limit needs several sources). The open-model schedule of a single run at `rate` is split
//! by arrival index: shard `I` of `N` sends the arrivals whose index is `I mod N`, so the
//! shards together send exactly the single run's arrivals, each once. Every shard starts at
//! the same wall-clock instant, records its raw calls in [`SHARD_FILE`], and judges nothing
//! about the limit: only [`crate::merge`], on the union of every shard's calls, does.
//!
//! `shard.json` (one per shard's report directory):
//!
//! ```text
//! format          1
//! shard           {"index": I, "count": N}          I in 1..=N
//! endpoint        the endpoint's label (scheme, host, port)
//! key             {"action", "version", "account"}  account: the SecretId (an identifier)
//! expected_limit  N per second that should pass
//! rate            the whole run's rate, per second (all shards together)
//! duration_ms     the whole run's length
//! start_at_ms     the agreed start, Unix ms (the first arrival leaves a few ms after it)
//! planned_calls   this shard's arrivals
//! call_timeout_ms how long one call could take
//! calls           every call: sent_ms (this machine's clock), server_ms (the server's
//!                 arrival time when it tells, else null), lag_us, latency_us, outcome and
//!                 code, request_id
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::call::{Call, Key};
use crate::conformance::{rate_limit_name, rate_limit_options};
use crate::env::{self, Case, Env};
use crate::report::{ScenarioResult, Summary};
use crate::schedule::{wall_ms, Schedule};
use crate::verdict::{Expectation, ScenarioKind, Verdict};
use crate::LoadError;

/// The file a shard writes in its report directory.
pub const SHARD_FILE: &str = "shard.json";
/// The version of [`ShardFile`]'s layout.
pub const FORMAT: u32 = 1;
/// The most shards a run may have.
pub const MAX_SHARDS: u32 = 1000;
/// A shard gets ready (checks, goose's users) in this long before the start; one that cannot
/// start this far ahead sends nothing rather than its whole share at once.
pub const READY_MS: i64 = 1500;

/// Shard `index` of `count`, `index` in `1..=count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ShardSpec {
    pub index: u32,
    pub count: u32,
}

impl ShardSpec {
    /// `I/N`, as `--shard` takes it.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad =
            || format!("--shard {s:?} must be I/N with 1 <= I <= N <= {MAX_SHARDS}, e.g. 2/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count || count > MAX_SHARDS {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }

    /// Whether arrival `k` (0-based, of the whole schedule) is this shard's.
    pub fn takes(&self, k: usize) -> bool {
        k % self.count as usize == self.index as usize % self.count as usize
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// This shard's arrivals of `whole`, at their times in the whole schedule.
pub fn split(whole: &Schedule, shard: ShardSpec) -> Schedule {
    Schedule::from_slots(
        whole
            .slots()
            .iter()
            .enumerate()
            .filter(|(k, _)| shard.takes(*k))
            .map(|(_, s)| *s)
            .collect(),
    )
}

/// What a shard leaves for the merge: see the module's documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardFile {
    pub format: u32,
    pub shard: ShardSpec,
    pub endpoint: String,
    pub key: Key,
    pub expected_limit: u32,
    pub rate: f64,
    pub duration_ms: u64,
    pub start_at_ms: i64,
    pub planned_calls: usize,
    pub call_timeout_ms: u64,
    pub calls: Vec<Call>,
}

impl ShardFile {
    /// Reads `dir/shard.json`.
    pub fn read(dir: &Path) -> Result<Self, String> {
        let path = dir.join(SHARD_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: ShardFile = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a shard file: {e}", path.display()))?;
        if file.format != FORMAT {
            return Err(format!(
                "{} has format {}, this harness reads {FORMAT}",
                path.display(),
                file.format
            ));
        }
        Ok(file)
    }

    /// Writes `dir/shard.json` (the directory created).
    pub fn write(&self, dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(SHARD_FILE);
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(&path, text)?;
        Ok(path)
    }
}

/// How a shard went: it says nothing about the limit.
#[derive(Debug)]
pub struct ShardRun {
    pub file: ShardFile,
    /// Where `shard.json` is, when the env has a report directory.
    pub path: Option<PathBuf>,
    /// Why this shard did not offer its share as scheduled; empty when it did.
    pub shortfalls: Vec<String>,
    /// Set when no call got an answer (the endpoint, not the limit, is the problem).
    pub unreachable: Option<String>,
}

/// A run at `rate` for `duration_ms` of which this process sends `shard`'s share, starting
/// at `start_at_ms` (Unix ms) however long it has to wait for it.
pub async fn run_shard(
    env: &Env,
    case: &Case,
    rate: f64,
    duration_ms: u64,
    shard: ShardSpec,
    start_at_ms: i64,
) -> Result<ShardRun, LoadError> {
    let name = rate_limit_name(rate);
    let creds = env
        .credentials(0)
        .ok_or_else(|| LoadError::Usage("no credentials".into()))?;
    let mine = split(&Schedule::steady(rate, duration_ms), shard);
    let times = mine.times_ms();
    let mut options = rate_limit_options(rate);
    // The same alignment as a single run: the first arrival a few ms past the agreed instant.
    let first_ms = start_at_ms + options.align_offset_ms.take().unwrap_or(0);
    options.start_at_ms = Some(first_ms);
    let ready_by = first_ms - READY_MS - env.settle.as_millis() as i64;
    wait_until(ready_by).await;
    let late = wall_ms() - ready_by;
    let calls = if late > READY_MS / 2 {
        // Too late to start on time: sending now would bunch the whole share up.
        Vec::new()
    } else {
        let stream = case.stream(creds, mine);
        env::execute(env, &name, vec![stream], options).await?.calls
    };
    let file = ShardFile {
        format: FORMAT,
        shard,
        endpoint: env.label.clone(),
        key: case.key(creds),
        expected_limit: case.limit,
        rate,
        duration_ms,
        start_at_ms,
        planned_calls: times.len(),
        call_timeout_ms: env.call_timeout.as_millis() as u64,
        calls,
    };
    let mut shortfalls = own_share_shortfalls(&file, &times);
    if file.calls.is_empty() && !times.is_empty() {
        shortfalls.insert(
            0,
            format!("not started: ready {late} ms later than a start at --start-at needs"),
        );
    }
    let unreachable = unreachable(&file, &times, env.call_timeout);
    let path = match &env.report_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            crate::report::write_calls(&dir.join("calls.csv"), &file.calls)?;
            Some(file.write(dir)?)
        }
        None => None,
    };
    Ok(ShardRun {
        file,
        path,
        shortfalls,
        unreachable,
    })
}

/// The verdict's own check of the offered load, on this shard's share alone (its rate,
/// its slots); the rest of that verdict is about a partial load and is dropped.
fn share_verdict(file: &ShardFile, times: &[f64]) -> Verdict {
    let e = Expectation::from_slots(
        "shard",
        ScenarioKind::UnderLimit,
        file.expected_limit,
        times,
    );
    Verdict::compute(&file.key, &file.calls, &e)
}

fn own_share_shortfalls(file: &ShardFile, times: &[f64]) -> Vec<String> {
    if times.is_empty() {
        return Vec::new();
    }
    share_verdict(file, times).load_shortfalls
}

fn unreachable(file: &ShardFile, times: &[f64], timeout: Duration) -> Option<String> {
    if file.calls.is_empty() {
        return None;
    }
    let result = ScenarioResult::new("shard", vec![share_verdict(file, times)]);
    Summary::new(&file.endpoint, file.start_at_ms, vec![result], None)
        .with_call_timeout(timeout)
        .unreachable()
}

/// Sleeps until the wall clock reads `at_ms`, in steps, so a clock that is adjusted while
/// waiting (NTP) is followed.
async fn wait_until(at_ms: i64) {
    loop {
        let left = at_ms - wall_ms();
        if left <= 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(left.min(30_000) as u64)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_specs_parse_and_refuse() {
        assert_eq!(
            ShardSpec::parse("2/4").unwrap(),
            ShardSpec { index: 2, count: 4 }
        );
        assert_eq!(ShardSpec::parse("1/1").unwrap().to_string(), "1/1");
        for bad in ["0/4", "5/4", "4", "a/4", "2/b", "1/1001", "-1/4", "/", ""] {
            let e = ShardSpec::parse(bad).unwrap_err();
            assert!(e.contains("I/N"), "{bad}: {e}");
        }
    }

    #[test]
    fn shards_split_a_schedule_into_disjoint_parts_whose_union_is_the_whole() {
        for (rate, ms, n) in [
            (20.0, 3000, 4),
            (7.0, 2000, 3),
            (5.0, 1000, 1),
            (3.0, 1000, 8),
        ] {
            let whole = Schedule::steady(rate, ms);
            let mut union: Vec<f64> = Vec::new();
            let mut sizes = Vec::new();
            for i in 1..=n {
                let part = split(&whole, ShardSpec { index: i, count: n });
                sizes.push(part.len());
                union.extend(part.times_ms());
            }
            // Disjoint and complete: as many slots as the whole, and the same ones.
            assert_eq!(union.len(), whole.len(), "{rate} {ms} {n}");
            union.sort_by(f64::total_cmp);
            assert_eq!(union, whole.times_ms(), "{rate} {ms} {n}");
            // Even: no shard has more than one arrival more than another.
            let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(hi - lo <= 1, "{sizes:?}");
        }
    }

    #[test]
    fn each_shard_takes_every_nth_arrival() {
        // 10/s for 1 s: arrivals at 0, 100, ... 900 ms; shard 2/4 takes indexes 2 and 6 (≡ 2
        // mod 4), shard 4/4 indexes 0, 4, 8 (≡ 0).
        let whole = Schedule::steady(10.0, 1000);
        let two = split(&whole, ShardSpec { index: 2, count: 4 });
        assert_eq!(two.times_ms(), vec![200.0, 600.0]);
        let four = split(&whole, ShardSpec { index: 4, count: 4 });
        assert_eq!(four.times_ms(), vec![0.0, 400.0, 800.0]);
    }

    #[test]
    fn a_shard_that_held_its_slots_has_no_shortfall_and_one_that_sent_half_has() {
        let key = Key::new("DescribeOrganization", "2021-03-31", "AKIDshard");
        let mine = split(
            &Schedule::steady(20.0, 2000),
            ShardSpec { index: 1, count: 4 },
        );
        let times = mine.times_ms();
        let start = 1_700_000_000_000;
        let calls: Vec<Call> = times
            .iter()
            .map(|t| Call::synthetic(&key, start + *t as i64, crate::Outcome::Accepted))
            .collect();
        let mut file = ShardFile {
            format: FORMAT,
            shard: ShardSpec { index: 1, count: 4 },
            endpoint: "http://x".into(),
            key,
            expected_limit: 20,
            rate: 20.0,
            duration_ms: 2000,
            start_at_ms: start,
            planned_calls: times.len(),
            call_timeout_ms: 5000,
            calls,
        };
        assert!(own_share_shortfalls(&file, &times).is_empty());
        file.calls.truncate(times.len() / 2);
        assert!(!own_share_shortfalls(&file, &times).is_empty());
    }

    #[test]
    fn shard_files_round_trip_and_other_formats_are_refused() {
        let dir = std::env::temp_dir().join(format!("tco-shard-file-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = ShardFile {
            format: FORMAT,
            shard: ShardSpec { index: 3, count: 4 },
            endpoint: "http://127.0.0.1:9000".into(),
            key: Key::new("ListOrganizationNodes", "2018-12-25", "AKIDx"),
            expected_limit: 20,
            rate: 30.0,
            duration_ms: 2000,
            start_at_ms: 1_700_000_000_000,
            planned_calls: 15,
            call_timeout_ms: 5000,
            calls: Vec::new(),
        };
        file.write(&dir).unwrap();
        assert_eq!(ShardFile::read(&dir).unwrap(), file);
        let text = std::fs::read_to_string(dir.join(SHARD_FILE)).unwrap();
        std::fs::write(
            dir.join(SHARD_FILE),
            text.replace("\"format\": 1", "\"format\": 9"),
        )
        .unwrap();
        assert!(ShardFile::read(&dir).unwrap_err().contains("format 9"));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(ShardFile::read(&dir).unwrap_err().contains("cannot read"));
    }
}
