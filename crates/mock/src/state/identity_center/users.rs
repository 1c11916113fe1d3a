//! Users of a zone: created, read, listed, changed, enabled or disabled, deleted.
//!
//! A user's groups are kept by the groups (see [`super::groups`]); what hangs on a user in other
//! parts of the zone (role assignments, user synchronizations) is asked of those parts before a
//! user goes, and told to them after.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::{Failure, BAD_NEXT_TOKEN, BAD_VALUE};
use crate::state::org::model::format_time;
use crate::state::{BusinessError, Ctx, Handler};

use super::paging::{self, PARAM_ERROR};
use super::zone::{self, NOT_OPEN, ZONE_NOT_EXIST};
use super::{
    assignments, sync, Origin, PrincipalKind, Switch, Zone, PRINCIPAL_ASSIGNED,
    PRINCIPAL_PROVISIONED,
};

type Result<T> = std::result::Result<T, BusinessError>;

/// Users per zone (the quota `GetZoneStatistics` reports).
pub(crate) const MAX_USERS: usize = 1000;
const MAX_USER_NAME: usize = 64;
const MAX_PERSON_NAME: usize = 64;
const MAX_DISPLAY_NAME: usize = 256;
pub(crate) const MAX_DESCRIPTION: usize = 1024;
const MAX_EMAIL: usize = 128;
/// Symbols a user name may hold besides ASCII letters and digits.
const USER_NAME_SYMBOLS: &str = "+=,.@-_";

/// The users of one zone, by ID.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Users {
    pub(super) by_id: BTreeMap<String, User>,
}

/// In a seed only `name` is needed: the ID is the key, an enabled manual user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct User {
    #[serde(default)]
    pub id: String,
    /// Creation sequence (paging key).
    #[serde(default)]
    pub seq: u64,
    pub name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub email: String,
    #[serde(default = "super::enabled")]
    pub status: Switch,
    #[serde(default = "super::manual")]
    pub origin: Origin,
    #[serde(default)]
    pub need_reset_password: bool,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
}

impl Users {
    pub fn get(&self, id: &str) -> Option<&User> {
        self.by_id.get(id)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &User> {
        self.by_id.values()
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut User> {
        self.by_id.get_mut(id)
    }

    /// User names are unique in a zone, whatever their case.
    fn name_taken(&self, name: &str) -> bool {
        self.iter().any(|u| u.name.eq_ignore_ascii_case(name))
    }

    /// Emails are unique in a zone, whatever their case; `except` is the user being changed.
    fn email_taken(&self, email: &str, except: Option<&str>) -> bool {
        !email.is_empty()
            && self
                .iter()
                .any(|u| u.email.eq_ignore_ascii_case(email) && Some(u.id.as_str()) != except)
    }
}

impl User {
    /// The `UserInfo` object. The mock keeps no passwords, so it has no `Password`.
    pub fn info(&self, selected: bool) -> Value {
        json!({
            "UserName": self.name,
            "FirstName": self.first_name,
            "LastName": self.last_name,
            "DisplayName": self.display_name,
            "Description": self.description,
            "Email": self.email,
            "UserStatus": self.status.as_str(),
            "UserType": self.origin.as_str(),
            "UserId": self.id,
            "CreateTime": format_time(self.create_time),
            "UpdateTime": format_time(self.update_time),
            "IsSelected": selected,
            "NeedResetPassword": self.need_reset_password,
        })
    }
}

/// No user with this ID in the zone.
pub(crate) const USER_NOT_EXIST: Failure = Failure {
    name: "UserNotExist",
    codes: &["ResourceNotFound.UserNotExist"],
    fallback: "ResourceNotFound",
    message: "The zone has no user with this ID.",
};

/// Another user of the zone has this name.
pub(crate) const USER_NAME_TAKEN: Failure = Failure {
    name: "UserNameTaken",
    codes: &["InvalidParameter.UsernameAlreadyExists"],
    fallback: "InvalidParameter",
    message: "Another user of the zone has this name.",
};

/// A user name outside the documented format.
pub(crate) const USER_NAME_FORMAT: Failure = Failure {
    name: "UserNameFormat",
    codes: &["InvalidParameter.UsernameFormatError"],
    fallback: "InvalidParameterValue",
    message: "A user name has 1-64 ASCII letters, digits and +=,.@-_ characters.",
};

/// Another user of the zone has this email.
pub(crate) const EMAIL_TAKEN: Failure = Failure {
    name: "EmailTaken",
    codes: &["InvalidParameter.EmailAlreadyExists"],
    fallback: "InvalidParameter",
    message: "Another user of the zone has this email.",
};

/// An email that is not one.
pub(crate) const BAD_EMAIL: Failure = Failure {
    name: "BadEmail",
    codes: &["InvalidParameter.InvalidEmail"],
    fallback: "InvalidParameterValue",
    message: "An email has at most 128 characters, one @ and text on both sides of it.",
};

/// The zone has as many users as it may have.
pub(crate) const USER_LIMIT: Failure = Failure {
    name: "UserLimit",
    codes: &["FailedOperation.UserOverUpperLimit"],
    fallback: "LimitExceeded",
    message: "The zone has as many users as it may have.",
};

/// A synchronized user while SCIM synchronization is enabled: the identity provider owns it.
pub(crate) const SYNCHRONIZED_USER: Failure = Failure {
    name: "SynchronizedUser",
    codes: &[
        "FailedOperation.SynchronizedUserNotDelete",
        "FailedOperation.SynchronizedUserNotUpdate",
    ],
    fallback: "FailedOperation",
    message:
        "A synchronized user cannot be changed or deleted while SCIM synchronization is enabled.",
};

/// The user still belongs to a group.
pub(crate) const USER_IN_GROUP: Failure = Failure {
    name: "UserInGroup",
    codes: &["InvalidParameter.UserAlreadyExistsGroup"],
    fallback: "FailedOperation",
    message: "The user still belongs to a group; remove it from its groups first.",
};

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateUser",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            USER_NAME_FORMAT,
            BAD_VALUE,
            BAD_EMAIL,
            USER_NAME_TAKEN,
            EMAIL_TAKEN,
            USER_LIMIT,
        ],
        run: create_user,
    },
    Handler {
        action: "GetUser",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, USER_NOT_EXIST],
        run: get_user,
    },
    Handler {
        action: "ListUsers",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            PARAM_ERROR,
            BAD_VALUE,
            BAD_NEXT_TOKEN,
        ],
        run: list_users,
    },
    Handler {
        action: "UpdateUser",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            USER_NOT_EXIST,
            SYNCHRONIZED_USER,
            BAD_VALUE,
            BAD_EMAIL,
            EMAIL_TAKEN,
        ],
        run: update_user,
    },
    Handler {
        action: "UpdateUserStatus",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            USER_NOT_EXIST,
            SYNCHRONIZED_USER,
            BAD_VALUE,
        ],
        run: update_user_status,
    },
    Handler {
        action: "DeleteUser",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            USER_NOT_EXIST,
            SYNCHRONIZED_USER,
            USER_IN_GROUP,
            // Triggered in the assignment and user-sync tests.
            PRINCIPAL_ASSIGNED,
            PRINCIPAL_PROVISIONED,
        ],
        run: delete_user,
    },
];

