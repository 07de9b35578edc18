//! Issuer-path discovery served on the hosted-UI origin. `issuer` keeps the
//! real Cognito format (so verifiers need no change); endpoints and
//! `jwks_uri` point at this origin so nothing leaves the machine.

use crate::http;
use crate::state::Shared;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub fn jwks_path(pool_id: &str) -> String {
    format!("/{pool_id}{}", cognito_jwt::JWKS_PATH)
}

pub fn openid_configuration_path(pool_id: &str) -> String {
    format!("/{pool_id}/.well-known/openid-configuration")
}

pub async fn openid_configuration(State(shared): State<Arc<Shared>>) -> Response {
    let base = &shared.hosted_ui_url;
    let body = serde_json::json!({
        "authorization_endpoint": format!("{base}/oauth2/authorize"),
        "end_session_endpoint": format!("{base}/logout"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": shared.issuer(),
        "jwks_uri": format!("{base}{}", jwks_path(&shared.seed.pool.id)),
        "response_types_supported": ["code", "token"],
        "revocation_endpoint": format!("{base}/oauth2/revoke"),
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": format!("{base}/oauth2/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": format!("{base}/oauth2/userInfo"),
    });
    let mut res = axum::Json(body).into_response();
    http::cors(res.headers_mut(), &[]);
    res
}

pub async fn jwks(State(shared): State<Arc<Shared>>) -> Response {
    let mut res = axum::Json(shared.keys().jwks_json.clone()).into_response();
    http::cors(res.headers_mut(), &[]);
    res
}
