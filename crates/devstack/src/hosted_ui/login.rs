//! `/login`: the sign-in form. CSRF is a double-submit token: an `XSRF-TOKEN`
//! cookie (as the real hosted UI sets) that must equal the form's `_csrf`
//! field and must have been issued by this server. The other hosted-UI forms
//! (sign-up, confirm, forgot password: `idp::pages`) use the same plumbing,
//! from here.

use crate::hosted_ui::authorize::{self, Rejection, ValidRequest};
use crate::hosted_ui::session;
use crate::http::{self, constant_time_eq, escape, param, parse_pairs};
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Arc;

const CSRF_COOKIE: &str = "XSRF-TOKEN";

/// A form page's error line (`role="alert"`, under the given id), if any.
pub fn error_html(id: &str, error: Option<&str>) -> String {
    error
        .map(|e| {
            format!(
                "<p class=\"error\" role=\"alert\" id=\"{}\">{}</p>",
                escape(id),
                escape(e)
            )
        })
        .unwrap_or_default()
}

/// A form page whose `_csrf` field holds `csrf`, with the matching cookie.
pub fn form_response(title: &str, body: &str, csrf: &str) -> Response {
    let mut res = http::html(StatusCode::OK, title, body);
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Lax; Path=/"
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The posted form, once its `_csrf` field equals the cookie and was issued
/// here; otherwise a 403 page saying `refusal`.
pub fn posted_form(
    shared: &Shared,
    headers: &HeaderMap,
    body: &[u8],
    refusal: &str,
) -> Result<HashMap<String, String>, Box<Response>> {
    let form = parse_pairs(&String::from_utf8_lossy(body));
    let ok = match (param(&form, "_csrf"), http::cookie(headers, CSRF_COOKIE)) {
        (Some(field), Some(cookie)) => {
            constant_time_eq(field, &cookie) && shared.store.csrf_valid(field, shared.now())
        }
        _ => false,
    };
    if ok {
        Ok(form)
    } else {
        Err(Box::new(http::error_page(
            StatusCode::FORBIDDEN,
            "invalid_csrf",
            refusal,
        )))
    }
}

fn form_page(
    shared: &Shared,
    query: &str,
    csrf: &str,
    username: &str,
    error: Option<&str>,
) -> Response {
    let error_html = error_html("login-error", error);
    let body = format!(
        "<h1>Sign in</h1>\
<p class=\"note\">devstack: local stand-in for the Cognito hosted UI of pool <code>{pool}</code></p>\
{error_html}\
<form method=\"post\" action=\"/login?{action}\" aria-label=\"Sign in\">\
<input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">\
<label for=\"username\">Username</label>\
<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\" required value=\"{user}\">\
<label for=\"password\">Password</label>\
<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
<button type=\"submit\" name=\"signInSubmitButton\">Sign in</button>\
</form>\
<p class=\"note\"><a id=\"forgot-password\" href=\"/forgotPassword?{action}\">Forgot your password?</a></p>\
<p class=\"note\">Need an account? <a id=\"sign-up\" href=\"/signup?{action}\">Sign up</a></p>",
        pool = escape(&shared.seed.pool.id),
        action = escape(query),
        csrf = escape(csrf),
        user = escape(username),
    );
    form_response("Sign in", &body, csrf)
}

fn validated(shared: &Shared, query: &str) -> Result<ValidRequest, Rejection> {
    authorize::validate(shared, query)
}

pub async fn show(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    if let Err(rejection) = validated(&shared, &query) {
        return rejection.into_response();
    }
    let csrf = shared.store.issue_csrf(shared.now());
    form_page(&shared, &query, &csrf, "", None)
}

pub async fn submit(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let query = query.unwrap_or_default();
    let req = match validated(&shared, &query) {
        Ok(r) => r,
        Err(rejection) => return rejection.into_response(),
    };
    let form = match posted_form(
        &shared,
        &headers,
        &body,
        "The sign-in form expired or did not come from this page. Go back to the app and sign in again.",
    ) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let now = shared.now();

    let username = param(&form, "username").unwrap_or("");
    let password = param(&form, "password").unwrap_or("");
    let refuse = |message: &str| {
        let csrf = shared.store.issue_csrf(now);
        form_page(&shared, &query, &csrf, username, Some(message))
    };
    // Checked before the password, so a locked-out guesser learns nothing.
    if shared.lockouts.is_locked(username, now) {
        return refuse("Password attempts exceeded");
    }
    // Checked against the user pool's SRP verifier: no clear passwords kept.
    let user = shared
        .idp
        .password_ok(&shared.seed, username, password)
        .and_then(|name| shared.idp.hosted_user(&name));
    let Some(ref user) = user else {
        // Same message for unknown users and wrong passwords, as Cognito
        // (with user-existence errors prevented) does.
        shared.lockouts.failed(username, now);
        return refuse("Incorrect username or password.");
    };
    shared.lockouts.succeeded(username);

    let session_id = shared.store.create_session(&user.username, now, now);
    let mut res = authorize::complete(&shared, &req, &user.username, now);
    res.headers_mut()
        .append(header::SET_COOKIE, session::set_cookie(&session_id));
    res
}
