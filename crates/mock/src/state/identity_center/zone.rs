//! The zone itself: opening Identity Center, describing and renaming it, its statistics; and
//! how every zone-scoped action finds its zone.

use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::Failure;
use crate::state::org::model::{format_time, Standing};
use crate::state::{BusinessError, Ctx, Handler};

use super::{groups, users, Zone};

type Result<T> = std::result::Result<T, BusinessError>;

/// The quotas `GetZoneStatistics` reports, as the contract's example gives them. Users and
/// groups are held to theirs ([`users::MAX_USERS`], [`groups::MAX_GROUPS`]).
pub(crate) const ROLE_CONFIGURATION_QUOTA: usize = 1000;
pub(crate) const SYSTEM_POLICIES_PER_ROLE_CONFIGURATION_QUOTA: usize = 20;

/// Longest and shortest zone name.
const ZONE_NAME_LEN: std::ops::RangeInclusive<usize> = 2..=64;

/// A zone-scoped action before the caller opened Identity Center.
pub(crate) const NOT_OPEN: Failure = Failure {
    name: "IdentityCenterNotOpen",
    codes: &["FailedOperation.IdentityCenterNotOpen"],
    fallback: "FailedOperation",
    message: "Identity Center is not open for this account.",
};

/// A `ZoneId` that is not the caller's zone.
pub(crate) const ZONE_NOT_EXIST: Failure = Failure {
    name: "ZoneIdNotExist",
    codes: &["FailedOperation.ZoneIdNotExist"],
    fallback: "ResourceNotFound",
    message: "The caller has no Identity Center zone with this ID.",
};

/// OpenIdentityCenter by an account without an organization.
pub(crate) const NO_ORGANIZATION: Failure = Failure {
    name: "NoOrganization",
    codes: &["FailedOperation.IdentityCenterOrganizationNotOpen"],
    fallback: "FailedOperation",
    message: "Identity Center needs an organization; the caller has none.",
};

/// OpenIdentityCenter by a member rather than the organization's manager.
pub(crate) const NOT_MANAGER: Failure = Failure {
    name: "NotManager",
    codes: &["FailedOperation.IdentityCenterNotOrganizationManager"],
    fallback: "FailedOperation",
    message: "Only the organization's manager can open Identity Center.",
};

/// OpenIdentityCenter when the caller's zone exists.
pub(crate) const ALREADY_OPEN: Failure = Failure {
    name: "AlreadyOpen",
    codes: &["FailedOperation.IdentityCenterAlreadyOpen"],
    fallback: "FailedOperation",
    message: "Identity Center is already open for this account.",
};

/// A zone name outside the documented format.
pub(crate) const ZONE_NAME_FORMAT: Failure = Failure {
    name: "ZoneNameFormat",
    codes: &["InvalidParameterValue.ZoneNameFormatError"],
    fallback: "InvalidParameterValue",
    message: "A zone name has 2-64 lowercase letters, digits and single hyphens, and neither starts nor ends with a hyphen.",
};

/// Another zone has this name (names are global).
pub(crate) const ZONE_NAME_TAKEN: Failure = Failure {
    name: "ZoneNameTaken",
    codes: &["InvalidParameterValue.IdentityCenterZoneNameAlreadyExist"],
    fallback: "InvalidParameterValue",
    message: "Another Identity Center zone has this name.",
};

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "OpenIdentityCenter",
        raises: &[
            NO_ORGANIZATION,
            NOT_MANAGER,
            ALREADY_OPEN,
            ZONE_NAME_FORMAT,
            ZONE_NAME_TAKEN,
        ],
        run: open_identity_center,
    },
    Handler {
        action: "DescribeIdentityCenter",
        raises: &[NOT_OPEN],
        run: describe_identity_center,
    },
    Handler {
        action: "UpdateZone",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, ZONE_NAME_FORMAT, ZONE_NAME_TAKEN],
        run: update_zone,
    },
    Handler {
        action: "GetZoneStatistics",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST],
        run: get_zone_statistics,
    },
];

pub(super) fn decisions() -> Vec<String> {
    vec![
        "Identity Center: the manager of an organization opens one zone (`OpenIdentityCenter`); an account \
         without an organization gets `FailedOperation.IdentityCenterOrganizationNotOpen`, a member \
         `FailedOperation.IdentityCenterNotOrganizationManager`, a second opening \
         `FailedOperation.IdentityCenterAlreadyOpen`. Every zone-scoped action answers \
         `FailedOperation.IdentityCenterNotOpen` until the caller has a zone (a member of the organization \
         has none) and `FailedOperation.ZoneIdNotExist` for any `ZoneId` but the caller's; where an action \
         does not document these codes, `FailedOperation` and `ResourceNotFound`."
            .to_owned(),
        "Zone names are unique across the mock (`InvalidParameterValue.IdentityCenterZoneNameAlreadyExist`) and \
         have 2-64 lowercase letters, digits and hyphens, no leading, trailing or doubled hyphen \
         (`InvalidParameterValue.ZoneNameFormatError`, or `InvalidParameterValue` where not documented); the \
         contract's example name `testName` breaks that format and is refused. \
         Deleting the organization removes its zone and everything in it: no code documents a refusal."
            .to_owned(),
        format!(
            "IDs look like the service's (`z-` and 12, `u-` and 8, `g-` and 12, `scimcred-` and 12, `idp-c-` \
             and 12 digits and lowercase letters) and are deterministic: a bijection of one creation counter \
             for the whole of Identity Center, never reused until a reset. `GetZoneStatistics` counts what \
             the zone holds and reports the quotas of the contract's example (users {}, groups {}, role \
             configurations {ROLE_CONFIGURATION_QUOTA}, system policies per role configuration \
             {SYSTEM_POLICIES_PER_ROLE_CONFIGURATION_QUOTA}).",
            users::MAX_USERS,
            groups::MAX_GROUPS,
        ),
    ]
}

