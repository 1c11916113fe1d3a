//! Helpers the workspace's tests share, so each is written once:
//! - [`Verified`]: the wiremock matcher that accepts only what tco-sign's verifier accepts;
//! - [`cli`]: the `tco-harness` binary run as a user runs it, and `tco-harness mock` as a
//!   process;
//! - [`Scratch`]: a temporary directory for one test's files;
//! - [`Bodies`]: proptest strategies for JSON bodies that fit the contract's shapes, and
//!   [`sites`]: where the members of such a body sit, to mutate one.
//!
//! A dev-dependency only (`publish = false`): nothing outside the tests links it.

mod bodies;
pub mod cli;
mod scratch;
pub mod sites;
mod verified;

pub use bodies::Bodies;
pub use scratch::Scratch;
pub use verified::Verified;
