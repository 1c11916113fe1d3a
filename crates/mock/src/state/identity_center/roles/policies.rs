//! A role configuration's permission policies: CAM system policies it reuses (by ID, or by
//! name alone), and custom policies it carries the document of.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::Failure;
use crate::state::org::model::format_time;
use crate::state::{BusinessError, Ctx};

use super::super::zone::{NOT_OPEN, ZONE_NOT_EXIST};
use super::{role, role_ids, role_mut, PARAM_ERROR, ROLE_NOT_EXIST};

type Result<T> = std::result::Result<T, BusinessError>;

/// System policies per role configuration (the quota `GetZoneStatistics` reports).
pub(crate) const MAX_SYSTEM_POLICIES: usize =
    super::super::zone::SYSTEM_POLICIES_PER_ROLE_CONFIGURATION_QUOTA;
/// Custom policies per role configuration (the mock's choice).
pub(crate) const MAX_CUSTOM_POLICIES: usize = 10;
/// Policies one call may add, as documented.
const MAX_PER_CALL: usize = 20;
const MAX_POLICY_NAME: usize = 32;
const MAX_DOCUMENT: usize = 4096;
/// Custom policies are numbered from here up (by the zone's creation counter).
pub(crate) const FIRST_CUSTOM_POLICY_ID: i64 = 500_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum PolicyKind {
    System,
    Custom,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::System => "System",
            PolicyKind::Custom => "Custom",
        }
    }
}

/// In a seed: `name` and `kind` (a system policy's `id` if it has one, a custom one's
/// `document`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RolePolicy {
    /// A system policy added by name alone has none.
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    pub kind: PolicyKind,
    /// Custom policies only.
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub add_time: i64,
}

impl RolePolicy {
    fn info(&self) -> Value {
        let mut v = json!({
            "RolePolicyName": self.name,
            "RolePolicyType": self.kind.as_str(),
            "RolePolicyDocument": self.document,
            "AddTime": format_time(self.add_time),
        });
        if let Some(id) = self.id {
            v["RolePolicyId"] = json!(id);
        }
        v
    }

    /// The same policy: of one kind, and the same name (whatever its case) or the same ID.
    fn same(&self, other: &RolePolicy) -> bool {
        self.kind == other.kind
            && ((!self.name.is_empty() && self.name.eq_ignore_ascii_case(&other.name))
                || (self.id.is_some() && self.id == other.id))
    }
}

const NAME_TOO_LONG: Failure = Failure {
    name: "PolicyNameTooLong",
    codes: &["InvalidParameter.PolicyNameSizeOverUpperLimit"],
    fallback: "InvalidParameterValue",
    message: "A policy name has at most 32 characters.",
};

const DOCUMENT_EMPTY: Failure = Failure {
    name: "PolicyDocumentEmpty",
    codes: &["InvalidParameter.PolicyDocumentEmpty"],
    fallback: "InvalidParameterValue",
    message: "A custom policy needs a document.",
};

const POLICY_TAKEN: Failure = Failure {
    name: "PolicyAlreadyAdded",
    codes: &["InvalidParameter.PolicyNameAlreadyExists"],
    fallback: "InvalidParameterValue",
    message: "The role configuration already holds this policy.",
};

const SYSTEM_LIMIT: Failure = Failure {
    name: "SystemPolicyLimit",
    codes: &["FailedOperation.SystemPolicyOverUpperLimit"],
    fallback: "LimitExceeded",
    message: "The role configuration would hold more system policies than it may.",
};

const CUSTOM_LIMIT: Failure = Failure {
    name: "CustomPolicyLimit",
    codes: &["FailedOperation.CustomPolicyOverUpperLimit"],
    fallback: "LimitExceeded",
    message: "The role configuration would hold more custom policies than it may.",
};

const POLICY_NOT_EXIST: Failure = Failure {
    name: "RolePolicyNotExist",
    codes: &["InvalidParameter.RolePolicyNotExist"],
    fallback: "ResourceNotFound",
    message: "The role configuration holds no such policy.",
};

const NOT_CUSTOM: Failure = Failure {
    name: "PolicyNotCustom",
    codes: &["InvalidParameter.PolicyTypeError"],
    fallback: "InvalidParameterValue",
    message: "Only a custom policy has a document to change.",
};

pub(super) const ADD_RAISES: &[Failure] = &[
    NOT_OPEN,
    ZONE_NOT_EXIST,
    ROLE_NOT_EXIST,
    PARAM_ERROR,
    NAME_TOO_LONG,
    DOCUMENT_EMPTY,
    POLICY_TAKEN,
    SYSTEM_LIMIT,
    CUSTOM_LIMIT,
];
pub(super) const LIST_RAISES: &[Failure] = &[NOT_OPEN, ZONE_NOT_EXIST, ROLE_NOT_EXIST, PARAM_ERROR];
pub(super) const REMOVE_RAISES: &[Failure] = &[
    NOT_OPEN,
    ZONE_NOT_EXIST,
    ROLE_NOT_EXIST,
    PARAM_ERROR,
    POLICY_NOT_EXIST,
];
pub(super) const UPDATE_RAISES: &[Failure] = &[
    NOT_OPEN,
    ZONE_NOT_EXIST,
    ROLE_NOT_EXIST,
    POLICY_NOT_EXIST,
    NOT_CUSTOM,
    DOCUMENT_EMPTY,
    PARAM_ERROR,
];

