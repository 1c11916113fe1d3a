//! `gen-models`: typed Rust models for every action, generated from the committed contract
//! (`crates/spec/contract/`).
//!
//! One module per API version in `crates/client/src/models/` (plus a `mod.rs` naming them),
//! each holding a request and a response struct per action, the nested structs those share,
//! an `Operation` impl tying each request to its response, and `Api`, the per-version calls.
//!
//! The contract files are read from `crates/spec/contract/*.json` (not the copy embedded in
//! `tco-spec`, so `--spec` can point elsewhere) into `tco_spec::schema`, the layout `gen-spec`
//! writes. Output is deterministic: shapes and actions sorted by name, members in contract
//! order, formatted by `rustfmt`, so `check` can compare bytes. Doc comments are generated from
//! the types and flags only; no documentation prose is carried over.

mod naming;
mod render;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use tco_spec::schema::ContractFile as Contract;
use tco_spec::{Member, Shape, Type};

pub type Error = Box<dyn std::error::Error>;

/// Where a shape is used: sent in requests, received in responses, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Usage {
    input: bool,
    output: bool,
}

/// Writes every model file into `out`.
pub fn generate(spec_dir: &Path, out: &Path) -> Result<(), Error> {
    let files = render_all(spec_dir)?;
    fs::create_dir_all(out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    for (name, text) in files {
        let path = out.join(&name);
        if fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            println!("unchanged {}", path.display());
            continue;
        }
        fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Names every model file in `models_dir` that regenerating would change, add or remove.
pub fn stale(spec_dir: &Path, models_dir: &Path) -> Result<Vec<String>, Error> {
    let files = render_all(spec_dir)?;
    let mut stale = crate::drift::differing(models_dir, &files);
    let expected: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    if let Ok(entries) = fs::read_dir(models_dir) {
        let mut extra: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs") && !expected.contains(n.as_str()))
            .collect();
        extra.sort();
        stale.extend(extra);
    }
    Ok(stale)
}

/// (file name, formatted Rust) for `mod.rs` and every version found in `spec_dir`.
fn render_all(spec_dir: &Path) -> Result<Vec<(String, String)>, Error> {
    let mut contracts = Vec::new();
    let mut names: Vec<_> = fs::read_dir(spec_dir)
        .map_err(|e| format!("reading {}: {e}", spec_dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for path in names {
        let text =
            fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let contract: Contract =
            serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        contracts.push((file, contract));
    }
    if contracts.is_empty() {
        return Err(format!("no contract files in {}", spec_dir.display()).into());
    }
    let mut files = Vec::new();
    let mut modules = Vec::new();
    for (file, contract) in &contracts {
        let module = naming::version_module(&contract.version);
        let code = render::version(file, contract, &usages(contract)?)?;
        files.push((format!("{module}.rs"), rustfmt(&code)?));
        modules.push((module, contract.version.clone()));
    }
    files.insert(
        0,
        ("mod.rs".to_owned(), rustfmt(&render::mod_rs(&modules))?),
    );
    Ok(files)
}

/// For each shape, whether it travels in requests, responses or both (following nesting).
fn usages(contract: &Contract) -> Result<BTreeMap<String, Usage>, Error> {
    let shapes: BTreeMap<&str, &Shape> = contract
        .shapes
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
    for (roots, input) in [
        (
            contract
                .actions
                .iter()
                .map(|a| &a.input)
                .collect::<Vec<_>>(),
            true,
        ),
        (contract.actions.iter().map(|a| &a.output).collect(), false),
    ] {
        let mut todo: Vec<&str> = roots.into_iter().map(String::as_str).collect();
        while let Some(name) = todo.pop() {
            let shape = shapes
                .get(name)
                .ok_or_else(|| format!("{}: unknown shape {name}", contract.version))?;
            let entry = usage.entry(name.to_owned()).or_default();
            let seen = if input { entry.input } else { entry.output };
            if seen {
                continue;
            }
            if input {
                entry.input = true;
            } else {
                entry.output = true;
            }
            todo.extend(shape.members.iter().filter_map(|m| m.ty.object_ref()));
        }
    }
    Ok(usage)
}

/// Formats generated code with the toolchain's rustfmt (the same one `cargo fmt` uses), so
/// the committed files pass `cargo fmt --check`.
fn rustfmt(code: &str) -> Result<String, Error> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("rustfmt has no stdin")?
        .write_all(code.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed on generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(output.stdout)?)
}
