//! The provider's retry rules (`../shared/reference/consumers.md`): every call sits in a retry
//! loop that retries `RequestLimitExceeded` and its sub-codes (matched by the part before the
//! first dot, so the IP layer's code too), `ResourceInUse`, `ResourceUnavailable` and network
//! errors, for up to 3 minutes on a read. The loop is the Terraform plugin SDK's
//! `resource.Retry`: the first retry after 0.5 s, each wait then doubling, capped at 10 s.

use std::time::Duration;

use crate::call::Outcome;

/// The codes retried, by the part before the first dot.
pub const RETRIED_CODES: [&str; 3] = [
    "RequestLimitExceeded",
    "ResourceInUse",
    "ResourceUnavailable",
];

/// When and how long the provider retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryRules {
    /// The wait before the first retry.
    pub first_wait: Duration,
    /// No wait is longer.
    pub max_wait: Duration,
    /// A call is given up this long after its first attempt (the read timeout).
    pub timeout: Duration,
}

impl RetryRules {
    /// The provider's for a read: 0.5 s doubling to 10 s, for 3 minutes.
    pub const PROVIDER_READ: RetryRules = RetryRules {
        first_wait: Duration::from_millis(500),
        max_wait: Duration::from_secs(10),
        timeout: Duration::from_secs(180),
    };

    /// The wait before retry number `retry` (0 for the first).
    pub fn wait(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.first_wait
            .checked_mul(factor)
            .unwrap_or(self.max_wait)
            .min(self.max_wait)
    }

    /// Whether a call that ended with `outcome` is tried again.
    pub fn retries(outcome: &Outcome) -> bool {
        match outcome {
            Outcome::Accepted => false,
            Outcome::Throttled | Outcome::Transport(_) => true,
            Outcome::OtherError(code) => {
                let head = code.split('.').next().unwrap_or("");
                RETRIED_CODES.contains(&head)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_half_a_second_to_ten() {
        let r = RetryRules::PROVIDER_READ;
        let secs: Vec<f64> = (0..8).map(|i| r.wait(i).as_secs_f64()).collect();
        assert_eq!(secs, [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]);
        assert_eq!(r.wait(u32::MAX), Duration::from_secs(10));
    }

    #[test]
    fn every_rate_limit_code_is_retried_the_ip_one_too() {
        let other = |c: &str| Outcome::OtherError(c.into());
        for code in [
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "ResourceInUse",
            "ResourceUnavailable.Busy",
        ] {
            assert!(RetryRules::retries(&other(code)), "{code}");
        }
        assert!(RetryRules::retries(&Outcome::Throttled));
        assert!(RetryRules::retries(&Outcome::Transport("connect".into())));
        for code in [
            "ResourceNotFound.OrganizationNotExist",
            "AuthFailure.SignatureFailure",
            "InternalError",
            "RequestLimitExceededX",
        ] {
            assert!(!RetryRules::retries(&other(code)), "{code}");
        }
        assert!(!RetryRules::retries(&Outcome::Accepted));
    }
}
