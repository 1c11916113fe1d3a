//! Policy documents: parsed and checked per type's syntax, and tag policies read back for the
//! effective policy.
//!
//! Service control policies use the CAM policy syntax: `{"version": "2.0", "statement": ...}`,
//! each statement with an `effect` (allow/deny), an `action` (`*` or `service:Operation`, alone
//! or in a list), a `resource` (`*` or a six-segment `qcs:project:service:region:account:resource`)
//! and an optional `condition` of CAM condition operators; service control policies take no
//! `principal`. Tag policies use the tag policy syntax: `{"tags": {policy key: {"tag_key": ...,
//! "tag_value": [...], "resource_type_scope": [...], ...}}}`, each field either a plain value or
//! `{"@@assign": value}` (the only inheritance operator the syntax documents).

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::catalogue::Syntax;
use super::failures::*;
use crate::state::failure::Failure;

/// A document that fails its syntax: which check, and where.
pub(crate) type Bad = (Failure, String);

/// Checks `document` against `syntax`; the length limit is the caller's.
pub(crate) fn check_syntax(syntax: Syntax, document: &str) -> Result<(), Bad> {
    match syntax {
        Syntax::Cam => check_cam(document),
        Syntax::Tag => read_tag_policy(document).map(|_| ()),
    }
}

fn bad(failure: Failure, detail: impl Into<String>) -> Bad {
    (failure, detail.into())
}

// The CAM policy syntax.

/// Condition operators of the CAM syntax; each may end in `_if_exist` and start with
/// `for_all_value:` or `for_any_value:`.
const CONDITION_OPERATORS: &[&str] = &[
    "string_equal",
    "string_not_equal",
    "string_equal_ignore_case",
    "string_not_equal_ignore_case",
    "string_like",
    "string_not_like",
    "numeric_equal",
    "numeric_not_equal",
    "numeric_less_than",
    "numeric_less_than_equal",
    "numeric_greater_than",
    "numeric_greater_than_equal",
    "date_equal",
    "date_not_equal",
    "date_less_than",
    "date_less_than_equal",
    "date_greater_than",
    "date_greater_than_equal",
    "bool_equal",
    "binary_equal",
    "ip_equal",
    "ip_not_equal",
    "null_equal",
];

const STATEMENT_MEMBERS: &[&str] = &["effect", "action", "resource", "condition", "principal"];

fn check_cam(document: &str) -> Result<(), Bad> {
    let doc: Value = serde_json::from_str(document)
        .map_err(|e| bad(DOCUMENT_ERROR, format!("(not JSON: {e})")))?;
    let doc = doc
        .as_object()
        .ok_or_else(|| bad(DOCUMENT_ERROR, "(not a JSON object)"))?;
    if let Some(key) = doc.keys().find(|k| *k != "version" && *k != "statement") {
        return Err(bad(DOCUMENT_ERROR, format!("(unknown member {key:?})")));
    }
    if doc.get("version").and_then(Value::as_str) != Some("2.0") {
        return Err(bad(VERSION_ERROR, ""));
    }
    let statements = match doc.get("statement") {
        Some(Value::Object(_)) => std::slice::from_ref(&doc["statement"]),
        Some(Value::Array(list)) if !list.is_empty() => list.as_slice(),
        _ => return Err(bad(STATEMENT_ERROR, "")),
    };
    for (i, statement) in statements.iter().enumerate() {
        check_statement(statement).map_err(|(f, d)| (f, format!("(statement {i}{d})")))?;
    }
    Ok(())
}

