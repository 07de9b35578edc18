//! In-memory server state: authorization codes, hosted-UI sessions, CSRF
//! tokens and refresh tokens. Everything is lost on restart, like a fresh
//! Cognito session would be; only keys persist (see `keys`).

use crate::ids;
use crate::mint::Grant;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Cognito codes live 5 minutes.
pub const CODE_TTL: i64 = 300;
/// The hosted UI session cookie lasts 1 hour.
pub const SESSION_TTL: i64 = 3600;
/// A login form may sit open this long before its CSRF token is refused.
pub const CSRF_TTL: i64 = 3600;
/// CSRF tokens kept at most: each `GET /login` issues one, so without a
/// bound a loop of page loads would grow memory for an hour. When full, the
/// oldest goes first (its form is the least likely still open).
pub const MAX_CSRF_TOKENS: usize = 10_000;
/// Revoked sign-ins remembered at most (see [`Store::revoke_origin`]).
pub const MAX_REVOKED_ORIGINS: usize = 10_000;

/// Everything `/oauth2/token` must re-check when a code is redeemed.
#[derive(Debug, Clone)]
pub struct CodeGrant {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub grant: Grant,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub username: String,
    pub auth_time: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct RefreshRecord {
    pub client_id: String,
    pub grant: Grant,
    pub expires_at: i64,
    /// With rotation: when this token was exchanged for a newer one. It keeps
    /// working until `superseded_at + grace`.
    pub superseded_at: Option<i64>,
}

#[derive(Default)]
struct Inner {
    codes: HashMap<String, CodeGrant>,
    sessions: HashMap<String, Session>,
    /// Token → (expiry, issue order).
    csrf: HashMap<String, (i64, u64)>,
    refresh: HashMap<String, RefreshRecord>,
    /// `origin_jti`s whose refresh token was revoked, until when their
    /// access tokens could still verify: every token of that sign-in is dead
    /// for userInfo.
    revoked_origins: HashMap<String, (i64, u64)>,
    /// Issue order for the bounded maps, so equal expiries evict oldest first.
    seq: u64,
}

#[derive(Default)]
pub struct Store {
    inner: Mutex<Inner>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not take the whole stack down with it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops expired entries so a long-running stack does not grow forever.
    fn purge(inner: &mut Inner, now: i64) {
        inner.codes.retain(|_, c| c.expires_at > now);
        inner.sessions.retain(|_, s| s.expires_at > now);
        inner.csrf.retain(|_, (exp, _)| *exp > now);
        inner.refresh.retain(|_, r| r.expires_at > now);
        inner.revoked_origins.retain(|_, (until, _)| *until > now);
    }

    /// Makes room for one more entry in a bounded map: drops the entry
    /// with the smallest `expiry` (then the oldest) when `map` is full.
    fn evict_soonest<V, K: Ord>(
        map: &mut HashMap<String, V>,
        max: usize,
        expiry: impl Fn(&V) -> K,
    ) {
        if map.len() < max {
            return;
        }
        let soonest = map
            .iter()
            .min_by_key(|(_, v)| expiry(v))
            .map(|(k, _)| k.clone());
        if let Some(k) = soonest {
            map.remove(&k);
        }
    }

    pub fn insert_code(&self, grant: CodeGrant, now: i64) -> String {
        let code = ids::secret(32);
        let mut inner = self.lock();
        Self::purge(&mut inner, now);
        inner.codes.insert(code.clone(), grant);
        code
    }

    /// Removes the code whatever happens next: codes are single-use, even a
    /// failed redemption burns it (as Cognito does).
    pub fn take_code(&self, code: &str, now: i64) -> Option<CodeGrant> {
        self.lock()
            .codes
            .remove(code)
            .filter(|c| c.expires_at > now)
    }

    pub fn create_session(&self, username: &str, auth_time: i64, now: i64) -> String {
        let id = ids::secret(32);
        let mut inner = self.lock();
        Self::purge(&mut inner, now);
        inner.sessions.insert(
            id.clone(),
            Session {
                username: username.to_string(),
                auth_time,
                expires_at: now + SESSION_TTL,
            },
        );
        id
    }

    pub fn session(&self, id: &str, now: i64) -> Option<Session> {
        self.lock()
            .sessions
            .get(id)
            .filter(|s| s.expires_at > now)
            .cloned()
    }

    pub fn remove_session(&self, id: &str) {
        self.lock().sessions.remove(id);
    }

    pub fn issue_csrf(&self, now: i64) -> String {
        let token = ids::secret(24);
        let mut inner = self.lock();
        Self::purge(&mut inner, now);
        Self::evict_soonest(&mut inner.csrf, MAX_CSRF_TOKENS, |entry| *entry);
        inner.seq += 1;
        let entry = (now + CSRF_TTL, inner.seq);
        inner.csrf.insert(token.clone(), entry);
        token
    }

