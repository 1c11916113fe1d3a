//! Resource sharing: share units, their members (invited, accepting or rejecting), the organization's units added to them, and the resources shared through them.
//!
//! Not yet stateful: the HTTP side builds these actions' answers from the contract.

use super::Area;

/// What this area keeps.
#[derive(Debug, Default)]
pub(crate) struct Sharing {}

pub(crate) static AREA: Area = Area {
    name: "Resource sharing",
    handlers: &[],
    decisions: Vec::<String>::new,
};
