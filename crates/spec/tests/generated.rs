//! Property tests: bodies generated from the request shapes of random actions validate, and a
//! single mutation of such a body is reported once, at exactly its path, with the right kind.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use tco_spec::{Action, Direction, Type, ViolationKind};
use tco_test_support::sites::{json_path, pointer, Sites, Step};
use tco_test_support::Bodies;

fn request_of_random_action() -> impl Strategy<Value = (&'static Action, Value)> {
    Bodies::requests().of_random_action()
}

/// Splits a member path into the pointer of its parent object and the member's key.
fn parent_and_key(steps: &[Step]) -> (String, String) {
    match steps.split_last() {
        Some((Step::Key(k), parent)) => (pointer(parent), k.clone()),
        _ => unreachable!("member paths end in a key"),
    }
}

fn set(body: &mut Value, steps: &[Step], value: Value) {
    *body.pointer_mut(&pointer(steps)).expect("path exists") = value;
}

/// A value of another JSON kind than the type allows, and how the validator names it.
fn wrong_value(ty: &Type) -> (Value, &'static str) {
    match ty {
        Type::String | Type::Datetime => (json!(12), "integer"),
        _ => (json!("x"), "string"),
    }
}

/// Asserts the body has exactly one violation, at `path`, of `kind`.
fn assert_single(
    action: &Action,
    body: &Value,
    path: &str,
    kind: ViolationKind,
) -> Result<(), TestCaseError> {
    let found: Vec<(String, ViolationKind)> = action
        .validate_request(body)
        .into_iter()
        .map(|v| (v.path, v.kind))
        .collect();
    prop_assert_eq!(
        found,
        vec![(path.to_owned(), kind)],
        "{} {}",
        action.version,
        action.name
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_requests_validate((action, body) in request_of_random_action()) {
        let violations = action.validate_request(&body);
        prop_assert!(violations.is_empty(), "{} {}: {:?}", action.version, action.name, violations);
    }

    #[test]
    fn dropping_a_required_member_is_reported((action, mut body) in request_of_random_action(), pick in any::<Index>()) {
        let sites = Sites::of(action.version, action.request_shape(), &body);
        let required: Vec<_> = sites.members.iter().filter(|(_, m)| m.is_required(Direction::Request)).collect();
        if required.is_empty() { return Ok(()); }
        let (steps, _) = required[pick.index(required.len())];
        let (parent, key) = parent_and_key(steps);
        body.pointer_mut(&parent).unwrap().as_object_mut().unwrap().remove(&key);
        assert_single(action, &body, &json_path(steps), ViolationKind::MissingRequired)?;
    }

    #[test]
    fn a_value_of_the_wrong_type_is_reported((action, mut body) in request_of_random_action(), pick in any::<Index>()) {
        let sites = Sites::of(action.version, action.request_shape(), &body);
        if sites.members.is_empty() { return Ok(()); }
        let (steps, member) = &sites.members[pick.index(sites.members.len())];
        let (value, found) = wrong_value(&member.ty);
        set(&mut body, steps, value);
        let kind = ViolationKind::WrongType { expected: member.ty.clone(), found: found.to_owned() };
        assert_single(action, &body, &json_path(steps), kind)?;
    }

    #[test]
    fn null_for_a_non_nullable_member_is_reported((action, mut body) in request_of_random_action(), pick in any::<Index>()) {
        let sites = Sites::of(action.version, action.request_shape(), &body);
        let strict: Vec<_> = sites.members.iter().filter(|(_, m)| !m.nullable).collect();
        if strict.is_empty() { return Ok(()); }
        let (steps, _) = strict[pick.index(strict.len())];
        set(&mut body, steps, Value::Null);
        assert_single(action, &body, &json_path(steps), ViolationKind::NullNotAllowed)?;
    }

    #[test]
    fn an_unknown_member_is_reported((action, mut body) in request_of_random_action(), pick in any::<Index>()) {
        let sites = Sites::of(action.version, action.request_shape(), &body);
        let steps = &sites.objects[pick.index(sites.objects.len())];
        let object = body.pointer_mut(&pointer(steps)).unwrap().as_object_mut().unwrap();
        object.insert("ZzNotInTheContract".to_owned(), json!(1));
        let path = format!("{}.ZzNotInTheContract", json_path(steps));
        assert_single(action, &body, &path, ViolationKind::UnknownMember)?;
    }
}
