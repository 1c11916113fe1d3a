//! The stateful 2021-03-31 actions: organizations, units, members and member email binding.
//! The other actions of this version (identity center, policies, share units…) are built from
//! the contract by the HTTP side.

use serde_json::{json, Value};

use super::failures::*;
use super::model::*;
use super::ops::{self, InvitationSpec, Relationship};
use crate::state::data::{Account, Inner};
use crate::state::{member_login, services, sharing, BusinessError, Ctx, Handler};

type Result<T> = std::result::Result<T, BusinessError>;

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateOrganization",
        raises: &[ORG_EXISTS, CREATED_MEMBER_CANNOT_CREATE_ORG],
        run: create_organization,
    },
    Handler {
        action: "DescribeOrganization",
        raises: &[ORG_NOT_EXIST],
        run: describe_organization,
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
            TAG_ERROR,
        ],
        run: add_organization_node,
    },
    Handler {
        action: "UpdateOrganizationNode",
        raises: &[ORG_NOT_EXIST, NODE_NOT_EXIST, NODE_NAME_USED, BAD_VALUE],
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
        action: "DescribeOrganizationNodes",
        raises: &[ORG_NOT_EXIST, BAD_VALUE],
        run: describe_organization_nodes,
    },
    Handler {
        action: "CreateOrganizationMember",
        raises: &[
            ORG_NOT_EXIST,
            BAD_VALUE,
            TAG_ERROR,
            NODE_NOT_EXIST,
            POLICY_ILLEGAL,
            PERMISSION_ILLEGAL,
            PAY_UIN_ILLEGAL,
            MEMBER_NAME_USED,
            MEMBER_LIMIT,
        ],
        run: create_organization_member,
    },
    Handler {
        action: "InviteOrganizationMember",
        raises: &[
            ORG_NOT_EXIST,
            BAD_VALUE,
            TAG_ERROR,
            NODE_NOT_EXIST,
            POLICY_ILLEGAL,
            PERMISSION_ILLEGAL,
            PAY_UIN_ILLEGAL,
            USER_NOT_EXIST,
            INVITEE_IN_THIS_ORG,
            INVITEE_IN_OTHER_ORG,
            INVITATION_PENDING,
            MEMBER_NAME_USED,
            MEMBER_LIMIT,
        ],
        run: invite_organization_member,
    },
    Handler {
        action: "DescribeOrganizationMembers",
        raises: &[ORG_NOT_EXIST, NODE_NOT_EXIST, BAD_VALUE],
        run: describe_organization_members,
    },
    Handler {
        action: "UpdateOrganizationMember",
        raises: &[
            ORG_NOT_EXIST,
            MEMBER_NOT_EXIST,
            BAD_VALUE,
            MEMBER_NAME_USED,
            POLICY_ILLEGAL,
            PERMISSION_ILLEGAL,
            PAY_UIN_ILLEGAL,
        ],
        run: update_organization_member,
    },
    Handler {
        action: "MoveOrganizationNodeMembers",
        raises: &[ORG_NOT_EXIST, NODE_NOT_EXIST, SOME_UINS_NOT_IN_ORG],
        run: move_organization_node_members,
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
    Handler {
        action: "AddOrganizationMemberEmail",
        raises: &[
            ORG_NOT_EXIST,
            MEMBER_NOT_EXIST,
            NOT_CREATED_MEMBER,
            BAD_VALUE,
            MEMBER_EMAIL_EXIST,
            EMAIL_USED,
        ],
        run: add_organization_member_email,
    },
    Handler {
        action: "DescribeOrganizationMemberEmailBind",
        raises: &[ORG_NOT_EXIST, MEMBER_NOT_EXIST],
        run: describe_organization_member_email_bind,
    },
    Handler {
        action: "UpdateOrganizationMemberEmailBind",
        raises: &[
            ORG_NOT_EXIST,
            MEMBER_NOT_EXIST,
            EMAIL_BIND_NOT_EXIST,
            BAD_VALUE,
            EMAIL_USED,
        ],
        run: update_organization_member_email_bind,
    },
    Handler {
        action: "SendOrgMemberAccountBindEmail",
        raises: &[
            ORG_NOT_EXIST,
            MEMBER_NOT_EXIST,
            EMAIL_BIND_NOT_EXIST,
            RESEND_LIMIT,
            RESEND_HOURLY_LIMIT,
        ],
        run: send_org_member_account_bind_email,
    },
];

fn create_organization(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let id = ops::create_org(inner, ctx, 1)?;
    Ok(json!({ "OrgId": id, "NickName": inner.account_name(ctx.caller) }))
}