pub(super) fn decisions() -> Vec<String> {
    vec![
        format!(
            "Users: at most {MAX_USERS} per zone (`FailedOperation.UserOverUpperLimit`). Names have 1-{MAX_USER_NAME} \
             ASCII letters, digits and `{USER_NAME_SYMBOLS}` (`InvalidParameter.UsernameFormatError`) and cannot \
             change; names and emails are unique in the zone regardless of case \
             (`InvalidParameter.UsernameAlreadyExists`, `InvalidParameter.EmailAlreadyExists`). An email has one \
             `@` with text on both sides. First and last names hold at most {MAX_PERSON_NAME} characters, display \
             names {MAX_DISPLAY_NAME}, descriptions {MAX_DESCRIPTION}, emails {MAX_EMAIL}; `UserStatus` is \
             `Enabled` (default) or `Disabled`, `UserType` `Manual` (default) or `Synchronized`; otherwise \
             `InvalidParameterValue`. `UpdateUser` changes the members it is given (an empty string clears one). \
             The mock keeps no passwords: `UserInfo` has no `Password`."
        ),
        "Synchronized users (and groups) belong to the external identity provider while SCIM synchronization is \
         `Enabled`: changing, enabling or disabling, deleting them, and changing a synchronized group's members, \
         is refused with the `FailedOperation.Synchronized…` codes; with synchronization `Disabled` they can be \
         changed like manual ones, as the service's console guide describes. Nothing refuses a manual user or \
         group: the `FailedOperation.Manual…NotUpdate`/`NotDelete` codes have no trigger the documentation names, \
         and `InvalidParameter.UserTypeError` none the requests can carry."
            .to_owned(),
        "Deleting a user is refused while it belongs to a group (`InvalidParameter.UserAlreadyExistsGroup`), has a \
         role assignment (`FailedOperation.RoleConfigurationAuthorizationExist`) or a user synchronization \
         (`FailedOperation.UserProvisioningExists`), as the service's console guide says: nothing is removed \
         along with it."
            .to_owned(),
        "`ListUsers`: `Filter` matches a user whose name, email, ID or description contains it, regardless of \
         case; `UserStatus` and `UserType` narrow the list; `FilterGroups` sets `IsSelected` on the users in any \
         of those groups (elsewhere `IsSelected` is false). `SortField` can only be `CreateTime`, `SortType` \
         `Asc` (default) or `Desc`; other values get `InvalidParameter.ParamError`. Lists of Identity Center \
         page with `MaxResults` 1-100 (10 when absent) and an opaque `NextToken`, in creation order (members and \
         joined groups: the order they joined); a walk returns every item exactly once even while items are \
         added (they come after the cursor, or before it when walking newest first). `Offset` skips items on \
         the first page only; a `NextToken` wins over it. `TotalCounts` counts every item that matched."
            .to_owned(),
    ]
}

