//! The hosted UI's server state: authorization codes, sessions, CSRF
//! tokens, refresh tokens and revocations. Refresh tokens and revocations
//! outlive a restart when the stack has a state dir (they are written with
//! the user pool, see `idp::persist`); codes (5 minutes), sessions and
//! CSRF tokens stay in memory only.

use crate::idp::refresh_key;
use crate::ids;
use crate::mint::Grant;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// Keyed by [`refresh_key`]: neither memory nor the state file holds a
    /// usable refresh token.
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
    /// Set when refresh tokens or revocations changed since [`Store::saved`].
    changed: AtomicBool,
}

/// A hosted-UI refresh token as the state file keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedRefresh {
    pub client_id: String,
    pub username: String,
    pub scopes: Vec<String>,
    pub auth_time: i64,
    pub origin_jti: String,
    pub expires_at: i64,
    #[serde(default)]
    pub superseded_at: Option<i64>,
}

/// What of the store outlives a restart: refresh tokens (by
/// [`refresh_key`]) and revoked sign-ins (origin_jti → until when).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saved {
    #[serde(default)]
    pub refresh: BTreeMap<String, SavedRefresh>,
    #[serde(default)]
    pub revoked_origins: BTreeMap<String, i64>,
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

    fn mark_changed(&self) {
        self.changed.store(true, Ordering::SeqCst);
    }

    pub fn insert_refresh(&self, record: RefreshRecord, now: i64) -> String {
        let token = ids::refresh_token();
        let mut inner = self.lock();
        Self::purge(&mut inner, now);
        inner.refresh.insert(refresh_key(&token), record);
        self.mark_changed();
        token
    }

    /// The record behind a refresh token if it may still be used: known, not
    /// expired, not revoked, and (after rotation) within the grace period.
    pub fn usable_refresh(&self, token: &str, now: i64, grace: i64) -> Option<RefreshRecord> {
        let inner = self.lock();
        let rec = inner.refresh.get(&refresh_key(token))?;
        let alive = rec.expires_at > now && rec.superseded_at.is_none_or(|t| now <= t + grace);
        alive.then(|| rec.clone())
    }

    pub fn mark_superseded(&self, token: &str, now: i64) {
        if let Some(rec) = self.lock().refresh.get_mut(&refresh_key(token)) {
            rec.superseded_at.get_or_insert(now);
            self.mark_changed();
        }
    }

    pub fn refresh_record(&self, token: &str) -> Option<RefreshRecord> {
        self.lock().refresh.get(&refresh_key(token)).cloned()
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
        self.mark_changed();
    }

    pub fn is_origin_revoked(&self, origin_jti: &str, now: i64) -> bool {
        self.lock()
            .revoked_origins
            .get(origin_jti)
            .is_some_and(|(until, _)| *until > now)
    }

    /// The part to keep on disk, if it changed since the last call.
    pub fn saved_if_changed(&self) -> Option<Saved> {
        if !self.changed.swap(false, Ordering::SeqCst) {
            return None;
        }
        Some(self.saved())
    }

    pub fn saved(&self) -> Saved {
        let inner = self.lock();
        let refresh = inner
            .refresh
            .iter()
            .map(|(key, r)| {
                let saved = SavedRefresh {
                    client_id: r.client_id.clone(),
                    username: r.grant.username.clone(),
                    scopes: r.grant.scopes.clone(),
                    auth_time: r.grant.auth_time,
                    origin_jti: r.grant.origin_jti.clone(),
                    expires_at: r.expires_at,
                    superseded_at: r.superseded_at,
                };
                (key.clone(), saved)
            })
            .collect();
        let revoked_origins = inner
            .revoked_origins
            .iter()
            .map(|(origin, (until, _))| (origin.clone(), *until))
            .collect();
        Saved {
            refresh,
            revoked_origins,
        }
    }

    /// Takes back what [`Store::saved`] wrote (at start, before serving).
    pub fn restore(&self, saved: Saved) {
        let mut inner = self.lock();
        for (key, r) in saved.refresh {
            let record = RefreshRecord {
                client_id: r.client_id,
                grant: Grant {
                    username: r.username,
                    scopes: r.scopes,
                    auth_time: r.auth_time,
                    origin_jti: r.origin_jti,
                    // A refresh token's grant never carries the nonce.
                    nonce: None,
                },
                expires_at: r.expires_at,
                superseded_at: r.superseded_at,
            };
            inner.refresh.insert(key, record);
        }
        // Issue order is lost on disk; soonest-to-expire first is the order
        // eviction wants anyway.
        let mut revoked: Vec<_> = saved.revoked_origins.into_iter().collect();
        revoked.sort_by_key(|(_, until)| *until);
        for (origin, until) in revoked {
            inner.seq += 1;
            let entry = (until, inner.seq);
            inner.revoked_origins.insert(origin, entry);
        }
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

    #[test]
    fn saved_state_comes_back_whole_and_holds_no_usable_token() {
        let store = Store::default();
        assert!(store.saved_if_changed().is_none(), "nothing changed yet");
        let record = RefreshRecord {
            client_id: "c".into(),
            grant: grant("o-1"),
            expires_at: 1_000,
            superseded_at: None,
        };
        let kept = store.insert_refresh(record.clone(), 0);
        let rotated = store.insert_refresh(record, 0);
        store.mark_superseded(&rotated, 5);
        store.revoke_origin("o-2", 600, 10);
        let saved = store.saved_if_changed().expect("changes to save");
        assert!(store.saved_if_changed().is_none(), "the flag was cleared");
        let json = serde_json::to_string(&saved).unwrap();
        assert!(!json.contains(&kept) && !json.contains(&rotated));

        let back = Store::default();
        back.restore(serde_json::from_str(&json).unwrap());
        assert_eq!(back.saved(), saved);
        assert!(back.usable_refresh(&kept, 20, 60).is_some());
        assert!(
            back.usable_refresh(&rotated, 66, 60).is_none(),
            "grace over"
        );
        assert!(back.is_origin_revoked("o-2", 609));
        assert!(!back.is_origin_revoked("o-2", 610));
    }
}
