//! Failed sign-in throttling, as Cognito does it: after 5 failed attempts
//! for a username it is locked out for 1 s, and each further failure doubles
//! the lockout, 2^(n-5) s for n failures, up to 15 minutes. Attempts during
//! a lockout are refused with "Password attempts exceeded", even with the
//! right password, and do not lengthen it. 15 minutes without attempts, or a
//! successful sign-in, start the count again. Unknown usernames are
//! throttled the same way, so the answer never tells whether a user exists.
//! See docs/protocol.md, "Failed sign-ins".

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Failures allowed before the first lockout.
pub const FREE_FAILURES: u32 = 5;
/// The longest lockout, and the quiet time after which the count resets.
pub const MAX_LOCKOUT_SECONDS: i64 = 900;
/// Usernames tracked at most; when full, the one idle longest goes first.
pub const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Attempts {
    failures: u32,
    locked_until: i64,
    last_attempt: i64,
}

#[derive(Default)]
pub struct Lockouts {
    by_username: Mutex<HashMap<String, Attempts>>,
}

impl Lockouts {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Attempts>> {
        self.by_username.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Is `username` locked out now? Counts as an attempt for the reset
    /// timer either way.
    pub fn is_locked(&self, username: &str, now: i64) -> bool {
        let mut map = self.lock();
        let Some(attempts) = map.get_mut(username) else {
            return false;
        };
        if now.saturating_sub(attempts.last_attempt) >= MAX_LOCKOUT_SECONDS {
            map.remove(username);
            return false;
        }
        attempts.last_attempt = now;
        now < attempts.locked_until
    }

    /// A wrong password (or unknown user) outside a lockout.
    pub fn failed(&self, username: &str, now: i64) {
        let mut map = self.lock();
        if !map.contains_key(username) && map.len() >= MAX_TRACKED {
            map.retain(|_, a| now.saturating_sub(a.last_attempt) < MAX_LOCKOUT_SECONDS);
            let idlest = map
                .iter()
                .min_by_key(|(_, a)| a.last_attempt)
                .map(|(k, _)| k.clone());
            if let (true, Some(k)) = (map.len() >= MAX_TRACKED, idlest) {
                map.remove(&k);
            }
        }
        let attempts = map.entry(username.to_string()).or_insert(Attempts {
            failures: 0,
            locked_until: now,
            last_attempt: now,
        });
        attempts.failures = attempts.failures.saturating_add(1);
        attempts.last_attempt = now;
        if let Some(extra) = attempts.failures.checked_sub(FREE_FAILURES) {
            // 2^extra without overflow: anything past 2^10 is over the cap.
            let seconds = 1i64
                .checked_shl(extra.min(10))
                .unwrap_or(MAX_LOCKOUT_SECONDS);
            attempts.locked_until = now.saturating_add(seconds.min(MAX_LOCKOUT_SECONDS));
        }
    }

    pub fn succeeded(&self, username: &str) {
        self.lock().remove(username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubling_lockout_capped_and_reset_after_quiet() {
        let l = Lockouts::default();
        let mut now = 0;
        for _ in 0..5 {
            assert!(!l.is_locked("u", now));
            l.failed("u", now);
        }
        assert!(l.is_locked("u", now));
        let mut expected = 1;
        for _ in 0..15 {
            now += expected;
            assert!(!l.is_locked("u", now), "lock of {expected} s is over");
            l.failed("u", now);
            expected = (expected * 2).min(MAX_LOCKOUT_SECONDS);
            assert!(l.is_locked("u", now + expected - 1), "{expected}");
        }
        assert_eq!(expected, MAX_LOCKOUT_SECONDS);
        // Quiet for 15 minutes: a clean slate.
        now += 2 * MAX_LOCKOUT_SECONDS;
        assert!(!l.is_locked("u", now));
        l.failed("u", now);
        assert!(!l.is_locked("u", now), "one failure is not a lockout");
    }

    #[test]
    fn bounded() {
        let l = Lockouts::default();
        for i in 0..MAX_TRACKED + 10 {
            l.failed(&format!("u{i}"), i as i64 / 1000);
        }
        assert!(l.lock().len() <= MAX_TRACKED);
    }
}
