//! Role configurations (the console's "permission configurations"): created, read, listed,
//! changed and deleted here; their permission policies in [`policies`]; their deployment to
//! target accounts in [`provisioning`].
//!
//! A configuration's deployments hang on it: it cannot be deleted while deployed anywhere
//! (`FailedOperation.RoleConfigurationProvisioningAlreadyDeployed`) nor while it holds policies
//! (`InvalidParameter.RolePolicyAlreadyExist`), as those codes say. A change that would change
//! the deployed CAM role (session duration, initial page, policies) marks each deployment
//! `DeployedRequired` until it is provisioned again.

pub(crate) mod policies;
mod provisioning;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::{Failure, BAD_NEXT_TOKEN, BAD_VALUE};
use crate::state::org::model::format_time;
use crate::state::{BusinessError, Ctx, Handler};

use super::paging::{self, Order};
use super::subjects::Target;
use super::zone::{self, NOT_OPEN, ZONE_NOT_EXIST};

pub(crate) use super::paging::PARAM_ERROR;
use super::{assignments, Zone};

pub(crate) use provisioning::{deploy, dismantled, provisioned, Deployment, Provisioning};

type Result<T> = std::result::Result<T, BusinessError>;

/// Role configurations per zone (the quota `GetZoneStatistics` reports).
pub(crate) const MAX_ROLE_CONFIGURATIONS: usize = super::zone::ROLE_CONFIGURATION_QUOTA;
const MAX_NAME: usize = 128;
const MAX_DESCRIPTION: usize = 1024;
const SESSION_DURATION: std::ops::RangeInclusive<i64> = 900..=43_200;
const DEFAULT_SESSION_DURATION: i64 = 3600;
/// The consoles an initial access page may be on.
const CONSOLE_HOSTS: [&str; 3] = [
    "console.cloud.tencent.com",
    "console.tencentcloud.com",
    "console.intl.cloud.tencent.com",
];

/// The role configurations of one zone, by ID.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct RoleConfigurations {
    pub(super) by_id: BTreeMap<String, RoleConfiguration>,
}

/// In a seed only `name` is needed: the ID is the key, sessions of an hour.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleConfiguration {
    #[serde(default)]
    pub id: String,
    /// Creation sequence (paging key).
    #[serde(default)]
    pub seq: u64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_session_duration")]
    pub session_duration: i64,
    #[serde(default)]
    pub relay_state: String,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
    /// In the order they were added.
    #[serde(default)]
    pub policies: Vec<policies::RolePolicy>,
    /// One per target account it is deployed on.
    #[serde(default)]
    pub provisionings: Vec<Provisioning>,
}

fn default_session_duration() -> i64 {
    DEFAULT_SESSION_DURATION
}

