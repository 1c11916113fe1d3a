//! What the mock received, for tests and the admin surface: a bounded ring buffer, so a
//! long-running mock under load keeps constant memory.
//!
//! An entry holds what identifies a call, its parameters and its outcome, never anything
//! secret: no `Authorization` header, signature, secret key or token. The parameters are the
//! action's own (the parameters of this API carry no credentials; the v1 common parameters
//! `SecretId`, `Signature`, `Token` and the rest are left out), so a test can check what its
//! code sent. They may hold personal data such as e-mail addresses, as test data does: the
//! journal is only shown in-process and on the admin surface, which is closed off loopback
//! without a token. Each entry's parameters are bounded ([`MAX_JOURNAL_PARAMS_BYTES`]), so the
//! journal's memory stays bounded too.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;

/// The default number of entries kept.
pub const DEFAULT_JOURNAL_CAPACITY: usize = 1000;

/// Parameters larger than this (as JSON) are left out of an entry, which says
/// `params_truncated`.
pub const MAX_JOURNAL_PARAMS_BYTES: usize = 16 * 1024;

/// The journal status of a call whose connection a fault rule dropped.
pub const STATUS_DROPPED: &str = "ConnectionDropped";

/// One received request and how it was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    /// Arrival time on the mock's clock, ms since the Unix epoch; for a request that reached
    /// the rate limiter, the time it was counted at, which is later than its arrival only when
    /// a request that arrived after it was counted first. Windows counted from these times
    /// are exactly the limiter's.
    pub at_millis: i64,
    pub method: String,
    /// As sent (`X-TC-Action` or `Action`); empty when absent.
    pub action: String,
    pub version: String,
    pub region: String,
    /// The SecretId the request claimed (shown even when authentication failed: it is an
    /// identifier, not a secret).
    pub secret_id: String,
    /// `TC3-HMAC-SHA256`, `HmacSHA256`, `HmacSHA1`, or empty when the request was not signed
    /// in a recognisable way. The method the request claims (an `Authorization` header naming
    /// TC3; a `Signature` parameter with `SignatureMethod`, HmacSHA1 when absent), shown even
    /// when authentication failed.
    pub sign_method: String,
    /// The action's parameters as read (a v1 form rebuilt into its nested JSON shape), without
    /// any credential parameter. `None` when the body could not be read as parameters, or when
    /// they are over [`MAX_JOURNAL_PARAMS_BYTES`] (then `params_truncated` is true).
    pub params: Option<serde_json::Value>,
    pub params_truncated: bool,
    /// `OK`, the `Error.Code` answered, or [`STATUS_DROPPED`].
    pub status: String,
    pub request_id: String,
    pub latency_micros: u64,
}

/// A bounded, thread-safe journal.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: Mutex<VecDeque<JournalEntry>>,
}

impl Journal {
    /// A journal keeping the newest `capacity` entries (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(4096))),
        }
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<JournalEntry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn record(&self, entry: JournalEntry) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.lock();
        while entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Every entry held, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.lock().iter().cloned().collect()
    }

    /// The newest `limit` entries, oldest first.
    pub fn newest(&self, limit: usize) -> Vec<JournalEntry> {
        let entries = self.lock();
        let skip = entries.len().saturating_sub(limit);
        entries.iter().skip(skip).cloned().collect()
    }

    /// The entries of calls to `action` (as sent), oldest first.
    pub fn for_action(&self, action: &str) -> Vec<JournalEntry> {
        self.lock()
            .iter()
            .filter(|e| e.action == action)
            .cloned()
            .collect()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: i64) -> JournalEntry {
        JournalEntry {
            at_millis: n,
            method: "POST".into(),
            action: "DescribeOrganization".into(),
            version: "2021-03-31".into(),
            region: String::new(),
            secret_id: "AKID".into(),
            sign_method: "TC3-HMAC-SHA256".into(),
            params: None,
            params_truncated: false,
            status: "OK".into(),
            request_id: format!("r{n}"),
            latency_micros: 1,
        }
    }

    #[test]
    fn keeps_only_the_newest_entries() {
        let journal = Journal::new(3);
        (0..5).for_each(|n| journal.record(entry(n)));
        let at: Vec<i64> = journal.entries().iter().map(|e| e.at_millis).collect();
        assert_eq!(at, vec![2, 3, 4]);
        let newest: Vec<i64> = journal.newest(2).iter().map(|e| e.at_millis).collect();
        assert_eq!(newest, vec![3, 4]);
        assert_eq!(journal.newest(10).len(), 3);
    }

    #[test]
    fn zero_capacity_keeps_nothing() {
        let journal = Journal::new(0);
        journal.record(entry(1));
        assert!(journal.entries().is_empty());
    }
}
