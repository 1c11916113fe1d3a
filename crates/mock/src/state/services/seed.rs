//! What a world document's delegated services must keep: each service is one of the
//! catalogue's, each delegate is a member of the organization the assignment names, with a
//! management scope the action accepts.

use super::model::{catalogue, SCOPE_ALL, SCOPE_SOME};
use crate::state::data::Inner;

/// A refusal: the key's path and what is wrong.
pub(crate) type Refusal = (String, String);

pub(crate) fn check(inner: &Inner) -> Result<(), Refusal> {
    for (service, delegates) in &inner.services.assignments {
        if !catalogue().iter().any(|s| s.service_id == *service) {
            return Err((
                format!("services.assignments.{service}"),
                format!("service {service} is not in the catalogue (ListOrganizationService)"),
            ));
        }
        if let Some((uin, _)) = delegates
            .iter()
            .find(|(_, a)| a.scope != SCOPE_ALL && a.scope != SCOPE_SOME)
        {
            return Err((
                format!("services.assignments.{service}.{uin}.scope"),
                format!(
                    "is 1 (all members) or 2 (some), not {}",
                    delegates[uin].scope
                ),
            ));
        }
        for (uin, assignment) in delegates {
            let in_org = inner
                .orgs
                .get(&assignment.org_id)
                .is_some_and(|org| org.members.contains_key(uin));
            if !in_org {
                return Err((
                    format!("services.assignments.{service}.{uin}"),
                    format!(
                        "account {uin} is not a member of organization {}",
                        assignment.org_id
                    ),
                ));
            }
        }
    }
    Ok(())
}
