//! Helpers the workspace's tests share, so each is written once: for now the wiremock matcher
//! that accepts only what tco-sign's verifier accepts ([`Verified`]).
//!
//! A dev-dependency only (`publish = false`): nothing outside the tests links it.

mod verified;

pub use verified::Verified;
