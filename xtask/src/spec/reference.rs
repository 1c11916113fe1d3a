//! The reference data as it is on disk: only the fields the contract needs are read, so that
//! Tencent's prose (`document`, `name` of actions) never even enters the generator.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::Error;

/// One `api.json` (a single API version).
#[derive(Deserialize)]
pub struct ApiFile {
    pub metadata: ApiMetadata,
    pub actions: BTreeMap<String, ApiAction>,
    pub objects: BTreeMap<String, ApiObject>,
}

#[derive(Deserialize)]
pub struct ApiMetadata {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    #[serde(rename = "serviceShortName")]
    pub service: String,
}

#[derive(Deserialize)]
pub struct ApiAction {
    pub input: String,
    pub output: String,
}

#[derive(Deserialize)]
pub struct ApiObject {
    pub members: Vec<ApiMember>,
    pub usage: Option<String>,
}

/// A member as api.json spells it: `type` is the coarse kind (`int`, `list`, …) and `member`
/// the precise scalar (`uint64`) or the name of a nested object.
#[derive(Deserialize)]
pub struct ApiMember {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub member: String,
    pub required: Option<bool>,
    pub output_required: Option<bool>,
    pub value_allowed_null: Option<bool>,
    pub disabled: Option<bool>,
    pub example: Option<String>,
}

#[derive(Deserialize)]
pub struct RateLimits {
    pub default_per_second: u32,
    /// version ("2018-12-25") → action → entry
    pub actions: BTreeMap<String, BTreeMap<String, RateEntry>>,
}

#[derive(Deserialize)]
pub struct RateEntry {
    pub per_second: Option<u32>,
    pub category: Option<String>,
    pub category_by_name: Option<bool>,
}

/// Everything read from the reference directory.
pub struct Reference {
    pub apis: Vec<ApiFile>,
    /// version key ("v20181225") → code → Tencent's text (only the codes are used)
    pub error_codes: BTreeMap<String, BTreeMap<String, String>>,
    /// version key → action → business error codes
    pub errors_by_action: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    pub rate_limits: RateLimits,
    pub common_errors: Vec<String>,
}

/// The API versions the generator produces, as directory names under `organization/`.
pub const VERSION_DIRS: [&str; 2] = ["v20181225", "v20210331"];

pub fn load(dir: &Path) -> Result<Reference, Error> {
    let org = dir.join("organization");
    let apis = VERSION_DIRS
        .iter()
        .map(|v| read_json(&org.join(v).join("api.json")))
        .collect::<Result<_, _>>()?;
    let readme = read_text(&dir.join("README.md"))?;
    Ok(Reference {
        apis,
        error_codes: read_json(&org.join("error-codes.json"))?,
        errors_by_action: read_json(&org.join("errors-by-action.json"))?,
        rate_limits: read_json(&org.join("rate-limits.json"))?,
        common_errors: common_error_codes(&readme)?,
    })
}

fn read_text(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()).into())
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()).into())
}

/// The common error codes are only written down in the README, as a paragraph starting with
/// "Common error codes" listing each code in backticks. Reading them from there keeps the
/// README the single source; a code with a suspicious spelling stops the generator.
pub fn common_error_codes(readme: &str) -> Result<Vec<String>, Error> {
    let start = readme
        .find("Common error codes")
        .ok_or("README.md has no \"Common error codes\" paragraph")?;
    let paragraph = readme[start..].split("\n\n").next().unwrap_or_default();
    let mut codes: Vec<String> = paragraph
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    if let Some(bad) = codes.iter().find(|c| !is_code(c)) {
        return Err(format!("README.md: {bad:?} does not look like an error code").into());
    }
    codes.sort();
    codes.dedup();
    Ok(codes)
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
}

/// "2018-12-25" → "v20181225", the key the error files use.
pub fn version_key(version: &str) -> String {
    format!("v{}", version.replace('-', ""))
}
