//! The contract suite against the project's own mock, all 146 actions: any violation is a bug
//! of the mock or of the contract suite, never something to waive.

use tco_contract::{run, Options, SuiteTarget};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_mock_honours_the_whole_contract() {
    let report = run(SuiteTarget::Mock, Options::default())
        .await
        .expect("the in-process mock runs");
    let counts = report.counts();
    assert_eq!(counts.actions, 146, "{}", report.summary());
    assert!(report.skipped.is_empty());
    // Every family's flow ran, and the burst above DescribeOrganization's limit was throttled.
    for family in [
        "organization",
        "nodes",
        "members",
        "invitations",
        "policies",
        "member_access",
        "member_login",
        "member_login_accounts",
        "services",
        "sharing",
        "identity_center",
        "identity_center_access",
    ] {
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
    // Every action answered a success in the documented shape: from its positive probes, or
    // (when their example IDs do not exist) from the example with IDs of fixtures made for it.
    let mut unshaped = Vec::new();
    for version in tco_spec::Version::ALL {
        for action in tco_spec::contract(version).actions() {
            let shaped = report.cases.iter().any(|c| {
                c.version == version.as_str()
                    && c.action == action.name
                    && c.check == "response-shape"
                    && c.status == tco_contract::Status::Passed
            });
            if !shaped {
                unshaped.push(format!("{version} {}", action.name));
            }
        }
    }
    assert!(
        unshaped.is_empty(),
        "no passed response-shape case (no success) for:\n{}",
        unshaped.join("\n")
    );
    // Every list action's first page listed something, so the shape of its items was checked.
    let mut unlisted = Vec::new();
    for action in tco_spec::all_actions() {
        if tco_contract::probes::listed_members(action).is_empty() {
            continue;
        }
        let listed = report.cases.iter().any(|c| {
            c.version == action.version.as_str()
                && c.action == action.name
                && c.check == "list-items"
                && c.status == tco_contract::Status::Passed
        });
        if !listed {
            unlisted.push(format!("{} {}", action.version, action.name));
        }
    }
    assert!(
        unlisted.is_empty(),
        "no first page with items for:\n{}",
        unlisted.join("\n")
    );
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

/// `--compare-mock` against an endpoint that is itself the mock, with an organization: the
/// comparison mock gets one too, so the two answer alike and nothing differs.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn comparing_the_mock_with_the_mock_finds_no_difference() {
    let mock = tco_mock::MockServer::start().await;
    let setup = tco_contract::SuiteTarget::endpoint(mock.uri(), mock.default_credentials());
    let created = run(
        setup,
        Options {
            actions: vec!["CreateOrganization".into()],
            versions: vec![tco_spec::Version::V2021_03_31],
            allow_mutations: true,
            rate_limit: false,
            flows: false,
            ..Options::default()
        },
    )
    .await
    .expect("the mock answers");
    assert!(created.passed(), "{}", created.summary());
    let report = run(
        SuiteTarget::endpoint(mock.uri(), mock.default_credentials()),
        Options {
            compare_mock: true,
            rate_limit: false,
            ..Options::default()
        },
    )
    .await
    .expect("the mock answers");
    assert!(report.differences.is_empty(), "{:#?}", report.differences);
    assert!(report.passed(), "{}", report.summary());
}
