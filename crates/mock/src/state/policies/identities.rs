//! The login identities that member access policies name. They belong to the unified member
//! login area; this is the one place this area reads them.
//!
//! Until that area keeps identities of its own, an identity is granted to a member when the
//! organization lists it among the member's identities (`CreateOrganizationMember`'s
//! `IdentityRoleID`, identity 1 by default, as `DescribeOrganizationMembers` shows in
//! `OrgIdentity`), and identity 1 is the preset administrator identity of the contract's
//! examples, role `OrganizationAccessControlRole`.

use crate::state::data::Inner;

/// What member access policies show of an identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub id: u64,
    pub role_name: String,
    pub alias: String,
}

/// The identity `id`, by name.
pub(crate) fn identity(id: u64) -> Identity {
    let (role_name, alias) = match id {
        1 => (
            "OrganizationAccessControlRole".to_owned(),
            "Administrator".to_owned(),
        ),
        id => (
            format!("OrganizationIdentity{id}"),
            format!("Identity {id}"),
        ),
    };
    Identity {
        id,
        role_name,
        alias,
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
