//! The API Gateway REST stand-in: `GET /{stage}/book` behind the selected
//! authorizer, with API Gateway's error bodies, headers and CORS behaviour.

pub mod cognito_authorizer;
pub mod lambda_authorizer;

use crate::config::AuthorizerMode;
use crate::http::{self, BODY_LIMIT};
use crate::ids;
use crate::state::Shared;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use lambda_authorizer::{AuthorizerDecision, LambdaSettings, MethodCall};
use serde_json::json;
use std::sync::Arc;

pub fn router(shared: Arc<Shared>) -> Router {
    let book = format!("/{}/book", shared.seed.api.stage);
    Router::new()
        .route(&book, any(book_route))
        .fallback(missing_token)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(request_id))
        .layer(axum::middleware::from_fn_with_state(
            ("api", shared.log.clone()),
            http::log_requests,
        ))
        .with_state(shared)
}

async fn request_id(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&ids::uuid_v4()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-amzn-requestid"), v);
    }
    res
}

/// A response API Gateway itself generates (not the backend): CORS headers
/// only when DEFAULT_4XX/5XX gateway responses are configured.
fn gateway_error(
    shared: &Shared,
    status: StatusCode,
    error_type: &'static str,
    body: serde_json::Value,
) -> Response {
    let mut res = (status, axum::Json(body)).into_response();
    res.headers_mut().insert(
        HeaderName::from_static("x-amzn-errortype"),
        HeaderValue::from_static(error_type),
    );
    if shared.gateway_cors {
        cors(&mut res);
    }
    res
}

fn cors(res: &mut Response) {
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Authorization,Content-Type"),
    );
}

fn unauthorized(shared: &Shared) -> Response {
    gateway_error(
        shared,
        StatusCode::UNAUTHORIZED,
        "UnauthorizedException",
        json!({"message": "Unauthorized"}),
    )
}

fn expired(shared: &Shared) -> Response {
    gateway_error(
        shared,
        StatusCode::UNAUTHORIZED,
        "UnauthorizedException",
        json!({"message": "The incoming token has expired"}),
    )
}

fn denied(shared: &Shared) -> Response {
    gateway_error(
        shared,
        StatusCode::FORBIDDEN,
        "AccessDeniedException",
        json!({"Message": "User is not authorized to access this resource with an explicit deny"}),
    )
}

/// Unknown route or method: API Gateway's famous misleading 403.
async fn missing_token(State(shared): State<Arc<Shared>>) -> Response {
    gateway_error(
        &shared,
        StatusCode::FORBIDDEN,
        "MissingAuthenticationTokenException",
        json!({"message": "Missing Authentication Token"}),
    )
}

async fn book_route(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    match method {
        // Preflights carry no Authorization header, so OPTIONS has no
        // authorizer (a MOCK integration answers it).
        Method::OPTIONS => {
            let mut res = StatusCode::OK.into_response();
            cors(&mut res);
            res.headers_mut().insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET,OPTIONS"),
            );
            res
        }
        Method::GET => book(&shared, &headers),
        _ => missing_token(State(shared)).await,
    }
}

fn book(shared: &Shared, headers: &HeaderMap) -> Response {
    // A header that is not valid text is as good as garbage.
    let header = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    let keys = shared.keys();
    let issuer = shared.issuer();
    let client_id = shared.seed.client.client_id.as_str();
    let now = shared.now();
    let mode = shared.authorizer();
    let authorizer = match mode {
        AuthorizerMode::Cognito | AuthorizerMode::CognitoScopes => {
            let scopes: &[String] = if mode == AuthorizerMode::Cognito {
                &[]
            } else {
                &shared.seed.api.method_scopes
            };
            match cognito_authorizer::authorize(header, scopes, &keys.jwks, &issuer, client_id, now)
            {
                Ok(token) => json!({
                    "kind": mode.as_str(),
                    "claims": cognito_authorizer::claims_as_strings(&token),
                    "username": token.username(),
                    "scopes": token.claim_str("scope"),
                }),
                Err(cognito_authorizer::Refusal::Expired) => return expired(shared),
                Err(cognito_authorizer::Refusal::Unauthorized) => return unauthorized(shared),
            }
        }
        AuthorizerMode::Lambda => {
            // API Gateway's own checks: the Lambda is not invoked for these.
            let Some(value) = header.filter(|h| !h.is_empty()) else {
                return unauthorized(shared);
            };
            if !shared.identity_regex.is_match(value) {
                return unauthorized(shared);
            }
            let settings = LambdaSettings {
                issuer: &issuer,
                client_id,
                policy: &shared.seed.api.lambda_policy,
            };
            let call = MethodCall {
                verb: "GET",
                path: "/book",
            };
            match lambda_authorizer::decide(value, call, &settings, &keys.jwks, now) {
                AuthorizerDecision::Allow {
                    principal_id,
                    context,
                    ..
                } => json!({
                    "kind": "lambda",
                    "principalId": principal_id,
                    "username": context.username,
                    "scopes": context.scopes,
                }),
                AuthorizerDecision::Deny { .. } => return denied(shared),
                AuthorizerDecision::Unauthorized => return unauthorized(shared),
            }
        }
    };
    let body = json!({
        "message": shared.seed.api.message,
        "book": {
            "isbn": "978-1-7185-0310-6",
            "title": "The Rust Programming Language",
            "authors": ["Steve Klabnik", "Carol Nichols"],
            "year": 2023,
        },
        "authorizer": authorizer,
    });
    let mut res = (StatusCode::OK, axum::Json(body)).into_response();
    cors(&mut res);
    res
}
