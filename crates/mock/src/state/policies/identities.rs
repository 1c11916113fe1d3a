//! The login identities that member access policies name. They belong to the unified member
//! login area; this is the one place this area reads them. An identity is granted to a member
//! when the organization lists it among the member's identities (`CreateOrganizationMember`'s
//! `IdentityRoleID`, or `CreateOrganizationMemberAuthIdentity`), as `DescribeOrganizationMembers`
//! shows in `OrgIdentity`.

use crate::state::data::Inner;
use crate::state::member_login::model::identity_of;

/// What member access policies show of an identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub id: u64,
    pub role_name: String,
    pub alias: String,
}

/// Identity `id` of organization `org_id`, by name (empty names for one that no longer
/// exists, which unified member login does not let happen while a policy names it).
pub(crate) fn identity(inner: &Inner, org_id: u64, id: u64) -> Identity {
    let found = identity_of(inner, org_id, id);
    Identity {
        id,
        role_name: found
            .as_ref()
            .map(|i| i.role_name.clone())
            .unwrap_or_default(),
        alias: found.map(|i| i.name).unwrap_or_default(),
    }
}

/// Whether identity `id` is granted to member `uin` of organization `org_id`.
pub(crate) fn granted(inner: &Inner, org_id: u64, uin: u64, id: u64) -> bool {
    inner
        .orgs
        .get(&org_id)
        .and_then(|o| o.members.get(&uin))
        .is_some_and(|m| m.identity_ids.contains(&id))
}
