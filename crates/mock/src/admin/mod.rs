//! The admin surface, for users outside the process (the CLI's mock, a CI job, another
//! language's tests), under `/_mock/`: the Organization API is only ever `POST /` or `GET /`,
//! so nothing there can collide with it.
//!
//! | request | what it does |
//! |---|---|
//! | `GET /_mock/health` | `{"status": "ok"}` |
//! | `POST /_mock/reset` | forgets all state, rate-limit counters and the journal |
//! | `GET /_mock/journal?limit=N&action=A` | the newest N journal entries (default: all kept), oldest first; with `action`, only the calls of that action |
//! | `POST /_mock/overrides` | adds an override (JSON form: [`crate::overrides::Override::from_json`]); answers it with its `id` |
//! | `GET /_mock/overrides` | every override with its calls matched and answered and whether its expectation is met; `unmet` lists those that are not |
//! | `DELETE /_mock/overrides` | removes the overrides added here; answers them as they ended, with `unmet` |
//! | `DELETE /_mock/overrides/{id}` | removes one (404 when there is none with that id) |
//! | `GET /_mock/limits` | algorithm, overrides, the effective limit of every action, and the model (key, layers) |
//! | `PUT /_mock/limits` | `{"default": N}`, `{"actions": {"Name": N}}` (`null` removes), `{"algorithm": "token-bucket", "burst": 5}` |
//! | `GET /_mock/tasks` | the task policy: `{"complete": "after-polls", "polls": 2}` |
//! | `GET /_mock/state` | the whole world as a version 1 world document (JSON) |
//! | `PUT /_mock/state` | replaces the world with a world document (JSON); an invalid one changes nothing (400, one line naming the place) |
//! | `PUT /_mock/tasks` | replaces it for tasks started from then on: `{"complete": "immediately"}`, `{"complete": "after-duration", "duration_ms": 1500}`, `{"fail": "reason"}` (with the default timing), … |
//!
//! Listening on loopback, it is open: only this machine can reach it. On any other address it
//! requires `X-Mock-Admin-Token` to match `[admin] token`, and without a configured token it
//! does not exist (404), so that a mock reachable from a network cannot be reset or
//! reconfigured by whoever finds it.
//!
//! Whatever the address, a request that a web browser made is refused (403): one carrying an
//! `Origin` header or a `Sec-Fetch-Site` / `Sec-Fetch-Mode` header, which browsers add and
//! scripts cannot remove. Otherwise any page open in a browser on the same machine could
//! reset or reconfigure a mock on loopback with a simple cross-origin POST. The admin users
//! the project has (the CLI, tests, curl, scripts) send none of these.

use std::net::SocketAddr;
use std::sync::Arc;

mod extract;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::Router;
use serde_json::{json, Map, Value};
use tco_spec::{all_actions, Version};

use crate::app::App;
use crate::envelope::json_response;
use crate::limiter::Algorithm;
use crate::overrides::{Origin, Override, RawOverride};
use crate::state::TaskPolicy;
use extract::{AdminJson, BadRequest, JournalQuery};

/// The header carrying the admin token.
pub const ADMIN_TOKEN_HEADER: &str = "x-mock-admin-token";

/// Who may use the admin surface.
#[derive(Clone, PartialEq, Eq)]
pub enum AdminAccess {
    /// Anyone who can connect (the mock listens on loopback).
    Open,
    /// Requests presenting this token.
    Token(String),
    /// No one: the surface answers 404.
    Disabled,
}

impl std::fmt::Debug for AdminAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdminAccess::Open => f.write_str("Open"),
            AdminAccess::Token(_) => f.write_str("Token(<redacted>)"),
            AdminAccess::Disabled => f.write_str("Disabled"),
        }
    }
}

impl AdminAccess {
    /// The access rule for a mock listening on `addr`.
    pub fn for_listener(addr: &SocketAddr, token: Option<&str>) -> Self {
        match token {
            _ if addr.ip().is_loopback() => AdminAccess::Open,
            Some(token) if !token.is_empty() => AdminAccess::Token(token.to_string()),
            _ => AdminAccess::Disabled,
        }
    }
}

pub(crate) fn routes(app: Arc<App>) -> Router<Arc<App>> {
    Router::new()
        .route("/health", get(health))
        .route("/reset", post(reset))
        .route("/journal", get(journal))
        .route("/limits", get(limits).put(set_limits))
        .route(
            "/overrides",
            get(list_overrides)
                .post(add_override)
                .delete(clear_overrides),
        )
        .route("/overrides/{id}", delete(remove_override))
        .route("/tasks", get(task_policy).put(set_task_policy))
        .route("/state", get(export_state).put(import_state))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app, guard))
}

