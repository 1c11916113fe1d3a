//! Unified member login: login identities of the organization, granted to members, and member sub-accounts bound to them.
//!
//! Not yet stateful: the HTTP side builds these actions' answers from the contract.

use super::Area;

/// What this area keeps.
#[derive(Debug, Default)]
pub(crate) struct MemberLogin {}

pub(crate) static AREA: Area = Area {
    name: "Unified member login",
    handlers: &[],
    decisions: Vec::<String>::new,
};
