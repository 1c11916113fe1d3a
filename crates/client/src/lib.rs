//! The reference client for the Tencent Cloud Organization API, both versions (2018-12-25 and
//! 2021-03-31), with the official SDKs' manners.
//!
//! - **Typed models for all 146 actions** ([`models`]), generated from the contract in
//!   `crates/spec/contract/`
//!   by `cargo xtask gen-models`: idiomatic names, serde renames to the wire names, `Option`
//!   where a member may be left out or come back absent or `null`, integers of the right
//!   signedness. One method per action: `client.v2021_03_31().describe_organization_nodes(..)`.
//! - **An escape hatch**, [`Client::call_json`], for actions or members the models do not know.
//! - **Signing** by `tco-sign`, byte for byte what the official SDKs send: TC3-HMAC-SHA256 by
//!   default, HmacSHA1 / HmacSHA256 on request, POST or GET ([`Profile`]).
//! - **Credentials** given, from the environment, from `~/.tencentcloud/credentials`, or from
//!   your own [`CredentialsProvider`] ([`credentials`]).
//! - **Retries** of throttling and network failures only, with exponential back-off, jitter,
//!   an attempt cap and a total-time cap, each retry signed afresh ([`RetryPolicy`]).
//! - **Connections** set up in one place ([`transport::configure`]), which the contract suite
//!   and the load runs use too: certificate authorities trusted besides the system's
//!   ([`RootCertificates`], e.g. a staging endpoint's private CA), proxies from the environment,
//!   never for a loopback endpoint.
//! - **Errors as values** ([`Error`]): the API's code, message and RequestId; transport,
//!   undecodable bodies and contract breaks told apart. No secret is ever in `Debug` or
//!   `Display`.
//!
//! Responses are decoded strictly enough to catch a broken contract (a required member
//! missing is [`Error::Contract`]) and loosely enough to survive additive change (members the
//! contract does not know are ignored).
//!
//! ```no_run
//! use tco_client::models::v2018_12_25::{CreateOrganizationRequest, GetOrganizationRequest};
//! use tco_client::{Client, RetryPolicy};
//!
//! # async fn example() -> Result<(), tco_client::Error> {
//! // Credentials from TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY or the profile file.
//! let client = Client::builder()
//!     .endpoint("http://127.0.0.1:9000")
//!     .retry(RetryPolicy::default().with_max_attempts(5))
//!     .build()?;
//!
//! let api = client.v2018_12_25();
//! match api.create_organization(CreateOrganizationRequest { org_type: 1 }).await {
//!     Ok(created) => println!("created, RequestId {}", created.request_id),
//!     Err(e) if e.is_throttled() => eprintln!("still throttled after retries: {e}"),
//!     Err(e) => return Err(e),
//! }
//! let org = api.get_organization(GetOrganizationRequest::default()).await?;
//! println!("{org:?}");
//! # Ok(()) }
//! ```
//!
//! For tests, [`ManualClock`] stands in for both the clock and the sleeper, so a retry test
//! neither sleeps nor depends on the time of day. It is the workspace's one clock type
//! ([`tco_clock`]): give a clone to `tco_mock`'s builder too, and signature expiry, rate
//! windows and task timers move with the client's timestamps when the test advances it.

pub mod body;
mod client;
pub mod credentials;
pub mod endpoint;
mod error;
pub mod models;
mod operation;
mod profile;
mod retry;
pub mod transport;

pub use body::DEFAULT_MAX_RESPONSE_BYTES;
pub use client::{Client, ClientBuilder, REQUEST_CLIENT};
pub use credentials::{Credentials, CredentialsFuture, CredentialsProvider};
pub use endpoint::{Endpoint, InvalidEndpoint, ENDPOINT_RULE};
pub use error::{Error, RETRYABLE_CODES};
pub use operation::Operation;
pub use profile::{is_production_host, HttpMethod, Profile, SignMethod, DEFAULT_ENDPOINT};
pub use retry::RetryPolicy;
/// The workspace's one clock (see [`tco_clock`]): give the client and the mock the same
/// [`ManualClock`] and a test moves time for both.
pub use tco_clock::{Clock, ManualClock, SleepFuture, Sleeper, SystemClock, TokioSleeper};
pub use tco_spec::Version;
pub use transport::RootCertificates;
