//! Sign-in: InitiateAuth / AdminInitiateAuth, RespondToAuthChallenge /
//! AdminRespondToAuthChallenge, GetTokensFromRefreshToken, RevokeToken.
//! The checks run in the order Cognito runs them (docs/user-pool-api.md).

use super::tokens;
use super::users::{Status, UserRecord};
use super::wire::{
    check_client_id, check_pool_id, err, incorrect_credentials, invalid_parameter, not_authorized,
    user_not_found, IdpError, IdpResult, Params, Req,
};
use super::{ApiRefresh, ChallengePending, Inner, SrpPending};
use crate::ids;
use crate::srp::{self, ServerSession, Verifier};
use crate::state::Shared;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::MutexGuard;

/// Pending SRP exchanges kept at most (bounded memory under a flood).
const MAX_PENDING: usize = 20_000;

/// How far a PASSWORD_VERIFIER TIMESTAMP may be from the server's clock.
pub const TIMESTAMP_SKEW_SECONDS: i64 = 300;

const AUTH_FLOWS: &[&str] = &[
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
];

const CHALLENGES: &[&str] = &[
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
];

fn enum_error(member: &str, value: &str, set: &[&str]) -> IdpError {
    invalid_parameter(format!(
        "1 validation error detected: Value '{}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
        value.chars().take(64).collect::<String>(),
        set.join(", ")
    ))
}

/// `ClientId`: well-formed, and this pool's client.
pub fn check_client(shared: &Shared, req: &Req) -> IdpResult<String> {
    let id = req.str("ClientId")?;
    check_client_id(&id)?;
    if id != shared.seed.client.client_id {
        return Err(err(
            "ResourceNotFoundException",
            format!("User pool client {id} does not exist."),
        ));
    }
    Ok(id)
}

/// `UserPoolId`: well-formed, and this pool.
pub fn check_pool(shared: &Shared, req: &Req) -> IdpResult<()> {
    let id = req.str("UserPoolId")?;
    check_pool_id(&id)?;
    if id != shared.seed.pool.id {
        return Err(err(
            "ResourceNotFoundException",
            format!("User pool {id} does not exist."),
        ));
    }
    Ok(())
}

/// `Base64(HMAC_SHA256(client_secret, username ‖ client_id))`.
pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// When the client has a secret, `provided` must be the SECRET_HASH of one
/// of `usernames`.
pub fn check_secret_hash(
    shared: &Shared,
    provided: Option<&str>,
    usernames: &[&str],
) -> IdpResult<()> {
    let Some(secret) = &shared.seed.user_pool.client_secret else {
        return Ok(());
    };
    let client_id = &shared.seed.client.client_id;
    let Some(provided) = provided.filter(|p| !p.is_empty()) else {
        return Err(not_authorized(format!(
            "Client {client_id} is configured with secret but SECRET_HASH was not received"
        )));
    };
    let ok = usernames.iter().any(|u| {
        let want = secret_hash(secret, u, client_id);
        cognito_jwt::constant_time_eq(&want, provided)
    });
    if ok {
        Ok(())
    } else {
        Err(not_authorized(format!(
            "Unable to verify secret hash for client {client_id}"
        )))
    }
}

fn flow_enabled(shared: &Shared, allow: &str, flow: &str) -> IdpResult<()> {
    if shared.seed.user_pool.flow_enabled(allow) {
        Ok(())
    } else {
        Err(invalid_parameter(format!(
            "{flow} flow not enabled for this client"
        )))
    }
}

/// The user `ident` names, or the error the pool's existence setting says.
pub fn find_user(shared: &Shared, inner: &Inner, ident: &str) -> IdpResult<UserRecord> {
    let settings = &shared.seed.user_pool;
    inner
        .users
        .resolve(ident, settings.email_is_username())
        .and_then(|n| inner.users.get(&n).cloned())
        .ok_or_else(|| {
            if settings.prevents_existence_errors() {
                incorrect_credentials()
            } else {
                user_not_found()
            }
        })
}

