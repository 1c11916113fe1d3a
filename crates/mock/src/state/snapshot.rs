//! The world document: one versioned format, TOML or JSON, for a seed written by hand and for
//! a snapshot the mock writes.
//!
//! A snapshot is the world's data serialized as it is (every area, IDs and the counters that
//! hand out the next ones, so IDs keep increasing after a load). A seed is the same document
//! with most fields left out: every area may be missing, and each entry needs only what
//! identifies it (an organization its manager, its root and its units' names and parents; a
//! member a name and a unit; an invitation its organization, invitee and name; an Identity
//! Center zone its organization and name, its users and groups a name, an assignment its
//! role configuration, target and principal, ...). IDs left out of an entry are the key it is
//! filed under, the counters move past the highest ID the document uses, and the rest has the
//! defaults each area's model declares (`#[serde(default)]`, the README lists them). Tasks in
//! progress are the one part without a seed form: a snapshot keeps them as they are.
//!
//! Each area completes and checks its own part (`<area>::seed`); this module parses, reads
//! the version, and completes the organization area (units, members, invitations).
//!
//! The document holds the world's state, never credentials: accounts are UINs and names
//! (secret keys stay in the mock's configuration and the environment).
//!
//! A document that does not parse or breaks an invariant is refused with one line naming the
//! place (a line for syntax errors, else the dotted path of the key); nothing of it is loaded.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde_json::{Map, Value};

use super::data::{Account, Inner};
use super::org::model::{INVITATION_TTL_SECS, MAX_NODE_DEPTH, SEED_EXPIRY};

/// The only version of the document this mock reads and writes.
pub const VERSION: u64 = 1;

/// How a document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// By file extension: `.toml` or `.json`.
    pub fn of_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A world document that parsed and keeps every invariant of the world.
#[derive(Clone)]
pub struct WorldDoc {
    pub(crate) inner: Inner,
}

impl fmt::Debug for WorldDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorldDoc")
            .field("organizations", &self.inner.orgs.len())
            .finish_non_exhaustive()
    }
}

/// Why a document was refused: where, and what is wrong, printed on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    /// The file, when the document came from one.
    pub file: Option<String>,
    /// `line N` for a syntax error, else the dotted path of the key (`orgs.10001.root`).
    pub place: String,
    pub message: String,
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for DocError {}

impl DocError {
    fn at(place: impl Into<String>, message: impl fmt::Display) -> Self {
        DocError {
            file: None,
            place: place.into(),
            message: one_line(&message.to_string()),
        }
    }