    pub fn csrf_valid(&self, token: &str, now: i64) -> bool {
        self.lock()
            .csrf
            .get(token)
            .is_some_and(|(exp, _)| *exp > now)
    }

    pub fn insert_refresh(&self, record: RefreshRecord, now: i64) -> String {
        let token = ids::refresh_token();
        let mut inner = self.lock();
        Self::purge(&mut inner, now);
        inner.refresh.insert(token.clone(), record);
        token
    }

    /// The record behind a refresh token if it may still be used: known, not
    /// expired, not revoked, and (after rotation) within the grace period.
    pub fn usable_refresh(&self, token: &str, now: i64, grace: i64) -> Option<RefreshRecord> {
        let inner = self.lock();
        let rec = inner.refresh.get(token)?;
        let alive = rec.expires_at > now && rec.superseded_at.is_none_or(|t| now <= t + grace);
        alive.then(|| rec.clone())
    }

    pub fn mark_superseded(&self, token: &str, now: i64) {
        if let Some(rec) = self.lock().refresh.get_mut(token) {
            rec.superseded_at.get_or_insert(now);
        }
    }

    pub fn refresh_record(&self, token: &str) -> Option<RefreshRecord> {
        self.lock().refresh.get(token).cloned()
    }

    /// Revokes a sign-in: its refresh tokens are deleted (so they are
    /// unknown from now on, `invalid_grant`), and its `origin_jti` is
    /// remembered for `token_lifetime` seconds, as long as an access token
    /// of it can still verify, so userInfo refuses those. Bounded: past
    /// [`MAX_REVOKED_ORIGINS`] the revocation closest to running out goes
    /// first (a flood of sign-outs could then let one of those tokens reach
    /// userInfo again before it expires; local JWT checks accept it anyway,
    /// as they do on AWS).
    pub fn revoke_origin(&self, origin_jti: &str, token_lifetime: i64, now: i64) {
        let mut inner = self.lock();
        Self::purge(&mut inner, now);
        inner
            .refresh
            .retain(|_, r| r.grant.origin_jti != origin_jti);
        Self::evict_soonest(&mut inner.revoked_origins, MAX_REVOKED_ORIGINS, |entry| {
            *entry
        });
        inner.seq += 1;
        let entry = (now.saturating_add(token_lifetime), inner.seq);
        inner.revoked_origins.insert(origin_jti.to_string(), entry);
    }

    pub fn is_origin_revoked(&self, origin_jti: &str, now: i64) -> bool {
        self.lock()
            .revoked_origins
            .get(origin_jti)
            .is_some_and(|(until, _)| *until > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(origin: &str) -> Grant {
        Grant {
            username: "demo".into(),
            scopes: vec!["openid".into()],
            auth_time: 0,
            origin_jti: origin.into(),
            nonce: None,
        }
    }

    #[test]
    fn csrf_tokens_are_bounded_and_the_newest_kept() {
        let store = Store::default();
        let first = store.issue_csrf(0);
        let mut last = String::new();
        for _ in 0..MAX_CSRF_TOKENS + 100 {
            last = store.issue_csrf(0);
        }
        assert!(store.lock().csrf.len() <= MAX_CSRF_TOKENS);
        assert!(store.csrf_valid(&last, 0));
        assert!(!store.csrf_valid(&first, 0), "the oldest went first");
    }

    #[test]
    fn revocations_are_bounded_and_outlive_the_tokens_they_kill() {
        let store = Store::default();
        let lifetime = 3600;
        let token = store.insert_refresh(
            RefreshRecord {
                client_id: "c".into(),
                grant: grant("o-1"),
                expires_at: 1_000_000,
                superseded_at: None,
            },
            0,
        );
        store.revoke_origin("o-1", lifetime, 0);
        assert!(store.is_origin_revoked("o-1", lifetime - 1));
        assert!(store.usable_refresh(&token, 10, 60).is_none());
        // Once every access token of that sign-in has expired, the
        // revocation has nothing left to kill; the refresh token stays dead.
        for i in 0..MAX_REVOKED_ORIGINS + 100 {
            store.revoke_origin(&format!("x-{i}"), lifetime, lifetime + 1);
        }
        assert!(store.lock().revoked_origins.len() <= MAX_REVOKED_ORIGINS);
        assert!(store.usable_refresh(&token, lifetime + 2, 60).is_none());
        assert!(store.is_origin_revoked(&format!("x-{}", MAX_REVOKED_ORIGINS + 99), lifetime + 2));
    }
}
