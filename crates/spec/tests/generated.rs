//! Property tests: bodies generated from the request shapes of random actions validate, and a
//! single mutation of such a body is reported once, at exactly its path, with the right kind.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use tco_spec::{
    all_actions, contract, Action, Direction, Member, Shape, Type, Version, ViolationKind,
};

/// Lists of objects deeper than this are generated empty, a guard should a shape ever recurse.
const MAX_DEPTH: usize = 5;

fn value_of(version: Version, ty: &Type, depth: usize) -> BoxedStrategy<Value> {
    match ty {
        Type::Int64 => any::<i64>().prop_map(Value::from).boxed(),
        Type::Uint64 => any::<u64>().prop_map(Value::from).boxed(),
        Type::Float => (-1e9f64..1e9).prop_map(Value::from).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::from).boxed(),
        Type::String | Type::Datetime => "[a-zA-Z0-9 :-]{0,12}".prop_map(Value::from).boxed(),
        Type::List(_) if depth > MAX_DEPTH => Just(json!([])).boxed(),
        Type::List(items) => proptest::collection::vec(value_of(version, items, depth + 1), 0..3)
            .prop_map(Value::Array)
            .boxed(),
        Type::Object(name) => {
            let shape = contract(version).shape(name).expect("shape exists");
            object_of(version, shape, depth + 1)
        }
    }
}

/// Required members always, optional ones half of the time.
fn object_of(version: Version, shape: &'static Shape, depth: usize) -> BoxedStrategy<Value> {
    let members: Vec<BoxedStrategy<Option<(String, Value)>>> = shape
        .members
        .iter()
        .map(|m| {
            let name = m.name.clone();
            let present =
                value_of(version, &m.ty, depth).prop_map(move |v| Some((name.clone(), v)));
            if m.is_required(Direction::Request) {
                present.boxed()
            } else {
                prop_oneof![Just(None), present].boxed()
            }
        })
        .collect();
    members
        .prop_map(|entries| Value::Object(entries.into_iter().flatten().collect()))
        .boxed()
}

fn request_of_random_action() -> impl Strategy<Value = (&'static Action, Value)> {
    let actions: Vec<&'static Action> = all_actions().collect();
    (0..actions.len()).prop_flat_map(move |i| {
        let a = actions[i];
        (Just(a), object_of(a.version, a.request_shape(), 0))
    })
}

/// Where a member or an object sits in a body: JSON pointer steps.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn json_path(steps: &[Step]) -> String {
    steps.iter().fold("$".to_owned(), |acc, s| match s {
        Step::Key(k) => format!("{acc}.{k}"),
        Step::Index(i) => format!("{acc}[{i}]"),
    })
}

fn pointer(steps: &[Step]) -> String {
    steps.iter().fold(String::new(), |acc, s| match s {
        Step::Key(k) => format!("{acc}/{k}"),
        Step::Index(i) => format!("{acc}/{i}"),
    })
}

/// Every present member (with its definition) and every object in a generated body.
#[derive(Default)]
struct Sites {
    members: Vec<(Vec<Step>, &'static Member)>,
    objects: Vec<Vec<Step>>,
}

impl Sites {
    fn of(action: &Action, body: &Value) -> Sites {
        let mut sites = Sites::default();
        sites.object(action.version, action.request_shape(), body, vec![]);
        sites
    }

    fn object(&mut self, v: Version, shape: &'static Shape, value: &Value, path: Vec<Step>) {
        self.objects.push(path.clone());
        for m in &shape.members {
            if let Some(child) = value.get(&m.name) {
                let mut p = path.clone();
                p.push(Step::Key(m.name.clone()));
                self.members.push((p.clone(), m));
                self.typed(v, &m.ty, child, p);
            }
        }
    }

    fn typed(&mut self, v: Version, ty: &Type, value: &Value, path: Vec<Step>) {
        match (ty, value) {
            (Type::List(items), Value::Array(values)) => {
                for (i, item) in values.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Step::Index(i));
                    self.typed(v, items, item, p);
                }
            }
            (Type::Object(name), _) => {
                self.object(v, contract(v).shape(name).unwrap(), value, path)
            }
            _ => {}
        }
    }
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
        let sites = Sites::of(action, &body);
        let required: Vec<_> = sites.members.iter().filter(|(_, m)| m.is_required(Direction::Request)).collect();
        if required.is_empty() { return Ok(()); }
        let (steps, _) = required[pick.index(required.len())];
        let (parent, key) = parent_and_key(steps);
        body.pointer_mut(&parent).unwrap().as_object_mut().unwrap().remove(&key);
        assert_single(action, &body, &json_path(steps), ViolationKind::MissingRequired)?;
    }

    #[test]
    fn a_value_of_the_wrong_type_is_reported((action, mut body) in request_of_random_action(), pick in any::<Index>()) {
        let sites = Sites::of(action, &body);
        if sites.members.is_empty() { return Ok(()); }
        let (steps, member) = &sites.members[pick.index(sites.members.len())];
        let (value, found) = wrong_value(&member.ty);
        set(&mut body, steps, value);
        let kind = ViolationKind::WrongType { expected: member.ty.clone(), found: found.to_owned() };
        assert_single(action, &body, &json_path(steps), kind)?;
    }

    #[test]
    fn null_for_a_non_nullable_member_is_reported((action, mut body) in request_of_random_action(), pick in any::<Index>()) {
        let sites = Sites::of(action, &body);
        let strict: Vec<_> = sites.members.iter().filter(|(_, m)| !m.nullable).collect();
        if strict.is_empty() { return Ok(()); }
        let (steps, _) = strict[pick.index(strict.len())];
        set(&mut body, steps, Value::Null);
        assert_single(action, &body, &json_path(steps), ViolationKind::NullNotAllowed)?;
    }

    #[test]
    fn an_unknown_member_is_reported((action, mut body) in request_of_random_action(), pick in any::<Index>()) {
        let sites = Sites::of(action, &body);
        let steps = &sites.objects[pick.index(sites.objects.len())];
        let object = body.pointer_mut(&pointer(steps)).unwrap().as_object_mut().unwrap();
        object.insert("ZzNotInTheContract".to_owned(), json!(1));
        let path = format!("{}.ZzNotInTheContract", json_path(steps));
        assert_single(action, &body, &path, ViolationKind::UnknownMember)?;
    }
}
