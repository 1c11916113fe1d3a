//! What a run found: one case per (action, version, check), the violations and warnings behind
//! them, and three renderings: a terminal summary, a JSON report and JUnit XML.
//!
//! Everything is sorted (version, action, check, detail), so two runs over the same behaviour
//! render the same text whatever order the probes finished in.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// The pseudo-action of checks that concern the service rather than one action (an unknown
/// action name).
pub const SERVICE: &str = "*";

/// `1 violation`, `2 violations`: a count with its noun in agreement (the nouns used here all
/// take an `s`).
pub fn counted(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The verdict of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    /// Passed, with something worth a look (additive drift).
    Warned,
    Failed,
}

/// One violation or warning.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// The action name, or `*` for checks of the service as a whole.
    pub action: String,
    /// The API version the request named.
    pub version: String,
    /// The check's stable name, e.g. `response-shape` or `bad-signature.v1`.
    pub check: String,
    /// What was wrong, with the JSON path where there is one.
    pub detail: String,
    /// The `RequestId` of the response that showed it, when it had a usable one.
    pub request_id: Option<String>,
}

/// One check of one action: what the JUnit report calls a test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    pub action: String,
    pub version: String,
    pub check: String,
    pub status: Status,
    /// How many responses (or flows, bursts) the check judged.
    pub observations: u32,
    /// The time the answers it judged took, summed (JUnit's `time`).
    #[serde(skip)]
    pub time: std::time::Duration,
}

/// An action the run left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    pub action: String,
    pub version: String,
    pub reason: String,
}

/// Something a check needs of the target that the target does not have (an account outside
/// any organization, for the flows that create one): the check did not run. Not a violation:
/// the contract says nothing about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Precondition {
    /// The check that did not run, e.g. `flow.organization`.
    pub check: String,
    /// What it needs and what the target has.
    pub detail: String,
}

/// Where the endpoint and the mock answered the same probe differently (`--compare-mock`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Difference {
    pub action: String,
    pub version: String,
    /// The probe, named like its check.
    pub probe: String,
    /// What differed, e.g. `endpoint answered ResourceNotFound, mock answered success`.
    pub detail: String,
}

/// Per-action totals, as the terminal summary shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionSummary {
    pub action: String,
    pub version: String,
    pub passed: u32,
    pub failed: u32,
    pub warned: u32,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Actions checked (the service-level `*` rows not counted).
    pub actions: u32,
    pub cases: u32,
    pub passed: u32,
    pub failed: u32,
    pub warned: u32,
    pub violations: u32,
    pub warnings: u32,
    pub skipped: u32,
    pub differences: u32,
    pub requests: u64,
}

/// The result of a contract run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// `mock (in-process)` or the endpoint URL.
    pub target: String,
    pub cases: Vec<Case>,
    pub violations: Vec<Finding>,
    pub warnings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    /// Checks that did not run because the target lacks what they need.
    pub preconditions: Vec<Precondition>,
    pub differences: Vec<Difference>,
    /// Requests sent, retries after throttling included.
    pub requests: u64,
    /// How long the run took.
    pub elapsed: std::time::Duration,
}

/// The JSON report's layout.
#[derive(Serialize)]
struct JsonReport<'a> {
    target: &'a str,
    passed: bool,
    counts: Counts,
    violations: &'a [Finding],
    warnings: &'a [Finding],
    skipped: &'a [Skipped],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    preconditions: &'a [Precondition],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    differences: &'a [Difference],
    actions: Vec<ActionSummary>,
}

impl Report {
    /// No violation and no difference from the mock.
    pub fn passed(&self) -> bool {
        self.violations.is_empty() && self.differences.is_empty()
    }

    pub fn counts(&self) -> Counts {
        let count = |s: Status| self.cases.iter().filter(|c| c.status == s).count() as u32;
        Counts {
            actions: self
                .actions()
                .iter()
                .filter(|a| a.action != SERVICE)
                .count() as u32,
            cases: self.cases.len() as u32,
            passed: count(Status::Passed),
            failed: count(Status::Failed),
            warned: count(Status::Warned),
            violations: self.violations.len() as u32,
            warnings: self.warnings.len() as u32,
            skipped: self.skipped.len() as u32,
            differences: self.differences.len() as u32,
            requests: self.requests,
        }
    }

