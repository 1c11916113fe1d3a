//! `tco-harness load scenario terraform-plan` and `load scenario mixed` against the
//! in-process mock: the real binary, small runs. What is asserted holds on a busy machine:
//! counts of calls (a plan's arithmetic), never timings.

use crate::common::{harness, Scratch};

#[test]
fn a_terraform_plan_of_60_members_pages_every_walk_and_finishes() {
    let scratch = Scratch::new();
    let d = scratch.join("plan");
    let out = harness(["load", "--report-dir"])
        .args([&d])
        .args(["scenario", "terraform-plan", "--members", "60"])
        .output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.join("terraform-plan/terraform-plan.json")).unwrap(),
    )
    .unwrap();
    // 60 members: a listing and 60 reads, each 2 pages (50, then 10): 122 calls that pass,
    // and as many more as the mock refused and the plan retried.
    assert_eq!(report["pages_per_walk"], 2);
    assert_eq!(report["planned_calls"], 122);
    assert_eq!(report["members_listed"], 60);
    assert_eq!(report["accepted"], 122, "{report:#}");
    let calls = report["calls"].as_u64().unwrap();
    let retries = report["retries"].as_u64().unwrap();
    let throttled = report["throttled"].as_u64().unwrap();
    assert_eq!(calls, 122 + retries, "{report:#}");
    // Every retry followed a refusal; the mock refuses with the per-action code only.
    assert_eq!(retries, throttled, "{report:#}");
    assert_eq!(report["by_code"]["RequestLimitExceeded"], throttled);
    assert_eq!(report["by_code"]["other"], 0);
    assert_eq!(report["pass"], true);
    // 15 per second per action, a burst of 15 at most on top, on the client's clock.
    assert!(report["max_calls_in_sliding_second"].as_u64().unwrap() <= 30);
    assert!(stdout.contains("calls made: "), "{stdout}");
    assert!(stdout.contains("status: pass"), "{stdout}");
    let csv = std::fs::read_to_string(d.join("terraform-plan/calls.csv")).unwrap();
    assert_eq!(csv.lines().count() as u64, calls + 1);
}

#[test]
fn a_plan_the_mock_cannot_seed_is_refused_in_one_line() {
    for members in ["0", "1001"] {
        let out = harness(["load", "scenario", "terraform-plan", "--members", members]).output();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains("--members"), "{stderr}");
    }
}

#[test]
fn the_mixed_workload_runs_below_every_limit() {
    let scratch = Scratch::new();
    let d = scratch.join("mixed");
    let out = harness(["load", "--report-dir"])
        .args([&d])
        .args(["scenario", "mixed", "--rate", "24", "--duration", "2s"])
        .output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // 0 when nothing was throttled; 3 when this machine could not offer the load.
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{stdout}\n{stderr}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("summary.json")).unwrap()).unwrap();
    let verdicts = summary["scenarios"][0]["verdicts"].as_array().unwrap();
    // The default mix on the mock: four reads and unit creates, each its own key.
    let actions: Vec<&str> = verdicts
        .iter()
        .map(|v| v["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "DescribeOrganization",
            "ListOrganizationNodes",
            "DescribeOrganizationNodes",
            "DescribeOrganizationMembers",
            "AddOrganizationNode"
        ]
    );
    for v in verdicts {
        assert!(v["violations"].as_array().unwrap().is_empty(), "{v:#}");
        assert_eq!(v["kind"], "mixed");
    }
    assert!(stdout.contains("mixed-workload 24/s"), "{stdout}");
}

#[test]
fn layer_limits_without_an_endpoint_are_refused_in_one_line() {
    let out = harness(["load", "layers", "--main-account-limit", "20"]).output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

/// Against an endpoint that was told nothing about its layers, each layer scenario says it
/// was not tested and why, and none passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_an_endpoint_without_limits_or_accounts_the_layers_are_not_tested() {
    let mock = tco_mock::MockServer::start().await;
    let creds = mock.default_credentials();
    let scratch = Scratch::new();
    let d = scratch.join("layers");
    let out = harness(["load", "--report-dir"])
        .args([&d])
        .args(["layers", "--endpoint", &mock.uri()])
        .account(creds.secret_id(), creds.secret_key())
        .output_off_runtime()
        .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("NOT TESTED "))
        .collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(
        lines[0].starts_with("NOT TESTED sub-accounts: needs two sub-accounts"),
        "{stdout}"
    );
    assert!(
        lines[1].contains("no per-main-account limit given"),
        "{stdout}"
    );
    assert!(
        lines[2].contains("no per-main-account-and-region limit given"),
        "{stdout}"
    );
    assert!(lines[3].contains("no per-IP limit given"), "{stdout}");
    assert!(!stdout.contains("pass"), "{stdout}");
    assert!(d.join("not-tested.txt").exists());
}

/// An account in no organization: the plan's first call is refused for good, so the command
/// stops in one line (exit 2) rather than report a plan that measured nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_against_an_account_in_no_organization_stops_in_one_line() {
    let mock = tco_mock::MockServer::start().await;
    let creds = mock.default_credentials();
    let scratch = Scratch::new();
    let out = harness(["load", "--report-dir"])
        .args([scratch.join("plan-no-org")])
        .args(["scenario", "terraform-plan", "--members", "5"])
        .args(["--endpoint", &mock.uri()])
        .account(creds.secret_id(), creds.secret_key())
        .output_off_runtime()
        .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("ResourceNotFound.OrganizationNotExist"),
        "{stderr}"
    );
    assert_eq!(mock.received("DescribeOrganizationMembers").len(), 1);
}

/// A secret key in the wrong place of the accounts file is not quoted back.
#[test]
fn a_bad_accounts_file_is_named_without_its_values() {
    let scratch = Scratch::new();
    let d = scratch.join("accounts");
    std::fs::create_dir_all(&d).unwrap();
    let file = d.join("accounts.json");
    std::fs::write(&file, r#"{"sub_accounts": "sUpErSeCrEtKeY"}"#).unwrap();
    let out = harness([
        "load",
        "layers",
        "--endpoint",
        "http://127.0.0.1:9",
        "--accounts",
    ])
    .args([&file])
    .env("TENCENTCLOUD_SECRET_ID", "AKIDx")
    .env("TENCENTCLOUD_SECRET_KEY", "y")
    .output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("line 1 column"), "{stderr}");
    assert!(!stderr.contains("sUpErSeCrEtKeY"), "{stderr}");
}
