//! The limiting algorithms by name: what the config file, the admin surface and the CLI say.

use std::fmt;
use std::str::FromStr;

/// How a per-second limit N is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// The first N requests of each calendar second (`floor(now_ms / 1000)`) pass: Tencent's.
    #[default]
    FixedWindow,
    /// At most N requests in any 1,000 ms.
    SlidingWindow,
    /// GCRA: a burst of up to `burst` at once, refilled at N per second.
    TokenBucket { burst: u32 },
    /// Everything passes (for throughput benchmarks).
    Unlimited,
}

impl Algorithm {
    /// The name used in the config file and the admin surface.
    pub fn name(&self) -> &'static str {
        match self {
            Algorithm::FixedWindow => "fixed-window",
            Algorithm::SlidingWindow => "sliding-window",
            Algorithm::TokenBucket { .. } => "token-bucket",
            Algorithm::Unlimited => "unlimited",
        }
    }

    /// The algorithm of that name; `burst` is used by the token bucket only and defaults to
    /// the limit itself, as `governor`'s `per_second(n)` does (0 here means "the limit").
    pub fn from_name(name: &str, burst: Option<u32>) -> Result<Self, UnknownAlgorithm> {
        match name {
            "fixed-window" => Ok(Algorithm::FixedWindow),
            "sliding-window" => Ok(Algorithm::SlidingWindow),
            "token-bucket" => Ok(Algorithm::TokenBucket {
                burst: burst.unwrap_or(0),
            }),
            "unlimited" => Ok(Algorithm::Unlimited),
            other => Err(UnknownAlgorithm(other.to_string())),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Algorithm::TokenBucket { burst } if *burst > 0 => {
                write!(f, "token-bucket (burst {burst})")
            }
            other => f.write_str(other.name()),
        }
    }
}

/// A name that is not one of the algorithms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rate-limit algorithm {0:?} (known: fixed-window, sliding-window, token-bucket, unlimited)")]
pub struct UnknownAlgorithm(pub String);

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(s, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_names_round_trip() {
        for a in [
            Algorithm::FixedWindow,
            Algorithm::SlidingWindow,
            Algorithm::TokenBucket { burst: 0 },
            Algorithm::Unlimited,
        ] {
            assert_eq!(a.name().parse::<Algorithm>().unwrap(), a);
        }
        assert!("leaky".parse::<Algorithm>().is_err());
    }
}