/// A string member, absent read as empty.
fn text<'a>(ctx: &'a Ctx<'_>, key: &str) -> &'a str {
    ctx.str(key).unwrap_or("")
}

fn check_len(ctx: &Ctx<'_>, key: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(ctx.err_with(BAD_VALUE, format!("{key} has at most {max} characters.")));
    }
    Ok(())
}

fn check_user_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    let ok = (1..=MAX_USER_NAME).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || USER_NAME_SYMBOLS.contains(c));
    if ok {
        Ok(())
    } else {
        Err(ctx.err_with(USER_NAME_FORMAT, format!("({name:?})")))
    }
}

fn check_email(ctx: &Ctx<'_>, email: &str) -> Result<()> {
    if email.is_empty() {
        return Ok(());
    }
    let ok = email.chars().count() <= MAX_EMAIL
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        })
        && !email.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(ctx.err_with(BAD_EMAIL, format!("({email:?})")))
    }
}

/// An enumerated member (`Enabled`/`Disabled`, `Manual`/`Synchronized`): its value, `default`
/// when absent.
pub(crate) fn choice<T>(
    ctx: &Ctx<'_>,
    key: &str,
    parse: fn(&str) -> Option<T>,
    default: T,
) -> Result<T> {
    match ctx.str(key) {
        None => Ok(default),
        Some(v) => parse(v).ok_or_else(|| ctx.err_with(BAD_VALUE, format!("({key} {v:?})"))),
    }
}

/// The user `UserId` of zone `z`.
pub(crate) fn user<'a>(z: &'a Zone, ctx: &Ctx<'_>) -> Result<&'a User> {
    let id = text(ctx, "UserId");
    z.users
        .get(id)
        .ok_or_else(|| ctx.err_with(USER_NOT_EXIST, format!("({id})")))
}

/// Refuses a synchronized user while SCIM synchronization is enabled.
fn check_not_synchronized(z: &Zone, ctx: &Ctx<'_>, u: &User) -> Result<()> {
    if u.origin == Origin::Synchronized && z.scim.sync_status() == Switch::Enabled {
        return Err(ctx.err_with(SYNCHRONIZED_USER, format!("({})", u.id)));
    }
    Ok(())
}

fn create_user(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let name = text(ctx, "UserName");
    check_user_name(ctx, name)?;
    for (key, max) in [
        ("FirstName", MAX_PERSON_NAME),
        ("LastName", MAX_PERSON_NAME),
        ("DisplayName", MAX_DISPLAY_NAME),
        ("Description", MAX_DESCRIPTION),
    ] {
        check_len(ctx, key, text(ctx, key), max)?;
    }
    let email = text(ctx, "Email");
    check_email(ctx, email)?;
    let status = choice(ctx, "UserStatus", Switch::parse, Switch::Enabled)?;
    let origin = choice(ctx, "UserType", Origin::parse, Origin::Manual)?;
    if z.users.name_taken(name) {
        return Err(ctx.err_with(USER_NAME_TAKEN, format!("({name:?})")));
    }
    if z.users.email_taken(email, None) {
        return Err(ctx.err_with(EMAIL_TAKEN, format!("({email:?})")));
    }
    if z.users.len() >= MAX_USERS {
        return Err(ctx.err_with(USER_LIMIT, format!("(at most {MAX_USERS})")));
    }
    let zone_id = z.id.clone();
    let (seq, id) = inner.identity_center.new_id("u-", 8);
    let user = User {
        id: id.clone(),
        seq,
        name: name.to_owned(),
        first_name: text(ctx, "FirstName").to_owned(),
        last_name: text(ctx, "LastName").to_owned(),
        display_name: text(ctx, "DisplayName").to_owned(),
        description: text(ctx, "Description").to_owned(),
        email: email.to_owned(),
        status,
        origin,
        need_reset_password: bool_param(ctx, "NeedResetPassword").unwrap_or(false),
        create_time: ctx.now,
        update_time: ctx.now,
    };
    let info = user.info(false);
    zone::by_id_mut(inner, &zone_id)
        .users
        .by_id
        .insert(id, user);
    Ok(json!({ "UserInfo": info }))
}