pub(super) fn decisions() -> Vec<String> {
    vec![format!(
        "Permission policies: `System` ones by `RolePolicies` (ID and name) or by `RolePolicyNames` (name alone, \
         then listed without `RolePolicyId`); `Custom` ones by `RolePolicyNames` with `CustomPolicyDocument` \
         (one name) or `CustomPolicyDocuments` (one per name), numbered from {FIRST_CUSTOM_POLICY_ID} up. \
         Names 1-{MAX_POLICY_NAME} characters (`InvalidParameter.PolicyNameSizeOverUpperLimit`), at most \
         {MAX_PER_CALL} per call; documents 1-{MAX_DOCUMENT} characters, their syntax not checked. A policy is \
         held once (same type and name, whatever its case, or same ID: `InvalidParameter.PolicyNameAlreadyExists`); \
         at most {MAX_SYSTEM_POLICIES} system and {MAX_CUSTOM_POLICIES} custom ones per configuration. \
         `RemovePermissionPolicyFromRoleConfiguration` finds the policy by name when one is given, else by ID. \
         A call that fails adds or removes nothing."
    )]
}

fn policy_kind(ctx: &Ctx<'_>, text: &str) -> Result<PolicyKind> {
    match text {
        "System" => Ok(PolicyKind::System),
        "Custom" => Ok(PolicyKind::Custom),
        other => Err(ctx.err_with(
            PARAM_ERROR,
            format!("RolePolicyType is System or Custom, not {other:?}."),
        )),
    }
}

/// The strings of list member `key`.
fn strings<'a>(ctx: &'a Ctx<'_>, key: &str) -> Vec<&'a str> {
    ctx.params
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn check_policy_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    match name.chars().count() {
        0 => Err(ctx.err_with(PARAM_ERROR, "A policy name must not be empty.")),
        n if n > MAX_POLICY_NAME => Err(ctx.err_with(NAME_TOO_LONG, format!("({name:?})"))),
        _ => Ok(()),
    }
}

fn check_document(ctx: &Ctx<'_>, document: &str) -> Result<()> {
    match document.chars().count() {
        0 => Err(ctx.err(DOCUMENT_EMPTY)),
        n if n > MAX_DOCUMENT => Err(ctx.err_with(
            PARAM_ERROR,
            format!("A policy document has at most {MAX_DOCUMENT} characters."),
        )),
        _ => Ok(()),
    }
}

/// The system policies a call names (without IDs for custom ones yet).
fn system_policies(ctx: &Ctx<'_>) -> Result<Vec<RolePolicy>> {
    let mut out = Vec::new();
    let detailed = ctx.params.get("RolePolicies").and_then(Value::as_array);
    for detail in detailed.into_iter().flatten() {
        let id = detail.get("PolicyId").and_then(Value::as_i64).unwrap_or(0);
        if id <= 0 {
            return Err(ctx.err_with(PARAM_ERROR, "A system policy's PolicyId is positive."));
        }
        let name = detail
            .get("PolicyName")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !name.is_empty() {
            check_policy_name(ctx, name)?;
        }
        out.push(new_policy(Some(id), name, PolicyKind::System, "", ctx.now));
    }
    for name in strings(ctx, "RolePolicyNames") {
        check_policy_name(ctx, name)?;
        out.push(new_policy(None, name, PolicyKind::System, "", ctx.now));
    }
    Ok(out)
}

/// The custom policies a call names, each with its document.
fn custom_policies(ctx: &Ctx<'_>) -> Result<Vec<RolePolicy>> {
    let names = strings(ctx, "RolePolicyNames");
    let documents = strings(ctx, "CustomPolicyDocuments");
    let documents: Vec<&str> = if !documents.is_empty() {
        if documents.len() != names.len() {
            return Err(ctx.err_with(
                PARAM_ERROR,
                "CustomPolicyDocuments has one document per name of RolePolicyNames.",
            ));
        }
        documents
    } else if names.len() > 1 {
        return Err(ctx.err_with(
            PARAM_ERROR,
            "Several custom policies need CustomPolicyDocuments.",
        ));
    } else {
        vec![ctx.str("CustomPolicyDocument").unwrap_or(""); names.len()]
    };
    let mut out = Vec::new();
    for (name, document) in names.into_iter().zip(documents) {
        check_policy_name(ctx, name)?;
        check_document(ctx, document)?;
        out.push(new_policy(
            None,
            name,
            PolicyKind::Custom,
            document,
            ctx.now,
        ));
    }
    Ok(out)
}

