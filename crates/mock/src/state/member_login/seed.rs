//! What a world document's login identities must keep: each custom identity belongs to an
//! organization that exists, and every identity a member holds is the preset one or a custom
//! identity of the member's organization; the counter moves past the IDs used.

use super::model::presets;
use crate::state::data::Inner;

/// A refusal: the key's path and what is wrong.
pub(crate) type Refusal = (String, String);

/// Fills IDs left out (the key) and checks identities and the members holding them.
pub(crate) fn complete(inner: &mut Inner) -> Result<(), Refusal> {
    let area = &mut inner.member_login;
    for (&id, identity) in &mut area.identities {
        let place = |field: &str| format!("member_login.identities.{id}.{field}");
        if identity.id == 0 {
            identity.id = id;
        }
        if identity.id != id {
            let message = format!("is {}, but the entry is filed under {id}", identity.id);
            return Err((place("id"), message));
        }
        if !inner.orgs.contains_key(&identity.org_id) {
            let message = format!("organization {} does not exist", identity.org_id);
            return Err((place("org_id"), message));
        }
    }
    if let Some(max) = area.identities.keys().max() {
        area.next_identity = area.next_identity.max(max + 1);
    }
    check_holders(inner)?;
    check_grants(inner)
}

/// A grant's times are recorded for an identity the member holds.
fn check_grants(inner: &Inner) -> Result<(), Refusal> {
    for (&uin, grants) in &inner.member_login.grants {
        let member = inner.orgs.values().find_map(|o| o.members.get(&uin));
        let Some(member) = member else {
            let message = format!("account {uin} is not a member of any organization");
            return Err((format!("member_login.grants.{uin}"), message));
        };
        if let Some(id) = grants.keys().find(|id| !member.identity_ids.contains(id)) {
            let message = format!("the member does not hold identity {id} (see its identity_ids)");
            return Err((format!("member_login.grants.{uin}.{id}"), message));
        }
    }
    Ok(())
}

fn check_holders(inner: &Inner) -> Result<(), Refusal> {
    let preset = |id: u64| presets().identities.iter().any(|p| p.identity_id == id);
    for (&org_id, org) in &inner.orgs {
        for (&uin, member) in &org.members {
            for (i, &id) in member.identity_ids.iter().enumerate() {
                let custom = inner.member_login.identities.get(&id);
                if !preset(id) && custom.is_none_or(|c| c.org_id != org_id) {
                    return Err((
                        format!("orgs.{org_id}.members.{uin}.identity_ids[{i}]"),
                        format!("identity {id} is neither preset nor one of organization {org_id}"),
                    ));
                }
            }
        }
    }
    Ok(())
}