    /// Per-action totals, in version then action order.
    pub fn actions(&self) -> Vec<ActionSummary> {
        let mut by_action: BTreeMap<(&str, &str), ActionSummary> = BTreeMap::new();
        for case in &self.cases {
            let entry = by_action
                .entry((case.version.as_str(), case.action.as_str()))
                .or_insert_with(|| ActionSummary {
                    action: case.action.clone(),
                    version: case.version.clone(),
                    passed: 0,
                    failed: 0,
                    warned: 0,
                });
            match case.status {
                Status::Passed => entry.passed += 1,
                Status::Failed => entry.failed += 1,
                Status::Warned => entry.warned += 1,
            }
        }
        by_action.into_values().collect()
    }

    /// The violations of one check (handy in tests).
    pub fn violations_of<'a>(&'a self, check: &'a str) -> impl Iterator<Item = &'a Finding> {
        self.violations.iter().filter(move |v| v.check == check)
    }

    /// The JSON report: `violations` (each `{action, version, check, detail, request_id}`),
    /// `warnings`, `skipped`, `counts` and per-action totals.
    pub fn to_json(&self) -> serde_json::Value {
        let report = JsonReport {
            target: &self.target,
            passed: self.passed(),
            counts: self.counts(),
            violations: &self.violations,
            warnings: &self.warnings,
            skipped: &self.skipped,
            preconditions: &self.preconditions,
            differences: &self.differences,
            actions: self.actions(),
        };
        serde_json::to_value(report).expect("a report always serializes")
    }

