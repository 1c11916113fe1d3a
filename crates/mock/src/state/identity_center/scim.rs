//! SCIM: the bearer keys an external identity provider uses to push users and groups, and
//! whether SCIM synchronization is on.
//!
//! A key's secret is shown once, in the answer of `CreateSCIMCredential`, and kept nowhere: the
//! world (its `Debug`, a persisted copy) never holds it, and the journal records parameters,
//! not answers.

use std::collections::BTreeMap;

use rand::distr::{Alphanumeric, SampleString};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::{Failure, BAD_VALUE};
use crate::state::org::model::format_time;
use crate::state::{BusinessError, Ctx, Handler};

use super::zone::{self, NOT_OPEN, ZONE_NOT_EXIST};
use super::Switch;

type Result<T> = std::result::Result<T, BusinessError>;

/// SCIM keys per zone, as the service's guide gives it.
pub(crate) const MAX_CREDENTIALS: usize = 2;
const HOUR: u64 = 3600;
const YEAR: u64 = 365 * 24 * HOUR;
/// `ExpireDuration`: at least an hour, at most 99 years, a year when absent.
const MIN_DURATION: u64 = HOUR;
const MAX_DURATION: u64 = 99 * YEAR;
const DEFAULT_DURATION: u64 = YEAR;
const SECRET_LEN: usize = 32;

/// A zone's SCIM keys and synchronization switch.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Scim {
    sync: Switch,
    pub(super) credentials: BTreeMap<String, Credential>,
}

impl Default for Scim {
    fn default() -> Self {
        Scim {
            sync: Switch::Disabled,
            credentials: BTreeMap::new(),
        }
    }
}

/// One SCIM key, without its secret.
/// In a seed: `expire_time` (the ID is the key, enabled).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Credential {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub seq: u64,
    #[serde(default = "super::enabled")]
    pub status: Switch,
    #[serde(default)]
    pub create_time: i64,
    pub expire_time: i64,
}

impl Scim {
    /// Whether SCIM synchronization is on (synchronized users and groups are then locked).
    pub fn sync_status(&self) -> Switch {
        self.sync
    }
}

impl Credential {
    fn json(&self, zone_id: &str) -> Value {
        json!({
            "ZoneId": zone_id,
            "Status": self.status.as_str(),
            "CredentialId": self.id,
            "CredentialType": CREDENTIAL_TYPE,
            "CreateTime": format_time(self.create_time),
            "ExpireTime": format_time(self.expire_time),
        })
    }
}

const CREDENTIAL_TYPE: &str = "BearerToken";

/// The zone has as many SCIM keys as it may have.
pub(crate) const CREDENTIAL_LIMIT: Failure = Failure {
    name: "CredentialLimit",
    codes: &["LimitExceeded.ScimCredentialLimitExceeded"],
    fallback: "LimitExceeded",
    message: "The zone has as many SCIM keys as it may have.",
};

/// No SCIM key with this ID in the zone.
pub(crate) const CREDENTIAL_NOT_FOUND: Failure = Failure {
    name: "CredentialNotFound",
    codes: &["InvalidParameter.ScimCredentialNotFound"],
    fallback: "ResourceNotFound",
    message: "The zone has no SCIM key with this ID.",
};

/// A key status other than Enabled or Disabled.
pub(crate) const BAD_CREDENTIAL_STATUS: Failure = Failure {
    name: "BadCredentialStatus",
    codes: &["InvalidParameter.UserScimCredentialStatusError"],
    fallback: "InvalidParameterValue",
    message: "A SCIM key's status is Enabled or Disabled.",
};

/// A synchronization status other than Enabled or Disabled.
pub(crate) const BAD_SYNC_STATUS: Failure = Failure {
    name: "BadSyncStatus",
    codes: &["InvalidParameter.ScimSyncStatusError"],
    fallback: "InvalidParameterValue",
    message: "SCIM synchronization is Enabled or Disabled.",
};

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateSCIMCredential",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, BAD_VALUE, CREDENTIAL_LIMIT],
        run: create_scim_credential,
    },
    Handler {
        action: "ListSCIMCredentials",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST],
        run: list_scim_credentials,
    },
    Handler {
        action: "UpdateSCIMCredentialStatus",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            CREDENTIAL_NOT_FOUND,
            BAD_CREDENTIAL_STATUS,
        ],
        run: update_scim_credential_status,
    },
    Handler {
        action: "DeleteSCIMCredential",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, CREDENTIAL_NOT_FOUND],
        run: delete_scim_credential,
    },
    Handler {
        action: "GetSCIMSynchronizationStatus",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST],
        run: get_scim_synchronization_status,
    },
    Handler {
        action: "UpdateSCIMSynchronizationStatus",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, BAD_SYNC_STATUS],
        run: update_scim_synchronization_status,
    },
];

