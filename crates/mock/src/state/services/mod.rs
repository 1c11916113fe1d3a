//! Organization services: the catalogue of services that support delegated administration, and the members assigned to administer them.
//!
//! Not yet stateful: the HTTP side builds these actions' answers from the contract.

use super::Area;

/// What this area keeps.
#[derive(Debug, Default)]
pub(crate) struct DelegatedServices {}

pub(crate) static AREA: Area = Area {
    name: "Delegated administration",
    handlers: &[],
    decisions: Vec::<String>::new,
};
