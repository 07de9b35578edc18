//! Tokens from the JSON API: the hosted UI's keys and claims (signed with
//! `mint::sign_jwt`), except what AWS does differently here: the access
//! token's scope is `aws.cognito.signin.user.admin`, and there is no
//! `nonce`, `at_hash` or `version`.

use super::users::UserRecord;
use super::wire::{not_authorized, user_not_found, IdpResult};
use super::{ApiRefresh, Inner};
use crate::ids;
use crate::mint::sign_jwt;
use crate::state::Shared;
use crate::verify::{verify, VerifyError};
use cognito_jwt::TokenUse;
use serde_json::{json, Map, Value};

pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

fn groups(user: &UserRecord) -> Option<Value> {
    (!user.groups.is_empty()).then(|| json!(user.groups))
}

/// The access and ID token of `user` for one sign-in.
pub fn mint(
    shared: &Shared,
    user: &UserRecord,
    origin_jti: &str,
    auth_time: i64,
    now: i64,
) -> (String, String) {
    let seed = &shared.seed;
    let keys = shared.keys();
    let issuer = seed.issuer();
    let client_id = seed.client.client_id.as_str();
    let event_id = ids::uuid_v4();

    let mut access = Map::new();
    access.insert("sub".into(), user.sub.clone().into());
    if let Some(g) = groups(user) {
        access.insert("cognito:groups".into(), g.clone());
    }
    access.insert("iss".into(), issuer.clone().into());
    access.insert("client_id".into(), client_id.into());
    access.insert("origin_jti".into(), origin_jti.into());
    access.insert("event_id".into(), event_id.clone().into());
    access.insert("token_use".into(), "access".into());
    access.insert("scope".into(), ADMIN_SCOPE.into());
    access.insert("auth_time".into(), auth_time.into());
    access.insert("exp".into(), (now + seed.tokens.access_seconds).into());
    access.insert("iat".into(), now.into());
    access.insert("jti".into(), ids::uuid_v4().into());
    access.insert("username".into(), user.username.clone().into());

    let mut id = Map::new();
    id.insert("sub".into(), user.sub.clone().into());
    if let Some(g) = groups(user) {
        id.insert("cognito:groups".into(), g);
    }
    id.insert("iss".into(), issuer.into());
    id.insert("cognito:username".into(), user.username.clone().into());
    id.insert("origin_jti".into(), origin_jti.into());
    id.insert("aud".into(), client_id.into());
    id.insert("event_id".into(), event_id.into());
    id.insert("token_use".into(), "id".into());
    id.insert("auth_time".into(), auth_time.into());
    for (k, v) in &user.attributes {
        // Verified flags are JSON booleans in ID tokens.
        let value = if k.ends_with("_verified") {
            Value::Bool(v == "true")
        } else {
            v.clone().into()
        };
        id.insert(k.clone(), value);
    }
    id.insert("exp".into(), (now + seed.tokens.id_seconds).into());
    id.insert("iat".into(), now.into());
    id.insert("jti".into(), ids::uuid_v4().into());

    (
        sign_jwt(keys.store.access_key(), &access),
        sign_jwt(keys.store.id_key(), &id),
    )
}

/// `AuthenticationResult` (always with TokenType and ExpiresIn).
pub fn result(
    shared: &Shared,
    user: &UserRecord,
    origin_jti: &str,
    auth_time: i64,
    now: i64,
    refresh: Option<String>,
) -> Value {
    let (access, id) = mint(shared, user, origin_jti, auth_time, now);
    let mut r = json!({
        "AccessToken": access,
        "ExpiresIn": shared.seed.tokens.access_seconds,
        "TokenType": "Bearer",
        "IdToken": id,
    });
    if let Some(t) = refresh {
        r["RefreshToken"] = t.into();
    }
    json!({ "AuthenticationResult": r, "ChallengeParameters": {} })
}

/// A completed sign-in's record: a new origin_jti and its refresh token
/// (returned), to be followed by [`result`] once the lock is released.
pub fn record_sign_in(
    shared: &Shared,
    inner: &mut Inner,
    user: &UserRecord,
    now: i64,
) -> (String, String) {
    let origin_jti = ids::uuid_v4();
    let token = ids::refresh_token();
    inner.refresh.insert(
        super::refresh_key(&token),
        ApiRefresh {
            username: user.username.clone(),
            client_id: shared.seed.client.client_id.clone(),
            origin_jti: origin_jti.clone(),
            auth_time: now,
            expires_at: now + shared.seed.tokens.refresh_seconds,
            superseded_at: None,
        },
    );
    shared.idp.changed(inner);
    (origin_jti, token)
}

/// Is a token of this sign-in (origin_jti, issued at `iat`) revoked?
///
/// Sign-ins of this API are revoked by origin (GlobalSignOut lists them);
/// hosted-UI tokens, whose sign-ins this API cannot list, by time: issued
/// at or before the user's last global sign-out.
pub fn revoked(shared: &Shared, inner: &Inner, user: &UserRecord, origin: &str, iat: i64) -> bool {
    if inner.revoked_origins.contains(origin)
        || shared.store.is_origin_revoked(origin, shared.now())
    {
        return true;
    }
    user.signed_out_at
        .is_some_and(|t| iat <= t && !inner.refresh.values().any(|r| r.origin_jti == origin))
}

/// The user an access token belongs to, if the token may still call the
/// user-pool API: valid, with the admin scope, not revoked.
pub fn access_user(shared: &Shared, raw: &str) -> IdpResult<UserRecord> {
    let now = shared.now();
    let keys = shared.keys();
    let token = match verify(
        raw,
        &keys.jwks,
        &shared.issuer(),
        &shared.seed.client.client_id,
        TokenUse::Access,
        now,
    ) {
        Ok(t) => t,
        Err(VerifyError::Expired) => return Err(not_authorized("Access Token has expired")),
        Err(VerifyError::Invalid(_)) => return Err(not_authorized("Invalid Access Token")),
    };
    if !token.scopes().contains(&ADMIN_SCOPE) {
        return Err(not_authorized("Access Token does not have required scopes"));
    }
    let username = token.username().unwrap_or_default().to_string();
    let origin = token
        .claim_str("origin_jti")
        .unwrap_or_default()
        .to_string();
    let iat = token.iat().unwrap_or(0);
    let inner = shared.idp.lock();
    let user = inner
        .users
        .get(&username)
        .cloned()
        .ok_or_else(user_not_found)?;
    if revoked(shared, &inner, &user, &origin, iat) {
        return Err(not_authorized("Access Token has been revoked"));
    }
    Ok(user)
}