/// One statement; the detail it returns continues "(statement N".
fn check_statement(statement: &Value) -> Result<(), Bad> {
    let s = statement
        .as_object()
        .ok_or_else(|| bad(STATEMENT_ERROR, ": not an object"))?;
    if let Some(key) = s.keys().find(|k| !STATEMENT_MEMBERS.contains(&k.as_str())) {
        return Err(bad(STATEMENT_ERROR, format!(": unknown member {key:?}")));
    }
    let effect = s.get("effect").and_then(Value::as_str).unwrap_or("");
    if !effect.eq_ignore_ascii_case("allow") && !effect.eq_ignore_ascii_case("deny") {
        return Err(bad(EFFECT_ERROR, format!(": {effect:?}")));
    }
    if s.contains_key("principal") {
        return Err(bad(PRINCIPAL_ERROR, ""));
    }
    let actions = s.get("action").ok_or_else(|| bad(ACTION_MISSING, ""))?;
    for action in one_or_many(actions).ok_or_else(|| bad(ACTION_ERROR, ""))? {
        check_action(action).map_err(|(f, d)| (f, format!(": action {action:?}{d}")))?;
    }
    let resources = s
        .get("resource")
        .ok_or_else(|| bad(RESOURCE_ERROR, ": none"))?;
    for resource in one_or_many(resources).ok_or_else(|| bad(RESOURCE_ERROR, ""))? {
        check_resource(resource).map_err(|(f, d)| (f, format!(": resource {resource:?}{d}")))?;
    }
    if let Some(condition) = s.get("condition") {
        check_condition(condition)?;
    }
    Ok(())
}

