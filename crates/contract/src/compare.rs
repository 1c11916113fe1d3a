//! The comparison with the mock: where an endpoint's answer and the mock's answer to the same
//! probe differ in error code or shape.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::wire::{Exchange, Outcome};

/// Where two answers to the same probe differ in code or shape; `None` when they agree.
pub(crate) fn compare(endpoint: &Exchange, mock: &Exchange) -> Option<String> {
    let (a, b) = (endpoint.outcome(), mock.outcome());
    if a != b {
        return Some(format!("the endpoint answered {a}, the mock {b}"));
    }
    if a != Outcome::Success {
        return None;
    }
    let (Some(ra), Some(rb)) = (endpoint.response(), mock.response()) else {
        return None;
    };
    let mut sa = BTreeMap::new();
    let mut sb = BTreeMap::new();
    skeleton(&Value::Object(ra.clone()), "$".into(), &mut sa);
    skeleton(&Value::Object(rb.clone()), "$".into(), &mut sb);
    let mut diffs = Vec::new();
    for (path, kind) in &sa {
        match sb.get(path) {
            Some(other) if other != kind => diffs.push(format!(
                "{path} is {kind} at the endpoint, {other} at the mock"
            )),
            None if parent_in(path, &sb) => diffs.push(format!("{path} only at the endpoint")),
            _ => {}
        }
    }
    for path in sb.keys() {
        if !sa.contains_key(path) && parent_in(path, &sa) {
            diffs.push(format!("{path} only at the mock"));
        }
    }
    if diffs.is_empty() {
        None
    } else {
        Some(diffs.join("; "))
    }
}

/// Paths and JSON kinds of a value; list items share the path `[]`.
fn skeleton(value: &Value, path: String, out: &mut BTreeMap<String, &'static str>) {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    };
    out.insert(path.clone(), kind);
    match value {
        Value::Array(items) => {
            for item in items {
                skeleton(item, format!("{path}[]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                skeleton(v, format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// Whether the path's parent exists (as an object) on the other side: a member missing from an
/// object both have is a difference; one inside a list the other side has empty is not.
fn parent_in(path: &str, other: &BTreeMap<String, &'static str>) -> bool {
    if path.ends_with("[]") {
        return false;
    }
    let parent = match path.rfind('.') {
        Some(i) => &path[..i],
        None => return false,
    };
    other.get(parent) == Some(&"object")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(body: Value) -> Exchange {
        Exchange::from_json(&body)
    }
    #[test]
    fn compare_finds_code_and_shape_differences() {
        let ok = |v: Value| answer(json!({"Response": v}));
        let err = |c: &str| answer(json!({"Response": {"Error": {"Code": c, "Message": "m"}}}));
        assert_eq!(compare(&ok(json!({"A": 1})), &ok(json!({"A": 2}))), None);
        assert_eq!(
            compare(&err("ResourceNotFound"), &ok(json!({}))).unwrap(),
            "the endpoint answered ResourceNotFound, the mock success"
        );
        assert_eq!(
            compare(&ok(json!({"A": "1"})), &ok(json!({"A": 1}))).unwrap(),
            "$.A is string at the endpoint, number at the mock"
        );
        assert_eq!(
            compare(&ok(json!({"A": 1, "B": 2})), &ok(json!({"A": 1}))).unwrap(),
            "$.B only at the endpoint"
        );
        // A list empty on one side is not a shape difference.
        assert_eq!(
            compare(&ok(json!({"L": [{"X": 1}]})), &ok(json!({"L": []}))),
            None
        );
    }
}
