//! Load: the goose scenarios against the in-process mock, the `load` subcommands, shards and
//! their merge, one test binary with a module each.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod layers;
mod mock;
mod scenario_cli;
mod shards;