/// A string, or a non-empty list of strings.
fn one_or_many(value: &Value) -> Option<Vec<&str>> {
    match value {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(list) if !list.is_empty() => list.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

fn is_word(s: &str, extra: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// `*`, or `service:Operation` (optionally `name/`-prefixed, `*` allowed in the operation).
fn check_action(action: &str) -> Result<(), Bad> {
    if action == "*" {
        return Ok(());
    }
    let action = action.strip_prefix("name/").unwrap_or(action);
    let (service, operation) = action
        .split_once(':')
        .ok_or_else(|| bad(ACTION_ERROR, ""))?;
    if service.is_empty() {
        return Err(bad(ACTION_SERVICE_MISSING, ""));
    }
    if operation.is_empty() {
        return Err(bad(ACTION_NAME_MISSING, ""));
    }
    if !is_word(service, "_-") || !is_word(operation, "*_") {
        return Err(bad(ACTION_ERROR, ""));
    }
    Ok(())
}

/// `*`, or `qcs:project:service:region:account:resource`.
fn check_resource(resource: &str) -> Result<(), Bad> {
    if resource == "*" {
        return Ok(());
    }
    let Some(rest) = resource.strip_prefix("qcs:") else {
        return Err(bad(RESOURCE_ERROR, ""));
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [project, service, region, account, name] = parts[..] else {
        return Err(bad(RESOURCE_QCS_ERROR, ""));
    };
    let any = |s: &str| s.is_empty() || s == "*";
    let numbered = |s: &str, prefix: &str| {
        s.strip_prefix(prefix)
            .is_some_and(|n| n == "*" || (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
    };
    if !any(project) && !numbered(project, "id/") {
        return Err(bad(RESOURCE_PROJECT_ERROR, ""));
    }
    if service != "*" && !is_word(service, "_-") {
        return Err(bad(RESOURCE_SERVICE_ERROR, ""));
    }
    let region_ok = region.contains('-')
        && region
            .split('-')
            .all(|p| is_word(p, "") && p.bytes().all(|b| !b.is_ascii_uppercase()));
    if !any(region) && !region_ok {
        return Err(bad(RESOURCE_REGION_ERROR, ""));
    }
    if !any(account) && !numbered(account, "uin/") && !numbered(account, "uid/") {
        return Err(bad(RESOURCE_UIN_ERROR, ""));
    }
    if name.is_empty() {
        return Err(bad(RESOURCE_CONTENT_ERROR, ""));
    }
    Ok(())
}

fn check_condition(condition: &Value) -> Result<(), Bad> {
    let operators = condition
        .as_object()
        .filter(|o| !o.is_empty())
        .ok_or_else(|| bad(CONDITION_ERROR, ""))?;
    for (operator, body) in operators {
        let base = operator
            .strip_prefix("for_all_value:")
            .or_else(|| operator.strip_prefix("for_any_value:"))
            .unwrap_or(operator);
        let base = base.strip_suffix("_if_exist").unwrap_or(base);
        if !CONDITION_OPERATORS.contains(&base) {
            return Err(bad(CONDITION_TYPE_ERROR, format!(" ({operator:?})")));
        }
        let scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
        let body_ok = body.as_object().is_some_and(|keys| {
            !keys.is_empty()
                && keys.values().all(|v| match v {
                    Value::Array(list) => !list.is_empty() && list.iter().all(scalar),
                    v => scalar(v),
                })
        });
        if !body_ok {
            return Err(bad(CONDITION_CONTENT_ERROR, format!(" ({operator:?})")));
        }
    }
    Ok(())
}

// The tag policy syntax.

/// Fields a tag policy's entry may have; `tag_key` is required.
const TAG_FIELDS: &[&str] = &[
    "tag_key",
    "tag_value",
    "tag_value_dynamic",
    "resource_type_scope",
    "enforced_for",
    "correction",
    "detection",
    "auto_assign",
    "auto_assign_value",
];

/// Fields that hold a list of strings; the others hold one string.
const TAG_LIST_FIELDS: &[&str] = &["tag_value", "resource_type_scope", "enforced_for"];

/// Prefixes of tag keys the system keeps for itself.
const RESERVED_TAG_PREFIXES: &[&str] = &["qcloud", "tencent", "project"];

/// One policy key of a tag policy: its name as written and its fields, plain values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TagRule {
    pub key: String,
    pub fields: Map<String, Value>,
}

/// Parses and checks a tag policy; its rules in document order.
pub(crate) fn read_tag_policy(document: &str) -> Result<Vec<TagRule>, Bad> {
    let tree: Tree = serde_json::from_str(document)
        .map_err(|e| bad(DOCUMENT_ERROR, format!("(not JSON: {e})")))?;
    let Tree::Object(top) = tree else {
        return Err(bad(DOCUMENT_ERROR, "(not a JSON object)"));
    };
    let tags = match &top[..] {
        [(name, Tree::Object(tags))] if name == "tags" => tags,
        _ => {
            return Err(bad(
                TAG_CONTENT_INVALID,
                "(a tag policy is one object, {\"tags\": {...}})",
            ))
        }
    };
    let mut rules: Vec<TagRule> = Vec::new();
    for (key, entry) in tags {
        if rules.iter().any(|r| r.key.eq_ignore_ascii_case(key)) {
            return Err(bad(TAG_KEY_DUPLICATED, format!("({key:?})")));
        }
        let fields = read_rule(key, entry)?;
        rules.push(TagRule {
            key: key.clone(),
            fields,
        });
    }
    if rules.is_empty() {
        return Err(bad(TAG_CONTENT_INVALID, "(no policy key)"));
    }
    Ok(rules)
}

/// One policy key's fields, `@@assign` unwrapped.
fn read_rule(key: &str, entry: &Tree) -> Result<Map<String, Value>, Bad> {
    let Tree::Object(members) = entry else {
        return Err(bad(
            TAG_CONTENT_INVALID,
            format!("({key:?} is not an object)"),
        ));
    };
    let mut fields = Map::new();
    for (field, raw) in members {
        if !TAG_FIELDS.contains(&field.as_str()) || fields.contains_key(field) {
            return Err(bad(
                TAG_CONTENT_INVALID,
                format!("({key:?}: unknown or repeated field {field:?})"),
            ));
        }
        let value = assigned(raw.to_value()).ok_or_else(|| {
            bad(
                TAG_CONTENT_INVALID,
                format!("({key:?}.{field}: only @@assign is supported)"),
            )
        })?;
        let shape_ok = if TAG_LIST_FIELDS.contains(&field.as_str()) {
            value
                .as_array()
                .is_some_and(|l| l.iter().all(|v| v.as_str().is_some_and(|s| !s.is_empty())))
        } else {
            value.as_str().is_some_and(|s| !s.is_empty())
        };
        if !shape_ok {
            return Err(bad(
                TAG_CONTENT_INVALID,
                format!("({key:?}.{field} has the wrong form)"),
            ));
        }
        fields.insert(field.clone(), value);
    }
    let tag_key = fields
        .get("tag_key")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(TAG_CONTENT_INVALID, format!("({key:?} has no tag_key)")))?;
    if !tag_key.eq_ignore_ascii_case(key) {
        return Err(bad(
            TAG_CONTENT_INVALID,
            format!("({key:?}: tag_key {tag_key:?} differs from the policy key)"),
        ));
    }
    let lower = tag_key.to_ascii_lowercase();
    if RESERVED_TAG_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return Err(bad(RESERVED_TAG_KEY, format!("({tag_key:?})")));
    }
    if let Some(scope) = fields.get("resource_type_scope").and_then(Value::as_array) {
        let scope_ok = scope.iter().filter_map(Value::as_str).all(|s| {
            s == "*"
                || s.split_once(':')
                    .is_some_and(|(svc, ty)| is_word(svc, "_-") && is_word(ty, "_-*"))
        });
        if !scope_ok {
            return Err(bad(
                TAG_CONTENT_INVALID,
                format!("({key:?}.resource_type_scope entries are * or service:type)"),
            ));
        }
    }
    Ok(fields)
}

/// A field's value: `{"@@assign": v}` gives `v`, any other `@@` operator is refused, a plain
/// value is itself.
fn assigned(value: Value) -> Option<Value> {
    match value {
        Value::Object(mut map) if map.keys().any(|k| k.starts_with("@@")) => {
            if map.len() == 1 {
                map.remove("@@assign")
            } else {
                None
            }
        }
        other => Some(other),
    }
}

/// A JSON tree that keeps repeated object keys (serde_json's `Value` keeps the last), so that
/// a tag policy naming a policy key twice can be told apart.
#[derive(Debug)]
enum Tree {
    Scalar(Value),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl Tree {
    fn to_value(&self) -> Value {
        match self {
            Tree::Scalar(v) => v.clone(),
            Tree::Array(items) => Value::Array(items.iter().map(Tree::to_value).collect()),
            Tree::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::String(v.to_owned())))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Tree>()? {
            members.push((key, value));
        }
        Ok(Tree::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cam(doc: &str) -> Result<(), &'static str> {
        check_syntax(Syntax::Cam, doc).map_err(|(f, _)| f.name)
    }

    fn tag(doc: &str) -> Result<(), &'static str> {
        check_syntax(Syntax::Tag, doc).map_err(|(f, _)| f.name)
    }

    fn statement(body: &str) -> String {
        format!(r#"{{"version":"2.0","statement":[{body}]}}"#)
    }

    /// The documents of the contract's examples and the CAM documentation's forms pass.
    #[test]
    fn documented_forms_pass() {
        let ok = [
            r#"{"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]}"#.to_owned(),
            r#"{"version":"2.0","statement":{"effect":"Deny","action":["cvm:RunInstances","name/cos:Get*"],"resource":["qcs::cvm:ap-guangzhou:uin/100000000001:instance/*"]}}"#.to_owned(),
            statement(r#"{"effect":"deny","action":"vpc:*","resource":"qcs:id/0:vpc:ap-shanghai-fsi::vpc/*","condition":{"ip_not_equal":{"qcs:ip":["10.0.0.0/8"]},"for_any_value:string_equal_if_exist":{"qcs:request_tag":"k&v"}}}"#),
            statement(r#"{"effect":"allow","action":"cam:*","resource":"qcs::vpc::uin/1111111111:subnet/subnet1"}"#),
        ];
        for doc in &ok {
            assert_eq!(cam(doc), Ok(()), "{doc}");
        }
        for doc in [
            r#"{"tags":{"aaa":{"tag_key":"aaa","tag_value":["111","222"],"resource_type_scope":["cvm:instance","cvm:volume"]},"bbb":{"tag_key":"bbb","tag_value":["333"]}}}"#,
            r#"{"tags":{"principal":{"tag_key":{"@@assign":"Principal"},"tag_value":{"@@assign":["name 1"]},"resource_type_scope":{"@@assign":["ecs:instance","ecs:disk"]},"correction":{"@@assign":"on"},"enforced_for":{"@@assign":["*"]}}}}"#,
        ] {
            assert_eq!(tag(doc), Ok(()), "{doc}");
        }
    }

    /// Each broken form is named by its own check.
    #[test]
    fn each_fault_has_its_check() {
        let cases = [
            ("not json", "DocumentError"),
            ("[]", "DocumentError"),
            (r#"{"version":"2.0","statement":[],"x":1}"#, "DocumentError"),
            (r#"{"version":"1.0","statement":[]}"#, "VersionError"),
            (r#"{"statement":[]}"#, "VersionError"),
            (r#"{"version":"2.0","statement":[]}"#, "StatementError"),
            (r#"{"version":"2.0"}"#, "StatementError"),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"*","sid":"x"}"#),
                "StatementError",
            ),
            (
                &statement(r#"{"effect":"maybe","action":"*","resource":"*"}"#),
                "EffectError",
            ),
            (
                &statement(r#"{"action":"*","resource":"*"}"#),
                "EffectError",
            ),
            (
                &statement(r#"{"effect":"allow","resource":"*"}"#),
                "ActionMissing",
            ),
            (
                &statement(r#"{"effect":"allow","action":[],"resource":"*"}"#),
                "ActionError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"RunInstances","resource":"*"}"#),
                "ActionError",
            ),
            (
                &statement(r#"{"effect":"allow","action":":RunInstances","resource":"*"}"#),
                "ActionServiceMissing",
            ),
            (
                &statement(r#"{"effect":"allow","action":"cvm:","resource":"*"}"#),
                "ActionNameMissing",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*"}"#),
                "ResourceError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"arn:aws:s3:::b"}"#),
                "ResourceError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"qcs::cvm:x"}"#),
                "ResourceQcsError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"qcs:p1:cvm:::x"}"#),
                "ResourceProjectError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"qcs:::::x"}"#),
                "ResourceServiceError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"qcs::cvm:Guangzhou::x"}"#),
                "ResourceRegionError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"qcs::cvm::100:x"}"#),
                "ResourceUinError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"qcs::cvm:::"}"#),
                "ResourceContentError",
            ),
            (
                &statement(
                    r#"{"effect":"allow","action":"*","resource":"*","principal":{"qcs":["*"]}}"#,
                ),
                "PrincipalError",
            ),
            (
                &statement(r#"{"effect":"allow","action":"*","resource":"*","condition":[]}"#),
                "ConditionError",
            ),
            (
                &statement(
                    r#"{"effect":"allow","action":"*","resource":"*","condition":{"StringEquals":{"k":"v"}}}"#,
                ),
                "ConditionTypeError",
            ),
            (
                &statement(
                    r#"{"effect":"allow","action":"*","resource":"*","condition":{"string_equal":"v"}}"#,
                ),
                "ConditionContentError",
            ),
        ];
        for (doc, check) in cases {
            assert_eq!(cam(doc), Err(check), "{doc}");
        }
        let tag_cases = [
            ("{", "DocumentError"),
            (r#"{"tag":{}}"#, "TagContentInvalid"),
            (r#"{"tags":{}}"#, "TagContentInvalid"),
            (r#"{"tags":{"a":{"tag_value":["1"]}}}"#, "TagContentInvalid"),
            (r#"{"tags":{"a":{"tag_key":"b"}}}"#, "TagContentInvalid"),
            (
                r#"{"tags":{"a":{"tag_key":"a","colour":"red"}}}"#,
                "TagContentInvalid",
            ),
            (
                r#"{"tags":{"a":{"tag_key":"a","tag_value":"1"}}}"#,
                "TagContentInvalid",
            ),
            (
                r#"{"tags":{"a":{"tag_key":{"@@append":"a"}}}}"#,
                "TagContentInvalid",
            ),
            (
                r#"{"tags":{"a":{"tag_key":"a","resource_type_scope":["cvm"]}}}"#,
                "TagContentInvalid",
            ),
            (
                r#"{"tags":{"a":{"tag_key":"a"},"A":{"tag_key":"A"}}}"#,
                "TagKeyDuplicated",
            ),
            (
                r#"{"tags":{"a":{"tag_key":"a"},"a":{"tag_key":"a"}}}"#,
                "TagKeyDuplicated",
            ),
            (
                r#"{"tags":{"qcloud:env":{"tag_key":"qcloud:env"}}}"#,
                "ReservedTagKey",
            ),
        ];
        for (doc, check) in tag_cases {
            assert_eq!(tag(doc), Err(check), "{doc}");
        }
    }

    #[test]
    fn tag_rules_come_back_plain_in_document_order() {
        let rules = read_tag_policy(
            r#"{"tags":{"b":{"tag_key":{"@@assign":"B"},"tag_value":{"@@assign":["1"]}},"a":{"tag_key":"a"}}}"#,
        )
        .unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].key, "b");
        assert_eq!(rules[0].fields["tag_key"], "B");
        assert_eq!(rules[0].fields["tag_value"], serde_json::json!(["1"]));
        assert_eq!(rules[1].key, "a");
    }
}
