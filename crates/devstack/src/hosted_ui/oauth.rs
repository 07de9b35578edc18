//! Response helpers for the fetch()-able OAuth endpoints (token, revoke,
//! userInfo): `Access-Control-Allow-Origin: *` everywhere and no caching.

use crate::http;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub fn json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut res = (status, axum::Json(body)).into_response();
    finish(&mut res);
    res
}

/// `{"error": "…"}`: the bare shape Cognito returns from /oauth2/token.
pub fn error(status: StatusCode, error: &str) -> Response {
    json(status, serde_json::json!({ "error": error }))
}

pub fn finish(res: &mut Response) {
    http::cors(res.headers_mut(), &[]);
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// CORS preflight for the OAuth endpoints.
pub async fn preflight() -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    http::cors(
        res.headers_mut(),
        &[
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS"),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Authorization, Content-Type",
            ),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
        ],
    );
    res
}
