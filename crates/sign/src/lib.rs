//! Tencent Cloud API request signing, with no I/O: the client's half (sign) and the server's
//! half (verify), for TC3-HMAC-SHA256 and the older HmacSHA1 / HmacSHA256.
//!
//! The layers, from the bottom:
//! - [`tc3`] and [`v1`]: each step of each algorithm as a pure function, so every intermediate
//!   string (canonical request, string to sign) can be checked against published examples;
//! - [`params`]: how parameters become a query string, a form or a JSON body, the way the
//!   official SDK writes them;
//! - [`build`]: one call turned into the exact request the official SDK would send;
//! - [`Verifier`]: the mirror, checking a request as the service does, with the clock injected.
//!
//! ```
//! use tco_sign::{build, Credentials, HttpMethod, KeyCache, RequestSpec, SignMethod};
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "secret-key");
//! let params = serde_json::json!({"OrgType": 1});
//! let spec = RequestSpec::new(
//!     "organization.intl.tencentcloudapi.com",
//!     "organization",
//!     "CreateOrganization",
//!     "2018-12-25",
//!     &params,
//!     1_551_113_065,
//! );
//! let request = build(&spec, &creds, &KeyCache::default());
//! assert!(request.header("Authorization").unwrap().starts_with("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/organization/tc3_request"));
//! ```

mod credentials;
mod headers;
mod key_cache;
pub mod params;
mod request;
pub mod tc3;
mod text;
mod time_fmt;
pub mod v1;
mod verify;

pub use credentials::Credentials;
pub use headers::{Headers, SENSITIVE};
pub use key_cache::KeyCache;
pub use request::{
    build, HttpMethod, RequestSpec, SignMethod, SignedRequest, DEFAULT_REQUEST_CLIENT,
    FORM_CONTENT_TYPE, JSON_CONTENT_TYPE,
};
pub use time_fmt::utc_date;
pub use verify::{AuthError, CredentialStore, Incoming, Verified, Verifier, MAX_CLOCK_SKEW};