fn describe_organization(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let view = organization_view(inner, ctx)?;
    // A struct of strings, numbers and a `Value` always converts.
    Ok(serde_json::to_value(view).unwrap_or_default())
}

/// `DescribeOrganization` serialised straight from its typed view, for the server's hot path:
/// the same bytes as [`describe_organization`]'s `Value`, without building the tree.
pub(crate) fn describe_organization_json(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Vec<u8>> {
    let view = organization_view(inner, ctx)?;
    // About 400 bytes: one allocation rather than serde_json's growth from 128.
    let mut out = Vec::with_capacity(512);
    Ok(match serde_json::to_writer(&mut out, &view) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    })
}

/// The `DescribeOrganization` members, in the contract's order. A caller that is a member
/// (not the manager) sees its own relationship: policy, permissions, join time, payer.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct OrganizationView<'a> {
    org_id: u64,
    host_uin: u64,
    nick_name: String,
    org_type: u64,
    is_manager: bool,
    org_policy_type: &'a str,
    org_policy_name: &'static str,
    org_permission: Value,
    root_node_id: u64,
    create_time: String,
    join_time: String,
    is_allow_quit: &'static str,
    pay_uin: &'a str,
    pay_name: String,
    is_assign_manager: bool,
    is_auth_manager: bool,
}

fn organization_view<'a>(inner: &'a Inner, ctx: &Ctx<'_>) -> Result<OrganizationView<'a>> {
    let org_id = ops::joined(inner, ctx)?;
    let o = ops::org(inner, org_id);
    let mut view = OrganizationView {
        org_id: o.id,
        host_uin: o.host_uin,
        nick_name: inner.account_name(o.host_uin),
        org_type: o.org_type,
        is_manager: o.host_uin == ctx.caller,
        org_policy_type: "",
        org_policy_name: "",
        org_permission: Value::Array(Vec::new()),
        root_node_id: o.root,
        create_time: format_time(o.create_time),
        join_time: format_time(o.create_time),
        is_allow_quit: ops::allow_quit_str(false),
        pay_uin: "",
        pay_name: String::new(),
        is_assign_manager: false,
        is_auth_manager: false,
    };
    if let Some(m) = o.members.get(&ctx.caller) {
        view.org_policy_type = &m.policy_type;
        view.org_policy_name = policy_name(&m.policy_type);
        view.org_permission = permissions_json(&m.permissions);
        view.join_time = format_time(m.join_time);
        view.is_allow_quit = ops::allow_quit_str(m.allow_quit);
        view.pay_uin = &m.pay_uin;
        view.pay_name = pay_name(inner, &m.pay_uin);
    }
    Ok(view)
}

fn pay_name(inner: &Inner, pay_uin: &str) -> String {
    pay_uin
        .parse::<u64>()
        .map(|uin| inner.account_name(uin))
        .unwrap_or_default()
}

fn delete_organization(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::delete_org(inner, ctx)?;
    Ok(json!({}))
}

fn add_organization_node(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let id = ops::add_node(
        inner,
        ctx,
        ctx.id("ParentNodeId"),
        ctx.str("Name").unwrap_or_default(),
        ctx.str("Remark").unwrap_or_default(),
        ctx.tags("Tags"),
    )?;
    Ok(json!({ "NodeId": id }))
}

fn update_organization_node(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::update_node(
        inner,
        ctx,
        ctx.id("NodeId"),
        ctx.str("Name"),
        ctx.str("Remark"),
        None,
    )?;
    Ok(json!({}))
}

fn delete_organization_nodes(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::delete_nodes(inner, ctx, &ctx.ids("NodeId"))?;
    Ok(json!({}))
}

/// Whether `have` holds every tag of `want`.
fn has_tags(have: &[Tag], want: &[Tag]) -> bool {
    want.iter().all(|w| have.contains(w))
}

fn describe_organization_nodes(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let want = ctx.tags("Tags");
    let items: Vec<Value> = ops::org(inner, org_id)
        .nodes
        .values()
        .filter(|n| has_tags(&n.tags, &want))
        .map(|n| {
            json!({
                "NodeId": n.id,
                "Name": n.name,
                "ParentNodeId": n.parent.unwrap_or(0),
                "Remark": n.remark,
                "CreateTime": format_time(n.create_time),
                "UpdateTime": format_time(n.update_time),
                "Tags": tags_json(&n.tags),
            })
        })
        .collect();
    let (items, total) = page.slice(items);
    Ok(json!({ "Total": total, "Items": items }))
}

