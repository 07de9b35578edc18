//! Live controls for demos and tests, on the hosted UI's origin: a page for
//! a person (`GET /_devstack`), the state of every control
//! (`GET /_devstack/state`), and one `POST /_devstack/…` per control. Each
//! takes effect on the next request, so the app shows it without a restart.
//! State changes are refused to other sites (see [`guard`]).
//!
//! | control | body | effect |
//! |---|---|---|
//! | `expire-tokens` | `{}` or `{"seconds": n}` | moves devstack's clock forward (default: one token lifetime and a second), so every token issued so far reads as expired |
//! | `reset-clock` | `{}` | the clock back to real time |
//! | `rotate-keys` | `{}` | new ID and access signing keys; the previous ones stay in the JWKS, older ones go |
//! | `gateway-cors` | `{"enabled": bool}` | CORS headers on the gateway's own 401/403/5xx answers on or off |
//! | `groups` | `{"username": s, "groups": [s]}` | the user's groups become exactly these (the pool's groups only) |
//! | `sign-out` | `{"username": s}` | AdminUserGlobalSignOut: every refresh token of the user stops working |
//! | `fail-next-token` | `{"error": s}`, `{"status": n}` or `{}` | the next `POST /oauth2/token` answers `400 {"error": s}` or status `n` (500..=599); `{}` disarms |

pub mod guard;
mod page;

use crate::http::{self, BODY_LIMIT};
use crate::idp::wire::{IdpError, Req};
use crate::state::{Shared, TokenFault};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The OAuth error codes of RFC 6749 §5.2 that the token endpoint can answer.
pub const TOKEN_ERRORS: [&str; 6] = [
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
];

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/_devstack", get(page))
        .route("/_devstack/state", get(state))
        .route("/_devstack/expire-tokens", control(expire_tokens))
        .route("/_devstack/reset-clock", control(reset_clock))
        .route("/_devstack/rotate-keys", control(rotate_keys))
        .route("/_devstack/gateway-cors", control(gateway_cors))
        .route("/_devstack/groups", control(groups))
        .route("/_devstack/sign-out", control(sign_out))
        .route("/_devstack/fail-next-token", control(fail_next_token))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            ("hosted-ui", shared.log.clone()),
            http::log_requests,
        ))
        .with_state(shared)
}

type Handler = fn(&Shared, &[u8]) -> Result<Value, Refused>;

/// `POST` only, after the cross-site checks; the body parsed by `handler`
/// runs off the async threads (key generation takes a while). A preflight
/// gets no `Access-Control-Allow-*` header, so a browser never sends the
/// real request from another origin.
fn control(handler: Handler) -> MethodRouter<Arc<Shared>> {
    post(
        move |State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes| async move {
            if let Some(reason) = guard::refusal(&headers) {
                return Refused::cross_site(reason).into_response();
            }
            let s = shared.clone();
            match tokio::task::spawn_blocking(move || handler(&s, &body)).await {
                Ok(Ok(answer)) => no_store(axum::Json(answer).into_response()),
                Ok(Err(refused)) => refused.into_response(),
                Err(_) => Refused {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    error: "internal_error",
                    message: "the control failed".into(),
                }
                .into_response(),
            }
        },
    )
    .options(|| async { StatusCode::NO_CONTENT })
}

async fn page(headers: HeaderMap) -> Response {
    match guard::read_refusal(&headers) {
        Some(reason) => Refused::cross_site(reason).into_response(),
        None => page::page().await,
    }
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

/// A control that did not run: `{"error": …, "message": …}`.
#[derive(Debug)]
pub struct Refused {
    status: StatusCode,
    error: &'static str,
    message: String,
}

impl Refused {
    fn cross_site(reason: &str) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            error: "cross_site_refused",
            message: format!(
                "devstack controls only take requests from this machine's own pages: {reason}"
            ),
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            message: message.into(),
        }
    }
}

