//! `COVERAGE.md`, rendered from [`super::coverage`] so that it cannot drift from the code.

use std::fmt::Write;

use tco_spec::Version;

use super::{coverage, AREAS};

/// The text of `crates/mock/COVERAGE.md`.
pub fn render_coverage() -> String {
    let rows = coverage();
    let count = |v: Option<Version>, stateful: bool| {
        rows.iter()
            .filter(|r| v.is_none_or(|v| r.version == v) && (!stateful || r.stateful))
            .count()
    };
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Implementation coverage of the mock");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Generated from `tco_mock::state::coverage()`; a test fails when this file and the code disagree."
    );
    let _ = writeln!(
        w,
        "Regenerate with `UPDATE_COVERAGE=1 cargo test -p tco-mock coverage`."
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "{} of {} actions answer from the mock's state ({} of {} for 2018-12-25, {} of {} for 2021-03-31). \
         The others are *contract-built*: a successful answer with every output-required member, typed per the \
         contract and filled from its examples, changing nothing.",
        count(None, true),
        count(None, false),
        count(Some(Version::V2018_12_25), true),
        count(Some(Version::V2018_12_25), false),
        count(Some(Version::V2021_03_31), true),
        count(Some(Version::V2021_03_31), false),
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "A stateful action answers only with business codes the contract documents for it; where the contract \
         documents none for a failure, with the common code of that family (`ResourceNotFound`, `FailedOperation`, \
         `UnsupportedOperation`, `UnauthorizedOperation`, `LimitExceeded`, `InvalidParameter`, \
         `InvalidParameterValue`). Authentication, rate-limit and parameter-validation codes come from the HTTP \
         side and are not listed here."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "## The world");
    for area in AREAS {
        let _ = writeln!(w);
        let _ = writeln!(w, "### {}", area.name);
        let _ = writeln!(w);
        for line in (area.decisions)() {
            let _ = writeln!(w, "- {line}");
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "## Actions");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "| Version | Action | Answer | Business errors modelled |"
    );
    let _ = writeln!(w, "|---|---|---|---|");
    for row in &rows {
        let errors = if row.errors_modelled.is_empty() {
            "".to_owned()
        } else {
            row.errors_modelled
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} |",
            row.version,
            row.action,
            if row.stateful {
                "stateful"
            } else {
                "contract-built"
            },
            errors
        );
    }
    out
}
