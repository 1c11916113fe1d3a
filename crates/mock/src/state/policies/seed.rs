//! What a world document's policies must keep: each organization's policies hang on an
//! organization that exists, have documents of that type's syntax,
//! and are attached to its own units and members; the counters move past the IDs used.

use super::catalogue::Kind;
use super::document::check_syntax;
use super::model::{Policies, Target};
use crate::state::data::Inner;
use crate::state::member_login::model::{presets, MemberLogin};
use crate::state::org::model::Org;

/// A refusal: the key's path and what is wrong.
pub(crate) type Refusal = (String, String);

/// Fills IDs left out (the key) and checks the area against the organizations.
pub(crate) fn complete(inner: &mut Inner) -> Result<(), Refusal> {
    let orgs = &inner.orgs;
    let inner_login = &inner.member_login;
    let area = &mut inner.policies;
    for (&org_id, policies) in &mut area.orgs {
        let at = |rest: String| format!("policies.orgs.{org_id}{rest}");
        let Some(org) = orgs.get(&org_id) else {
            return Err((
                at(String::new()),
                format!("organization {org_id} does not exist"),
            ));
        };
        for (&id, policy) in &mut policies.policies {
            if policy.id == 0 {
                policy.id = id;
            }
            if policy.id != id {
                let message = format!("is {}, but the entry is filed under {id}", policy.id);
                return Err((at(format!(".policies.{id}.id")), message));
            }
            check_policy(policy.kind, &policy.document)
                .map_err(|(rest, message)| (at(format!(".policies.{id}{rest}")), message))?;
            for (i, attachment) in policy.attachments.iter().enumerate() {
                if !target_exists(org, attachment.target) {
                    let what = match attachment.target {
                        Target::Node(id) => format!("unit {id}"),
                        Target::Member(uin) => format!("member {uin}"),
                    };
                    let message = format!("{what} is not in organization {org_id}");
                    return Err((at(format!(".policies.{id}.attachments[{i}]")), message));
                }
            }
        }
        for (&id, member_policy) in &mut policies.member_policies {
            if member_policy.id == 0 {
                member_policy.id = id;
            }
            if member_policy.id != id {
                let message = format!("is {}, but the entry is filed under {id}", member_policy.id);
                return Err((at(format!(".member_policies.{id}.id")), message));
            }
            if !identity_usable(inner_login, org_id, member_policy.identity_id) {
                let message = format!(
                    "identity {} is neither preset nor one of organization {org_id}",
                    member_policy.identity_id
                );
                return Err((at(format!(".member_policies.{id}.identity_id")), message));
            }
            let place = |i: usize| at(format!(".member_policies.{id}.members[{i}]"));
            if let Some((i, uin)) = member_policy
                .members
                .iter()
                .enumerate()
                .find(|(_, uin)| !org.members.contains_key(uin))
            {
                return Err((
                    place(i),
                    format!("member {uin} is not in organization {org_id}"),
                ));
            }
        }
    }
    advance_counters(area);
    Ok(())
}

/// A custom policy outlives its type being disabled, so only its document is checked.
fn check_policy(kind: Kind, document: &str) -> Result<(), Refusal> {
    check_syntax(kind.info().syntax, document).map_err(|(_, detail)| {
        (
            ".document".into(),
            format!("not a {} document: {detail}", kind.name()),
        )
    })
}

/// The service's preset identity, or a custom identity of the organization.
fn identity_usable(login: &MemberLogin, org_id: u64, id: u64) -> bool {
    presets().identities.iter().any(|p| p.identity_id == id)
        || login
            .identities
            .get(&id)
            .is_some_and(|i| i.org_id == org_id)
}

fn target_exists(org: &Org, target: Target) -> bool {
    match target {
        Target::Node(id) => org.nodes.contains_key(&id),
        Target::Member(uin) => org.members.contains_key(&uin),
    }
}

fn advance_counters(area: &mut Policies) {
    let ids = area.orgs.values().flat_map(|o| o.policies.keys());
    if let Some(max) = ids.max() {
        area.next_policy = area.next_policy.max(max + 1);
    }
    let ids = area.orgs.values().flat_map(|o| o.member_policies.keys());
    if let Some(max) = ids.max() {
        area.next_member_policy = area.next_member_policy.max(max + 1);
    }
}
