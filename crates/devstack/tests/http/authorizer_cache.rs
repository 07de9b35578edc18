//! API Gateway's authorizer result cache: per authorizer TTL, keyed by the
//! token, the cached result applied to every route of the authorizer.

use crate::common::*;
use devstack::config::seed::PolicyRule;
use devstack::{AuthorizerMode, DevStackConfig};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

/// Two scopes, three routes: books/read may GET /book, books/write may
/// POST /book, and GET /shelf is in no row of the table.
fn two_routes(c: &mut DevStackConfig) {
    c.seed.resource_servers[0].scopes = vec!["read".into(), "write".into()];
    c.seed.client.allowed_scopes.push("books/write".into());
    c.seed.api.routes = vec!["GET /book".into(), "POST /book".into(), "GET /shelf".into()];
    c.seed.api.lambda_policy = vec![
        PolicyRule {
            scope: "books/read".into(),
            allow: vec!["GET /book".into()],
        },
        PolicyRule {
            scope: "books/write".into(),
            allow: vec!["POST /book".into()],
        },
    ];
}

async fn call(s: &Stack, method: reqwest::Method, path: &str, auth: &str) -> Response {
    Client::new()
        .request(method, format!("{}{path}", s.handle.api_url()))
        .header("Authorization", auth)
        .send()
        .await
        .unwrap()
}

async fn status_and_body(res: Response) -> (StatusCode, Value) {
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn reader_token(s: &Stack) -> String {
    let t = s.tokens(&[("scope", "openid books/read")], "demo").await;
    t["access_token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_route_first_does_not_block_the_allowed_ones() {
    let s = stack_with(|c| {
        two_routes(c);
        c.authorizer = AuthorizerMode::Lambda;
    })
    .await;
    let bearer = format!("Bearer {}", reader_token(&s).await);
    let (status, body) =
        status_and_body(call(&s, reqwest::Method::POST, "/book", &bearer).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["Message"],
        "User is not authorized to access this resource with an explicit deny"
    );
    // Answered from the policy cached by the POST: still allowed.
    let (status, body) =
        status_and_body(call(&s, reqwest::Method::GET, "/book", &bearer).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["authorizer"]["username"], "demo");
    assert_eq!(body["authorizer"]["scopes"], "openid books/read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cached_policy_answers_every_route_of_the_authorizer() {
    let s = stack_with(|c| {
        two_routes(c);
        c.authorizer = AuthorizerMode::Lambda;
    })
    .await;
    let bearer = format!("Bearer {}", reader_token(&s).await);
    assert_eq!(
        call(&s, reqwest::Method::GET, "/book", &bearer)
            .await
            .status(),
        StatusCode::OK
    );
    // GET /shelf is in no row: the Lambda, asked, would Deny it explicitly;
    // the cached policy has no statement for it, so API Gateway answers
    // its own 403 without "explicit deny".
    let (status, body) =
        status_and_body(call(&s, reqwest::Method::GET, "/shelf", &bearer).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        serde_json::json!({"Message": "User is not authorized to access this resource"})
    );
    // After the TTL the Lambda is asked again, for this route.
    s.clock.advance(61);
    let (status, body) =
        status_and_body(call(&s, reqwest::Method::GET, "/shelf", &bearer).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["Message"],
        "User is not authorized to access this resource with an explicit deny"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_allow_outlives_the_token_for_at_most_the_ttl() {
    let s = stack_with(|c| c.authorizer = AuthorizerMode::Lambda).await;
    let bearer = format!("Bearer {}", reader_token(&s).await);
    // 10 s before exp: verified and cached for 60 s.
    s.clock.advance(3590);
    assert_eq!(s.book(Some(&bearer)).await.status(), StatusCode::OK);
    // Expired, but the cache still says Allow.
    s.clock.advance(49);
    assert_eq!(s.book(Some(&bearer)).await.status(), StatusCode::OK);
    // 60 s after it was cached the entry is gone: the Lambda sees an
    // expired token.
    s.clock.advance(11);
    assert_eq!(
        s.book(Some(&bearer)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cognito_authorizers_cache_too_each_with_its_own_ttl() {
    let s = stack_with(|c| {
        c.seed.api.cache_ttl_seconds.cognito = 30;
        c.seed.api.cache_ttl_seconds.cognito_scopes = 0;
    })
    .await;
    let t = s.tokens(&[], "demo").await;
    let (id, access) = (
        t["id_token"].as_str().unwrap().to_string(),
        t["access_token"].as_str().unwrap().to_string(),
    );
    s.clock.advance(3590);
    assert_eq!(s.book(Some(&id)).await.status(), StatusCode::OK);
    s.handle.set_authorizer(AuthorizerMode::CognitoScopes);
    assert_eq!(s.book(Some(&access)).await.status(), StatusCode::OK);
    s.clock.advance(20);
    // cognito: 30 s of cache, the expired ID token still passes.
    s.handle.set_authorizer(AuthorizerMode::Cognito);
    assert_eq!(s.book(Some(&id)).await.status(), StatusCode::OK);
    // cognito-scopes: TTL 0 is no cache, the expired token is refused.
    s.handle.set_authorizer(AuthorizerMode::CognitoScopes);
    let res = s.book(Some(&access)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["message"], "The incoming token has expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_is_keyed_by_the_token_and_refusals_are_not_cached() {
    let s = stack_with(|c| c.authorizer = AuthorizerMode::Lambda).await;
    let reader = format!("Bearer {}", reader_token(&s).await);
    let t = s.tokens(&[("scope", "openid email")], "demo").await;
    let other = format!("Bearer {}", t["access_token"].as_str().unwrap());
    assert_eq!(s.book(Some(&reader)).await.status(), StatusCode::OK);
    // Another token of the same user is decided on its own.
    assert_eq!(s.book(Some(&other)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(s.book(Some(&reader)).await.status(), StatusCode::OK);
    // A 401 is not a policy: nothing is cached for it.
    assert_eq!(
        s.book(Some("Bearer a.b.c")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Once the cached Allow has expired, the Lambda decides afresh.
    s.clock.advance(3601);
    assert_eq!(
        s.book(Some(&reader)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
