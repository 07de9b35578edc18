//! The API Gateway REST stand-in: the seed's routes (`GET /book` by
//! default), with API Gateway's error bodies, headers, CORS behaviour and
//! authorizer result cache, on four bases of the stage:
//!
//! - `/{stage}/cognito`, `/{stage}/cognito-scopes` and `/{stage}/lambda`,
//!   each behind its own authorizer of that kind: the APIs that
//!   infra/backend.yaml deploys (outputs `CognitoApiUrl`,
//!   `CognitoScopesApiUrl`, `LambdaApiUrl`), served all at once;
//! - `/{stage}` behind the authorizer selected at start (`--authorizer`,
//!   switchable at run time): the single `apiUrl` of older configs.

pub mod authorizer_cache;
pub mod cognito_authorizer;
pub mod iam;
pub mod lambda_authorizer;

use crate::config::AuthorizerMode;
use crate::http::{self, BODY_LIMIT};
use crate::ids;
use crate::state::Shared;
use authorizer_cache::CachedResult;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use lambda_authorizer::{LambdaSettings, MethodCall};
use serde_json::json;
use std::sync::Arc;

/// The account in devstack's method ARNs (API Gateway's documentation
/// example); only the Lambda authorizer's policies ever show it.
const ACCOUNT: &str = "123456789012";

/// One base of the stage and the authorizer in front of its routes.
struct Api {
    /// `""` or `/{kind}`: what comes between the stage and a seed route.
    prefix: String,
    /// `None`: the authorizer selected at run time.
    kind: Option<AuthorizerMode>,
    /// The seed's Lambda table with every route under `prefix`: a Lambda
    /// authorizer sees the full resource path in its method ARN.
    lambda_policy: Vec<authorizer::PolicyRule>,
}

