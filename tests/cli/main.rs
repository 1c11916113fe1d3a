//! The `tco-harness` command line, run as a user runs it: one test binary, one module per
//! subcommand or concern (each binary links goose, axum and reqwest, so few binaries build and
//! link faster than one per file).

#[path = "../common/mod.rs"]
mod common;

mod call;
mod contract;
mod endpoints;
mod messages;
mod mock;
mod mock_world;
mod run;
mod sign;
mod tls;
