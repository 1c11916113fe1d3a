//! Against the in-process mock only: a world in which every action's example request can
//! succeed, made by [`tco_mock::fixtures`] (shared with the client's end-to-end tests). The
//! examples name IDs that do not exist, so their positive probes end in a documented business
//! error; here a fresh mock gets the fixtures, the example's IDs are replaced by theirs, and
//! the call is made by whoever may make it (the invitee accepts or denies, the member quits),
//! so its success can be judged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tco_clock::Clock;
use tco_mock::fixtures::{self, Caller, Fixtures};
use tco_mock::MockServer;
use tco_spec::Action;

use crate::wire::Endpoint;

/// A fresh mock with the fixture accounts, and the world one action's example needs.
pub(crate) struct Fixture {
    /// Held for as long as the fixture is used.
    _mock: MockServer,
    host: Endpoint,
    joined: Endpoint,
    pending: Endpoint,
    fixtures: Fixtures,
}

impl Fixture {
    /// A fresh mock and the world `action`'s example needs (see [`fixtures::populate`]).
    pub(crate) async fn start(
        action: &Action,
        timeout: Duration,
        clock: Arc<dyn Clock>,
        requests: &AtomicU64,
    ) -> Result<Self, String> {
        let mock = fixtures::builder().clock(clock.clone()).start().await;
        let endpoint = |caller: Caller| {
            Endpoint::new(
                &mock.uri(),
                caller.credentials(&mock),
                timeout,
                clock.clone(),
            )
            .map_err(|e| e.to_string())
        };
        let host = endpoint(Caller::Host)?;
        let joined = endpoint(Caller::Joined)?;
        let pending = endpoint(Caller::Pending)?;
        let fixtures = fixtures::populate(&mock, &action.name, clock.now_secs())?;
        requests.fetch_add(fixtures.calls(), Ordering::Relaxed);
        Ok(Fixture {
            _mock: mock,
            host,
            joined,
            pending,
            fixtures,
        })
    }

    /// The action's example request with the IDs it names replaced by ones that exist, and
    /// the endpoint of the account that makes the call.
    pub(crate) fn prepare(&self, action: &Action) -> (Value, &Endpoint) {
        self.prepare_request(action, action.example_request())
    }

    /// `request` (a request for `action`) with the IDs it names replaced by the fixtures', and
    /// the endpoint of the account that makes the call.
    pub(crate) fn prepare_request(&self, action: &Action, request: Value) -> (Value, &Endpoint) {
        let (params, caller) = self.fixtures.request_for(&action.name, request);
        let endpoint = match caller {
            Caller::Host => &self.host,
            Caller::Joined => &self.joined,
            Caller::Pending => &self.pending,
        };
        (params, endpoint)
    }
}
