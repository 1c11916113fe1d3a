//! tco-mock: a local stand-in for the Tencent Cloud Organization API, for tests and CI that
//! should not need a cloud account.
//!
//! It behaves like the service on everything the contract says: it verifies TC3 and v1
//! signatures with the same crate that signs ([`tco_sign`]), rate-limits per account, action and
//! region with the documented limits, validates parameters against the request shapes of
//! [`tco_spec`], keeps organizations, units and members in one world for both API versions,
//! and answers every request, however malformed, with the documented envelope.
//!
//! # In a test, in one line
//!
//! ```
//! use tco_mock::MockServer;
//! use tco_sign::{build, HttpMethod, KeyCache, RequestSpec, SignMethod};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let mock = MockServer::start().await;
//!
//! // Sign as the mock's default account, for the mock's address.
//! let host = mock.host();
//! let params = serde_json::json!({});
//! let now = std::time::SystemTime::now()
//!     .duration_since(std::time::UNIX_EPOCH)
//!     .unwrap()
//!     .as_secs() as i64;
//! let signed = build(
//!     &RequestSpec {
//!         sign_method: SignMethod::Tc3HmacSha256,
//!         http_method: HttpMethod::Post,
//!         host: &host,
//!         service: "organization",
//!         action: "CreateOrganization",
//!         version: "2021-03-31",
//!         region: None,
//!         language: None,
//!         timestamp: now,
//!         nonce: 1,
//!         unsigned_payload: false,
//!         request_client: "doc-example",
//!         params: &params,
//!     },
//!     &mock.default_credentials(),
//!     &KeyCache::default(),
//! );
//!
//! // Send it with any HTTP client.
//! let mut request = reqwest::Client::new().post(mock.uri()).body(signed.body.clone());
//! for (name, value) in &signed.headers {
//!     request = request.header(name.as_str(), value.as_str());
//! }
//! let answer: serde_json::Value = request.send().await.unwrap().json().await.unwrap();
//! assert!(answer["Response"]["OrgId"].is_u64());
//!
//! // What the mock saw, without secrets.
//! assert_eq!(mock.journal()[0].action, "CreateOrganization");
//! # }
//! ```
//!
//! The builder sets what a test needs to control: extra accounts, limits and the limiter's
//! algorithm, a [`clock::ManualClock`] so that signature expiry and rate windows are exact
//! rather than slept for, fault rules, the journal size:
//!
//! ```no_run
//! # async fn example() {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use tco_mock::{clock::ManualClock, config::Account, faults::FaultRule, MockServer};
//!
//! let clock = ManualClock::at_secs(1_700_000_000);
//! let mock = MockServer::builder()
//!     .account(Account::new(100_000_000_002, "AKIDsecond", "second-key"))
//!     .rate_limit("DescribeOrganization", 5)
//!     .clock(Arc::new(clock.clone()))
//!     .fault(FaultRule::new("CreateOrganization").probability(0.1).error("InternalError"))
//!     .start()
//!     .await;
//! clock.advance(Duration::from_secs(1)); // the next rate window
//! # }
//! ```
//!
//! # Standalone
//!
//! [`serve`] runs the same mock on a listener until a shutdown future resolves; the
//! `tco-harness mock` command is built on it, with a TOML [`config::Config`]. Out-of-process
//! users control it through the admin surface under `/_mock/` ([`admin`]).
//!
//! # Seed, keep, restore
//!
//! A world is one versioned document, TOML or JSON ([`WorldDoc`], format in
//! [`state::snapshot`]; `examples/world.toml` is a seed). The builder starts with one
//! (`.seed_file(path)`, `.seed(doc)`; a reset returns to it), keeps the world in a file across
//! restarts (`.state_file(path)`), and [`MockServer::export_state`] /
//! [`MockServer::import_state`] (admin: `GET`/`PUT /_mock/state`) take and replace it at run
//! time. [`serve_with`] is [`serve`] with a seed and a state file.
//!
//! # The gate
//!
//! Every API request goes through the same steps, in the service's order, and the first that
//! refuses it decides the answer: HTTP ([`request`]), signature, rate limit ([`limiter`]),
//! action and version, parameters ([`params`]), then the stateful world ([`state`]) or, for
//! actions it does not model, an answer built from the contract.

pub mod admin;
mod app;
pub mod clock;
pub mod config;
pub mod connections;
pub mod envelope;
pub mod faults;
pub mod fixtures;
mod gate;
pub mod journal;
pub mod limiter;
pub mod params;
mod persist;
pub mod request;
mod server;
pub mod state;

pub use app::SERVICE;
pub use persist::{serve_with, WorldOptions, DEFAULT_STATE_INTERVAL};
pub use server::{serve, MockServer, MockServerBuilder};
pub use state::{DocError, Format, WorldDoc};
