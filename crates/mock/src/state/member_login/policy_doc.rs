//! The syntax of a custom identity policy: a CAM policy document.
//!
//! `{"version": "2.0", "statement": [{"effect": "allow", "action": [...], "resource": [...]}]}`:
//! the version is `2.0`; the statements are a non-empty list of objects, each with an effect
//! (`allow` or `deny`, any case), one or more actions (`*`, or `service:name` where the name may
//! hold `*`), one or more resources (`*` or a six-segment `qcs::...` description), and optionally
//! a condition object. Nothing else is allowed in a statement.

use serde_json::Value;

const STATEMENT_KEYS: [&str; 4] = ["effect", "action", "resource", "condition"];

/// Why `document` is not a policy, if it is not.
pub(crate) fn problem(document: &str) -> Option<String> {
    check(document).err()
}

fn check(document: &str) -> Result<(), String> {
    let doc: Value =
        serde_json::from_str(document).map_err(|e| format!("it is not JSON ({e})."))?;
    let doc = doc.as_object().ok_or("it is not a JSON object.")?;
    match doc.get("version").and_then(Value::as_str) {
        Some("2.0") => {}
        _ => return Err("its version must be \"2.0\".".into()),
    }
    let statements = doc
        .get("statement")
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or("it needs a non-empty statement list.")?;
    for (i, s) in statements.iter().enumerate() {
        statement(s).map_err(|e| format!("statement {i}: {e}"))?;
    }
    Ok(())
}

fn statement(s: &Value) -> Result<(), String> {
    let s = s.as_object().ok_or("not an object.")?;
    if let Some(key) = s.keys().find(|k| !STATEMENT_KEYS.contains(&k.as_str())) {
        return Err(format!("unknown element {key:?}."));
    }
    match s.get("effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("allow") || e.eq_ignore_ascii_case("deny") => {}
        _ => return Err("effect must be allow or deny.".into()),
    }
    for a in strings(s.get("action")).ok_or("action must be a string or a list of them.")? {
        if !is_action(a) {
            return Err(format!("action {a:?} is neither * nor service:name."));
        }
    }
    for r in strings(s.get("resource")).ok_or("resource must be a string or a list of them.")? {
        if !is_resource(r) {
            return Err(format!("resource {r:?} is neither * nor qcs::service:..."));
        }
    }
    match s.get("condition") {
        None => Ok(()),
        Some(Value::Object(_)) => Ok(()),
        Some(_) => Err("condition must be an object.".into()),
    }
}

/// A string, or a non-empty list of strings.
fn strings(v: Option<&Value>) -> Option<Vec<&str>> {
    match v? {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(items) if !items.is_empty() => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

fn is_action(a: &str) -> bool {
    if a == "*" {
        return true;
    }
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '_' || c == '-')
    };
    a.split_once(':')
        .is_some_and(|(service, name)| word(service) && word(name))
}

fn is_resource(r: &str) -> bool {
    r == "*" || (r.starts_with("qcs::") && r.split(':').count() >= 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_example_is_a_policy() {
        let example = r#"{   "version": "2.0",   "statement": [     {       "effect": "allow",       "action": [         "vpc:*"       ],       "resource": [         "*"       ]     }   ] }"#;
        assert_eq!(problem(example), None);
    }

    #[test]
    fn each_broken_rule_is_named() {
        let cases = [
            ("not json", "not JSON"),
            ("[]", "not a JSON object"),
            (r#"{"version":"1.0","statement":[]}"#, "version"),
            (r#"{"version":"2.0","statement":[]}"#, "non-empty statement"),
            (
                r#"{"version":"2.0","statement":[{"effect":"maybe","action":"*","resource":"*"}]}"#,
                "effect",
            ),
            (
                r#"{"version":"2.0","statement":[{"effect":"allow","action":[],"resource":"*"}]}"#,
                "action must be",
            ),
            (
                r#"{"version":"2.0","statement":[{"effect":"allow","action":"vpc","resource":"*"}]}"#,
                "neither * nor service:name",
            ),
            (
                r#"{"version":"2.0","statement":[{"effect":"allow","action":"vpc:*","resource":"vpc"}]}"#,
                "qcs::",
            ),
            (
                r#"{"version":"2.0","statement":[{"effect":"allow","action":"vpc:*","resource":"*","principal":{}}]}"#,
                "unknown element",
            ),
            (
                r#"{"version":"2.0","statement":[{"effect":"deny","action":"*","resource":"*","condition":1}]}"#,
                "condition",
            ),
        ];
        for (doc, says) in cases {
            let p = problem(doc).unwrap_or_else(|| panic!("{doc} passed"));
            assert!(p.contains(says), "{doc}: {p}");
        }
        assert_eq!(
            problem(
                r#"{"version":"2.0","statement":[{"effect":"Deny","action":["cvm:Describe*"],
                    "resource":"qcs::cvm:ap-guangzhou:uin/1:instance/*"}]}"#
            ),
            None
        );
    }
}
