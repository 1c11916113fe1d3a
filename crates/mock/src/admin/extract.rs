//! The admin surface's extractors: a JSON body read whatever its `Content-Type` (curl and
//! scripts often send none, and axum's `Json` would refuse them with 415), and the journal's
//! query; each rejection is the surface's own answer, `400 {"error": "…"}`, so a malformed
//! request reads the same on every route.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::error;

/// A JSON body as `T`.
pub(super) struct AdminJson<T>(pub T);

/// Why a request's body or query was not read. A handler that names the body in its answer
/// ("not JSON: …") takes `Result<AdminJson<T>, BadRequest>` and answers with
/// [`BadRequest::opening_with`].
#[derive(Debug)]
pub(super) enum BadRequest {
    /// The body could not be read at all (too large, cut off): axum's own answer, as when
    /// the handlers took the raw bytes.
    Unread(Response),
    /// Not JSON, or not of the expected shape: serde's one-line reason.
    Malformed(String),
}

impl BadRequest {
    /// The answer, a malformed body's reason after `opening` (what the body should have been).
    pub(super) fn opening_with(self, opening: &str) -> Response {
        match self {
            BadRequest::Malformed(reason) => BadRequest::Malformed(format!("{opening}{reason}")),
            unread => unread,
        }
        .into_response()
    }
}

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        match self {
            BadRequest::Unread(response) => response,
            BadRequest::Malformed(reason) => error(StatusCode::BAD_REQUEST, &reason),
        }
    }
}

impl<S, T> FromRequest<S> for AdminJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = BadRequest;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| BadRequest::Unread(e.into_response()))?;
        serde_json::from_slice(&body)
            .map(AdminJson)
            .map_err(|e| BadRequest::Malformed(e.to_string()))
    }
}

/// The journal's query: `limit` (kept as text so that a bad value is named in the surface's
/// own words) and `action`.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct JournalQuery {
    pub limit: Option<String>,
    pub action: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for JournalQuery {
    type Rejection = BadRequest;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<JournalQuery>::from_request_parts(parts, state)
            .await
            .map(|Query(query)| query)
            .map_err(|e| BadRequest::Malformed(e.body_text()))
    }
}