/// Headers only browsers send: their presence means a web page made the request.
const BROWSER_HEADERS: &[&str] = &["origin", "sec-fetch-site", "sec-fetch-mode"];

async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if let Some(header) = BROWSER_HEADERS
        .iter()
        .find(|h| req.headers().contains_key(**h))
    {
        return error(
            StatusCode::FORBIDDEN,
            &format!("the admin surface refuses requests from web browsers ({header} header)"),
        );
    }
    match &app.admin {
        AdminAccess::Open => next.run(req).await,
        AdminAccess::Disabled => not_found().await,
        AdminAccess::Token(expected) => {
            let given = req
                .headers()
                .get(ADMIN_TOKEN_HEADER)
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            if constant_time_eq(given, expected.as_bytes()) {
                next.run(req).await
            } else {
                error(
                    StatusCode::UNAUTHORIZED,
                    "missing or wrong X-Mock-Admin-Token",
                )
            }
        }
    }
}

/// Compares in constant time (`subtle`), so the time taken does not reveal how much of a
/// guessed token was right (only its length).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

fn error(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "error": message }))
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "no such admin endpoint")
}

async fn health() -> Response {
    json_response(StatusCode::OK, &json!({"status": "ok"}))
}

async fn reset(State(app): State<Arc<App>>) -> Response {
    app.reset();
    json_response(StatusCode::OK, &json!({"reset": true}))
}

async fn journal(State(app): State<Arc<App>>, query: JournalQuery) -> Response {
    let limit = match journal_limit(query.limit.as_deref()) {
        Ok(limit) => limit.unwrap_or(usize::MAX),
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let entries = match query.action {
        Some(action) => {
            let mut entries = app.journal.for_action(&action);
            entries.drain(..entries.len().saturating_sub(limit));
            entries
        }
        None => app.journal.newest(limit),
    };
    json_response(StatusCode::OK, &json!({ "entries": entries }))
}

async fn list_overrides(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &overrides_view(app.overrides.views()))
}

/// The overrides with the messages of their unmet expectations.
fn overrides_view(overrides: Vec<Value>) -> Value {
    let unmet: Vec<&Value> = overrides
        .iter()
        .map(|o| &o["unmet"])
        .filter(|m| m.is_string())
        .collect();
    json!({ "overrides": overrides, "unmet": unmet })
}

async fn add_override(
    State(app): State<Arc<App>>,
    body: Result<AdminJson<RawOverride>, BadRequest>,
) -> Response {
    let form = match body {
        Ok(AdminJson(form)) => form,
        Err(bad) => return bad.opening_with(Override::NOT_AN_OVERRIDE),
    };
    match Override::from_form(form) {
        Ok(spec) => json_response(StatusCode::CREATED, &app.overrides.add_admin(spec)),
        Err(message) => error(StatusCode::BAD_REQUEST, &message),
    }
}

async fn clear_overrides(State(app): State<Arc<App>>) -> Response {
    let removed = app.overrides.clear(Some(Origin::Admin));
    json_response(StatusCode::OK, &overrides_view(removed))
}

/// An id that is not a number names no override either: 404 as for an unknown one.
async fn remove_override(
    State(app): State<Arc<App>>,
    id: Result<Path<u64>, PathRejection>,
) -> Response {
    let removed = id.ok().and_then(|Path(id)| app.overrides.remove_admin(id));
    match removed {
        Some(view) => json_response(StatusCode::OK, &view),
        None => error(StatusCode::NOT_FOUND, "no override with that id"),
    }
}

fn journal_limit(limit: Option<&str>) -> Result<Option<usize>, String> {
    match limit {
        None => Ok(None),
        Some(v) => v
            .parse::<usize>()
            .map(Some)
            .map_err(|_| format!("limit must be a non-negative integer, not {v:?}")),
    }
}

async fn limits(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &limits_view(&app))
}

fn limits_view(app: &App) -> Value {
    let algorithm = app.limiter.algorithm();
    let overrides = app.limiter.overrides();
    let effective: Vec<Value> = all_actions()
        .map(|a| {
            json!({
                "version": a.version.as_str(),
                "action": a.name,
                "documented": a.rate_limit,
                "limit": overrides.resolve(&a.name, a.rate_limit),
            })
        })
        .collect();
    json!({
        "algorithm": algorithm.name(),
        "burst": match algorithm { Algorithm::TokenBucket { burst } if burst > 0 => Some(burst), _ => None },
        "default": overrides.default,
        "actions": overrides.actions,
        "effective": effective,
        "model": app.limiter.model(),
    })
}

