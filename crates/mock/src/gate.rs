//! The gate every API request passes, in the order the real service applies it:
//! 1. HTTP (method, path, body type, size): [`crate::request`];
//! 2. authentication: the signing crate's verifier;
//! 3. the rate limit per (account, action, region): [`crate::limiter`];
//! 4. action and version against the contract;
//! 5. parameters against the request shape: [`crate::params`];
//! 6. dispatch: the stateful world, else an answer built from the contract.
//!
//! Faults are rolled between 5 and 6. A request refused at any step changes no state.

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;
use tco_spec::{Action, Version};

use crate::app::App;
use crate::envelope::ApiError;
use crate::limiter::{Decision, LimitKey};
use crate::params;
use crate::request::{self, BodyKind, RawRequest};
use crate::state::Call;

/// The platform's limit for actions without a documented one (and for unknown actions).
const PLATFORM_DEFAULT_LIMIT: u32 = 20;

/// What the gate decided for a request that was not refused.
#[derive(Debug)]
pub(crate) enum Reply {
    /// The `Response` members, without `RequestId`.
    Success(Value),
    /// A fault rule says: close the connection without answering.
    Drop,
}

/// What the request said about itself, learnt step by step, for the journal.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub method: String,
    pub action: String,
    pub version: String,
    pub region: String,
    pub secret_id: String,
    pub sign_method: String,
    /// When the request arrived, on the mock's clock: what the limiter counts by.
    pub arrived_millis: i64,
}

/// Action, version and region as sent: TC3 in `X-TC-*` headers, v1 in the parameters.
#[derive(Debug, Default)]
struct Common {
    tc3: bool,
    action: Option<String>,
    version: Option<String>,
    region: Option<String>,
    claimed_secret_id: Option<String>,
}

impl Common {
    fn of(raw: &RawRequest) -> Self {
        match raw.header("authorization") {
            Some(auth) => Common {
                tc3: true,
                action: raw.header("x-tc-action").map(str::to_string),
                version: raw.header("x-tc-version").map(str::to_string),
                region: raw.header("x-tc-region").map(str::to_string),
                claimed_secret_id: credential_secret_id(auth).map(str::to_string),
            },
            None => {
                let params = raw.form_params();
                let get = |name: &str| {
                    params
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                };
                Common {
                    tc3: false,
                    action: get("Action"),
                    version: get("Version"),
                    region: get("Region"),
                    claimed_secret_id: get("SecretId"),
                }
            }
        }
    }

    fn name(&self, tc3_header: &'static str, v1_param: &'static str) -> &'static str {
        if self.tc3 {
            tc3_header
        } else {
            v1_param
        }
    }
}

/// The SecretId in `… Credential=AKID…/date/service/tc3_request, …`, for the journal only.
fn credential_secret_id(authorization: &str) -> Option<&str> {
    let start = authorization.find("Credential=")? + "Credential=".len();
    authorization[start..].split('/').next()
}

/// Runs the gate. `Err` is the refusal to answer with.
pub(crate) async fn run(
    app: &App,
    req: Request<Body>,
    facts: &mut Facts,
) -> Result<Reply, ApiError> {
    let raw = request::read(req).await?;
    let common = Common::of(&raw);
    facts.observe(&common);

    let verified = app
        .authenticate(&raw)
        .map_err(|e| ApiError::new(e.code(), format!("{}.", capitalised(&e.to_string()))))?;
    facts.sign_method = verified.method.as_str().to_string();
    let uin = app.uin_of(&verified.secret_id);

    admit(app, uin, &common, facts.arrived_millis)?;
    let action = resolve_action(&common)?;
    let params = read_params(&raw, action)?;
    params::validate(action, &params)?;

    let injected = app.faults.roll(&action.name);
    if !injected.latency.is_zero() {
        tokio::time::sleep(injected.latency).await;
    }
    if injected.drop_connection {
        return Ok(Reply::Drop);
    }
    if let Some(code) = injected.error {
        return Err(ApiError::new(&code, "(Injected by a mock fault rule.)"));
    }
    dispatch(app, action, uin, &params).map(Reply::Success)
}

