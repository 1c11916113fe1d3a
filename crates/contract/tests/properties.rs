//! The contract suite's checks, property-tested on the report path: a response generated from
//! a random action's response shape comes out of `tco_contract::check_answer` with no
//! violation, and a single mutation of it (a required member dropped, a value of the wrong
//! type, a null where none is allowed) comes out as exactly one `response-shape` violation at
//! that member's path. (The validator underneath has its own properties in
//! `crates/spec/tests/generated.rs`; this pins what the reports say.)

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use tco_contract::{check_answer, Exchange, Report};
use tco_spec::{Action, Direction, Member, Type};
use tco_test_support::sites::{json_path, pointer, Sites, Step};
use tco_test_support::Bodies;

/// A random action and a `Response` object for it, with a fresh RequestId.
fn response_of_random_action() -> impl Strategy<Value = (&'static Action, Value)> {
    Bodies::responses()
        .of_random_action()
        .prop_map(|(a, mut body)| {
            body["RequestId"] = json!(uuid_v4());
            (a, body)
        })
}

/// A UUID without the uuid crate: the harness only checks the format.
fn uuid_v4() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    let n = N.fetch_add(1, Ordering::Relaxed);
    format!("00000000-0000-4000-8000-{n:012x}")
}

/// Members present in a generated body (not RequestId, which has its own check), with their
/// JSON pointer and `$.` path.
fn members_of(action: &Action, body: &Value) -> Vec<(String, String, &'static Member)> {
    let request_id = [Step::Key("RequestId".to_owned())];
    Sites::of(action.version, action.response_shape(), body)
        .members
        .into_iter()
        .filter(|(steps, _)| steps[..] != request_id)
        .map(|(steps, m)| (pointer(&steps), json_path(&steps), m))
        .collect()
}

fn report_of(action: &Action, body: &Value) -> Report {
    check_answer(action, &Exchange::from_json(&json!({ "Response": body })))
}

fn assert_single(report: &Report, action: &Action, expected: &str) -> Result<(), TestCaseError> {
    let found: Vec<(String, String)> = report
        .violations
        .iter()
        .map(|v| (v.check.clone(), v.detail.clone()))
        .collect();
    prop_assert_eq!(
        found,
        vec![("response-shape".to_owned(), expected.to_owned())],
        "{} {}",
        action.version,
        action.name
    );
    prop_assert!(report.violations[0].request_id.is_some());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_responses_pass_every_check((action, body) in response_of_random_action()) {
        let report = report_of(action, &body);
        prop_assert!(report.passed(), "{} {}: {:?}", action.version, action.name, report.violations);
        prop_assert!(report.warnings.is_empty());
    }

    #[test]
    fn a_dropped_required_member_is_reported_at_its_path(
        (action, mut body) in response_of_random_action(), pick in any::<Index>()
    ) {
        let required: Vec<_> = members_of(action, &body)
            .into_iter()
            .filter(|(_, _, m)| m.is_required(Direction::Response))
            .collect();
        if required.is_empty() { return Ok(()); }
        let (pointer, path, _) = &required[pick.index(required.len())];
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        body.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key);
        assert_single(&report_of(action, &body), action, &format!("{path}: missing required member"))?;
    }

    #[test]
    fn a_value_of_the_wrong_type_is_reported_at_its_path(
        (action, mut body) in response_of_random_action(), pick in any::<Index>()
    ) {
        let members = members_of(action, &body);
        if members.is_empty() { return Ok(()); }
        let (pointer, path, member) = &members[pick.index(members.len())];
        let (value, found) = match member.ty {
            Type::String | Type::Datetime => (json!(12), "integer"),
            _ => (json!("x"), "string"),
        };
        *body.pointer_mut(pointer).unwrap() = value;
        assert_single(
            &report_of(action, &body),
            action,
            &format!("{path}: expected {}, found {found}", member.ty),
        )?;
    }

    #[test]
    fn a_null_where_not_allowed_is_reported_at_its_path(
        (action, mut body) in response_of_random_action(), pick in any::<Index>()
    ) {
        let strict: Vec<_> = members_of(action, &body)
            .into_iter()
            .filter(|(_, _, m)| !m.nullable)
            .collect();
        if strict.is_empty() { return Ok(()); }
        let (pointer, path, _) = &strict[pick.index(strict.len())];
        *body.pointer_mut(pointer).unwrap() = Value::Null;
        assert_single(&report_of(action, &body), action, &format!("{path}: null is not allowed"))?;
    }

    /// An unknown member is additive drift: a warning at its path, never a violation.
    #[test]
    fn an_unknown_member_is_a_warning((action, mut body) in response_of_random_action()) {
        body["TcoContractExtra"] = json!(1);
        let report = report_of(action, &body);
        prop_assert!(report.passed());
        let warnings: Vec<&str> = report.warnings.iter().map(|w| w.detail.as_str()).collect();
        prop_assert_eq!(warnings, vec!["additive drift: $.TcoContractExtra is not in the contract"]);
    }
}
