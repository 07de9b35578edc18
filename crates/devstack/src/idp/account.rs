//! Token-authorized and admin account operations.

use super::auth::{check_pool, find_user};
use super::tokens;
use super::wire::{IdpResult, Req};
use crate::state::Shared;
use serde_json::{json, Value};

pub fn get_user(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let token = req.str("AccessToken")?;
    let user = tokens::access_user(shared, &token)?;
    Ok(json!({
        "Username": user.username,
        "UserAttributes": user.attribute_list(),
    }))
}

/// Revokes every refresh token of the user and every access token issued
/// before now (they still pass local JWT checks, as on AWS).
fn sign_out(shared: &Shared, username: &str) {
    let now = shared.now();
    let mut inner = shared.idp.lock();
    let origins: Vec<String> = inner
        .refresh
        .values()
        .filter(|r| r.username == username)
        .map(|r| r.origin_jti.clone())
        .collect();
    for o in origins {
        shared.store.revoke_origin(
            &o,
            shared
                .seed
                .tokens
                .access_seconds
                .max(shared.seed.tokens.id_seconds),
            shared.now(),
        );
        inner.revoked_origins.insert(o);
    }
    if let Some(u) = inner.users.get_mut(username) {
        u.signed_out_at = Some(now);
    }
    shared.idp.changed(&inner);
}

pub fn global_sign_out(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let token = req.str("AccessToken")?;
    let user = tokens::access_user(shared, &token)?;
    sign_out(shared, &user.username);
    Ok(json!({}))
}

pub fn admin_user_global_sign_out(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_pool(shared, req)?;
    let username = req.str("Username")?;
    let user = {
        let inner = shared.idp.lock();
        find_user(shared, &inner, &username).map_err(|_| super::wire::user_not_found())?
    };
    sign_out(shared, &user.username);
    Ok(json!({}))
}