    /// The terminal summary: a table of checks per action, then every violation, warning and
    /// difference on its own line, then the totals.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let counts = self.counts();
        let _ = writeln!(
            out,
            "contract suite against {}: actions {}, requests {}",
            self.target, counts.actions, counts.requests
        );
        let actions = self.actions();
        let width = actions
            .iter()
            .map(|a| a.action.len())
            .max()
            .unwrap_or(6)
            .max(6);
        let _ = writeln!(
            out,
            "{:<10}  {:<width$}  {:>6}  {:>6}  {:>6}",
            "VERSION", "ACTION", "PASSED", "FAILED", "WARNED"
        );
        for a in &actions {
            let _ = writeln!(
                out,
                "{:<10}  {:<width$}  {:>6}  {:>6}  {:>6}",
                a.version, a.action, a.passed, a.failed, a.warned
            );
        }
        let sections = [
            ("violations", &self.violations),
            ("warnings", &self.warnings),
        ];
        for (title, findings) in sections {
            if findings.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title} ({}):", findings.len());
            // The same finding from several answers is one line, with a count and the first
            // answer's RequestId (the JSON report lists each).
            let mut i = 0;
            while i < findings.len() {
                let f = &findings[i];
                let same = findings[i..]
                    .iter()
                    .take_while(|g| {
                        (&g.version, &g.action, &g.check, &g.detail)
                            == (&f.version, &f.action, &f.check, &f.detail)
                    })
                    .count();
                let _ = write!(
                    out,
                    "  {} {} {}: {}",
                    f.version, f.action, f.check, f.detail
                );
                if same > 1 {
                    let _ = write!(out, " (x{same})");
                }
                if let Some(id) = &f.request_id {
                    let _ = write!(out, " [RequestId {id}]");
                }
                out.push('\n');
                i += same;
            }
        }
        if !self.differences.is_empty() {
            let _ = writeln!(
                out,
                "\ndifferences from the mock ({}):",
                self.differences.len()
            );
            for d in &self.differences {
                let _ = writeln!(
                    out,
                    "  {} {} {}: {}",
                    d.version, d.action, d.probe, d.detail
                );
            }
        }
        if !self.preconditions.is_empty() {
            let _ = writeln!(
                out,
                "\nnot run: {} not met (not violations):",
                counted(self.preconditions.len() as u64, "precondition")
            );
            for p in &self.preconditions {
                let _ = writeln!(out, "  {}: {}", p.check, p.detail);
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(
                out,
                "\nskipped {} (read-only run; --allow-mutations runs them)",
                counted(self.skipped.len() as u64, "action")
            );
        }
        let _ = writeln!(
            out,
            "\n{}: {} passed, {} failed, {} warned; {}, {}{}",
            if self.passed() { "PASS" } else { "FAIL" },
            counted(counts.passed, "check"),
            counts.failed,
            counts.warned,
            counted(counts.violations, "violation"),
            counted(counts.warnings, "warning"),
            if self.differences.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} from the mock",
                    counted(counts.differences, "difference")
                )
            }
        );
        out
    }

    /// JUnit XML: a test suite per API version, a test case per action and check (its class
    /// name `<version>.<Action>`), a skipped case per action left out. Warnings go to the
    /// case's `system-out`.
    pub fn to_junit(&self) -> String {
        use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

        let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
        let suite_for = |suites: &mut BTreeMap<&str, TestSuite>, version: &'static str| {
            suites
                .entry(version)
                .or_insert_with(|| TestSuite::new(format!("tco-contract organization {version}")));
        };
        for case in &self.cases {
            let version = leak_version(&case.version);
            suite_for(&mut suites, version);
            let details = |list: &[Finding]| {
                list.iter()
                    .filter(|f| {
                        f.action == case.action
                            && f.version == case.version
                            && f.check == case.check
                    })
                    .map(|f| match &f.request_id {
                        Some(id) => format!("{} [RequestId {id}]", f.detail),
                        None => f.detail.clone(),
                    })
                    .collect::<Vec<_>>()
            };
            let status = match case.status {
                Status::Failed => {
                    let found = details(&self.violations);
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_message(found.first().cloned().unwrap_or_default())
                        .set_type(case.check.clone())
                        .set_description(found.join("\n"));
                    status
                }
                _ => TestCaseStatus::success(),
            };
            let mut tc = TestCase::new(format!("{} {}", case.action, case.check), status);
            tc.set_classname(format!("{}.{}", case.version, case.action))
                .set_assertions(case.observations as usize)
                .set_time(case.time);
            if case.status == Status::Warned {
                tc.set_system_out(details(&self.warnings).join("\n"));
            }
            suites
                .get_mut(version)
                .expect("suite created above")
                .add_test_case(tc);
        }
        for skip in &self.skipped {
            let version = leak_version(&skip.version);
            suite_for(&mut suites, version);
            let mut status = TestCaseStatus::skipped();
            status.set_message(skip.reason.clone());
            let mut tc = TestCase::new(format!("{} (all checks)", skip.action), status);
            tc.set_classname(format!("{}.{}", skip.version, skip.action));
            suites
                .get_mut(version)
                .expect("suite created above")
                .add_test_case(tc);
        }
        for p in &self.preconditions {
            let version = "other";
            suite_for(&mut suites, version);
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!("precondition not met: {}", p.detail));
            let mut tc = TestCase::new(p.check.clone(), status);
            tc.set_classname("preconditions");
            suites
                .get_mut(version)
                .expect("suite created above")
                .add_test_case(tc);
        }
        let mut report = quick_junit::Report::new("tco-contract");
        for suite in suites.values_mut() {
            let time = suite.test_cases.iter().filter_map(|c| c.time).sum();
            suite.set_time(time);
        }
        report.set_time(self.elapsed);
        report.add_test_suites(suites.into_values());
        report.to_string().expect("JUnit XML always serializes")
    }
}

/// Versions as `'static` keys (the two known, or the odd one an unknown-version probe names).
fn leak_version(version: &str) -> &'static str {
    match version {
        "2018-12-25" => "2018-12-25",
        "2021-03-31" => "2021-03-31",
        _ => "other",
    }
}

/// Collects observations while a run goes on; turned into a [`Report`] at the end.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    cases: BTreeMap<(String, String, String), (Status, u32, std::time::Duration)>,
    violations: Vec<Finding>,
    warnings: Vec<Finding>,
    skipped: Vec<Skipped>,
    preconditions: Vec<Precondition>,
    differences: Vec<Difference>,
}

/// One judgement of one check: what the checks in [`crate::checks`] return. Not called
/// `Verdict`: that is `tco_scenarios::Verdict`, a whole load scenario's, which a user of both
/// crates imports beside this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Pass,
    Fail(String),
    Warn(String),
}

