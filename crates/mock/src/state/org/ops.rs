//! Operations both versions perform on the one world. The version modules read their own
//! parameter names, call these, and shape the answer; the failure codes follow the action in
//! the context (see [`super::failures`]).

use std::collections::BTreeSet;

use super::failures;
use super::model::*;
use crate::state::data::Inner;
use crate::state::{cascade, BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// The organization the caller manages.
pub(crate) fn managed(inner: &Inner, ctx: &Ctx<'_>) -> Result<u64> {
    inner
        .managed_org_id(ctx.caller)
        .ok_or_else(|| ctx.err(failures::ORG_NOT_EXIST))
}

/// The organization the caller manages or belongs to.
pub(crate) fn joined(inner: &Inner, ctx: &Ctx<'_>) -> Result<u64> {
    inner
        .org_id_of(ctx.caller)
        .ok_or_else(|| ctx.err(failures::ORG_NOT_EXIST))
}

pub(crate) fn org(inner: &Inner, org_id: u64) -> &Org {
    &inner.orgs[&org_id]
}

pub(crate) fn org_mut(inner: &mut Inner, org_id: u64) -> &mut Org {
    inner
        .orgs
        .get_mut(&org_id)
        .expect("org id taken from the world under the same lock")
}

/// The member `MemberUin` of the organization the caller manages: (organization, UIN).
pub(crate) fn managed_member(inner: &Inner, ctx: &Ctx<'_>) -> Result<(u64, u64)> {
    let org_id = managed(inner, ctx)?;
    let uin = ctx.id("MemberUin");
    if !org(inner, org_id).members.contains_key(&uin) {
        return Err(ctx.err_with(failures::MEMBER_NOT_EXIST, format!("({uin})")));
    }
    Ok((org_id, uin))
}

/// The unit `node` is one of `o`'s.
pub(crate) fn check_node(ctx: &Ctx<'_>, o: &Org, node: u64) -> Result<()> {
    if o.nodes.contains_key(&node) {
        Ok(())
    } else {
        Err(ctx.err_with(failures::NODE_NOT_EXIST, format!("({node})")))
    }
}

pub(crate) fn create_org(inner: &mut Inner, ctx: &Ctx<'_>, org_type: u64) -> Result<u64> {
    match inner.standing(ctx.caller) {
        Standing::None => {}
        Standing::Member(org_id)
            if org(inner, org_id).members[&ctx.caller].kind == MemberKind::Created =>
        {
            return Err(ctx.err(failures::CREATED_MEMBER_CANNOT_CREATE_ORG))
        }
        Standing::Manager(_) | Standing::Member(_) => return Err(ctx.err(failures::ORG_EXISTS)),
    }
    let id = inner.next_org;
    inner.next_org += 1;
    let root = inner.alloc_node();
    let mut nodes = std::collections::BTreeMap::new();
    nodes.insert(
        root,
        Node {
            id: root,
            name: ROOT_NAME.to_owned(),
            parent: None,
            remark: String::new(),
            tags: Vec::new(),
            create_time: ctx.now,
            update_time: ctx.now,
        },
    );
    inner.orgs.insert(
        id,
        Org {
            id,
            host_uin: ctx.caller,
            org_type,
            create_time: ctx.now,
            root,
            nodes,
            members: Default::default(),
        },
    );
    Ok(id)
}

pub(crate) fn delete_org(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<()> {
    let org_id = managed(inner, ctx)?;
    let members = org(inner, org_id).members.len();
    if members > 0 {
        return Err(ctx.err_with(failures::ORG_NOT_EMPTY, format!("({members} members)")));
    }
    cascade::check_org_removal(inner, ctx, org_id)?;
    inner.remove_org(org_id);
    cascade::org_removed(inner, org_id);
    Ok(())
}

fn check_node_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    if valid_name(name, MAX_NODE_NAME, "+@&._[]-") {
        Ok(())
    } else {
        Err(ctx.err_with(
            failures::BAD_VALUE,
            format!("A unit name has 1-{MAX_NODE_NAME} letters, digits and +@&._[]-."),
        ))
    }
}

pub(crate) fn check_member_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    if valid_name(name, MAX_MEMBER_NAME, "+@&._[]-:,") {
        Ok(())
    } else {
        Err(ctx.err_with(
            failures::BAD_VALUE,
            format!("A member name has 1-{MAX_MEMBER_NAME} letters, digits and +@&._[]-:,."),
        ))
    }
}

