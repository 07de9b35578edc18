//! The Cognito domain stand-in: hosted UI pages and OAuth endpoints, plus the
//! issuer-path discovery documents, all on one origin.

pub mod authorize;
pub mod lockout;
pub mod login;
pub mod logout;
pub mod oauth;
pub mod revoke;
pub mod session;
pub mod token;
pub mod userinfo;
pub mod wellknown;

use crate::http::{self, param, parse_pairs, BODY_LIMIT};
use crate::state::Shared;
use axum::extract::{DefaultBodyLimit, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

pub fn router(shared: Arc<Shared>) -> Router {
    let pool = shared.seed.pool.id.clone();
    Router::new()
        .route("/oauth2/authorize", get(authorize::authorize))
        .route("/login", get(login::show).post(login::submit))
        .route(
            "/oauth2/token",
            post(token::token).options(oauth::preflight),
        )
        .route(
            "/oauth2/userInfo",
            get(userinfo::userinfo)
                .post(userinfo::userinfo)
                .options(oauth::preflight),
        )
        .route(
            "/oauth2/revoke",
            post(revoke::revoke).options(oauth::preflight),
        )
        .route("/logout", get(logout::logout))
        .route("/error", get(error))
        .route(
            &wellknown::openid_configuration_path(&pool),
            get(wellknown::openid_configuration),
        )
        .route(&wellknown::jwks_path(&pool), get(wellknown::jwks))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            ("hosted-ui", shared.log.clone()),
            http::log_requests,
        ))
        .with_state(shared)
}

/// Cognito's `/error?error=…` page.
async fn error(RawQuery(query): RawQuery) -> Response {
    let params = parse_pairs(&query.unwrap_or_default());
    let code = param(&params, "error").unwrap_or("unknown_error");
    http::error_page(
        StatusCode::BAD_REQUEST,
        code,
        "An error was encountered with the requested page.",
    )
}
