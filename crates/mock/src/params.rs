//! Gate step 5, parameters: the body or form turned into the action's JSON object, then
//! checked against its request shape.
//!
//! Forms (GET queries and v1 bodies) carry nested parameters flattened, `Filters.0.Values.1`,
//! with every value a string. They are rebuilt into the nested shape using the member types
//! of the contract: integers and floats parsed, booleans from `true`/`false` (and the
//! `True`/`False` the Python SDK writes), lists from their indexes. A value that does not parse
//! stays a string, so validation then names it with its expected type.
//!
//! Codes, each chosen once and used every time:
//! - a JSON body that is not UTF-8, not JSON (truncated, too deeply nested, a number out of
//!   range) or not an object: `InvalidRequest`: the body as a whole cannot be understood,
//!   before any parameter can be looked at (`InvalidParameter` is kept for one parameter);
//! - a missing required member: `MissingParameter`; a wrong type or a `null` where none is
//!   allowed: `InvalidParameter`; an unknown member: `UnknownParameter`. The first violation,
//!   in shape order, decides; the message names its path.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use tco_spec::{Action, Contract, Type, Violation, ViolationKind};

use crate::envelope::ApiError;

/// The parameters every v1 request carries besides the action's own; they are not part of any
/// request shape. (No request shape has a member of these names.)
pub const COMMON_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
];

/// Deeper keys than this are refused: no shape nests nearly as deep, and the rebuild recurses.
const MAX_KEY_DEPTH: usize = 32;