pub fn initiate_auth(shared: &Shared, req: &Req, admin: bool) -> IdpResult<Value> {
    if admin {
        check_pool(shared, req)?;
    }
    let flow = req.str("AuthFlow")?;
    if !AUTH_FLOWS.contains(&flow.as_str()) {
        return Err(enum_error("authFlow", &flow, AUTH_FLOWS));
    }
    check_client(shared, req)?;
    let params = req.map("AuthParameters")?;
    match flow.as_str() {
        "USER_PASSWORD_AUTH" if !admin => {
            flow_enabled(shared, "ALLOW_USER_PASSWORD_AUTH", &flow)?;
            password_auth(shared, &params)
        }
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" if admin => {
            flow_enabled(shared, "ALLOW_ADMIN_USER_PASSWORD_AUTH", &flow)?;
            password_auth(shared, &params)
        }
        "USER_SRP_AUTH" => {
            flow_enabled(shared, "ALLOW_USER_SRP_AUTH", &flow)?;
            srp_start(shared, &params)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            flow_enabled(shared, "ALLOW_REFRESH_TOKEN_AUTH", &flow)?;
            refresh_auth(shared, &params)
        }
        "CUSTOM_AUTH" => {
            flow_enabled(shared, "ALLOW_CUSTOM_AUTH", &flow)?;
            Err(invalid_parameter(
                "Custom auth lambda trigger is not configured for the user pool.",
            ))
        }
        "USER_AUTH" => {
            flow_enabled(shared, "ALLOW_USER_AUTH", &flow)?;
            Err(invalid_parameter("USER_AUTH is not supported by devstack"))
        }
        _ => Err(invalid_parameter("Initiate Auth method not supported.")),
    }
}

/// Status gates after a correct password (or SRP proof): disabled, reset
/// required, the NEW_PASSWORD_REQUIRED challenge, or tokens. Takes the lock
/// so the tokens are signed after it is released: signing is most of a
/// sign-in's time, and sign-ins on other cores must not wait for it.
fn after_password(
    shared: &Shared,
    mut inner: MutexGuard<'_, Inner>,
    user: &UserRecord,
) -> IdpResult<Value> {
    let now = shared.now();
    if !user.enabled {
        return Err(not_authorized("User is disabled."));
    }
    match user.status {
        Status::ResetRequired => Err(err(
            "PasswordResetRequiredException",
            "Password reset required for the user",
        )),
        Status::Unconfirmed => Err(err("UserNotConfirmedException", "User is not confirmed.")),
        Status::ForceChangePassword => {
            if user.temporary_password_expires.is_some_and(|t| now > t) {
                return Err(not_authorized(
                    "Temporary password has expired and must be reset by an administrator.",
                ));
            }
            Ok(new_password_challenge(shared, &mut inner, user, now))
        }
        Status::Confirmed => {
            let (origin_jti, refresh) = tokens::record_sign_in(shared, &mut inner, user, now);
            drop(inner);
            Ok(tokens::result(
                shared,
                user,
                &origin_jti,
                now,
                now,
                Some(refresh),
            ))
        }
    }
}

fn new_password_challenge(
    shared: &Shared,
    inner: &mut Inner,
    user: &UserRecord,
    now: i64,
) -> Value {
    let session = ids::secret(96);
    inner.challenges.insert(
        session.clone(),
        ChallengePending {
            username: user.username.clone(),
            expires_at: now + shared.seed.user_pool.auth_session_validity_minutes * 60,
        },
    );
    let attrs: serde_json::Map<String, Value> = user
        .attributes
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": session,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": "[]",
            "userAttributes": Value::Object(attrs).to_string(),
        },
    })
}

fn password_auth(shared: &Shared, params: &Params) -> IdpResult<Value> {
    let username = params.require("USERNAME")?;
    let password = params.require("PASSWORD")?;
    check_secret_hash(shared, params.get("SECRET_HASH"), &[username])?;
    let user = {
        let inner = shared.idp.lock();
        find_user(shared, &inner, username)?
    };
    if user.status == Status::Unconfirmed {
        return Err(err("UserNotConfirmedException", "User is not confirmed."));
    }
    // The expensive check runs without the lock.
    if !shared.idp.password_matches(&user, password) {
        return Err(incorrect_credentials());
    }
    let inner = shared.idp.lock_purged(shared.now());
    let user = inner
        .users
        .get(&user.username)
        .cloned()
        .ok_or_else(incorrect_credentials)?;
    after_password(shared, inner, &user)
}

/// A stable fake salt and user id for unknown users when existence errors
/// are prevented, so the challenge looks like a real one.
fn simulated(shared: &Shared, ident: &str) -> (String, Verifier) {
    let h = Sha256::digest(format!("{}\0{ident}", shared.seed.pool.id).as_bytes());
    let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
    let id = format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    );
    let salt = num_bigint::BigUint::from_bytes_be(&h[16..32]);
    let v = Verifier::with_salt(&shared.idp.pool_name, &id, &ids::secret(16), salt);
    (id, v)
}

