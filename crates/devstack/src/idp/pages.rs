//! Hosted-UI pages of the user pool: `/signup` (same query as `/login`),
//! `/confirm` (the emailed code, then signed in on the app's callback),
//! `/forgotPassword` and `/confirmForgotPassword`. They run the same
//! operations as the JSON API, with the login page's CSRF scheme.

use super::signup;
use super::wire::{IdpResult, Req};
use crate::hosted_ui::authorize::{self, ValidRequest};
use crate::hosted_ui::login::{error_html, form_response, posted_form};
use crate::hosted_ui::session;
use crate::http::{self, escape, param};
use crate::ids;
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// How long the "signed in after confirming" link from sign-up lasts.
const SIGN_UP_SESSION_TTL: i64 = 3600;

fn call(
    shared: &Shared,
    op: fn(&Shared, &Req) -> IdpResult<Value>,
    body: Value,
) -> IdpResult<Value> {
    let req = Req::parse(body.to_string().as_bytes())?;
    op(shared, &req)
}

struct Field<'a> {
    name: &'a str,
    label: &'a str,
    kind: &'a str,
    value: &'a str,
    autocomplete: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn page(
    shared: &Shared,
    title: &str,
    action: &str,
    query: &str,
    fields: &[Field],
    hidden: &[(&str, &str)],
    note: Option<&str>,
    error: Option<&str>,
    footer: &str,
) -> Response {
    let csrf = shared.store.issue_csrf(shared.now());
    let error_html = error_html("form-error", error);
    let note_html = note
        .map(|n| format!("<p class=\"note\" id=\"form-note\">{}</p>", escape(n)))
        .unwrap_or_default();
    let mut inputs = String::new();
    for (k, v) in hidden {
        inputs.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(k),
            escape(v)
        ));
    }
    for f in fields {
        inputs.push_str(&format!(
            "<label for=\"{n}\">{l}</label><input id=\"{n}\" name=\"{n}\" type=\"{t}\" autocomplete=\"{a}\" autocapitalize=\"none\" required value=\"{v}\">",
            n = escape(f.name),
            l = escape(f.label),
            t = escape(f.kind),
            a = escape(f.autocomplete),
            v = escape(f.value),
        ));
    }
    let body = format!(
        "<h1>{t}</h1>{note_html}{error_html}\
<form method=\"post\" action=\"{action}?{q}\" aria-label=\"{t}\">\
<input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">{inputs}\
<button type=\"submit\">{t}</button></form>{footer}",
        t = escape(title),
        q = escape(query),
        csrf = escape(&csrf),
    );
    form_response(title, &body, &csrf)
}

fn back_to_login(query: &str) -> String {
    format!(
        "<p class=\"note\"><a href=\"/login?{}\">Back to sign in</a></p>",
        escape(query)
    )
}

fn validated(shared: &Shared, query: &str) -> Result<ValidRequest, Box<Response>> {
    authorize::validate(shared, query).map_err(|r| Box::new(r.into_response()))
}

