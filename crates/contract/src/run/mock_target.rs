//! The in-process mock as a target: started for the run, kept alive while it lasts.

use std::sync::Arc;

use tco_clock::Clock;

use crate::options::{Options, RunError};
use crate::wire::Endpoint;

/// The uin of the second account the in-process mock gets, for the invitation flow.
#[cfg(feature = "mock")]
pub const MOCK_INVITEE_UIN: u64 = 100_000_000_777;

/// A uin the in-process mock knows no account for: to it, one of the manager's sub-accounts.
#[cfg(feature = "mock")]
pub const MOCK_SUB_ACCOUNT_UIN: u64 = 100_000_000_778;

/// Starts an in-process mock, keeps it in `mocks` for as long as the run lasts, and returns
/// an endpoint on it (with the run's timeout and clock) and the mock invitee's UIN.
#[cfg(feature = "mock")]
pub(super) async fn mock_endpoint(
    options: &Options,
    mocks: &mut Vec<tco_mock::MockServer>,
) -> Result<(Endpoint, u64), RunError> {
    let (mock, invitee) = start_mock(options.clock.clone()).await;
    let endpoint = Endpoint::new(
        &mock.uri(),
        mock.default_credentials(),
        options.timeout,
        options.clock.clone(),
    )?;
    mocks.push(mock);
    Ok((endpoint, invitee))
}

#[cfg(feature = "mock")]
async fn start_mock(clock: Arc<dyn Clock>) -> (tco_mock::MockServer, u64) {
    let invitee = tco_mock::Account::new(
        MOCK_INVITEE_UIN,
        "AKIDtcoContractInvitee000000000000000",
        "tco-contract-invitee-key",
    )
    .with_name("tco-contract-invitee");
    let mock = tco_mock::MockServer::builder()
        .account(invitee)
        .clock(clock)
        .start()
        .await;
    (mock, MOCK_INVITEE_UIN)
}
