//! tco-mock: a local stand-in for the Tencent Cloud Organization API, for tests and CI that
//! should not need a cloud account.
//!
//! It behaves like the service on everything the contract says: it verifies TC3 and v1
//! signatures with the same crate that signs ([`tco_sign`]), rate-limits per action, access region
//! and (sub-)account with the documented limits (and, when configured, per main account, per
//! main account and region, and per source IP: [`limits`]), validates parameters against the request shapes of
//! [`tco_spec`], keeps organizations, units and members in one world for both API versions,
//! and answers every request, however malformed, with the documented envelope.
//!
//! # In a test, in one line
//!
//! Start it, point the reference client (the `tco-client` crate, or any other
//! client of the API) at it with the mock's own account, and call:
//!
//! ```
//! use tco_mock::MockServer;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), tco_client::Error> {
//! let mock = MockServer::start().await;
//! let client = tco_client::Client::builder()
//!     .endpoint(mock.uri())
//!     .credentials(mock.default_credentials())
//!     .build()?;
//!
//! let api = client.v2021_03_31();
//! let created = api.create_organization(Default::default()).await?;
//! let org = api.describe_organization(Default::default()).await?;
//! assert_eq!(org.org_id, created.org_id as i64);
//!
//! // What the mock saw, without secrets.
//! let seen: Vec<String> = mock.journal().into_iter().map(|e| e.action).collect();
//! assert_eq!(seen, ["CreateOrganization", "DescribeOrganization"]);
//! # Ok(())
//! # }
//! ```
//!
//! The builder sets what a test needs to control: extra accounts, limits and the limiter's
//! algorithm, a [`ManualClock`] so that signature expiry, rate windows and task timers are
//! exact rather than slept for (the same type the client signs with: one clone each and they
//! share one time), fault rules, the journal size:
//!
//! ```no_run
//! # async fn example() {
//! use std::time::Duration;
//! use tco_mock::{Account, FaultRule, ManualClock, MockServer};
//!
//! let clock = ManualClock::at_secs(1_700_000_000);
//! let mock = MockServer::builder()
//!     .account(Account::new(100_000_000_002, "AKIDsecond", "second-key"))
//!     .rate_limit("DescribeOrganization", 5)
//!     .clock(clock.clone())
//!     .fault(FaultRule::new("CreateOrganization").probability(0.1).error("InternalError"))
//!     .start()
//!     .await;
//! clock.advance(Duration::from_secs(1)); // the next rate window
//! # }
//! ```
//!
//! # Overrides, expectations and the journal
//!
//! A test can steer single actions ([`Override`]: a body, an error, a delay, for the next N
//! calls or always, optionally for a parameter subset), expect a number of calls (checked
//! when the server or an [`OverrideGuard`] is dropped, or at [`MockServer::verify`]), and read
//! what an action received ([`MockServer::received`]). Overrides apply after the gate: a call
//! must still be signed, within its limit, and have valid parameters. See [`overrides`].
//!
//! # Every official client
//!
//! Signatures are verified against the `Host` header the client sent, whatever it is
//! (`127.0.0.1:PORT`, `localhost:PORT`, `organization.localhost:PORT`, `organization.<domain>`).
//! The Node.js SDK (`tencentcloud-sdk-nodejs-intl-en`) signs TC3 with the scope's service
//! taken from its endpoint's first dot-separated label (`127` for `127.0.0.1:PORT`) and with
//! the signed `host` lacking the port it sends. When a TC3 signature fails the strict check,
//! the mock recomputes it under those alternative canonical forms and accepts the request only
//! if one matches with the account's secret key (a wrong key is still
//! `AuthFailure.SignatureFailure`). [`MockServerBuilder::strict_signatures`] (config key
//! `strict_signatures`, CLI flag `--strict-signatures`) turns that off, as the service behaves.
//!
//! # Standalone
//!
//! [`serve`] runs the same mock on a listener until a shutdown future resolves; the
//! `tco-harness mock` command is built on it, with a TOML [`Config`]. Out-of-process
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
//! refuses it decides the answer: HTTP (`request.rs`), signature (`signatures.rs`), rate limit
//! ([`limiter`], keyed as [`limits`] says), action and version, parameters (`params.rs`), then
//! the test's overrides ([`overrides`]), fault rules ([`faults`]), and the stateful world
//! ([`state`]) or, for actions it does not model, an answer built from the contract. Every
//! answer, however malformed the request, is the documented envelope (`envelope.rs`), and
//! every call is journaled ([`JournalEntry`]). The gate's steps are private: a user sees the
//! answers, the journal and the knobs below.
//!
//! # What a user imports
//!
//! The root re-exports what a test or a tool needs, so `use tco_mock::{MockServer, Account,
//! FaultRule}` is enough: the server and its builder ([`MockServer`], [`MockServerBuilder`],
//! [`serve`], [`serve_with`], [`WorldOptions`]), the configuration ([`Config`], [`Account`],
//! [`FaultRule`], [`Algorithm`], [`KeyMode`], [`TaskPolicy`]), the steering of single
//! actions ([`Override`], [`OverrideGuard`], [`Times`]), the journal ([`JournalEntry`]), the
//! world document ([`WorldDoc`], [`Format`]) and the clock ([`ManualClock`]). The public
//! modules hold the rest of each area: [`config`] (the TOML file, the default account),
//! [`limiter`] and [`limits`] (the algorithms, the key, the layers), [`faults`],
//! [`overrides`], [`state`] (the world, its document, the task policy), [`fixtures`] (a world
//! where every example request succeeds), [`admin`] and [`connections`].

pub mod admin;
mod app;
pub mod config;
pub mod connections;
mod envelope;
pub mod faults;
pub mod fixtures;
mod gate;
mod journal;
pub mod limiter;
pub mod limits;
pub mod overrides;
mod params;
mod persist;
mod request;
mod server;
mod signatures;
pub mod state;

pub use app::SERVICE;
pub use config::{Account, Config, ConfigError, DEFAULT_UIN};
pub use faults::FaultRule;
pub use journal::{JournalEntry, MAX_JOURNAL_PARAMS_BYTES, STATUS_DROPPED};
pub use limiter::Algorithm;
pub use limits::KeyMode;
pub use overrides::{Override, OverrideGuard, Times};
pub use persist::{serve_with, WorldOptions, DEFAULT_STATE_INTERVAL};
pub use server::{serve, MockServer, MockServerBuilder};
pub use state::{Completion, DocError, Format, TaskPolicy, WorldDoc};
/// The workspace's one clock (see [`tco_clock`]), the same types `tco_client` re-exports.
pub use tco_clock::{Clock, ManualClock, SystemClock};
