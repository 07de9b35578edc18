//! The hosted UI's session cookie (named `cognito`, like the real one).

use crate::http;
use crate::state::Shared;
use crate::store::{Session, SESSION_TTL};
use axum::http::{HeaderMap, HeaderValue};

pub const COOKIE: &str = "cognito";

pub fn current(shared: &Shared, headers: &HeaderMap) -> Option<Session> {
    let id = http::cookie(headers, COOKIE)?;
    shared.store.session(&id, shared.now())
}

pub fn set_cookie(id: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={id}; HttpOnly; SameSite=Lax; Path=/; Max-Age={SESSION_TTL}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("cognito=; Path=/; Max-Age=0"))
}

pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("cognito=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
}

/// Ends the server-side session too, so an old cookie copied elsewhere dies.
pub fn end(shared: &Shared, headers: &HeaderMap) {
    if let Some(id) = http::cookie(headers, COOKIE) {
        shared.store.remove_session(&id);
    }
}
