//! Groups of a zone and their members.
//!
//! A group keeps its members (user ID, when and in what order they joined); a user's groups are
//! read from the groups, so the two sides of the relation cannot disagree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::{Failure, BAD_NEXT_TOKEN, BAD_VALUE};
use crate::state::org::model::format_time;
use crate::state::{BusinessError, Ctx, Handler};

use super::paging::{self, Order, PARAM_ERROR};
use super::users::{self, User, MAX_DESCRIPTION, USER_NOT_EXIST};
use super::zone::{self, NOT_OPEN, ZONE_NOT_EXIST};
use super::{
    assignments, sync, Origin, PrincipalKind, Switch, Zone, PRINCIPAL_ASSIGNED,
    PRINCIPAL_PROVISIONED,
};

type Result<T> = std::result::Result<T, BusinessError>;

/// Groups per zone (the quota `GetZoneStatistics` reports).
pub(crate) const MAX_GROUPS: usize = 500;
/// Members per group, and groups per user: the mock's choice (the documentation gives codes but
/// no numbers).
pub(crate) const MAX_MEMBERS_PER_GROUP: usize = 500;
pub(crate) const MAX_GROUPS_PER_USER: usize = 50;
const MAX_GROUP_NAME: usize = 128;

/// The groups of one zone, by ID.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Groups {
    pub(super) by_id: BTreeMap<String, Group>,
}

/// In a seed only `name` is needed (and `members`, user IDs with `{}`): the ID is the key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Group {
    #[serde(default)]
    pub id: String,
    /// Creation sequence (paging key).
    #[serde(default)]
    pub seq: u64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "super::manual")]
    pub origin: Origin,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
    /// Members by user ID.
    #[serde(default)]
    pub(super) members: BTreeMap<String, Membership>,
}

/// A user's place in a group.
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Membership {
    /// Sequence of the joining (paging key of member and joined-group lists).
    pub seq: u64,
    pub join_time: i64,
}

