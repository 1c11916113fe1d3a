//! The 2018-12-25 actions: all 20 are stateful.

use serde_json::{json, Value};

use super::failures::*;
use super::model::*;
use super::ops::{self, InvitationSpec, Relationship};
use crate::state::data::Inner;
use crate::state::{services, sharing, BusinessError, Ctx, Handler};

type Result<T> = std::result::Result<T, BusinessError>;

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateOrganization",
        raises: &[ORG_EXISTS, CREATED_MEMBER_CANNOT_CREATE_ORG, BAD_VALUE],
        run: create_organization,
    },
    Handler {
        action: "GetOrganization",
        raises: &[ORG_NOT_EXIST],
        run: get_organization,
    },
    Handler {
        action: "DeleteOrganization",
        raises: DELETE_ORG_RAISES,
        run: delete_organization,
    },
    Handler {
        action: "AddOrganizationNode",
        raises: &[
            ORG_NOT_EXIST,
            NODE_NOT_EXIST,
            NODE_NAME_USED,
            NODE_DEPTH,
            NODE_COUNT,
            BAD_VALUE,
        ],
        run: add_organization_node,
    },
    Handler {
        action: "UpdateOrganizationNode",
        raises: &[
            ORG_NOT_EXIST,
            NODE_NOT_EXIST,
            NODE_NAME_USED,
            NODE_DEPTH,
            ROOT_NODE,
            BAD_VALUE,
        ],
        run: update_organization_node,
    },
    Handler {
        action: "DeleteOrganizationNodes",
        raises: &[
            ORG_NOT_EXIST,
            NODE_NOT_EXIST,
            NODE_HAS_MEMBERS,
            NODE_HAS_CHILDREN,
            ROOT_NODE,
            sharing::failures::NODE_SHARED,
        ],
        run: delete_organization_nodes,
    },
    Handler {
        action: "ListOrganizationNodes",
        raises: &[ORG_NOT_EXIST],
        run: list_organization_nodes,
    },
    Handler {
        action: "ListOrganizationMembers",
        raises: &[ORG_NOT_EXIST, BAD_VALUE],
        run: list_organization_members,
    },
    Handler {
        action: "ListOrganizationNodeMembers",
        raises: &[ORG_NOT_EXIST, NODE_NOT_EXIST, BAD_VALUE],
        run: list_organization_node_members,
    },
    Handler {
        action: "MoveOrganizationMembersToNode",
        raises: &[ORG_NOT_EXIST, NODE_NOT_EXIST, SOME_UINS_NOT_IN_ORG],
        run: move_organization_members_to_node,
    },
    Handler {
        action: "UpdateOrganizationMember",
        raises: &[ORG_NOT_EXIST, MEMBER_NOT_EXIST, MEMBER_NAME_USED, BAD_VALUE],
        run: update_organization_member,
    },
    Handler {
        action: "DeleteOrganizationMemberFromNode",
        raises: &[
            ORG_NOT_EXIST,
            NODE_NOT_EXIST,
            MEMBER_NOT_EXIST,
            DELETE_FROM_ROOT,
        ],
        run: delete_organization_member_from_node,
    },
    Handler {
        action: "DeleteOrganizationMembers",
        raises: &[
            ORG_NOT_EXIST,
            MEMBER_NOT_EXIST,
            QUIT_OWN_ORG,
            CREATED_MEMBER_CANNOT_BE_REMOVED,
            services::failures::MEMBER_IS_DELEGATE,
            sharing::failures::MEMBER_SHARES,
        ],
        run: delete_organization_members,
    },
    Handler {
        action: "GetOrganizationMember",
        raises: &[ORG_NOT_EXIST, MEMBER_NOT_EXIST],
        run: get_organization_member,
    },
    Handler {
        action: "SendOrganizationInvitation",
        raises: &[
            ORG_NOT_EXIST,
            BAD_VALUE,
            USER_NOT_EXIST,
            INVITEE_IN_THIS_ORG,
            INVITEE_IN_OTHER_ORG,
            INVITATION_PENDING,
            MEMBER_NAME_USED,
            MEMBER_LIMIT,
        ],
        run: send_organization_invitation,
    },
    Handler {
        action: "ListOrganizationInvitations",
        raises: &[BAD_VALUE],
        run: list_organization_invitations,
    },
    Handler {
        action: "AcceptOrganizationInvitation",
        raises: &[INVITATION_NOT_EXIST, IN_ORG_ALREADY],
        run: accept_organization_invitation,
    },
    Handler {
        action: "DenyOrganizationInvitation",
        raises: &[INVITATION_NOT_EXIST],
        run: deny_organization_invitation,
    },
    Handler {
        action: "CancelOrganizationInvitation",
        raises: &[INVITATION_NOT_EXIST],
        run: cancel_organization_invitation,
    },
    Handler {
        action: "QuitOrganization",
        raises: &[
            ORG_NOT_EXIST,
            QUIT_OWN_ORG,
            MEMBER_NOT_EXIST,
            CREATED_MEMBER_CANNOT_QUIT,
            QUIT_NOT_ALLOWED,
            services::failures::MEMBER_IS_DELEGATE,
            sharing::failures::MEMBER_SHARES,
        ],
        run: quit_organization,
    },
];