/// Parses a JSON body into the parameter object. An empty body is `{}`, as a body-less call
/// means "no parameters".
pub fn from_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::new("InvalidRequest", "The body is not valid UTF-8."))?;
    // serde_json stops at 128 levels of nesting with an error, so deep input cannot overflow
    // the stack; it also refuses numbers beyond f64.
    let value: Value = serde_json::from_str(text).map_err(|e| {
        ApiError::new(
            "InvalidRequest",
            format!("The body is not valid JSON: {e}."),
        )
    })?;
    match value {
        Value::Object(_) => Ok(value),
        other => Err(ApiError::new(
            "InvalidRequest",
            format!(
                "The body must be a JSON object of parameters, not {}.",
                kind_of(&other)
            ),
        )),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A flattened key's value tree before types are applied.
#[derive(Debug)]
enum Node {
    Leaf(String),
    Branch(BTreeMap<String, Node>),
}

/// Rebuilds flattened `key=value` pairs into the action's nested parameter object; the common
/// v1 parameters are left out.
pub fn from_form(action: &Action, pairs: &[(String, String)]) -> Result<Value, ApiError> {
    let mut root = BTreeMap::new();
    for (key, value) in pairs {
        if COMMON_PARAMS.contains(&key.as_str()) {
            continue;
        }
        insert(&mut root, key, value)?;
    }
    let ty = Type::Object(action.input.clone());
    Ok(typed(Node::Branch(root), Some(&ty), action.contract()))
}

fn insert(root: &mut BTreeMap<String, Node>, key: &str, value: &str) -> Result<(), ApiError> {
    let segments: Vec<&str> = key.split('.').collect();
    if segments.len() > MAX_KEY_DEPTH {
        return Err(ApiError::new(
            "InvalidParameter",
            format!("Parameter {key:?} nests deeper than {MAX_KEY_DEPTH} levels."),
        ));
    }
    let conflict = || {
        ApiError::new(
            "InvalidParameter",
            format!("Parameter {key:?} is given both as a value and as a list or object."),
        )
    };
    let (last, parents) = segments.split_last().ok_or_else(conflict)?;
    let mut map = root;
    for segment in parents {
        let node = map
            .entry((*segment).to_string())
            .or_insert_with(|| Node::Branch(BTreeMap::new()));
        map = match node {
            Node::Branch(children) => children,
            Node::Leaf(_) => return Err(conflict()),
        };
    }
    if matches!(map.get(*last), Some(Node::Branch(_))) {
        return Err(conflict());
    }
    // A repeated key keeps its last value, as a form decoder into a dict does.
    map.insert((*last).to_string(), Node::Leaf(value.to_string()));
    Ok(())
}

/// Applies the member type (`None`: a member the shape does not know, kept as strings so
/// validation reports it as unknown).
fn typed(node: Node, ty: Option<&Type>, contract: &Contract) -> Value {
    match (node, ty) {
        (Node::Leaf(text), Some(ty)) => scalar(text, ty),
        (Node::Leaf(text), None) => Value::String(text),
        (Node::Branch(children), Some(Type::List(items))) => list(children, items, contract),
        (Node::Branch(children), Some(Type::Object(shape))) => {
            let shape = contract.shape(shape);
            let members = children.into_iter().map(|(name, child)| {
                let ty = shape.and_then(|s| s.member(&name)).map(|m| &m.ty);
                let value = typed(child, ty, contract);
                (name, value)
            });
            Value::Object(members.collect())
        }
        // A container where a scalar belongs: keep its structure so the type error shows.
        (Node::Branch(children), _) => untyped(children, contract),
    }
}

fn untyped(children: BTreeMap<String, Node>, contract: &Contract) -> Value {
    let members = children
        .into_iter()
        .map(|(name, child)| (name, typed(child, None, contract)));
    Value::Object(members.collect())
}

/// `Key.0`, `Key.1`… in index order; keys that are not indexes make it an object (a type error).
fn list(children: BTreeMap<String, Node>, items: &Type, contract: &Contract) -> Value {
    let all_indexes = children.keys().all(|k| k.parse::<usize>().is_ok());
    if !all_indexes {
        return untyped(children, contract);
    }
    let mut indexed: Vec<(usize, Node)> = children
        .into_iter()
        .filter_map(|(k, node)| k.parse().ok().map(|i| (i, node)))
        .collect();
    indexed.sort_by_key(|(i, _)| *i);
    let values = indexed
        .into_iter()
        .map(|(_, node)| typed(node, Some(items), contract));
    Value::Array(values.collect())
}

fn scalar(text: String, ty: &Type) -> Value {
    let parsed = match ty {
        Type::Int64 => text.parse::<i64>().ok().map(Value::from),
        Type::Uint64 => text.parse::<u64>().ok().map(Value::from),
        Type::Float => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        Type::Bool => match text.as_str() {
            "true" | "True" => Some(Value::Bool(true)),
            "false" | "False" => Some(Value::Bool(false)),
            _ => None,
        },
        Type::String | Type::Datetime | Type::List(_) | Type::Object(_) => None,
    };
    parsed.unwrap_or(Value::String(text))
}

/// Checks the parameters against the request shape; the first violation decides the code.
pub fn validate(action: &Action, params: &Value) -> Result<(), ApiError> {
    match action.validate_request(params).into_iter().next() {
        None => Ok(()),
        Some(violation) => Err(refusal(&violation)),
    }
}

fn refusal(violation: &Violation) -> ApiError {
    let name = parameter_name(&violation.path);
    match &violation.kind {
        ViolationKind::MissingRequired => {
            ApiError::new("MissingParameter", format!("Parameter {name} is required."))
        }
        ViolationKind::WrongType { expected, found } => ApiError::new(
            "InvalidParameter",
            format!("Parameter {name}: expected {expected}, found {found}."),
        ),
        ViolationKind::NullNotAllowed => ApiError::new(
            "InvalidParameter",
            format!("Parameter {name} may not be null."),
        ),
        ViolationKind::UnknownMember => ApiError::new(
            "UnknownParameter",
            format!("Parameter {name} is not a parameter of this action."),
        ),
        ViolationKind::UnknownShape(shape) => ApiError::new(
            "InternalError",
            format!("The contract has no shape {shape}."),
        ),
    }
}

/// `$.Filters[0].Name` as a caller writes it: `Filters[0].Name`.
fn parameter_name(path: &str) -> &str {
    path.strip_prefix("$.").unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tco_spec::{action, Version};

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn v2021(name: &str) -> &'static Action {
        action(Version::V2021_03_31, name).unwrap()
    }

    #[test]
    fn rebuilds_nested_lists_objects_and_numbers() {
        // ListOrganizationIdentity: Offset, Limit (uint64), SearchKey, IdentityId, IdentityType.
        // DescribeOrganizationMembers has a list of objects (Tags) nested in the request.
        let a = v2021("DescribeOrganizationMembers");
        let form = pairs(&[
            ("Offset", "0"),
            ("Limit", "10"),
            ("Tags.0.TagKey", "k0"),
            ("Tags.0.TagValue", "v0"),
            ("Tags.1.TagKey", "k1"),
            ("Tags.1.TagValue", "v1"),
            ("Action", "DescribeOrganizationMembers"),
            ("Nonce", "1"),
        ]);
        let params = from_form(a, &form).unwrap();
        assert_eq!(params["Offset"], json!(0));
        assert_eq!(params["Limit"], json!(10));
        assert_eq!(
            params["Tags"],
            json!([{"TagKey": "k0", "TagValue": "v0"}, {"TagKey": "k1", "TagValue": "v1"}])
        );
        assert!(params.get("Action").is_none());
        validate(a, &params).unwrap();
    }

    #[test]
    fn list_indexes_order_numerically() {
        let a = v2021("DeleteOrganizationMembers");
        let mut form = Vec::new();
        for i in (0..12).rev() {
            form.push((format!("MemberUin.{i}"), format!("{}", 100 + i)));
        }
        let params = from_form(a, &form).unwrap();
        let expected: Vec<u64> = (100..112).collect();
        assert_eq!(params["MemberUin"], json!(expected));
        validate(a, &params).unwrap();
    }

    #[test]
    fn booleans_in_both_spellings() {
        let bool_member = find_bool_member();
        let (a, member) = bool_member;
        for (text, expected) in [
            ("True", true),
            ("true", true),
            ("False", false),
            ("false", false),
        ] {
            let params = from_form(a, &pairs(&[(member, text)])).unwrap();
            assert_eq!(params[member], json!(expected));
        }
        let params = from_form(a, &pairs(&[(member, "yes")])).unwrap();
        assert_eq!(params[member], json!("yes"));
    }

    /// Some request with a top-level bool member.
    fn find_bool_member() -> (&'static Action, &'static str) {
        tco_spec::all_actions()
            .find_map(|a| {
                a.request_shape()
                    .members
                    .iter()
                    .find(|m| m.ty == Type::Bool)
                    .map(|m| (a, m.name.as_str()))
            })
            .expect("some request has a bool member")
    }

    #[test]
    fn unparsable_values_stay_strings_and_fail_validation_by_name() {
        let a = v2021("DescribeOrganizationMembers");
        let params = from_form(a, &pairs(&[("Offset", "zero"), ("Limit", "10")])).unwrap();
        let err = validate(a, &params).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(err.message.contains("Offset"), "{}", err.message);
    }

    #[test]
    fn unknown_and_missing_members() {
        let a = v2021("DescribeOrganizationMembers");
        let params = from_form(
            a,
            &pairs(&[("Offset", "0"), ("Limit", "1"), ("Colour", "x")]),
        )
        .unwrap();
        let err = validate(a, &params).unwrap_err();
        assert_eq!(err.code, "UnknownParameter");
        assert!(err.message.contains("Colour"));
        let params = from_form(a, &pairs(&[("Limit", "1")])).unwrap();
        let err = validate(a, &params).unwrap_err();
        assert_eq!(err.code, "MissingParameter");
        assert!(err.message.contains("Offset"));
    }

    #[test]
    fn conflicting_and_too_deep_keys_are_invalid() {
        let a = v2021("DescribeOrganizationMembers");
        let err = from_form(a, &pairs(&[("Tags", "x"), ("Tags.0.TagKey", "k")])).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        let err = from_form(a, &pairs(&[("Tags.0.TagKey", "k"), ("Tags", "x")])).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        let deep = vec!["A"; 10_000].join(".");
        let err = from_form(a, &pairs(&[(&deep, "x")])).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
    }

    #[test]
    fn json_bodies() {
        assert_eq!(from_json(b"").unwrap(), json!({}));
        assert_eq!(from_json(b" {\"A\": 1} ").unwrap(), json!({"A": 1}));
        for bad in [
            &b"{\"A\": "[..],
            b"[1, 2]",
            b"null",
            b"\xff\xfe{}",
            b"{\"A\": 1e999}",
        ] {
            assert_eq!(
                from_json(bad).unwrap_err().code,
                "InvalidRequest",
                "{bad:?}"
            );
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(
            from_json(deep.as_bytes()).unwrap_err().code,
            "InvalidRequest"
        );
    }
}