impl Groups {
    pub fn get(&self, id: &str) -> Option<&Group> {
        self.by_id.get(id)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Group> {
        self.by_id.values()
    }

    /// The groups user `user_id` belongs to, with its membership of each.
    pub fn joined_by<'a>(
        &'a self,
        user_id: &'a str,
    ) -> impl Iterator<Item = (&'a Group, Membership)> + 'a {
        self.iter()
            .filter_map(move |g| g.members.get(user_id).map(|m| (g, *m)))
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Group> {
        self.by_id.get_mut(id)
    }

    /// Group names are unique in a zone, whatever their case; `except` is the group renamed.
    fn name_taken(&self, name: &str, except: Option<&str>) -> bool {
        self.iter()
            .any(|g| g.name.to_lowercase() == name.to_lowercase() && Some(g.id.as_str()) != except)
    }
}

impl Group {
    pub fn has_member(&self, user_id: &str) -> bool {
        self.members.contains_key(user_id)
    }

    /// The `GroupInfo` object.
    pub fn info(&self, selected: bool) -> Value {
        json!({
            "GroupName": self.name,
            "Description": self.description,
            "CreateTime": format_time(self.create_time),
            "GroupType": self.origin.as_str(),
            "UpdateTime": format_time(self.update_time),
            "GroupId": self.id,
            "MemberCount": self.members.len(),
            "IsSelected": selected,
        })
    }
}

/// No group with this ID in the zone.
pub(crate) const GROUP_NOT_EXIST: Failure = Failure {
    name: "GroupNotExist",
    codes: &["InvalidParameter.GroupNotExist"],
    fallback: "ResourceNotFound",
    message: "The zone has no group with this ID.",
};

/// Another group of the zone has this name.
pub(crate) const GROUP_NAME_TAKEN: Failure = Failure {
    name: "GroupNameTaken",
    codes: &["InvalidParameter.GroupNameAlreadyExists"],
    fallback: "InvalidParameter",
    message: "Another group of the zone has this name.",
};

/// A group name outside the documented format.
pub(crate) const GROUP_NAME_FORMAT: Failure = Failure {
    name: "GroupNameFormat",
    codes: &["InvalidParameter.GroupNameFormatError"],
    fallback: "InvalidParameterValue",
    message: "A group name has 1-128 letters, digits and hyphens.",
};

/// The zone has as many groups as it may have.
pub(crate) const GROUP_LIMIT: Failure = Failure {
    name: "GroupLimit",
    codes: &["FailedOperation.GroupOverUpperLimit"],
    fallback: "LimitExceeded",
    message: "The zone has as many groups as it may have.",
};

/// The group still has members.
pub(crate) const GROUP_NOT_EMPTY: Failure = Failure {
    name: "GroupNotEmpty",
    codes: &["FailedOperation.DeleteGroupNotAllowExistUser"],
    fallback: "FailedOperation",
    message: "The group still has members; remove them first.",
};

/// A synchronized group while SCIM synchronization is enabled: the identity provider owns it
/// and its members.
pub(crate) const SYNCHRONIZED_GROUP: Failure = Failure {
    name: "SynchronizedGroup",
    codes: &[
        "FailedOperation.SynchronizedGroupNotAddUser",
        "FailedOperation.SynchronizedGroupNotRemoveUser",
        "FailedOperation.SynchronizedGroupNotDelete",
        "FailedOperation.SynchronizedGroupNotUpdate",
    ],
    fallback: "FailedOperation",
    message: "A synchronized group and its members cannot be changed while SCIM synchronization is enabled.",
};

/// A manual user in a synchronized group or the other way round.
pub(crate) const TYPE_MISMATCH: Failure = Failure {
    name: "TypeMismatch",
    codes: &["FailedOperation.GroupTypeUserTypeNotMatch"],
    fallback: "FailedOperation",
    message: "A group takes users of its own type (Manual or Synchronized).",
};

/// The user is in the group already.
pub(crate) const ALREADY_MEMBER: Failure = Failure {
    name: "AlreadyMember",
    codes: &["InvalidParameter.GroupUserAlreadyExists"],
    fallback: "InvalidParameter",
    message: "The user is already a member of the group.",
};

/// The user is not in the group.
pub(crate) const NOT_MEMBER: Failure = Failure {
    name: "NotMember",
    codes: &["InvalidParameter.GroupUserNotExist"],
    fallback: "ResourceNotFound",
    message: "The group has no member with this user ID.",
};

/// The group has as many members as it may have.
pub(crate) const GROUP_FULL: Failure = Failure {
    name: "GroupFull",
    codes: &["FailedOperation.GroupUserCountOverUpperLimit"],
    fallback: "LimitExceeded",
    message: "The group has as many members as it may have.",
};

/// The user is in as many groups as it may be.
pub(crate) const USER_GROUPS_FULL: Failure = Failure {
    name: "UserGroupsFull",
    codes: &["FailedOperation.UserAddGroupCountOverUpperLimit"],
    fallback: "LimitExceeded",
    message: "The user belongs to as many groups as it may.",
};

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateGroup",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            GROUP_NAME_FORMAT,
            BAD_VALUE,
            GROUP_NAME_TAKEN,
            GROUP_LIMIT,
        ],
        run: create_group,
    },
    Handler {
        action: "GetGroup",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, GROUP_NOT_EXIST],
        run: get_group,
    },
    Handler {
        action: "ListGroups",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            PARAM_ERROR,
            BAD_VALUE,
            BAD_NEXT_TOKEN,
        ],
        run: list_groups,
    },
    Handler {
        action: "UpdateGroup",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            GROUP_NOT_EXIST,
            SYNCHRONIZED_GROUP,
            GROUP_NAME_FORMAT,
            BAD_VALUE,
            GROUP_NAME_TAKEN,
        ],
        run: update_group,
    },
    Handler {
        action: "DeleteGroup",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            GROUP_NOT_EXIST,
            SYNCHRONIZED_GROUP,
            GROUP_NOT_EMPTY,
            // Triggered in the assignment and user-sync tests.
            PRINCIPAL_ASSIGNED,
            PRINCIPAL_PROVISIONED,
        ],
        run: delete_group,
    },
    Handler {
        action: "AddUserToGroup",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            GROUP_NOT_EXIST,
            USER_NOT_EXIST,
            SYNCHRONIZED_GROUP,
            TYPE_MISMATCH,
            ALREADY_MEMBER,
            GROUP_FULL,
            USER_GROUPS_FULL,
        ],
        run: add_user_to_group,
    },
    Handler {
        action: "RemoveUserFromGroup",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            GROUP_NOT_EXIST,
            SYNCHRONIZED_GROUP,
            NOT_MEMBER,
        ],
        run: remove_user_from_group,
    },
    Handler {
        action: "ListGroupMembers",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            GROUP_NOT_EXIST,
            BAD_VALUE,
            BAD_NEXT_TOKEN,
        ],
        run: list_group_members,
    },
    Handler {
        action: "ListJoinedGroupsForUser",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            USER_NOT_EXIST,
            BAD_VALUE,
            BAD_NEXT_TOKEN,
        ],
        run: list_joined_groups_for_user,
    },
];

