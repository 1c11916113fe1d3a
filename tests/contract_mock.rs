//! The contract suite against the project's own mock, all 146 actions: any violation is a bug
//! of the mock or of the contract suite, never something to waive.

use tco_contract::{run, Options, Target};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_mock_honours_the_whole_contract() {
    let report = run(Target::Mock, Options::default())
        .await
        .expect("the in-process mock runs");
    let counts = report.counts();
    assert_eq!(counts.actions, 146, "{}", report.summary());
    assert!(report.skipped.is_empty());
    // Every family's flow ran, and the burst above DescribeOrganization's limit was throttled.
    for family in ["organization", "nodes", "members", "invitations"] {
        let check = format!("flow.{family}");
        assert!(
            report.cases.iter().any(|c| c.check == check),
            "{check} did not run"
        );
    }
    assert!(report
        .cases
        .iter()
        .any(|c| c.action == "DescribeOrganization" && c.check == "rate-limit"));
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(
        report.passed(),
        "violations against the mock:\n{}",
        report
            .violations
            .iter()
            .map(|v| format!("{} {} {}: {}", v.version, v.action, v.check, v.detail))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