/// A new name for member `uin`, when it is given one: valid, and no other member's (nor a
/// pending invitee's).
pub(crate) fn check_rename(
    inner: &Inner,
    ctx: &Ctx<'_>,
    org_id: u64,
    uin: u64,
    name: Option<&str>,
) -> Result<()> {
    if let Some(name) = name {
        check_member_name(ctx, name)?;
        if inner.member_name_taken(org_id, name, Some(uin), ctx.now) {
            return Err(ctx.err_with(failures::MEMBER_NAME_USED, format!("({name:?})")));
        }
    }
    Ok(())
}

fn valid_name(name: &str, max: usize, symbols: &str) -> bool {
    let len = name.chars().count();
    (1..=max).contains(&len)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || symbols.contains(c))
}

pub(crate) fn check_tags(ctx: &Ctx<'_>, tags: &[Tag]) -> Result<()> {
    if tags.len() > MAX_TAGS || tags.iter().any(|t| t.key.is_empty()) {
        return Err(ctx.err(failures::TAG_ERROR));
    }
    Ok(())
}

pub(crate) fn add_node(
    inner: &mut Inner,
    ctx: &Ctx<'_>,
    parent: u64,
    name: &str,
    remark: &str,
    tags: Vec<Tag>,
) -> Result<u64> {
    let org_id = managed(inner, ctx)?;
    check_node_name(ctx, name)?;
    check_tags(ctx, &tags)?;
    let o = org(inner, org_id);
    if !o.nodes.contains_key(&parent) {
        return Err(ctx.err_with(failures::NODE_NOT_EXIST, format!("(parent {parent})")));
    }
    if o.depth(parent) + 1 > MAX_NODE_DEPTH {
        return Err(ctx.err_with(
            failures::NODE_DEPTH,
            format!("(at most {MAX_NODE_DEPTH} levels, the root included)"),
        ));
    }
    if o.nodes.len() >= MAX_NODES {
        return Err(ctx.err_with(failures::NODE_COUNT, format!("(at most {MAX_NODES} units)")));
    }
    if o.sibling_name_taken(parent, name, None) {
        return Err(ctx.err_with(failures::NODE_NAME_USED, format!("({name:?})")));
    }
    let id = inner.alloc_node();
    org_mut(inner, org_id).nodes.insert(
        id,
        Node {
            id,
            name: name.to_owned(),
            parent: Some(parent),
            remark: remark.to_owned(),
            tags,
            create_time: ctx.now,
            update_time: ctx.now,
        },
    );
    Ok(id)
}

