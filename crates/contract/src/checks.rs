//! The checks, as pure functions of an answer: the envelope, the `RequestId`, the response's
//! shape and its error code, and the check names reports use. `verdict` applies them to every
//! answer the runner gets and decides whether an answer is what its probe expects; `validate`
//! applies them to a document on disk.

use tco_spec::{Action, Contract, ViolationKind};

use crate::report::Judgement;
use crate::wire::Exchange;

/// Check names, as they appear in reports.
pub mod names {
    pub const ENVELOPE: &str = "envelope";
    pub const REQUEST_ID: &str = "request-id";
    pub const RESPONSE_SHAPE: &str = "response-shape";
    pub const ERROR_CODE: &str = "error-code";
    pub const POSITIVE: &str = "positive";
    /// Against the mock only: the example request, its IDs filled from fixtures made for it.
    pub const POSITIVE_FIXTURE: &str = "positive.fixture";
    /// A list action's first page, with only the required members.
    pub const POSITIVE_LIST: &str = "positive.list";
    /// Against the mock only: that first page, its IDs filled from fixtures made for it.
    pub const POSITIVE_LIST_FIXTURE: &str = "positive.list.fixture";
    /// Whether a list action's first page had items, so that their shape was checked.
    pub const LIST_ITEMS: &str = "list-items";
    pub const MISSING_PARAMETER: &str = "missing-parameter";
    pub const WRONG_TYPE: &str = "wrong-type";
    pub const UNKNOWN_PARAMETER: &str = "unknown-parameter";
    pub const INVALID_ACTION: &str = "invalid-action";
    pub const UNKNOWN_VERSION: &str = "unknown-version";
    pub const BAD_SIGNATURE: &str = "bad-signature";
    pub const EXPIRED_TIMESTAMP: &str = "expired-timestamp";
    pub const UNKNOWN_SECRET_ID: &str = "unknown-secret-id";
    pub const RATE_LIMIT: &str = "rate-limit";
    pub const FLOW: &str = "flow";
}

/// Problems with the envelope: status, content type, JSON, `Response`, `Error.Code` and
/// `Error.Message`. (The `RequestId` has its own check.)
pub fn envelope(answer: &Exchange) -> Vec<String> {
    let mut problems = Vec::new();
    if answer.status != 200 {
        problems.push(format!(
            "HTTP status {} (the API answers 200, errors included)",
            answer.status
        ));
    }
    let json_type = answer.content_type.as_deref().is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    });
    if !json_type {
        problems.push(format!(
            "Content-Type is {}, not application/json",
            answer
                .content_type
                .as_deref()
                .map_or("absent".to_owned(), |c| format!("{c:?}"))
        ));
    }
    let Some(json) = &answer.json else {
        problems.push(format!("the body is not JSON: {}", snippet(&answer.body)));
        return problems;
    };
    let Some(response) = json.get("Response") else {
        problems.push("no Response member".to_owned());
        return problems;
    };
    let Some(response) = response.as_object() else {
        problems.push("Response is not an object".to_owned());
        return problems;
    };
    if let Some(error) = response.get("Error") {
        match error.as_object() {
            None => problems.push("Response.Error is not an object".to_owned()),
            Some(error) => {
                for member in ["Code", "Message"] {
                    match error.get(member) {
                        Some(v) if v.is_string() => {}
                        Some(_) => {
                            problems.push(format!("Response.Error.{member} is not a string"))
                        }
                        None => problems.push(format!("Response.Error has no {member}")),
                    }
                }
            }
        }
    }
    problems
}

/// The `RequestId` is present and a UUID. (Uniqueness across a run is the runner's part.)
pub fn request_id_format(answer: &Exchange) -> Result<&str, String> {
    let Some(response) = answer.response() else {
        return Err("no Response object to carry a RequestId".to_owned());
    };
    match response.get("RequestId") {
        None => Err("Response has no RequestId".to_owned()),
        Some(v) => match v.as_str() {
            None => Err(format!("RequestId is not a string: {v}")),
            Some(id) if uuid::Uuid::try_parse(id).is_ok() => Ok(id),
            Some(id) => Err(format!("RequestId {id:?} is not a UUID")),
        },
    }
}

/// Violations and warnings of a successful `Response` against the action's response shape.
/// Unknown members are additive drift: a warning, since clients ignore what they do not know.
/// `RequestId` is left to its own check, so a missing one is reported once.
pub fn response_shape(action: &Action, response: &serde_json::Value) -> Vec<Judgement> {
    action
        .validate_response(response)
        .into_iter()
        .filter(|v| v.path != "$.RequestId")
        .map(|v| match v.kind {
            ViolationKind::UnknownMember => {
                Judgement::Warn(format!("additive drift: {} is not in the contract", v.path))
            }
            _ => Judgement::Fail(v.to_string()),
        })
        .collect()
}