impl Facts {
    fn observe(&mut self, common: &Common) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        self.action = text(&common.action);
        self.version = text(&common.version);
        self.region = text(&common.region);
        self.secret_id = text(&common.claimed_secret_id);
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Step 3. The limit is looked up from the raw names: an unknown action is limited at the
/// platform default, so that probing for action names is throttled like any other call.
fn admit(app: &App, uin: u64, common: &Common, arrived_millis: i64) -> Result<(), ApiError> {
    let action = common.action.as_deref().unwrap_or_default();
    let version = common.version.as_deref().unwrap_or_default();
    let region = common.region.as_deref().unwrap_or_default();
    let documented = version
        .parse::<Version>()
        .ok()
        .and_then(|v| tco_spec::action(v, action))
        .map_or(PLATFORM_DEFAULT_LIMIT, |a| a.rate_limit);
    let key = LimitKey::new(uin, version, action, region);
    match app.limiter.check_at(&key, documented, arrived_millis) {
        Decision::Admitted => Ok(()),
        Decision::Limited { limit } => Err(ApiError::new(
            "RequestLimitExceeded",
            format!("{action} allows {limit} requests per second per account and region."),
        )),
    }
}

/// Step 4: the version first (an action name means something only within a version).
fn resolve_action(common: &Common) -> Result<&'static Action, ApiError> {
    let missing = |name: &str| ApiError::new("MissingParameter", format!("{name} is missing."));
    let action = common
        .action
        .as_deref()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| missing(common.name("X-TC-Action", "Action")))?;
    let version = common
        .version
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing(common.name("X-TC-Version", "Version")))?;
    let version: Version = version.parse().map_err(|_| {
        ApiError::new(
            "NoSuchVersion",
            format!("Version {version:?} is not one of 2018-12-25, 2021-03-31."),
        )
    })?;
    tco_spec::action(version, action).ok_or_else(|| {
        ApiError::new(
            "InvalidAction",
            format!("{action:?} is not an action of version {version}."),
        )
    })
}

/// Step 5, reading: a JSON body for JSON posts, else the query and form, rebuilt.
/// (TC3 GET parameters are the action's own; v1 ones include the common parameters, which
/// `from_form` leaves out either way.)
fn read_params(raw: &RawRequest, action: &Action) -> Result<Value, ApiError> {
    match raw.kind {
        BodyKind::Json => params::from_json(&raw.body),
        BodyKind::Form | BodyKind::Query => params::from_form(action, &raw.form_params()),
    }
}

/// Step 6: the world answers if it models the action; otherwise the contract does.
fn dispatch(
    app: &App,
    action: &'static Action,
    uin: u64,
    params: &Value,
) -> Result<Value, ApiError> {
    let call = Call {
        version: action.version,
        action: &action.name,
        caller_uin: uin,
        params,
        now: app.clock.now_secs(),
    };
    match app.world.handle(&call) {
        Some(Ok(members)) => Ok(members),
        Some(Err(e)) => Err(ApiError {
            code: e.code,
            message: e.message,
        }),
        None => Ok(contract_response(action)),
    }
}

/// A response built from the contract: every member at its example value (the envelope sets
/// `RequestId`), which validates against the response shape.
pub fn contract_response(action: &Action) -> Value {
    action.example_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{new_request_id, success};

    #[test]
    fn every_contract_built_response_validates() {
        let mut count = 0;
        for action in tco_spec::all_actions() {
            let body = success(contract_response(action), &new_request_id());
            let violations = action.validate_response(&body["Response"]);
            assert!(
                violations.is_empty(),
                "{} {}: {violations:?}",
                action.version,
                action.name
            );
            count += 1;
        }
        assert_eq!(count, 146);
    }

    #[test]
    fn secret_id_is_read_from_the_credential() {
        let auth = "TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/organization/tc3_request, SignedHeaders=content-type;host, Signature=ab";
        assert_eq!(credential_secret_id(auth), Some("AKIDx"));
        assert_eq!(credential_secret_id("garbage"), None);
    }
}
