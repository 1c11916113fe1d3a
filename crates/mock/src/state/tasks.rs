//! Asynchronous work, shared by every action the documentation calls asynchronous (role
//! configuration provisioning and dismantling, role assignments, user-sync provisioning):
//! a task with an ID that starts `InProgress`, whose effect becomes visible when it completes,
//! at a moment a policy decides (at once, after N polls, after a duration on the mock's
//! clock, or failing with a reason).
//!
//! Not yet implemented.

/// Every task of the world.
#[derive(Debug, Default)]
pub(crate) struct Tasks {}