impl Api {
    fn new(shared: &Shared, kind: Option<AuthorizerMode>) -> Self {
        let prefix = kind.map(|k| format!("/{k}")).unwrap_or_default();
        let lambda_policy = shared
            .seed
            .api
            .lambda_policy
            .iter()
            .map(|rule| authorizer::PolicyRule {
                scope: rule.scope.clone(),
                allow: rule
                    .allow
                    .iter()
                    .map(|route| match route.split_once(' ') {
                        Some((verb, path)) => format!("{verb} {prefix}{path}"),
                        None => route.clone(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            prefix,
            kind,
            lambda_policy,
        }
    }

    fn mode(&self, shared: &Shared) -> AuthorizerMode {
        self.kind.unwrap_or_else(|| shared.authorizer())
    }

    /// The authorizer's name for its result cache: one cache per
    /// authorizer, as API Gateway keeps it.
    fn cache_name(&self, mode: AuthorizerMode) -> String {
        format!("{}:{mode}", self.prefix)
    }
}

/// The base URL of each fixed-authorizer API (`apis` in config.json).
pub fn api_bases(api_url: &str) -> [(AuthorizerMode, String); 3] {
    [
        AuthorizerMode::Cognito,
        AuthorizerMode::CognitoScopes,
        AuthorizerMode::Lambda,
    ]
    .map(|mode| (mode, format!("{api_url}/{mode}")))
}

pub fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new();
    let mut paths: Vec<&str> = shared
        .seed
        .api
        .routes
        .iter()
        .filter_map(|r| route_path(r))
        .collect();
    // One axum route per path (a second one for the same path panics).
    paths.sort_unstable();
    paths.dedup();
    let kinds = [
        None,
        Some(AuthorizerMode::Cognito),
        Some(AuthorizerMode::CognitoScopes),
        Some(AuthorizerMode::Lambda),
    ];
    for kind in kinds {
        let api = Arc::new(Api::new(&shared, kind));
        for path in &paths {
            let owned = path.to_string();
            let api_of_route = api.clone();
            router = router.route(
                &format!("/{}{}{path}", shared.seed.api.stage, api.prefix),
                any(
                    move |State(shared): State<Arc<Shared>>, method: Method, headers: HeaderMap| {
                        let path = owned.clone();
                        let api = api_of_route.clone();
                        async move { method_call(&shared, &api, &path, method, &headers) }
                    },
                ),
            );
        }
    }
    router
        .fallback(missing_token)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(request_id))
        .layer(axum::middleware::from_fn_with_state(
            ("api", shared.log.clone()),
            http::log_requests,
        ))
        .with_state(shared)
}

/// `"GET /book"` → `/book` (seed routes are validated as `VERB /path`).
fn route_path(route: &str) -> Option<&str> {
    route.split_once(' ').map(|(_, path)| path)
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
    if shared.gateway_cors() {
        http::cors(res.headers_mut(), GATEWAY_CORS);
    }
    res
}

/// What the templates' DEFAULT_4XX/5XX gateway responses and the OPTIONS
/// mock add to `Access-Control-Allow-Origin: *`.
const GATEWAY_CORS: &[(HeaderName, &str)] = &[(
    header::ACCESS_CONTROL_ALLOW_HEADERS,
    "Authorization,Content-Type",
)];

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

fn not_authorized(shared: &Shared) -> Response {
    gateway_error(
        shared,
        StatusCode::FORBIDDEN,
        "AccessDeniedException",
        json!({"Message": "User is not authorized to access this resource"}),
    )
}

/// A Lambda output that is not a usable policy.
fn configuration_error(shared: &Shared) -> Response {
    gateway_error(
        shared,
        StatusCode::INTERNAL_SERVER_ERROR,
        "AuthorizerConfigurationException",
        json!({"message": null}),
    )
}

/// API Gateway's own answers when an authorizer refuses a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Unauthorized,
    Expired,
    ExplicitDeny,
    /// The (cached) policy has no statement for the method.
    NotAuthorized,
    /// The Lambda's output is not a usable policy.
    Configuration,
}

impl Refusal {
    fn respond(self, shared: &Shared) -> Response {
        match self {
            Refusal::Unauthorized => unauthorized(shared),
            Refusal::Expired => expired(shared),
            Refusal::ExplicitDeny => denied(shared),
            Refusal::NotAuthorized => not_authorized(shared),
            Refusal::Configuration => configuration_error(shared),
        }
    }
}

/// Unknown route or method: API Gateway's famous misleading 403.
async fn missing_token(State(shared): State<Arc<Shared>>) -> Response {
    missing_token_response(&shared)
}

fn missing_token_response(shared: &Shared) -> Response {
    gateway_error(
        shared,
        StatusCode::FORBIDDEN,
        "MissingAuthenticationTokenException",
        json!({"message": "Missing Authentication Token"}),
    )
}

/// The verbs the seed routes for `path`.
fn verbs_of<'a>(shared: &'a Shared, path: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    shared.seed.api.routes.iter().filter_map(move |r| {
        r.split_once(' ')
            .filter(|(_, p)| *p == path)
            .map(|(v, _)| v)
    })
}

fn method_call(
    shared: &Shared,
    api: &Api,
    path: &str,
    method: Method,
    headers: &HeaderMap,
) -> Response {
    // Preflights carry no Authorization header, so OPTIONS has no
    // authorizer (a MOCK integration answers it).
    if method == Method::OPTIONS {
        let mut allowed: Vec<&str> = verbs_of(shared, path).collect();
        allowed.push("OPTIONS");
        let mut res = StatusCode::OK.into_response();
        http::cors(res.headers_mut(), GATEWAY_CORS);
        if let Ok(v) = HeaderValue::from_str(&allowed.join(",")) {
            res.headers_mut()
                .insert(header::ACCESS_CONTROL_ALLOW_METHODS, v);
        }
        return res;
    }
    if !verbs_of(shared, path).any(|v| v == method.as_str()) {
        return missing_token_response(shared);
    }
    // A header that is not valid text is as good as garbage.
    let header = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    let resource = format!("{}{path}", api.prefix);
    let call = MethodCall {
        verb: method.as_str(),
        path: &resource,
    };
    let mode = api.mode(shared);
    let cache_name = api.cache_name(mode);
    let authorizer = match mode {
        AuthorizerMode::Cognito | AuthorizerMode::CognitoScopes => {
            cognito(shared, mode, &cache_name, header)
        }
        AuthorizerMode::Lambda => lambda(shared, api, &cache_name, call, header),
    };
    match authorizer {
        Ok(authorizer) => book(shared, authorizer),
        Err(refusal) => refusal.respond(shared),
    }
}

