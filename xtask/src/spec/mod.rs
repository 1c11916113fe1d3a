//! `gen-spec` / `check-spec`: the contract in `crates/spec/contract/`, generated from the
//! reference data in `reference/`.
//!
//! One file per API version. Output is deterministic: actions, shapes and codes are sorted by
//! name; members keep api.json's order (it is the documented order, and clients show it).
//! Nothing of Tencent's prose is carried over; error messages are the project's own.
//! The file's layout is `tco_spec::schema`, the very types the contract's readers parse.

mod messages;
mod reference;
mod types;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use tco_spec::schema::{ActionEntry, ContractFile};
use tco_spec::{ErrorCode, Member, Shape};

use reference::{ApiFile, ApiMember, Reference};
use types::Examples;

pub type Error = Box<dyn std::error::Error>;

/// Writes every contract file into `out`.
pub fn generate(reference_dir: &Path, out: &Path) -> Result<(), Error> {
    let files = render_all(reference_dir)?;
    fs::create_dir_all(out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    for (name, text) in files {
        let path = out.join(&name);
        fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Regenerates and compares with `spec_dir`, naming every file that differs or is missing, so
/// CI shows all the drift at once.
pub fn check(reference_dir: &Path, spec_dir: &Path) -> Result<(), Error> {
    let stale = crate::drift::differing(spec_dir, &render_all(reference_dir)?);
    crate::drift::verdict(
        &stale,
        spec_dir,
        "the contract (crates/spec/contract/) is up to date",
        "the contract (crates/spec/contract/) is out of date; run `cargo xtask gen-spec`",
    )
}

/// (file name, pretty JSON with trailing newline) for every API version.
fn render_all(reference_dir: &Path) -> Result<Vec<(String, String)>, Error> {
    let reference = reference::load(reference_dir)?;
    reference
        .apis
        .iter()
        .map(|api| {
            let contract = build_contract(&reference, api)?;
            let name = format!("{}-{}.json", contract.service, contract.version);
            Ok((name, serde_json::to_string_pretty(&contract)? + "\n"))
        })
        .collect()
}

fn build_contract(reference: &Reference, api: &ApiFile) -> Result<ContractFile, Error> {
    let version = api.metadata.api_version.clone();
    Ok(ContractFile {
        actions: build_actions(reference, api)?,
        shapes: build_shapes(api)?,
        error_codes: build_error_codes(reference, &version)?,
        common_errors: build_common_errors(reference)?,
        service: api.metadata.service.clone(),
        version,
    })
}

fn build_actions(reference: &Reference, api: &ApiFile) -> Result<Vec<ActionEntry>, Error> {
    let version = &api.metadata.api_version;
    let limits = reference
        .rate_limits
        .actions
        .get(version)
        .ok_or_else(|| format!("rate-limits.json has no version {version}"))?;
    let key = reference::version_key(version);
    let errors = reference.errors_by_action.get(&key);
    let known = reference.error_codes.get(&key);
    api.actions
        .iter()
        .map(|(name, action)| {
            let limit = limits
                .get(name)
                .ok_or_else(|| format!("rate-limits.json has no {version} {name}"))?;
            let mut codes = errors
                .and_then(|e| e.get(name))
                .cloned()
                .unwrap_or_default();
            if let Some(bad) = codes
                .iter()
                .find(|c| !known.is_some_and(|k| k.contains_key(*c)))
            {
                return Err(
                    format!("{version} {name}: error {bad} is not in error-codes.json").into(),
                );
            }
            codes.sort();
            codes.dedup();
            Ok(ActionEntry {
                name: name.clone(),
                input: action.input.clone(),
                output: action.output.clone(),
                rate_limit: limit
                    .per_second
                    .unwrap_or(reference.rate_limits.default_per_second),
                rate_limit_documented: limit.per_second.is_some(),
                category: limit.category.clone().unwrap_or_default(),
                category_by_name: limit.category_by_name.unwrap_or(false),
                errors: codes,
            })
        })
        .collect()
}

fn build_shapes(api: &ApiFile) -> Result<Vec<Shape>, Error> {
    let outputs: BTreeSet<&str> = api.actions.values().map(|a| a.output.as_str()).collect();
    let mut examples = Examples::new(&api.objects);
    api.objects
        .iter()
        .map(|(name, object)| {
            let is_response = outputs.contains(name.as_str());
            let members = object
                .members
                .iter()
                .map(|m| build_member(&mut examples, api, name, m, is_response))
                .collect::<Result<_, _>>()?;
            Ok(Shape {
                name: name.clone(),
                usage: object.usage.clone(),
                members,
            })
        })
        .collect()
}

/// api.json leaves `RequestId` of response shapes without flags, but every response carries
/// one (README, "Responses"), so it is marked as required in responses.
fn build_member(
    examples: &mut Examples,
    api: &ApiFile,
    shape: &str,
    m: &ApiMember,
    is_response: bool,
) -> Result<Member, Error> {
    let example = examples.member(shape, m)?;
    let request_id = is_response && m.name == "RequestId";
    Ok(Member {
        name: m.name.clone(),
        ty: types::normalise(shape, m, &api.objects)?,
        required: m.required.unwrap_or(false),
        output_required: m.output_required.unwrap_or(false) || request_id,
        nullable: m.value_allowed_null.unwrap_or(false),
        deprecated: m.disabled.unwrap_or(false),
        example: example.value,
        example_synthesized: example.synthesized,
    })
}

fn build_error_codes(reference: &Reference, version: &str) -> Result<Vec<ErrorCode>, Error> {
    let key = reference::version_key(version);
    let codes = reference
        .error_codes
        .get(&key)
        .ok_or_else(|| format!("error-codes.json has no {key}"))?;
    codes
        .keys()
        .map(|code| {
            let family = family(code);
            let message = messages::family_message(family)
                .ok_or_else(|| format!("no message for error family {family} ({code})"))?;
            Ok(error_code(code, message))
        })
        .collect()
}

fn build_common_errors(reference: &Reference) -> Result<Vec<ErrorCode>, Error> {
    reference
        .common_errors
        .iter()
        .map(|code| {
            let message = messages::common_message(code)
                .ok_or_else(|| format!("no message for common error {code}"))?;
            Ok(error_code(code, message))
        })
        .collect()
}

fn error_code(code: &str, message: &str) -> ErrorCode {
    ErrorCode {
        code: code.to_owned(),
        family: family(code).to_owned(),
        message: message.to_owned(),
    }
}

fn family(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}