/// PolicyType, PermissionIds and PayUin of a create or invite request.
fn relationship(ctx: &Ctx<'_>) -> Relationship {
    Relationship {
        policy_type: ctx.str("PolicyType").unwrap_or_default().to_owned(),
        permissions: ops::normalize_permissions(ctx.ids("PermissionIds")),
        pay_uin: ctx.str("PayUin").unwrap_or_default().to_owned(),
    }
}

fn create_organization_member(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let name = ctx.str("Name").unwrap_or_default();
    let account_name = ctx.str("AccountName").unwrap_or_default();
    ops::check_member_name(ctx, name)?;
    ops::check_member_name(ctx, account_name)?;
    let tags = ctx.tags("Tags");
    ops::check_tags(ctx, &tags)?;
    let node = ctx.id("NodeId");
    ops::check_node(ctx, ops::org(inner, org_id), node)?;
    let rel = relationship(ctx);
    ops::check_relationship(inner, ctx, org_id, &rel)?;
    if inner.member_name_taken(org_id, name, None, ctx.now) {
        return Err(ctx.err_with(MEMBER_NAME_USED, format!("({name:?})")));
    }
    if inner.member_load(org_id, ctx.now) >= MAX_MEMBERS {
        return Err(ctx.err_with(
            MEMBER_LIMIT,
            format!("(at most {MAX_MEMBERS}, pending invitations included)"),
        ));
    }
    // Identities the organization does not have are left out (unified member login keeps them).
    let mut identity_ids = match ctx.ids("IdentityRoleID") {
        ids if ids.is_empty() => vec![1],
        ids => ids,
    };
    identity_ids.sort_unstable();
    identity_ids.dedup();
    identity_ids.retain(|id| member_login::model::identity_of(inner, org_id, *id).is_some());
    let uin = inner.alloc_uin();
    inner.accounts.insert(
        uin,
        Account {
            name: account_name.to_owned(),
            registered: false,
        },
    );
    ops::org_mut(inner, org_id).members.insert(
        uin,
        Member {
            uin,
            name: name.to_owned(),
            remark: ctx.str("Remark").unwrap_or_default().to_owned(),
            node,
            kind: MemberKind::Created,
            policy_type: rel.policy_type,
            permissions: rel.permissions,
            allow_quit: false,
            pay_uin: rel.pay_uin,
            identity_ids,
            tags,
            join_time: ctx.now,
            update_time: ctx.now,
            email: None,
        },
    );
    Ok(json!({ "Uin": uin }))
}

fn invite_organization_member(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let tags = ctx.tags("Tags");
    ops::check_tags(ctx, &tags)?;
    let rel = relationship(ctx);
    let allow_quit = ops::allow_quit(ctx, true)?;
    let node = ctx.id("NodeId");
    ops::check_node(ctx, ops::org(inner, org_id), node)?;
    ops::check_relationship(inner, ctx, org_id, &rel)?;
    let spec = InvitationSpec {
        invitee: ctx.id("MemberUin"),
        name: ctx.str("Name").unwrap_or_default().to_owned(),
        remark: ctx.str("Remark").unwrap_or_default().to_owned(),
        node: Some(node),
        rel,
        allow_quit,
        tags,
    };
    ops::send_invitation(inner, ctx, spec)?;
    Ok(json!({}))
}

fn member_item(inner: &Inner, o: &Org, m: &Member) -> Value {
    let identities: Vec<Value> = m
        .identity_ids
        .iter()
        .map(|id| {
            let name = member_login::model::identity_name(inner, o.id, *id);
            json!({"IdentityId": id, "IdentityAliasName": name})
        })
        .collect();
    json!({
        "MemberUin": m.uin,
        "Name": m.name,
        "MemberType": m.kind.as_str(),
        "OrgPolicyType": m.policy_type,
        "OrgPolicyName": policy_name(&m.policy_type),
        "OrgPermission": permissions_json(&m.permissions),
        "NodeId": m.node,
        "NodeName": o.node_name(m.node),
        "Remark": m.remark,
        "CreateTime": format_time(m.join_time),
        "UpdateTime": format_time(m.update_time),
        "IsAllowQuit": ops::allow_quit_str(m.allow_quit),
        "PayUin": m.pay_uin,
        "PayName": pay_name(inner, &m.pay_uin),
        "OrgIdentity": identities,
        "BindStatus": if m.email.is_some() { "Success" } else { "Unbound" },
        "PermissionStatus": "Confirmed",
        "Tags": tags_json(&m.tags),
        "NickName": inner.account_name(m.uin),
    })
}

