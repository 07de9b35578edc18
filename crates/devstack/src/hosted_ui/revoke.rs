//! `POST /oauth2/revoke`: revokes a refresh token and, with it, every token
//! of that sign-in for userInfo and refresh.

use crate::hosted_ui::oauth;
use crate::http::{self, param, parse_pairs};
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// ID and access tokens are JWTs (three dot-separated parts); Cognito
/// refuses to revoke them.
fn looks_like_jwt(token: &str) -> bool {
    cognito_jwt::UnverifiedToken::parse(token).is_ok()
}

pub async fn revoke(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !http::is_form(&headers) {
        return oauth::error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let text = String::from_utf8_lossy(&body);
    if http::repeated_name(&text).is_some() {
        return oauth::error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let form = parse_pairs(&text);
    let Some(token) = param(&form, "token") else {
        return oauth::error(StatusCode::BAD_REQUEST, "invalid_request");
    };
    if param(&form, "client_id") != Some(shared.seed.client.client_id.as_str()) {
        return oauth::error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if looks_like_jwt(token) {
        return oauth::error(StatusCode::BAD_REQUEST, "unsupported_token_type");
    }
    if let Some(record) = shared.store.refresh_record(token) {
        if record.client_id == shared.seed.client.client_id {
            let tokens = &shared.seed.tokens;
            let lifetime = tokens.access_seconds.max(tokens.id_seconds);
            shared
                .store
                .revoke_origin(&record.grant.origin_jti, lifetime, shared.now());
        }
    }
    // 200 with an empty body, also for unknown or already revoked tokens.
    let mut res = StatusCode::OK.into_response();
    oauth::finish(&mut res);
    res
}
