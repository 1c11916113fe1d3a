//! The API's answer format: always HTTP 200 and `application/json`, success or failure, with
//! a fresh `RequestId` (UUID v4) in every `Response`.
//!
//! ```json
//! {"Response": {"OrgId": 1, "RequestId": "…"}}
//! {"Response": {"Error": {"Code": "InvalidAction", "Message": "…"}, "RequestId": "…"}}
//! ```

use std::fmt;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use tco_spec::{contract, Version};

/// A refusal: the code the API documents and a message in this project's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// The code with its documented meaning followed by what was wrong with this request, so
    /// that the message says both what the code means and how to fix the call.
    pub fn new(code: &str, detail: impl fmt::Display) -> Self {
        let detail = detail.to_string();
        let base = documented_message(code);
        let message = if detail.is_empty() {
            base.to_string()
        } else {
            format!("{base} {detail}")
        };
        Self {
            code: code.to_string(),
            message,
        }
    }

    /// A code whose documented meaning says it all.
    pub fn plain(code: &str) -> Self {
        Self::new(code, "")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// The contract's one-line meaning of a code (newest version first), or a generic sentence
/// for codes outside the contract (a fault rule may name any code).
pub fn documented_message(code: &str) -> &'static str {
    [Version::V2021_03_31, Version::V2018_12_25]
        .into_iter()
        .find_map(|v| contract(v).error_code(code))
        .map(|e| e.message.as_str())
        .unwrap_or("The request failed.")
}

/// A fresh request id, as the service gives every answer.
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `{"Response": {…members, "RequestId"}}`. Members that are not an object (a defect in a
/// handler) are reported as `InternalError` rather than sent malformed.
pub fn success(members: Value, request_id: &str) -> Value {
    let Value::Object(mut map) = members else {
        return failure(
            &ApiError::new("InternalError", "The mock built a malformed answer."),
            request_id,
        );
    };
    map.insert("RequestId".into(), Value::from(request_id));
    json!({ "Response": map })
}

/// `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`.
pub fn failure(error: &ApiError, request_id: &str) -> Value {
    let mut map = Map::new();
    map.insert(
        "Error".into(),
        json!({"Code": error.code, "Message": error.message}),
    );
    map.insert("RequestId".into(), Value::from(request_id));
    json!({ "Response": map })
}

/// The HTTP response carrying an envelope.
pub fn respond(body: &Value) -> Response {
    json_response(StatusCode::OK, body)
}

/// A JSON body with a status (the admin surface uses real statuses; the API always 200).
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    // Serialising a `Value` cannot fail: its keys are strings and it holds no non-finite floats.
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_has_the_documented_layout() {
        let body = failure(&ApiError::new("InvalidAction", "Foo is unknown."), "rid");
        assert_eq!(body["Response"]["Error"]["Code"], "InvalidAction");
        assert_eq!(
            body["Response"]["Error"]["Message"],
            "No action of this name exists in this version. Foo is unknown."
        );
        assert_eq!(body["Response"]["RequestId"], "rid");
    }

    #[test]
    fn success_appends_the_request_id() {
        let body = success(json!({"OrgId": 1}), "rid");
        assert_eq!(body, json!({"Response": {"OrgId": 1, "RequestId": "rid"}}));
    }

    #[test]
    fn malformed_members_become_internal_error() {
        let body = success(json!([1]), "rid");
        assert_eq!(body["Response"]["Error"]["Code"], "InternalError");
    }

    #[test]
    fn request_ids_are_fresh_uuids() {
        let (a, b) = (new_request_id(), new_request_id());
        assert_ne!(a, b);
        assert_eq!(uuid::Uuid::parse_str(&a).unwrap().get_version_num(), 4);
    }

    #[test]
    fn unknown_codes_get_a_generic_message() {
        assert_eq!(documented_message("Nope.Nope"), "The request failed.");
    }
}
