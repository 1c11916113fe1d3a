//! The JSON form of an override that the admin surface takes (`POST /_mock/overrides`).

use std::time::Duration;

use serde_json::Value;

use super::{Override, Times};

/// The admin surface's form of an override (`POST /_mock/overrides`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOverride {
    action: String,
    params: Option<Value>,
    response: Option<Value>,
    error: Option<RawError>,
    #[serde(default)]
    delay_ms: u64,
    times: Option<u64>,
    expect: Option<RawTimes>,
    name: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawError {
    code: String,
    #[serde(default)]
    message: String,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum RawTimes {
    Count(u64),
    Range { min: Option<u64>, max: Option<u64> },
}

impl Override {
    /// Reads the JSON form the admin surface takes:
    /// `{"action", "params"?, "response"? | "error"?: {"code", "message"?}, "delay_ms"?,
    /// "times"?, "expect"?: N | {"min"?, "max"?}, "name"?}`, and checks it.
    pub fn from_json(body: &[u8]) -> Result<Self, String> {
        let raw: RawOverride = serde_json::from_slice(body)
            .map_err(|e| format!("{}{e}", Override::NOT_AN_OVERRIDE))?;
        Override::from_form(raw)
    }

    /// How a body that is not the JSON form is answered: this, then serde's reason.
    pub(crate) const NOT_AN_OVERRIDE: &'static str = "not an override: ";

    /// The JSON form read, checked (the admin surface reads it with its extractor).
    pub(crate) fn from_form(raw: RawOverride) -> Result<Self, String> {
        let mut spec = Override::on(&raw.action).delay(Duration::from_millis(raw.delay_ms));
        spec.params = raw.params;
        spec.times = raw.times;
        spec.name = raw.name;
        spec = match (raw.response, raw.error) {
            (Some(_), Some(_)) => return Err("give either response or error, not both".into()),
            (Some(body), None) => spec.respond_with(body),
            (None, Some(error)) => spec.respond_with_error(&error.code, &error.message),
            (None, None) => spec,
        };
        spec.expected = match raw.expect {
            None => None,
            Some(RawTimes::Count(n)) => Some(Times::from(n)),
            Some(RawTimes::Range { min, max }) => Some(Times {
                min: min.unwrap_or(0),
                max,
            }),
        };
        spec.check().map_err(|e| e.to_string())?;
        Ok(spec)
    }
}
