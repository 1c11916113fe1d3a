//! A cache of derived TC3 keys, so a hot loop does not redo the HMAC chain per request.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::tc3::SigningKey;

/// SHA-256 over (secret key, date, service), each prefixed by its length so that no two
/// triples share an encoding. A lookup allocates nothing.
type CacheKey = [u8; 32];

fn cache_key(secret_key: &str, date: &str, service: &str) -> CacheKey {
    let mut hasher = Sha256::new();
    for part in [secret_key, date, service] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

/// Derived keys by (secret key, date, service). The key changes once a day per secret, so a
/// small map is enough; it is emptied when it grows past `capacity` rather than tracking age.
#[derive(Debug)]
pub struct KeyCache {
    // Keyed by a SHA-256 that covers the secret, so the map never stores a secret in the clear.
    entries: Mutex<HashMap<CacheKey, SigningKey>>,
    capacity: usize,
}

impl Default for KeyCache {
    fn default() -> Self {
        Self::with_capacity(256)
    }
}

impl KeyCache {
    /// A cache that never stores: every call derives afresh (for benchmarks and comparisons).
    pub fn disabled() -> Self {
        Self::with_capacity(0)
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// The signing key for (secret, date, service), derived on first use.
    pub fn signing_key(&self, secret_key: &str, date: &str, service: &str) -> SigningKey {
        if self.capacity == 0 {
            return SigningKey::derive(secret_key, date, service);
        }
        let lookup = cache_key(secret_key, date, service);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(key) = entries.get(&lookup) {
            return key.clone();
        }
        let key = SigningKey::derive(secret_key, date, service);
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(lookup, key.clone());
        key
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_key_equals_fresh_key_and_is_reused() {
        let cache = KeyCache::with_capacity(2);
        let a = cache.signing_key("k", "2024-01-01", "organization");
        assert_eq!(a, SigningKey::derive("k", "2024-01-01", "organization"));
        cache.signing_key("k", "2024-01-01", "organization");
        assert_eq!(cache.len(), 1);
        cache.signing_key("k", "2024-01-02", "organization");
        cache.signing_key("other", "2024-01-02", "organization");
        assert!(cache.len() <= 2, "capacity bounds the cache");
    }
}