pub(super) fn decisions() -> Vec<String> {
    vec![
        format!(
            "Groups: at most {MAX_GROUPS} per zone (`FailedOperation.GroupOverUpperLimit`). Names have \
             1-{MAX_GROUP_NAME} letters, digits and hyphens (`InvalidParameter.GroupNameFormatError`, or \
             `InvalidParameterValue` where not documented) and are unique in the zone regardless of case \
             (`InvalidParameter.GroupNameAlreadyExists`); descriptions hold at most {MAX_DESCRIPTION} \
             characters. `GroupType` is `Manual` (default) or `Synchronized`. `ListGroups` `Filter` is \
             `GroupName eq <name>` or `GroupName sw <prefix>`, regardless of case (anything else: \
             `InvalidParameter.ParamError`); `FilterUsers` sets `IsSelected` on the groups any of those users \
             belong to."
        ),
        format!(
            "Membership: a group takes users of its own type (`FailedOperation.GroupTypeUserTypeNotMatch`), \
             each once (`InvalidParameter.GroupUserAlreadyExists`); at most {MAX_MEMBERS_PER_GROUP} members per \
             group (`FailedOperation.GroupUserCountOverUpperLimit`) and {MAX_GROUPS_PER_USER} groups per user \
             (`FailedOperation.UserAddGroupCountOverUpperLimit`), numbers of the mock's choosing. \
             `MemberCount`, `ListGroupMembers` and `ListJoinedGroupsForUser` read the same memberships."
        ),
        "Deleting a group is refused while it has members (`FailedOperation.DeleteGroupNotAllowExistUser`), a \
         role assignment (`FailedOperation.RoleConfigurationAuthorizationExist`) or a user synchronization \
         (`FailedOperation.UserProvisioningExists`)."
            .to_owned(),
    ]
}

fn text<'a>(ctx: &'a Ctx<'_>, key: &str) -> &'a str {
    ctx.str(key).unwrap_or("")
}

/// The group `GroupId` of zone `z`.
pub(crate) fn group<'a>(z: &'a Zone, ctx: &Ctx<'_>) -> Result<&'a Group> {
    let id = text(ctx, "GroupId");
    z.groups
        .get(id)
        .ok_or_else(|| ctx.err_with(GROUP_NOT_EXIST, format!("({id})")))
}

fn check_group_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    let len = name.chars().count();
    let ok = (1..=MAX_GROUP_NAME).contains(&len)
        && name.chars().all(|c| c.is_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ctx.err_with(GROUP_NAME_FORMAT, format!("({name:?})")))
    }
}

fn check_description(ctx: &Ctx<'_>, key: &str) -> Result<()> {
    if text(ctx, key).chars().count() > MAX_DESCRIPTION {
        return Err(ctx.err_with(
            BAD_VALUE,
            format!("{key} has at most {MAX_DESCRIPTION} characters."),
        ));
    }
    Ok(())
}

/// Refuses a synchronized group while SCIM synchronization is enabled.
fn check_not_synchronized(z: &Zone, ctx: &Ctx<'_>, g: &Group) -> Result<()> {
    if g.origin == Origin::Synchronized && z.scim.sync_status() == Switch::Enabled {
        return Err(ctx.err_with(SYNCHRONIZED_GROUP, format!("({})", g.id)));
    }
    Ok(())
}

fn group_mut<'a>(inner: &'a mut Inner, zone_id: &str, group_id: &str) -> &'a mut Group {
    zone::by_id_mut(inner, zone_id)
        .groups
        .get_mut(group_id)
        .expect("group found under the same lock")
}