    fn in_file(mut self, path: &Path) -> Self {
        self.file = Some(path.display().to_string());
        self
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl WorldDoc {
    /// Reads a document from a file, its format by extension.
    pub fn load(path: &Path) -> Result<WorldDoc, DocError> {
        let format = Format::of_path(path).ok_or_else(|| {
            DocError::at("file name", "expected a .toml or .json extension").in_file(path)
        })?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| DocError::at("file", format!("cannot read: {e}")).in_file(path))?;
        WorldDoc::parse(&text, format).map_err(|e| e.in_file(path))
    }

    /// Parses and checks a document.
    pub fn parse(text: &str, format: Format) -> Result<WorldDoc, DocError> {
        let value = match format {
            Format::Json => serde_json::from_str::<Value>(text).map_err(|e| {
                DocError::at(format!("line {}", e.line()), format!("not JSON: {e}"))
            })?,
            Format::Toml => {
                let table = toml::from_str::<toml::Value>(text).map_err(|e| {
                    let line = e.span().map_or(1, |s| line_of(text, s.start));
                    DocError::at(format!("line {line}"), format!("not TOML: {}", e.message()))
                })?;
                serde_json::to_value(table).map_err(|e| DocError::at("document", e))?
            }
        };
        WorldDoc::from_value(value)
    }

    /// Checks a document already parsed as JSON.
    pub fn from_value(value: Value) -> Result<WorldDoc, DocError> {
        let Value::Object(mut fields) = value else {
            return Err(DocError::at("document", "expected a table (a JSON object)"));
        };
        check_version(fields.remove("version"))?;
        let mut inner: Inner = serde_path_to_error::deserialize(Value::Object(fields))
            .map_err(|e| DocError::at(e.path().to_string(), e.inner()))?;
        complete(&mut inner)?;
        Ok(WorldDoc { inner })
    }

    /// The document as JSON, `version` first.
    pub fn to_value(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("version".into(), Value::from(VERSION));
        if let Ok(Value::Object(world)) = serde_json::to_value(&self.inner) {
            doc.extend(world);
        }
        Value::Object(doc)
    }

    /// The document as text in `format`. TOML has no null: absent values are left out.
    pub fn to_text(&self, format: Format) -> std::io::Result<String> {
        let value = self.to_value();
        match format {
            Format::Json => serde_json::to_string_pretty(&value).map_err(std::io::Error::other),
            Format::Toml => toml::to_string(&without_nulls(value)).map_err(std::io::Error::other),
        }
    }

    /// Writes the document so that a reader sees the old file or the new one, never a part:
    /// a temporary file in the same directory, flushed to disk, then renamed over `path`.
    pub fn write_atomically(&self, path: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let format = Format::of_path(path).unwrap_or(Format::Json);
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        // Rendered before the temporary file exists: a failure leaves the old file alone.
        let text = self.to_text(format)?;
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        file.write_all(text.as_bytes())?;
        file.as_file().sync_all()?;
        file.persist(path).map_err(|e| e.error)?;
        // The rename itself survives a crash once the directory is on disk too.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

fn check_version(version: Option<Value>) -> Result<(), DocError> {
    match version {
        None => Err(DocError::at(
            "version",
            format!("missing (this mock reads version = {VERSION})"),
        )),
        Some(v) if v.as_u64() == Some(VERSION) => Ok(()),
        Some(v) => Err(DocError::at(
            "version",
            format!("unsupported version {v} (this mock reads version = {VERSION})"),
        )),
    }
}

/// Fills what a seed may leave out and refuses a world that breaks an invariant.
fn complete(inner: &mut Inner) -> Result<(), DocError> {
    fill_ids(inner)?;
    check_units(inner)?;
    check_members(inner)?;
    check_accounts_unique(inner)?;
    complete_invitations(inner)?;
    super::member_login::seed::complete(inner)
        .map_err(|(place, message)| DocError::at(place, message))?;
    super::sharing::seed::complete(inner)
        .map_err(|(place, message)| DocError::at(place, message))?;
    super::policies::seed::complete(inner)
        .map_err(|(place, message)| DocError::at(place, message))?;
    super::services::seed::check(inner).map_err(|(place, message)| DocError::at(place, message))?;
    super::identity_center::seed::complete(inner)
        .map_err(|(place, message)| DocError::at(place, message))?;
    declare_accounts(inner);
    advance_counters(inner);
    Ok(())
}

/// An ID left out (zero) is the key; one given must be the key.
fn fill_id(id: &mut u64, key: u64, place: impl FnOnce() -> String) -> Result<(), DocError> {
    if *id == 0 {
        *id = key;
    }
    if *id != key {
        return Err(DocError::at(
            place(),
            format!("is {id}, but the entry is filed under {key}"),
        ));
    }
    Ok(())
}

fn fill_ids(inner: &mut Inner) -> Result<(), DocError> {
    for (&key, org) in &mut inner.orgs {
        fill_id(&mut org.id, key, || format!("orgs.{key}.id"))?;
        for (&node_key, node) in &mut org.nodes {
            fill_id(&mut node.id, node_key, || {
                format!("orgs.{key}.nodes.{node_key}.id")
            })?;
        }
        for (&uin, member) in &mut org.members {
            fill_id(&mut member.uin, uin, || {
                format!("orgs.{key}.members.{uin}.uin")
            })?;
        }
    }
    for (&key, invitation) in &mut inner.invitations {
        fill_id(&mut invitation.id, key, || format!("invitations.{key}.id"))?;
    }
    Ok(())
}

/// Units: the root exists and has no parent, every other unit's parent is a unit of the same
/// organization, no deeper than the service allows, and no unit ID is used twice.
fn check_units(inner: &Inner) -> Result<(), DocError> {
    let mut owners: BTreeMap<u64, u64> = BTreeMap::new();
    for (&org_id, org) in &inner.orgs {
        let Some(root) = org.nodes.get(&org.root) else {
            return Err(DocError::at(
                format!("orgs.{org_id}.root"),
                format!("unit {} is not among the organization's nodes", org.root),
            ));
        };
        if root.parent.is_some() {
            return Err(DocError::at(
                format!("orgs.{org_id}.nodes.{}.parent", org.root),
                "the root unit has no parent",
            ));
        }
        for (&node_id, node) in &org.nodes {
            let place = || format!("orgs.{org_id}.nodes.{node_id}.parent");
            if let Some(other) = owners.insert(node_id, org_id) {
                return Err(DocError::at(
                    format!("orgs.{org_id}.nodes.{node_id}"),
                    format!("unit ID {node_id} is also used in organization {other}"),
                ));
            }
            if node_id == org.root {
                continue;
            }
            let Some(parent) = node.parent else {
                return Err(DocError::at(
                    place(),
                    "missing: only the root has no parent",
                ));
            };
            if !org.nodes.contains_key(&parent) {
                return Err(DocError::at(
                    place(),
                    format!("unit {parent} does not exist in organization {org_id}"),
                ));
            }
            if depth(org, node_id).is_none() {
                return Err(DocError::at(
                    place(),
                    format!("units nest in a cycle or deeper than {MAX_NODE_DEPTH} levels"),
                ));
            }
        }
    }
    Ok(())
}

/// Levels from the root down to `node` (the root is level 1), if within the limit.
fn depth(org: &super::org::model::Org, node: u64) -> Option<usize> {
    let mut current = node;
    for level in 1..=MAX_NODE_DEPTH {
        if current == org.root {
            return Some(level);
        }
        current = org.nodes.get(&current)?.parent?;
    }
    None
}

fn check_members(inner: &Inner) -> Result<(), DocError> {
    for (&org_id, org) in &inner.orgs {
        for (&uin, member) in &org.members {
            if !org.nodes.contains_key(&member.node) {
                return Err(DocError::at(
                    format!("orgs.{org_id}.members.{uin}.node"),
                    format!(
                        "unit {} does not exist in organization {org_id}",
                        member.node
                    ),
                ));
            }
            if uin == org.host_uin {
                return Err(DocError::at(
                    format!("orgs.{org_id}.members.{uin}"),
                    "the manager is not one of the organization's members",
                ));
            }
        }
    }
    Ok(())
}

/// An account manages or belongs to at most one organization.
fn check_accounts_unique(inner: &Inner) -> Result<(), DocError> {
    let mut seen: BTreeMap<u64, u64> = BTreeMap::new();
    for (&org_id, org) in &inner.orgs {
        let accounts = std::iter::once((org.host_uin, format!("orgs.{org_id}.host_uin"))).chain(
            org.members
                .keys()
                .map(|uin| (*uin, format!("orgs.{org_id}.members.{uin}"))),
        );
        for (uin, place) in accounts {
            if let Some(other) = seen.insert(uin, org_id) {
                return Err(DocError::at(
                    place,
                    format!("account {uin} is already in organization {other}"),
                ));
            }
        }
    }
    Ok(())
}

/// Invitations: sent by the manager of an organization that exists (left out: its manager),
/// to an account that is not that manager, landing in one of its units; the expiry left out is
/// [`SEED_EXPIRY`] or, after an `invite_time`, the service's.
fn complete_invitations(inner: &mut Inner) -> Result<(), DocError> {
    for (&id, invitation) in &mut inner.invitations {
        let at = |field: &str| format!("invitations.{id}.{field}");
        let Some(org) = inner.orgs.get(&invitation.org_id) else {
            return Err(DocError::at(
                at("org_id"),
                format!("organization {} does not exist", invitation.org_id),
            ));
        };
        if invitation.host_uin == 0 {
            invitation.host_uin = org.host_uin;
        }
        if invitation.host_uin != org.host_uin {
            return Err(DocError::at(
                at("host_uin"),
                format!(
                    "account {} does not manage organization {}",
                    invitation.host_uin, org.id
                ),
            ));
        }
        if invitation.invitee == org.host_uin {
            return Err(DocError::at(
                at("invitee"),
                "the manager cannot be invited to its own organization",
            ));
        }
        if let Some(node) = invitation.node.filter(|n| !org.nodes.contains_key(n)) {
            return Err(DocError::at(
                at("node"),
                format!("unit {node} does not exist in organization {}", org.id),
            ));
        }
        if invitation.expire_time == 0 {
            invitation.expire_time = match invitation.invite_time {
                0 => SEED_EXPIRY,
                sent => sent.saturating_add(INVITATION_TTL_SECS),
            };
        }
    }
    Ok(())
}

/// Managers and members are accounts; members are known by their names.
fn declare_accounts(inner: &mut Inner) {
    let mut found: Vec<(u64, String)> = Vec::new();
    for org in inner.orgs.values() {
        found.push((org.host_uin, org.host_uin.to_string()));
        found.extend(org.members.values().map(|m| (m.uin, m.name.clone())));
    }
    for (uin, name) in found {
        inner.accounts.entry(uin).or_insert(Account {
            name,
            registered: false,
        });
    }
}

/// The next IDs handed out are past every ID the document uses.
fn advance_counters(inner: &mut Inner) {
    let past = |ids: &mut dyn Iterator<Item = u64>, next: &mut u64| {
        if let Some(max) = ids.max() {
            *next = (*next).max(max.saturating_add(1));
        }
    };
    let mut next_org = inner.next_org;
    past(&mut inner.orgs.keys().copied(), &mut next_org);
    let mut next_node = inner.next_node;
    past(
        &mut inner.orgs.values().flat_map(|o| o.nodes.keys().copied()),
        &mut next_node,
    );
    let mut next_invitation = inner.next_invitation;
    past(&mut inner.invitations.keys().copied(), &mut next_invitation);
    let mut next_bind = inner.next_bind;
    past(
        &mut inner
            .orgs
            .values()
            .flat_map(|o| o.members.values())
            .filter_map(|m| m.email.as_ref().map(|e| e.id)),
        &mut next_bind,
    );
    inner.next_org = next_org;
    inner.next_node = next_node;
    inner.next_invitation = next_invitation;
    inner.next_bind = next_bind;
}
