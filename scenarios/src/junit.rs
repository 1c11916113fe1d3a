//! A load run as JUnit XML, for CI systems that show test results: a test suite per
//! scenario, a test case per verdict (one action, version and account), failing with the
//! verdict's violations; findings across keys (cross-talk, recovery compared) are a case of
//! their own. Times are the scenario's span, first call to last answer: every key of a
//! scenario runs at once.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::report::{slug, ScenarioResult, Summary};
use crate::verdict::{Status, Verdict};

/// `junit.xml` of a run.
pub fn render(summary: &Summary) -> String {
    let mut report = Report::new("tco-load");
    for scenario in &summary.scenarios {
        report.add_test_suite(suite(scenario));
    }
    let elapsed = (summary.finished_ms - summary.started_ms).max(0) as u64;
    report.set_time(Duration::from_millis(elapsed));
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- JUnit XML could not be written: {e} -->\n"))
}

fn suite(scenario: &ScenarioResult) -> TestSuite {
    let time = Duration::from_millis(scenario.elapsed_ms);
    let mut suite = TestSuite::new(format!("tco-load {}", scenario.name));
    suite.set_time(time);
    let classname = format!("load.{}", slug(&scenario.name));
    for v in &scenario.verdicts {
        let mut case = TestCase::new(
            format!("{} {} ({})", v.action, v.version, v.account),
            status_of(v),
        );
        case.set_classname(&classname)
            .set_assertions(v.calls)
            .set_time(time)
            .set_system_out(format!("refused, by code: {}", v.by_code.line()));
        suite.add_test_case(case);
    }
    for u in &scenario.not_tested {
        let mut status = TestCaseStatus::skipped();
        status.set_message(u.to_string()).set_type("not-tested");
        let mut case = TestCase::new(format!("{} {}", scenario.name, u.part), status);
        case.set_classname(&classname).set_time(Duration::ZERO);
        suite.add_test_case(case);
    }
    if !scenario.violations.is_empty() || !scenario.notes.is_empty() || scenario.verdicts.is_empty()
    {
        let failed =
            !scenario.violations.is_empty() || (scenario.verdicts.is_empty() && !scenario.pass);
        let status = if failed {
            failure(&scenario.violations, "across keys")
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(format!("{} (across keys)", scenario.name), status);
        case.set_classname(&classname).set_time(time);
        if !scenario.notes.is_empty() {
            case.set_system_out(scenario.notes.join("\n"));
        }
        suite.add_test_case(case);
    }
    suite
}

/// A key whose load could not be offered is skipped, not failed: nothing is known about its
/// limit (unless it also broke a rule that holds at any load, which fails it).
fn status_of(v: &Verdict) -> TestCaseStatus {
    match v.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Fail => failure(&v.violations, &v.scenario),
        Status::LoadNotOffered => {
            let mut status = TestCaseStatus::skipped();
            status
                .set_message(format!(
                    "load not offered: {}",
                    v.load_shortfalls.join("; ")
                ))
                .set_type("load-not-offered");
            status
        }
    }
}

fn failure(violations: &[String], kind: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_message(
            violations
                .first()
                .cloned()
                .unwrap_or_else(|| "failed".into()),
        )
        .set_type(kind.to_owned())
        .set_description(violations.join("\n"));
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Call, Key, Outcome};
    use crate::verdict::{Expectation, ScenarioKind};

    fn verdict(rate: f64, outcome: Outcome) -> Verdict {
        let key = Key::new("DescribeOrganization", "2021-03-31", "AKIDjunit");
        let calls: Vec<Call> = (0..20)
            .map(|k| Call::synthetic(&key, 1_700_000_000_000 + k * 50, outcome.clone()))
            .collect();
        let e = Expectation::steady("under-limit 0.5x", ScenarioKind::UnderLimit, 40, rate, 1000);
        Verdict::compute(&key, &calls, &e)
    }

    #[test]
    fn every_verdict_is_a_timed_case_and_failures_carry_their_violations() {
        let passing = verdict(20.0, Outcome::Accepted);
        let failing = verdict(20.0, Outcome::OtherError("InternalError".into()));
        assert!(passing.pass && !failing.pass);
        let mut ok = ScenarioResult::new("under-limit 0.5x", vec![passing]);
        ok.elapsed_ms = 1_250;
        let mut bad = ScenarioResult::new("isolation", vec![failing.clone()]);
        bad.violations.push("cross-talk: somebody got less".into());
        bad.settle();
        bad.elapsed_ms = 3_000;
        let summary = Summary {
            endpoint: "mock".into(),
            started_ms: 0,
            finished_ms: 5_500,
            scenarios: vec![ok, bad],
            status: Status::Fail,
            pass: false,
            report_dir: None,
            call_timeout_ms: None,
        };
        let xml = render(&summary);
        assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 3, "{xml}");
        assert_eq!(xml.matches("<failure ").count(), 2, "{xml}");
        assert!(xml.contains(r#"time="1.250""#), "{xml}");
        assert!(xml.contains(r#"time="3.000""#), "{xml}");
        assert!(xml.contains(r#"time="5.500""#), "{xml}");
        assert!(xml.contains("cross-talk: somebody got less"), "{xml}");
        assert!(xml.contains("InternalError x20"), "{xml}");
        assert!(xml.contains(r#"classname="load.isolation""#), "{xml}");
        assert!(
            xml.contains("refused, by code: RequestLimitExceeded 0, .UinLimitExceeded 0, .GlobalRegionUinLimitExceeded 0, .IPLimitExceeded 0, other 20"),
            "{xml}"
        );
    }

    #[test]
    fn a_key_whose_load_was_not_offered_is_skipped_not_failed() {
        let mut late = verdict(20.0, Outcome::Accepted);
        late.status = Status::LoadNotOffered;
        late.pass = false;
        late.load_shortfalls = vec!["31% of calls left more than 50 ms late".into()];
        let mut result = ScenarioResult::new("under-limit 1x", vec![late]);
        result.settle();
        let summary = Summary::new("mock", 0, vec![result], None);
        let xml = render(&summary);
        assert_eq!(xml.matches("<skipped ").count(), 1, "{xml}");
        assert_eq!(xml.matches("<failure ").count(), 0, "{xml}");
        assert!(xml.contains("load not offered: 31% of calls"), "{xml}");
    }
}
