//! What removals elsewhere in the world do to unified member login (called from
//! [`crate::state::cascade`]).

use crate::state::data::Inner;

/// Members `uins` have left their organization: the record of their grants goes with them
/// (the grants themselves were the member's).
pub(crate) fn members_removed(inner: &mut Inner, uins: &[u64]) {
    for uin in uins {
        inner.member_login.grants.remove(uin);
    }
}

/// Organization `org_id` is gone: its custom identities with it.
pub(crate) fn org_removed(inner: &mut Inner, org_id: u64) {
    inner
        .member_login
        .identities
        .retain(|_, i| i.org_id != org_id);
}
