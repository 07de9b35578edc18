use crate::common::*;
use devstack::AuthorizerMode;
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn expect(
    res: reqwest::Response,
    status: StatusCode,
    key: &str,
    message: &str,
    error_type: &str,
) {
    assert_eq!(res.status(), status);
    assert_eq!(res.headers()["x-amzn-errortype"], error_type);
    assert!(res.headers().contains_key("x-amzn-requestid"));
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ key: message }));
}

async fn unauthorized(res: reqwest::Response) {
    expect(
        res,
        StatusCode::UNAUTHORIZED,
        "message",
        "Unauthorized",
        "UnauthorizedException",
    )
    .await
}

async fn expired(res: reqwest::Response) {
    expect(
        res,
        StatusCode::UNAUTHORIZED,
        "message",
        "The incoming token has expired",
        "UnauthorizedException",
    )
    .await
}

async fn denied(res: reqwest::Response) {
    expect(
        res,
        StatusCode::FORBIDDEN,
        "Message",
        "User is not authorized to access this resource with an explicit deny",
        "AccessDeniedException",
    )
    .await
}

async fn ok(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(res.headers().contains_key("x-amzn-requestid"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["message"], "Hello from the /book backend");
    assert!(body["book"]["title"].is_string());
    body
}

fn tamper(jwt: &str) -> String {
    // Flip one character in the middle of the signature.
    let mut chars: Vec<char> = jwt.chars().collect();
    let i = jwt.rfind('.').unwrap() + 10;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_authorizer_wants_an_id_token() {
    let s = stack().await;
    assert_eq!(s.handle.authorizer(), AuthorizerMode::Cognito);
    let t = s.tokens(&[], "demo").await;
    let (id, access) = (
        t["id_token"].as_str().unwrap(),
        t["access_token"].as_str().unwrap(),
    );
    let body = ok(s.book(Some(id)).await).await;
    assert_eq!(body["authorizer"]["kind"], "cognito");
    assert_eq!(body["authorizer"]["username"], "demo");
    assert_eq!(body["authorizer"]["claims"]["email_verified"], "true");
    assert_eq!(body["authorizer"]["claims"]["cognito:username"], "demo");
    ok(s.book(Some(&format!("Bearer {id}"))).await).await;
    // API Gateway takes the value as it comes: one space after `Bearer`,
    // nothing trimmed (HTTP itself drops only whitespace around the value).
    unauthorized(s.book(Some(&format!("Bearer  {id}"))).await).await;
    unauthorized(s.book(Some(&format!("Bearer\t{id}"))).await).await;
    unauthorized(s.book(Some(&format!("bearer {id}"))).await).await;
    unauthorized(s.book(Some(access)).await).await;
    unauthorized(s.book(Some(&format!("Bearer {access}"))).await).await;
    unauthorized(s.book(None).await).await;
    unauthorized(s.book(Some("")).await).await;
    unauthorized(s.book(Some("garbage")).await).await;
    unauthorized(s.book(Some(&tamper(id))).await).await;
    // Another pool's issuer.
    let other = stack_with(|c| {
        c.seed.pool.issuer =
            Some("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other".into())
    })
    .await;
    let foreign = other.tokens(&[], "demo").await;
    unauthorized(s.book(Some(foreign["id_token"].as_str().unwrap())).await).await;
    // Expired.
    s.clock.advance(3601);
    expired(s.book(Some(id)).await).await;
    // Expired and tampered: the signature failure wins.
    unauthorized(s.book(Some(&tamper(id))).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_scopes_authorizer_wants_an_access_token_with_a_method_scope() {
    let s = stack_with(|c| c.authorizer = AuthorizerMode::CognitoScopes).await;
    let t = s.tokens(&[], "demo").await;
    let (id, access) = (
        t["id_token"].as_str().unwrap(),
        t["access_token"].as_str().unwrap(),
    );
    let body = ok(s.book(Some(access)).await).await;
    assert_eq!(body["authorizer"]["kind"], "cognito-scopes");
    assert_eq!(
        body["authorizer"]["scopes"],
        "openid email profile books/read"
    );
    ok(s.book(Some(&format!("Bearer {access}"))).await).await;
    unauthorized(s.book(Some(id)).await).await;
    unauthorized(s.book(None).await).await;
    unauthorized(s.book(Some(&tamper(access))).await).await;
    let no_scope = s.tokens(&[("scope", "openid email")], "demo").await;
    unauthorized(
        s.book(Some(no_scope["access_token"].as_str().unwrap()))
            .await,
    )
    .await;
    s.clock.advance(3601);
    expired(s.book(Some(access)).await).await;

    // Method scopes come from the seed.
    let s = stack_with(|c| {
        c.authorizer = AuthorizerMode::CognitoScopes;
        c.seed.api.method_scopes = vec!["email".into()];
    })
    .await;
    let t = s.tokens(&[("scope", "openid email")], "demo").await;
    ok(s.book(Some(t["access_token"].as_str().unwrap())).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lambda_authorizer_decision_table() {
    let s = stack().await;
    s.handle.set_authorizer(AuthorizerMode::Lambda);
    let t = s.tokens(&[], "demo").await;
    let (id, access) = (
        t["id_token"].as_str().unwrap(),
        t["access_token"].as_str().unwrap(),
    );
    let body = ok(s.book(Some(&format!("Bearer {access}"))).await).await;
    assert_eq!(body["authorizer"]["kind"], "lambda");
    assert_eq!(
        body["authorizer"]["principalId"],
        "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
    );
    assert_eq!(body["authorizer"]["username"], "demo");
    assert_eq!(
        body["authorizer"]["scopes"],
        "openid email profile books/read"
    );

    // API Gateway's own checks.
    unauthorized(s.book(None).await).await;
    unauthorized(s.book(Some("")).await).await;
    unauthorized(s.book(Some(access)).await).await; // no "Bearer ": regex mismatch
    unauthorized(s.book(Some(&format!("bearer {access}"))).await).await;
    unauthorized(s.book(Some(&format!("Bearer  {access}"))).await).await; // trailing OWS is stripped by HTTP, a double space is not
    unauthorized(s.book(Some("Bearer a+b")).await).await;
    // The Lambda's checks: fail closed.
    unauthorized(s.book(Some("Bearer garbage")).await).await;
    unauthorized(s.book(Some("Bearer ")).await).await;
    unauthorized(s.book(Some(&format!("Bearer {id}"))).await).await;
    unauthorized(s.book(Some(&format!("Bearer {}", tamper(access)))).await).await;
    // Valid token without an allowing scope: explicit deny. The seed's
    // Lambda route wants books/read; email, which every user has, is not
    // enough.
    let email_only = s.tokens(&[("scope", "openid email profile")], "demo").await;
    denied(
        s.book(Some(&format!(
            "Bearer {}",
            email_only["access_token"].as_str().unwrap()
        )))
        .await,
    )
    .await;
    // Expired: the Lambda says Unauthorized (no special message).
    s.clock.advance(3601);
    unauthorized(s.book(Some(&format!("Bearer {access}"))).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_cors_switch_preflight_and_unknown_routes() {
    let s = stack_with(|c| c.gateway_responses_cors = false).await;
    let res = s.book(None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(res.headers()["x-amzn-errortype"], "UnauthorizedException");
    let t = s.tokens(&[], "demo").await;
    ok(s.book(Some(t["id_token"].as_str().unwrap())).await).await;

    let api = s.handle.api_url();
    let base = api.trim_end_matches("/prod");
    for (method, url) in [
        (reqwest::Method::GET, format!("{api}/books")),
        (reqwest::Method::GET, format!("{base}/book")),
        (reqwest::Method::GET, format!("{base}/")),
        (reqwest::Method::POST, format!("{api}/book")),
        (reqwest::Method::DELETE, format!("{api}/book")),
    ] {
        let res = Client::new()
            .request(method.clone(), &url)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{method} {url}");
        assert!(res.headers().get("access-control-allow-origin").is_none());
        assert_eq!(
            res.headers()["x-amzn-errortype"],
            "MissingAuthenticationTokenException"
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            body,
            serde_json::json!({"message": "Missing Authentication Token"})
        );
    }

    // The preflight needs no token and always has CORS.
    let res = Client::new()
        .request(reqwest::Method::OPTIONS, format!("{api}/book"))
        .header("Origin", "http://localhost:8080")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(res.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("GET"));
    assert!(res.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase()
        .contains("authorization"));

    // Default: CORS on gateway errors too.
    let s = stack().await;
    let res = Client::new()
        .get(format!("{}/nope", s.handle.api_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
}
