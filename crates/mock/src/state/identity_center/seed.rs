//! What a world document's Identity Center zones must keep: each is filed under its own ID and
//! belongs to an organization that exists, opened by its manager. The zones' contents are read
//! in the snapshot's full form (export a world built through the API to write one).

use crate::state::data::Inner;

/// A refusal: the key's path and what is wrong.
pub(crate) type Refusal = (String, String);

pub(crate) fn check(inner: &Inner) -> Result<(), Refusal> {
    for (key, zone) in &inner.identity_center.zones {
        let place = |field: &str| format!("identity_center.zones.{key}.{field}");
        if zone.id != *key {
            let message = format!("is {:?}, but the entry is filed under {key:?}", zone.id);
            return Err((place("id"), message));
        }
        let Some(org) = inner.orgs.get(&zone.org_id) else {
            let message = format!("organization {} does not exist", zone.org_id);
            return Err((place("org_id"), message));
        };
        if org.host_uin != zone.owner_uin {
            let message = format!(
                "account {} does not manage organization {}",
                zone.owner_uin, org.id
            );
            return Err((place("owner_uin"), message));
        }
    }
    Ok(())
}
