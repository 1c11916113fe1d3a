//! What a world document's policies must keep: each organization's policies hang on an
//! organization that exists, have documents of that type's syntax,
//! and are attached to its own units and members; the counters move past the IDs used.

use super::catalogue::Kind;
use super::document::check_syntax;
use super::model::{Policies, Target};
use crate::state::data::Inner;
use crate::state::org::model::Org;

/// A refusal: the key's path and what is wrong.
pub(crate) type Refusal = (String, String);

/// Fills IDs left out (the key) and checks the area against the organizations.
pub(crate) fn complete(inner: &mut Inner) -> Result<(), Refusal> {
    let orgs = &inner.orgs;
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