fn create_organization(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_type = ctx.id("OrgType");
    if org_type != 1 {
        return Err(ctx.err_with(BAD_VALUE, "OrgType must be 1."));
    }
    let id = ops::create_org(inner, ctx, org_type)?;
    Ok(json!({
        "OrgId": id,
        "Nickname": inner.account_name(ctx.caller),
        "Mail": masked_mail(ctx.caller),
        "OrgType": org_type,
    }))
}

fn get_organization(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::joined(inner, ctx)?;
    let o = ops::org(inner, org_id);
    Ok(json!({
        "OrgId": o.id,
        "HostUin": o.host_uin,
        "Nickname": inner.account_name(o.host_uin),
        "Mail": masked_mail(o.host_uin),
        "OrgType": o.org_type,
        "IsEmpty": u64::from(o.members.is_empty()),
    }))
}

fn delete_organization(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::delete_org(inner, ctx)?;
    Ok(json!({}))
}

fn add_organization_node(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let parent = ctx.id("ParentNodeId");
    let name = ctx.str("Name").unwrap_or_default();
    let id = ops::add_node(inner, ctx, parent, name, "", Vec::new())?;
    Ok(json!({ "NodeId": id }))
}

fn update_organization_node(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let parent = ctx
        .params
        .get("ParentNodeId")
        .map(|_| ctx.id("ParentNodeId"));
    ops::update_node(inner, ctx, ctx.id("NodeId"), ctx.str("Name"), None, parent)?;
    Ok(json!({}))
}

fn delete_organization_nodes(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::delete_nodes(inner, ctx, &ctx.ids("NodeIds"))?;
    Ok(json!({}))
}

fn list_organization_nodes(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::joined(inner, ctx)?;
    let o = ops::org(inner, org_id);
    let nodes: Vec<Value> = o
        .nodes
        .values()
        .map(|n| {
            json!({
                "NodeId": n.id,
                "Name": n.name,
                "ParentNodeId": n.parent.unwrap_or(0),
                "MemberCount": o.members_in(n.id).count(),
            })
        })
        .collect();
    Ok(json!({ "Nodes": nodes }))
}

fn member_row(m: &Member) -> Value {
    json!({
        "Uin": m.uin,
        "Name": m.name,
        "Remark": m.remark,
        "JoinTime": format_time(m.join_time),
    })
}

fn list_organization_members(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let members: Vec<Value> = ops::org(inner, org_id)
        .members
        .values()
        .map(member_row)
        .collect();
    let (members, total) = page.slice(members);
    Ok(json!({ "Members": members, "TotalCount": total }))
}

fn list_organization_node_members(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let o = ops::org(inner, org_id);
    let node = ctx.id("NodeId");
    ops::check_node(ctx, o, node)?;
    let members: Vec<Value> = o.members_in(node).map(member_row).collect();
    let (members, total) = page.slice(members);
    Ok(json!({ "TotalCount": total, "Members": members }))
}

fn move_organization_members_to_node(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::move_members(inner, ctx, ctx.id("NodeId"), &ctx.ids("Uins"))?;
    Ok(json!({}))
}

fn update_organization_member(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (org_id, uin) = ops::managed_member(inner, ctx)?;
    let name = ctx.str("Name");
    ops::check_rename(inner, ctx, org_id, uin, name)?;
    let now = ctx.now;
    let m = ops::org_mut(inner, org_id)
        .members
        .get_mut(&uin)
        .expect("checked above");
    if let Some(name) = name {
        m.name = name.to_owned();
    }
    if let Some(remark) = ctx.str("Remark") {
        m.remark = remark.to_owned();
    }
    m.update_time = now;
    Ok(json!({}))
}

/// Takes a member out of a unit: it goes back to the root (a member is always in one unit).
fn delete_organization_member_from_node(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let o = ops::org(inner, org_id);
    let (uin, node) = (ctx.id("MemberUin"), ctx.id("NodeId"));
    ops::check_node(ctx, o, node)?;
    if node == o.root {
        return Err(ctx.err(DELETE_FROM_ROOT));
    }
    match o.members.get(&uin) {
        Some(m) if m.node == node => {}
        Some(_) => {
            return Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({uin} is not in unit {node})")))
        }
        None => return Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({uin})"))),
    }
    let root = o.root;
    ops::move_members(inner, ctx, root, &[uin])?;
    Ok(json!({}))
}

fn delete_organization_members(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::delete_members(inner, ctx, &ctx.ids("Uins"))?;
    Ok(json!({}))
}

