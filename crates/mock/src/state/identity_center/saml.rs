//! Not yet stateful.

use serde::{Deserialize, Serialize};

use crate::state::Handler;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct Saml {}

pub(crate) static HANDLERS: &[Handler] = &[];

pub(super) fn decisions() -> Vec<String> {
    Vec::new()
}
