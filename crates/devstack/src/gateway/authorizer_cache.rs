//! API Gateway's authorizer result cache (`AuthorizerResultTtlInSeconds`):
//! a result is kept per authorizer and token for the authorizer's TTL and
//! answers every later call with that token, on every route, without asking
//! the authorizer again. Only results are kept (verified claims, a Lambda's
//! policy); a refusal (401) is recomputed each time. See docs/protocol.md,
//! "The authorizer result cache".

use cognito_jwt::UnverifiedToken;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Entries kept at most: a flood of distinct tokens cannot grow memory
/// without bound; when full, the entry closest to expiry goes first.
pub const MAX_ENTRIES: usize = 10_000;

/// What an authorizer answered, as API Gateway keeps it.
#[derive(Clone)]
pub enum CachedResult {
    /// A COGNITO_USER_POOLS authorizer: the verified token.
    Claims(UnverifiedToken),
    /// A Lambda TOKEN authorizer: its output (principal, policy, context).
    Policy(serde_json::Value),
}

struct Entry {
    result: CachedResult,
    expires_at: i64,
}

/// Keyed by a hash of the authorizer's name and the header value, so the
/// cache holds no bearer token and one authorizer's result never answers
/// another's.
#[derive(Default)]
pub struct AuthorizerCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
}

fn key(authorizer: &str, header: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(authorizer);
    hash.update([0]);
    hash.update(header);
    hash.finalize().into()
}

impl AuthorizerCache {
    fn lock(&self) -> MutexGuard<'_, HashMap<[u8; 32], Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The result kept for this token, if it was stored less than its TTL ago.
    pub fn get(&self, authorizer: &str, header: &str, now: i64) -> Option<CachedResult> {
        let entries = self.lock();
        let entry = entries.get(&key(authorizer, header))?;
        (now < entry.expires_at).then(|| entry.result.clone())
    }

    /// Keeps `result` for `ttl` seconds; a TTL of 0 (or less) keeps nothing.
    pub fn put(&self, authorizer: &str, header: &str, result: CachedResult, ttl: i64, now: i64) {
        if ttl <= 0 {
            return;
        }
        let mut entries = self.lock();
        // Expired entries are never answered (`get` checks), so they are
        // swept only when the cache is full: an insert stays O(1) until then.
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, e| now < e.expires_at);
        }
        if entries.len() >= MAX_ENTRIES {
            let soonest = entries
                .iter()
                .min_by_key(|(_, e)| e.expires_at)
                .map(|(k, _)| *k);
            if let Some(k) = soonest {
                entries.remove(&k);
            }
        }
        entries.insert(
            key(authorizer, header),
            Entry {
                result,
                expires_at: now.saturating_add(ttl),
            },
        );
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(n: i64) -> CachedResult {
        CachedResult::Policy(json!({ "n": n }))
    }

    fn n(result: Option<CachedResult>) -> Option<i64> {
        match result? {
            CachedResult::Policy(v) => v["n"].as_i64(),
            CachedResult::Claims(_) => None,
        }
    }

    #[test]
    fn kept_for_the_ttl_per_mode_and_token() {
        let cache = AuthorizerCache::default();
        cache.put("lambda", "Bearer a", policy(1), 60, 100);
        assert_eq!(n(cache.get("lambda", "Bearer a", 159)), Some(1));
        assert_eq!(n(cache.get("lambda", "Bearer a", 160)), None);
        assert_eq!(n(cache.get("lambda", "Bearer b", 100)), None);
        assert_eq!(n(cache.get("cognito", "Bearer a", 100)), None);
        cache.put("lambda", "Bearer c", policy(2), 0, 100);
        assert_eq!(n(cache.get("lambda", "Bearer c", 100)), None);
    }

    #[test]
    fn bounded_and_expired_entries_are_dropped() {
        let cache = AuthorizerCache::default();
        for i in 0..MAX_ENTRIES as i64 + 50 {
            cache.put("lambda", &format!("t{i}"), policy(i), 3600 + i, 0);
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        // The newest stays, the soonest to expire went.
        let last = MAX_ENTRIES as i64 + 49;
        assert_eq!(n(cache.get("lambda", &format!("t{last}"), 0)), Some(last));
        assert_eq!(n(cache.get("lambda", "t0", 0)), None);
        cache.put("lambda", "late", policy(9), 10, 1_000_000);
        assert_eq!(cache.len(), 1);
    }
}