/// Renames, re-marks or moves a unit (the 2018 version can move, the 2021 one re-mark).
pub(crate) fn update_node(
    inner: &mut Inner,
    ctx: &Ctx<'_>,
    node: u64,
    name: Option<&str>,
    remark: Option<&str>,
    new_parent: Option<u64>,
) -> Result<()> {
    let org_id = managed(inner, ctx)?;
    let o = org(inner, org_id);
    let current = o
        .nodes
        .get(&node)
        .ok_or_else(|| ctx.err_with(failures::NODE_NOT_EXIST, format!("({node})")))?;
    if let Some(name) = name {
        check_node_name(ctx, name)?;
    }
    let parent = match new_parent {
        Some(p) if Some(p) != current.parent => {
            if !o.nodes.contains_key(&p) {
                return Err(ctx.err_with(failures::NODE_NOT_EXIST, format!("(parent {p})")));
            }
            if current.parent.is_none() {
                return Err(ctx.err(failures::ROOT_NODE));
            }
            if o.is_within(p, node) {
                return Err(ctx.err_with(
                    failures::BAD_VALUE,
                    "A unit cannot move under itself or its descendants.",
                ));
            }
            if o.depth(p) + o.height(node) > MAX_NODE_DEPTH {
                return Err(ctx.err_with(
                    failures::NODE_DEPTH,
                    format!("(at most {MAX_NODE_DEPTH} levels, the root included)"),
                ));
            }
            Some(p)
        }
        _ => current.parent,
    };
    let final_name = name.unwrap_or(&current.name);
    if let Some(parent) = parent {
        if o.sibling_name_taken(parent, final_name, Some(node)) {
            return Err(ctx.err_with(failures::NODE_NAME_USED, format!("({final_name:?})")));
        }
    }
    let final_name = final_name.to_owned();
    let n = org_mut(inner, org_id)
        .nodes
        .get_mut(&node)
        .expect("checked above");
    n.name = final_name;
    if let Some(remark) = remark {
        n.remark = remark.to_owned();
    }
    n.parent = parent;
    n.update_time = ctx.now;
    Ok(())
}

/// Deletes units that are empty once the whole batch is gone: a unit may go with its children
/// when they are in the batch too, never with members or with the root.
pub(crate) fn delete_nodes(inner: &mut Inner, ctx: &Ctx<'_>, ids: &[u64]) -> Result<()> {
    let org_id = managed(inner, ctx)?;
    let o = org(inner, org_id);
    let batch: BTreeSet<u64> = ids.iter().copied().collect();
    for &id in &batch {
        check_node(ctx, o, id)?;
        if id == o.root {
            return Err(ctx.err(failures::ROOT_NODE));
        }
    }
    for &id in &batch {
        let members = o.members_in(id).count();
        if members > 0 {
            return Err(ctx.err_with(
                failures::NODE_HAS_MEMBERS,
                format!("(unit {id} has {members} members)"),
            ));
        }
        if let Some(child) = o.children(id).find(|c| !batch.contains(c)) {
            return Err(ctx.err_with(
                failures::NODE_HAS_CHILDREN,
                format!("(unit {id} has child unit {child})"),
            ));
        }
    }
    let batch: Vec<u64> = batch.into_iter().collect();
    cascade::check_nodes_removal(inner, ctx, org_id, &batch)?;
    org_mut(inner, org_id)
        .nodes
        .retain(|id, _| batch.binary_search(id).is_err());
    cascade::nodes_removed(inner, org_id, &batch);
    Ok(())
}

/// Moves members to a unit, all or none.
pub(crate) fn move_members(
    inner: &mut Inner,
    ctx: &Ctx<'_>,
    node: u64,
    uins: &[u64],
) -> Result<()> {
    let org_id = managed(inner, ctx)?;
    let o = org(inner, org_id);
    check_node(ctx, o, node)?;
    let strangers: Vec<String> = uins
        .iter()
        .filter(|u| !o.members.contains_key(u))
        .map(u64::to_string)
        .collect();
    if !strangers.is_empty() {
        return Err(ctx.err_with(
            failures::SOME_UINS_NOT_IN_ORG,
            format!("({})", strangers.join(", ")),
        ));
    }
    let now = ctx.now;
    let o = org_mut(inner, org_id);
    for uin in uins {
        let m = o.members.get_mut(uin).expect("checked above");
        if m.node != node {
            m.node = node;
            m.update_time = now;
        }
    }
    Ok(())
}

