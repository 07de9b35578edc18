//! When to fetch an issuer's key set again.
//!
//! A token naming a `kid` the cached key set lacks may be signed with a key
//! the issuer has just rotated in, so the set is worth fetching once more.
//! But anyone can write any `kid`, so a flood of forged ones must not turn
//! a verifier (the browser app, the Lambda authorizer) into a request
//! amplifier against the key endpoint: fetches are at most one per
//! [`MIN_REFETCH_SECONDS`]. The clock is passed in, so the same rule runs in
//! the browser, on a server and in tests.

use crate::jwks::{Jwks, KeyError};

/// At most one key set fetch per this many seconds (the first one included).
pub const MIN_REFETCH_SECONDS: i64 = 30;

/// Remembers the last fetch attempt, successful or not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefetchPolicy {
    last_attempt: Option<i64>,
}

impl RefetchPolicy {
    pub fn new() -> RefetchPolicy {
        RefetchPolicy::default()
    }

    /// Whether `kid` is worth a refetch of `jwks`: only an unknown kid is.
    /// A missing kid, an ambiguous one or a key of the wrong size is not
    /// fixed by fetching the same set again.
    pub fn wants_refetch(jwks: &Jwks, kid: Option<&str>) -> bool {
        matches!(jwks.select(kid), Err(KeyError::UnknownKid(_)))
    }

    /// Whether a fetch may start at `now` (Unix seconds). A clock that went
    /// backwards allows one, rather than locking the key set in for good.
    pub fn may_fetch(&self, now: i64) -> bool {
        self.last_attempt
            .is_none_or(|last| now < last || now.saturating_sub(last) >= MIN_REFETCH_SECONDS)
    }

    /// Starts a fetch at `now` if allowed, and records it; `false` means
    /// rate-limited, keep the key set in hand.
    pub fn try_fetch(&mut self, now: i64) -> bool {
        let allowed = self.may_fetch(now);
        if allowed {
            self.last_attempt = Some(now);
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_fetch_per_window() {
        let mut policy = RefetchPolicy::new();
        assert!(policy.try_fetch(100));
        assert!(!policy.try_fetch(100));
        assert!(!policy.try_fetch(100 + MIN_REFETCH_SECONDS - 1));
        assert!(policy.may_fetch(100 + MIN_REFETCH_SECONDS));
        assert!(policy.try_fetch(100 + MIN_REFETCH_SECONDS));
        assert!(!policy.may_fetch(100 + MIN_REFETCH_SECONDS + 1));
    }

    #[test]
    fn a_clock_that_went_back_allows_a_fetch() {
        let mut policy = RefetchPolicy::new();
        assert!(policy.try_fetch(1_000));
        assert!(policy.try_fetch(10));
        assert!(!policy.try_fetch(11));
    }

    #[test]
    fn only_an_unknown_kid_is_worth_a_refetch() {
        let none = Jwks::default();
        assert!(RefetchPolicy::wants_refetch(&none, Some("rotated")));
        assert!(!RefetchPolicy::wants_refetch(&none, None));
    }
}
