//! The data of the world: everything behind the world's one lock.
//!
//! The organization area (organizations, units, members, invitations) is the core every other
//! area hangs on, so its maps sit here directly; each other area of the API keeps its own state
//! type in its own module and adds one field here. Handlers check everything before they
//! change anything: an action that fails changes nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::org::model::{
    Invitation, Org, FIRST_BIND_ID, FIRST_CREATED_UIN, FIRST_INVITATION_ID, FIRST_NODE_ID,
    FIRST_ORG_ID,
};

/// Serialized, this is the world document (see [`super::snapshot`]): every field may be left
/// out of a seed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Inner {
    pub accounts: BTreeMap<u64, Account>,
    pub orgs: BTreeMap<u64, Org>,
    pub invitations: BTreeMap<u64, Invitation>,
    pub next_org: u64,
    pub next_node: u64,
    pub next_invitation: u64,
    pub next_uin: u64,
    pub next_bind: u64,
    pub policies: super::policies::Policies,
    pub member_login: super::member_login::MemberLogin,
    pub services: super::services::DelegatedServices,
    pub sharing: super::sharing::Sharing,
    pub identity_center: super::identity_center::IdentityCenter,
    pub tasks: super::tasks::Tasks,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Account {
    pub name: String,
    /// A configured caller of the mock (kept across resets), as opposed to an account created
    /// by CreateOrganizationMember or seen for the first time as a caller.
    #[serde(default)]
    pub registered: bool,
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            accounts: BTreeMap::new(),
            orgs: BTreeMap::new(),
            invitations: BTreeMap::new(),
            next_org: FIRST_ORG_ID,
            next_node: FIRST_NODE_ID,
            next_invitation: FIRST_INVITATION_ID,
            next_uin: FIRST_CREATED_UIN,
            next_bind: FIRST_BIND_ID,
            policies: Default::default(),
            member_login: Default::default(),
            services: Default::default(),
            sharing: Default::default(),
            identity_center: Default::default(),
            tasks: Default::default(),
        }
    }
}

impl Inner {
    /// Makes sure the caller is an account (a caller that passed authentication exists).
    pub fn ensure_account(&mut self, uin: u64) {
        self.accounts.entry(uin).or_insert_with(|| Account {
            name: uin.to_string(),
            registered: false,
        });
    }

    pub fn account_name(&self, uin: u64) -> String {
        self.accounts
            .get(&uin)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| uin.to_string())
    }

    /// A fresh 12-digit UIN that no account has.
    pub fn alloc_uin(&mut self) -> u64 {
        while self.accounts.contains_key(&self.next_uin) {
            self.next_uin += 1;
        }
        let uin = self.next_uin;
        self.next_uin += 1;
        uin
    }
}