/// The posted form, once its CSRF token checks out.
fn form(
    shared: &Shared,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<HashMap<String, String>, Box<Response>> {
    posted_form(
        shared,
        headers,
        body,
        "The form expired or did not come from this page. Go back to the app and sign in again.",
    )
}

/// A posted page's authorize query (validated) and its form (CSRF
/// checked): what every form handler here starts with.
fn posted(
    shared: &Shared,
    headers: &HeaderMap,
    query: Option<String>,
    body: &Bytes,
) -> Result<(String, ValidRequest, HashMap<String, String>), Box<Response>> {
    let query = query.unwrap_or_default();
    let request = validated(shared, &query)?;
    let form = form(shared, headers, body)?;
    Ok((query, request, form))
}

fn signup_page(
    shared: &Shared,
    query: &str,
    username: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    let email_pool = shared.seed.user_pool.email_is_username();
    let mut fields = vec![Field {
        name: "username",
        label: if email_pool { "Email" } else { "Username" },
        kind: if email_pool { "email" } else { "text" },
        value: username,
        autocomplete: if email_pool { "email" } else { "username" },
    }];
    if !email_pool {
        fields.push(Field {
            name: "email",
            label: "Email",
            kind: "email",
            value: email,
            autocomplete: "email",
        });
    }
    fields.push(Field {
        name: "password",
        label: "Password",
        kind: "password",
        value: "",
        autocomplete: "new-password",
    });
    page(
        shared,
        "Sign up",
        "/signup",
        query,
        &fields,
        &[],
        None,
        error,
        &back_to_login(query),
    )
}

fn confirm_page(
    shared: &Shared,
    query: &str,
    username: &str,
    ticket: &str,
    note: Option<&str>,
    error: Option<&str>,
) -> Response {
    let fields = [Field {
        name: "code",
        label: "Verification code",
        kind: "text",
        value: "",
        autocomplete: "one-time-code",
    }];
    page(
        shared,
        "Confirm your account",
        "/confirm",
        query,
        &fields,
        &[("username", username), ("ticket", ticket)],
        note,
        error,
        &back_to_login(query),
    )
}

pub async fn show_signup(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    if let Err(r) = validated(&shared, &query) {
        return *r;
    }
    signup_page(&shared, &query, "", "", None)
}

pub async fn submit_signup(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let (query, _, form) = match posted(&shared, &headers, query, &body) {
        Ok(posted) => posted,
        Err(r) => return *r,
    };
    let username = param(&form, "username").unwrap_or("").to_string();
    let email = param(&form, "email").unwrap_or("").to_string();
    let password = param(&form, "password").unwrap_or("");
    let mut req = json!({
        "ClientId": shared.seed.client.client_id,
        "Username": username,
        "Password": password,
    });
    if !email.is_empty() {
        req["UserAttributes"] = json!([{"Name": "email", "Value": email}]);
    }
    let shared2 = shared.clone();
    let result = tokio::task::spawn_blocking(move || call(&shared2, signup::sign_up, req)).await;
    match result {
        Ok(Ok(out)) => {
            let ticket = ids::secret(24);
            let internal = if shared.seed.user_pool.email_is_username() {
                out["UserSub"].as_str().unwrap_or_default().to_string()
            } else {
                username.clone()
            };
            let now = shared.now();
            shared
                .idp
                .lock()
                .signups
                .insert(ticket.clone(), (internal, now + SIGN_UP_SESSION_TTL));
            let note = out["CodeDeliveryDetails"]["Destination"].as_str().map(|d| {
                format!(
                    "We have sent a code by email to {d}. Enter it below to confirm your account."
                )
            });
            confirm_page(&shared, &query, &username, &ticket, note.as_deref(), None)
        }
        Ok(Err(e)) => signup_page(&shared, &query, &username, &email, Some(&e.message)),
        Err(_) => signup_page(
            &shared,
            &query,
            &username,
            &email,
            Some("Something went wrong."),
        ),
    }
}

pub async fn submit_confirm(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let (query, req, form) = match posted(&shared, &headers, query, &body) {
        Ok(posted) => posted,
        Err(r) => return *r,
    };
    let username = param(&form, "username").unwrap_or("");
    let ticket = param(&form, "ticket").unwrap_or("");
    let code = param(&form, "code").unwrap_or("");
    let out = call(
        &shared,
        signup::confirm_sign_up,
        json!({"ClientId": shared.seed.client.client_id, "Username": username, "ConfirmationCode": code}),
    );
    if let Err(e) = out {
        return confirm_page(&shared, &query, username, ticket, None, Some(&e.message));
    }
    let now = shared.now();
    let who = shared
        .idp
        .lock()
        .signups
        .remove(ticket)
        .filter(|(_, exp)| *exp > now)
        .map(|(name, _)| name);
    match who {
        // Signed in on the app's callback, as after the hosted UI's sign-up.
        Some(name) => {
            let session_id = shared.store.create_session(&name, now, now);
            let mut res = authorize::complete(&shared, &req, &name, now);
            res.headers_mut()
                .append(header::SET_COOKIE, session::set_cookie(&session_id));
            res
        }
        None => http::found(&format!("/login?{query}")),
    }
}

fn forgot_page(shared: &Shared, query: &str, username: &str, error: Option<&str>) -> Response {
    let email_pool = shared.seed.user_pool.email_is_username();
    let fields = [Field {
        name: "username",
        label: if email_pool { "Email" } else { "Username" },
        kind: "text",
        value: username,
        autocomplete: "username",
    }];
    page(
        shared,
        "Forgot your password?",
        "/forgotPassword",
        query,
        &fields,
        &[],
        Some("Enter your username and we will email you a code to reset your password."),
        error,
        &back_to_login(query),
    )
}

fn reset_page(
    shared: &Shared,
    query: &str,
    username: &str,
    note: Option<&str>,
    error: Option<&str>,
) -> Response {
    let fields = [
        Field {
            name: "code",
            label: "Code",
            kind: "text",
            value: "",
            autocomplete: "one-time-code",
        },
        Field {
            name: "password",
            label: "New password",
            kind: "password",
            value: "",
            autocomplete: "new-password",
        },
    ];
    page(
        shared,
        "Reset your password",
        "/confirmForgotPassword",
        query,
        &fields,
        &[("username", username)],
        note,
        error,
        &back_to_login(query),
    )
}

pub async fn show_forgot(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    if let Err(r) = validated(&shared, &query) {
        return *r;
    }
    forgot_page(&shared, &query, "", None)
}

pub async fn submit_forgot(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let (query, _, form) = match posted(&shared, &headers, query, &body) {
        Ok(posted) => posted,
        Err(r) => return *r,
    };
    let username = param(&form, "username").unwrap_or("");
    match call(
        &shared,
        signup::forgot_password,
        json!({"ClientId": shared.seed.client.client_id, "Username": username}),
    ) {
        Ok(out) => {
            let note = out["CodeDeliveryDetails"]["Destination"]
                .as_str()
                .map(|d| format!("We have sent a password reset code by email to {d}."));
            reset_page(&shared, &query, username, note.as_deref(), None)
        }
        Err(e) => forgot_page(&shared, &query, username, Some(&e.message)),
    }
}

pub async fn submit_reset(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let (query, _, form) = match posted(&shared, &headers, query, &body) {
        Ok(posted) => posted,
        Err(r) => return *r,
    };
    let username = param(&form, "username").unwrap_or("").to_string();
    let code = param(&form, "code").unwrap_or("");
    let password = param(&form, "password").unwrap_or("");
    let req = json!({"ClientId": shared.seed.client.client_id, "Username": username,
                     "ConfirmationCode": code, "Password": password});
    let s = shared.clone();
    match tokio::task::spawn_blocking(move || call(&s, signup::confirm_forgot_password, req)).await
    {
        Ok(Ok(_)) => http::found(&format!("/login?{query}")),
        Ok(Err(e)) => reset_page(&shared, &query, &username, None, Some(&e.message)),
        Err(_) => reset_page(
            &shared,
            &query,
            &username,
            None,
            Some("Something went wrong."),
        ),
    }
}
