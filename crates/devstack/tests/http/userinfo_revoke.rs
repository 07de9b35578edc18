use crate::common::*;
use reqwest::{Client, StatusCode};

const BAD_REQUEST: &str =
    r#"error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint""#;
const INVALID_TOKEN: &str = r#"error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out.""#;

async fn userinfo(s: &Stack, auth: Option<&str>) -> reqwest::Response {
    let mut req = Client::new().get(s.ui("/oauth2/userInfo"));
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    req.send().await.unwrap()
}

async fn revoke(s: &Stack, form: &[(&str, &str)]) -> reqwest::Response {
    Client::new()
        .post(s.ui("/oauth2/revoke"))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn userinfo_returns_attributes_per_scope() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let access = t["access_token"].as_str().unwrap();
    let res = userinfo(&s, Some(&format!("Bearer {access}"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["sub"], "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b");
    assert_eq!(body["email"], "demo@example.com");
    assert_eq!(body["email_verified"], "true");
    assert_eq!(body["username"], "demo");
    assert_eq!(body["name"], "Demo Reader");

    // openid + email only: no profile claims.
    let t = s.tokens(&[("scope", "openid email")], "demo").await;
    let body: serde_json::Value = userinfo(
        &s,
        Some(&format!("Bearer {}", t["access_token"].as_str().unwrap())),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["email"], "demo@example.com");
    assert!(body.get("name").is_none());

    // Without openid the token is refused.
    let t = s.tokens(&[("scope", "books/read")], "demo").await;
    let res = userinfo(
        &s,
        Some(&format!("Bearer {}", t["access_token"].as_str().unwrap())),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn userinfo_errors_use_cognitos_www_authenticate() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    for auth in [None, Some(""), Some("Basic abc"), Some("Bearer ")] {
        let res = userinfo(&s, auth).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{auth:?}");
        assert_eq!(res.headers()["www-authenticate"], BAD_REQUEST);
        assert_eq!(res.headers()["access-control-allow-origin"], "*");
    }
    let id = t["id_token"].as_str().unwrap();
    let access = t["access_token"].as_str().unwrap();
    let tampered = format!("{}x", &access[..access.len() - 1]);
    for token in ["garbage", id, tampered.as_str()] {
        let res = userinfo(&s, Some(&format!("Bearer {token}"))).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()["www-authenticate"], INVALID_TOKEN);
    }
    s.clock.advance(3601);
    let res = userinfo(&s, Some(&format!("Bearer {access}"))).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["www-authenticate"], INVALID_TOKEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_kills_refresh_and_userinfo() {
    let s = stack().await;
    let client_id = s.handle.client_id();
    let t = s.tokens(&[], "demo").await;
    let rt = t["refresh_token"].as_str().unwrap();
    let access = t["access_token"].as_str().unwrap();
    // An access token minted from the refresh token before revocation.
    let refreshed: serde_json::Value = s.refresh(rt).await.json().await.unwrap();
    let access2 = refreshed["access_token"].as_str().unwrap();
    assert_eq!(
        userinfo(&s, Some(&format!("Bearer {access2}")))
            .await
            .status(),
        StatusCode::OK
    );

    // Access and ID tokens cannot be revoked.
    for jwt in [access, t["id_token"].as_str().unwrap()] {
        let res = revoke(&s, &[("token", jwt), ("client_id", &client_id)]).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(error_of(res).await, "unsupported_token_type");
    }
    assert_eq!(
        error_of(revoke(&s, &[("client_id", &client_id)]).await).await,
        "invalid_request"
    );
    let res = revoke(&s, &[("token", rt), ("client_id", "wrongclient")]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(res).await, "invalid_client");

    let res = revoke(&s, &[("token", rt), ("client_id", &client_id)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(res.text().await.unwrap().is_empty());
    // Again, and an unknown token: still 200.
    assert_eq!(
        revoke(&s, &[("token", rt), ("client_id", &client_id)])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        revoke(&s, &[("token", "unknown"), ("client_id", &client_id)])
            .await
            .status(),
        StatusCode::OK
    );

    assert_eq!(error_of(s.refresh(rt).await).await, "invalid_grant");
    for a in [access, access2] {
        let res = userinfo(&s, Some(&format!("Bearer {a}"))).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()["www-authenticate"], INVALID_TOKEN);
    }
    // Other sign-ins are unaffected.
    let other = s.tokens(&[], "demo").await;
    let res = userinfo(
        &s,
        Some(&format!(
            "Bearer {}",
            other["access_token"].as_str().unwrap()
        )),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
}
