//! `tco-harness call`: one API call through the reference client, printing the `Response`
//! object. Credentials come from the client's default chain (environment, then the profile
//! files); retries follow the client's policy unless `--retries` says otherwise. A `Response`
//! that breaks the action's response shape is a failed check (exit 1, the violations on one
//! line of stderr) unless `--skip-validation` is given.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde_json::Value;
use tco_client::{Client, Error, HttpMethod, Profile, RetryPolicy, SignMethod};
use tco_spec::Version;

use crate::action::{check_params, resolve_version, Unknown};
use crate::error::CliError;

#[derive(Debug, Args)]
pub struct CallArgs {
    /// The API action, e.g. DescribeOrganization.
    pub action: String,
    #[command(flatten)]
    pub version: crate::action::VersionArg,
    /// The action's parameters as a JSON object (default `{}`).
    #[arg(long, conflicts_with = "params_file")]
    pub params: Option<String>,
    /// Read the parameters from this JSON file (`-` for standard input).
    #[arg(long)]
    pub params_file: Option<PathBuf>,
    #[command(flatten)]
    pub endpoint: crate::connection::EndpointArg,
    #[command(flatten)]
    pub connection: crate::connection::ConnectionArgs,
    /// The region sent as X-TC-Region / Region (the Organization API is global: none by
    /// default).
    #[arg(long)]
    pub region: Option<String>,
    /// en-US or zh-CN.
    #[arg(long)]
    pub language: Option<String>,
    /// TC3-HMAC-SHA256, HmacSHA256 or HmacSHA1.
    #[arg(long, default_value = "TC3-HMAC-SHA256")]
    pub sign_method: String,
    /// HTTP method: POST (JSON body, or form for v1) or GET (query string).
    #[arg(long, default_value = "POST")]
    pub method: String,
    /// Retries after the first attempt, for throttling and network errors (default 2; 0 for
    /// none).
    #[arg(long)]
    pub retries: Option<u32>,
    /// Send the parameters even if they do not match the action's request shape (or the
    /// action is not in the contract; then --version is required), and print the `Response`
    /// without checking it against the action's response shape.
    #[arg(long)]
    pub skip_validation: bool,
}

pub fn run(args: CallArgs) -> Result<(), CliError> {
    let call = Call::from_args(&args)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(format!("cannot start the async runtime: {e}")))?;
    let response = runtime.block_on(call.send())?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &response).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// The arguments, checked and resolved.
struct Call {
    client: Client,
    version: Version,
    action: String,
    params: Value,
    validate_response: bool,
}

impl Call {
    fn from_args(args: &CallArgs) -> Result<Self, CliError> {
        let hint = " (give --version and --skip-validation to send it anyway)";
        let unknown = if args.skip_validation {
            Unknown::Allow { hint }
        } else {
            Unknown::Refuse { hint }
        };
        let version = resolve_version(&args.action, &args.version, unknown)?;
        let params = read_params(args)?;
        if !args.skip_validation {
            check_params(
                version,
                &args.action,
                &params,
                "parameters",
                " (--skip-validation sends them anyway)",
            )?;
        }
        let sign_method: SignMethod = args.sign_method.parse().map_err(CliError::usage)?;
        let http_method: HttpMethod = args.method.parse().map_err(CliError::usage)?;
        let mut profile = Profile::default()
            .with_endpoint(&args.endpoint.endpoint)
            .with_sign_method(sign_method)
            .with_http_method(http_method)
            .with_root_certificates(&args.connection.roots()?);
        if let Some(region) = &args.region {
            profile = profile.with_region(region);
        }
        if let Some(language) = &args.language {
            profile = profile.with_language(language);
        }
        let mut retry = RetryPolicy::default();
        if let Some(retries) = args.retries {
            retry = retry.with_max_attempts(retries.saturating_add(1));
        }
        let client = Client::builder()
            .profile(profile)
            .credentials(args.connection.chain())
            .retry(retry)
            .build()
            .map_err(|e| CliError::usage(e.to_string()))?;
        Ok(Call {
            client,
            version,
            action: args.action.clone(),
            params,
            validate_response: !args.skip_validation,
        })
    }

    async fn send(&self) -> Result<Value, CliError> {
        let response = self.call().await?;
        if self.validate_response {
            check_response(self.version, &self.action, &response)?;
        }
        Ok(response)
    }

    async fn call(&self) -> Result<Value, CliError> {
        self.client
            .call_json(self.version, &self.action, self.params.clone())
            .await
            .map_err(|e| match e {
                Error::Api {
                    code,
                    message,
                    request_id,
                    ..
                } => CliError::Api {
                    code,
                    message,
                    request_id,
                },
                Error::Credentials(_) | Error::InvalidRequest(_) | Error::Config(_) => {
                    CliError::usage(e.to_string())
                }
                Error::Transport { ref source, .. } => {
                    match tco_client::transport::certificate_refused(source) {
                        Some(reason) => CliError::failed(format!(
                            "{} {}",
                            tco_client::transport::untrusted_certificate_message(
                                self.client.profile().endpoint(),
                                &reason
                            ),
                            crate::connection::UNTRUSTED_HINT
                        )),
                        None => CliError::failed(e.to_string()),
                    }
                }
                other => CliError::failed(other.to_string()),
            })
    }
}

fn read_params(args: &CallArgs) -> Result<Value, CliError> {
    let (text, source) = match (&args.params, &args.params_file) {
        (Some(text), _) => (text.clone(), "--params".to_owned()),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
            (text, "standard input".to_owned())
        }
        (None, Some(path)) => (
            std::fs::read_to_string(path)
                .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?,
            path.display().to_string(),
        ),
        (None, None) => ("{}".to_owned(), "--params".to_owned()),
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| CliError::usage(format!("{source} is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(CliError::usage(format!("{source} must hold a JSON object")));
    }
    Ok(value)
}

/// The `Response` object against the action's response shape: violations are a failed check.
fn check_response(version: Version, action: &str, response: &Value) -> Result<(), CliError> {
    let Some(action) = tco_spec::action(version, action) else {
        return Ok(());
    };
    let violations = action.validate_response(response);
    if violations.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
    let request_id = response
        .get("RequestId")
        .and_then(Value::as_str)
        .unwrap_or("none");
    Err(CliError::violations(format!(
        "contract violation: {} (response of {} {version} does not match {}; RequestId: {request_id}; --skip-validation prints it anyway)",
        listed.join("; "),
        action.name,
        action.output,
    )))
}
