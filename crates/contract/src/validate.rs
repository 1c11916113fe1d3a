//! One JSON document checked against the contract, every problem with its JSON path: the unit
//! the suite is built from, and `tco-harness contract validate`.

use std::fmt;

use serde::Serialize;
use serde_json::Value;
use tco_spec::{Action, ViolationKind};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the contract.
    Violation,
    /// Worth knowing, breaks nothing (a response member the contract does not have).
    Warning,
}

/// One problem of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `$` for the document, then `.Member` and `[index]` steps.
    pub path: String,
    pub message: String,
    pub severity: Severity,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Violation => write!(f, "{}: {}", self.path, self.message),
            Severity::Warning => write!(f, "{}: {} (warning)", self.path, self.message),
        }
    }
}

fn violation(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
        severity: Severity::Violation,
    }
}

/// A request body (the JSON object of parameters): every member the contract does not know is
/// a violation, as the API refuses it (`UnknownParameter`).
pub fn request(action: &Action, body: &Value) -> Vec<Problem> {
    action
        .validate_request(body)
        .into_iter()
        .map(|v| violation(v.path, v.kind.to_string()))
        .collect()
}

/// A response: the whole envelope `{"Response": {…}}`, or only the `Response` object. A
/// success is checked against the action's response shape (unknown members are warnings:
/// additive drift), an error for `Code` and `Message` and a documented code; both for a
/// `RequestId` that is a UUID.
pub fn response(action: &Action, body: &Value) -> Vec<Problem> {
    let (inner, prefix) = match body.get("Response") {
        Some(inner) => (inner, "$.Response"),
        None => (body, "$"),
    };
    let at = |path: &str| format!("{prefix}{}", &path[1..]);
    let Some(map) = inner.as_object() else {
        return vec![violation(prefix, "not an object")];
    };
    let mut problems = Vec::new();
    match map.get("RequestId") {
        None => problems.push(violation(at("$.RequestId"), "missing required member")),
        Some(Value::String(id)) if uuid::Uuid::try_parse(id).is_err() => problems.push(violation(
            at("$.RequestId"),
            format!("{id:?} is not a UUID"),
        )),
        Some(Value::String(_)) => {}
        Some(_) => problems.push(violation(at("$.RequestId"), "not a string")),
    }
    if let Some(error) = map.get("Error") {
        let Some(error) = error.as_object() else {
            problems.push(violation(at("$.Error"), "not an object"));
            return problems;
        };
        for member in ["Code", "Message"] {
            match error.get(member) {
                Some(Value::String(_)) => {}
                Some(_) => {
                    problems.push(violation(at(&format!("$.Error.{member}")), "not a string"))
                }
                None => problems.push(violation(
                    at(&format!("$.Error.{member}")),
                    "missing required member",
                )),
            }
        }
        if let Some(code) = error.get("Code").and_then(Value::as_str) {
            if !action.is_documented_error(code) {
                problems.push(violation(
                    at("$.Error.Code"),
                    format!(
                        "{code} is neither a common code nor documented for {}",
                        action.name
                    ),
                ));
            }
        }
        for key in map
            .keys()
            .filter(|k| !matches!(k.as_str(), "Error" | "RequestId"))
        {
            problems.push(Problem {
                path: at(&format!("$.{key}")),
                message: "unknown member beside Error".into(),
                severity: Severity::Warning,
            });
        }
        return problems;
    }
    for v in action.validate_response(inner) {
        // The RequestId was checked above, with a better message.
        if v.path == "$.RequestId" {
            continue;
        }
        let path = at(&v.path);
        problems.push(match v.kind {
            ViolationKind::UnknownMember => Problem {
                path,
                message: "additive drift: not in the contract".into(),
                severity: Severity::Warning,
            },
            kind => violation(path, kind.to_string()),
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tco_spec::Version;

    fn action() -> &'static Action {
        tco_spec::action(Version::V2018_12_25, "GetOrganization").unwrap()
    }

    /// The problems as they print.
    fn texts(problems: &[Problem]) -> Vec<String> {
        problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_example_response_is_clean_with_or_without_envelope() {
        let mut inner = action().example_response();
        inner["RequestId"] = json!(uuid::Uuid::new_v4().to_string());
        assert_eq!(response(action(), &inner), vec![]);
        assert_eq!(response(action(), &json!({"Response": inner})), vec![]);
    }

    #[test]
    fn problems_carry_paths() {
        let mut inner = action().example_response();
        inner["RequestId"] = json!("not-a-uuid");
        inner["OrgId"] = json!("12");
        inner.as_object_mut().unwrap().remove("HostUin");
        inner["Extra"] = json!(1);
        let found = texts(&response(action(), &json!({"Response": inner})));
        assert_eq!(
            found,
            vec![
                "$.Response.RequestId: \"not-a-uuid\" is not a UUID",
                "$.Response.OrgId: expected uint64, found string",
                "$.Response.HostUin: missing required member",
                "$.Response.Extra: additive drift: not in the contract (warning)",
            ]
        );
    }

    #[test]
    fn errors_are_checked_for_documented_codes() {
        let id = uuid::Uuid::new_v4().to_string();
        let ok = json!({"Response": {"Error": {"Code": "InternalError", "Message": "m"}, "RequestId": id}});
        assert_eq!(response(action(), &ok), vec![]);
        let bad =
            json!({"Response": {"Error": {"Code": "FailedOperation.Invented"}, "RequestId": id}});
        let found = texts(&response(action(), &bad));
        assert_eq!(
            found,
            vec![
                "$.Response.Error.Message: missing required member",
                "$.Response.Error.Code: FailedOperation.Invented is neither a common code nor documented for GetOrganization",
            ]
        );
    }

    #[test]
    fn requests() {
        let a = tco_spec::action(Version::V2018_12_25, "CreateOrganization").unwrap();
        assert_eq!(request(a, &json!({"OrgType": 1})), vec![]);
        let found = texts(&request(a, &json!({"OrgType": "one", "X": 1})));
        assert_eq!(
            found,
            vec![
                "$.OrgType: expected uint64, found string",
                "$.X: unknown member"
            ]
        );
    }
}