/// Whether the first page of a list action (`lists`: its list members) had items, so that the
/// response-shape check saw their shape. An empty list is not wrong, but it leaves the items
/// unchecked: a warning, naming the lists.
pub fn list_items(lists: &[&str], response: &serde_json::Value) -> Judgement {
    let empty: Vec<&str> = lists
        .iter()
        .copied()
        .filter(|name| {
            response
                .get(name)
                .and_then(serde_json::Value::as_array)
                .is_none_or(Vec::is_empty)
        })
        .collect();
    if empty.is_empty() {
        Judgement::Pass
    } else {
        Judgement::Warn(format!(
            "the first page listed nothing in {}: the shape of its items went unchecked",
            empty.join(", ")
        ))
    }
}

/// Whether a code may come from this action (`None`: the action is not in the contract, e.g.
/// an unknown-action probe, so only common codes are documented).
pub fn error_code(contract: &Contract, action: Option<&Action>, code: &str) -> Judgement {
    let documented = match action {
        Some(action) => action.is_documented_error(code),
        None => contract.common_error(code).is_some(),
    };
    if documented {
        Judgement::Pass
    } else {
        Judgement::Fail(match action {
            Some(a) => format!(
                "error code {code} is neither a common code nor documented for {}",
                a.name
            ),
            None => format!("error code {code} is not a common code"),
        })
    }
}

/// Whether `code` is `family` or one of its sub-codes (`MissingParameter.X`).
pub fn in_family(code: &str, family: &str) -> bool {
    code == family
        || code
            .strip_prefix(family)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Codes that mean "your request is not a valid call": a contract-valid request must never get
/// them (besides being throttled, which the runner retries).
pub const REFUSALS: &[&str] = &[
    "MissingParameter",
    "UnknownParameter",
    "InvalidAction",
    "NoSuchVersion",
    "AuthFailure",
    "UnsupportedProtocol",
    "InternalError",
    "RequestLimitExceeded",
];

/// At most 200 characters of a body, for details.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut s: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        s.push('…');
    }
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tco_spec::Version;

    #[test]
    fn families() {
        assert!(in_family("MissingParameter", "MissingParameter"));
        assert!(in_family("MissingParameter.Name", "MissingParameter"));
        assert!(!in_family("MissingParameterX", "MissingParameter"));
        assert!(in_family("AuthFailure.SignatureFailure", "AuthFailure"));
    }

    #[test]
    fn envelope_problems() {
        let ok = Exchange::from_json(
            &json!({"Response": {"RequestId": uuid::Uuid::new_v4().to_string()}}),
        );
        assert!(envelope(&ok).is_empty());
        let mut text = ok.clone();
        text.content_type = Some("text/plain".into());
        assert_eq!(
            envelope(&text),
            vec!["Content-Type is \"text/plain\", not application/json"]
        );
        let err =
            Exchange::from_json(&json!({"Response": {"Error": {"Code": "X"}, "RequestId": "r"}}));
        assert_eq!(envelope(&err), vec!["Response.Error has no Message"]);
        let not_json = Exchange::new(500, Some("application/json".into()), b"oops".to_vec());
        assert_eq!(envelope(&not_json).len(), 2);
    }

    #[test]
    fn request_ids() {
        let none = Exchange::from_json(&json!({"Response": {}}));
        assert!(request_id_format(&none).is_err());
        let bad = Exchange::from_json(&json!({"Response": {"RequestId": "abc"}}));
        assert!(request_id_format(&bad).unwrap_err().contains("not a UUID"));
    }

    #[test]
    fn list_items_wants_every_list_filled() {
        let lists = ["Items", "List"];
        assert_eq!(
            list_items(&lists, &json!({"Items": [{"A": 1}], "List": [{"B": 2}]})),
            Judgement::Pass
        );
        assert_eq!(
            list_items(&lists, &json!({"Items": [], "List": [{"B": 2}]})),
            Judgement::Warn(
                "the first page listed nothing in Items: the shape of its items went unchecked"
                    .into()
            )
        );
        assert!(matches!(
            list_items(&lists, &json!({"Items": null})),
            Judgement::Warn(d) if d.contains("Items, List")
        ));
    }

    #[test]
    fn error_codes() {
        let action = tco_spec::action(Version::V2018_12_25, "CreateOrganization").unwrap();
        let contract = action.contract();
        assert_eq!(
            error_code(contract, Some(action), "InternalError"),
            Judgement::Pass
        );
        let documented = action.errors.first().unwrap();
        assert_eq!(
            error_code(contract, Some(action), documented),
            Judgement::Pass
        );
        assert!(matches!(
            error_code(contract, Some(action), "FailedOperation.Invented"),
            Judgement::Fail(d) if d.contains("FailedOperation.Invented")
        ));
    }
}
