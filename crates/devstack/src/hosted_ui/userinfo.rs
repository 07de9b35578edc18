//! `GET|POST /oauth2/userInfo`: the user's attributes for an access token.

use crate::hosted_ui::oauth;
use crate::state::Shared;
use crate::verify::verify;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use cognito_jwt::TokenUse;
use std::sync::Arc;

const BAD_REQUEST: &str =
    r#"error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint""#;
const INVALID_TOKEN: &str = r#"error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out.""#;

fn refuse(status: StatusCode, error: &str, www_authenticate: &'static str) -> Response {
    let mut res = oauth::error(status, error);
    res.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(www_authenticate),
    );
    res
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

pub async fn userinfo(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let Some(raw) = bearer(&headers) else {
        return refuse(StatusCode::BAD_REQUEST, "invalid_request", BAD_REQUEST);
    };
    let unauthorized = || refuse(StatusCode::UNAUTHORIZED, "invalid_token", INVALID_TOKEN);
    let seed = &shared.seed;
    let Ok(token) = verify(
        raw,
        &shared.keys().jwks,
        &shared.issuer(),
        &seed.client.client_id,
        TokenUse::Access,
        shared.now(),
    ) else {
        return unauthorized();
    };
    // Revoking the refresh token kills every token of that sign-in here,
    // even though they still verify locally.
    let revoked = token
        .claim_str("origin_jti")
        .is_none_or(|o| shared.store.is_origin_revoked(o, shared.now()));
    let scopes = token.scopes();
    if revoked || !scopes.contains(&"openid") {
        return unauthorized();
    }
    let Some(ref user) = token
        .username()
        .and_then(|u| shared.idp.hosted_user_since(u, token.iat().unwrap_or(0)))
    else {
        return unauthorized();
    };
    // openid alone releases every readable attribute; otherwise per scope.
    let only_openid = !scopes
        .iter()
        .any(|s| matches!(*s, "email" | "profile" | "phone"));
    let mut body = serde_json::json!({ "sub": user.sub });
    if only_openid || scopes.contains(&"email") {
        // Cognito's userInfo returns email_verified as a string.
        body["email_verified"] = user.email_verified.to_string().into();
        body["email"] = user.email.clone().into();
    }
    if only_openid || scopes.contains(&"profile") {
        for (k, v) in [
            ("name", &user.name),
            ("given_name", &user.given_name),
            ("family_name", &user.family_name),
        ] {
            if let Some(v) = v {
                body[k] = v.clone().into();
            }
        }
    }
    body["username"] = user.username.clone().into();
    oauth::json(StatusCode::OK, body)
}
