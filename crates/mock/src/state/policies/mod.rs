//! Organization management policies (service control, tag and other policy types), their attachments to units and members, and the member access policies (CAM roles granted to member accounts).
//!
//! Not yet stateful: the HTTP side builds these actions' answers from the contract.

use super::Area;

/// What this area keeps.
#[derive(Debug, Default)]
pub(crate) struct Policies {}

pub(crate) static AREA: Area = Area {
    name: "Policies",
    handlers: &[],
    decisions: Vec::<String>::new,
};
