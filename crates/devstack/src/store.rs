//! In-memory server state: authorization codes, hosted-UI sessions, CSRF
//! tokens and refresh tokens. Everything is lost on restart, like a fresh
//! Cognito session would be; only keys persist (see `keys`).

use crate::ids;
use crate::mint::Grant;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

/// Cognito codes live 5 minutes.
pub const CODE_TTL: i64 = 300;
/// The hosted UI session cookie lasts 1 hour.
pub const SESSION_TTL: i64 = 3600;
/// A login form may sit open this long before its CSRF token is refused.
pub const CSRF_TTL: i64 = 3600;

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
    csrf: HashMap<String, i64>,
    refresh: HashMap<String, RefreshRecord>,
    /// `origin_jti`s whose refresh token was revoked: every token of that
    /// sign-in is dead for userInfo and refresh.
    revoked_origins: HashSet<String>,
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
        inner.csrf.retain(|_, exp| *exp > now);
        inner.refresh.retain(|_, r| r.expires_at > now);
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
        inner.csrf.insert(token.clone(), now + CSRF_TTL);
        token
    }

    pub fn csrf_valid(&self, token: &str, now: i64) -> bool {
        self.lock().csrf.get(token).is_some_and(|exp| *exp > now)
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
        let alive = rec.expires_at > now
            && !inner.revoked_origins.contains(&rec.grant.origin_jti)
            && rec.superseded_at.is_none_or(|t| now <= t + grace);
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

    pub fn revoke_origin(&self, origin_jti: &str) {
        self.lock().revoked_origins.insert(origin_jti.to_string());
    }

    pub fn is_origin_revoked(&self, origin_jti: &str) -> bool {
        self.lock().revoked_origins.contains(origin_jti)
    }
}