fn describe_organization_members(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let page = ctx.page()?;
    let org_id = ops::joined(inner, ctx)?;
    let o = ops::org(inner, org_id);
    let node = ctx.params.get("NodeId").map(|_| ctx.id("NodeId"));
    if let Some(node) = node {
        ops::check_node(ctx, o, node)?;
    }
    let node_name = ctx.str("NodeName").filter(|n| !n.is_empty());
    let search = ctx.str("SearchKey").filter(|s| !s.is_empty());
    let want = ctx.tags("Tags");
    let matching: Vec<_> = o
        .members
        .values()
        .filter(|m| node.is_none_or(|n| m.node == n))
        .filter(|m| node_name.is_none_or(|n| o.node_name(m.node) == n))
        .filter(|m| search.is_none_or(|s| m.name.contains(s) || m.uin.to_string().contains(s)))
        .filter(|m| has_tags(&m.tags, &want))
        .collect();
    // Page first, then build only the page's items: a call costs its page, not the organization.
    let (page, total) = page.slice(matching);
    let items: Vec<Value> = page.into_iter().map(|m| member_item(inner, o, m)).collect();
    Ok(json!({ "Items": items, "Total": total }))
}

fn update_organization_member(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = ops::managed(inner, ctx)?;
    let uin = ctx.id("MemberUin");
    let Some(current) = ops::org(inner, org_id).members.get(&uin) else {
        return Err(ctx.err_with(MEMBER_NOT_EXIST, format!("({uin})")));
    };
    let name = ctx.str("Name");
    ops::check_rename(inner, ctx, org_id, uin, name)?;
    let allow_quit = ops::allow_quit(ctx, current.allow_quit)?;
    let sync_nickname = match ctx.int("IsModifyNickName") {
        None | Some(0) => false,
        Some(1) => true,
        Some(v) => {
            return Err(ctx.err_with(BAD_VALUE, format!("IsModifyNickName is 0 or 1, not {v}.")))
        }
    };
    let policy = ctx.str("PolicyType").filter(|p| !p.is_empty());
    let permissions = ctx.ids("PermissionIds");
    let rel = match (policy, permissions.is_empty()) {
        (None, true) => Relationship {
            policy_type: current.policy_type.clone(),
            permissions: current.permissions.clone(),
            pay_uin: current.pay_uin.clone(),
        },
        (Some(policy), false) => Relationship {
            policy_type: policy.to_owned(),
            permissions: ops::normalize_permissions(permissions),
            pay_uin: current.pay_uin.clone(),
        },
        (None, false) => {
            return Err(ctx.err_with(POLICY_ILLEGAL, "(PermissionIds needs PolicyType)"))
        }
        (Some(_), true) => {
            return Err(ctx.err_with(PERMISSION_ILLEGAL, "(PolicyType needs PermissionIds)"))
        }
    };
    let rel = Relationship {
        pay_uin: ctx.str("PayUin").map_or(rel.pay_uin.clone(), str::to_owned),
        ..rel
    };
    ops::check_relationship(inner, ctx, org_id, &rel)?;

    let now = ctx.now;
    let remark = ctx.str("Remark");
    let m = ops::org_mut(inner, org_id)
        .members
        .get_mut(&uin)
        .expect("checked above");
    if let Some(name) = name {
        m.name = name.to_owned();
    }
    if let Some(remark) = remark {
        m.remark = remark.to_owned();
    }
    m.policy_type = rel.policy_type;
    m.permissions = rel.permissions;
    m.pay_uin = rel.pay_uin;
    m.allow_quit = allow_quit;
    m.update_time = now;
    let member_name = m.name.clone();
    if sync_nickname {
        if let Some(account) = inner.accounts.get_mut(&uin) {
            account.name = member_name;
        }
    }
    Ok(json!({}))
}

fn move_organization_node_members(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::move_members(inner, ctx, ctx.id("NodeId"), &ctx.ids("MemberUin"))?;
    Ok(json!({}))
}

fn delete_organization_members(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::delete_members(inner, ctx, &ctx.ids("MemberUin"))?;
    Ok(json!({}))
}

fn quit_organization(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    ops::quit(inner, ctx, ctx.id("OrgId"))?;
    Ok(json!({}))
}

fn check_email(ctx: &Ctx<'_>, email: &str) -> Result<()> {
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
    });
    if valid && !email.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        Err(ctx.err_with(BAD_VALUE, format!("({email:?} is not an email address)")))
    }
}