fn create_group(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let name = text(ctx, "GroupName");
    check_group_name(ctx, name)?;
    check_description(ctx, "Description")?;
    let origin = users::choice(ctx, "GroupType", Origin::parse, Origin::Manual)?;
    if z.groups.name_taken(name, None) {
        return Err(ctx.err_with(GROUP_NAME_TAKEN, format!("({name:?})")));
    }
    if z.groups.len() >= MAX_GROUPS {
        return Err(ctx.err_with(GROUP_LIMIT, format!("(at most {MAX_GROUPS})")));
    }
    let zone_id = z.id.clone();
    let (seq, id) = inner.identity_center.new_id("g-", 12);
    let group = Group {
        id: id.clone(),
        seq,
        name: name.to_owned(),
        description: text(ctx, "Description").to_owned(),
        origin,
        create_time: ctx.now,
        update_time: ctx.now,
        members: BTreeMap::new(),
    };
    let info = group.info(false);
    zone::by_id_mut(inner, &zone_id)
        .groups
        .by_id
        .insert(id, group);
    Ok(json!({ "GroupInfo": info }))
}

fn get_group(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    Ok(json!({ "GroupInfo": group(z, ctx)?.info(false) }))
}

/// A `ListGroups` filter: `GroupName eq <name>` or `GroupName sw <prefix>`, any case.
enum NameFilter {
    Any,
    Equals(String),
    StartsWith(String),
}

impl NameFilter {
    fn read(ctx: &Ctx<'_>) -> Result<NameFilter> {
        let raw = text(ctx, "Filter").trim();
        if raw.is_empty() {
            return Ok(NameFilter::Any);
        }
        let mut parts = raw.splitn(3, ' ');
        let (attribute, operator, value) = (parts.next(), parts.next(), parts.next());
        let value = value.map(|v| v.trim().to_lowercase()).unwrap_or_default();
        match (
            attribute.map(str::to_lowercase).as_deref(),
            operator.map(str::to_lowercase).as_deref(),
        ) {
            (Some("groupname"), Some("eq")) if !value.is_empty() => Ok(NameFilter::Equals(value)),
            (Some("groupname"), Some("sw")) if !value.is_empty() => {
                Ok(NameFilter::StartsWith(value))
            }
            _ => Err(ctx.err_with(
                PARAM_ERROR,
                format!("(Filter {raw:?}: GroupName eq|sw <value>)"),
            )),
        }
    }

    fn matches(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        match self {
            NameFilter::Any => true,
            NameFilter::Equals(v) => name == *v,
            NameFilter::StartsWith(v) => name.starts_with(v.as_str()),
        }
    }
}

fn list_groups(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let filter = NameFilter::read(ctx)?;
    let origin = match ctx.str("GroupType").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Origin::parse(s)
                .ok_or_else(|| ctx.err_with(PARAM_ERROR, format!("(GroupType {s:?})")))?,
        ),
    };
    let order = paging::order(ctx)?;
    let filter_users: Vec<&str> = ctx
        .params
        .get("FilterUsers")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let items = z
        .groups
        .iter()
        .filter(|g| filter.matches(&g.name))
        .filter(|g| origin.is_none_or(|o| g.origin == o))
        .map(|g| {
            let selected = filter_users.iter().any(|u| g.has_member(u));
            (g.seq, g.info(selected))
        })
        .collect();
    paging::answer(ctx, "Groups", items, order)
}

fn update_group(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let g = group(z, ctx)?;
    check_not_synchronized(z, ctx, g)?;
    let new_name = ctx.str("NewGroupName");
    if let Some(name) = new_name {
        check_group_name(ctx, name)?;
        if z.groups.name_taken(name, Some(&g.id)) {
            return Err(ctx.err_with(GROUP_NAME_TAKEN, format!("({name:?})")));
        }
    }
    check_description(ctx, "NewDescription")?;
    let (zone_id, group_id) = (z.id.clone(), g.id.clone());
    let g = group_mut(inner, &zone_id, &group_id);
    if let Some(name) = new_name {
        name.clone_into(&mut g.name);
    }
    if let Some(description) = ctx.str("NewDescription") {
        description.clone_into(&mut g.description);
    }
    g.update_time = ctx.now;
    Ok(json!({ "GroupInfo": g.info(false) }))
}