/// A boolean member, if present.
fn bool_param(ctx: &Ctx<'_>, key: &str) -> Option<bool> {
    ctx.params.get(key).and_then(Value::as_bool)
}

fn get_user(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    Ok(json!({ "UserInfo": user(z, ctx)?.info(false) }))
}

fn list_users(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let status = match ctx.str("UserStatus").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Switch::parse(s)
                .ok_or_else(|| ctx.err_with(PARAM_ERROR, format!("(UserStatus {s:?})")))?,
        ),
    };
    let origin = match ctx.str("UserType").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Origin::parse(s)
                .ok_or_else(|| ctx.err_with(PARAM_ERROR, format!("(UserType {s:?})")))?,
        ),
    };
    let order = paging::order(ctx)?;
    let filter = text(ctx, "Filter").to_lowercase();
    let filter_groups: Vec<&str> = ctx
        .params
        .get("FilterGroups")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let items = z
        .users
        .iter()
        .filter(|u| status.is_none_or(|s| u.status == s))
        .filter(|u| origin.is_none_or(|o| u.origin == o))
        .filter(|u| {
            filter.is_empty()
                || [&u.name, &u.email, &u.id, &u.description]
                    .iter()
                    .any(|field| field.to_lowercase().contains(&filter))
        })
        .map(|u| {
            let selected = filter_groups
                .iter()
                .any(|g| z.groups.get(g).is_some_and(|g| g.has_member(&u.id)));
            (u.seq, u.info(selected))
        })
        .collect();
    paging::answer(ctx, "Users", items, order)
}

fn update_user(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let u = user(z, ctx)?;
    check_not_synchronized(z, ctx, u)?;
    for (key, max) in [
        ("NewFirstName", MAX_PERSON_NAME),
        ("NewLastName", MAX_PERSON_NAME),
        ("NewDisplayName", MAX_DISPLAY_NAME),
        ("NewDescription", MAX_DESCRIPTION),
    ] {
        check_len(ctx, key, text(ctx, key), max)?;
    }
    if let Some(email) = ctx.str("NewEmail") {
        check_email(ctx, email)?;
        if z.users.email_taken(email, Some(&u.id)) {
            return Err(ctx.err_with(EMAIL_TAKEN, format!("({email:?})")));
        }
    }
    let (zone_id, user_id) = (z.id.clone(), u.id.clone());
    let u = zone::by_id_mut(inner, &zone_id)
        .users
        .get_mut(&user_id)
        .expect("user found under the same lock");
    for (key, field) in [
        ("NewFirstName", &mut u.first_name),
        ("NewLastName", &mut u.last_name),
        ("NewDisplayName", &mut u.display_name),
        ("NewDescription", &mut u.description),
        ("NewEmail", &mut u.email),
    ] {
        if let Some(value) = ctx.str(key) {
            value.clone_into(field);
        }
    }
    if let Some(reset) = bool_param(ctx, "NeedResetPassword") {
        u.need_reset_password = reset;
    }
    u.update_time = ctx.now;
    Ok(json!({ "UserInfo": u.info(false) }))
}

fn update_user_status(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let u = user(z, ctx)?;
    check_not_synchronized(z, ctx, u)?;
    let status = match ctx.str("NewUserStatus").and_then(Switch::parse) {
        Some(s) => s,
        None => return Err(ctx.err_with(BAD_VALUE, "(NewUserStatus is Enabled or Disabled)")),
    };
    let (zone_id, user_id) = (z.id.clone(), u.id.clone());
    let u = zone::by_id_mut(inner, &zone_id)
        .users
        .get_mut(&user_id)
        .expect("user found under the same lock");
    u.status = status;
    u.update_time = ctx.now;
    Ok(json!({}))
}

fn delete_user(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let u = user(z, ctx)?;
    check_not_synchronized(z, ctx, u)?;
    let id = u.id.clone();
    let groups = z.groups.joined_by(&id).count();
    if groups > 0 {
        return Err(ctx.err_with(USER_IN_GROUP, format!("({id} is in {groups} groups)")));
    }
    if assignments::principal_assigned(z, PrincipalKind::User, &id) {
        return Err(ctx.err_with(PRINCIPAL_ASSIGNED, format!("({id})")));
    }
    if sync::principal_provisioned(z, PrincipalKind::User, &id) {
        return Err(ctx.err_with(PRINCIPAL_PROVISIONED, format!("({id})")));
    }
    let zone_id = z.id.clone();
    let z = zone::by_id_mut(inner, &zone_id);
    z.users.by_id.remove(&id);
    assignments::principal_removed(z, PrincipalKind::User, &id);
    Ok(json!({}))
}