fn srp_start(shared: &Shared, params: &Params) -> IdpResult<Value> {
    let username = params.require("USERNAME")?;
    let a_hex = params.require("SRP_A")?;
    check_secret_hash(shared, params.get("SECRET_HASH"), &[username])?;
    let big_a = srp::from_hex(a_hex)
        .filter(srp::public_value_ok)
        .ok_or_else(|| invalid_parameter("SRP_A is not a valid value"))?;
    let found = {
        let inner = shared.idp.lock();
        find_user(shared, &inner, username)
    };
    let (user_id, verifier, real) = match found {
        Ok(user) => {
            if user.status == Status::Unconfirmed {
                return Err(err("UserNotConfirmedException", "User is not confirmed."));
            }
            match user.password.as_ref().and_then(|p| p.verifier()) {
                Some(v) => (user.username, v, true),
                None => {
                    let (_, v) = simulated(shared, username);
                    (user.username, v, false)
                }
            }
        }
        Err(e) if e.kind == "UserNotFoundException" => return Err(e),
        Err(_) => {
            let (id, v) = simulated(shared, username);
            (id, v, false)
        }
    };
    if shared.idp.lock().srp.len() >= MAX_PENDING {
        return Err(err(
            "TooManyRequestsException",
            "Too many sign-ins in progress; try again later.",
        ));
    }
    let server = ServerSession::start(&verifier);
    let mut block = [0u8; 64];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut block);
    let secret_block = STANDARD.encode(block);
    let now = shared.now();
    let b_hex = srp::to_hex(&server.big_b);
    let salt_hex = srp::to_hex(&verifier.salt);
    shared.idp.lock_purged(now).srp.insert(
        secret_block.clone(),
        SrpPending {
            // An empty name never signs in (unknown user, simulated).
            username: if real { user_id.clone() } else { String::new() },
            big_a,
            server,
            verifier,
            expires_at: now + shared.seed.user_pool.auth_session_validity_minutes * 60,
        },
    );
    Ok(json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": salt_hex,
            "SRP_B": b_hex,
            "SECRET_BLOCK": secret_block,
            "USERNAME": user_id,
            "USER_ID_FOR_SRP": user_id,
        },
    }))
}

pub fn respond_to_auth_challenge(shared: &Shared, req: &Req, admin: bool) -> IdpResult<Value> {
    if admin {
        check_pool(shared, req)?;
    }
    let name = req.str("ChallengeName")?;
    if !CHALLENGES.contains(&name.as_str()) {
        return Err(enum_error("challengeName", &name, CHALLENGES));
    }
    check_client(shared, req)?;
    let responses = req.map("ChallengeResponses")?;
    let session = req.opt_str("Session")?;
    match name.as_str() {
        "PASSWORD_VERIFIER" => password_verifier(shared, &responses),
        "NEW_PASSWORD_REQUIRED" => new_password(shared, &responses, session.as_deref()),
        _ => Err(not_authorized("Invalid session for the user.")),
    }
}

