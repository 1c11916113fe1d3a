//! What a run leaves behind, per scenario:
//!
//! ```text
//! <report dir>/<scenario>/goose.html, goose.json       goose's own reports (per-second graph data)
//! <report dir>/<scenario>/<action>-<version>[-<n>]/verdict.json, chart.svg
//! <report dir>/<scenario>/calls.csv                    every call: times, outcome, RequestId
//! <report dir>/summary.json, summary.txt               every scenario, and the table
//! <report dir>/junit.xml                               every verdict as a JUnit test case
//! ```
//!
//! Nothing written holds a secret: calls carry the SecretId (an identifier) and never a
//! header; goose runs without its request log, whose lines hold the `Authorization` header.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::call::{Call, Outcome};
use crate::verdict::{Status, Verdict};

/// One scenario's result: a verdict per key, and findings across keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub name: String,
    pub verdicts: Vec<Verdict>,
    /// Failures that belong to no single key (cross-talk, state changed by refused calls).
    pub violations: Vec<String>,
    /// Observations that are not failures (e.g. recovery times compared).
    pub notes: Vec<String>,
    /// Every verdict's status and the scenario's own violations together.
    pub status: Status,
    /// `status == Pass`.
    pub pass: bool,
    /// Where its reports are, when written.
    pub dir: Option<PathBuf>,
    /// From its first call leaving to its last answer, ms.
    #[serde(default)]
    pub elapsed_ms: u64,
    /// Parts of what the scenario is for that this run could not test (isolation across
    /// accounts with one account): shown as "not tested" in the table, JUnit and summaries,
    /// never as a pass. They do not fail the run.
    #[serde(default)]
    pub not_tested: Vec<Untested>,
}

/// A part of a scenario this run did not test, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Untested {
    /// E.g. `across accounts`.
    pub part: String,
    pub why: String,
}

impl std::fmt::Display for Untested {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} not tested: {}", self.part, self.why)
    }
}

impl ScenarioResult {
    pub fn new(name: impl Into<String>, verdicts: Vec<Verdict>) -> Self {
        let mut r = ScenarioResult {
            name: name.into(),
            verdicts,
            violations: Vec::new(),
            notes: Vec::new(),
            status: Status::Fail,
            pass: false,
            dir: None,
            elapsed_ms: 0,
            not_tested: Vec::new(),
        };
        r.settle();
        r
    }

    /// Recomputes `status` and `pass` after violations were added.
    pub fn settle(&mut self) {
        let own = if self.violations.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        };
        self.status =
            Status::combine(std::iter::once(own).chain(self.verdicts.iter().map(|v| v.status)));
        self.pass = self.status == Status::Pass;
    }

    /// Whether every key's load was offered as intended (see [`Verdict::offered_as_intended`]).
    pub fn offered_as_intended(&self) -> bool {
        self.verdicts.iter().all(Verdict::offered_as_intended)
    }

    /// Why the load of some key was not offered as intended, with the key each belongs to.
    pub fn load_shortfalls(&self) -> Vec<String> {
        self.verdicts
            .iter()
            .flat_map(|v| {
                v.load_shortfalls
                    .iter()
                    .map(move |s| format!("{} {} ({}): {s}", v.action, v.version, v.account))
            })
            .collect()
    }

    /// Every reason it failed, with the key each belongs to.
    pub fn all_violations(&self) -> Vec<String> {
        let mut out = self.violations.clone();
        for v in &self.verdicts {
            for s in &v.violations {
                out.push(format!("{} {} ({}): {s}", v.action, v.version, v.account));
            }
        }
        out
    }
}

/// A directory name from a label: letters, digits, `-`, `.`; the rest becomes `-`.
pub fn slug(label: &str) -> String {
    let s: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.trim_matches('-').to_string()
}

/// Writes one scenario's verdicts, charts and calls under `dir` (created).
pub fn write_scenario(dir: &Path, result: &ScenarioResult, calls: &[Call]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut used = std::collections::HashSet::new();
    for v in &result.verdicts {
        let mut name = slug(&format!("{}-{}", v.action, v.version));
        let mut i = 2;
        while !used.insert(name.clone()) {
            name = slug(&format!("{}-{}-{i}", v.action, v.version));
            i += 1;
        }
        let sub = dir.join(name);
        fs::create_dir_all(&sub)?;
        fs::write(sub.join("verdict.json"), to_json(v))?;
        fs::write(sub.join("chart.svg"), crate::chart::svg(v))?;
    }
    fs::write(dir.join("scenario.json"), to_json(result))?;
    write_calls(&dir.join("calls.csv"), calls)?;
    write_codes(&dir.join("codes.csv"), &result.verdicts)?;
    Ok(())
}

