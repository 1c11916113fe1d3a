//! What the suite needs of an account is a precondition, not a contract violation: against an
//! account that already has an organization, the flows that create one are not run and say
//! why; against one without, they run.

use serde_json::json;
use tco_contract::wire::{Endpoint, Probe};
use tco_contract::{run, Options, Report, SuiteTarget};
use tco_mock::MockServer;

/// Every action the flows call, so that they are selected.
fn flow_actions() -> Vec<String> {
    let mut names: Vec<String> = tco_contract::flows::all()
        .iter()
        .flat_map(|f| {
            f.actions()
                .map(|(_, name)| name.to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

async fn suite_against(mock: &MockServer) -> Report {
    let options = Options {
        actions: flow_actions(),
        allow_mutations: true,
        rate_limit: false,
        ..Options::default()
    };
    run(
        SuiteTarget::endpoint(mock.uri(), mock.default_credentials()),
        options,
    )
    .await
    .expect("the mock answers")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_already_in_an_organization_is_a_precondition_not_a_violation() {
    let mock = MockServer::start().await;
    let direct = Endpoint::new(
        &mock.uri(),
        mock.default_credentials(),
        std::time::Duration::from_secs(10),
        std::sync::Arc::new(tco_clock::SystemClock),
    )
    .unwrap();
    let created = direct
        .send(&Probe::new(
            "CreateOrganization",
            "2018-12-25",
            json!({"OrgType": 1}),
        ))
        .await
        .unwrap();
    assert!(created.error().is_none(), "{}", created.describe());

    let report = suite_against(&mock).await;
    let flow_violations: Vec<_> = report
        .violations
        .iter()
        .filter(|v| v.check.starts_with("flow."))
        .collect();
    assert!(flow_violations.is_empty(), "{flow_violations:#?}");
    let unmet: Vec<&str> = report
        .preconditions
        .iter()
        .map(|p| p.check.as_str())
        .collect();
    // Exactly the flows that begin by creating an organization wait on this precondition;
    // the others (invitations need a second account) run or are skipped for their own reason.
    let mut creating: Vec<String> = tco_contract::flows::all()
        .iter()
        // (the invitation flow also needs an invitee, which this run does not give)
        .filter(|f| f.creates_organization() && f.needs.is_empty())
        .map(|f| format!("flow.{}", f.family))
        .collect();
    creating.sort();
    assert!(creating.len() >= 3, "{creating:?}");
    assert_eq!(unmet, creating);
    assert!(
        report.preconditions[0]
            .detail
            .contains("outside any organization"),
        "{:?}",
        report.preconditions[0]
    );
    assert!(report.passed(), "{:#?}", report.violations);
    let summary = report.summary();
    assert!(
        summary.contains(&format!(
            "not run: {} preconditions not met",
            creating.len()
        )),
        "{summary}"
    );
    assert!(report.to_junit().contains("precondition not met"));
    assert_eq!(
        report.to_json()["preconditions"].as_array().unwrap().len(),
        creating.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_without_an_organization_runs_the_flows() {
    let mock = MockServer::start().await;
    let report = suite_against(&mock).await;
    assert!(
        report.preconditions.is_empty(),
        "{:?}",
        report.preconditions
    );
    for family in ["organization", "nodes", "members"] {
        let check = format!("flow.{family}");
        assert!(
            report.cases.iter().any(|c| c.check == check),
            "{check} did not run"
        );
    }
    assert!(report.passed(), "{:#?}", report.violations);
}

/// What `tco-harness run` announces before calling an endpoint is what the run then sends.
#[tokio::test(flavor = "multi_thread")]
async fn the_planned_traffic_is_what_the_run_sends() {
    for allow_mutations in [false, true] {
        let mock = MockServer::start().await;
        let mut actions = flow_actions();
        actions.extend([
            "ListOrganizationNodes".to_owned(),
            "GetOrganization".to_owned(),
        ]);
        let options = Options {
            actions,
            allow_mutations,
            ..Options::default()
        };
        let planned = tco_contract::traffic(&options).unwrap();
        let report = run(
            SuiteTarget::endpoint(mock.uri(), mock.default_credentials()),
            options,
        )
        .await
        .unwrap();
        // A polled step is planned at its bound and may end sooner: the plan is exact but
        // for those.
        let poll_slack: u64 = if allow_mutations {
            tco_contract::flows::all()
                .iter()
                .flat_map(|f| &f.steps)
                .map(|s| tco_contract::plan::polls(s) - 1)
                .sum()
        } else {
            0
        };
        assert!(
            report.requests <= planned.requests
                && report.requests + poll_slack >= planned.requests,
            "allow_mutations {allow_mutations}: sent {} against a plan of {} (polls may end {poll_slack} sooner)",
            report.requests,
            planned.requests
        );
        // DescribeOrganization's burst: twice its documented limit of 40, and five.
        assert!(planned.peak_per_second >= 85, "{planned:?}");
    }
}
