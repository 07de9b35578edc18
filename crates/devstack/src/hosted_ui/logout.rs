//! `GET /logout`: sign out (`logout_uri`) or sign in again (`redirect_uri` +
//! `response_type`). Both clear the session cookie; anything else is an error
//! page, never a redirect.

use crate::hosted_ui::authorize::check_client_and_redirect;
use crate::hosted_ui::session;
use crate::http::{self, param, parse_pairs};
use crate::state::Shared;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use std::sync::Arc;

pub async fn logout(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let params = parse_pairs(&query);
    let client = &shared.seed.client;
    match param(&params, "client_id") {
        Some(id) if id == client.client_id => {}
        Some(_) => {
            return http::error_page(
                StatusCode::BAD_REQUEST,
                "invalid_client",
                "Client does not exist.",
            )
        }
        None => {
            return http::error_page(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Required String parameter 'client_id' is not present",
            )
        }
    }
    let target = if let Some(logout_uri) = param(&params, "logout_uri") {
        // Exact match against the allowed sign-out URLs; other parameters
        // are ignored, as Cognito does.
        if !client.logout_urls.iter().any(|u| u == logout_uri) {
            return http::error_page(
                StatusCode::BAD_REQUEST,
                "redirect_mismatch",
                "The logout_uri is not an allowed sign-out URL of this app client.",
            );
        }
        logout_uri.to_string()
    } else if param(&params, "response_type").is_some() {
        if let Err(rejection) = check_client_and_redirect(&shared, &params) {
            return rejection.into_response();
        }
        format!("/login?{query}")
    } else {
        return http::error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Required String parameter 'redirect_uri' is not present",
        );
    };
    session::end(&shared, &headers);
    let mut res = http::found(&target);
    res.headers_mut()
        .append(header::SET_COOKIE, session::clear_cookie());
    res
}