impl RoleConfigurations {
    pub fn get(&self, id: &str) -> Option<&RoleConfiguration> {
        self.by_id.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut RoleConfiguration> {
        self.by_id.get_mut(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &RoleConfiguration> {
        self.by_id.values()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Deployments of every configuration of the zone.
    pub fn provisioning_count(&self) -> usize {
        self.iter().map(|r| r.provisionings.len()).sum()
    }

    /// Names are unique in a zone, whatever their case.
    fn name_taken(&self, name: &str) -> bool {
        self.iter().any(|r| r.name.eq_ignore_ascii_case(name))
    }

    /// Removes every deployment on `target` (it left the organization).
    pub fn forget_target(&mut self, target: &Target) {
        for role in self.by_id.values_mut() {
            role.provisionings.retain(|p| p.target != *target);
        }
    }
}

impl RoleConfiguration {
    /// The `RoleConfiguration` object; `selected` answers `IsSelected`.
    pub fn info(&self, selected: bool) -> Value {
        json!({
            "RoleConfigurationId": self.id,
            "RoleConfigurationName": self.name,
            "Description": self.description,
            "SessionDuration": self.session_duration,
            "RelayState": self.relay_state,
            "CreateTime": format_time(self.create_time),
            "UpdateTime": format_time(self.update_time),
            "IsSelected": selected,
        })
    }

    /// A change that the deployed CAM roles do not have yet: each deployment needs redoing.
    fn changed(&mut self, now: i64) {
        self.update_time = now;
        for p in &mut self.provisionings {
            if p.status == Deployment::Deployed {
                p.status = Deployment::DeployedRequired;
                p.update_time = now;
            }
        }
    }

    pub fn provisioning(&self, target: &Target) -> Option<&Provisioning> {
        self.provisionings.iter().find(|p| p.target == *target)
    }
}

/// No role configuration with this ID in the zone.
pub(crate) const ROLE_NOT_EXIST: Failure = Failure {
    name: "RoleConfigurationNotExist",
    codes: &["InvalidParameter.RoleConfigurationNotExist"],
    fallback: "ResourceNotFound",
    message: "The zone has no role configuration with this ID.",
};

const NAME_FORMAT: Failure = Failure {
    name: "RoleConfigurationNameFormat",
    codes: &["InvalidParameter.ConfigurationNameFormatError"],
    fallback: "InvalidParameterValue",
    message: "A role configuration name has 1-128 letters, digits and hyphens.",
};

const NAME_TAKEN: Failure = Failure {
    name: "RoleConfigurationNameTaken",
    codes: &["InvalidParameter.ConfigurationNameAlreadyExists"],
    fallback: "InvalidParameterValue",
    message: "Another role configuration of the zone has this name.",
};

const ROLE_LIMIT: Failure = Failure {
    name: "RoleConfigurationLimit",
    codes: &["FailedOperation.ConfigurationOverUpperLimit"],
    fallback: "LimitExceeded",
    message: "The zone has as many role configurations as it may have.",
};

const ROLE_DEPLOYED: Failure = Failure {
    name: "RoleConfigurationDeployed",
    codes: &["FailedOperation.RoleConfigurationProvisioningAlreadyDeployed"],
    fallback: "FailedOperation",
    message: "The role configuration is deployed on target accounts; dismantle it first.",
};

const ROLE_HAS_POLICIES: Failure = Failure {
    name: "RoleConfigurationHasPolicies",
    codes: &["InvalidParameter.RolePolicyAlreadyExist"],
    fallback: "ResourceInUse",
    message: "The role configuration still holds permission policies; remove them first.",
};

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateRoleConfiguration",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            NAME_FORMAT,
            BAD_VALUE,
            NAME_TAKEN,
            ROLE_LIMIT,
        ],
        run: create,
    },
    Handler {
        action: "GetRoleConfiguration",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, ROLE_NOT_EXIST],
        run: get,
    },
    Handler {
        action: "ListRoleConfigurations",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            BAD_VALUE,
            BAD_NEXT_TOKEN,
            PARAM_ERROR,
        ],
        run: list,
    },
    Handler {
        action: "UpdateRoleConfiguration",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, ROLE_NOT_EXIST, BAD_VALUE],
        run: update,
    },
    Handler {
        action: "DeleteRoleConfiguration",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            ROLE_NOT_EXIST,
            ROLE_DEPLOYED,
            ROLE_HAS_POLICIES,
        ],
        run: delete,
    },
    Handler {
        action: "AddPermissionPolicyToRoleConfiguration",
        raises: policies::ADD_RAISES,
        run: policies::add,
    },
    Handler {
        action: "ListPermissionPoliciesInRoleConfiguration",
        raises: policies::LIST_RAISES,
        run: policies::list,
    },
    Handler {
        action: "RemovePermissionPolicyFromRoleConfiguration",
        raises: policies::REMOVE_RAISES,
        run: policies::remove,
    },
    Handler {
        action: "UpdateCustomPolicyForRoleConfiguration",
        raises: policies::UPDATE_RAISES,
        run: policies::update_custom,
    },
    Handler {
        action: "ProvisionRoleConfiguration",
        raises: provisioning::PROVISION_RAISES,
        run: provisioning::provision,
    },
    Handler {
        action: "DismantleRoleConfiguration",
        raises: provisioning::DISMANTLE_RAISES,
        run: provisioning::dismantle,
    },
    Handler {
        action: "ListRoleConfigurationProvisionings",
        raises: provisioning::LIST_RAISES,
        run: provisioning::list,
    },
];

