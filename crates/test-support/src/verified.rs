//! A wiremock matcher that verifies every request as the service would.

use std::sync::{Arc, Mutex, PoisonError};

use tco_clock::Clock;
use tco_sign::{Credentials, Incoming, Verifier};
use wiremock::{Match, Request};

/// Accepts only requests that tco-sign's verifier accepts at the clock's time, and records the
/// verdict of each (`"METHOD secret-id"` or `"Code: message"`), so a test can assert that every
/// request verified. Clones share the record.
#[derive(Clone)]
pub struct Verified {
    verifier: Arc<Verifier<Vec<Credentials>>>,
    clock: Arc<dyn Clock>,
    verdicts: Arc<Mutex<Vec<Result<String, String>>>>,
}

impl Verified {
    /// A matcher for the `organization` service that knows `credentials` and reads `clock`.
    pub fn new(credentials: Vec<Credentials>, clock: impl Clock + 'static) -> Self {
        Verified {
            verifier: Arc::new(Verifier::new(credentials, "organization")),
            clock: Arc::new(clock),
            verdicts: Arc::default(),
        }
    }

    /// The verdicts so far, in the order the requests arrived.
    pub fn verdicts(&self) -> Vec<Result<String, String>> {
        self.verdicts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Match for Verified {
    fn matches(&self, request: &Request) -> bool {
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let header_refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let incoming = Incoming {
            method: request.method.as_str(),
            path: request.url.path(),
            query: request.url.query().unwrap_or(""),
            headers: &header_refs,
            body: &request.body,
        };
        let verdict = self
            .verifier
            .verify(&incoming, self.clock.now_secs())
            .map(|v| format!("{} {}", v.method, v.secret_id))
            .map_err(|e| format!("{}: {e}", e.code()));
        let ok = verdict.is_ok();
        self.verdicts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(verdict);
        ok
    }
}