/// Binds an email (and verification phone) to a created member. The mock has no mailbox to
/// click a link in, so the binding succeeds at once.
fn add_organization_member_email(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (org_id, uin) = ops::managed_member(inner, ctx)?;
    let member = &ops::org(inner, org_id).members[&uin];
    if member.kind != MemberKind::Created {
        return Err(ctx.err(NOT_CREATED_MEMBER));
    }
    let email = ctx.str("Email").unwrap_or_default();
    check_email(ctx, email)?;
    if member.email.is_some() {
        return Err(ctx.err(MEMBER_EMAIL_EXIST));
    }
    if inner.email_taken(email, uin) {
        return Err(ctx.err(EMAIL_USED));
    }
    let id = inner.next_bind;
    inner.next_bind += 1;
    let bind = EmailBind {
        id,
        email: email.to_owned(),
        country_code: ctx.str("CountryCode").unwrap_or_default().to_owned(),
        phone: ctx.str("Phone").unwrap_or_default().to_owned(),
        apply_time: ctx.now,
        bind_time: ctx.now,
        resends: Vec::new(),
    };
    let now = ctx.now;
    let m = ops::org_mut(inner, org_id)
        .members
        .get_mut(&uin)
        .expect("checked above");
    m.email = Some(bind);
    m.update_time = now;
    Ok(json!({ "BindId": id }))
}

fn describe_organization_member_email_bind(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (org_id, uin) = ops::managed_member(inner, ctx)?;
    let member = &ops::org(inner, org_id).members[&uin];
    Ok(match &member.email {
        Some(b) => json!({
            "BindId": b.id,
            "ApplyTime": format_time(b.apply_time),
            "Email": b.email,
            "Phone": b.phone,
            "BindStatus": "Success",
            "BindTime": format_time(b.bind_time),
            "Description": "",
            "PhoneBind": u64::from(!b.phone.is_empty()),
            "CountryCode": b.country_code,
        }),
        None => json!({
            "BindId": 0,
            "ApplyTime": "",
            "Email": "",
            "Phone": "",
            "BindStatus": "Unbound",
            "BindTime": "",
            "Description": "",
            "PhoneBind": 0,
            "CountryCode": "",
        }),
    })
}

fn update_organization_member_email_bind(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (org_id, uin) = ops::managed_member(inner, ctx)?;
    let bind_id = ctx.id("BindId");
    let member = &ops::org(inner, org_id).members[&uin];
    if member.email.as_ref().is_none_or(|b| b.id != bind_id) {
        return Err(ctx.err_with(EMAIL_BIND_NOT_EXIST, format!("({bind_id})")));
    }
    let email = ctx.str("Email").unwrap_or_default();
    check_email(ctx, email)?;
    if inner.email_taken(email, uin) {
        return Err(ctx.err(EMAIL_USED));
    }
    let now = ctx.now;
    let country_code = ctx.str("CountryCode").unwrap_or_default().to_owned();
    let phone = ctx.str("Phone").unwrap_or_default().to_owned();
    let m = ops::org_mut(inner, org_id)
        .members
        .get_mut(&uin)
        .expect("checked above");
    let b = m.email.as_mut().expect("checked above");
    b.email = email.to_owned();
    b.country_code = country_code;
    b.phone = phone;
    b.apply_time = now;
    b.bind_time = now;
    b.resends.clear();
    m.update_time = now;
    Ok(json!({}))
}

/// Sends a member's activation email again: the binding's `ApplyTime` becomes now. At most
/// [`MAX_RESENDS_PER_HOUR`] in any hour and [`MAX_RESENDS`] per binding.
fn send_org_member_account_bind_email(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (org_id, uin) = ops::managed_member(inner, ctx)?;
    let bind_id = ctx.id("BindId");
    let member = &ops::org(inner, org_id).members[&uin];
    let Some(bind) = member.email.as_ref().filter(|b| b.id == bind_id) else {
        return Err(ctx.err_with(EMAIL_BIND_NOT_EXIST, format!("({bind_id})")));
    };
    if bind.resends.len() >= MAX_RESENDS {
        return Err(ctx.err_with(RESEND_LIMIT, format!("(at most {MAX_RESENDS})")));
    }
    let last_hour = bind.resends.iter().filter(|t| ctx.now - **t < 3600).count();
    if last_hour >= MAX_RESENDS_PER_HOUR {
        return Err(ctx.err_with(
            RESEND_HOURLY_LIMIT,
            format!("(at most {MAX_RESENDS_PER_HOUR} an hour)"),
        ));
    }
    let now = ctx.now;
    let m = ops::org_mut(inner, org_id)
        .members
        .get_mut(&uin)
        .expect("checked above");
    let b = m.email.as_mut().expect("checked above");
    b.resends.push(now);
    b.apply_time = now;
    Ok(json!({}))
}
