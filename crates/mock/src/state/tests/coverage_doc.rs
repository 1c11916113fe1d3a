//! The coverage table: complete, truthful, and the committed `COVERAGE.md` matches it.

use std::path::Path;

use super::*;
use crate::state::render_coverage;

#[test]
fn coverage_has_one_row_per_action() {
    let rows = coverage();
    assert_eq!(rows.len(), 146);
    assert_eq!(rows.iter().filter(|r| r.version == V18).count(), 20);
    assert_eq!(rows.iter().filter(|r| r.version == V21).count(), 126);
    // Every 2018 action and the core 2021 ones are stateful.
    assert!(rows.iter().filter(|r| r.version == V18).all(|r| r.stateful));
    for action in [
        "CreateOrganization",
        "DescribeOrganization",
        "DeleteOrganization",
        "AddOrganizationNode",
        "UpdateOrganizationNode",
        "DeleteOrganizationNodes",
        "DescribeOrganizationNodes",
        "CreateOrganizationMember",
        "InviteOrganizationMember",
        "DescribeOrganizationMembers",
        "UpdateOrganizationMember",
        "MoveOrganizationNodeMembers",
        "DeleteOrganizationMembers",
        "QuitOrganization",
    ] {
        assert!(
            rows.iter()
                .any(|r| r.version == V21 && r.action == action && r.stateful),
            "{action}"
        );
    }
}

#[test]
fn coverage_lists_only_documented_codes() {
    for row in coverage() {
        let action = tco_spec::action(row.version, row.action).unwrap();
        for code in &row.errors_modelled {
            assert!(
                action.is_documented_error(code),
                "{} {} lists undocumented {code}",
                row.version,
                row.action
            );
        }
        if !row.stateful {
            assert!(row.errors_modelled.is_empty());
        }
    }
}

/// `UPDATE_COVERAGE=1 cargo test -p tco-mock coverage` rewrites the file.
#[test]
fn coverage_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("COVERAGE.md");
    let rendered = render_coverage();
    if std::env::var_os("UPDATE_COVERAGE").is_some() {
        std::fs::write(&path, &rendered).expect("write COVERAGE.md");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "{} is stale: run `UPDATE_COVERAGE=1 cargo test -p tco-mock coverage`",
        path.display()
    );
}
