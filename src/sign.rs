//! `tco-harness sign`: the exact request the harness would send, as JSON, for debugging a
//! signature with curl and for checking the signer from outside.

use std::io::Write;

use clap::Args;
use serde_json::{json, Map, Value};
use tco_client::Endpoint;
use tco_sign::{build, Credentials, HttpMethod, KeyCache, RequestSpec, SignMethod};
use tco_spec::Version;

use crate::action::{check_params, resolve_version, Unknown, VersionArg};
use crate::connection::{EndpointArg, KeyPairArgs};
use crate::error::CliError;

const SERVICE: &str = "organization";

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The API action, e.g. CreateOrganization.
    #[arg(long)]
    action: String,
    #[command(flatten)]
    version: VersionArg,
    /// The action's parameters as a JSON object.
    #[arg(long, default_value = "{}")]
    params: String,
    #[command(flatten)]
    endpoint: EndpointArg,
    /// HTTP method: POST (JSON body, or form for v1) or GET (query string).
    #[arg(long, default_value = "POST")]
    method: String,
    /// TC3-HMAC-SHA256, HmacSHA256 or HmacSHA1.
    #[arg(long, default_value = "TC3-HMAC-SHA256")]
    sign_method: String,
    /// The region sent as X-TC-Region / Region (the Organization API is global: none by
    /// default).
    #[arg(long)]
    region: Option<String>,
    /// Unix seconds; defaults to now. Pin it to reproduce a signature.
    #[arg(long)]
    timestamp: Option<i64>,
    /// The v1 nonce; defaults to a random number.
    #[arg(long)]
    nonce: Option<u64>,
    /// en-US or zh-CN.
    #[arg(long)]
    language: Option<String>,
    #[command(flatten)]
    key_pair: KeyPairArgs,
    /// TC3 only: leave the body out of the signature (X-TC-Content-SHA256: UNSIGNED-PAYLOAD).
    #[arg(long)]
    unsigned_payload: bool,
    /// The X-TC-RequestClient / RequestClient value; set it to an SDK's to reproduce its request.
    #[arg(long, default_value = concat!("tco-harness/", env!("CARGO_PKG_VERSION")))]
    request_client: String,
    /// Sign the parameters as given even if they do not match the action's request shape.
    #[arg(long)]
    skip_validation: bool,
}

/// The latest timestamp whose UTC date has four digits (9999-12-31T23:59:59Z).
const MAX_TIMESTAMP: i64 = 253_402_300_799;

/// The two languages the API (and the official SDK's profile) accept.
const LANGUAGES: [&str; 2] = ["en-US", "zh-CN"];

pub fn run(args: SignArgs) -> Result<(), CliError> {
    let request = SignInput::from_args(&args)?;
    let printed = request.sign();
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &printed).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// The arguments, checked against the contract and resolved to concrete values.
struct SignInput {
    version: Version,
    action: String,
    params: Value,
    endpoint: Endpoint,
    http_method: HttpMethod,
    sign_method: SignMethod,
    creds: Credentials,
    timestamp: i64,
    nonce: u64,
    args_region: Option<String>,
    args_language: Option<String>,
    unsigned_payload: bool,
    request_client: String,
}

impl SignInput {
    fn from_args(args: &SignArgs) -> Result<Self, CliError> {
        let version = resolve_version(&args.action, &args.version, Unknown::Refuse { hint: "" })?;
        let params = parse_params(&args.params)?;
        if !args.skip_validation {
            check_params(version, &args.action, &params, "--params", "")?;
        }
        let sign_method: SignMethod = args.sign_method.parse().map_err(CliError::usage)?;
        if let Some(ts) = args.timestamp {
            if !(1..=MAX_TIMESTAMP).contains(&ts) {
                return Err(CliError::usage(format!(
                    "--timestamp {ts} is not a Unix time in seconds between 1 and {MAX_TIMESTAMP}"
                )));
            }
        }
        if let Some(lang) = args.language.as_deref().filter(|l| !LANGUAGES.contains(l)) {
            return Err(CliError::usage(format!(
                "--language {lang:?} is not supported (en-US or zh-CN)"
            )));
        }
        if args.unsigned_payload && sign_method != SignMethod::Tc3HmacSha256 {
            return Err(CliError::usage(
                "--unsigned-payload applies to TC3-HMAC-SHA256 only",
            ));
        }
        Ok(Self {
            version,
            action: args.action.clone(),
            params,
            endpoint: Endpoint::parse(&args.endpoint.endpoint)
                .map_err(|e| CliError::usage(format!("--endpoint {e}")))?,
            http_method: args.method.parse().map_err(CliError::usage)?,
            sign_method,
            creds: args.key_pair.credentials()?,
            timestamp: args.timestamp.unwrap_or_else(now),
            nonce: args.nonce.unwrap_or_else(random_nonce),
            args_region: args.region.clone(),
            args_language: args.language.clone(),
            unsigned_payload: args.unsigned_payload,
            request_client: args.request_client.clone(),
        })
    }

    fn sign(&self) -> Value {
        let spec = RequestSpec::new(
            &self.endpoint.host,
            SERVICE,
            &self.action,
            self.version.as_str(),
            &self.params,
            self.timestamp,
        )
        .with_sign_method(self.sign_method)
        .with_http_method(self.http_method)
        .with_region(self.args_region.as_deref())
        .with_language(self.args_language.as_deref())
        .with_nonce(self.nonce)
        .with_unsigned_payload(self.unsigned_payload)
        .with_request_client(&self.request_client);
        let signed = build(&spec, &self.creds, &KeyCache::default());
        let headers: Map<String, Value> = signed
            .headers()
            .map(|(n, v)| (n.to_string(), Value::from(v)))
            .collect();
        json!({
            "method": signed.method.as_str(),
            "url": format!("{}{}", self.endpoint.origin, signed.path_and_query),
            "headers": headers,
            "body": String::from_utf8_lossy(&signed.body),
        })
    }
}

fn parse_params(text: &str) -> Result<Value, CliError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| CliError::usage(format!("--params is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(CliError::usage("--params must be a JSON object"));
    }
    Ok(value)
}

fn now() -> i64 {
    use tco_client::Clock;
    tco_client::SystemClock.now_secs()
}

/// A nonce that differs per call; it need not be unpredictable, only unrepeated.
fn random_nonce() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    let n = RandomState::new().hash_one(now()) & (i64::MAX as u64);
    n.max(1)
}