fn password_verifier(shared: &Shared, responses: &Params) -> IdpResult<Value> {
    let username = responses.require("USERNAME")?;
    let block_b64 = responses.require("PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature_b64 = responses.require("PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = responses.require("TIMESTAMP")?;
    let now = shared.now();
    // Taking the pending exchange makes the secret block single-use: a
    // replayed answer finds nothing.
    let pending = shared
        .idp
        .lock_purged(now)
        .srp
        .remove(block_b64)
        .ok_or_else(|| not_authorized("Invalid session for the user."))?;
    check_secret_hash(shared, responses.get("SECRET_HASH"), &[username])?;
    let ts = srp::parse_timestamp(timestamp).ok_or_else(|| {
        invalid_parameter("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
    })?;
    if pending.username.is_empty() || (ts - now).abs() > TIMESTAMP_SKEW_SECONDS {
        return Err(incorrect_credentials());
    }
    let same_user = {
        let inner = shared.idp.lock();
        inner
            .users
            .resolve(username, shared.seed.user_pool.email_is_username())
            .is_some_and(|n| n == pending.username)
    };
    if !same_user {
        return Err(incorrect_credentials());
    }
    let block = STANDARD
        .decode(block_b64)
        .map_err(|_| incorrect_credentials())?;
    let claimed = STANDARD
        .decode(signature_b64)
        .map_err(|_| incorrect_credentials())?;
    let key = pending
        .server
        .key(&pending.verifier, &pending.big_a)
        .ok_or_else(incorrect_credentials)?;
    if !srp::signature_ok(
        &key,
        &shared.idp.pool_name,
        &pending.username,
        &block,
        timestamp,
        &claimed,
    ) {
        return Err(incorrect_credentials());
    }
    let inner = shared.idp.lock();
    let user = inner
        .users
        .get(&pending.username)
        .cloned()
        .ok_or_else(incorrect_credentials)?;
    after_password(shared, inner, &user)
}

fn new_password(shared: &Shared, responses: &Params, session: Option<&str>) -> IdpResult<Value> {
    let session = session.ok_or_else(|| invalid_parameter("Missing required parameter Session"))?;
    let username = responses.require("USERNAME")?;
    let new_password = responses.require("NEW_PASSWORD")?;
    let now = shared.now();
    let pending = shared
        .idp
        .lock_purged(now)
        .challenges
        .get(session)
        .cloned()
        .ok_or_else(|| not_authorized("Invalid session for the user, session is expired."))?;
    check_secret_hash(
        shared,
        responses.get("SECRET_HASH"),
        &[username, &pending.username],
    )?;
    let same_user = {
        let inner = shared.idp.lock();
        inner
            .users
            .resolve(username, shared.seed.user_pool.email_is_username())
            .is_some_and(|n| n == pending.username)
    };
    if !same_user {
        return Err(not_authorized("Invalid session for the user."));
    }
    if let Some(v) = shared
        .seed
        .user_pool
        .password_policy
        .violation(new_password)
    {
        return Err(err("InvalidPasswordException", v));
    }
    let mut rec = {
        let inner = shared.idp.lock();
        inner
            .users
            .get(&pending.username)
            .cloned()
            .ok_or_else(user_not_found)?
    };
    rec.set_password(&shared.idp.pool_name, new_password);
    rec.status = Status::Confirmed;
    rec.temporary_password_expires = None;
    rec.modified = now;
    for (k, v) in &responses.0 {
        if let Some(attr) = k.strip_prefix("userAttributes.") {
            if attr != "sub" && !attr.is_empty() {
                rec.attributes.insert(attr.to_string(), v.clone());
            }
        }
    }
    let mut inner = shared.idp.lock();
    inner.challenges.remove(session);
    inner
        .users
        .by_name
        .insert(rec.username.clone(), rec.clone());
    shared.idp.changed(&inner);
    after_password(shared, inner, &rec)
}

/// What a refresh token stands for: its user, sign-in and the store it is in.
struct RefreshOf {
    user: UserRecord,
    origin_jti: String,
    auth_time: i64,
    api: Option<ApiRefresh>,
}

fn lookup_refresh(shared: &Shared, token: &str, now: i64) -> IdpResult<RefreshOf> {
    let invalid = || not_authorized("Invalid Refresh Token.");
    let revoked = || not_authorized("Refresh Token has been revoked");
    let client = &shared.seed.client;
    let inner = shared.idp.lock_purged(now);
    if let Some(rec) = inner.refresh.get(&super::refresh_key(token)).cloned() {
        if rec.client_id != client.client_id {
            return Err(invalid());
        }
        if rec
            .superseded_at
            .is_some_and(|t| now > t + client.refresh_rotation_grace_seconds)
        {
            return Err(err(
                "RefreshTokenReuseException",
                "Refresh token has already been used",
            ));
        }
        let user = inner
            .users
            .get(&rec.username)
            .cloned()
            .ok_or_else(invalid)?;
        if inner.revoked_origins.contains(&rec.origin_jti) {
            return Err(revoked());
        }
        return Ok(RefreshOf {
            user,
            origin_jti: rec.origin_jti.clone(),
            auth_time: rec.auth_time,
            api: Some(rec),
        });
    }
    // A hosted-UI refresh token (from /oauth2/token) works here too.
    let Some(rec) = shared.store.refresh_record(token) else {
        return Err(invalid());
    };
    if rec.client_id != client.client_id || rec.expires_at <= now {
        return Err(invalid());
    }
    let user = inner
        .users
        .get(&rec.grant.username)
        .cloned()
        .ok_or_else(invalid)?;
    if shared
        .store
        .is_origin_revoked(&rec.grant.origin_jti, shared.now())
        || inner.revoked_origins.contains(&rec.grant.origin_jti)
        || user.signed_out_at.is_some_and(|t| rec.grant.auth_time <= t)
    {
        return Err(revoked());
    }
    if shared
        .store
        .usable_refresh(token, now, client.refresh_rotation_grace_seconds)
        .is_none()
    {
        return Err(invalid());
    }
    Ok(RefreshOf {
        user,
        origin_jti: rec.grant.origin_jti,
        auth_time: rec.grant.auth_time,
        api: None,
    })
}

fn refresh_auth(shared: &Shared, params: &Params) -> IdpResult<Value> {
    let token = params.require("REFRESH_TOKEN")?;
    let now = shared.now();
    if shared.seed.client.refresh_rotation {
        return Err(invalid_parameter(
            "Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken",
        ));
    }
    let of = lookup_refresh(shared, token, now)?;
    if shared.seed.user_pool.client_secret.is_some() {
        let email = of.user.email().unwrap_or_default().to_string();
        let names = [
            of.user.username.as_str(),
            of.user.sub.as_str(),
            email.as_str(),
        ];
        check_secret_hash(shared, params.get("SECRET_HASH"), &names).map_err(|e| {
            if e.message.starts_with("Unable") {
                not_authorized(format!(
                    "SecretHash does not match for the client: {}",
                    shared.seed.client.client_id
                ))
            } else {
                e
            }
        })?;
    }
    if !of.user.enabled {
        return Err(not_authorized("User is disabled."));
    }
    Ok(tokens::result(
        shared,
        &of.user,
        &of.origin_jti,
        of.auth_time,
        now,
        None,
    ))
}

fn check_client_secret(shared: &Shared, given: Option<&str>) -> IdpResult<()> {
    let Some(secret) = &shared.seed.user_pool.client_secret else {
        return Ok(());
    };
    let ok = given.is_some_and(|g| cognito_jwt::constant_time_eq(g, secret));
    if ok {
        Ok(())
    } else {
        Err(not_authorized(format!(
            "Unable to verify client secret for client {}",
            shared.seed.client.client_id
        )))
    }
}

pub fn get_tokens_from_refresh_token(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let token = req.str("RefreshToken")?;
    check_client(shared, req)?;
    check_client_secret(shared, req.opt_str("ClientSecret")?.as_deref())?;
    flow_enabled(shared, "ALLOW_REFRESH_TOKEN_AUTH", "REFRESH_TOKEN_AUTH")?;
    let now = shared.now();
    let of = lookup_refresh(shared, &token, now)?;
    if !of.user.enabled {
        return Err(not_authorized("User is disabled."));
    }
    let client = &shared.seed.client;
    let new_token = client.refresh_rotation.then(|| {
        let new_token = ids::refresh_token();
        let mut inner = shared.idp.lock();
        match of.api {
            Some(_) => {
                if let Some(old) = inner.refresh.get_mut(&super::refresh_key(&token)) {
                    old.superseded_at.get_or_insert(now);
                }
            }
            None => shared.store.mark_superseded(&token, now),
        }
        inner.refresh.insert(
            super::refresh_key(&new_token),
            ApiRefresh {
                username: of.user.username.clone(),
                client_id: client.client_id.clone(),
                origin_jti: of.origin_jti.clone(),
                auth_time: of.auth_time,
                expires_at: now + shared.seed.tokens.refresh_seconds,
                superseded_at: None,
            },
        );
        shared.idp.changed(&inner);
        new_token
    });
    let mut out = tokens::result(
        shared,
        &of.user,
        &of.origin_jti,
        of.auth_time,
        now,
        new_token,
    );
    if let Some(o) = out.as_object_mut() {
        o.remove("ChallengeParameters");
    }
    Ok(out)
}

pub fn revoke_token(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let token = req.str("Token")?;
    check_client(shared, req)?;
    if !shared.seed.user_pool.enable_token_revocation {
        return Err(err(
            "UnsupportedOperationException",
            "Token revocation is not enabled for this client",
        ));
    }
    check_client_secret(shared, req.opt_str("ClientSecret")?.as_deref())
        .map_err(|e| err("UnauthorizedException", e.message))?;
    if token.split('.').count() == 3 && token.starts_with("eyJ") {
        return Err(err(
            "UnsupportedTokenTypeException",
            "Only refresh tokens can be revoked",
        ));
    }
    let client_id = &shared.seed.client.client_id;
    let mut inner = shared.idp.lock();
    let origin = if let Some(rec) = inner.refresh.get(&super::refresh_key(&token)) {
        if &rec.client_id != client_id {
            return Err(err(
                "UnauthorizedException",
                "The refresh token was not issued to this client",
            ));
        }
        Some(rec.origin_jti.clone())
    } else {
        shared
            .store
            .refresh_record(&token)
            .filter(|r| &r.client_id == client_id)
            .map(|r| r.grant.origin_jti)
    };
    // An unknown token is not an error (as for /oauth2/revoke).
    if let Some(origin) = origin {
        shared.store.revoke_origin(
            &origin,
            shared
                .seed
                .tokens
                .access_seconds
                .max(shared.seed.tokens.id_seconds),
            shared.now(),
        );
        inner.revoked_origins.insert(origin);
        shared.idp.changed(&inner);
    }
    Ok(json!({}))
}
