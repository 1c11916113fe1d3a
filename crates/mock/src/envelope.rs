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

/// A fresh request id, as the service gives every answer: a UUID v4 from the thread's own
/// cryptographically seeded generator (`rand`'s), not one `getrandom` system call per answer.
pub fn new_request_id() -> String {
    let uuid = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    uuid.hyphenated().encode_lower(&mut text).to_owned()
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

/// [`success`] written straight to its bytes: the members are serialised once, with
/// `RequestId` appended, rather than moved into a new `Value` tree first. Byte for byte what
/// serialising [`success`]'s envelope gives.
pub fn success_bytes(members: Value, request_id: &str) -> Vec<u8> {
    match members {
        Value::Object(map) if !map.contains_key("RequestId") => {
            // Writing a `Value` into a Vec cannot fail (string keys, finite numbers only).
            success_json_bytes(serde_json::to_vec(&map).unwrap_or_default(), request_id)
        }
        other => serialise(&success(other, request_id)),
    }
}

/// The envelope around members already serialised as one JSON object without `RequestId`
/// (`{}` or `{"A":1,…}`), spliced in as bytes.
pub fn success_json_bytes(members: Vec<u8>, request_id: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(members.len() + 64);
    out.extend_from_slice(b"{\"Response\":");
    out.extend_from_slice(&members);
    out.pop(); // the members' closing brace
    if members.len() > 2 {
        out.push(b',');
    }
    push_request_id(&mut out, request_id);
    out
}

/// [`failure`] written straight to its bytes, as [`success_bytes`].
pub fn failure_bytes(error: &ApiError, request_id: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + error.message.len());
    out.extend_from_slice(b"{\"Response\":{\"Error\":{\"Code\":");
    let _ = serde_json::to_writer(&mut out, &error.code);
    out.extend_from_slice(b",\"Message\":");
    let _ = serde_json::to_writer(&mut out, &error.message);
    out.extend_from_slice(b"},");
    push_request_id(&mut out, request_id);
    out
}

/// `"RequestId":"…"}}`: the last member and the two closing braces.
fn push_request_id(out: &mut Vec<u8>, request_id: &str) {
    out.extend_from_slice(b"\"RequestId\":");
    let _ = serde_json::to_writer(&mut *out, request_id);
    out.extend_from_slice(b"}}");
}

fn serialise(body: &Value) -> Vec<u8> {
    // Serialising a `Value` cannot fail: its keys are strings and it holds no non-finite floats.
    serde_json::to_vec(body).unwrap_or_default()
}

/// The API's HTTP answer: status 200, `application/json`, one buffer with its length known.
pub fn respond_bytes(bytes: Vec<u8>) -> Response {
    let mut response = Response::new(axum::body::Body::from(bytes));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A JSON body with a status (the admin surface uses real statuses; the API always 200).
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, serialise(body)).into_response();
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

    /// The byte writers against the `Value` envelopes they stand for, serialised by
    /// serde_json: members of every kind, empty members, escapes, a stray `RequestId`, and
    /// members that are not an object.
    #[test]
    fn the_byte_writers_match_the_value_envelopes() {
        let members = [
            json!({"OrgId": 1, "Name": "a\"b\\c\u{1}", "Items": [{"X": null}], "F": 1.5, "T": true}),
            json!({}),
            json!({"RequestId": "theirs", "A": 1}),
            json!([1]),
            json!("text"),
        ];
        for m in members {
            let expected = serde_json::to_vec(&success(m.clone(), "rid-1")).unwrap();
            assert_eq!(
                String::from_utf8(success_bytes(m, "rid-1")).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
        let error = ApiError::new("InvalidParameter", "Bad \"x\"\n.");
        let expected = serde_json::to_vec(&failure(&error, "rid-2")).unwrap();
        assert_eq!(failure_bytes(&error, "rid-2"), expected);
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
