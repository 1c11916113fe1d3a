//! What a world document's delegated services must keep: each delegate is a member of the
//! organization the assignment names.

use crate::state::data::Inner;

/// A refusal: the key's path and what is wrong.
pub(crate) type Refusal = (String, String);

pub(crate) fn check(inner: &Inner) -> Result<(), Refusal> {
    for (service, delegates) in &inner.services.assignments {
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