/// The COGNITO_USER_POOLS authorizer, through the result cache.
fn cognito(
    shared: &Shared,
    mode: AuthorizerMode,
    cache_name: &str,
    header: Option<&str>,
) -> Result<serde_json::Value, Refusal> {
    let Some(value) = header.filter(|h| !h.is_empty()) else {
        return Err(Refusal::Unauthorized);
    };
    let now = shared.now();
    let token = match shared.authorizer_cache.get(cache_name, value, now) {
        Some(CachedResult::Claims(token)) => token,
        _ => {
            let scopes: &[String] = if mode == AuthorizerMode::Cognito {
                &[]
            } else {
                &shared.seed.api.method_scopes
            };
            let keys = shared.keys();
            let client_id = shared.seed.client.client_id.as_str();
            let issuer = shared.issuer();
            let token = cognito_authorizer::authorize(
                Some(value),
                scopes,
                &keys.jwks,
                &issuer,
                client_id,
                now,
            )
            .map_err(|refusal| match refusal {
                cognito_authorizer::Refusal::Expired => Refusal::Expired,
                cognito_authorizer::Refusal::Unauthorized => Refusal::Unauthorized,
            })?;
            let ttl = shared.seed.api.cache_ttl_seconds.for_mode(mode);
            let cached = CachedResult::Claims(token.clone());
            shared
                .authorizer_cache
                .put(cache_name, value, cached, ttl, now);
            token
        }
    };
    Ok(book_backend::cognito_authorizer(
        mode.as_str(),
        &cognito_authorizer::claims_as_strings(&token),
    ))
}

/// The Lambda TOKEN authorizer: API Gateway's own checks, then the cached
/// policy or the Lambda's answer, read for this method as API Gateway does.
fn lambda(
    shared: &Shared,
    api: &Api,
    cache_name: &str,
    call: MethodCall<'_>,
    header: Option<&str>,
) -> Result<serde_json::Value, Refusal> {
    // API Gateway's own checks: the Lambda is not invoked for these.
    let Some(value) = header.filter(|h| !h.is_empty()) else {
        return Err(Refusal::Unauthorized);
    };
    if !shared.identity_regex.is_match(value) {
        return Err(Refusal::Unauthorized);
    }
    let now = shared.now();
    let method_arn = format!(
        "arn:aws:execute-api:{}:{ACCOUNT}:devstack/{}/{}{}",
        shared.seed.pool.region, shared.seed.api.stage, call.verb, call.path
    );
    let output = match shared.authorizer_cache.get(cache_name, value, now) {
        Some(CachedResult::Policy(output)) => output,
        _ => {
            let issuer = shared.issuer();
            let settings = LambdaSettings {
                issuer: &issuer,
                client_id: &shared.seed.client.client_id,
                policy: &api.lambda_policy,
            };
            let decision =
                lambda_authorizer::decide(value, call, &settings, &shared.keys().jwks, now);
            // No policy is the Lambda's "Unauthorized": a 401, not cached.
            let output = decision
                .to_lambda_output(&method_arn)
                .ok_or(Refusal::Unauthorized)?;
            let ttl = shared.seed.api.cache_ttl_seconds.lambda;
            let cached = CachedResult::Policy(output.clone());
            shared
                .authorizer_cache
                .put(cache_name, value, cached, ttl, now);
            output
        }
    };
    match iam::evaluate(&output, &method_arn) {
        Some(iam::Verdict::Allow) => Ok(book_backend::lambda_authorizer(
            output["principalId"].as_str().unwrap_or_default(),
            output["context"]
                .as_object()
                .unwrap_or(&serde_json::Map::new()),
        )),
        Some(iam::Verdict::ExplicitDeny) => Err(Refusal::ExplicitDeny),
        Some(iam::Verdict::NoMatch) => Err(Refusal::NotAuthorized),
        None => Err(Refusal::Configuration),
    }
}

/// The backend's answer (book-backend's body and headers), with what the
/// authorizer passed on.
fn book(shared: &Shared, authorizer: serde_json::Value) -> Response {
    let body = book_backend::body(&shared.seed.api.message, authorizer);
    let mut res = (StatusCode::OK, body.to_string()).into_response();
    for (name, value) in book_backend::RESPONSE_HEADERS {
        res.headers_mut().insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    res
}