/// Removes members from the organization, all or none. The manager cannot be removed, nor a
/// created member without a bound email.
pub(crate) fn delete_members(inner: &mut Inner, ctx: &Ctx<'_>, uins: &[u64]) -> Result<()> {
    let org_id = managed(inner, ctx)?;
    let o = org(inner, org_id);
    for uin in uins {
        if *uin == o.host_uin {
            return Err(ctx.err(failures::QUIT_OWN_ORG));
        }
        match o.members.get(uin) {
            None => return Err(ctx.err_with(failures::MEMBER_NOT_EXIST, format!("({uin})"))),
            Some(m) if m.kind == MemberKind::Created && m.email.is_none() => {
                return Err(ctx.err_with(
                    failures::CREATED_MEMBER_CANNOT_BE_REMOVED,
                    format!("({uin})"),
                ))
            }
            Some(_) => {}
        }
    }
    cascade::check_members_removal(inner, ctx, org_id, uins)?;
    let o = org_mut(inner, org_id);
    for uin in uins {
        o.members.remove(uin);
    }
    cascade::members_removed(inner, org_id, uins);
    Ok(())
}

/// The caller leaves organization `org_id`.
pub(crate) fn quit(inner: &mut Inner, ctx: &Ctx<'_>, org_id: u64) -> Result<()> {
    let o = inner
        .orgs
        .get(&org_id)
        .ok_or_else(|| ctx.err_with(failures::ORG_NOT_EXIST, format!("({org_id})")))?;
    if o.host_uin == ctx.caller {
        return Err(ctx.err(failures::QUIT_OWN_ORG));
    }
    let m = o
        .members
        .get(&ctx.caller)
        .ok_or_else(|| ctx.err_with(failures::MEMBER_NOT_EXIST, format!("({})", ctx.caller)))?;
    if m.kind == MemberKind::Created {
        return Err(ctx.err(failures::CREATED_MEMBER_CANNOT_QUIT));
    }
    if !m.allow_quit {
        return Err(ctx.err(failures::QUIT_NOT_ALLOWED));
    }
    cascade::check_members_removal(inner, ctx, org_id, &[ctx.caller])?;
    org_mut(inner, org_id).members.remove(&ctx.caller);
    cascade::members_removed(inner, org_id, &[ctx.caller]);
    Ok(())
}

/// A member's relationship settings, as CreateOrganizationMember, InviteOrganizationMember and
/// UpdateOrganizationMember take them.
#[derive(Debug, Clone)]
pub(crate) struct Relationship {
    pub policy_type: String,
    pub permissions: Vec<u64>,
    pub pay_uin: String,
}

impl Relationship {
    /// What 2018 invitations (which know no policy) give a member.
    pub fn default_financial() -> Self {
        Relationship {
            policy_type: POLICY_FINANCIAL.to_owned(),
            permissions: MANDATORY_PERMISSIONS.to_vec(),
            pay_uin: String::new(),
        }
    }
}

/// Checks a relationship for organization `org_id`.
pub(crate) fn check_relationship(
    inner: &Inner,
    ctx: &Ctx<'_>,
    org_id: u64,
    rel: &Relationship,
) -> Result<()> {
    if rel.policy_type != POLICY_FINANCIAL {
        return Err(ctx.err_with(failures::POLICY_ILLEGAL, format!("({:?})", rel.policy_type)));
    }
    let known = |id: &u64| PERMISSIONS.iter().any(|(p, _)| p == id);
    let complete = MANDATORY_PERMISSIONS
        .iter()
        .all(|p| rel.permissions.contains(p));
    if !complete || !rel.permissions.iter().all(known) {
        return Err(ctx.err_with(
            failures::PERMISSION_ILLEGAL,
            format!("({:?})", rel.permissions),
        ));
    }
    let o = org(inner, org_id);
    let pay_ok = if rel.pay_uin.is_empty() {
        !rel.permissions.contains(&PAY_ON_BEHALF)
    } else {
        rel.pay_uin
            .parse::<u64>()
            .is_ok_and(|p| p == o.host_uin || o.members.contains_key(&p))
    };
    if !pay_ok {
        return Err(ctx.err_with(
            failures::PAY_UIN_ILLEGAL,
            "(pay-on-behalf, permission 7, needs one)",
        ));
    }
    Ok(())
}