pub(super) fn decisions() -> Vec<String> {
    vec![
        format!(
            "Role configurations: names of 1-{MAX_NAME} letters, digits and hyphens, unique in the zone whatever \
             their case; descriptions up to {MAX_DESCRIPTION} characters; `SessionDuration` 900-43200 seconds \
             (3600 when absent); `RelayState` empty or an `https://` page of a Tencent Cloud console \
             ({}). At most {MAX_ROLE_CONFIGURATIONS} per zone (the quota `GetZoneStatistics` reports). \
             `ListRoleConfigurations` `Filter` matches name or description, case-insensitively; \
             `IsSelected` is true when the configuration is assigned on one of `FilterTargets` (to \
             `PrincipalId` when given, which needs `FilterTargets`: `InvalidParameter.ParamError`).",
            CONSOLE_HOSTS.join(", ")
        ),
        "A role configuration cannot be deleted while it is deployed on any account \
         (`FailedOperation.RoleConfigurationProvisioningAlreadyDeployed`) or while it holds permission policies \
         (`InvalidParameter.RolePolicyAlreadyExist`). Changing its session duration, initial page or policies \
         marks its deployments `DeployedRequired` until `ProvisionRoleConfiguration` runs again on them; a \
         description change does not."
            .to_owned(),
    ]
    .into_iter()
    .chain(policies::decisions())
    .chain(provisioning::decisions())
    .collect()
}

/// The zone `id`, which the call found under the same lock.
fn zone_mut<'a>(inner: &'a mut Inner, id: &str) -> &'a mut Zone {
    inner
        .identity_center
        .zones
        .get_mut(id)
        .expect("zone found earlier under the same lock")
}

/// The caller's zone and its role configuration `RoleConfigurationId`.
fn role<'a>(inner: &'a Inner, ctx: &Ctx<'_>) -> Result<(&'a Zone, &'a RoleConfiguration)> {
    let z = zone::zone(inner, ctx)?;
    let id = ctx.str("RoleConfigurationId").unwrap_or("");
    let role = z
        .roles
        .get(id)
        .ok_or_else(|| ctx.err_with(ROLE_NOT_EXIST, format!("({id})")))?;
    Ok((z, role))
}

/// A role configuration to change: the zone's ID and the configuration's.
fn role_ids(inner: &Inner, ctx: &Ctx<'_>) -> Result<(String, String)> {
    let (z, r) = role(inner, ctx)?;
    Ok((z.id.clone(), r.id.clone()))
}

fn role_mut<'a>(inner: &'a mut Inner, zone_id: &str, role_id: &str) -> &'a mut RoleConfiguration {
    zone_mut(inner, zone_id)
        .roles
        .get_mut(role_id)
        .expect("role configuration found earlier under the same lock")
}

fn check_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    let len = name.chars().count();
    let ok = (1..=MAX_NAME).contains(&len)
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ctx.err_with(NAME_FORMAT, format!("({name:?})")))
    }
}

/// A text member of at most `max` characters.
fn text<'a>(ctx: &'a Ctx<'_>, key: &str, max: usize) -> Result<Option<&'a str>> {
    match ctx.str(key) {
        Some(t) if t.chars().count() > max => {
            Err(ctx.err_with(BAD_VALUE, format!("{key} has at most {max} characters.")))
        }
        other => Ok(other),
    }
}

fn session_duration(ctx: &Ctx<'_>, key: &str) -> Result<Option<i64>> {
    match ctx.int(key) {
        Some(s) if !SESSION_DURATION.contains(&s) => {
            Err(ctx.err_with(BAD_VALUE, format!("{key} is 900-43200 seconds, not {s}.")))
        }
        other => Ok(other),
    }
}

/// An initial access page: empty, or a page of a Tencent Cloud console.
fn relay_state<'a>(ctx: &'a Ctx<'_>, key: &str) -> Result<Option<&'a str>> {
    let Some(url) = ctx.str(key) else {
        return Ok(None);
    };
    let on_console = url.strip_prefix("https://").is_some_and(|rest| {
        CONSOLE_HOSTS.iter().any(|host| {
            rest.strip_prefix(host)
                .is_some_and(|path| path.is_empty() || path.starts_with('/'))
        })
    });
    if url.is_empty() || on_console {
        Ok(Some(url))
    } else {
        Err(ctx.err_with(
            BAD_VALUE,
            format!("{key} must be a page of a Tencent Cloud console, not {url:?}."),
        ))
    }
}

