//! How many calls an expectation allows: a count or a range, and how it reads in a message.

use std::fmt;
use std::ops::{Range, RangeFrom, RangeInclusive, RangeTo, RangeToInclusive};

/// How many calls an expectation allows, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    pub(super) min: u64,
    pub(super) max: Option<u64>,
}

impl Times {
    pub fn between(min: u64, max: u64) -> Self {
        Self {
            min,
            max: Some(max),
        }
    }

    pub fn at_least(min: u64) -> Self {
        Self { min, max: None }
    }

    pub fn contains(&self, n: u64) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }
}

impl From<u64> for Times {
    fn from(n: u64) -> Self {
        Self::between(n, n)
    }
}

impl From<Range<u64>> for Times {
    fn from(r: Range<u64>) -> Self {
        // An empty range allows nothing; `min > max` says so.
        Self::between(r.start, r.end.saturating_sub(1)).empty_if(r.start >= r.end)
    }
}

impl From<RangeInclusive<u64>> for Times {
    fn from(r: RangeInclusive<u64>) -> Self {
        Self::between(*r.start(), *r.end())
    }
}

impl From<RangeFrom<u64>> for Times {
    fn from(r: RangeFrom<u64>) -> Self {
        Self::at_least(r.start)
    }
}

impl From<RangeTo<u64>> for Times {
    fn from(r: RangeTo<u64>) -> Self {
        Self::between(0, r.end.saturating_sub(1)).empty_if(r.end == 0)
    }
}

impl From<RangeToInclusive<u64>> for Times {
    fn from(r: RangeToInclusive<u64>) -> Self {
        Self::between(0, r.end)
    }
}

impl Times {
    /// An expectation no count meets (from an empty range).
    fn empty_if(self, empty: bool) -> Self {
        if empty {
            Self {
                min: 1,
                max: Some(0),
            }
        } else {
            self
        }
    }
}

pub(super) fn calls(n: u64) -> String {
    if n == 1 {
        "1 time".to_string()
    } else {
        format!("{n} times")
    }
}

impl fmt::Display for Times {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "exactly {}", calls(max)),
            Some(max) if self.min == 0 => write!(f, "at most {}", calls(max)),
            Some(max) => write!(f, "between {} and {}", self.min, calls(max)),
            None => write!(f, "at least {}", calls(self.min)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_counts_and_ranges() {
        assert_eq!(Times::from(2).to_string(), "exactly 2 times");
        assert_eq!(Times::from(1).to_string(), "exactly 1 time");
        assert_eq!(Times::from(1..=3).to_string(), "between 1 and 3 times");
        assert_eq!(Times::from(1..4).to_string(), "between 1 and 3 times");
        assert_eq!(Times::from(2..).to_string(), "at least 2 times");
        assert_eq!(Times::from(..=1).to_string(), "at most 1 time");
        assert!(Times::from(1..=3).contains(3) && !Times::from(1..=3).contains(4));
        assert!(!Times::from(1..=3).contains(0));
        assert!(Times::from(2..).contains(100));
        assert!(Times::from(..2).contains(0) && !Times::from(..2).contains(2));
        assert!(!(0..=10).any(|n| Times::from(3..3).contains(n)));
        assert!(!(0..=10).any(|n| Times::from(..0).contains(n)));
    }
}