/// Calls per refusal code, one line per verdict: which layer refused how many of its calls.
pub fn write_codes(path: &Path, verdicts: &[Verdict]) -> std::io::Result<()> {
    let mut f = csv::Writer::from_path(path)?;
    let codes = crate::refusals::Refuser::ALL.iter().map(|r| r.code());
    f.write_record(
        ["action", "version", "account", "accepted"]
            .into_iter()
            .chain(codes)
            .chain(["other"]),
    )?;
    for v in verdicts {
        let c = &v.by_code;
        let counts = crate::refusals::Refuser::ALL
            .iter()
            .map(|&r| c.get(r).to_string());
        f.write_record(
            [
                v.action.clone(),
                v.version.clone(),
                v.account.clone(),
                v.accepted.to_string(),
            ]
            .into_iter()
            .chain(counts)
            .chain([c.other.to_string()]),
        )?;
    }
    f.flush()?;
    Ok(())
}

fn to_json<T: Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// Every call, one line each: what a person needs to follow one up with the server's logs.
pub fn write_calls(path: &Path, calls: &[Call]) -> std::io::Result<()> {
    let mut f = csv::Writer::from_path(path)?;
    f.write_record([
        "action",
        "version",
        "account",
        "phase",
        "sent_ms",
        "server_ms",
        "lag_us",
        "latency_us",
        "outcome",
        "code",
        "request_id",
    ])?;
    let mut sorted: Vec<&Call> = calls.iter().collect();
    sorted.sort_by_key(|c| c.sent_ms);
    for c in sorted {
        let (outcome, code) = match &c.outcome {
            Outcome::Accepted => ("accepted", String::new()),
            Outcome::Throttled => ("throttled", crate::call::THROTTLE_CODE.to_string()),
            Outcome::OtherError(code) => ("other_error", code.clone()),
            Outcome::Transport(kind) => ("transport", kind.clone()),
        };
        f.write_record([
            c.key.action.as_str(),
            &c.key.version,
            &c.key.account,
            &c.phase.to_string(),
            &c.sent_ms.to_string(),
            &c.server_ms.map(|t| t.to_string()).unwrap_or_default(),
            &c.lag_us.to_string(),
            &c.latency_us.to_string(),
            outcome,
            &code,
            c.request_id.as_deref().unwrap_or(""),
        ])?;
    }
    f.flush()?;
    Ok(())
}

/// The table `tco-harness load` prints: one row per verdict ([`crate::table`]).
pub fn table(results: &[ScenarioResult]) -> String {
    crate::table::render(results)
}

/// The whole run, for scripts: every scenario and the overall result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub endpoint: String,
    pub started_ms: i64,
    pub finished_ms: i64,
    pub scenarios: Vec<ScenarioResult>,
    /// Every scenario's status together.
    pub status: Status,
    /// `status == Pass`.
    pub pass: bool,
    pub report_dir: Option<PathBuf>,
    /// How long each call could take, ms (to name timeouts for what they are).
    #[serde(default)]
    pub call_timeout_ms: Option<u64>,
}