impl Recorder {
    pub fn record(
        &mut self,
        action: &str,
        version: &str,
        check: &str,
        verdict: Judgement,
        request_id: Option<&str>,
    ) {
        let key = (version.to_owned(), action.to_owned(), check.to_owned());
        let entry = self
            .cases
            .entry(key)
            .or_insert((Status::Passed, 0, std::time::Duration::ZERO));
        entry.1 += 1;
        let finding = |detail: String| Finding {
            action: action.to_owned(),
            version: version.to_owned(),
            check: check.to_owned(),
            detail,
            request_id: request_id.map(str::to_owned),
        };
        match verdict {
            Judgement::Pass => {}
            Judgement::Fail(detail) => {
                entry.0 = entry.0.max(Status::Failed);
                self.violations.push(finding(detail));
            }
            Judgement::Warn(detail) => {
                entry.0 = entry.0.max(Status::Warned);
                self.warnings.push(finding(detail));
            }
        }
    }

    /// Adds the time an answer took to the check that judged it.
    pub fn add_time(
        &mut self,
        action: &str,
        version: &str,
        check: &str,
        time: std::time::Duration,
    ) {
        let key = (version.to_owned(), action.to_owned(), check.to_owned());
        if let Some(entry) = self.cases.get_mut(&key) {
            entry.2 += time;
        }
    }

    /// Whether the check has been made on the action and has passed every time so far.
    #[cfg(feature = "mock")]
    pub fn has_passed(&self, action: &str, version: &str, check: &str) -> bool {
        let key = (version.to_owned(), action.to_owned(), check.to_owned());
        self.cases
            .get(&key)
            .is_some_and(|(status, _, _)| *status == Status::Passed)
    }

    pub fn skip(&mut self, action: &str, version: &str, reason: &str) {
        self.skipped.push(Skipped {
            action: action.to_owned(),
            version: version.to_owned(),
            reason: reason.to_owned(),
        });
    }

    pub fn precondition(&mut self, check: &str, detail: String) {
        self.preconditions.push(Precondition {
            check: check.to_owned(),
            detail,
        });
    }

    pub fn differ(&mut self, diff: Difference) {
        self.differences.push(diff);
    }

    pub fn finish(self, target: String, requests: u64) -> Report {
        let mut violations = self.violations;
        let mut warnings = self.warnings;
        let mut skipped = self.skipped;
        let mut preconditions = self.preconditions;
        let mut differences = self.differences;
        let order = |f: &Finding| {
            (
                f.version.clone(),
                f.action.clone(),
                f.check.clone(),
                f.detail.clone(),
                f.request_id.clone(),
            )
        };
        violations.sort_by_key(order);
        violations.dedup();
        warnings.sort_by_key(order);
        warnings.dedup();
        skipped.sort();
        preconditions.sort();
        preconditions.dedup();
        differences.sort();
        differences.dedup();
        let cases = self
            .cases
            .into_iter()
            .map(
                |((version, action, check), (status, observations, time))| Case {
                    action,
                    version,
                    check,
                    status,
                    observations,
                    time,
                },
            )
            .collect();
        Report {
            target,
            cases,
            violations,
            warnings,
            skipped,
            preconditions,
            differences,
            requests,
            elapsed: std::time::Duration::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary's table holds the longest action name of the contract within 120 columns.
    #[test]
    fn the_summary_table_fits_120_columns() {
        let longest = tco_spec::all_actions()
            .max_by_key(|a| a.name.len())
            .expect("the contract has actions");
        let mut recorder = Recorder::default();
        recorder.record(
            &longest.name,
            longest.version.as_str(),
            "response-shape",
            Judgement::Pass,
            None,
        );
        recorder.record(
            "GetOrganization",
            "2018-12-25",
            "envelope",
            Judgement::Pass,
            None,
        );
        let summary = recorder
            .finish("https://staging.example.com".into(), 2)
            .summary();
        let header = summary.lines().nth(1).unwrap();
        assert!(header.starts_with("VERSION"), "{summary}");
        for line in summary.lines().skip(1).take(3) {
            assert!(
                line.chars().count() <= 120,
                "{} columns: {line}",
                line.chars().count()
            );
        }
        assert!(summary.contains(&longest.name));
        assert!(
            summary.contains("2 checks passed, 0 failed, 0 warned; 0 violations, 0 warnings"),
            "{summary}"
        );
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(counted(1u64, "violation"), "1 violation");
        assert_eq!(counted(0u64, "violation"), "0 violations");
        assert_eq!(counted(2u64, "difference"), "2 differences");
    }
}
