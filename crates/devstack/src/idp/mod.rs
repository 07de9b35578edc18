//! The Cognito user-pool JSON API (`cognito-idp`), served at `POST /` on the
//! hosted-UI origin: `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`
//! with an awsJson1.1 body. What is served and how it differs from AWS:
//! docs/user-pool-api.md.

pub mod account;
pub mod admin;
pub mod auth;
pub mod outbox;
pub mod pages;
pub mod persist;
pub mod recipe;
pub mod settings;
pub mod signup;
pub mod tokens;
pub mod users;
pub mod wire;

use crate::http::{self, BODY_LIMIT};
use crate::ids;
use crate::srp::{ServerSession, Verifier};
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use num_bigint::BigUint;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use users::Users;
use wire::{IdpResult, Req};

/// One USER_SRP_AUTH exchange waiting for its PASSWORD_VERIFIER answer,
/// keyed by its SECRET_BLOCK (single use).
pub struct SrpPending {
    pub username: String,
    pub big_a: BigUint,
    pub server: ServerSession,
    pub verifier: Verifier,
    pub expires_at: i64,
}

/// A NEW_PASSWORD_REQUIRED challenge waiting for its answer, keyed by Session.
#[derive(Debug, Clone)]
pub struct ChallengePending {
    pub username: String,
    pub expires_at: i64,
}

/// A refresh token issued by this API.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiRefresh {
    pub username: String,
    pub client_id: String,
    pub origin_jti: String,
    pub auth_time: i64,
    pub expires_at: i64,
    /// With rotation: when GetTokensFromRefreshToken replaced it.
    pub superseded_at: Option<i64>,
}

/// A code sent to the outbox, waiting to be entered.
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingCode {
    pub code: String,
    pub expires_at: i64,
}

impl std::fmt::Debug for PendingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PendingCode(<redacted>, expires {})", self.expires_at)
    }
}

/// What refresh tokens are stored under: their SHA-256 (hex), so neither
/// memory dumps nor the state file hold a usable refresh token.
pub fn refresh_key(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Default)]
pub struct Inner {
    /// Codes by (internal username, kind).
    pub codes: HashMap<(String, &'static str), PendingCode>,
    pub outbox: Vec<outbox::Message>,
    pub users: Users,
    pub srp: HashMap<String, SrpPending>,
    pub challenges: HashMap<String, ChallengePending>,
    /// The JSON API's refresh tokens, keyed by [`refresh_key`].
    pub refresh: HashMap<String, ApiRefresh>,
    /// Sign-ins (origin_jti) revoked by RevokeToken or GlobalSignOut.
    pub revoked_origins: HashSet<String>,
    /// Hosted-UI sign-ups waiting for their code: ticket → (user, expiry).
    pub signups: HashMap<String, (String, i64)>,
    last_purge: i64,
    /// Users deleted at runtime (so a restart does not bring seed users back).
    pub deleted: std::collections::BTreeSet<String>,
}

impl Inner {
    /// Drops expired entries, at most once per second of the clock.
    fn purge(&mut self, now: i64) {
        if self.last_purge == now {
            return;
        }
        self.last_purge = now;
        self.srp.retain(|_, p| p.expires_at > now);
        self.challenges.retain(|_, c| c.expires_at > now);
        self.refresh.retain(|_, r| r.expires_at > now);
        self.codes.retain(|_, c| c.expires_at > now);
        self.signups.retain(|_, (_, exp)| *exp > now);
    }
}

/// The user pool's runtime state.
pub struct Idp {
    inner: Mutex<Inner>,
    /// Passwords already checked against a verifier, as
    /// HMAC(process key, user ‖ salt ‖ password): a repeated sign-in skips
    /// the 3072-bit exponentiation. In memory only, keyed by a random key
    /// made at start; a new password (new salt) never matches an old entry.
    checked: Mutex<HashMap<String, [u8; 32]>>,
    checked_key: [u8; 32],
    /// The hosted UI's store: its refresh tokens and revocations are saved
    /// in the same state file.
    hosted_ui: Arc<crate::store::Store>,
    /// The state file, when the stack keeps state on disk.
    file: std::sync::OnceLock<std::path::PathBuf>,
    dirty: std::sync::atomic::AtomicBool,
    pool_id: String,
    /// The pool id's part after `_` (SRP hashes it).
    pub pool_name: String,
}

impl Idp {
    /// Users from the seed; their passwords become SRP verifiers here.
    pub fn new(seed: &crate::Seed, now: i64, hosted_ui: Arc<crate::store::Store>) -> Self {
        let mut inner = Inner::default();
        for u in &seed.users {
            let rec = users::from_seed(seed, u, now);
            inner.users.by_name.insert(rec.username.clone(), rec);
        }
        let mut checked_key = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut checked_key);
        Self {
            inner: Mutex::new(inner),
            checked: Mutex::new(HashMap::new()),
            checked_key,
            hosted_ui,
            file: std::sync::OnceLock::new(),
            dirty: std::sync::atomic::AtomicBool::new(false),
            pool_id: seed.pool.id.clone(),
            pool_name: crate::srp::pool_name(&seed.pool.id).to_string(),
        }
    }