impl Summary {
    /// When every call of the run went unanswered (refused connection, DNS, TLS, timeout):
    /// how many, by kind. Such a run says nothing about the limiter; the endpoint is the
    /// problem. `None` when any call got an answer, or when there were no calls.
    pub fn unreachable(&self) -> Option<String> {
        let verdicts = || self.scenarios.iter().flat_map(|s| s.verdicts.iter());
        let calls: usize = verdicts().map(|v| v.calls).sum();
        let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
        for v in verdicts() {
            for (kind, n) in &v.transport_errors {
                *kinds.entry(kind.as_str()).or_insert(0) += n;
            }
        }
        let unanswered: usize = kinds.values().sum();
        if calls == 0 || unanswered < calls {
            return None;
        }
        if kinds.keys().all(|k| *k == "timeout") {
            let after = self
                .call_timeout_ms
                .map(|ms| {
                    format!(
                        " after {}",
                        tco_client::body::human_duration(std::time::Duration::from_millis(ms))
                    )
                })
                .unwrap_or_default();
            return Some(format!(
                "all {calls} calls timed out{after}: the server is slower than the call timeout, or does not answer (--timeout raises it)"
            ));
        }
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} x{n}")).collect();
        Some(format!(
            "all {calls} calls got no answer ({})",
            kinds.join(", ")
        ))
    }

    pub fn new(
        endpoint: impl Into<String>,
        started_ms: i64,
        scenarios: Vec<ScenarioResult>,
        report_dir: Option<PathBuf>,
    ) -> Self {
        let status = if scenarios.is_empty() {
            Status::Fail
        } else {
            Status::combine(scenarios.iter().map(|s| s.status))
        };
        Summary {
            endpoint: endpoint.into(),
            started_ms,
            finished_ms: crate::schedule::wall_ms(),
            scenarios,
            status,
            pass: status == Status::Pass,
            report_dir,
            call_timeout_ms: None,
        }
    }

    /// Records the call timeout the run used.
    pub fn with_call_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.call_timeout_ms = Some(timeout.as_millis() as u64);
        self
    }

    pub fn table(&self) -> String {
        table(&self.scenarios)
    }

    /// Every failure, one per line.
    pub fn failures(&self) -> Vec<String> {
        self.scenarios
            .iter()
            .flat_map(|s| {
                s.all_violations()
                    .into_iter()
                    .map(move |v| format!("{}: {v}", s.name))
            })
            .collect()
    }

    /// Every reason the load was not offered as intended, one per line.
    pub fn load_shortfalls(&self) -> Vec<String> {
        self.scenarios
            .iter()
            .flat_map(|s| {
                s.load_shortfalls()
                    .into_iter()
                    .map(move |v| format!("{}: {v}", s.name))
            })
            .collect()
    }

    /// Every part of a scenario the run did not test, one per line (`isolation across
    /// accounts not tested: ...`).
    pub fn not_tested(&self) -> Vec<String> {
        self.scenarios
            .iter()
            .flat_map(|s| s.not_tested.iter().map(move |u| format!("{} {u}", s.name)))
            .collect()
    }

    /// `summary.json` and `summary.txt` in `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        fs::write(dir.join("summary.json"), to_json(self))?;
        let mut text = self.table();
        let failures = self.failures();
        if !failures.is_empty() {
            text.push_str("\nfailures:\n");
            for f in failures {
                text.push_str("  ");
                text.push_str(&f);
                text.push('\n');
            }
        }
        let shortfalls = self.load_shortfalls();
        if !shortfalls.is_empty() {
            text.push_str("\nload not offered as intended (nothing judged that needs it):\n");
            for f in shortfalls {
                text.push_str("  ");
                text.push_str(&f);
                text.push('\n');
            }
        }
        text.push_str("\nrefused, by code:\n");
        for scenario in &self.scenarios {
            let mut counts = crate::refusals::RefusalCounts::default();
            for v in &scenario.verdicts {
                counts.add(&v.by_code);
            }
            text.push_str(&format!("  {}: {}\n", scenario.name, counts.line()));
        }
        let untested = self.not_tested();
        if !untested.is_empty() {
            text.push_str("\nnot tested (neither passed nor failed):\n");
            for u in untested {
                text.push_str("  ");
                text.push_str(&u);
                text.push('\n');
            }
        }
        let notes: Vec<String> = self
            .scenarios
            .iter()
            .flat_map(|s| s.notes.iter().map(move |n| format!("{}: {n}", s.name)))
            .collect();
        if !notes.is_empty() {
            text.push_str("\nnotes:\n");
            for n in notes {
                text.push_str("  ");
                text.push_str(&n);
                text.push('\n');
            }
        }
        fs::write(dir.join("summary.txt"), text)?;
        fs::write(dir.join("junit.xml"), crate::junit::render(self))
    }
}

