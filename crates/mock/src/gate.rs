//! The gate every API request passes, in the order the real service applies it:
//! 1. HTTP (method, path, body type, size): [`crate::request`];
//! 2. authentication: the signing crate's verifier;
//! 3. the rate limits: per action, access region and (sub-)account, and the layers that are
//!    on ([`crate::limiter`], [`crate::limits`]);
//! 4. action and version against the contract;
//! 5. parameters against the request shape: [`crate::params`];
//! 6. dispatch: the stateful world, else an answer built from the contract.
//!
//! Overrides ([`crate::overrides`]) apply between 5 and 6, then faults are rolled. A request refused at any step changes no state.

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;
use tco_sign::v1::V1Method;
use tco_spec::{Action, Version};

use crate::app::{App, Caller};
use crate::envelope::ApiError;
use crate::journal::MAX_JOURNAL_PARAMS_BYTES;
use crate::limiter::{CallIdentity, Decision};
use crate::limits::{self, Layer, SourceIp};
use crate::params;
use crate::request::{self, BodyKind, RawRequest};
use crate::state::{Call, Members};

/// The platform's limit for actions without a documented one (and for unknown actions).
const PLATFORM_DEFAULT_LIMIT: u32 = 20;

/// What the gate decided for a request that was not refused.
#[derive(Debug)]
pub(crate) enum Reply {
    /// The `Response` members, without `RequestId`.
    Success(Members),
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
    /// When the request arrived, on the mock's clock; once past the limiter, the time it was
    /// counted at (see [`crate::limiter::Limiter::check_counted`]). The journal records it.
    pub arrived_millis: i64,
    /// The parameters as read, for the journal: `None` when they could not be read or are
    /// over [`MAX_JOURNAL_PARAMS_BYTES`] (then `params_truncated`).
    pub params: Option<Value>,
    pub params_truncated: bool,
    /// The answer must close the connection (the body was not read to its end).
    pub close_connection: bool,
}

/// Action, version and region as sent: TC3 in `X-TC-*` headers, v1 in the parameters.
#[derive(Debug, Default)]
struct Common {
    tc3: bool,
    action: Option<String>,
    version: Option<String>,
    region: Option<String>,
    claimed_secret_id: Option<String>,
    /// The signature method the request claims, before it is checked: TC3 when an
    /// `Authorization` header names that algorithm, v1 when a `Signature` parameter is present
    /// (`SignatureMethod`, HmacSHA1 when absent); `None` when neither is recognisable.
    claimed_sign_method: Option<&'static str>,
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
                claimed_sign_method: names_tc3(auth).then_some(tco_sign::tc3::ALGORITHM),
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
                    claimed_sign_method: get("Signature").and_then(|_| {
                        match get("SignatureMethod") {
                            None => Some(V1Method::HmacSha1.as_str()),
                            Some(m) => V1Method::parse(&m).map(V1Method::as_str),
                        }
                    }),
                }
            }
        }
    }

    /// The action the names designate in the contract, if they designate one.
    fn known_action(&self) -> Option<&'static Action> {
        let version = self.version.as_deref()?.parse::<Version>().ok()?;
        tco_spec::action(version, self.action.as_deref()?)
    }

    fn name(&self, tc3_header: &'static str, v1_param: &'static str) -> &'static str {
        if self.tc3 {
            tc3_header
        } else {
            v1_param
        }
    }
}

/// Whether an `Authorization` value starts with the TC3 algorithm's name.
fn names_tc3(authorization: &str) -> bool {
    authorization
        .trim_start()
        .split_ascii_whitespace()
        .next()
        .is_some_and(|algorithm| algorithm == tco_sign::tc3::ALGORITHM)
}

/// The SecretId in `… Credential=AKID…/date/service/tc3_request, …`, for the journal only.
fn credential_secret_id(authorization: &str) -> Option<&str> {
    const KEY: &[u8] = b"Credential=";
    // A plain scan: `str::find` sets up a two-way searcher on every call, which cost more
    // than the scan itself for a key near the start.
    let at = authorization
        .as_bytes()
        .windows(KEY.len())
        .position(|window| window == KEY)?;
    authorization[at + KEY.len()..].split('/').next()
}

/// Runs the gate. `Err` is the refusal to answer with.
pub(crate) async fn run(
    app: &App,
    req: Request<Body>,
    source_ip: Option<SourceIp>,
    facts: &mut Facts,
) -> Result<Reply, ApiError> {
    let source_ip = source_ip.map(|ip| ip.0);
    let raw = request::read(req, app.body_timeout)
        .await
        .map_err(|refusal| {
            facts.close_connection = refusal.close_connection;
            refusal.error
        })?;
    let common = Common::of(&raw);
    facts.observe(&common);
    // The contract's action named by the raw names, looked up once for steps 3 to 5.
    let known = common.known_action();
    // Read now for the journal (refused requests are the ones a test most wants to see), but
    // only when small: a large body is parsed after authentication, as before. Any error
    // still decides the answer at step 5 only.
    let early = read_params_early(&raw, known);
    if let Some(result) = &early {
        facts.note_params(result.as_ref().ok());
    } else {
        facts.params_truncated = true;
    }

    let verified = app
        .authenticate(&raw)
        .map_err(|e| ApiError::new(e.code(), format!("{}.", capitalised(&e.to_string()))))?;
    facts.sign_method = verified.method.as_str().to_string();
    let caller = app.caller_of(&verified.secret_id);
    let arrival = Arrival {
        access_region: limits::access_region(raw.header("host")),
        source_ip,
    };
    admit(
        app,
        caller,
        &arrival,
        &common,
        known,
        &mut facts.arrived_millis,
    )?;
    let action = match known {
        Some(action) => action,
        None => resolve_action(&common)?,
    };
    let params = match early {
        Some(result) => result?,
        None => {
            let params = read_params(&raw, action);
            facts.note_params(params.as_ref().ok());
            params?
        }
    };
    params::validate(action, &params)?;

    if let Some(plan) = app.overrides.on_call(&action.name, &params) {
        if !plan.delay.is_zero() {
            tokio::time::sleep(plan.delay).await;
        }
        if let Some(answer) = plan.answer {
            return answer.map(|members| Reply::Success(Members::Tree(members)));
        }
    }
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
    // A sub-account acts on its main account's organization.
    dispatch(app, action, caller.owner_uin, &params).map(Reply::Success)
}

