//! What ties a typed request to its action and its response.

use serde::de::DeserializeOwned;
use serde::Serialize;
use tco_spec::Version;

/// A request model: it knows its action, its version and the response it gets. Implemented by
/// every generated `*Request` struct; [`crate::Client::execute`] takes any of them, which is
/// handy for code generic over actions.
pub trait Operation: Serialize + Send + Sync {
    type Output: DeserializeOwned + Serialize + Send;
    /// The wire name, e.g. `"CreateOrganization"`.
    const ACTION: &'static str;
    const VERSION: Version;
}