/// Files under `dir` (recursively) that contain `needle`: the redaction check.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = fs::read(&path) {
                if !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
                {
                    hits.push(path);
                }
            }
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Key;
    use crate::verdict::{Expectation, ScenarioKind};

    #[test]
    fn writes_verdicts_charts_and_calls_without_secrets() {
        let dir = std::env::temp_dir().join(format!("tco-report-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let key = Key::new("DescribeOrganization", "2021-03-31", "AKIDpublic");
        let calls: Vec<Call> = (0..10)
            .map(|k| Call::synthetic(&key, 1_700_000_000_000 + k * 100, Outcome::Accepted))
            .collect();
        let e = Expectation::steady("under-limit 0.5x", ScenarioKind::UnderLimit, 20, 10.0, 1000);
        let v = crate::Verdict::compute(&key, &calls, &e);
        let result = ScenarioResult::new("under-limit 0.5x", vec![v]);
        write_scenario(&dir.join("under-limit"), &result, &calls).unwrap();
        let summary = Summary::new("mock", 0, vec![result], Some(dir.clone()));
        summary.write(&dir).unwrap();
        let verdict: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(
                dir.join("under-limit/DescribeOrganization-2021-03-31/verdict.json"),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(verdict["pass"], true);
        assert!(dir
            .join("under-limit/DescribeOrganization-2021-03-31/chart.svg")
            .exists());
        assert_eq!(
            fs::read_to_string(dir.join("under-limit/calls.csv"))
                .unwrap()
                .lines()
                .count(),
            11
        );
        assert!(fs::read_to_string(dir.join("summary.txt"))
            .unwrap()
            .contains("under-limit 0.5x"));
        assert_eq!(
            fs::read_to_string(dir.join("under-limit/codes.csv")).unwrap(),
            "action,version,account,accepted,RequestLimitExceeded,RequestLimitExceeded.UinLimitExceeded,RequestLimitExceeded.GlobalRegionUinLimitExceeded,RequestLimitExceeded.IPLimitExceeded,other\n\
             DescribeOrganization,2021-03-31,AKIDpublic,10,0,0,0,0,0\n"
        );
        assert!(fs::read_to_string(dir.join("summary.txt"))
            .unwrap()
            .contains("under-limit 0.5x: RequestLimitExceeded 0, .UinLimitExceeded 0"));
        assert!(files_containing(&dir, "AKIDpublic").len() >= 2);
        assert!(files_containing(&dir, "no-such-secret").is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    /// The CSV files keep the format they had when written by hand (RFC 4180): a header, then
    /// one line per row, `\n` after each; a field with a comma or a quote is quoted, its quotes
    /// doubled; an absent value is an empty field.
    #[test]
    fn calls_csv_keeps_its_format_with_a_comma_and_a_quote_in_a_field() {
        let dir = std::env::temp_dir().join(format!("tco-report-csv-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let key = Key::new("DescribeOrganization", "2021-03-31", "AKID,\"quoted\"");
        let mut throttled = Call::synthetic(&key, 1_700_000_000_100, Outcome::Throttled);
        throttled.request_id = Some("req-2".into());
        throttled.server_ms = Some(1_700_000_000_105);
        let calls = vec![
            throttled,
            Call::synthetic(&key, 1_700_000_000_000, Outcome::Accepted),
        ];
        write_calls(&dir.join("calls.csv"), &calls).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("calls.csv")).unwrap(),
            "action,version,account,phase,sent_ms,server_ms,lag_us,latency_us,outcome,code,request_id\n\
             DescribeOrganization,2021-03-31,\"AKID,\"\"quoted\"\"\",0,1700000000000,,0,1000,accepted,,\n\
             DescribeOrganization,2021-03-31,\"AKID,\"\"quoted\"\"\",0,1700000000100,1700000000105,0,1000,throttled,RequestLimitExceeded,req-2\n"
        );
        let e = Expectation::steady("rate-limit", ScenarioKind::UnderLimit, 20, 10.0, 1000);
        let v = crate::Verdict::compute(&key, &calls, &e);
        write_codes(&dir.join("codes.csv"), &[v]).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("codes.csv")).unwrap(),
            "action,version,account,accepted,RequestLimitExceeded,RequestLimitExceeded.UinLimitExceeded,RequestLimitExceeded.GlobalRegionUinLimitExceeded,RequestLimitExceeded.IPLimitExceeded,other\n\
             DescribeOrganization,2021-03-31,\"AKID,\"\"quoted\"\"\",1,1,0,0,0,0\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_run_whose_every_call_timed_out_says_so_with_the_timeout() {
        let key = Key::new("DescribeOrganization", "2021-03-31", "AKIDslow");
        let calls: Vec<Call> = (0..100)
            .map(|k| {
                let o = Outcome::Transport("timeout".into());
                Call::synthetic(&key, 1_700_000_000_000 + k * 10, o)
            })
            .collect();
        let e = Expectation::steady("rate-limit", ScenarioKind::UnderLimit, 40, 100.0, 1000);
        let v = crate::Verdict::compute(&key, &calls, &e);
        let summary = Summary::new(
            "http://slow",
            0,
            vec![ScenarioResult::new("r", vec![v])],
            None,
        )
        .with_call_timeout(std::time::Duration::from_secs(5));
        assert_eq!(
            summary.unreachable().unwrap(),
            "all 100 calls timed out after 5 s: the server is slower than the call timeout, or does not answer (--timeout raises it)"
        );
    }

    #[test]
    fn slugs_are_path_safe() {
        assert_eq!(slug("over-limit 1.5x"), "over-limit-1.5x");
        assert_eq!(slug("a/b\\c"), "a-b-c");
    }
}
