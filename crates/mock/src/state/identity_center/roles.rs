//! Not yet stateful.

use crate::state::Handler;

#[derive(Debug, Default)]
pub(crate) struct RoleConfigurations {}

pub(crate) static HANDLERS: &[Handler] = &[];

pub(super) fn decisions() -> Vec<String> {
    Vec::new()
}