fn get_organization_member(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::joined(inner, ctx)?;
    let o = ops::org(inner, org_id);
    let uin = ctx.id("MemberUin");
    let m = o
        .members
        .get(&uin)
        .ok_or_else(|| ctx.err_with(MEMBER_NOT_EXIST, format!("({uin})")))?;
    let parent = o.nodes.get(&m.node).and_then(|n| n.parent).unwrap_or(0);
    Ok(json!({
        "Uin": m.uin,
        "Name": m.name,
        "Remark": m.remark,
        "JoinTime": format_time(m.join_time),
        "NodeId": m.node,
        "NodeName": o.node_name(m.node),
        "ParentNodeId": parent,
    }))
}

fn send_organization_invitation(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let spec = InvitationSpec {
        invitee: ctx.id("InviteUin"),
        name: ctx.str("Name").unwrap_or_default().to_owned(),
        remark: ctx.str("Remark").unwrap_or_default().to_owned(),
        node: None,
        rel: Relationship::default_financial(),
        allow_quit: true,
        tags: Vec::new(),
    };
    ops::send_invitation(inner, ctx, spec)?;
    Ok(json!({}))
}

fn list_organization_invitations(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let received = match ctx.int("Invited") {
        Some(1) => true,
        Some(0) => false,
        other => {
            return Err(ctx.err_with(
                BAD_VALUE,
                format!("Invited is 1 (received) or 0 (sent), not {other:?}."),
            ))
        }
    };
    let page = ctx.page()?;
    let now = ctx.now;
    let rows: Vec<Value> = inner
        .invitations
        .values()
        .filter(|i| {
            if received {
                i.invitee == ctx.caller
            } else {
                i.host_uin == ctx.caller
            }
        })
        .map(|i| {
            let org_type = inner.orgs.get(&i.org_id).map_or(1, |o| o.org_type);
            json!({
                "Id": i.id,
                "Uin": i.invitee,
                "HostUin": i.host_uin,
                "HostName": inner.account_name(i.host_uin),
                "HostMail": masked_mail(i.host_uin),
                "Status": i.status_at(now) as u64,
                "Name": i.name,
                "Remark": i.remark,
                "OrgType": org_type,
                "InviteTime": format_time(i.invite_time),
                "ExpireTime": format_time(i.expire_time),
            })
        })
        .collect();
    let (rows, total) = page.slice(rows);
    Ok(json!({ "Invitations": rows, "TotalCount": total }))
}

/// The pending invitation `Id` addressed to the caller (as invitee) or sent by the caller.
fn pending_invitation(inner: &Inner, ctx: &Ctx<'_>, as_invitee: bool) -> Result<u64> {
    let id = ctx.id("Id");
    inner
        .invitations
        .get(&id)
        .filter(|i| i.is_pending(ctx.now))
        .filter(|i| {
            if as_invitee {
                i.invitee == ctx.caller
            } else {
                i.host_uin == ctx.caller
            }
        })
        .map(|i| i.id)
        .ok_or_else(|| ctx.err_with(INVITATION_NOT_EXIST, format!("({id})")))
}

fn accept_organization_invitation(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let id = pending_invitation(inner, ctx, true)?;
    if inner.org_id_of(ctx.caller).is_some() {
        return Err(ctx.err(IN_ORG_ALREADY));
    }
    let inv = inner.invitations[&id].clone();
    let Some(o) = inner.orgs.get_mut(&inv.org_id) else {
        return Err(ctx.err_with(INVITATION_NOT_EXIST, format!("({id})")));
    };
    let node = inv
        .node
        .filter(|n| o.nodes.contains_key(n))
        .unwrap_or(o.root);
    o.members.insert(
        ctx.caller,
        Member {
            uin: ctx.caller,
            name: inv.name,
            remark: inv.remark,
            node,
            kind: MemberKind::Invited,
            policy_type: inv.policy_type,
            permissions: inv.permissions,
            allow_quit: inv.allow_quit,
            pay_uin: inv.pay_uin,
            identity_ids: Vec::new(),
            tags: inv.tags,
            join_time: ctx.now,
            update_time: ctx.now,
            email: None,
        },
    );
    set_status(inner, id, InvitationStatus::Accepted);
    Ok(json!({}))
}

fn set_status(inner: &mut Inner, id: u64, status: InvitationStatus) {
    if let Some(i) = inner.invitations.get_mut(&id) {
        i.status = status;
    }
}

fn deny_organization_invitation(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let id = pending_invitation(inner, ctx, true)?;
    set_status(inner, id, InvitationStatus::Invalid);
    Ok(json!({}))
}

fn cancel_organization_invitation(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let id = pending_invitation(inner, ctx, false)?;
    set_status(inner, id, InvitationStatus::Cancelled);
    Ok(json!({}))
}

fn quit_organization(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::quit(inner, ctx, ctx.id("OrgId"))?;
    Ok(json!({}))
}