/// Permission IDs sorted and without repeats, as stored.
pub(crate) fn normalize_permissions(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `Allow` / `Denied` (any case) as a flag; absent reads as `default`.
pub(crate) fn allow_quit(ctx: &Ctx<'_>, default: bool) -> Result<bool> {
    match ctx.str("IsAllowQuit") {
        None => Ok(default),
        Some(v) if v.eq_ignore_ascii_case("allow") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("denied") => Ok(false),
        Some(v) => Err(ctx.err_with(
            failures::BAD_VALUE,
            format!("IsAllowQuit is Allow or Denied, not {v:?}."),
        )),
    }
}

pub(crate) fn allow_quit_str(allow: bool) -> &'static str {
    if allow {
        "Allow"
    } else {
        "Denied"
    }
}

/// An invitation about to be sent.
pub(crate) struct InvitationSpec {
    pub invitee: u64,
    pub name: String,
    pub remark: String,
    pub node: Option<u64>,
    pub rel: Relationship,
    pub allow_quit: bool,
    pub tags: Vec<Tag>,
}

/// Sends an invitation from the caller's organization. The relationship and tags are the
/// caller's to check first (2018 invitations have neither).
pub(crate) fn send_invitation(
    inner: &mut Inner,
    ctx: &Ctx<'_>,
    spec: InvitationSpec,
) -> Result<u64> {
    let org_id = managed(inner, ctx)?;
    check_member_name(ctx, &spec.name)?;
    if let Some(node) = spec.node {
        check_node(ctx, org(inner, org_id), node)?;
    }
    if !inner.accounts.contains_key(&spec.invitee) {
        return Err(ctx.err_with(failures::USER_NOT_EXIST, format!("({})", spec.invitee)));
    }
    match inner.standing(spec.invitee) {
        Standing::None => {}
        Standing::Manager(id) | Standing::Member(id) if id == org_id => {
            return Err(ctx.err_with(failures::INVITEE_IN_THIS_ORG, format!("({})", spec.invitee)))
        }
        Standing::Manager(_) | Standing::Member(_) => {
            return Err(ctx.err_with(
                failures::INVITEE_IN_OTHER_ORG,
                format!("({})", spec.invitee),
            ))
        }
    }
    if inner
        .pending_of_org(org_id, ctx.now)
        .any(|i| i.invitee == spec.invitee)
    {
        return Err(ctx.err_with(failures::INVITATION_PENDING, format!("({})", spec.invitee)));
    }
    if inner.member_name_taken(org_id, &spec.name, None, ctx.now) {
        return Err(ctx.err_with(failures::MEMBER_NAME_USED, format!("({:?})", spec.name)));
    }
    if inner.member_load(org_id, ctx.now) >= MAX_MEMBERS {
        return Err(ctx.err_with(
            failures::MEMBER_LIMIT,
            format!("(at most {MAX_MEMBERS}, pending invitations included)"),
        ));
    }
    let id = inner.next_invitation;
    inner.next_invitation += 1;
    inner.invitations.insert(
        id,
        Invitation {
            id,
            org_id,
            host_uin: ctx.caller,
            invitee: spec.invitee,
            name: spec.name,
            remark: spec.remark,
            status: InvitationStatus::Pending,
            invite_time: ctx.now,
            expire_time: ctx.now + INVITATION_TTL_SECS,
            node: spec.node,
            policy_type: spec.rel.policy_type,
            permissions: spec.rel.permissions,
            allow_quit: spec.allow_quit,
            pay_uin: spec.rel.pay_uin,
            tags: spec.tags,
        },
    );
    Ok(id)
}