fn delete_group(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let g = group(z, ctx)?;
    check_not_synchronized(z, ctx, g)?;
    let id = g.id.clone();
    if !g.members.is_empty() {
        return Err(ctx.err_with(
            GROUP_NOT_EMPTY,
            format!("({id} has {} members)", g.members.len()),
        ));
    }
    if assignments::principal_assigned(z, PrincipalKind::Group, &id) {
        return Err(ctx.err_with(PRINCIPAL_ASSIGNED, format!("({id})")));
    }
    if sync::principal_provisioned(z, PrincipalKind::Group, &id) {
        return Err(ctx.err_with(PRINCIPAL_PROVISIONED, format!("({id})")));
    }
    let zone_id = z.id.clone();
    let z = zone::by_id_mut(inner, &zone_id);
    z.groups.by_id.remove(&id);
    assignments::principal_removed(z, PrincipalKind::Group, &id);
    Ok(json!({}))
}

fn add_user_to_group(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let g = group(z, ctx)?;
    let u = users::user(z, ctx)?;
    check_not_synchronized(z, ctx, g)?;
    if g.origin != u.origin {
        return Err(ctx.err_with(
            TYPE_MISMATCH,
            format!("({} group, {} user)", g.origin.as_str(), u.origin.as_str()),
        ));
    }
    if g.has_member(&u.id) {
        return Err(ctx.err_with(ALREADY_MEMBER, format!("({} in {})", u.id, g.id)));
    }
    if g.members.len() >= MAX_MEMBERS_PER_GROUP {
        return Err(ctx.err_with(GROUP_FULL, format!("(at most {MAX_MEMBERS_PER_GROUP})")));
    }
    if z.groups.joined_by(&u.id).count() >= MAX_GROUPS_PER_USER {
        return Err(ctx.err_with(USER_GROUPS_FULL, format!("(at most {MAX_GROUPS_PER_USER})")));
    }
    let (zone_id, group_id, user_id) = (z.id.clone(), g.id.clone(), u.id.clone());
    let seq = inner.identity_center.seq();
    group_mut(inner, &zone_id, &group_id).members.insert(
        user_id,
        Membership {
            seq,
            join_time: ctx.now,
        },
    );
    Ok(json!({}))
}

fn remove_user_from_group(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let g = group(z, ctx)?;
    check_not_synchronized(z, ctx, g)?;
    let user_id = text(ctx, "UserId");
    if !g.has_member(user_id) {
        return Err(ctx.err_with(NOT_MEMBER, format!("({user_id} in {})", g.id)));
    }
    let (zone_id, group_id) = (z.id.clone(), g.id.clone());
    group_mut(inner, &zone_id, &group_id)
        .members
        .remove(user_id);
    Ok(json!({}))
}

fn member_json(u: &User, m: Membership) -> Value {
    json!({
        "UserName": u.name,
        "DisplayName": u.display_name,
        "Description": u.description,
        "Email": u.email,
        "UserStatus": u.status.as_str(),
        "UserType": u.origin.as_str(),
        "UserId": u.id,
        "JoinTime": format_time(m.join_time),
    })
}

fn list_group_members(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let g = group(z, ctx)?;
    // No ParamError is documented here: an unknown type matches no member.
    let origin = ctx.str("UserType").filter(|s| !s.is_empty());
    let items = g
        .members
        .iter()
        .filter_map(|(id, m)| z.users.get(id).map(|u| (u, *m)))
        .filter(|(u, _)| origin.is_none_or(|o| u.origin.as_str() == o))
        .map(|(u, m)| (m.seq, member_json(u, m)))
        .collect();
    paging::answer(ctx, "GroupMembers", items, Order::Oldest)
}

fn list_joined_groups_for_user(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let u = users::user(z, ctx)?;
    let items = z
        .groups
        .joined_by(&u.id)
        .map(|(g, m)| {
            (
                m.seq,
                json!({
                    "GroupName": g.name,
                    "Description": g.description,
                    "GroupId": g.id,
                    "GroupType": g.origin.as_str(),
                    "JoinTime": format_time(m.join_time),
                }),
            )
        })
        .collect();
    paging::answer(ctx, "JoinedGroups", items, Order::Oldest)
}