impl Facts {
    fn observe(&mut self, common: &Common) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        self.action = text(&common.action);
        self.version = text(&common.version);
        self.region = text(&common.region);
        self.secret_id = text(&common.claimed_secret_id);
        self.sign_method = common.claimed_sign_method.unwrap_or_default().to_string();
    }

    /// Keeps `params` for the journal when small enough, without the credential parameters.
    fn note_params(&mut self, params: Option<&Value>) {
        let Some(params) = params else {
            // Not parameters at all: nothing was left out for its size.
            self.params = None;
            self.params_truncated = false;
            return;
        };
        let mut size = ByteCount(0);
        let size = match serde_json::to_writer(&mut size, params) {
            Ok(()) => size.0,
            Err(_) => usize::MAX,
        };
        if size > MAX_JOURNAL_PARAMS_BYTES {
            self.params = None;
            self.params_truncated = true;
            return;
        }
        let mut params = params.clone();
        if let Value::Object(map) = &mut params {
            map.retain(|key, _| !CREDENTIAL_PARAMS.contains(&key.as_str()));
        }
        self.params = Some(params);
        self.params_truncated = false;
    }
}

/// Parameter names that carry credentials in v1 requests; never kept in the journal, whatever
/// the request's form. (`from_form` leaves every common parameter out already.)
const CREDENTIAL_PARAMS: &[&str] = &["SecretId", "SecretKey", "Signature", "Token"];

/// Counts what would be written.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The parameters read before authentication, when the input is at most
/// [`MAX_JOURNAL_PARAMS_BYTES`] (`None` otherwise: step 5 reads them). A form whose action is
/// not one of the contract's is kept flat, every value a string.
fn read_params_early(
    raw: &RawRequest,
    action: Option<&'static Action>,
) -> Option<Result<Value, ApiError>> {
    let input_len = match raw.kind {
        BodyKind::Json => raw.body.len(),
        BodyKind::Form => raw.body.len() + raw.query.len(),
        BodyKind::Query => raw.query.len(),
    };
    if input_len > MAX_JOURNAL_PARAMS_BYTES {
        return None;
    }
    Some(match (raw.kind, action) {
        (BodyKind::Json, _) => params::from_json(&raw.body),
        (_, Some(action)) => params::from_form(action, &raw.form_params()),
        (_, None) => Ok(Value::Object(
            raw.form_params()
                .into_iter()
                .filter(|(k, _)| !params::COMMON_PARAMS.contains(&k.as_str()))
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )),
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where a request arrived: what the limits key on besides the caller and the action.
struct Arrival<'a> {
    access_region: &'a str,
    source_ip: Option<std::net::IpAddr>,
}

/// Step 3. The limit is looked up from the raw names: an unknown action is limited at the
/// platform default, so that probing for action names is throttled like any other call.
/// `at_millis` (the arrival) becomes the time the limiter counted the request at.
fn admit(
    app: &App,
    caller: Caller,
    arrival: &Arrival<'_>,
    common: &Common,
    known: Option<&'static Action>,
    at_millis: &mut i64,
) -> Result<(), ApiError> {
    let action = common.action.as_deref().unwrap_or_default();
    let version = common.version.as_deref().unwrap_or_default();
    let documented = known.map_or(PLATFORM_DEFAULT_LIMIT, |a| a.rate_limit);
    let call = CallIdentity {
        uin: caller.uin,
        owner_uin: caller.owner_uin,
        action,
        version,
        access_region: arrival.access_region,
        region_param: common.region.as_deref().unwrap_or_default(),
        source_ip: arrival.source_ip,
    };
    let (decision, counted_at) = app.limiter.check_call(&call, documented, *at_millis);
    *at_millis = counted_at;
    match decision {
        Decision::Admitted => Ok(()),
        Decision::Limited { limit, layer } => {
            let scope = layer.scope();
            let message = match layer {
                Layer::Action => format!("{action} allows {limit} requests per second {scope}."),
                _ => format!("At most {limit} requests per second are allowed {scope}."),
            };
            Err(ApiError::new(layer.code(), message))
        }
    }
}

/// Step 4 for names the contract does not know: the version first (an action name means
/// something only within a version), then the action.
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
) -> Result<Members, ApiError> {
    // One reading, so the seconds and the milliseconds are the same instant.
    let now_millis = app.clock.now_millis();
    let call = Call {
        version: action.version,
        action: &action.name,
        caller_uin: uin,
        params,
        now: now_millis.div_euclid(1000),
        now_millis,
    };
    match app.world.answer(&call) {
        Some(Ok(members)) => Ok(members),
        Some(Err(e)) => Err(ApiError {
            code: e.code,
            message: e.message,
        }),
        None => Ok(Members::Tree(contract_response(action))),
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