fn create(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let name = ctx.str("RoleConfigurationName").unwrap_or("");
    check_name(ctx, name)?;
    let description = text(ctx, "Description", MAX_DESCRIPTION)?.unwrap_or("");
    let session = session_duration(ctx, "SessionDuration")?.unwrap_or(DEFAULT_SESSION_DURATION);
    let relay = relay_state(ctx, "RelayState")?.unwrap_or("");
    if z.roles.name_taken(name) {
        return Err(ctx.err_with(NAME_TAKEN, format!("({name:?})")));
    }
    if z.roles.len() >= MAX_ROLE_CONFIGURATIONS {
        return Err(ctx.err_with(ROLE_LIMIT, format!("(at most {MAX_ROLE_CONFIGURATIONS})")));
    }
    let zone_id = z.id.clone();
    let (seq, id) = inner.identity_center.new_id("rc-", 10);
    let role = RoleConfiguration {
        id: id.clone(),
        seq,
        name: name.to_owned(),
        description: description.to_owned(),
        session_duration: session,
        relay_state: relay.to_owned(),
        create_time: ctx.now,
        update_time: ctx.now,
        policies: Vec::new(),
        provisionings: Vec::new(),
    };
    let info = role.info(false);
    zone_mut(inner, &zone_id).roles.by_id.insert(id, role);
    Ok(json!({ "RoleConfigurationInfo": info }))
}

fn get(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (_, role) = role(inner, ctx)?;
    Ok(json!({ "RoleConfigurationInfo": role.info(false) }))
}

fn list(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let filter = ctx.str("Filter").unwrap_or("").to_lowercase();
    let targets: Vec<u64> = ctx.ids("FilterTargets");
    let principal = ctx.str("PrincipalId").filter(|p| !p.is_empty());
    if principal.is_some() && targets.is_empty() {
        return Err(ctx.err_with(PARAM_ERROR, "PrincipalId needs FilterTargets."));
    }
    let items = z
        .roles
        .iter()
        .filter(|r| {
            r.name.to_lowercase().contains(&filter)
                || r.description.to_lowercase().contains(&filter)
        })
        .map(|r| {
            let selected =
                !targets.is_empty() && assignments::role_assigned_on(z, &r.id, &targets, principal);
            (r.seq, r.info(selected))
        })
        .collect();
    paging::answer(ctx, "RoleConfigurations", items, Order::Oldest)
}

fn update(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (zone_id, role_id) = role_ids(inner, ctx)?;
    let description = text(ctx, "NewDescription", MAX_DESCRIPTION)?;
    let session = session_duration(ctx, "NewSessionDuration")?;
    let relay = relay_state(ctx, "NewRelayState")?;
    let role = role_mut(inner, &zone_id, &role_id);
    let deployed_change = session.is_some_and(|s| s != role.session_duration)
        || relay.is_some_and(|r| r != role.relay_state);
    if let Some(d) = description {
        d.clone_into(&mut role.description);
    }
    if let Some(s) = session {
        role.session_duration = s;
    }
    if let Some(r) = relay {
        r.clone_into(&mut role.relay_state);
    }
    role.update_time = ctx.now;
    if deployed_change {
        role.changed(ctx.now);
    }
    Ok(json!({ "RoleConfigurationInfo": role.info(false) }))
}

fn delete(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (z, role) = role(inner, ctx)?;
    if !role.provisionings.is_empty() {
        return Err(ctx.err_with(
            ROLE_DEPLOYED,
            format!("({} accounts)", role.provisionings.len()),
        ));
    }
    if !role.policies.is_empty() {
        return Err(ctx.err_with(
            ROLE_HAS_POLICIES,
            format!("({} policies)", role.policies.len()),
        ));
    }
    let (zone_id, role_id) = (z.id.clone(), role.id.clone());
    zone_mut(inner, &zone_id).roles.by_id.remove(&role_id);
    Ok(json!({}))
}