async fn set_limits(
    State(app): State<Arc<App>>,
    body: Result<AdminJson<Value>, BadRequest>,
) -> Response {
    let change = match body {
        Ok(AdminJson(change)) => change,
        Err(bad) => return bad.opening_with("not JSON: "),
    };
    match apply_limits(&app, change) {
        Ok(()) => json_response(StatusCode::OK, &limits_view(&app)),
        Err(message) => error(StatusCode::BAD_REQUEST, &message),
    }
}

/// Checks the whole change before applying any of it.
fn apply_limits(app: &App, value: Value) -> Result<(), String> {
    let Value::Object(change) = value else {
        return Err("expected a JSON object".into());
    };
    if let Some(key) = change
        .keys()
        .find(|k| !["default", "actions", "algorithm", "burst"].contains(&k.as_str()))
    {
        return Err(format!("unknown field {key:?}"));
    }
    let algorithm = parse_algorithm(&change)?;
    let default = change.get("default").map(limit_value).transpose()?;
    let actions = match change.get("actions") {
        None => Vec::new(),
        Some(Value::Object(actions)) => parse_actions(actions)?,
        Some(_) => return Err("actions must be an object of name: limit".into()),
    };
    if let Some(algorithm) = algorithm {
        app.limiter.set_algorithm(algorithm);
    }
    if let Some(default) = default {
        app.limiter.set_default(default);
    }
    for (name, limit) in actions {
        app.limiter.set_action(&name, limit);
    }
    Ok(())
}

async fn task_policy(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &json!(app.world.task_policy()))
}

/// Replaces the whole policy: keys left out take their defaults.
/// A body that is not a policy is refused by [`AdminJson`] with serde's reason.
async fn set_task_policy(
    State(app): State<Arc<App>>,
    AdminJson(policy): AdminJson<TaskPolicy>,
) -> Response {
    app.world.set_task_policy(policy);
    json_response(StatusCode::OK, &json!(app.world.task_policy()))
}

fn parse_algorithm(change: &Map<String, Value>) -> Result<Option<Algorithm>, String> {
    let burst = match change.get("burst") {
        None | Some(Value::Null) => None,
        Some(v) => Some(limit_value(v)?.ok_or("burst must be a number")?),
    };
    match change.get("algorithm") {
        None if burst.is_some() => Err("burst needs \"algorithm\": \"token-bucket\"".into()),
        None => Ok(None),
        Some(Value::String(name)) => Algorithm::from_name(name, burst)
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(_) => Err("algorithm must be a string".into()),
    }
}

/// A limit: a non-negative integer, or `null` for "no override".
fn limit_value(value: &Value) -> Result<Option<u32>, String> {
    match value {
        Value::Null => Ok(None),
        v => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("{v} is not a limit (a non-negative integer or null)")),
    }
}

fn parse_actions(actions: &Map<String, Value>) -> Result<Vec<(String, Option<u32>)>, String> {
    actions
        .iter()
        .map(|(name, limit)| {
            let known = Version::ALL
                .into_iter()
                .any(|v| tco_spec::action(v, name).is_some());
            if !known {
                return Err(format!("{name:?} is not an action of any API version"));
            }
            Ok((name.clone(), limit_value(limit)?))
        })
        .collect()
}

async fn export_state(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &app.world.export().to_value())
}

/// Checks the whole document before anything of the world changes. The body stays bytes:
/// the world document's own reader names the place of a problem.
async fn import_state(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    match crate::state::WorldDoc::parse(&text, crate::state::Format::Json) {
        Ok(doc) => {
            app.world.import(&doc);
            json_response(StatusCode::OK, &json!({"imported": true}))
        }
        Err(e) => error(StatusCode::BAD_REQUEST, &e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_open_elsewhere_a_token_is_needed() {
        let lo: SocketAddr = "127.0.0.1:9000".parse().unwrap();
        let lo6: SocketAddr = "[::1]:9000".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:9000".parse().unwrap();
        assert_eq!(AdminAccess::for_listener(&lo, None), AdminAccess::Open);
        assert_eq!(
            AdminAccess::for_listener(&lo6, Some("t")),
            AdminAccess::Open
        );
        assert_eq!(AdminAccess::for_listener(&any, None), AdminAccess::Disabled);
        assert_eq!(
            AdminAccess::for_listener(&any, Some("t")),
            AdminAccess::Token("t".into())
        );
        assert_eq!(
            format!("{:?}", AdminAccess::Token("secret".into())),
            "Token(<redacted>)"
        );
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn journal_limit_parsing() {
        assert_eq!(journal_limit(None), Ok(None));
        assert_eq!(journal_limit(Some("5")), Ok(Some(5)));
        assert!(journal_limit(Some("-1")).is_err());
    }
}