fn new_policy(
    id: Option<i64>,
    name: &str,
    kind: PolicyKind,
    document: &str,
    now: i64,
) -> RolePolicy {
    RolePolicy {
        id,
        name: name.to_owned(),
        kind,
        document: document.to_owned(),
        add_time: now,
    }
}

pub(super) fn add(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (_, role) = role(inner, ctx)?;
    let kind = policy_kind(ctx, ctx.str("RolePolicyType").unwrap_or(""))?;
    let new = match kind {
        PolicyKind::System => system_policies(ctx)?,
        PolicyKind::Custom => custom_policies(ctx)?,
    };
    if new.is_empty() || new.len() > MAX_PER_CALL {
        return Err(ctx.err_with(
            PARAM_ERROR,
            format!("Add 1-{MAX_PER_CALL} policies per call, not {}.", new.len()),
        ));
    }
    for (i, p) in new.iter().enumerate() {
        let held = role.policies.iter().any(|q| q.same(p));
        let twice = new[..i].iter().any(|q| q.same(p));
        if held || twice {
            return Err(ctx.err_with(POLICY_TAKEN, format!("({:?})", p.name)));
        }
    }
    let (limit, failure) = match kind {
        PolicyKind::System => (MAX_SYSTEM_POLICIES, SYSTEM_LIMIT),
        PolicyKind::Custom => (MAX_CUSTOM_POLICIES, CUSTOM_LIMIT),
    };
    let held = role.policies.iter().filter(|p| p.kind == kind).count();
    if held + new.len() > limit {
        return Err(ctx.err_with(failure, format!("(at most {limit})")));
    }
    let (zone_id, role_id) = role_ids(inner, ctx)?;
    let mut new = new;
    if kind == PolicyKind::Custom {
        for p in &mut new {
            let seq = inner.identity_center.seq();
            p.id = Some(FIRST_CUSTOM_POLICY_ID + i64::try_from(seq).unwrap_or(i64::MAX / 2));
        }
    }
    let role = role_mut(inner, &zone_id, &role_id);
    role.policies.extend(new);
    role.changed(ctx.now);
    Ok(json!({}))
}

pub(super) fn list(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (_, role) = role(inner, ctx)?;
    let kind = match ctx.str("RolePolicyType").unwrap_or("") {
        "" => None,
        text => Some(policy_kind(ctx, text)?),
    };
    let filter = ctx.str("Filter").unwrap_or("").to_lowercase();
    let policies: Vec<Value> = role
        .policies
        .iter()
        .filter(|p| kind.is_none_or(|k| p.kind == k))
        .filter(|p| p.name.to_lowercase().contains(&filter))
        .map(RolePolicy::info)
        .collect();
    Ok(json!({ "TotalCounts": policies.len(), "RolePolicies": policies }))
}

pub(super) fn remove(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (_, role) = role(inner, ctx)?;
    let kind = policy_kind(ctx, ctx.str("RolePolicyType").unwrap_or(""))?;
    let name = ctx.str("RolePolicyName").unwrap_or("");
    let id = ctx.int("RolePolicyId").unwrap_or(0);
    let wanted = |p: &RolePolicy| {
        p.kind == kind
            && if name.is_empty() {
                p.id == Some(id)
            } else {
                p.name.eq_ignore_ascii_case(name)
            }
    };
    if name.is_empty() && id == 0 {
        return Err(ctx.err_with(
            PARAM_ERROR,
            "Name the policy: RolePolicyName or RolePolicyId.",
        ));
    }
    let Some(index) = role.policies.iter().position(wanted) else {
        let named = if name.is_empty() {
            id.to_string()
        } else {
            format!("{name:?}")
        };
        return Err(ctx.err_with(POLICY_NOT_EXIST, format!("({} {named})", kind.as_str())));
    };
    let (zone_id, role_id) = role_ids(inner, ctx)?;
    let role = role_mut(inner, &zone_id, &role_id);
    role.policies.remove(index);
    role.changed(ctx.now);
    Ok(json!({}))
}

pub(super) fn update_custom(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (_, role) = role(inner, ctx)?;
    let name = ctx.str("CustomPolicyName").unwrap_or("");
    let named = |kind: PolicyKind| {
        role.policies
            .iter()
            .position(|p| p.kind == kind && p.name.eq_ignore_ascii_case(name))
    };
    let Some(index) = named(PolicyKind::Custom) else {
        return Err(match named(PolicyKind::System) {
            Some(_) => ctx.err_with(NOT_CUSTOM, format!("({name:?} is a system policy)")),
            None => ctx.err_with(POLICY_NOT_EXIST, format!("({name:?})")),
        });
    };
    let document = ctx.str("NewCustomPolicyDocument").unwrap_or("");
    check_document(ctx, document)?;
    let (zone_id, role_id) = role_ids(inner, ctx)?;
    let role = role_mut(inner, &zone_id, &role_id);
    document.clone_into(&mut role.policies[index].document);
    role.changed(ctx.now);
    Ok(json!({}))
}