    /// Is `password` the user's? Verifier check, remembered (see `checked`).
    pub fn password_matches(&self, user: &users::UserRecord, password: &str) -> bool {
        use hmac::Mac;
        let Some(stored) = &user.password else {
            return false;
        };
        let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.checked_key) else {
            return false;
        };
        mac.update(user.username.as_bytes());
        mac.update(&[0]);
        mac.update(stored.salt_hex().as_bytes());
        mac.update(&[0]);
        mac.update(password.as_bytes());
        let tag: [u8; 32] = mac.finalize().into_bytes().into();
        let known = self
            .checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&user.username)
            .is_some_and(|t| bool::from(subtle::ConstantTimeEq::ct_eq(&t[..], &tag[..])));
        if known {
            return true;
        }
        let ok = user.password_matches(&self.pool_name, password);
        if ok {
            let mut c = self.checked.lock().unwrap_or_else(|e| e.into_inner());
            if c.len() >= 100_000 {
                c.clear();
            }
            c.insert(user.username.clone(), tag);
        }
        ok
    }

    /// Called after every change worth keeping (users, refresh tokens,
    /// revocations).
    pub fn changed(&self, _inner: &Inner) {
        if self.file.get().is_some() {
            self.dirty.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// Keeps the user pool in `dir` from now on, after merging what is
    /// already there. A corrupt file is an error naming it.
    pub fn attach(&self, dir: &std::path::Path) -> anyhow::Result<()> {
        let path = persist::path_in(dir);
        let hosted_ui = persist::load(&path, &self.pool_id, &mut self.lock())?;
        self.hosted_ui.restore(hosted_ui);
        let _ = self.file.set(path);
        Ok(())
    }

    /// Writes the state file if anything changed since the last write.
    pub fn flush(&self) {
        let Some(path) = self.file.get() else { return };
        let pool_changed = self.dirty.swap(false, std::sync::atomic::Ordering::SeqCst);
        let hosted_ui = match self.hosted_ui.saved_if_changed() {
            Some(saved) => saved,
            None if pool_changed => self.hosted_ui.saved(),
            None => return,
        };
        let bytes = persist::snapshot(&self.pool_id, &self.lock(), hosted_ui);
        if let Err(e) = persist::write_atomically(path, &bytes) {
            self.dirty.store(true, std::sync::atomic::Ordering::SeqCst);
            eprintln!("devstack: cannot write {}: {e}", path.display());
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn lock_purged(&self, now: i64) -> MutexGuard<'_, Inner> {
        let mut g = self.lock();
        g.purge(now);
        g
    }

    /// A confirmed, enabled user as the hosted UI's minting wants it (the
    /// user pool is the source of truth for users; no password inside).
    pub fn hosted_user(&self, username: &str) -> Option<crate::config::seed::User> {
        let g = self.lock();
        let u = g.users.get(username)?;
        if !u.enabled || u.status != users::Status::Confirmed {
            return None;
        }
        let attr = |n: &str| u.attributes.get(n).cloned();
        Some(crate::config::seed::User {
            username: u.username.clone(),
            password: String::new(),
            email: attr("email").unwrap_or_default(),
            email_verified: u.email_verified(),
            sub: u.sub.clone(),
            groups: u.groups.clone(),
            name: attr("name"),
            given_name: attr("given_name"),
            family_name: attr("family_name"),
        })
    }

    /// [`Idp::hosted_user`] for a token of a sign-in at `since` (auth_time or
    /// iat): `None` when the user signed out globally at or after it.
    pub fn hosted_user_since(
        &self,
        username: &str,
        since: i64,
    ) -> Option<crate::config::seed::User> {
        let signed_out = self.lock().users.get(username)?.signed_out_at;
        if signed_out.is_some_and(|t| since <= t) {
            return None;
        }
        self.hosted_user(username)
    }

    /// Checks a password against the stored verifier of `ident` (username,
    /// or email in email-as-username pools): the hosted UI's check.
    pub fn password_ok(&self, seed: &crate::Seed, ident: &str, password: &str) -> Option<String> {
        let user = {
            let g = self.lock();
            let name = g.users.resolve(ident, seed.user_pool.email_is_username())?;
            g.users.get(&name)?.clone()
        };
        (user.enabled
            && user.status == users::Status::Confirmed
            && self.password_matches(&user, password))
        .then_some(user.username)
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", post(handle).options(preflight))
        .route(
            "/signup",
            axum::routing::get(pages::show_signup).post(pages::submit_signup),
        )
        .route("/confirm", post(pages::submit_confirm))
        .route(
            "/forgotPassword",
            axum::routing::get(pages::show_forgot).post(pages::submit_forgot),
        )
        .route("/confirmForgotPassword", post(pages::submit_reset))
        .route("/_devstack/outbox", axum::routing::get(outbox::json))
        .route("/_devstack/outbox.html", axum::routing::get(outbox::html))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            ("hosted-ui", shared.log.clone()),
            http::log_requests,
        ))
        .with_state(shared)
}

async fn preflight(headers: HeaderMap) -> Response {
    wire::preflight(&headers)
}

async fn handle(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let request_id = ids::uuid_v4();
    // SRP and verifier checks are a few milliseconds of big-integer work.
    let s = shared.clone();
    let result = tokio::task::spawn_blocking(move || dispatch(&s, &headers, &body))
        .await
        .unwrap_or_else(|_| {
            shared
                .panics
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Err(wire::err("InternalErrorException", "Internal error"))
        });
    match result {
        Ok(body) => wire::json_response(axum::http::StatusCode::OK, &body, &request_id),
        Err(e) => e.into_response_with(&request_id),
    }
}

/// Operations AWS signs with SigV4 (everything else is unsigned).
fn signed(op: &str) -> bool {
    op.starts_with("Admin") || op == "ListUsers" || op.starts_with("Describe")
}

pub fn dispatch(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> IdpResult<serde_json::Value> {
    let op = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.strip_prefix(wire::TARGET_PREFIX))
        .ok_or_else(|| wire::err("UnknownOperationException", "Unknown operation"))?;
    if !OPERATIONS.contains(&op) {
        return Err(wire::err("UnknownOperationException", "Unknown operation"));
    }
    if signed(op) {
        wire::check_sigv4(headers)?;
    }
    let req = Req::parse(body)?;
    match op {
        "InitiateAuth" => auth::initiate_auth(shared, &req, false),
        "AdminInitiateAuth" => auth::initiate_auth(shared, &req, true),
        "RespondToAuthChallenge" => auth::respond_to_auth_challenge(shared, &req, false),
        "AdminRespondToAuthChallenge" => auth::respond_to_auth_challenge(shared, &req, true),
        "GetTokensFromRefreshToken" => auth::get_tokens_from_refresh_token(shared, &req),
        "RevokeToken" => auth::revoke_token(shared, &req),
        "GetUser" => account::get_user(shared, &req),
        "GlobalSignOut" => account::global_sign_out(shared, &req),
        "AdminUserGlobalSignOut" => account::admin_user_global_sign_out(shared, &req),
        "SignUp" => signup::sign_up(shared, &req),
        "ConfirmSignUp" => signup::confirm_sign_up(shared, &req),
        "ResendConfirmationCode" => signup::resend_confirmation_code(shared, &req),
        "ForgotPassword" => signup::forgot_password(shared, &req),
        "ConfirmForgotPassword" => signup::confirm_forgot_password(shared, &req),
        "ChangePassword" => signup::change_password(shared, &req),
        "UpdateUserAttributes" => signup::update_user_attributes(shared, &req),
        "VerifyUserAttribute" => signup::verify_user_attribute(shared, &req),
        "AdminCreateUser" => admin::admin_create_user(shared, &req),
        "AdminGetUser" => admin::admin_get_user(shared, &req),
        "AdminDeleteUser" => admin::admin_delete_user(shared, &req),
        "AdminSetUserPassword" => admin::admin_set_user_password(shared, &req),
        "AdminConfirmSignUp" => admin::admin_confirm_sign_up(shared, &req),
        "AdminAddUserToGroup" => admin::admin_add_user_to_group(shared, &req),
        "AdminRemoveUserFromGroup" => admin::admin_remove_user_from_group(shared, &req),
        "AdminListGroupsForUser" => admin::admin_list_groups_for_user(shared, &req),
        "ListUsers" => admin::list_users(shared, &req),
        "AdminUpdateUserAttributes" => admin::admin_update_user_attributes(shared, &req),
        "DescribeUserPool" => admin::describe_user_pool(shared, &req),
        "DescribeUserPoolClient" => admin::describe_user_pool_client(shared, &req),
        _ => Err(wire::err("UnknownOperationException", "Unknown operation")),
    }
}

/// The operations served (the rest answer UnknownOperationException).
pub const OPERATIONS: &[&str] = &[
    "InitiateAuth",
    "AdminInitiateAuth",
    "RespondToAuthChallenge",
    "AdminRespondToAuthChallenge",
    "GetTokensFromRefreshToken",
    "RevokeToken",
    "GetUser",
    "GlobalSignOut",
    "AdminUserGlobalSignOut",
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "ChangePassword",
    "UpdateUserAttributes",
    "VerifyUserAttribute",
    "AdminCreateUser",
    "AdminGetUser",
    "AdminDeleteUser",
    "AdminSetUserPassword",
    "AdminConfirmSignUp",
    "AdminAddUserToGroup",
    "AdminRemoveUserFromGroup",
    "AdminListGroupsForUser",
    "ListUsers",
    "AdminUpdateUserAttributes",
    "DescribeUserPool",
    "DescribeUserPoolClient",
];