impl From<IdpError> for Refused {
    fn from(e: IdpError) -> Self {
        let status = if e.kind == "UserNotFoundException" || e.kind == "ResourceNotFoundException" {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::BAD_REQUEST
        };
        Self {
            status,
            error: e.kind,
            message: e.message,
        }
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        no_store(
            (
                self.status,
                axum::Json(json!({"error": self.error, "message": self.message})),
            )
                .into_response(),
        )
    }
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Refused> {
    serde_json::from_slice(body).map_err(|e| Refused::bad(format!("bad control body: {e}")))
}

/// `GET /_devstack/state`: every control's current setting. Other sites
/// cannot read it (no CORS headers; a rebound DNS name is refused).
async fn state(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(reason) = guard::read_refusal(&headers) {
        return Refused::cross_site(reason).into_response();
    }
    no_store(axum::Json(current_state(&shared)).into_response())
}

pub fn current_state(shared: &Shared) -> Value {
    let keys = shared.keys();
    let (id_kids, access_kids) = keys.store.kids();
    let users: Vec<Value> = shared
        .idp
        .lock()
        .users
        .by_name
        .values()
        .map(|u| {
            json!({
                "username": u.username,
                "groups": u.groups,
                "signed_out_at": u.signed_out_at,
            })
        })
        .collect();
    json!({
        "clock": {"now": shared.now(), "offset_seconds": shared.clock.offset()},
        "keys": {
            "id_kids": id_kids,
            "access_kids": access_kids,
            "signing_id_kid": keys.store.id_key().kid(),
            "signing_access_kid": keys.store.access_key().kid(),
        },
        "gateway_cors": shared.gateway_cors(),
        "authorizer": shared.authorizer().as_str(),
        "fail_next_token": shared.token_fault().map(|f| fault_json(&f)),
        "users": users,
        "token_errors": TOKEN_ERRORS,
    })
}

fn fault_json(fault: &TokenFault) -> Value {
    match fault {
        TokenFault::OAuthError(error) => json!({"error": error}),
        TokenFault::Status(status) => json!({"status": status}),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expire {
    seconds: Option<i64>,
}

fn expire_tokens(shared: &Shared, body: &[u8]) -> Result<Value, Refused> {
    let Expire { seconds } = parse(body)?;
    let tokens = &shared.seed.tokens;
    let seconds = seconds.unwrap_or(tokens.id_seconds.max(tokens.access_seconds) + 1);
    if !(1..=10 * 365 * 24 * 3600).contains(&seconds) {
        return Err(Refused::bad("seconds must be 1 to 315360000"));
    }
    shared.clock.advance(seconds);
    Ok(current_state(shared))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

fn reset_clock(shared: &Shared, body: &[u8]) -> Result<Value, Refused> {
    let Empty {} = parse(body)?;
    shared.clock.reset_offset();
    Ok(current_state(shared))
}

fn rotate_keys(shared: &Shared, body: &[u8]) -> Result<Value, Refused> {
    let Empty {} = parse(body)?;
    shared.rotate_keys().map_err(|e| Refused {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        error: "internal_error",
        message: format!("key rotation failed: {e}"),
    })?;
    let keys = shared.keys();
    Ok(json!({
        "id_kid": keys.store.id_key().kid(),
        "access_kid": keys.store.access_key().kid(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Switch {
    enabled: bool,
}

fn gateway_cors(shared: &Shared, body: &[u8]) -> Result<Value, Refused> {
    let Switch { enabled } = parse(body)?;
    shared.set_gateway_cors(enabled);
    Ok(current_state(shared))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Groups {
    username: String,
    groups: Vec<String>,
}

/// Through the user pool's own AdminAddUserToGroup and
/// AdminRemoveUserFromGroup, so the same checks (known user, known group)
/// apply.
fn groups(shared: &Shared, body: &[u8]) -> Result<Value, Refused> {
    let Groups { username, groups } = parse(body)?;
    let request = |group: &str| {
        Req::parse(
            json!({"UserPoolId": shared.seed.pool.id, "Username": username, "GroupName": group})
                .to_string()
                .as_bytes(),
        )
    };
    let current = user_groups(shared, &username)?;
    let mut added = Vec::new();
    for group in groups.iter().filter(|g| !current.contains(g)) {
        let result =
            request(group).and_then(|req| crate::idp::admin::admin_add_user_to_group(shared, &req));
        if let Err(e) = result {
            // All or nothing: an unknown group leaves the user as before.
            for group in added {
                if let Ok(req) = request(group) {
                    let _ = crate::idp::admin::admin_remove_user_from_group(shared, &req);
                }
            }
            return Err(e.into());
        }
        added.push(group);
    }
    for group in current.iter().filter(|g| !groups.contains(g)) {
        crate::idp::admin::admin_remove_user_from_group(shared, &request(group)?)?;
    }
    Ok(current_state(shared))
}

fn user_groups(shared: &Shared, username: &str) -> Result<Vec<String>, Refused> {
    shared
        .idp
        .lock()
        .users
        .get(username)
        .map(|u| u.groups.clone())
        .ok_or_else(|| Refused {
            status: StatusCode::NOT_FOUND,
            error: "UserNotFoundException",
            message: format!("no user {username:?}"),
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct User {
    username: String,
}

/// The user pool's AdminUserGlobalSignOut.
fn sign_out(shared: &Shared, body: &[u8]) -> Result<Value, Refused> {
    let User { username } = parse(body)?;
    let request = Req::parse(
        json!({"UserPoolId": shared.seed.pool.id, "Username": username})
            .to_string()
            .as_bytes(),
    )?;
    crate::idp::account::admin_user_global_sign_out(shared, &request)?;
    Ok(current_state(shared))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fault {
    error: Option<String>,
    status: Option<u16>,
}

fn fail_next_token(shared: &Shared, body: &[u8]) -> Result<Value, Refused> {
    let fault = match parse(body)? {
        Fault {
            error: Some(error),
            status: None,
        } => {
            if !TOKEN_ERRORS.contains(&error.as_str()) {
                return Err(Refused::bad(format!(
                    "error must be one of {}",
                    TOKEN_ERRORS.join(", ")
                )));
            }
            Some(TokenFault::OAuthError(error))
        }
        Fault {
            error: None,
            status: Some(status),
        } => {
            if !(500..=599).contains(&status) {
                return Err(Refused::bad("status must be 500 to 599"));
            }
            Some(TokenFault::Status(status))
        }
        Fault {
            error: None,
            status: None,
        } => None,
        Fault { .. } => return Err(Refused::bad("give error or status, not both")),
    };
    shared.set_token_fault(fault);
    Ok(current_state(shared))
}
