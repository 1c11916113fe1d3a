//! Why a configuration was refused, in one line that names the place and never quotes a
//! value (which may be a secret key or token).

use std::path::{Path, PathBuf};

use crate::limiter::UnknownAlgorithm;
use crate::limits::UnknownKeyMode;

/// Why a configuration was refused; each names the offending entry.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// TOML that does not parse or does not fit the layout. The message names the line and
    /// column and never quotes the file: the offending line may hold a secret key.
    #[error("config {path} is not valid: {}", parse_message(.line, .column, .message))]
    Parse {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("accounts[{index}]: {field} must not be empty")]
    EmptyField { index: usize, field: &'static str },
    #[error("accounts[{index}]: SecretId {secret_id:?} is used by another account")]
    DuplicateSecretId { index: usize, secret_id: String },
    #[error("accounts[{index}]: uin {uin} is declared twice")]
    DuplicateUin { index: usize, uin: u64 },
    #[error(
        "accounts[{index}]: owner_uin {owner_uin} is not the uin of a main account the mock serves"
    )]
    UnknownOwner { index: usize, owner_uin: u64 },
    #[error("rate_limits: {0}")]
    KeyMode(#[from] UnknownKeyMode),
    #[error("rate_limits.actions: {:?} is not an action of any API version{}", .0, tco_spec::did_you_mean(.0))]
    UnknownLimitAction(String),
    #[error("rate_limits: {0}")]
    UnknownAlgorithm(#[from] UnknownAlgorithm),
    #[error("rate_limits: burst is only meaningful with algorithm = \"token-bucket\"")]
    BurstWithoutBucket,
    #[error("faults[{index}]: {action:?} is not an action of any API version (or \"*\"){}", tco_spec::did_you_mean(.action))]
    UnknownFaultAction { index: usize, action: String },
    #[error("faults[{index}]: probability {value} is not between 0.0 and 1.0")]
    Probability { index: usize, value: f64 },
    #[error("faults[{index}]: error code {code:?} is not documented by either API version")]
    UnknownErrorCode { index: usize, code: String },
    #[error("faults[{index}]: the rule sets no error, latency_ms or drop_connection")]
    EmptyFault { index: usize },
    #[error(
        "admin.token must not be empty (leave it out to disable the admin surface off loopback)"
    )]
    EmptyAdminToken,
    #[error("body_timeout_ms must be more than 0")]
    ZeroBodyTimeout,
    #[error("header_timeout_ms must be more than 0")]
    ZeroHeaderTimeout,
    #[error("max_connections must be at least 1")]
    ZeroMaxConnections,
    #[error("no account: builtin_account = false and no [[accounts]] (nor TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY)")]
    NoAccount,
}

fn parse_message(line: &Option<usize>, column: &Option<usize>, message: &str) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("line {line}, column {column}: {message}"),
        _ => message.to_owned(),
    }
}

/// A TOML error as position, key and message only, with quoted values blanked: the offending
/// line (which `toml` would quote) and the value in a type error may be a secret key or token.
pub(super) fn parse_error(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let mut message = blank_quoted(error.message().trim());
    let (line, column) = match error.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let line_text = text[line_start..].lines().next().unwrap_or_default();
            if let Some(key) = key_of(line_text) {
                message = format!("{message} (key `{key}`)");
            }
            let line = before.matches('\n').count() + 1;
            (Some(line), Some(before.len() - line_start + 1))
        }
        None => (None, None),
    };
    ConfigError::Parse {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// The bare key a `key = value` line sets (a name from the file's layout, never a value).
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    bare.then_some(key)
}

/// Replaces the contents of every double-quoted string with `…`; field names (which serde
/// quotes with backticks) stay.
fn blank_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if !inside {
                out.push_str("\"…");
            }
            if inside {
                out.push('"');
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}