/// The ID of the zone the caller owns, if it opened one.
fn owned_zone_id(inner: &Inner, uin: u64) -> Option<String> {
    inner
        .identity_center
        .zones
        .values()
        .find(|z| z.owner_uin == uin)
        .map(|z| z.id.clone())
}

/// The zone named by the call's `ZoneId`, which must be the caller's.
pub(crate) fn zone_id(inner: &Inner, ctx: &Ctx<'_>) -> Result<String> {
    let owned = owned_zone_id(inner, ctx.caller).ok_or_else(|| ctx.err(NOT_OPEN))?;
    match ctx.str("ZoneId") {
        Some(id) if id == owned => Ok(owned),
        Some(id) => Err(ctx.err_with(ZONE_NOT_EXIST, format!("({id})"))),
        None => Ok(owned),
    }
}

/// The caller's zone named by `ZoneId`.
pub(crate) fn zone<'a>(inner: &'a Inner, ctx: &Ctx<'_>) -> Result<&'a Zone> {
    let id = zone_id(inner, ctx)?;
    Ok(&inner.identity_center.zones[&id])
}

/// Zone `id`, found earlier under the same lock (after the checks, to change it).
pub(crate) fn by_id_mut<'a>(inner: &'a mut Inner, id: &str) -> &'a mut Zone {
    inner
        .identity_center
        .zones
        .get_mut(id)
        .expect("zone id taken from the world under the same lock")
}

/// Organization `org_id` is gone: so is its zone, with everything in it.
pub(crate) fn org_removed(inner: &mut Inner, org_id: u64) {
    inner
        .identity_center
        .zones
        .retain(|_, z| z.org_id != org_id);
}

fn check_zone_name(inner: &Inner, ctx: &Ctx<'_>, name: &str, except: Option<&str>) -> Result<()> {
    let well_formed = ZONE_NAME_LEN.contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if !well_formed {
        return Err(ctx.err_with(ZONE_NAME_FORMAT, format!("({name:?})")));
    }
    let taken = inner
        .identity_center
        .zones
        .values()
        .any(|z| z.name == name && Some(z.id.as_str()) != except);
    if taken {
        return Err(ctx.err_with(ZONE_NAME_TAKEN, format!("({name:?})")));
    }
    Ok(())
}

fn open_identity_center(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = match inner.standing(ctx.caller) {
        Standing::Manager(org_id) => org_id,
        Standing::Member(_) => return Err(ctx.err(NOT_MANAGER)),
        Standing::None => return Err(ctx.err(NO_ORGANIZATION)),
    };
    if owned_zone_id(inner, ctx.caller).is_some() {
        return Err(ctx.err(ALREADY_OPEN));
    }
    let name = ctx.str("ZoneName").unwrap_or("");
    check_zone_name(inner, ctx, name, None)?;
    let (_, id) = inner.identity_center.new_id("z-", 12);
    inner.identity_center.zones.insert(
        id.clone(),
        Zone {
            id: id.clone(),
            name: name.to_owned(),
            owner_uin: ctx.caller,
            org_id,
            create_time: ctx.now,
            update_time: ctx.now,
            users: Default::default(),
            groups: Default::default(),
            roles: Default::default(),
            assignments: Default::default(),
            scim: Default::default(),
            saml: Default::default(),
            sync: Default::default(),
        },
    );
    Ok(json!({ "ZoneId": id }))
}

fn describe_identity_center(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone(inner, ctx)?;
    Ok(json!({
        "ZoneId": z.id,
        "ZoneName": z.name,
        "ServiceStatus": "Enabled",
        "ScimSyncStatus": z.scim.sync_status().as_str(),
        "CreateTime": format_time(z.create_time),
        "UpdateTime": format_time(z.update_time),
    }))
}

fn update_zone(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let id = zone_id(inner, ctx)?;
    let name = ctx.str("NewZoneName").unwrap_or("");
    check_zone_name(inner, ctx, name, Some(&id))?;
    let z = by_id_mut(inner, &id);
    z.name = name.to_owned();
    z.update_time = ctx.now;
    Ok(json!({}))
}

fn get_zone_statistics(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone(inner, ctx)?;
    Ok(json!({
        "ZoneStatistics": {
            "UserQuota": users::MAX_USERS,
            "GroupQuota": groups::MAX_GROUPS,
            "RoleConfigurationQuota": ROLE_CONFIGURATION_QUOTA,
            "SystemPolicyPerRoleConfigurationQuota": SYSTEM_POLICIES_PER_ROLE_CONFIGURATION_QUOTA,
            "UserCount": z.users.len(),
            "GroupCount": z.groups.len(),
            "RoleConfigurationCount": z.roles.len(),
            "UserProvisioningCount": z.sync.len(),
            "RoleConfigurationSyncCount": z.roles.provisioning_count(),
        }
    }))
}