pub(super) fn decisions() -> Vec<String> {
    vec![format!(
        "SCIM: at most {MAX_CREDENTIALS} keys per zone, as the service's guide says \
         (`LimitExceeded.ScimCredentialLimitExceeded`). A key is `Enabled` when created, of type \
         `{CREDENTIAL_TYPE}`, and expires after `ExpireDuration` seconds (an hour to 99 years; 365 days when absent; \
         otherwise `InvalidParameterValue`). Its secret ({SECRET_LEN} random letters and digits) is in the \
         `CreateSCIMCredential` answer only: the mock keeps no copy, so no list, log or saved world shows it. \
         Keys can be made whether synchronization is on or not. SCIM synchronization starts `Disabled`; \
         `DescribeIdentityCenter` `ScimSyncStatus` shows it. `ListSCIMCredentials` with an unknown \
         `CredentialId` lists nothing."
    )]
}

fn text<'a>(ctx: &'a Ctx<'_>, key: &str) -> &'a str {
    ctx.str(key).unwrap_or("")
}

fn create_scim_credential(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let duration = match ctx.params.get("ExpireDuration").and_then(Value::as_u64) {
        None => DEFAULT_DURATION,
        Some(d) if (MIN_DURATION..=MAX_DURATION).contains(&d) => d,
        Some(d) => {
            return Err(ctx.err_with(
                BAD_VALUE,
                format!("(ExpireDuration {d}: {MIN_DURATION} to {MAX_DURATION} seconds)"),
            ))
        }
    };
    if z.scim.credentials.len() >= MAX_CREDENTIALS {
        return Err(ctx.err_with(CREDENTIAL_LIMIT, format!("(at most {MAX_CREDENTIALS})")));
    }
    let zone_id = z.id.clone();
    let (seq, id) = inner.identity_center.new_id("scimcred-", 12);
    let credential = Credential {
        id: id.clone(),
        seq,
        status: Switch::Enabled,
        create_time: ctx.now,
        expire_time: ctx
            .now
            .saturating_add(i64::try_from(duration).unwrap_or(i64::MAX)),
    };
    let secret = Alphanumeric.sample_string(&mut rand::rng(), SECRET_LEN);
    let answer = json!({
        "ZoneId": zone_id,
        "CredentialId": id,
        "CredentialType": CREDENTIAL_TYPE,
        "CreateTime": format_time(credential.create_time),
        "ExpireTime": format_time(credential.expire_time),
        "CredentialStatus": credential.status.as_str(),
        "CredentialSecret": secret,
    });
    zone::by_id_mut(inner, &zone_id)
        .scim
        .credentials
        .insert(id, credential);
    Ok(answer)
}

fn list_scim_credentials(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let only = ctx.str("CredentialId").filter(|id| !id.is_empty());
    let mut listed: Vec<&Credential> = z
        .scim
        .credentials
        .values()
        .filter(|c| only.is_none_or(|id| c.id == id))
        .collect();
    listed.sort_by_key(|c| c.seq);
    Ok(json!({
        "TotalCounts": listed.len(),
        "SCIMCredentials": listed.iter().map(|c| c.json(&z.id)).collect::<Vec<_>>(),
    }))
}

/// The SCIM key `CredentialId` of the caller's zone: (zone ID, key ID).
fn credential(inner: &Inner, ctx: &Ctx<'_>) -> Result<(String, String)> {
    let z = zone::zone(inner, ctx)?;
    let id = text(ctx, "CredentialId");
    if !z.scim.credentials.contains_key(id) {
        return Err(ctx.err_with(CREDENTIAL_NOT_FOUND, format!("({id})")));
    }
    Ok((z.id.clone(), id.to_owned()))
}

fn update_scim_credential_status(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (zone_id, id) = credential(inner, ctx)?;
    let raw = text(ctx, "NewStatus");
    let status = Switch::parse(raw)
        .ok_or_else(|| ctx.err_with(BAD_CREDENTIAL_STATUS, format!("({raw:?})")))?;
    if let Some(c) = zone::by_id_mut(inner, &zone_id)
        .scim
        .credentials
        .get_mut(&id)
    {
        c.status = status;
    }
    Ok(json!({}))
}

fn delete_scim_credential(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (zone_id, id) = credential(inner, ctx)?;
    zone::by_id_mut(inner, &zone_id)
        .scim
        .credentials
        .remove(&id);
    Ok(json!({}))
}

fn get_scim_synchronization_status(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    Ok(json!({ "SCIMSynchronizationStatus": z.scim.sync.as_str() }))
}

fn update_scim_synchronization_status(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let zone_id = zone::zone_id(inner, ctx)?;
    let raw = text(ctx, "SCIMSynchronizationStatus");
    let status =
        Switch::parse(raw).ok_or_else(|| ctx.err_with(BAD_SYNC_STATUS, format!("({raw:?})")))?;
    zone::by_id_mut(inner, &zone_id).scim.sync = status;
    Ok(json!({}))
}
